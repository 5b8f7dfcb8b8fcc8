//! The question sets: questions written as community members type them, each with the topic a
//! moderator would link, or "declined" / "urgent".
//!
//! `questions.toml` is the set the content was tuned against; its thresholds are the product's:
//! top-1 topic right for at least 92 % of in-scope questions, every urgent one routed urgent, at
//! least 90 % of out-of-scope ones declined, at most 3 % of in-scope ones wrongly declined.
//! `questions_holdout.toml` and `questions_holdout2.toml` were written separately, without seeing
//! the engine or the other sets, and measure how well that tuning generalises; every urgent
//! question in them must be routed urgent too.

use std::path::Path;

use serde::Deserialize;
use zincbot::ask::{AskStatus, Asker};
use zincbot::content::citations;

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

#[derive(Default)]
struct Figures {
    in_scope: usize,
    right: usize,
    wrongly_declined: usize,
    /// In-scope questions given urgent guidance first (the answer follows it).
    escalated: usize,
    /// In-scope questions whose answer is a right topic, the answer after urgent guidance
    /// included: what the asker reads once past the urgent block.
    answered_right: usize,
    urgent: usize,
    urgent_right: usize,
    out_of_scope: usize,
    declined: usize,
    /// Questions no topic answers, and how many got an honest no-match (or a not-about-zinc
    /// decline) instead of a neighbour's answer.
    unanswerable: usize,
    abstained: usize,
    /// No-match replies, and how many were to questions no topic answers.
    no_matches: usize,
    no_matches_right: usize,
}

fn pct(a: usize, b: usize) -> f64 {
    100.0 * a as f64 / b.max(1) as f64
}

/// Runs the set; prints each miss unless the set is `held_out` (then only its figures).
fn evaluate(file: &str, held_out: bool) -> Figures {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let asker = Asker::load(&root.join("content")).expect("content loads");
    let set: Set = toml::from_str(&std::fs::read_to_string(root.join("tests/data").join(file)).unwrap()).unwrap();
    let mut f = Figures::default();
    let mut misses = Vec::new();
    for q in &set.question {
        let answer = asker.ask(&q.text);
        let ok = match q.expect.as_str() {
            "urgent" => {
                f.urgent += 1;
                let ok = answer.status == AskStatus::Urgent;
                f.urgent_right += usize::from(ok);
                ok
            }
            "declined" => {
                f.out_of_scope += 1;
                let ok = answer.status == AskStatus::Declined;
                f.declined += usize::from(ok);
                ok
            }
            "no_match" => {
                f.unanswerable += 1;
                let ok = matches!(answer.status, AskStatus::NoMatch | AskStatus::Declined);
                f.abstained += usize::from(ok);
                ok
            }
            slug => {
                assert!(asker.topic(slug).is_some(), "unknown topic {slug}");
                f.in_scope += 1;
                let right = |topic: Option<&str>| topic.is_some_and(|t| t == slug || q.also.iter().any(|a| a == t));
                let ok = right(answer.topic.as_deref());
                f.right += usize::from(ok);
                // The topic on what zincbot can't help with is itself a decline: answering a
                // question about that from it is right, not a wrong decline.
                f.wrongly_declined += usize::from(answer.status == AskStatus::Declined && !ok);
                f.escalated += usize::from(answer.status == AskStatus::Urgent);
                let after = answer.also.as_ref().and_then(|a| a.topic.as_deref());
                f.answered_right += usize::from(ok || right(after));
                ok
            }
        };
        if answer.status == AskStatus::NoMatch {
            f.no_matches += 1;
            f.no_matches_right += usize::from(q.expect == "no_match");
        }
        if answer.topic.is_some() {
            let texts = std::iter::once(&answer.text).chain(&answer.caveats);
            let cited = texts.clone().all(|t| citations::uncited(t).is_none());
            let numbered = texts
                .flat_map(|t| citations::markers(t))
                .all(|(_, ns)| ns.iter().all(|&n| n >= 1 && n <= answer.sources.len()));
            let shown = (1..=citations::MAX_SHOWN).contains(&answer.sources.len());
            assert!(cited && numbered && shown, "{:?}: every sentence cites one of 1-6 sources: {answer:#?}", q.text);
        }
        if !ok {
            let got = answer.topic.clone().unwrap_or_else(|| format!("{:?}", answer.status));
            misses.push(format!("{:?}: expected {}, got {got}", q.text, q.expect));
        }
    }
    println!(
        "{file}: top-1 {}/{} ({:.1} %), counting the answer after urgent guidance {}/{} ({:.1} %); urgent {}/{}; declined {}/{} ({:.1} %); in-scope wrongly declined {} ({:.1} %), escalated {} ({:.1} %)",
        f.right,
        f.in_scope,
        pct(f.right, f.in_scope),
        f.answered_right,
        f.in_scope,
        pct(f.answered_right, f.in_scope),
        f.urgent_right,
        f.urgent,
        f.declined,
        f.out_of_scope,
        pct(f.declined, f.out_of_scope),
        f.wrongly_declined,
        pct(f.wrongly_declined, f.in_scope),
        f.escalated,
        pct(f.escalated, f.in_scope)
    );
    if f.unanswerable > 0 {
        println!(
            "{file}: unanswerable questions abstained on {}/{}; no-match replies to unanswerable questions {}/{} (precision {:.1} %)",
            f.abstained,
            f.unanswerable,
            f.no_matches_right,
            f.no_matches,
            pct(f.no_matches_right, f.no_matches)
        );
    }
    if !held_out {
        for miss in &misses {
            println!("MISS {miss}");
        }
    }
    f
}

