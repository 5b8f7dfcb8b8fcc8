//! Loads and validates the `content/` folder into an immutable [`Library`].
//!
//! Content is data: every number and every reply the engines use lives in these files, with its
//! source. Loading either yields a complete library or every problem found, each named by file and
//! line, so a moderator's bad edit is refused whole and the running library stays live.

pub mod citations;
pub mod dishes;
pub mod foods;
pub mod lexicon;
pub mod reference;
pub mod safety;
pub mod supplements;
pub mod topic_model;
pub mod topics;

use std::path::{Path, PathBuf};

use crate::classifier::Classifier;
use crate::text::line_of;
pub use foods::FoodTable;
pub use lexicon::Lexicon;
pub use reference::{Profile, ReferenceValues};
pub use safety::Safety;
pub use supplements::SupplementTable;
pub use topics::Topic;

/// A problem in a content file, named by file and line.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}:{line}: {message}", file.display())]
pub struct ContentError {
    pub file: PathBuf,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    pub message: String,
}

impl ContentError {
    pub fn new(file: &Path, line: usize, message: impl Into<String>) -> Self {
        ContentError { file: file.to_path_buf(), line, message: message.into() }
    }
}

/// Everything the engines know, validated, loaded once and never mutated; a reload builds a new
/// one. The engines build their own indexes from it.
#[derive(Debug)]
pub struct Library {
    /// Curated topics, sorted by id.
    pub topics: Vec<Topic>,
    pub safety: Safety,
    /// The topic classifier retrieval ranks with beside its word index.
    pub topic_model: Classifier,
    pub foods: FoodTable,
    pub supplements: SupplementTable,
    pub reference: ReferenceValues,
    pub lexicon: Lexicon,
}

impl Library {
    /// Loads `dir` (the `content/` folder), or returns every problem found in it.
    pub fn load(dir: &Path) -> Result<Library, Vec<ContentError>> {
        let ((questions, foods), lexicon) =
            both(both(load_questions(dir, Models::Current), load_foods(dir)), load_lexicon(dir))?;
        let ((topics, safety, topic_model), (foods, supplements, reference)) = (questions, foods);
        brands_known(dir, &foods, &lexicon)?;
        Ok(Library { topics, safety, topic_model, foods, supplements, reference, lexicon })
    }

    /// The topic with this id.
    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }
}

/// How a loader takes the trained models. Either way a model whose weights do not match their
/// checksum is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Models {
    /// Also checks that each model was trained on its examples as they are now, which means
    /// reading megabytes of them: for `zincbot check`, the bot's start and `/reload`, where
    /// edited content goes live.
    Current,
    /// As trained: for a one-shot `zincbot ask`, where reading every example would cost more
    /// than the answer. `zincbot check` reports a model its examples have moved past.
    AsTrained,
}

/// Loads what answering questions needs: the topics, the safety rules that name them and the
/// topic classifier.
pub fn load_questions(dir: &Path, models: Models) -> Result<(Vec<Topic>, Safety, Classifier), Vec<ContentError>> {
    let ids = topics::ids_in(&dir.join("topics"));
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    // A broken never-cite list is reported with the rest; the topics are checked without it.
    let never = citations::NeverCite::load(&dir.join("never-cite.toml"));
    let topics = topics::load(&dir.join("topics"), never.as_ref().unwrap_or(&citations::NeverCite::default()));
    let ((topics, safety), _) = both(both(topics, Safety::load(dir, &ids, models)), never)?;
    let model = topic_model::load(dir, &topics, models)?;
    Ok((topics, safety, model))
}

/// Loads what estimating intake needs: the food table, the supplement forms and the reference
/// values.
pub fn load_foods(dir: &Path) -> Result<(FoodTable, SupplementTable, ReferenceValues), Vec<ContentError>> {
    let foods = FoodTable::load(&dir.join("foods.csv"), &dir.join("food-weights.csv")).and_then(|mut table| {
        table.dishes = dishes::load(&dir.join("dishes"), &table)?;
        Ok(table)
    });
    let ((foods, supplements), reference) = both(
        both(foods, SupplementTable::load(&dir.join("supplements.toml"), &dir.join("supplement-products.toml"))),
        ReferenceValues::load(&dir.join("reference.toml")),
    )?;
    Ok((foods, supplements, reference))
}

/// Loads the words both engines read.
pub fn load_lexicon(dir: &Path) -> Result<Lexicon, Vec<ContentError>> {
    Lexicon::load(&dir.join("lexicon.toml"))
}

