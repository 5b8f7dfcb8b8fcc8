//! The shared store: a PostgreSQL database that several processes of the bot use at once,
//! through tokio-postgres and a deadpool connection pool. [`Reloads`] carries `/reload` from
//! one process to all of them over the same database (LISTEN/NOTIFY).

use std::future::Future;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::{NoTls, Row};

use super::{oldest_kept, Error, LogRow, Store};

/// How long connecting, or waiting for a free connection, may take before a call fails.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Connections one process keeps open at most.
const POOL_SIZE: usize = 8;

/// A PostgreSQL database. The interface blocks like [`super::Sqlite`]'s, so the pool runs on a
/// small runtime of its own and each call waits for it: the same store serves the command
/// line, the terminal and the bot's blocking pool.
pub struct Postgres {
    runtime: Option<tokio::runtime::Runtime>,
    pool: Pool,
}

impl Postgres {
    /// Connects to the database at `url` and brings its schema up to date.
    pub fn connect(url: &str) -> Result<Postgres, Error> {
        let config = config(url)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("zincbot-store")
            .enable_all()
            .build()
            .map_err(|e| Error::Setup(format!("cannot start the store's runtime: {e}")))?;
        let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(Some(TIMEOUT))
            .create_timeout(Some(TIMEOUT))
            .recycle_timeout(Some(TIMEOUT))
            .build()
            .map_err(|e| Error::Setup(format!("cannot build the connection pool: {e}")))?;
        let store = Postgres { runtime: Some(runtime), pool };
        store.block(migrate(&store.pool))?;
        Ok(store)
    }

    /// Runs `call` on the store's runtime and waits for it.
    fn block<T>(&self, call: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
        self.runtime.as_ref().expect("the runtime lives until drop").block_on(call)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        // Dropping a runtime waits for its tasks, which an async caller may not do.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// `url` read as connection settings, with a connect timeout unless it sets one.
pub(super) fn config(url: &str) -> Result<tokio_postgres::Config, Error> {
    // The parser's message never repeats the URL, which may hold a password.
    let mut config: tokio_postgres::Config =
        url.parse().map_err(|e| Error::Setup(format!("the PostgreSQL URL cannot be read: {e}")))?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(TIMEOUT);
    }
    // So an operator can tell the bot's connections apart in pg_stat_activity.
    if config.get_application_name().is_none() {
        config.application_name("zincbot");
    }
    Ok(config)
}

impl Store for Postgres {
    fn life_stage(&self, user_id: u64) -> Result<Option<String>, Error> {
        self.block(async {
            let sql = "SELECT life_stage FROM profiles WHERE user_id = $1";
            let row = self.pool.get().await?.query_opt(sql, &[&(user_id as i64)]).await?;
            Ok(row.map(|row| row.get(0)))
        })
    }

    fn set_life_stage(&self, user_id: u64, life_stage: &str) -> Result<(), Error> {
        self.block(async {
            let sql = "INSERT INTO profiles (user_id, life_stage) VALUES ($1, $2)
                       ON CONFLICT (user_id) DO UPDATE SET life_stage = EXCLUDED.life_stage";
            self.pool.get().await?.execute(sql, &[&(user_id as i64), &life_stage]).await?;
            Ok(())
        })
    }

    fn time_zone(&self, user_id: u64) -> Result<Option<String>, Error> {
        self.block(async {
            let sql = "SELECT time_zone FROM profiles WHERE user_id = $1";
            let row = self.pool.get().await?.query_opt(sql, &[&(user_id as i64)]).await?;
            Ok(row.and_then(|row| row.get(0)))
        })
    }

    fn set_time_zone(&self, user_id: u64, time_zone: &str) -> Result<(), Error> {
        self.block(async {
            let sql = "UPDATE profiles SET time_zone = $2 WHERE user_id = $1";
            self.pool.get().await?.execute(sql, &[&(user_id as i64), &time_zone]).await?;
            Ok(())
        })
    }