/// Over every question set, tuned on or held out, and over the held-out ones alone, at most 2 %
/// of in-scope questions get urgent guidance before their answer (the goal for ordinary
/// questions; near misses written to look urgent are measured in `safety_quality.rs`).
#[test]
fn ordinary_questions_are_rarely_escalated() {
    let sets = ["questions.toml", "questions3.toml", "questions_holdout7.toml"];
    let held_out = [
        "questions_holdout.toml",
        "questions_holdout2.toml",
        "questions_holdout3.toml",
        "questions_holdout4.toml",
        "questions_holdout5.toml",
        "questions_holdout6.toml",
        "questions_holdout8.toml",
    ];
    let figures: Vec<Figures> =
        sets.iter().map(|s| evaluate(s, true)).chain(held_out.iter().map(|s| evaluate(s, true))).collect();
    for (which, figures) in [("all", &figures[..]), ("held-out", &figures[sets.len()..])] {
        let escalated: usize = figures.iter().map(|f| f.escalated).sum();
        let in_scope: usize = figures.iter().map(|f| f.in_scope).sum();
        println!("{which} in-scope questions escalated: {escalated}/{in_scope} ({:.2} %)", pct(escalated, in_scope));
        assert!(pct(escalated, in_scope) <= 2.0, "{escalated} of {in_scope} {which} in-scope questions escalated");
    }
}

#[test]
fn the_question_set_meets_its_thresholds() {
    let f = evaluate("questions.toml", false);
    assert!(f.in_scope >= 200 && f.out_of_scope >= 30 && f.urgent >= 15, "the set is too small");
    assert!(pct(f.right, f.in_scope) >= 92.0, "top-1 accuracy below 92 %");
    assert_eq!(f.urgent_right, f.urgent, "every urgent question must be routed urgent");
    assert!(pct(f.declined, f.out_of_scope) >= 90.0, "fewer than 90 % of out-of-scope questions declined");
    assert!(pct(f.wrongly_declined, f.in_scope) <= 3.0, "more than 3 % of in-scope questions declined");
}

#[test]
fn the_held_out_set_routes_every_emergency_and_does_not_regress() {
    let f = evaluate("questions_holdout.toml", false);
    assert_eq!(f.urgent_right, f.urgent, "every urgent question must be routed urgent");
    // Floors a little under the figures measured once the general fixes were in (85.6 %, 88.9 %, 0 %;
    // top-1 93.3 % with the topic classifier trained on ten writers' questions, 90.0 % on fifteen),
    // to catch regressions rather than to tune against.
    assert!(pct(f.right, f.in_scope) >= 88.0, "held-out top-1 accuracy fell below 88 %");
    assert!(pct(f.declined, f.out_of_scope) >= 80.0, "held-out declines fell below 80 %");
    assert!(pct(f.wrongly_declined, f.in_scope) <= 5.0, "held-out wrong declines above 5 %");
}

#[test]
fn the_second_held_out_set_routes_every_emergency() {
    let f = evaluate("questions_holdout2.toml", false);
    assert_eq!(f.urgent_right, f.urgent, "every urgent question must be routed urgent");
    // Floors under the figures first measured on this set (80.0 %, 81.2 %, 0 %; top-1 92.5 % and
    // 90.0 % with the topic classifier trained on ten and on fifteen writers' questions).
    assert!(pct(f.right, f.in_scope) >= 88.0, "held-out top-1 accuracy fell below 88 %");
    assert!(pct(f.declined, f.out_of_scope) >= 75.0, "held-out declines fell below 75 %");
    assert!(pct(f.wrongly_declined, f.in_scope) <= 5.0, "held-out wrong declines above 5 %");
}

