//! Citation markers in topic text: `Zinc is an essential trace element [1].` cites the topic's
//! first source; `[2, 3]` cites two. Every sentence ends with one, so a reader can check each
//! against its source; an answer renumbers the sources it shows in order of first use.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::topics::Source;
use super::{parse_toml, ContentError};

/// At most this many sources are shown under one answer.
pub const MAX_SHOWN: usize = 6;

/// `[1]`, `[2, 3]`.
static MARKER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[([0-9]+(?:, ?[0-9]+)*)\]").expect("a valid pattern"));
/// A sentence that ends inside a cited span: its end, then the start of the next sentence.
static SENTENCE_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"[.!?]["')]?[ \t\n\r]+[A-Z(*"-]"#).expect("a valid pattern"));

/// The hosts no topic may cite (`never-cite.toml`): copies, mirrors, aggregators, archives.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeverCite {
    hosts: Vec<String>,
    host_prefixes: Vec<String>,
}

impl NeverCite {
    pub fn load(path: &std::path::Path) -> Result<NeverCite, Vec<ContentError>> {
        let (mut never, _): (NeverCite, String) = parse_toml(path)?;
        never.hosts.iter_mut().for_each(|h| *h = h.to_ascii_lowercase());
        Ok(never)
    }

    /// Whether `url` is on one of the hosts, or a subdomain of one, or a staging or test host.
    pub fn forbids(&self, url: &str) -> bool {
        let Some(host) = url::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_ascii_lowercase)) else {
            return false;
        };
        let on = |h: &String| host == *h || host.strip_suffix(h.as_str()).is_some_and(|rest| rest.ends_with('.'));
        self.hosts.iter().any(on) || self.host_prefixes.iter().any(|p| host.starts_with(p.as_str()))
    }
}

/// Each marker in `text`: where it is and the source numbers (1-based) it cites.
pub fn markers(text: &str) -> impl Iterator<Item = (Range<usize>, Vec<usize>)> + '_ {
    MARKER.captures_iter(text).map(|c| {
        let numbers = c[1].split(',').filter_map(|n| n.trim().parse().ok()).collect();
        (c.get(0).map_or(0..0, |m| m.range()), numbers)
    })
}

/// `text` without its markers, for the index: the numbers are no words anyone asks about.
pub fn strip(text: &str) -> Cow<'_, str> {
    MARKER.replace_all(text, "")
}

/// The byte offset of the first sentence in `text` that no marker ends, if any: a sentence
/// ends where the next starts, and the text after the last marker may hold only punctuation.
pub fn uncited(text: &str) -> Option<usize> {
    let mut start = 0;
    for range in MARKER.find_iter(text).map(|m| m.range()) {
        // A span opens with the punctuation that closed the sentence before it.
        let opening = text[start..range.start].len()
            - text[start..range.start].trim_start_matches(|c: char| !c.is_alphanumeric()).len();
        let span = &text[start + opening..range.start];
        if let Some(end) = SENTENCE_END.find(span) {
            return Some(start + opening + end.start());
        }
        start = range.end;
    }
    let rest = &text[start..];
    rest.find(char::is_alphanumeric).map(|i| start + i)
}

/// The texts with their markers renumbered in order of first use, and the sources they cite in
/// that order: what an answer shows.
pub fn renumber(texts: &[&str], sources: &[Source]) -> (Vec<String>, Vec<Source>) {
    let mut order: Vec<usize> = Vec::new();
    let renumbered = texts
        .iter()
        .map(|text| {
            MARKER
                .replace_all(text, |c: &regex::Captures<'_>| {
                    let mut numbers: Vec<usize> = c[1]
                        .split(',')
                        .filter_map(|n| n.trim().parse::<usize>().ok())
                        .map(|n| {
                            order.iter().position(|&o| o == n).unwrap_or_else(|| {
                                order.push(n);
                                order.len() - 1
                            }) + 1
                        })
                        .collect();
                    numbers.sort_unstable();
                    let numbers: Vec<String> = numbers.iter().map(ToString::to_string).collect();
                    format!("[{}]", numbers.join(", "))
                })
                .into_owned()
        })
        .collect();
    let cited = order.iter().filter_map(|&n| sources.get(n.wrapping_sub(1)).cloned()).collect();
    (renumbered, cited)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(n: usize) -> Source {
        Source { title: format!("source {n}"), url: format!("https://example.org/{n}") }
    }

    #[test]
    fn copies_and_their_subdomains_are_never_cited() {
        let never = NeverCite { hosts: vec!["scribd.com".into()], host_prefixes: vec!["staging.".into()] };
        assert!(never.forbids("https://www.scribd.com/document/1"));
        assert!(never.forbids("https://scribd.com/x"));
        assert!(never.forbids("https://staging.medscape.com/answers"));
        assert!(!never.forbids("https://notscribd.com/x"));
        assert!(!never.forbids("https://pubmed.ncbi.nlm.nih.gov/29324654/"));
    }

    #[test]
    fn every_sentence_must_end_with_a_marker() {
        assert_eq!(uncited("Zinc is essential [1]. It is in meat [2, 3]."), None);
        assert_eq!(uncited("Zinc is essential. [1] It is in meat. [2]"), None);
        assert_eq!(uncited("- Take it with food [2]."), None);
        let text = "Zinc is essential. It is in meat [2].";
        assert_eq!(uncited(text), Some(text.find(". It").unwrap()));
        assert_eq!(uncited("Zinc is essential [1]. It is in meat."), Some(23));
        assert_eq!(uncited("No marker at all"), Some(0));
        assert_eq!(uncited(""), None);
    }

    #[test]
    fn an_answer_numbers_its_sources_in_order_of_first_use() {
        let sources: Vec<Source> = (1..=4).map(source).collect();
        let (texts, cited) = renumber(&["A [3]. B [1, 3].", "C [4]."], &sources);
        assert_eq!(texts, ["A [1]. B [1, 2].", "C [3]."]);
        assert_eq!(cited, [source(3), source(1), source(4)]);
        assert_eq!(strip("A [3]. B [1, 3]."), "A . B .");
        assert_eq!(markers("x [2, 3].").next(), Some((2..8, vec![2, 3])));
    }
}