/// Checks that every brand of the lexicon starts some USDA description: a brand no food has
/// would never be found.
pub fn brands_known(dir: &Path, foods: &FoodTable, lexicon: &Lexicon) -> Result<(), Vec<ContentError>> {
    let errors: Vec<ContentError> = lexicon
        .foods
        .brands
        .iter()
        .filter(|brand| !foods.foods.iter().any(|f| f.description.starts_with(&brand.prefix)))
        .map(|brand| {
            let message = format!("foods.brands: no USDA description starts with {:?}", brand.prefix);
            ContentError::new(&dir.join("lexicon.toml"), brand.line, message)
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Both values, or the problems of either or both: a loader reports everything it found.
pub fn both<A, B>(
    a: Result<A, Vec<ContentError>>,
    b: Result<B, Vec<ContentError>>,
) -> Result<(A, B), Vec<ContentError>> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (a, b) => Err(a.err().into_iter().chain(b.err()).flatten().collect()),
    }
}

/// The labelled example files in `dir` (`*.toml`) a classifier is trained on, sorted by name:
/// each path with its text.
pub(crate) fn example_files(dir: &Path) -> Result<Vec<(PathBuf, String)>, Vec<ContentError>> {
    example_paths(dir)?.into_iter().map(|p| read(&p).map(|text| (p, text))).collect()
}

/// The paths of the labelled example files in `dir` (`*.toml`), sorted by name.
fn example_paths(dir: &Path) -> Result<Vec<PathBuf>, Vec<ContentError>> {
    let entries = std::fs::read_dir(dir).map_err(|e| vec![ContentError::new(dir, 0, format!("cannot read: {e}"))])?;
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    Ok(paths)
}

/// Each of the example `files` parsed as `T`, with its path and text; a file that does not parse
/// adds its errors to `errors` and is left out, so every file's problems are reported at once.
pub(crate) fn parse_examples<'a, T: serde::de::DeserializeOwned>(
    files: &'a [(PathBuf, String)],
    errors: &mut Vec<ContentError>,
) -> Vec<(&'a Path, &'a str, T)> {
    let parsed =
        files.iter().map(|(path, text)| parse_text(path, text).map(|set| (path.as_path(), text.as_str(), set)));
    parsed.filter_map(|set| set.map_err(|e| errors.extend(e)).ok()).collect()
}

/// The digest of example files (their names and text) that a model records, to tell when it
/// needs training again.
pub(crate) fn examples_digest(files: &[(PathBuf, String)]) -> u64 {
    let mut digest = crate::classifier::Digest::default();
    for (path, text) in files {
        digest.add(&file_name(path), text.as_bytes());
    }
    digest.finish()
}

/// The digest of the example files in `dir` as [`examples_digest`] takes it, each file read into
/// the same buffer: a start-up checks a model against megabytes of examples it never keeps.
pub(crate) fn examples_digest_in(dir: &Path) -> Result<u64, Vec<ContentError>> {
    let mut digest = crate::classifier::Digest::default();
    let mut buffer = Vec::new();
    for path in example_paths(dir)? {
        buffer.clear();
        let read = std::fs::File::open(&path).and_then(|mut file| std::io::Read::read_to_end(&mut file, &mut buffer));
        read.map_err(|e| vec![ContentError::new(&path, 0, format!("cannot read: {e}"))])?;
        digest.add(&file_name(&path), &buffer);
    }
    Ok(digest.finish())
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap_or_default().to_string_lossy().into_owned()
}

/// Reads a trained classifier from `path`; with [`Models::Current`], checks that it was trained
/// on the examples in `examples` as they are now (`command` retrains it). Also returns the line
/// of its classes, for errors about them.
pub(crate) fn load_classifier(
    path: &Path,
    examples: &Path,
    models: Models,
    command: &str,
) -> Result<(Classifier, usize), Vec<ContentError>> {
    let trained_on = match models {
        Models::Current => Some(examples_digest_in(examples)?),
        Models::AsTrained => None,
    };
    let text = read(path)?;
    // Only training writes the file, so training again is the fix for whatever is wrong in it.
    let written_again =
        |(line, message)| vec![ContentError::new(path, line, format!("{message}: run `zincbot {command}`"))];
    let classes_line = line_of(&text, text.find("\nclasses\t").map_or(0, |i| i + 1));
    let classifier = Classifier::parse(text).map_err(written_again)?;
    if trained_on.is_some_and(|digest| digest != classifier.trained_on) {
        let message = format!("trained on other examples than there are now: run `zincbot {command}`");
        return Err(vec![ContentError::new(path, 0, message)]);
    }
    Ok((classifier, classes_line))
}

/// Reads a file for a loader, turning an I/O failure into a [`ContentError`].
pub(crate) fn read(path: &Path) -> Result<String, Vec<ContentError>> {
    std::fs::read_to_string(path).map_err(|e| vec![ContentError::new(path, 0, format!("cannot read: {e}"))])
}

/// Parses a TOML file into `T`, locating a syntax or shape error by line; returns the text too,
/// for locating the errors found after parsing.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<(T, String), Vec<ContentError>> {
    let text = read(path)?;
    let value = parse_text(path, &text)?;
    Ok((value, text))
}

/// Parses the TOML `text` of the file at `path` into `T`, locating a syntax or shape error by line.
pub(crate) fn parse_text<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T, Vec<ContentError>> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |span| line_of(text, span.start));
        vec![ContentError::new(path, line, e.message().to_string())]
    })
}
