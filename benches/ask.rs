//! Question answering speed: safety triage alone, whole answers over the real content, over a
//! synthetic knowledge base of 10,000 sections, and loading and indexing `content/`.

use std::path::Path;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use zincbot::ask::index::TopicIndex;
use zincbot::ask::triage::triage;
use zincbot::ask::Asker;
use zincbot::content::topics::{Evidence, Route, Section, Source, Topic};

const QUESTIONS: &[&str] = &[
    "is zinc bad for lupus?",
    "how much zinc is too much",
    "zinc and cipro?",
    "my ZnT8 antibodies were positive, am I zinc deficient?",
    "gluconate vs picolinate",
    "does zinc mess with copper",
    "can zinc help my RA",
    "whats the best crypto",
    "im so done with this disease. ive got a full bottle of zinc and my mtx lined up on the desk and honestly i dont see the point of tomorrow",
    "my 18 month old was playing with my pill organizer and the zinc compartments for wed-sat are empty",
    "took a new zinc supplement 20 min ago and now my lips and tongue are swelling and my throat feels tight",
    "mi hijo se tomo todas mis pastillas de zinc",
];

/// A deterministic pseudo-random word list: 5,000 made-up words.
fn vocabulary() -> Vec<String> {
    let syllables = ["zi", "nc", "lu", "pus", "ra", "thy", "roid", "co", "pper", "mag", "ne", "sium", "im", "mu", "ne"];
    let mut state: u64 = 42;
    let mut next = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    (0..5000)
        .map(|_| {
            (0..2 + next() % 3).map(|_| syllables[next() % syllables.len()]).collect::<String>()
                + &next().to_string()[..2]
        })
        .collect()
}

/// 1,000 topics of 10 sections each: 10,000 sections of 60 words.
fn synthetic_topics() -> Vec<Topic> {
    let words = vocabulary();
    let mut state: u64 = 7;
    let mut pick = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        words[(state >> 33) as usize % words.len()].clone()
    };
    let mut text = |n: usize| (0..n).map(|_| pick()).collect::<Vec<_>>().join(" ");
    (0..1000)
        .map(|i| Topic {
            id: format!("topic-{i}"),
            title: text(5),
            evidence: Evidence::Probable,
            keywords: (0..8).map(|_| text(2)).collect(),
            questions: (0..5).map(|_| text(8)).collect(),
            related: Vec::new(),
            facts: Vec::new(),
            reviewed: "2026-11-26".into(),
            route: Route::Answer,
            sources: vec![Source { title: "synthetic".into(), url: "https://example.org".into() }],
            short_answer: text(60),
            caveats: Vec::new(),
            sections: (0..10).map(|_| Section { heading: text(4), body: text(60) }).collect(),
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let asker = Asker::load(&content).expect("content loads");
    let mut k = 0;
    c.bench_function("triage a message (rules, then the safety model)", |b| {
        b.iter(|| {
            k = (k + 1) % QUESTIONS.len();
            triage(&asker.safety, black_box(QUESTIONS[k])).is_some()
        })
    });
    let mut m = 0;
    let classifier = &asker.safety.model.classifier;
    c.bench_function("classify a message (the safety model alone)", |b| {
        b.iter(|| {
            m = (m + 1) % QUESTIONS.len();
            classifier.probabilities(black_box(QUESTIONS[m]))
        })
    });
    let long = QUESTIONS.concat().repeat(8);
    c.bench_function("triage a 5 KB message", |b| b.iter(|| triage(&asker.safety, black_box(&long)).is_some()));

    let mut i = 0;
    c.bench_function("answer a question over the real content", |b| {
        b.iter(|| {
            i = (i + 1) % QUESTIONS.len();
            asker.ask(black_box(QUESTIONS[i]))
        })
    });

    let topics = synthetic_topics();
    let index = TopicIndex::build(&topics, asker.lexicon().clone());
    let probe: Vec<String> =
        (0..50).map(|t| format!("{} {}", topics[t * 20].title, topics[t * 20].keywords[0])).collect();
    let mut j = 0;
    c.bench_function("rank a question over 10,000 synthetic sections", |b| {
        b.iter(|| {
            j = (j + 1) % probe.len();
            let query = index.query(black_box(&probe[j]));
            index.search(&query, 4)
        })
    });

    c.bench_function("load and index what answering needs", |b| b.iter(|| Asker::load(black_box(&content)).unwrap()));
}

criterion_group!(ask_benches, benches);
criterion_main!(ask_benches);
