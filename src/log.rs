//! The opt-in intake log, shared by the command line, the terminal chat and Discord: logs an
//! estimate, and reads a user's day and week back in their time zone.
//!
//! The store keeps only what was typed, when, and the totals computed then; the day an entry
//! belongs to is worked out when it is read, so changing time zone moves past entries with it.

use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan, Zoned};

use crate::intake::day::{self, Day, Entry, Week};
use crate::intake::{Estimate, Estimator, Status};
use crate::store::{LogRow, Store};
use zincbot_core::content::Profile;

/// Why an estimate was not logged.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("nothing to log: type what you ate, for example \"2 eggs, 100g beef\"")]
    Empty,
    #[error("nothing was recognised, so nothing was logged")]
    NothingRecognized,
    #[error("the log could not be read or written: {0}")]
    Store(#[from] crate::store::Error),
}

/// A user's log in one store, read in one time zone.
pub struct Log<'a> {
    pub store: &'a dyn Store,
    /// Who: a Discord user id, or "local" on the command line.
    pub user: String,
    pub zone: TimeZone,
    pub keep_days: u32,
}

impl<'a> Log<'a> {
    /// The log of `user` in `store`, read in the time zone they saved (a Discord member's, with
    /// `/profile set`), else in `fallback`.
    pub fn of(store: &'a dyn Store, user: &str, fallback: TimeZone, keep_days: u32) -> Log<'a> {
        let saved = user.parse::<u64>().ok().and_then(|id| store.time_zone(id).ok().flatten());
        let zone = saved.and_then(|name| zone(&name)).unwrap_or(fallback);
        Log { store, user: user.to_string(), zone, keep_days }
    }

    /// The life stage the user saved, else the default.
    pub fn profile<'e>(&self, estimator: &'e Estimator) -> &'e Profile {
        let saved = self.user.parse::<u64>().ok().and_then(|id| self.store.life_stage(id).ok().flatten());
        estimator.profile(saved.as_deref()).unwrap_or_else(|_| estimator.reference.default())
    }

    /// Estimates `text` and logs it at `now`, or says why not: an empty or unrecognised list is
    /// refused and nothing is written.
    pub fn add(
        &self,
        estimator: &Estimator,
        text: &str,
        profile: &Profile,
        now: Timestamp,
    ) -> Result<Estimate, LogError> {
        let estimate = estimator.estimate(text, profile);
        match estimate.status {
            Status::Empty => return Err(LogError::Empty),
            Status::NothingRecognized => return Err(LogError::NothingRecognized),
            Status::Ok | Status::Implausible => {}
        }
        let row = LogRow {
            at: now.as_millisecond(),
            input: text.trim().to_string(),
            zinc_mg: estimate.total_zinc_mg,
            copper_mg: estimate.total_copper_mg,
            supplement_zinc_mg: estimate.supplement_zinc_mg,
        };
        self.store.log_add(&self.user, &row, self.keep_days)?;
        Ok(estimate)
    }

    /// Removes the latest entry and returns it.
    pub fn undo(&self) -> Result<Option<LogRow>, LogError> {
        Ok(self.store.log_undo(&self.user)?)
    }

    /// Erases the whole log; how many entries it had.
    pub fn forget(&self) -> Result<usize, LogError> {
        Ok(self.store.log_forget(&self.user)?)
    }

    /// The day `now` falls on, in the user's time zone.
    pub fn today(&self, estimator: &Estimator, profile: &Profile, now: Timestamp) -> Result<Day, LogError> {
        let days = self.days(now, 1)?;
        let (date, entries) = days.into_iter().next().unwrap_or_default();
        Ok(estimator.day(&date, entries, profile))
    }

    /// The seven days up to `now`, oldest first.
    pub fn week(&self, profile: &Profile, now: Timestamp) -> Result<Week, LogError> {
        Ok(day::week(&self.days(now, 7)?, profile))
    }

    /// The last `count` local days up to `now`, oldest first, each with its entries.
    fn days(&self, now: Timestamp, count: i64) -> Result<Vec<(String, Vec<Entry>)>, LogError> {
        let today = now.to_zoned(self.zone.clone()).date();
        let first = today.checked_sub((count - 1).days()).unwrap_or(today);
        let since = first.to_zoned(self.zone.clone()).map(|z| z.timestamp()).unwrap_or(now);
        let mut days: Vec<(String, Vec<Entry>)> = (0..count)
            .map(|i| first.checked_add(i.days()).unwrap_or(today).to_string())
            .map(|date| (date, Vec::new()))
            .collect();
        for row in self.store.log_since(&self.user, since.as_millisecond())? {
            let date = self.local(row.at).date().to_string();
            if let Some((_, entries)) = days.iter_mut().find(|(d, _)| *d == date) {
                entries.push(Entry {
                    at: self.local_time(row.at),
                    input: row.input,
                    total_zinc_mg: row.zinc_mg,
                    total_copper_mg: row.copper_mg,
                    supplement_zinc_mg: row.supplement_zinc_mg,
                });
            }
        }
        Ok(days)
    }

    /// When `millis` (Unix milliseconds) was, in the user's time zone, to the second, as RFC 3339
    /// with its offset: the milliseconds only order entries logged together.
    pub fn local_time(&self, millis: i64) -> String {
        let at = self.local(millis);
        let second = Timestamp::from_second(at.timestamp().as_second()).unwrap_or(at.timestamp());
        second.display_with_offset(at.offset()).to_string()
    }

    fn local(&self, millis: i64) -> Zoned {
        Timestamp::from_millisecond(millis).unwrap_or(Timestamp::UNIX_EPOCH).to_zoned(self.zone.clone())
    }
}

