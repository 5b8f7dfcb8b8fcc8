//! User data: a profile (a Discord user id, a life stage and, if given, a time zone) and the
//! opt-in intake log (what the person typed, when, and the totals computed then), nothing else.
//!
//! [`Store`] is the one interface; [`Sqlite`] keeps the data in an embedded file for one
//! process, [`Postgres`] in a database that several processes share. Both erase what is
//! forgotten and upgrade their schema in place with numbered migrations.

mod postgres;
pub mod reloads;
mod sqlite;

pub use postgres::Postgres;
pub use reloads::{Answer, Outcome, Reloads, Request};
pub use sqlite::Sqlite;

use crate::config::StoreLocation;

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL: {}", with_cause(.0))]
    Postgres(#[from] tokio_postgres::Error),
    #[error("{0}")]
    Setup(String),
}

/// The driver's message and its cause ("error connecting to server: Connection refused").
fn with_cause(error: &tokio_postgres::Error) -> String {
    match std::error::Error::source(error) {
        Some(cause) => format!("{error}: {cause}"),
        None => error.to_string(),
    }
}

impl From<deadpool_postgres::PoolError> for Error {
    /// The driver's own error when there is one ("error connecting to server: Connection
    /// refused"), else the pool's.
    fn from(error: deadpool_postgres::PoolError) -> Error {
        match error {
            deadpool_postgres::PoolError::Backend(e) => Error::Postgres(e),
            deadpool_postgres::PoolError::Timeout(_) => Error::Setup("PostgreSQL: no connection in time".into()),
            other => Error::Setup(format!("PostgreSQL: {other}")),
        }
    }
}

/// Profiles and the intake log. Calls block, so async code runs them on the blocking pool.
pub trait Store: Send + Sync {
    /// The life stage a user chose, if any.
    fn life_stage(&self, user_id: u64) -> Result<Option<String>, Error>;

    /// Sets a user's life stage.
    fn set_life_stage(&self, user_id: u64, life_stage: &str) -> Result<(), Error>;

    /// The time zone a user chose (an IANA name), if any.
    fn time_zone(&self, user_id: u64) -> Result<Option<String>, Error>;

    /// Sets a user's time zone; the profile must exist (its life stage is set first).
    fn set_time_zone(&self, user_id: u64, time_zone: &str) -> Result<(), Error>;

    /// Deletes everything stored about a user, profile and log, and erases it; true when
    /// there was something.
    fn forget(&self, user_id: u64) -> Result<bool, Error>;

    /// Logs an estimate for `user` at `entry.at` (Unix milliseconds), then drops entries older
    /// than `keep_days`.
    fn log_add(&self, user: &str, entry: &LogRow, keep_days: u32) -> Result<(), Error>;

    /// A user's entries logged at or after `since` (Unix milliseconds), oldest first.
    fn log_since(&self, user: &str, since: i64) -> Result<Vec<LogRow>, Error>;

    /// Removes a user's latest entry, erasing it, and returns it.
    fn log_undo(&self, user: &str) -> Result<Option<LogRow>, Error>;

    /// Erases a user's whole log; how many entries there were.
    fn log_forget(&self, user: &str) -> Result<usize, Error>;

    /// Whether the store answers now (for health checks).
    fn ping(&self) -> Result<(), Error>;
}

/// Opens the store at `location`, creating or upgrading its schema.
pub fn open(location: &StoreLocation) -> Result<Box<dyn Store>, Error> {
    Ok(match location {
        StoreLocation::Sqlite(path) => Box::new(Sqlite::open(path)?),
        StoreLocation::Postgres(url) => Box::new(Postgres::connect(url.expose())?),
    })
}

/// A logged estimate as stored: when (Unix milliseconds), what was typed, and the totals.
#[derive(Debug, Clone, PartialEq)]
pub struct LogRow {
    pub at: i64,
    pub input: String,
    pub zinc_mg: f64,
    pub copper_mg: f64,
    pub supplement_zinc_mg: f64,
}

/// How long a logged entry is kept, in the milliseconds the log counts in.
fn oldest_kept(at: i64, keep_days: u32) -> i64 {
    at - i64::from(keep_days) * 86_400_000
}

/// The behaviour every backend must share, run against each ([`Sqlite`] here, [`Postgres`] in
/// `postgres.rs` when a test server is given).
#[cfg(test)]
pub(crate) mod suite {
    use super::*;

