//! The Discord shell: serenity for the gateway and REST, poise for the commands. It only moves
//! messages: every decision is the [`Advisor`]'s and every reply is drawn by [`crate::render`].

mod buckets;
mod clicks;
mod commands;
mod health;
mod listen;
mod log;
mod reload;
mod sharding;

pub use sharding::ShardingRequired;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use poise::serenity_prelude as serenity;

use crate::advisor::Advisor;
use crate::config::{Config, Secret, Shards, StoreLocation};
use crate::content::Profile;
use crate::intake::Estimate;
use crate::render::discord::{Embed, Message};
use crate::store::reloads::Listening;
use crate::store::{Reloads, Store};

pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Context<'a> = poise::Context<'a, Data, Error>;

/// What the bot logs unless `RUST_LOG` says otherwise: its own events (ids and outcomes, never
/// what anyone wrote) and serenity's warnings.
pub const LOG_FILTER: &str = "info,serenity=warn";

/// What the bot holds while it runs.
pub struct Data {
    /// The live advisor; a reload swaps in a new one only when the new content loads cleanly.
    advisor: reload::Current,
    /// How `/reload` reaches the other processes of the bot, when they share a PostgreSQL store.
    shared: Option<reload::Shared>,
    store: Arc<dyn Store>,
    listen_channels: HashSet<u64>,
    reply_to_mentions: bool,
    cooldown: Cooldown,
    /// Where moderators are told that urgent guidance was given.
    alert_channel: Option<serenity::ChannelId>,
    /// Users and roles who may reload the content, besides the application's owner.
    admins: HashSet<u64>,
    /// The parent of each thread seen in a server (`None` for a channel that is no thread), so
    /// threads and forum posts under a listen channel are heard; looked up once per channel.
    thread_parents: Mutex<HashMap<u64, Option<u64>>>,
    /// Estimates waiting for a click on their **Log it** button.
    pending: log::Pending,
    keep_days: u32,
    charts: bool,
}

impl Data {
    /// The advisor as it is now (a reload does not disturb an answer in progress).
    pub fn advisor(&self) -> Arc<Advisor> {
        self.advisor.get()
    }

    /// Whether the bot listens where `message` was posted: a listen channel, or a thread or
    /// forum post under one.
    async fn listens_in(&self, http: &serenity::Http, message: &serenity::Message) -> bool {
        let channel = message.channel_id.get();
        if self.listen_channels.contains(&channel) {
            return true;
        }
        if self.listen_channels.is_empty() || message.guild_id.is_none() {
            return false;
        }
        let known = self.thread_parents.lock().unwrap_or_else(|e| e.into_inner()).get(&channel).copied();
        let parent = match known {
            Some(parent) => parent,
            None => {
                let parent = match http.get_channel(message.channel_id).await {
                    Ok(serenity::Channel::Guild(c)) if c.thread_metadata.is_some() => c.parent_id.map(|p| p.get()),
                    Ok(_) => None,
                    Err(e) => {
                        tracing::warn!(channel, "cannot look the channel up: {e}");
                        return false;
                    }
                };
                let mut parents = self.thread_parents.lock().unwrap_or_else(|e| e.into_inner());
                if parents.len() > 10_000 {
                    parents.clear();
                }
                parents.insert(channel, parent);
                parent
            }
        };
        parent.is_some_and(|p| self.listen_channels.contains(&p))
    }

    /// Runs `f` on the store on the blocking pool, so a slow store (another process holding its
    /// lock) never stalls the bot's other work.
    async fn on_store<T: Send + 'static>(&self, f: impl FnOnce(&dyn Store) -> T + Send + 'static) -> Result<T, Error> {
        let store = self.store.clone();
        Ok(tokio::task::spawn_blocking(move || f(&*store)).await?)
    }

    /// A chart drawn by `draw` off the async runtime, `None` (and a warning) when it cannot be.
    async fn chart(&self, draw: impl FnOnce() -> Result<Vec<u8>, String> + Send + 'static) -> Option<Vec<u8>> {
        let drawn = tokio::task::spawn_blocking(draw).await.map_err(|e| e.to_string()).and_then(|png| png);
        drawn.map_err(|e| tracing::warn!("cannot draw a chart: {e}")).ok()
    }
}

