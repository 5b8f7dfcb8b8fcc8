//! Answers and estimates as Discord messages: embeds that always fit Discord's limits.
//!
//! Pure: this builds plain structs; the Discord shell turns them into API payloads. It is the
//! only place that knows the limits, and everything is trimmed or split to fit, never rejected.

use crate::advisor::{Advisor, Response};
use crate::ask::{Answer, AskStatus, Detail};
use crate::content::citations;
use crate::content::foods::Food;
use crate::content::topics::Source;
use crate::intake::amount::fmt;
use crate::intake::day::{Day, Week};
use crate::intake::{Estimate, Reference, Status};

use crate::text::clip;

/// Discord's limits, in characters.
pub mod limits {
    pub const CONTENT: usize = 2000;
    pub const TITLE: usize = 256;
    pub const DESCRIPTION: usize = 4096;
    pub const FIELDS: usize = 25;
    pub const FIELD_NAME: usize = 256;
    pub const FIELD_VALUE: usize = 1024;
    pub const FOOTER: usize = 2048;
    /// All embeds of one message together.
    pub const MESSAGE_EMBEDS_TOTAL: usize = 6000;
    pub const AUTOCOMPLETE_CHOICES: usize = 25;
    pub const MENU_OPTIONS: usize = 25;
    pub const BUTTON_LABEL: usize = 80;
    pub const CUSTOM_ID: usize = 100;
    pub const CHOICE_NAME: usize = 100;
}

/// Embed colours.
const URGENT: u32 = 0xC62828;
const ANSWERED: u32 = 0x00897B;
const DECLINED: u32 = 0x757575;
const ESTIMATE: u32 = 0x3949AB;
const WARNING: u32 = 0xEF6C00;

/// One embed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Embed {
    pub title: String,
    pub description: String,
    pub color: u32,
    pub fields: Vec<Field>,
    pub footer: String,
}

/// One embed field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub value: String,
    pub inline: bool,
}

impl Embed {
    fn field(&mut self, name: &str, value: &str, inline: bool) {
        if !value.trim().is_empty() {
            self.fields.push(Field { name: name.to_string(), value: value.to_string(), inline });
        }
    }

    /// The sources a text's markers number, as linked lines in up to three fields.
    fn sources(&mut self, sources: &[Source]) {
        for (i, chunk) in pack(&numbered(sources), "\n", limits::FIELD_VALUE).into_iter().take(3).enumerate() {
            self.field(if i == 0 { "Sources" } else { "More sources" }, &chunk, false);
        }
    }

    /// Characters Discord counts toward the 6,000 per message.
    pub fn size(&self) -> usize {
        let chars = |s: &str| s.chars().count();
        chars(&self.title)
            + chars(&self.description)
            + chars(&self.footer)
            + self.fields.iter().map(|f| chars(&f.name) + chars(&f.value)).sum::<usize>()
    }

    /// Trims every part to its limit, then the whole to `budget` characters: fields go first,
    /// from the last, then the description is shortened.
    fn fit(mut self, budget: usize) -> Embed {
        self.title = clip(&self.title, limits::TITLE);
        self.description = clip(&self.description, limits::DESCRIPTION);
        self.footer = clip(&self.footer, limits::FOOTER);
        self.fields.truncate(limits::FIELDS);
        for field in &mut self.fields {
            field.name = clip(&field.name, limits::FIELD_NAME);
            field.value = clip(&field.value, limits::FIELD_VALUE);
        }
        while self.size() > budget && !self.fields.is_empty() {
            self.fields.pop();
        }
        if self.size() > budget {
            let room = budget.saturating_sub(self.size() - self.description.chars().count());
            self.description = clip(&self.description, room);
        }
        self
    }
}

/// One Discord message: its embeds (the text content stays empty, so nothing can ping), and
/// the buttons and menu under it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Message {
    pub embeds: Vec<Embed>,
    pub buttons: Vec<Button>,
    pub menu: Option<Menu>,
}

/// Sources as linked lines numbered as the markers number them: `[1] [title](url)`.
fn numbered(sources: &[Source]) -> Vec<String> {
    sources
        .iter()
        .enumerate()
        .map(|(n, s)| format!("[{}] [{}]({})", n + 1, escape_link_text(&s.title), s.url))
        .collect()
}

impl From<Embed> for Message {
    fn from(embed: Embed) -> Message {
        Message { embeds: vec![embed], ..Message::default() }
    }
}

