//! Proves the fake Discord in `tests/fake_discord` works with the real serenity `Client` and a
//! real poise `Framework`: a tiny bot defined here (`/ping` with an autocompleted option, a
//! message context-menu command, and an EventHandler answering "hello").

mod fake_discord;

use std::time::Duration;

use fake_discord::{FakeDiscord, Request, TlsProxy};
use poise::serenity_prelude as serenity;
use serde_json::{json, Value};

struct Data;
type Error = Box<dyn std::error::Error + Send + Sync>;
type Ctx<'a> = poise::Context<'a, Data, Error>;

const FRUITS: [&str; 4] = ["apple", "banana", "blueberry", "cherry"];

async fn fruit_choices(_ctx: Ctx<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    let choices =
        FRUITS.iter().filter(|f| f.starts_with(partial)).map(|f| serenity::AutocompleteChoice::new(*f, *f)).collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// Replies pong
#[poise::command(slash_command)]
async fn ping(
    ctx: Ctx<'_>,
    #[description = "A fruit"]
    #[autocomplete = "fruit_choices"]
    fruit: Option<String>,
) -> Result<(), Error> {
    let _ = fruit;
    ctx.send(poise::CreateReply::default().content("pong").ephemeral(true)).await?;
    Ok(())
}

#[poise::command(context_menu_command = "Quote")]
async fn quote(ctx: Ctx<'_>, msg: serenity::Message) -> Result<(), Error> {
    let reply = format!("quoted: {}", msg.content);
    ctx.send(poise::CreateReply::default().content(reply).ephemeral(true)).await?;
    Ok(())
}

/// Profile settings (only here to check the subcommand builder and follow-ups)
#[poise::command(slash_command, subcommands("set"))]
async fn profile(_ctx: Ctx<'_>) -> Result<(), Error> {
    Ok(())
}

/// Set a profile field
#[poise::command(slash_command)]
async fn set(ctx: Ctx<'_>, #[description = "Life stage"] stage: String) -> Result<(), Error> {
    let handle = ctx.say(format!("stage: {stage}")).await?;
    handle.edit(ctx, poise::CreateReply::default().content(format!("stage saved: {stage}"))).await?;
    let sent = handle.message().await?;
    ctx.say(format!("edited message {} says {:?}", sent.id, sent.content)).await?;
    Ok(())
}

#[poise::command(context_menu_command = "Inspect")]
async fn inspect(ctx: Ctx<'_>, user: serenity::User) -> Result<(), Error> {
    ctx.say(format!("user {} ({})", user.id, user.name)).await?;
    Ok(())
}

struct Handler;

#[serenity::async_trait]
impl serenity::EventHandler for Handler {
    async fn message(&self, ctx: serenity::Context, msg: serenity::Message) {
        if msg.author.bot || !msg.content.to_lowercase().contains("hello") {
            return;
        }
        if let Err(e) = msg.channel_id.say(&ctx.http, "hello back").await {
            eprintln!("reply failed: {e}");
        }
    }
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// Builds the bot on `http`, starts it in the background and waits for READY.
async fn start_bot(fake: &FakeDiscord, http: serenity::Http) {
    start_bot_with(fake, http, vec![ping(), quote()]).await;
}

async fn start_bot_with(fake: &FakeDiscord, http: serenity::Http, commands: Vec<poise::Command<Data, Error>>) {
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands,
            allowed_mentions: Some(serenity::CreateAllowedMentions::new()),
            ..Default::default()
        })
        .setup(|ctx, _ready, framework| {
            Box::pin(async move {
                poise::builtins::register_globally(ctx, &framework.options().commands).await?;
                Ok(Data)
            })
        })
        .build();
    let intents = serenity::GatewayIntents::GUILDS
        | serenity::GatewayIntents::GUILD_MESSAGES
        | serenity::GatewayIntents::MESSAGE_CONTENT;
    let mut client = tokio::time::timeout(
        secs(10),
        serenity::ClientBuilder::new_with_http(http, intents).framework(framework).event_handler(Handler),
    )
    .await
    .expect("client build timed out")
    .expect("client build");
    tokio::spawn(async move {
        if let Err(e) = client.start().await {
            eprintln!("client stopped: {e}");
        }
    });
    assert!(fake.wait_ready(secs(10)).await, "bot never identified");
}