/// Questions by two more writers in community style (170 each, with unanswerable ones and some
/// in Spanish, German, French and Portuguese): `questions3.toml` may be tuned on,
/// `questions_holdout3.toml` is held out (only its figures are printed).
#[test]
fn the_third_question_sets() {
    let tuning = evaluate("questions3.toml", false);
    let held_out = evaluate("questions_holdout3.toml", true);
    // Floors under the figures measured (75.5 % and 77.4 % top-1 when first measured; 78.7 % and
    // 79.4 % with the Spanish, German, French and Portuguese words in the lexicon; 80.6 % and
    // 80.6 % once conditions weighed less beside what is asked; 92.3 % and 85.8 % with the topic
    // classifier, 92.9 % and 87.1 % once it learnt from fifteen writers; 2.6 % wrongly declined in
    // each; 98.1 % and 94.2 % once its penalty and thresholds were chosen by leaving writers
    // out), to catch regressions: the goal is 95 %.
    for (f, floor) in [(&tuning, 97.0), (&held_out, 93.0)] {
        assert!(f.in_scope >= 150 && f.unanswerable >= 15, "the set is whole");
        assert!(pct(f.right, f.in_scope) >= floor, "top-1 below {floor} %");
        assert!(pct(f.wrongly_declined, f.in_scope) <= 3.0, "more than 3 % wrongly declined");
    }
}

/// 319 questions (and 24 no topic answers) by two more writers, written when the topic
/// classifier was built, from the same brief as the first ten writers of its training questions
/// but with other personas;
/// held out (only its figures are printed).
#[test]
fn the_fourth_held_out_set() {
    let f = evaluate("questions_holdout4.toml", true);
    assert!(f.in_scope >= 300 && f.unanswerable >= 20, "the set is whole");
    // Floors under the figures measured: top-1 78.1 % before the topic classifier, 90.3 % with it
    // trained on ten writers' questions and 90.9 % on fifteen; abstention on unanswerable
    // questions 7, 17 and 20 of 24; 3.8 % of in-scope questions declined, nearly all by the
    // safety rules (personal doses, diagnoses); top-1 94.7 % once the classifier's penalty and
    // thresholds were chosen by leaving writers out.
    assert!(pct(f.right, f.in_scope) >= 94.0, "top-1 below 94 %");
    assert!(pct(f.abstained, f.unanswerable) >= 60.0, "fewer than 60 % of unanswerable questions abstained on");
    assert!(pct(f.wrongly_declined, f.in_scope) <= 5.0, "more than 5 % wrongly declined");
}

/// 280 questions (and 20 no topic answers) by two more writers (night-shift and hospitality
/// workers; academics, engineers and retired teachers, some in German and French), a third of
/// them mentioning something alarming in passing; written after all the tuning and held out
/// (only its figures are printed).
#[test]
fn the_fifth_held_out_set() {
    // Floors at the figures first measured (top-1 90.4 %, 2.1 % declined, 1.8 % escalated),
    // top-1 raised under 95.0 % once the topic classifier's penalty and thresholds were chosen
    // by leaving writers out.
    check_held_out("questions_holdout5.toml", HeldOutFloors { top1: 94.0, wrongly_declined: 5.0, abstained: 0.0 });
}

/// 280 questions (and 20 no topic answers) by two more writers (rural workers and grandparents
/// with some voice-to-text errors, some in Portuguese and Spanish; meme-y students and young
/// parents stacking questions, some in French and German), held out like the fifth.
#[test]
fn the_sixth_held_out_set() {
    // Floors under the figures first measured: top-1 93.2 %, 1 question declined, 6 escalated
    // (2.1 %), 12 of 20 unanswerable questions abstained on.
    check_held_out("questions_holdout6.toml", HeldOutFloors { top1: 93.0, wrongly_declined: 2.0, abstained: 55.0 });
}

/// 420 questions (and 30 no topic answers) by three more writers (a men's arthritis server in
/// Canada and Australia, some in Québécois French; a South Asian and Middle Eastern diaspora
/// family server, some in Portuguese and Spanish; a carers' and nurses' forum, much of it in
/// German). First measured as a held-out set: top-1 92.1 %, 6 declined, 12 escalated (2.9 %),
/// 17 of 30 unanswerable questions abstained on. Its escalations were then read and the safety
/// concepts tuned on them, and its questions are topic-classifier examples now
/// (`content/question-examples/writer_22.toml` to `writer_24.toml`), so it is a tuning set.
#[test]
fn the_seventh_set() {
    // Floors under the figures once trained on: top-1 96.2 %, 8 declined (1.9 %), 6 escalated,
    // 28 of 30 abstained on.
    check_held_out("questions_holdout7.toml", HeldOutFloors { top1: 96.0, wrongly_declined: 2.0, abstained: 90.0 });
}

