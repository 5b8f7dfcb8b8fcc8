//! The `zincbot` command line: estimates, content checks and the food-table importer.

use std::io::{self, BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use jiff::tz::TimeZone;
use jiff::Timestamp;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;
use zincbot::advisor::Advisor;
use zincbot::ask::Asker;
use zincbot::config::Config;
use zincbot::config::StoreLocation;
use zincbot::content::Library;
use zincbot::intake::Estimator;
use zincbot::log::Log;
use zincbot::render;
use zincbot::store;
use zincbot::usda;

/// Zinc and autoimmunity helper: sourced answers about zinc, and zinc and copper estimates from
/// food lists typed in chat.
#[derive(Parser)]
#[command(name = "zincbot", version, about)]
struct Cli {
    /// Configuration file [default: config.toml, optional]
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Content folder (overrides the config file) [default: content]
    #[arg(long, global = true, value_name = "DIR")]
    content: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the Discord bot (token from DISCORD_TOKEN or [discord] token in the config file)
    Run,
    /// Chat in the terminal: questions and food lists, answered as on Discord
    Chat,
    /// Answer a question about zinc, e.g. "is zinc bad for lupus?"
    Ask {
        /// The question; `-` reads one question per line from stdin
        text: String,
        /// Print JSON (one object per line with `-`)
        #[arg(long)]
        json: bool,
        /// Show how the topics ranked (scores and word coverage), for content editors
        #[arg(long, conflicts_with = "json")]
        explain: bool,
    },
    /// Estimate zinc and copper in a food list, e.g. "2 eggs, 100g beef, zinc gluconate 50mg"
    Intake {
        /// The food list; `-` reads one list per line from stdin
        text: String,
        /// Print JSON (one object per line with `-`)
        #[arg(long)]
        json: bool,
        /// Life stage for the RDA and upper limit: adult, adult-female, adult-male, pregnant,
        /// lactating, child-4-8 ... (see content/reference.toml)
        #[arg(long, value_name = "P")]
        profile: Option<String>,
    },
    /// Keep a log of estimates and see a day's or a week's zinc against the RDA and upper limit
    Log {
        /// A SQLite store file [default: the config file's store: DATABASE_URL, [store] url or path]
        #[arg(long, global = true, value_name = "FILE")]
        store: Option<PathBuf>,
        /// Whose log
        #[arg(long, global = true, value_name = "ID", default_value = "local")]
        user: String,
        #[command(subcommand)]
        action: LogAction,
    },
    /// Validate the content folder; prints file:line errors and exits non-zero when broken
    Check,
    /// Retrain the safety classifier (content/safety-model.tsv) on the labelled messages in
    /// content/safety-examples/
    TrainSafety,
    /// Retrain the topic classifier (content/topic-model.tsv) on the labelled questions in
    /// content/question-examples/
    TrainTopics,
    /// Regenerate content/foods.csv and content/food-weights.csv from the USDA SR28 files and
    /// content/food-names.csv
    ImportFoods {
        /// Folder with the SR28 files
        #[arg(long, default_value = "data/usda-sr28", value_name = "DIR")]
        sr28: PathBuf,
        /// Only compare: exit non-zero if the committed tables differ from a fresh import
        #[arg(long)]
        verify: bool,
    },
}

#[derive(Subcommand)]
enum LogAction {
    /// Estimate a food list and log it; an empty or unrecognised list is refused
    Add {
        /// The food list, e.g. "2 eggs, 100g beef, zinc gluconate 50mg"
        text: String,
    },
    /// Today's entries and total (in the local time zone, or the user's saved one)
    Today {
        #[arg(long)]
        json: bool,
        /// Also draw the day as a PNG chart
        #[arg(long, value_name = "FILE.png")]
        chart: Option<PathBuf>,
    },
    /// The last seven days, oldest first
    Week {
        #[arg(long)]
        json: bool,
        /// Also draw the week as a PNG chart
        #[arg(long, value_name = "FILE.png")]
        chart: Option<PathBuf>,
    },
    /// Remove the latest entry
    Undo,
    /// Erase the whole log
    Forget,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref().unwrap_or(Path::new("config.toml")), cli.config.is_some()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("zincbot: bad config: {e}");
            return ExitCode::from(2);
        }
    };
    let content = cli.content.unwrap_or_else(|| config.content.dir.clone());
    match cli.command {
        Command::Run => run(&config, &content),
        Command::Chat => chat(&config, &content),
        Command::Ask { text, json, explain } => ask(&content, &text, json, explain),
        Command::Intake { text, json, profile } => intake(&content, &text, json, profile.as_deref()),
        Command::Log { store, user, action } => {
            match store.map(StoreLocation::Sqlite).map_or_else(|| store_location(&config), Ok) {
                Ok(location) => log(&content, &location, &user, config.log.keep_days, action),
                Err(code) => code,
            }
        }
        Command::Check => check(&content),
        Command::ImportFoods { sr28, verify } => import_foods(&content, &sr28, verify),
        Command::TrainSafety => train_safety(&content),
        Command::TrainTopics => train_topics(&content),
    }
}

