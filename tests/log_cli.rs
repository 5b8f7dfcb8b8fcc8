//! `zincbot log` as its contract states: add, today, week, undo and forget over a store file,
//! with the JSON shapes scripts rely on and the charts written as PNG files.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// Runs `zincbot log --store <store> <args>` in the project folder, in New York time.
fn log(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zincbot"))
        .arg("log")
        .arg("--store")
        .arg(store)
        .args(args)
        .env("TZ", "America/New_York")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs")
}

fn json(output: &Output) -> Value {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("one JSON object")
}

#[test]
fn add_then_today_gives_the_entries_and_their_total() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("log.sqlite3");
    let added = log(&store, &["add", "2 eggs, 100g ground beef"]);
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    assert!(String::from_utf8_lossy(&added.stdout).contains("Logged."));
    assert!(log(&store, &["add", "zinc gluconate 50mg"]).status.success());
    let today = json(&log(&store, &["today", "--json"]));
    let entries = today["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    for key in ["at", "input", "total_zinc_mg", "total_copper_mg"] {
        assert!(entries[0].get(key).is_some(), "{key} in {}", entries[0]);
    }
    assert_eq!(entries[1]["input"], "zinc gluconate 50mg");
    let sum = entries[0]["total_zinc_mg"].as_f64().unwrap() + entries[1]["total_zinc_mg"].as_f64().unwrap();
    assert!((today["total_zinc_mg"].as_f64().unwrap() - sum).abs() < 0.011, "{today}");
    assert_eq!(today["reference"]["ul_mg"], 40.0);
    assert!(today["date"].as_str().unwrap().len() == 10);
    // 50 mg of supplements is over the adult upper limit of 40 mg.
    let warnings: Vec<&str> = today["warnings"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    assert!(warnings.iter().any(|w| w.contains("Supplements alone")), "{warnings:?}");
    // The entry's time is in the local zone.
    let at = entries[0]["at"].as_str().unwrap();
    assert!(at.ends_with("-05:00") || at.ends_with("-04:00"), "{at}");
}

#[test]
fn an_empty_or_unrecognised_list_is_refused_and_not_logged() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("log.sqlite3");
    for text in ["", "   ", "qwzx plorb"] {
        let out = log(&store, &["add", text]);
        assert!(!out.status.success(), "{text:?} was logged");
        assert!(String::from_utf8_lossy(&out.stderr).contains("nothing"), "{text:?}");
    }
    assert_eq!(json(&log(&store, &["today", "--json"]))["entries"].as_array().unwrap().len(), 0);
}

#[test]
fn week_has_seven_days_oldest_first_today_last() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("log.sqlite3");
    assert!(log(&store, &["add", "1 cup lentils"]).status.success());
    let today = json(&log(&store, &["today", "--json"]));
    let week = json(&log(&store, &["week", "--json"]));
    let days = week["days"].as_array().unwrap();
    assert_eq!(days.len(), 7);
    let dates: Vec<&str> = days.iter().map(|d| d["date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    assert_eq!(days[6]["date"], today["date"]);
    assert_eq!(days[6]["total_zinc_mg"], today["total_zinc_mg"]);
    assert!(days[..6].iter().all(|d| d["total_zinc_mg"] == 0.0), "{week}");
}

#[test]
fn undo_removes_the_latest_and_forget_erases_everything() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("log.sqlite3");
    assert!(log(&store, &["add", "2 eggs"]).status.success());
    assert!(log(&store, &["add", "a handful of cashews"]).status.success());
    let undo = log(&store, &["undo"]);
    assert!(String::from_utf8_lossy(&undo.stdout).contains("cashews"));
    let inputs: Vec<String> = json(&log(&store, &["today", "--json"]))["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["input"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(inputs, ["2 eggs"]);
    assert!(log(&store, &["--user", "someone-else", "add", "1 oz pumpkin seeds"]).status.success());
    assert!(log(&store, &["forget"]).status.success());
    assert!(json(&log(&store, &["today", "--json"]))["entries"].as_array().unwrap().is_empty());
    let theirs = json(&log(&store, &["--user", "someone-else", "today", "--json"]));
    assert_eq!(theirs["entries"].as_array().unwrap().len(), 1, "another user's log is kept");
    assert!(String::from_utf8_lossy(&log(&store, &["undo"]).stdout).contains("nothing to undo"));
}

#[test]
fn charts_are_written_as_png_files() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("log.sqlite3");
    assert!(log(&store, &["add", "2 eggs, zinc 25 mg"]).status.success());
    for (what, file) in [("today", "day.png"), ("week", "week.png")] {
        let path = folder.path().join(file);
        let out = log(&store, &[what, "--json", "--chart", path.to_str().unwrap()]);
        json(&out);
        let png = std::fs::read(&path).unwrap();
        assert_eq!(&png[1..4], b"PNG", "{what}");
        let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
        assert!(width >= 800, "{what}: {width} px wide");
    }
    let unwritable = log(&store, &["today", "--chart", "/no/such/folder/day.png"]);
    assert!(!unwritable.status.success());
    assert!(String::from_utf8_lossy(&unwritable.stderr).contains("could not write the chart"));
}
