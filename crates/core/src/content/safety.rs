//! `safety.toml`: the rules checked before any topic (urgent situations, then requests the bot
//! declines), the concepts those rules are written in, the urgent replies in other languages, and
//! the bot's standing messages.
//!
//! A rule is not a list of sentences to recognise but a few combinations of concepts ("a
//! dependent + went missing + medicine"): each concept is a moderator-editable list of words and
//! phrases in every language covered, so one new word widens every rule that uses it.
//!
//! Behind the rules stands a classifier (`safety-model.tsv`) trained on the labelled messages in
//! `safety-examples/`; `[model]` in `safety.toml` says how sure it must be to act.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::topics::Source;
use super::{example_files, examples_digest, load_classifier, parse_examples, parse_toml, ContentError, Models};
use crate::classifier::{Classifier, Example, TrainingSet, ORDINARY};
use crate::words::WordPatterns;

/// Concept names the detector itself relies on.
const NEGATION: &str = "negation";
/// Phrases that hold a negation word but do not negate ("not sure", "wont stop").
const NOT_NEGATING: &str = "not_negating";
/// Common English words, weighed against each language's markers to tell the language.
const ENGLISH: &str = "english";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: Spanned<String>,
    title: String,
    #[serde(default)]
    kind: Option<UrgentKind>,
    when: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    window: Option<usize>,
    reply: Spanned<String>,
    #[serde(default)]
    sources: Vec<Source>,
    #[serde(default)]
    related: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LanguageFile {
    code: Spanned<String>,
    name: String,
    markers: Spanned<Vec<String>>,
    crisis_title: String,
    crisis: String,
    poisoning_title: String,
    poisoning: String,
    emergency_title: String,
    emergency: String,
    /// The line shown above an English answer that follows an urgent block.
    english_note: String,
    sources: Vec<Source>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SafetyFile {
    disclaimer: String,
    about: String,
    no_match: Spanned<String>,
    no_match_topics: Vec<Spanned<String>>,
    not_about_zinc: String,
    concepts: Spanned<BTreeMap<String, Spanned<Vec<Spanned<String>>>>>,
    #[serde(default)]
    never_negated: Vec<Spanned<String>>,
    #[serde(default)]
    unless: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    #[serde(default)]
    urgent: Vec<RuleFile>,
    #[serde(default)]
    decline: Vec<RuleFile>,
    #[serde(default)]
    language: Vec<LanguageFile>,
    model: ModelFile,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    urgent_at: Spanned<f32>,
    decline_at: Spanned<f32>,
    #[serde(default)]
    answer_at: Option<Spanned<f32>>,
}

/// One labelled message in `safety-examples/*.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleFile {
    text: String,
    expect: String,
    category: Spanned<String>,
    lang: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExamplesFile {
    case: Vec<ExampleFile>,
}

/// What kind of urgent reply a rule gives, which decides the reply in other languages and
/// whether an ordinary answer may follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UrgentKind {
    /// Suicidal thoughts or self-harm: crisis support first, and nothing else after it.
    Crisis,
    /// Tablets or something harmful swallowed: emergency and poison-centre guidance.
    Poisoning,
    /// Any other medical emergency.
    Emergency,
}

/// A named list of words and phrases, matched as whole words.
#[derive(Debug, Clone)]
pub struct Concept {
    pub name: String,
    pub(crate) patterns: WordPatterns,
    /// The concepts inside whose occurrences an occurrence of this one does not count
    /// ("blood" inside the `blood_test` "blood test"), from `[unless]`; indexes into
    /// [`Safety::concepts`].
    pub(crate) unless: Vec<usize>,
}

/// One way a rule fires: every `require`d concept present (within the rule's window), no
/// `exclude`d one present. Indexes into [`Safety::concepts`].
#[derive(Debug, Clone)]
pub struct Combination {
    pub require: Vec<usize>,
    pub exclude: Vec<usize>,
}

/// A routing rule: when it fires, and what it replies.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub title: String,
    /// Set for urgent rules.
    pub kind: Option<UrgentKind>,
    pub when: Vec<Combination>,
    /// How many words apart the required concepts may be; the whole message when `None`.
    pub window: Option<usize>,
    pub reply: String,
    pub sources: Vec<Source>,
    /// Zinc topics worth pointing to after the reply.
    pub related: Vec<String>,
}

