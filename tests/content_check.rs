//! `zincbot check` catches each kind of content error, naming the file and the line, and a
//! broken file is refused whole rather than half loaded.

mod common;

use std::path::Path;

use zincbot::advisor::{Addressed, Advisor};
use zincbot::content::{ContentError, Library};

/// Applies `edit` to `file` in a copy of the content, loads it, and returns the errors.
fn errors_after(name: &str, file: &str, edit: impl Fn(&str) -> String) -> (Vec<ContentError>, String) {
    let dir = common::content_copy(name);
    let path = dir.join(file);
    let before = std::fs::read_to_string(&path).unwrap_or_default();
    let after = edit(&before);
    assert_ne!(before, after, "{name}: the edit changed nothing");
    std::fs::write(&path, &after).unwrap();
    let errors = Library::load(&dir).expect_err(name);
    (errors, after)
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line_containing(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).expect("needle present") + 1
}

/// Asserts exactly one error, in `file` at `line`, whose message contains `message`.
fn assert_one(errors: &[ContentError], file: &str, line: usize, message: &str) {
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    assert!(e.file.ends_with(file), "{e}");
    assert_eq!(e.line, line, "{e}");
    assert!(e.message.contains(message), "{e}");
    assert!(e.to_string().contains(&format!("{file}:{line}:")), "{e}");
}

const TOPIC: &str = "topics/lupus-sle.md";

#[test]
fn the_shipped_content_passes() {
    let library = Library::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content")).unwrap();
    assert_eq!(library.topics.len(), 49);
}

#[test]
fn a_topic_without_front_matter() {
    let (errors, _) = errors_after("no-front", TOPIC, |t| t.replacen("+++\n", "", 1));
    assert_one(&errors, TOPIC, 1, "must start with a `+++` line");
}

#[test]
fn front_matter_left_open() {
    let (errors, _) = errors_after("open-front", TOPIC, |t| {
        let end = t[4..].find("\n+++").unwrap() + 4;
        format!("{}{}", &t[..end], &t[end + 4..])
    });
    assert_one(&errors, TOPIC, 1, "not closed");
}

#[test]
fn bad_toml_is_located() {
    let (errors, text) =
        errors_after("bad-toml", TOPIC, |t| t.replacen("reviewed = \"2026-12-05\"", "reviewed = 2026-12-05-oops", 1));
    assert_one(&errors, TOPIC, line_containing(&text, "reviewed ="), "front matter");
}

#[test]
fn an_unknown_evidence_label() {
    let (errors, text) =
        errors_after("evidence", TOPIC, |t| t.replacen("evidence = \"probable\"", "evidence = \"certain\"", 1));
    assert_one(&errors, TOPIC, line_containing(&text, "evidence ="), "unknown variant");
}

#[test]
fn an_id_that_is_not_the_file_name() {
    let (errors, text) = errors_after("id", TOPIC, |t| t.replacen("id = \"lupus-sle\"", "id = \"lupus\"", 1));
    assert_one(&errors, TOPIC, line_containing(&text, "id = \"lupus\""), "must match the file name");
}

#[test]
fn two_files_with_one_id() {
    let dir = common::content_copy("duplicate");
    let text = std::fs::read_to_string(dir.join(TOPIC)).unwrap();
    std::fs::write(dir.join("topics/lupus-copy.md"), text).unwrap();
    let errors = Library::load(&dir).unwrap_err();
    assert!(errors.iter().any(|e| e.file.ends_with("lupus-copy.md") && e.message.contains("must match the file name")));
}

#[test]
fn a_topic_without_sources() {
    let (errors, text) = errors_after("no-sources", TOPIC, |t| {
        let start = t.find("[[sources]]").unwrap();
        let end = t[4..].find("\n+++").unwrap() + 4;
        format!("{}sources = []\n{}", &t[..start], &t[end + 1..])
    });
    let line = line_containing(&text, "sources = []");
    assert!(errors.iter().any(|e| e.line == line && e.message.contains("cite at least one source")), "{errors:#?}");
    // Every marker then names a source the topic does not have.
    assert!(errors.iter().filter(|e| e.line != line).all(|e| e.message.contains("has no source")), "{errors:#?}");
}

#[test]
fn a_source_without_an_address() {
    let (errors, text) = errors_after("no-url", TOPIC, |t| {
        let start = t.find("url = \"").unwrap() + 7;
        let end = start + t[start..].find('"').unwrap();
        format!("{}a textbook{}", &t[..start], &t[end..])
    });
    assert_one(&errors, TOPIC, line_containing(&text, "url = \"a textbook\""), "needs a web address");
}

