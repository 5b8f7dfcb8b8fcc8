//! End to end: the real serenity client and poise framework of `zincbot run`, against a fake
//! Discord (REST and gateway) on 127.0.0.1 started by each test.

mod common;
mod fake_discord;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fake_discord::{FakeDiscord as Fake, Request, TlsProxy};
use poise::serenity_prelude as serenity;
use serde_json::{json, Value};
use zincbot::advisor::Advisor;
use zincbot::config::Secret;
use zincbot::config::Shards;
use zincbot::discord::{self, Settings};
use zincbot::store::{Sqlite, Store};

const WAIT: Duration = Duration::from_secs(10);
static NEXT_ID: AtomicU64 = AtomicU64::new(2_000_000_000_000_000_000);

fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// A running bot and the fake it talks to; the bot stops when this is dropped.
struct Bot {
    fake: Fake,
    /// The bot's own copy of the content, removed with it.
    content: common::ContentCopy,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Bot {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A bot admin named in the config (the fake application's owner is `Fake::USER_ID`).
const ADMIN_ID: u64 = 4_343;

fn settings(cooldown_seconds: f64) -> Settings {
    Settings {
        guild_ids: vec![Fake::GUILD_ID],
        listen_channels: vec![Fake::CHANNEL_ID],
        reply_to_mentions: true,
        message_content: true,
        cooldown_seconds,
        alert_channel: None,
        admins: vec![ADMIN_ID],
        keep_days: 90,
        charts: true,
        shards: Shards::Auto,
    }
}

async fn start_with(fake: Fake, http: serenity::Http, settings: Settings) -> Bot {
    start_with_store(fake, http, settings, Arc::new(Sqlite::in_memory().unwrap())).await
}

async fn start_with_store(fake: Fake, http: serenity::Http, settings: Settings, store: Arc<dyn Store>) -> Bot {
    let content = common::content_copy("e2e");
    let advisor = Advisor::load(&content).expect("content loads");
    let mut client = discord::client(http, settings, advisor, store, None).await.expect("client builds");
    let task = tokio::spawn(async move {
        let _ = client.start().await;
    });
    assert!(fake.wait_ready(WAIT).await, "the bot identified");
    let registered = fake.wait_for_request(|r| r.method == "PUT" && r.route().ends_with("/commands"), WAIT).await;
    assert!(registered.is_some(), "the bot registered its commands");
    Bot { fake, content, task }
}

async fn start() -> Bot {
    start_cooldown(0.0).await
}

async fn start_cooldown(seconds: f64) -> Bot {
    let fake = Fake::start().await;
    let http = discord::http(&Secret::new(Fake::TOKEN), Some(&fake.base_url()));
    start_with(fake, http, settings(seconds)).await
}

impl Bot {
    /// Sends an interaction and returns the body of the bot's callback to it.
    async fn interact(&self, payload: Value) -> Value {
        let id = payload["id"].as_str().unwrap().to_string();
        self.fake.dispatch("INTERACTION_CREATE", payload).await;
        let prefix = format!("/interactions/{id}/");
        let callback = self.fake.wait_for_request(|r| r.method == "POST" && r.route().starts_with(&prefix), WAIT).await;
        callback.unwrap_or_else(|| panic!("no callback to interaction {id}")).body
    }

    /// Sends an interaction and returns the bot's whole callback request (headers, multipart body).
    async fn interact_request(&self, payload: Value) -> Request {
        let id = payload["id"].as_str().unwrap().to_string();
        self.fake.dispatch("INTERACTION_CREATE", payload).await;
        let prefix = format!("/interactions/{id}/");
        let callback = self.fake.wait_for_request(|r| r.method == "POST" && r.route().starts_with(&prefix), WAIT).await;
        callback.unwrap_or_else(|| panic!("no callback to interaction {id}"))
    }

    async fn command(&self, name: &str, options: Value) -> Value {
        self.interact(Fake::slash_command(next_id(), name, options, Fake::USER_ID, Fake::CHANNEL_ID)).await
    }

    async fn subcommand(&self, name: &str, sub: &str, options: Value) -> Value {
        self.interact(Fake::subcommand(next_id(), name, sub, options, Fake::USER_ID, Fake::CHANNEL_ID)).await
    }

    /// Posts a chat message; returns the bot's replies posted within `wait`.
    async fn say(
        &self,
        channel: u64,
        author: u64,
        bot: bool,
        content: &str,
        mention: bool,
        wait: Duration,
    ) -> Vec<Request> {
        let id = next_id();
        self.fake.dispatch("MESSAGE_CREATE", Fake::message(id, channel, author, bot, content, mention)).await;
        let route = format!("/channels/{channel}/messages");
        let is_reply = |r: &Request| {
            r.is("POST", &route) && r.body["message_reference"]["message_id"].as_str() == Some(id.to_string().as_str())
        };
        self.fake.wait_for_requests(is_reply, 1, wait).await
    }
}

/// All text of an interaction callback or message body: content, embed titles, descriptions,
/// field names and values, footers.
fn text_of(body: &Value) -> String {
    let data = if body.get("data").is_some() { &body["data"] } else { body };
    let mut out = data["content"].as_str().unwrap_or("").to_string();
    for embed in data["embeds"].as_array().into_iter().flatten() {
        for key in ["title", "description"] {
            out.push('\n');
            out.push_str(embed[key].as_str().unwrap_or(""));
        }
        for field in embed["fields"].as_array().into_iter().flatten() {
            out.push_str(&format!(
                "\n{}\n{}",
                field["name"].as_str().unwrap_or(""),
                field["value"].as_str().unwrap_or("")
            ));
        }
        out.push('\n');
        out.push_str(embed["footer"]["text"].as_str().unwrap_or(""));
    }
    out
}

fn ephemeral(body: &Value) -> bool {
    body["data"]["flags"].as_u64().is_some_and(|f| f & 64 != 0)
}

/// Asserts an embed payload is inside every Discord limit.
fn assert_within_limits(data: &Value) {
    assert!(data["content"].as_str().unwrap_or("").chars().count() <= 2000);
    let embeds = data["embeds"].as_array().cloned().unwrap_or_default();
    assert!(embeds.len() <= 10);
    let mut total = 0;
    for e in &embeds {
        let len = |v: &Value| v.as_str().unwrap_or("").chars().count();
        assert!(len(&e["title"]) <= 256 && len(&e["description"]) <= 4096 && len(&e["footer"]["text"]) <= 2048);
        let fields = e["fields"].as_array().cloned().unwrap_or_default();
        assert!(fields.len() <= 25);
        for f in &fields {
            assert!(len(&f["name"]) <= 256 && len(&f["value"]) <= 1024);
            total += len(&f["name"]) + len(&f["value"]);
        }
        total += len(&e["title"]) + len(&e["description"]) + len(&e["footer"]["text"]);
    }
    assert!(total <= 6000, "embeds total {total} characters");
}

/// Asserts nobody can be pinged by this payload.
fn assert_pings_nobody(data: &Value) {
    let mentions = &data["allowed_mentions"];
    assert!(mentions.is_object(), "allowed_mentions is set: {data}");
    assert_eq!(mentions["parse"], json!([]), "{mentions}");
    assert!(mentions["users"].as_array().is_none_or(Vec::is_empty), "{mentions}");
    assert!(mentions["roles"].as_array().is_none_or(Vec::is_empty), "{mentions}");
    assert_ne!(mentions["replied_user"], json!(true), "{mentions}");
}

#[tokio::test]
async fn registers_every_command_with_its_options() {
    let bot = start().await;
    let commands = bot.fake.registered_commands(Some(Fake::GUILD_ID)).expect("guild commands registered");
    let names: Vec<&str> = commands.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    for name in ["ask", "intake", "food", "supplement", "profile", "topics", "about", "help", "reload", "Estimate zinc"]
    {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    let command = |name: &str| commands.as_array().unwrap().iter().find(|c| c["name"] == name).unwrap().clone();
    let options = |c: &Value| {
        c["options"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    assert_eq!(options(&command("intake")), ["foods", "profile", "private"]);
    assert_eq!(options(&command("supplement")), ["form", "amount_mg"]);
    assert_eq!(options(&command("profile")), ["set", "show", "forget"]);
    assert_eq!(command("Estimate zinc")["type"], 3);
    assert_eq!(command("reload")["default_member_permissions"], "32", "shown to Manage Server");
    assert_eq!(command("reload")["contexts"], json!([0]), "servers only");
    assert!(command("ask")["description"].as_str().unwrap().contains("zinc"));
}

#[tokio::test]
async fn ask_answers_with_sources_evidence_and_the_disclaimer() {
    let bot = start().await;
    let body = bot.command("ask", json!([Fake::opt_str("question", "is zinc bad for lupus?")])).await;
    assert_eq!(body["type"], 4);
    let text = text_of(&body);
    assert!(text.contains("Zinc and lupus"), "{text}");
    assert!(text.contains("Evidence:"), "{text}");
    assert!(text.contains("](http"), "sources are links: {text}");
    assert!(text.contains("Not medical advice"), "{text}");
    assert!(!ephemeral(&body));
    assert_pings_nobody(&body["data"]);
    assert_within_limits(&body["data"]);

    // The same content as `zincbot ask`.
    let advisor = Advisor::load(&bot.content).unwrap();
    let answer = advisor.ask("is zinc bad for lupus?");
    assert!(text.contains(answer.text.trim()), "{text}");
}

#[tokio::test]
async fn urgent_questions_lead_with_emergency_help() {
    let bot = start().await;
    let body =
        bot.command("ask", json!([Fake::opt_str("question", "my toddler swallowed a bunch of my zinc tablets")])).await;
    let description = body["data"]["embeds"][0]["description"].as_str().unwrap();
    assert!(description.starts_with("**"), "{description}");
    assert!(description.contains("1-800-222-1222") && description.contains("999"), "{description}");
}

/// The moderators' channel in the tests that set one.
const ALERT_CHANNEL: u64 = 1_000_000_000_000_000_099;

#[tokio::test]
async fn a_crisis_in_a_listen_channel_is_answered_at_once_and_moderators_are_alerted() {
    let fake = Fake::start().await;
    let http = discord::http(&Secret::new(Fake::TOKEN), Some(&fake.base_url()));
    let bot = start_with(fake, http, Settings { alert_channel: Some(ALERT_CHANNEL), ..settings(30.0) }).await;
    // An ordinary question takes the member's turn ...
    assert_eq!(bot.say(Fake::CHANNEL_ID, 901, false, "is zinc bad for lupus?", false, WAIT).await.len(), 1);
    // ... and a crisis message right after, not about zinc at all, is still answered.
    let replies = bot.say(Fake::CHANNEL_ID, 901, false, "i dont want to be here anymore", false, WAIT).await;
    assert_eq!(replies.len(), 1);
    let text = text_of(&replies[0].body);
    assert!(text.contains("988") && text.contains("116 123"), "{text}");
    assert_pings_nobody(&replies[0].body);

    let route = format!("/channels/{ALERT_CHANNEL}/messages");
    let alert = bot.fake.wait_for_request(|r| r.is("POST", &route), WAIT).await.expect("a notice to moderators");
    let notice = alert.body["content"].as_str().unwrap();
    let link = format!("/channels/{}/{}/", Fake::GUILD_ID, Fake::CHANNEL_ID);
    assert!(notice.contains("crisis") && notice.contains(&link), "{notice}");
    assert!(!notice.contains("want to be here"), "the notice never repeats the message: {notice}");
    assert_pings_nobody(&alert.body);
}

#[tokio::test]
async fn commands_put_urgent_guidance_first_even_during_the_cooldown() {
    let bot = start_cooldown(30.0).await;
    assert!(text_of(&bot.command("ask", json!([Fake::opt_str("question", "zinc and cipro?")])).await).contains("cipro"));
    // The turn is taken, yet an overdose typed into /intake is answered, urgent guidance first.
    let list = "took 30 zinc tablets an hour ago, 2 eggs";
    let first = bot.command("intake", json!([Fake::opt_str("foods", list)])).await;
    assert!(text_of(&first).contains("1-800-222-1222"), "{first}");
    // A possible overdose asked about: the urgent block, then the answer about zinc.
    let question = "took 10 of my 50mg zinc tablets at once by mistake, now vomiting, is that zinc toxicity";
    let body = bot.command("ask", json!([Fake::opt_str("question", question)])).await;
    let embeds = body["data"]["embeds"].as_array().unwrap();
    assert_eq!(embeds.len(), 2, "{body}");
    assert!(embeds[0]["description"].as_str().unwrap().contains("1-800-222-1222"), "{body}");
    assert!(embeds[1]["fields"].as_array().is_some_and(|f| !f.is_empty()), "the answer carries its sources");
    // Another language: the reply is in it.
    let spanish =
        bot.command("ask", json!([Fake::opt_str("question", "mi hijo se tomo todas mis pastillas de zinc")])).await;
    let text = text_of(&spanish);
    assert!(text.contains("112") && text.contains("envase"), "{text}");
}

#[tokio::test]
async fn intake_estimates_privately_by_default_with_the_table_in_a_code_block() {
    let bot = start().await;
    let body = bot.command("intake", json!([Fake::opt_str("foods", "2 eggs, 100g beef, zinc gluconate 50mg")])).await;
    assert!(ephemeral(&body), "personal data is private by default");
    let description = body["data"]["embeds"][0]["description"].as_str().unwrap();
    assert!(description.starts_with("```"), "{description}");
    assert!(description.contains("01123"), "{description}");
    let text = text_of(&body);
    assert!(text.contains("RDA") && text.contains("Upper limit") && text.contains("⚠️"), "{text}");
    assert_within_limits(&body["data"]);

    let public =
        bot.command("intake", json!([Fake::opt_str("foods", "2 eggs"), Fake::opt_bool("private", false)])).await;
    assert!(!ephemeral(&public));
}

#[tokio::test]
async fn the_profile_sets_the_rda_and_forget_deletes_it() {
    let bot = start().await;
    let adult = text_of(&bot.command("intake", json!([Fake::opt_str("foods", "2 eggs")])).await);
    assert!(adult.contains("11 mg (men)") && adult.contains("8 mg (women)"), "{adult}");

    let set = bot.subcommand("profile", "set", json!([Fake::opt_str("life_stage", "child-4-8")])).await;
    assert!(ephemeral(&set) && text_of(&set).contains("child (4-8)"), "{set}");
    let child = text_of(&bot.command("intake", json!([Fake::opt_str("foods", "2 eggs")])).await);
    assert!(child.contains("5 mg (children 4-8)") && child.contains("12 mg a day"), "{child}");
    let show = bot.subcommand("profile", "show", json!([])).await;
    assert!(ephemeral(&show) && text_of(&show).contains("child-4-8"));

    let forget = bot.subcommand("profile", "forget", json!([])).await;
    assert!(ephemeral(&forget) && text_of(&forget).contains("Deleted"), "{forget}");
    let again = text_of(&bot.command("intake", json!([Fake::opt_str("foods", "2 eggs")])).await);
    assert!(again.contains("11 mg (men)"), "{again}");
}

#[tokio::test]
async fn a_saved_life_stage_stays_private_and_one_that_is_gone_is_reported() {
    let bot = start().await;
    let set = bot.subcommand("profile", "set", json!([Fake::opt_str("life_stage", "pregnant")])).await;
    assert!(text_of(&set).contains("pregnant (19+)"), "{set}");
    let private = bot.command("intake", json!([Fake::opt_str("foods", "2 eggs")])).await;
    assert!(ephemeral(&private) && text_of(&private).contains("pregnant (19+)"), "{private}");

    let options = json!([Fake::opt_str("foods", "2 eggs"), Fake::opt_bool("private", false)]);
    let public = bot.command("intake", options).await;
    assert!(!ephemeral(&public), "{public}");
    assert!(!text_of(&public).contains("pregnan") && text_of(&public).contains("11 mg (men)"), "{public}");
    let heard = bot.say(Fake::CHANNEL_ID, Fake::USER_ID, false, "2 eggs, 100g beef", false, WAIT).await;
    assert_eq!(heard.len(), 1);
    assert!(!text_of(&heard[0].body).contains("pregnan"), "{}", heard[0].body);

    // The content no longer has the saved stage: the member is told, not silently given another.
    let reference = bot.content.join("reference.toml");
    let text = std::fs::read_to_string(&reference).unwrap();
    let renamed = text
        .replace("id = \"pregnant\"", "id = \"pregnant-19-50\"")
        .replace("\"pregnant-adult\"", "\"pregnant-adults\"");
    std::fs::write(&reference, renamed).unwrap();
    let reload =
        Fake::slash_command_with_permissions(next_id(), "reload", json!([]), Fake::USER_ID, Fake::CHANNEL_ID, "32");
    assert!(text_of(&bot.interact(reload).await).contains("Reloaded"));
    let lost = text_of(&bot.command("intake", json!([Fake::opt_str("foods", "2 eggs")])).await);
    assert!(lost.contains("\"pregnant\" is no longer available") && lost.contains("11 mg (men)"), "{lost}");
}

#[tokio::test]
async fn a_locked_store_defers_the_reply_and_holds_up_nobody_else() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("profiles.sqlite3");
    let fake = Fake::start().await;
    let http = discord::http(&Secret::new(Fake::TOKEN), Some(&fake.base_url()));
    let bot = start_with_store(fake, http, settings(0.0), Arc::new(Sqlite::open(&path).unwrap())).await;

    // Another process holds the store's write lock.
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let id = next_id();
    let set = Fake::subcommand(
        id,
        "profile",
        "set",
        json!([Fake::opt_str("life_stage", "child-4-8")]),
        Fake::USER_ID,
        Fake::CHANNEL_ID,
    );
    bot.fake.dispatch("INTERACTION_CREATE", set).await;
    let prefix = format!("/interactions/{id}/");
    let deferred = bot.fake.wait_for_request(|r| r.method == "POST" && r.route().starts_with(&prefix), WAIT).await;
    let deferred = deferred.expect("the interaction is acknowledged in time").body;
    assert_eq!(deferred["type"], 5, "deferred: {deferred}");
    assert_eq!(deferred["data"]["flags"], 64, "privately: {deferred}");

    // Meanwhile, everyone else is answered: the lock is released only after this reply.
    let answer = bot.command("ask", json!([Fake::opt_str("question", "zinc and cipro?")])).await;
    assert!(text_of(&answer).contains("antibiotics"), "{answer}");
    other.execute_batch("COMMIT").unwrap();
    let done = bot.fake.wait_for_request(|r| r.method == "POST" && r.route().contains("/webhooks/"), WAIT).await;
    assert!(text_of(&done.expect("the deferred reply is completed").body).contains("child (4-8)"));
    drop(bot);
}

/// Every log line this test process writes from now on, at the bot's default level. The
/// subscriber is global, as in the bot: a thread-local one misses events whose interest another
/// test thread has already settled.
fn capture_logs() -> Arc<Mutex<Vec<u8>>> {
    #[derive(Clone)]
    struct Sink(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Sink {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    static LINES: std::sync::OnceLock<Arc<Mutex<Vec<u8>>>> = std::sync::OnceLock::new();
    LINES
        .get_or_init(|| {
            let lines = Arc::new(Mutex::new(Vec::new()));
            let sink = Sink(lines.clone());
            tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(discord::LOG_FILTER))
                .with_writer(move || sink.clone())
                .with_ansi(false)
                .init();
            lines
        })
        .clone()
}

#[tokio::test]
async fn what_members_write_never_reaches_the_log() {
    let lines = capture_logs();
    let bot = start().await;
    let secret = "quetzalflare";
    let channel = format!("/channels/{}/messages", Fake::CHANNEL_ID);
    let crisis = format!("my {secret} is back and i want to die tonight");
    assert_eq!(bot.say(Fake::CHANNEL_ID, 1_101, false, &crisis, false, WAIT).await.len(), 1);
    let question = format!("is zinc bad for lupus with a {secret}?");
    assert_eq!(bot.say(Fake::CHANNEL_ID, 1_102, false, &question, false, WAIT).await.len(), 1);
    // A reply that fails (the message was deleted meanwhile) is logged by what happened only.
    let gone = json!({"message": "Unknown Message", "code": 10008});
    bot.fake.respond_once("POST", &channel, 404, Vec::new(), gone);
    let food = format!("2 eggs, 100g beef, {secret} bread");
    bot.fake.dispatch("MESSAGE_CREATE", Fake::message(next_id(), Fake::CHANNEL_ID, 1_103, false, &food, false)).await;
    assert!(bot.fake.wait_for_request(|r| r.is("POST", &channel), WAIT).await.is_some());
    let asked = bot.command("ask", json!([Fake::opt_str("question", &format!("{secret} and zinc?"))])).await;
    assert!(!text_of(&asked).is_empty());
    let typed = json!([Fake::opt_focused("name", secret)]);
    bot.interact(Fake::autocomplete(next_id(), "food", typed, Fake::USER_ID)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    let log = String::from_utf8_lossy(&lines.lock().unwrap()).to_string();
    assert!(log.contains("urgent guidance given"), "the log is captured: {log}");
    assert!(!log.contains(secret), "{log}");
}

/// A fake Discord that answers the first registration of the guild's commands with `status`,
/// and a client of it.
async fn failing_registration(status: u16, body: Value) -> (Fake, serenity::Http) {
    let fake = Fake::start().await;
    let route = format!("/applications/{}/guilds/{}/commands", Fake::APP_ID, Fake::GUILD_ID);
    fake.respond_once("PUT", &route, status, Vec::new(), body);
    let http = discord::http(&Secret::new(Fake::TOKEN), Some(&fake.base_url()));
    (fake, http)
}

#[tokio::test]
async fn registration_retries_a_passing_failure() {
    let (fake, http) = failing_registration(503, json!({"message": "upstream unavailable", "code": 0})).await;
    let bot = start_with(fake, http, settings(0.0)).await;
    let tries = bot.fake.wait_for_requests(|r| r.method == "PUT" && r.route().ends_with("/commands"), 2, WAIT).await;
    assert_eq!(tries.len(), 2, "retried once");
    let answer = bot.command("ask", json!([Fake::opt_str("question", "zinc and cipro?")])).await;
    assert!(text_of(&answer).contains("antibiotics"), "{answer}");
}

#[tokio::test]
async fn a_bot_that_cannot_register_its_commands_does_not_start() {
    let (fake, http) = failing_registration(404, json!({"message": "Unknown Guild", "code": 10004})).await;
    let content = common::content_copy("e2e-unregistered");
    let advisor = Advisor::load(&content).expect("content loads");
    let started = discord::client(http, settings(0.0), advisor, Arc::new(Sqlite::in_memory().unwrap()), None).await;
    let error = started.err().expect("no client").to_string();
    assert!(error.contains(&format!("guild {}", Fake::GUILD_ID)) && error.contains("Unknown Guild"), "{error}");
    assert_eq!(fake.identify_count(), 0, "never went online");
}

#[tokio::test]
async fn through_a_proxy_a_429_is_waited_out_and_a_5xx_retried() {
    let bot = start().await;
    let channel = format!("/channels/{}/messages", Fake::CHANNEL_ID);
    let limited = json!({"message": "You are being rate limited.", "retry_after": 0.3, "global": false});
    bot.fake.respond_once("POST", &channel, 429, vec![("retry-after".into(), "0.3".into())], limited);
    bot.fake.respond_once("POST", &channel, 502, Vec::new(), json!({"message": "Bad Gateway", "code": 0}));
    bot.fake
        .dispatch(
            "MESSAGE_CREATE",
            Fake::message(next_id(), Fake::CHANNEL_ID, 1_201, false, "2 eggs, 100g beef", false),
        )
        .await;
    let attempts = bot.fake.wait_for_requests(|r| r.is("POST", &channel), 3, WAIT).await;
    assert_eq!(attempts.len(), 3, "sent after a 429 and a 502");
    let waited = attempts[1].at.duration_since(attempts[0].at);
    assert!(waited >= Duration::from_millis(300), "no sooner than the 429's retry-after: {waited:?}");
    assert!(text_of(&attempts[2].body).contains("01123"), "the reply itself, unchanged");
}

#[tokio::test]
async fn food_autocompletes_and_shows_zinc_per_portion() {
    let bot = start().await;
    let options = json!([Fake::opt_focused("name", "lent")]);
    let body = bot.interact(Fake::autocomplete(next_id(), "food", options, Fake::USER_ID)).await;
    assert_eq!(body["type"], 8);
    let choices = body["data"]["choices"].as_array().unwrap();
    assert!(!choices.is_empty() && choices.len() <= 25);
    assert!(choices.iter().any(|c| c["value"] == "16070"), "{choices:?}");

    let wide = bot
        .interact(Fake::autocomplete(next_id(), "food", json!([Fake::opt_focused("name", "a")]), Fake::USER_ID))
        .await;
    assert_eq!(wide["data"]["choices"].as_array().unwrap().len(), 25, "never more than 25 choices");

    let text = text_of(&bot.command("food", json!([Fake::opt_str("name", "16070")])).await);
    assert!(text.contains("Lentils") && text.contains("16070") && text.contains("1 cup (198 g)"), "{text}");
    let typed = text_of(&bot.command("food", json!([Fake::opt_str("name", "pumpkin seeds")])).await);
    assert!(typed.contains("Zinc per portion"), "{typed}");
}

#[tokio::test]
async fn supplement_reads_elemental_zinc_against_the_upper_limit() {
    let bot = start().await;
    let options = json!([Fake::opt_str("form", "zinc sulfate"), Fake::opt_num("amount_mg", 220.0)]);
    let body = bot.command("supplement", options).await;
    let text = text_of(&body);
    assert!(text.contains("50.03 mg zinc"), "{text}");
    assert!(text.contains("40 mg a day"), "{text}");
    let forms = bot
        .interact(Fake::autocomplete(next_id(), "supplement", json!([Fake::opt_focused("form", "glu")]), Fake::USER_ID))
        .await;
    assert!(forms["data"]["choices"].as_array().unwrap().iter().any(|c| c["value"] == "zinc gluconate"));

    // The number is used as given, never re-read from text.
    let third = json!([Fake::opt_str("form", "zinc gluconate"), Fake::opt_num("amount_mg", 33.3333333333)]);
    let text = text_of(&bot.command("supplement", third).await);
    assert!(text.contains("33.33 mg zinc"), "{text}");
    let negative = bot
        .command("supplement", json!([Fake::opt_str("form", "zinc gluconate"), Fake::opt_num("amount_mg", -5.0)]))
        .await;
    assert!(ephemeral(&negative) && text_of(&negative).contains("above 0"), "{negative}");
}

#[tokio::test]
async fn topics_about_and_help_describe_the_bot() {
    let bot = start().await;
    let topics = text_of(&bot.command("topics", json!([])).await);
    assert!(topics.contains("49 topics") && topics.contains("lupus-sle"), "{topics}");
    let about = text_of(&bot.command("about", json!([])).await);
    assert!(about.contains("USDA SR28") && about.contains("Not medical advice"), "{about}");
    let help = text_of(&bot.command("help", json!([])).await);
    for command in ["/ask", "/intake", "/food", "/supplement", "/profile set", "/reload", "Estimate zinc"] {
        assert!(help.contains(command), "{command} missing from help: {help}");
    }
}

#[tokio::test]
async fn the_message_command_estimates_any_message() {
    let bot = start().await;
    let target =
        Fake::message(next_id(), Fake::CHANNEL_ID, 77, false, "for lunch I had 2 eggs and 1/2 cup lentils", false);
    let body =
        bot.interact(Fake::message_command(next_id(), "Estimate zinc", target, Fake::USER_ID, Fake::CHANNEL_ID)).await;
    assert!(ephemeral(&body));
    let text = text_of(&body);
    assert!(text.contains("01123") && text.contains("16070"), "{text}");
}

#[tokio::test]
async fn listen_channels_answer_food_lists_and_questions_and_ignore_chit_chat() {
    let bot = start().await;
    let short = Duration::from_millis(800);
    let food = bot.say(Fake::CHANNEL_ID, 501, false, "2 eggs, 100g beef, ½ cup lentils", false, WAIT).await;
    assert_eq!(food.len(), 1);
    assert!(text_of(&food[0].body).contains("01123"));
    assert_eq!(food[0].body["message_reference"]["fail_if_not_exists"], false, "posted even if the message is deleted");
    let log_it =
        food[0].body["components"][0]["components"].as_array().and_then(|b| b.iter().find(|b| b["label"] == "Log it"));
    assert!(log_it.is_some(), "an overheard estimate can be logged: {}", food[0].body);
    assert_pings_nobody(&food[0].body);
    assert_within_limits(&food[0].body);

    let question = bot.say(Fake::CHANNEL_ID, 502, false, "is zinc bad for lupus?", false, WAIT).await;
    assert!(text_of(&question[0].body).contains("Zinc and lupus"));
    let in_thread = bot.say(Fake::THREAD_ID, 503, false, "is zinc bad for lupus?", false, WAIT).await;
    assert_eq!(in_thread.len(), 1, "a thread under a listen channel is heard too");
    assert!(
        bot.say(556, 504, false, "is zinc bad for lupus?", false, short).await.is_empty(),
        "other channels are not"
    );

    for chat in ["lol same", "good morning everyone", "anyone watching the game tonight?"] {
        assert!(bot.say(Fake::CHANNEL_ID, 503, false, chat, false, short).await.is_empty(), "{chat}");
    }
    assert!(
        bot.say(Fake::CHANNEL_ID, 504, true, "2 eggs, 100g beef", false, short).await.is_empty(),
        "bots are ignored"
    );
    let own = Fake::BOT_USER_ID;
    assert!(
        bot.say(Fake::CHANNEL_ID, own, true, "is zinc bad for lupus?", false, short).await.is_empty(),
        "itself too"
    );
    assert!(
        bot.say(555, 505, false, "2 eggs, 100g beef", false, short).await.is_empty(),
        "other channels: only mentions"
    );
}

#[tokio::test]
async fn a_mention_elsewhere_gets_an_answer() {
    let bot = start().await;
    let content = format!("<@{}> zinc and cipro?", Fake::BOT_USER_ID);
    let replies = bot.say(555, 601, false, &content, true, WAIT).await;
    assert_eq!(replies.len(), 1);
    assert!(text_of(&replies[0].body).contains("antibiotics"), "{}", text_of(&replies[0].body));
}

#[tokio::test]
async fn everyone_in_the_input_pings_nobody() {
    let bot = start().await;
    let replies = bot.say(Fake::CHANNEL_ID, 701, false, "@everyone @here <@&123> 2 eggs, 100g beef", false, WAIT).await;
    assert_eq!(replies.len(), 1);
    assert_pings_nobody(&replies[0].body);
    assert!(!replies[0].body["content"].as_str().unwrap_or("").contains("@everyone"));
    let body = bot.command("ask", json!([Fake::opt_str("question", "@everyone is zinc bad for lupus?")])).await;
    assert_pings_nobody(&body["data"]);
}

#[tokio::test]
async fn long_replies_are_trimmed_within_discords_limits() {
    let bot = start().await;
    let long_list = (0..60).map(|i| format!("{} g lentils", i + 1)).collect::<Vec<_>>().join(", ");
    let body = bot.command("intake", json!([Fake::opt_str("foods", &long_list)])).await;
    assert_within_limits(&body["data"]);
    assert!(text_of(&body).contains("more items"), "rows that do not fit are counted");

    // A 3,000-character /about text (content a moderator might write) still fits.
    let safety = bot.content.join("safety.toml");
    let text = std::fs::read_to_string(&safety).unwrap();
    let long_about = format!("about = \"\"\"\n{}\n\"\"\"", "Zinc facts and more. ".repeat(150));
    let start = text.find("about = \"\"\"").unwrap();
    let end = start + 11 + text[start + 11..].find("\"\"\"").unwrap() + 3;
    std::fs::write(&safety, format!("{}{}{}", &text[..start], long_about, &text[end..])).unwrap();
    let reload = bot
        .interact(Fake::slash_command_with_permissions(
            next_id(),
            "reload",
            json!([]),
            Fake::USER_ID,
            Fake::CHANNEL_ID,
            "32",
        ))
        .await;
    assert!(text_of(&reload).contains("Reloaded"), "{reload}");
    let about = bot.command("about", json!([])).await;
    assert_within_limits(&about["data"]);
    let description = about["data"]["embeds"][0]["description"].as_str().unwrap();
    assert!(description.chars().count() >= 2900, "the long text is shown, within the limit");
}

#[tokio::test]
async fn reload_is_for_bot_admins_and_keeps_the_old_library_on_errors() {
    let bot = start().await;
    let as_user =
        |user: u64| Fake::slash_command_with_permissions(next_id(), "reload", json!([]), user, Fake::CHANNEL_ID, "32");
    // Managing one server is not enough: a reload changes every server's answers.
    let denied = bot.interact(as_user(4_242)).await;
    assert!(ephemeral(&denied) && text_of(&denied).contains("bot's admins"), "{denied}");
    let by_config = bot.interact(as_user(ADMIN_ID)).await;
    assert!(text_of(&by_config).contains("Reloaded"), "{by_config}");

    let topic = bot.content.join("topics/lupus-sle.md");
    let good = std::fs::read_to_string(&topic).unwrap();
    std::fs::write(&topic, good.replacen("related = [\"", "related = [\"no-such-topic\", \"", 1)).unwrap();
    let manage = |name: &str| {
        Fake::slash_command_with_permissions(next_id(), name, json!([]), Fake::USER_ID, Fake::CHANNEL_ID, "32")
    };
    let refused = bot.interact(manage("reload")).await;
    let text = text_of(&refused);
    assert!(
        text.contains("nothing was reloaded")
            && text.contains("`topics/lupus-sle.md:")
            && text.contains("no-such-topic"),
        "{text}"
    );
    assert!(!text.contains(&bot.content.display().to_string()), "no host paths: {text}");
    assert!(ephemeral(&refused));
    let still = text_of(&bot.command("ask", json!([Fake::opt_str("question", "is zinc bad for lupus?")])).await);
    assert!(still.contains("Zinc and lupus"), "the old library still answers: {still}");

    std::fs::write(
        &topic,
        good.replacen("title = \"Zinc and lupus (SLE)\"", "title = \"Zinc and lupus, reviewed\"", 1),
    )
    .unwrap();
    let reloaded = bot.interact(manage("reload")).await;
    assert!(text_of(&reloaded).contains("Reloaded"), "{reloaded}");
    let new = text_of(&bot.command("ask", json!([Fake::opt_str("question", "is zinc bad for lupus?")])).await);
    assert!(new.contains("Zinc and lupus, reviewed"), "{new}");
}

#[tokio::test]
async fn the_cooldown_stops_floods() {
    let bot = start_cooldown(30.0).await;
    for _ in 0..3 {
        let answer = bot.command("ask", json!([Fake::opt_str("question", "zinc and cipro?")])).await;
        assert!(text_of(&answer).contains("antibiotics"), "a few requests at once are fine: {answer}");
    }
    let fourth = bot.command("ask", json!([Fake::opt_str("question", "zinc and cipro?")])).await;
    assert!(ephemeral(&fourth) && text_of(&fourth).contains("try again in"), "{fourth}");

    let short = Duration::from_millis(800);
    for eggs in 1..=3 {
        let replies = bot.say(Fake::CHANNEL_ID, 801, false, &format!("{eggs} eggs, 100g beef"), false, WAIT).await;
        assert_eq!(replies.len(), 1);
    }
    assert!(bot.say(Fake::CHANNEL_ID, 801, false, "4 eggs, 100g beef", false, short).await.is_empty());
    assert_eq!(
        bot.say(Fake::CHANNEL_ID, 802, false, "3 eggs, 100g beef", false, WAIT).await.len(),
        1,
        "others are not held up"
    );
}

#[tokio::test]
async fn with_the_default_cooldown_each_request_counts_once() {
    let bot = start_cooldown(3.0).await;
    // A subcommand is one request, though poise checks its parent too.
    let set = bot.subcommand("profile", "set", json!([Fake::opt_str("life_stage", "child-4-8")])).await;
    assert!(text_of(&set).contains("child (4-8)"), "{set}");
    let show = bot.subcommand("profile", "show", json!([])).await;
    assert!(text_of(&show).contains("child-4-8"), "{show}");
    let forget = bot.subcommand("profile", "forget", json!([])).await;
    assert!(text_of(&forget).contains("Deleted"), "{forget}");

    // Typing into an option is no request: every keystroke gets choices, and the command after.
    let user = 7_001;
    for typed in ["l", "le", "len", "lent", "lenti", "lentil"] {
        let options = json!([Fake::opt_focused("name", typed)]);
        let body = bot.interact(Fake::autocomplete(next_id(), "food", options, user)).await;
        assert_eq!(body["type"], 8, "{typed}: {body}");
        assert!(!body["data"]["choices"].as_array().unwrap().is_empty(), "{typed}: {body}");
    }
    let food = Fake::slash_command(next_id(), "food", json!([Fake::opt_str("name", "16070")]), user, Fake::CHANNEL_ID);
    let text = text_of(&bot.interact(food).await);
    assert!(text.contains("Lentils"), "{text}");
}

#[tokio::test]
async fn reconnects_and_resumes_on_op_7() {
    let bot = start().await;
    let session = bot.fake.session_id();
    bot.fake.send_op(7, Value::Null).await;
    assert!(bot.fake.wait_resume_count(1, WAIT).await, "the bot resumed");
    assert_eq!(bot.fake.identify_count(), 1, "no new identify");
    assert_eq!(bot.fake.session_id(), session);
    let replies = bot.say(Fake::CHANNEL_ID, 901, false, "2 eggs, 100g beef", false, WAIT).await;
    assert_eq!(replies.len(), 1, "events flow again after the resume");
}

#[tokio::test]
async fn a_429_is_honoured_by_the_ratelimiter() {
    let fake = Fake::start().await;
    let proxy = TlsProxy::start(&fake).await;
    let bot = start_with(fake.clone(), proxy.http(), settings(0.0)).await;
    let route = format!("/channels/{}/messages", Fake::CHANNEL_ID);
    let retry = vec![("retry-after".to_string(), "0.3".to_string())];
    let body = json!({"message": "You are being rate limited.", "retry_after": 0.3, "global": false});
    bot.fake.respond_once("POST", &route, 429, retry, body);
    bot.fake
        .dispatch("MESSAGE_CREATE", Fake::message(next_id(), Fake::CHANNEL_ID, 1001, false, "2 eggs, 100g beef", false))
        .await;
    let attempts = bot.fake.wait_for_requests(|r| r.is("POST", &route), 2, WAIT).await;
    assert_eq!(attempts.len(), 2, "the message was retried once");
    let gap = attempts[1].at.duration_since(attempts[0].at);
    assert!(gap >= Duration::from_millis(300), "retried after {gap:?}");
    assert!(proxy.connects().iter().all(|c| c.starts_with("discord.com:443")), "{:?}", proxy.connects());
}

/// `zincbot run` on a default config pointed at `fake` with `api_proxy_url`, its store in `dir`.
fn spawn_binary(fake: &Fake, dir: &Path) -> tokio::process::Child {
    spawn_binary_with(fake, dir, Launch::default())
}

/// What a test changes in the default config of [`spawn_binary`].
#[derive(Default)]
struct Launch<'a> {
    /// Lines added to `[discord]`.
    discord: &'a str,
    /// Lines added at the end.
    more: &'a str,
    /// Environment variables set.
    env: &'a [(&'a str, &'a str)],
    /// The content folder, instead of the repository's.
    content: Option<&'a Path>,
}

fn spawn_binary_with(fake: &Fake, dir: &Path, launch: Launch) -> tokio::process::Child {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let content = launch.content.unwrap_or(&repository);
    let config = format!(
        "[discord]\nguild_ids = [{}]\nlisten_channels = [{}]\napi_proxy_url = \"{}\"\n{}\n\n[content]\ndir = {:?}\n\n[store]\npath = {:?}\n{}\n",
        Fake::GUILD_ID,
        Fake::CHANNEL_ID,
        fake.base_url(),
        launch.discord,
        content.display().to_string(),
        dir.join("profiles.sqlite3").display().to_string(),
        launch.more,
    );
    std::fs::write(dir.join("config.toml"), config).unwrap();
    tokio::process::Command::new(env!("CARGO_BIN_EXE_zincbot"))
        .args(["run", "--config"])
        .arg(dir.join("config.toml"))
        .env("DISCORD_TOKEN", Fake::TOKEN)
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("RUST_LOG", "info")
        .envs(launch.env.iter().copied())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap()
}

/// `zincbot run --config FILE` with `api_proxy_url` answers like `zincbot ask` and
/// `zincbot intake`, and shuts down cleanly on SIGTERM.
#[tokio::test]
async fn the_binary_runs_against_any_discord_compatible_server() {
    let fake = Fake::start().await;
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut child = spawn_binary(&fake, dir);
    assert!(fake.wait_ready(Duration::from_secs(20)).await, "the binary connected");
    assert!(fake.wait_for_request(|r| r.method == "PUT" && r.route().ends_with("/commands"), WAIT).await.is_some());

    let cli = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_zincbot")).args(args).output().unwrap();
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let id = next_id();
    let question = "zinc and cipro?";
    fake.dispatch(
        "INTERACTION_CREATE",
        Fake::slash_command(id, "ask", json!([Fake::opt_str("question", question)]), 11, 12),
    )
    .await;
    let answer = fake.wait_for_request(|r| r.route().starts_with(&format!("/interactions/{id}/")), WAIT).await.unwrap();
    let expected = cli(&["--content", content.to_str().unwrap(), "ask", "--json", question]);
    assert!(text_of(&answer.body).contains(expected["text"].as_str().unwrap().trim()));
    assert!(text_of(&answer.body).contains(expected["title"].as_str().unwrap()));

    let id = next_id();
    let foods = "2 eggs, 100g beef, zinc gluconate 50mg";
    fake.dispatch(
        "INTERACTION_CREATE",
        Fake::slash_command(id, "intake", json!([Fake::opt_str("foods", foods)]), 13, 12),
    )
    .await;
    let estimate =
        fake.wait_for_request(|r| r.route().starts_with(&format!("/interactions/{id}/")), WAIT).await.unwrap();
    let expected = cli(&["--content", content.to_str().unwrap(), "intake", "--json", foods]);
    let text = text_of(&estimate.body);
    assert!(text.contains(&format!("**{} mg**", expected["total_zinc_mg"])), "{text}");
    for item in expected["items"].as_array().unwrap() {
        assert!(text.contains(item["food_id"].as_str().unwrap()), "{text}");
    }

    // SIGTERM in the middle of a gateway outage still ends the process.
    fake.set_gateway_down(true);
    fake.close_gateway(4000).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let pid = child.id().unwrap().to_string();
    assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    // Within the 2 s shutdown grace, plus the process's own start and stop.
    let deadline = discord::SHUTDOWN_GRACE + Duration::from_secs(2);
    let status = tokio::time::timeout(deadline, child.wait()).await.expect("exits soon after SIGTERM").unwrap();
    assert!(status.success(), "clean exit: {status:?}");
    let mut log = String::new();
    tokio::io::AsyncReadExt::read_to_string(&mut child.stderr.take().unwrap(), &mut log).await.unwrap();
    assert!(!log.contains(Fake::TOKEN), "the token never reaches the log");
    assert!(dir.join("profiles.sqlite3").exists(), "the store was created on first run");
}

/// A command's reply that Discord fails with a 5xx is sent again, not lost.
#[tokio::test]
async fn a_command_reply_discord_failed_is_sent_again() {
    let bot = start().await;
    let id = next_id();
    let route = format!("/interactions/{id}/");
    bot.fake.respond_once("POST", &route, 502, Vec::new(), json!({"message": "Bad Gateway", "code": 0}));
    let question = json!([Fake::opt_str("question", "zinc and cipro?")]);
    bot.fake
        .dispatch("INTERACTION_CREATE", Fake::slash_command(id, "ask", question, Fake::USER_ID, Fake::CHANNEL_ID))
        .await;
    let sent = || {
        bot.fake
            .requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.route().starts_with(&route))
            .collect::<Vec<_>>()
    };
    assert!(bot.fake.wait_until(WAIT, || sent().len() == 2).await, "sent again after the 502: {}", sent().len());
    assert!(text_of(&sent()[1].body).contains("antibiotics"), "the answer itself");
}

/// A session closed with 4011 (sharding required) ends the bot with a line saying so, instead of
/// reconnecting with too few shards forever: started again, an automatic count asks Discord how
/// many to run; a fixed total is the operator's to raise, and the line says so.
#[tokio::test]
async fn close_code_4011_stops_the_bot_with_a_line_saying_so() {
    for (shards, advice) in [("", "start zincbot again"), ("shards = { ids = [0], total = 1 }", "raise shards.total")] {
        let fake = Fake::start().await;
        let folder = tempfile::tempdir().unwrap();
        let mut child = spawn_binary_with(&fake, folder.path(), Launch { discord: shards, ..Launch::default() });
        assert!(fake.wait_ready(Duration::from_secs(20)).await, "the binary connected");
        if shards.is_empty() {
            let asked = fake.requests().iter().filter(|r| r.is("GET", "/gateway/bot")).count();
            assert_eq!(asked, 1, "it asked Discord how many shards to run");
        }
        fake.close_gateway(4011).await;
        let deadline = discord::SHUTDOWN_GRACE + Duration::from_secs(3);
        let status = tokio::time::timeout(deadline, child.wait()).await.expect("exits soon after 4011").unwrap();
        assert!(!status.success(), "an error exit, so a supervisor starts it again");
        let mut log = String::new();
        tokio::io::AsyncReadExt::read_to_string(&mut child.stderr.take().unwrap(), &mut log).await.unwrap();
        assert!(log.contains("close code 4011") && log.contains("more shards") && log.contains(advice), "{log}");
    }
}

/// The Message Content intent is asked for only when configured; without it, mentions still
/// get answers.
#[tokio::test]
async fn the_message_content_intent_is_optional() {
    const MESSAGE_CONTENT: u64 = 1 << 15;
    let intents = |fake: &Fake| {
        let identify = fake.gateway_payloads().into_iter().find(|p| p["op"] == 2).expect("an IDENTIFY");
        identify["d"]["intents"].as_u64().unwrap()
    };
    let with = start().await;
    assert_ne!(intents(&with.fake) & MESSAGE_CONTENT, 0);

    let fake = Fake::start().await;
    let http = discord::http(&Secret::new(Fake::TOKEN), Some(&fake.base_url()));
    let without = start_with(fake, http, Settings { message_content: false, ..settings(0.0) }).await;
    assert_eq!(intents(&without.fake) & MESSAGE_CONTENT, 0);
    let content = format!("<@{}> is zinc bad for lupus?", Fake::BOT_USER_ID);
    let replies = without.say(555, 1101, false, &content, true, WAIT).await;
    assert_eq!(replies.len(), 1, "mentions work without the intent");

    // Least privilege: without listen channels the intent is not asked for at all.
    let fake = Fake::start().await;
    let http = discord::http(&Secret::new(Fake::TOKEN), Some(&fake.base_url()));
    let quiet = start_with(fake, http, Settings { listen_channels: Vec::new(), ..settings(0.0) }).await;
    assert_eq!(intents(&quiet.fake) & MESSAGE_CONTENT, 0);
}

/// The custom ids of the buttons and menus of a reply.
fn component_ids(body: &Value) -> Vec<String> {
    let data = if body.get("data").is_some() { &body["data"] } else { body };
    let rows = data["components"].as_array().cloned().unwrap_or_default();
    rows.iter()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|c| c["custom_id"].as_str().map(String::from))
        .collect()
}

/// A message that asks two things gets the answer to one and the other offered: named in the
/// reply and first in the related-topics menu, one click away.
#[tokio::test]
async fn a_second_question_is_offered_first_in_the_menu() {
    let bot = start().await;
    let question = "does zinc interact with cipro? also how much zinc is too much a day";
    let answer = bot.command("ask", json!([Fake::opt_str("question", question)])).await;
    let text = text_of(&answer);
    assert!(text.contains("You also asked about"), "{answer}");
    let menu = &answer["data"]["components"][1]["components"][0];
    let first = menu["options"][0]["value"].as_str().unwrap();
    assert!(["interaction-antibiotics", "upper-limit"].contains(&first), "{menu}");
    assert!(text.contains(&format!("`{first}`")), "the offered topic is also listed: {answer}");
    let offered = bot.interact(Fake::component(next_id(), "related", Some(&[first]), false)).await;
    assert!(component_ids(&offered).contains(&format!("more:{first}:0")), "{offered}");
}

/// An answer carries **More detail**, **Sources** and a related-topics menu; each click gets a
/// private reply from the topic its id names, so the buttons work after a restart too.
#[tokio::test]
async fn the_buttons_under_an_answer_show_detail_sources_and_related_topics() {
    let bot = start().await;
    let answer = bot.command("ask", json!([Fake::opt_str("question", "is zinc bad for lupus?")])).await;
    let ids = component_ids(&answer);
    assert_eq!(ids, ["more:lupus-sle:0", "sources:lupus-sle", "related"], "{answer}");
    let menu = &answer["data"]["components"][1]["components"][0];
    assert!(menu["options"].as_array().unwrap().iter().any(|o| o["value"] == "testing-zinc-levels"), "{menu}");

    // More detail: the first section, privately, with a button to the next.
    let more = bot.interact(Fake::component(next_id(), "more:lupus-sle:0", None, false)).await;
    assert_eq!(more["type"], 4, "a new message: {more}");
    assert_eq!(more["data"]["flags"], 64, "private: {more}");
    assert!(text_of(&more).contains("What blood studies show") && text_of(&more).contains("[1]"), "{more}");
    assert_eq!(component_ids(&more), ["more:lupus-sle:1"]);
    // Next, from that private page, turns the page in place.
    let next = bot.interact(Fake::component(next_id(), "more:lupus-sle:1", None, true)).await;
    assert_eq!(next["type"], 7, "the page is updated: {next}");
    assert!(text_of(&next).contains("Page 2 of"), "{next}");
    assert_eq!(component_ids(&next), ["more:lupus-sle:0", "more:lupus-sle:2"]);

    // Sources: every source of the topic, numbered; a reply Discord failed (502) is sent again.
    let id = next_id();
    let route = format!("/interactions/{id}/");
    bot.fake.respond_once("POST", &route, 502, Vec::new(), json!({"message": "Bad Gateway", "code": 0}));
    let sources = bot.interact(Fake::component(id, "sources:lupus-sle", None, false)).await;
    assert!(text_of(&sources).contains("[1] [") && text_of(&sources).contains("pubmed.ncbi.nlm.nih.gov"), "{sources}");
    let sent = || bot.fake.requests().iter().filter(|r| r.method == "POST" && r.route().starts_with(&route)).count();
    assert!(bot.fake.wait_until(WAIT, || sent() == 2).await, "the failed reply is retried once: {}", sent());

    // A related topic from the menu: its answer, privately, with its own buttons.
    let related = bot.interact(Fake::component(next_id(), "related", Some(&["testing-zinc-levels"]), false)).await;
    assert_eq!(related["data"]["flags"], 64);
    assert!(component_ids(&related).contains(&"more:testing-zinc-levels:0".to_string()), "{related}");

    // A topic removed since the answer was given: a short note, not an error.
    let gone = bot.interact(Fake::component(next_id(), "more:no-such-topic:0", None, false)).await;
    assert!(text_of(&gone).contains("no longer in the library"), "{gone}");
}

/// The custom id of the button labelled `label` under a reply, if there is one.
fn button(body: &Value, label: &str) -> Option<String> {
    let rows = body["data"]["components"].as_array()?;
    rows.iter()
        .flat_map(|row| row["components"].as_array().into_iter().flatten())
        .find(|c| c["label"] == label)
        .and_then(|c| c["custom_id"].as_str().map(String::from))
}

/// Whether a multipart callback carries a file called `name`, sent with its content type
/// (`image/png`, `text/csv`), whose bytes hold `magic`, and lists it among the message's
/// attachments.
fn has_file(request: &Request, name: &str, magic: &str) -> bool {
    let multipart = request.header("content-type").is_some_and(|t| t.starts_with("multipart/form-data"));
    let mime = if name.ends_with(".png") { "image/png" } else { "text/csv" };
    let part = request.raw_body.find(&format!("filename=\"{name}\"\r\nContent-Type: {mime}\r\n"));
    let listed =
        request.body["data"]["attachments"].as_array().is_some_and(|a| a.iter().any(|f| f["filename"] == name));
    // A chart is tens of kilobytes, far under Discord's 25 MB for an upload.
    let sized = !name.ends_with(".png") || (10_000..25 * 1024 * 1024).contains(&request.raw_body.len());
    multipart && listed && sized && part.is_some_and(|at| request.raw_body[at..].contains(magic))
}

#[tokio::test]
async fn log_it_logs_the_estimate_and_the_day_comes_back_with_its_chart() {
    let bot = start().await;
    let foods = "2 eggs, 100g beef, zinc gluconate 50mg";
    let payload = Fake::slash_command(
        next_id(),
        "intake",
        json!([Fake::opt_str("foods", foods)]),
        Fake::USER_ID,
        Fake::CHANNEL_ID,
    );
    let estimate = bot.interact_request(payload).await;
    assert!(has_file(&estimate, "estimate.png", "PNG"), "/intake attaches its chart");
    assert_eq!(estimate.body["data"]["embeds"][0]["image"]["url"], "attachment://estimate.png");
    let log_it = button(&estimate.body, "Log it").expect("a Log it button");

    // Someone else cannot log my estimate; I can, once.
    let mut theirs = Fake::component(next_id(), &log_it, None, true);
    theirs["member"]["user"]["id"] = json!("1000000000000000077");
    let refused = bot.interact(theirs).await;
    assert!(ephemeral(&refused) && text_of(&refused).contains("Only the person"), "{refused}");
    let logged = bot.interact(Fake::component(next_id(), &log_it, None, true)).await;
    assert!(ephemeral(&logged) && text_of(&logged).contains("Logged."), "{logged}");
    let again = bot.interact(Fake::component(next_id(), &log_it, None, true)).await;
    assert!(text_of(&again).contains("no longer held"), "{again}");

    let today = bot
        .interact_request(Fake::subcommand(next_id(), "log", "today", json!([]), Fake::USER_ID, Fake::CHANNEL_ID))
        .await;
    assert!(ephemeral(&today.body));
    assert!(has_file(&today, "today.png", "PNG"), "the day's chart is attached");
    let text = text_of(&today.body);
    assert!(text.contains(foods) && text.contains("Upper limit") && text.contains("Supplements alone"), "{text}");
    assert_within_limits(&today.body["data"]);

    let week = bot
        .interact_request(Fake::subcommand(next_id(), "log", "week", json!([]), Fake::USER_ID, Fake::CHANNEL_ID))
        .await;
    assert!(has_file(&week, "week.png", "PNG"));
    assert_eq!(text_of(&week.body).matches(" mg** zinc").count(), 7, "seven days");
}

#[tokio::test]
async fn the_log_is_added_to_exported_undone_and_forgotten_privately() {
    let bot = start().await;
    let added = bot
        .subcommand("log", "add", json!([Fake::opt_str("foods", "1 cup lentils, \"quoted\" pumpkin seeds 1 oz")]))
        .await;
    assert!(ephemeral(&added) && text_of(&added).contains("Logged."), "{added}");
    let nothing = bot.subcommand("log", "add", json!([Fake::opt_str("foods", "qwzx plorb")])).await;
    assert!(text_of(&nothing).contains("nothing was logged"), "{nothing}");

    let export = bot
        .interact_request(Fake::subcommand(next_id(), "log", "export", json!([]), Fake::USER_ID, Fake::CHANNEL_ID))
        .await;
    assert!(ephemeral(&export.body));
    assert!(has_file(&export, "zinc-log.csv", "at,input,total_zinc_mg,total_copper_mg"), "{}", export.raw_body);
    assert!(
        export.raw_body.contains("\"1 cup lentils, \"\"quoted\"\" pumpkin seeds 1 oz\""),
        "CSV quoting: {}",
        export.raw_body
    );

    let undo = bot.subcommand("log", "undo", json!([])).await;
    assert!(text_of(&undo).contains("Removed your latest entry: 1 cup lentils"), "{undo}");
    let empty = bot.subcommand("log", "export", json!([])).await;
    assert!(text_of(&empty).contains("nothing to export"), "{empty}");
    bot.subcommand("log", "add", json!([Fake::opt_str("foods", "2 eggs")])).await;
    let forget = bot.subcommand("log", "forget", json!([])).await;
    assert!(ephemeral(&forget) && text_of(&forget).contains("1 entries"), "{forget}");
}

#[tokio::test]
async fn a_saved_time_zone_is_checked_and_kept() {
    let bot = start().await;
    let options = json!([Fake::opt_str("life_stage", "adult-female"), Fake::opt_str("time_zone", "Mars/Olympus")]);
    let refused = bot.subcommand("profile", "set", options).await;
    assert!(text_of(&refused).contains("don't know the time zone"), "{refused}");
    let options = json!([Fake::opt_str("life_stage", "adult-female"), Fake::opt_str("time_zone", "Pacific/Auckland")]);
    let saved = bot.subcommand("profile", "set", options).await;
    assert!(text_of(&saved).contains("Pacific/Auckland"), "{saved}");
    bot.subcommand("log", "add", json!([Fake::opt_str("foods", "2 eggs")])).await;
    let today = text_of(&bot.subcommand("log", "today", json!([])).await);
    let auckland =
        jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::get("Pacific/Auckland").unwrap()).date().to_string();
    assert!(today.contains(&auckland), "the day is Auckland's {auckland}: {today}");
}

/// A process given shards 1 of 2 identifies as that shard and leaves the commands to the
/// process that runs shard 0.
#[tokio::test]
async fn a_shard_range_identifies_as_its_shards_and_only_shard_0_registers() {
    for (ids, registers) in [("[1]", false), ("[0]", true)] {
        let fake = Fake::start().await;
        let folder = tempfile::tempdir().unwrap();
        let _child = spawn_binary_with(
            &fake,
            folder.path(),
            Launch { discord: &format!("shards = {{ ids = {ids}, total = 2 }}"), ..Launch::default() },
        );
        assert!(fake.wait_ready(Duration::from_secs(20)).await, "the binary connected");
        let identify = fake.gateway_payloads().into_iter().find(|p| p["op"] == 2).expect("an IDENTIFY");
        let first: u64 = ids.trim_matches(['[', ']']).parse().unwrap();
        assert_eq!(identify["d"]["shard"], json!([first, 2]), "{identify}");
        let put =
            fake.wait_for_request(|r| r.method == "PUT" && r.route().ends_with("/commands"), Duration::from_secs(2));
        assert_eq!(put.await.is_some(), registers, "shards {ids} of 2");
    }
}

/// `[health] listen` serves the shards' stages and the store's state.
#[tokio::test]
async fn the_health_endpoint_reports_shards_and_store() {
    let fake = Fake::start().await;
    let folder = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let _child = spawn_binary_with(
        &fake,
        folder.path(),
        Launch { more: &format!("[health]\nlisten = \"127.0.0.1:{port}\""), ..Launch::default() },
    );
    assert!(fake.wait_ready(Duration::from_secs(20)).await, "the binary connected");
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let url = format!("http://127.0.0.1:{port}/health");
    let mut health = Value::Null;
    for _ in 0..50 {
        if let Ok(response) = client.get(&url).send().await {
            let status = response.status().as_u16();
            health = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
            if status == 200 {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(health["status"], "ok", "{health}");
    assert_eq!(health["store"], "ok", "{health}");
    assert_eq!(health["shards"][0]["id"], 0, "{health}");
    assert_eq!(health["shards"][0]["stage"], "connected", "{health}");
    let elsewhere = client.get(format!("http://127.0.0.1:{port}/")).send().await.unwrap();
    assert_eq!(elsewhere.status().as_u16(), 404);
}

/// A fresh database on the server `ZINCBOT_TEST_POSTGRES` names, dropped afterwards; `None`
/// (with a note) without that variable, except under CI, which must give one.
struct TestDatabase {
    admin: String,
    name: String,
    url: String,
}

impl TestDatabase {
    async fn create(test: &str) -> Option<TestDatabase> {
        let Ok(admin) = std::env::var("ZINCBOT_TEST_POSTGRES") else {
            assert!(std::env::var_os("CI").is_none(), "CI must set ZINCBOT_TEST_POSTGRES (see .ci/postgres)");
            eprintln!("{test}: skipped, no PostgreSQL server (set ZINCBOT_TEST_POSTGRES)");
            return None;
        };
        let name = format!("zincbot_test_{test}_{}", std::process::id());
        let mut url = url::Url::parse(&admin).unwrap();
        url.set_path(&name);
        let database = TestDatabase { admin, url: url.to_string(), name };
        database.admin(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", database.name)).await;
        database.admin(&format!("CREATE DATABASE {}", database.name)).await;
        Some(database)
    }

    async fn admin(&self, sql: &str) {
        let (client, connection) = tokio_postgres::connect(&self.admin, tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(connection);
        client.batch_execute(sql).await.unwrap();
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let (admin, name) = (self.admin.clone(), self.name.clone());
        // Dropped inside the test's runtime, so the cleanup gets a thread of its own.
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async {
                let (client, connection) = tokio_postgres::connect(&admin, tokio_postgres::NoTls).await.unwrap();
                tokio::spawn(connection);
                let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
            });
        })
        .join()
        .unwrap();
    }
}

/// A bot process sharing the PostgreSQL store at `url`, named `process` in reload answers.
async fn start_shared(url: &str, process: &str) -> Bot {
    let fake = Fake::start().await;
    let http = discord::http(&Secret::new(Fake::TOKEN), Some(&fake.base_url()));
    let opening = url.to_string();
    let store = tokio::task::spawn_blocking(move || zincbot::store::Postgres::connect(&opening)).await.unwrap();
    let reloads = zincbot::store::Reloads::listen(url, process.into()).await.unwrap();
    let content = common::content_copy("shared");
    let advisor = Advisor::load(&content).expect("content loads");
    let mut client =
        discord::client(http, settings(0.0), advisor, Arc::new(store.unwrap()), Some(reloads)).await.unwrap();
    let task = tokio::spawn(async move {
        let _ = client.start().await;
    });
    assert!(fake.wait_ready(WAIT).await, "the bot identified");
    Bot { fake, content, task }
}

impl Bot {
    /// Sends an interaction whose reply is deferred; returns the body of the completed reply.
    async fn interact_deferred(&self, payload: Value) -> Value {
        let token = payload["token"].as_str().unwrap().to_string();
        let deferred = self.interact(payload).await;
        assert_eq!(deferred["type"], 5, "deferred: {deferred}");
        completed_reply(&self.fake, &token).await
    }
}

/// The follow-up that completes the deferred reply to the interaction with `token`.
async fn completed_reply(fake: &Fake, token: &str) -> Value {
    let followup = |r: &Request| r.method == "POST" && r.route().contains("/webhooks/") && r.route().contains(token);
    fake.wait_for_request(followup, WAIT).await.expect("the deferred reply is completed").body
}

async fn ask(bot: &Bot) -> String {
    text_of(&bot.command("ask", json!([Fake::opt_str("question", "is zinc bad for lupus?")])).await)
}

/// With a shared PostgreSQL store, `/reload` in one process reloads every process, each from
/// its own content folder, and says how many did and which kept their content.
#[tokio::test]
async fn reload_reaches_every_process_sharing_a_postgres_store() {
    let Some(database) = TestDatabase::create("discord_reload").await else { return };
    let a = start_shared(&database.url, "host-a:1").await;
    let b = start_shared(&database.url, "host-b:2").await;
    let reload =
        || Fake::slash_command_with_permissions(next_id(), "reload", json!([]), ADMIN_ID, Fake::CHANNEL_ID, "32");
    let lupus = |bot: &Bot| bot.content.join("topics/lupus-sle.md");
    let good = std::fs::read_to_string(lupus(&b)).unwrap();
    std::fs::write(
        lupus(&b),
        good.replacen("title = \"Zinc and lupus (SLE)\"", "title = \"Zinc and lupus, as B has it\"", 1),
    )
    .unwrap();

    let reloaded = text_of(&a.interact_deferred(reload()).await);
    assert!(reloaded.contains("Reloaded in 2 processes (this one and 1 other)"), "{reloaded}");
    assert!(ask(&b).await.contains("Zinc and lupus, as B has it"), "B reloaded its own folder");
    assert!(ask(&a).await.contains("Zinc and lupus (SLE)"), "A reloaded its own folder");

    std::fs::write(lupus(&b), good.replacen("related = [\"", "related = [\"no-such-topic\", \"", 1)).unwrap();
    let partly = text_of(&a.interact_deferred(reload()).await);
    assert!(partly.contains("Reloaded in 1 process (this one and 0 others)"), "{partly}");
    assert!(partly.contains("1 process kept the content it had") && partly.contains("host-b:2"), "{partly}");
    assert!(partly.contains("topics/lupus-sle.md:") && partly.contains("no-such-topic"), "{partly}");
    assert!(ask(&b).await.contains("Zinc and lupus, as B has it"), "B kept what it had");
}

/// `zincbot run` with `DATABASE_URL` keeps profiles in that PostgreSQL database, not in the file.
#[tokio::test]
async fn the_binary_keeps_profiles_in_postgres_when_database_url_is_set() {
    let Some(database) = TestDatabase::create("binary").await else { return };
    let fake = Fake::start().await;
    let folder = tempfile::tempdir().unwrap();
    let _child = spawn_binary_with(
        &fake,
        folder.path(),
        Launch { env: &[("DATABASE_URL", &database.url)], ..Launch::default() },
    );
    assert!(fake.wait_ready(Duration::from_secs(20)).await, "the binary connected");
    let set = Fake::subcommand(
        next_id(),
        "profile",
        "set",
        json!([Fake::opt_str("life_stage", "child-4-8")]),
        Fake::USER_ID,
        Fake::CHANNEL_ID,
    );
    let id = set["id"].as_str().unwrap().to_string();
    fake.dispatch("INTERACTION_CREATE", set).await;
    let reply = fake.wait_for_request(|r| r.route().starts_with(&format!("/interactions/{id}/")), WAIT).await;
    assert!(text_of(&reply.expect("a reply").body).contains("child (4-8)"));
    let (client, connection) = tokio_postgres::connect(&database.url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(connection);
    let row = client.query_one("SELECT life_stage FROM profiles WHERE user_id = $1", &[&(Fake::USER_ID as i64)]).await;
    assert_eq!(row.unwrap().get::<_, String>(0), "child-4-8");
    assert!(!folder.path().join("profiles.sqlite3").exists(), "no SQLite file");
}

/// The text of the reply to `payload` sent through `fake`: the callback, or the follow-up when
/// the bot deferred.
async fn reply_text(fake: &Fake, payload: Value) -> String {
    let (id, token) = (payload["id"].as_str().unwrap().to_string(), payload["token"].as_str().unwrap().to_string());
    fake.dispatch("INTERACTION_CREATE", payload).await;
    let callback = fake.wait_for_request(|r| r.route().starts_with(&format!("/interactions/{id}/")), WAIT).await;
    let callback = callback.expect("a reply").body;
    if callback["type"] != 5 {
        return text_of(&callback);
    }
    text_of(&completed_reply(fake, &token).await)
}

/// Two `zincbot run` processes, shards 0 and 1 of 2, share one PostgreSQL store and one content
/// folder. Each talks to its own stand-in for Discord, as two shards do to two gateway sessions.
#[tokio::test]
async fn two_processes_share_profiles_and_reloads_and_one_keeps_serving_alone() {
    let Some(database) = TestDatabase::create("two_processes").await else { return };
    let content = common::content_copy("two-processes");
    let (fake_a, fake_b) = (Fake::start().await, Fake::start().await);
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let env = [("DATABASE_URL", database.url.as_str())];
    let launch = |discord| Launch { discord, env: &env, content: Some(&content), ..Launch::default() };
    let mut a = spawn_binary_with(&fake_a, dir_a.path(), launch("shards = { ids = [0], total = 2 }"));
    let _b = spawn_binary_with(&fake_b, dir_b.path(), launch("shards = { ids = [1], total = 2 }"));
    assert!(fake_a.wait_ready(Duration::from_secs(20)).await && fake_b.wait_ready(Duration::from_secs(20)).await);
    let registers = |r: &Request| r.method == "PUT" && r.route().ends_with("/commands");
    assert!(fake_a.wait_for_request(registers, WAIT).await.is_some(), "shard 0 registers the commands");
    assert!(!fake_b.requests().iter().any(registers), "shard 1 does not");

    let profile = |sub: &str, options: Value| {
        Fake::subcommand(next_id(), "profile", sub, options, Fake::USER_ID, Fake::CHANNEL_ID)
    };
    let saved = reply_text(&fake_a, profile("set", json!([Fake::opt_str("life_stage", "child-4-8")]))).await;
    assert!(saved.contains("child (4-8)"), "{saved}");
    let shown = reply_text(&fake_b, profile("show", json!([]))).await;
    assert!(shown.contains("child-4-8"), "saved through A, seen through B: {shown}");
    let forgotten = reply_text(&fake_b, profile("forget", json!([]))).await;
    assert!(forgotten.contains("Deleted"), "{forgotten}");
    let gone = reply_text(&fake_a, profile("show", json!([]))).await;
    assert!(gone.contains("No life stage saved"), "forgotten through B, gone for A: {gone}");

    let topic = content.join("topics/lupus-sle.md");
    let text = std::fs::read_to_string(&topic).unwrap();
    std::fs::write(
        &topic,
        text.replacen("title = \"Zinc and lupus (SLE)\"", "title = \"Zinc and lupus, reloaded\"", 1),
    )
    .unwrap();
    let reload =
        Fake::slash_command_with_permissions(next_id(), "reload", json!([]), Fake::USER_ID, Fake::CHANNEL_ID, "32");
    let reloaded = reply_text(&fake_a, reload).await;
    assert!(reloaded.contains("Reloaded in 2 processes"), "{reloaded}");
    let ask =
        || Fake::slash_command(next_id(), "ask", json!([Fake::opt_str("question", "is zinc bad for lupus?")]), 11, 12);
    assert!(reply_text(&fake_a, ask()).await.contains("Zinc and lupus, reloaded"));
    assert!(reply_text(&fake_b, ask()).await.contains("Zinc and lupus, reloaded"));

    let pid = a.id().unwrap().to_string();
    assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let stopped = tokio::time::timeout(Duration::from_secs(5), a.wait()).await.expect("A stops").unwrap();
    assert!(stopped.success(), "{stopped:?}");
    let alone = reply_text(&fake_b, ask()).await;
    assert!(alone.contains("Zinc and lupus, reloaded"), "B still serves its shard: {alone}");
}
