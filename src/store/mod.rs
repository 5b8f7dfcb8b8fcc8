//! User data in an embedded SQLite file: a profile (a Discord user id, a life stage and, if
//! given, a time zone) and the opt-in intake log (what the person typed, when, and the totals
//! computed then), nothing else.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension};

/// The profile store. Queries are tiny and fast, so one connection behind a lock serves the bot.
#[derive(Debug)]
pub struct Store {
    connection: Mutex<Connection>,
}

impl Store {
    /// Opens (or creates) the store at `path`.
    pub fn open(path: &Path) -> rusqlite::Result<Store> {
        Store::init(Connection::open(path)?)
    }

    /// A store that lives in memory only (for tests and trials).
    pub fn in_memory() -> rusqlite::Result<Store> {
        Store::init(Connection::open_in_memory()?)
    }

    fn init(mut connection: Connection) -> rusqlite::Result<Store> {
        // secure_delete overwrites deleted rows with zeros, so forgetting someone erases them.
        connection.execute_batch("PRAGMA journal_mode = WAL; PRAGMA secure_delete = ON;")?;
        migrate(&mut connection)?;
        Ok(Store { connection: Mutex::new(connection) })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.connection.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The life stage a user chose, if any.
    pub fn life_stage(&self, user_id: u64) -> rusqlite::Result<Option<String>> {
        self.lock()
            .query_row("SELECT life_stage FROM profiles WHERE user_id = ?1", params![user_id as i64], |row| row.get(0))
            .optional()
    }

    /// Sets a user's life stage.
    pub fn set_life_stage(&self, user_id: u64, life_stage: &str) -> rusqlite::Result<()> {
        self.lock().execute(
            "INSERT INTO profiles (user_id, life_stage) VALUES (?1, ?2)
             ON CONFLICT(user_id) DO UPDATE SET life_stage = excluded.life_stage",
            params![user_id as i64, life_stage],
        )?;
        Ok(())
    }

    /// The time zone a user chose (an IANA name), if any.
    pub fn time_zone(&self, user_id: u64) -> rusqlite::Result<Option<String>> {
        let zone = self
            .lock()
            .query_row("SELECT time_zone FROM profiles WHERE user_id = ?1", params![user_id as i64], |row| row.get(0))
            .optional()?;
        Ok(zone.flatten())
    }

    /// Sets a user's time zone; the profile must exist (its life stage is set first).
    pub fn set_time_zone(&self, user_id: u64, time_zone: &str) -> rusqlite::Result<()> {
        self.lock()
            .execute("UPDATE profiles SET time_zone = ?2 WHERE user_id = ?1", params![user_id as i64, time_zone])?;
        Ok(())
    }

    /// Deletes everything stored about a user, profile and log, erasing it from the files
    /// too; true when there was something.
    pub fn forget(&self, user_id: u64) -> rusqlite::Result<bool> {
        let connection = self.lock();
        let profile = connection.execute("DELETE FROM profiles WHERE user_id = ?1", params![user_id as i64])?;
        let log = connection.execute("DELETE FROM log WHERE user = ?1", params![user_id.to_string()])?;
        erase(&connection)?;
        Ok(profile + log > 0)
    }

    /// Logs an estimate for `user` at `at` (Unix milliseconds), then drops entries older than
    /// `keep_days`.
    pub fn log_add(&self, user: &str, at: i64, entry: &LogRow, keep_days: u32) -> rusqlite::Result<()> {
        let connection = self.lock();
        connection.execute(
            "INSERT INTO log (user, at, input, zinc_mg, copper_mg, supplement_zinc_mg) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![user, at, entry.input, entry.zinc_mg, entry.copper_mg, entry.supplement_zinc_mg],
        )?;
        let oldest = at - i64::from(keep_days) * 86_400_000;
        connection.execute("DELETE FROM log WHERE at < ?1", params![oldest])?;
        Ok(())
    }

    /// A user's entries logged at or after `since` (Unix milliseconds), oldest first.
    pub fn log_since(&self, user: &str, since: i64) -> rusqlite::Result<Vec<LogRow>> {
        let connection = self.lock();
        let mut query = connection.prepare(
            "SELECT at, input, zinc_mg, copper_mg, supplement_zinc_mg FROM log
             WHERE user = ?1 AND at >= ?2 ORDER BY at, id",
        )?;
        let rows = query.query_map(params![user, since], |row| LogRow::read(row, 0))?;
        rows.collect()
    }

    /// Removes a user's latest entry, erasing it, and returns it.
    pub fn log_undo(&self, user: &str) -> rusqlite::Result<Option<LogRow>> {
        let connection = self.lock();
        let last = connection
            .query_row(
                "SELECT id, at, input, zinc_mg, copper_mg, supplement_zinc_mg FROM log
                 WHERE user = ?1 ORDER BY at DESC, id DESC LIMIT 1",
                params![user],
                |row| Ok((row.get::<_, i64>(0)?, LogRow::read(row, 1)?)),
            )
            .optional()?;
        let Some((id, entry)) = last else { return Ok(None) };
        connection.execute("DELETE FROM log WHERE id = ?1", params![id])?;
        erase(&connection)?;
        Ok(Some(entry))
    }

    /// Erases a user's whole log; how many entries there were.
    pub fn log_forget(&self, user: &str) -> rusqlite::Result<usize> {
        let connection = self.lock();
        let deleted = connection.execute("DELETE FROM log WHERE user = ?1", params![user])?;
        erase(&connection)?;
        Ok(deleted)
    }
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

impl LogRow {
    /// The row's columns `at, input, zinc_mg, copper_mg, supplement_zinc_mg`, from column `first`.
    fn read(row: &rusqlite::Row, first: usize) -> rusqlite::Result<LogRow> {
        Ok(LogRow {
            at: row.get(first)?,
            input: row.get(first + 1)?,
            zinc_mg: row.get(first + 2)?,
            copper_mg: row.get(first + 3)?,
            supplement_zinc_mg: row.get(first + 4)?,
        })
    }
}

/// Empties the write-ahead log, which still holds the pages of deleted rows, into the zeroed
/// database.
fn erase(connection: &Connection) -> rusqlite::Result<()> {
    connection.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
}

/// The schema, one step per version; `PRAGMA user_version` records how many steps a file has
/// had. The first is the schema before versions were counted, so such a file upgrades in place.
const MIGRATIONS: [&str; 2] = [
    "CREATE TABLE IF NOT EXISTS profiles (
         user_id INTEGER PRIMARY KEY,
         life_stage TEXT NOT NULL
     );",
    "ALTER TABLE profiles ADD COLUMN time_zone TEXT;
     CREATE TABLE log (
         id INTEGER PRIMARY KEY,
         user TEXT NOT NULL,
         at INTEGER NOT NULL,
         input TEXT NOT NULL,
         zinc_mg REAL NOT NULL,
         copper_mg REAL NOT NULL,
         supplement_zinc_mg REAL NOT NULL
     );
     CREATE INDEX log_by_user ON log (user, at);",
];

/// Applies the steps a file has not had, each in a transaction with its version.
fn migrate(connection: &mut Connection) -> rusqlite::Result<()> {
    let done: usize = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    for (version, step) in MIGRATIONS.iter().enumerate().skip(done) {
        let transaction = connection.transaction()?;
        transaction.execute_batch(step)?;
        transaction.execute_batch(&format!("PRAGMA user_version = {}", version + 1))?;
        transaction.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_show_forget() {
        let store = Store::in_memory().unwrap();
        assert_eq!(store.life_stage(42).unwrap(), None);
        store.set_life_stage(42, "adult-female").unwrap();
        store.set_life_stage(42, "pregnant").unwrap();
        assert_eq!(store.life_stage(42).unwrap().as_deref(), Some("pregnant"));
        assert!(store.forget(42).unwrap());
        assert!(!store.forget(42).unwrap());
        assert_eq!(store.life_stage(42).unwrap(), None);
    }

    #[test]
    fn forgetting_erases_the_row_from_the_files() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("profiles.sqlite3");
        let files = ["", "-wal", "-shm"].map(|suffix| format!("{}{suffix}", path.display()));
        let store = Store::open(&path).unwrap();
        store.set_life_stage(1, "adult-female").unwrap();
        store.set_life_stage(2, "lactating-14-18").unwrap();
        store.set_life_stage(3, "child-4-8").unwrap();
        assert!(store.forget(2).unwrap());
        let on_disk: Vec<u8> = files.iter().filter_map(|f| std::fs::read(f).ok()).flatten().collect();
        drop(store);
        let contains = |needle: &[u8]| on_disk.windows(needle.len()).any(|w| w == needle);
        assert!(contains(b"child-4-8"), "the files are read");
        assert!(!contains(b"lactating"), "the forgotten row is gone from the database and its log");
    }

    #[test]
    fn a_file_from_before_the_log_upgrades_in_place() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("old.sqlite3");
        let old = Connection::open(&path).unwrap();
        old.execute_batch(
            "CREATE TABLE profiles (user_id INTEGER PRIMARY KEY, life_stage TEXT NOT NULL);
             INSERT INTO profiles VALUES (5, 'pregnant');",
        )
        .unwrap();
        drop(old);
        let store = Store::open(&path).unwrap();
        assert_eq!(store.life_stage(5).unwrap().as_deref(), Some("pregnant"));
        store.set_time_zone(5, "Europe/London").unwrap();
        assert_eq!(store.time_zone(5).unwrap().as_deref(), Some("Europe/London"));
        store.log_add("5", 1_000, &row("2 eggs", 1.3), 90).unwrap();
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(store.log_since("5", 0).unwrap().len(), 1, "opening again migrates nothing twice");
    }