/// The time zone named `name` (IANA, such as "Europe/London"), if there is one.
pub fn zone(name: &str) -> Option<TimeZone> {
    TimeZone::get(name).ok()
}

/// IANA time zone names containing `partial`, for autocomplete.
pub fn zone_names(partial: &str, limit: usize) -> Vec<String> {
    let partial = partial.trim().to_lowercase();
    jiff::tz::db()
        .available()
        .map(|n| n.to_string())
        .filter(|n| n.to_lowercase().contains(&partial))
        .take(limit)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn estimator() -> Estimator {
        Estimator::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content")).expect("content loads")
    }

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn an_entry_at_half_past_eleven_local_belongs_to_that_day() {
        let store = crate::store::Sqlite::in_memory().unwrap();
        let estimator = estimator();
        let profile = estimator.reference.default();
        let log = Log { store: &store, user: "local".into(), zone: zone("America/New_York").unwrap(), keep_days: 90 };
        // 23:30 in New York on 5 December is 04:30 UTC on the 6th.
        log.add(&estimator, "2 eggs", profile, at("2026-12-06T04:30:00Z")).unwrap();
        log.add(&estimator, "100g beef", profile, at("2026-12-06T05:30:00Z")).unwrap();
        let day = log.today(&estimator, profile, at("2026-12-06T04:45:00Z")).unwrap();
        assert_eq!(day.date, "2026-12-05");
        assert_eq!(day.entries.len(), 1, "{day:?}");
        assert_eq!(day.entries[0].at, "2026-12-05T23:30:00-05:00");
        let next = log.today(&estimator, profile, at("2026-12-06T12:00:00Z")).unwrap();
        assert_eq!((next.date.as_str(), next.entries.len()), ("2026-12-06", 1));
        let week = log.week(profile, at("2026-12-06T12:00:00Z")).unwrap();
        let dates: Vec<&str> = week.days.iter().map(|d| d.date.as_str()).collect();
        assert_eq!(
            dates,
            ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05", "2026-12-06"]
        );
        assert_eq!(week.days[5].total_zinc_mg, 1.29);
    }

    #[test]
    fn the_day_warns_like_one_estimate_would() {
        let store = crate::store::Sqlite::in_memory().unwrap();
        let estimator = estimator();
        let profile = estimator.reference.default();
        let log = Log { store: &store, user: "7".into(), zone: TimeZone::UTC, keep_days: 90 };
        let now = at("2026-12-05T12:00:00Z");
        log.add(&estimator, "zinc gluconate 25mg", profile, now).unwrap();
        assert!(log.today(&estimator, profile, now).unwrap().warnings.is_empty());
        log.add(&estimator, "zinc picolinate 25 mg", profile, now).unwrap();
        let day = log.today(&estimator, profile, now).unwrap();
        assert_eq!(day.total_zinc_mg, 50.0);
        assert!(day.warnings.iter().any(|w| w.contains("Supplements alone")), "{:?}", day.warnings);
        assert!(day.warnings.iter().any(|w| w.contains("above the upper limit")), "{:?}", day.warnings);
    }

    #[test]
    fn an_empty_or_unrecognised_list_is_not_logged() {
        let store = crate::store::Sqlite::in_memory().unwrap();
        let estimator = estimator();
        let profile = estimator.reference.default();
        let log = Log { store: &store, user: "local".into(), zone: TimeZone::UTC, keep_days: 90 };
        let now = at("2026-12-05T12:00:00Z");
        assert!(matches!(log.add(&estimator, "  ", profile, now), Err(LogError::Empty)));
        assert!(matches!(log.add(&estimator, "qwzx plorb", profile, now), Err(LogError::NothingRecognized)));
        assert!(log.today(&estimator, profile, now).unwrap().entries.is_empty());
    }
}
