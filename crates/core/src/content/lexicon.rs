//! `lexicon.toml`: the words the engines read, grouped by the engine that reads them.
//!
//! Words are written as people type them. Loading puts each in the form its engine compares it
//! in, with the same [`text`] functions the engine applies to messages (folded, and stemmed where
//! the engine compares stems), so a word a moderator adds works like the shipped ones and
//! plurals and repeats need no care.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;
use toml::Spanned;

use super::{parse_toml, ContentError};
use crate::text;

/// The words the question engine reads: stems, unless said otherwise.
#[derive(Debug, Clone, Default)]
pub struct QuestionWords {
    /// Spellings of zinc: a question naming one is about zinc.
    pub zinc: FxHashSet<String>,
    /// Words that say nothing about which topic is meant.
    pub stop_words: FxHashSet<String>,
    /// Words that judge rather than name: they never make a question specific to a topic.
    pub generic: FxHashSet<String>,
    /// Words that say who or what a question is about (a condition) rather than what it asks:
    /// they weigh less when the question also asks something ("PsA: plant sources of zinc?").
    pub context: FxHashSet<String>,
    /// Abbreviation -> the stems it stands for, expanded on the query side.
    pub abbreviations: FxHashMap<String, Vec<String>>,
    /// Abbreviation typed in capitals ("AU") -> the words it stands for: in lower case the same
    /// letters are often a word of another language ("au").
    pub capitals: FxHashMap<String, String>,
    /// Word -> the one form it is read as, in topics and questions alike.
    pub synonyms: FxHashMap<String, String>,
    /// Folded words that make a message a question when it starts with one.
    pub openers: FxHashSet<String>,
    /// Folded phrases that make a message a question wherever they appear.
    pub phrases: Vec<String>,
    /// Folded phrases that start a further question in the same message ("also", "btw"), as
    /// words.
    pub breaks: Vec<Vec<String>>,
}

/// The words the intake engine reads.
#[derive(Debug, Clone)]
pub struct FoodWords {
    /// Spellings of zinc (stems): an entry naming one is a zinc supplement.
    pub zinc: FxHashSet<String>,
    /// Stems that name no food.
    pub filler: FxHashSet<String>,
    /// Stems about preparation.
    pub cooking: FxHashSet<String>,
    /// Stems of the measures that hold many of a countable food.
    pub bulk: FxHashSet<String>,
    /// Stems of the measures whose median USDA weight stands in for a food without its own.
    pub typical: FxHashSet<String>,
    /// Stems of the parts and shapes a food of the same kind lends its USDA weight for.
    pub kin: FxHashSet<String>,
    /// Folded words that open a list; they are not shown back.
    pub preamble: FxHashSet<String>,
    /// Folded words that join two foods.
    pub connectors: FxHashSet<String>,
    /// Folded abbreviations whose dot does not end an entry.
    pub abbreviations: FxHashSet<String>,
    /// Folded phrases that open an entry not eaten ("no fries", "skipped the bread"), as words.
    pub not_eaten: Vec<Vec<String>>,
    /// Folded phrases that open a reading, not a food: what follows is not counted.
    pub readings: Vec<Vec<String>>,
    /// Folded phrases after which an entry names no more food: a place ("at the bar", "from the
    /// co-op") or what it replaced ("instead of a drink"), as words.
    pub asides: Vec<Vec<String>>,
    /// Folded phrases naming the whole of what was made, which a share is of ("a third of it",
    /// "a quarter of the pan"), as words.
    pub made: Vec<Vec<String>>,
    /// Folded phrases naming one serving as it came ("two thirds of the box"): a share of it is
    /// a share of what was served, even a default portion.
    pub served: Vec<Vec<String>>,
    /// Folded phrases that say the portion before was eaten again ("went back for seconds").
    pub seconds: Vec<Vec<String>>,
    /// Folded words that make the word before them a flavour, not a food ("chicken flavour").
    pub flavour: FxHashSet<String>,
    /// Folded words that say a food was shared with others ("split it with my flatmate").
    pub shared: FxHashSet<String>,
    /// Folded plurals that name another food than their singular ("peppers" are the vegetable,
    /// "pepper" the spice), with the folded words they are read as.
    pub plurals: FxHashMap<String, Vec<String>>,
    /// Folded words that say a food was weighed before cooking ("dry", "uncooked"), with the
    /// states to look it up in, in order.
    pub weighed: FxHashMap<String, Vec<String>>,
    /// Folded phrases read as other words before a list is split ("lettuce wrapped" is "no
    /// bun"), longest first, each written with single spaces.
    pub read_as: Vec<(String, String)>,
    /// Stems beside a dish's name that leave out its meat and fish ("vegetarian lasagne").
    pub meatless: FxHashSet<String>,
    /// Stems beside a dish's name that leave out its meat, fish, eggs and dairy.
    pub vegan: FxHashSet<String>,
    /// Restaurants and brands whose own foods USDA lists, each with what people type for it.
    pub brands: Vec<Brand>,
}