/// The life stage for a reply: the one saved (`saved`, read only for a reply its owner alone
/// sees, so what they saved privately never shows in public), else the default. A saved stage
/// that cannot be used comes with a note saying so, instead of silently becoming the default.
fn choose(
    advisor: &Advisor,
    user: serenity::UserId,
    saved: Option<Result<Option<String>, crate::store::Error>>,
) -> Chosen<'_> {
    let default = advisor.estimator().reference.default();
    let note = match saved {
        None | Some(Ok(None)) => None,
        Some(Ok(Some(stage))) => match advisor.profile(Some(&stage)) {
            Ok(profile) => return Chosen { profile, note: None },
            Err(_) => Some(format!(
                "Your saved life stage \"{stage}\" is no longer available, so this uses {}. Choose one with /profile set.",
                default.label
            )),
        },
        Some(Err(e)) => {
            tracing::warn!(user = user.get(), "profile store: {e}");
            Some(format!("Your saved life stage could not be read just now, so this uses {}.", default.label))
        }
    };
    Chosen { profile: default, note }
}

/// The life stage a reply uses, and why it is not the saved one when it could not be.
struct Chosen<'a> {
    profile: &'a Profile,
    note: Option<String>,
}

impl Chosen<'_> {
    /// Puts the note, if there is one, first among the estimate's warnings.
    fn annotate(self, estimate: &mut Estimate) {
        estimate.warnings.splice(0..0, self.note);
    }
}

/// A per-user rate limit, so nobody can flood the bot: a few requests at once, then one every
/// `every`. Kept as the time each user's allowance is next full again (the generic cell rate
/// algorithm), one instant per user.
struct Cooldown {
    every: Duration,
    next_full: Mutex<HashMap<u64, Instant>>,
}

/// How many requests a user may make at once before the cooldown applies: `/ask` then `/intake`
/// is one person's normal use, not a flood.
const BURST: u32 = 3;

impl Cooldown {
    fn new(seconds: f64) -> Cooldown {
        Cooldown { every: Duration::from_secs_f64(seconds), next_full: Mutex::new(HashMap::new()) }
    }

    /// How long `user` must wait before their next turn; `None` when they may go now.
    fn wait(&self, user: u64) -> Option<Duration> {
        let next_full = self.next_full.lock().unwrap_or_else(|e| e.into_inner());
        self.wait_in(&next_full, user, Instant::now())
    }

    fn wait_in(&self, next_full: &HashMap<u64, Instant>, user: u64, now: Instant) -> Option<Duration> {
        let busy = next_full.get(&user).map_or(Duration::ZERO, |at| at.saturating_duration_since(now));
        let allowance = self.every * (BURST - 1);
        (busy > allowance).then(|| busy - allowance)
    }

    /// Takes a turn for `user`: `None` when allowed, else how long to wait.
    fn take(&self, user: u64) -> Option<Duration> {
        let now = Instant::now();
        let mut next_full = self.next_full.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(wait) = self.wait_in(&next_full, user, now) {
            return Some(wait);
        }
        let full_at = next_full.get(&user).copied().unwrap_or(now).max(now);
        next_full.insert(user, full_at + self.every);
        // Forget users whose allowance is full again now and then, so the map stays small.
        if next_full.len() > 10_000 {
            next_full.retain(|_, at| *at > now);
        }
        None
    }
}

/// Everything the bot needs to start, besides the HTTP client.
pub struct Settings {
    pub guild_ids: Vec<u64>,
    pub listen_channels: Vec<u64>,
    pub reply_to_mentions: bool,
    pub message_content: bool,
    pub cooldown_seconds: f64,
    pub alert_channel: Option<u64>,
    pub admins: Vec<u64>,
    /// Days a logged estimate is kept.
    pub keep_days: u32,
    /// Whether `/intake` replies carry a chart.
    pub charts: bool,
    /// The shards this process runs; only the process with shard 0 registers the commands.
    pub shards: Shards,
}

