//! Reads amounts out of a mention: numbers in digits, fractions and words, ranges, multipliers,
//! units and sizes. What is left over names the food.

/// How a measure converts to grams.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Unit {
    /// Grams per unit.
    Mass(f64),
    /// Millilitres per unit; grams come from the food's own USDA volume weights.
    Volume(f64),
    /// A handful, counted as one ounce of any food.
    Handful,
    /// A household unit such as a slice or a can, looked up in the food's USDA weights.
    Household(&'static str),
}

/// A number bound to a unit: `100 g`, `1/2 cup`, `2 slices`.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub value: f64,
    pub unit: Unit,
    /// The unit as typed, for assumptions.
    pub word: String,
}

/// Everything a mention says about how much.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Amount {
    /// Multiplier from bare numbers and `x2`; 1 when none was given.
    pub count: f64,
    /// Whether the count multiplies what follows ("2 x 100g", "eggs x2", "50 g each"), rather
    /// than counting pieces whose weight together may be stated ("2 eggs (100 g)").
    pub multiplies: bool,
    pub measures: Vec<Measure>,
    /// small, medium, large, extra large, jumbo.
    pub size: Option<&'static str>,
    /// Whether any number or number word was given.
    pub stated: bool,
    /// Assumptions made while reading (range midpoints).
    pub notes: Vec<String>,
    /// Words that are not part of the amount, in order: the food's name and filler.
    pub rest: Vec<String>,
    /// A size in inches ("a 12 inch sub"): the number is how big, not how many.
    pub inches: Option<f64>,
    /// Household words kept in `rest` because they are also part of food names
    /// ("chicken breast", "granola bar"), in order of appearance.
    pub household: Vec<&'static str>,
}

/// Grams in an ounce and a pound; millilitres in US measures.
pub const OUNCE_G: f64 = 28.349_523_125;
const POUND_G: f64 = 453.592_37;
pub const CUP_ML: f64 = 236.588_236_5;
const TBSP_ML: f64 = CUP_ML / 16.0;
const TSP_ML: f64 = CUP_ML / 48.0;
const FL_OZ_ML: f64 = CUP_ML / 8.0;

/// Units that only count as units after a number (they are ordinary words otherwise).
fn unit_after_number(word: &str) -> Option<Unit> {
    Some(match word {
        "g" | "gr" | "gm" | "gms" | "grm" => Unit::Mass(1.0),
        "c" => Unit::Volume(CUP_ML),
        "t" => Unit::Volume(TSP_ML),
        "l" => Unit::Volume(1000.0),
        "can" | "cans" | "tin" | "tins" => Unit::Household("can"),
        "pc" | "pcs" | "ct" | "count" => Unit::Household("piece"),
        "tab" | "tabs" | "cap" | "caps" => Unit::Household("tablet"),
        "serve" | "serves" => Unit::Household("serving"),
        // Spoonfuls by eye: a dollop, squirt, knob or glug is about a tablespoon; a sprinkle,
        // scrape or smear about a teaspoon ("rainbow sprinkles" are still sprinkles).
        "dollop" | "dollops" | "squirt" | "squirts" | "knob" | "knobs" | "glug" | "glugs" => Unit::Volume(TBSP_ML),
        "sprinkle" | "sprinkles" | "scrape" | "scrapes" | "smear" | "smears" => Unit::Volume(TSP_ML),
        "square" | "squares" => Unit::Household("square"),
        // "a few bites of my grandson's": about a tablespoon a bite.
        "bite" | "bites" => Unit::Volume(TBSP_ML),
        _ => return unit(word),
    })
}

