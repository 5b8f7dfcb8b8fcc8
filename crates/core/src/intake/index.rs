//! The food table with the indexes that let chat names, typos and plain USDA descriptions find
//! a food quickly; built by the intake engine from the validated table.

use std::collections::{HashMap, HashSet};

use super::split::{self, Joins};
use crate::content::foods::{Food, FoodTable};
use crate::content::lexicon::FoodWords;
use crate::text::{self, Vocabulary};

/// A chat name, tokenised.
#[derive(Debug, Clone)]
pub struct NameEntry {
    pub named: Named,
    pub tokens: Vec<String>,
    /// How many of its tokens are household measures ("fillet" in "salmon fillet"): they say
    /// how much, not which food.
    pub measure_words: usize,
    /// The name as written.
    pub text: String,
}

/// What a chat name names: a food or a dish, by its place in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Named {
    Food(usize),
    Dish(usize),
}

/// The food table and its look-ups; immutable once built.
#[derive(Debug)]
pub struct FoodIndex {
    pub table: FoodTable,
    /// Every chat name.
    pub names: Vec<NameEntry>,
    /// Token -> the chat names containing it.
    pub names_by_token: HashMap<String, Vec<u32>>,
    /// Distinct chat-name tokens, weighted by how many names use them, for typo correction.
    pub vocabulary: Vocabulary,
    /// Every USDA description, for foods no chat name knows.
    pub descriptions: DescriptionIndex,
    /// What holds chat names together across "and" and "with" ("macaroni and cheese", "ham and
    /// cheese sandwich"), so a food list is not split inside them.
    pub joins: Joins,
    /// The words food lists are read with.
    pub lexicon: FoodWords,
    /// The median USDA weight of each of the lexicon's `typical` measures, over every food.
    pub typical: HashMap<String, Typical>,
}

/// Every word of every USDA description, for foods reached without a chat name.
#[derive(Debug, Default)]
pub struct DescriptionIndex {
    /// Token -> foods whose description contains it, in table order.
    pub by_token: HashMap<String, Vec<u32>>,
    /// How many words each description has, by food index: fewer is plainer.
    pub lengths: Vec<u16>,
    /// Words that only ever describe foods named before them, across several kinds of food
    /// ("Broccoli, chinese", "Restaurant, Chinese, ...", "Cereals, QUAKER, Quick Oats"): typed
    /// alone they name no food.
    pub modifiers: HashSet<String>,
}

impl DescriptionIndex {
    fn build(foods: &[Food]) -> DescriptionIndex {
        let mut index = DescriptionIndex {
            by_token: HashMap::new(),
            lengths: Vec::with_capacity(foods.len()),
            modifiers: HashSet::new(),
        };
        // For each word: whether it ever heads a description, and the heads it follows.
        let mut heads_of: HashMap<String, (bool, HashSet<String>)> = HashMap::new();
        for (i, food) in foods.iter().enumerate() {
            // The description's words, read in two parts: what names the food, then the rest.
            let (head, rest) = food.description.split_once(',').unwrap_or((&food.description, ""));
            let mut tokens = text::tokens(head);
            let head_len = tokens.len();
            tokens.extend(text::tokens(rest));
            let first = tokens[..head_len].first().cloned().unwrap_or_default();
            for token in &tokens[..head_len] {
                heads_of.entry(token.clone()).or_default().0 = true;
            }
            for token in &tokens[head_len..] {
                heads_of.entry(token.clone()).or_default().1.insert(first.clone());
            }
            for token in &tokens {
                match index.by_token.get_mut(token.as_str()) {
                    Some(list) if list.last() == Some(&(i as u32)) => {}
                    Some(list) => list.push(i as u32),
                    None => {
                        index.by_token.insert(token.clone(), vec![i as u32]);
                    }
                }
            }
            index.lengths.push(tokens.len() as u16);
        }
        index.modifiers =
            heads_of.into_iter().filter(|(_, (heads, after))| !heads && after.len() >= 3).map(|(w, _)| w).collect();
        index
    }
}