/// A button; its id says everything a click needs ([`Click`]), so it keeps working after a
/// restart.
#[derive(Debug, Clone, PartialEq)]
pub struct Button {
    pub label: String,
    pub custom_id: String,
}

/// A select menu of topics: each option's value is a topic id.
#[derive(Debug, Clone, PartialEq)]
pub struct Menu {
    pub custom_id: String,
    pub placeholder: String,
    /// (label, topic id), at most [`limits::MENU_OPTIONS`].
    pub options: Vec<(String, String)>,
}

/// What a click on a button or menu under an answer asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Click {
    /// A page of the topic's sections (`more:<topic>:<page>`).
    More { topic: String, page: usize },
    /// All the topic's sources (`sources:<topic>`).
    Sources { topic: String },
    /// The answer of the topic chosen in the related-topics menu (`related`).
    Related,
}

impl Click {
    /// The component id that asks for this.
    pub fn custom_id(&self) -> String {
        match self {
            Click::More { topic, page } => format!("more:{topic}:{page}"),
            Click::Sources { topic } => format!("sources:{topic}"),
            Click::Related => "related".to_string(),
        }
    }

    /// What a component id asks for, if it is one of ours.
    pub fn parse(custom_id: &str) -> Option<Click> {
        let mut parts = custom_id.split(':');
        let click = match (parts.next()?, parts.next(), parts.next()) {
            ("more", Some(topic), Some(page)) => Click::More { topic: topic.to_string(), page: page.parse().ok()? },
            ("sources", Some(topic), None) => Click::Sources { topic: topic.to_string() },
            ("related", None, None) => Click::Related,
            _ => return None,
        };
        parts.next().is_none().then_some(click)
    }
}

/// The messages answering one chat message: an answer, an estimate, or both (in one message
/// when they fit together, else two).
pub fn response(advisor: &Advisor, response: &Response) -> Vec<Message> {
    let embeds: Vec<Embed> = response
        .answer
        .iter()
        .flat_map(|a| answer_embeds(advisor, a))
        .chain(response.estimate.iter().map(|e| estimate(advisor, e)))
        .collect();
    with_controls(advisor, messages(embeds), response.answer.as_ref())
}

/// Embeds as messages: one when they fit together, else one each.
fn messages(embeds: Vec<Embed>) -> Vec<Message> {
    if embeds.iter().map(Embed::size).sum::<usize>() <= limits::MESSAGE_EMBEDS_TOTAL {
        vec![Message { embeds, ..Message::default() }]
    } else {
        embeds.into_iter().map(|e| Message { embeds: vec![e], ..Message::default() }).collect()
    }
}

/// An answer as messages: the urgent block first when there is one, then the answer that
/// follows it (together when they fit in one message).
pub fn answer_messages(advisor: &Advisor, a: &Answer) -> Vec<Message> {
    with_controls(advisor, messages(answer_embeds(advisor, a)), Some(a))
}

/// Puts the buttons and menu of the topic answered (directly, or after an urgent block) under
/// the first message: **More detail**, **Sources**, and the related topics.
fn with_controls(advisor: &Advisor, mut messages: Vec<Message>, answer: Option<&Answer>) -> Vec<Message> {
    let answered = answer.into_iter().flat_map(|a| std::iter::once(a).chain(a.also.as_deref()));
    let Some((topic, related)) =
        answered.filter(|a| a.status == AskStatus::Answered).find_map(|a| Some((a.topic.as_deref()?, &a.related)))
    else {
        return messages;
    };
    let Some(first) = messages.first_mut() else { return messages };
    first.buttons = vec![
        Button { label: "More detail".into(), custom_id: Click::More { topic: topic.into(), page: 0 }.custom_id() },
        Button { label: "Sources".into(), custom_id: Click::Sources { topic: topic.into() }.custom_id() },
    ];
    first.menu = related_menu(advisor, related);
    messages
}

/// The topics an answer lists as related (a further question's topic first) as a menu, when
/// it has any.
fn related_menu(advisor: &Advisor, related: &[String]) -> Option<Menu> {
    let options: Vec<(String, String)> = related
        .iter()
        .filter_map(|id| advisor.asker().topic(id))
        .take(limits::MENU_OPTIONS)
        .map(|t| (clip(&t.title, limits::BUTTON_LABEL), t.id.clone()))
        .collect();
    (!options.is_empty()).then(|| Menu {
        custom_id: Click::Related.custom_id(),
        placeholder: "Related topics".into(),
        options,
    })
}