/// Units recognised wherever they appear.
fn unit(word: &str) -> Option<Unit> {
    Some(match word {
        "gram" | "grams" | "gramme" | "grammes" => Unit::Mass(1.0),
        "kg" | "kgs" | "kilo" | "kilos" | "kilogram" | "kilograms" => Unit::Mass(1000.0),
        "mg" | "mgs" | "milligram" | "milligrams" => MILLIGRAM,
        "mcg" | "ug" | "microgram" | "micrograms" => Unit::Mass(0.000_001),
        "oz" | "ozs" | "ounce" | "ounces" => Unit::Mass(OUNCE_G),
        "lb" | "lbs" | "pound" | "pounds" => Unit::Mass(POUND_G),
        "cup" | "cups" | "cupful" | "glass" | "glasses" | "mug" | "mugs" | "bowl" | "bowls" | "bowlful" => {
            Unit::Volume(CUP_ML)
        }
        "tbsp" | "tbsps" | "tbs" | "tbl" | "tablespoon" | "tablespoons" | "spoon" | "spoons" | "spoonful"
        | "spoonfuls" => Unit::Volume(TBSP_ML),
        "tsp" | "tsps" | "teaspoon" | "teaspoons" => Unit::Volume(TSP_ML),
        "ml" | "mls" | "milliliter" | "milliliters" | "millilitre" | "millilitres" => Unit::Volume(1.0),
        "liter" | "liters" | "litre" | "litres" => Unit::Volume(1000.0),
        "pint" | "pints" => Unit::Volume(2.0 * CUP_ML),
        "pinch" | "pinches" => Unit::Volume(TSP_ML / 16.0),
        "dash" | "dashes" => Unit::Volume(TSP_ML / 8.0),
        // A splash of milk in tea is about a tablespoon; a drizzle of oil about a teaspoon.
        "splash" | "splashes" => Unit::Volume(TBSP_ML),
        // A soup ladle holds about half a cup.
        "ladle" | "ladles" | "ladleful" | "ladlefuls" => Unit::Volume(CUP_ML / 2.0),
        "drizzle" | "drizzles" => Unit::Volume(TSP_ML),
        "handful" | "handfuls" | "handfull" | "handfulls" | "fistful" => Unit::Handful,
        "slice" | "slices" | "rasher" | "rashers" => Unit::Household("slice"),
        "piece" | "pieces" | "chunk" | "chunks" => Unit::Household("piece"),
        "serving" | "servings" | "portion" | "portions" | "helping" | "helpings" => Unit::Household("serving"),
        // A plate of a dish is one serving of it ("rasam sadam, 2 plates").
        "plate" | "plates" | "plateful" | "platefuls" => Unit::Household("serving"),
        "fillet" | "fillets" | "filet" | "filets" => Unit::Household("fillet"),
        "scoop" | "scoops" => Unit::Household("scoop"),
        "bag" | "bags" => Unit::Household("bag"),
        "box" | "boxes" => Unit::Household("box"),
        "tub" | "tubs" | "container" | "containers" => Unit::Household("container"),
        "jar" | "jars" => Unit::Household("jar"),
        "carton" | "cartons" => Unit::Household("carton"),
        "punnet" | "punnets" => Unit::Household("punnet"),
        "packet" | "packets" | "pack" | "packs" | "package" | "packages" | "sachet" | "sachets" => {
            Unit::Household("packet")
        }
        "tablet" | "tablets" | "capsule" | "capsules" | "pill" | "pills" | "softgel" | "softgels" | "gummy"
        | "gummies" => Unit::Household("tablet"),
        _ => return None,
    })
}

/// The household measure a word names, as typed amounts name it ("rashers" and "slice" are
/// both "slice", "package" is "packet"): USDA's measure words are read with the same table.
pub fn household_measure(word: &str) -> Option<&'static str> {
    match unit_after_number(word) {
        Some(Unit::Household(measure)) => Some(measure),
        _ => None,
    }
}

/// Whether `word` is a unit ("cups", "plates", "g", "portions"): after a number it says how
/// much, even where food names hold it too ("kofta plate", "peanut butter cups").
pub fn is_unit(word: &str) -> bool {
    unit(word).is_some() || unit_after_number(word).is_some()
}

/// Household words that also belong to food names; they stay in the name and only size it.
fn name_household(word: &str) -> Option<&'static str> {
    Some(match word {
        "breast" | "breasts" => "breast",
        "thigh" | "thighs" => "thigh",
        "wing" | "wings" => "wing",
        "leg" | "legs" => "leg",
        "drumstick" | "drumsticks" => "drumstick",
        "patty" | "patties" => "patty",
        "bar" | "bars" => "bar",
        "stick" | "sticks" => "stick",
        "link" | "links" => "link",
        "strip" | "strips" => "strip",
        "steak" | "steaks" => "steak",
        "chop" | "chops" => "chop",
        "clove" | "cloves" => "clove",
        "roll" | "rolls" => "roll",
        "muffin" | "muffins" => "muffin",
        "cookie" | "cookies" => "cookie",
        _ => return None,
    })
}

/// The size a size word says (small, medium, large, jumbo), if it is one.
pub fn size(word: &str) -> Option<&'static str> {
    Some(match word {
        "small" | "sm" => "small",
        "medium" | "med" | "regular" => "medium",
        "large" | "big" | "lg" => "large",
        "jumbo" | "huge" => "jumbo",
        _ => return None,
    })
}

