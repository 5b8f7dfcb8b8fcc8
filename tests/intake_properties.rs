//! Property tests: whatever text arrives, the estimator answers, never panics, and its totals
//! stay consistent with its items.

use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use zincbot::advisor::Advisor;
use zincbot::intake::{Estimator, Status};

fn estimator() -> &'static Estimator {
    static ADVISOR: OnceLock<Advisor> = OnceLock::new();
    ADVISOR
        .get_or_init(|| Advisor::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content")).expect("content loads"))
        .estimator()
}

/// Pieces that exercise the parser's corners: numbers, fractions, units, connectors, markup.
const PIECES: &[&str] = &[
    "2",
    "½",
    "1/2",
    "1 1/2",
    "0",
    "-3",
    "1e9",
    "99999999999999999999",
    "1.5",
    "1,5",
    "x",
    "x2",
    "2x",
    "g",
    "kg",
    "mg",
    "cup",
    "tbsp",
    "handful",
    "slice",
    "large",
    "a",
    "half",
    "dozen",
    "couple",
    "few",
    "and",
    "with",
    "&",
    ",",
    "\n",
    ";",
    "+",
    "-",
    ".",
    "(",
    ")",
    "egg",
    "eggs",
    "beef",
    "lentils",
    "zinc",
    "gluconate",
    "sulfate",
    "multivitamin",
    "lozenge",
    "oyster",
    "sauce",
    "peanut",
    "butter",
    "chiken",
    "qzxv",
    "@everyone",
    "<@123>",
    "```",
    "😀",
    "é",
    "ß",
    "İ",
    "\u{200b}",
    "\u{202e}",
    "🇬🇧",
    "to",
    "or",
    "2-3",
    "80/20",
    "elemental",
];

fn soup(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..max).prop_map(|parts| parts.join(" "))
}

fn check(text: &str) {
    let engine = estimator();
    let e = engine.estimate(text, engine.reference.default());
    let food: f64 = e.items.iter().filter(|i| i.counted).map(|i| i.zinc_mg).sum();
    let supplements: f64 = e.supplements.iter().filter(|s| s.counted).map(|s| s.elemental_zinc_mg).sum();
    assert!(e.total_zinc_mg.is_finite() && e.total_zinc_mg >= 0.0, "{text:?}");
    assert!((e.food_zinc_mg - food).abs() < 0.01 * e.items.len() as f64 + 0.01, "{text:?}");
    assert!((e.supplement_zinc_mg - supplements).abs() < 0.01 * e.supplements.len() as f64 + 0.01, "{text:?}");
    for item in &e.items {
        assert!(item.grams.is_finite() && item.grams >= 0.0, "{text:?}: {item:?}");
    }
    if e.status == Status::Ok {
        assert!(!e.items.is_empty() || !e.supplements.is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_text_gets_an_answer(text in "\\PC{0,400}") {
        check(&text);
    }

    #[test]
    fn food_list_soup_gets_a_consistent_answer(text in soup(200)) {
        check(&text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn inputs_up_to_100_kb_are_answered(text in soup(25_000)) {
        let text: String = text.chars().take(100_000).collect();
        check(&text);
    }

    #[test]
    fn arbitrary_unicode_up_to_100_kb_is_answered(text in "\\PC{20000,25000}") {
        check(&text);
    }
}