fn load(content: &Path) -> Result<Advisor, ExitCode> {
    Advisor::load(content).map_err(|errors| fail(&errors, &broken(content)))
}

fn broken(content: &Path) -> String {
    format!("content in {} is broken (run `zincbot check`)", content.display())
}

/// Prints each problem, then what failed and how many problems there were, to stderr.
fn fail(errors: &[impl std::fmt::Display], what: &str) -> ExitCode {
    for e in errors {
        eprintln!("{e}");
    }
    eprintln!("zincbot: {what}: {} error(s)", errors.len());
    ExitCode::FAILURE
}

fn run(config: &Config, content: &Path) -> ExitCode {
    let Some(token) = config.token(std::env::var("DISCORD_TOKEN").ok()) else {
        eprintln!("zincbot: no Discord token: set DISCORD_TOKEN or [discord] token in the config file (see README)");
        return ExitCode::from(2);
    };
    let location = match store_location(config) {
        Ok(location) => location,
        Err(code) => return code,
    };
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| zincbot::discord::LOG_FILTER.into());
    let resharding = zincbot::discord::ShardingRequired::default();
    tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_target(false).with_filter(filter))
        .with(resharding.layer())
        .init();
    let advisor = match load(content) {
        Ok(advisor) => advisor,
        Err(code) => return code,
    };
    return_large_buffers();
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().max_blocking_threads(BLOCKING_THREADS).build();
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("zincbot: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(zincbot::discord::run(config, &token, &location, advisor, &resharding));
    // A store call stuck on another process's lock must not hold the exit up.
    runtime.shutdown_timeout(zincbot::discord::SHUTDOWN_GRACE);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zincbot: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Threads for the bot's blocking work (store calls and charts). Tokio's default, 512, let a
/// soak of 60,000 events start 45 of them, each with its own stack and arena share: 73.8 MB at
/// the end (peak 81.1 MB), against 66.3 MB (peak 71.9 MB) with 8, at the same p99. Eight still
/// leave charts drawing while a few store calls wait on another process's lock.
const BLOCKING_THREADS: usize = 8;

/// Makes freed buffers of 1 MiB or more (a chart's image) go back to the system. glibc
/// otherwise raises its threshold after the first one is freed and keeps later ones in the
/// per-thread arenas of the blocking pool, where they held some 60 MB that was never reused.
/// Smaller buffers keep glibc's usual handling, in two arenas rather than one per busy thread
/// of the blocking pool: over 40,000 soak events that ended at 73 MB instead of 80 MB, for 5 %
/// less throughput.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_large_buffers() {
    // SAFETY: mallopt only changes an allocator setting, and runs before any other thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_large_buffers() {}

fn chat(config: &Config, content: &Path) -> ExitCode {
    let advisor = match load(content) {
        Ok(advisor) => advisor,
        Err(code) => return code,
    };
    let location = match store_location(config) {
        Ok(location) => location,
        Err(code) => return code,
    };
    match zincbot::console::run(&advisor, &location, config.log.keep_days) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zincbot: {e}");
            ExitCode::FAILURE
        }
    }
}

