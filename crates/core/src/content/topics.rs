//! `topics/<slug>.md`: one curated topic a file, TOML front matter between `+++` lines, a short
//! answer paragraph (what the bot replies first), then `##` sections with detail.

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::citations::{self, NeverCite, MAX_SHOWN};
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

/// The front matter as written, with the place of each field that is checked after parsing.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    id: Spanned<String>,
    title: Spanned<String>,
    evidence: Evidence,
    keywords: Spanned<Vec<String>>,
    questions: Spanned<Vec<String>>,
    #[serde(default)]
    related: Option<Spanned<Vec<String>>>,
    /// Fact IDs of the project's fact base the topic relies on, for audits.
    #[serde(default)]
    facts: Vec<String>,
    reviewed: String,
    #[serde(default)]
    route: Route,
    sources: Spanned<Vec<SourceEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceEntry {
    title: Spanned<String>,
    url: Spanned<String>,
}

/// A topic file cut at its `+++` lines.
struct Parts<'a> {
    front: &'a str,
    /// The line of the file on which the front matter starts.
    front_line: usize,
    body: &'a str,
    /// The line of the file on which the body's first text stands.
    body_line: usize,
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
    /// The one or two hedges shown with the short answer (the `## Caveats` items).
    pub caveats: Vec<String>,
    pub sections: Vec<Section>,
}

/// The heading of the section whose items are shown with the short answer.
pub const CAVEATS: &str = "Caveats";

