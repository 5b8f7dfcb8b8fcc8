//! A soak test of `zincbot run` through the fake Discord: 10,000 mixed events (`/ask`,
//! `/intake`, `/profile set` and `show` on the SQLite store, autocomplete, the "Estimate zinc"
//! message command, `/log add` and `/log today`, and food lists and questions in a listen
//! channel). Prints p50 and p99 from dispatch to reply, overall and per kind of event, and the
//! bot process's resident memory after warm-up and after each tenth of the run, to show it
//! levels off. Run with `cargo bench --bench discord_load`; `SOAK_EVENTS` sets the number of
//! events and `SOAK_RATE` paces them (see [`rate`]).

#[path = "../tests/fake_discord/mod.rs"]
mod fake_discord;

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use fake_discord::FakeDiscord as Fake;
use serde_json::json;

/// Events in the soak; `SOAK_EVENTS` sets another number (a longer run shows whether memory
/// levels off).
fn total() -> usize {
    std::env::var("SOAK_EVENTS").ok().and_then(|n| n.parse().ok()).unwrap_or(10_000)
}
/// With `SOAK_RATE` set (events per second), events arrive on a fixed schedule whatever the
/// replies do, as on a server, and the latencies are the bot's own; without it the driver keeps
/// 50 in flight, which saturates the machine and so measures throughput, with latencies that are
/// mostly time spent queueing.
fn rate() -> Option<f64> {
    std::env::var("SOAK_RATE").ok().and_then(|r| r.parse().ok()).filter(|&r: &f64| r > 0.0)
}
/// Events before the memory baseline is taken.
const WARM_UP: usize = 1_000;
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
        "[discord]\nguild_ids = [{}]\nlisten_channels = [{}]\napi_proxy_url = \"{}\"\n[content]\ndir = {:?}\n[store]\npath = {:?}\n[cooldown]\nuser_seconds = 0\n",
        Fake::GUILD_ID,
        Fake::CHANNEL_ID,
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

    // One driver dispatches each event when it is due (paced) or while fewer than 50 replies are
    // outstanding, counting replies cheaply instead of waiting on each one.
    let pid = bot.id().unwrap();
    let baseline = fake.request_count();
    let mut sent: HashMap<u64, Instant> = HashMap::new();
    let mut warm_kb = 0;
    // Resident memory after each further tenth of the run, to show whether it levels off.
    let mut tenths_kb = Vec::new();
    let started = Instant::now();
    let deadline = started + Duration::from_secs(600);
    let (total, rate) = (total(), rate());
    while fake.request_count() - baseline < total {
        assert!(Instant::now() < deadline, "the soak test ran out of time");
        let done = fake.request_count() - baseline;
        if warm_kb == 0 && done >= WARM_UP {
            warm_kb = memory_kb(pid, "VmRSS:");
        }
        if done >= (tenths_kb.len() + 1) * total / 10 && tenths_kb.len() < 10 {
            tenths_kb.push(memory_kb(pid, "VmRSS:"));
        }
        let n = sent.len();
        let due = match rate {
            Some(rate) => Instant::now() >= started + Duration::from_secs_f64(n as f64 / rate),
            None => n - done < IN_FLIGHT,
        };
        if n < total && due {
            let id = 3_000_000_000_000_000_000 + 2 * n as u64;
            let user = 10_000 + (n % 500) as u64;
            let (event, payload) = event(n, id, user);
            sent.insert(id, Instant::now());
            fake.dispatch(event, payload).await;
        } else {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
    let elapsed = started.elapsed();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let end_kb = memory_kb(pid, "VmRSS:");
    let peak_kb = memory_kb(pid, "VmHWM:");

    // Latencies in dispatch order; the first IN_FLIGHT arrive as one burst while the bot opens
    // its HTTP connections, so the steady state is reported apart from the whole run.
    let mut by_id: Vec<(u64, Duration)> = fake
        .requests()
        .iter()
        .filter_map(|r| {
            let id: u64 = if r.route().starts_with("/interactions/") {
                r.route().split('/').nth(2)?.parse().ok()?
            } else {
                r.body["message_reference"]["message_id"].as_str()?.parse().ok()?
            };
            Some((id, r.at.duration_since(*sent.get(&id)?)))
        })
        .collect();
    by_id.sort();
    let steady: Vec<Duration> = sorted(by_id.iter().skip(2 * IN_FLIGHT).map(|(_, d)| *d).collect());
    let latencies: Vec<Duration> = sorted(by_id.iter().map(|(_, d)| *d).collect());

    let pick = |l: &[Duration], q: f64| l[((l.len() as f64 * q) as usize).min(l.len() - 1)].as_secs_f64() * 1000.0;
    println!(
        "discord soak: {} events, {}, {:.2} s ({:.0}/s); dispatch to reply p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (after the first {}: p50 {:.2} ms, p99 {:.2} ms); bot memory after {WARM_UP} events {:.1} MB, at the end {:.1} MB, peak {:.1} MB",
        latencies.len(),
        rate.map_or(format!("{IN_FLIGHT} in flight"), |r| format!("{r} per second")),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        pick(&latencies, 0.50),
        pick(&latencies, 0.99),
        pick(&latencies, 1.0),
        2 * IN_FLIGHT,
        pick(&steady, 0.50),
        pick(&steady, 0.99),
        warm_kb as f64 / 1024.0,
        end_kb as f64 / 1024.0,
        peak_kb as f64 / 1024.0
    );
    let tenths: Vec<String> = tenths_kb.iter().map(|kb| format!("{:.1}", *kb as f64 / 1024.0)).collect();
    println!("bot memory after each tenth of the events, MB: {}", tenths.join(", "));
    // Each kind of event on its own, to show which ones the tail is made of.
    for (kind, name) in KINDS.iter().enumerate() {
        let of_kind: Vec<Duration> = sorted(
            by_id
                .iter()
                .enumerate()
                .skip(2 * IN_FLIGHT)
                .filter(|(n, _)| n % 10 == kind)
                .map(|(_, (_, d))| *d)
                .collect(),
        );
        println!("  {name:<34} p50 {:6.2} ms, p99 {:6.2} ms", pick(&of_kind, 0.50), pick(&of_kind, 0.99));
    }
    assert_eq!(latencies.len(), total);
    let _ = bot.kill().await;
    let _ = std::fs::remove_dir_all(dir);
}

fn sorted(mut v: Vec<Duration>) -> Vec<Duration> {
    v.sort();
    v
}

/// What the `n`th event is, by `n % 10`, as [`event`] builds it.
const KINDS: [&str; 10] = [
    "/ask",
    "/intake with its chart",
    "/profile set",
    "/profile show",
    "autocomplete",
    "Estimate zinc (message command)",
    "food list in a listen channel",
    "question in a listen channel",
    "/log add",
    "/log today with its chart",
];

/// The `n`th event of the mix, with `id` for the interaction or message and `user` as author;
/// every one gets exactly one reply.
fn event(n: usize, id: u64, user: u64) -> (&'static str, serde_json::Value) {
    let channel = Fake::CHANNEL_ID;
    let (question, list) = (QUESTIONS[n % QUESTIONS.len()], LISTS[n % LISTS.len()]);
    let interaction = match n % 10 {
        0 => Fake::slash_command(id, "ask", json!([Fake::opt_str("question", question)]), user, channel),
        1 => Fake::slash_command(id, "intake", json!([Fake::opt_str("foods", list)]), user, channel),
        2 => {
            Fake::subcommand(id, "profile", "set", json!([Fake::opt_str("life_stage", "adult-female")]), user, channel)
        }
        3 => Fake::subcommand(id, "profile", "show", json!([]), user, channel),
        4 => Fake::autocomplete(id, "food", json!([Fake::opt_focused("name", "lent")]), user),
        5 => {
            let target = Fake::message(id + 1, channel, user, false, list, false);
            Fake::message_command(id, "Estimate zinc", target, user, channel)
        }
        8 => Fake::subcommand(id, "log", "add", json!([Fake::opt_str("foods", list)]), user, channel),
        9 => Fake::subcommand(id, "log", "today", json!([]), user, channel),
        // Overheard messages that the bot answers (chit-chat gets nothing, so it is left out).
        6 => return ("MESSAGE_CREATE", Fake::message(id, channel, user, false, LISTS[0], false)),
        _ => return ("MESSAGE_CREATE", Fake::message(id, channel, user, false, QUESTIONS[0], false)),
    };
    ("INTERACTION_CREATE", interaction)
}

/// A memory figure of the process (`VmRSS:` now, `VmHWM:` the peak) in kB, from /proc.
fn memory_kb(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