fn ask(content: &Path, text: &str, json: bool, explain: bool) -> ExitCode {
    // Only the topics and the safety rules: answering needs no food tables.
    let asker = match Asker::load(content) {
        Ok(asker) => asker,
        Err(errors) => return fail(&errors, &broken(content)),
    };
    let code = each_input(text, json, |question, out| {
        if explain {
            let concepts = zincbot::ask::triage::concepts_found(&asker.safety, question);
            writeln!(
                out,
                "safety concepts: {}",
                if concepts.is_empty() { "none".into() } else { concepts.join(", ") }
            )?;
            let rules = zincbot::ask::triage::combinations_holding(&asker.safety, question);
            writeln!(out, "safety rules: {}", if rules.is_empty() { "none".into() } else { rules.join("; ") })?;
            let (classes, evidence) = zincbot::ask::triage::model_view(&asker.safety, question);
            let classes: Vec<String> = classes.iter().take(3).map(|(c, p)| format!("{c} {p:.2}")).collect();
            writeln!(out, "safety model: {} (words: {})", classes.join(", "), evidence.join(", "))?;
            let (ranked, no_match) = asker.explain(question);
            writeln!(out, "topic model: no topic answers it {no_match:.2}")?;
            for (topic, r) in ranked {
                writeln!(
                    out,
                    "{topic:<36} rank {:>5.2}  words {:>6.2} (coverage {:.2})  topic model {:.2}",
                    r.combined, r.words, r.coverage, r.model
                )?;
            }
        }
        let answer = asker.ask(question);
        if json {
            serde_json::to_writer(&mut *out, &answer)?;
            writeln!(out)
        } else {
            write!(out, "{}", render::answer_text(&answer))
        }
    });
    exit_without_freeing(asker, code)
}

fn intake(content: &Path, text: &str, json: bool, profile: Option<&str>) -> ExitCode {
    // Only the foods, supplement forms and reference values: estimating needs no topics.
    let estimator = match Estimator::load(content) {
        Ok(estimator) => estimator,
        Err(errors) => return fail(&errors, &broken(content)),
    };
    let profile = match estimator.profile(profile) {
        Ok(profile) => profile,
        Err(e) => {
            eprintln!("zincbot: {e}");
            return ExitCode::from(2);
        }
    };
    let code = each_input(text, json, |list, out| {
        let estimate = estimator.estimate(list, profile);
        if json {
            serde_json::to_writer(&mut *out, &estimate)?;
            writeln!(out)
        } else {
            write!(out, "{}", render::estimate_text(&estimate))
        }
    });
    exit_without_freeing(estimator, code)
}

/// Where the config (or `DATABASE_URL`) keeps user data; exit code 2 when it cannot say.
fn store_location(config: &Config) -> Result<StoreLocation, ExitCode> {
    config.store(std::env::var("DATABASE_URL").ok()).map_err(|e| {
        eprintln!("zincbot: {e}");
        ExitCode::from(2)
    })
}

