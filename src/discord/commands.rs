//! The slash commands and the "Estimate zinc" message command. Each is a plain documented async
//! function; poise turns the doc comments into the descriptions people see in Discord and in
//! `/help`.

use std::time::Duration;

use poise::serenity_prelude as serenity;

use super::{reply, say, send, Chosen, Context, Data, Error};
use crate::advisor::Advisor;
use crate::ask::{Answer, AskStatus};
use crate::intake::Estimate;
use crate::render::discord as draw;
use crate::store::Store;
use crate::text;

/// Every command the bot registers.
pub fn all() -> Vec<poise::Command<Data, Error>> {
    vec![
        ask(),
        intake(),
        food(),
        supplement(),
        profile(),
        super::log::log(),
        topics(),
        about(),
        help(),
        reload(),
        estimate_zinc(),
    ]
}

/// Ask a question about zinc and autoimmunity
///
/// Answers come from curated, sourced topics, with an evidence label. Examples: "is zinc bad for
/// lupus?", "how much is too much", "zinc and cipro?".
#[poise::command(slash_command)]
pub async fn ask(
    ctx: Context<'_>,
    #[description = "Your question, e.g. is zinc bad for lupus?"]
    #[max_length = 1000]
    question: String,
) -> Result<(), Error> {
    let advisor = ctx.data().advisor();
    let answer = advisor.ask(&question);
    for message in draw::answer_messages(&advisor, &answer) {
        send(ctx, reply(&message, false)).await?;
    }
    if answer.status == AskStatus::Urgent {
        alert_from(ctx, &answer).await;
    }
    Ok(())
}

/// Shows the urgent guidance for `text`, if it needs any, before the command does anything
/// else with it.
async fn urgent_first(ctx: Context<'_>, advisor: &Advisor, text: &str, ephemeral: bool) -> Result<(), Error> {
    if let Some(answer) = advisor.urgent(text) {
        for message in draw::answer_messages(advisor, &answer) {
            send(ctx, reply(&message, ephemeral)).await?;
        }
        alert_from(ctx, &answer).await;
    }
    Ok(())
}

/// Tells the moderators about urgent guidance given in reply to a command, linking the channel.
async fn alert_from(ctx: Context<'_>, answer: &Answer) {
    let guild = ctx.guild_id();
    let link = match guild {
        Some(guild) => format!("https://discord.com/channels/{}/{}", guild.get(), ctx.channel_id().get()),
        None => return,
    };
    let rule = answer.rule.as_deref().unwrap_or("urgent");
    super::alert(ctx.http(), ctx.data(), guild, rule, &link).await;
}

/// Estimate zinc and copper in what you ate
///
/// Type foods and supplements separated by commas, e.g. "2 eggs, 100g beef, 1/2 cup lentils, a
/// handful of cashews, zinc gluconate 50mg". Every amount comes from USDA data, and every
/// assumption is shown.
#[poise::command(slash_command)]
pub async fn intake(
    ctx: Context<'_>,
    #[description = "What you ate, e.g. 2 eggs, 100g beef, zinc gluconate 50mg"]
    #[max_length = 2000]
    foods: String,
    #[description = "Life stage for the RDA and upper limit (default: your saved profile)"]
    #[autocomplete = "autocomplete_profile"]
    profile: Option<String>,
    #[description = "Only you see the reply (default: yes)"] private: Option<bool>,
) -> Result<(), Error> {
    let advisor = ctx.data().advisor();
    let private = private.unwrap_or(true);
    urgent_first(ctx, &advisor, &foods, private).await?;
    let chosen = match profile {
        Some(name) => match advisor.profile(Some(&name)) {
            Ok(profile) => Chosen { profile, note: None },
            Err(e) => return say(ctx, &e, true).await,
        },
        None => chosen_for(ctx, &advisor, private).await?,
    };
    let estimate = advisor.intake(&foods, chosen.profile);
    send_estimate(ctx, &advisor, &foods, estimate, chosen, private).await
}