/// The private reply to a click: a page of sections, the full source list, or a related
/// topic's answer; a topic that no longer exists (removed by a reload) is said to be gone.
pub fn click(advisor: &Advisor, click: &Click, chosen: Option<&str>) -> Message {
    let gone = || Message {
        embeds: vec![Embed {
            title: "No longer available".into(),
            description: "That topic is no longer in the library. Ask your question again.".into(),
            color: DECLINED,
            ..Embed::default()
        }],
        ..Message::default()
    };
    match click {
        Click::More { topic, page } => advisor.asker().detail(topic).map_or_else(gone, |d| detail_page(&d, *page)),
        Click::Sources { topic } => advisor.asker().topic(topic).map_or_else(gone, |t| {
            let embed = Embed {
                title: format!("Sources: {}", t.title),
                description: numbered(&t.sources).join("\n"),
                color: ANSWERED,
                footer: format!("Reviewed {}.", t.reviewed),
                ..Embed::default()
            };
            Message { embeds: vec![embed.fit(limits::MESSAGE_EMBEDS_TOTAL)], ..Message::default() }
        }),
        Click::Related => match chosen.and_then(|id| advisor.asker().answer_topic(id)) {
            Some(answer) => answer_messages(advisor, &answer).into_iter().next().unwrap_or_else(gone),
            None => gone(),
        },
    }
}

/// Page `page` of a topic's sections: one section, its markers numbering the sources listed
/// under it, with buttons to the pages before and after.
fn detail_page(detail: &Detail, page: usize) -> Message {
    let count = detail.sections.len();
    let page = page.min(count.saturating_sub(1));
    let Some((heading, text)) = detail.sections.get(page) else {
        let embed = Embed { title: detail.title.clone(), description: "No more detail.".into(), ..Embed::default() };
        return Message { embeds: vec![embed], ..Message::default() };
    };
    let (texts, sources) = citations::renumber(&[text.as_str()], &detail.sources);
    let mut embed = Embed {
        title: format!("{}: {heading}", detail.title),
        description: texts.into_iter().next().unwrap_or_default(),
        color: ANSWERED,
        footer: format!("Page {} of {count}. Reviewed {}.", page + 1, detail.reviewed),
        ..Embed::default()
    };
    embed.sources(&sources);
    let mut buttons = Vec::new();
    if page > 0 {
        let previous = Click::More { topic: detail.topic.clone(), page: page - 1 };
        buttons.push(Button { label: "Previous".into(), custom_id: previous.custom_id() });
    }
    if page + 1 < count {
        let next = Click::More { topic: detail.topic.clone(), page: page + 1 };
        buttons.push(Button { label: "Next".into(), custom_id: next.custom_id() });
    }
    Message { embeds: vec![embed.fit(limits::MESSAGE_EMBEDS_TOTAL)], buttons, menu: None }
}

fn answer_embeds(advisor: &Advisor, a: &Answer) -> Vec<Embed> {
    std::iter::once(answer(advisor, a)).chain(a.also.iter().map(|also| answer(advisor, also))).collect()
}

/// An answer as an embed: the reply, its evidence label, sources as links, related topics and
/// the disclaimer.
pub fn answer(advisor: &Advisor, a: &Answer) -> Embed {
    let color = match a.status {
        AskStatus::Urgent => URGENT,
        AskStatus::Answered => ANSWERED,
        AskStatus::Declined | AskStatus::NoMatch => DECLINED,
    };
    let mut description = a.note.as_ref().map_or_else(String::new, |note| format!("*{note}*\n\n"));
    description.push_str(a.text.trim());
    for caveat in &a.caveats {
        description.push_str(&format!("\n\n⚠️ {caveat}"));
    }
    if let Some(evidence) = &a.evidence {
        description.push_str(&format!("\n\n**Evidence:** {evidence}"));
    }
    let footer = match &a.reviewed {
        Some(reviewed) => format!("{} Reviewed {reviewed}.", a.disclaimer),
        None => a.disclaimer.clone(),
    };
    let mut embed = Embed { title: a.title.clone(), description, color, fields: Vec::new(), footer };
    embed.sources(&a.sources);
    let related: Vec<String> = a
        .related
        .iter()
        .filter_map(|slug| advisor.asker().topic(slug))
        .map(|t| format!("{} (`{}`)", t.title, t.id))
        .collect();
    if let Some(offer) = &a.also_asked {
        embed.field("You also asked about", &format!("{} (pick it in the menu below)", offer.title), false);
    }
    let label = if a.status == AskStatus::NoMatch { "Closest topics" } else { "Related" };
    embed.field(label, &related.join("\n"), false);
    embed.fit(limits::MESSAGE_EMBEDS_TOTAL / 2)
}