    /// Whether `needle` occurs in the bytes of a store's files, for the erasure tests.
    pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    fn row(at: i64, input: &str, zinc: f64) -> LogRow {
        LogRow { at, input: input.into(), zinc_mg: zinc, copper_mg: 0.1, supplement_zinc_mg: 0.0 }
    }

    /// Every check below, on one empty store.
    pub fn run(store: &dyn Store) {
        profiles_set_show_forget(store);
        the_log_adds_undoes_prunes_and_forgets(store);
        forgetting_a_user_erases_profile_and_log(store);
        large_ids_and_awkward_text_round_trip(store);
    }

    fn profiles_set_show_forget(store: &dyn Store) {
        assert_eq!(store.life_stage(42).unwrap(), None);
        store.set_life_stage(42, "adult-female").unwrap();
        store.set_life_stage(42, "pregnant").unwrap();
        assert_eq!(store.life_stage(42).unwrap().as_deref(), Some("pregnant"));
        assert_eq!(store.time_zone(42).unwrap(), None);
        store.set_time_zone(42, "Europe/London").unwrap();
        assert_eq!(store.time_zone(42).unwrap().as_deref(), Some("Europe/London"));
        store.set_life_stage(42, "adult").unwrap();
        assert_eq!(store.time_zone(42).unwrap().as_deref(), Some("Europe/London"), "a new stage keeps the zone");
        assert!(store.forget(42).unwrap());
        assert!(!store.forget(42).unwrap());
        assert_eq!(store.life_stage(42).unwrap(), None);
        assert_eq!(store.time_zone(42).unwrap(), None);
    }

    fn the_log_adds_undoes_prunes_and_forgets(store: &dyn Store) {
        let day = 86_400_000;
        store.log_add("local", &row(day, "oats", 1.0), 90).unwrap();
        store.log_add("local", &row(2 * day, "beef", 5.0), 90).unwrap();
        store.log_add("other", &row(2 * day, "eggs", 1.3), 90).unwrap();
        let inputs = |user| store.log_since(user, 0).unwrap().into_iter().map(|r| r.input).collect::<Vec<_>>();
        assert_eq!(inputs("local"), ["oats", "beef"]);
        assert_eq!(store.log_since("local", 2 * day).unwrap(), [row(2 * day, "beef", 5.0)]);
        assert_eq!(store.log_undo("local").unwrap(), Some(row(2 * day, "beef", 5.0)));
        // An entry older than keep_days goes when the next is added.
        store.log_add("local", &row(100 * day, "lentils", 2.5), 90).unwrap();
        assert_eq!(inputs("local"), ["lentils"]);
        assert_eq!(store.log_forget("local").unwrap(), 1);
        assert!(inputs("local").is_empty());
        assert_eq!(store.log_undo("local").unwrap(), None);
        assert_eq!(store.log_forget("other").unwrap(), 0, "pruned with the rest: older than 90 days");
    }

    fn forgetting_a_user_erases_profile_and_log(store: &dyn Store) {
        store.set_life_stage(7, "child-4-8").unwrap();
        store.log_add("7", &row(5, "sardines", 1.0), 90).unwrap();
        store.log_add("8", &row(5, "kept", 1.0), 90).unwrap();
        assert!(store.forget(7).unwrap());
        assert!(store.log_since("7", 0).unwrap().is_empty());
        assert_eq!(store.log_since("8", 0).unwrap().len(), 1, "only that user's");
        store.log_add("9", &row(6, "log only", 1.0), 90).unwrap();
        assert!(store.forget(9).unwrap(), "a log without a profile is something to forget");
        store.log_forget("8").unwrap();
    }

    fn large_ids_and_awkward_text_round_trip(store: &dyn Store) {
        let id = u64::MAX - 1;
        store.set_life_stage(id, "lactating-14-18").unwrap();
        assert_eq!(store.life_stage(id).unwrap().as_deref(), Some("lactating-14-18"));
        let text = "½ cup lentils, it's 'quoted'; DROP TABLE log; -- ünïcode 🍳";
        store.log_add(&id.to_string(), &row(1, text, 0.25), 90).unwrap();
        assert_eq!(store.log_since(&id.to_string(), 0).unwrap()[0].input, text);
        assert!(store.forget(id).unwrap());
    }
}
