//! Triage: does a message need urgent guidance, or a polite decline, before anything else?
//!
//! The rules in `safety.toml` are combinations of concepts. A message is folded into a plain
//! form, every concept is located in it word by word, occurrences that are negated ("no
//! swelling", "didn't swallow any") are dropped, and the first rule with a combination whose
//! concepts are all present (close enough together, and none of its excluded concepts present)
//! decides. Urgent rules come first; when a decision is close the rules are written to
//! over-triage, since an unneeded urgent block costs seconds and a missed one can cost a life.
//!
//! When no urgent rule fires, the classifier (see [`crate::classifier`]) may still escalate the
//! message under the urgent category it finds most likely; likewise for declines.

use std::cell::OnceCell;

use crate::content::safety::{Combination, Language, Model, Rule, RuleRef, Safety};
use crate::words::WordPatterns;

/// How far back (in words) a negation reaches: "ive not been taking any iron".
const NEGATION_REACH: usize = 4;
/// Marks a sentence boundary in the match form; nothing reaches across it.
const BOUNDARY: &str = "|";
/// A language needs this many marker words before its replies are used.
const MIN_MARKERS: usize = 2;

/// What triage decided for a message.
#[derive(Debug, Clone, Copy)]
pub enum Triage<'a> {
    /// An urgent rule fired; `language` is set when the message is in another language the
    /// content covers.
    Urgent { rule: &'a Rule, language: Option<&'a Language> },
    /// A decline rule fired.
    Decline { rule: &'a Rule },
}

/// Triage of `message`: the first urgent rule that fires, else the classifier's urgent
/// category, else the first decline rule, else the classifier's decline.
pub fn triage<'a>(safety: &'a Safety, message: &str) -> Option<Triage<'a>> {
    let text = MatchText::new(message);
    let found = Found::new(safety, &text);
    let urgent = |rule| Some(Triage::Urgent { rule, language: language(safety, &text, &found) });
    if let Some(rule) = safety.urgent.iter().find(|r| found.fires(r)) {
        return urgent(rule);
    }
    let probabilities = safety.model.classifier.probabilities(message);
    if let Some(i) = most_likely(&safety.model, &probabilities, true) {
        return urgent(&safety.urgent[i]);
    }
    if plainly_ordinary(&safety.model, &probabilities) {
        return None;
    }
    let decline = safety.decline.iter().find(|r| found.fires(r));
    let decline = decline.or_else(|| most_likely(&safety.model, &probabilities, false).map(|i| &safety.decline[i]));
    decline.map(|rule| Triage::Decline { rule })
}

/// Whether the classifier is sure enough that the message is an ordinary one to set a decline
/// rule aside (`[model] answer_at`). Urgent rules are never set aside.
fn plainly_ordinary(model: &Model, probabilities: &[f32]) -> bool {
    let ordinary =
        model.rules.iter().zip(probabilities).filter(|(rule, _)| rule.is_none()).map(|(_, &p)| p).sum::<f32>();
    model.answer_at.is_some_and(|at| ordinary >= at)
}

/// The index of the classifier's most likely urgent (or decline) rule, when the urgent (or
/// decline) classes together reach the model's threshold.
fn most_likely(model: &Model, probabilities: &[f32], urgent: bool) -> Option<usize> {
    let threshold = if urgent { model.urgent_at } else { model.decline_at };
    let total: f32 = classes(model, probabilities, urgent).map(|(_, p)| p).sum();
    let best = classes(model, probabilities, urgent).max_by(|a, b| a.1.total_cmp(&b.1)).map(|(rule, _)| rule);
    best.filter(|_| total >= threshold)
}

/// The urgent (or decline) rules the classifier's classes stand for, by index, with their
/// probabilities.
fn classes<'m>(model: &'m Model, probabilities: &'m [f32], urgent: bool) -> impl Iterator<Item = (usize, f32)> + 'm {
    model.rules.iter().zip(probabilities).filter_map(move |(rule, &p)| match (rule, urgent) {
        (Some(RuleRef::Urgent(i)), true) | (Some(RuleRef::Decline(i)), false) => Some((*i, p)),
        _ => None,
    })
}

/// The classifier's view of `message`, for `ask --explain`: each class with its probability,
/// most likely first, and the words that pushed hardest towards the most likely one.
pub fn model_view(safety: &Safety, message: &str) -> (Vec<(String, f32)>, Vec<String>) {
    let classifier = &safety.model.classifier;
    let probabilities = classifier.probabilities(message);
    let mut ranked: Vec<(usize, f32)> = probabilities.iter().copied().enumerate().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    // Words and word pairs say more to a reader than pieces of words.
    let evidence = ranked.first().map_or_else(Vec::new, |&(top, _)| {
        classifier.evidence(message, top).into_iter().map(|(f, _)| f).filter(|f| !f.starts_with('#')).take(6).collect()
    });
    (ranked.into_iter().map(|(c, p)| (classifier.classes[c].clone(), p)).collect(), evidence)
}