/// An estimate as an embed: the items as an aligned table in a code block, totals against the
/// RDA and UL, warnings, supplements and what was not recognised.
pub fn estimate(advisor: &Advisor, e: &Estimate) -> Embed {
    let mut embed = Embed {
        title: format!("Zinc estimate: {}", e.reference.label),
        color: if e.warnings.is_empty() { ESTIMATE } else { WARNING },
        footer: format!("{} Food values: USDA SR28 (NDB numbers shown).", advisor.asker().safety.disclaimer),
        ..Embed::default()
    };
    if e.status == Status::Empty {
        embed.description = super::INTAKE_USAGE.to_string();
        return embed.fit(limits::MESSAGE_EMBEDS_TOTAL / 2);
    }
    if !e.supplements.is_empty() {
        let lines: Vec<String> = e
            .supplements
            .iter()
            .map(|s| {
                let mark = if s.counted { "" } else { " (not counted)" };
                let notes = s.assumptions.join("; ");
                format!("**{}**: {} mg zinc ({}){mark}. {}", clip(&s.input, 60), s.elemental_zinc_mg, s.form, notes)
            })
            .collect();
        embed.field("Supplements", &lines.join("\n"), false);
    }
    if e.recognised() {
        let r = &e.reference;
        embed.field(
            "Zinc",
            &format!("**{} mg** (food {} + supplements {})", e.total_zinc_mg, e.food_zinc_mg, e.supplement_zinc_mg),
            true,
        );
        reference_fields(&mut embed, r);
        embed.field("Copper", &format!("{} mg", e.total_copper_mg), true);
    }
    warnings_field(&mut embed, &e.warnings);
    let unknown: Vec<String> = e
        .suggestions
        .iter()
        .map(|s| {
            let mut line = format!("`{}`", clip(&s.input, 60).replace('`', "'"));
            if !s.did_you_mean.is_empty() {
                line.push_str(&format!(" (did you mean {}?)", s.did_you_mean.join(", ")));
            }
            if let Some(hint) = &s.hint {
                line.push_str(&format!(": {hint}"));
            }
            line
        })
        .collect();
    embed.field("Not recognised", &unknown.join("\n"), false);
    // The table gets whatever room the totals, warnings and the rest leave.
    let budget = limits::MESSAGE_EMBEDS_TOTAL / 2;
    let mut embed = embed.fit(budget);
    let room = budget.saturating_sub(embed.size()).min(limits::DESCRIPTION);
    embed.description = items_table(e, room);
    embed.fit(budget)
}

/// A day of the log: each entry with its time, the total against the RDA and upper limit, the
/// warnings. The chart goes under it as the embed's image.
pub fn day(day: &Day) -> Embed {
    let mut embed = Embed {
        title: format!("Your zinc on {}", day.date),
        color: if day.warnings.is_empty() { ESTIMATE } else { WARNING },
        footer: "Only you see your log. /log undo removes the latest entry, /log forget erases it.".into(),
        ..Embed::default()
    };
    let lines: Vec<String> = day
        .entries
        .iter()
        .map(|e| format!("`{}` **{} mg** {}", e.at.get(11..16).unwrap_or(""), e.total_zinc_mg, clip(&e.input, 80)))
        .collect();
    embed.description =
        if lines.is_empty() { "Nothing logged yet today: `/log add`.".into() } else { lines.join("\n") };
    embed.field("Zinc today", &format!("**{} mg**", day.total_zinc_mg), true);
    reference_fields(&mut embed, &day.reference);
    embed.field("Copper today", &format!("{} mg", day.total_copper_mg), true);
    warnings_field(&mut embed, &day.warnings);
    embed.fit(limits::MESSAGE_EMBEDS_TOTAL / 2)
}

/// The RDA shares and the upper limit a total is measured against.
fn reference_fields(embed: &mut Embed, r: &Reference) {
    let shares: Vec<String> =
        r.rdas.iter().map(|s| format!("{}% of {} mg ({})", s.percent, s.rda_mg, s.label)).collect();
    embed.field("RDA", &shares.join("\n"), true);
    embed.field("Upper limit", &format!("{} mg a day", r.ul_mg), true);
}

/// The warnings, one a line (an empty field is left out).
fn warnings_field(embed: &mut Embed, warnings: &[String]) {
    embed.field("Warnings", &warnings.iter().map(|w| format!("⚠️ {w}")).collect::<Vec<_>>().join("\n"), false);
}