/// The value of a number word: `a` = 1, `half` = 0.5, `dozen` = 12.
pub fn number_word(word: &str) -> Option<f64> {
    Some(match word {
        "a" | "an" | "one" => 1.0,
        "two" | "couple" | "twice" => 2.0,
        "three" | "few" | "several" | "thrice" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" | "dozen" => 12.0,
        "half" => 0.5,
        "quarter" => 0.25,
        "third" => 1.0 / 3.0,
        _ => return None,
    })
}

/// Vague words put in words: the amount is a default portion, and said so.
fn vague_number(word: &str) -> Option<&'static str> {
    Some(match word {
        "couple" => "a couple: counted 2",
        "few" => "a few: counted 3",
        "several" => "several: counted 3",
        _ => return None,
    })
}

/// A number written in digits: `2`, `1.5`, `1,5`, `1/2`, `1,000`. `80/20` (a ratio) is not one;
/// a comma before exactly three digits separates thousands, any other comma is a decimal point.
pub fn parse_number(word: &str) -> Option<f64> {
    if !word.starts_with(|c: char| c.is_ascii_digit() || c == '.') || word.len() > 12 {
        return None;
    }
    if let Some((n, d)) = word.split_once('/') {
        let (n, d) = (n.parse::<f64>().ok()?, d.parse::<f64>().ok()?);
        return (d > 0.0 && n < d).then(|| n / d);
    }
    let whole = word.split('.').next().unwrap_or(word);
    let mut groups = whole.split(',');
    let thousands = whole.contains(',')
        && groups.next().is_some_and(|g| (1..=3).contains(&g.len()))
        && groups.all(|g| g.len() == 3);
    let plain = if thousands { word.replace(',', "") } else { word.replace(',', ".") };
    plain.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Splits `100g` into `100` and `g`, `x2` into `x` and `2`, `2x` into `2` and `x`.
fn detach(word: &str) -> Vec<&str> {
    if let Some(digits) = word.strip_prefix('x').filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())) {
        return vec!["x", digits];
    }
    let split = word.find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '/')));
    match split {
        Some(i) if i > 0 && word[i..].bytes().all(|b| b.is_ascii_alphabetic()) => vec![&word[..i], &word[i..]],
        _ => vec![word],
    }
}

/// A milligram, in grams.
const MILLIGRAM: Unit = Unit::Mass(0.001);

impl Amount {
    /// The amount "`mg` mg", as [`Amount::read`] gives it, for a dose already known as a number.
    pub fn milligrams(mg: f64) -> Amount {
        let measure = Measure { value: mg, unit: MILLIGRAM, word: "mg".to_string() };
        Amount { count: 1.0, measures: vec![measure], stated: true, ..Amount::default() }
    }

