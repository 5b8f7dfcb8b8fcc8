//! Text normalising shared by both engines: case and accent folding, tokens, singular stems and
//! a bounded edit distance for typo tolerance.
//!
//! Everything here is deliberately simple and table-free so that the food table and the topics
//! are normalised by exactly the same rules as what people type.

use unicode_normalization::UnicodeNormalization;

/// The 1-based line holding byte `offset` of `text`, for error messages.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Folds text for matching: lower case, accents removed (`café` -> `cafe`), vulgar fractions
/// spelled out (`1½` -> `1 1/2`), typographic quotes and dashes made plain.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    // Runs of ASCII, most of any text, are lower-cased as a whole; each other character is
    // folded on its own.
    while !rest.is_empty() {
        let ascii = rest.bytes().position(|b| !b.is_ascii()).unwrap_or(rest.len());
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        rest = &rest[ascii..];
        let Some(c) = rest.chars().next() else { break };
        rest = &rest[c.len_utf8()..];
        fold_char(c, &mut out);
    }
    out
}

/// Appends the folded form of the non-ASCII character `c` to `out`.
fn fold_char(c: char, out: &mut String) {
    if let Some(fraction) = vulgar_fraction(c) {
        // `1½` must read as "1 1/2", not "11/2".
        if out.ends_with(|p: char| p.is_ascii_digit()) {
            out.push(' ');
        }
        out.push_str(fraction);
        return;
    }
    match c {
        '\u{2044}' | '\u{2215}' => out.push('/'),
        '\u{2018}' | '\u{2019}' | '\u{02BC}' => out.push('\''),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
        '\u{00D7}' => out.push('x'),
        'µ' | 'μ' => out.push_str("mc"),
        _ => {
            for d in c.nfkd() {
                if !is_combining_mark(d) {
                    out.extend(d.to_lowercase());
                }
            }
        }
    }
}

fn vulgar_fraction(c: char) -> Option<&'static str> {
    Some(match c {
        '½' => "1/2",
        '⅓' => "1/3",
        '⅔' => "2/3",
        '¼' => "1/4",
        '¾' => "3/4",
        '⅕' => "1/5",
        '⅛' => "1/8",
        '⅜' => "3/8",
        '⅝' => "5/8",
        '⅞' => "7/8",
        _ => return None,
    })
}

fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Removes chat markup that carries no words: Discord mentions and custom emoji (`<@123>`,
/// `<#5>`, `<:zinc:42>`), links, and code fences (which become line breaks).
pub fn without_markup(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut rest = input;
    while let Some(start) = rest.find(['<', '`', 'h']) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        if let Some(after) = rest.strip_prefix("```") {
            out.push('\n');
            rest = after;
        } else if let Some(len) = discord_token_len(rest) {
            out.push(' ');
            rest = &rest[len..];
        } else if rest.starts_with("http://") || rest.starts_with("https://") {
            let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
            out.push(' ');
            rest = &rest[len..];
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out.push_str(rest);
    out
}

/// The length of a Discord mention, channel or custom emoji token at the start of `text`.
fn discord_token_len(text: &str) -> Option<usize> {
    let inner = text.strip_prefix('<')?;
    let end = inner.find('>').filter(|&e| e <= 80)?;
    let body = &inner[..end];
    let kind = body.starts_with(['@', '#', ':']) || body.starts_with("a:") || body.starts_with("t:");
    let shape =
        body.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'@' | b'#' | b':' | b'!' | b'&' | b'_' | b'-'));
    (kind && shape && body.bytes().any(|b| b.is_ascii_digit())).then_some(end + 2)
}

