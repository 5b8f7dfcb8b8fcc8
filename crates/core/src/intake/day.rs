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
        let total = DayTotal::of(date, &entries);
        Day {
            date: total.date,
            total_zinc_mg: total.total_zinc_mg,
            total_copper_mg: total.total_copper_mg,
            reference: reference(profile, total.total_zinc_mg),
            warnings: self.limit_warnings(profile, total.supplement_zinc_mg, total.total_zinc_mg, false),
            entries,
        }
    }
}

impl DayTotal {
    /// The totals of `entries`, logged on `date`.
    fn of(date: &str, entries: &[Entry]) -> DayTotal {
        let sum = |part: fn(&Entry) -> f64| entries.iter().map(part).sum::<f64>();
        DayTotal {
            date: date.to_string(),
            total_zinc_mg: round(sum(|e| e.total_zinc_mg), 2),
            total_copper_mg: round(sum(|e| e.total_copper_mg), 3),
            supplement_zinc_mg: round(sum(|e| e.supplement_zinc_mg), 2),
        }
    }
}

/// A week of days (dates and their entries, oldest first) as totals.
pub fn week(days: &[(String, Vec<Entry>)], profile: &Profile) -> Week {
    let days = days.iter().map(|(date, entries)| DayTotal::of(date, entries)).collect();
    Week { days, reference: Some(reference(profile, 0.0)) }
}