#[test]
fn a_short_answer_that_is_too_long() {
    let (errors, text) = errors_after("long", TOPIC, |t| {
        let end = t[4..].find("\n+++\n").unwrap() + 4 + 5;
        format!("{}{} {}", &t[..end], "Zinc [1]. ".repeat(70), &t[end..])
    });
    assert_one(&errors, TOPIC, line_containing(&text, "Zinc [1]. Zinc [1]."), "keep it to 600");
}

#[test]
fn a_missing_short_answer() {
    let (errors, _) = errors_after("no-short", TOPIC, |t| {
        let end = t[4..].find("\n+++\n").unwrap() + 4 + 5;
        let first_section = end + t[end..].find("## ").unwrap();
        format!("{}{}", &t[..end], &t[first_section..])
    });
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].message.contains("short answer") && errors[0].message.contains("missing"), "{errors:?}");
}

#[test]
fn a_related_topic_that_does_not_exist() {
    let (errors, text) =
        errors_after("related", TOPIC, |t| t.replacen("related = [\"", "related = [\"no-such-topic\", \"", 1));
    assert_one(&errors, TOPIC, line_containing(&text, "related = ["), "\"no-such-topic\" does not exist");
}

#[test]
fn a_safety_concept_entry_that_does_not_compile() {
    let (errors, text) = errors_after("regex", "safety.toml", |t| t.replacen("'suicid\\w*',", "'suicid(\\w*',", 1));
    assert_one(&errors, "safety.toml", line_containing(&text, "'suicid(\\w*'"), "does not compile");
}

#[test]
fn a_safety_rule_naming_an_unknown_concept() {
    let (errors, text) = errors_after("unknown-concept", "safety.toml", |t| {
        t.replacen("\"farewell + finality - recovered\",", "\"farewell + wishes\",", 1)
    });
    assert_one(&errors, "safety.toml", line_containing(&text, "farewell + wishes"), "unknown concept \"wishes\"");
}

#[test]
fn an_urgent_rule_without_a_kind() {
    let (errors, text) = errors_after("no-kind", "safety.toml", |t| t.replacen("kind = \"crisis\"\n", "", 1));
    assert_one(&errors, "safety.toml", line_containing(&text, "id = \"crisis\""), "needs a kind");
}

#[test]
fn the_negation_concept_is_required() {
    let (errors, _) =
        errors_after("no-negation", "safety.toml", |t| t.replacen("\nnegation = [", "\nnegations = [", 1));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].message.contains("concept negation is required"), "{errors:?}");
}

#[test]
fn a_never_negated_concept_that_does_not_exist() {
    let (errors, text) = errors_after("never-negated", "safety.toml", |t| {
        t.replacen("never_negated = [", "never_negated = [\"nobody\", ", 1)
    });
    assert_one(&errors, "safety.toml", line_containing(&text, "never_negated = ["), "unknown concept \"nobody\"");
}

#[test]
fn an_unless_naming_a_concept_that_does_not_exist() {
    let (errors, text) = errors_after("unless-unknown", "safety.toml", |t| {
        t.replacen("stroke = [\"aunt\"]", "stroke = [\"auntie\"]", 1)
    });
    assert_one(&errors, "safety.toml", line_containing(&text, "stroke = [\"auntie\"]"), "unknown concept \"auntie\"");
}

#[test]
fn a_safety_rule_pointing_at_a_missing_topic() {
    let (errors, text) = errors_after("safety-related", "safety.toml", |t| {
        t.replacen("related = [\"overdose-emergency\", \"children-zinc\"]", "related = [\"overdose\"]", 1)
    });
    assert_one(&errors, "safety.toml", line_containing(&text, "related = [\"overdose\"]"), "does not exist");
}

#[test]
fn a_safety_example_edited_after_training() {
    let (errors, _) = errors_after("stale-model", "safety-examples/writer_a.toml", |t| {
        format!("{t}\n[[case]]\ntext = \"new wording\"\nexpect = \"urgent\"\ncategory = \"crisis\"\nlang = \"en\"\n")
    });
    assert_one(&errors, "safety-model.tsv", 0, "run `zincbot train-safety`");
}

#[test]
fn a_safety_model_class_that_is_no_rule() {
    let (errors, text) =
        errors_after("model-class", "safety-model.tsv", |t| t.replacen("\tallergic-reaction\t", "\tallergy\t", 1));
    assert_one(&errors, "safety-model.tsv", line_containing(&text, "classes\t"), "class \"allergy\" is not a rule");
}

#[test]
fn a_question_example_edited_after_training() {
    let (errors, _) = errors_after("stale-topic-model", "question-examples/writer_1.toml", |t| {
        format!("{t}\n[[question]]\ntext = \"new wording\"\nexpect = \"upper-limit\"\n")
    });
    assert_one(&errors, "topic-model.tsv", 0, "run `zincbot train-topics`");
}

