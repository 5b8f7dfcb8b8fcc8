//! A fake Discord (REST + gateway) on 127.0.0.1 for end-to-end tests that run the real serenity
//! `Client` and the real poise `Framework`. Use it from a test file with `mod fake_discord;`.
//!
//! Typical use (plain HTTP, serenity's ratelimiter disabled):
//! ```ignore
//! let fake = FakeDiscord::start().await;
//! let client = serenity::ClientBuilder::new_with_http(fake.http(), intents)
//!     .framework(framework).event_handler(handler).await?;
//! let mut client = client; tokio::spawn(async move { client.start().await });
//! assert!(fake.wait_ready(Duration::from_secs(10)).await);
//! fake.dispatch("INTERACTION_CREATE", FakeDiscord::slash_command(1, "ping", json!([]), FakeDiscord::USER_ID, FakeDiscord::CHANNEL_ID)).await;
//! let cb = fake.wait_for_request(|r| r.route() == "/interactions/1/token-1/callback", secs(5)).await;
//! ```
//! With a [`TlsProxy`], serenity talks to `https://discord.com` through an HTTPS CONNECT proxy
//! that only the bot's own reqwest client trusts, so serenity's real ratelimiter is active.
//!
//! Paths: [`Request::path`] is the full path (`/api/v10/channels/1/messages`);
//! [`Request::route`] drops the `/api/v10` prefix. `respond_once` accepts either form.
//!
//! Subcommands: nest options as Discord does; [`FakeDiscord::subcommand_options`] builds
//! `[{"name": sub, "type": 1, "options": [...]}]`, so `/profile set stage:adult` is
//! `FakeDiscord::subcommand(id, "profile", "set", json!([FakeDiscord::opt_str("stage", "adult")]), user, channel)`.
#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::{SinkExt, StreamExt};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::AbortHandle;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message as WsMessage;

/// How long `dispatch`/`send_op` wait for a live gateway session before panicking.
const SESSION_WAIT: Duration = Duration::from_secs(10);
/// Bound on any single network step of the fake (handshakes, reading a proxy request head).
const IO_TIMEOUT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(5);

/// One REST request as the fake received it.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// Full path without the query, e.g. `/api/v10/channels/5/messages`.
    pub path: String,
    /// JSON body; for multipart requests the `payload_json` part; `Null` when empty,
    /// `Value::String` when not JSON.
    pub body: Value,
    /// Header names are lower-case.
    pub headers: Vec<(String, String)>,
    /// Query string without `?` ("" if none).
    pub query: String,
    /// The whole body as (lossy) text, e.g. to look at uploaded files in a multipart body.
    pub raw_body: String,
    /// When the fake received it (for ratelimit timing).
    pub at: Instant,
}

impl Request {
    /// The path without the `/api/v10` prefix, e.g. `/channels/5/messages`.
    pub fn route(&self) -> &str {
        self.path.strip_prefix("/api/v10").unwrap_or(&self.path)
    }

    /// First header with this (case-insensitive) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// `method` (case-insensitive) and `route()` == `route`.
    pub fn is(&self, method: &str, route: &str) -> bool {
        self.method.eq_ignore_ascii_case(method) && self.route() == route
    }
}

struct Scripted {
    method: String,
    path_prefix: String,
    status: u16,
    headers: Vec<(String, String)>,
    body: Value,
}

struct GwConn {
    id: u64,
    tx: mpsc::UnboundedSender<WsMessage>,
}

#[derive(Default)]
struct Gw {
    /// The connection with a live session (READY or RESUMED sent), if any.
    live: Option<GwConn>,
    seq: u64,
    session_id: String,
    sessions: u64,
    /// Every payload the client sent (heartbeats included), in order.
    received: Vec<Value>,
}

struct State {
    rest_port: u16,
    gw_port: u16,
    heartbeat_interval_ms: u64,
    requests: Mutex<Vec<Request>>,
    scripted: Mutex<VecDeque<Scripted>>,
    gw: Mutex<Gw>,
    identify_count: AtomicUsize,
    resume_count: AtomicUsize,
    ready_count: AtomicUsize,
    connection_count: AtomicUsize,
    next_conn: AtomicU64,
    next_id: AtomicU64,
    tasks: Arc<Mutex<Vec<AbortHandle>>>,
    /// interaction token -> the `@original` response message
    originals: Mutex<HashMap<String, Value>>,
    /// interaction token -> channel id (from dispatched INTERACTION_CREATE payloads)
    token_channels: Mutex<HashMap<String, String>>,
    /// "global" or guild id -> last registered command list
    commands: Mutex<HashMap<String, Value>>,
    /// While set, new gateway connections are accepted and then never answered (an outage).
    gateway_down: std::sync::atomic::AtomicBool,
}

impl State {
    fn new_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }
}

fn spawn_tracked<F>(tasks: &Arc<Mutex<Vec<AbortHandle>>>, fut: F)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let handle = tokio::spawn(fut);
    let mut tasks = tasks.lock().unwrap();
    tasks.retain(|t| !t.is_finished());
    tasks.push(handle.abort_handle());
}

struct Guard {
    tasks: Arc<Mutex<Vec<AbortHandle>>>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        for task in self.tasks.lock().unwrap().drain(..) {
            task.abort();
        }
    }
}

/// Handle on a running fake Discord; cheap to clone. Servers stop when the last clone drops
/// (and in any case when the test's runtime ends).
#[derive(Clone)]
pub struct FakeDiscord {
    state: Arc<State>,
    _guard: Arc<Guard>,
}

fn ensure_no_proxy() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for key in ["NO_PROXY", "no_proxy"] {
            let current = std::env::var(key).unwrap_or_default();
            if !current.split(',').any(|h| h.trim() == "127.0.0.1") {
                let merged = if current.is_empty() {
                    "127.0.0.1,localhost".to_string()
                } else {
                    format!("{current},127.0.0.1,localhost")
                };
                std::env::set_var(key, merged);
            }
        }
    });
}

