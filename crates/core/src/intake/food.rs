//! Finds the food a mention names, and its weight in grams.
//!
//! Curated chat names come first: a name matches when all its words are in the mention, and the
//! name with the most words wins, so "peanut butter" is never butter and "oyster sauce" is never
//! oysters. Words no name knows are corrected to the nearest name word when they look like a
//! typo. Failing that, the plain USDA descriptions of all of SR28 are searched, and the match is
//! reported with its description so the person can check it.

use std::cmp::Reverse;

use crate::content::dishes::Dish;
use crate::content::foods::{Food, Weight};
use crate::content::lexicon::{Brand, FoodWords};
use crate::text;

use super::amount::{fmt, Amount, Measure, Unit, CUP_ML, OUNCE_G};
use super::index::{FoodIndex, Named};

/// Whether a stemmed word carries no food meaning: filler, preparation or a number.
pub fn is_filler(lexicon: &FoodWords, word: &str) -> bool {
    lexicon.filler.contains(word) || lexicon.cooking.contains(word) || word.starts_with(|c: char| c.is_ascii_digit())
}

/// The result of looking a mention up.
#[derive(Debug, Clone)]
pub enum Lookup<'a> {
    Found {
        food: &'a Food,
        notes: Vec<String>,
    },
    /// A dish, to be counted as its parts; `beside` holds the words typed beside its name that
    /// are not filler ("with 100 g turkey").
    Dish {
        dish: &'a Dish,
        notes: Vec<String>,
        beside: Vec<String>,
    },
    /// Nothing matched; up to three chat names that come close.
    Unknown {
        did_you_mean: Vec<String>,
    },
    /// Only filler words: not a food mention at all.
    Nothing,
}

/// Finds the food named by `rest` (a mention's words without its amount).
pub fn lookup<'a>(index: &'a FoodIndex, rest: &[String]) -> Lookup<'a> {
    let plurals = &index.lexicon.plurals;
    let respelled: Vec<String>;
    let rest = if rest.iter().any(|w| plurals.contains_key(w)) {
        let plural = |w: &String| plurals.get(w).cloned().unwrap_or_else(|| vec![w.clone()]);
        respelled = rest.iter().flat_map(plural).collect();
        &respelled
    } else {
        rest
    };
    let stems: Vec<String> = rest.iter().map(|w| text::stem(w)).collect();
    if stems.iter().all(|s| is_filler(&index.lexicon, s)) {
        return Lookup::Nothing;
    }
    let mut notes = Vec::new();
    let stems = correct_typos(index, rest, stems, &mut notes);
    if let Some(named) = best_name(index, &stems, None).map(|named| headed(index, &stems, named)) {
        return match index.names[named.name].named {
            Named::Dish(dish) => {
                let dish = &index.table.dishes[dish];
                // What it was served in ("2 plates") is its amount, not something beside it.
                let beside = (0..stems.len())
                    .filter(|&i| {
                        !named.used[i]
                            && !is_filler(&index.lexicon, &stems[i])
                            && !super::dish::served_in(dish, &stems[i])
                    })
                    .map(|i| rest[i].clone())
                    .collect();
                Lookup::Dish { dish, notes, beside }
            }
            Named::Food(food) if flavours(&index.table.foods[food]) && unknown_head(index, &stems, &named.used) => {
                Lookup::Unknown { did_you_mean: suggest(index, &stems) }
            }
            Named::Food(food) => {
                let food = by_name(index, rest, &stems, &index.table.foods[food], &named, &mut notes);
                Lookup::Found { food, notes }
            }
        };
    }
    match by_description(index, &stems) {
        Some(food) => {
            notes.push(format!(
                "not in the chat food list: matched the USDA food \"{}\"; check it is what you meant",
                food.description
            ));
            Lookup::Found { food, notes }
        }
        None => Lookup::Unknown { did_you_mean: suggest(index, &stems) },
    }
}

