//! The log's speed: drawing a day's and a week's chart, and reading a day back from a store
//! holding 90 days of a busy member's entries: SQLite always, and PostgreSQL when
//! `ZINCBOT_BENCH_POSTGRES` names a database the bench may write to (a user is added there).

use std::path::Path;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use zincbot::advisor::Advisor;
use zincbot::chart;
use zincbot::log::Log;
use zincbot::store::{Postgres, Sqlite, Store};

fn benches(c: &mut Criterion) {
    let advisor = Advisor::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content")).expect("content loads");
    let estimator = advisor.estimator();
    let profile = estimator.reference.default();
    let store = Sqlite::in_memory().unwrap();
    let now = Timestamp::now();
    let log = busy_log(&store, &advisor, now);
    let day = log.today(estimator, profile, now).unwrap();
    let week = log.week(profile, now).unwrap();
    c.bench_function("draw the day's chart", |b| b.iter(|| chart::day_png(black_box(&day)).unwrap()));
    c.bench_function("draw the week's chart", |b| b.iter(|| chart::week_png(black_box(&week)).unwrap()));
    c.bench_function("read today from the store", |b| {
        b.iter(|| log.today(estimator, profile, black_box(now)).unwrap())
    });
    c.bench_function("read the week from the store", |b| b.iter(|| log.week(profile, black_box(now)).unwrap()));
    if let Ok(url) = std::env::var("ZINCBOT_BENCH_POSTGRES") {
        let store = Postgres::connect(&url).expect("the PostgreSQL store");
        let log = busy_log(&store, &advisor, now);
        c.bench_function("read today from PostgreSQL", |b| {
            b.iter(|| log.today(estimator, profile, black_box(now)).unwrap())
        });
        c.bench_function("read the week from PostgreSQL", |b| b.iter(|| log.week(profile, black_box(now)).unwrap()));
        c.bench_function("log an entry in PostgreSQL", |b| {
            b.iter(|| log.add(estimator, "2 eggs", profile, black_box(now)).unwrap())
        });
        store.forget(u64::MAX).unwrap();
    }
}

/// A log with six entries a day for 90 days before `now`, for a user of its own.
fn busy_log<'a>(store: &'a dyn Store, advisor: &Advisor, now: Timestamp) -> Log<'a> {
    let estimator = advisor.estimator();
    let profile = estimator.reference.default();
    store.forget(u64::MAX).unwrap();
    let log = Log { store, user: u64::MAX.to_string(), zone: TimeZone::UTC, keep_days: 90 };
    for i in 0..540i64 {
        let at = Timestamp::from_millisecond(now.as_millisecond() - i * 4 * 3_600_000).unwrap();
        log.add(estimator, "2 eggs, 100g beef, zinc gluconate 15mg", profile, at).unwrap();
    }
    log
}

criterion_group!(log_benches, benches);
criterion_main!(log_benches);
