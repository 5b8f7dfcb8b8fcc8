//! `/reload` across processes that share a PostgreSQL store: a request announced on the
//! database (LISTEN/NOTIFY) reaches every process of the bot, each reloads its own content
//! folder and answers with its outcome.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, Mutex};
use tokio::task::JoinHandle;
use tokio_postgres::{AsyncMessage, Client, NoTls};

use super::Error;

/// The channel requests are announced on.
const REQUESTS: &str = "zincbot_reload";
/// The channel each process answers on.
const OUTCOMES: &str = "zincbot_reloaded";

/// A reload asked for by one process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// Unique to this request, so answers find it.
    pub id: String,
    /// The process that asked (and has already reloaded).
    pub from: String,
}

/// What one process answers to a request: first that it has started, then how it went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub request: String,
    pub process: String,
    pub answer: Answer,
}

/// How the reload goes in the process that answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Heard the request and is reloading.
    Started,
    Reloaded,
    /// Kept its content, because the new content has these errors there.
    Kept(Vec<String>),
}

/// A notice heard on the database.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    Request(Request),
    Outcome(Outcome),
}

/// A connection for reloads and what it hears.
pub type Listening = (Reloads, mpsc::UnboundedReceiver<Notice>);

/// This process's connection for reloads: it listens for requests and outcomes and sends its
/// own. It reconnects by itself when the database goes away.
pub struct Reloads {
    /// Names this process in outcomes: host and process id.
    pub process: String,
    client: Arc<Mutex<Option<Client>>>,
}

/// Most errors listed in one outcome (a notice carries at most 8,000 bytes).
const MOST_ERRORS: usize = 5;

impl Reloads {
    /// Connects to the database at `url` and listens there, on the current Tokio runtime, as
    /// `process` (see [`process_name`]); what is heard arrives on the receiver. Fails when the
    /// database cannot be reached now; later losses are reconnected by themselves.
    pub async fn listen(url: &str, process: String) -> Result<Listening, Error> {
        let mut config = super::postgres::config(url)?;
        config.application_name("zincbot reloads");
        let (heard, notices) = mpsc::unbounded_channel();
        let (client, driver) = connect(&config, heard.clone()).await?;
        let client = Arc::new(Mutex::new(Some(client)));
        tokio::spawn(keep_listening(config, client.clone(), heard, driver));
        Ok((Reloads { process, client }, notices))
    }

    /// Announces a reload this process has done, so the others do it too; returns the request.
    pub async fn announce(&self) -> Result<Request, Error> {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
        let request = Request { id: format!("{}-{nanos}", self.process), from: self.process.clone() };
        self.notify(REQUESTS, &serde_json::to_string(&request).expect("serialisable")).await?;
        Ok(request)
    }

    /// Tells the requester how the reload goes here.
    pub async fn report(&self, request: &Request, answer: Answer) -> Result<(), Error> {
        let answer = match answer {
            Answer::Kept(errors) => {
                Answer::Kept(errors.iter().take(MOST_ERRORS).map(|e| crate::text::clip(e, 300)).collect())
            }
            other => other,
        };
        let outcome = Outcome { request: request.id.clone(), process: self.process.clone(), answer };
        self.notify(OUTCOMES, &serde_json::to_string(&outcome).expect("serialisable")).await
    }

    async fn notify(&self, channel: &str, payload: &str) -> Result<(), Error> {
        let client = self.client.lock().await;
        let client = client.as_ref().ok_or_else(|| Error::Setup("not connected to the database".into()))?;
        client.execute("SELECT pg_notify($1, $2)", &[&channel, &payload]).await?;
        Ok(())
    }
}

/// Connects and listens; the returned task passes on what is heard and ends with the connection.
async fn connect(
    config: &tokio_postgres::Config,
    heard: mpsc::UnboundedSender<Notice>,
) -> Result<(Client, JoinHandle<()>), Error> {
    let (client, mut connection) = config.connect(NoTls).await?;
    let driver = tokio::spawn(async move {
        while let Some(message) = std::future::poll_fn(|cx| connection.poll_message(cx)).await {
            match message {
                Ok(AsyncMessage::Notification(n)) => {
                    if let Some(notice) = parse(n.channel(), n.payload()) {
                        let _ = heard.send(notice);
                    }
                }
                Ok(_) => {}
                Err(e) => return tracing::warn!("reload listener: {e}"),
            }
        }
    });
    client.batch_execute(&format!("LISTEN {REQUESTS}; LISTEN {OUTCOMES}")).await?;
    Ok((client, driver))
}

