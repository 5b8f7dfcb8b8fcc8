//! Food list -> [`Estimate`]: zinc and copper, item by item, against a life stage's RDA and UL.
//!
//! Pure: a function of the text, the [`Estimator`] (the food table, supplement forms and
//! reference values, with the food index built from them) and the profile. Every assumption made on the
//! person's behalf is listed with its item, and nothing unrecognised is guessed: it is listed,
//! with suggestions.

pub mod amount;
pub mod day;
pub mod dish;
pub mod food;
pub mod index;
pub mod split;
pub mod supplement;

use serde::Serialize;

use crate::content::dishes::{Dish, Part};
use crate::content::foods::{Food, FoodTable};
use crate::content::lexicon::{Brand, FoodWords};
use crate::content::{self, ContentError, Profile, ReferenceValues, SupplementTable};
use crate::text;
use amount::{fmt, Amount};
use food::Lookup;
use index::FoodIndex;
use supplement::Reading;

/// How the estimate went, as the JSON contract names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    Empty,
    NothingRecognized,
    Implausible,
}

/// One food, weighed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoodItem {
    pub input: String,
    /// The dish this item is a part of, with its servings: "turkey sandwich (2 x 1 sandwich)".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dish: Option<String>,
    /// USDA's description of the matched food.
    pub food: String,
    /// Its SR28 NDB number.
    pub food_id: String,
    pub grams: f64,
    pub zinc_mg: f64,
    /// `None` where SR28 has no copper value for the food.
    pub copper_mg: Option<f64>,
    pub assumptions: Vec<String>,
    /// False when the amount was implausible and the item left out of the totals.
    pub counted: bool,
}

/// One supplement dose.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupplementItem {
    pub input: String,
    pub form: String,
    pub stated_mg: f64,
    pub elemental_zinc_mg: f64,
    pub assumptions: Vec<String>,
    pub counted: bool,
}

/// What could not be read, and how to fix it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub input: String,
    pub did_you_mean: Vec<String>,
    pub hint: Option<String>,
}

/// One RDA the total is compared with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RdaShare {
    pub label: String,
    pub rda_mg: f64,
    pub percent: f64,
}

/// The reference values used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reference {
    pub profile: String,
    pub label: String,
    /// The profile's first RDA (for a plain adult, the men's value; `rdas` has both).
    pub rda_mg: f64,
    pub ul_mg: f64,
    pub rdas: Vec<RdaShare>,
}

/// The whole estimate, serialised as the `intake --json` contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    pub status: Status,
    pub items: Vec<FoodItem>,
    pub supplements: Vec<SupplementItem>,
    pub unrecognized: Vec<String>,
    pub suggestions: Vec<Suggestion>,
    pub food_zinc_mg: f64,
    pub supplement_zinc_mg: f64,
    pub total_zinc_mg: f64,
    pub total_copper_mg: f64,
    pub reference: Reference,
    pub warnings: Vec<String>,
}

impl Estimate {
    /// Whether a food or a supplement was recognised, counted or not.
    pub fn recognised(&self) -> bool {
        !(self.items.is_empty() && self.supplements.is_empty())
    }
}

/// The intake engine: the validated food table, supplement forms and reference values, with the
/// index it builds over the foods.
#[derive(Debug)]
pub struct Estimator {
    pub foods: FoodIndex,
    pub supplements: SupplementTable,
    pub reference: ReferenceValues,
}

/// The most characters of a mention shown back in an estimate.
pub const MAX_ECHO: usize = 120;

/// The largest amount a label can state for one dose, in mg: ten grams of any salt is no
/// supplement.
pub const MAX_LABEL_MG: f64 = 10_000.0;

impl Estimator {
    /// Indexes the foods; food lists are read with `lexicon`.
    pub fn new(
        foods: FoodTable,
        supplements: SupplementTable,
        reference: ReferenceValues,
        lexicon: FoodWords,
    ) -> Estimator {
        Estimator { foods: FoodIndex::build(foods, lexicon), supplements, reference }
    }

    /// Loads only what estimating needs from `dir` (the `content/` folder): the food table,
    /// supplement forms, reference values and lexicon, not the topics or safety rules.
    pub fn load(dir: &std::path::Path) -> Result<Estimator, Vec<ContentError>> {
        let ((foods, supplements, reference), lexicon) =
            content::both(content::load_foods(dir), content::load_lexicon(dir))?;
        content::brands_known(dir, &foods, &lexicon)?;
        Ok(Estimator::new(foods, supplements, reference, lexicon.foods))
    }

    /// The profile named `name` (id or alias), or the default when `None`.
    pub fn profile(&self, name: Option<&str>) -> Result<&Profile, String> {
        let reference = &self.reference;
        match name {
            None => Ok(reference.default()),
            Some(name) => reference.profile(name).ok_or_else(|| {
                let ids: Vec<&str> = reference.profiles.iter().map(|p| p.id.as_str()).collect();
                format!("unknown profile {name:?}; choose one of: {}", ids.join(", "))
            }),
        }
    }

    /// Estimates the zinc and copper in `text` for `profile`.
    pub fn estimate(&self, text: &str, profile: &Profile) -> Estimate {
        let mut estimate = empty(profile);
        if !text.chars().any(char::is_alphanumeric) {
            estimate.status = Status::Empty;
            return estimate;
        }
        let (mentions, truncated) = split::mentions(text, &self.foods.lexicon, &self.foods.joins);
        // Why entries were not counted, said on the item after them (or the last one).
        let mut notes: Vec<String> = Vec::new();
        let mentions = self.join_parts(self.join_amounts(mentions));
        // Each mention is read, and looked up among the foods and dishes, once.
        let amounts: Vec<Amount> = mentions.iter().map(|m| self.read_amount(&m.words)).collect();
        let brand = self.brand_named(&mentions);
        let lookups: Vec<Lookup> =
            amounts.iter().map(|a| self.as_weighed(a, self.canned(a, self.lookup(brand, &self.named(a))))).collect();
        let places = self.places(brand, &mentions, &amounts);
        let described = self.described(&mentions, &amounts, &lookups);
        let headings = self.headings(&mentions, &amounts, &lookups, &described);
        let names_nothing = |m: &split::Mention| {
            m.share.is_none() && m.words.iter().all(|w| food::is_filler(&self.foods.lexicon, &text::stem(w)))
        };
        let shares = shares(&mentions, &amounts, &headings, names_nothing);
        for (i, ((mention, amount), found)) in mentions.iter().zip(&amounts).zip(lookups).enumerate() {
            // What was typed is shown back, but never a whole 100 KB word.
            let input = text::clip(&mention.text, MAX_ECHO);
            if mention.not_eaten {
                if !self.leave_out_part(&mut estimate, &found, &input) {
                    notes.push(format!("\"{input}\" read as not eaten, not counted"));
                }
                continue;
            }
            if mention.share.is_some() {
                continue;
            }
            if headings[i] {
                notes.push(format!("\"{input}\" read as a heading for what follows, not counted itself"));
                continue;
            }
            if described[i].is_some() {
                continue;
            }
            let contents: Vec<String> = (i + 1..mentions.len())
                .filter(|&j| described[j] == Some(i))
                .map(|j| format!("\"{}\"", text::clip(&mentions[j].text, MAX_ECHO)))
                .collect();
            if !contents.is_empty() {
                notes.push(format!("{} read as what is in it: the dish counted whole", contents.join(", ")));
            }
            if places[i] {
                notes.push(format!("\"{input}\" read as where the food came from, not counted itself"));
                continue;
            }
            let shown = estimate.items.len();
            let stems = supplement::stems(&mention.words);
            let product = supplement::product(&self.supplements, &stems);
            let dosed = amount.measures.iter().any(|m| matches!(m.unit, amount::Unit::Mass(_)));
            if let Some(product) = product.filter(|_| !dosed) {
                let reading = supplement::read_product(product, amount);
                self.add_supplement(&mut estimate, &input, reading, &amount.notes);
            } else if product.is_some() || supplement::is_supplement(&self.supplements, &self.foods.lexicon, &stems) {
                let reading = supplement::read(&self.supplements, &stems, amount);
                self.add_supplement(&mut estimate, &input, reading, &amount.notes);
            } else {
                let before = (estimate.food_zinc_mg, estimate.total_copper_mg);
                let found = if shares[i].is_some() { self.as_bought(amount, found) } else { found };
                let alone = shares[i].is_some_and(|(share, _)| share.alone) && !amount.stated;
                let whole = if alone { self.as_whole(brand, &mention.words, amount, &found) } else { None };
                match whole {
                    Some((found, words)) => self.add_food(&mut estimate, &input, &words, amount, found),
                    None => self.add_food(&mut estimate, &input, &mention.words, amount, found),
                }
                if let Some(&(share, said)) = shares[i].as_ref() {
                    take_share(&mut estimate, shown, before, share, said);
                }
            }
            if let Some(item) = estimate.items.get_mut(shown) {
                item.assumptions.splice(0..0, notes.drain(..));
            }
        }
        if let Some(item) = estimate.items.last_mut() {
            item.assumptions.append(&mut notes);
        }
        let mut estimate = self.finish(estimate, profile, truncated);
        // With nothing counted, what was read and set aside is said ("no fries" read as not
        // eaten), and when nothing was even that, the text itself is listed as not understood.
        if estimate.status == Status::NothingRecognized {
            if notes.is_empty() && estimate.unrecognized.is_empty() {
                estimate.unrecognized.push(text::clip(text.trim(), MAX_ECHO));
            }
            estimate.warnings.append(&mut notes);
        }
        estimate
    }