/// Where a chat name that holds words an amount reader takes ("big mac", "quarter pounder",
/// "peanut butter cups") is typed as a phrase: the longest such name, as a range of `stems`.
/// `rest` is what the amount reader left of the mention.
pub fn amount_words_name(index: &FoodIndex, stems: &[String], rest: &[String]) -> Option<std::ops::Range<usize>> {
    let left: Vec<String> = rest.iter().map(|w| text::stem(w)).collect();
    // Names are stored without "a" ("half a chicken" is "half chicken"), so they are looked for
    // among the other typed words, each keeping where it was typed. An "of" still separates an
    // amount from its food: "a bowl of chili" is a bowl of the chili, not the "bowl of chili".
    let (at, words): (Vec<usize>, Vec<&String>) =
        stems.iter().enumerate().filter(|(_, s)| !matches!(s.as_str(), "a" | "an")).unzip();
    let mut best: Option<(usize, std::ops::Range<usize>)> = None;
    for stem in stems.iter().filter(|s| !left.contains(s)) {
        for &name in index.names_by_token.get(stem.as_str()).into_iter().flatten() {
            let tokens = &index.names[name as usize].tokens;
            let Some(first) = words.windows(tokens.len()).position(|w| w.iter().copied().eq(tokens.iter())) else {
                continue;
            };
            if best.as_ref().is_none_or(|(len, _)| tokens.len() > *len) {
                best = Some((tokens.len(), at[first]..at[first + tokens.len() - 1] + 1));
            }
        }
    }
    best.map(|(_, range)| range)
}

/// Reads each word that no name, description or filler knows as the chat-name word it is
/// likely a typo of, noting each correction.
fn correct_typos(index: &FoodIndex, rest: &[String], mut stems: Vec<String>, notes: &mut Vec<String>) -> Vec<String> {
    for (i, stem) in stems.iter_mut().enumerate() {
        let known = is_filler(&index.lexicon, stem)
            || index.names_by_token.contains_key(stem.as_str())
            || index.descriptions.by_token.contains_key(stem.as_str());
        if known {
            continue;
        }
        // Typists rarely miss a word's first letter, and the words one first letter away from
        // a food are everyday ones ("take" and "cake", "topped" and "popped").
        let fixed = index.vocabulary.correct(stem).filter(|fixed| fixed.chars().next() == stem.chars().next());
        if let Some(fixed) = fixed {
            notes.push(format!("read \"{}\" as \"{fixed}\"", rest[i]));
            *stem = fixed.to_string();
        }
    }
    stems
}

/// A chat name found in a mention: the name, and which stems it used.
struct NameMatch {
    name: usize,
    used: Vec<bool>,
}

/// The food a matched chat name gives once the words beside it are accounted for: a compound
/// the list may not know, another food to list separately, or words ignored.
fn by_name<'a>(
    index: &'a FoodIndex,
    rest: &[String],
    stems: &[String],
    food: &'a Food,
    named: &NameMatch,
    notes: &mut Vec<String>,
) -> &'a Food {
    let content: Vec<usize> = (0..stems.len()).filter(|&i| !is_filler(&index.lexicon, &stems[i])).collect();
    let food = if is_compound(index, stems, &content, &named.used) {
        compound_food(index, rest, stems, &content, food, notes)
    } else {
        if let Some(other) = second_food(index, stems, &named.used) {
            notes.push(format!("also saw \"{other}\": list it separately to count it"));
        }
        note_ignored(index, rest, stems, &named.used, notes);
        food
    };
    note_state(&index.lexicon, food, stems, notes);
    food
}

/// Whether words beside the name that are food words too make a compound the list may not
/// know ("oat milk", "fish cake", "apple pie"): a description word the name left over, next to
/// another word of the food.
fn is_compound(index: &FoodIndex, stems: &[String], content: &[usize], used: &[bool]) -> bool {
    content
        .iter()
        .copied()
        .filter(|&i| !used[i] && index.descriptions.by_token.contains_key(stems[i].as_str()))
        .any(|i| content.contains(&(i + 1)) || content.contains(&(i.wrapping_sub(1))))
}

/// The food of a compound: a USDA food named by its last word and holding every word is better;
/// else the name's food is only an approximation, and said to be one.
fn compound_food<'a>(
    index: &'a FoodIndex,
    rest: &[String],
    stems: &[String],
    content: &[usize],
    named: &'a Food,
    notes: &mut Vec<String>,
) -> &'a Food {
    let words: Vec<&str> = content.iter().map(|&i| rest[i].as_str()).collect();
    let phrase = words.join(" ");
    let head = content.last().map(|&i| stems[i].as_str()).unwrap_or("");
    match by_description(index, stems).filter(|f| names_head(f, head) && !is_mix(f)) {
        Some(whole) => {
            notes.push(format!(
                "\"{phrase}\" matched the USDA food \"{}\"; check it is what you meant",
                whole.description
            ));
            whole
        }
        None => {
            notes.push(format!(
                "\"{phrase}\" is not in the food list: counted as \"{}\", an approximation",
                named.description
            ));
            named
        }
    }
}

