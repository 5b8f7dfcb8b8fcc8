//! The food-table importer: USDA SR28 release files plus the hand-curated chat names in
//! `content/food-names.csv` -> `content/foods.csv` and `content/food-weights.csv`.
//!
//! The generated files are committed so the bot needs nothing but `content/` at run time, and
//! re-running the importer reproduces them byte for byte, so anyone can audit every number back
//! to SR28. Nutrient values are copied as the text SR28 prints, never re-rounded.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::content::foods::{name_key, FOODS_HEADER, WEIGHTS_HEADER};

/// SR28 nutrient numbers the table carries.
const ZINC: &str = "309";
const COPPER: &str = "312";

/// A problem in the importer's input, located by file and line.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}:{line}: {message}", file.display())]
pub struct ImportError {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

/// Where the importer reads from.
#[derive(Debug, Clone)]
pub struct Sources {
    /// Folder holding FOOD_DES.txt, FD_GROUP.txt, WEIGHT.txt and NUT_DATA.zinc-copper.txt.
    pub sr28_dir: PathBuf,
    /// The curated chat names, default states and default portions.
    pub names_file: PathBuf,
}

/// The two generated CSV files, as text.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    pub foods_csv: String,
    pub weights_csv: String,
}

struct Sr28Food {
    group: String,
    description: String,
}

struct Weight {
    amount: String,
    measure: String,
    grams: String,
}

struct Curated {
    state: String,
    portion: String,
    names: String,
}

/// Reads the sources and builds both tables, or every problem found.
pub fn import(sources: &Sources) -> Result<Generated, Vec<ImportError>> {
    let dir = &sources.sr28_dir;
    let mut errors = Vec::new();
    let groups: HashMap<String, String> = read_sr28(&dir.join("FD_GROUP.txt"), &mut errors)
        .into_iter()
        .filter_map(|(_, f)| Some((f.first()?.clone(), f.get(1)?.clone())))
        .collect();
    let foods: BTreeMap<String, Sr28Food> = read_sr28(&dir.join("FOOD_DES.txt"), &mut errors)
        .into_iter()
        .filter(|(_, f)| f.len() > 2)
        .map(|(_, f)| {
            let group = groups.get(&f[1]).cloned().unwrap_or_default();
            (f[0].clone(), Sr28Food { group, description: f[2].clone() })
        })
        .collect();
    let mut zinc = HashMap::new();
    let mut copper = HashMap::new();
    for (_, f) in read_sr28(&dir.join("NUT_DATA.zinc-copper.txt"), &mut errors) {
        if f.len() > 2 {
            match f[1].as_str() {
                ZINC => zinc.insert(f[0].clone(), f[2].clone()),
                COPPER => copper.insert(f[0].clone(), f[2].clone()),
                _ => None,
            };
        }
    }
    let mut weights: HashMap<String, Vec<(u32, Weight)>> = HashMap::new();
    for (_, f) in read_sr28(&dir.join("WEIGHT.txt"), &mut errors) {
        if f.len() > 4 {
            let seq = f[1].parse().unwrap_or(u32::MAX);
            let weight = Weight { amount: format_amount(&f[2]), measure: f[3].clone(), grams: f[4].clone() };
            weights.entry(f[0].clone()).or_default().push((seq, weight));
        }
    }
    for list in weights.values_mut() {
        list.sort_by_key(|(seq, _)| *seq);
    }
    let curated = read_curated(&sources.names_file, &foods, &zinc, &weights, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut foods_out = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(vec![]);
    let mut weights_out = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(vec![]);
    foods_out.write_record(FOODS_HEADER).expect("in-memory write");
    weights_out.write_record(WEIGHTS_HEADER).expect("in-memory write");
    for (ndb, food) in &foods {
        let Some(zinc) = zinc.get(ndb) else { continue };
        let copper = copper.get(ndb).map(String::as_str).unwrap_or("");
        let (state, portion, names) =
            curated.get(ndb).map(|c| (c.state.as_str(), c.portion.as_str(), c.names.as_str())).unwrap_or_default();
        let record = [ndb.as_str(), &food.description, &food.group, zinc, copper, state, portion, names];
        foods_out.write_record(record).expect("in-memory write");
        for (_, w) in weights.get(ndb).map(Vec::as_slice).unwrap_or_default() {
            let record = [ndb.as_str(), &w.amount, &w.measure, &w.grams];
            weights_out.write_record(record).expect("in-memory write");
        }
    }
    let text = |w: csv::Writer<Vec<u8>>| String::from_utf8(w.into_inner().expect("in-memory")).expect("utf-8");
    Ok(Generated { foods_csv: text(foods_out), weights_csv: text(weights_out) })
}

/// Reads one SR28 file: Latin-1 text, `^`-separated fields, text fields wrapped in `~`.
fn read_sr28(path: &Path, errors: &mut Vec<ImportError>) -> Vec<(usize, Vec<String>)> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            errors.push(ImportError { file: path.into(), line: 0, message: e.to_string() });
            return Vec::new();
        }
    };
    let text: String = bytes.iter().map(|&b| char::from(b)).collect();
    text.split('\n')
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim_end_matches('\r')))
        .filter(|(_, line)| !line.is_empty())
        .map(|(n, line)| (n, line.split('^').map(|f| f.trim_matches('~').to_string()).collect()))
        .collect()
}

