//! A bounded load test of `zincbot run` through the fake Discord: 2,000 slash commands (`/ask`
//! and `/intake`), 50 in flight. Prints p50 and p99 from dispatch to callback and the bot
//! process's peak memory. Run with `cargo bench --bench discord_load`.

#[path = "../tests/fake_discord/mod.rs"]
mod fake_discord;

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use fake_discord::FakeDiscord as Fake;
use serde_json::json;

const TOTAL: usize = 2_000;
const IN_FLIGHT: usize = 50;

const QUESTIONS: &[&str] =
    &["is zinc bad for lupus?", "how much is too much", "zinc and cipro?", "gluconate vs picolinate"];
const LISTS: &[&str] =
    &["2 eggs, 100g beef, ½ cup lentils", "a handful of cashews, zinc gluconate 50mg", "chiken soup, brocoli"];

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(run());
}

async fn run() {
    let fake = Fake::start().await;
    let dir = std::env::temp_dir().join(format!("zincbot-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let config = format!(
        "[discord]\nguild_ids = [{}]\napi_proxy_url = \"{}\"\n[content]\ndir = {:?}\n[store]\npath = {:?}\n[cooldown]\nuser_seconds = 0\n",
        Fake::GUILD_ID,
        fake.base_url(),
        content.display().to_string(),
        dir.join("profiles.sqlite3").display().to_string()
    );
    std::fs::write(dir.join("config.toml"), config).unwrap();
    let mut bot = tokio::process::Command::new(env!("CARGO_BIN_EXE_zincbot"))
        .args(["run", "--config"])
        .arg(dir.join("config.toml"))
        .env("DISCORD_TOKEN", Fake::TOKEN)
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("RUST_LOG", "warn")
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    assert!(fake.wait_ready(Duration::from_secs(30)).await, "the bot connected");
    assert!(fake
        .wait_for_request(|r| r.method == "PUT" && r.route().ends_with("/commands"), Duration::from_secs(10))
        .await
        .is_some());

    // One driver keeps 50 interactions in flight: it dispatches while fewer than 50 callbacks
    // are outstanding, counting callbacks cheaply instead of waiting on each one.
    let baseline = fake.request_count();
    let mut sent: HashMap<u64, Instant> = HashMap::new();
    let started = Instant::now();
    let deadline = started + Duration::from_secs(120);
    while fake.request_count() - baseline < TOTAL {
        assert!(Instant::now() < deadline, "the load test ran out of time");
        let done = fake.request_count() - baseline;
        if sent.len() < TOTAL && sent.len() - done < IN_FLIGHT {
            let n = sent.len();
            let id = 3_000_000_000_000_000_000 + n as u64;
            let user = 10_000 + n as u64;
            let payload = if n.is_multiple_of(2) {
                Fake::slash_command(
                    id,
                    "ask",
                    json!([Fake::opt_str("question", QUESTIONS[n % QUESTIONS.len()])]),
                    user,
                    1,
                )
            } else {
                Fake::slash_command(id, "intake", json!([Fake::opt_str("foods", LISTS[n % LISTS.len()])]), user, 1)
            };
            sent.insert(id, Instant::now());
            fake.dispatch("INTERACTION_CREATE", payload).await;
        } else {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
    let elapsed = started.elapsed();
    let peak_kb = peak_memory_kb(bot.id().unwrap());

    // Latencies in dispatch order; the first IN_FLIGHT arrive as one burst while the bot opens
    // its HTTP connections, so the steady state is reported apart from the whole run.
    let mut by_id: Vec<(u64, Duration)> = fake
        .requests()
        .iter()
        .filter(|r| r.route().starts_with("/interactions/"))
        .filter_map(|r| {
            let id: u64 = r.route().split('/').nth(2)?.parse().ok()?;
            Some((id, r.at.duration_since(*sent.get(&id)?)))
        })
        .collect();
    by_id.sort();
    let steady: Vec<Duration> = sorted(by_id.iter().skip(2 * IN_FLIGHT).map(|(_, d)| *d).collect());
    let latencies: Vec<Duration> = sorted(by_id.iter().map(|(_, d)| *d).collect());

    let pick = |l: &[Duration], q: f64| l[((l.len() as f64 * q) as usize).min(l.len() - 1)].as_secs_f64() * 1000.0;
    println!(
        "discord load: {} interactions, {IN_FLIGHT} in flight, {:.2} s ({:.0}/s); dispatch to callback p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (after the first {}: p50 {:.2} ms, p99 {:.2} ms); bot peak memory {:.1} MB",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        pick(&latencies, 0.50),
        pick(&latencies, 0.99),
        pick(&latencies, 1.0),
        2 * IN_FLIGHT,
        pick(&steady, 0.50),
        pick(&steady, 0.99),
        peak_kb as f64 / 1024.0
    );
    assert_eq!(latencies.len(), TOTAL);
    let _ = bot.kill().await;
    let _ = std::fs::remove_dir_all(dir);
}

fn sorted(mut v: Vec<Duration>) -> Vec<Duration> {
    v.sort();
    v
}

/// The process's peak resident memory (VmHWM) in kB, from /proc.
fn peak_memory_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