fn log(content: &Path, location: &StoreLocation, user: &str, keep_days: u32, action: LogAction) -> ExitCode {
    let store = match store::open(location) {
        Ok(store) => store,
        Err(e) => {
            eprintln!("zincbot: cannot open {location}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let estimator = match Estimator::load(content) {
        Ok(estimator) => estimator,
        Err(errors) => return fail(&errors, &broken(content)),
    };
    // A Discord user's saved life stage and time zone apply; "local" is this machine's.
    let log = Log::of(&*store, user, TimeZone::system(), keep_days);
    let profile = log.profile(&estimator);
    let now = Timestamp::now();
    let result: Result<String, String> = match action {
        LogAction::Add { text } => log
            .add(&estimator, &text, profile, now)
            .and_then(|estimate| {
                let day = log.today(&estimator, profile, now)?;
                Ok(format!(
                    "{}\nLogged. {} so far on {}: {} mg of zinc.\n",
                    render::estimate_text(&estimate),
                    day.entries.len(),
                    day.date,
                    day.total_zinc_mg
                ))
            })
            .map_err(|e| e.to_string()),
        LogAction::Today { json, chart } => {
            log.today(&estimator, profile, now).map_err(|e| e.to_string()).and_then(|day| {
                draw(chart.as_deref(), || zincbot::chart::day_png(&day))?;
                Ok(if json { to_json(&day) } else { render::day_text(&day) })
            })
        }
        LogAction::Week { json, chart } => log.week(profile, now).map_err(|e| e.to_string()).and_then(|week| {
            draw(chart.as_deref(), || zincbot::chart::week_png(&week))?;
            Ok(if json { to_json(&week) } else { render::week_text(&week) })
        }),
        LogAction::Undo => log.undo().map_err(|e| e.to_string()).map(|removed| match removed {
            Some(entry) => format!("Removed the latest entry: {}\n", entry.input),
            None => "The log is empty: nothing to undo.\n".to_string(),
        }),
        LogAction::Forget => log.forget().map_err(|e| e.to_string()).map(|n| format!("Erased {n} log entries.\n")),
    };
    match result {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("zincbot: {e}");
            ExitCode::FAILURE
        }
    }
}

fn to_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default() + "\n"
}

/// Draws a chart into `path` when one was asked for.
fn draw(path: Option<&Path>, png: impl FnOnce() -> Result<Vec<u8>, String>) -> Result<(), String> {
    let Some(path) = path else { return Ok(()) };
    let bytes = png().map_err(|e| format!("could not draw the chart: {e}"))?;
    std::fs::write(path, bytes).map_err(|e| format!("could not write the chart to {}: {e}", path.display()))
}

/// Ends a one-shot command without freeing the loaded content piece by piece: the process is
/// about to exit and the system takes the memory back at once (a tenth of a short run).
fn exit_without_freeing<T>(engines: T, code: ExitCode) -> ExitCode {
    std::mem::forget(engines);
    code
}

/// Runs `answer` on `text`, or on each line of stdin when `text` is `-` (separating human
/// replies by a blank line; JSON replies are one per line already).
fn each_input(text: &str, json: bool, mut answer: impl FnMut(&str, &mut dyn Write) -> io::Result<()>) -> ExitCode {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut result = Ok(());
    if text == "-" {
        // A line that is not valid UTF-8 is read with replacement characters rather than
        // dropped: it may still be someone asking for help.
        for (i, line) in io::stdin().lock().split(b'\n').enumerate() {
            result = line.and_then(|bytes| {
                let line = String::from_utf8_lossy(&bytes);
                let line = line.strip_suffix('\r').unwrap_or(&line);
                if i > 0 && !json {
                    writeln!(out)?;
                }
                answer(line, &mut out)
            });
            if result.is_err() {
                break;
            }
        }
    } else {
        result = answer(text, &mut out);
    }
    match result.and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is not an error worth a message.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zincbot: {e}");
            ExitCode::FAILURE
        }
    }
}