/// A run of body text with the file line its first text line stands on.
#[derive(Debug)]
struct Block {
    text: String,
    line: usize,
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
pub fn load(dir: &Path, never: &NeverCite) -> Result<Vec<Topic>, Vec<ContentError>> {
    let mut errors = Vec::new();
    let paths =
        topic_files(dir).map_err(|e| vec![ContentError::new(dir, 0, format!("cannot read the topics folder: {e}"))])?;
    let known: HashSet<&str> = paths.iter().filter_map(|p| p.file_stem()?.to_str()).collect();
    let mut topics = Vec::new();
    for path in &paths {
        let parsed = std::fs::read_to_string(path)
            .map_err(|e| vec![ContentError::new(path, 0, format!("cannot read: {e}"))])
            .and_then(|text| parse(path, &text, never));
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
fn parse(path: &Path, text: &str, never: &NeverCite) -> Result<(Topic, Lines), Vec<ContentError>> {
    let at = |line: usize, message: String| ContentError::new(path, line, message);
    let parts = split_front_matter(text).map_err(|(line, message)| vec![at(line, message.into())])?;
    let meta: FrontMatter = toml::from_str(parts.front).map_err(|e| {
        let line = e.span().map_or(parts.front_line, |s| parts.front_line + line_of(parts.front, s.start) - 1);
        vec![at(line, format!("front matter: {}", e.message().trim()))]
    })?;
    // The file line of a place in the front matter.
    let line = |span: std::ops::Range<usize>| parts.front_line + line_of(parts.front, span.start) - 1;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let (short, blocks) = split_body(parts.body, parts.body_line);
    let mut errors: Vec<ContentError> =
        check_front_matter(&meta, stem, never).into_iter().map(|(span, message)| at(line(span), message)).collect();
    errors.extend(check_short_answer(&short.text).map(|message| at(short.line, message)));
    let cited = check_citations(meta.sources.get_ref().len(), &short, &blocks);
    errors.extend(cited.errors.into_iter().map(|(line, message)| at(line, message)));
    for (n, source) in meta.sources.get_ref().iter().enumerate() {
        if !cited.used.contains(&(n + 1)) {
            let message = format!("source {} ({:?}) is never cited", n + 1, source.title.get_ref());
            errors.push(at(line(source.url.span()), message));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let caveats = blocks.iter().find(|(heading, _)| heading == CAVEATS).map(|(_, b)| items(&b.text));
    let sections = blocks
        .into_iter()
        .filter(|(heading, _)| heading != CAVEATS)
        .map(|(heading, block)| Section { heading, body: block.text })
        .collect();
    let lines = Lines { related: meta.related.as_ref().map_or(parts.front_line, |r| line(r.span())) };
    let topic = Topic {
        id: meta.id.into_inner(),
        title: meta.title.into_inner(),
        evidence: meta.evidence,
        keywords: meta.keywords.into_inner(),
        questions: meta.questions.into_inner(),
        related: meta.related.map(Spanned::into_inner).unwrap_or_default(),
        facts: meta.facts,
        reviewed: meta.reviewed,
        route: meta.route,
        sources: meta
            .sources
            .into_inner()
            .into_iter()
            .map(|s| Source { title: s.title.into_inner(), url: s.url.into_inner() })
            .collect(),
        short_answer: short.text,
        caveats: caveats.unwrap_or_default(),
        sections,
    };
    Ok((topic, lines))
}

/// Cuts a topic file at the `+++` line that opens it and the one that closes its front matter.
fn split_front_matter(text: &str) -> Result<Parts<'_>, (usize, &'static str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n').enumerate();
    let mut offset = 0;
    let opened = lines.next().is_some_and(|(_, first)| {
        offset = first.len();
        first.trim_end() == "+++"
    });
    if !opened {
        return Err((1, "a topic must start with a `+++` line opening its front matter"));
    }
    let front_start = offset;
    for (i, line) in lines {
        if line.trim_end() == "+++" {
            let body = &text[offset + line.len()..];
            let blank = body.len() - body.trim_start_matches(['\r', '\n']).len();
            let body_line = i + 2 + body[..blank].matches('\n').count();
            return Ok(Parts { front: &text[front_start..offset], front_line: 2, body: &body[blank..], body_line });
        }
        offset += line.len();
    }
    Err((1, "the front matter is not closed by a `+++` line"))
}

/// Problems in the front matter's values that have a place in it: (span, message).
fn check_front_matter(meta: &FrontMatter, stem: &str, never: &NeverCite) -> Vec<(std::ops::Range<usize>, String)> {
    let mut errors = Vec::new();
    let id = meta.id.get_ref();
    if id != stem {
        errors.push((meta.id.span(), format!("id {id:?} must match the file name {stem:?}")));
    }
    if !id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') || id.is_empty() {
        errors.push((meta.id.span(), "an id uses lower-case letters, digits and dashes".into()));
    }
    if meta.title.get_ref().trim().is_empty() {
        errors.push((meta.title.span(), "the title is empty".into()));
    }
    if meta.keywords.get_ref().is_empty() {
        errors.push((meta.keywords.span(), "list at least one keyword".into()));
    }
    if meta.questions.get_ref().is_empty() {
        errors.push((meta.questions.span(), "list at least one example question".into()));
    }
    if !is_date(&meta.reviewed) {
        errors.push((meta.id.span(), format!("reviewed {:?} must be a date, YYYY-MM-DD", meta.reviewed)));
    }
    if meta.sources.get_ref().is_empty() {
        errors.push((meta.sources.span(), "cite at least one source".into()));
    }
    for source in meta.sources.get_ref() {
        if !is_web_address(source.url.get_ref()) {
            errors.push((source.url.span(), format!("source {:?} needs a web address", source.title.get_ref())));
        } else if never.forbids(source.url.get_ref()) {
            let message =
                format!("{} is a copy or mirror that is never cited: cite the original", source.url.get_ref());
            errors.push((source.url.span(), message));
        }
        if source.title.get_ref().trim().is_empty() {
            errors.push((source.title.span(), "a source has no title".into()));
        }
    }
    errors
}
/// What is wrong with the short answer, if anything.
fn check_short_answer(short_answer: &str) -> Option<String> {
    let n = short_answer.chars().count();
    if n == 0 {
        Some("the short answer (the paragraph before the first `##`) is missing".into())
    } else if n > SHORT_ANSWER_MAX {
        Some(format!("the short answer has {n} characters; keep it to {SHORT_ANSWER_MAX}"))
    } else {
        None
    }
}

/// Whether `text` is a date written YYYY-MM-DD.
fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    matches!(parts.as_slice(), [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())))
}

/// Whether `url` is an http(s) address people can open.
fn is_web_address(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
}

/// Splits the Markdown body, whose first line is line `first_line` of the file, into the short
/// answer and its `##` sections.
fn split_body(body: &str, first_line: usize) -> (Block, Vec<(String, Block)>) {
    let mut short = Block { text: String::new(), line: first_line };
    let mut sections: Vec<(String, Block)> = Vec::new();
    for (i, line) in body.lines().enumerate() {
        if let Some(heading) = line.strip_prefix("## ") {
            sections.push((heading.trim().to_string(), Block { text: String::new(), line: first_line + i + 1 }));
            continue;
        }
        let block = sections.last_mut().map_or(&mut short, |(_, block)| block);
        if block.text.is_empty() && line.trim().is_empty() {
            continue;
        }
        if block.text.is_empty() {
            block.line = first_line + i;
        }
        block.text.push_str(line);
        block.text.push('\n');
    }
    for block in std::iter::once(&mut short).chain(sections.iter_mut().map(|(_, b)| b)) {
        block.text.truncate(block.text.trim_end().len());
    }
    (short, sections)
}

/// The `- ` items of a list, each joined onto one line.
fn items(list: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match (line.strip_prefix("- "), out.last_mut()) {
            (Some(item), _) => out.push(item.to_string()),
            (None, Some(last)) => {
                last.push(' ');
                last.push_str(line);
            }
            (None, None) => out.push(line.to_string()),
        }
    }
    out
}

