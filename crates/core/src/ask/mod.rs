//! Question -> [`Answer`]: safety routing first, then retrieval over the curated topics, ranked
//! by the question's words and by the topic classifier, with an honest threshold below which the
//! bot says it has no sourced answer.
//!
//! Pure: a function of the question and the [`Asker`] (the topics, the safety rules and the
//! topic classifier, with the index it builds over the topics). Every word of an answer comes from `content/`; this module
//! only decides which content fits.

pub mod index;
pub mod parts;
pub mod triage;

use serde::Serialize;

use crate::classifier::Classifier;
use crate::content::lexicon::QuestionWords;
use crate::content::safety::{Language, Rule, Safety, UrgentKind};
use crate::content::topics::{Route, Source, Topic};
use crate::content::{self, citations, ContentError};
use crate::text;
use index::TopicIndex;
use triage::Triage;

/// How a question was handled, as the JSON contract names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AskStatus {
    Answered,
    NoMatch,
    Declined,
    Urgent,
}

/// The reply to a question, serialised as the `ask --json` contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    pub status: AskStatus,
    /// The topic answered from (its slug), when one was.
    pub topic: Option<String>,
    pub title: String,
    /// The reply; from a topic, every sentence ends with a marker (`[1]`, `[2, 3]`) numbering the
    /// `sources`.
    pub text: String,
    /// The one or two hedges that matter most, cited like the text.
    pub caveats: Vec<String>,
    /// The topic's evidence label.
    pub evidence: Option<String>,
    /// The sources the text and caveats cite, in the order the markers number them (at most
    /// six).
    pub sources: Vec<Source>,
    /// When the topic was last checked against its sources (YYYY-MM-DD).
    pub reviewed: Option<String>,
    /// Related topics (for `no_match`, the closest ones).
    pub related: Vec<String>,
    pub disclaimer: String,
    /// When the question is in another language the content covers and the reply is in English:
    /// a line in that language saying so, and that a clinician can help in that language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The safety rule that routed the question (`not-about-zinc` when nothing in it concerns
    /// zinc), if one did.
    pub rule: Option<String>,
    /// After an urgent block, the ordinary answer to the rest of the message, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub also: Option<Box<Answer>>,
    /// The topic of a further question the message asks ("... also how much is too much"),
    /// offered rather than answered; it is listed first in `related` too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub also_asked: Option<Offer>,
    /// What decided the reply, for the shells; not part of the JSON contract.
    #[serde(skip)]
    pub reason: Reason,
}

/// A topic offered for a further question in the same message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Offer {
    pub topic: String,
    pub title: String,
}

/// A topic's sections, shown on request ("more detail"): each section's text with its markers
/// numbered across the sections in order of first use, and the sources they name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Detail {
    pub topic: String,
    pub title: String,
    /// (heading, text) in the topic's order.
    pub sections: Vec<(String, String)>,
    pub sources: Vec<Source>,
    pub reviewed: String,
}

/// What decided a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reason {
    /// A safety rule (urgent guidance or a decline), fired by its concepts or by the classifier.
    SafetyRule,
    /// The crisis rule: its reply stands alone, with nothing after it.
    Crisis,
    /// A topic ranked high enough.
    Topic,
    /// Nothing in the message concerns zinc.
    NotAboutZinc,
    /// About zinc, but no topic fits well enough.
    #[default]
    NoMatch,
}

/// The rule name of questions declined for not being about zinc at all.
pub const NOT_ABOUT_ZINC: &str = "not-about-zinc";

/// A topic must reach this BM25F score to be answered ...
const MIN_SCORE: f64 = 1.0;
/// ... and cover this share of the question's meaningful words (weighted by rarity) ...
const MIN_COVERAGE: f64 = 0.3;
/// ... or two thirds of it with a score this strong. Below it, the word signal counts for less
/// beside the classifier's (see [`Asker::rank`]).
const STRONG_SCORE: f64 = 5.0;

