//! The intake log on Discord: `/log` and the **Log it** button under estimates. Every reply is
//! private to the member it is about, and a day is the member's own, in the time zone saved with
//! `/profile set` (UTC until one is).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use jiff::tz::TimeZone;
use jiff::Timestamp;
use poise::serenity_prelude as serenity;

use super::{no_mentions, say, send, Context, Data, Error};
use crate::advisor::Advisor;
use crate::chart;
use crate::log::{Log, LogError};
use crate::render::discord as draw;
use crate::store::Store;

/// Estimates shown with a **Log it** button, kept until clicked or crowded out, so the button
/// can log exactly what was estimated. Tokens start from the clock, so a button from before a
/// restart finds nothing rather than someone else's list.
pub struct Pending {
    next: AtomicU64,
    lists: Mutex<VecDeque<(u64, u64, String)>>,
}

/// The most estimates waiting for a click; the oldest go first.
const MAX_PENDING: usize = 10_000;
/// The prefix of a **Log it** button's id; the token follows.
const BUTTON: &str = "log:";

impl Pending {
    pub fn new() -> Pending {
        let start =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64);
        Pending { next: AtomicU64::new(start), lists: Mutex::new(VecDeque::new()) }
    }

    /// Holds `text`, estimated for `user`, and returns the button that logs it.
    pub fn button(&self, user: u64, text: &str) -> draw::Button {
        let token = self.next.fetch_add(1, Ordering::Relaxed);
        let mut lists = self.lists.lock().unwrap_or_else(|e| e.into_inner());
        if lists.len() >= MAX_PENDING {
            lists.pop_front();
        }
        lists.push_back((token, user, text.to_string()));
        draw::Button { label: "Log it".into(), custom_id: format!("{BUTTON}{token}") }
    }

    /// The list behind a button, if it is still held and `user` is the one it was estimated for.
    fn take(&self, token: u64, user: u64) -> Result<String, &'static str> {
        let mut lists = self.lists.lock().unwrap_or_else(|e| e.into_inner());
        let at = lists
            .iter()
            .position(|(t, _, _)| *t == token)
            .ok_or("This estimate is no longer held (the bot restarted or many came since): log it with /log add.")?;
        if lists[at].1 != user {
            return Err("Only the person this estimate is for can log it.");
        }
        Ok(lists.remove(at).map(|(_, _, text)| text).unwrap_or_default())
    }
}

impl Default for Pending {
    fn default() -> Self {
        Pending::new()
    }
}

/// Your zinc log: add what you ate, see today or the week (only you see it)
#[poise::command(
    slash_command,
    subcommands("log_add", "log_today", "log_week", "log_undo", "log_export", "log_forget"),
    subcommand_required
)]
pub async fn log(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Estimate a food list and add it to today's log
#[poise::command(slash_command, rename = "add")]
pub async fn log_add(
    ctx: Context<'_>,
    #[description = "What you ate, e.g. 2 eggs, 100g beef, zinc gluconate 50mg"]
    #[max_length = 2000]
    foods: String,
) -> Result<(), Error> {
    let reply = logged(ctx.data(), ctx.author().id.get(), foods).await?;
    say(ctx, &reply, true).await
}

/// Today's log, its total against your RDA and upper limit, and a chart
#[poise::command(slash_command, rename = "today")]
pub async fn log_today(ctx: Context<'_>) -> Result<(), Error> {
    let read = |log: &Log, advisor: &Advisor| {
        log.today(advisor.estimator(), log.profile(advisor.estimator()), Timestamp::now())
    };
    show(ctx, read, draw::day, chart::day_png, "today.png").await
}

/// The last seven days, and a chart
#[poise::command(slash_command, rename = "week")]
pub async fn log_week(ctx: Context<'_>) -> Result<(), Error> {
    let read = |log: &Log, advisor: &Advisor| log.week(log.profile(advisor.estimator()), Timestamp::now());
    show(ctx, read, draw::week, chart::week_png, "week.png").await
}

/// Part of the member's log, read by `read` off the async runtime, shown privately as the embed
/// `embed` draws with its chart (`name`) attached; a log that cannot be read says why.
async fn show<T: Send + 'static>(
    ctx: Context<'_>,
    read: impl FnOnce(&Log, &Advisor) -> Result<T, LogError> + Send + 'static,
    embed: fn(&T) -> draw::Embed,
    png: fn(&T) -> Result<Vec<u8>, String>,
    name: &str,
) -> Result<(), Error> {
    let (user, advisor, keep_days) = (ctx.author().id.get(), ctx.data().advisor(), ctx.data().keep_days);
    let part = ctx.data().on_store(move |store| read(&member_log(store, user, keep_days), &advisor)).await?;
    match part {
        Ok(part) => {
            let embed = embed(&part);
            let chart = ctx.data().chart(move || png(&part)).await.map(|png| (png, name));
            send(ctx, super::reply_with_chart(&draw::Message::from(embed), true, chart)).await
        }
        Err(e) => say(ctx, &e.to_string(), true).await,
    }
}