/// Zinc in one food, per common portion
#[poise::command(slash_command)]
pub async fn food(
    ctx: Context<'_>,
    #[description = "A food, e.g. lentils"]
    #[autocomplete = "autocomplete_food"]
    #[max_length = 100]
    name: String,
) -> Result<(), Error> {
    let advisor = ctx.data().advisor();
    let embed = match advisor.food(&name) {
        Some(food) => draw::food(&advisor, food),
        None => return say(ctx, &format!("I could not find a food called \"{}\".", text::fold(&name)), true).await,
    };
    send(ctx, reply(&draw::Message::from(embed), false)).await?;
    Ok(())
}

/// Elemental zinc in a supplement dose, against the upper limit
#[poise::command(slash_command)]
pub async fn supplement(
    ctx: Context<'_>,
    #[description = "The form on the label, e.g. zinc gluconate"]
    #[autocomplete = "autocomplete_form"]
    #[max_length = 100]
    form: String,
    #[description = "The amount on the label, in mg"]
    #[min = 0.0]
    #[max = 10000.0]
    amount_mg: f64,
) -> Result<(), Error> {
    let advisor = ctx.data().advisor();
    let chosen = chosen_for(ctx, &advisor, true).await?;
    match advisor.supplement(&form, amount_mg, chosen.profile) {
        Ok(estimate) => {
            let typed = format!("{form} {amount_mg} mg");
            send_estimate(ctx, &advisor, &typed, estimate, chosen, true).await
        }
        Err(refusal) => say(ctx, &refusal, true).await,
    }
}