/// Whether a food is mostly eaten as what flavours another (sugar, chocolate, cinnamon, oil).
fn flavours(food: &Food) -> bool {
    matches!(food.group.as_str(), "Sweets" | "Spices and Herbs" | "Fats and Oils")
}

/// Whether the mention ends in a word no food name or USDA description knows, right after the
/// name it matched: the name only flavours an unknown food ("sugar malasadas", "chocolate
/// babka"), which is not that name's food.
fn unknown_head(index: &FoodIndex, stems: &[String], used: &[bool]) -> bool {
    let measure = |s: &str| super::amount::is_unit(s) || super::amount::household_measure(s).is_some();
    let Some(last) = (0..stems.len()).rev().find(|&i| !is_filler(&index.lexicon, &stems[i]) && !measure(&stems[i]))
    else {
        return false;
    };
    let stem = stems[last].as_str();
    // Right after the name: a word further on is more likely chat than the food's own name.
    last > 0
        && used[last - 1]
        && !used[last]
        && stem.len() > 2
        && stem.chars().all(|c| c.is_alphabetic())
        && !index.names_by_token.contains_key(stem)
        && !index.descriptions.by_token.contains_key(stem)
}

/// Notes the words beside the name that no name uses and that are not filler.
fn note_ignored(index: &FoodIndex, rest: &[String], stems: &[String], used: &[bool], notes: &mut Vec<String>) {
    let unknown: Vec<&str> = stems
        .iter()
        .enumerate()
        .filter(|(i, s)| !used[*i] && !is_filler(&index.lexicon, s) && !index.names_by_token.contains_key(s.as_str()))
        .map(|(i, _)| rest[i].as_str())
        .collect();
    if !unknown.is_empty() {
        notes.push(format!("ignored \"{}\"", unknown.join(" ")));
    }
}

/// How well a chat name fits a mention; the greatest wins, compared field by field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct NameRank {
    /// How many words the name has: the longest name is the most specific.
    words: usize,
    /// How few of its words are measures: "wild salmon" over "salmon fillet" in "wild salmon
    /// fillet", where the fillet says how much and "wild" which salmon.
    not_measures: Reverse<usize>,
    /// Whether its words were typed as a phrase: "chocolate milk" over "milk chocolate".
    phrase: bool,
    /// Where it ends in the mention: the head noun in English is furthest right.
    end: usize,
    /// Its place in the list: the earlier name wins.
    earlier: Reverse<usize>,
}

/// The chat name with the most words all present in `stems`. Ties go to a name with fewer
/// measure words, then to a name typed as a phrase, then to the name ending furthest right, then
/// to the earlier name (see [`NameRank`]).
fn best_name(index: &FoodIndex, stems: &[String], covering: Option<usize>) -> Option<NameMatch> {
    let mut best: Option<(NameRank, usize)> = None;
    for (i, stem) in stems.iter().enumerate() {
        // Each name is weighed once, from the first typed word of its first token.
        if stems[..i].contains(stem) {
            continue;
        }
        for &name in index.names_by_token.get(stem.as_str()).into_iter().flatten() {
            let entry = &index.names[name as usize];
            let tokens = &entry.tokens;
            if tokens.first() != Some(stem) || !tokens.iter().all(|t| stems.contains(t)) {
                continue;
            }
            let Some(positions) = positions_of(tokens, stems) else { continue };
            if covering.is_some_and(|at| !positions.contains(&at)) {
                continue;
            }
            let rank = NameRank {
                words: tokens.len(),
                phrase: positions.windows(2).all(|w| w[1] == w[0] + 1),
                not_measures: Reverse(entry.measure_words),
                end: positions.iter().copied().max().unwrap_or(0),
                earlier: Reverse(name as usize),
            };
            if best.as_ref().is_none_or(|(r, _)| rank > *r) {
                best = Some((rank, name as usize));
            }
        }
    }
    let (_, name) = best?;
    let tokens = &index.names[name].tokens;
    let used = stems.iter().map(|s| tokens.contains(s)).collect();
    Some(NameMatch { name, used })
}