impl FoodIndex {
    /// Indexes the chat names and USDA descriptions of `table`; food lists are read with
    /// `lexicon`.
    pub fn build(table: FoodTable, lexicon: FoodWords) -> FoodIndex {
        let mut names = Vec::new();
        let mut names_by_token: HashMap<String, Vec<u32>> = HashMap::new();
        let mut joins = Joins::default();
        // One-word food names ("chicken", "broccoli"): a dish named by two of them joined by
        // "and" ("chicken and broccoli") is also a list of them, so a dish's name holds together
        // only where a side is no food ("sweet and sour").
        let one_word_foods: HashSet<String> = table
            .foods
            .iter()
            .flat_map(|f| &f.names)
            .filter(|name| !name.contains(' '))
            .map(|name| text::stem(&text::fold(name)))
            .collect();
        let two_foods =
            |a: &str, b: &str| one_word_foods.contains(&text::stem(a)) && one_word_foods.contains(&text::stem(b));
        let joining = |w: &str| matches!(w, "and" | "with");
        // Dishes first: a dish name as long as a food's is the more specific ("beans on toast").
        let dishes = table.dishes.iter().enumerate().map(|(i, d)| (Named::Dish(i), &d.names));
        let foods = table.foods.iter().enumerate().map(|(i, f)| (Named::Food(i), &f.names));
        for (named, written) in dishes.chain(foods) {
            for name in written {
                // Names are read as lists are, so "filet o fish" still meets "filet of fish".
                let folded = split::read_as(&lexicon, &split::spell_connectors(&text::fold(name)));
                let food = matches!(named, Named::Food(_));
                let words = text::words(&folded);
                if words.iter().any(|w| joining(w)) {
                    joins.names.push(words.iter().map(|w| text::stem(w)).collect());
                }
                for w in words.windows(3) {
                    // "burger with the lot" holds as a whole name only: "burger w the bun" is two.
                    let article = matches!(w[2], "the" | "a" | "an");
                    if joining(w[1]) && !article && (food || !two_foods(w[0], w[2])) {
                        joins.pairs.insert((text::stem(w[0]), text::stem(w[2])));
                    }
                }
                // Articles carry nothing: "slice of bread" is matched by its words slice, bread.
                let tokens: Vec<String> = text::tokens(&folded)
                    .into_iter()
                    .filter(|t| !matches!(t.as_str(), "of" | "a" | "an" | "the"))
                    .collect();
                let id = names.len() as u32;
                let mut unique = tokens.clone();
                unique.sort();
                unique.dedup();
                for token in unique {
                    names_by_token.entry(token).or_default().push(id);
                }
                let measure_words = tokens.iter().filter(|t| super::amount::household_measure(t).is_some()).count();
                names.push(NameEntry { named, tokens, measure_words, text: name.clone() });
            }
        }
        // Short words of dish names are no typo targets: many come from other languages
        // ("sake", "pho", "dal") and sit one letter from everyday English ("same", "the").
        let food_names =
            |ids: &Vec<u32>| ids.iter().filter(|&&id| matches!(names[id as usize].named, Named::Food(_))).count();
        let targets = names_by_token.iter().filter(|(word, ids)| food_names(ids) > 0 || word.chars().count() >= 6);
        let vocabulary = Vocabulary::new(targets.map(|(word, ids)| (word.as_str(), ids.len())));
        let descriptions = DescriptionIndex::build(&table.foods);
        let typical = typical_weights(&table, &lexicon);
        FoodIndex { table, names, names_by_token, vocabulary, descriptions, joins, lexicon, typical }
    }
}

/// A measure's median weight over the whole table, and how many weights it is the median of.
#[derive(Debug, Clone, Copy)]
pub struct Typical {
    pub grams: f64,
    pub count: usize,
}

/// The median USDA weight of one of each of `lexicon`'s typical measures ("1 slice").
fn typical_weights(table: &FoodTable, lexicon: &FoodWords) -> HashMap<String, Typical> {
    let mut grams: HashMap<String, Vec<f64>> = HashMap::new();
    for weight in table.foods.iter().flat_map(|f| &f.weights) {
        let measure = weight.words.first().filter(|w| lexicon.typical.contains(*w));
        if let Some(measure) = measure.filter(|_| !weight.is_size() && weight.amount > 0.0) {
            grams.entry(measure.clone()).or_default().push(weight.grams_each());
        }
    }
    grams
        .into_iter()
        .map(|(measure, mut all)| {
            all.sort_by(f64::total_cmp);
            (measure, Typical { grams: all[all.len() / 2], count: all.len() })
        })
        .collect()
}