/// Urgent replies in a language other than English.
#[derive(Debug, Clone)]
pub struct Language {
    pub code: String,
    pub name: String,
    pub(crate) markers: WordPatterns,
    pub crisis_title: String,
    pub crisis: String,
    pub poisoning_title: String,
    pub poisoning: String,
    pub emergency_title: String,
    pub emergency: String,
    pub english_note: String,
    pub sources: Vec<Source>,
}

impl Language {
    /// The title and reply for an urgent rule of `kind`.
    pub fn reply(&self, kind: UrgentKind) -> (&str, &str) {
        match kind {
            UrgentKind::Crisis => (&self.crisis_title, &self.crisis),
            UrgentKind::Poisoning => (&self.poisoning_title, &self.poisoning),
            UrgentKind::Emergency => (&self.emergency_title, &self.emergency),
        }
    }
}

/// The whole of `safety.toml`.
#[derive(Debug, Clone)]
pub struct Safety {
    /// The short "not medical advice" line on every answer.
    pub disclaimer: String,
    /// What the bot says about itself.
    pub about: String,
    /// Reply when no topic fits; `{topics}` lists the closest.
    pub no_match: String,
    /// Topics offered when a question about zinc matched nothing at all.
    pub no_match_topics: Vec<String>,
    /// Reply to messages that are not about zinc at all.
    pub not_about_zinc: String,
    pub concepts: Vec<Concept>,
    /// The concepts the detector itself reads (indexes into `concepts`).
    pub grammar: Grammar,
    /// Concepts a negation word before them does not cancel (indexes into `concepts`): for
    /// crisis words, a wrongly read negation would cost too much.
    pub never_negated: Vec<usize>,
    pub urgent: Vec<Rule>,
    pub decline: Vec<Rule>,
    pub languages: Vec<Language>,
    pub model: Model,
}

/// The classifier behind the rules, and how sure it must be before it acts.
#[derive(Debug, Clone)]
pub struct Model {
    pub classifier: Classifier,
    /// The rule each class stands for (`None` for ordinary messages).
    pub rules: Vec<Option<RuleRef>>,
    /// The summed probability of the urgent classes that escalates a message.
    pub urgent_at: f32,
    /// The summed probability of the decline classes that declines it.
    pub decline_at: f32,
    /// The probability of an ordinary message at which a decline rule that fired is set aside
    /// and the question answered; `None` when the rules always decide.
    pub answer_at: Option<f32>,
}

/// A rule, by its place in [`Safety::urgent`] or [`Safety::decline`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleRef {
    Urgent(usize),
    Decline(usize),
}

/// Where the concepts the detector relies on stand in [`Safety::concepts`].
#[derive(Debug, Clone, Copy)]
pub struct Grammar {
    pub negation: usize,
    pub not_negating: usize,
    pub english: usize,
}

/// Loads `safety.toml`, reporting each problem with its line.
struct Loader<'a> {
    path: &'a Path,
    text: String,
    errors: Vec<ContentError>,
}

