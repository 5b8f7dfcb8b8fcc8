//! Plain messages: in the channels the bot listens to, and wherever it is mentioned, a food list
//! gets an estimate and a question gets an answer. Chit-chat, other bots and the bot itself get
//! nothing.

use poise::serenity_prelude as serenity;

use super::{create_embed, no_mentions, Data, Error};
use crate::advisor::Addressed;
use crate::render::discord as draw;

pub async fn on_event(
    framework: poise::FrameworkContext<'_, Data, Error>,
    event: &serenity::FullEvent,
) -> Result<(), Error> {
    if let serenity::FullEvent::Message { new_message } = event {
        on_message(framework, new_message).await?;
    }
    Ok(())
}

async fn on_message(
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
    } else if data.listen_channels.contains(&message.channel_id.get()) {
        Addressed::Passively
    } else {
        return Ok(());
    };
    let text = without_mentions(&message.content);
    let advisor = data.advisor();
    let profile = data.profile_of(&advisor, message.author.id);
    let response = advisor.respond(&text, profile, addressed);
    if response.is_silent() {
        return Ok(());
    }
    if data.cooldown.take(message.author.id.get()).is_some() {
        return Ok(());
    }
    let ctx = framework.serenity_context;
    for rendered in draw::response(advisor.library(), &response) {
        let embeds = rendered.embeds.iter().map(create_embed).collect();
        let reply =
            serenity::CreateMessage::new().embeds(embeds).reference_message(message).allowed_mentions(no_mentions());
        message.channel_id.send_message(&ctx.http, reply).await?;
    }
    Ok(())
}

/// The message without user, role and channel mentions (`<@123>`, `<@&5>`, `<#7>`).
fn without_mentions(content: &str) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let end = tail.find('>').filter(|&e| e < 40);
        let is_mention = end.is_some_and(|e| {
            let inner = tail[1..e].trim_start_matches(['@', '#', '!', '&']);
            e > 2 && !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit())
        });
        match end {
            Some(e) if is_mention => {
                out.push(' ');
                rest = &tail[e + 1..];
            }
            _ => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_removed() {
        assert_eq!(without_mentions("<@123> is zinc ok? <#9>").trim(), "is zinc ok?");
        assert_eq!(without_mentions("<@!42>2 eggs"), " 2 eggs");
        assert_eq!(without_mentions("2 < 3 and <3"), "2 < 3 and <3");
    }
}
