//! zincbot: a Discord bot for autoimmune-patient communities that answers questions about zinc
//! and autoimmunity from curated, sourced content, and estimates zinc and copper intake from food
//! lists typed in chat.
//!
//! The crate is a functional core with thin shells:
//!
//! - [`content`] loads `content/` (topics, safety rules, the USDA-derived food table, supplement
//!   forms, reference values) into an immutable [`content::Library`]; every health statement and
//!   every number the bot uses lives there, with its sources.
//! - [`ask`] turns a question into an [`ask::Answer`]: safety routing, then ranked retrieval over
//!   the topics; pure, no I/O.
//! - [`intake`] turns a typed food list into an [`intake::Estimate`]: pure, no I/O.
//! - [`text`] is the one normaliser both engines share.
//! - [`render`] turns results into text for the terminal and into Discord embeds within Discord's
//!   limits.
//! - [`advisor::Advisor`] is the one door every shell goes through; [`console`] is the terminal
//!   shell and [`discord`] the Discord one (serenity and poise).
//! - [`store`] keeps user profiles (user id and life stage) in SQLite.
//! - [`usda`] is the importer that regenerates the food table from the USDA SR28 files.
//! - [`config`] reads `config.toml`.

pub mod advisor;
pub mod ask;
pub mod config;
pub mod console;
pub mod content;
pub mod discord;
pub mod intake;
pub mod render;
pub mod store;
pub mod text;
pub mod usda;
