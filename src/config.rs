//! `config.toml`: every key is documented in `config.example.toml`; a missing file means the
//! built-in defaults. The Discord token may come from `DISCORD_TOKEN` instead, and never appears
//! in logs or errors.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The whole configuration file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub discord: DiscordConfig,
    pub content: ContentConfig,
    pub store: StoreConfig,
    pub log: LogConfig,
    pub cooldown: CooldownConfig,
    pub safety: SafetyConfig,
}

/// A secret that prints as `***`, so a `Debug` of the configuration cannot leak it.
#[derive(Clone, Default, Deserialize, PartialEq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_empty() { "\"\"" } else { "***" })
    }
}

/// `[discord]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DiscordConfig {
    /// The bot token; `DISCORD_TOKEN` takes precedence.
    pub token: Secret,
    /// Guilds to register the commands in (instantly); empty registers them globally.
    pub guild_ids: Vec<u64>,
    /// Channels where plain messages (food lists, questions) get answers.
    pub listen_channels: Vec<u64>,
    /// Answer messages that mention the bot, in any channel.
    pub reply_to_mentions: bool,
    /// Ask Discord for message content (the privileged Message Content intent). Needed to read
    /// plain messages in `listen_channels`; slash commands, mentions and the context menu work
    /// without it.
    pub message_content: bool,
    /// Send REST requests through this base URL (a shared ratelimiting proxy, or a local
    /// Discord-compatible server) instead of discord.com; disables the built-in ratelimiter.
    pub api_proxy_url: Option<String>,
    /// Users or roles (by id) who may `/reload`, besides the application's owner: a reload
    /// changes the content for every server the bot is in.
    pub admins: Vec<u64>,
    /// Attach a small chart of the estimate to `/intake` replies.
    pub charts: bool,
}

impl Default for DiscordConfig {
    fn default() -> Self {
        DiscordConfig {
            token: Secret::default(),
            guild_ids: Vec::new(),
            listen_channels: Vec::new(),
            reply_to_mentions: true,
            message_content: true,
            api_proxy_url: None,
            admins: Vec::new(),
            charts: true,
        }
    }
}

/// `[content]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ContentConfig {
    /// The content folder: topics, safety rules, food table, reference values.
    pub dir: PathBuf,
}

impl Default for ContentConfig {
    fn default() -> Self {
        ContentConfig { dir: PathBuf::from("content") }
    }
}

/// `[store]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StoreConfig {
    /// The SQLite file holding user profiles and the opt-in intake log; created on first run.
    pub path: PathBuf,
}

/// `[log]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// Days an intake log entry is kept; older entries are erased.
    pub keep_days: u32,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig { keep_days: 90 }
    }
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig { path: PathBuf::from("zincbot.sqlite3") }
    }
}

/// `[cooldown]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CooldownConfig {
    /// After a few requests at once, seconds a member waits between two requests to the bot
    /// (commands or messages).
    pub user_seconds: f64,
}

impl Default for CooldownConfig {
    fn default() -> Self {
        CooldownConfig { user_seconds: 3.0 }
    }
}

/// `[safety]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SafetyConfig {
    /// A channel where the bot posts a short notice, with a link and no message text, whenever it
    /// gives urgent or crisis guidance in a server, so a moderator can check in. Off when unset.
    pub alert_channel: Option<u64>,
}

/// Why a config file was refused; each names the file, and the line when there is one.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: {source}", path.display())]
    Unreadable { path: PathBuf, source: std::io::Error },
    #[error("{}:{line}: {message}", path.display())]
    Syntax { path: PathBuf, line: usize, message: String },
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: &'static str },
}

impl Config {
    /// Reads `path`. A missing file is the defaults only when `required` is false (the default
    /// `config.toml` is optional; a file named with `--config` must exist).
    pub fn load(path: &Path, required: bool) -> Result<Config, ConfigError> {
        let config: Config = match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).map_err(|e| ConfigError::Syntax {
                path: path.to_path_buf(),
                line: e.span().map_or(0, |s| crate::text::line_of(&text, s.start)),
                message: e.message().to_string(),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => Config::default(),
            Err(source) => return Err(ConfigError::Unreadable { path: path.to_path_buf(), source }),
        };
        config.validate().map_err(|message| ConfigError::Invalid { path: path.to_path_buf(), message })?;
        Ok(config)
    }

    /// The checks a value's type cannot make.
    fn validate(&self) -> Result<(), &'static str> {
        if !(self.cooldown.user_seconds >= 0.0 && self.cooldown.user_seconds <= 3600.0) {
            return Err("[cooldown] user_seconds must be between 0 and 3600");
        }
        let web = |url: &url::Url| matches!(url.scheme(), "http" | "https") && url.has_host();
        if let Some(url) = &self.discord.api_proxy_url {
            if !url::Url::parse(url).is_ok_and(|u| web(&u)) {
                return Err("[discord] api_proxy_url must be an http:// or https:// address");
            }
        }
        Ok(())
    }

    /// The bot token: `DISCORD_TOKEN` if set, else `[discord] token`.
    pub fn token(&self, env: Option<String>) -> Option<Secret> {
        env.map(Secret::new)
            .filter(|t| !t.is_empty())
            .or_else(|| Some(self.discord.token.clone()).filter(|t| !t.is_empty()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_do_not_print() {
        let config: Config = toml::from_str("[discord]\ntoken = \"abc.def.ghi\"").unwrap();
        assert!(!format!("{config:?}").contains("abc"));
        assert_eq!(config.discord.token.expose(), "abc.def.ghi");
    }

    #[test]
    fn the_environment_wins_over_the_file() {
        let config: Config = toml::from_str("[discord]\ntoken = \"file\"").unwrap();
        assert_eq!(config.token(Some("env".into())).unwrap().expose(), "env");
        assert_eq!(config.token(None).unwrap().expose(), "file");
        assert_eq!(config.token(Some("  ".into())).unwrap().expose(), "file");
        assert!(Config::default().token(None).is_none());
    }

    #[test]
    fn defaults_are_sensible() {
        let config = Config::default();
        assert!(config.discord.reply_to_mentions && config.discord.message_content);
        assert_eq!(config.cooldown.user_seconds, 3.0);
        assert_eq!(config.store.path, PathBuf::from("zincbot.sqlite3"));
    }
}