/// 280 questions (and 20 no topic answers) by two more writers (a US Midwest and Southern
/// community group of parents, farmers and drivers, some in Spanish; a Nordic, Dutch and Swiss
/// expat server of engineers and researchers, some in German and French), written after
/// `[unless]` and held out.
#[test]
fn the_eighth_held_out_set() {
    // Floors under the figures first measured: top-1 91.4 %, 5 declined (1.8 %), 6 escalated
    // (2.1 %), 18 of 20 unanswerable questions abstained on; top-1 94.3 % once the topic
    // classifier's penalty and thresholds were chosen by leaving writers out.
    check_held_out("questions_holdout8.toml", HeldOutFloors { top1: 94.0, wrongly_declined: 2.0, abstained: 85.0 });
}

/// Two more writers (UK, Irish and Australasian IBD, coeliac, thyroid and T1D forums in English;
/// French and German rheumatology, IBD, psoriasis, MS, coeliac and T1D groups), asked for
/// questions whose condition, medicine, food or person is context while something else is asked.
#[test]
fn the_ninth_held_out_set() {
    // First measured at 216 of 280 (77.1 %); 83.6 % once a weak word score counted for less
    // and the topic classifier learned ten more such writers' files; 90.4 % (253) once its
    // penalty and thresholds were chosen by leaving writers out and it learned five more
    // writers, 90.0 % (252) with four more, 90.4 % (253) with two more: 4 declined (1.4 %), 15
    // of 20 unanswerable questions abstained on. The floors sit under those figures.
    check_held_out("questions_holdout9.toml", HeldOutFloors { top1: 89.5, wrongly_declined: 2.0, abstained: 70.0 });
}

/// Two more writers (a US and UK young adults' IBD, coeliac and type 1 diabetes server with a
/// Spanish- and Portuguese-speaking lupus and RA group; a thyroid, psoriasis and MS group of
/// middle-aged members and carers in Canada, Ireland, India, Nigeria and Germany, some in German
/// and French), written after the topic classifier's penalty and thresholds were chosen by
/// leaving writers out, and held out (only its figures are printed).
#[test]
fn the_tenth_held_out_set() {
    // Floors under the figures first measured: top-1 244 of 270 (90.4 %), 7 declined (2.6 %),
    // 13 escalated (4.8 %), 28 of 30 unanswerable questions abstained on; 243 (90.0 %) once the
    // classifier learned four more writers, 244 with two more.
    check_held_out("questions_holdout10.toml", HeldOutFloors { top1: 89.5, wrongly_declined: 3.0, abstained: 90.0 });
}

/// Two more writers (a French-speaking lupus, RA, vitiligo, T1D, Crohn's and thyroid community in
/// Quebec, West Africa and the Maghreb, mostly in French; wellness-minded members on AIP,
/// carnivore and "gut healing" protocols who read supplement labels), held out.
#[test]
fn the_eleventh_held_out_set() {
    // Floors under the figures first measured: top-1 248 of 270 (91.9 %), 2 declined (0.7 %),
    // 13 escalated (4.8 %), 26 of 30 unanswerable questions abstained on; 247 once the topic
    // classifier learned two more writers.
    check_held_out("questions_holdout11.toml", HeldOutFloors { top1: 91.0, wrongly_declined: 1.5, abstained: 85.0 });
}

/// Two more writers (Black American, Caribbean and Black British members of church- and
/// sorority-rooted lupus, RA and alopecia groups; Spanish and Portuguese members with Filipino and
/// Indian nurses and carers in Spain, Portugal, the UK and the Gulf, half in Spanish or
/// Portuguese). First measured at 246 of 270 (91.1 %), 5 declined, 13 escalated, 27 of 30
/// unanswerable questions abstained on; then the topic classifier learned it (252, 29 of 30).
#[test]
fn the_fourth_question_set() {
    let f = evaluate("questions4.toml", false);
    assert!(pct(f.right, f.in_scope) >= 91.0, "top-1 {} of {}", f.right, f.in_scope);
    assert!(pct(f.abstained, f.unanswerable) >= 85.0, "{} of {} abstained on", f.abstained, f.unanswerable);
}

