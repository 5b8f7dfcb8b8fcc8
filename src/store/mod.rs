//! User profiles in an embedded SQLite file: a Discord user id and a life stage, nothing else.

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

    fn init(connection: Connection) -> rusqlite::Result<Store> {
        // secure_delete overwrites deleted rows with zeros, so forgetting someone erases them.
        connection.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA secure_delete = ON;
             CREATE TABLE IF NOT EXISTS profiles (
                 user_id INTEGER PRIMARY KEY,
                 life_stage TEXT NOT NULL
             );",
        )?;
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

    /// Deletes everything stored about a user, erasing it from the files too (the rows are
    /// zeroed, and the write-ahead log, which still holds their old pages, is checkpointed and
    /// emptied); true when there was something.
    pub fn forget(&self, user_id: u64) -> rusqlite::Result<bool> {
        let connection = self.lock();
        let deleted = connection.execute("DELETE FROM profiles WHERE user_id = ?1", params![user_id as i64])? > 0;
        connection.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(deleted)
    }
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
    fn the_file_persists_across_opens() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("profiles.sqlite3");
        Store::open(&path).unwrap().set_life_stage(7, "child-4-8").unwrap();
        assert_eq!(Store::open(&path).unwrap().life_stage(7).unwrap().as_deref(), Some("child-4-8"));
    }
}