/// The concepts found in `message` (after negation), for `ask --explain`: each name with the
/// words it matched, as `name (word, word)`.
pub fn concepts_found(safety: &Safety, message: &str) -> Vec<String> {
    let text = MatchText::new(message);
    let found = Found::new(safety, &text);
    let word = |w: usize| text.text[text.words[w]..].split(' ').next().unwrap_or("");
    (0..safety.concepts.len())
        .filter(|&c| !found.at(c).is_empty())
        .map(|c| {
            let words: Vec<String> = spans(safety, &text, c)
                .into_iter()
                .filter(|&(start, _)| found.at(c).contains(&start))
                .map(|(start, end)| (start..=end).map(word).collect::<Vec<_>>().join(" "))
                .collect();
            format!("{} ({})", safety.concepts[c].name, words.join(", "))
        })
        .collect()
}

/// The rule combinations that hold for `message`, for `ask --explain`, as
/// `rule: first + second - excluded`: every urgent one, then every decline one.
pub fn combinations_holding(safety: &Safety, message: &str) -> Vec<String> {
    let text = MatchText::new(message);
    let found = Found::new(safety, &text);
    let name = |c: &usize| safety.concepts[*c].name.as_str();
    let rules = safety.urgent.iter().chain(&safety.decline);
    rules
        .flat_map(|rule| rule.when.iter().filter(|c| found.satisfies(c, rule.window)).map(move |c| (rule, c)))
        .map(|(rule, c)| {
            let require: Vec<&str> = c.require.iter().map(name).collect();
            let exclude: String = c.exclude.iter().map(|e| format!(" - {}", name(e))).collect();
            format!("{}: {}{exclude}", rule.id, require.join(" + "))
        })
        .collect()
}

/// The message as rules see it: folded to lower case without accents, apostrophes dropped
/// ("don't" reads "dont"), sentence punctuation as a `|` word, everything else that is not a
/// letter or digit as a single space; with the start of each word.
struct MatchText {
    text: String,
    /// Byte offset of each word's start.
    words: Vec<usize>,
}

impl MatchText {
    fn new(message: &str) -> MatchText {
        let folded = crate::text::fold(message).replace('ß', "ss");
        let mut text = String::with_capacity(folded.len() + 2);
        text.push(' ');
        let mut chars = folded.chars().peekable();
        let mut previous = ' ';
        while let Some(c) = chars.next() {
            let next = chars.peek().copied().unwrap_or(' ');
            let piece = match c {
                // French and Portuguese elide: "j'ai", "l'hôpital", "qu'il" read as two words;
                // English contractions ("don't", "i'm", "y'all") read as one.
                '\'' if is_elision(&text) => Some(' '),
                '\'' => None,
                // A decimal point or thousands separator stays inside its number.
                '.' | ',' if previous.is_ascii_digit() && next.is_ascii_digit() => Some('.'),
                '.' | ',' | ';' | ':' | '!' | '?' | '\n' | '(' | ')' => Some('|'),
                c if c.is_alphanumeric() => Some(c),
                _ => Some(' '),
            };
            previous = c;
            match piece {
                None => {}
                Some('|') if !text.ends_with(" | ") => {
                    if !text.ends_with(' ') {
                        text.push(' ');
                    }
                    text.push_str("| ");
                }
                Some('|') => {}
                Some(' ') if !text.ends_with(' ') => text.push(' '),
                Some(' ') => {}
                Some(c) => text.push(c),
            }
        }
        if !text.ends_with(' ') {
            text.push(' ');
        }
        let bytes = text.as_bytes();
        let words = (1..bytes.len()).filter(|&i| bytes[i] != b' ' && bytes[i - 1] == b' ').collect();
        MatchText { text, words }
    }

    /// The index of the word that starts at or contains byte `offset`.
    fn word_at(&self, offset: usize) -> usize {
        self.words.partition_point(|&start| start <= offset).saturating_sub(1)
    }

    fn is_boundary(&self, word: usize) -> bool {
        let start = self.words[word];
        self.text[start..].starts_with(BOUNDARY)
    }
}

/// Whether an apostrophe after the last word of `text` marks an elided French or Portuguese
/// article or pronoun ("j'", "l'", "d'", "qu'") rather than an English contraction.
fn is_elision(text: &str) -> bool {
    let word = text.rsplit(' ').next().unwrap_or("");
    matches!(word, "j" | "l" | "d" | "n" | "s" | "c" | "m" | "t" | "qu" | "jusqu" | "lorsqu" | "puisqu")
}

/// Where each concept occurs in a message, by word index, negated occurrences removed. A
/// concept is located only when a rule first asks for it: most messages settle most rules on
/// their first concept.
struct Found<'a> {
    safety: &'a Safety,
    text: &'a MatchText,
    /// Word index where each negation that counts ends.
    negators: Vec<usize>,
    at: Vec<OnceCell<Vec<usize>>>,
}