/// Splits folded text into word tokens: runs of letters and digits, keeping the characters
/// that belong inside a quantity or a name (`1.5`, `1/2`, `80/20`, `2-3`, `o'brien`).
pub fn words(folded: &str) -> Vec<&str> {
    let bytes = folded.as_bytes();
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in folded.char_indices() {
        let inner = matches!(c, '.' | '/' | '\'' | ',')
            && start.is_some()
            && i > 0
            && bytes[i - 1].is_ascii_digit()
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        let inner = inner || (c == '\'' && start.is_some() && next_is_alpha(bytes, i));
        // A percentage ("85%", "2%": a share inside a name) and an age group ("Centrum Silver
        // 50+") are one word each, never an amount.
        let inner = inner || (matches!(c, '%' | '+') && start.is_some() && i > 0 && bytes[i - 1].is_ascii_digit());
        if c.is_alphanumeric() || inner {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push(&folded[s..i]);
        }
    }
    if let Some(s) = start {
        out.push(&folded[s..]);
    }
    out
}

fn next_is_alpha(bytes: &[u8], i: usize) -> bool {
    bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic)
}

/// Reduces an English word to a singular stem: `eggs` -> `egg`, `berries` -> `berry`,
/// `tomatoes` -> `tomato`, `loaves` -> `loaf`. A stem need not be a word; it only has to be the
/// same for the singular and the plural, so `cookie` and `cookies` both give `cooky`. Words
/// ending in `ss` or `us` are kept (`glass`, `hummus`, `couscous`).
pub fn stem(word: &str) -> String {
    let (base, ending) = stem_parts(word);
    [base, ending].concat()
}

/// The stem of `word` (see [`stem`]) as the part of `word` it keeps and the ending it adds: a
/// stem without a new string, for callers that stem a great many words.
pub fn stem_parts(word: &str) -> (&str, &'static str) {
    let n = word.len();
    if n <= 3 || word.ends_with("ss") || word.ends_with("us") || !word.is_ascii() {
        return (word, "");
    }
    if let Some(base) = word.strip_suffix("ie") {
        return (base, "y");
    }
    if !word.ends_with('s') {
        return (word, "");
    }
    if let Some(base) = word.strip_suffix("ies").filter(|_| n > 4) {
        return (base, "y");
    }
    if let Some(base) = word.strip_suffix("oes") {
        return (base, "o");
    }
    if let Some(base) = word.strip_suffix("ves") {
        return match base {
            "lea" | "loa" | "hal" | "cal" | "shel" | "thie" => (base, "f"),
            "kni" | "li" | "wi" => (base, "fe"),
            _ => (base, "ve"),
        };
    }
    for (suffix, ending) in [("ches", "ch"), ("shes", "sh"), ("xes", "x"), ("zzes", "zz"), ("sses", "ss")] {
        if let Some(base) = word.strip_suffix(suffix) {
            return (base, ending);
        }
    }
    (&word[..n - 1], "")
}

/// Folds, splits and stems: the token form used for every comparison between user text and
/// content.
pub fn tokens(text: &str) -> Vec<String> {
    words(&fold(text)).into_iter().map(stem).collect()
}

/// Whether `words` start with the words of `phrase` ("didn't eat" in "didn't eat the bun").
pub fn starts_with(words: &[&str], phrase: &[String]) -> bool {
    phrase.len() <= words.len() && phrase.iter().zip(words).all(|(p, w)| p == w)
}

/// `text` cut to `max` characters, with an ellipsis when cut.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Levenshtein distance between `a` and `b` with an adjacent swap counted as one edit, or `None`
/// when it exceeds `max`. Bounded so a long garbage word costs little.
pub fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    if a.is_ascii() && b.is_ascii() && a.len() < SHORT && b.len() < SHORT {
        return short_edit_distance(a.as_bytes(), b.as_bytes(), max);
    }
    char_edit_distance(a, b, max)
}

/// [`edit_distance`] over any characters.
fn char_edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut rows = vec![0usize; 3 * (b.len() + 1)];
    let (prev2, rest) = rows.split_at_mut(b.len() + 1);
    let (prev, cur) = rest.split_at_mut(b.len() + 1);
    distance_table(&a, &b, max, prev2, prev, cur)
}