    /// The one brand of [`FoodWords::brands`] the list names, when it names exactly one, in an
    /// entry or as where one came from: its entries are looked for among that brand's foods first.
    fn brand_named(&self, mentions: &[split::Mention]) -> Option<&Brand> {
        let stems: Vec<Vec<String>> =
            mentions.iter().flat_map(|m| [supplement::stems(&m.words), supplement::stems(&m.place)]).collect();
        let named = |brand: &&Brand| stems.iter().any(|s| food::brand_name_at(brand, s).is_some());
        let mut brands = self.foods.lexicon.brands.iter().filter(named);
        match (brands.next(), brands.next()) {
            (Some(brand), None) => Some(brand),
            _ => None,
        }
    }

    /// The words that name what `amount` is of: a rasher with nothing after it is bacon ("2
    /// rashers, fried egg").
    fn named<'a>(&self, amount: &'a Amount) -> std::borrow::Cow<'a, [String]> {
        let unnamed = amount.rest.iter().all(|w| food::is_filler(&self.foods.lexicon, &text::stem(w)));
        if unnamed && amount.measures.iter().any(|m| m.word.starts_with("rasher")) {
            return std::borrow::Cow::Owned(vec!["bacon".to_string()]);
        }
        std::borrow::Cow::Borrowed(&amount.rest)
    }

    /// The food or dish `rest` names, from `brand`'s own foods when it has one.
    fn lookup(&self, brand: Option<&Brand>, rest: &[String]) -> Lookup<'_> {
        let found = brand.and_then(|brand| Some((brand, food::in_brand(&self.foods, brand, rest)?)));
        match found {
            Some((brand, food)) => {
                let note = format!("the list names {0}: counted as the {0} item USDA lists", brand.prefix);
                Lookup::Found { food, notes: vec![note] }
            }
            None => food::lookup(&self.foods, rest),
        }
    }

    /// A food counted in cans or tins is the canned food of that name when the list has one: "a
    /// tin of chickpeas" is canned chickpeas (USDA weighs their can), not boiled ones.
    fn canned<'a>(&'a self, amount: &Amount, found: Lookup<'a>) -> Lookup<'a> {
        let in_cans = amount.measures.iter().any(|m| m.unit == amount::Unit::Household("can"));
        if !in_cans {
            return found;
        }
        self.in_state(amount, found, "canned", "counted in cans: the canned food")
    }

    /// A food said to be weighed before cooking ("100 g spaghetti (dry)", "75 g uncooked
    /// basmati") is the same food in that state when the list has it: the state's word before
    /// one of the cooked food's chat names, shortest first, finds it ("dry" + "pasta").
    fn as_weighed<'a>(&'a self, amount: &Amount, found: Lookup<'a>) -> Lookup<'a> {
        let Lookup::Found { food, notes } = &found else { return found };
        let weighed = &self.foods.lexicon.weighed;
        let Some((said, states)) = amount.rest.iter().find_map(|w| weighed.get_key_value(w)) else { return found };
        if food.state != "cooked" {
            return found;
        }
        let mut names: Vec<&String> = food.names.iter().collect();
        names.sort_by_key(|name| name.len());
        for state in states {
            for name in &names {
                let folded = text::fold(name);
                let words = text::words(&folded).into_iter().map(String::from);
                // What the lookup of the made-up words notes is not about what was typed.
                if let Some((other, _)) = self.named_in_state(state, words) {
                    let mut notes: Vec<String> =
                        notes.iter().filter(|n| !n.contains(food::NOT_DISTINGUISHED)).cloned().collect();
                    notes.push(format!("said \"{said}\": the {state} food"));
                    return Lookup::Found { food: other, notes };
                }
            }
        }
        found
    }

    /// A food weighed for a recipe someone ate a share of is weighed as bought: "500 g lamb
    /// mince" in a shepherd's pie is raw mince, where "100 g mince" on a plate is cooked.
    fn as_bought<'a>(&'a self, amount: &Amount, found: Lookup<'a>) -> Lookup<'a> {
        let weighed = amount.measures.iter().any(|m| matches!(m.unit, amount::Unit::Mass(_)));
        match found {
            Lookup::Found { food, .. } if weighed && food.state == "cooked" => {
                self.in_state(amount, found, "raw", "weighed for a recipe: the raw food, as bought")
            }
            _ => found,
        }
    }

    /// A dish someone ate a share of, with no amount said ("rotisserie chicken, ate half", "pizza,
    /// had half"), is the whole one as it came when the dish file knows it whole: a "whole" size,
    /// or a dish named whole. Its lookup and the words to read it by; None keeps `found`.
    fn as_whole<'a>(
        &'a self,
        brand: Option<&Brand>,
        words: &[String],
        amount: &Amount,
        found: &Lookup<'a>,
    ) -> Option<(Lookup<'a>, Vec<String>)> {
        let whole = |w: &Vec<String>| w.first().is_some_and(|w| w == "whole");
        let said: Vec<String> = std::iter::once("whole".to_string()).chain(amount.rest.iter().cloned()).collect();
        let lookup = self.lookup(brand, &said);
        let Lookup::Dish { dish, .. } = &lookup else { return None };
        let named_whole = match found {
            Lookup::Dish { dish: plain, .. } => !std::ptr::eq(*plain, *dish),
            _ => true,
        };
        if !named_whole && !dish.sizes.iter().any(|s| whole(&s.words)) {
            return None;
        }
        Some((lookup, std::iter::once("whole".to_string()).chain(words.iter().cloned()).collect()))
    }

    /// The food `found` in `state` ("canned", "raw") when the list has it under the same name,
    /// saying so with `note`; else `found` as it is.
    fn in_state<'a>(&'a self, amount: &Amount, found: Lookup<'a>, state: &str, note: &str) -> Lookup<'a> {
        let Lookup::Found { food, notes } = found else { return found };
        if food.state == state {
            return Lookup::Found { food, notes };
        }
        match self.named_in_state(state, amount.rest.iter().cloned()) {
            Some((other, mut other_notes)) => {
                other_notes.push(note.into());
                Lookup::Found { food: other, notes: other_notes }
            }
            None => Lookup::Found { food, notes },
        }
    }

    /// The food `words` name with the word `state` before them, and the lookup's notes, when it
    /// is in that state.
    fn named_in_state(&self, state: &str, words: impl Iterator<Item = String>) -> Option<(&Food, Vec<String>)> {
        let words: Vec<String> = std::iter::once(state.to_string()).chain(words).collect();
        match food::lookup(&self.foods, &words) {
            Lookup::Found { food, notes } if food.state == state => Some((food, notes)),
            _ => None,
        }
    }

    /// For each mention, whether it only names where the food came from ("KFC with the kids"):
    /// the brand's name and nothing else known as food, in a list of other entries.
    fn places(&self, brand: Option<&Brand>, mentions: &[split::Mention], amounts: &[Amount]) -> Vec<bool> {
        let Some(brand) = brand.filter(|_| mentions.len() > 1) else { return vec![false; mentions.len()] };
        let place = |amount: &Amount| {
            let stems: Vec<String> = amount.rest.iter().map(|w| text::stem(w)).collect();
            let Some(name) = food::brand_name_at(brand, &stems) else { return false };
            let others: Vec<String> =
                amount.rest.iter().enumerate().filter(|(i, _)| !name.contains(i)).map(|(_, w)| w.clone()).collect();
            !amount.stated && matches!(food::lookup(&self.foods, &others), Lookup::Nothing | Lookup::Unknown { .. })
        };
        amounts.iter().map(place).collect()
    }

    /// Reads the amount of a mention, keeping whole a name typed with words the amount reader
    /// would otherwise take ("2 big macs", "a quarter pounder", "reese's peanut butter cups"):
    /// only the words around the name say how much.
    fn read_amount(&self, words: &[String]) -> Amount {
        let amount = Amount::read(words);
        let Some(name) = self.amount_words_name(words, &amount) else { return amount };
        let mut amount = Amount::read(&outside(words, &name));
        let mut rest = words[name].to_vec();
        rest.append(&mut amount.rest);
        amount.rest = rest;
        amount
    }

    /// The words of a mention outside a name that holds amount words (all of them when there
    /// is no such name).
    fn around_name(&self, words: &[String]) -> Vec<String> {
        match self.amount_words_name(words, &Amount::read(words)) {
            Some(name) => outside(words, &name),
            None => words.to_vec(),
        }
    }

    /// Where in `words` a name holding words that `amount` took as an amount is typed.
    fn amount_words_name(&self, words: &[String], amount: &Amount) -> Option<std::ops::Range<usize>> {
        let stems: Vec<String> = words.iter().map(|w| text::stem(w)).collect();
        food::amount_words_name(&self.foods, &stems, &amount.rest)
    }

    /// Joins an amount of a dish's part to the dish before it: in "porridge with 40 g oats" the
    /// oats are the porridge's, not a second food.
    fn join_parts(&self, mentions: Vec<split::Mention>) -> Vec<split::Mention> {
        let lexicon = &self.foods.lexicon;
        let found = |m: &split::Mention| food::lookup(&self.foods, &self.read_amount(&m.words).rest);
        let dish_of = |m: &split::Mention| match found(m) {
            Lookup::Dish { dish, .. } => Some(dish),
            _ => None,
        };
        // Joined, the words must name more than the part alone: "burrito with beans" is a food
        // of its own, but "cheeseburger with lettuce" finds only the lettuce.
        let names_more = |both: &split::Mention, part: &split::Mention| match (found(both), found(part)) {
            (Lookup::Dish { .. }, _) => true,
            (Lookup::Found { food: whole, .. }, Lookup::Found { food: alone, .. }) => whole.ndb != alone.ndb,
            (Lookup::Found { .. }, _) => true,
            _ => false,
        };
        let joined = |before: &split::Mention, mention: &split::Mention| {
            let mut words = before.words.clone();
            words.push("with".into());
            words.extend(mention.words.iter().cloned());
            split::Mention { text: format!("{} with {}", before.text, mention.text), words, ..before.clone() }
        };
        let mut out: Vec<split::Mention> = Vec::with_capacity(mentions.len());
        for mention in mentions {
            let part_of_before = mention.after.as_deref() == Some("with")
                && out.last().and_then(dish_of).is_some_and(|dish| {
                    let rest = self.read_amount(&mention.words).rest;
                    dish::named_part(lexicon, dish, &rest).is_some()
                });
            let both = out.last().filter(|_| part_of_before).map(|before| joined(before, &mention));
            match (both.filter(|both| names_more(both, &mention)), out.last_mut()) {
                (Some(both), Some(before)) => *before = both,
                _ => out.push(mention),
            }
        }
        out
    }

    /// For each mention, whether it only names what the next ones list, so that only those
    /// count: a dish whose parts follow, restating at least [`RESTATED_PARTS`] of them ("Sunday
    /// fry up!! 2 rashers bacon, 2 sausages, 1 fried egg"), even with an amount when a colon
    /// ends it ("a big shepherd's pie: 500 g lamb mince, 1 kg potatoes"); a food named
    /// without an amount and again, with one, right after ("tofu scramble: half a block of
    /// firm tofu"); a heading with a colon ("roast dinner:", "meds today:") that names a dish
    /// or nothing known; and a heading with a colon and no weight of its own over at least two
    /// entries with amounts ("cheese board after dinner: 3 crackers, 40 g stilton", "spag bol
    /// for 1: 100 g spaghetti, 125 g mince"), which weigh out the meal it names.
    fn headings(
        &self,
        mentions: &[split::Mention],
        amounts: &[Amount],
        lookups: &[Lookup],
        described: &[Option<usize>],
    ) -> Vec<bool> {
        let lists = self.lists_parts(mentions, amounts, lookups);
        let labels = |i: usize| {
            let label_only = matches!(lookups[i], Lookup::Dish { .. } | Lookup::Unknown { .. });
            let weighed = |j: usize| amounts[j].stated && !matches!(lookups[j], Lookup::Nothing);
            let weighed_after = (i + 1..mentions.len()).filter(|&j| weighed(j)).count() >= 2;
            // A dish titled with a dash over its sentence's weighed foods ("Sunday rice and stew
            // - 1.5 cups white rice, 2 pieces of turkey"): the first entry after the dash must
            // name a food, or it may be the dish's own amount ("pancit - had a full plate").
            let sentence = (i + 1..mentions.len()).take_while(|&j| mentions[j].sentence == mentions[i].sentence);
            let names_food = |j: usize| matches!(lookups[j], Lookup::Found { .. } | Lookup::Dish { .. });
            let dashed = !mentions[i].heading
                && mentions[i].opens
                && matches!(lookups[i], Lookup::Dish { .. })
                && !amounts[i].stated
                && names_food(i + 1)
                && sentence.filter(|&j| weighed(j) && names_food(j)).count() >= 2;
            dashed
                || mentions[i].heading
                    && ((!amounts[i].stated && label_only) || (amounts[i].measures.is_empty() && weighed_after))
        };
        // A dish whose contents the rest of its sentence only names is counted itself.
        let heads = |i: usize| {
            (lists[i] || labels(i) || mentions[i].bracket_of_parts)
                && !described.contains(&Some(i))
                && described[i].is_none()
        };
        (0..mentions.len()).map(heads).collect()
    }

    /// For each mention, the dish whose contents it only names, when a colon or a spaced dash
    /// after the dish opens the rest of the sentence, nothing there has an amount, and at least
    /// [`RESTATED_PARTS`] of what is eaten there are parts of the dish ("vegan chilli - kidney
    /// beans, lentils, peppers, tinned toms"): the dish's recipe counts those better than a
    /// default portion of each would. With an amount the entries are what was eaten and the dish
    /// is their heading.
    ///
    /// A later sentence that names a dish already counted and lists its contents the same way
    /// ("okra soup with eba. okra soup had okra, beef, shaki & palm oil") describes that dish:
    /// it is counted once, as the first mention.
    fn described(&self, mentions: &[split::Mention], amounts: &[Amount], lookups: &[Lookup]) -> Vec<Option<usize>> {
        let mut described = vec![None; mentions.len()];
        let dish_at = |i: usize| match &lookups[i] {
            Lookup::Dish { dish, .. } => Some(*dish),
            _ => None,
        };
        for i in 0..mentions.len() {
            let Some(dish) = dish_at(i) else { continue };
            let sentence = mentions[i].sentence;
            let counted_before = (0..i).find(|&k| {
                mentions[k].sentence != sentence
                    && dish_at(k).is_some_and(|d| std::ptr::eq(d, dish))
                    && !mentions[k].not_eaten
                    && described[k].is_none()
            });
            let end = (i + 1..mentions.len()).find(|&j| mentions[j].sentence != sentence).unwrap_or(mentions.len());
            let counted = |j: &usize| mentions[*j].share.is_none() && !mentions[*j].not_eaten;
            let opens = mentions[i].opens || (counted_before.is_some() && !amounts[i].stated);
            // Without a colon or a dash, only the parts named right after the dish, with no
            // amount, describe it ("caldo de res, big bowl w corn, carrot, potato + a scoop of
            // rice"): the rice is eaten beside it.
            let end = if opens { end } else { self.parts_named_after(dish, i, end, amounts, lookups) };
            let run = i + 1..end;
            if run.is_empty() || run.clone().filter(counted).any(|j| amounts[j].stated) {
                continue;
            }
            // What was left out of the dish ("no egg") restates none of it.
            if self.restates(dish, run.clone().filter(counted).map(|j| &lookups[j])) {
                let by = counted_before.unwrap_or(i);
                if by != i {
                    described[i] = Some(by);
                }
                for j in run.filter(counted) {
                    described[j] = Some(by);
                }
            }
        }
        described
    }

    /// Where the entries after the dish at `i` (up to `end`) stop naming its parts with no
    /// amount; `i + 1` when they name fewer than [`RESTATED_PARTS`] kinds of them. An entry that
    /// is only an amount ("big bowl") is passed over.
    fn parts_named_after(&self, dish: &Dish, i: usize, end: usize, amounts: &[Amount], lookups: &[Lookup]) -> usize {
        let families = self.part_families(dish);
        let part = |j: &usize| {
            matches!(lookups[*j], Lookup::Nothing)
                || !amounts[*j].stated && self.kind_of_part(&lookups[*j]).is_some_and(|f| families.contains(&f))
        };
        let stop = (i + 1..end).find(|j| !part(j)).unwrap_or(end);
        if self.restates(dish, lookups[i + 1..stop].iter()) {
            stop
        } else {
            i + 1
        }
    }

    /// The kind of food of each of `dish`'s parts.
    fn part_families(&self, dish: &Dish) -> Vec<String> {
        dish.parts.iter().map(|p| family(&self.foods.table.foods[p.food])).collect()
    }

    /// The kind of food a lookup found, a dish of one food ("roasties", "gravy") as that food.
    fn kind_of_part(&self, found: &Lookup) -> Option<String> {
        match found {
            Lookup::Dish { dish, .. } if dish.parts.len() == 1 => {
                Some(family(&self.foods.table.foods[dish.parts[0].food]))
            }
            _ => kind_of(found),
        }
    }

    /// Whether the foods `later` found name at least [`RESTATED_PARTS`] kinds of `dish`'s parts.
    fn restates<'l>(&self, dish: &Dish, later: impl Iterator<Item = &'l Lookup<'l>>) -> bool {
        let families = self.part_families(dish);
        let restated: std::collections::HashSet<String> =
            later.filter_map(|l| self.kind_of_part(l)).filter(|f| families.contains(f)).collect();
        restated.len() >= RESTATED_PARTS
    }

    /// For each mention, whether it is a dish or food whose parts or amount the next mentions
    /// list (see [`Estimator::headings`]).
    fn lists_parts(&self, mentions: &[split::Mention], amounts: &[Amount], lookups: &[Lookup]) -> Vec<bool> {
        // "fried chicken wing n a leg": another part of the same kind is another food.
        let kin = &self.foods.lexicon.kin;
        let parts = |i: usize| -> Vec<String> {
            mentions[i].words.iter().map(|w| text::stem(w)).filter(|w| kin.contains(w)).collect()
        };
        let next_states_it = |i: usize, what: &str| {
            amounts.get(i + 1).is_some_and(|a| a.stated)
                && lookups.get(i + 1).and_then(kind_of).as_deref() == Some(what)
                && {
                    let own = parts(i);
                    parts(i + 1).iter().all(|p| own.contains(p))
                }
        };
        let lists = |i: usize| match &lookups[i] {
            Lookup::Dish { dish, .. } if mentions[i].heading || !amounts[i].stated => {
                // The parts are listed right after the dish, before any other dish; what was
                // left out of it ("no egg") lists none.
                let listed = lookups[i + 1..].iter().zip(&mentions[i + 1..]).take(2 * dish.parts.len());
                let one_food = |later: &Lookup| matches!(later, Lookup::Dish { dish, .. } if dish.parts.len() == 1);
                let listed = listed.take_while(|(later, _)| !matches!(later, Lookup::Dish { .. }) || one_food(later));
                self.restates(dish, listed.filter(|(_, mention)| !mention.not_eaten).map(|(later, _)| later))
            }
            found @ Lookup::Found { .. } if !amounts[i].stated => kind_of(found).is_some_and(|f| next_states_it(i, &f)),
            _ => false,
        };
        (0..mentions.len()).map(lists).collect()
    }

    /// Leaves out the part of the last dish counted that a not-eaten entry names ("burger,
    /// didn't eat the bun"), saying so on the dish's first part; whether there was one.
    fn leave_out_part(&self, estimate: &mut Estimate, found: &Lookup, label: &str) -> bool {
        let Lookup::Found { food, .. } = found else { return false };
        let Some(dish) = estimate.items.last().and_then(|i| i.dish.clone()) else { return false };
        let same = |item: &FoodItem| {
            let family_of = |ndb: &str| self.foods.table.by_ndb(ndb).map(family);
            item.dish.as_ref() == Some(&dish) && family_of(&item.food_id) == Some(family(food))
        };
        let Some(at) = estimate.items.iter().position(same) else { return false };
        let part = estimate.items.remove(at);
        if part.counted {
            estimate.food_zinc_mg -= part.zinc_mg;
            estimate.total_copper_mg -= part.copper_mg.unwrap_or(0.0);
        }
        let note = format!("\"{label}\" read as not eaten: {} ({} g) left out", part.food, part.grams);
        match estimate.items.iter_mut().find(|i| i.dish.as_ref() == Some(&dish)) {
            Some(first) => first.assumptions.push(note),
            None => return false,
        }
        true
    }

    /// Joins an entry that is only an amount to the entry before it: in "Nature Made zinc 30 mg,
    /// 2 tablets" the 2 tablets are two doses of the 30 mg, in "zinc 25mg and another at night"
    /// another is a second, and in "suya from the spot, about 200g" the 200 g is the suya's, not
    /// a food of its own.
    fn join_amounts(&self, mentions: Vec<split::Mention>) -> Vec<split::Mention> {
        let mut out: Vec<split::Mention> = Vec::with_capacity(mentions.len());
        for mention in mentions {
            let Some(before) = out.last_mut() else {
                out.push(mention);
                continue;
            };
            if let Some(more) = self.again(before, &mention) {
                // The doses in all, where a count after a dose says how many.
                before.text = format!("{}, {}", before.text, mention.text);
                before.words.push(fmt(Amount::read(&before.words).count + more));
            } else if let Some(food) = self.eaten_from_container(before, &mention) {
                // "a bag of cherries, ate about 20": 20 cherries, not 20 bags.
                before.text = format!("{}, {}", before.text, mention.text);
                before.words = food;
                before.words.extend(mention.words);
            } else if self.amount_of(before, &mention) {
                before.text = format!("{}, {}", before.text, mention.text);
                before.words.extend(mention.words);
            } else {
                out.push(mention);
            }
        }
        out
    }

    /// Whether `mention` is only an amount that belongs to `before`: a number of tablets after
    /// a supplement, or any other amount after a food typed without one on the same line. After
    /// a supplement with no dose, a count ("zinc lozenges, had 4 today") and then the dose of
    /// each ("each one is 10mg") are its amount too.
    fn amount_of(&self, before: &split::Mention, mention: &split::Mention) -> bool {
        let amount = Amount::read(&mention.words);
        let filler = |w: &String| food::is_filler(&self.foods.lexicon, &text::stem(w));
        let supplement =
            supplement::is_supplement(&self.supplements, &self.foods.lexicon, &supplement::stems(&before.words));
        let before_amount = Amount::read(&before.words);
        let count = amount.stated && amount.measures.is_empty() && amount.rest.iter().all(filler);
        // "Nature Made zinc 30mg - forgot yday so took 2 today": two doses.
        if supplement && count && before_amount.count == 1.0 {
            return true;
        }
        if supplement && !before_amount.measures.iter().any(|m| matches!(m.unit, amount::Unit::Mass(_))) {
            // "one zinc citrate, 25 mg", "3 lozenges, 13.3 mg each", "each one is 10mg", "50 mg
            // per tablet": the dose of each.
            let dose_word = |w: &String| {
                filler(w)
                    || matches!(w.as_str(), "each" | "one" | "a" | "per")
                    || amount::household_measure(w) == Some("tablet")
            };
            let dose = amount.measures.iter().any(|m| matches!(m.unit, amount::Unit::Mass(_)))
                && mention.words.iter().take_while(|w| !w.starts_with(|c: char| c.is_ascii_digit())).all(dose_word);
            if count || dose {
                return true;
            }
        }
        let same_entry = before.continued_by(mention) && !before.bracket_of_parts;
        // "tamales, ate like 4", "ragi dosa, ate all 3": how many of the food before.
        if count && same_entry && !supplement && !before_amount.stated {
            return true;
        }
        let bare = amount.stated && !amount.measures.is_empty() && amount.rest.iter().all(filler);
        if !bare {
            return false;
        }
        if amount.measures.iter().all(|m| m.unit == amount::Unit::Household("tablet")) {
            return supplement;
        }
        same_entry && !supplement && !before_amount.stated
    }

    /// The words of `before` without its container ("got a bag of boiled peanuts"), when it is
    /// one container of a food and `mention` is only an amount on the same line: the amount is
    /// what was eaten from it ("ate like 2 handfuls", "ate about 8").
    fn eaten_from_container(&self, before: &split::Mention, mention: &split::Mention) -> Option<Vec<String>> {
        let container = |w: &String| {
            let measure = amount::household_measure(w);
            matches!(measure, Some("bag" | "box" | "container" | "jar" | "carton" | "punnet" | "packet" | "can"))
        };
        let at = before.words.windows(2).position(|w| container(&w[0]) && w[1] == "of")?;
        let filler = |w: &String| food::is_filler(&self.foods.lexicon, &text::stem(w));
        let amount = Amount::read(&mention.words);
        let only_amount = amount.stated && amount.rest.iter().all(filler);
        if !only_amount || !before.continued_by(mention) || Amount::read(&before.words).count > 1.0 {
            return None;
        }
        let one = |w: &String| matches!(w.as_str(), "a" | "an" | "one" | "1" | "the");
        let from = if at > 0 && one(&before.words[at - 1]) { at - 1 } else { at };
        let food: Vec<String> = before.words[..from].iter().chain(&before.words[at + 2..]).cloned().collect();
        let names_food = food.iter().any(|w| !filler(w));
        names_food.then_some(food)
    }

    /// How many more doses `mention` says were taken of the dosed supplement `before` ("zinc
    /// 25mg in the morning and another at night", "one more after dinner").
    fn again(&self, before: &split::Mention, mention: &split::Mention) -> Option<f64> {
        let again = |w: &&String| matches!(w.as_str(), "another" | "more" | "again");
        let said: Vec<&String> = mention
            .words
            .iter()
            .filter(|w| again(w) || !food::is_filler(&self.foods.lexicon, &text::stem(w)))
            .collect();
        if !said.iter().any(again)
            || !said.iter().all(|w| again(w) || amount::parse_number(w).is_some() || amount::number_word(w).is_some())
        {
            return None;
        }
        let stems = supplement::stems(&before.words);
        let dosed = Amount::read(&before.words).measures.iter().any(|m| matches!(m.unit, amount::Unit::Mass(_)));
        (dosed && supplement::is_supplement(&self.supplements, &self.foods.lexicon, &stems))
            .then(|| Amount::read(&mention.words).count)
    }

    /// Estimates one supplement dose given as a form and an amount in mg (the `/supplement`
    /// command), reading the number as given rather than as text. Refuses an amount that is
    /// not a number of mg above 0 and at most [`MAX_LABEL_MG`].
    pub fn supplement_dose(&self, form: &str, amount_mg: f64, profile: &Profile) -> Result<Estimate, String> {
        if !(amount_mg.is_finite() && amount_mg > 0.0 && amount_mg <= MAX_LABEL_MG) {
            return Err(format!("The amount must be a number of mg above 0 and at most {}.", fmt(MAX_LABEL_MG)));
        }
        let folded = text::fold(form);
        let mut words: Vec<String> = text::words(&folded).into_iter().map(String::from).collect();
        if !words.iter().any(|w| w == "zinc") {
            words.insert(0, "zinc".to_string());
        }
        let stems = supplement::stems(&words);
        let amount = Amount::milligrams(amount_mg);
        let text = format!("{} {} mg", words.join(" "), fmt(amount_mg));
        let mut estimate = empty(profile);
        let reading = supplement::read(&self.supplements, &stems, &amount);
        self.add_supplement(&mut estimate, &text, reading, &[]);
        Ok(self.finish(estimate, profile, false))
    }

    /// The food a name means: an NDB number, a chat name (typos tolerated) or a USDA
    /// description.
    pub fn food(&self, name: &str) -> Option<&Food> {
        let name = name.trim();
        if let Some(food) = self.foods.table.by_ndb(name) {
            return Some(food);
        }
        let words: Vec<String> = text::words(&text::fold(name)).into_iter().map(String::from).collect();
        match food::lookup(&self.foods, &words) {
            Lookup::Found { food, .. } => Some(food),
            _ => None,
        }
    }

    /// Chat names starting with (then containing) `partial`, as (label, NDB number) pairs, for
    /// autocomplete.
    pub fn food_names(&self, partial: &str, limit: usize) -> Vec<(String, String)> {
        let partial = text::fold(partial.trim());
        let named = self.foods.table.foods.iter().flat_map(|f| f.names.iter().map(move |n| (n, f)));
        let mut starts: Vec<(String, String)> = Vec::new();
        let mut contains: Vec<(String, String)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (name, food) in named {
            let folded = text::fold(name);
            let bucket = if folded.starts_with(&partial) {
                &mut starts
            } else if folded.contains(&partial) {
                &mut contains
            } else {
                continue;
            };
            if seen.insert(&food.ndb) {
                bucket.push((format!("{name} ({})", food.ndb), food.ndb.clone()));
            }
        }
        starts.sort_by_key(|(label, _)| label.len());
        contains.sort_by_key(|(label, _)| label.len());
        starts.into_iter().chain(contains).take(limit).collect()
    }
    /// Adds a supplement mention, counted unless its zinc is implausible for one entry.
    fn add_supplement(&self, estimate: &mut Estimate, input: &str, reading: Reading, amount_notes: &[String]) {
        let limits = &self.reference.limits;
        match reading {
            Reading::Dose { form, stated_mg, elemental_mg, mut notes } => {
                let counted = elemental_mg <= limits.max_supplement_mg;
                if !counted {
                    notes.push(format!(
                        "implausible: over {} mg of zinc in one entry, not counted",
                        fmt(limits.max_supplement_mg)
                    ));
                }
                notes.splice(0..0, amount_notes.iter().cloned());
                estimate.supplements.push(SupplementItem {
                    input: input.to_string(),
                    form,
                    stated_mg: round(stated_mg, 2),
                    elemental_zinc_mg: round(elemental_mg, 2),
                    assumptions: notes,
                    counted,
                });
                if counted {
                    estimate.supplement_zinc_mg += elemental_mg;
                }
            }
            Reading::NoAmount { hint } => {
                estimate.unrecognized.push(input.to_string());
                estimate.suggestions.push(Suggestion {
                    input: input.to_string(),
                    did_you_mean: Vec::new(),
                    hint: Some(hint),
                });
            }
        }
    }

    /// Adds a food mention, counted unless its weight is implausible for one food.
    fn add_food(&self, estimate: &mut Estimate, input: &str, words: &[String], amount: &Amount, found: Lookup) {
        let limits = &self.reference.limits;
        match found {
            Lookup::Dish { dish, notes, beside } => self.add_dish(estimate, input, words, dish, notes, &beside),
            Lookup::Found { food, notes: found } => {
                let mut notes = amount.notes.clone();
                let grams = food::grams(&self.foods, food, amount, &mut notes);
                notes.extend(found);
                let counted = grams <= limits.max_food_grams;
                if !counted {
                    notes.push(format!("implausible: over {} g of one food, not counted", fmt(limits.max_food_grams)));
                }
                if food.copper_mg_per_100g.is_none() {
                    notes.push("SR28 has no copper value for this food".into());
                }
                push_item(estimate, Item { input, dish: None, food, grams, assumptions: notes, counted });
            }
            Lookup::Unknown { did_you_mean } => {
                estimate.unrecognized.push(input.to_string());
                estimate.suggestions.push(Suggestion { input: input.to_string(), did_you_mean, hint: None });
            }
            // An amount with nothing to weigh ("2 tablets" after a food) is said, not dropped.
            Lookup::Nothing if amount.stated => {
                estimate.unrecognized.push(input.to_string());
                let hint = "an amount with no food or supplement named: say what it is".to_string();
                estimate.suggestions.push(Suggestion {
                    input: input.to_string(),
                    did_you_mean: Vec::new(),
                    hint: Some(hint),
                });
            }
            Lookup::Nothing => {}
        }
    }

    /// Adds a dish as its parts, each an item of its own. An amount typed beside a part's food
    /// sets that part ("porridge with 40 g oats"); otherwise the amount counts servings.
    fn add_dish(
        &self,
        estimate: &mut Estimate,
        input: &str,
        words: &[String],
        dish: &Dish,
        mut notes: Vec<String>,
        beside: &[String],
    ) {
        let limits = &self.reference.limits;
        let lexicon = &self.foods.lexicon;
        let label = &dish.names[0];
        let part_amount = dish::named_part(lexicon, dish, beside).map(|part| {
            let amount = Amount::read(words);
            (part, amount)
        });
        let (counted_parts, words_left) = self.part_counts(dish, &self.around_name(words));
        let servings = match &part_amount {
            Some((_, amount)) if !amount.measures.is_empty() => 1.0,
            _ => {
                let words = self.dish_amount_words(dish, &words_left);
                dish::servings(&self.foods.table.foods, dish, &words, &mut notes)
            }
        };
        let named = format!("{label} ({} x 1 {})", fmt(servings), dish.unit);
        let article = if label.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        notes.insert(0, format!("counted as {article} {label}, {}", dish.recipe));
        let (diet, beside) = self.diet(beside);
        if part_amount.is_none() && !beside.is_empty() {
            notes.push(format!("also saw \"{}\": list it separately to count it", beside.join(" ")));
        }
        let counted = servings * dish.grams() <= limits.max_food_grams;
        if !counted {
            notes.push(format!("implausible: over {} g of one dish, not counted", fmt(limits.max_food_grams)));
        }
        for (i, part) in self.parts_for(dish, diet, &mut notes).into_iter().enumerate() {
            let food = &self.foods.table.foods[part.food];
            let mut assumptions = if i == 0 { std::mem::take(&mut notes) } else { Vec::new() };
            let grams = match &part_amount {
                Some((which, amount)) if *which == i && !amount.measures.is_empty() => {
                    let mut said = Vec::new();
                    let grams = food::grams(&self.foods, food, amount, &mut said);
                    assumptions.push(format!("{}: {} g as stated", part.shown_as, fmt(round(grams, 1))));
                    assumptions.extend(said);
                    grams
                }
                _ => match counted_parts.iter().find(|(at, _, _)| std::ptr::eq(&dish.parts[*at], part)) {
                    Some(&(_, count, each)) => {
                        let grams = count * each * servings;
                        assumptions.push(format!(
                            "{}: {} as typed, {} g each as in the recipe = {} g",
                            part.shown_as,
                            fmt(count),
                            fmt(round(each, 1)),
                            fmt(round(grams, 1))
                        ));
                        grams
                    }
                    None => {
                        assumptions.push(format!("{}: {} g", part.shown_as, fmt(round(part.grams * servings, 1))));
                        part.grams * servings
                    }
                },
            };
            push_item(estimate, Item { input, dish: Some(named.clone()), food, grams, assumptions, counted });
        }
    }

    /// The parts of `dish` counted for `diet`, noting each one left out; all of them when every
    /// one would be.
    fn parts_for<'d>(&self, dish: &'d Dish, diet: Option<Diet>, notes: &mut Vec<String>) -> Vec<&'d Part> {
        let Some(diet) = diet else { return dish.parts.iter().collect() };
        let (left_out, kept): (Vec<&Part>, Vec<&Part>) =
            dish.parts.iter().partition(|part| diet.leaves_out(&self.foods.table.foods[part.food].group));
        if kept.is_empty() {
            notes.push("every part would be left out: counted as the recipe".into());
            return left_out;
        }
        for part in left_out {
            notes.push(format!("{}: left out of a {} dish", part.shown_as, diet.name()));
        }
        kept
    }

    /// The diet a dish is made for, from the words typed beside its name ("vegan pad thai"), and
    /// those words without it.
    fn diet(&self, beside: &[String]) -> (Option<Diet>, Vec<String>) {
        let lexicon = &self.foods.lexicon;
        let mut diet = None;
        let mut rest = Vec::new();
        for word in beside {
            let stem = text::stem(word);
            if lexicon.vegan.contains(&stem) {
                diet = Some(Diet::Vegan);
            } else if lexicon.meatless.contains(&stem) {
                diet = diet.or(Some(Diet::Meatless));
            } else {
                rest.push(word.clone());
            }
        }
        (diet, rest)
    }

    /// The parts of `dish` whose number is typed in its name ("3 scrambled eggs on 2 toast",
    /// "2 poached eggs on toast"): the number comes right before the part's own last word,
    /// which ends the name or comes before "on", "with" or "and", so "2 bacon sandwiches" stays
    /// two sandwiches. Each is (part, count, grams of one as the recipe has it), and the words
    /// come back without those numbers, which then count no servings.
    fn part_counts(&self, dish: &Dish, words: &[String]) -> (Vec<(usize, f64, f64)>, Vec<String>) {
        let lexicon = &self.foods.lexicon;
        let stems: Vec<String> = words.iter().map(|w| text::stem(w)).collect();
        let mut counts = Vec::new();
        let mut used = vec![false; words.len()];
        // "2 poached eggs", "2 slices of toast": the part's word comes after the number's own.
        let measure = |j: usize| amount::household_measure(&words[j]).is_some() || amount::size(&words[j]).is_some();
        for (i, word) in words.iter().enumerate() {
            let number = amount::parse_number(word).or_else(|| amount::number_word(word));
            let Some(count) = number.filter(|n| (1.0..=12.0).contains(n)) else { continue };
            let Some(head) =
                (i + 1..words.len()).take(3).find(|&j| !food::is_filler(lexicon, &stems[j]) && !measure(j))
            else {
                continue;
            };
            if !stems.get(head + 1).is_none_or(|next| matches!(next.as_str(), "on" | "with" | "and" | "over")) {
                continue;
            }
            // The part shown with a number ("2 large poached eggs") and ending in that word.
            let part = dish.parts.iter().enumerate().find_map(|(at, part)| {
                let shown = text::tokens(&part.shown_as);
                let in_recipe = amount::parse_number(shown.first()?)?;
                (shown.last() == Some(&stems[head])).then_some((at, part.grams / in_recipe))
            });
            if let Some((at, each)) = part {
                counts.push((at, count, each));
                used[i] = true;
            }
        }
        let left = words.iter().enumerate().filter(|(i, _)| !used[*i]).map(|(_, w)| w.clone()).collect();
        (counts, left)
    }

    /// The words that say how much of a dish: a number inside its name ("3 eggs on 2 toast") or
    /// before another food typed after it ("beans on toast, 2 slices hovis") is not the dish's.
    fn dish_amount_words(&self, dish: &Dish, words: &[String]) -> Vec<String> {
        let stems: Vec<String> = words.iter().map(|w| text::stem(w)).collect();
        let spans = dish.name_tokens.iter().filter_map(|tokens| {
            let at = food::positions_of(tokens, &stems)?;
            Some((tokens, *at.iter().min()?, *at.iter().max()?))
        });
        let Some((tokens, first, last)) = spans.max_by_key(|(tokens, _, _)| tokens.len()) else {
            return words.to_vec();
        };
        let is_number = |w: &str| w.starts_with(|c: char| c.is_ascii_digit());
        let other_food = |s: &String| {
            !tokens.contains(s) && !food::is_filler(&self.foods.lexicon, s) && self.foods.names_by_token.contains_key(s)
        };
        let mut out: Vec<String> = words[..first].to_vec();
        // A number inside the name counts the part it comes before ("pulled pork on 2 hawaiian
        // rolls"), unless a unit or the dish's own unit follows it ("chick fil a 8 ct nuggets").
        let counts_dish = |i: usize| {
            let glued = words[i].trim_start_matches(|c: char| c.is_ascii_digit());
            amount::is_unit(glued)
                || (i + 1..words.len().min(i + 3)).any(|j| amount::is_unit(&words[j]) || stems[j] == dish.unit)
        };
        out.extend((first..=last).filter(|&i| !is_number(&words[i]) || counts_dish(i)).map(|i| words[i].clone()));
        // "a burger and 2 cokes": a number before another food starts that food; "pad thai 2
        // plates": a unit or what the dish is served in, after the number, is its amount.
        let measure = |j: usize| amount::is_unit(&words[j]) || dish::served_in(dish, &stems[j]);
        for (i, word) in words.iter().enumerate().skip(last + 1) {
            if is_number(word) && (i + 1..words.len()).any(|j| other_food(&stems[j]) && !measure(j)) {
                break;
            }
            // "at the place in the Northern Quarter": a number word after the name is prose.
            if amount::number_word(word).is_none() {
                out.push(word.clone());
            }
        }
        out
    }

    /// Totals, the reference values, the warnings and the status, once every mention is in.
    fn finish(&self, mut estimate: Estimate, profile: &Profile, truncated: bool) -> Estimate {
        let total = estimate.food_zinc_mg + estimate.supplement_zinc_mg;
        estimate.reference = reference(profile, total);
        estimate.warnings = self.warnings(profile, &estimate, total, truncated);
        // Doses each plausible can add up to no plausible day ("zinc 500 mg" ten times).
        let absurd_day = estimate.supplement_zinc_mg > self.reference.limits.max_supplement_mg;
        if absurd_day {
            estimate.warnings.insert(
                0,
                format!(
                    "The supplements add up to {} mg of zinc, more than anyone could take in a day: please check the amounts.",
                    fmt(round(estimate.supplement_zinc_mg, 2))
                ),
            );
        }
        estimate.status = if absurd_day
            || estimate.items.iter().any(|i| !i.counted)
            || estimate.supplements.iter().any(|s| !s.counted)
        {
            Status::Implausible
        } else if !estimate.recognised() {
            Status::NothingRecognized
        } else {
            Status::Ok
        };
        estimate.food_zinc_mg = round(estimate.food_zinc_mg, 2);
        estimate.supplement_zinc_mg = round(estimate.supplement_zinc_mg, 2);
        estimate.total_zinc_mg = round(total, 2);
        estimate.total_copper_mg = round(estimate.total_copper_mg, 3);
        estimate
    }

    fn warnings(&self, profile: &Profile, estimate: &Estimate, total: f64, truncated: bool) -> Vec<String> {
        let implausible = estimate.items.iter().any(|i| !i.counted) || estimate.supplements.iter().any(|s| !s.counted);
        let mut out = self.limit_warnings(profile, estimate.supplement_zinc_mg, total, implausible);
        if truncated {
            out.push(format!(
                "Only the first {} items were read; send the rest in another message.",
                split::MAX_MENTIONS
            ));
        }
        out
    }

    /// The warnings a total earns against the profile's upper limit: the same for one estimate
    /// and for a day's log.
    pub fn limit_warnings(&self, profile: &Profile, supplements: f64, total: f64, implausible: bool) -> Vec<String> {
        let reference = &self.reference;
        let messages = &reference.messages;
        let fill = |template: &str| {
            template
                .replace("{total}", &fmt(total))
                .replace("{supplements}", &fmt(supplements))
                .replace("{ul}", &fmt(profile.ul_mg))
                .replace("{profile}", &profile.label)
        };
        let mut out = Vec::new();
        if implausible {
            out.push(fill(&messages.implausible));
        }
        if supplements >= profile.ul_mg {
            out.push(fill(&messages.supplements_over_ul));
        } else if supplements >= profile.ul_mg * reference.tiers.supplements_approach_share {
            out.push(fill(&messages.supplements_near_ul));
        }
        if total > profile.ul_mg {
            out.push(fill(&messages.total_over_ul));
        }
        if supplements >= reference.tiers.copper_note_supplement_mg || total > profile.ul_mg {
            out.push(fill(&messages.copper));
        }
        out
    }
}