impl Settings {
    pub fn from_config(config: &Config) -> Settings {
        Settings {
            guild_ids: config.discord.guild_ids.clone(),
            listen_channels: config.discord.listen_channels.clone(),
            reply_to_mentions: config.discord.reply_to_mentions,
            message_content: config.discord.message_content,
            cooldown_seconds: config.cooldown.user_seconds,
            alert_channel: config.safety.alert_channel,
            admins: config.discord.admins.clone(),
            keep_days: config.log.keep_days,
            charts: config.discord.charts,
            shards: config.discord.shards.clone(),
        }
    }
}

/// The REST client: straight to Discord, or through `proxy` (a shared ratelimiting proxy or a
/// Discord-compatible test server).
pub fn http(token: &Secret, proxy: Option<&str>) -> serenity::Http {
    let mut builder = serenity::HttpBuilder::new(token.expose());
    // A request that hangs fails after this, and is retried or reported like any other failure.
    match reqwest::Client::builder().use_rustls_tls().timeout(HTTP_TIMEOUT).build() {
        Ok(client) => builder = builder.client(client),
        Err(e) => tracing::warn!("no HTTP timeout: {e}"),
    }
    match proxy {
        // The proxy does the ratelimiting (serenity's own would bypass it). The 429s and 5xx it
        // passes on are retried by `retrying` where a lost reply matters.
        Some(url) => builder.proxy(url.trim_end_matches('/')).ratelimiter_disabled(true).build(),
        None => builder.build(),
    }
}

/// Builds the client: registers the commands (so a bot that cannot is never left online
/// answering nothing), then sets up commands and listening. With `reloads`, a reload in any
/// process of the bot reaches this one, and this one's reach the others.
pub async fn client(
    http: serenity::Http,
    settings: Settings,
    advisor: Advisor,
    store: Arc<dyn Store>,
    reloads: Option<Listening>,
) -> Result<serenity::Client, Error> {
    let mut intents = serenity::GatewayIntents::GUILD_MESSAGES | serenity::GatewayIntents::DIRECT_MESSAGES;
    // Least privilege: mentions and direct messages carry their text without the privileged
    // intent; only listening to plain messages in channels needs it.
    match (settings.message_content, settings.listen_channels.is_empty()) {
        (true, false) => intents |= serenity::GatewayIntents::MESSAGE_CONTENT,
        (false, false) => tracing::warn!(
            "listen_channels is set but message_content = false: plain messages there arrive empty and get no answer"
        ),
        _ => {}
    }
    let advisor = reload::Current::new(advisor);
    let data = Data {
        shared: reloads.map(|(reloads, notices)| reload::Shared::start(reloads, notices, advisor.clone())),
        advisor,
        store,
        listen_channels: settings.listen_channels.iter().copied().collect(),
        reply_to_mentions: settings.reply_to_mentions,
        cooldown: Cooldown::new(settings.cooldown_seconds),
        alert_channel: settings.alert_channel.map(serenity::ChannelId::new),
        admins: settings.admins.iter().copied().collect(),
        thread_parents: Mutex::new(HashMap::new()),
        pending: log::Pending::new(),
        keep_days: settings.keep_days,
        charts: settings.charts,
    };
    let all_commands = commands::all();
    if settings.shards.runs_first() {
        register(&http, &all_commands, &settings.guild_ids).await?;
    }
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: all_commands,
            command_check: Some(|ctx| Box::pin(commands::check_cooldown(ctx))),
            on_error: |error| Box::pin(commands::on_error(error)),
            event_handler: |framework, event| Box::pin(on_event(framework, event)),
            allowed_mentions: Some(no_mentions()),
            initialize_owners: false,
            // The cooldown is `commands::check_cooldown`; poise's own would also remember every
            // user, channel and member that ever ran each command, and never forget them.
            manual_cooldowns: true,
            ..Default::default()
        })
        .setup(move |_, ready, framework| {
            Box::pin(async move {
                tracing::info!("connected as {} ({} commands)", ready.user.name, framework.options().commands.len());
                Ok(data)
            })
        })
        .build();
    Ok(serenity::ClientBuilder::new_with_http(http, intents).framework(framework).await?)
}

