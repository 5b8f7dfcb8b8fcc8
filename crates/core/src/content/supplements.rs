//! `supplements.toml`: zinc supplement forms and the share of each that is elemental zinc.

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;

use super::{line_of_key, parse_toml, ContentError};
use crate::text;

/// A supplement form such as zinc gluconate.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    pub id: String,
    pub name: String,
    pub words: Vec<String>,
    /// Share of the form's weight that is elemental zinc.
    pub fraction: f64,
    /// The compound the fraction was computed for.
    pub basis: String,
}

/// The whole of `supplements.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupplementTable {
    /// A dose above this, with a salt named, is read as the salt's weight.
    pub salt_weight_above_mg: f64,
    pub zinc_words: Vec<String>,
    pub multivitamin_words: Vec<String>,
    pub lozenge_words: Vec<String>,
    #[serde(rename = "form")]
    pub forms: Vec<Form>,
}

impl SupplementTable {
    pub fn load(path: &Path) -> Result<SupplementTable, Vec<ContentError>> {
        let (mut table, text): (SupplementTable, String) = parse_toml(path)?;
        let mut errors = Vec::new();
        let mut ids = HashSet::new();
        for form in &table.forms {
            let line = line_of_key(&text, &format!("id = \"{}\"", form.id), "fraction");
            if !(form.fraction > 0.0 && form.fraction <= 1.0) {
                errors.push(ContentError::new(path, line, format!("form {}: fraction must be in (0, 1]", form.id)));
            }
            if !ids.insert(form.id.clone()) {
                errors.push(ContentError::new(path, line, format!("form id {} is used twice", form.id)));
            }
            if form.words.is_empty() {
                errors.push(ContentError::new(path, line, format!("form {} has no words", form.id)));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        // Words are compared in token form, like everything people type.
        let fold = |words: &mut Vec<String>| words.iter_mut().for_each(|w| *w = text::tokens(w).join(" "));
        fold(&mut table.zinc_words);
        fold(&mut table.multivitamin_words);
        fold(&mut table.lozenge_words);
        table.forms.iter_mut().for_each(|f| fold(&mut f.words));
        Ok(table)
    }
}