/// A weighed food, before it becomes a [`FoodItem`].
struct Item<'a> {
    input: &'a str,
    dish: Option<String>,
    food: &'a Food,
    grams: f64,
    assumptions: Vec<String>,
    counted: bool,
}

/// For each mention, the share of it eaten and the words that said so: the mentions between a
/// heading and a share ("shepherd's pie (500 g lamb mince, 1 kg potatoes ...), had about a
/// quarter of it"), or, with no heading before it or when the share names its food, the
/// mentions just before the share, past any that `names_nothing`. A share is taken only of a
/// recipe, where some amount is stated: a list of default portions is already one person's,
/// unless the share is of what was served (see [`split::Share`]).
fn shares<'m>(
    mentions: &'m [split::Mention],
    amounts: &[Amount],
    headings: &[bool],
    names_nothing: impl Fn(&split::Mention) -> bool,
) -> Vec<Option<(split::Share, &'m str)>> {
    let mut out = vec![None; mentions.len()];
    let mut batch: Option<usize> = None;
    for (i, mention) in mentions.iter().enumerate() {
        if headings[i] {
            batch = Some(i + 1);
        }
        let Some(share) = mention.share else { continue };
        // Chat between a food and its share ("lasagna, couldnt finish it, left a third") is
        // stepped over.
        let mut end = i;
        while end > 0 && batch.is_none_or(|b| end > b) && names_nothing(&mentions[end - 1]) {
            end -= 1;
        }
        let mut from = match batch {
            Some(_) if share.names_food => end.saturating_sub(share.entries),
            _ => batch.take().unwrap_or(end.saturating_sub(share.entries)),
        };
        // Said alone after a meal typed as one ("curry n rice, only ate half"), a share is of
        // every food joined to the one before it.
        if share.alone && from + 1 == end {
            while from > 0
                && mentions[from].after.is_some()
                && !headings[from - 1]
                && mentions[from - 1].share.is_none()
            {
                from -= 1;
            }
        }
        let shared = |j: usize| !headings[j] && mentions[j].share.is_none();
        if !share.of_served && !(from..i).any(|j| shared(j) && amounts[j].stated) {
            continue;
        }
        for (j, slot) in out.iter_mut().enumerate().take(i).skip(from) {
            if shared(j) {
                *slot = Some((share, mention.text.as_str()));
            }
        }
    }
    out
}