    /// Reads the amount from a mention's words, leaving the food's words in `rest`.
    pub fn read(words: &[String]) -> Amount {
        let words: Vec<&str> = words.iter().flat_map(|w| detach(w)).collect();
        let mut amount = Amount { count: 1.0, ..Amount::default() };
        let mut i = 0;
        while i < words.len() {
            let word = words[i];
            // "2 ladles ~ 400g": a tilde typed apart says "about".
            if word == "~" {
                i += 1;
                continue;
            }
            // A fraction after "the" is part of a name ("oysters on the half shell"); a count
            // stays one ("the two eggs").
            if i > 0 && words[i - 1] == "the" && matches!(word, "half" | "quarter" | "third") {
                amount.rest.push(word.to_string());
                i += 1;
                continue;
            }
            // A time of day is not an amount: "at 8 two weetabix", "at 7 am".
            if word == "at" && words.get(i + 1).is_some_and(|w| parse_number(w).is_some()) {
                let clock = words.get(i + 2).is_some_and(|w| matches!(*w, "am" | "pm" | "oclock"));
                i += if clock { 3 } else { 2 };
                continue;
            }
            // "had both spring rolls" are two; "twice a day (took both)" is still two doses.
            if word == "both" && !amount.stated {
                amount.count *= 2.0;
                amount.stated = true;
                i += 1;
                continue;
            }
            if let Some((value, next)) = amount.number_group(&words, i) {
                amount.stated = true;
                i = next;
                let unit_word = words.get(i).copied();
                if matches!(unit_word, Some("inch" | "inches")) {
                    amount.inches = Some(value);
                    i += 1;
                } else if let Some(unit) = unit_word.and_then(unit_after_number) {
                    amount.measures.push(Measure { value, unit, word: unit_word.unwrap_or_default().to_string() });
                    i += 1;
                } else if words.get(i).is_some_and(|w| *w == "fl") && words.get(i + 1) == Some(&"oz") {
                    amount.measures.push(Measure { value, unit: Unit::Volume(FL_OZ_ML), word: "fl oz".into() });
                    i += 2;
                } else if words.get(i).is_some_and(|w| matches!(*w, "x" | "times")) {
                    amount.count *= value;
                    amount.multiplies = true;
                    i += 1;
                } else {
                    amount.count *= value;
                }
                continue;
            }
            // A footlong is a sub twelve inches long.
            let foot_long = word == "foot" && words.get(i + 1) == Some(&"long");
            if word == "footlong" || foot_long {
                amount.inches = Some(12.0);
                i += 1 + usize::from(foot_long);
                continue;
            }
            if word == "x" && words.get(i + 1).is_some_and(|w| parse_number(w).is_some()) {
                amount.multiplies = true;
                i += 1;
                continue;
            }
            if matches!(word, "each" | "apiece") {
                amount.multiplies = true;
            }
            // "can" is a unit only before "of" when no number says so: "tin of sardines".
            let container = matches!(word, "can" | "cans" | "tin" | "tins") && words.get(i + 1) == Some(&"of");
            if let Some(unit) = unit(word).or_else(|| container.then_some(Unit::Household("can"))) {
                amount.measures.push(Measure { value: 1.0, unit, word: word.to_string() });
            } else if word == "fl" && words.get(i + 1) == Some(&"oz") {
                amount.measures.push(Measure { value: 1.0, unit: Unit::Volume(FL_OZ_ML), word: "fl oz".into() });
                i += 1;
            } else if word == "extra" && words.get(i + 1).is_some_and(|w| matches!(*w, "large" | "big")) {
                amount.size = Some("extra large");
                i += 1;
            } else if let Some(size) = size(word) {
                amount.size = Some(size);
            } else {
                if let Some(household) = name_household(word) {
                    amount.household.push(household);
                }
                amount.rest.push(word.to_string());
            }
            i += 1;
        }
        amount
    }

    /// The middle of the range `low` to `high`, noted as the amount used.
    fn midpoint(&mut self, low: f64, high: f64) -> f64 {
        let middle = (low + high) / 2.0;
        self.notes.push(format!("range {} to {}: used the midpoint, {}", fmt(low), fmt(high), fmt(middle)));
        middle
    }

    /// Reads a run of number tokens starting at `i`: `1 1/2`, `2-3`, `2 to 3`, `half a`,
    /// `a couple of`, `one and a half`, `two dozen`. Returns the value and the next index.
    fn number_group(&mut self, words: &[&str], start: usize) -> Option<(f64, usize)> {
        let first = words[start];
        let mut value = parse_number(first).or_else(|| number_word(first))?;
        // A lone "a"/"an" not followed by anything amount-like is still one.
        let mut i = start + 1;
        if let Some(note) = vague_number(first) {
            self.notes.push(note.to_string());
        }
        while let Some(&word) = words.get(i) {
            if let Some(fraction) = parse_number(word).filter(|f| *f < 1.0 && value >= 1.0 && value.fract() == 0.0) {
                value += fraction;
                i += 1;
            } else if let Some(upper) = parse_number(word).filter(|u| {
                // "2 6 inch subs" is two subs of six inches, not a range.
                let size_follows = matches!(words.get(i + 1), Some(&"inch") | Some(&"inches"));
                is_range(value, *u) && parse_number(first).is_some() && !size_follows
            }) {
                value = self.midpoint(value, upper);
                i += 1;
            } else if matches!(word, "to" | "or")
                && words
                    .get(i + 1)
                    .and_then(|w| parse_number(w).or_else(|| number_word(w)))
                    .is_some_and(|u| is_range(value, u))
            {
                let upper = parse_number(words[i + 1]).or_else(|| number_word(words[i + 1])).unwrap_or(value);
                value = self.midpoint(value, upper);
                i += 2;
            } else if word == "and" && words.get(i + 1) == Some(&"a") && words.get(i + 2) == Some(&"half") {
                value += 0.5;
                i += 3;
            } else if word == "and" && matches!(words.get(i + 1), Some(&"half") | Some(&"1/2")) {
                value += 0.5;
                i += 2;
            } else if word == "of" && i > start {
                i += 1;
            } else if let Some(multiplier) = number_word(word) {
                if let Some(note) = vague_number(word) {
                    self.notes.push(note.to_string());
                }
                value *= multiplier;
                i += 1;
            } else {
                break;
            }
        }
        Some((value, i))
    }
}