impl<'a> Found<'a> {
    fn new(safety: &'a Safety, text: &'a MatchText) -> Found<'a> {
        let exceptions = spans(safety, text, safety.grammar.not_negating);
        // A negation word inside "not sure" or "wont stop" negates nothing.
        let negators = spans(safety, text, safety.grammar.negation)
            .into_iter()
            .filter(|(start, _)| !exceptions.iter().any(|(s, e)| s <= start && start <= e))
            .map(|(_, end)| end)
            .collect();
        Found { safety, text, negators, at: safety.concepts.iter().map(|_| OnceCell::new()).collect() }
    }

    /// The word indexes where `concept` starts, located on first use.
    fn at(&self, concept: usize) -> &[usize] {
        self.at[concept].get_or_init(|| {
            let keep_all = self.safety.never_negated.contains(&concept);
            spans(self.safety, self.text, concept)
                .into_iter()
                .filter(|&(start, _)| keep_all || !self.negated(start))
                .map(|(start, _)| start)
                .collect()
        })
    }

    /// Whether a counted negation ends shortly before word `start`, in the same sentence.
    fn negated(&self, start: usize) -> bool {
        self.negators.iter().any(|&end| {
            end < start && start - end <= NEGATION_REACH && !(end + 1..start).any(|w| self.text.is_boundary(w))
        })
    }

    fn fires(&self, rule: &Rule) -> bool {
        rule.when.iter().any(|c| self.satisfies(c, rule.window))
    }

    /// Whether `combination` holds: an occurrence of its first concept with every required
    /// concept within the window of it (a concept required twice needs two occurrences), and no
    /// excluded concept within the window of any of those occurrences.
    fn satisfies(&self, combination: &Combination, window: Option<usize>) -> bool {
        let near = |at: usize, anchor: usize| window.is_none_or(|w| at.abs_diff(anchor) <= w);
        let Some(&first) = combination.require.first() else { return false };
        self.at(first).iter().any(|&anchor| {
            let mut used = Vec::new();
            for &c in &combination.require {
                let times = combination.require.iter().filter(|&&r| r == c).count();
                let close: Vec<usize> = self.at(c).iter().copied().filter(|&at| near(at, anchor)).collect();
                if close.len() < times {
                    return false;
                }
                used.extend(close);
            }
            !combination.exclude.iter().any(|&c| self.at(c).iter().any(|&at| used.iter().any(|&u| near(at, u))))
        })
    }
}

/// Where `concept` matches in `text`: the first and last word of each match, leaving out a
/// match that starts inside an occurrence of one of the concepts it is `[unless]`ed by.
fn spans(safety: &Safety, text: &MatchText, concept: usize) -> Vec<(usize, usize)> {
    let concept = &safety.concepts[concept];
    let words = |patterns: &WordPatterns| -> Vec<(usize, usize)> {
        patterns
            .find_iter(text.text.as_bytes())
            .into_iter()
            .map(|(start, end)| (text.word_at(start), text.word_at(end.saturating_sub(1))))
            .collect()
    };
    let unless: Vec<(usize, usize)> =
        concept.unless.iter().flat_map(|&u| words(&safety.concepts[u].patterns)).collect();
    let mut found = words(&concept.patterns);
    found.retain(|&(start, _)| !unless.iter().any(|&(from, to)| from <= start && start <= to));
    found
}

/// The language of `message`, when it is one the content covers other than English.
pub fn language_of<'a>(safety: &'a Safety, message: &str) -> Option<&'a Language> {
    let text = MatchText::new(message);
    language(safety, &text, &Found::new(safety, &text))
}

/// The language of the message, when it is one the content has urgent replies in: the one
/// with the most marker words, if it has at least [`MIN_MARKERS`] and more than English.
fn language<'a>(safety: &'a Safety, text: &MatchText, found: &Found) -> Option<&'a Language> {
    let english = found.at(safety.grammar.english).len();
    safety
        .languages
        .iter()
        .map(|l| (l, l.markers.find_iter(text.text.as_bytes()).len()))
        .filter(|&(_, n)| n >= MIN_MARKERS && n > english)
        .max_by_key(|&(_, n)| n)
        .map(|(l, _)| l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_text_folds_apostrophes_and_marks_sentences() {
        let t = MatchText::new("No. She DIDN'T swallow 2.5 mg, ok?");
        assert_eq!(t.text, " no | she didnt swallow 2.5 mg | ok | ");
        assert_eq!(MatchText::new("j'ai l'impression, I'm fine").text, " j ai l impression | im fine ");
        assert_eq!(t.words.len(), 10);
        assert!(t.is_boundary(1));
        assert_eq!(t.word_at(t.text.find("swallow").unwrap() + 3), 4);
    }

    #[test]
    fn match_text_of_nothing_has_no_words() {
        assert!(MatchText::new("").words.is_empty());
        assert!(MatchText::new("🙂🙂").words.is_empty());
    }
}