/// 209 questions in Spanish, Portuguese, French and German by two more writers (a lupus and RA
/// group from Latin America and Iberia with a Crohn's, coeliac and type 1 diabetes parents'
/// forum; a psoriasis and thyroid community of retirees, grandparents, nurses and young adults).
/// First measured at 164 of 209 right (78.5 %); the lexicon's words in those languages were
/// then extended from its misses, so it is a tuning set.
#[test]
fn the_other_language_set() {
    let f = evaluate("questions_languages.toml", false);
    assert!(f.in_scope >= 200, "the set is whole");
    // Floor under the figures after the lexicon was extended, 172 of 209 (82.3 %), and once the
    // topic classifier's penalty and thresholds were chosen by leaving writers out, 191 (91.4 %).
    assert!(pct(f.right, f.in_scope) >= 91.0, "top-1 {} of {}", f.right, f.in_scope);
}

/// What a whole held-out question set must keep, in per cent: top-1 at least, in-scope questions
/// declined at most, unanswerable ones abstained on at least.
struct HeldOutFloors {
    top1: f64,
    wrongly_declined: f64,
    abstained: f64,
}

fn check_held_out(set: &str, floors: HeldOutFloors) {
    let f = evaluate(set, true);
    assert!(f.in_scope >= 250 && f.unanswerable >= 15, "{set} is whole");
    assert!(pct(f.right, f.in_scope) >= floors.top1, "{set}: top-1 below {} %", floors.top1);
    let declined = pct(f.wrongly_declined, f.in_scope);
    assert!(declined <= floors.wrongly_declined, "{set}: more than {} % wrongly declined", floors.wrongly_declined);
    let abstained = pct(f.abstained, f.unanswerable);
    assert!(
        abstained >= floors.abstained,
        "{set}: fewer than {} % of unanswerable questions abstained on",
        floors.abstained
    );
}

#[derive(Deserialize)]
struct TwoPartSet {
    message: Vec<TwoParts>,
}

/// A message asking two things, `first` and `second` in the order asked.
#[derive(Deserialize)]
struct TwoParts {
    text: String,
    first: String,
    second: String,
}

/// (answered from one of the two, answered one and offered the other, offers made, offers of
/// one of the two) over a set of messages that each ask two things.
fn two_part_figures(file: &str) -> (usize, usize, usize, usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let asker = Asker::load(&root.join("content")).expect("content loads");
    let text = std::fs::read_to_string(root.join("tests/data").join(file)).unwrap();
    let set: TwoPartSet = toml::from_str(&text).unwrap();
    let (mut main, mut both, mut offers, mut right) = (0, 0, 0, 0);
    for m in &set.message {
        let answer = asker.ask(&m.text);
        // After an urgent block (when in doubt, both), the ordinary answer follows it.
        let answer = match answer.also {
            Some(also) => *also,
            None => answer,
        };
        let asked = |t: &str| t == m.first || t == m.second;
        let topic = answer.topic.as_deref().filter(|t| asked(t));
        let offered = answer.also_asked.as_ref().map(|o| o.topic.as_str());
        main += usize::from(topic.is_some());
        both += usize::from(topic.is_some() && offered.is_some_and(|o| asked(o) && Some(o) != topic));
        offers += usize::from(offered.is_some());
        right += usize::from(offered.is_some_and(asked));
        if let Some(o) = offered {
            assert_eq!(answer.related.first().map(String::as_str), Some(o), "the offered topic leads `related`");
        }
    }
    println!(
        "{file}: answered one of the two {main}/{}; answered one and offered the other {both}; {offers} offers, {right} of a topic asked",
        set.message.len()
    );
    (main, both, offers, right)
}

/// Messages that ask two things, by two writers (100 each): the main one is answered and the
/// other offered. `questions_multipart.toml` may be tuned on; the held-out set prints figures
/// only. Single questions should rarely get an offer.
#[test]
fn a_second_question_in_a_message_is_offered() {
    // Measured: 91 and 94 answered from one of the two; 61 and 65 with the other offered (none
    // were before); offers right 66 of 74 and 67 of 73.
    for (file, floor) in [("questions_multipart.toml", 58), ("questions_multipart_holdout.toml", 60)] {
        let (main, both, offers, right) = two_part_figures(file);
        assert!(main >= 88 && both >= floor, "{file}: {main} answered, {both} with the other offered");
        assert!(right * 100 >= offers * 85, "{file}: {right} of {offers} offers right");
    }
    // Single questions (the tuning set) with an offer: measured 1 of 385.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let asker = Asker::load(&root.join("content")).expect("content loads");
    let set: Set = toml::from_str(&std::fs::read_to_string(root.join("tests/data/questions.toml")).unwrap()).unwrap();
    let offered = set.question.iter().filter(|q| asker.ask(&q.text).also_asked.is_some()).count();
    assert!(offered * 100 <= set.question.len() * 2, "{offered} single questions got an offer");
}
