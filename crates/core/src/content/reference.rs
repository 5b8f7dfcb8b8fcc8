//! `reference.toml`: RDA/AI and UL by life stage, the estimator's bounds and warning texts.

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::{parse_toml, ContentError};

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
#[derive(Debug, Clone)]
pub struct Profile {
    pub id: String,
    pub label: String,
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
#[derive(Debug, Clone)]
pub struct ReferenceValues {
    pub sources: Vec<Source>,
    pub default_profile: String,
    pub profiles: Vec<Profile>,
    pub limits: Limits,
    pub tiers: Tiers,
    pub messages: Messages,
}

/// `reference.toml` as written, with the place of each value checked after parsing.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReferenceFile {
    #[serde(rename = "source")]
    sources: Vec<Source>,
    default_profile: Spanned<String>,
    #[serde(rename = "profile")]
    profiles: Vec<ProfileEntry>,
    limits: Spanned<Limits>,
    tiers: Spanned<Tiers>,
    messages: Messages,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileEntry {
    id: Spanned<String>,
    label: String,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    rda: Spanned<Vec<Rda>>,
    ul_mg: Spanned<f64>,
    sources: Spanned<Vec<Spanned<String>>>,
}

impl From<ProfileEntry> for Profile {
    fn from(p: ProfileEntry) -> Profile {
        Profile {
            id: p.id.into_inner(),
            label: p.label,
            aliases: p.aliases.into_iter().map(Spanned::into_inner).collect(),
            rda: p.rda.into_inner(),
            ul_mg: p.ul_mg.into_inner(),
            sources: p.sources.into_inner().into_iter().map(Spanned::into_inner).collect(),
        }
    }
}

impl ReferenceValues {
    pub fn load(path: &Path) -> Result<ReferenceValues, Vec<ContentError>> {
        let (file, text): (ReferenceFile, String) = parse_toml(path)?;
        let errors: Vec<ContentError> = check(&file)
            .into_iter()
            .map(|(span, message)| ContentError::new(path, crate::text::line_of(&text, span.start), message))
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ReferenceValues {
            sources: file.sources,
            default_profile: file.default_profile.into_inner(),
            profiles: file.profiles.into_iter().map(Profile::from).collect(),
            limits: file.limits.into_inner(),
            tiers: file.tiers.into_inner(),
            messages: file.messages,
        })
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

/// Problems in `reference.toml` found after parsing: (place, message).
fn check(file: &ReferenceFile) -> Vec<(Range<usize>, String)> {
    let mut errors = Vec::new();
    let source_ids: HashSet<&str> = file.sources.iter().map(|s| s.id.as_str()).collect();
    let mut names = HashSet::new();
    for p in &file.profiles {
        let id = p.id.get_ref();
        for name in std::iter::once(&p.id).chain(&p.aliases) {
            if !names.insert(name.get_ref().to_lowercase()) {
                errors.push((name.span(), format!("profile name {:?} is used twice", name.get_ref())));
            }
        }
        let rda = p.rda.get_ref();
        if rda.is_empty() || rda.iter().any(|r| !positive(r.mg)) {
            errors.push((p.rda.span(), format!("profile {id} needs positive rda values")));
        }
        let ul = *p.ul_mg.get_ref();
        if !positive(ul) || rda.iter().any(|r| r.mg >= ul) {
            errors.push((p.ul_mg.span(), format!("profile {id}: ul_mg must be above every rda")));
        }
        for s in p.sources.get_ref().iter().filter(|s| !source_ids.contains(s.get_ref().as_str())) {
            errors.push((s.span(), format!("profile {id} cites unknown source {:?}", s.get_ref())));
        }
        if p.sources.get_ref().is_empty() {
            errors.push((p.sources.span(), format!("profile {id} cites no source")));
        }
    }
    let default = file.default_profile.get_ref();
    let name = default.trim().to_lowercase();
    let known =
        |p: &ProfileEntry| *p.id.get_ref() == name || p.aliases.iter().any(|a| a.get_ref().to_lowercase() == name);
    if !file.profiles.iter().any(known) {
        errors.push((file.default_profile.span(), format!("default_profile {default:?} is not a profile")));
    }
    let share = file.tiers.get_ref().supplements_approach_share;
    if !(0.0 < share && share < 1.0) {
        errors.push((file.tiers.span(), "supplements_approach_share must be between 0 and 1".into()));
    }
    let limits = file.limits.get_ref();
    if !(positive(limits.max_food_grams) && positive(limits.max_supplement_mg)) {
        errors.push((file.limits.span(), "limits must be positive".into()));
    }
    errors
}

/// Whether `x` is a positive number (false for NaN).
fn positive(x: f64) -> bool {
    x > 0.0
}