    fn forget(&self, user_id: u64) -> Result<bool, Error> {
        self.block(async {
            let mut client = self.pool.get().await?;
            let transaction = client.transaction().await?;
            let profile = transaction.execute("DELETE FROM profiles WHERE user_id = $1", &[&(user_id as i64)]).await?;
            let log = transaction.execute("DELETE FROM log WHERE \"user\" = $1", &[&user_id.to_string()]).await?;
            transaction.commit().await?;
            erase(&client).await?;
            Ok(profile + log > 0)
        })
    }

    fn log_add(&self, user: &str, entry: &LogRow, keep_days: u32) -> Result<(), Error> {
        self.block(async {
            let mut client = self.pool.get().await?;
            let transaction = client.transaction().await?;
            transaction
                .execute(
                    "INSERT INTO log (\"user\", at, input, zinc_mg, copper_mg, supplement_zinc_mg)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                    &[&user, &entry.at, &entry.input, &entry.zinc_mg, &entry.copper_mg, &entry.supplement_zinc_mg],
                )
                .await?;
            transaction.execute("DELETE FROM log WHERE at < $1", &[&oldest_kept(entry.at, keep_days)]).await?;
            transaction.commit().await?;
            Ok(())
        })
    }

    fn log_since(&self, user: &str, since: i64) -> Result<Vec<LogRow>, Error> {
        self.block(async {
            let sql = "SELECT at, input, zinc_mg, copper_mg, supplement_zinc_mg FROM log
                       WHERE \"user\" = $1 AND at >= $2 ORDER BY at, id";
            let rows = self.pool.get().await?.query(sql, &[&user, &since]).await?;
            Ok(rows.iter().map(|row| read(row, 0)).collect())
        })
    }

    fn log_undo(&self, user: &str) -> Result<Option<LogRow>, Error> {
        self.block(async {
            let client = self.pool.get().await?;
            // One statement, so two undos at once remove two entries, never the same one twice.
            let sql = "DELETE FROM log WHERE id = (
                           SELECT id FROM log WHERE \"user\" = $1 ORDER BY at DESC, id DESC LIMIT 1 FOR UPDATE
                       ) RETURNING at, input, zinc_mg, copper_mg, supplement_zinc_mg";
            let undone = client.query_opt(sql, &[&user]).await?.map(|row| read(&row, 0));
            if undone.is_some() {
                erase(&client).await?;
            }
            Ok(undone)
        })
    }

    fn log_forget(&self, user: &str) -> Result<usize, Error> {
        self.block(async {
            let client = self.pool.get().await?;
            let deleted = client.execute("DELETE FROM log WHERE \"user\" = $1", &[&user]).await?;
            erase(&client).await?;
            Ok(deleted as usize)
        })
    }

    fn ping(&self) -> Result<(), Error> {
        self.block(async { Ok(self.pool.get().await?.simple_query("SELECT 1").await.map(drop)?) })
    }
}

/// The row's columns `at, input, zinc_mg, copper_mg, supplement_zinc_mg`, from column `first`.
fn read(row: &Row, first: usize) -> LogRow {
    LogRow {
        at: row.get(first),
        input: row.get(first + 1),
        zinc_mg: row.get(first + 2),
        copper_mg: row.get(first + 3),
        supplement_zinc_mg: row.get(first + 4),
    }
}

/// Rewrites the two tables after a deletion, so the deleted rows leave the table files: a
/// plain VACUUM only marks their space free and leaves the bytes. It locks the tables while it
/// runs (a fraction of a second for tens of megabytes). The server's write-ahead log and
/// backups keep their own copies for as long as its operator keeps them.
async fn erase(client: &deadpool_postgres::Client) -> Result<(), Error> {
    client.batch_execute("VACUUM FULL profiles, log").await?;
    Ok(())
}