impl FakeDiscord {
    pub const APP_ID: u64 = 1_000_000_000_000_000_001;
    pub const BOT_USER_ID: u64 = 1_000_000_000_000_000_002;
    pub const GUILD_ID: u64 = 1_000_000_000_000_000_003;
    /// A default text channel in GUILD_ID.
    pub const CHANNEL_ID: u64 = 1_000_000_000_000_000_004;
    /// A default human member of GUILD_ID.
    pub const USER_ID: u64 = 1_000_000_000_000_000_005;
    /// A public thread whose parent is CHANNEL_ID (`GET /channels/{id}` says so).
    pub const THREAD_ID: u64 = 1_000_000_000_000_000_006;
    pub const TOKEN: &'static str = "fake-bot-token";
    pub const BOT_NAME: &'static str = "zincbot";
    /// Member permissions used by `slash_command` etc.: VIEW_CHANNEL, SEND_MESSAGES,
    /// EMBED_LINKS, ATTACH_FILES, READ_MESSAGE_HISTORY, ADD_REACTIONS, USE_APPLICATION_COMMANDS.
    pub const MEMBER_PERMISSIONS: &'static str = "2147601472";
    /// `app_permissions` of every interaction: the member set plus USE_EXTERNAL_EMOJIS.
    pub const APP_PERMISSIONS: &'static str = "2147863616";

    /// Starts REST and gateway servers on 127.0.0.1 ephemeral ports. Also makes sure
    /// `NO_PROXY` covers 127.0.0.1 so reqwest does not send the bot's requests to a proxy.
    pub async fn start() -> FakeDiscord {
        Self::start_with_heartbeat(41_250).await
    }

    /// Like `start`, with the HELLO heartbeat interval in milliseconds.
    pub async fn start_with_heartbeat(heartbeat_interval_ms: u64) -> FakeDiscord {
        ensure_no_proxy();
        let rest = TcpListener::bind("127.0.0.1:0").await.expect("bind fake REST");
        let gw = TcpListener::bind("127.0.0.1:0").await.expect("bind fake gateway");
        let tasks = Arc::new(Mutex::new(Vec::new()));
        let state = Arc::new(State {
            rest_port: rest.local_addr().unwrap().port(),
            gw_port: gw.local_addr().unwrap().port(),
            heartbeat_interval_ms,
            requests: Mutex::default(),
            scripted: Mutex::default(),
            gw: Mutex::default(),
            identify_count: AtomicUsize::new(0),
            resume_count: AtomicUsize::new(0),
            ready_count: AtomicUsize::new(0),
            connection_count: AtomicUsize::new(0),
            next_conn: AtomicU64::new(1),
            next_id: AtomicU64::new(1_100_000_000_000_000_000),
            tasks: Arc::clone(&tasks),
            originals: Mutex::default(),
            token_channels: Mutex::default(),
            commands: Mutex::default(),
            gateway_down: std::sync::atomic::AtomicBool::new(false),
        });

        let st = Arc::clone(&state);
        spawn_tracked(&tasks, async move {
            while let Ok((stream, _)) = rest.accept().await {
                let st2 = Arc::clone(&st);
                spawn_tracked(&st.tasks, serve_http(st2, stream));
            }
        });
        let st = Arc::clone(&state);
        spawn_tracked(&tasks, async move {
            while let Ok((stream, _)) = gw.accept().await {
                if st.gateway_down.load(Ordering::SeqCst) {
                    spawn_tracked(&st.tasks, async move {
                        let _held = stream;
                        std::future::pending::<()>().await;
                    });
                    continue;
                }
                let st2 = Arc::clone(&st);
                spawn_tracked(&st.tasks, gateway_connection(st2, stream));
            }
        });

        FakeDiscord { state, _guard: Arc::new(Guard { tasks }) }
    }

