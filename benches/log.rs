//! The log's speed: drawing a day's and a week's chart, and reading a day back from a store
//! holding 90 days of a busy member's entries.

use std::path::Path;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use zincbot::advisor::Advisor;
use zincbot::chart;
use zincbot::log::Log;
use zincbot::store::Sqlite;

fn benches(c: &mut Criterion) {
    let advisor = Advisor::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content")).expect("content loads");
    let estimator = advisor.estimator();
    let profile = estimator.reference.default();
    let store = Sqlite::in_memory().unwrap();
    let log = Log { store: &store, user: "1".into(), zone: TimeZone::UTC, keep_days: 90 };
    let now = Timestamp::now();
    // Six entries a day for 90 days.
    for i in 0..540i64 {
        let at = Timestamp::from_millisecond(now.as_millisecond() - i * 4 * 3_600_000).unwrap();
        log.add(estimator, "2 eggs, 100g beef, zinc gluconate 15mg", profile, at).unwrap();
    }
    let day = log.today(estimator, profile, now).unwrap();
    let week = log.week(profile, now).unwrap();
    c.bench_function("draw the day's chart", |b| b.iter(|| chart::day_png(black_box(&day)).unwrap()));
    c.bench_function("draw the week's chart", |b| b.iter(|| chart::week_png(black_box(&week)).unwrap()));
    c.bench_function("read today from the store", |b| {
        b.iter(|| log.today(estimator, profile, black_box(now)).unwrap())
    });
    c.bench_function("read the week from the store", |b| b.iter(|| log.week(profile, black_box(now)).unwrap()));
}

criterion_group!(log_benches, benches);
criterion_main!(log_benches);
