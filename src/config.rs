//! `config.toml`: where the content lives. Every key is documented in `config.example.toml`;
//! a missing file means the built-in defaults.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The whole configuration file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub content: ContentConfig,
}

/// `[content]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ContentConfig {
    /// The content folder: topics, food table, reference values.
    pub dir: PathBuf,
}

impl Default for ContentConfig {
    fn default() -> Self {
        ContentConfig { dir: PathBuf::from("content") }
    }
}

impl Config {
    /// Reads `path`. A missing file is the defaults only when `required` is false (the default
    /// `config.toml` is optional; a file named with `--config` must exist).
    pub fn load(path: &Path, required: bool) -> Result<Config, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).map_err(|e| format!("{}: {}", path.display(), e.message())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => Ok(Config::default()),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }
}
