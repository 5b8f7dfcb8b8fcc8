//! zincbot: a Discord bot for autoimmune-patient communities that answers questions about zinc
//! and autoimmunity from curated, sourced content, and estimates zinc and copper intake from food
//! lists typed in chat.
//!
//! This crate holds the shells around the engines of [`zincbot_core`] (re-exported here):
//!
//! - [`console`] is the terminal chat and [`discord`] the Discord bot (serenity and poise);
//!   `main.rs` is the command line.
//! - [`store`] keeps user profiles (user id, life stage, time zone) and the opt-in intake log,
//!   in SQLite or in a PostgreSQL database that several processes share; [`log`] reads a user's
//!   day and week from it in their time zone, and [`chart`] draws them.
//! - [`config`] reads `config.toml`.
//! - [`usda`] is the importer that regenerates the food table from the USDA SR28 files.

pub use zincbot_core::{advisor, ask, classifier, content, intake, render, text, words};

pub mod chart;
pub mod config;
pub mod console;
pub mod discord;
pub mod log;
pub mod store;
pub mod usda;
