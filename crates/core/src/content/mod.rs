//! Loads and validates the `content/` folder into an immutable [`Library`].
//!
//! Content is data: every number and every reply the engines use lives in these files, with its
//! source. Loading either yields a complete library or every problem found, each named by file and
//! line, so a moderator's bad edit is refused whole and the running library stays live.

pub mod foods;
pub mod lexicon;
pub mod reference;
pub mod safety;
pub mod supplements;
pub mod topics;

use std::path::{Path, PathBuf};

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
    pub foods: FoodTable,
    pub supplements: SupplementTable,
    pub reference: ReferenceValues,
    pub lexicon: Lexicon,
}

impl Library {
    /// Loads `dir` (the `content/` folder), or returns every problem found in it.
    pub fn load(dir: &Path) -> Result<Library, Vec<ContentError>> {
        let mut errors = Vec::new();
        let questions = load_questions(dir).map_err(|e| errors.extend(e));
        let foods =
            FoodTable::load(&dir.join("foods.csv"), &dir.join("food-weights.csv")).map_err(|e| errors.extend(e));
        let supplements = SupplementTable::load(&dir.join("supplements.toml")).map_err(|e| errors.extend(e));
        let reference = ReferenceValues::load(&dir.join("reference.toml")).map_err(|e| errors.extend(e));
        match (questions, foods, supplements, reference) {
            (Ok((topics, safety, lexicon)), Ok(foods), Ok(supplements), Ok(reference)) => {
                Ok(Library { topics, safety, foods, supplements, reference, lexicon })
            }
            _ => Err(errors),
        }
    }

    /// The topic with this id.
    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }
}

/// Loads what answering questions needs: the topics, the safety rules that name them, and the
/// lexicon.
pub fn load_questions(dir: &Path) -> Result<(Vec<Topic>, Safety, Lexicon), Vec<ContentError>> {
    let mut errors = Vec::new();
    let topics = topics::load(&dir.join("topics")).map_err(|e| errors.extend(e));
    let ids = topics::ids_in(&dir.join("topics"));
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let safety = Safety::load(dir, &ids).map_err(|e| errors.extend(e));
    let lexicon = Lexicon::load(&dir.join("lexicon.toml")).map_err(|e| errors.extend(e));
    match (topics, safety, lexicon) {
        (Ok(topics), Ok(safety), Ok(lexicon)) => Ok((topics, safety, lexicon)),
        _ => Err(errors),
    }
}

/// Reads a file for a loader, turning an I/O failure into a [`ContentError`].
pub(crate) fn read(path: &Path) -> Result<String, Vec<ContentError>> {
    std::fs::read_to_string(path).map_err(|e| vec![ContentError::new(path, 0, format!("cannot read: {e}"))])
}

/// Parses a TOML file into `T`, locating a syntax or shape error by line; returns the text too,
/// for locating the errors found after parsing.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<(T, String), Vec<ContentError>> {
    let text = read(path)?;
    match toml::from_str(&text) {
        Ok(value) => Ok((value, text)),
        Err(e) => {
            let line = e.span().map_or(0, |span| line_of(&text, span.start));
            Err(vec![ContentError::new(path, line, e.message().to_string())])
        }
    }
}