impl Loader<'_> {
    /// Records a problem at the place `span` of the file.
    fn error(&mut self, span: Range<usize>, message: String) {
        let line = crate::text::line_of(&self.text, span.start);
        self.errors.push(ContentError::new(self.path, line, message));
    }

    /// Compiles every concept; a bad entry is named by its line.
    fn concepts(&mut self, table: BTreeMap<String, Spanned<Vec<Spanned<String>>>>) -> Vec<Concept> {
        let mut out = Vec::new();
        for (name, list) in table {
            if list.get_ref().is_empty() {
                self.error(list.span(), format!("concept {name} is empty"));
                continue;
            }
            let spans: Vec<Range<usize>> = list.get_ref().iter().map(Spanned::span).collect();
            let entries: Vec<String> = list.into_inner().into_iter().map(Spanned::into_inner).collect();
            // Only when the whole concept fails are its entries compiled one by one, to name
            // the line of each bad one.
            let patterns = WordPatterns::new(&entries).unwrap_or_else(|_| {
                for (entry, span) in entries.iter().zip(&spans) {
                    if let Err((_, e)) = WordPatterns::new(std::slice::from_ref(entry)) {
                        let message = format!("concept {name}: {entry:?} does not compile: {e}");
                        self.error(span.clone(), message);
                    }
                }
                // The concept keeps its name, so the rules that use it report nothing more.
                WordPatterns::none()
            });
            out.push(Concept { name, patterns, unless: Vec::new() });
        }
        out
    }

    /// The detector's own concepts, each of which the file must define.
    fn grammar(&mut self, names: &HashMap<&str, usize>, table: Range<usize>) -> Option<Grammar> {
        let mut find = |name: &str| {
            let index = names.get(name).copied();
            if index.is_none() {
                self.error(table.clone(), format!("concept {name} is required"));
            }
            index
        };
        let (negation, not_negating, english) = (find(NEGATION), find(NOT_NEGATING), find(ENGLISH));
        Some(Grammar { negation: negation?, not_negating: not_negating?, english: english? })
    }

    /// Parses "a + b - c" into a [`Combination`].
    fn combination(&mut self, spec: &Spanned<String>, names: &HashMap<&str, usize>) -> Option<Combination> {
        let (span, spec) = (spec.span(), spec.get_ref());
        let mut combination = Combination { require: Vec::new(), exclude: Vec::new() };
        let mut sign = '+';
        let mut ok = true;
        for token in spec.split_whitespace() {
            match token {
                "+" | "-" => sign = token.chars().next().unwrap_or('+'),
                name => match names.get(name) {
                    Some(&i) if sign == '+' => combination.require.push(i),
                    Some(&i) => combination.exclude.push(i),
                    None => {
                        self.error(span.clone(), format!("unknown concept {name:?} in {spec:?}"));
                        ok = false;
                    }
                },
            }
        }
        if combination.require.is_empty() && ok {
            self.error(span, format!("{spec:?} requires no concept"));
            ok = false;
        }
        ok.then_some(combination)
    }

    fn rules(
        &mut self,
        kind: &str,
        files: Vec<RuleFile>,
        names: &HashMap<&str, usize>,
        topic_ids: &[&str],
        seen: &mut HashSet<String>,
    ) -> Vec<Rule> {
        let mut out = Vec::new();
        for rule in files {
            let id = rule.id.get_ref();
            if !seen.insert(id.clone()) {
                self.error(rule.id.span(), format!("rule id {id:?} is used twice"));
            }
            if rule.when.get_ref().is_empty() {
                self.error(rule.when.span(), format!("{kind} rule {id} has no `when`"));
            }
            if rule.reply.get_ref().trim().is_empty() {
                self.error(rule.reply.span(), format!("{kind} rule {id} has no reply"));
            }
            if (kind == "urgent") != rule.kind.is_some() {
                let message = if kind == "urgent" {
                    format!("urgent rule {id} needs a kind (crisis, poisoning or emergency)")
                } else {
                    format!("decline rule {id} takes no kind")
                };
                self.error(rule.id.span(), message);
            }
            for related in rule.related.iter().filter(|r| !topic_ids.contains(&r.get_ref().as_str())) {
                self.error(related.span(), format!("related topic {:?} does not exist", related.get_ref()));
            }
            let when = rule.when.get_ref().iter().filter_map(|spec| self.combination(spec, names)).collect();
            out.push(Rule {
                id: rule.id.into_inner(),
                title: rule.title,
                kind: rule.kind,
                when,
                window: rule.window,
                reply: rule.reply.into_inner(),
                sources: rule.sources,
                related: rule.related.into_iter().map(Spanned::into_inner).collect(),
            });
        }
        out
    }

    /// Each `[unless]` entry: the concept it qualifies and the concepts inside which it does not
    /// count, by index.
    fn unless(
        &mut self,
        table: &BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
        names: &HashMap<&str, usize>,
    ) -> Vec<(usize, Vec<usize>)> {
        let mut out = Vec::new();
        for (name, inside) in table {
            let concept = self.indexes(std::slice::from_ref(name), names, "[unless]").pop();
            let inside = self.indexes(inside, names, "[unless]");
            out.extend(concept.map(|c| (c, inside)));
        }
        out
    }

    /// The concepts `listed` names, by index; an unknown name is reported with where it stood.
    fn indexes(&mut self, listed: &[Spanned<String>], names: &HashMap<&str, usize>, place: &str) -> Vec<usize> {
        let mut out = Vec::new();
        for name in listed {
            match names.get(name.get_ref().as_str()) {
                Some(&i) => out.push(i),
                None => self.error(name.span(), format!("unknown concept {:?} in {place}", name.get_ref())),
            }
        }
        out
    }

    /// The classifier's thresholds are probabilities.
    fn thresholds(&mut self, model: &ModelFile) {
        let answer_at = model.answer_at.iter().map(|at| ("answer_at", at));
        for (name, at) in
            [("urgent_at", &model.urgent_at), ("decline_at", &model.decline_at)].into_iter().chain(answer_at)
        {
            if !(0.0..=1.0).contains(at.get_ref()) {
                self.error(at.span(), format!("[model] {name} must be between 0 and 1"));
            }
        }
    }

    /// The no-match reply lists topics that exist.
    fn no_match(&mut self, reply: &Spanned<String>, topics: &[Spanned<String>], topic_ids: &[&str]) {
        for topic in topics.iter().filter(|t| !topic_ids.contains(&t.get_ref().as_str())) {
            self.error(topic.span(), format!("topic {:?} does not exist", topic.get_ref()));
        }
        if !reply.get_ref().contains("{topics}") {
            self.error(reply.span(), "no_match must include {topics}".to_string());
        }
    }

    fn languages(&mut self, files: Vec<LanguageFile>) -> Vec<Language> {
        let mut out = Vec::new();
        for file in files {
            let markers = match WordPatterns::new(file.markers.get_ref()) {
                Ok(markers) => markers,
                Err((i, e)) => {
                    let entry = &file.markers.get_ref()[i];
                    self.error(file.markers.span(), format!("markers do not compile: {entry:?}: {e}"));
                    continue;
                }
            };
            if file.sources.is_empty() {
                self.error(file.code.span(), format!("language {} has no sources", file.code.get_ref()));
            }
            out.push(Language {
                code: file.code.into_inner(),
                name: file.name,
                markers,
                crisis_title: file.crisis_title,
                crisis: file.crisis,
                poisoning_title: file.poisoning_title,
                poisoning: file.poisoning,
                emergency_title: file.emergency_title,
                emergency: file.emergency,
                english_note: file.english_note,
                sources: file.sources,
            });
        }
        out
    }
}

