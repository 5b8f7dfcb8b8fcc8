//! `zincbot chat`: the bot in a terminal, answering exactly as it does on Discord.

use std::io::{self, BufRead, IsTerminal, Write};

use rustyline::error::ReadlineError;
use rustyline::DefaultEditor;

use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::advisor::{Addressed, Advisor};
use crate::chart;
use crate::config::StoreLocation;
use crate::log::Log;
use crate::render;
use crate::store::Store;

const HELP: &str = "\
Ask a question about zinc (\"is zinc bad for lupus?\", \"zinc and cipro?\") or type what you ate
(\"2 eggs, 100g beef, 1/2 cup lentils, zinc gluconate 50mg\"). Commands:
  /profile [NAME]  show or set the life stage for RDA and upper limit (e.g. adult-female, child-4-8)
  /more            the detail and all sources of the last topic answered
  /log FOODS       estimate a food list and add it to today's log
  /today           today's log and total, with a chart saved as a PNG
  /week            the last seven days, with a chart
  /undo            remove the latest log entry
  /forget          erase the whole log
  /topics          list the topics I can answer from
  /help            this help
  /quit            leave (or Ctrl-D)";

/// Runs the chat loop until `/quit` or end of input. Uses a line editor with history on a
/// terminal, and plain lines otherwise (so it can be scripted). The intake log lives in the store
/// at `location`, opened the first time a log command is typed.
pub fn run(advisor: &Advisor, location: &StoreLocation, keep_days: u32) -> io::Result<()> {
    let mut opened: Option<Box<dyn Store>> = None;
    let mut profile = advisor.estimator().reference.default_profile.clone();
    // The topic of the last answer, for `/more`.
    let mut last_topic: Option<String> = None;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "zincbot: zinc and autoimmunity. Type /help for help, /quit to leave.")?;
    let mut editor = if io::stdin().is_terminal() { DefaultEditor::new().ok() } else { None };
    let mut lines = io::stdin().lock().lines();
    loop {
        let line = match editor.as_mut() {
            Some(editor) => match editor.readline("you> ") {
                Ok(line) => {
                    let _ = editor.add_history_entry(line.as_str());
                    line
                }
                Err(ReadlineError::Interrupted | ReadlineError::Eof) => break,
                Err(e) => return Err(io::Error::other(e)),
            },
            None => match lines.next() {
                Some(line) => line?,
                None => break,
            },
        };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let reply = match line.split_once(' ').map_or((line, ""), |(c, rest)| (c, rest.trim())) {
            ("/quit" | "/exit", _) => break,
            ("/help", _) => HELP.to_string(),
            ("/topics", _) => topics(advisor),
            ("/more", _) => match last_topic.as_deref().and_then(|id| advisor.asker().detail(id)) {
                Some(detail) => render::detail_text(&detail),
                None => "Ask a question first: /more shows the detail of the topic answered.".to_string(),
            },
            ("/profile", "") => format!("profile: {profile}"),
            ("/profile", name) => match advisor.profile(Some(name)) {
                Ok(p) => {
                    profile = p.id.clone();
                    format!("profile set to {} ({})", p.id, p.label)
                }
                Err(e) => e,
            },
            ("/log" | "/today" | "/week" | "/undo" | "/forget", rest) => {
                if opened.is_none() {
                    opened = crate::store::open(location).ok();
                }
                match &opened {
                    Some(opened) => {
                        let log = Log::of(&**opened, "local", TimeZone::system(), keep_days);
                        logbook(advisor, &log, line.split(' ').next().unwrap_or(""), rest, &profile)
                    }
                    None => format!("The log is not available: cannot open {location}"),
                }
            }
            (command, _) if command.starts_with('/') => format!("unknown command {command}; type /help"),
            _ => {
                let (reply, topic) = respond(advisor, line, &profile);
                last_topic = topic.or(last_topic);
                reply
            }
        };
        writeln!(out, "{}\n", reply.trim_end())?;
    }
    Ok(())
}

/// The reply to a chat line, and the topic it answered from, if any.
fn respond(advisor: &Advisor, line: &str, profile: &str) -> (String, Option<String>) {
    let profile = advisor.profile(Some(profile)).unwrap_or_else(|_| advisor.estimator().reference.default());
    let response = advisor.respond(line, profile, Addressed::Directly);
    let mut parts = Vec::new();
    if let Some(answer) = &response.answer {
        parts.push(render::answer_text(answer));
    }
    if let Some(estimate) = &response.estimate {
        parts.push(render::estimate_text(estimate));
    }
    if parts.is_empty() {
        parts.push(HELP.to_string());
    }
    let topic = response.answer.and_then(|a| a.topic);
    (parts.join("\n"), topic)
}

/// A log command's reply; charts are saved as PNG files in the temporary folder.
fn logbook(advisor: &Advisor, log: &Log, command: &str, rest: &str, profile: &str) -> String {
    let estimator = advisor.estimator();
    let profile = advisor.profile(Some(profile)).unwrap_or_else(|_| estimator.reference.default());
    let now = Timestamp::now();
    let reply = match command {
        "/log" if rest.is_empty() => Ok("Type what you ate after /log, for example: /log 2 eggs, toast".to_string()),
        "/log" => log.add(estimator, rest, profile, now).map(|e| format!("{}\nLogged.", render::estimate_text(&e))),
        "/today" => log.today(estimator, profile, now).map(|day| {
            let chart = save_chart(&format!("zincbot-{}.png", day.date), chart::day_png(&day));
            format!("{}{chart}", render::day_text(&day))
        }),
        "/week" => log.week(profile, now).map(|week| {
            let chart = save_chart("zincbot-week.png", chart::week_png(&week));
            format!("{}{chart}", render::week_text(&week))
        }),
        "/undo" => log.undo().map(|removed| match removed {
            Some(entry) => format!("Removed the latest entry: {}", entry.input),
            None => "The log is empty: nothing to undo.".to_string(),
        }),
        _ => log.forget().map(|n| format!("Erased {n} log entries.")),
    };
    reply.unwrap_or_else(|e| e.to_string())
}

/// Saves a chart in the temporary folder; the line saying where, or why not.
fn save_chart(name: &str, png: Result<Vec<u8>, String>) -> String {
    let path = std::env::temp_dir().join(name);
    match png.and_then(|bytes| std::fs::write(&path, bytes).map_err(|e| e.to_string())) {
        Ok(()) => format!("chart: {}\n", path.display()),
        Err(e) => format!("(no chart: {e})\n"),
    }
}

fn topics(advisor: &Advisor) -> String {
    let lines: Vec<String> = advisor.asker().topics.iter().map(|t| format!("  {:<36} {}", t.id, t.title)).collect();
    format!("topics:\n{}", lines.join("\n"))
}