/// Whether `upper` after `lower` reads as a range ("2-3", "100-150") rather than two amounts
/// ("2 100g steaks").
fn is_range(lower: f64, upper: f64) -> bool {
    upper > lower && upper <= lower * 4.0 + 1.0
}

/// A number without trailing zeros: 2.5, 3, 0.33.
pub fn fmt(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    rounded.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usda_measure_words_read_as_typed_ones() {
        assert_eq!(household_measure("package"), Some("packet"));
        assert_eq!(household_measure("rasher"), Some("slice"));
        assert_eq!(household_measure("portion"), Some("serving"));
        assert_eq!(household_measure("filet"), Some("fillet"));
        assert_eq!(household_measure("tin"), Some("can"));
        assert_eq!(household_measure("cup"), None);
        assert_eq!(household_measure("breast"), None);
    }

    fn read(text: &str) -> Amount {
        let words: Vec<String> = crate::text::words(&crate::text::fold(text)).into_iter().map(String::from).collect();
        Amount::read(&words)
    }

    #[test]
    fn a_dose_given_as_a_number_is_the_amount_its_text_reads_as() {
        assert_eq!(Amount::milligrams(33.5), read("33.5 mg"));
    }

    fn first_measure(a: &Amount) -> (f64, Unit) {
        (a.measures[0].value, a.measures[0].unit)
    }

    #[test]
    fn digits_fractions_and_units() {
        assert_eq!(first_measure(&read("100g beef")), (100.0, Unit::Mass(1.0)));
        assert_eq!(first_measure(&read("½ cup lentils")), (0.5, Unit::Volume(CUP_ML)));
        assert_eq!(first_measure(&read("1 1/2 cups rice")), (1.5, Unit::Volume(CUP_ML)));
        assert_eq!(first_measure(&read("1.5 oz cheese")), (1.5, Unit::Mass(OUNCE_G)));
        assert_eq!(first_measure(&read("beef 3oz")), (3.0, Unit::Mass(OUNCE_G)));
        assert_eq!(first_measure(&read("one and a half cups oats")).0, 1.5);
        assert_eq!(first_measure(&read("8 fl oz milk")), (8.0, Unit::Volume(FL_OZ_ML)));
    }

    #[test]
    fn counts_words_and_multipliers() {
        assert_eq!(read("2 eggs").count, 2.0);
        assert_eq!(read("eggs x6").count, 6.0);
        assert_eq!(read("6x eggs").count, 6.0);
        assert_eq!(read("a dozen eggs").count, 12.0);
        assert_eq!(read("half a dozen eggs").count, 6.0);
        assert_eq!(read("a couple of eggs").count, 2.0);
        assert_eq!(read("three eggs").count, 3.0);
        assert_eq!(first_measure(&read("half a cup of rice")).0, 0.5);
        assert_eq!(first_measure(&read("2 x 100g chicken")).0, 100.0);
        assert_eq!(read("2 x 100g chicken").count, 2.0);
    }

    #[test]
    fn ranges_use_the_midpoint_and_say_so() {
        let a = read("2-3 eggs");
        assert_eq!(a.count, 2.5);
        assert!(a.notes[0].contains("midpoint"));
        assert_eq!(read("2 to 3 eggs").count, 2.5);
        assert_eq!(read("2 or 3 eggs").count, 2.5);
    }

    #[test]
    fn sizes_and_rest() {
        let a = read("2 large eggs");
        assert_eq!(a.size, Some("large"));
        assert_eq!(a.rest, ["eggs"]);
        assert_eq!(read("1 extra large egg").size, Some("extra large"));
        let a = read("2 chicken breasts");
        assert_eq!(a.rest, ["chicken", "breasts"]);
        assert_eq!(a.household, ["breast"]);
    }

    #[test]
    fn ratios_and_ordinary_words_are_not_amounts() {
        let a = read("ground beef 80/20");
        assert!(!a.stated);
        assert_eq!(a.rest, ["ground", "beef", "80/20"]);
        assert!(read("vitamin c").measures.is_empty());
        assert!(read("i can eat").measures.is_empty());
    }
}
