//! The store under the bot's load: 50 members at once, each saving a life stage and reading it
//! back, on the blocking pool as the bot does. Prints p50 and p99 of a read and of a write, for a
//! SQLite file and, when `ZINCBOT_BENCH_POSTGRES` names a database the bench may write to, for
//! PostgreSQL. Run with `cargo bench --bench store_load`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use zincbot::store::{Postgres, Sqlite, Store};

const MEMBERS: u64 = 50;
const ROUNDS: usize = 200;
const STAGES: [&str; 3] = ["adult-female", "pregnant", "child-4-8"];

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let sqlite: Arc<dyn Store> = Arc::new(Sqlite::open(&folder.path().join("load.sqlite3")).unwrap());
    runtime.block_on(report("SQLite file", sqlite));
    if let Ok(url) = std::env::var("ZINCBOT_BENCH_POSTGRES") {
        let postgres: Arc<dyn Store> = Arc::new(Postgres::connect(&url).expect("the PostgreSQL store"));
        runtime.block_on(report("PostgreSQL", postgres));
    }
}

/// Runs the load on `store` and prints the percentiles.
async fn report(name: &str, store: Arc<dyn Store>) {
    let started = Instant::now();
    let members: Vec<_> = (0..MEMBERS).map(|member| tokio::spawn(member_load(store.clone(), member))).collect();
    let (mut reads, mut writes) = (Vec::new(), Vec::new());
    for member in members {
        let (r, w) = member.await.unwrap();
        reads.extend(r);
        writes.extend(w);
    }
    let elapsed = started.elapsed();
    tokio::task::spawn_blocking(move || (0..MEMBERS).for_each(|member| drop(store.forget(u64::MAX - member))))
        .await
        .unwrap();
    println!(
        "{name}: {} calls in {elapsed:.2?} from {MEMBERS} members at once; read p50 {:?} p99 {:?}; write p50 {:?} p99 {:?}",
        reads.len() + writes.len(),
        percentile(&mut reads, 50),
        percentile(&mut reads, 99),
        percentile(&mut writes, 50),
        percentile(&mut writes, 99),
    );
}

/// One member's rounds: save a life stage, then read it back, each timed from the moment the
/// call is handed to the blocking pool.
async fn member_load(store: Arc<dyn Store>, member: u64) -> (Vec<Duration>, Vec<Duration>) {
    let user = u64::MAX - member;
    let (mut reads, mut writes) = (Vec::with_capacity(ROUNDS), Vec::with_capacity(ROUNDS));
    for round in 0..ROUNDS {
        let stage = STAGES[round % STAGES.len()];
        let (store_w, store_r) = (store.clone(), store.clone());
        let at = Instant::now();
        tokio::task::spawn_blocking(move || store_w.set_life_stage(user, stage)).await.unwrap().unwrap();
        writes.push(at.elapsed());
        let at = Instant::now();
        let read = tokio::task::spawn_blocking(move || store_r.life_stage(user)).await.unwrap().unwrap();
        reads.push(at.elapsed());
        assert_eq!(read.as_deref(), Some(stage));
    }
    (reads, writes)
}

fn percentile(times: &mut [Duration], p: usize) -> Duration {
    times.sort();
    times[(times.len() * p / 100).min(times.len() - 1)]
}