/// How much the topic classifier's probability counts beside the word score (relative to the
/// best word score, so both run from 0 to 1) ...
const MODEL_WEIGHT: f64 = 2.0;
/// ... the probability at which it answers a topic on its own ...
const MODEL_SURE: f32 = 0.25;
/// ... and at which its judgement that no topic answers the question prevails. All three were
/// chosen by training the classifier without a quarter of the writers of
/// `content/question-examples/` at a time and asking their questions (see
/// [`crate::content::topic_model`]), then checked on the tuning question sets
/// (`questions.toml`, `questions3.toml`), which it is not trained on: from 1.0, 0.4 and 0.5, the
/// right topic went from 88.9 % to 91.0 % of the writers' questions, abstentions on those no
/// topic answers from 81.7 % to 83.1 %, and the tuning sets stayed where they were.
const NO_MATCH_AT: f32 = 0.4;
/// A question whose words a topic covers this well, with a strong score, is answered from it
/// even when the classifier judges that no topic answers it ("how much is too much").
const PLAIN_COVERAGE: f64 = 0.7;
/// How many of the best-ranked topics `explain` shows, with their coverage.
pub const SHOWN: usize = 5;
/// A spelling of zinc this long also counts at the start of a longer word ("zinkmangel").
const COMPOUND_STEM: usize = 4;
/// A topic no word of the question matched is offered as a close one only from this probability.
const CLOSEST_MODEL: f32 = 0.05;

/// One topic as retrieval ranked it for a question.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranked {
    /// Index into [`Asker::topics`].
    pub topic: usize,
    /// Its BM25F score over the question's words (0 when no word matched).
    pub words: f64,
    /// The topic classifier's probability for it.
    pub model: f32,
    /// The share of the question's meaningful words it contains, weighted by rarity (measured
    /// for the best [`SHOWN`] only).
    pub coverage: f64,
    /// What it is ranked by: `words` relative to the best, plus `model` weighed.
    pub combined: f64,
}

impl Ranked {
    /// Whether its words plainly cover the question: a strong score over most of its words.
    fn plainly_covers(&self) -> bool {
        self.words >= STRONG_SCORE && self.coverage >= PLAIN_COVERAGE
    }
}

/// The question engine: the curated topics and the safety rules, with the index it builds over
/// the topics and the words it reads questions with.
#[derive(Debug)]
pub struct Asker {
    /// Curated topics, sorted by id.
    pub topics: Vec<Topic>,
    pub safety: Safety,
    index: TopicIndex,
    /// The topic classifier: what a question asks, learned from labelled questions.
    model: Classifier,
    /// For each of the model's classes, the topic it stands for (`None` for no match).
    model_topics: Vec<Option<usize>>,
}

impl Asker {
    /// Indexes the topics, reading them and every question with `lexicon`.
    pub fn new(topics: Vec<Topic>, safety: Safety, model: Classifier, lexicon: QuestionWords) -> Asker {
        let index = TopicIndex::build(&topics, lexicon);
        let model_topics = model.classes.iter().map(|c| topics.iter().position(|t| t.id == *c)).collect();
        Asker { topics, safety, index, model, model_topics }
    }

    /// Loads only what answering needs from `dir` (the `content/` folder): the topics, the
    /// safety rules and the lexicon, not the food tables, and the models as trained (see
    /// [`Models::AsTrained`](content::Models::AsTrained)).
    pub fn load(dir: &std::path::Path) -> Result<Asker, Vec<ContentError>> {
        let questions = content::load_questions(dir, content::Models::AsTrained);
        let ((topics, safety, model), lexicon) = content::both(questions, content::load_lexicon(dir))?;
        Ok(Asker::new(topics, safety, model, lexicon.questions))
    }

    /// The words questions are read with.
    pub fn lexicon(&self) -> &QuestionWords {
        self.index.lexicon()
    }