    fn row(input: &str, zinc: f64) -> LogRow {
        LogRow { at: 0, input: input.into(), zinc_mg: zinc, copper_mg: 0.1, supplement_zinc_mg: 0.0 }
    }

    #[test]
    fn the_log_adds_undoes_prunes_and_forgets() {
        let store = Store::in_memory().unwrap();
        let day = 86_400_000;
        store.log_add("local", day, &row("oats", 1.0), 90).unwrap();
        store.log_add("local", 2 * day, &row("beef", 5.0), 90).unwrap();
        store.log_add("other", 2 * day, &row("eggs", 1.3), 90).unwrap();
        let mine: Vec<String> = store.log_since("local", 0).unwrap().into_iter().map(|r| r.input).collect();
        assert_eq!(mine, ["oats", "beef"]);
        assert_eq!(store.log_since("local", 2 * day).unwrap().len(), 1);
        assert_eq!(store.log_undo("local").unwrap().map(|r| r.input).as_deref(), Some("beef"));
        // An entry older than keep_days goes when the next is added.
        store.log_add("local", 100 * day, &row("lentils", 2.5), 90).unwrap();
        let mine: Vec<String> = store.log_since("local", 0).unwrap().into_iter().map(|r| r.input).collect();
        assert_eq!(mine, ["lentils"]);
        assert_eq!(store.log_forget("local").unwrap(), 1);
        assert!(store.log_since("local", 0).unwrap().is_empty());
        assert_eq!(store.log_undo("local").unwrap(), None);
    }

    #[test]
    fn forgetting_the_log_erases_it_from_the_files() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("log.sqlite3");
        let files = ["", "-wal", "-shm"].map(|suffix| format!("{}{suffix}", path.display()));
        let store = Store::open(&path).unwrap();
        store.log_add("1", 1, &row("kept sardines", 1.0), 90).unwrap();
        store.log_add("2", 1, &row("forgotten pumpkin seeds", 2.0), 90).unwrap();
        store.log_forget("2").unwrap();
        let on_disk: Vec<u8> = files.iter().filter_map(|f| std::fs::read(f).ok()).flatten().collect();
        drop(store);
        let contains = |needle: &[u8]| on_disk.windows(needle.len()).any(|w| w == needle);
        assert!(contains(b"kept sardines"), "the files are read");
        assert!(!contains(b"pumpkin"), "the forgotten entry is gone from the database and its log");
    }

    #[test]
    fn the_file_persists_across_opens() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("profiles.sqlite3");
        Store::open(&path).unwrap().set_life_stage(7, "child-4-8").unwrap();
        assert_eq!(Store::open(&path).unwrap().life_stage(7).unwrap().as_deref(), Some("child-4-8"));
    }
}
