//! Turns results into text people read. Pure: deciding happens in the engines, showing here.

pub mod discord;

use crate::ask::{Answer, AskStatus, Detail};
use crate::intake::day::{Day, Week};
use crate::intake::{Estimate, Status};
use crate::text::clip;

/// What to type, shown for empty input.
pub const INTAKE_USAGE: &str = "Type what you ate, separated by commas or on separate lines, for example:\n  2 eggs, 100g beef, 1/2 cup lentils, a handful of cashews, zinc gluconate 50mg";

/// How item `i` is labelled in a table: what was typed, clipped to `width`, or "+" for the
/// second and later parts of a dish, so a dish reads as one mention and its parts.
pub fn item_label(e: &Estimate, i: usize, width: usize) -> String {
    let item = &e.items[i];
    let same_dish = |before: &crate::intake::FoodItem| {
        before.dish.is_some() && before.dish == item.dish && before.input == item.input
    };
    if i > 0 && same_dish(&e.items[i - 1]) {
        "  +".to_string()
    } else {
        clip(&item.input, width)
    }
}

/// A day of the log as plain text: each entry with its time, then the total against the RDA
/// and the upper limit, and the warnings.
pub fn day_text(day: &Day) -> String {
    let mut out = format!("zinc log for {}\n", day.date);
    if day.entries.is_empty() {
        out.push_str("nothing logged yet today\n");
    }
    for entry in &day.entries {
        let time = entry.at.get(11..16).unwrap_or("");
        out.push_str(&format!("  {time}  {:>6.2} mg  {}\n", entry.total_zinc_mg, clip(&entry.input, 60)));
    }
    let r = &day.reference;
    let shares: Vec<String> =
        r.rdas.iter().map(|s| format!("{}% of the {} mg RDA for {}", s.percent, s.rda_mg, s.label)).collect();
    out.push_str(&format!(
        "\nzinc today: {} mg ({}); upper limit {} mg\n",
        day.total_zinc_mg,
        shares.join(", "),
        r.ul_mg
    ));
    out.push_str(&format!("copper today: {} mg\n", day.total_copper_mg));
    for w in &day.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    out
}

/// A week of the log as plain text: a line per day, oldest first.
pub fn week_text(week: &Week) -> String {
    let mut out = String::from("zinc log, last 7 days\n");
    for day in &week.days {
        out.push_str(&format!(
            "  {}  {:>6.2} mg zinc  {:>6.3} mg copper\n",
            day.date, day.total_zinc_mg, day.total_copper_mg
        ));
    }
    if let Some(r) = &week.reference {
        out.push_str(&format!("RDA {} mg ({}); upper limit {} mg a day\n", r.rda_mg, r.label, r.ul_mg));
    }
    out
}

