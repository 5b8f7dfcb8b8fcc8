//! How many servings of a dish a mention means, and which part a stated amount belongs to.
//!
//! A dish is counted as its parts, each scaled by the servings read here: a count ("2 tacos"),
//! a size the dish file names ("large", "footlong", "14 inch"), its unit ("3 slices" of pizza),
//! a weight ("300 g lasagne": the recipe scaled to 300 g) or a bowl. An amount typed beside a
//! part's food ("porridge with 40 g oats") sets that part instead.

use crate::content::dishes::{Dish, Size};
use crate::content::foods::Food;
use crate::content::lexicon::FoodWords;
use crate::text;

use super::amount::{fmt, Amount, Unit, OUNCE_G};
use super::food;

/// Servings of `dish` in a mention whose words are `words`, with every assumption in `notes`.
pub fn servings(foods: &[Food], dish: &Dish, words: &[String], notes: &mut Vec<String>) -> f64 {
    let words = normalise(words);
    let (size, words) = match find_size(dish, &words) {
        Some((size, rest)) => (Some(size), rest),
        None => (None, words),
    };
    let amount = Amount::read(&words);
    notes.extend(amount.notes.iter().cloned());
    let unit = &dish.unit;
    let each = match (size, amount.measures.first()) {
        // "large pepperoni pizza, 3 slices": slices of a large pie.
        (Some(size), Some(measure)) if is_piece(dish, &measure.word) => {
            let whole = dish.sizes.iter().find(|s| s.words == ["whole"]).map_or(size.servings, |w| w.servings);
            let each = if size.servings > 1.0 { size.servings / whole } else { 1.0 };
            notes.push(format!(
                "\"{}\" is the size they came from: each counted as {} x 1 {unit}",
                size.label,
                fmt(each)
            ));
            each * measured(foods, dish, measure.value, measure.unit, &measure.word, notes)
        }
        (Some(size), _) => {
            notes.push(format!("\"{}\" counted as {} x 1 {unit}", size.label, fmt(size.servings)));
            size.servings
        }
        (None, Some(measure)) => measured(foods, dish, measure.value, measure.unit, &measure.word, notes),
        (None, None) => match amount.size.and_then(|s| named_size(dish, s)) {
            Some(size) => {
                notes.push(format!("{} counted as {} x 1 {unit}", size.label, fmt(size.servings)));
                size.servings
            }
            None => {
                if let Some(said) = amount.size {
                    notes.push(format!("no \"{said}\" size for this dish: counted 1 {unit}"));
                } else if !amount.stated {
                    notes.push(format!("no amount given: counted 1 {unit}"));
                }
                1.0
            }
        },
    };
    each * amount.count
}

/// What a dish is served in: a bowl or a plate of it is one serving, not a volume.
const SERVED_IN: [&str; 4] = ["bowl", "bowlful", "plate", "plateful"];

/// Whether the stemmed word `stem` names how `dish` is served ("plate", "bowl", its own unit):
/// beside the dish's name it says how much, not another food.
pub fn served_in(dish: &Dish, stem: &str) -> bool {
    stem == dish.unit || SERVED_IN.contains(&stem)
}

/// Servings in a measure: the dish's own unit counts one each; a weight scales the recipe.
fn measured(foods: &[Food], dish: &Dish, value: f64, unit: Unit, word: &str, notes: &mut Vec<String>) -> f64 {
    let recipe = dish.grams();
    let name = &dish.unit;
    let stem = text::stem(word);
    let by_weight = |grams: f64, notes: &mut Vec<String>| {
        notes.push(format!("{} g: the {} g recipe scaled to it", fmt(grams), fmt(recipe)));
        grams / recipe
    };
    match unit {
        Unit::Mass(g) => by_weight(value * g, notes),
        Unit::Handful => by_weight(value * OUNCE_G, notes),
        Unit::Volume(_) if SERVED_IN.contains(&stem.as_str()) => {
            if stem != *name {
                notes.push(format!("a {stem} counted as 1 {name}"));
            }
            value
        }
        Unit::Volume(ml) => match dish.parts.as_slice() {
            // A dish that is one SR28 food has that food's USDA volume weight.
            [only] => by_weight(value * ml * food::grams_per_ml(&foods[only.food], notes), notes),
            _ => {
                notes.push("a dish by volume: counted 1 g per ml".into());
                by_weight(value * ml, notes)
            }
        },
        Unit::Household(word) => {
            if let Some(pieces) = dish.pieces.filter(|_| word == "piece" && word != name) {
                notes.push(format!("a {name} counted as {} pieces", fmt(pieces)));
                return value / pieces;
            }
            if word != name && word != "serving" {
                notes.push(format!("a {word} counted as 1 {name}"));
            }
            value
        }
    }
}

/// The size named by a size word the amount reader knows (small, medium, large, jumbo).
fn named_size<'a>(dish: &'a Dish, said: &str) -> Option<&'a Size> {
    let alias = if said == "medium" { "regular" } else { said };
    dish.sizes.iter().find(|s| s.words == [said] || s.words == [alias])
}

/// The longest size phrase of the dish typed in `words`, and the words without it. A size
/// word before a unit sizes that unit, not the dish: "a whole slice of pizza" is one slice.
fn find_size<'a>(dish: &'a Dish, words: &[String]) -> Option<(&'a Size, Vec<String>)> {
    dish.sizes.iter().find_map(|size| {
        let n = size.words.len();
        let sizes_unit = |at: usize| words.get(at + n).is_some_and(|w| is_piece(dish, w));
        let at = (0..words.len().saturating_sub(n - 1))
            .find(|&at| words[at..at + n] == *size.words.as_slice() && !sizes_unit(at))?;
        let rest = words[..at].iter().chain(&words[at + n..]).cloned().collect();
        Some((size, rest))
    })
}

/// Whether `word` names a piece of `dish`: a slice or piece, or its own unit when that is a
/// piece of it, not a serving, bowl or plate.
fn is_piece(dish: &Dish, word: &str) -> bool {
    let unit_is_piece = dish.unit != "serving" && !SERVED_IN.contains(&dish.unit.as_str());
    matches!(super::amount::household_measure(word), Some("slice" | "piece"))
        || (unit_is_piece && text::stem(word) == dish.unit)
}

/// Writes inches one way: "14in", "14-inch", "14\"" and "14 inches" are all "14 inch"; "foot
/// long" is "footlong".
fn normalise(words: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    for word in words {
        let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '"');
        let tail = &word[digits.len()..];
        let is_number = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
        if is_number && matches!(tail, "in" | "inch" | "inches" | "\"") {
            out.push(digits.to_string());
            out.push("inch".into());
        } else if matches!(word.as_str(), "inches" | "in" | "\"")
            && out.last().is_some_and(|w| w.bytes().all(|b| b.is_ascii_digit()))
        {
            out.push("inch".into());
        } else if word == "long" && out.last().is_some_and(|w| w == "foot") {
            out.pop();
            out.push("footlong".into());
        } else {
            out.push(word.clone());
        }
    }
    out
}

/// The part of `dish` whose food is named by `beside` (stems of the words typed beside the
/// dish name), by the words of how the part is shown.
pub fn named_part(lexicon: &FoodWords, dish: &Dish, beside: &[String]) -> Option<usize> {
    let wanted: Vec<String> =
        beside.iter().map(|w| text::stem(w)).filter(|s| !super::food::is_filler(lexicon, s) && s.len() > 2).collect();
    if wanted.is_empty() {
        return None;
    }
    dish.parts.iter().position(|part| {
        let shown = text::tokens(&part.shown_as);
        wanted.iter().all(|w| shown.contains(w))
    })
}
