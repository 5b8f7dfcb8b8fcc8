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
    pub health: HealthConfig,
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
    /// Which gateway shards this process runs.
    pub shards: Shards,
}

/// The gateway shards one process runs: all of them, as many as Discord recommends, or a range
/// of a fixed total so that several processes share one bot.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(try_from = "ShardsToml")]
pub enum Shards {
    /// `shards = "auto"`: every shard, as many as Discord recommends.
    #[default]
    Auto,
    /// `shards = { ids = [0, 1], total = 4 }`: shards `ids` (consecutive) of `total`.
    Range { ids: std::ops::Range<u32>, total: u32 },
}

impl Shards {
    /// Whether this process runs shard 0, the one that registers the commands.
    pub fn runs_first(&self) -> bool {
        match self {
            Shards::Auto => true,
            Shards::Range { ids, .. } => ids.start == 0,
        }
    }
}

/// `shards` as written in the file.
#[derive(Deserialize)]
#[serde(untagged)]
enum ShardsToml {
    Word(String),
    Range { ids: Vec<u32>, total: u32 },
}

impl TryFrom<ShardsToml> for Shards {
    type Error = &'static str;

    fn try_from(value: ShardsToml) -> Result<Shards, &'static str> {
        match value {
            ShardsToml::Word(word) if word == "auto" => Ok(Shards::Auto),
            ShardsToml::Word(_) => Err("shards must be \"auto\" or { ids = [0, 1], total = 4 }"),
            ShardsToml::Range { ids, total } => {
                let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else {
                    return Err("shards.ids must name at least one shard");
                };
                if ids.windows(2).any(|pair| pair[1] != pair[0] + 1) {
                    return Err("shards.ids must be consecutive and ascending, such as [2, 3]");
                }
                if last >= total {
                    return Err("every shard id must be below shards.total (ids count from 0)");
                }
                Ok(Shards::Range { ids: first..last + 1, total })
            }
        }
    }
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
            shards: Shards::Auto,
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
    /// A PostgreSQL database instead (`postgres://user@host:port/db`), shared by several
    /// processes; `DATABASE_URL` takes precedence.
    pub url: Option<Secret>,
}

/// Where user data lives.
#[derive(Debug, Clone, PartialEq)]
pub enum StoreLocation {
    /// An embedded SQLite file, for one process.
    Sqlite(PathBuf),
    /// A PostgreSQL database shared by every process of the bot.
    Postgres(Secret),
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
        StoreConfig { path: PathBuf::from("zincbot.sqlite3"), url: None }
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

/// `[health]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HealthConfig {
    /// Serve `GET /health` here (such as `127.0.0.1:8080`): the shards' states and whether the
    /// store answers, for systemd or an orchestrator. Off when unset.
    pub listen: Option<std::net::SocketAddr>,
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
        if let Some(url) = &self.store.url {
            if !is_postgres_url(url.expose()) {
                return Err("[store] url must be a postgres:// or postgresql:// address");
            }
        }
        Ok(())
    }

    /// Where user data lives: `DATABASE_URL` if set, else `[store] url`, else `[store] path`.
    pub fn store(&self, env: Option<String>) -> Result<StoreLocation, &'static str> {
        match env.filter(|url| !url.trim().is_empty()) {
            Some(url) if is_postgres_url(&url) => Ok(StoreLocation::Postgres(Secret::new(url))),
            Some(_) => Err("DATABASE_URL must be a postgres:// or postgresql:// address"),
            None => Ok(match &self.store.url {
                Some(url) => StoreLocation::Postgres(url.clone()),
                None => StoreLocation::Sqlite(self.store.path.clone()),
            }),
        }
    }

    /// The bot token: `DISCORD_TOKEN` if set, else `[discord] token`.
    pub fn token(&self, env: Option<String>) -> Option<Secret> {
        env.map(Secret::new)
            .filter(|t| !t.is_empty())
            .or_else(|| Some(self.discord.token.clone()).filter(|t| !t.is_empty()))
    }
}

impl fmt::Display for StoreLocation {
    /// The file, or the database without its URL (which may hold a password).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreLocation::Sqlite(path) => write!(f, "the store {}", path.display()),
            StoreLocation::Postgres(_) => f.write_str("the PostgreSQL store"),
        }
    }
}

/// Whether `url` names a PostgreSQL database (checked without echoing it: it may hold a password).
fn is_postgres_url(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "postgres" | "postgresql"))
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

    #[test]
    fn shards_are_auto_or_a_consecutive_range() {
        assert_eq!(Config::default().discord.shards, Shards::Auto);
        let read =
            |text: &str| toml::from_str::<Config>(&format!("[discord]\nshards = {text}")).map(|c| c.discord.shards);
        assert_eq!(read("\"auto\"").unwrap(), Shards::Auto);
        let range = read("{ ids = [2, 3], total = 4 }").unwrap();
        assert_eq!(range, Shards::Range { ids: 2..4, total: 4 });
        assert!(!range.runs_first());
        assert!(read("{ ids = [0], total = 2 }").unwrap().runs_first());
        for (bad, says) in [
            ("\"many\"", "\"auto\""),
            ("{ ids = [], total = 4 }", "at least one"),
            ("{ ids = [0, 2], total = 4 }", "consecutive"),
            ("{ ids = [1, 0], total = 4 }", "consecutive"),
            ("{ ids = [3, 4], total = 4 }", "below shards.total"),
        ] {
            let error = read(bad).unwrap_err().to_string();
            assert!(error.contains(says), "{bad}: {error}");
        }
    }

    #[test]
    fn database_url_wins_and_is_never_printed() {
        let config: Config = toml::from_str("[store]\nurl = \"postgres://bot:hunter2@db/zincbot\"").unwrap();
        assert!(!format!("{config:?}").contains("hunter2"));
        let from_file = config.store(None).unwrap();
        assert_eq!(from_file, StoreLocation::Postgres(Secret::new("postgres://bot:hunter2@db/zincbot")));
        let from_env = config.store(Some("postgresql://other/db".into())).unwrap();
        assert_eq!(from_env, StoreLocation::Postgres(Secret::new("postgresql://other/db")));
        assert!(config.store(Some("mysql://x/y".into())).is_err());
        assert_eq!(Config::default().store(None).unwrap(), StoreLocation::Sqlite("zincbot.sqlite3".into()));
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), "[store]\nurl = \"http://db/zincbot\"").unwrap();
        assert!(Config::load(file.path(), true).unwrap_err().to_string().contains("postgres://"));
    }
}
