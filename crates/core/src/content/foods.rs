//! The food table generated from USDA SR28 (`foods.csv`, `food-weights.csv`), validated; the
//! intake engine builds its look-up indexes from it.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::dishes::Dish;
use super::ContentError;
use crate::text;

/// Column names of `foods.csv`, written by the importer and checked by the loader.
pub const FOODS_HEADER: [&str; 8] =
    ["ndb", "description", "group", "zinc_mg_per_100g", "copper_mg_per_100g", "state", "portion", "names"];
/// Column names of `food-weights.csv`.
pub const WEIGHTS_HEADER: [&str; 4] = ["ndb", "amount", "measure", "grams"];

/// One SR28 food.
#[derive(Debug, Clone)]
pub struct Food {
    /// The SR28 NDB number, five digits with leading zeros, as USDA prints it.
    pub ndb: String,
    /// USDA's long description, shown so people can see what was matched.
    pub description: String,
    pub group: String,
    pub zinc_mg_per_100g: f64,
    pub copper_mg_per_100g: Option<f64>,
    /// How the food is as eaten (cooked, raw, dry ...); empty for foods without chat names.
    pub state: String,
    /// Index into `weights` of what "one" of this food means, when curated.
    pub portion: Option<usize>,
    /// Chat names, curated; empty for foods reachable only through their USDA description.
    pub names: Vec<String>,
    /// USDA household weights in SR28 sequence order.
    pub weights: Vec<Weight>,
}

/// A USDA household measure: `amount` of `measure` weighs `grams`.
#[derive(Debug, Clone)]
pub struct Weight {
    pub amount: f64,
    pub measure: String,
    pub grams: f64,
    /// The measure's words, folded and stemmed (`cup, chopped` gives `cup`, `chopped`), for unit
    /// and size look-ups.
    pub words: Vec<String>,
    /// Whether the amount is how big the one item is rather than how many (see
    /// [`Weight::is_size`]); read once, as the weight is loaded.
    size: bool,
}

impl Weight {
    pub fn new(amount: f64, measure: String, grams: f64) -> Weight {
        let words = text::tokens(&measure);
        let size = names_a_size(amount, &words);
        Weight { amount, words, measure, grams, size }
    }

    /// Grams in one unit of this measure (`0.5 breast` = 86 g gives 172 g a breast); a measure
    /// whose number is a size is one unit (see [`Weight::is_size`]).
    pub fn grams_each(&self) -> f64 {
        if self.size {
            self.grams
        } else {
            self.grams / self.amount
        }
    }

    /// Whether the amount is how big the one item is rather than how many: USDA writes a 6-inch
    /// sub as `6 inch sub`, a 12 fl oz cup as `12 fl oz cup` and an 8 fl oz bottle as
    /// `8 bottle 8 fl oz`.
    pub fn is_size(&self) -> bool {
        self.size
    }

    /// `1 cup (198 g)`: how the measure is shown in assumptions.
    pub fn label(&self) -> String {
        format!("{} {}", self.amount, self.measure)
    }
}

/// See [`Weight::is_size`]: `words` are the measure's tokens.
fn names_a_size(amount: f64, words: &[String]) -> bool {
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let container = |word: &str| ["cup", "bottle", "can", "glass", "carton"].iter().any(|c| text::stem(c) == word);
    let amount = amount.to_string();
    match w.as_slice() {
        ["inch", _, ..] => true,
        ["fl", "oz", noun, ..] => container(noun),
        _ => w.windows(3).any(|x| x[0] == amount && x[1] == "fl" && x[2] == "oz"),
    }
}

/// The food table, validated; immutable once loaded: the SR28 foods, and the dishes made of
/// them.
#[derive(Debug)]
pub struct FoodTable {
    pub foods: Vec<Food>,
    pub dishes: Vec<Dish>,
    by_ndb: HashMap<String, usize>,
}

/// The identity of a chat name for uniqueness: its stemmed words in order, so "eggs" is "egg"
/// but "milk chocolate" is not "chocolate milk".
pub fn name_key(name: &str) -> Vec<String> {
    text::tokens(name)
}

