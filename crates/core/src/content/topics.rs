//! `topics/<slug>.md`: one curated topic a file, TOML front matter between `+++` lines, a short
//! answer paragraph (what the bot replies first), then `##` sections with detail.

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::ContentError;
use crate::text::line_of;

/// Longest short answer, in characters: the first reply must stay short.
pub const SHORT_ANSWER_MAX: usize = 600;

/// How strong the evidence behind a topic's main claim is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Evidence {
    /// Consensus or reference values from an expert body, or consistent replicated findings.
    Established,
    /// Consistent observational data or several small trials; causation not proven.
    Probable,
    /// Single or small studies, animal or cell work, mechanism only.
    Preliminary,
    /// Good sources disagree.
    Conflicting,
    /// Mechanism or opinion without outcome data.
    Theoretical,
}

impl Evidence {
    /// The label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Evidence::Established => "established",
            Evidence::Probable => "probable",
            Evidence::Preliminary => "preliminary",
            Evidence::Conflicting => "conflicting",
            Evidence::Theoretical => "theoretical",
        }
    }
}

/// How the bot replies when a question lands on a topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Route {
    /// An answer (the default).
    #[default]
    Answer,
    /// The topic explains what the bot does not do; landing on it declines the question.
    /// (Urgent situations are routed by `safety.toml` alone, before any topic.)
    Decline,
}

/// A source with its address.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    pub url: String,
}

/// A `##` section of a topic.
#[derive(Debug, Clone)]
pub struct Section {
    pub heading: String,
    pub body: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    id: String,
    title: String,
    evidence: Evidence,
    keywords: Vec<String>,
    questions: Vec<String>,
    #[serde(default)]
    related: Vec<String>,
    /// Fact IDs of the project's fact base the topic relies on, for audits.
    #[serde(default)]
    facts: Vec<String>,
    reviewed: String,
    #[serde(default)]
    route: Route,
    sources: Vec<Source>,
}

/// One topic, parsed.
#[derive(Debug, Clone)]
pub struct Topic {
    pub id: String,
    pub title: String,
    pub evidence: Evidence,
    pub keywords: Vec<String>,
    pub questions: Vec<String>,
    pub related: Vec<String>,
    pub facts: Vec<String>,
    pub reviewed: String,
    pub route: Route,
    pub sources: Vec<Source>,
    pub short_answer: String,
    pub sections: Vec<Section>,
}

/// Where in the file a field sits, for errors found after parsing.
struct Lines {
    related: usize,
}

/// The ids a topic may refer to: the file names of every topic file, whether or not it parses,
/// so one broken file does not make every link to it an error too.
pub fn ids_in(dir: &Path) -> Vec<String> {
    topic_files(dir).unwrap_or_default().iter().filter_map(|p| Some(p.file_stem()?.to_str()?.to_string())).collect()
}

fn topic_files(dir: &Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    paths.sort();
    Ok(paths)
}

/// Loads every `*.md` in `dir` (sorted by name), checking each topic and the links between them.
pub fn load(dir: &Path) -> Result<Vec<Topic>, Vec<ContentError>> {
    let mut errors = Vec::new();
    let paths =
        topic_files(dir).map_err(|e| vec![ContentError::new(dir, 0, format!("cannot read the topics folder: {e}"))])?;
    let known: HashSet<&str> = paths.iter().filter_map(|p| p.file_stem()?.to_str()).collect();
    let mut topics = Vec::new();
    for path in &paths {
        let parsed = std::fs::read_to_string(path)
            .map_err(|e| vec![ContentError::new(path, 0, format!("cannot read: {e}"))])
            .and_then(|text| parse(path, &text));
        match parsed {
            Ok((topic, lines)) => {
                for related in &topic.related {
                    if !known.contains(related.as_str()) {
                        errors.push(ContentError::new(
                            path,
                            lines.related,
                            format!("related topic {related:?} does not exist"),
                        ));
                    } else if *related == topic.id {
                        errors.push(ContentError::new(path, lines.related, "a topic cannot be related to itself"));
                    }
                }
                topics.push(topic);
            }
            Err(e) => errors.extend(e),
        }
    }
    if paths.is_empty() {
        errors.push(ContentError::new(dir, 0, "no topics found"));
    }
    if errors.is_empty() {
        Ok(topics)
    } else {
        Err(errors)
    }
}