/// Remove your latest log entry
#[poise::command(slash_command, rename = "undo")]
pub async fn log_undo(ctx: Context<'_>) -> Result<(), Error> {
    let (user, keep_days) = (ctx.author().id.get(), ctx.data().keep_days);
    let removed = ctx.data().on_store(move |store| member_log(store, user, keep_days).undo()).await?;
    let text = match removed {
        Ok(Some(entry)) => format!("Removed your latest entry: {}", crate::text::clip(&entry.input, 200)),
        Ok(None) => "Your log is empty: nothing to undo.".to_string(),
        Err(e) => e.to_string(),
    };
    say(ctx, &text, true).await
}

/// Download your log as a CSV file
#[poise::command(slash_command, rename = "export")]
pub async fn log_export(ctx: Context<'_>) -> Result<(), Error> {
    let (user, keep_days) = (ctx.author().id.get(), ctx.data().keep_days);
    let (entries, file) = ctx
        .data()
        .on_store(move |store| -> Result<(usize, Vec<u8>), Error> {
            let log = member_log(store, user, keep_days);
            let rows = store.log_since(&log.user, 0)?;
            Ok((rows.len(), csv(&log, &rows)?))
        })
        .await??;
    if entries == 0 {
        return say(ctx, "Your log is empty: nothing to export.", true).await;
    }
    let attachment = serenity::CreateAttachment::bytes(file, "zinc-log.csv");
    let text = format!("Your log: {entries} entries. It holds what you typed and the totals, nothing else.");
    send(
        ctx,
        poise::CreateReply::default()
            .content(text)
            .attachment(attachment)
            .ephemeral(true)
            .allowed_mentions(no_mentions()),
    )
    .await?;
    Ok(())
}

/// Erase your whole log (your profile stays; /profile forget erases both)
#[poise::command(slash_command, rename = "forget")]
pub async fn log_forget(ctx: Context<'_>) -> Result<(), Error> {
    let user = ctx.author().id.get();
    let erased = ctx.data().on_store(move |store| store.log_forget(&user.to_string())).await??;
    say(ctx, &format!("Erased your log ({erased} entries)."), true).await
}

/// A click on **Log it**: logs the estimate held for that button, privately.
pub async fn on_click(
    framework: poise::FrameworkContext<'_, Data, Error>,
    interaction: &serenity::ComponentInteraction,
) -> Result<bool, Error> {
    let Some(token) = interaction.data.custom_id.strip_prefix(BUTTON) else { return Ok(false) };
    let data = framework.user_data;
    let user = interaction.user.id.get();
    let text = match token.parse().map_err(|_| "Unknown button.").and_then(|t| data.pending.take(t, user)) {
        Ok(text) => logged(data, user, text).await?,
        Err(why) => why.to_string(),
    };
    let reply =
        serenity::CreateInteractionResponseMessage::new().content(text).ephemeral(true).allowed_mentions(no_mentions());
    let response = serenity::CreateInteractionResponse::Message(reply);
    let http = &framework.serenity_context.http;
    super::retrying(|| interaction.create_response(http, response.clone())).await?;
    Ok(true)
}

/// Logs `text` for `user` and says how the day stands, or why nothing was logged.
async fn logged(data: &Data, user: u64, text: String) -> Result<String, Error> {
    let (advisor, keep_days) = (data.advisor(), data.keep_days);
    let outcome = data
        .on_store(move |store| {
            let log = member_log(store, user, keep_days);
            let profile = log.profile(advisor.estimator());
            let now = Timestamp::now();
            log.add(advisor.estimator(), &text, profile, now)?;
            log.today(advisor.estimator(), profile, now)
        })
        .await?;
    Ok(match outcome {
        Ok(day) => format!(
            "Logged. Today ({}) so far: **{} mg** of zinc in {} entries, against an RDA of {} mg and an upper limit of {} mg. `/log today` shows the day.",
            day.date,
            day.total_zinc_mg,
            day.entries.len(),
            day.reference.rda_mg,
            day.reference.ul_mg
        ),
        Err(e @ (LogError::Empty | LogError::NothingRecognized)) => format!("{e}."),
        Err(e) => return Err(e.into()),
    })
}

/// A member's log in their saved time zone, UTC until they save one.
fn member_log(store: &dyn Store, user: u64, keep_days: u32) -> Log<'_> {
    Log::of(store, &user.to_string(), TimeZone::UTC, keep_days)
}

/// The log as CSV: local time, what was typed, the totals.
fn csv(log: &Log, rows: &[crate::store::LogRow]) -> Result<Vec<u8>, Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(["at", "input", "total_zinc_mg", "total_copper_mg"])?;
    for row in rows {
        let at = log.local_time(row.at);
        out.write_record([at, row.input.clone(), row.zinc_mg.to_string(), row.copper_mg.to_string()])?;
    }
    Ok(out.into_inner().map_err(|e| e.to_string())?)
}
