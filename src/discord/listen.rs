//! Plain messages: in the channels the bot listens to, and wherever it is mentioned, a food list
//! gets an estimate and a question gets an answer. Chit-chat, other bots and the bot itself get
//! nothing.

use poise::serenity_prelude as serenity;

use super::{alert, components, create_embed, no_mentions, Data, Error};
use crate::advisor::Addressed;
use crate::ask::AskStatus;
use crate::render::discord as draw;

pub async fn on_message(
    framework: poise::FrameworkContext<'_, Data, Error>,
    message: &serenity::Message,
) -> Result<(), Error> {
    let data = framework.user_data;
    let bot = framework.bot_id;
    if message.author.bot || message.author.id == bot || message.webhook_id.is_some() {
        return Ok(());
    }
    let mentioned = data.reply_to_mentions && message.mentions.iter().any(|u| u.id == bot);
    let addressed = if mentioned {
        Addressed::Directly
    } else if data.listens_in(&framework.serenity_context.http, message).await {
        Addressed::Passively
    } else {
        return Ok(());
    };
    let text = crate::text::without_markup(&message.content);
    let advisor = data.advisor();
    // Someone over the cooldown costs no work, unless they may need urgent guidance.
    if data.cooldown.wait(message.author.id.get()).is_some() && !advisor.is_urgent(&text) {
        return Ok(());
    }
    // A reply in a server is public: only in a direct message is the saved life stage used.
    let user = message.author.id;
    let saved = match message.guild_id {
        None => Some(data.on_store(move |store| store.life_stage(user.get())).await?),
        Some(_) => None,
    };
    let chosen = super::choose(&advisor, user, saved);
    let mut response = advisor.respond(&text, chosen.profile, addressed);
    if let Some(estimate) = response.estimate.as_mut() {
        chosen.annotate(estimate);
    }
    if response.is_silent() {
        return Ok(());
    }
    let urgent = response.answer.as_ref().filter(|a| a.status == AskStatus::Urgent);
    // Urgent guidance is never held back by the cooldown.
    if urgent.is_none() && data.cooldown.take(message.author.id.get()).is_some() {
        return Ok(());
    }
    let ctx = framework.serenity_context;
    let mut rendered = draw::response(&advisor, &response);
    let recognised = response.estimate.as_ref().is_some_and(|e| e.recognised());
    if let Some(last) = rendered.last_mut().filter(|_| recognised) {
        last.buttons.push(data.pending.button(message.author.id.get(), &text));
    }
    for rendered in rendered {
        let embeds = rendered.embeds.iter().map(create_embed).collect();
        // If the message is deleted meanwhile, the reply is still posted, just without the link.
        let reference = serenity::MessageReference::from(message).fail_if_not_exists(false);
        let reply = serenity::CreateMessage::new()
            .embeds(embeds)
            .components(components(&rendered))
            .reference_message(reference)
            .allowed_mentions(no_mentions());
        super::retrying(|| message.channel_id.send_message(&ctx.http, reply.clone())).await?;
    }
    if let Some(answer) = urgent {
        let link = message.link();
        alert(&ctx.http, data, message.guild_id, answer.rule.as_deref().unwrap_or("urgent"), &link).await;
    }
    Ok(())
}