/// Your life stage, used for the RDA and upper limit in your estimates
#[poise::command(slash_command, subcommands("profile_set", "profile_show", "profile_forget"), subcommand_required)]
pub async fn profile(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Save your life stage (only you see this)
#[poise::command(slash_command, rename = "set")]
pub async fn profile_set(
    ctx: Context<'_>,
    #[description = "e.g. adult-female, adult-male, pregnant, lactating, child-4-8"]
    #[autocomplete = "autocomplete_profile"]
    life_stage: String,
    #[description = "Your time zone, for your log's days, e.g. Europe/London"]
    #[autocomplete = "autocomplete_time_zone"]
    #[max_length = 64]
    time_zone: Option<String>,
) -> Result<(), Error> {
    let advisor = ctx.data().advisor();
    let zone = match time_zone.as_deref().map(|name| (name, crate::log::zone(name))) {
        Some((name, None)) => {
            return say(
                ctx,
                &format!("I don't know the time zone \"{name}\": pick one from the list, e.g. Europe/London."),
                true,
            )
            .await
        }
        _ => time_zone,
    };
    let message = match advisor.profile(Some(&life_stage)) {
        Ok(profile) => {
            let (user, stage, zone2) = (ctx.author().id.get(), profile.id.clone(), zone.clone());
            on_store(ctx, move |store| {
                store.set_life_stage(user, &stage)?;
                match zone2 {
                    Some(zone) => store.set_time_zone(user, &zone),
                    None => Ok(()),
                }
            })
            .await??;
            let zone = zone.map(|z| format!(" and time zone **{z}**")).unwrap_or_default();
            format!("Saved: **{}**{zone}. Your estimates now use it. `/profile forget` deletes it.", profile.label)
        }
        Err(e) => e,
    };
    say(ctx, &message, true).await
}

/// Show your saved life stage (only you see this)
#[poise::command(slash_command, rename = "show")]
pub async fn profile_show(ctx: Context<'_>) -> Result<(), Error> {
    let advisor = ctx.data().advisor();
    let user = ctx.author().id.get();
    let message = match on_store(ctx, move |store| store.life_stage(user)).await?? {
        Some(stage) => format!(
            "Your life stage: **{stage}**. The bot stores only this, your user id, your time zone if you gave one, and your log if you keep one."
        ),
        None => format!(
            "No life stage saved; estimates use **{}**. Set one with `/profile set`.",
            advisor.estimator().reference.default().label
        ),
    };
    say(ctx, &message, true).await
}

/// Delete everything the bot stores about you (only you see this)
#[poise::command(slash_command, rename = "forget")]
pub async fn profile_forget(ctx: Context<'_>) -> Result<(), Error> {
    let user = ctx.author().id.get();
    let message = if on_store(ctx, move |store| store.forget(user)).await?? {
        "Deleted: the bot no longer stores anything about you."
    } else {
        "The bot had nothing stored about you."
    };
    say(ctx, message, true).await
}

/// List the topics the bot answers from
#[poise::command(slash_command)]
pub async fn topics(ctx: Context<'_>) -> Result<(), Error> {
    let advisor = ctx.data().advisor();
    send(ctx, reply(&draw::Message::from(draw::topics(&advisor)), true)).await?;
    Ok(())
}

/// What this bot is, where its answers come from, and its limits
#[poise::command(slash_command)]
pub async fn about(ctx: Context<'_>) -> Result<(), Error> {
    let advisor = ctx.data().advisor();
    send(ctx, reply(&draw::Message::from(draw::about(&advisor)), false)).await?;
    Ok(())
}

/// Show the commands and how to use them
#[poise::command(slash_command)]
pub async fn help(
    ctx: Context<'_>,
    #[description = "A command to explain, e.g. intake"]
    #[max_length = 32]
    command: Option<String>,
) -> Result<(), Error> {
    let commands = &ctx.framework().options().commands;
    let wanted = command.as_deref().map(|c| c.trim_start_matches('/').to_lowercase());
    let mut lines = Vec::new();
    for command in commands.iter().filter(|c| wanted.as_deref().is_none_or(|w| c.name == w)) {
        let usage = |c: &poise::Command<Data, Error>, prefix: &str| {
            let options: Vec<String> = c
                .parameters
                .iter()
                .map(|p| if p.required { p.name.to_string() } else { format!("[{}]", p.name) })
                .collect();
            let name = if c.context_menu_name.is_some() {
                format!("(message menu) {}", c.name)
            } else {
                format!("/{prefix}{}", c.name)
            };
            format!("**{}** {}: {}", name.trim(), options.join(" "), c.description.as_deref().unwrap_or(""))
        };
        if command.subcommands.is_empty() {
            lines.push(usage(command, ""));
        } else {
            for sub in &command.subcommands {
                lines.push(usage(sub, &format!("{} ", command.name)));
            }
        }
        if wanted.is_some() {
            if let Some(text) = &command.help_text {
                lines.push(text.to_string());
            }
        }
    }
    if lines.is_empty() {
        lines.push(format!("There is no command called {}.", wanted.unwrap_or_default()));
    }
    lines.push(
        "\nYou can also mention me, or type a food list or a zinc question in the channels I listen to. Not medical advice."
            .into(),
    );
    for part in draw::split_text(&lines.join("\n")) {
        say(ctx, &part, true).await?;
    }
    Ok(())
}

/// Reload the content folder (bot admins only)
///
/// A content folder with errors is refused whole: the bot keeps answering from what it had, and
/// the errors are listed for the moderator. The reload applies to every server the bot is in, so
/// only the bot's admins (`[discord] admins`) and the application's owner may run it. With a
/// shared PostgreSQL store it reaches every process of the bot, each checking its own folder.
#[poise::command(slash_command, guild_only, default_member_permissions = "MANAGE_GUILD")]
pub async fn reload(ctx: Context<'_>) -> Result<(), Error> {
    if !is_bot_admin(ctx).await {
        let text = "Only the bot's admins (`[discord] admins` in its config) or its owner can reload the content: \
                    it changes the answers in every server the bot is in.";
        return say(ctx, text, true).await;
    }
    if ctx.data().shared.is_some() {
        // The other processes get a few seconds to answer: past Discord's time for a reply.
        ctx.defer_ephemeral().await?;
    }
    let here = ctx.data().advisor.reload().await;
    let others = match (&here, &ctx.data().shared) {
        (Ok(_), Some(shared)) => Some(shared.everywhere().await.map_err(|e| e.to_string())),
        _ => None,
    };
    let message = super::reload::summary(here, others);
    for part in draw::split_text(&message) {
        say(ctx, &part, true).await?;
    }
    Ok(())
}

/// Estimate zinc in a message
#[poise::command(context_menu_command = "Estimate zinc")]
pub async fn estimate_zinc(ctx: Context<'_>, message: serenity::Message) -> Result<(), Error> {
    let advisor = ctx.data().advisor();
    urgent_first(ctx, &advisor, &message.content, true).await?;
    let chosen = chosen_for(ctx, &advisor, true).await?;
    let estimate = advisor.intake(&message.content, chosen.profile);
    send_estimate(ctx, &advisor, &message.content, estimate, chosen, true).await
}

/// How long a store call may take before the reply is deferred: Discord drops an interaction
/// not answered within 3 s.
const DEFER_AFTER: Duration = Duration::from_millis(1500);

/// Runs `f` on the store off the async runtime; when the store is slow (another process holding
/// its lock), the reply is deferred first, privately, so the interaction does not expire.
async fn on_store<T: Send + 'static>(
    ctx: Context<'_>,
    f: impl FnOnce(&dyn Store) -> T + Send + 'static,
) -> Result<T, Error> {
    let mut call = std::pin::pin!(ctx.data().on_store(f));
    match tokio::time::timeout(DEFER_AFTER, &mut call).await {
        Ok(done) => done,
        Err(_) => {
            ctx.defer_ephemeral().await?;
            call.await
        }
    }
}