/// Words shorter than this are compared without allocating: typo correction compares each
/// unknown word with thousands of known ones.
const SHORT: usize = 48;

/// [`edit_distance`] of two short ASCII words, on the stack. The letters one word has and the
/// other lacks bound the distance from below (no edit changes that count by more than one), so
/// most pairs are rejected before the table is filled.
fn short_edit_distance(a: &[u8], b: &[u8], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut counts = [0i32; 128];
    for &c in a {
        counts[usize::from(c)] += 1;
    }
    for &c in b {
        counts[usize::from(c)] -= 1;
    }
    let (surplus, lack) = counts.iter().fold((0, 0), |(s, l), &c| if c > 0 { (s + c, l) } else { (s, l - c) });
    if surplus.max(lack) as usize > max {
        return None;
    }
    let (mut prev2, mut prev, mut cur) = ([0usize; SHORT], [0usize; SHORT], [0usize; SHORT]);
    distance_table(a, b, max, &mut prev2, &mut prev, &mut cur)
}

/// The distance table of `a` against `b`, filled a row at a time in three rows of at least
/// `b.len() + 1` cells; `None` as soon as a whole row exceeds `max`.
fn distance_table<'r, T: PartialEq>(
    a: &[T],
    b: &[T],
    max: usize,
    mut prev2: &'r mut [usize],
    mut prev: &'r mut [usize],
    mut cur: &'r mut [usize],
) -> Option<usize> {
    let width = b.len() + 1;
    for (j, cell) in prev.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..width {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

/// Words known to an index, grouped by length, for typo correction.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    by_len: Vec<Vec<(String, usize)>>,
}

impl Vocabulary {
    /// Builds from (word, weight) pairs; on equal distance the heavier word wins.
    pub fn new<'a>(words: impl IntoIterator<Item = (&'a str, usize)>) -> Vocabulary {
        let mut by_len: Vec<Vec<(String, usize)>> = Vec::new();
        for (word, weight) in words {
            let len = word.chars().count();
            if by_len.len() <= len {
                by_len.resize(len + 1, Vec::new());
            }
            by_len[len].push((word.to_string(), weight));
        }
        for words in &mut by_len {
            words.sort();
        }
        Vocabulary { by_len }
    }

    /// Words within `budget` edits of `word`, with their distance.
    pub fn near<'a>(&'a self, word: &'a str, budget: usize) -> impl Iterator<Item = (&'a str, usize, usize)> + 'a {
        let len = word.chars().count();
        self.by_len.iter().skip(len.saturating_sub(budget)).take(2 * budget + 1).flatten().filter_map(
            move |(candidate, weight)| Some((candidate.as_str(), edit_distance(word, candidate, budget)?, *weight)),
        )
    }

    /// The known word a typo most likely meant: the closest within the typo budget for the
    /// word's length, the heavier on a tie.
    pub fn correct<'a>(&'a self, word: &'a str) -> Option<&'a str> {
        let budget = typo_budget(word.chars().count());
        if budget == 0 {
            return None;
        }
        // Two edits are only trusted when the word starts like the candidate: "sardeen" is
        // "sardine", but "weather" is not "water".
        let prefix: String = word.chars().take(2).collect();
        // A short word cannot absorb the edits a long one can: "champions" is not "chamin".
        self.near(word, budget)
            .filter(|(candidate, d, _)| *d <= typo_budget(candidate.chars().count()))
            .filter(|(candidate, d, _)| *d < 2 || candidate.starts_with(&prefix))
            .min_by_key(|(_, d, weight)| (*d, std::cmp::Reverse(*weight)))
            .map(|(w, _, _)| w)
    }
}

