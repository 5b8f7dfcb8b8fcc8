//! The questions one message asks: "is zinc ok with cipro? also how much is too much" asks two.
//! The main one is answered; a further one that lands on another topic is offered. Only the
//! pieces that ask count (a question mark, a question word, or "also" before them): "I have
//! coeliac." is context, not a second question.

use crate::content::lexicon::QuestionWords;
use crate::text;

/// A piece shorter than this asks nothing a topic could answer ("is that true").
pub const MIN_WORDS: usize = 3;

/// The pieces of `question` that may each ask something, folded: split at sentence ends, line
/// breaks and the lexicon's question breaks ("also", "btw", "on a separate note").
pub fn parts(lexicon: &QuestionWords, question: &str) -> Vec<String> {
    let folded = text::fold(question);
    let mut out = Vec::new();
    for sentence in folded.split_inclusive(['.', '?', '!', ';', '\n']) {
        let asked = sentence.trim_end().ends_with('?');
        let words = text::words(sentence);
        let mut start = 0;
        let mut i = 0;
        // What follows "also" or "btw" is a further question, however it is phrased.
        let mut broken = false;
        while i < words.len() {
            // "... and is it safe with mtx", "? And what are the signs": "and" before a question
            // word starts a further question.
            let and_asks = words[i] == "and" && words.get(i + 1).is_some_and(|w| lexicon.openers.contains(*w));
            let found = lexicon
                .breaks
                .iter()
                .find(|b| text::starts_with(&words[i..], b))
                .map(Vec::len)
                .or(and_asks.then_some(1));
            match found {
                Some(len) => {
                    push(lexicon, &mut out, &words[start..i], broken);
                    i += len;
                    start = i;
                    broken = true;
                }
                None => i += 1,
            }
        }
        push(lexicon, &mut out, &words[start..], asked || broken);
    }
    out
}

/// Keeps a piece that asks something: ended by a question mark or following a question break
/// (`asked`), or phrased as a question.
fn push(lexicon: &QuestionWords, out: &mut Vec<String>, words: &[&str], asked: bool) {
    let piece = words.join(" ");
    if words.len() >= MIN_WORDS && (asked || is_question(lexicon, &piece)) {
        out.push(piece);
    }
}

/// Whether `text` is phrased as a question: a question mark, a first word that opens one
/// ("is", "how", "can") or a phrase that asks ("anyone know").
pub fn is_question(lexicon: &QuestionWords, text: &str) -> bool {
    let folded = text::fold(text);
    let first = text::words(&folded).first().copied().unwrap_or("");
    folded.contains('?')
        || lexicon.openers.contains(first)
        || lexicon.phrases.iter().any(|phrase| folded.contains(phrase.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::lexicon::shipped;

    #[test]
    fn a_message_splits_at_sentence_ends_and_question_breaks() {
        let lexicon = shipped().questions;
        assert_eq!(
            parts(&lexicon, "I have RA. Is zinc OK with cipro? Also, how much is too much. btw ty"),
            ["is zinc ok with cipro", "how much is too much"]
        );
        assert_eq!(
            parts(&lexicon, "does zinc help UC heal or nah\non a separate note can i take it with mtx"),
            ["does zinc help uc heal or nah", "can i take it with mtx"]
        );
        assert_eq!(parts(&lexicon, "is zinc bad for lupus"), ["is zinc bad for lupus"]);
        assert_eq!(
            parts(&lexicon, "zinc and cipro, do I space them? And what are the signs of low zinc"),
            ["zinc and cipro do i space them", "what are the signs of low zinc"]
        );
        assert_eq!(parts(&lexicon, "and also and another thing"), Vec::<String>::new());
    }
}
