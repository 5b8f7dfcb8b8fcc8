//! zincbot: a Discord bot for autoimmune-patient communities that estimates zinc and copper
//! intake from food lists typed in chat (and, in time, answers questions about zinc from curated,
//! sourced content).
//!
//! The crate is a functional core with thin shells:
//!
//! - [`content`] loads `content/` (the USDA-derived food table, supplement forms, reference
//!   values) into an immutable [`content::Library`]; every number the bot uses lives there.
//! - [`intake`] turns a typed food list into an [`intake::Estimate`]: pure, no I/O.
//! - [`text`] is the one normaliser both engines share.
//! - [`render`] turns results into text for the terminal.
//! - [`advisor::Advisor`] is the one door every shell goes through.
//! - [`usda`] is the importer that regenerates the food table from the USDA SR28 files.
//! - [`config`] reads `config.toml`.

pub mod advisor;
pub mod config;
pub mod content;
pub mod intake;
pub mod render;
pub mod text;
pub mod usda;