/// Counts only `share` of the items from `first` on, whose zinc and copper were just added to
/// totals that stood at `before`, saying so on the first (a dish's other parts follow it).
fn take_share(estimate: &mut Estimate, first: usize, before: (f64, f64), share: split::Share, said: &str) {
    let part = share.fraction();
    estimate.food_zinc_mg = before.0 + (estimate.food_zinc_mg - before.0) * part;
    estimate.total_copper_mg = before.1 + (estimate.total_copper_mg - before.1) * part;
    for item in &mut estimate.items[first..] {
        item.grams = round(item.grams * part, 1);
        item.zinc_mg = round(item.zinc_mg * part, 2);
        item.copper_mg = item.copper_mg.map(|c| round(c * part, 3));
    }
    if let Some(item) = estimate.items.get_mut(first) {
        let (said, n, d) = (text::clip(said, MAX_ECHO), share.numerator, share.denominator);
        let counted =
            if d == 1 { format!("the amount counted {n} times") } else { format!("{n}/{d} of the amount counted") };
        item.assumptions.push(format!("\"{said}\": {counted}"));
    }
}

/// Adds an item to the estimate, and its zinc and copper to the totals when it is counted.
fn push_item(estimate: &mut Estimate, item: Item) {
    let Item { input, dish, food, grams, assumptions, counted } = item;
    let zinc = grams * food.zinc_mg_per_100g / 100.0;
    let copper = food.copper_mg_per_100g.map(|c| grams * c / 100.0);
    if counted {
        estimate.food_zinc_mg += zinc;
        estimate.total_copper_mg += copper.unwrap_or(0.0);
    }
    estimate.items.push(FoodItem {
        input: input.to_string(),
        dish,
        food: food.description.clone(),
        food_id: food.ndb.clone(),
        grams: round(grams, 1),
        zinc_mg: round(zinc, 2),
        copper_mg: copper.map(|c| round(c, 3)),
        assumptions,
        counted,
    });
}