/// A restaurant or brand whose foods' USDA descriptions start with its name ("WENDY'S, french
/// fries").
#[derive(Debug, Clone)]
pub struct Brand {
    /// How USDA's descriptions start.
    pub prefix: String,
    /// What people type for it, each as stems.
    pub names: Vec<Vec<String>>,
    /// Its line in `lexicon.toml`, for a prefix no food has.
    pub line: usize,
}

/// The whole of `lexicon.toml`, each word in the form its engine compares.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub questions: QuestionWords,
    pub foods: FoodWords,
}

type Entries = Vec<Spanned<String>>;
type Pairs = BTreeMap<String, Spanned<String>>;

/// `lexicon.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    zinc: ZincFile,
    questions: QuestionsFile,
    foods: FoodsFile,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ZincFile {
    words: Entries,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionsFile {
    stop_words: Entries,
    generic: Entries,
    context: Entries,
    question_openers: Entries,
    question_phrases: Entries,
    question_breaks: Entries,
    abbreviations: Pairs,
    capitals: Pairs,
    synonyms: Pairs,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FoodsFile {
    filler: Entries,
    cooking: Entries,
    bulk: Entries,
    typical: Entries,
    kin: Entries,
    preamble: Entries,
    connectors: Entries,
    abbreviations: Entries,
    not_eaten: Entries,
    readings: Entries,
    asides: Entries,
    made: Entries,
    served: Entries,
    seconds: Entries,
    flavour: Entries,
    shared: Entries,
    meatless: Entries,
    vegan: Entries,
    plurals: Pairs,
    weighed: Pairs,
    read_as: Pairs,
    brands: BTreeMap<String, Spanned<Vec<Spanned<String>>>>,
}

/// How an engine compares a list's words with what people type.
#[derive(Debug, Clone, Copy)]
enum Form {
    /// Folded and stemmed, as [`text::tokens`] reads a message.
    Stem,
    /// Folded only: the engine reads these words before it stems anything.
    Fold,
}

impl Form {
    fn words(self, entry: &str) -> Vec<String> {
        match self {
            Form::Stem => text::tokens(entry),
            Form::Fold => text::words(&text::fold(entry)).into_iter().map(String::from).collect(),
        }
    }
}

impl Lexicon {
    pub fn load(path: &Path) -> Result<Lexicon, Vec<ContentError>> {
        let (file, text): (LexiconFile, String) = parse_toml(path)?;
        let mut reader = Reader { path, text: &text, errors: Vec::new() };
        let zinc = reader.set("zinc.words", &file.zinc.words, Form::Stem);
        let q = &file.questions;
        let mut phrases: Vec<String> = q
            .question_phrases
            .iter()
            .filter_map(|p| reader.phrase("questions.question_phrases", p, Form::Fold))
            .map(|words| words.join(" "))
            .collect();
        phrases.sort();
        phrases.dedup();
        let questions = QuestionWords {
            zinc: zinc.clone(),
            stop_words: reader.set("questions.stop_words", &q.stop_words, Form::Stem),
            generic: reader.set("questions.generic", &q.generic, Form::Stem),
            context: reader.set("questions.context", &q.context, Form::Stem),
            abbreviations: reader.pairs("questions.abbreviations", &q.abbreviations, Form::Stem, |r, list, v| {
                r.phrase(list, v, Form::Stem)
            }),
            capitals: reader.capitals(&q.capitals),
            synonyms: reader
                .pairs("questions.synonyms", &q.synonyms, Form::Stem, |r, list, v| r.word(list, v, Form::Stem)),
            openers: reader.set("questions.question_openers", &q.question_openers, Form::Fold),
            phrases,
            breaks: reader.phrases("questions.question_breaks", &q.question_breaks),
        };
        let f = &file.foods;
        let foods = FoodWords {
            zinc,
            filler: reader.set("foods.filler", &f.filler, Form::Stem),
            cooking: reader.set("foods.cooking", &f.cooking, Form::Stem),
            bulk: reader.set("foods.bulk", &f.bulk, Form::Stem),
            typical: reader.set("foods.typical", &f.typical, Form::Stem),
            kin: reader.set("foods.kin", &f.kin, Form::Stem),
            preamble: reader.set("foods.preamble", &f.preamble, Form::Fold),
            connectors: reader.set("foods.connectors", &f.connectors, Form::Fold),
            abbreviations: reader.set("foods.abbreviations", &f.abbreviations, Form::Fold),
            not_eaten: reader.phrases("foods.not_eaten", &f.not_eaten),
            readings: reader.phrases("foods.readings", &f.readings),
            asides: reader.phrases("foods.asides", &f.asides),
            made: reader.phrases("foods.made", &f.made),
            served: reader.phrases("foods.served", &f.served),
            seconds: reader.phrases("foods.seconds", &f.seconds),
            flavour: reader.set("foods.flavour", &f.flavour, Form::Fold),
            shared: reader.set("foods.shared", &f.shared, Form::Fold),
            plurals: reader.pairs("foods.plurals", &f.plurals, Form::Fold, |r, list, v| r.phrase(list, v, Form::Fold)),
            weighed: reader.pairs("foods.weighed", &f.weighed, Form::Fold, |r, list, v| r.phrase(list, v, Form::Fold)),
            read_as: reader.phrase_pairs("foods.read_as", &f.read_as),
            meatless: reader.set("foods.meatless", &f.meatless, Form::Stem),
            vegan: reader.set("foods.vegan", &f.vegan, Form::Stem),
            brands: reader.brands(&f.brands),
        };
        if !reader.errors.is_empty() {
            return Err(reader.errors);
        }
        Ok(Lexicon { questions, foods })
    }
}

/// Puts entries in their compared form, collecting every problem with its line.
struct Reader<'a> {
    path: &'a Path,
    text: &'a str,
    errors: Vec<ContentError>,
}

impl Reader<'_> {
    fn error(&mut self, span: Range<usize>, message: String) {
        self.errors.push(ContentError::new(self.path, text::line_of(self.text, span.start), message));
    }

    /// An entry as its words; an entry without any could never match.
    fn phrase(&mut self, list: &str, entry: &Spanned<String>, form: Form) -> Option<Vec<String>> {
        let words = form.words(entry.get_ref());
        if words.is_empty() {
            self.error(entry.span(), format!("{list}: {:?} has no letters or digits", entry.get_ref()));
            return None;
        }
        Some(words)
    }

    /// Abbreviations typed in capitals, kept as typed, with what they stand for.
    fn capitals(&mut self, pairs: &Pairs) -> FxHashMap<String, String> {
        let mut out = FxHashMap::default();
        for (key, entry) in pairs {
            let capital = key.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
            if !capital || !key.starts_with(|c: char| c.is_ascii_uppercase()) {
                self.error(entry.span(), format!("questions.capitals: {key:?} must be capital letters"));
            } else if self.phrase("questions.capitals", entry, Form::Stem).is_some() {
                out.insert(key.clone(), entry.get_ref().clone());
            }
        }
        out
    }

    /// The brands, each name read as the stems a message is read with.
    fn brands(&mut self, table: &BTreeMap<String, Spanned<Vec<Spanned<String>>>>) -> Vec<Brand> {
        let mut out = Vec::new();
        for (prefix, names) in table {
            let line = text::line_of(self.text, names.span().start);
            let names: Vec<Vec<String>> =
                names.get_ref().iter().filter_map(|n| self.phrase("foods.brands", n, Form::Stem)).collect();
            out.push(Brand { prefix: prefix.clone(), names, line });
        }
        out
    }

    /// A list of phrases matched word by word as typed (folded).
    fn phrases(&mut self, list: &str, entries: &Entries) -> Vec<Vec<String>> {
        entries.iter().filter_map(|p| self.phrase(list, p, Form::Fold)).collect()
    }

    /// An entry of a list matched word by word: several words could never match.
    fn word(&mut self, list: &str, entry: &Spanned<String>, form: Form) -> Option<String> {
        let mut words = self.phrase(list, entry, form)?;
        if words.len() > 1 {
            self.error(entry.span(), format!("{list}: {:?} must be one word", entry.get_ref()));
            return None;
        }
        words.pop()
    }

    fn set(&mut self, list: &str, entries: &[Spanned<String>], form: Form) -> FxHashSet<String> {
        entries.iter().filter_map(|e| self.word(list, e, form)).collect()
    }

    /// Pairs of folded phrases, the longest key first so that it is read before its parts.
    fn phrase_pairs(&mut self, list: &str, pairs: &Pairs) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (key, entry) in pairs {
            let key_entry = Spanned::new(entry.span(), key.clone());
            if let (Some(key), Some(value)) =
                (self.phrase(list, &key_entry, Form::Fold), self.phrase(list, entry, Form::Fold))
            {
                out.push((key.len(), key.join(" "), value.join(" ")));
            }
        }
        out.sort_by_key(|(words, _, _)| std::cmp::Reverse(*words));
        out.into_iter().map(|(_, key, value)| (key, value)).collect()
    }

    /// Pairs keyed by one stemmed word; keys that read the same must mean the same.
    fn pairs<V: Clone + PartialEq>(
        &mut self,
        list: &str,
        pairs: &Pairs,
        key_form: Form,
        value: impl Fn(&mut Self, &str, &Spanned<String>) -> Option<V>,
    ) -> FxHashMap<String, V> {
        let mut out: FxHashMap<String, (V, &str)> = FxHashMap::default();
        for (key, entry) in pairs {
            let key_entry = Spanned::new(entry.span(), key.clone());
            let (Some(word), Some(meaning)) = (self.word(list, &key_entry, key_form), value(self, list, entry)) else {
                continue;
            };
            match out.get(&word) {
                Some((before, other)) if *before != meaning => self.error(
                    entry.span(),
                    format!("{list}: {key:?} reads as {other:?}, which already means something else"),
                ),
                Some(_) => {}
                None => {
                    out.insert(word, (meaning, key));
                }
            }
        }
        out.into_iter().map(|(word, (meaning, _))| (word, meaning)).collect()
    }
}