/// What the citation rules found in a topic's body.
struct Citations {
    /// The source numbers cited anywhere.
    used: HashSet<usize>,
    /// (line, message) for each problem.
    errors: Vec<(usize, String)>,
}

/// Checks that every sentence ends with a marker naming one of the topic's `sources`, that the
/// short answer and its caveats cite at most [`MAX_SHOWN`] sources, and that there are one or
/// two caveats.
fn check_citations(sources: usize, short: &Block, sections: &[(String, Block)]) -> Citations {
    let mut found = Citations { used: HashSet::new(), errors: Vec::new() };
    let line_at = |block: &Block, offset: usize| block.line + block.text[..offset].matches('\n').count();
    // The short answer and the (first) caveats section are what an answer shows.
    let caveats_at = sections.iter().position(|(heading, _)| heading == CAVEATS);
    let blocks = sections.iter().enumerate().map(|(i, (_, block))| (block, Some(i) == caveats_at));
    let mut shown = HashSet::new();
    for (block, is_shown) in std::iter::once((short, true)).chain(blocks) {
        if let Some(offset) = citations::uncited(&block.text) {
            let message = "this sentence cites no source: end it with a marker such as [1]";
            found.errors.push((line_at(block, offset), message.to_string()));
        }
        for (range, numbers) in citations::markers(&block.text) {
            for n in numbers {
                if n == 0 || n > sources {
                    let message = format!("citation [{n}] has no source: the topic lists {sources}");
                    found.errors.push((line_at(block, range.start), message));
                }
                found.used.insert(n);
                if is_shown {
                    shown.insert(n);
                }
            }
        }
    }
    if shown.len() > MAX_SHOWN {
        let message = format!("the short answer and caveats cite {} sources; at most {MAX_SHOWN}", shown.len());
        found.errors.push((short.line, message));
    }
    match caveats_at.map(|i| (&sections[i].1, items(&sections[i].1.text).len())) {
        Some((_, 1..=2)) => {}
        Some((c, _)) => found.errors.push((c.line, "`## Caveats` holds one or two `- ` items".into())),
        None => found.errors.push((short.line, "add a `## Caveats` section with one or two `- ` items".into())),
    }
    found
}
