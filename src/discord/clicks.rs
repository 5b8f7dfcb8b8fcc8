//! Clicks on the buttons and menu under an answer: **More detail** (the topic's sections, a page
//! at a time), **Sources** (all of them) and a related topic. The component's id carries the
//! topic and page, so a button keeps working after a restart; a topic removed since answers
//! with a short note. Replies are private to whoever clicked.

use poise::serenity_prelude as serenity;

use super::{components, create_embed, no_mentions, Data, Error};
use crate::render::discord as draw;

pub async fn on_click(
    framework: poise::FrameworkContext<'_, Data, Error>,
    interaction: &serenity::ComponentInteraction,
) -> Result<(), Error> {
    let Some(click) = draw::Click::parse(&interaction.data.custom_id) else {
        return Ok(());
    };
    let chosen = match &interaction.data.kind {
        serenity::ComponentInteractionDataKind::StringSelect { values } => values.first().map(String::as_str),
        _ => None,
    };
    let advisor = framework.user_data.advisor();
    let rendered = draw::click(&advisor, &click, chosen);
    let embeds: Vec<_> = rendered.embeds.iter().map(create_embed).collect();
    // Paging through a private page turns that page; anything else opens a private reply.
    let paging = interaction.message.flags.is_some_and(|f| f.contains(serenity::MessageFlags::EPHEMERAL));
    let response = if paging && matches!(click, draw::Click::More { .. }) {
        let page = serenity::CreateInteractionResponseMessage::new().embeds(embeds).components(components(&rendered));
        serenity::CreateInteractionResponse::UpdateMessage(page)
    } else {
        let reply = serenity::CreateInteractionResponseMessage::new()
            .embeds(embeds)
            .components(components(&rendered))
            .ephemeral(true)
            .allowed_mentions(no_mentions());
        serenity::CreateInteractionResponse::Message(reply)
    };
    let http = &framework.serenity_context.http;
    super::retrying(|| interaction.create_response(http, response.clone())).await?;
    Ok(())
}
