//! Reloading the content folder: in this process, and, when the processes of the bot share a
//! PostgreSQL store, in every one of them (see [`crate::store::reloads`]).

use std::sync::{Arc, RwLock};
use std::time::Duration;

use tokio::sync::{broadcast, mpsc};

use crate::advisor::Advisor;
use crate::store::reloads::Notice;
use crate::store::{Answer, Outcome, Reloads};

/// The advisor in use, shared with the task that applies the other processes' reloads.
#[derive(Clone)]
pub struct Current(Arc<RwLock<Arc<Advisor>>>);

impl Current {
    pub fn new(advisor: Advisor) -> Current {
        Current(Arc::new(RwLock::new(Arc::new(advisor))))
    }

    /// The advisor as it is now (a reload does not disturb an answer in progress).
    pub fn get(&self) -> Arc<Advisor> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Loads the content folder again and swaps it in if it loads cleanly. Returns a summary,
    /// or the errors with paths relative to the folder (the host's layout is nobody's business).
    pub async fn reload(&self) -> Result<String, Vec<String>> {
        let dir = self.get().content_dir().to_path_buf();
        let folder = dir.clone();
        let loaded = tokio::task::spawn_blocking(move || Advisor::load(&folder))
            .await
            .map_err(|e| vec![format!("the reload stopped: {e}")])?;
        let advisor = loaded.map_err(|errors| {
            errors
                .iter()
                .map(|e| {
                    format!("{}:{}: {}", e.file.strip_prefix(&dir).unwrap_or(&e.file).display(), e.line, e.message)
                })
                .collect::<Vec<_>>()
        })?;
        let summary = format!(
            "{} topics, {} foods with chat names",
            advisor.asker().topics.len(),
            advisor.estimator().foods.table.curated_count()
        );
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(advisor);
        Ok(summary)
    }
}

/// How long `/reload` waits for the other processes to say they heard it.
pub const ANSWER_WINDOW: Duration = Duration::from_secs(3);

/// How long it waits for a process that heard it to finish reloading.
pub const RELOAD_LIMIT: Duration = Duration::from_secs(60);

/// Reloads shared with the other processes of the bot.
pub struct Shared {
    reloads: Arc<Reloads>,
    outcomes: broadcast::Sender<Outcome>,
}

/// What the other processes answered to one request.
#[derive(Debug, Default)]
pub struct Answers {
    pub reloaded: Vec<String>,
    /// The processes that kept their content, and the errors there.
    pub kept: Vec<(String, Vec<String>)>,
    /// The processes that started but did not finish within [`RELOAD_LIMIT`].
    pub unfinished: Vec<String>,
}

impl Shared {
    /// Starts applying the reloads other processes announce, on the current runtime.
    pub fn start(reloads: Reloads, notices: mpsc::UnboundedReceiver<Notice>, current: Current) -> Shared {
        let reloads = Arc::new(reloads);
        let (outcomes, _) = broadcast::channel(64);
        tokio::spawn(apply(notices, current, reloads.clone(), outcomes.clone()));
        Shared { reloads, outcomes }
    }

    /// Tells the other processes to reload (this one has), and gathers their answers: those
    /// that say within [`ANSWER_WINDOW`] that they heard, until they finish or
    /// [`RELOAD_LIMIT`] passes.
    pub async fn everywhere(&self) -> Result<Answers, crate::store::Error> {
        let mut heard = self.outcomes.subscribe();
        let request = self.reloads.announce().await?;
        let now = tokio::time::Instant::now();
        let mut answers = Answers::default();
        let mut started = Vec::new();
        loop {
            let finished = answers.reloaded.len() + answers.kept.len();
            let deadline = now + if started.len() > finished { RELOAD_LIMIT } else { ANSWER_WINDOW };
            let outcome = match tokio::time::timeout_at(deadline, heard.recv()).await {
                Ok(Ok(outcome)) if outcome.request == request.id => outcome,
                Ok(Ok(_)) | Ok(Err(broadcast::error::RecvError::Lagged(_))) => continue,
                Ok(Err(broadcast::error::RecvError::Closed)) | Err(_) => break,
            };
            match outcome.answer {
                Answer::Started => started.push(outcome.process),
                Answer::Reloaded => answers.reloaded.push(outcome.process),
                Answer::Kept(errors) => answers.kept.push((outcome.process, errors)),
            }
        }
        let done = |p: &String| answers.reloaded.contains(p) || answers.kept.iter().any(|(k, _)| k == p);
        answers.unfinished = started.into_iter().filter(|p| !done(p)).collect();
        Ok(answers)
    }
}

