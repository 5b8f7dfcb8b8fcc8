//! `reference.toml`: RDA/AI and UL by life stage, the estimator's bounds and warning texts.

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;

use super::{line_of_key, parse_toml, ContentError};

/// A source cited by reference values.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub url: String,
}

/// One recommended intake of a profile (adults have two: men and women).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rda {
    pub label: String,
    pub mg: f64,
    /// An Adequate Intake rather than an RDA.
    #[serde(default)]
    pub ai: bool,
}

/// A life stage whose RDA and UL an estimate is compared with.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub rda: Vec<Rda>,
    pub ul_mg: f64,
    pub sources: Vec<String>,
}

/// Bounds past which an entry is implausible rather than intake.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    pub max_food_grams: f64,
    pub max_supplement_mg: f64,
}

/// Where warnings start.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tiers {
    pub supplements_approach_share: f64,
    pub copper_note_supplement_mg: f64,
}

/// Warning texts, with `{total}`, `{supplements}`, `{ul}` and `{profile}` placeholders.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Messages {
    pub total_over_ul: String,
    pub supplements_over_ul: String,
    pub supplements_near_ul: String,
    pub copper: String,
    pub implausible: String,
}

/// The whole of `reference.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceValues {
    #[serde(rename = "source")]
    pub sources: Vec<Source>,
    pub default_profile: String,
    #[serde(rename = "profile")]
    pub profiles: Vec<Profile>,
    pub limits: Limits,
    pub tiers: Tiers,
    pub messages: Messages,
}

impl ReferenceValues {
    pub fn load(path: &Path) -> Result<ReferenceValues, Vec<ContentError>> {
        let (values, text): (ReferenceValues, String) = parse_toml(path)?;
        let mut errors = Vec::new();
        let source_ids: HashSet<&str> = values.sources.iter().map(|s| s.id.as_str()).collect();
        let mut names = HashSet::new();
        for p in &values.profiles {
            let at = |needle: &str| line_of_key(&text, &format!("id = \"{}\"", p.id), needle);
            for name in std::iter::once(&p.id).chain(&p.aliases) {
                if !names.insert(name.to_lowercase()) {
                    errors.push(ContentError::new(path, at(name), format!("profile name {name:?} is used twice")));
                }
            }
            if p.rda.is_empty() || p.rda.iter().any(|r| !positive(r.mg)) {
                errors.push(ContentError::new(path, at("rda"), format!("profile {} needs positive rda values", p.id)));
            }
            if !positive(p.ul_mg) || p.rda.iter().any(|r| r.mg >= p.ul_mg) {
                errors.push(ContentError::new(
                    path,
                    at("ul_mg"),
                    format!("profile {}: ul_mg must be above every rda", p.id),
                ));
            }
            for s in p.sources.iter().filter(|s| !source_ids.contains(s.as_str())) {
                errors.push(ContentError::new(path, at(s), format!("profile {} cites unknown source {s:?}", p.id)));
            }
            if p.sources.is_empty() {
                errors.push(ContentError::new(path, at("sources"), format!("profile {} cites no source", p.id)));
            }
        }
        if values.profile(&values.default_profile).is_none() {
            let line = line_of_key(&text, "", "default_profile");
            errors.push(ContentError::new(
                path,
                line,
                format!("default_profile {:?} is not a profile", values.default_profile),
            ));
        }
        let t = &values.tiers;
        if !(0.0 < t.supplements_approach_share && t.supplements_approach_share < 1.0) {
            errors.push(ContentError::new(
                path,
                line_of_key(&text, "", "supplements_approach_share"),
                "must be between 0 and 1",
            ));
        }
        if !(positive(values.limits.max_food_grams) && positive(values.limits.max_supplement_mg)) {
            errors.push(ContentError::new(path, line_of_key(&text, "", "[limits]"), "limits must be positive"));
        }
        if errors.is_empty() {
            Ok(values)
        } else {
            Err(errors)
        }
    }

    /// The profile with this id or alias, ignoring case.
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        let name = name.trim().to_lowercase();
        self.profiles.iter().find(|p| p.id == name || p.aliases.iter().any(|a| a.to_lowercase() == name))
    }

    /// The profile used when the person has not set one.
    pub fn default(&self) -> &Profile {
        self.profile(&self.default_profile).expect("validated at load")
    }
}

/// Whether `x` is a positive number (false for NaN).
fn positive(x: f64) -> bool {
    x > 0.0
}