fn check(content: &Path) -> ExitCode {
    // Written without `println!`, which panics when the reader has gone (`| head`).
    let mut out = io::stdout().lock();
    match Library::load(content) {
        Ok(library) => {
            let safety = &library.safety;
            let _ = writeln!(
                out,
                "{}: ok ({} topics and a topic classifier of {} features; {} urgent and {} decline rules over {} concepts, and a safety classifier of {} features; {} foods, {} with chat names, {} dishes; {} supplement forms, {} products; {} profiles)",
                content.display(),
                library.topics.len(),
                library.topic_model.feature_count(),
                safety.urgent.len(),
                safety.decline.len(),
                safety.concepts.len(),
                safety.model.classifier.feature_count(),
                library.foods.foods.len(),
                library.foods.curated_count(),
                library.foods.dishes.len(),
                library.supplements.forms.len(),
                library.supplements.products.len(),
                library.reference.profiles.len()
            );
            ExitCode::SUCCESS
        }
        Err(errors) => {
            for e in &errors {
                let _ = writeln!(out, "{e}");
            }
            let _ = writeln!(out, "{}: {} error(s)", content.display(), errors.len());
            ExitCode::FAILURE
        }
    }
}

fn train_safety(content: &Path) -> ExitCode {
    use zincbot::content::safety;
    match safety::training_set(content) {
        Ok(set) => train(content, set, safety::MODEL_FILE, "train-safety", safety::EXAMPLES_DIR),
        Err(errors) => fail(&errors, "the safety examples are broken"),
    }
}

fn train_topics(content: &Path) -> ExitCode {
    use zincbot::content::{citations::NeverCite, topic_model, topics};
    // The topics are checked by `check` after training; here only their questions are needed.
    let topics = match topics::load(&content.join("topics"), &NeverCite::default()) {
        Ok(topics) => topics,
        Err(errors) => return fail(&errors, "the topics are broken"),
    };
    match topic_model::training_set(content, &topics) {
        Ok(set) => train(content, set, topic_model::MODEL_FILE, "train-topics", topic_model::EXAMPLES_DIR),
        Err(errors) => fail(&errors, "the question examples are broken"),
    }
}

/// Trains a classifier on `set` and writes it to `content/file`; if the content does not load
/// with it (a class no longer names a rule or topic), the previous model is put back.
fn train(content: &Path, set: zincbot::classifier::TrainingSet, file: &str, command: &str, examples: &str) -> ExitCode {
    let count = set.examples.len();
    let model = set.train();
    let header = format!(
        "Written by `zincbot {command}` from the {count} labelled messages in {examples}/.\n\
         Do not edit: add or relabel examples there and train again. Format: see crates/core/src/classifier.rs."
    );
    let path = content.join(file);
    let previous = std::fs::read(&path).ok();
    if let Err(e) = std::fs::write(&path, model.to_tsv(&header)) {
        eprintln!("zincbot: cannot write {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    println!("wrote {} ({count} examples, {} classes)", path.display(), model.classes.len());
    let code = check(content);
    if code != ExitCode::SUCCESS {
        if let Some(previous) = previous {
            let _ = std::fs::write(&path, previous);
            println!("{}: the previous model is back in place", path.display());
        }
    }
    code
}

fn import_foods(content: &Path, sr28: &Path, verify: bool) -> ExitCode {
    let sources = usda::Sources { sr28_dir: sr28.to_path_buf(), names_file: content.join("food-names.csv") };
    let generated = match usda::import(&sources) {
        Ok(generated) => generated,
        Err(errors) => return fail(&errors, "the import failed"),
    };
    let files = [("foods.csv", &generated.foods_csv), ("food-weights.csv", &generated.weights_csv)];
    for (name, text) in files {
        let path = content.join(name);
        if verify {
            let same = std::fs::read_to_string(&path).is_ok_and(|committed| committed == *text);
            if !same {
                eprintln!("{}: differs from a fresh import; run `zincbot import-foods`", path.display());
                return ExitCode::FAILURE;
            }
            println!("{}: matches a fresh import", path.display());
        } else if let Err(e) = std::fs::write(&path, text) {
            eprintln!("zincbot: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        } else {
            println!("wrote {} ({} lines)", path.display(), text.lines().count());
        }
    }
    ExitCode::SUCCESS
}