/// The lexicon shipped in `content/`, for the engines' unit tests.
#[cfg(test)]
pub(crate) fn shipped() -> Lexicon {
    Lexicon::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/lexicon.toml"))
        .expect("the shipped lexicon loads")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loads `text` as a lexicon file, returning the errors.
    fn errors(name: &str, text: &str) -> Vec<ContentError> {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("lexicon.toml");
        std::fs::write(&path, text).unwrap();
        Lexicon::load(&path).expect_err(name)
    }

    fn shipped_text() -> String {
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/lexicon.toml")).unwrap()
    }

    #[test]
    fn words_are_read_as_their_engine_compares_them() {
        let lexicon = shipped();
        // The food engine stems before it looks for filler, but reads a preamble as typed.
        assert!(lexicon.foods.filler.contains(&text::stem("this")));
        assert!(lexicon.foods.preamble.contains("this"));
        assert!(lexicon.questions.openers.contains("does"));
        assert!(lexicon.questions.abbreviations["t1d"] == text::tokens("type 1 diabetes"));
        assert!(lexicon.questions.zinc.contains("zinc") && lexicon.foods.zinc.contains("zn"));
    }

    #[test]
    fn an_entry_of_two_words_is_refused_with_its_line() {
        let text = shipped_text().replacen("generic = [\n", "generic = [\n    \"so good\",\n", 1);
        let errors = errors("two-words", &text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, text.lines().position(|l| l.contains("\"so good\"")).unwrap() + 1);
        assert!(errors[0].message.contains("must be one word"), "{errors:?}");
    }

    #[test]
    fn keys_that_read_the_same_must_mean_the_same() {
        let text = shipped_text().replacen("supps = \"supplement\"", "supps = \"supper\"", 1);
        let errors = errors("clash", &text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, text.lines().position(|l| l.starts_with("supps =")).unwrap() + 1);
    }

    #[test]
    fn an_abbreviation_counted_in_capitals_must_be_typed_in_capitals() {
        let text = shipped_text().replacen("AU = ", "Au = ", 1);
        let errors = errors("lower case", &text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].message.contains("capital letters"), "{errors:?}");
        assert_eq!(shipped().questions.capitals.get("AU").map(String::as_str), Some("alopecia universalis"));
    }
}