impl Safety {
    /// Loads and compiles `safety.toml` and the classifier in `dir`, taking the classifier as
    /// `models` says; every problem is named by line.
    pub fn load(dir: &Path, topic_ids: &[&str], models: Models) -> Result<Safety, Vec<ContentError>> {
        let path = &dir.join("safety.toml");
        let (file, text): (SafetyFile, String) = parse_toml(path)?;
        let mut loader = Loader { path, text, errors: Vec::new() };
        let concepts_at = file.concepts.span();
        let mut concepts = loader.concepts(file.concepts.into_inner());
        let names: HashMap<&str, usize> = concepts.iter().enumerate().map(|(i, c)| (c.name.as_str(), i)).collect();
        let grammar = loader.grammar(&names, concepts_at);
        let never_negated = loader.indexes(&file.never_negated, &names, "never_negated");
        let unless = loader.unless(&file.unless, &names);
        let mut seen = HashSet::new();
        let urgent = loader.rules("urgent", file.urgent, &names, topic_ids, &mut seen);
        let decline = loader.rules("decline", file.decline, &names, topic_ids, &mut seen);
        for (concept, inside) in unless {
            concepts[concept].unless = inside;
        }
        let languages = loader.languages(file.language);
        loader.thresholds(&file.model);
        let model = load_model(dir, models, &file.model, &urgent, &decline).map_err(|e| loader.errors.extend(e)).ok();
        if urgent.is_empty() {
            loader.errors.push(ContentError::new(path, 0, "there must be at least one [[urgent]] rule"));
        }
        loader.no_match(&file.no_match, &file.no_match_topics, topic_ids);
        let (Some(grammar), Some(model)) = (grammar, model) else { return Err(loader.errors) };
        if !loader.errors.is_empty() {
            return Err(loader.errors);
        }
        Ok(Safety {
            disclaimer: file.disclaimer,
            about: file.about,
            no_match: file.no_match.into_inner(),
            no_match_topics: file.no_match_topics.into_iter().map(Spanned::into_inner).collect(),
            not_about_zinc: file.not_about_zinc,
            concepts,
            grammar,
            never_negated,
            urgent,
            decline,
            languages,
            model,
        })
    }
}