/// The name for a dish whose last word names a dish too, the one it is a kind of: "chicken tikka
/// wrap" is a wrap, not chicken tikka, so the longest dish name holding "wrap" wins.
fn headed(index: &FoodIndex, stems: &[String], named: NameMatch) -> NameMatch {
    // In "pot roast with potatoes" the head is before the connector.
    let end = stems.iter().position(|s| index.lexicon.connectors.contains(s.as_str())).unwrap_or(stems.len());
    let Some(head) = (0..end).rev().find(|&i| !is_filler(&index.lexicon, &stems[i])) else { return named };
    let is_dish = |name: usize| matches!(index.names[name].named, Named::Dish(_));
    if named.used[head] || !is_dish(named.name) {
        return named;
    }
    best_name(index, stems, Some(head)).filter(|headed| is_dish(headed.name)).unwrap_or(named)
}

/// Where each token of a name is in `stems`, a different word for each: "red red" needs two
/// words "red".
pub fn positions_of(tokens: &[String], stems: &[String]) -> Option<Vec<usize>> {
    let mut taken = vec![false; stems.len()];
    let mut out = Vec::with_capacity(tokens.len());
    for token in tokens {
        let at = (0..stems.len()).find(|&i| !taken[i] && stems[i] == *token)?;
        taken[at] = true;
        out.push(at);
    }
    Some(out)
}

/// Another food named by the stems a match left over ("oyster" beside "mushrooms").
fn second_food(index: &FoodIndex, stems: &[String], used: &[bool]) -> Option<String> {
    let left: Vec<String> =
        stems.iter().zip(used).filter(|(s, u)| !**u && !is_filler(&index.lexicon, s)).map(|(s, _)| s.clone()).collect();
    let named = best_name(index, &left, None)?;
    Some(index.names[named.name].tokens.join(" "))
}

/// What the note on a preparation word the food's description lacks says after the words.
pub(crate) const NOT_DISTINGUISHED: &str = "not distinguished: used";

/// Says when the food's state was assumed, or when a preparation word was not matched.
fn note_state(lexicon: &FoodWords, food: &Food, stems: &[String], notes: &mut Vec<String>) {
    let described = text::tokens(&food.description);
    let said: Vec<&String> = stems.iter().filter(|s| lexicon.cooking.contains(s.as_str())).collect();
    let unmatched: Vec<&str> = said.iter().filter(|s| !described.contains(s)).map(|s| s.as_str()).collect();
    if !unmatched.is_empty() {
        notes.push(format!("\"{}\" {NOT_DISTINGUISHED} {}", unmatched.join(" "), food.description));
    } else if said.is_empty() && matches!(food.state.as_str(), "cooked" | "raw" | "dry" | "canned") {
        notes.push(format!("values for the {} food", food.state));
    }
}

/// Whether a USDA description is named by `head` (its first word: "Pie, apple ...").
fn names_head(food: &Food, head: &str) -> bool {
    text::tokens(&food.description).first().is_some_and(|first| first == head)
}

/// Dry mixes and powders are bought, not eaten as they are.
fn is_mix(food: &Food) -> bool {
    let words = text::tokens(&food.description);
    words.iter().any(|w| matches!(w.as_str(), "mix" | "unprepared" | "powder" | "dehydrated"))
}

/// Searches USDA descriptions for a food containing every meaningful word; the shortest
/// description (the plainest food) wins.
fn by_description<'a>(index: &'a FoodIndex, stems: &[String]) -> Option<&'a Food> {
    let lexicon = &index.lexicon;
    let words = description_words(index, stems);
    let meaningful = words.iter().any(|w| {
        !lexicon.cooking.contains(w.as_str()) && w.len() > 2 && !index.descriptions.modifiers.contains(w.as_str())
    });
    if !meaningful {
        return None;
    }
    plainest_described(index, &words, |_| true)
}

/// The food of `brand` whose USDA description holds every word of `rest` that names food
/// (leaving out the brand's own name), the plainest such description first; `None` when the
/// brand has no such food.
pub fn in_brand<'a>(index: &'a FoodIndex, brand: &Brand, rest: &[String]) -> Option<&'a Food> {
    let stems: Vec<String> = rest.iter().map(|w| text::stem(w)).collect();
    let named = brand_name_at(brand, &stems).unwrap_or(0..0);
    let outside: Vec<String> = (0..stems.len()).filter(|i| !named.contains(i)).map(|i| stems[i].clone()).collect();
    let words = description_words(index, &outside);
    let described = |with_parts: bool| {
        plainest_described(index, &words, |food| {
            food.description.starts_with(&brand.prefix) && names_item(&food.description, &words, with_parts)
        })
    };
    // "soft tacos beef" is the "Soft Taco with beef" when no item is named by all its words.
    described(false).or_else(|| described(true))
}