#[test]
fn a_topic_model_class_that_is_no_topic() {
    let (errors, text) =
        errors_after("topic-class", "topic-model.tsv", |t| t.replacen("\tvitiligo\t", "\tvitiligos\t", 1));
    assert_one(&errors, "topic-model.tsv", line_containing(&text, "classes\t"), "class \"vitiligos\" is not a topic");
}

#[test]
fn a_safety_model_edited_by_hand() {
    let (errors, text) = errors_after("model-line", "safety-model.tsv", |t| t.replacen("\n#cant\t", "\n#cant\tx", 1));
    assert_one(&errors, "safety-model.tsv", line_containing(&text, "checksum\t"), "run `zincbot train-safety`");
}

#[test]
fn a_safety_model_threshold_out_of_range() {
    let (errors, text) = errors_after("model-threshold", "safety.toml", |t| {
        let line = t.lines().find(|l| l.starts_with("urgent_at = ")).expect("urgent_at is set");
        t.replacen(line, "urgent_at = 7", 1)
    });
    assert_one(&errors, "safety.toml", line_containing(&text, "urgent_at = 7"), "must be between 0 and 1");
}

#[test]
fn a_food_row_with_a_bad_number() {
    let (errors, _) = errors_after("food", "foods.csv", |t| t.replacen(",1.29,0.072,", ",1.2.9,0.072,", 1));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].file.ends_with("foods.csv") && errors[0].message.contains("not a number"), "{errors:?}");
    assert!(errors[0].line > 1);
}

#[test]
fn reference_values_out_of_order() {
    let (errors, text) = errors_after("reference", "reference.toml", |t| t.replacen("ul_mg = 23", "ul_mg = 7", 1));
    let profile = line_containing(&text, "id = \"child-9-13\"");
    let ul = profile + text.lines().skip(profile).position(|l| l.starts_with("ul_mg")).unwrap() + 1;
    assert_one(&errors, "reference.toml", ul, "must be above every rda");
}

#[test]
fn several_errors_are_all_reported() {
    let dir = common::content_copy("several");
    let topic = std::fs::read_to_string(dir.join(TOPIC)).unwrap();
    std::fs::write(dir.join(TOPIC), topic.replacen("related = [\"", "related = [\"nope\", \"", 1)).unwrap();
    let safety = std::fs::read_to_string(dir.join("safety.toml")).unwrap();
    std::fs::write(dir.join("safety.toml"), safety.replacen("'suicid\\w*',", "'suicid(\\w*',", 1)).unwrap();
    let errors = Library::load(&dir).unwrap_err();
    assert_eq!(errors.len(), 2, "{errors:?}");
}

#[test]
fn a_broken_lexicon_is_refused_with_its_line() {
    let (errors, text) =
        errors_after("lexicon-key", "lexicon.toml", |t| t.replacen("\ngeneric = [", "\ngenerics = [", 1));
    assert_one(&errors, "lexicon.toml", line_containing(&text, "generics = ["), "unknown field `generics`");
    let (errors, text) = errors_after("lexicon-type", "lexicon.toml", |t| {
        t.replacen("\nconnectors = [", "\nconnectors = \"and\"\nx = [", 1)
    });
    assert_one(&errors, "lexicon.toml", line_containing(&text, "connectors = \"and\""), "invalid type");
}

#[test]
fn a_brand_no_usda_food_has_is_refused_with_its_line() {
    let (errors, text) =
        errors_after("lexicon-brand", "lexicon.toml", |t| t.replacen("\n\"WENDY'S\" = [", "\n\"WENDYS\" = [", 1));
    assert_one(&errors, "lexicon.toml", line_containing(&text, "\"WENDYS\" = ["), "no USDA description starts with");
}

