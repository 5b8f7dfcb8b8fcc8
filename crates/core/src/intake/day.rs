//! A day's and a week's logged estimates, added up against the profile's RDA and upper limit.
//!
//! The log keeps what the person typed and the totals computed then; the day is whatever the
//! shell says it is in the person's time zone, so this module only adds up.

use serde::Serialize;

use super::{reference, round, Estimator, Reference};
use crate::content::Profile;

/// One logged estimate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// When it was logged, in the person's time zone (RFC 3339 with offset).
    pub at: String,
    pub input: String,
    pub total_zinc_mg: f64,
    pub total_copper_mg: f64,
    /// The supplements' share of the zinc, for the warnings.
    #[serde(skip)]
    pub supplement_zinc_mg: f64,
}

/// A day of the log, serialised as the `log today --json` contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Day {
    /// `YYYY-MM-DD` in the person's time zone.
    pub date: String,
    pub entries: Vec<Entry>,
    pub total_zinc_mg: f64,
    pub total_copper_mg: f64,
    pub reference: Reference,
    pub warnings: Vec<String>,
}

/// One day's totals, for a week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayTotal {
    pub date: String,
    pub total_zinc_mg: f64,
    pub total_copper_mg: f64,
    /// The supplements' share of the zinc, for the chart.
    #[serde(skip)]
    pub supplement_zinc_mg: f64,
}

/// Seven days, oldest first, today last: the `log week --json` contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Week {
    pub days: Vec<DayTotal>,
    /// The profile the chart's lines come from.
    #[serde(skip)]
    pub reference: Option<Reference>,
}

impl Estimator {
    /// Adds up the entries of `date`, with the warnings a single estimate of that total would
    /// get: over the upper limit, or supplements alone at or near it.
    pub fn day(&self, date: &str, entries: Vec<Entry>, profile: &Profile) -> Day {
        let zinc: f64 = entries.iter().map(|e| e.total_zinc_mg).sum();
        let copper: f64 = entries.iter().map(|e| e.total_copper_mg).sum();
        let supplements: f64 = entries.iter().map(|e| e.supplement_zinc_mg).sum();
        Day {
            date: date.to_string(),
            total_zinc_mg: round(zinc, 2),
            total_copper_mg: round(copper, 3),
            reference: reference(profile, zinc),
            warnings: self.limit_warnings(profile, supplements, zinc, false),
            entries,
        }
    }
}

/// A week of days (dates and their entries, oldest first) as totals.
pub fn week(days: &[(String, Vec<Entry>)], profile: &Profile) -> Week {
    let days = days
        .iter()
        .map(|(date, entries)| DayTotal {
            date: date.clone(),
            total_zinc_mg: round(entries.iter().map(|e| e.total_zinc_mg).sum(), 2),
            total_copper_mg: round(entries.iter().map(|e| e.total_copper_mg).sum(), 3),
            supplement_zinc_mg: round(entries.iter().map(|e| e.supplement_zinc_mg).sum(), 2),
        })
        .collect();
    Week { days, reference: Some(reference(profile, 0.0)) }
}
