//! Reads zinc supplements: "zinc gluconate 50mg", "zinc 25 mg (citrate)", "220mg zinc sulfate",
//! lozenges and multivitamins with a stated zinc amount.
//!
//! A stated dose is read as elemental zinc, the US Supplement Facts convention, and the other
//! reading (the weight of the salt) is shown as an assumption. A dose too large to be elemental
//! zinc in a commercial product, with a salt named, is read as the salt's weight instead.

use crate::content::lexicon::FoodWords;
use crate::content::supplements::{Form, Product, SupplementTable};
use crate::text;

use super::amount::{fmt, parse_number, Amount, Unit};

/// A supplement mention, read.
#[derive(Debug, Clone, PartialEq)]
pub enum Reading {
    Dose {
        form: String,
        stated_mg: f64,
        elemental_mg: f64,
        notes: Vec<String>,
    },
    /// A supplement without a zinc amount; the hint says what to add.
    NoAmount {
        hint: String,
    },
}

/// Whether a mention is about a zinc supplement rather than a food: it names zinc, a product
/// or a form.
pub fn is_supplement(table: &SupplementTable, lexicon: &FoodWords, stems: &[String]) -> bool {
    let any = |phrases: &[String]| phrases.iter().any(|p| has_phrase(stems, p));
    stems.iter().any(|s| lexicon.zinc.contains(s))
        || any(&table.multivitamin_words)
        || any(&table.lozenge_words)
        || any(&table.label_products)
        || table.forms.iter().any(|f| f.words.iter().any(|w| has_phrase(stems, w)))
}

/// Whether the words of `phrase` (space-separated stems) appear in a row in `stems`.
fn has_phrase(stems: &[String], phrase: &str) -> bool {
    let parts: Vec<&str> = phrase.split(' ').collect();
    stems.windows(parts.len()).any(|w| w.iter().zip(&parts).all(|(a, b)| a == b))
}

/// Reads a supplement mention whose amount has been parsed.
pub fn read(table: &SupplementTable, stems: &[String], amount: &Amount) -> Reading {
    let mut notes = Vec::new();
    let form = best_form(table, stems);
    let multivitamin = table.multivitamin_words.iter().any(|p| has_phrase(stems, p));
    let lozenge = table.lozenge_words.iter().any(|p| has_phrase(stems, p));
    let product = table.label_products.iter().find(|p| has_phrase(stems, p));
    let kind = match (form, product, multivitamin, lozenge) {
        (Some(f), _, _, _) => f.name.clone(),
        (None, Some(product), _, _) => product.clone(),
        (None, None, true, _) => "multivitamin".to_string(),
        (None, None, false, true) => "zinc lozenge".to_string(),
        (None, None, false, false) => "zinc (form not stated)".to_string(),
    };
    let mut count = amount.count;
    let mut dose_mg = None;
    for m in &amount.measures {
        match m.unit {
            Unit::Mass(grams) if dose_mg.is_none() => dose_mg = Some(m.value * grams * 1000.0),
            Unit::Household(_) => count *= m.value,
            _ => {}
        }
    }
    // "zinc 50" with no unit: a bare number that large is a dose in mg, not a count; a
    // multivitamin's number is part of its name ("One A Day 50").
    if dose_mg.is_none() && amount.count >= 5.0 && !multivitamin {
        dose_mg = Some(amount.count);
        count = 1.0;
        notes.push(format!("read {} as mg", fmt(amount.count)));
    }
    let Some(stated) = dose_mg else {
        let what = match product {
            Some(product) => product.as_str(),
            None if multivitamin => "multivitamin",
            None if lozenge => "lozenge",
            None => "zinc supplement",
        };
        return Reading::NoAmount {
            hint: format!("{what}: add the zinc amount from the label, for example \"{what} 15 mg zinc\""),
        };
    };
    let elemental_said = stems.iter().any(|s| s == "elemental");
    let per_dose = match form {
        Some(f) if !elemental_said && stated > table.salt_weight_above_mg => {
            let zinc = stated * f.fraction;
            notes.push(format!(
                "{} mg read as the weight of {} ({}% zinc): {} mg of zinc; if the label says {} mg of zinc, it is {} mg",
                fmt(stated), f.name, fmt(f.fraction * 100.0), fmt(zinc), fmt(stated), fmt(stated)
            ));
            zinc
        }
        Some(f) if !elemental_said => {
            notes.push(format!(
                "{} mg read as elemental zinc, as US labels state it; if {} mg is the weight of {} itself, it is {} mg of zinc",
                fmt(stated), fmt(stated), f.name, fmt(stated * f.fraction)
            ));
            stated
        }
        _ => stated,
    };
    if count != 1.0 {
        notes.push(format!("{} doses of {} mg", fmt(count), fmt(per_dose)));
    }
    Reading::Dose { form: kind, stated_mg: stated * count, elemental_mg: per_dose * count, notes }
}

/// The product a mention names, by its longest matching name ("centrum silver" before
/// "centrum").
pub fn product<'a>(table: &'a SupplementTable, stems: &[String]) -> Option<&'a Product> {
    longest(table.products.iter().map(|p| (p, &p.names)), stems)
}

/// Reads a product named without a dose: the units typed ("2 tablets", "x3"), or the label's
/// daily serving when none are, times the zinc its label states per unit.
pub fn read_product(product: &Product, amount: &Amount) -> Reading {
    let unit = &product.unit;
    let mut notes = vec![format!(
        "{}: {} mg of zinc per {unit} ({}), as its label states ({}, read {})",
        product.label,
        fmt(product.zinc_mg),
        product.form,
        product.source,
        product.checked
    )];
    let typed: f64 = amount.measures.iter().filter(|m| matches!(m.unit, Unit::Household(_))).map(|m| m.value).product();
    let units = if amount.stated {
        typed * amount.count
    } else if let Some(per_day) = product.per_day {
        notes.push(format!("no amount given: counted the label's daily serving, {} {unit}", fmt(per_day)));
        per_day
    } else {
        notes.push(format!("no amount given: counted 1 {unit}"));
        1.0
    };
    if units != 1.0 && amount.stated {
        notes.push(format!("{} x {} mg", fmt(units), fmt(product.zinc_mg)));
    }
    let zinc = units * product.zinc_mg;
    Reading::Dose { form: product.label.clone(), stated_mg: zinc, elemental_mg: zinc, notes }
}

/// The form named by the longest matching phrase ("sulfate monohydrate" before "sulfate").
fn best_form<'a>(table: &'a SupplementTable, stems: &[String]) -> Option<&'a Form> {
    longest(table.forms.iter().map(|f| (f, &f.words)), stems)
}

/// Of `things`, each with its phrases (space-separated stems), the one with the longest phrase
/// found in `stems`.
fn longest<'a, T>(things: impl Iterator<Item = (&'a T, &'a Vec<String>)>, stems: &[String]) -> Option<&'a T> {
    things
        .flat_map(|(thing, phrases)| phrases.iter().map(move |p| (p, thing)))
        .filter(|(phrase, _)| has_phrase(stems, phrase))
        .max_by_key(|(phrase, _)| phrase.split(' ').count())
        .map(|(_, thing)| thing)
}

/// Stems of a mention's words, for the checks above.
pub fn stems(words: &[String]) -> Vec<String> {
    words.iter().map(|w| text::stem(w)).filter(|w| parse_number(w).is_none()).collect()
}