    /// The topic with this id.
    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }

    /// Answers `question` from the library: urgent guidance first (followed by the ordinary answer
    /// when one fits), then declines, then the best topic or an honest no-match.
    pub fn ask(&self, question: &str) -> Answer {
        self.answer(question, triage::triage(&self.safety, question))
    }

    /// Urgent guidance for `question` when it needs any, without retrieval otherwise: every shell
    /// checks this before anything else it does with free text.
    pub fn urgent(&self, question: &str) -> Option<Answer> {
        match triage::triage(&self.safety, question) {
            urgent @ Some(Triage::Urgent { .. }) => Some(self.answer(question, urgent)),
            _ => None,
        }
    }

    /// The answer of the topic `id` as if a question had landed on it (a related topic chosen
    /// from a menu); `None` when no topic has that id.
    pub fn answer_topic(&self, id: &str) -> Option<Answer> {
        self.topic(id).map(|topic| self.topic_answer(topic))
    }

    /// The answer a topic gives.
    fn topic_answer(&self, topic: &Topic) -> Answer {
        let status = match topic.route {
            Route::Answer => AskStatus::Answered,
            Route::Decline => AskStatus::Declined,
        };
        let (text, caveats, sources) = shown(topic);
        Answer {
            status,
            topic: Some(topic.id.clone()),
            title: topic.title.clone(),
            text,
            caveats,
            evidence: Some(topic.evidence.label().to_string()),
            sources,
            reviewed: Some(topic.reviewed.clone()),
            related: topic.related.clone(),
            disclaimer: self.safety.disclaimer.clone(),
            note: None,
            rule: None,
            also: None,
            also_asked: None,
            reason: Reason::Topic,
        }
    }

    /// The sections of the topic `id`, for "more detail"; `None` when no topic has that id (it
    /// may have been removed since the answer was given).
    pub fn detail(&self, id: &str) -> Option<Detail> {
        let topic = self.topic(id)?;
        let bodies: Vec<&str> = topic.sections.iter().map(|s| s.body.as_str()).collect();
        let (texts, sources) = citations::renumber(&bodies, &topic.sources);
        Some(Detail {
            topic: topic.id.clone(),
            title: topic.title.clone(),
            sections: topic.sections.iter().map(|s| s.heading.clone()).zip(texts).collect(),
            sources,
            reviewed: topic.reviewed.clone(),
        })
    }

    /// Whether `question` needs urgent guidance: triage alone, without retrieval.
    pub fn is_urgent(&self, question: &str) -> bool {
        matches!(triage::triage(&self.safety, question), Some(Triage::Urgent { .. }))
    }

    /// The answer to `question` once triage has decided; a reply in English to a question in
    /// another language says so in that language.
    fn answer(&self, question: &str, decided: Option<Triage>) -> Answer {
        let safety = &self.safety;
        let answer = match decided {
            Some(Triage::Urgent { rule, language }) => return self.urgent_block(question, rule, language),
            Some(Triage::Decline { rule }) => Answer {
                related: rule.related.clone(),
                sources: rule.sources.clone(),
                ..standing(safety, AskStatus::Declined, Some(&rule.id), &rule.title, &rule.reply)
            },
            None => self.retrieve(question),
        };
        let note = triage::language_of(safety, question).map(|l| l.english_note.trim().to_string());
        Answer { note, ..answer }
    }

    /// The urgent block for `rule`, in the message's language when the content has one, with the
    /// ordinary answer nested under `also` when one fits (never after a crisis reply, which should
    /// stand alone).
    fn urgent_block(&self, question: &str, rule: &Rule, language: Option<&Language>) -> Answer {
        let safety = &self.safety;
        let kind = rule.kind.unwrap_or(UrgentKind::Emergency);
        let (title, text, sources) = match language {
            Some(language) => {
                let (title, text) = language.reply(kind);
                (title, text, language.sources.clone())
            }
            None => (rule.title.as_str(), rule.reply.as_str(), rule.sources.clone()),
        };
        // Only a message that is about zinc gets a zinc topic after the urgent block.
        let also = (kind != UrgentKind::Crisis && self.mentions_zinc(question))
            .then(|| self.retrieve(question))
            .filter(|a| a.status == AskStatus::Answered)
            .map(|answer| Box::new(Answer { note: language.map(|l| l.english_note.trim().to_string()), ..answer }));
        let urgent = standing(safety, AskStatus::Urgent, Some(&rule.id), title, text);
        let reason = if kind == UrgentKind::Crisis { Reason::Crisis } else { urgent.reason };
        Answer { sources, related: rule.related.clone(), also, reason, ..urgent }
    }

    /// The best topic for `question`, or a decline when it is not about zinc, or no match.
    fn retrieve(&self, question: &str) -> Answer {
        let safety = &self.safety;
        let index = &self.index;
        let query = index.query(question);
        let (ranked, no_match) = self.rank(question, &query);
        let about_zinc = self.mentions_zinc(question);
        if let Some(best) = ranked.first().filter(|best| self.confident(&query, best, no_match, about_zinc)) {
            let answer = self.topic_answer(&self.topics[best.topic]);
            return match self.further_question(question, best.topic, about_zinc) {
                Some(other) => {
                    let other = &self.topics[other];
                    let mut related = vec![other.id.clone()];
                    related.extend(answer.related.iter().filter(|r| **r != other.id).cloned());
                    let offer = Offer { topic: other.id.clone(), title: other.title.clone() };
                    Answer { also_asked: Some(offer), related, ..answer }
                }
                None => answer,
            };
        }
        if !about_zinc {
            let text = &safety.not_about_zinc;
            let declined = standing(safety, AskStatus::Declined, Some(NOT_ABOUT_ZINC), "Not about zinc", text);
            return Answer { reason: Reason::NotAboutZinc, ..declined };
        }
        let mut closest: Vec<&str> = ranked
            .iter()
            .filter(|r| r.words > 0.0 || r.model >= CLOSEST_MODEL)
            .take(3)
            .map(|r| self.topics[r.topic].id.as_str())
            .collect();
        if closest.is_empty() {
            closest = safety.no_match_topics.iter().map(String::as_str).collect();
        }
        let titles: Vec<&str> = closest.iter().filter_map(|id| self.topic(id)).map(|t| t.title.as_str()).collect();
        let listed = titles.join("; ");
        Answer {
            related: closest.into_iter().map(String::from).collect(),
            ..standing(
                safety,
                AskStatus::NoMatch,
                None,
                "No close match",
                &safety.no_match.replace("{topics}", &listed),
            )
        }
    }

    /// The topic of a further question `question` asks besides the one `main` answers: the
    /// first of its other parts that lands, confidently, on another topic that answers.
    fn further_question(&self, question: &str, main: usize, about_zinc: bool) -> Option<usize> {
        let parts = parts::parts(self.lexicon(), question);
        if parts.len() < 2 {
            return None;
        }
        parts.iter().find_map(|part| {
            let query = self.index.query(part);
            let (ranked, no_match) = self.rank(part, &query);
            let best = ranked.first()?;
            let answers = self.topics[best.topic].route == Route::Answer;
            // A piece is short: the classifier alone is not enough, its words must name
            // something of the topic's own (a condition, a medicine, a product).
            let said = best.words >= MIN_SCORE && query.terms.iter().any(|t| self.index.is_specific(t, best.topic));
            (best.topic != main && answers && said && self.confident(&query, best, no_match, about_zinc))
                .then_some(best.topic)
        })
    }

    /// Every topic either signal found, best first (the word score relative to the best word
    /// score, scaled down when that is weaker than [`STRONG_SCORE`], plus the classifier's
    /// probability weighed by [`MODEL_WEIGHT`]), and the
    /// classifier's probability that no topic answers the question.
    fn rank(&self, question: &str, query: &index::Query) -> (Vec<Ranked>, f32) {
        let words = self.index.search(query, self.topics.len());
        let best_words = words.first().map_or(0.0, |&(_, score)| score);
        let mut ranked: Vec<Ranked> = (0..self.topics.len())
            .map(|topic| Ranked { topic, words: 0.0, model: 0.0, coverage: 0.0, combined: 0.0 })
            .collect();
        for &(topic, score) in &words {
            ranked[topic].words = score;
        }
        let probabilities = self.model.probabilities(question);
        let mut no_match = 0.0;
        for (class, p) in self.model_topics.iter().zip(probabilities) {
            match class {
                Some(topic) => ranked[*topic].model = p,
                None => no_match = p,
            }
        }
        // A weak best word score (a question in another language, mostly unknown words) is
        // weak evidence: the word signal counts in full only from a strong score.
        let strength = (best_words / STRONG_SCORE).min(1.0);
        for r in &mut ranked {
            let relative = if best_words > 0.0 { strength * r.words / best_words } else { 0.0 };
            r.combined = relative + MODEL_WEIGHT * f64::from(r.model);
        }
        ranked.retain(|r| r.combined > 0.0);
        ranked.sort_by(|a, b| b.combined.total_cmp(&a.combined).then(a.topic.cmp(&b.topic)));
        // Only the best are ever judged or shown, and coverage is the costly part.
        for r in ranked.iter_mut().take(SHOWN) {
            r.coverage = self.coverage(query, r.topic);
        }
        // The classifier guesses from pieces of words ("penicillin" looks like "penicillamine"):
        // a topic sharing no word with the question does not outrank one whose words plainly
        // cover it.
        if ranked.first().is_some_and(|best| best.words == 0.0) {
            if let Some(at) = ranked.iter().take(SHOWN).position(Ranked::plainly_covers) {
                ranked[..=at].rotate_right(1);
            }
        }
        (ranked, no_match)
    }

    /// Whether the best-ranked topic answers the question well enough: by its words (a strong
    /// enough score covering enough of the question) or by the classifier's confidence, unless
    /// the classifier judges that no topic answers it and the words do not plainly say
    /// otherwise; either way, a question that does not say
    /// "zinc" must name something specific to the topic (a condition, a medicine, a product).
    fn confident(&self, query: &index::Query, best: &Ranked, no_match: f32, about_zinc: bool) -> bool {
        // Long messages carry many words no topic needs; a strong score makes up for that.
        let covered =
            best.coverage >= MIN_COVERAGE || (best.words >= STRONG_SCORE && best.coverage >= MIN_COVERAGE / 1.5);
        let by_words = best.words >= MIN_SCORE && covered;
        let by_model = best.model >= MODEL_SURE;
        (by_words || by_model)
            && (no_match < NO_MATCH_AT || best.plainly_covers())
            && (about_zinc || query.terms.iter().any(|t| self.index.is_specific(t, best.topic)))
    }

    /// How retrieval ranked the topics for `question`: the best five with what each signal
    /// gave, and the classifier's probability that no topic answers it. Lets moderators see why
    /// a question landed where it did.
    pub fn explain(&self, question: &str) -> (Vec<(String, Ranked)>, f32) {
        let query = self.index.query(question);
        let (ranked, no_match) = self.rank(question, &query);
        (ranked.into_iter().take(SHOWN).map(|r| (self.topics[r.topic].id.clone(), r)).collect(), no_match)
    }

    /// The share of the query's meaningful words that the topic contains, each weighted by its
    /// rarity across topics, so "lupus" counts for more than "take". Words no topic knows count
    /// against the match.
    fn coverage(&self, query: &index::Query, topic: usize) -> f64 {
        let index = &self.index;
        let words: Vec<&String> = query.terms.iter().filter(|t| !t.contains(' ') && !index.is_stopword(t)).collect();
        // A word no topic knows is often chat filler ("dad", "tube", "week"): it counts a quarter
        // as much as the rarest word.
        let unknown_weight = index.idf("\u{0}unseen") / 4.0;
        let mut total = unknown_weight * query.unknown.len() as f64;
        let mut matched = 0.0;
        for word in words {
            let found = index.contains(word, topic);
            // A typo correction the topic does not contain is as uncertain as an unknown word.
            let guessed = query.corrected.iter().any(|(_, fixed)| fixed == word);
            let weight = if guessed && !found { unknown_weight } else { index.idf(word) };
            total += weight;
            if found {
                matched += weight;
            }
        }
        if total == 0.0 {
            0.0
        } else {
            matched / total
        }
    }

    /// Whether the question names zinc at all, alone or at the start of a compound word
    /// (German "Zinkspiegel", "Zinkmangel").
    fn mentions_zinc(&self, question: &str) -> bool {
        let zinc = &self.lexicon().zinc;
        let compound = |t: &str| zinc.iter().any(|z| z.len() >= COMPOUND_STEM && t.starts_with(z.as_str()));
        text::tokens(question).iter().any(|t| zinc.contains(t) || compound(t))
    }
}

/// What an answer shows of `topic`: the short answer and caveats with their markers numbered
/// in order of first use, and the sources those numbers name.
fn shown(topic: &Topic) -> (String, Vec<String>, Vec<Source>) {
    let texts: Vec<&str> =
        std::iter::once(topic.short_answer.as_str()).chain(topic.caveats.iter().map(String::as_str)).collect();
    let (mut texts, sources) = citations::renumber(&texts, &topic.sources);
    let caveats = texts.split_off(1);
    (texts.remove(0), caveats, sources)
}

/// A reply that is not a topic: a rule's, or one of the standing messages.
fn standing(safety: &Safety, status: AskStatus, rule: Option<&str>, title: &str, text: &str) -> Answer {
    Answer {
        status,
        topic: None,
        title: title.to_string(),
        text: text.to_string(),
        caveats: Vec::new(),
        evidence: None,
        sources: Vec::new(),
        reviewed: None,
        related: Vec::new(),
        disclaimer: safety.disclaimer.clone(),
        note: None,
        rule: rule.map(String::from),
        also: None,
        also_asked: None,
        reason: if rule.is_some() { Reason::SafetyRule } else { Reason::NoMatch },
    }
}