/// The words of `stems` a USDA description could hold: no filler, no numbers.
fn description_words<'s>(index: &FoodIndex, stems: &'s [String]) -> Vec<&'s String> {
    stems
        .iter()
        .filter(|s| !index.lexicon.filler.contains(s.as_str()) && !s.starts_with(|c: char| c.is_ascii_digit()))
        .collect()
}

/// Among the foods whose description holds every one of `words` and that `keep` accepts, the
/// one with the shortest description (the plainest food).
fn plainest_described<'a>(index: &'a FoodIndex, words: &[&String], keep: impl Fn(&Food) -> bool) -> Option<&'a Food> {
    let mut lists: Vec<&Vec<u32>> =
        words.iter().map(|w| index.descriptions.by_token.get(w.as_str())).collect::<Option<_>>()?;
    lists.sort_by_key(|l| l.len());
    let (first, others) = lists.split_first()?;
    first
        .iter()
        .filter(|food| others.iter().all(|l| l.binary_search(food).is_ok()))
        .filter(|&&food| keep(&index.table.foods[food as usize]))
        .min_by_key(|&&food| (index.descriptions.lengths[food as usize], food))
        .map(|&food| &index.table.foods[food as usize])
}

/// Whether every one of `words` is in what `description` names, not in what it says the item
/// comes with or without: "cheese" is none of "BURGER KING, WHOPPER, with cheese", "WHOPPER,
/// no cheese" and "CROISSAN'WICH with Sausage and Cheese". With `with_parts`, words may also be
/// in what it comes with, so long as one is in what it names: "whopper cheese" is the
/// "WHOPPER, with cheese", and "cheese" alone is still no whopper.
fn names_item(description: &str, words: &[&String], with_parts: bool) -> bool {
    let tokens = text::tokens(description);
    let until = |ends: &[&str]| tokens.iter().position(|w| ends.contains(&w.as_str())).unwrap_or(tokens.len());
    let naming = &tokens[..until(&["with", "without", "no"])];
    let kept = if with_parts { &tokens[..until(&["without", "no"])] } else { naming };
    words.iter().all(|w| kept.contains(w)) && words.iter().any(|w| naming.contains(w))
}

/// Where in `stems` one of the brand's names is typed.
pub fn brand_name_at(brand: &Brand, stems: &[String]) -> Option<std::ops::Range<usize>> {
    brand.names.iter().find_map(|name| {
        let at = stems.windows(name.len()).position(|w| w == name.as_slice())?;
        Some(at..at + name.len())
    })
}

/// Up to three chat names close to the unknown words, for "did you mean".
fn suggest(index: &FoodIndex, stems: &[String]) -> Vec<String> {
    let mut scored: Vec<(usize, usize, &str, Named)> = Vec::new(); // (distance, name length, name, what it names)
    for stem in stems.iter().filter(|s| !is_filler(&index.lexicon, s) && s.len() > 2) {
        let budget = (stem.chars().count() / 3).clamp(1, 3);
        for (candidate, d, _) in index.vocabulary.near(stem, budget) {
            for &name in &index.names_by_token[candidate] {
                let entry = &index.names[name as usize];
                scored.push((d, entry.tokens.len(), entry.text.as_str(), entry.named));
            }
        }
    }
    scored.sort();
    let mut out: Vec<String> = Vec::new();
    let mut foods = Vec::new();
    for (_, _, name, food) in scored {
        if !foods.contains(&food) && out.len() < 3 {
            foods.push(food);
            out.push(name.to_string());
        }
    }
    out
}