    /// `http://127.0.0.1:PORT`: the REST proxy base for `HttpBuilder::proxy`.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.state.rest_port)
    }

    /// `ws://127.0.0.1:PORT`, what `GET /gateway` returns.
    pub fn gateway_url(&self) -> String {
        format!("ws://127.0.0.1:{}", self.state.gw_port)
    }

    /// A serenity `Http` pointed at this fake (`.proxy(base_url)`, ratelimiter disabled, as
    /// serenity's ratelimiter ignores the proxy). Use with `ClientBuilder::new_with_http`.
    pub fn http(&self) -> serenity::http::Http {
        serenity::http::HttpBuilder::new(Self::TOKEN).proxy(self.base_url()).ratelimiter_disabled(true).build()
    }

    // ---------------------------------------------------------------- gateway control

    /// True once an IDENTIFY was received and READY sent (within `timeout`).
    pub async fn wait_ready(&self, timeout: Duration) -> bool {
        self.wait_until(timeout, || self.state.ready_count.load(Ordering::SeqCst) >= 1).await
    }

    /// Polls `cond` every few milliseconds until it holds or `timeout` passes.
    pub async fn wait_until(&self, timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if cond() {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until a session is live (READY or RESUMED sent on the current connection).
    pub async fn wait_live(&self, timeout: Duration) -> bool {
        self.wait_until(timeout, || self.state.gw.lock().unwrap().live.is_some()).await
    }

    pub async fn wait_identify_count(&self, n: usize, timeout: Duration) -> bool {
        self.wait_until(timeout, || self.identify_count() >= n).await
    }

    pub async fn wait_resume_count(&self, n: usize, timeout: Duration) -> bool {
        self.wait_until(timeout, || self.resume_count() >= n).await
    }

    /// Runs `f` on the gateway state under its lock once a session is live, so that what `f`
    /// sends cannot race with the client reconnecting. Waits up to 10 s, then panics.
    async fn with_live<R>(&self, what: &str, f: impl FnOnce(&mut Gw, mpsc::UnboundedSender<WsMessage>) -> R) -> R {
        let deadline = Instant::now() + SESSION_WAIT;
        loop {
            {
                let mut gw = self.state.gw.lock().unwrap();
                if let Some(tx) = gw.live.as_ref().map(|c| c.tx.clone()) {
                    return f(&mut gw, tx);
                }
            }
            if Instant::now() >= deadline {
                panic!("fake discord: no live gateway session within {SESSION_WAIT:?} for {what}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Sends op 0 `event` with the next sequence number on the live session (waits up to 10 s
    /// for one, then panics).
    pub async fn dispatch(&self, event: &str, data: Value) {
        if event == "INTERACTION_CREATE" {
            if let (Some(token), Some(channel)) = (data["token"].as_str(), data.get("channel_id")) {
                let channel = id_string(channel);
                self.state.token_channels.lock().unwrap().insert(token.to_string(), channel);
            }
        }
        self.with_live(event, |gw, tx| {
            gw.seq += 1;
            let payload = json!({"op": 0, "t": event, "s": gw.seq, "d": data});
            let _ = tx.send(WsMessage::Text(payload.to_string()));
        })
        .await;
    }

    /// Sends a raw opcode (7 RECONNECT, 9 INVALID_SESSION, 1 HEARTBEAT, ...). After 7 or 9 the
    /// session counts as not live until the client resumes or identifies again.
    pub async fn send_op(&self, op: u8, d: Value) {
        self.with_live(&format!("op {op}"), |gw, tx| {
            let _ = tx.send(WsMessage::Text(json!({"op": op, "d": d, "s": null, "t": null}).to_string()));
            if op == 7 || op == 9 {
                gw.live = None;
            }
        })
        .await;
    }

    /// Closes the live gateway connection with `code` (e.g. 4000 resumable, 4004 fatal).
    pub async fn close_gateway(&self, code: u16) {
        self.with_live(&format!("close {code}"), |gw, tx| {
            let frame = CloseFrame { code: CloseCode::from(code), reason: "fake discord close".into() };
            let _ = tx.send(WsMessage::Close(Some(frame)));
            gw.live = None;
        })
        .await;
    }

    /// Starts (or ends) a gateway outage: new connections open but the handshake never comes.
    pub fn set_gateway_down(&self, down: bool) {
        self.state.gateway_down.store(down, Ordering::SeqCst);
    }

    pub fn identify_count(&self) -> usize {
        self.state.identify_count.load(Ordering::SeqCst)
    }

    pub fn resume_count(&self) -> usize {
        self.state.resume_count.load(Ordering::SeqCst)
    }

    /// Number of websocket connections accepted so far.
    pub fn connection_count(&self) -> usize {
        self.state.connection_count.load(Ordering::SeqCst)
    }

    /// Current session id ("" before the first IDENTIFY).
    pub fn session_id(&self) -> String {
        self.state.gw.lock().unwrap().session_id.clone()
    }

    /// Last sequence number sent.
    pub fn seq(&self) -> u64 {
        self.state.gw.lock().unwrap().seq
    }

    /// Every gateway payload the client sent, in order (IDENTIFY, RESUME, heartbeats...).
    pub fn gateway_payloads(&self) -> Vec<Value> {
        self.state.gw.lock().unwrap().received.clone()
    }

    // ---------------------------------------------------------------- REST inspection

    pub fn requests(&self) -> Vec<Request> {
        self.state.requests.lock().unwrap().clone()
    }

    /// How many requests were recorded so far (cheap: no copy).
    pub fn request_count(&self) -> usize {
        self.state.requests.lock().unwrap().len()
    }

    pub fn clear_requests(&self) {
        self.state.requests.lock().unwrap().clear();
    }

    /// The first recorded request (earlier ones included) matching `pred`, waiting up to `timeout`.
    pub async fn wait_for_request(&self, pred: impl Fn(&Request) -> bool, timeout: Duration) -> Option<Request> {
        let mut found = None;
        self.wait_until(timeout, || {
            found = self.state.requests.lock().unwrap().iter().find(|r| pred(r)).cloned();
            found.is_some()
        })
        .await;
        found
    }

    /// All matching requests once there are at least `n` of them; what there is at the timeout.
    pub async fn wait_for_requests(
        &self,
        pred: impl Fn(&Request) -> bool,
        n: usize,
        timeout: Duration,
    ) -> Vec<Request> {
        let count = || self.state.requests.lock().unwrap().iter().filter(|r| pred(r)).count();
        self.wait_until(timeout, || count() >= n).await;
        self.requests().into_iter().filter(|r| pred(r)).collect()
    }

    /// The next request with `method` whose path starts with `path_prefix` (with or without
    /// `/api/v10`) gets this response instead of the default one. `Value::Null` = empty body.
    /// Several scripted responses for the same route are used in order.
    pub fn respond_once(
        &self,
        method: &str,
        path_prefix: &str,
        status: u16,
        headers: Vec<(String, String)>,
        body: Value,
    ) {
        let path_prefix =
            if path_prefix.starts_with("/api/") { path_prefix.to_string() } else { format!("/api/v10{path_prefix}") };
        self.state.scripted.lock().unwrap().push_back(Scripted {
            method: method.to_ascii_uppercase(),
            path_prefix,
            status,
            headers,
            body,
        });
    }

    /// The last command list registered with PUT (`None` = global, `Some(guild)`).
    pub fn registered_commands(&self, guild: Option<u64>) -> Option<Value> {
        let key = guild.map_or("global".to_string(), |g| g.to_string());
        self.state.commands.lock().unwrap().get(&key).cloned()
    }

    // ---------------------------------------------------------------- payload builders

    /// A user object (`username` "user<id>", or the bot's name for BOT_USER_ID).
    pub fn user(id: u64, bot: bool) -> Value {
        let name = if id == Self::BOT_USER_ID { Self::BOT_NAME.to_string() } else { format!("user{id}") };
        json!({
            "id": id.to_string(), "username": name, "discriminator": "0", "global_name": null,
            "avatar": null, "bot": bot, "public_flags": 0
        })
    }

    /// A guild member object of GUILD_ID with `permissions` (as Discord sends in interactions).
    pub fn member(user_id: u64, permissions: &str) -> Value {
        json!({
            "user": Self::user(user_id, false), "nick": null, "avatar": null, "roles": [],
            "joined_at": "2024-01-01T00:00:00.000000+00:00", "premium_since": null,
            "deaf": false, "mute": false, "flags": 0, "pending": false,
            "permissions": permissions, "communication_disabled_until": null
        })
    }

    /// Option helpers: `{"name", "type", "value"}` (3 string, 4 integer, 5 boolean, 10 number).
    pub fn opt_str(name: &str, value: &str) -> Value {
        json!({"name": name, "type": 3, "value": value})
    }
    pub fn opt_int(name: &str, value: i64) -> Value {
        json!({"name": name, "type": 4, "value": value})
    }
    pub fn opt_bool(name: &str, value: bool) -> Value {
        json!({"name": name, "type": 5, "value": value})
    }
    pub fn opt_num(name: &str, value: f64) -> Value {
        json!({"name": name, "type": 10, "value": value})
    }
    /// A focused string option for autocomplete: what the user typed so far.
    pub fn opt_focused(name: &str, partial: &str) -> Value {
        json!({"name": name, "type": 3, "value": partial, "focused": true})
    }
    /// `[{"name": sub, "type": 1, "options": options}]`
    pub fn subcommand_options(sub: &str, options: Value) -> Value {
        json!([{"name": sub, "type": 1, "options": options}])
    }
    /// `[{"name": group, "type": 2, "options": [{"name": sub, "type": 1, "options": options}]}]`
    pub fn subcommand_group_options(group: &str, sub: &str, options: Value) -> Value {
        json!([{"name": group, "type": 2, "options": Self::subcommand_options(sub, options)}])
    }

    /// A full interaction payload. `permissions: None` makes it a DM interaction (`user`,
    /// no guild); `Some(p)` a guild one in GUILD_ID with a member holding `p`.
    /// The token is `token-<id>`.
    pub fn interaction(
        id: u64,
        kind: u8,
        data: Value,
        user_id: u64,
        channel_id: u64,
        permissions: Option<&str>,
    ) -> Value {
        let mut v = json!({
            "id": id.to_string(),
            "application_id": Self::APP_ID.to_string(),
            "type": kind,
            "data": data,
            "channel_id": channel_id.to_string(),
            "token": format!("token-{id}"),
            "version": 1,
            "app_permissions": Self::APP_PERMISSIONS,
            "locale": "en-US",
            "entitlements": [],
            "attachment_size_limit": 26_214_400,
        });
        match permissions {
            Some(p) => {
                v["guild_id"] = json!(Self::GUILD_ID.to_string());
                v["guild_locale"] = json!("en-US");
                v["member"] = Self::member(user_id, p);
                v["context"] = json!(0);
                v["authorizing_integration_owners"] = json!({"0": Self::GUILD_ID.to_string()});
            }
            None => {
                v["user"] = Self::user(user_id, false);
                v["context"] = json!(1);
                v["authorizing_integration_owners"] = json!({"0": Self::GUILD_ID.to_string()});
            }
        }
        v
    }

    fn command_id(name: &str) -> String {
        // Stable per name, like a registered command id.
        let h = name.bytes().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
        (1_200_000_000_000_000_000 + h % 1_000_000_000).to_string()
    }

    /// INTERACTION_CREATE data for a slash command (type 2) in GUILD_ID, by a member with
    /// MEMBER_PERMISSIONS. `options` is a JSON array (see the `opt_*` helpers).
    pub fn slash_command(id: u64, name: &str, options: Value, user_id: u64, channel_id: u64) -> Value {
        Self::slash_command_with_permissions(id, name, options, user_id, channel_id, Self::MEMBER_PERMISSIONS)
    }

    /// `slash_command` with the member's permissions bitfield as a decimal string (e.g. "8").
    pub fn slash_command_with_permissions(
        id: u64,
        name: &str,
        options: Value,
        user_id: u64,
        channel_id: u64,
        permissions: &str,
    ) -> Value {
        let data = json!({"id": Self::command_id(name), "name": name, "type": 1, "options": options});
        Self::interaction(id, 2, data, user_id, channel_id, Some(permissions))
    }

    /// A slash command used in the bot's DMs (`user`, no guild, no member).
    pub fn dm_slash_command(id: u64, name: &str, options: Value, user_id: u64, channel_id: u64) -> Value {
        let data = json!({"id": Self::command_id(name), "name": name, "type": 1, "options": options});
        Self::interaction(id, 2, data, user_id, channel_id, None)
    }

    /// `/name sub opt:..` e.g. `subcommand(id, "profile", "set", json!([opt_str("stage", "adult")]), ..)`.
    pub fn subcommand(id: u64, name: &str, sub: &str, options: Value, user_id: u64, channel_id: u64) -> Value {
        Self::slash_command(id, name, Self::subcommand_options(sub, options), user_id, channel_id)
    }

    /// INTERACTION_CREATE data for autocomplete (type 4) in CHANNEL_ID of GUILD_ID. If no
    /// option in `options` (subcommands included) has `"focused": true`, the last leaf is focused.
    pub fn autocomplete(id: u64, name: &str, options: Value, user_id: u64) -> Value {
        let mut options = options;
        if !has_focused(&options) {
            focus_last_leaf(&mut options);
        }
        let data = json!({"id": Self::command_id(name), "name": name, "type": 1, "options": options});
        Self::interaction(id, 4, data, user_id, Self::CHANNEL_ID, Some(Self::MEMBER_PERMISSIONS))
    }

    /// A message context-menu command (type 2, data.type 3) on `target` (a Message object,
    /// e.g. from `message`), with `target_id` and `resolved.messages`.
    pub fn message_command(id: u64, name: &str, target: Value, user_id: u64, channel_id: u64) -> Value {
        let target_id = id_string(&target["id"]);
        let data = json!({
            "id": Self::command_id(name), "name": name, "type": 3, "target_id": target_id,
            "resolved": {"messages": {target_id.clone(): target}}, "options": []
        });
        Self::interaction(id, 2, data, user_id, channel_id, Some(Self::MEMBER_PERMISSIONS))
    }

    /// A user context-menu command (type 2, data.type 2) on `target_user_id`.
    pub fn user_command(id: u64, name: &str, target_user_id: u64, user_id: u64, channel_id: u64) -> Value {
        let t = target_user_id.to_string();
        let mut partial = Self::member(target_user_id, Self::MEMBER_PERMISSIONS);
        partial.as_object_mut().unwrap().remove("user");
        let data = json!({
            "id": Self::command_id(name), "name": name, "type": 2, "target_id": t,
            "resolved": {"users": {t.clone(): Self::user(target_user_id, false)}, "members": {t.clone(): partial}},
            "options": []
        });
        Self::interaction(id, 2, data, user_id, channel_id, Some(Self::MEMBER_PERMISSIONS))
    }

    /// INTERACTION_CREATE data for a click (type 3) by USER_ID on a component under one of the
    /// bot's messages in CHANNEL_ID: a button, or a string select menu when `values` is given.
    /// `ephemeral` marks the message clicked as one only the user sees.
    pub fn component(id: u64, custom_id: &str, values: Option<&[&str]>, ephemeral: bool) -> Value {
        let data = match values {
            Some(values) => json!({"custom_id": custom_id, "component_type": 3, "values": values}),
            None => json!({"custom_id": custom_id, "component_type": 2}),
        };
        let mut v = Self::interaction(id, 3, data, Self::USER_ID, Self::CHANNEL_ID, Some(Self::MEMBER_PERMISSIONS));
        let mut message = Self::direct_message(id + 1, Self::CHANNEL_ID, Self::BOT_USER_ID, "");
        message["author"] = Self::user(Self::BOT_USER_ID, true);
        message["flags"] = json!(if ephemeral { 64 } else { 0 });
        v["message"] = message;
        v
    }

    /// MESSAGE_CREATE data for a guild message in GUILD_ID. `mentions_bot` adds the bot to
    /// `mentions` (put `<@BOT_USER_ID>` in `content` yourself if the bot parses it).
    pub fn message(
        id: u64,
        channel_id: u64,
        author_id: u64,
        author_is_bot: bool,
        content: &str,
        mentions_bot: bool,
    ) -> Value {
        let mut m = Self::direct_message(id, channel_id, author_id, content);
        m["author"] = Self::user(author_id, author_is_bot);
        m["guild_id"] = json!(Self::GUILD_ID.to_string());
        let mut member = Self::member(author_id, Self::MEMBER_PERMISSIONS);
        let obj = member.as_object_mut().unwrap();
        obj.remove("user");
        obj.remove("permissions");
        m["member"] = member;
        if mentions_bot {
            m["mentions"] = json!([Self::user(Self::BOT_USER_ID, true)]);
        }
        m
    }

    /// MESSAGE_CREATE data for a DM (no guild_id, no member).
    pub fn direct_message(id: u64, channel_id: u64, author_id: u64, content: &str) -> Value {
        json!({
            "id": id.to_string(), "channel_id": channel_id.to_string(),
            "author": Self::user(author_id, false), "content": content,
            "timestamp": iso_now(), "edited_timestamp": null, "tts": false,
            "mention_everyone": false, "mentions": [], "mention_roles": [], "attachments": [],
            "embeds": [], "pinned": false, "type": 0, "flags": 0, "components": []
        })
    }
}

fn id_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn has_focused(options: &Value) -> bool {
    options
        .as_array()
        .is_some_and(|opts| opts.iter().any(|o| o["focused"] == json!(true) || has_focused(&o["options"])))
}

fn focus_last_leaf(options: &mut Value) {
    if let Some(last) = options.as_array_mut().and_then(|a| a.last_mut()) {
        let kind = last["type"].as_u64().unwrap_or(3);
        if kind == 1 || kind == 2 {
            focus_last_leaf(&mut last["options"]);
        } else {
            last["focused"] = json!(true);
        }
    }
}

/// The current time as Discord's ISO 8601 timestamp.
pub fn iso_now() -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = now.as_secs();
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    let rem = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:06}+00:00",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        now.subsec_micros()
    )
}

// Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m as u32, d as u32)
}

// -------------------------------------------------------------------- gateway server

fn ws_text(v: Value) -> WsMessage {
    WsMessage::Text(v.to_string())
}

async fn gateway_connection(state: Arc<State>, stream: TcpStream) {
    let ws = match tokio::time::timeout(IO_TIMEOUT, tokio_tungstenite::accept_async(stream)).await {
        Ok(Ok(ws)) => ws,
        _ => return,
    };
    state.connection_count.fetch_add(1, Ordering::SeqCst);
    let conn_id = state.next_conn.fetch_add(1, Ordering::SeqCst);
    let (mut sink, mut source) = ws.split();
    let (tx, mut rx) = mpsc::unbounded_channel::<WsMessage>();

    let writer = tokio::spawn(async move {
        while let Some(msg) = rx.recv().await {
            let is_close = matches!(msg, WsMessage::Close(_));
            if sink.send(msg).await.is_err() || is_close {
                break;
            }
        }
    });

    let _ = tx.send(ws_text(json!({
        "op": 10, "s": null, "t": null,
        "d": {"heartbeat_interval": state.heartbeat_interval_ms}
    })));

    while let Some(Ok(msg)) = source.next().await {
        let text = match msg {
            WsMessage::Text(t) => t,
            WsMessage::Close(_) => break,
            _ => continue,
        };
        let Ok(payload) = serde_json::from_str::<Value>(&text) else { continue };
        let op = payload["op"].as_u64().unwrap_or(u64::MAX);
        let mut gw = state.gw.lock().unwrap();
        gw.received.push(payload.clone());
        match op {
            1 => {
                let _ = tx.send(ws_text(json!({"op": 11, "s": null, "t": null, "d": null})));
            }
            2 => {
                state.identify_count.fetch_add(1, Ordering::SeqCst);
                gw.sessions += 1;
                gw.session_id = format!("fake-session-{}", gw.sessions);
                gw.seq = 1;
                let ready = json!({
                    "op": 0, "t": "READY", "s": 1,
                    "d": {
                        "v": 10,
                        "user": {
                            "id": FakeDiscord::BOT_USER_ID.to_string(), "username": FakeDiscord::BOT_NAME,
                            "discriminator": "0", "global_name": null, "avatar": null, "bot": true,
                            "verified": true, "mfa_enabled": false, "flags": 0
                        },
                        "guilds": [],
                        "session_id": gw.session_id,
                        "resume_gateway_url": format!("ws://127.0.0.1:{}", state.gw_port),
                        "shard": [0, 1],
                        "application": {"id": FakeDiscord::APP_ID.to_string(), "flags": 0}
                    }
                });
                let _ = tx.send(ws_text(ready));
                gw.live = Some(GwConn { id: conn_id, tx: tx.clone() });
                state.ready_count.fetch_add(1, Ordering::SeqCst);
            }
            6 => {
                state.resume_count.fetch_add(1, Ordering::SeqCst);
                if payload["d"]["session_id"].as_str() == Some(gw.session_id.as_str()) {
                    gw.seq += 1;
                    let resumed = json!({"op": 0, "t": "RESUMED", "s": gw.seq, "d": {}});
                    let _ = tx.send(ws_text(resumed));
                    gw.live = Some(GwConn { id: conn_id, tx: tx.clone() });
                } else {
                    let _ = tx.send(ws_text(json!({"op": 9, "s": null, "t": null, "d": false})));
                }
            }
            _ => {}
        }
    }

    {
        let mut gw = state.gw.lock().unwrap();
        if gw.live.as_ref().is_some_and(|c| c.id == conn_id) {
            gw.live = None;
        }
    }
    drop(tx);
    // Let a queued close frame go out, then stop.
    let _ = tokio::time::timeout(Duration::from_secs(1), writer).await;
}

// -------------------------------------------------------------------- REST server

async fn serve_http<I>(state: Arc<State>, io: I)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let svc = service_fn(move |req| {
        let st = Arc::clone(&state);
        async move { Ok::<_, Infallible>(handle(st, req).await) }
    });
    let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(io), svc).await;
}

