//! `safety.toml`: the rules checked before any topic (urgent situations, then requests the bot
//! declines), their replies, and the bot's standing messages.

use std::path::Path;

use regex::bytes::{Regex, RegexBuilder};
use serde::Deserialize;

use super::topics::Source;
use super::{line_of_key, parse_toml, ContentError};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: String,
    title: String,
    patterns: Vec<String>,
    #[serde(default)]
    unless: Vec<String>,
    reply: String,
    #[serde(default)]
    sources: Vec<Source>,
    #[serde(default)]
    related: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SafetyFile {
    disclaimer: String,
    about: String,
    no_match: String,
    no_match_topics: Vec<String>,
    not_about_zinc: String,
    #[serde(default)]
    urgent: Vec<RuleFile>,
    #[serde(default)]
    decline: Vec<RuleFile>,
}

/// A routing rule with its patterns compiled.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub title: String,
    patterns: Vec<Regex>,
    unless: Vec<Regex>,
    pub reply: String,
    pub sources: Vec<Source>,
    /// Zinc topics worth pointing to after the reply.
    pub related: Vec<String>,
}

impl Rule {
    /// Whether the rule fires on `text`, already in [`match_form`].
    pub fn matches(&self, text: &str) -> bool {
        let text = text.as_bytes();
        self.patterns.iter().any(|p| p.is_match(text)) && !self.unless.iter().any(|p| p.is_match(text))
    }
}

/// The whole of `safety.toml`.
#[derive(Debug, Clone)]
pub struct Safety {
    /// The short "not medical advice" line on every answer.
    pub disclaimer: String,
    /// What the bot says about itself.
    pub about: String,
    /// Reply when no topic fits; `{topics}` lists the closest.
    pub no_match: String,
    /// Topics offered when a question about zinc matched nothing at all.
    pub no_match_topics: Vec<String>,
    /// Reply to messages that are not about zinc at all.
    pub not_about_zinc: String,
    pub urgent: Vec<Rule>,
    pub decline: Vec<Rule>,
}

/// Compiles a rule pattern. Matching is on folded text, so ASCII word classes suffice, and they
/// compile many times faster than Unicode ones.
fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern).unicode(false).size_limit(1 << 22).build()
}

/// The text rules are matched against: folded, punctuation as single spaces, padded with spaces.
pub fn match_form(text: &str) -> String {
    let folded = crate::text::fold(text);
    let mut out = String::with_capacity(folded.len() + 2);
    out.push(' ');
    for c in folded.chars() {
        let c = if c.is_alphanumeric() { c } else { ' ' };
        if !(c == ' ' && out.ends_with(' ')) {
            out.push(c);
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

impl Safety {
    /// Loads and compiles `safety.toml`; a pattern that does not compile is named by line.
    pub fn load(path: &Path, topic_ids: &[&str]) -> Result<Safety, Vec<ContentError>> {
        let (file, text): (SafetyFile, String) = parse_toml(path)?;
        let mut errors = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut compile = |kind: &str, rules: Vec<RuleFile>, errors: &mut Vec<ContentError>| -> Vec<Rule> {
            let mut out = Vec::new();
            for rule in rules {
                let anchor = format!("id = \"{}\"", rule.id);
                let at = |needle: &str| line_of_key(&text, &anchor, needle);
                if !seen.insert(rule.id.clone()) {
                    errors.push(ContentError::new(path, at("id"), format!("rule id {:?} is used twice", rule.id)));
                }
                if rule.patterns.is_empty() {
                    errors.push(ContentError::new(path, at("id"), format!("{kind} rule {} has no patterns", rule.id)));
                }
                if rule.reply.trim().is_empty() {
                    errors.push(ContentError::new(path, at("reply"), format!("{kind} rule {} has no reply", rule.id)));
                }
                for related in rule.related.iter().filter(|r| !topic_ids.contains(&r.as_str())) {
                    errors.push(ContentError::new(
                        path,
                        at("related"),
                        format!("related topic {related:?} does not exist"),
                    ));
                }
                let mut regexes = |patterns: &[String]| -> Vec<Regex> {
                    patterns
                        .iter()
                        .filter_map(|p| match compile(p) {
                            Ok(regex) => Some(regex),
                            Err(e) => {
                                let needle = p.chars().take(30).collect::<String>();
                                let message =
                                    format!("pattern does not compile: {}", e.to_string().lines().last().unwrap_or(""));
                                errors.push(ContentError::new(path, at(&needle), message));
                                None
                            }
                        })
                        .collect()
                };
                let patterns = regexes(&rule.patterns);
                let unless = regexes(&rule.unless);
                out.push(Rule {
                    id: rule.id,
                    title: rule.title,
                    patterns,
                    unless,
                    reply: rule.reply,
                    sources: rule.sources,
                    related: rule.related,
                });
            }
            out
        };
        let urgent = compile("urgent", file.urgent, &mut errors);
        let decline = compile("decline", file.decline, &mut errors);
        if urgent.is_empty() {
            errors.push(ContentError::new(path, 0, "there must be at least one [[urgent]] rule"));
        }
        for topic in file.no_match_topics.iter().filter(|t| !topic_ids.contains(&t.as_str())) {
            let line = line_of_key(&text, "", "no_match_topics");
            errors.push(ContentError::new(path, line, format!("topic {topic:?} does not exist")));
        }
        if !file.no_match.contains("{topics}") {
            errors.push(ContentError::new(path, line_of_key(&text, "", "no_match"), "no_match must include {topics}"));
        }
        if errors.is_empty() {
            Ok(Safety {
                disclaimer: file.disclaimer,
                about: file.about,
                no_match: file.no_match,
                no_match_topics: file.no_match_topics,
                not_about_zinc: file.not_about_zinc,
                urgent,
                decline,
            })
        } else {
            Err(errors)
        }
    }

    /// The first urgent rule that fires, then the first decline rule.
    pub fn route(&self, question: &str) -> Option<(&Rule, bool)> {
        let text = match_form(question);
        if let Some(rule) = self.urgent.iter().find(|r| r.matches(&text)) {
            return Some((rule, true));
        }
        self.decline.iter().find(|r| r.matches(&text)).map(|r| (r, false))
    }
}