/// Grams of `food` in `amount`, and every assumption made to get there.
pub fn grams(index: &FoodIndex, food: &Food, amount: &Amount, notes: &mut Vec<String>) -> f64 {
    let lexicon = &index.lexicon;
    if let Some(inches) = amount.inches {
        let sized = |w: &&Weight| w.is_size() && w.words.first().is_some_and(|u| u == "inch") && w.amount == inches;
        match food.weights.iter().find(sized) {
            Some(weight) => {
                notes.push(format!("1 x {} inch = {} g (USDA: {})", fmt(inches), fmt(weight.grams), weight.label()));
                return weight.grams * amount.count;
            }
            None => notes.push(format!("no USDA weight for a {} inch one", fmt(inches))),
        }
    }
    if let Some(grams) = share_of_can(index, food, amount, notes) {
        return grams * amount.count;
    }
    let measure = amount.measures.iter().find(|m| matches!(m.unit, Unit::Mass(_))).or_else(|| amount.measures.first());
    // "2 eggs (100 g)", "3 thighs, about 300 g": a weight beside a count of pieces is their
    // total; "2 x 100 g" and "100 g each" multiply.
    if let Some(Measure { value, unit: Unit::Mass(g), .. }) = measure {
        if amount.count > 1.0 && !amount.multiplies {
            notes.push(format!("{} g taken as the weight of all {}", fmt(value * g), fmt(amount.count)));
            return value * g;
        }
    }
    let each = match measure {
        Some(m) => match m.unit {
            Unit::Mass(g) => m.value * g,
            Unit::Volume(ml) => {
                if matches!(m.word.as_str(), "bowl" | "bowls" | "bowlful" | "glass" | "glasses" | "mug" | "mugs") {
                    notes.push(format!("a {} counted as 1 cup", text::stem(&m.word)));
                }
                m.value * ml * grams_per_ml(food, notes)
            }
            Unit::Handful => {
                notes.push(format!("a handful counted as 1 oz ({} g)", fmt(OUNCE_G)));
                m.value * OUNCE_G
            }
            Unit::Household(word) => m.value * household(index, food, word, notes),
        },
        None => match (amount.size, amount.household.last()) {
            (Some(size), _) => sized(food, size, notes),
            (None, Some(&word)) => household(index, food, word, notes),
            (None, None) if amount.stated => one_item(lexicon, food, &amount.rest, notes),
            (None, None) => one_portion(food, notes, false),
        },
    };
    each * amount.count
}

/// "half a tin of beans (400 g)": beside a fraction of a can, a weight near a whole can's is the
/// can's size, and the fraction is of it. A weight far from a whole can's ("half a tin, 200 g")
/// is what was eaten, and is left to the caller.
fn share_of_can(index: &FoodIndex, food: &Food, amount: &Amount, notes: &mut Vec<String>) -> Option<f64> {
    let can = amount.measures.iter().find(|m| m.unit == Unit::Household("can") && m.value < 1.0)?;
    let size = amount.measures.iter().find_map(|m| match m.unit {
        Unit::Mass(g) => Some(m.value * g),
        _ => None,
    })?;
    let whole = household(index, food, "can", &mut Vec::new());
    if !(0.6..=1.6).contains(&(size / whole)) {
        return None;
    }
    notes.push(format!("{} g taken as the size of the whole can, of which {} was counted", fmt(size), fmt(can.value)));
    Some(can.value * size)
}

/// Grams per millilitre from the food's USDA cup, tablespoon, teaspoon or fluid-ounce weight.
pub fn grams_per_ml(food: &Food, notes: &mut Vec<String>) -> f64 {
    let volume = |w: &Weight| -> Option<f64> {
        let first = w.words.first()?.as_str();
        let ml = match first {
            "cup" => CUP_ML,
            "tbsp" | "tablespoon" => CUP_ML / 16.0,
            "tsp" | "teaspoon" => CUP_ML / 48.0,
            "fl" if w.words.get(1).is_some_and(|s| s == "oz") => CUP_ML / 8.0,
            _ => return None,
        };
        Some(w.grams_each() / ml)
    };
    if let Some(per_ml) = food.weights.iter().find_map(volume) {
        return per_ml;
    }
    notes.push("no USDA volume weight for this food: assumed 1 g per ml".into());
    1.0
}

/// Grams in one `word` (slice, can, breast ...) of the food: USDA's weight for it, else the
/// median of USDA's weights for `word` over all foods when the lexicon lists it as typical,
/// else one portion.
fn household(index: &FoodIndex, food: &Food, word: &str, notes: &mut Vec<String>) -> f64 {
    // USDA's measure words are read as typed ones are: its "package" is a packet, its "rasher"
    // a slice.
    let starts = |w: &Weight| {
        w.words.first().is_some_and(|first| first == word || super::amount::household_measure(first) == Some(word))
    };
    let curated = food.portion.map(|i| &food.weights[i]).filter(|w| starts(w));
    if let Some(weight) = curated.or_else(|| food.weights.iter().find(|w| starts(w))) {
        notes.push(format!("1 {word} = {} g (USDA: {})", fmt(piece_grams(weight)), weight.label()));
        return piece_grams(weight);
    }
    if let Some(each) = one_held(food, Some(word), notes) {
        return each;
    }
    // A square of a chocolate bar: a twelfth of USDA's bar, as a Hershey's bar breaks.
    let bar = |w: &&Weight| {
        w.words.first().is_some_and(|first| first == "bar")
            && !w.words.iter().any(|w| matches!(w.as_str(), "miniature" | "mini" | "fun" | "snack" | "king"))
    };
    if let Some(weight) = (word == "square").then(|| food.weights.iter().find(bar)).flatten() {
        let each = weight.grams_each() / 12.0;
        notes.push(format!("1 square = {} g, a twelfth of USDA's {}", fmt(each), weight.label()));
        return each;
    }
    if let Some((sibling, weight)) = sibling_weight(index, food, word, &starts) {
        notes.push(format!(
            "no USDA weight for a {word} of this food: counted {} g, USDA's {} of \"{}\"",
            fmt(piece_grams(weight)),
            weight.label(),
            sibling.description
        ));
        return piece_grams(weight);
    }
    if let Some(typical) = index.typical.get(word) {
        notes.push(format!(
            "no USDA weight for a {word} of this food: counted {} g, the median of USDA's {} {word} weights",
            fmt(typical.grams),
            typical.count
        ));
        return typical.grams;
    }
    if word == "tablet" {
        notes.push("a tablet of a food: counted one portion".into());
    } else {
        notes.push(format!("no USDA weight for a {word} of this food"));
    }
    one_portion(food, notes, true)
}