/// Whenever the connection ends, connects again after 1, 2, 4 … 30 s, until nobody listens.
async fn keep_listening(
    config: tokio_postgres::Config,
    slot: Arc<Mutex<Option<Client>>>,
    heard: mpsc::UnboundedSender<Notice>,
    mut driver: JoinHandle<()>,
) {
    loop {
        let _ = driver.await;
        *slot.lock().await = None;
        tracing::warn!("lost the database connection for reloads; reconnecting");
        let mut wait = Duration::from_secs(1);
        driver = loop {
            tokio::time::sleep(wait).await;
            if heard.is_closed() {
                return;
            }
            match connect(&config, heard.clone()).await {
                Ok((client, driver)) => {
                    *slot.lock().await = Some(client);
                    break driver;
                }
                Err(e) => tracing::warn!("cannot listen for reloads on the database: {e}"),
            }
            wait = (wait * 2).min(Duration::from_secs(30));
        };
    }
}

/// A notice from its channel and JSON payload; anything else is ignored.
fn parse(channel: &str, payload: &str) -> Option<Notice> {
    match channel {
        REQUESTS => serde_json::from_str(payload).ok().map(Notice::Request),
        OUTCOMES => serde_json::from_str(payload).ok().map(Notice::Outcome),
        _ => None,
    }
}

/// "host:pid", enough for a moderator to tell the processes apart.
pub fn process_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    let host = host.trim();
    format!("{}:{}", if host.is_empty() { "localhost" } else { host }, std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_are_read_from_their_own_channel_only() {
        let request = Request { id: "a-1".into(), from: "a".into() };
        let payload = serde_json::to_string(&request).unwrap();
        assert_eq!(parse(REQUESTS, &payload), Some(Notice::Request(request)));
        assert_eq!(parse(OUTCOMES, &payload), None, "a request is no outcome");
        assert_eq!(parse("other", &payload), None);
        assert_eq!(parse(REQUESTS, "not json"), None);
    }

    async fn next(notices: &mut mpsc::UnboundedReceiver<Notice>) -> Notice {
        let notice = tokio::time::timeout(Duration::from_secs(10), notices.recv()).await;
        notice.expect("a notice in time").expect("still listening")
    }

    #[test]
    fn a_request_reaches_the_other_process_and_its_answer_comes_back() {
        let Some(database) = super::super::postgres::tests::TestDatabase::create("reloads") else { return };
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let unreachable = runtime.block_on(Reloads::listen("postgres://127.0.0.1:9/none", "c:3".into()));
        assert!(unreachable.is_err(), "an unreachable database fails at start");
        runtime.block_on(async {
            let (a, mut heard_by_a) = Reloads::listen(&database.url, "a:1".into()).await.unwrap();
            let (b, mut heard_by_b) = Reloads::listen(&database.url, "b:2".into()).await.unwrap();
            let request = a.announce().await.unwrap();
            assert_eq!(request.from, "a:1");
            let heard = next(&mut heard_by_b).await;
            let Notice::Request(heard) = heard else { panic!("{heard:?}") };
            assert_eq!(heard.from, "a:1");
            assert_eq!(next(&mut heard_by_a).await, Notice::Request(request.clone()), "A hears its own request too");
            b.report(&heard, Answer::Kept(vec!["topics/x.md:3: no title".into()])).await.unwrap();
            let answer = loop {
                if let Notice::Outcome(outcome) = next(&mut heard_by_a).await {
                    break outcome;
                }
            };
            assert_eq!(answer.process, "b:2");
            assert_eq!(answer.request, heard.id);
            assert_eq!(answer.answer, Answer::Kept(vec!["topics/x.md:3: no title".into()]));

            // The server drops every listening connection: both reconnect by themselves.
            let (admin, connection) = tokio_postgres::connect(&database.url, NoTls).await.unwrap();
            tokio::spawn(connection);
            let listening = "SELECT pid FROM pg_stat_activity WHERE application_name = 'zincbot reloads' ORDER BY pid";
            let pids = |rows: Vec<tokio_postgres::Row>| rows.iter().map(|r| r.get::<_, i32>(0)).collect::<Vec<_>>();
            let before = pids(admin.query(listening, &[]).await.unwrap());
            assert_eq!(before.len(), 2, "one listening connection each");
            admin
                .execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'zincbot reloads'",
                    &[],
                )
                .await
                .unwrap();
            let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
            loop {
                let now = pids(admin.query(listening, &[]).await.unwrap());
                if now.len() == 2 && now.iter().all(|p| !before.contains(p)) {
                    break;
                }
                assert!(tokio::time::Instant::now() < deadline, "did not reconnect: {before:?} then {now:?}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            let again = a.announce().await.expect("A announces on its new connection");
            let heard_again = loop {
                match next(&mut heard_by_b).await {
                    Notice::Request(request) if request.id == again.id => break request,
                    _ => {}
                }
            };
            assert_eq!(heard_again.from, again.from);
        });
    }
}