/// The classifier's file, next to `safety.toml`.
pub const MODEL_FILE: &str = "safety-model.tsv";
/// The classifier's inverse L2 penalty (see [`TrainingSet::c`]). Chosen, with the feature set
/// and the thresholds in `safety.toml`, by training without three of the example writers and
/// measuring on their messages.
const PENALTY_C: f32 = 128.0;
/// The folder of labelled example messages it is trained on.
pub const EXAMPLES_DIR: &str = "safety-examples";

/// Loads the classifier, checking that each class names a rule and, with [`Models::Current`],
/// that it was trained on the examples as they are now.
fn load_model(
    dir: &Path,
    models: Models,
    file: &ModelFile,
    urgent: &[Rule],
    decline: &[Rule],
) -> Result<Model, Vec<ContentError>> {
    let path = dir.join(MODEL_FILE);
    let (classifier, classes_line) = load_classifier(&path, &dir.join(EXAMPLES_DIR), models, "train-safety")?;
    let mut errors = Vec::new();
    let mut rules = Vec::new();
    for class in &classifier.classes {
        let rule = urgent
            .iter()
            .position(|r| r.id == *class)
            .map(RuleRef::Urgent)
            .or_else(|| decline.iter().position(|r| r.id == *class).map(RuleRef::Decline));
        if rule.is_none() && class != ORDINARY {
            errors.push(ContentError::new(
                &path,
                classes_line,
                format!("class {class:?} is not a rule in safety.toml"),
            ));
        }
        rules.push(rule);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Model {
        classifier,
        rules,
        urgent_at: *file.urgent_at.get_ref(),
        decline_at: *file.decline_at.get_ref(),
        answer_at: file.answer_at.as_ref().map(|at| *at.get_ref()),
    })
}

/// The labelled examples in `content/safety-examples/`, ready for [`TrainingSet::train`].
pub fn training_set(content: &Path) -> Result<TrainingSet, Vec<ContentError>> {
    let files = example_files(&content.join(EXAMPLES_DIR))?;
    let mut errors = Vec::new();
    let mut labelled = Vec::new();
    for (path, text, set) in parse_examples::<ExamplesFile>(&files, &mut errors) {
        for case in set.case {
            let group = match (case.expect.as_str(), case.category.get_ref() == ORDINARY) {
                ("ordinary", true) => Some(0),
                ("urgent", false) => Some(1),
                ("declined", false) => Some(2),
                _ => None,
            };
            match group {
                Some(group) if !case.lang.is_empty() => labelled.push((case.text, case.category.into_inner(), group)),
                _ => {
                    let line = crate::text::line_of(text, case.category.span().start);
                    let message =
                        format!("expect {:?} does not fit category {:?}", case.expect, case.category.get_ref());
                    errors.push(ContentError::new(path, line, message));
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Ordinary first, then the other categories by name.
    let mut classes: Vec<(usize, String)> =
        labelled.iter().filter(|l| l.2 != 0).map(|(_, c, g)| (*g, c.clone())).collect();
    classes.sort_by(|a, b| a.1.cmp(&b.1));
    classes.dedup();
    classes.insert(0, (0, ORDINARY.to_string()));
    let examples = labelled
        .into_iter()
        .map(|(text, category, _)| Example {
            text,
            class: classes.iter().position(|(_, c)| *c == category).unwrap_or(0),
        })
        .collect();
    Ok(TrainingSet {
        groups: classes.iter().map(|(g, _)| *g).collect(),
        classes: classes.into_iter().map(|(_, c)| c).collect(),
        examples,
        digest: examples_digest(&files),
        c: PENALTY_C,
    })
}