/// The last seven days of the log, a line each.
pub fn week(week: &Week) -> Embed {
    let lines: Vec<String> = week
        .days
        .iter()
        .map(|d| format!("`{}` **{} mg** zinc, {} mg copper", d.date, d.total_zinc_mg, d.total_copper_mg))
        .collect();
    let mut embed = Embed {
        title: "Your zinc, last 7 days".into(),
        description: lines.join("\n"),
        color: ESTIMATE,
        footer: "Only you see your log.".into(),
        ..Embed::default()
    };
    if let Some(r) = &week.reference {
        embed.field("RDA", &format!("{} mg ({})", r.rda_mg, r.label), true);
        embed.field("Upper limit", &format!("{} mg a day", r.ul_mg), true);
    }
    embed.fit(limits::MESSAGE_EMBEDS_TOTAL / 2)
}

/// One food: its USDA description and zinc per 100 g and per household portion.
pub fn food(advisor: &Advisor, food: &Food) -> Embed {
    let per = |grams: f64| food.zinc_mg_per_100g * grams / 100.0;
    let mut portions: Vec<String> = Vec::new();
    let default = food.portion.map(|i| &food.weights[i]);
    for weight in
        default.into_iter().chain(food.weights.iter().filter(|w| default.is_none_or(|d| !std::ptr::eq(*w, d)))).take(10)
    {
        portions.push(format!("{} ({} g): **{:.2} mg**", weight.label(), fmt(weight.grams), per(weight.grams)));
    }
    let copper = food.copper_mg_per_100g.map_or("no value in SR28".to_string(), |c| format!("{c} mg"));
    let mut embed = Embed {
        title: food.names.first().cloned().unwrap_or_else(|| food.description.clone()),
        description: format!(
            "{}
USDA SR28 NDB **{}**, {}

Zinc: **{} mg** per 100 g · copper: {copper} per 100 g",
            food.description, food.ndb, food.group, food.zinc_mg_per_100g
        ),
        color: ESTIMATE,
        fields: Vec::new(),
        footer: format!("{} Food values: USDA SR28.", advisor.asker().safety.disclaimer),
    };
    embed.field("Zinc per portion", &portions.join("\n"), false);
    embed.fit(limits::MESSAGE_EMBEDS_TOTAL / 2)
}

/// The topics the bot answers from.
pub fn topics(advisor: &Advisor) -> Embed {
    let lines: Vec<String> = advisor.asker().topics.iter().map(|t| format!("• {} (`{}`)", t.title, t.id)).collect();
    Embed {
        title: format!("{} topics", advisor.asker().topics.len()),
        description: lines.join("\n"),
        color: ANSWERED,
        fields: Vec::new(),
        footer: "Ask with /ask, or mention me with your question.".into(),
    }
    .fit(limits::MESSAGE_EMBEDS_TOTAL)
}

/// What the bot is, where its answers come from, and the disclaimer.
pub fn about(advisor: &Advisor) -> Embed {
    let mut sources: Vec<&str> =
        advisor.asker().topics.iter().flat_map(|t| t.sources.iter().map(|s| s.url.as_str())).collect();
    sources.sort();
    sources.dedup();
    let mut embed = Embed {
        title: "About zincbot".into(),
        description: advisor.asker().safety.about.trim().to_string(),
        color: ANSWERED,
        fields: Vec::new(),
        footer: advisor.asker().safety.disclaimer.clone(),
    };
    embed.field(
        "Content",
        &format!(
            "{} topics citing {} sources; {} foods from USDA SR28 ({} with chat names); reference values from the Institute of Medicine (2001).",
            advisor.asker().topics.len(),
            sources.len(),
            advisor.estimator().foods.table.foods.len(),
            advisor.estimator().foods.table.curated_count()
        ),
        false,
    );
    embed.fit(limits::MESSAGE_EMBEDS_TOTAL)
}

