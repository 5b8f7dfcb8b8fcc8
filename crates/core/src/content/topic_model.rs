//! `topic-model.tsv`: the topic classifier, retrieval's second signal beside the word index.
//!
//! The index ranks topics by the words a question shares with them. It misses paraphrases ("can
//! my kid have the gummies") and lets a word given only as context ("my husband has psoriasis")
//! outrank what is asked. The classifier, the same logistic regression as the safety classifier
//! (see [`crate::classifier`]), learns what is asked from labelled questions: each topic's own
//! example `questions`, and community questions labelled with the topic a moderator would link,
//! kept in `question-examples/`. `zincbot train-topics` trains it, and must be run again after
//! the examples change. A topic added or given new questions since works without it, on its words
//! alone, until the next training. Its classes are topic ids and [`NO_MATCH`], for questions
//! about zinc that no topic answers.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::{example_files, examples_digest, load_classifier, parse_examples, ContentError, Models, Topic};
use crate::classifier::{Classifier, Example, TrainingSet};
use crate::text::line_of;

/// The classifier's file, in `content/`.
pub const MODEL_FILE: &str = "topic-model.tsv";
/// The folder of labelled questions it is trained on.
pub const EXAMPLES_DIR: &str = "question-examples";
/// The class of questions no topic answers.
pub const NO_MATCH: &str = "no_match";
/// The classifier's inverse L2 penalty (see [`TrainingSet::c`]), weaker than the safety
/// classifier's. Trained without a quarter of the writers of `question-examples/` at a time and
/// asked their questions, the bot gave the right topic to 88.9 % of them at 32, 90.4 % at 128,
/// 91.0 % at 512, 91.3 % at 2,048 and 91.2 % at 8,192 (36 writers, with [`crate::ask`]'s
/// thresholds chosen the same way), and abstained on more of the questions no topic answers as
/// it rose. Over 41 writers, this penalty and those thresholds took the right topic from 87.4 %
/// to 91.5 % and abstentions from 78.2 % to 84.6 %.
const PENALTY_C: f32 = 2048.0;

/// One labelled question in `question-examples/*.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleFile {
    text: String,
    /// The topic a moderator would link, or [`NO_MATCH`].
    expect: Spanned<String>,
    /// Other topics that would answer it too (checked, not learned from).
    #[serde(default)]
    also: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExamplesFile {
    question: Vec<ExampleFile>,
}

/// Loads the classifier, checking that each class is a topic (or [`NO_MATCH`]) and, with
/// [`Models::Current`], that it was trained on the examples as they are now.
pub fn load(dir: &Path, topics: &[Topic], models: Models) -> Result<Classifier, Vec<ContentError>> {
    let path = dir.join(MODEL_FILE);
    let (classifier, classes_line) = load_classifier(&path, &dir.join(EXAMPLES_DIR), models, "train-topics")?;
    let errors: Vec<ContentError> = classifier
        .classes
        .iter()
        .filter(|c| *c != NO_MATCH && !topics.iter().any(|t| t.id == **c))
        .map(|c| ContentError::new(&path, classes_line, format!("class {c:?} is not a topic in topics/")))
        .collect();
    if errors.is_empty() {
        Ok(classifier)
    } else {
        Err(errors)
    }
}

/// The labelled questions, ready for training: each topic's own questions, then those in
/// `content/question-examples/`; one class per topic, [`NO_MATCH`] first, all weighing the same.
pub fn training_set(content: &Path, topics: &[Topic]) -> Result<TrainingSet, Vec<ContentError>> {
    let files = example_files(&content.join(EXAMPLES_DIR))?;
    let is_label = |l: &str| l == NO_MATCH || topics.iter().any(|t| t.id == l);
    let mut errors = Vec::new();
    let mut labelled: Vec<(String, String)> =
        topics.iter().flat_map(|t| t.questions.iter().map(|q| (q.clone(), t.id.clone()))).collect();
    for (path, text, set) in parse_examples::<ExamplesFile>(&files, &mut errors) {
        for question in set.question {
            let labels = std::iter::once(&question.expect).chain(&question.also);
            for label in labels.filter(|l| !is_label(l.get_ref())) {
                let message = format!("{:?} is not a topic in topics/ (nor {NO_MATCH:?})", label.get_ref());
                errors.push(ContentError::new(path, line_of(text, label.span().start), message));
            }
            labelled.push((question.text, question.expect.into_inner()));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut classes: Vec<String> = labelled.iter().map(|(_, c)| c.clone()).filter(|c| c != NO_MATCH).collect();
    classes.sort();
    classes.dedup();
    classes.insert(0, NO_MATCH.to_string());
    let examples = labelled
        .into_iter()
        .map(|(text, label)| Example { text, class: classes.iter().position(|c| *c == label).unwrap_or(0) })
        .collect();
    Ok(TrainingSet { groups: vec![0; classes.len()], classes, examples, digest: examples_digest(&files), c: PENALTY_C })
}