/// A weight for a named part or shape ("3 chicken wings", "2 pork patties") that USDA gives a
/// food of the same kind but not this one: the food whose description begins the same way
/// ("Chicken, broilers or fryers") and shares the most of its words. Only the lexicon's `kin`
/// words are lent: a steak or a can differs too much between foods of one kind.
fn sibling_weight<'a>(
    index: &'a FoodIndex,
    food: &Food,
    word: &str,
    starts: &dyn Fn(&Weight) -> bool,
) -> Option<(&'a Food, &'a Weight)> {
    if !index.lexicon.kin.contains(word) {
        return None;
    }
    // Its kind is the description's first two fields, compared in place over the whole table.
    let description = food.description.as_str();
    let kind = &description[..description.match_indices(", ").nth(1).map_or(description.len(), |(at, _)| at)];
    let same_kind =
        |other: &str| other.strip_prefix(kind).is_some_and(|rest| rest.is_empty() || rest.starts_with(", "));
    let words = text::tokens(description);
    index
        .table
        .foods
        .iter()
        .filter(|other| other.ndb != food.ndb && same_kind(&other.description))
        .filter_map(|other| Some((other, other.weights.iter().find(|w| starts(w))?)))
        .max_by_key(|(other, _)| {
            let shared = text::tokens(&other.description).iter().filter(|t| words.contains(t)).count();
            (shared, std::cmp::Reverse(other.ndb.clone()))
        })
}

/// Grams in one of a counted food ("3 almonds", "2 bananas"): the curated portion when it is a
/// single item, else USDA's weight for one item (one almond, a medium banana), else the portion.
fn one_item(lexicon: &FoodWords, food: &Food, rest: &[String], notes: &mut Vec<String>) -> f64 {
    // USDA's "piece (yield from 1 lb raw meat)" is what a pound cooks down to, not one item.
    let bulk = |w: &Weight| {
        w.words.first().is_some_and(|first| lexicon.bulk.contains(first)) || w.words.iter().any(|w| w == "yield")
    };
    let names: Vec<String> = rest.iter().map(|w| text::stem(w)).collect();
    // A weight named by the kind typed ("5 cherry tomatoes": USDA's "1 cherry") comes first.
    let kind = |w: &Weight| !bulk(w) && w.words.len() == 1 && names.contains(&w.words[0]);
    if let Some(weight) = food.weights.iter().find(|w| kind(w)) {
        notes.push(format!("each counted as {} g (USDA: {})", fmt(piece_grams(weight)), weight.label()));
        return piece_grams(weight);
    }
    if let Some(each) = one_held(food, None, notes) {
        return each;
    }
    if let Some(portion) = food.portion.map(|i| &food.weights[i]).filter(|w| !bulk(w)) {
        notes.push(format!("each counted as {} g (USDA: {})", fmt(piece_grams(portion)), portion.label()));
        return piece_grams(portion);
    }
    let score = |w: &Weight| -> Option<u8> {
        if bulk(w) {
            return None;
        }
        let named = w.words.iter().any(|word| names.contains(word));
        let medium = w.words.iter().any(|word| word == "medium");
        let single = w.words.first().is_some_and(|first| {
            matches!(
                first.as_str(),
                "piece" | "unit" | "item" | "each" | "whole" | "fruit" | "kernel" | "nut" | "large"
            )
        });
        match (named, medium, single) {
            (true, true, _) => Some(4),
            (false, true, _) => Some(3),
            (true, false, _) => Some(2),
            (false, false, true) => Some(1),
            _ => None,
        }
    };
    let best = food
        .weights
        .iter()
        .filter_map(|w| Some((score(w)?, w)))
        .max_by_key(|(s, w)| (*s, std::cmp::Reverse((w.grams_each() * 1000.0) as u64)));
    match best {
        Some((_, weight)) => {
            notes.push(format!("each counted as {} g (USDA: {})", fmt(piece_grams(weight)), weight.label()));
            piece_grams(weight)
        }
        None => one_portion(food, notes, true),
    }
}