/// The schema, one step per version, recorded in `schema_migrations`.
const MIGRATIONS: [&str; 2] = [
    "CREATE TABLE profiles (
         user_id BIGINT PRIMARY KEY,
         life_stage TEXT NOT NULL,
         time_zone TEXT
     );
     CREATE TABLE log (
         id BIGSERIAL PRIMARY KEY,
         \"user\" TEXT NOT NULL,
         at BIGINT NOT NULL,
         input TEXT NOT NULL,
         zinc_mg DOUBLE PRECISION NOT NULL,
         copper_mg DOUBLE PRECISION NOT NULL,
         supplement_zinc_mg DOUBLE PRECISION NOT NULL
     );
     CREATE INDEX log_by_user ON log (\"user\", at);",
    // Expiring old entries on every add looks them up by time alone.
    "CREATE INDEX log_by_time ON log (at);",
];

/// The advisory lock that lets one process at a time migrate (any number may start at once).
const MIGRATION_LOCK: i64 = 0x007a_696e_6362_6f74; // "zincbot" in ASCII

/// Applies the steps the database has not had, in one transaction that holds the migration
/// lock: processes starting together wait for each other, and the later ones find nothing to do.
async fn migrate(pool: &Pool) -> Result<(), Error> {
    let mut client = pool.get().await?;
    let transaction = client.transaction().await?;
    transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;
    transaction
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version INTEGER PRIMARY KEY,
                 applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
             )",
        )
        .await?;
    let done: i32 = transaction.query_one("SELECT coalesce(max(version), 0) FROM schema_migrations", &[]).await?.get(0);
    for (version, step) in MIGRATIONS.iter().enumerate().skip(done as usize) {
        transaction.batch_execute(step).await?;
        transaction.execute("INSERT INTO schema_migrations (version) VALUES ($1)", &[&(version as i32 + 1)]).await?;
    }
    transaction.commit().await?;
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A fresh database on the server `ZINCBOT_TEST_POSTGRES` names (a URL with the right to
    /// create databases), dropped afterwards. Without that variable the PostgreSQL tests are
    /// skipped with a note, except under CI, which must provide a server (`.ci/postgres`).
    pub(crate) struct TestDatabase {
        admin: String,
        name: String,
        pub url: String,
    }

    impl TestDatabase {
        pub(crate) fn create(test: &str) -> Option<TestDatabase> {
            let Ok(admin) = std::env::var("ZINCBOT_TEST_POSTGRES") else {
                assert!(std::env::var_os("CI").is_none(), "CI must set ZINCBOT_TEST_POSTGRES (see .ci/postgres)");
                eprintln!("{test}: skipped, no PostgreSQL server (set ZINCBOT_TEST_POSTGRES)");
                return None;
            };
            let name = format!("zincbot_test_{test}_{}", std::process::id());
            let mut url = url::Url::parse(&admin).expect("ZINCBOT_TEST_POSTGRES is a URL");
            url.set_path(&name);
            let database = TestDatabase { admin, url: url.to_string(), name };
            database.admin(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", database.name));
            database.admin(&format!("CREATE DATABASE {}", database.name));
            Some(database)
        }

        /// Runs `sql` on the admin connection.
        pub(crate) fn admin(&self, sql: &str) {
            on_a_runtime(async {
                let (client, connection) = tokio_postgres::connect(&self.admin, NoTls).await.expect("the test server");
                tokio::spawn(connection);
                client.batch_execute(sql).await.expect("admin SQL runs");
            });
        }

        /// Runs `sql` in the test database and returns the rows.
        pub(crate) fn query(&self, sql: &str) -> Vec<Row> {
            on_a_runtime(async {
                let (client, connection) = tokio_postgres::connect(&self.url, NoTls).await.expect("the test database");
                tokio::spawn(connection);
                client.query(sql, &[]).await.expect("test SQL runs")
            })
        }
    }

    impl Drop for TestDatabase {
        fn drop(&mut self) {
            self.admin(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }

    fn on_a_runtime<T>(work: impl Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(work)
    }

    #[test]
    fn the_shared_suite_passes() {
        let Some(database) = TestDatabase::create("suite") else { return };
        super::super::suite::run(&Postgres::connect(&database.url).unwrap());
    }

    #[test]
    fn processes_starting_at_the_same_moment_migrate_once() {
        let Some(database) = TestDatabase::create("migrate") else { return };
        let start = std::sync::Barrier::new(6);
        std::thread::scope(|scope| {
            let opened: Vec<_> = (0..6)
                .map(|_| {
                    scope.spawn(|| {
                        start.wait();
                        Postgres::connect(&database.url)
                    })
                })
                .collect();
            for store in opened {
                store.join().unwrap().expect("every process opens the store");
            }
        });
        let versions: Vec<i32> =
            database.query("SELECT version FROM schema_migrations ORDER BY version").iter().map(|r| r.get(0)).collect();
        assert_eq!(versions, (1..=MIGRATIONS.len() as i32).collect::<Vec<_>>());
        let store = Postgres::connect(&database.url).unwrap();
        store.set_life_stage(1, "adult").unwrap();
        assert_eq!(Postgres::connect(&database.url).unwrap().life_stage(1).unwrap().as_deref(), Some("adult"));
    }

    #[test]
    fn forgetting_erases_the_rows_from_the_table_files() {
        use super::super::suite::contains;
        let Some(database) = TestDatabase::create("erase") else { return };
        let store = Postgres::connect(&database.url).unwrap();
        let row =
            |input: &str| LogRow { at: 1, input: input.into(), zinc_mg: 1.0, copper_mg: 0.1, supplement_zinc_mg: 0.0 };
        store.set_life_stage(1, "child-4-8").unwrap();
        store.set_life_stage(2, "lactating-14-18").unwrap();
        store.log_add("1", &row("kept sardines"), 90).unwrap();
        store.log_add("2", &row("forgotten pumpkin seeds"), 90).unwrap();
        store.log_add("1", &row("undone cashews"), 90).unwrap();
        assert!(store.forget(2).unwrap());
        assert_eq!(store.log_undo("1").unwrap().map(|r| r.input).as_deref(), Some("undone cashews"));
        let table_bytes = || -> Result<Vec<u8>, std::io::Error> {
            database.query("CHECKPOINT");
            let files = database.query(
                "SELECT current_setting('data_directory') || '/' || pg_relation_filepath(t)
                 FROM unnest(ARRAY['profiles', 'log']) AS t",
            );
            let mut bytes = Vec::new();
            for file in files.iter().map(|r| r.get::<_, String>(0)) {
                bytes.extend(std::fs::read(&file)?);
            }
            Ok(bytes)
        };
        let gone = |bytes: &[u8]| !["pumpkin", "lactating", "cashews"].iter().any(|t| contains(bytes, t.as_bytes()));
        let mut bytes = match table_bytes() {
            Ok(bytes) => bytes,
            // The server runs elsewhere or as another user: its files cannot be checked here.
            Err(e) => return eprintln!("table files not readable here ({e}); erasure not checked"),
        };
        // A snapshot another session on the server took before the deletion (another test's,
        // an autovacuum worker's) makes the rewrite keep the rows it may still see; the next
        // rewrite, once that snapshot is gone, drops them. Wait for that, a few times at most.
        for _ in 0..10 {
            if gone(&bytes) {
                break;
            }
            std::thread::sleep(Duration::from_millis(300));
            database.query("VACUUM FULL profiles, log");
            bytes = table_bytes().expect("the files were readable a moment ago");
        }
        assert!(contains(&bytes, b"kept sardines") && contains(&bytes, b"child-4-8"), "the files are read");
        assert!(!contains(&bytes, b"pumpkin") && !contains(&bytes, b"lactating"), "the forgotten rows are gone");
        assert!(!contains(&bytes, b"cashews"), "the undone entry is gone from the files");
    }

    #[test]
    fn an_unreachable_server_fails_in_time_without_the_password() {
        let started = std::time::Instant::now();
        let refused = Postgres::connect("postgres://bot:hunter2@127.0.0.1:9/zincbot").err().expect("nothing listens");
        assert!(started.elapsed() < TIMEOUT + Duration::from_secs(2));
        assert!(!refused.to_string().contains("hunter2"), "{refused}");
        assert!(Postgres::connect("postgres://[bad").is_err());
    }
}