/// How long a shutdown waits for the gateway to close cleanly.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// How long one REST request may take.
const HTTP_TIMEOUT: Duration = Duration::from_secs(15);

/// Waits before each retry of a request that failed for a passing reason (a 5xx, a 429 through
/// a proxy, a timeout): 15 s in all, then the bot gives up.
const RETRY_DELAYS: [Duration; 4] =
    [Duration::from_secs(1), Duration::from_secs(2), Duration::from_secs(4), Duration::from_secs(8)];

/// Registers the slash commands in each guild of `guild_ids`, or globally when there are none,
/// retrying passing failures; a refusal (a stale guild id, a missing scope) fails at once.
async fn register(
    http: &serenity::Http,
    commands: &[poise::Command<Data, Error>],
    guild_ids: &[u64],
) -> Result<(), String> {
    let application = retrying(|| http.get_current_application_info())
        .await
        .map_err(|e| format!("cannot read the application: {e}"))?;
    http.set_application_id(application.id);
    let created = poise::builtins::create_application_commands(commands);
    if guild_ids.is_empty() {
        retrying(|| serenity::Command::set_global_commands(http, created.clone()))
            .await
            .map_err(|e| format!("cannot register the commands globally: {e}"))?;
    }
    for &guild in guild_ids {
        retrying(|| serenity::GuildId::new(guild).set_commands(http, created.clone()))
            .await
            .map_err(|e| format!("cannot register the commands in guild {guild} (check guild_ids): {e}"))?;
    }
    Ok(())
}

/// Runs `request`, again after each of [`RETRY_DELAYS`] while it fails for a passing reason.
async fn retrying<T, F: std::future::Future<Output = serenity::Result<T>>>(
    mut request: impl FnMut() -> F,
) -> serenity::Result<T> {
    let mut delays = RETRY_DELAYS.iter();
    loop {
        match request().await {
            Err(e) if is_passing(&e) => match delays.next() {
                Some(delay) => {
                    tracing::warn!("Discord request failed ({e}); retrying in {} s", delay.as_secs());
                    tokio::time::sleep(*delay).await;
                }
                None => return Err(e),
            },
            done => return done,
        }
    }
}

/// Whether a failed request may succeed if tried again: Discord's 5xx and 429, and failures
/// to connect or to get an answer in time.
fn is_passing(error: &serenity::Error) -> bool {
    match error {
        serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(response)) => {
            response.status_code.is_server_error() || response.status_code.as_u16() == 429
        }
        serenity::Error::Http(serenity::HttpError::Request(_)) => true,
        _ => false,
    }
}

