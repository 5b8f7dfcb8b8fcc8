//! The safety concepts' word patterns match exactly what the regular expression
//! `\b(?:p1|p2|...)\b` matches with the `regex` crate (ASCII classes, on bytes): the matcher is
//! built for start-up speed, and the regex crate is the reference for its meaning.

use std::path::Path;

use proptest::prelude::*;
use regex::bytes::{Regex, RegexBuilder};
use zincbot::words::WordPatterns;

fn reference(patterns: &[impl AsRef<str>]) -> Regex {
    let alternatives: Vec<&str> = patterns.iter().map(AsRef::as_ref).collect();
    RegexBuilder::new(&format!(r"\b(?:{})\b", alternatives.join("|")))
        .unicode(false)
        .size_limit(1 << 28)
        .build()
        .expect("the reference compiles")
}

fn reference_matches(regex: &Regex, text: &str) -> Vec<(usize, usize)> {
    regex.find_iter(text.as_bytes()).map(|m| (m.start(), m.end())).collect()
}

/// Each concept of `content/safety.toml` (and each language's markers), by name.
fn concepts() -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("content/safety.toml")).unwrap();
    let file: toml::Table = toml::from_str(&text).unwrap();
    let strings = |v: &toml::Value| v.as_array().unwrap().iter().map(|e| e.as_str().unwrap().to_string()).collect();
    let mut out: Vec<(String, Vec<String>)> =
        file["concepts"].as_table().unwrap().iter().map(|(name, list)| (name.clone(), strings(list))).collect();
    for language in file["language"].as_array().unwrap() {
        out.push((format!("markers {}", language["code"]), strings(&language["markers"])));
    }
    out
}

/// Every example message the safety classifier is trained on, folded as triage folds it
/// (lower case, no accents, punctuation as spaces).
fn messages() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/safety-examples");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let file: toml::Table = toml::from_str(&text).unwrap();
        for case in file["case"].as_array().unwrap() {
            let folded = zincbot::text::fold(case["text"].as_str().unwrap());
            let words: String = folded.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
            out.push(format!(" {} ", words.split_whitespace().collect::<Vec<_>>().join(" ")));
        }
    }
    out
}

#[test]
fn every_concept_matches_what_its_regular_expression_matches() {
    let messages = messages();
    assert!(messages.len() > 10_000, "{} messages", messages.len());
    let mut searched = 0;
    for (name, patterns) in concepts() {
        let ours = WordPatterns::new(&patterns).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let regex = reference(&patterns);
        for message in &messages {
            assert_eq!(ours.find_iter(message.as_bytes()), reference_matches(&regex, message), "{name} in {message:?}");
            searched += 1;
        }
    }
    assert!(searched > 500_000);
}

/// A pattern from the language, over a small alphabet so that random texts often match.
fn pattern() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        4 => "[ab ]".prop_map(String::from),
        1 => Just(r"\w".to_string()),
        1 => Just(r"\d".to_string()),
        1 => Just(r"\W".to_string()),
        1 => Just("[a1]".to_string()),
        1 => Just("[^a]".to_string()),
        1 => Just(".".to_string()),
    ];
    let leaf = (atom, prop_oneof![6 => Just(""), 1 => Just("?"), 1 => Just("+"), 1 => Just("*"), 1 => Just("{0,2}"), 1 => Just("+?"), 1 => Just("??")])
        .prop_map(|(a, q)| format!("{a}{q}"));
    let sequence = prop::collection::vec(leaf, 1..4).prop_map(|v| v.concat());
    sequence.prop_recursive(3, 12, 3, |inner| {
        (prop::collection::vec(inner.clone(), 1..3), prop_oneof![Just(""), Just("?"), Just("{1,2}"), Just("+")], inner)
            .prop_map(|(alternatives, q, after)| format!("({}){q}{after}", alternatives.join("|")))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn random_patterns_match_as_the_regex_crate_matches(
        patterns in prop::collection::vec(pattern(), 1..4),
        text in "[ab1 _]{0,24}",
    ) {
        // A pattern the language refuses (one that can match nothing, say) is left out; the
        // refusals have their own unit tests.
        if let Ok(ours) = WordPatterns::new(&patterns) {
            prop_assert_eq!(ours.find_iter(text.as_bytes()), reference_matches(&reference(&patterns), &text));
        }
    }
}