async fn started() -> FakeDiscord {
    let fake = FakeDiscord::start().await;
    start_bot(&fake, fake.http()).await;
    // poise registers the commands in its setup, right after READY.
    fake.wait_for_request(|r| r.is("PUT", &format!("/applications/{}/commands", FakeDiscord::APP_ID)), secs(10))
        .await
        .expect("commands registered");
    fake
}

async fn callback(fake: &FakeDiscord, interaction_id: u64) -> Request {
    let route = format!("/interactions/{interaction_id}/token-{interaction_id}/callback");
    fake.wait_for_request(|r| r.is("POST", &route), secs(10)).await.expect("interaction callback")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registers_commands_after_ready() {
    let fake = started().await;
    assert_eq!(fake.identify_count(), 1);
    assert!(fake.requests().iter().any(|r| r.is("GET", "/gateway")));
    assert!(fake.requests().iter().any(|r| r.is("GET", "/oauth2/applications/@me")));
    let identify = fake.gateway_payloads().into_iter().find(|p| p["op"] == 2).unwrap();
    assert_eq!(identify["d"]["token"], json!(format!("Bot {}", FakeDiscord::TOKEN)));

    let put = fake
        .requests()
        .into_iter()
        .find(|r| r.is("PUT", &format!("/applications/{}/commands", FakeDiscord::APP_ID)))
        .unwrap();
    let cmds = put.body.as_array().expect("command list");
    let ping = cmds.iter().find(|c| c["name"] == "ping").expect("ping registered");
    assert_eq!(ping["options"][0]["name"], "fruit");
    assert_eq!(ping["options"][0]["autocomplete"], true);
    let quote = cmds.iter().find(|c| c["name"] == "Quote").expect("Quote registered");
    assert_eq!(quote["type"], 3);
    let echoed = fake.registered_commands(None).expect("echoed list");
    assert_eq!(echoed.as_array().unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slash_command_gets_ephemeral_pong() {
    let fake = started().await;
    let data = FakeDiscord::slash_command(101, "ping", json!([]), FakeDiscord::USER_ID, FakeDiscord::CHANNEL_ID);
    fake.dispatch("INTERACTION_CREATE", data).await;
    let cb = callback(&fake, 101).await;
    assert_eq!(cb.body["type"], 4);
    assert_eq!(cb.body["data"]["content"], "pong");
    assert_eq!(cb.body["data"]["flags"], 64);
    // allowed_mentions set explicitly to mention nobody
    assert_eq!(cb.body["data"]["allowed_mentions"]["parse"], json!([]));

    // with an option and a member holding other permissions
    let data = FakeDiscord::slash_command_with_permissions(
        102,
        "ping",
        json!([FakeDiscord::opt_str("fruit", "apple")]),
        FakeDiscord::USER_ID,
        FakeDiscord::CHANNEL_ID,
        "8",
    );
    fake.dispatch("INTERACTION_CREATE", data).await;
    assert_eq!(callback(&fake, 102).await.body["data"]["content"], "pong");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocomplete_answers_type_8_with_choices() {
    let fake = started().await;
    let data =
        FakeDiscord::autocomplete(201, "ping", json!([FakeDiscord::opt_focused("fruit", "b")]), FakeDiscord::USER_ID);
    fake.dispatch("INTERACTION_CREATE", data).await;
    let cb = callback(&fake, 201).await;
    assert_eq!(cb.body["type"], 8);
    let names: Vec<&str> =
        cb.body["data"]["choices"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["banana", "blueberry"]);

    // without an explicit focus flag the builder focuses the last option
    let data =
        FakeDiscord::autocomplete(202, "ping", json!([FakeDiscord::opt_str("fruit", "ch")]), FakeDiscord::USER_ID);
    fake.dispatch("INTERACTION_CREATE", data).await;
    assert_eq!(callback(&fake, 202).await.body["data"]["choices"][0]["value"], "cherry");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn message_context_menu_gets_the_target() {
    let fake = started().await;
    let target = FakeDiscord::message(7001, FakeDiscord::CHANNEL_ID, 4242, false, "zinc is a metal", false);
    let data = FakeDiscord::message_command(301, "Quote", target, FakeDiscord::USER_ID, FakeDiscord::CHANNEL_ID);
    fake.dispatch("INTERACTION_CREATE", data).await;
    let cb = callback(&fake, 301).await;
    assert_eq!(cb.body["type"], 4);
    assert_eq!(cb.body["data"]["content"], "quoted: zinc is a metal");
    assert_eq!(cb.body["data"]["flags"], 64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subcommand_followups_user_menu_and_dm_payloads_deserialize() {
    let fake = FakeDiscord::start().await;
    start_bot_with(&fake, fake.http(), vec![ping(), profile(), inspect()]).await;

    // /profile set stage:adult -> response (type 4), PATCH and GET @original, then a follow-up
    let data = FakeDiscord::subcommand(
        501,
        "profile",
        "set",
        json!([FakeDiscord::opt_str("stage", "adult")]),
        FakeDiscord::USER_ID,
        FakeDiscord::CHANNEL_ID,
    );
    fake.dispatch("INTERACTION_CREATE", data).await;
    let cb = callback(&fake, 501).await;
    assert_eq!(cb.body["type"], 4);
    assert_eq!(cb.body["data"]["content"], "stage: adult");
    let webhook = format!("/webhooks/{}/token-501", FakeDiscord::APP_ID);
    let followup = fake.wait_for_request(|r| r.is("POST", &webhook), secs(10)).await.expect("follow-up");
    let said = followup.body["content"].as_str().unwrap().to_string();
    assert!(said.ends_with("says \"stage saved: adult\""), "{said}");
    let original = format!("{webhook}/messages/@original");
    assert!(fake.requests().iter().any(|r| r.is("PATCH", &original)));
    assert!(fake.requests().iter().any(|r| r.is("GET", &original)));

    // user context menu
    let data = FakeDiscord::user_command(502, "Inspect", 4242, FakeDiscord::USER_ID, FakeDiscord::CHANNEL_ID);
    fake.dispatch("INTERACTION_CREATE", data).await;
    assert_eq!(callback(&fake, 502).await.body["data"]["content"], "user 4242 (user4242)");

    // a slash command in DMs, and a DM message to the EventHandler
    let data = FakeDiscord::dm_slash_command(503, "ping", json!([]), FakeDiscord::USER_ID, 77);
    fake.dispatch("INTERACTION_CREATE", data).await;
    assert_eq!(callback(&fake, 503).await.body["data"]["content"], "pong");
    fake.dispatch("MESSAGE_CREATE", FakeDiscord::direct_message(8101, 77, FakeDiscord::USER_ID, "hello bot")).await;
    let post = fake.wait_for_request(|r| r.is("POST", "/channels/77/messages"), secs(10)).await;
    assert_eq!(post.expect("DM reply").body["content"], "hello back");
}

fn is_channel_post(r: &Request) -> bool {
    r.is("POST", &format!("/channels/{}/messages", FakeDiscord::CHANNEL_ID))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hello_message_gets_a_reply_but_bots_do_not() {
    let fake = started().await;
    let from_bot = FakeDiscord::message(8001, FakeDiscord::CHANNEL_ID, 5151, true, "hello from a bot", false);
    fake.dispatch("MESSAGE_CREATE", from_bot).await;
    let human =
        FakeDiscord::message(8002, FakeDiscord::CHANNEL_ID, FakeDiscord::USER_ID, false, "well hello there", true);
    fake.dispatch("MESSAGE_CREATE", human).await;
    let post = fake.wait_for_request(is_channel_post, secs(10)).await.expect("reply posted");
    assert_eq!(post.body["content"], "hello back");
    // events are handled in order per shard, so the bot message would have been answered first
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(fake.requests().iter().filter(|r| is_channel_post(r)).count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconnect_resumes_the_same_session() {
    let fake = started().await;
    let session = fake.session_id();
    // one more event so seq > 1
    let data = FakeDiscord::slash_command(401, "ping", json!([]), FakeDiscord::USER_ID, FakeDiscord::CHANNEL_ID);
    fake.dispatch("INTERACTION_CREATE", data).await;
    callback(&fake, 401).await;
    let seq = fake.seq();
    assert!(seq >= 2);

    fake.send_op(7, Value::Null).await;
    assert!(fake.wait_resume_count(1, secs(10)).await, "no RESUME after op 7");
    let resume = fake.gateway_payloads().into_iter().rfind(|p| p["op"] == 6).unwrap();
    assert_eq!(resume["d"]["session_id"], json!(session));
    assert_eq!(resume["d"]["seq"], json!(seq));
    assert_eq!(fake.identify_count(), 1);
    assert_eq!(fake.connection_count(), 2);

    // the resumed session still carries events
    let data = FakeDiscord::slash_command(402, "ping", json!([]), FakeDiscord::USER_ID, FakeDiscord::CHANNEL_ID);
    fake.dispatch("INTERACTION_CREATE", data).await;
    assert_eq!(callback(&fake, 402).await.body["data"]["content"], "pong");

    // a resumable close code: resume again on a new connection
    fake.close_gateway(4000).await;
    assert!(fake.wait_resume_count(2, secs(10)).await, "no RESUME after close 4000");
    assert_eq!(fake.identify_count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ratelimiter_honours_429_through_tls_proxy() {
    let fake = FakeDiscord::start().await;
    let proxy = TlsProxy::start(&fake).await;
    start_bot(&fake, proxy.http()).await;
    assert!(proxy.connects().iter().any(|c| c == "discord.com:443"));
    assert!(fake.requests().iter().all(|r| r.header("host") == Some("discord.com")));

    fake.respond_once(
        "POST",
        &format!("/channels/{}/messages", FakeDiscord::CHANNEL_ID),
        429,
        vec![
            ("retry-after".into(), "0.3".into()),
            ("x-ratelimit-scope".into(), "user".into()),
            ("x-ratelimit-bucket".into(), "fake-bucket".into()),
        ],
        json!({"message": "You are being rate limited.", "retry_after": 0.3, "global": false}),
    );
    let human = FakeDiscord::message(9001, FakeDiscord::CHANNEL_ID, FakeDiscord::USER_ID, false, "hello", false);
    fake.dispatch("MESSAGE_CREATE", human).await;
    let posts = fake.wait_for_requests(is_channel_post, 2, secs(10)).await;
    assert_eq!(posts.len(), 2, "the 429 was not retried: {posts:?}");
    let gap = posts[1].at.duration_since(posts[0].at);
    assert!(gap >= Duration::from_millis(300), "retried after {gap:?}, before retry-after");
    assert!(gap < secs(5), "retried only after {gap:?}");
    assert_eq!(posts[1].body["content"], "hello back");
    // no third attempt: the retry got the default 200
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(fake.requests().iter().filter(|r| is_channel_post(r)).count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_stop_when_the_last_handle_drops() {
    let fake = FakeDiscord::start().await;
    let rest = fake.base_url().trim_start_matches("http://").to_string();
    let gateway = fake.gateway_url().trim_start_matches("ws://").to_string();
    let clone = fake.clone();
    drop(fake);
    assert!(tokio::net::TcpStream::connect(&rest).await.is_ok(), "a clone keeps it running");
    drop(clone);
    let mut stopped = false;
    for _ in 0..200 {
        let rest_up = tokio::net::TcpStream::connect(&rest).await.is_ok();
        let gateway_up = tokio::net::TcpStream::connect(&gateway).await.is_ok();
        if !rest_up && !gateway_up {
            stopped = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(stopped, "listeners still accept after the handle dropped");
}