/// Reloads this process when another asks, and passes the answers on to whoever waits.
async fn apply(
    mut notices: mpsc::UnboundedReceiver<Notice>,
    current: Current,
    reloads: Arc<Reloads>,
    outcomes: broadcast::Sender<Outcome>,
) {
    while let Some(notice) = notices.recv().await {
        match notice {
            Notice::Request(request) if request.from != reloads.process => {
                if let Err(e) = reloads.report(&request, Answer::Started).await {
                    tracing::warn!("cannot answer a reload request: {e}");
                }
                let answer = match current.reload().await {
                    Ok(_) => Answer::Reloaded,
                    Err(errors) => Answer::Kept(errors),
                };
                tracing::info!(from = %request.from, reloaded = answer == Answer::Reloaded, "reload asked for by another process");
                if let Err(e) = reloads.report(&request, answer).await {
                    tracing::warn!("cannot answer a reload request: {e}");
                }
            }
            Notice::Request(_) => {}
            Notice::Outcome(outcome) => {
                let _ = outcomes.send(outcome);
            }
        }
    }
}

/// What `/reload` tells the admin: `here` is this process's outcome, `others` the other
/// processes' answers (`None` without a shared store, an error when they could not be told).
pub fn summary(here: Result<String, Vec<String>>, others: Option<Result<Answers, String>>) -> String {
    let summary = match here {
        Err(errors) => {
            let listed: Vec<String> = errors.iter().take(15).map(|e| format!("- `{e}`")).collect();
            let more = if errors.len() > 15 { format!("\n… and {} more", errors.len() - 15) } else { String::new() };
            return format!(
                "The content has {} error(s), so nothing was reloaded; the bot keeps the content it had.\n{}{more}",
                errors.len(),
                listed.join("\n")
            );
        }
        Ok(summary) => summary,
    };
    let answers = match others {
        None => return format!("Reloaded: {summary}."),
        Some(Err(e)) => {
            return format!(
                "Reloaded in this process: {summary}. The other processes could not be told ({e}); run /reload again."
            )
        }
        Some(Ok(answers)) => answers,
    };
    let others = answers.reloaded.len();
    let mut text = format!(
        "Reloaded in {} (this one and {}): {summary}.",
        count(others + 1, "process", "processes"),
        count(others, "other", "others")
    );
    if !answers.kept.is_empty() {
        text.push_str(&format!(
            "\n{} kept the content it had, because it has errors there:",
            count(answers.kept.len(), "process", "processes")
        ));
        for (process, errors) in &answers.kept {
            text.push_str(&format!("\n- {process}: `{}`", errors.join("`, `")));
        }
    }
    if !answers.unfinished.is_empty() {
        text.push_str(&format!(
            "\n{} did not finish within {} s: {}.",
            count(answers.unfinished.len(), "process", "processes"),
            RELOAD_LIMIT.as_secs(),
            answers.unfinished.join(", ")
        ));
    }
    text
}

/// "1 process", "2 processes".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_the_processes_that_reloaded() {
        let here = || Ok("49 topics".to_string());
        assert_eq!(summary(here(), None), "Reloaded: 49 topics.");
        let alone = summary(here(), Some(Ok(Answers::default())));
        assert_eq!(alone, "Reloaded in 1 process (this one and 0 others): 49 topics.");
        let answers = Answers {
            reloaded: vec!["b:2".into()],
            kept: vec![("c:3".into(), vec!["topics/x.md:3: no title".into()])],
            unfinished: vec!["d:4".into()],
        };
        let three = summary(here(), Some(Ok(answers)));
        assert!(three.starts_with("Reloaded in 2 processes (this one and 1 other): 49 topics."), "{three}");
        assert!(
            three.contains("1 process kept the content it had") && three.contains("c:3: `topics/x.md:3: no title`")
        );
        assert!(three.contains("1 process did not finish within 60 s: d:4."), "{three}");
        let untold = summary(here(), Some(Err("not connected".into())));
        assert!(untold.contains("could not be told (not connected)"), "{untold}");
        let broken = summary(Err(vec!["safety.toml:4: bad".into()]), Some(Ok(Answers::default())));
        assert!(broken.contains("1 error(s), so nothing was reloaded") && broken.contains("`safety.toml:4: bad`"));
    }
}
