//! The `zincbot` command line: estimates, content checks and the food-table importer.

use std::io::{self, BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use zincbot::advisor::Advisor;
use zincbot::config::Config;
use zincbot::content::Library;
use zincbot::render;
use zincbot::usda;

/// Zinc and autoimmunity helper: estimates zinc and copper from food lists typed in chat.
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
    /// Validate the content folder; prints file:line errors and exits non-zero when broken
    Check,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref().unwrap_or(Path::new("config.toml")), cli.config.is_some()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("zincbot: bad config: {e}");
            return ExitCode::from(2);
        }
    };
    let content = cli.content.unwrap_or(config.content.dir);
    match cli.command {
        Command::Intake { text, json, profile } => intake(&content, &text, json, profile.as_deref()),
        Command::Check => check(&content),
        Command::ImportFoods { sr28, verify } => import_foods(&content, &sr28, verify),
    }
}

fn load(content: &Path) -> Result<Advisor, ExitCode> {
    Advisor::load(content).map_err(|errors| {
        for e in &errors {
            eprintln!("{e}");
        }
        eprintln!("zincbot: content in {} has {} error(s); run `zincbot check`", content.display(), errors.len());
        ExitCode::FAILURE
    })
}

fn intake(content: &Path, text: &str, json: bool, profile: Option<&str>) -> ExitCode {
    let advisor = match load(content) {
        Ok(advisor) => advisor,
        Err(code) => return code,
    };
    let profile = match advisor.profile(profile) {
        Ok(profile) => profile,
        Err(e) => {
            eprintln!("zincbot: {e}");
            return ExitCode::from(2);
        }
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let answer = |text: &str, out: &mut BufWriter<io::StdoutLock>| -> io::Result<()> {
        let estimate = advisor.intake(text, profile);
        if json {
            serde_json::to_writer(&mut *out, &estimate)?;
            writeln!(out)
        } else {
            write!(out, "{}", render::estimate_text(&estimate))
        }
    };
    let result = if text == "-" {
        let mut result = Ok(());
        for (i, line) in io::stdin().lock().lines().enumerate() {
            let line = match line {
                Ok(line) => line,
                Err(e) => {
                    result = Err(e);
                    break;
                }
            };
            if i > 0 && !json {
                let _ = writeln!(out);
            }
            result = answer(&line, &mut out);
            if result.is_err() {
                break;
            }
        }
        result
    } else {
        answer(text, &mut out)
    };
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
    match Library::load(content) {
        Ok(library) => {
            println!(
                "{}: ok ({} foods, {} with chat names; {} supplement forms; {} profiles)",
                content.display(),
                library.foods.foods.len(),
                library.foods.curated_count(),
                library.supplements.forms.len(),
                library.reference.profiles.len()
            );
            ExitCode::SUCCESS
        }
        Err(errors) => {
            for e in &errors {
                println!("{e}");
            }
            println!("{}: {} error(s)", content.display(), errors.len());
            ExitCode::FAILURE
        }
    }
}

fn import_foods(content: &Path, sr28: &Path, verify: bool) -> ExitCode {
    let sources = usda::Sources { sr28_dir: sr28.to_path_buf(), names_file: content.join("food-names.csv") };
    let generated = match usda::import(&sources) {
        Ok(generated) => generated,
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            eprintln!("zincbot: import failed with {} error(s)", errors.len());
            return ExitCode::FAILURE;
        }
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