type Resp = hyper::Response<Full<Bytes>>;

fn respond(status: u16, headers: &[(String, String)], body: &Value) -> Resp {
    let mut b = hyper::Response::builder().status(status);
    let bytes = if body.is_null() {
        Bytes::new()
    } else {
        b = b.header("content-type", "application/json");
        Bytes::from(body.to_string())
    };
    for (k, v) in headers {
        b = b.header(k.as_str(), v.as_str());
    }
    b.body(Full::new(bytes)).expect("fake response")
}

fn json_ok(body: Value) -> Resp {
    respond(200, &[], &body)
}

fn no_content() -> Resp {
    respond(204, &[], &Value::Null)
}

fn not_found() -> Resp {
    respond(404, &[], &json!({"message": "404: Not Found", "code": 0}))
}

fn parse_body(headers: &[(String, String)], raw: &[u8]) -> Value {
    if raw.is_empty() {
        return Value::Null;
    }
    let content_type = headers.iter().find(|(k, _)| k == "content-type").map(|(_, v)| v.as_str()).unwrap_or("");
    let text = String::from_utf8_lossy(raw);
    if let Some(boundary) = content_type.split("boundary=").nth(1) {
        let boundary = boundary.trim_matches('"');
        for part in text.split(&format!("--{boundary}")) {
            if part.contains("name=\"payload_json\"") {
                if let Some(start) = part.find("\r\n\r\n") {
                    let json_text = part[start + 4..].trim_end_matches("\r\n");
                    if let Ok(v) = serde_json::from_str(json_text) {
                        return v;
                    }
                }
            }
        }
        return Value::String(text.into_owned());
    }
    serde_json::from_slice(raw).unwrap_or_else(|_| Value::String(text.into_owned()))
}