/// Grams in one of the items a USDA serving says it holds ("1 serving 6 rolls" of pizza rolls:
/// 80 g, so 13.3 g a roll), of `item` when one is named.
fn one_held(food: &Food, item: Option<&str>, notes: &mut Vec<String>) -> Option<f64> {
    // "serving 6 rolls", "package 10 pieces": a serving word, how many, and what (not a size:
    // "pita, large 6-1/2 dia" holds no six).
    let held = |w: &Weight| match w.words.as_slice() {
        [serving, n, what, ..]
            if matches!(serving.as_str(), "serving" | "package" | "container" | "portion")
                && what.chars().all(|c| c.is_ascii_alphabetic())
                && !(super::amount::is_unit(what) && super::amount::household_measure(what).is_none())
                && !matches!(what.as_str(), "inch" | "dia" | "fl" | "fluid" | "x" | "heap" | "heaping" | "t")
                && !what.starts_with("serv")
                && item.is_none_or(|item| what == item) =>
        {
            n.parse::<f64>().ok().filter(|&n| n >= 2.0)
        }
        _ => None,
    };
    let (weight, n) = food.weights.iter().find_map(|w| Some((w, held(w)?)))?;
    let each = weight.grams_each() / n;
    notes.push(format!("each counted as {} g (USDA: {}, {} in it)", fmt(each), weight.label(), fmt(n)));
    Some(each)
}

/// Grams in one piece of a household measure: `6 medium` oysters weigh 84 g, so one weighs 14 g.
/// USDA weighs chicken breasts and fish fillets by the half (`0.5 breast`), and a half is what is
/// sold and eaten as one breast or one fillet, so such a row is one piece.
fn piece_grams(weight: &Weight) -> f64 {
    let halved =
        weight.amount == 0.5 && weight.words.first().is_some_and(|w| matches!(w.as_str(), "breast" | "fillet"));
    if halved {
        weight.grams
    } else {
        weight.grams_each()
    }
}

/// Grams in one small, medium, large ... of the food.
fn sized(food: &Food, size: &str, notes: &mut Vec<String>) -> f64 {
    let size_words: Vec<String> = size.split(' ').map(String::from).collect();
    let contains = |w: &Weight| w.words.windows(size_words.len()).any(|win| win == size_words.as_slice());
    let extra = |w: &Weight| size_words.len() == 1 && w.words.iter().any(|word| word == "extra");
    let found = food
        .weights
        .iter()
        .find(|w| w.words.starts_with(&size_words))
        .or_else(|| food.weights.iter().find(|w| contains(w) && !extra(w)));
    if let Some(weight) = found {
        notes.push(format!("1 {size} = {} g (USDA: {})", fmt(weight.grams_each()), weight.label()));
        return weight.grams_each();
    }
    notes.push(format!("no USDA weight for a {size} one"));
    one_portion(food, notes, true)
}

/// Grams in the food's default portion: the curated one, else USDA's first household weight,
/// else 100 g.
fn one_portion(food: &Food, notes: &mut Vec<String>, stated: bool) -> f64 {
    let (grams, label) = match food.portion.map(|i| &food.weights[i]).or_else(|| food.weights.first()) {
        Some(w) => (w.grams, format!("{} ({} g)", w.label(), fmt(w.grams))),
        None => (100.0, "100 g".to_string()),
    };
    notes.push(if stated { format!("each counted as {label}") } else { format!("no amount given: counted {label}") });
    grams
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filler_covers_preambles() {
        let lexicon = crate::content::lexicon::shipped().foods;
        for word in ["i", "had", "for", "breakfast", "some", "lol", "the"] {
            assert!(is_filler(&lexicon, word), "{word}");
        }
        assert!(!is_filler(&lexicon, "egg"));
    }
}