/// The items as a table in a code block with numbered notes under it, within `budget`
/// characters; rows that do not fit are counted, not dropped silently.
fn items_table(e: &Estimate, budget: usize) -> String {
    if e.items.is_empty() {
        return if e.supplements.is_empty() { "No food or supplement recognised.".into() } else { String::new() };
    }
    let name = |i: usize| super::item_label(e, i, 20).replace('`', "'");
    let width = (0..e.items.len()).map(|i| name(i).chars().count()).max().unwrap_or(4).max(4);
    let mut table = format!("```\n{:<3}{:<width$} {:>7} {:>7}  NDB\n", "#", "item", "grams", "zinc mg");
    let mut notes = String::new();
    let mut shown = 0;
    for (i, item) in e.items.iter().enumerate() {
        let mark = if item.counted { "" } else { "*" };
        let row = format!(
            "{:<3}{:<width$} {:>7.1} {:>7.2}  {}{mark}\n",
            i + 1,
            name(i),
            item.grams,
            item.zinc_mg,
            item.food_id
        );
        let note = format!("{}. {}: {}\n", i + 1, clip(&item.food, 70), clip(&item.assumptions.join("; "), 220));
        let used = table.chars().count() + row.chars().count() + notes.chars().count() + note.chars().count();
        if used + 120 > budget {
            break;
        }
        table.push_str(&row);
        notes.push_str(&note);
        shown += 1;
    }
    table.push_str("```\n");
    if shown < e.items.len() {
        notes.push_str(&format!(
            "… and {} more items not shown here (the totals include them).\n",
            e.items.len() - shown
        ));
    }
    if e.items.iter().any(|i| !i.counted) {
        notes.push_str("\\* implausible amount: not counted.\n");
    }
    format!("{table}{notes}")
}

/// Joins `parts` into chunks of at most `max` characters, each part whole where it fits.
fn pack(parts: &[String], separator: &str, max: usize) -> Vec<String> {
    let mut chunks: Vec<String> = Vec::new();
    for part in parts {
        let part = clip(part, max);
        match chunks.last_mut() {
            Some(last) if last.chars().count() + separator.len() + part.chars().count() <= max => {
                last.push_str(separator);
                last.push_str(&part);
            }
            _ => chunks.push(part),
        }
    }
    chunks
}

/// Square brackets would end a Markdown link's text early.
fn escape_link_text(text: &str) -> String {
    text.replace('[', "(").replace(']', ")")
}

/// Autocomplete choices: at most 25, each name within 100 characters.
pub fn choices(names: impl IntoIterator<Item = String>) -> Vec<String> {
    names.into_iter().take(limits::AUTOCOMPLETE_CHOICES).map(|n| clip(&n, limits::CHOICE_NAME)).collect()
}

/// Splits plain text into messages of at most 2,000 characters, at line ends where possible.
pub fn split_text(text: &str) -> Vec<String> {
    let lines: Vec<String> = text.lines().map(String::from).collect();
    let mut out = pack(&lines, "\n", limits::CONTENT);
    out.retain(|m| !m.trim().is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeds_are_trimmed_to_every_limit() {
        let long = "x".repeat(10_000);
        let mut embed =
            Embed { title: long.clone(), description: long.clone(), footer: long.clone(), ..Embed::default() };
        for _ in 0..40 {
            embed.field(&long, &long, false);
        }
        let fitted = embed.fit(limits::MESSAGE_EMBEDS_TOTAL);
        assert!(fitted.title.chars().count() <= limits::TITLE);
        assert!(fitted.description.chars().count() <= limits::DESCRIPTION);
        assert!(fitted.footer.chars().count() <= limits::FOOTER);
        assert!(fitted.fields.len() <= limits::FIELDS);
        assert!(fitted.fields.iter().all(|f| f.value.chars().count() <= limits::FIELD_VALUE));
        assert!(fitted.size() <= limits::MESSAGE_EMBEDS_TOTAL);
    }

    #[test]
    fn packing_keeps_parts_whole_and_within_the_limit() {
        let parts: Vec<String> = (0..100).map(|i| format!("line {i} {}", "y".repeat(50))).collect();
        let chunks = pack(&parts, "\n", 1024);
        assert!(chunks.len() > 1);
        assert!(chunks.iter().all(|c| c.chars().count() <= 1024));
        assert_eq!(chunks.join("\n"), parts.join("\n"));
    }

    #[test]
    fn text_splits_into_messages_of_2000() {
        let text = (0..300).map(|i| format!("line {i}: {}", "z".repeat(20))).collect::<Vec<_>>().join("\n");
        let messages = split_text(&text);
        assert!(messages.len() >= 4);
        assert!(messages.iter().all(|m| m.chars().count() <= limits::CONTENT));
    }

    #[test]
    fn autocomplete_gives_at_most_25_short_choices() {
        let choices = choices((0..100).map(|i| format!("{i} {}", "a".repeat(200))));
        assert_eq!(choices.len(), 25);
        assert!(choices.iter().all(|c| c.chars().count() <= 100));
    }
}