/// What kind of food a USDA food is: the last word of its description before the first comma,
/// stemmed ("bread", "tomato", "sausage" for "Pork sausage" and "Sausage, Italian"), so a part
/// restated in other words is still recognised. A brand, "Fast foods" or "Restaurant, Chinese"
/// before it is no kind of food, nor what the item comes with: "APPLEBEE'S, french fries" are
/// fries and "TACO BELL, Soft Taco with beef" a taco.
fn family(food: &Food) -> String {
    let mut segments: Vec<&str> = food.description.split(',').map(str::trim).collect();
    if segments.len() > 1 && segments[0].eq_ignore_ascii_case("fast foods") {
        segments.remove(0);
    }
    // A brand is the first segment only: the item after it may be in capitals too ("BURGER
    // KING, WHOPPER, no cheese" is a whopper).
    let brand = |s: &str| !s.trim_start_matches("Mc").chars().any(char::is_lowercase);
    if segments.len() > 1 && brand(segments[0]) {
        segments.remove(0);
    }
    if segments.len() > 2 && segments[0] == "Restaurant" {
        // "Restaurant, Chinese, fried rice": the cuisine goes too.
        segments.drain(..2);
    }
    let head = segments[0];
    let head = head.split(" with ").next().unwrap_or(head);
    text::stem(&head.split_whitespace().next_back().unwrap_or(head).to_lowercase())
}