/// Runs the bot until SIGINT or SIGTERM, then shuts the gateway down cleanly, keeping user data
/// at `location`.
///
/// It runs the shards `[discord] shards` names: by default as many as Discord recommends. When
/// Discord closes a session for too many servers per shard (close code 4011, reported by
/// `resharding`), it stops with an error saying so: started again (systemd's
/// `Restart=on-failure` does it), an automatic count asks Discord again, while a fixed total
/// must be raised by the operator. It does not restart the shards itself, because serenity 0.12
/// can spin forever closing a shard whose connection Discord already closed.
pub async fn run(
    config: &Config,
    token: &Secret,
    location: &StoreLocation,
    advisor: Advisor,
    resharding: &ShardingRequired,
) -> Result<(), String> {
    let opening = location.clone();
    let store: Arc<dyn Store> = tokio::task::spawn_blocking(move || crate::store::open(&opening))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("cannot open {location}: {e}"))?
        .into();
    tracing::info!("using {location}");
    let reloads = match location {
        StoreLocation::Postgres(url) => {
            let process = crate::store::reloads::process_name();
            let listening = Reloads::listen(url.expose(), process).await;
            Some(listening.map_err(|e| format!("cannot listen for reloads on the PostgreSQL store: {e}"))?)
        }
        StoreLocation::Sqlite(_) => None,
    };
    let health = match config.health.listen {
        Some(address) => Some(
            tokio::net::TcpListener::bind(address)
                .await
                .map_err(|e| format!("cannot serve health checks on {address}: {e}"))?,
        ),
        None => None,
    };
    let http = http(token, config.discord.api_proxy_url.as_deref());
    let settings = Settings::from_config(config);
    let mut client =
        client(http, settings, advisor, store.clone(), reloads).await.map_err(|e| format!("cannot start: {e}"))?;
    let manager = client.shard_manager.clone();
    tokio::spawn(buckets::prune_forever(client.http.clone()));
    if let Some(listener) = health {
        tokio::spawn(health::serve(listener, manager.clone(), store));
    }
    let shards = config.discord.shards.clone();
    let gateway = async {
        match &shards {
            Shards::Auto => client.start_autosharded().await,
            Shards::Range { ids, total } => client.start_shard_range(ids.clone(), *total).await,
        }
    };
    tokio::select! {
        result = gateway => result.map_err(gateway_error),
        () = shutdown_signal() => {
            tracing::info!("shutting down");
            stop(&manager).await;
            Ok(())
        }
        () = resharding.notified() => {
            stop(&manager).await;
            Err(match shards {
                Shards::Auto => "Discord requires more shards (close code 4011): start zincbot again and it will \
                                 run as many as Discord now recommends"
                    .to_string(),
                Shards::Range { total, .. } => format!(
                    "Discord requires more shards (close code 4011): raise shards.total in [discord] (now {total}) \
                     and give every process its part of the new range"
                ),
            })
        }
    }
}

/// Closes every shard's gateway cleanly while it is up, giving up after [`SHUTDOWN_GRACE`]. The
/// deadline is kept by a thread of its own: a shard stuck closing may hold up the runtime's
/// timers.
async fn stop(manager: &serenity::ShardManager) {
    let (deadline, passed) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        std::thread::sleep(SHUTDOWN_GRACE);
        let _ = deadline.send(());
    });
    tokio::select! {
        () = manager.shutdown_all() => {}
        _ = passed => tracing::warn!("the gateway did not close in time; exiting anyway"),
    }
}

