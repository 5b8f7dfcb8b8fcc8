//! The engines of zincbot, with no Discord, database or terminal in reach: the compiler holds
//! the shells (in the `zincbot` crate) outside.
//!
//! Layers, each using only those above it:
//!
//! - [`text`] is the one normaliser every engine shares; [`classifier`] is the logistic
//!   regression over words and word pieces behind safety triage and topic ranking; [`words`]
//!   is the language of word patterns the safety concepts are written in, and its matcher.
//! - [`content`] loads `content/` (topics, safety rules, the USDA-derived food table, supplement
//!   forms, reference values) into an immutable [`content::Library`] of validated data; every
//!   health statement and every number the bot uses lives there, with its sources.
//! - [`ask`] turns a question into an [`ask::Answer`]: safety triage, then ranked retrieval over
//!   the topics, through the index it builds from the library.
//! - [`intake`] turns a typed food list into an [`intake::Estimate`], through its food index.
//! - [`render`] turns results into text for the terminal and into Discord embeds (as plain
//!   data) within Discord's limits.
//! - [`advisor::Advisor`] holds the library and both engines, and is the one door every shell
//!   goes through.

pub mod advisor;
pub mod ask;
pub mod classifier;
pub mod content;
pub mod intake;
pub mod render;
pub mod text;
pub mod words;