/// The kind of food a lookup found, when it found one.
fn kind_of(found: &Lookup) -> Option<String> {
    match found {
        Lookup::Found { food, .. } => Some(family(food)),
        _ => None,
    }
}

/// What a dish named as meatless or vegan is made without.
#[derive(Debug, Clone, Copy)]
enum Diet {
    Meatless,
    Vegan,
}

/// The USDA food groups of meat and fish.
const MEAT_GROUPS: [&str; 6] = [
    "Beef Products",
    "Pork Products",
    "Poultry Products",
    "Lamb, Veal, and Game Products",
    "Finfish and Shellfish Products",
    "Sausages and Luncheon Meats",
];

impl Diet {
    fn name(self) -> &'static str {
        match self {
            Diet::Meatless => "meatless",
            Diet::Vegan => "vegan",
        }
    }

    /// Whether a part from the USDA food group `group` is left out.
    fn leaves_out(self, group: &str) -> bool {
        MEAT_GROUPS.contains(&group) || matches!(self, Diet::Vegan) && group == "Dairy and Egg Products"
    }
}

/// A dish is the heading of the list after it when the list restates this many of its parts.
const RESTATED_PARTS: usize = 2;

/// `words` without the range `name`.
fn outside(words: &[String], name: &std::ops::Range<usize>) -> Vec<String> {
    words[..name.start].iter().chain(&words[name.end..]).cloned().collect()
}