impl FoodTable {
    /// Loads the two generated CSV files and builds the indexes.
    pub fn load(foods_path: &Path, weights_path: &Path) -> Result<FoodTable, Vec<ContentError>> {
        let mut errors = Vec::new();
        let mut foods = Vec::new();
        let mut by_ndb = HashMap::new();
        let mut portions = Vec::new();
        // Rows that failed to read: their weights are skipped rather than reported again.
        let mut broken = HashSet::new();
        read_csv(foods_path, &FOODS_HEADER, &mut errors, |line, row, errors| {
            let mut bad = |message: String| errors.push(ContentError::new(foods_path, line, message));
            let zinc = row[3].parse::<f64>();
            let copper = if row[4].is_empty() { Ok(None) } else { row[4].parse::<f64>().map(Some) };
            let (Ok(zinc), Ok(copper)) = (zinc, copper) else {
                bad(format!("zinc {:?} or copper {:?} is not a number", &row[3], &row[4]));
                broken.insert(row[0].to_string());
                return;
            };
            if zinc < 0.0 || copper.is_some_and(|c| c < 0.0) {
                bad("nutrient values cannot be negative".into());
            }
            if by_ndb.insert(row[0].to_string(), foods.len()).is_some() {
                bad(format!("NDB {} appears twice", &row[0]));
            }
            portions.push((line, row[6].to_string()));
            foods.push(Food {
                ndb: row[0].to_string(),
                description: row[1].to_string(),
                group: row[2].to_string(),
                zinc_mg_per_100g: zinc,
                copper_mg_per_100g: copper,
                state: row[5].to_string(),
                portion: None,
                names: row[7].split('|').map(str::trim).filter(|n| !n.is_empty()).map(String::from).collect(),
                weights: Vec::new(),
            });
        });
        read_csv(weights_path, &WEIGHTS_HEADER, &mut errors, |line, row, errors| {
            let Some(&food) = by_ndb.get(&row[0]) else {
                if !broken.contains(&row[0]) {
                    errors.push(ContentError::new(weights_path, line, format!("NDB {} is not in foods.csv", &row[0])));
                }
                return;
            };
            match (row[1].parse::<f64>(), row[3].parse::<f64>()) {
                (Ok(amount), Ok(grams)) if amount > 0.0 && grams > 0.0 => {
                    foods[food].weights.push(Weight::new(amount, row[2].to_string(), grams));
                }
                _ => errors.push(ContentError::new(weights_path, line, "amount and grams must be positive numbers")),
            }
        });
        for (food, (line, portion)) in foods.iter_mut().zip(portions) {
            if portion.is_empty() {
                continue;
            }
            food.portion = food.weights.iter().position(|w| w.label() == portion);
            if food.portion.is_none() {
                let message = format!("portion {portion:?} of NDB {} is not one of its household weights", food.ndb);
                errors.push(ContentError::new(foods_path, line, message));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(FoodTable { foods, dishes: Vec::new(), by_ndb })
    }

    /// The food with this NDB number.
    pub fn by_ndb(&self, ndb: &str) -> Option<&Food> {
        self.index_of(ndb).map(|i| &self.foods[i])
    }

    /// The place in `foods` of the food with this NDB number.
    pub fn index_of(&self, ndb: &str) -> Option<usize> {
        self.by_ndb.get(ndb).copied()
    }

    /// How many foods carry curated chat names.
    pub fn curated_count(&self) -> usize {
        self.foods.iter().filter(|f| !f.names.is_empty()).count()
    }
}

/// Reads a CSV file whose header must equal `header`, calling `each` with every good row and
/// its line; one record buffer serves the whole file.
fn read_csv(
    path: &Path,
    header: &[&str],
    errors: &mut Vec<ContentError>,
    mut each: impl FnMut(usize, &csv::StringRecord, &mut Vec<ContentError>),
) {
    let mut reader = match csv::Reader::from_path(path) {
        Ok(reader) => reader,
        Err(e) => return errors.push(ContentError::new(path, 0, format!("cannot read: {e}"))),
    };
    match reader.headers() {
        Ok(found) if found.iter().eq(header.iter().copied()) => {}
        Ok(found) => {
            let found: Vec<&str> = found.iter().collect();
            return errors.push(ContentError::new(path, 1, format!("header is {found:?}, expected {header:?}")));
        }
        Err(e) => return errors.push(ContentError::new(path, 1, e.to_string())),
    }
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) if record.len() == header.len() => {
                each(record.position().map_or(0, |p| p.line() as usize), &record, errors);
            }
            Ok(true) => {
                let line = record.position().map_or(0, |p| p.line() as usize);
                errors.push(ContentError::new(
                    path,
                    line,
                    format!("expected {} fields, found {}", header.len(), record.len()),
                ));
            }
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                errors.push(ContentError::new(path, line, e.to_string()));
                // A malformed record leaves the reader past it; carry on with the next.
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
            }
        }
    }
}
