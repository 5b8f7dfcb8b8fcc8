//! The command line as people and scripts use it: `intake`, `check`, `import-foods`.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn zincbot(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zincbot")).args(args).current_dir(root()).output().expect("runs")
}

fn zincbot_stdin(args: &[&str], input: &str) -> Output {
    zincbot_bytes(args, input.as_bytes())
}

fn zincbot_bytes(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zincbot"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn intake_json_prints_one_object() {
    let out = zincbot(&["intake", "--json", "2 eggs, 100g beef, zinc gluconate 50mg"]);
    assert!(out.status.success());
    let value: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(value["status"], "ok");
    assert_eq!(value["items"].as_array().unwrap().len(), 2);
    assert_eq!(value["supplements"][0]["elemental_zinc_mg"], 50.0);
    assert_eq!(value["reference"]["profile"], "adult");
}

#[test]
fn intake_json_exits_zero_whatever_the_input() {
    for input in ["", "qzxv", "10000 eggs", "\u{1}\u{7f}", "2 eggs -1"] {
        let out = zincbot(&["intake", "--json", input]);
        assert!(out.status.success(), "{input:?}");
        let value: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
        assert!(value["status"].is_string());
    }
}

#[test]
fn intake_reads_json_lines_from_stdin() {
    let out = zincbot_stdin(&["intake", "--json", "--profile", "adult-female", "-"], "2 eggs\n\n100g beef\nblorp\n");
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let statuses: Vec<&str> = lines.iter().map(|v| v["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["ok", "empty", "ok", "nothing_recognized"]);
    assert_eq!(lines[0]["reference"]["rda_mg"], 8.0);
}

#[test]
fn intake_prints_a_readable_table() {
    let out = zincbot(&["intake", "2 eggs, ½ cup lentils, blorp"]);
    let text = stdout(&out);
    assert!(text.contains("grams"), "{text}");
    assert!(text.contains("(01123)"), "{text}");
    assert!(text.contains("not recognised"), "{text}");
    assert!(text.contains("RDA"), "{text}");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(zincbot(&["intake", "--profile", "martian", "2 eggs"]).status.code(), Some(2));
    assert_eq!(zincbot(&["intake"]).status.code(), Some(2));
    assert_eq!(zincbot(&["no-such-command"]).status.code(), Some(2));
    let missing = zincbot(&["--config", "/nonexistent/zincbot.toml", "check"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn check_passes_on_the_shipped_content() {
    let out = zincbot(&["check"]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains("ok"));
}

#[test]
fn check_names_file_and_line_of_each_error() {
    let dir = common::content_copy("broken");
    let reference = std::fs::read_to_string(dir.join("reference.toml")).unwrap();
    let broken = reference.replacen("ul_mg = 12", "ul_mg = 2", 1);
    std::fs::write(dir.join("reference.toml"), &broken).unwrap();
    let foods = std::fs::read_to_string(dir.join("foods.csv")).unwrap();
    let mut lines: Vec<&str> = foods.lines().collect();
    let bad_row = lines[5].replacen(",", ",x", 3);
    lines[5] = &bad_row;
    std::fs::write(dir.join("foods.csv"), lines.join("\n") + "\n").unwrap();

    let out = zincbot(&["--content", dir.to_str().unwrap(), "check"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let ul_line = broken.lines().position(|l| l == "ul_mg = 2").unwrap() + 1;
    assert!(text.contains(&format!("reference.toml:{ul_line}:")), "{text}");
    assert!(text.contains("foods.csv:6:"), "{text}");
}

#[test]
fn intake_with_broken_content_fails_clearly() {
    let dir = common::content_copy("syntax");
    std::fs::write(dir.join("supplements.toml"), "salt_weight_above_mg = [\n").unwrap();
    let out = zincbot(&["--content", dir.to_str().unwrap(), "intake", "2 eggs"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("supplements.toml:"), "{err}");
}

#[test]
fn import_foods_reproduces_the_committed_tables() {
    let out = zincbot(&["import-foods", "--verify"]);
    assert!(out.status.success(), "{}{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
}

#[test]
fn train_safety_learns_new_wordings_from_the_examples() {
    let dir = common::content_copy("train");
    let examples = dir.join("safety-examples");
    std::fs::remove_dir_all(&examples).unwrap();
    std::fs::create_dir(&examples).unwrap();
    // A code phrase no rule knows, taught as a crisis, beside ordinary zinc questions.
    let mut set = String::new();
    let cases = [
        ("the blue heron is coming for me tonight", "urgent", "crisis"),
        ("blue heron time, goodnight", "urgent", "crisis"),
        ("i can hear the blue heron again", "urgent", "crisis"),
        ("the heron is here", "urgent", "crisis"),
        ("is zinc ok with lupus", "ordinary", "ordinary"),
        ("how much zinc is in beef", "ordinary", "ordinary"),
        ("zinc and tea at breakfast?", "ordinary", "ordinary"),
        ("does zinc help colds", "ordinary", "ordinary"),
        ("saw a heron at the lake, anyway zinc for kids?", "ordinary", "ordinary"),
    ];
    for (text, expect, category) in cases {
        set.push_str(&format!(
            "[[case]]\ntext = {text:?}\nexpect = {expect:?}\ncategory = {category:?}\nlang = \"en\"\n\n"
        ));
    }
    std::fs::write(examples.join("taught.toml"), set).unwrap();
    let content = dir.to_str().unwrap();

    let stale = zincbot(&["--content", content, "check"]);
    assert_eq!(stale.status.code(), Some(1));
    assert!(stdout(&stale).contains("run `zincbot train-safety`"), "{}", stdout(&stale));

    let trained = zincbot(&["--content", content, "train-safety"]);
    assert!(trained.status.success(), "{}{}", stdout(&trained), String::from_utf8_lossy(&trained.stderr));
    assert!(stdout(&trained).contains("wrote") && stdout(&trained).contains(": ok"), "{}", stdout(&trained));
    let model = std::fs::read_to_string(dir.join("safety-model.tsv")).unwrap();
    assert!(model.contains("\nclasses\tordinary\tcrisis\n"), "{model}");

    let ask = |q: &str| -> serde_json::Value {
        serde_json::from_slice(&zincbot(&["--content", content, "ask", "--json", q]).stdout).unwrap()
    };
    let taught = ask("the blue heron is coming");
    assert_eq!(taught["status"], "urgent", "{taught}");
    assert_eq!(taught["rule"], "crisis");
    assert_ne!(ask("is zinc ok with lupus")["status"], "urgent");

    // A category that is no rule is refused by name.
    let bad = "[[case]]\ntext = \"x\"\nexpect = \"urgent\"\ncategory = \"alergy\"\nlang = \"en\"\n";
    std::fs::write(examples.join("bad.toml"), bad).unwrap();
    let refused = zincbot(&["--content", content, "train-safety"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stdout(&refused).contains("class \"alergy\" is not a rule"), "{}", stdout(&refused));
}

#[test]
fn the_example_config_is_valid() {
    let out = zincbot(&["--config", "config.example.toml", "check"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn ask_json_prints_the_contract() {
    let out = zincbot(&["ask", "--json", "zinc and cipro?"]);
    assert!(out.status.success());
    let value: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(value["status"], "answered");
    assert_eq!(value["topic"], "interaction-antibiotics");
    assert!(value["sources"].as_array().is_some_and(|s| !s.is_empty()));
}

#[test]
fn ask_reads_json_lines_from_stdin() {
    let input = "is zinc bad for lupus?\nmy toddler swallowed my zinc pills\nhow much vitamin d should i take\n\n";
    let out = zincbot_stdin(&["ask", "--json", "-"], input);
    assert!(out.status.success());
    let statuses: Vec<String> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["status"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(statuses, ["answered", "urgent", "declined", "declined"]);
}

#[test]
fn ask_gives_every_line_a_status_whatever_it_holds() {
    let mut input = Vec::new();
    input.extend_from_slice(b"\n");
    input.extend_from_slice("🙂🙂🙂\n".as_bytes());
    // Not valid UTF-8, and still someone in crisis: it is read, not dropped.
    input.extend_from_slice(b"\xff\xfe i dont want to be here anymore \xc3\n");
    input.extend_from_slice(&b"zinc ".repeat(20_000));
    input.extend_from_slice(b"\r\nhow much is too much\n");
    let out = zincbot_bytes(&["ask", "--json", "-"], &input);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let replies: Vec<serde_json::Value> =
        stdout(&out).lines().map(|l| serde_json::from_str(l).expect("one JSON object a line")).collect();
    let statuses: Vec<&str> = replies.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses.len(), 5, "{statuses:?}");
    assert_eq!(statuses[2], "urgent");
    assert_eq!(replies[2]["rule"], "crisis");
    assert_eq!(statuses[4], "answered");
}

#[test]
fn ask_explain_shows_the_ranking() {
    let out = zincbot(&["ask", "--explain", "zinc and lupus"]);
    let text = stdout(&out);
    let mut lines = text.lines();
    assert!(lines.next().unwrap().starts_with("safety concepts:"), "{text}");
    assert_eq!(lines.next().unwrap(), "safety rules: none", "{text}");
    assert!(lines.next().unwrap().starts_with("safety model: ordinary"), "{text}");
    assert!(lines.next().unwrap().starts_with("topic model: no topic answers it 0.0"), "{text}");
    let best = lines.next().unwrap();
    assert!(best.starts_with("lupus-sle") && best.contains("words") && best.contains("coverage"), "{text}");
    assert!(best.contains("topic model 0.9") || best.contains("topic model 1.00"), "{text}");
}

#[test]
fn ask_explain_shows_the_words_and_the_rule_behind_an_escalation() {
    let out = zincbot(&["ask", "--explain", "my toddler swallowed a handful of zinc tablets"]);
    let text = stdout(&out);
    let concepts = text.lines().next().unwrap();
    assert!(concepts.contains("ingest (swallowed)"), "{text}");
    let rules = text.lines().nth(1).unwrap();
    assert!(rules.starts_with("safety rules: child-ingestion: dependent + "), "{text}");
}

#[test]
fn chat_answers_questions_and_food_lists_until_quit() {
    let input = "/help\n/more\nis zinc bad for lupus?\n2 eggs, 100g beef\n/more\n/profile child-4-8\n2 eggs\n/profile martian\n/quit\nnever read\n";
    let out = zincbot_stdin(&["chat"], input);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("/quit"), "help is shown");
    assert!(text.contains("Zinc and lupus"), "{text}");
    assert!(text.contains("Ask a question first"), "/more before any answer: {text}");
    assert!(text.contains("Zinc and lupus (SLE): more detail"), "/more after the lupus answer: {text}");
    assert!(text.contains("(01123)"), "{text}");
    assert!(text.contains("profile set to child-4-8"), "{text}");
    assert!(text.contains("RDA for children 4-8"), "{text}");
    assert!(text.contains("unknown profile \"martian\""), "{text}");
    assert!(!text.contains("never read"));
}

#[test]
fn chat_keeps_a_log_in_the_configured_store() {
    let folder = tempfile::tempdir().unwrap();
    let config = folder.path().join("config.toml");
    let store = folder.path().join("chat.sqlite3");
    std::fs::write(&config, format!("[store]\npath = {:?}\n", store.display().to_string())).unwrap();
    let input = "/today\n/log 2 eggs, 100g beef\n/log qwzx\n/today\n/undo\n/undo\n/quit\n";
    let out = zincbot_stdin(&["--config", config.to_str().unwrap(), "chat"], input);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("nothing logged yet today"), "{text}");
    assert!(text.contains("Logged."), "{text}");
    assert!(text.contains("nothing was recognised, so nothing was logged"), "{text}");
    assert!(text.contains("mg  2 eggs, 100g beef"), "the entry is listed: {text}");
    let chart = text.lines().find_map(|l| l.strip_prefix("chart: ")).expect("a chart path");
    assert_eq!(&std::fs::read(chart).unwrap()[1..4], b"PNG");
    assert!(text.contains("Removed the latest entry: 2 eggs, 100g beef"), "{text}");
    assert!(text.contains("nothing to undo"), "{text}");
    assert!(store.exists());
}

#[test]
fn run_without_a_token_or_with_a_bad_config_says_so_in_one_line() {
    let out = Command::new(env!("CARGO_BIN_EXE_zincbot"))
        .args(["--config", "config.example.toml", "run"])
        .env_remove("DISCORD_TOKEN")
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("DISCORD_TOKEN"), "{err}");

    let folder = tempfile::tempdir().unwrap();
    let bad = folder.path().join("bad.toml");
    std::fs::write(&bad, "[discord]\nguild_ids = \"everywhere\"\n").unwrap();
    let out = zincbot(&["--config", bad.to_str().unwrap(), "run"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(":2:"), "the line is named: {err}");
}

#[test]
fn train_topics_learns_what_new_questions_ask() {
    let dir = common::content_copy("train-topics");
    let content = dir.to_str().unwrap();
    let asked = |q: &str| -> serde_json::Value {
        serde_json::from_slice(&zincbot(&["--content", content, "ask", "--json", q]).stdout).unwrap()
    };
    assert_eq!(asked("quorvex zinc?")["status"], "no_match", "the shipped model does not know the name");
    let examples = dir.join("question-examples");
    std::fs::remove_dir_all(&examples).unwrap();
    std::fs::create_dir(&examples).unwrap();
    // A made-up product name, taught as a question about supplement forms.
    let mut set = String::new();
    for text in [
        "is quorvex a good kind of zinc",
        "quorvex zinc vs gluconate",
        "which is better, quorvex or picolinate",
        "does quorvex absorb well",
    ] {
        set.push_str(&format!("[[question]]\ntext = {text:?}\nexpect = \"supplement-forms\"\n\n"));
    }
    std::fs::write(examples.join("taught.toml"), set).unwrap();
    let stale = zincbot(&["--content", content, "check"]);
    assert_eq!(stale.status.code(), Some(1));
    assert!(stdout(&stale).contains("run `zincbot train-topics`"), "{}", stdout(&stale));
    // A one-shot `ask` does not read the examples: it answers with the model as trained.
    assert_eq!(asked("quorvex zinc?")["status"], "no_match", "answered with the shipped model");

    let trained = zincbot(&["--content", content, "train-topics"]);
    assert!(trained.status.success(), "{}{}", stdout(&trained), String::from_utf8_lossy(&trained.stderr));
    assert!(stdout(&trained).contains("wrote") && stdout(&trained).contains(": ok"), "{}", stdout(&trained));
    let answer = asked("quorvex zinc?");
    assert_eq!(answer["topic"], "supplement-forms", "{answer}");

    // A label that is no topic is refused with its file and line.
    std::fs::write(examples.join("bad.toml"), "[[question]]\ntext = \"x\"\nexpect = \"vitiligos\"\n").unwrap();
    let refused = zincbot(&["--content", content, "train-topics"]);
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("bad.toml:3: \"vitiligos\" is not a topic"), "{err}");
}
