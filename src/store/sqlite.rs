//! The embedded store: one SQLite file, for a bot that runs as one process.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension};

use super::{oldest_kept, Error, LogRow, Store};

/// A SQLite file. Queries are tiny and fast, so one connection behind a lock serves the bot.
#[derive(Debug)]
pub struct Sqlite {
    connection: Mutex<Connection>,
}

impl Sqlite {
    /// Opens (or creates) the store at `path`.
    pub fn open(path: &Path) -> rusqlite::Result<Sqlite> {
        Sqlite::init(Connection::open(path)?)
    }

    /// A store that lives in memory only (for tests and trials).
    pub fn in_memory() -> rusqlite::Result<Sqlite> {
        Sqlite::init(Connection::open_in_memory()?)
    }

    fn init(mut connection: Connection) -> rusqlite::Result<Sqlite> {
        // secure_delete overwrites deleted rows with zeros, so forgetting someone erases them.
        connection.execute_batch("PRAGMA journal_mode = WAL; PRAGMA secure_delete = ON;")?;
        migrate(&mut connection)?;
        Ok(Sqlite { connection: Mutex::new(connection) })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.connection.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Store for Sqlite {
    fn life_stage(&self, user_id: u64) -> Result<Option<String>, Error> {
        let sql = "SELECT life_stage FROM profiles WHERE user_id = ?1";
        let connection = self.lock();
        let life_stage =
            connection.prepare_cached(sql)?.query_row(params![user_id as i64], |row| row.get(0)).optional()?;
        Ok(life_stage)
    }

    fn set_life_stage(&self, user_id: u64, life_stage: &str) -> Result<(), Error> {
        let sql = "INSERT INTO profiles (user_id, life_stage) VALUES (?1, ?2)
                   ON CONFLICT(user_id) DO UPDATE SET life_stage = excluded.life_stage";
        self.lock().prepare_cached(sql)?.execute(params![user_id as i64, life_stage])?;
        Ok(())
    }

    fn time_zone(&self, user_id: u64) -> Result<Option<String>, Error> {
        let sql = "SELECT time_zone FROM profiles WHERE user_id = ?1";
        let connection = self.lock();
        let zone = connection.prepare_cached(sql)?.query_row(params![user_id as i64], |row| row.get(0)).optional()?;
        Ok(zone.flatten())
    }

    fn set_time_zone(&self, user_id: u64, time_zone: &str) -> Result<(), Error> {
        let sql = "UPDATE profiles SET time_zone = ?2 WHERE user_id = ?1";
        self.lock().execute(sql, params![user_id as i64, time_zone])?;
        Ok(())
    }

    fn forget(&self, user_id: u64) -> Result<bool, Error> {
        let connection = self.lock();
        let profile = connection.execute("DELETE FROM profiles WHERE user_id = ?1", params![user_id as i64])?;
        let log = connection.execute("DELETE FROM log WHERE user = ?1", params![user_id.to_string()])?;
        erase(&connection)?;
        Ok(profile + log > 0)
    }

    fn log_add(&self, user: &str, entry: &LogRow, keep_days: u32) -> Result<(), Error> {
        let mut connection = self.lock();
        // One transaction, so the entry and the expiry of old ones are one write to the disk.
        let transaction = connection.transaction()?;
        transaction
            .prepare_cached(
                "INSERT INTO log (user, at, input, zinc_mg, copper_mg, supplement_zinc_mg) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![user, entry.at, entry.input, entry.zinc_mg, entry.copper_mg, entry.supplement_zinc_mg])?;
        let expired = "DELETE FROM log WHERE at < ?1";
        transaction.prepare_cached(expired)?.execute(params![oldest_kept(entry.at, keep_days)])?;
        transaction.commit()?;
        Ok(())
    }

    fn log_since(&self, user: &str, since: i64) -> Result<Vec<LogRow>, Error> {
        let connection = self.lock();
        let mut query = connection.prepare_cached(
            "SELECT at, input, zinc_mg, copper_mg, supplement_zinc_mg FROM log
             WHERE user = ?1 AND at >= ?2 ORDER BY at, id",
        )?;
        let rows = query.query_map(params![user, since], |row| read(row, 0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn log_undo(&self, user: &str) -> Result<Option<LogRow>, Error> {
        let connection = self.lock();
        let last = connection
            .query_row(
                "SELECT id, at, input, zinc_mg, copper_mg, supplement_zinc_mg FROM log
                 WHERE user = ?1 ORDER BY at DESC, id DESC LIMIT 1",
                params![user],
                |row| Ok((row.get::<_, i64>(0)?, read(row, 1)?)),
            )
            .optional()?;
        let Some((id, entry)) = last else { return Ok(None) };
        connection.execute("DELETE FROM log WHERE id = ?1", params![id])?;
        erase(&connection)?;
        Ok(Some(entry))
    }

    fn log_forget(&self, user: &str) -> Result<usize, Error> {
        let connection = self.lock();
        let deleted = connection.execute("DELETE FROM log WHERE user = ?1", params![user])?;
        erase(&connection)?;
        Ok(deleted)
    }

    fn ping(&self) -> Result<(), Error> {
        Ok(self.lock().query_row("SELECT 1", [], |_| Ok(()))?)
    }
}

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

/// Empties the write-ahead log, which still holds the pages of deleted rows, into the zeroed
/// database.
fn erase(connection: &Connection) -> rusqlite::Result<()> {
    connection.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
}

/// The schema, one step per version; `PRAGMA user_version` records how many steps a file has
/// had. The first is the schema before versions were counted, so such a file upgrades in place.
const MIGRATIONS: [&str; 3] = [
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
    // Expiring old entries on every add looks them up by time alone.
    "CREATE INDEX log_by_time ON log (at);",
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
    use crate::store::suite::contains;

    #[test]
    fn the_shared_suite_passes() {
        super::super::suite::run(&Sqlite::in_memory().unwrap());
    }

    fn row(input: &str, zinc: f64) -> LogRow {
        LogRow { at: 1, input: input.into(), zinc_mg: zinc, copper_mg: 0.1, supplement_zinc_mg: 0.0 }
    }

    /// Everything in the database file and its write-ahead log, read while `store` is open.
    fn on_disk(path: &Path) -> Vec<u8> {
        let files = ["", "-wal", "-shm"].map(|suffix| format!("{}{suffix}", path.display()));
        files.iter().filter_map(|f| std::fs::read(f).ok()).flatten().collect()
    }

    #[test]
    fn forgetting_erases_the_row_from_the_files() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("profiles.sqlite3");
        let store = Sqlite::open(&path).unwrap();
        store.set_life_stage(1, "adult-female").unwrap();
        store.set_life_stage(2, "lactating-14-18").unwrap();
        store.set_life_stage(3, "child-4-8").unwrap();
        assert!(store.forget(2).unwrap());
        let bytes = on_disk(&path);
        assert!(contains(&bytes, b"child-4-8"), "the files are read");
        assert!(!contains(&bytes, b"lactating"), "the forgotten row is gone from the database and its log");
    }

    #[test]
    fn forgetting_the_log_erases_it_from_the_files() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("log.sqlite3");
        let store = Sqlite::open(&path).unwrap();
        store.log_add("1", &row("kept sardines", 1.0), 90).unwrap();
        store.log_add("2", &row("forgotten pumpkin seeds", 2.0), 90).unwrap();
        store.log_forget("2").unwrap();
        let bytes = on_disk(&path);
        assert!(contains(&bytes, b"kept sardines"), "the files are read");
        assert!(!contains(&bytes, b"pumpkin"), "the forgotten entry is gone from the database and its log");
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
        let store = Sqlite::open(&path).unwrap();
        assert_eq!(store.life_stage(5).unwrap().as_deref(), Some("pregnant"));
        store.set_time_zone(5, "Europe/London").unwrap();
        assert_eq!(store.time_zone(5).unwrap().as_deref(), Some("Europe/London"));
        store.log_add("5", &row("2 eggs", 1.3), 90).unwrap();
        drop(store);
        let store = Sqlite::open(&path).unwrap();
        assert_eq!(store.log_since("5", 0).unwrap().len(), 1, "opening again migrates nothing twice");
    }

    #[test]
    fn expiring_old_entries_looks_them_up_by_an_index() {
        let store = Sqlite::in_memory().unwrap();
        let connection = store.lock();
        let plan: Vec<String> = connection
            .prepare("EXPLAIN QUERY PLAN DELETE FROM log WHERE at < 0")
            .unwrap()
            .query_map([], |row| row.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(plan.iter().any(|step| step.contains("INDEX log_by_time")), "{plan:?}");
    }

    #[test]
    fn the_file_persists_across_opens() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("profiles.sqlite3");
        Sqlite::open(&path).unwrap().set_life_stage(7, "child-4-8").unwrap();
        assert_eq!(Sqlite::open(&path).unwrap().life_stage(7).unwrap().as_deref(), Some("child-4-8"));
    }
}