/// How many edits a word of this length may carry and still count as a typo of another word.
pub fn typo_budget(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=6 => 1,
        // Longer words may carry two edits, but only with the same first two letters.
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_short_edit_distance_agrees_with_the_general_one() {
        let words = [
            "", "a", "ab", "ba", "sardine", "sardeen", "chamin", "champion", "cheese", "chesee", "zucchini", "zuchini",
            "broccoli", "brocolli", "yogurt", "yoghurt", "tahini", "teh", "the", "abcdef", "fedcba",
        ];
        for a in words {
            for b in words {
                for max in 0..4 {
                    let short = short_edit_distance(a.as_bytes(), b.as_bytes(), max);
                    assert_eq!(short, char_edit_distance(a, b, max), "{a} {b} {max}");
                }
            }
        }
    }

    #[test]
    fn fold_spells_out_fractions_and_accents() {
        assert_eq!(fold("1½ Cups Café"), "1 1/2 cups cafe");
        assert_eq!(fold("¼ cup"), "1/4 cup");
        assert_eq!(fold("2×"), "2x");
        assert_eq!(fold("50 µg"), "50 mcg");
    }

    #[test]
    fn markup_is_removed() {
        assert_eq!(without_markup("<@123> is zinc ok? <#9>").trim(), "is zinc ok?");
        assert_eq!(without_markup("<@!42>2 eggs <:zinc:77>"), " 2 eggs  ");
        assert_eq!(without_markup("2 < 3 and <3"), "2 < 3 and <3");
        assert_eq!(without_markup("see https://x.org/a then ```rice```"), "see   then \nrice\n");
    }

    #[test]
    fn words_keep_numbers_whole() {
        assert_eq!(words("1.5 cups, 80/20 beef"), ["1.5", "cups", "80/20", "beef"]);
        assert_eq!(words("eggs,toast"), ["eggs", "toast"]);
        assert_eq!(words("2-3 eggs"), ["2", "3", "eggs"]);
        assert_eq!(words("1,5 kg"), ["1,5", "kg"]);
        assert_eq!(words("85% cocoa, 100%!"), ["85%", "cocoa", "100%"]);
        assert_eq!(words("% off"), ["off"]);
    }

    #[test]
    fn stems_are_singular() {
        for (word, want) in [
            ("eggs", "egg"),
            ("berries", "berry"),
            ("tomatoes", "tomato"),
            ("loaves", "loaf"),
            ("peaches", "peach"),
            ("hummus", "hummus"),
            ("couscous", "couscous"),
            ("oats", "oat"),
            ("glass", "glass"),
            ("olives", "olive"),
            ("lentils", "lentil"),
            ("cookies", "cooky"),
            ("cookie", "cooky"),
            ("pies", "pie"),
            ("fries", "fry"),
        ] {
            assert_eq!(stem(word), want, "{word}");
        }
    }

    #[test]
    fn vocabulary_corrects_typos_to_the_closest_heaviest_word() {
        let vocabulary = Vocabulary::new([("chicken", 5), ("chickpea", 1), ("lentil", 2), ("beef", 1)]);
        assert_eq!(vocabulary.correct("chiken"), Some("chicken"));
        assert_eq!(vocabulary.correct("lentl"), Some("lentil"));
        assert_eq!(vocabulary.correct("bef"), None, "three letters are too short to correct");
        assert_eq!(vocabulary.correct("zzzzzz"), None);
        let vocabulary = Vocabulary::new([("water", 1), ("sardine", 1)]);
        assert_eq!(vocabulary.correct("weather"), None);
        assert_eq!(vocabulary.correct("sardeen"), Some("sardine"));
    }

    #[test]
    fn edit_distance_is_bounded() {
        assert_eq!(edit_distance("chiken", "chicken", 2), Some(1));
        assert_eq!(edit_distance("brocoli", "broccoli", 2), Some(1));
        assert_eq!(edit_distance("salmno", "salmon", 1), Some(1));
        assert_eq!(edit_distance("beef", "pork", 2), None);
        assert_eq!(edit_distance("a", "abcdef", 2), None);
    }
}