/// Parses one topic file, checking what can be checked without the others.
fn parse(path: &Path, text: &str) -> Result<(Topic, Lines), Vec<ContentError>> {
    let err = |line: usize, message: String| vec![ContentError::new(path, line, message)];
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(after_open) = text.strip_prefix("+++\n").or_else(|| text.strip_prefix("+++\r\n")) else {
        return Err(err(1, "a topic must start with a `+++` line opening its front matter".into()));
    };
    let Some(close) = after_open.find("\n+++") else {
        return Err(err(1, "the front matter is not closed by a `+++` line".into()));
    };
    let front = &after_open[..close + 1];
    let body_start = 4 + close + 4;
    let body = text.get(body_start..).unwrap_or("").trim_start_matches(['\r', '\n']);
    let front_offset = 4;
    let meta: FrontMatter = toml::from_str(front).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(text, front_offset + s.start));
        err(line, format!("front matter: {}", e.message().trim()))
    })?;
    // The line where `key` starts a line of the front matter (the first line of it is line 2).
    let key_line =
        |key: &str| format!("\n{front}").find(&format!("\n{key}")).map_or(1, |i| line_of(text, front_offset + i));
    let mut errors = Vec::new();
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if meta.id != stem {
        errors.push(ContentError::new(
            path,
            key_line("id"),
            format!("id {:?} must match the file name {stem:?}", meta.id),
        ));
    }
    if !meta.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') || meta.id.is_empty() {
        errors.push(ContentError::new(path, key_line("id"), "an id uses lower-case letters, digits and dashes"));
    }
    if meta.title.trim().is_empty() {
        errors.push(ContentError::new(path, key_line("title"), "the title is empty"));
    }
    if meta.keywords.is_empty() {
        errors.push(ContentError::new(path, key_line("keywords"), "list at least one keyword"));
    }
    if meta.questions.is_empty() {
        errors.push(ContentError::new(path, key_line("questions"), "list at least one example question"));
    }
    if meta.sources.is_empty() {
        errors.push(ContentError::new(
            path,
            key_line("[[sources]]").max(key_line("sources")),
            "cite at least one source",
        ));
    }
    for source in &meta.sources {
        if !(source.url.starts_with("https://") || source.url.starts_with("http://"))
            || source.url.contains(char::is_whitespace)
        {
            let line = front.find(&source.url).map_or(1, |i| line_of(text, front_offset + i));
            errors.push(ContentError::new(path, line, format!("source {:?} needs a web address", source.title)));
        }
        if source.title.trim().is_empty() {
            errors.push(ContentError::new(path, key_line("[[sources]]"), "a source has no title"));
        }
    }
    let short_line = line_of(text, text.len() - body.len());
    let (short_answer, sections) = split_body(body);
    if short_answer.is_empty() {
        errors.push(ContentError::new(
            path,
            short_line,
            "the short answer (the paragraph before the first `##`) is missing",
        ));
    } else if short_answer.chars().count() > SHORT_ANSWER_MAX {
        let n = short_answer.chars().count();
        errors.push(ContentError::new(
            path,
            short_line,
            format!("the short answer has {n} characters; keep it to {SHORT_ANSWER_MAX}"),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let lines = Lines { related: key_line("related") };
    let topic = Topic {
        id: meta.id,
        title: meta.title,
        evidence: meta.evidence,
        keywords: meta.keywords,
        questions: meta.questions,
        related: meta.related,
        facts: meta.facts,
        reviewed: meta.reviewed,
        route: meta.route,
        sources: meta.sources,
        short_answer,
        sections,
    };
    Ok((topic, lines))
}

/// Splits the Markdown body into the short answer and its `##` sections.
fn split_body(body: &str) -> (String, Vec<Section>) {
    let mut short = String::new();
    let mut sections: Vec<Section> = Vec::new();
    for line in body.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            sections.push(Section { heading: heading.trim().to_string(), body: String::new() });
        } else if let Some(section) = sections.last_mut() {
            section.body.push_str(line);
            section.body.push('\n');
        } else {
            short.push_str(line);
            short.push('\n');
        }
    }
    for section in &mut sections {
        section.body = section.body.trim().to_string();
    }
    (short.trim().to_string(), sections)
}