/// SR28 writes amounts like `.5` and `1.0`; the table writes `0.5` and `1`.
fn format_amount(raw: &str) -> String {
    raw.parse::<f64>().map(|a| a.to_string()).unwrap_or_else(|_| raw.to_string())
}

fn read_curated(
    path: &Path,
    foods: &BTreeMap<String, Sr28Food>,
    zinc: &HashMap<String, String>,
    weights: &HashMap<String, Vec<(u32, Weight)>>,
    errors: &mut Vec<ImportError>,
) -> HashMap<String, Curated> {
    let mut out = HashMap::new();
    let mut reader = match csv::Reader::from_path(path) {
        Ok(reader) => reader,
        Err(e) => {
            errors.push(ImportError { file: path.into(), line: 0, message: e.to_string() });
            return out;
        }
    };
    let mut seen_names: HashMap<Vec<String>, (String, usize)> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                errors.push(ImportError { file: path.into(), line, message: e.to_string() });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let mut error = |message: String| errors.push(ImportError { file: path.into(), line, message });
        let field = |i: usize| record.get(i).unwrap_or("").trim().to_string();
        let (ndb, state, portion, names) = (field(0), field(1), field(2), field(3));
        if !foods.contains_key(&ndb) {
            error(format!("NDB {ndb:?} is not in SR28 FOOD_DES.txt"));
            continue;
        }
        if !zinc.contains_key(&ndb) {
            error(format!("NDB {ndb} has no zinc value in SR28"));
        }
        let known = weights.get(&ndb).map(Vec::as_slice).unwrap_or_default();
        if !portion.is_empty() && !known.iter().any(|(_, w)| format!("{} {}", w.amount, w.measure) == portion) {
            let choices: Vec<String> =
                known.iter().map(|(_, w)| format!("{:?}", format!("{} {}", w.amount, w.measure))).collect();
            error(format!(
                "portion {portion:?} is not a USDA household weight of NDB {ndb} (it has: {})",
                choices.join(", ")
            ));
        }
        if names.split('|').any(|n| name_key(n).is_empty()) {
            error(format!("NDB {ndb} has an empty chat name"));
        }
        for name in names.split('|') {
            let key = name_key(name);
            if let Some((other, other_line)) = seen_names.get(&key).filter(|(other, _)| *other != ndb) {
                error(format!("chat name {name:?} is also used by NDB {other} (line {other_line})"));
            } else {
                seen_names.insert(key, (ndb.clone(), line));
            }
        }
        if out.insert(ndb.clone(), Curated { state, portion, names }).is_some() {
            error(format!("NDB {ndb} is listed twice"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import_names(names: &str) -> Result<Generated, Vec<ImportError>> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let folder = tempfile::tempdir().unwrap();
        let file = folder.path().join("food-names.csv");
        std::fs::write(&file, names).unwrap();
        import(&Sources { sr28_dir: root.join("data/usda-sr28"), names_file: file })
    }

    #[test]
    fn bad_curated_rows_are_reported_by_line() {
        let names = "ndb,state,portion,names\n\
                     01123,raw,1 large,egg|eggs\n\
                     99999,raw,,unicorn\n\
                     16070,cooked,1 bucket,lentils\n\
                     01129,cooked,1 large,Eggs\n";
        let errors = import_names(names).unwrap_err();
        let lines: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.message.as_str())).collect();
        assert!(lines.iter().any(|(l, m)| *l == 3 && m.contains("99999")), "{lines:?}");
        assert!(lines.iter().any(|(l, m)| *l == 4 && m.contains("1 bucket") && m.contains("\"1 cup\"")), "{lines:?}");
        assert!(lines.iter().any(|(l, m)| *l == 5 && m.contains("also used by NDB 01123")), "{lines:?}");
        assert_eq!(errors.len(), 3, "{lines:?}");
    }

    #[test]
    fn the_table_keeps_sr28_values_as_printed() {
        let generated = import_names("ndb,state,portion,names\n01123,raw,1 large,egg\n").unwrap();
        let egg = generated.foods_csv.lines().find(|l| l.starts_with("01123,")).unwrap();
        assert_eq!(egg, "01123,\"Egg, whole, raw, fresh\",Dairy and Egg Products,1.29,0.072,raw,1 large,egg");
        assert!(generated.weights_csv.contains("\n01123,1,large,50\n"));
        // Foods without a zinc value in SR28 are left out; all 8,083 with one are in.
        assert_eq!(generated.foods_csv.lines().count(), 8_083 + 1);
    }

    #[test]
    fn amounts_are_written_plainly() {
        assert_eq!(format_amount(".5"), "0.5");
        assert_eq!(format_amount("1"), "1");
        assert_eq!(format_amount("1.0"), "1");
        assert_eq!(format_amount("2.25"), "2.25");
    }
}
