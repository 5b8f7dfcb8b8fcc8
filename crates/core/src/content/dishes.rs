//! `dishes/*.toml`: dishes, meals and restaurant items as typed in chat, each a recipe of SR28
//! foods with grams, so an estimate can show a dish as its parts.
//!
//! A whole SR28 entry (a fast-food item, a mixed dish) is a dish of one part; otherwise the
//! file states a typical recipe. Every part names an SR28 food by NDB number, checked against
//! the food table when the folder loads.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::foods::FoodTable;
use super::{parse_toml, ContentError};
use crate::text;

/// The most a dish part or a size multiplier may be: more is a typing error in the file.
const MAX_PART_GRAMS: f64 = 2000.0;
const MAX_SIZE: f64 = 20.0;
/// The most pieces a serving may be cut in.
const MAX_PIECES: f64 = 50.0;

/// One dish: the names people type, what one serving is, and its parts.
#[derive(Debug, Clone)]
pub struct Dish {
    /// Chat names, as written; the first is the one shown.
    pub names: Vec<String>,
    /// Each name's stemmed words, for finding where a name is typed without tokenizing it again.
    pub name_tokens: Vec<Vec<String>>,
    /// What one serving is called: a sandwich, a bowl, a slice.
    pub unit: String,
    /// Where the parts and grams come from, in one line.
    pub recipe: String,
    /// Size phrases (folded words such as `["14", "inch"]`) and how many servings each is.
    pub sizes: Vec<Size>,
    /// How many pieces one serving is cut or served in, for a dish people count by the piece
    /// (a maki roll's 8, a plate of karaage's 5): a piece is that share of a serving.
    pub pieces: Option<f64>,
    pub parts: Vec<Part>,
}

/// A size people type for a dish and its multiplier of one serving.
#[derive(Debug, Clone)]
pub struct Size {
    pub words: Vec<String>,
    pub label: String,
    pub servings: f64,
}

/// One ingredient of a dish.
#[derive(Debug, Clone)]
pub struct Part {
    /// Index of the food in the food table.
    pub food: usize,
    pub grams: f64,
    /// How the part is shown: "2 slices whole-wheat bread".
    pub shown_as: String,
}

impl Dish {
    /// Grams in one serving.
    pub fn grams(&self) -> f64 {
        self.parts.iter().map(|p| p.grams).sum()
    }
}

/// A dish file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DishFile {
    #[serde(rename = "dish", default)]
    dishes: Vec<DishEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DishEntry {
    names: Spanned<Vec<String>>,
    unit: Spanned<String>,
    recipe: Spanned<String>,
    #[serde(default)]
    sizes: HashMap<String, f64>,
    pieces: Option<f64>,
    parts: Spanned<Vec<PartEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PartEntry {
    ndb: String,
    grams: f64,
    #[serde(rename = "as")]
    shown_as: String,
}

/// Loads every `*.toml` in `dir`, in name order, checking each part against `foods`. A
/// content folder without a `dishes` folder has no dishes.
pub fn load(dir: &Path, foods: &FoodTable) -> Result<Vec<Dish>, Vec<ContentError>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut paths: Vec<_> =
        entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "toml")).collect();
    paths.sort();
    let mut dishes = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<Vec<String>, String> = HashMap::new();
    for path in paths {
        match load_file(&path, foods, &mut seen) {
            Ok(mut more) => dishes.append(&mut more),
            Err(mut more) => errors.append(&mut more),
        }
    }
    if errors.is_empty() {
        Ok(dishes)
    } else {
        Err(errors)
    }
}

/// Loads one file; `seen` holds the names of the files before it, so a name is used once in
/// the whole folder.
fn load_file(
    path: &Path,
    foods: &FoodTable,
    seen: &mut HashMap<Vec<String>, String>,
) -> Result<Vec<Dish>, Vec<ContentError>> {
    let (file, text): (DishFile, String) = parse_toml(path)?;
    let mut errors = Vec::new();
    let mut dishes = Vec::new();
    for entry in file.dishes {
        let mut at = |span: std::ops::Range<usize>, message: String| {
            errors.push(ContentError::new(path, text::line_of(&text, span.start), message))
        };
        let first = entry.names.get_ref().first().cloned().unwrap_or_default();
        if entry.names.get_ref().is_empty() {
            at(entry.names.span(), "a dish needs at least one name".into());
        }
        // Spellings that read the same ("chick-fil-a", "chick fil a") are one name.
        let mut keys = std::collections::HashSet::new();
        for name in entry.names.get_ref() {
            let key = text::tokens(name);
            if key.is_empty() {
                at(entry.names.span(), format!("dish name {name:?} has no words"));
            } else if !keys.insert(key.clone()) {
                continue;
            } else if let Some(other) = seen.insert(key, first.clone()) {
                at(entry.names.span(), format!("dish name {name:?} is already used by {other:?}"));
            }
        }
        if entry.unit.get_ref().trim().is_empty() || entry.recipe.get_ref().trim().is_empty() {
            at(entry.unit.span(), format!("dish {first:?} needs a unit and a recipe line"));
        }
        let mut sizes = Vec::new();
        for (label, &servings) in &entry.sizes {
            if !(servings > 0.0 && servings <= MAX_SIZE) {
                at(entry.unit.span(), format!("dish {first:?}: size {label:?} must be above 0 and at most {MAX_SIZE}"));
            }
            let words = text::words(&text::fold(label)).into_iter().map(String::from).collect();
            sizes.push(Size { words, label: label.clone(), servings });
        }
        if entry.pieces.is_some_and(|n| !(2.0..=MAX_PIECES).contains(&n)) {
            at(entry.unit.span(), format!("dish {first:?}: pieces must be from 2 to {MAX_PIECES}"));
        }
        // Longer size phrases first, so "extra large" is found before "large".
        sizes.sort_by(|a, b| b.words.len().cmp(&a.words.len()).then(a.label.cmp(&b.label)));
        let mut parts = Vec::new();
        if entry.parts.get_ref().is_empty() {
            at(entry.parts.span(), format!("dish {first:?} has no parts"));
        }
        for part in entry.parts.get_ref() {
            let Some(food) = foods.index_of(&part.ndb) else {
                at(entry.parts.span(), format!("dish {first:?}: no SR28 food has NDB number {:?}", part.ndb));
                continue;
            };
            if !(part.grams > 0.0 && part.grams <= MAX_PART_GRAMS) {
                at(entry.parts.span(), format!("dish {first:?}: {} g of {} is out of range", part.grams, part.ndb));
            }
            parts.push(Part { food, grams: part.grams, shown_as: part.shown_as.clone() });
        }
        dishes.push(Dish {
            name_tokens: entry.names.get_ref().iter().map(|n| text::tokens(n)).collect(),
            names: entry.names.into_inner(),
            unit: entry.unit.into_inner(),
            recipe: entry.recipe.into_inner(),
            sizes,
            pieces: entry.pieces,
            parts,
        });
    }
    if errors.is_empty() {
        Ok(dishes)
    } else {
        Err(errors)
    }
}