/// The life stage for a reply to the author: their saved one only when the reply is private.
async fn chosen_for<'a>(ctx: Context<'_>, advisor: &'a Advisor, private: bool) -> Result<Chosen<'a>, Error> {
    let user = ctx.author().id;
    let saved = if private { Some(on_store(ctx, move |store| store.life_stage(user.get())).await?) } else { None };
    Ok(super::choose(advisor, user, saved))
}

/// Sends an estimate of `typed`, with the note about the life stage it uses first among its
/// warnings, a **Log it** button when something was recognised, and its chart when charts are on.
async fn send_estimate(
    ctx: Context<'_>,
    advisor: &Advisor,
    typed: &str,
    mut estimate: Estimate,
    chosen: Chosen<'_>,
    ephemeral: bool,
) -> Result<(), Error> {
    chosen.annotate(&mut estimate);
    let mut message = draw::Message::from(draw::estimate(advisor, &estimate));
    let recognised = estimate.recognised();
    if recognised {
        message.buttons.push(ctx.data().pending.button(ctx.author().id.get(), typed));
    }
    let chart = match recognised && ctx.data().charts {
        true => {
            let estimate = estimate.clone();
            ctx.data().chart(move || crate::chart::estimate_png(&estimate)).await
        }
        false => None,
    };
    let chart = chart.map(|png| (png, "estimate.png"));
    let reply = super::reply_with_chart(&message, ephemeral, chart);
    send(ctx, reply).await?;
    Ok(())
}

/// Whether the member who ran the command is one of the bot's admins, by user or role, or the
/// application's owner (or a member of the team that owns it).
async fn is_bot_admin(ctx: Context<'_>) -> bool {
    let admins = &ctx.data().admins;
    let author = ctx.author().id;
    let by_role = match ctx {
        poise::Context::Application(app) => {
            app.interaction.member.as_ref().is_some_and(|m| m.roles.iter().any(|r| admins.contains(&r.get())))
        }
        poise::Context::Prefix(_) => false,
    };
    if admins.contains(&author.get()) || by_role {
        return true;
    }
    match ctx.http().get_current_application_info().await {
        Ok(info) => {
            info.owner.is_some_and(|owner| owner.id == author)
                || info.team.is_some_and(|team| team.members.iter().any(|m| m.user.id == author))
        }
        Err(e) => {
            tracing::warn!("cannot read the application's owner: {e}");
            false
        }
    }
}

async fn autocomplete_profile(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    let advisor = ctx.data().advisor();
    let partial = text::fold(partial);
    let choices = advisor
        .estimator()
        .reference
        .profiles
        .iter()
        .filter(|p| p.id.contains(&partial) || text::fold(&p.label).contains(&partial))
        .map(|p| (format!("{} ({})", p.id, p.label), p.id.clone()));
    autocomplete(choices)
}

