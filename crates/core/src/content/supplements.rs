//! `supplements.toml`: zinc supplement forms and the share of each that is elemental zinc.

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::{parse_toml, ContentError};
use crate::text;

/// A supplement form such as zinc gluconate.
#[derive(Debug, Clone)]
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
#[derive(Debug, Clone)]
pub struct SupplementTable {
    /// A dose above this, with a salt named, is read as the salt's weight.
    pub salt_weight_above_mg: f64,
    pub multivitamin_words: Vec<String>,
    pub lozenge_words: Vec<String>,
    pub forms: Vec<Form>,
}

/// `supplements.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SupplementsFile {
    salt_weight_above_mg: f64,
    multivitamin_words: Vec<String>,
    lozenge_words: Vec<String>,
    #[serde(rename = "form")]
    forms: Vec<FormEntry>,
}

/// A `[[form]]` as written, with the place of each value checked after parsing.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FormEntry {
    id: Spanned<String>,
    name: String,
    words: Spanned<Vec<String>>,
    fraction: Spanned<f64>,
    basis: String,
}

impl SupplementTable {
    pub fn load(path: &Path) -> Result<SupplementTable, Vec<ContentError>> {
        let (file, text): (SupplementsFile, String) = parse_toml(path)?;
        let at = |span: std::ops::Range<usize>, message: String| {
            ContentError::new(path, crate::text::line_of(&text, span.start), message)
        };
        let mut errors = Vec::new();
        let mut ids = HashSet::new();
        for form in &file.forms {
            let id = form.id.get_ref();
            if !(*form.fraction.get_ref() > 0.0 && *form.fraction.get_ref() <= 1.0) {
                errors.push(at(form.fraction.span(), format!("form {id}: fraction must be in (0, 1]")));
            }
            if !ids.insert(id.clone()) {
                errors.push(at(form.id.span(), format!("form id {id} is used twice")));
            }
            if form.words.get_ref().is_empty() {
                errors.push(at(form.words.span(), format!("form {id} has no words")));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        // Words are compared in token form, like everything people type.
        let fold = |words: Vec<String>| -> Vec<String> { words.iter().map(|w| text::tokens(w).join(" ")).collect() };
        let forms = file.forms.into_iter().map(|f| Form {
            id: f.id.into_inner(),
            name: f.name,
            words: fold(f.words.into_inner()),
            fraction: f.fraction.into_inner(),
            basis: f.basis,
        });
        Ok(SupplementTable {
            salt_weight_above_mg: file.salt_weight_above_mg,
            multivitamin_words: fold(file.multivitamin_words),
            lozenge_words: fold(file.lozenge_words),
            forms: forms.collect(),
        })
    }
}