/// The line an operator reads when the gateway refuses the bot.
fn gateway_error(e: serenity::Error) -> String {
    match e {
        serenity::Error::Gateway(serenity::GatewayError::DisallowedGatewayIntents) => {
            "Discord refused the Message Content intent: enable it for the bot in the developer portal \
             (Bot > Privileged Gateway Intents), or set message_content = false in [discord]"
                .to_string()
        }
        serenity::Error::Gateway(serenity::GatewayError::InvalidAuthentication) => {
            "Discord rejected the token: check DISCORD_TOKEN or [discord] token".to_string()
        }
        other => format!("gateway error: {other}"),
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(term) => term,
            Err(_) => return std::future::pending().await,
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

/// After urgent guidance in a server: logs the rule with ids only, and posts a notice in the
/// alert channel when one is set, with the category and a link but never the message text, so
/// a moderator can check in. Failing to post is logged, never shown to the member.
async fn alert(http: &serenity::Http, data: &Data, guild: Option<serenity::GuildId>, rule: &str, link: &str) {
    let Some(guild) = guild else { return };
    tracing::info!(rule, guild = guild.get(), "urgent guidance given");
    let Some(channel) = data.alert_channel else { return };
    let notice = format!(
        "**Urgent guidance given** ({rule}). Someone may need a human to check in: {link}\n\
         The bot has already shown them emergency or crisis contacts."
    );
    let message = serenity::CreateMessage::new().content(notice).allowed_mentions(no_mentions());
    if let Err(e) = retrying(|| channel.send_message(http, message.clone())).await {
        tracing::warn!(channel = channel.get(), "cannot post to the alert channel: {e}");
    }
}

/// Allowed mentions that mention nobody: no user text can ping @everyone, a role or a user.
pub fn no_mentions() -> serenity::CreateAllowedMentions {
    serenity::CreateAllowedMentions::new().empty_users().empty_roles().everyone(false).replied_user(false)
}

fn create_embed(embed: &Embed) -> serenity::CreateEmbed {
    let mut created =
        serenity::CreateEmbed::new().title(&embed.title).description(&embed.description).colour(embed.color);
    for field in &embed.fields {
        created = created.field(&field.name, &field.value, field.inline);
    }
    if !embed.footer.is_empty() {
        created = created.footer(serenity::CreateEmbedFooter::new(&embed.footer));
    }
    created
}

/// A short plain reply.
async fn say(ctx: Context<'_>, text: &str, ephemeral: bool) -> Result<(), Error> {
    let text = crate::text::clip(text, crate::render::discord::limits::CONTENT);
    send(ctx, poise::CreateReply::default().content(text).ephemeral(ephemeral).allowed_mentions(no_mentions())).await
}

/// Sends a command's reply, again when Discord failed it for a passing reason (a 5xx, or a 429
/// through a proxy), so an answer is not lost to one bad gateway. A reply Discord did take
/// before failing is refused on the retry ("already acknowledged"), never shown twice.
async fn send(ctx: Context<'_>, reply: poise::CreateReply) -> Result<(), Error> {
    retrying(|| ctx.send(reply.clone())).await?;
    Ok(())
}

/// A rendered message as a poise reply.
fn reply(message: &Message, ephemeral: bool) -> poise::CreateReply {
    reply_with_chart(message, ephemeral, None)
}

/// A rendered message as a poise reply, with `chart` (PNG bytes and a file name) attached and
/// shown as the first embed's image.
fn reply_with_chart(message: &Message, ephemeral: bool, chart: Option<(Vec<u8>, &str)>) -> poise::CreateReply {
    let mut reply = poise::CreateReply::default().ephemeral(ephemeral).allowed_mentions(no_mentions());
    for (i, embed) in message.embeds.iter().enumerate() {
        let mut created = create_embed(embed);
        if let (0, Some((_, name))) = (i, &chart) {
            created = created.image(format!("attachment://{name}"));
        }
        reply = reply.embed(created);
    }
    if let Some((png, name)) = chart {
        reply = reply.attachment(serenity::CreateAttachment::bytes(png, name));
    }
    reply.components(components(message))
}

/// The buttons and menu under a rendered message, a row each.
fn components(message: &Message) -> Vec<serenity::CreateActionRow> {
    let mut rows = Vec::new();
    if !message.buttons.is_empty() {
        let buttons = message
            .buttons
            .iter()
            .map(|b| serenity::CreateButton::new(&b.custom_id).label(&b.label).style(serenity::ButtonStyle::Secondary))
            .collect();
        rows.push(serenity::CreateActionRow::Buttons(buttons));
    }
    if let Some(menu) = &message.menu {
        let options =
            menu.options.iter().map(|(label, value)| serenity::CreateSelectMenuOption::new(label, value)).collect();
        let kind = serenity::CreateSelectMenuKind::String { options };
        rows.push(serenity::CreateActionRow::SelectMenu(
            serenity::CreateSelectMenu::new(&menu.custom_id, kind).placeholder(&menu.placeholder),
        ));
    }
    rows
}

/// Plain messages go to the listener, clicks on the controls under an answer to theirs.
async fn on_event(
    framework: poise::FrameworkContext<'_, Data, Error>,
    event: &serenity::FullEvent,
) -> Result<(), Error> {
    match event {
        serenity::FullEvent::Message { new_message } => listen::on_message(framework, new_message).await,
        serenity::FullEvent::InteractionCreate { interaction: serenity::Interaction::Component(click) } => {
            if log::on_click(framework, click).await? {
                return Ok(());
            }
            clicks::on_click(framework, click).await
        }
        _ => Ok(()),
    }
}