async fn autocomplete_time_zone(_: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    let names = crate::log::zone_names(partial, draw::limits::AUTOCOMPLETE_CHOICES);
    autocomplete(names.into_iter().map(|n| (n.clone(), n)))
}

async fn autocomplete_food(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    let advisor = ctx.data().advisor();
    autocomplete(advisor.food_names(partial, draw::limits::AUTOCOMPLETE_CHOICES).into_iter())
}

async fn autocomplete_form(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    let advisor = ctx.data().advisor();
    let partial = text::fold(partial);
    let choices = advisor
        .estimator()
        .supplements
        .forms
        .iter()
        .filter(|f| text::fold(&f.name).contains(&partial))
        .map(|f| (f.name.clone(), f.name.clone()));
    autocomplete(choices)
}

/// At most 25 choices, each label within Discord's 100 characters.
fn autocomplete(choices: impl Iterator<Item = (String, String)>) -> serenity::CreateAutocompleteResponse {
    let (names, values): (Vec<String>, Vec<String>) = choices.take(draw::limits::AUTOCOMPLETE_CHOICES).unzip();
    let choices = draw::choices(names)
        .into_iter()
        .zip(values)
        .map(|(name, value)| {
            serenity::AutocompleteChoice::new(name, crate::text::clip(&value, draw::limits::CHOICE_NAME))
        })
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// The per-user cooldown, checked before every command: one turn per invocation.
pub async fn check_cooldown(ctx: Context<'_>) -> Result<bool, Error> {
    // Typing into an option (autocomplete) is not a request.
    if let poise::Context::Application(app) = ctx {
        if app.interaction_type == poise::CommandInteractionType::Autocomplete {
            return Ok(true);
        }
    }
    // Poise runs this check for a subcommand's parent too: the first run takes the turn.
    if ctx.invocation_data::<TurnTaken>().await.is_some() {
        return Ok(true);
    }
    ctx.set_invocation_data(TurnTaken).await;
    // Someone asking for help in an emergency is never told to wait.
    let advisor = ctx.data().advisor();
    if typed_text(ctx).iter().any(|text| advisor.is_urgent(text)) {
        return Ok(true);
    }
    match ctx.data().cooldown.take(ctx.author().id.get()) {
        None => Ok(true),
        Some(wait) => {
            let text = format!("You're sending requests quickly: try again in {:.0} s.", wait.as_secs_f64().ceil());
            say(ctx, &text, true).await?;
            Ok(false)
        }
    }
}

/// Marks an invocation whose cooldown turn was taken.
struct TurnTaken;

/// The free text a command was given: its string options, and the message a message command
/// was used on.
fn typed_text(ctx: Context<'_>) -> Vec<String> {
    let poise::Context::Application(app) = ctx else { return Vec::new() };
    let mut texts: Vec<String> = app
        .args
        .iter()
        .filter_map(|option| match &option.value {
            serenity::ResolvedValue::String(text) => Some(text.to_string()),
            _ => None,
        })
        .collect();
    if let Some(messages) = app.interaction.data.resolved.messages.values().next() {
        texts.push(messages.content.clone());
    }
    texts
}

/// Failures become a short private reply; the details go to the log, never to the channel.
pub async fn on_error(error: poise::FrameworkError<'_, Data, Error>) {
    match error {
        poise::FrameworkError::CommandCheckFailed { .. } => {}
        poise::FrameworkError::Command { error, ctx, .. } => {
            tracing::error!("/{} failed: {error}", ctx.command().qualified_name);
            let _ = say(ctx, "Sorry, something went wrong on my side. Please try again later.", true).await;
        }
        // The payload is left out of the log: it may quote what someone typed.
        poise::FrameworkError::CommandPanic { ctx, .. } => {
            tracing::error!("/{} panicked", ctx.command().qualified_name);
            let _ = say(ctx, "Sorry, something went wrong on my side. Please try again later.", true).await;
        }
        other => {
            if let Err(e) = poise::builtins::on_error(other).await {
                tracing::error!("while handling an error: {e}");
            }
        }
    }
}