/// The estimate as a plain-text report: a table of items, totals against the RDA and UL,
/// warnings, and what was not recognised.
pub fn estimate_text(e: &Estimate) -> String {
    if e.status == Status::Empty {
        return format!("{INTAKE_USAGE}\n");
    }
    let mut out = String::new();
    if !e.items.is_empty() {
        let width = (0..e.items.len()).map(|i| item_label(e, i, 32).chars().count()).max().unwrap_or(4).max(4);
        out.push_str(&format!("{:<width$}  {:>7}  {:>7}  food (USDA NDB)\n", "item", "grams", "zinc mg"));
        for (i, item) in e.items.iter().enumerate() {
            let mark = if item.counted { "" } else { " [not counted]" };
            out.push_str(&format!(
                "{:<width$}  {:>7.1}  {:>7.2}  {} ({}){mark}\n",
                item_label(e, i, 32),
                item.grams,
                item.zinc_mg,
                clip(&item.food, 60),
                item.food_id
            ));
            for note in &item.assumptions {
                out.push_str(&format!("{:<width$}    - {note}\n", ""));
            }
        }
    }
    if !e.supplements.is_empty() {
        out.push_str("\nsupplements\n");
        for s in &e.supplements {
            let mark = if s.counted { "" } else { " [not counted]" };
            out.push_str(&format!(
                "  {}: {} mg elemental zinc ({}){mark}\n",
                clip(&s.input, 40),
                s.elemental_zinc_mg,
                s.form
            ));
            for note in &s.assumptions {
                out.push_str(&format!("    - {note}\n"));
            }
        }
    }
    if e.recognised() {
        let r = &e.reference;
        out.push_str(&format!(
            "\nzinc: {} mg from food + {} mg from supplements = {} mg\n",
            e.food_zinc_mg, e.supplement_zinc_mg, e.total_zinc_mg
        ));
        let shares: Vec<String> =
            r.rdas.iter().map(|s| format!("{}% of the {} mg RDA for {}", s.percent, s.rda_mg, s.label)).collect();
        out.push_str(&format!("profile {}: {}; upper limit {} mg a day\n", r.label, shares.join(", "), r.ul_mg));
        out.push_str(&format!("copper: {} mg\n", e.total_copper_mg));
    }
    if !e.warnings.is_empty() {
        out.push('\n');
        for w in &e.warnings {
            out.push_str(&format!("warning: {w}\n"));
        }
    }
    if !e.suggestions.is_empty() {
        out.push_str("\nnot recognised:\n");
        for s in &e.suggestions {
            let mut line = format!("  {}", clip(&s.input, 60));
            if !s.did_you_mean.is_empty() {
                line.push_str(&format!(" (did you mean: {}?)", s.did_you_mean.join(", ")));
            }
            if let Some(hint) = &s.hint {
                line.push_str(&format!(" - {hint}"));
            }
            out.push_str(&line);
            out.push('\n');
        }
    }
    if e.status == Status::NothingRecognized && e.suggestions.is_empty() {
        out.push_str(&format!("No food or supplement found.\n{INTAKE_USAGE}\n"));
    }
    out
}

/// An answer as plain text: title and evidence label, the answer, its sources and related
/// topics; after an urgent block, the answer that follows it; then the disclaimer.
pub fn answer_text(a: &Answer) -> String {
    let mut out = answer_body(a);
    if let Some(also) = &a.also {
        out.push('\n');
        out.push_str(&answer_body(also));
    }
    out.push_str(&format!("\n{}\n", a.disclaimer));
    out
}

/// A topic's sections as plain text, each sentence's markers numbering the sources listed
/// after them.
pub fn detail_text(d: &Detail) -> String {
    let mut out = format!("{}: more detail\n", d.title);
    for (heading, text) in &d.sections {
        out.push_str(&format!("\n## {heading}\n{}\n", text.trim()));
    }
    push_sources(&mut out, &d.sources);
    out.push_str(&format!("reviewed {}\n", d.reviewed));
    out
}

/// The numbered source list under a text whose markers number them.
fn push_sources(out: &mut String, sources: &[crate::content::topics::Source]) {
    if !sources.is_empty() {
        out.push_str("\nsources:\n");
        for (n, s) in sources.iter().enumerate() {
            out.push_str(&format!("  [{}] {}: {}\n", n + 1, s.title, s.url));
        }
    }
}

fn answer_body(a: &Answer) -> String {
    let mut out = String::new();
    match (a.status, &a.evidence) {
        (AskStatus::Answered, Some(evidence)) => out.push_str(&format!("{} [evidence: {evidence}]\n\n", a.title)),
        (AskStatus::Urgent, _) => {}
        _ => out.push_str(&format!("{}\n\n", a.title)),
    }
    if let Some(note) = &a.note {
        out.push_str(&format!("{note}\n\n"));
    }
    out.push_str(a.text.trim());
    out.push('\n');
    for caveat in &a.caveats {
        out.push_str(&format!("\n  ! {caveat}"));
    }
    if !a.caveats.is_empty() {
        out.push('\n');
    }
    push_sources(&mut out, &a.sources);
    if let Some(reviewed) = &a.reviewed {
        out.push_str(&format!("reviewed {reviewed}\n"));
    }
    if let Some(offer) = &a.also_asked {
        out.push_str(&format!("\nyou also asked about: {} (ask it on its own for that answer)\n", offer.title));
    }
    if !a.related.is_empty() {
        out.push_str(&format!("\nrelated: {}\n", a.related.join(", ")));
    }
    out
}
