//! The question set: questions written as community members type them, each with the topic a
//! moderator would link, or "declined" / "urgent". Thresholds: top-1 topic right for at least
//! 92 % of in-scope questions, every urgent one routed urgent, at least 90 % of out-of-scope ones
//! declined, and at most 3 % of in-scope questions wrongly declined.

use std::path::Path;

use serde::Deserialize;
use zincbot::ask::{ask, AskStatus};
use zincbot::content::Library;

#[derive(Deserialize)]
struct Set {
    question: Vec<Question>,
}

#[derive(Deserialize)]
struct Question {
    text: String,
    expect: String,
    #[serde(default)]
    also: Vec<String>,
}

#[test]
fn the_question_set_meets_its_thresholds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let library = Library::load(&root.join("content")).expect("content loads");
    let text =
        std::fs::read_to_string(root.join(std::env::var("QUESTIONS").unwrap_or("tests/data/questions.toml".into())))
            .unwrap();
    let set: Set = toml::from_str(&text).unwrap();
    let (mut in_scope, mut right, mut wrongly_declined) = (0, 0, 0);
    let (mut urgent, mut urgent_right, mut out_of_scope, mut declined) = (0, 0, 0, 0);
    let mut misses = Vec::new();
    for q in &set.question {
        let answer = ask(&library, &q.text);
        let got = answer.topic.clone().unwrap_or_else(|| format!("{:?}", answer.status));
        let ok = match q.expect.as_str() {
            "urgent" => {
                urgent += 1;
                let ok = answer.status == AskStatus::Urgent;
                urgent_right += usize::from(ok);
                ok
            }
            "declined" => {
                out_of_scope += 1;
                let ok = answer.status == AskStatus::Declined;
                declined += usize::from(ok);
                ok
            }
            slug => {
                assert!(library.topic(slug).is_some(), "unknown topic {slug}");
                in_scope += 1;
                let topic = answer.topic.as_deref();
                let ok = topic == Some(slug) || topic.is_some_and(|t| q.also.iter().any(|a| a == t));
                right += usize::from(ok);
                wrongly_declined += usize::from(answer.status == AskStatus::Declined);
                ok
            }
        };
        if !ok {
            misses.push(format!("{:?}: expected {}, got {got}", q.text, q.expect));
        }
    }
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    println!(
        "ask quality: top-1 {right}/{in_scope} ({:.1} %); urgent {urgent_right}/{urgent}; declined {declined}/{out_of_scope} ({:.1} %); in-scope wrongly declined {wrongly_declined} ({:.1} %)",
        pct(right, in_scope),
        pct(declined, out_of_scope),
        pct(wrongly_declined, in_scope)
    );
    for miss in &misses {
        println!("MISS {miss}");
    }
    assert!(in_scope >= 200 && out_of_scope >= 30 && urgent >= 15, "the set is too small");
    assert!(pct(right, in_scope) >= 92.0, "top-1 accuracy below 92 %");
    assert_eq!(urgent_right, urgent, "every urgent question must be routed urgent");
    assert!(pct(declined, out_of_scope) >= 90.0, "fewer than 90 % of out-of-scope questions declined");
    assert!(pct(wrongly_declined, in_scope) <= 3.0, "more than 3 % of in-scope questions declined");
}