#[test]
fn a_word_added_to_the_lexicon_changes_what_the_bot_does() {
    let dir = common::content_copy("lexicon-opener");
    let overheard = "tell me about zinc and lupus";
    let reply = |dir: &Path| {
        let advisor = Advisor::load(dir).expect("content loads");
        let profile = advisor.profile(None).unwrap().clone();
        advisor.respond(overheard, &profile, Addressed::Passively).answer
    };
    assert_eq!(reply(&dir), None, "overheard, a statement gets no reply");
    let path = dir.join("lexicon.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("\nquestion_openers = [", "\nquestion_openers = [\"tell\", ", 1)).unwrap();
    let answer = reply(&dir);
    assert_eq!(
        answer.and_then(|a| a.topic).as_deref(),
        Some("lupus-sle"),
        "a message opened by \"tell\" is a question"
    );
}

/// A topic written to the citation rules: every sentence ends with a marker numbering its
/// sources, one caveat, a review date.
const CITED: &str = r#"+++
id = "cited-example"
title = "Zinc, cited"
evidence = "established"
keywords = ["citedexample"]
questions = ["is the citedexample cited"]
reviewed = "2026-12-05"

[[sources]]
title = "NIH ODS: Zinc fact sheet for consumers"
url = "https://ods.od.nih.gov/factsheets/Zinc-Consumer/"

[[sources]]
title = "Institute of Medicine: Dietary Reference Intakes (2001)"
url = "https://doi.org/10.17226/10026"
+++
Zinc is an essential mineral [2]. Adults need 8 to 11 mg a day [1, 2].

## Caveats
- Too much zinc for too long lowers copper [1].

## More
The adult upper limit is 40 mg a day [2].
"#;

const CITED_FILE: &str = "topics/cited-example.md";

/// Loads a content copy holding the cited topic after `edit`, returning the errors.
fn cited_errors(name: &str, edit: impl Fn(&str) -> String) -> (Vec<ContentError>, String) {
    errors_after(name, CITED_FILE, |_| edit(CITED))
}

#[test]
fn a_cited_answer_numbers_its_sources_in_order_of_use() {
    let dir = common::content_copy("cited");
    std::fs::write(dir.join(CITED_FILE), CITED).unwrap();
    let advisor = Advisor::load(&dir).expect("the cited topic loads");
    let answer = advisor.ask("zinc: is the citedexample cited?");
    assert_eq!(answer.topic.as_deref(), Some("cited-example"), "{answer:?}");
    assert_eq!(answer.text, "Zinc is an essential mineral [1]. Adults need 8 to 11 mg a day [1, 2].");
    assert_eq!(answer.caveats, ["Too much zinc for too long lowers copper [2]."]);
    let titles: Vec<&str> = answer.sources.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Institute of Medicine: Dietary Reference Intakes (2001)", "NIH ODS: Zinc fact sheet for consumers"]
    );
    assert_eq!(answer.reviewed.as_deref(), Some("2026-12-05"));
}

#[test]
fn an_uncited_sentence() {
    let (errors, text) = cited_errors("uncited", |t| t.replace("a day [2].", "a day."));
    assert_one(&errors, CITED_FILE, line_containing(&text, "upper limit"), "cites no source");
}

#[test]
fn a_citation_with_no_source() {
    let (errors, text) = cited_errors("no-source", |t| t.replace("lowers copper [1]", "lowers copper [3]"));
    assert_one(&errors, CITED_FILE, line_containing(&text, "lowers copper"), "[3] has no source");
}

#[test]
fn a_source_never_cited() {
    let (errors, text) = cited_errors("never-cited", |t| {
        t.replacen(
            "+++\nZinc",
            "\n[[sources]]\ntitle = \"Unused\"\nurl = \"https://pubmed.ncbi.nlm.nih.gov/1/\"\n+++\nZinc",
            1,
        )
    });
    assert_one(&errors, CITED_FILE, line_containing(&text, "pubmed.ncbi.nlm.nih.gov/1/"), "never cited");
}

#[test]
fn more_than_six_sources_under_one_answer() {
    let (errors, text) = cited_errors("seven", |t| {
        let extra: String = (3..=7)
            .map(|n| format!("\n[[sources]]\ntitle = \"Study {n}\"\nurl = \"https://pubmed.ncbi.nlm.nih.gov/{n}/\"\n"))
            .collect();
        t.replacen("+++\nZinc", &format!("{extra}+++\nZinc"), 1).replace("mineral [2]", "mineral [2, 3, 4, 5, 6, 7]")
    });
    assert_one(&errors, CITED_FILE, line_containing(&text, "Zinc is an essential"), "at most 6");
}

#[test]
fn a_cited_topic_without_caveats() {
    let (errors, text) = cited_errors("no-caveats", |t| {
        t.replace("## Caveats\n- Too much zinc for too long lowers copper [1].\n\n", "")
    });
    assert_one(&errors, CITED_FILE, line_containing(&text, "Zinc is an essential"), "## Caveats");
}

#[test]
fn a_source_on_the_never_cite_list() {
    let (errors, text) = cited_errors("mirror", |t| {
        t.replace(
            "https://ods.od.nih.gov/factsheets/Zinc-Consumer/",
            "https://www.scribd.com/document/582903821/maares2016",
        )
    });
    assert_one(&errors, CITED_FILE, line_containing(&text, "scribd"), "never cited: cite the original");
}

#[test]
fn a_review_date_that_is_no_date() {
    let (errors, text) = cited_errors("no-date", |t| t.replace("2026-12-05", "last week"));
    assert_one(&errors, CITED_FILE, line_containing(&text, "id = "), "YYYY-MM-DD");
}

#[test]
fn a_broken_never_cite_list_is_reported_with_the_rest() {
    let (errors, text) = errors_after("never-cite", "never-cite.toml", |t| t.replacen("hosts = [", "hostz = [", 1));
    assert_one(&errors, "never-cite.toml", line_containing(&text, "hostz"), "unknown field");
}