async fn handle(state: Arc<State>, req: hyper::Request<Incoming>) -> Resp {
    let at = Instant::now();
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_ascii_lowercase(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let raw = match req.into_body().collect().await {
        Ok(c) => c.to_bytes(),
        Err(_) => Bytes::new(),
    };
    let body = parse_body(&headers, &raw);
    let request = Request {
        method: method.clone(),
        path: path.clone(),
        body,
        headers,
        query,
        raw_body: String::from_utf8_lossy(&raw).into_owned(),
        at,
    };
    let scripted = {
        let mut scripted = state.scripted.lock().unwrap();
        let pos =
            scripted.iter().position(|s| s.method.eq_ignore_ascii_case(&method) && path.starts_with(&s.path_prefix));
        pos.and_then(|p| scripted.remove(p))
    };
    let response = match scripted {
        Some(s) => respond(s.status, &s.headers, &s.body),
        None => default_route(&state, &request),
    };
    // Recorded once handled, so a test that saw it also sees its effects (e.g. stored commands).
    state.requests.lock().unwrap().push(request);
    response
}

fn bot_message(state: &State, id: String, channel_id: String, body: &Value) -> Value {
    let mut msg = json!({
        "id": id, "channel_id": channel_id.clone(),
        "author": FakeDiscord::user(FakeDiscord::BOT_USER_ID, true),
        "content": body["content"].as_str().unwrap_or(""),
        "timestamp": iso_now(), "edited_timestamp": null,
        "tts": body["tts"].as_bool().unwrap_or(false),
        "mention_everyone": false, "mentions": [], "mention_roles": [], "attachments": [],
        "embeds": body.get("embeds").filter(|e| e.is_array()).cloned().unwrap_or(json!([])),
        "components": body.get("components").filter(|e| e.is_array()).cloned().unwrap_or(json!([])),
        "pinned": false, "type": 0,
        "flags": body["flags"].as_u64().unwrap_or(0),
        "application_id": FakeDiscord::APP_ID.to_string(),
    });
    if let Some(files) = body["attachments"].as_array() {
        let atts: Vec<Value> = files
            .iter()
            .map(|f| {
                let name = f["filename"].as_str().unwrap_or("file");
                let url = format!("https://cdn.discordapp.com/attachments/{channel_id}/0/{name}");
                json!({"id": state.new_id().to_string(), "filename": name, "size": 0,
                       "url": url.clone(), "proxy_url": url, "description": f.get("description")})
            })
            .collect();
        msg["attachments"] = json!(atts);
    }
    if let Some(reference) = body.get("message_reference").filter(|r| r.is_object()) {
        let mut reference = reference.clone();
        if reference.get("channel_id").is_none_or(Value::is_null) {
            reference["channel_id"] = json!(channel_id);
        }
        msg["message_reference"] = reference;
        msg["type"] = json!(19);
    }
    msg
}

fn echo_command(state: &State, cmd: &Value, guild: Option<&str>) -> Value {
    let mut c = cmd.clone();
    if !c.is_object() {
        return c;
    }
    c["id"] = json!(state.new_id().to_string());
    c["application_id"] = json!(FakeDiscord::APP_ID.to_string());
    c["version"] = json!(state.new_id().to_string());
    if c.get("type").is_none_or(Value::is_null) {
        c["type"] = json!(1);
    }
    if c.get("description").is_none_or(Value::is_null) {
        c["description"] = json!("");
    }
    if let Some(g) = guild {
        c["guild_id"] = json!(g);
    }
    fill_option_descriptions(&mut c["options"]);
    c
}

fn fill_option_descriptions(options: &mut Value) {
    if let Some(opts) = options.as_array_mut() {
        for o in opts {
            if o.get("description").is_none_or(Value::is_null) {
                o["description"] = json!("");
            }
            fill_option_descriptions(&mut o["options"]);
        }
    }
}

fn default_route(state: &State, req: &Request) -> Resp {
    let route = req.route().to_string();
    let segs: Vec<&str> = route.trim_matches('/').split('/').collect();
    let app = FakeDiscord::APP_ID.to_string();
    let body = &req.body;
    match (req.method.as_str(), segs.as_slice()) {
        ("GET", ["gateway"]) => json_ok(json!({"url": format!("ws://127.0.0.1:{}", state.gw_port)})),
        ("GET", ["gateway", "bot"]) => json_ok(json!({
            "url": format!("ws://127.0.0.1:{}", state.gw_port), "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        })),
        ("GET", ["oauth2", "applications", "@me"]) | ("GET", ["applications", "@me"]) => json_ok(json!({
            "id": app, "name": FakeDiscord::BOT_NAME, "icon": null, "description": "",
            "bot_public": false, "bot_require_code_grant": false, "verify_key": "00",
            "owner": FakeDiscord::user(FakeDiscord::USER_ID, false), "team": null, "flags": 0,
            "bot": FakeDiscord::user(FakeDiscord::BOT_USER_ID, true)
        })),
        ("GET", ["users", "@me"]) => json_ok(FakeDiscord::user(FakeDiscord::BOT_USER_ID, true)),
        // Every other channel is a text channel of GUILD_ID; THREAD_ID is a thread under CHANNEL_ID.
        ("GET", ["channels", id]) => {
            let guild = FakeDiscord::GUILD_ID.to_string();
            if *id == FakeDiscord::THREAD_ID.to_string() {
                json_ok(json!({"id": id, "type": 11, "guild_id": guild, "name": "a thread",
                    "parent_id": FakeDiscord::CHANNEL_ID.to_string(),
                    "thread_metadata": {"archived": false, "auto_archive_duration": 1440, "archive_timestamp": iso_now(), "locked": false}}))
            } else {
                json_ok(json!({"id": id, "type": 0, "guild_id": guild, "name": "general"}))
            }
        }
        ("PUT", ["applications", _, "commands"]) | ("PUT", ["applications", _, "guilds", _, "commands"]) => {
            let guild = if segs.len() == 5 { Some(segs[3]) } else { None };
            let list: Vec<Value> = body
                .as_array()
                .map(|cmds| cmds.iter().map(|c| echo_command(state, c, guild)).collect())
                .unwrap_or_default();
            let key = guild.unwrap_or("global").to_string();
            state.commands.lock().unwrap().insert(key, json!(list.clone()));
            json_ok(json!(list))
        }
        ("GET", ["applications", _, "commands"]) | ("GET", ["applications", _, "guilds", _, "commands"]) => {
            let key = if segs.len() == 5 { segs[3] } else { "global" };
            json_ok(state.commands.lock().unwrap().get(key).cloned().unwrap_or(json!([])))
        }
        ("POST", ["applications", _, "commands"]) => json_ok(echo_command(state, body, None)),
        ("POST", ["applications", _, "guilds", g, "commands"]) => json_ok(echo_command(state, body, Some(g))),
        ("POST", ["interactions", _, token, "callback"]) => {
            // 4 = message, 7 = update message: keep it as the @original response.
            let kind = body["type"].as_u64().unwrap_or(0);
            if kind == 4 || kind == 7 {
                let channel = state.token_channels.lock().unwrap().get(*token).cloned();
                let channel = channel.unwrap_or_else(|| FakeDiscord::CHANNEL_ID.to_string());
                let msg = bot_message(state, state.new_id().to_string(), channel, &body["data"]);
                state.originals.lock().unwrap().insert(token.to_string(), msg);
            }
            no_content()
        }
        ("POST", ["channels", channel, "messages"]) => {
            json_ok(bot_message(state, state.new_id().to_string(), channel.to_string(), body))
        }
        ("PATCH", ["channels", channel, "messages", id]) => {
            let mut msg = bot_message(state, id.to_string(), channel.to_string(), body);
            msg["edited_timestamp"] = json!(iso_now());
            json_ok(msg)
        }
        ("DELETE", ["channels", _, "messages", _]) | ("POST", ["channels", _, "typing"]) => no_content(),
        ("PUT", ["channels", _, "messages", _, "reactions", ..])
        | ("DELETE", ["channels", _, "messages", _, "reactions", ..]) => no_content(),
        ("POST", ["users", "@me", "channels"]) => {
            let recipient = body["recipient_id"].as_str().and_then(|s| s.parse().ok()).unwrap_or(FakeDiscord::USER_ID);
            json_ok(json!({
                "id": (FakeDiscord::CHANNEL_ID + 1_000_000 + recipient % 1_000_000).to_string(),
                "type": 1, "last_message_id": null,
                "recipients": [FakeDiscord::user(recipient, false)]
            }))
        }
        ("POST", ["webhooks", _, token]) => {
            let channel = state.token_channels.lock().unwrap().get(*token).cloned();
            let channel = channel.unwrap_or_else(|| FakeDiscord::CHANNEL_ID.to_string());
            let mut msg = bot_message(state, state.new_id().to_string(), channel, body);
            msg["webhook_id"] = json!(app);
            json_ok(msg)
        }
        ("PATCH", ["webhooks", _, token, "messages", id]) => {
            let channel = state.token_channels.lock().unwrap().get(*token).cloned();
            let channel = channel.unwrap_or_else(|| FakeDiscord::CHANNEL_ID.to_string());
            let mut originals = state.originals.lock().unwrap();
            let msg_id = match (*id, originals.get(*token)) {
                ("@original", Some(orig)) => id_string(&orig["id"]),
                ("@original", None) => state.new_id().to_string(),
                (other, _) => other.to_string(),
            };
            let mut msg = bot_message(state, msg_id, channel, body);
            msg["edited_timestamp"] = json!(iso_now());
            if *id == "@original" {
                // An edit changes only the fields it sends.
                if let Some(orig) = originals.get(*token) {
                    for key in ["content", "embeds", "components", "flags"] {
                        if body.get(key).is_none() {
                            msg[key] = orig[key].clone();
                        }
                    }
                }
                originals.insert(token.to_string(), msg.clone());
            }
            json_ok(msg)
        }
        ("GET", ["webhooks", _, token, "messages", "@original"]) => match state.originals.lock().unwrap().get(*token) {
            Some(msg) => json_ok(msg.clone()),
            None => respond(404, &[], &json!({"message": "Unknown Message", "code": 10008})),
        },
        ("DELETE", ["webhooks", _, _, "messages", _]) => no_content(),
        _ => not_found(),
    }
}

// -------------------------------------------------------------------- TLS CONNECT proxy

struct ProxyInner {
    port: u16,
    ca_pem: String,
    tasks: Arc<Mutex<Vec<AbortHandle>>>,
    connects: Arc<Mutex<Vec<String>>>,
    _fake: FakeDiscord,
}

impl Drop for ProxyInner {
    fn drop(&mut self) {
        for task in self.tasks.lock().unwrap().drain(..) {
            task.abort();
        }
    }
}

/// An HTTPS CONNECT proxy on 127.0.0.1 that terminates TLS for any host with a certificate
/// from a fresh test CA and serves the fake's REST API behind it. Point a reqwest client at it
/// (`reqwest_client`) and serenity talks to "https://discord.com" with its real ratelimiter.
#[derive(Clone)]
pub struct TlsProxy {
    inner: Arc<ProxyInner>,
}

impl TlsProxy {
    pub async fn start(fake: &FakeDiscord) -> TlsProxy {
        use tokio_rustls::rustls;

        let ca_key = rcgen::KeyPair::generate().expect("CA key");
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("CA params");
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params.distinguished_name.push(rcgen::DnType::CommonName, "fake discord test CA");
        ca_params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
            rcgen::KeyUsagePurpose::DigitalSignature,
        ];
        let ca_cert = ca_params.self_signed(&ca_key).expect("CA cert");

        let names = ["discord.com", "discordapp.com", "cdn.discordapp.com", "gateway.discord.gg", "localhost"];
        let leaf_key = rcgen::KeyPair::generate().expect("leaf key");
        let mut leaf_params = rcgen::CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .expect("leaf params");
        leaf_params.distinguished_name.push(rcgen::DnType::CommonName, "discord.com");
        let leaf = leaf_params.signed_by(&leaf_key, &ca_cert, &ca_key).expect("leaf cert");

        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into());
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(vec![leaf.der().clone()], key)
            .expect("TLS server config");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));

        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind TLS proxy");
        let port = listener.local_addr().unwrap().port();
        let tasks = Arc::new(Mutex::new(Vec::new()));
        let connects = Arc::new(Mutex::new(Vec::new()));
        let state = Arc::clone(&fake.state);
        let (t2, c2) = (Arc::clone(&tasks), Arc::clone(&connects));
        spawn_tracked(&tasks, async move {
            while let Ok((stream, _)) = listener.accept().await {
                let conn = proxy_connection(Arc::clone(&state), acceptor.clone(), stream, Arc::clone(&c2));
                spawn_tracked(&t2, conn);
            }
        });
        TlsProxy { inner: Arc::new(ProxyInner { port, ca_pem: ca_cert.pem(), tasks, connects, _fake: fake.clone() }) }
    }

    /// `http://127.0.0.1:PORT` (the proxy itself speaks plain HTTP CONNECT).
    pub fn proxy_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.inner.port)
    }

    /// The PEM of the test CA that signed the proxy's certificate.
    pub fn ca_pem(&self) -> String {
        self.inner.ca_pem.clone()
    }

    /// CONNECT targets seen so far, e.g. "discord.com:443".
    pub fn connects(&self) -> Vec<String> {
        self.inner.connects.lock().unwrap().clone()
    }

    /// A reqwest client that sends everything through this proxy and trusts only the test CA.
    pub fn reqwest_client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .use_rustls_tls()
            .proxy(reqwest::Proxy::all(self.proxy_url()).expect("proxy url"))
            .add_root_certificate(reqwest::Certificate::from_pem(self.ca_pem().as_bytes()).expect("CA pem"))
            .tls_built_in_root_certs(false)
            .timeout(Duration::from_secs(30))
            .build()
            .expect("reqwest client")
    }

    /// A serenity `Http` for "https://discord.com" through this proxy, serenity's real
    /// ratelimiter enabled. Use with `ClientBuilder::new_with_http`.
    pub fn http(&self) -> serenity::http::Http {
        serenity::http::HttpBuilder::new(FakeDiscord::TOKEN).client(self.reqwest_client()).build()
    }
}

async fn proxy_connection(
    state: Arc<State>,
    acceptor: tokio_rustls::TlsAcceptor,
    stream: TcpStream,
    connects: Arc<Mutex<Vec<String>>>,
) {
    let mut reader = BufReader::new(stream);
    let head = async {
        let mut first = String::new();
        reader.read_line(&mut first).await.ok()?;
        for _ in 0..100 {
            let mut line = String::new();
            if reader.read_line(&mut line).await.ok()? == 0 {
                return None;
            }
            if line == "\r\n" || line == "\n" {
                return Some(first);
            }
        }
        None
    };
    let Ok(Some(first)) = tokio::time::timeout(IO_TIMEOUT, head).await else { return };
    let mut parts = first.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("").to_string());
    if method != "CONNECT" {
        let _ = reader
            .get_mut()
            .write_all(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .await;
        return;
    }
    connects.lock().unwrap().push(target);
    if reader.get_mut().write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n").await.is_err() {
        return;
    }
    let Ok(Ok(tls)) = tokio::time::timeout(IO_TIMEOUT, acceptor.accept(reader)).await else { return };
    serve_http(state, tls).await;
}
