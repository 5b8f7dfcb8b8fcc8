//! `supplements.toml`: zinc supplement forms and the share of each that is elemental zinc;
//! `supplement-products.toml`: products people name without a dose ("1 centrum", "ZMA"), with
//! the zinc their labels state per unit and where that was read.

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
    /// Products with zinc whose figure must come from their label ("zma", "preservision").
    pub label_products: Vec<String>,
    pub forms: Vec<Form>,
    pub products: Vec<Product>,
}

/// A supplement product and the elemental zinc its label states per unit.
#[derive(Debug, Clone)]
pub struct Product {
    /// Chat names in token form ("centrum silver"); `label` is the first as written.
    pub names: Vec<String>,
    pub label: String,
    /// tablet, capsule, lozenge ...
    pub unit: String,
    pub zinc_mg: f64,
    /// Units in the label's daily serving, when it states one; counted when no amount is typed.
    pub per_day: Option<f64>,
    pub form: String,
    /// Where the figure was read, and when.
    pub source: String,
    pub checked: String,
}

/// `supplement-products.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProductsFile {
    #[serde(rename = "product", default)]
    products: Vec<ProductEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProductEntry {
    names: Spanned<Vec<String>>,
    unit: String,
    zinc_mg: Spanned<f64>,
    per_day: Option<f64>,
    form: String,
    source: Spanned<String>,
    checked: String,
}

/// `supplements.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SupplementsFile {
    salt_weight_above_mg: f64,
    multivitamin_words: Vec<String>,
    lozenge_words: Vec<String>,
    label_products: Vec<String>,
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
    /// Loads the forms from `path` and the products from `products` (a missing products file
    /// means none).
    pub fn load(path: &Path, products: &Path) -> Result<SupplementTable, Vec<ContentError>> {
        let products = if products.exists() { load_products(products) } else { Ok(Vec::new()) };
        let (mut table, products) = super::both(load_forms(path), products)?;
        table.products = products;
        Ok(table)
    }
}

/// Loads the products, checking each has a name, a zinc figure and a web source.
fn load_products(path: &Path) -> Result<Vec<Product>, Vec<ContentError>> {
    let (file, text): (ProductsFile, String) = parse_toml(path)?;
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    let mut products = Vec::new();
    for entry in file.products {
        let mut at = |span: std::ops::Range<usize>, message: String| {
            errors.push(ContentError::new(path, text::line_of(&text, span.start), message))
        };
        let label = entry.names.get_ref().first().cloned().unwrap_or_default();
        // Spellings that read the same ("cold-eeze", "Cold EEZE") are one name.
        let mut names: Vec<String> = entry.names.get_ref().iter().map(|n| text::tokens(n).join(" ")).collect();
        names.sort();
        names.dedup();
        if names.is_empty() || names.iter().any(String::is_empty) {
            at(entry.names.span(), "a product needs names with words".into());
        }
        for name in &names {
            if !seen.insert(name.clone()) {
                at(entry.names.span(), format!("product name {name:?} is used twice"));
            }
        }
        let zinc = *entry.zinc_mg.get_ref();
        let per_day_ok = entry.per_day.is_none_or(|n| n > 0.0 && n <= 20.0);
        if !(0.0..=100.0).contains(&zinc) || !per_day_ok {
            at(entry.zinc_mg.span(), format!("product {label:?}: zinc_mg must be in [0, 100] and per_day in (0, 20]"));
        }
        if url::Url::parse(entry.source.get_ref()).map_or(true, |u| !matches!(u.scheme(), "http" | "https")) {
            at(entry.source.span(), format!("product {label:?}: source must be a web address"));
        }
        products.push(Product {
            names,
            label,
            unit: entry.unit,
            zinc_mg: zinc,
            per_day: entry.per_day,
            form: entry.form,
            source: entry.source.into_inner(),
            checked: entry.checked,
        });
    }
    if errors.is_empty() {
        Ok(products)
    } else {
        Err(errors)
    }
}

/// Loads the forms of `supplements.toml`.
fn load_forms(path: &Path) -> Result<SupplementTable, Vec<ContentError>> {
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
        label_products: fold(file.label_products),
        forms: forms.collect(),
        products: Vec::new(),
    })
}