/// An estimate with nothing in it yet.
fn empty(profile: &Profile) -> Estimate {
    Estimate {
        status: Status::Ok,
        items: Vec::new(),
        supplements: Vec::new(),
        unrecognized: Vec::new(),
        suggestions: Vec::new(),
        food_zinc_mg: 0.0,
        supplement_zinc_mg: 0.0,
        total_zinc_mg: 0.0,
        total_copper_mg: 0.0,
        reference: reference(profile, 0.0),
        warnings: Vec::new(),
    }
}

/// The reference values of `profile`, with `total` as a share of each RDA.
pub fn reference(profile: &Profile, total: f64) -> Reference {
    Reference {
        profile: profile.id.clone(),
        label: profile.label.clone(),
        rda_mg: profile.rda[0].mg,
        ul_mg: profile.ul_mg,
        rdas: profile
            .rda
            .iter()
            .map(|r| RdaShare { label: r.label.clone(), rda_mg: r.mg, percent: round(100.0 * total / r.mg, 0) })
            .collect(),
    }
}

/// Rounds to `places` decimals for display and JSON.
pub fn round(value: f64, places: i32) -> f64 {
    let factor = 10f64.powi(places);
    // Adding zero turns -0 (the sum of nothing) into 0.
    (value * factor).round() / factor + 0.0
}
