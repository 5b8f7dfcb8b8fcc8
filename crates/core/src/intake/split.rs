//! Splits a typed food list into mentions, one food or supplement each.
//!
//! Separators are line breaks, commas, semicolons, `+`, bullets, sentence ends and the
//! lexicon's connecting words ("and", "with", "plus" ...). A connector inside a known food name
//! ("mac and cheese") or an amount ("one and a half cups") does not split.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::amount::Amount;
use crate::content::lexicon::FoodWords;
use crate::text;

/// At most this many mentions are read from one message; the rest is reported as skipped.
pub const MAX_MENTIONS: usize = 60;
/// Words past this many in one mention are ignored (no food name is that long).
const MAX_WORDS: usize = 24;

/// One piece of the list, as folded text and its words.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// The piece as the person typed it (folded: lower case, fractions spelled out).
    pub text: String,
    /// Its words, unstemmed.
    pub words: Vec<String>,
    /// The connecting word it followed ("with" in "porridge with 40 g oats"), if any.
    pub after: Option<String>,
    /// Whether it ends in a colon with more of the line after it: a heading for what follows
    /// ("roast dinner: beef, 2 potatoes, gravy"), which may name a dish its parts then list.
    pub heading: bool,
    /// Whether a colon or a spaced dash follows it with more of the line after it: the rest of
    /// the sentence may only say what is in it ("vegan chilli - kidney beans, lentils, peppers").
    pub opens: bool,
    /// Whether a bracketed list of its parts with their amounts follows it ("egg stew (3 eggs,
    /// 2 tomatoes, 1 onion)"): it heads them and is counted through them.
    pub bracket_of_parts: bool,
    /// Whether it says what was not eaten ("no fries", "skipped the bread"); `words` then hold
    /// only what was left.
    pub not_eaten: bool,
    /// The share eaten of what the entries before it made ("had about a third of it"); such a
    /// mention names no food itself.
    pub share: Option<Share>,
    /// Which line of the message it was typed on (an item of a numbered list counts as a line).
    pub line: usize,
    /// Which sentence of the message it was typed in: a line, or a part of one ended by a full
    /// stop, `!` or `?`.
    pub sentence: usize,
    /// The words of where it came from ("from BK"): no food, but they may name the restaurant.
    pub place: Vec<String>,
}

impl Mention {
    /// Whether `next` may add to this entry (its amount, its parts): it is on the same line, and
    /// this one is not a heading, what was not eaten or a share.
    pub fn continued_by(&self, next: &Mention) -> bool {
        self.line == next.line && !(self.heading || self.not_eaten || self.share.is_some())
    }
}

/// A share of a dish or batch cooked: `numerator / denominator` of it was eaten (2/1 when it
/// was eaten again: "went back for seconds").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    pub numerator: u32,
    pub denominator: u32,
    /// Whether it is a share of what was served, even a default portion, not only of a recipe:
    /// shared with others at the table ("split it with my flatmate") or a part of one serving
    /// ("ate about 2/3 of the box").
    pub of_served: bool,
    /// How many entries just before it the share is of when no heading opens them ("split both
    /// with the wife": two).
    pub entries: usize,
    /// Whether it was said alone after the food ("rotisserie chicken, ate half"): a share of the
    /// whole as it came, when no amount was given.
    pub alone: bool,
    /// Whether it names its food ("split a can of beans with my son"): it is of that food only,
    /// not of all a heading opens.
    pub names_food: bool,
}

impl Share {
    /// `numerator / denominator` of the one entry before it, or of a recipe.
    fn of(numerator: u32, denominator: u32) -> Share {
        Share { numerator, denominator, of_served: false, entries: 1, alone: false, names_food: false }
    }

    pub fn fraction(self) -> f64 {
        f64::from(self.numerator) / f64::from(self.denominator)
    }
}

/// A number followed by an inch mark: `14"`, `12”`, `6''`.
static INCHES: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"(\d)\s?(?:"|”|″|'')"#).expect("a valid pattern"));

/// What holds a food name together across its connecting words ("and", "with", "n").
#[derive(Debug, Default)]
pub struct Joins {
    /// Pairs of words joined inside a name, such as (`macaroni`, `cheese`): they hold together
    /// wherever they are typed.
    pub pairs: HashSet<(String, String)>,
    /// Whole names with a connecting word inside, as stems (`ham and chees sandwich`): they
    /// hold together where the whole name is typed, though "ham" and "cheese" alone are a list.
    pub names: Vec<Vec<String>>,
}

impl Joins {
    /// Whether the connector at `at` in `stems` lies inside a whole name typed there.
    fn inside_name(&self, stems: &[String], at: usize) -> bool {
        self.names.iter().any(|name| {
            name.iter().enumerate().filter(|(_, w)| *w == &stems[at]).any(|(k, _)| {
                at.checked_sub(k).and_then(|start| stems.get(start..start + name.len())) == Some(name.as_slice())
            })
        })
    }
}

/// Splits `input`, reading it with `lexicon`; the flag says whether mentions past
/// [`MAX_MENTIONS`] were dropped.
pub fn mentions(input: &str, lexicon: &FoodWords, joins: &Joins) -> (Vec<Mention>, bool) {
    let mut out = Vec::new();
    let input = text::without_markup(input);
    let mut sentence = 0;
    for (n, line) in input.lines().flat_map(inline_list).enumerate() {
        let folded = text::fold(strip_list_marker(line));
        let folded = read_as(lexicon, &spell_connectors(&folded));
        // 14" is 14 inches, which a pizza or a sub is sized by.
        let folded = INCHES.replace_all(&folded, "$1 inch ");
        let folded = without_times(&folded);
        let folded = asides(lexicon, &folded);
        let pieces = chunks(lexicon, &folded);
        let last = pieces.len().saturating_sub(1);
        for (i, (chunk, end)) in pieces.into_iter().enumerate() {
            let before = out.len();
            split_connectors(lexicon, chunk, joins, &mut out);
            for mention in &mut out[before..] {
                mention.line = n;
                mention.sentence = sentence;
            }
            let added = out.len() > before;
            if let Some(head) = out.last_mut().filter(|_| added) {
                head.heading = end == End::Colon && i < last;
                head.opens = matches!(end, End::Colon | End::Dash) && i < last;
                head.bracket_of_parts = end == End::Parts;
            }
            if end == End::Stop {
                sentence += 1;
            }
            if out.len() > MAX_MENTIONS {
                out.truncate(MAX_MENTIONS);
                return (out, true);
            }
        }
        sentence += 1;
    }
    name_the_ones(lexicon, &mut out);
    (out, false)
}

/// "tamales, ate like 4 pork ones": "ones" is the food the entry before it named, by its last
/// word that is not filler; that entry, with no amount of its own, only heads the ones. A part
/// named alone is of the food before it: "fried chicken wing n a leg" is a fried chicken leg,
/// and "leftover shoyu chicken, 2 thighs" two shoyu chicken thighs.
fn name_the_ones(lexicon: &FoodWords, mentions: &mut [Mention]) {
    let part = |w: &String| lexicon.kin.contains(&text::stem(w));
    for i in 1..mentions.len() {
        let only_parts = mentions[i].words.iter().any(part)
            && mentions[i]
                .words
                .iter()
                .all(|w| part(w) || is_filler(lexicon, w) || w.starts_with(|c: char| c.is_ascii_digit()));
        let before_has_part = mentions[i - 1].words.iter().any(part);
        // "leftover shoyu chicken, 2 thighs": the parts are the food's, which only heads them.
        let parts_of_before = only_parts
            && !before_has_part
            && mentions[i - 1].continued_by(&mentions[i])
            && !Amount::read(&mentions[i - 1].words).stated;
        if only_parts && (parts_of_before || before_has_part) {
            let food: Vec<String> =
                mentions[i - 1].words.iter().filter(|w| !part(w) && !is_filler(lexicon, w)).cloned().collect();
            let at = mentions[i].words.iter().position(part).unwrap_or(0);
            mentions[i].words.splice(at..at, food);
            // The food and its parts are one entry.
            if parts_of_before {
                let parts = std::mem::take(&mut mentions[i].words);
                let text = std::mem::take(&mut mentions[i].text);
                let before = &mut mentions[i - 1];
                before.text = format!("{}, {text}", before.text);
                before.words = parts;
            }
        }
        let Some(at) = mentions[i].words.iter().position(|w| w == "ones") else { continue };
        let before = &mut mentions[i - 1];
        let Some(head) = before.words.iter().rev().find(|w| !is_filler(lexicon, w)).cloned() else { continue };
        if !Amount::read(&before.words).stated {
            before.heading = true;
        }
        mentions[i].words[at] = head;
    }
}

/// Folded text with its connecting words spelled out: "w/" and "w" are "with", "&" and "n" are
/// "and" ("mac n cheese"); names are read the same way, so both meet.
pub fn spell_connectors(folded: &str) -> String {
    let words: Vec<&str> = folded.split(' ').collect();
    let last = words.len().saturating_sub(1);
    let mut out = String::with_capacity(folded.len());
    for (i, &w) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(match w {
            "w/" => "with",
            "&" => "and",
            // Between two words only: a lone "n" or "w" at either end is more likely a typo.
            "n" if i > 0 && i < last => "and",
            "w" if i > 0 && i < last => "with",
            // Spanish lists: "sopa de fideo y 2 quesadillas".
            "y" if i > 0 && i < last => "and",
            w => w,
        });
    }
    out
}

/// A time of day: "7:30", "3pm", "around 11ish", or "at 11" closing an item ("lunch at 1, then
/// toast"), with what closes it. Its number is never an amount.
static TIMES: LazyLock<Regex> = LazyLock::new(|| {
    let clock = r"(?:(?:at|around|about|by) )?\d{1,2}(?::\d\d(?: ?[ap]m)?| ?[ap]m|ish)\b";
    Regex::new(&format!(r"\b{clock}|\bat \d{{1,2}}(?P<end>[,.;!?)]|$)")).expect("a valid pattern")
});

/// `line` without its times of day, keeping the punctuation after them.
fn without_times(line: &str) -> String {
    TIMES.replace_all(line, "$end").into_owned()
}

/// `folded` with each phrase of [`FoodWords::read_as`] replaced by what it is read as, where
/// it stands as whole words: "cheeseburger (lettuce wrapped)" is "cheeseburger (no bun)".
pub(crate) fn read_as(lexicon: &FoodWords, folded: &str) -> String {
    let mut out = folded.to_string();
    for (phrase, meaning) in &lexicon.read_as {
        let mut from = 0;
        // memchr's one-shot search: names and lines are short, and building a `str::find`
        // searcher for every phrase of the lexicon costs more than the search.
        while let Some(found) = memchr::memmem::find(&out.as_bytes()[from..], phrase.as_bytes()) {
            let (start, end) = (from + found, from + found + phrase.len());
            // "filet-o-fish" and "o's" are words of their own, not the phrase "o".
            let letter = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || matches!(c, '-' | '\''));
            if letter(out[..start].chars().next_back()) || letter(out[end..].chars().next()) {
                from = end;
                continue;
            }
            out.replace_range(start..end, meaning);
            from = start + meaning.len();
        }
    }
    out
}

/// A numbered list written on one line ("1. eggs 2. toast 3. zucchini"): its items, each with
/// its number, and what stands before the first. A line without such a list is one item. The
/// numbers must run on from one to the next, so "eggs x 3. then toast" keeps its 3.
fn inline_list(line: &str) -> Vec<&str> {
    static MARKER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:^|\s)(\d{1,2})[.)]\s").expect("a valid pattern"));
    let markers: Vec<(usize, u32)> =
        MARKER.captures_iter(line).filter_map(|c| Some((c.get(1)?.start(), c[1].parse().ok()?))).collect();
    let consecutive = markers.windows(2).all(|w| w[1].1 == w[0].1 + 1);
    if markers.len() < 2 || !consecutive {
        return vec![line];
    }
    let mut items = vec![&line[..markers[0].0]];
    for (i, &(start, _)) in markers.iter().enumerate() {
        let end = markers.get(i + 1).map_or(line.len(), |&(next, _)| next);
        items.push(&line[start..end]);
    }
    items.retain(|item| !item.trim().is_empty());
    items
}

/// Reads what is typed in brackets after a food. A list of parts gives its parts ("egg stew (3
/// eggs, 2 tomatoes, 1 onion)" reads as a heading and its parts, the bracket kept to say so);
/// a share eaten is read as said after it ("fries (ate half)"); anything else belongs to the food
/// before it: an amount ("salmon (6oz, grilled)"), a form
/// ("zinc 25 mg (citrate)") or a description ("gf bread (brown rice/tapioca type)"), without the
/// punctuation that would split it off as foods of its own.
fn asides(lexicon: &FoodWords, line: &str) -> String {
    if !line.contains(['(', '[']) {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find(['(', '[']) {
        out.push_str(&rest[..open]);
        let inside = &rest[open + 1..];
        let close = inside.find([')', ']']).unwrap_or(inside.len());
        let aside = &inside[..close];
        rest = inside.get(close + 1..).unwrap_or("");
        let kept = if is_list_of_parts(lexicon, aside) {
            format!("( {aside},")
        } else if is_list_of_left_out(lexicon, aside) || says_share(lexicon, aside) {
            format!(", {aside},")
        } else {
            without_separators(aside)
        };
        out.push(' ');
        out.push_str(&kept);
        out.push(' ');
    }
    out.push_str(rest);
    // Without the brackets' own spacing: "bread (6oz) toasted" reads "bread 6oz toasted".
    out.split_whitespace().collect::<Vec<_>>().join(" ").replace(" :", ":").replace(" ,", ",")
}

/// Whether the text in a bracket lists parts: two or more, with amounts ("1 tin, 2 slices
/// toast") or one amount of something named ("quarter pounder patty, no bun, lettuce wrap"),
/// rather than one amount said more closely ("6oz, grilled"). Parts without any amount are left
/// to the dish's recipe, which counts them better than a default portion of each would.
fn is_list_of_parts(lexicon: &FoodWords, aside: &str) -> bool {
    let words = |part: &str| text::words(part).into_iter().map(String::from).collect::<Vec<_>>();
    let parts: Vec<Amount> = aside.split([',', ';']).map(|part| Amount::read(&words(part))).collect();
    let names =
        |a: &&Amount| a.rest.iter().any(|w| !is_filler(lexicon, w) && !lexicon.cooking.contains(&text::stem(w)));
    let stated: Vec<&Amount> = parts.iter().filter(|a| a.stated).collect();
    parts.len() >= 2 && (stated.len() >= 2 || stated.iter().any(names))
}

/// Whether the text in a bracket only says a share eaten ("fries (ate half)"): it is an entry of
/// its own, so it is read as one.
fn says_share(lexicon: &FoodWords, aside: &str) -> bool {
    let words = text::words(aside);
    share(lexicon, &words).is_some_and(|(_, used)| used == words.len())
}

/// Whether every part of the text in a bracket says what was left out ("pad thai (no egg, no
/// fish sauce)"): each is then an entry of its own, so the dish loses those parts instead of
/// being taken for them.
fn is_list_of_left_out(lexicon: &FoodWords, aside: &str) -> bool {
    let left_out = |part: &str| {
        let words = text::words(part);
        lexicon.not_eaten.iter().any(|n| text::starts_with(&words, n))
    };
    aside.split([',', ';']).all(left_out)
}

/// `text` with the punctuation that would split it into mentions made spaces, except inside a
/// number ("85/15 beef", "1,5 kg").
fn without_separators(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let digit = |i: Option<usize>| i.and_then(|i| chars.get(i)).is_some_and(char::is_ascii_digit);
    let kept = |(i, &c): (usize, &char)| match c {
        '/' | ',' | ':' if digit(i.checked_sub(1)) && digit(Some(i + 1)) => c,
        '/' | '+' | '?' | '!' | ':' | ',' | ';' => ' ',
        _ => c,
    };
    chars.iter().enumerate().map(kept).collect()
}

/// Drops a leading bullet or list number: `- `, `* `, `• `, `1. `, `2) `.
fn strip_list_marker(line: &str) -> &str {
    let trimmed = line.trim_start();
    for bullet in ["- ", "* ", "• ", "· ", "> ", "– "] {
        if let Some(rest) = trimmed.strip_prefix(bullet) {
            return rest;
        }
    }
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=2).contains(&digits) {
        let rest = &trimmed[digits..];
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return rest;
        }
    }
    trimmed
}

/// How a piece of a line ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// At a separator that says nothing more, or the end of the line.
    Plain,
    /// At a colon: a heading when more of the line follows.
    Colon,
    /// At a spaced dash: what follows may say what is in the piece before it.
    Dash,
    /// At a full stop, `!` or `?`: the sentence ends.
    Stop,
    /// At a bracket that lists its parts with their amounts.
    Parts,
}

/// Splits on punctuation that always separates foods, and before a bracketed list of parts;
/// each piece says how it ended.
fn chunks<'a>(lexicon: &FoodWords, line: &'a str) -> Vec<(&'a str, End)> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in line.char_indices() {
        let digit_before = i > 0 && bytes[i - 1].is_ascii_digit();
        let digit_after = bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        let separates = match c {
            ';' | '|' | '•' | '!' | '?' => true,
            // "Centrum Silver 50+" names an age group: its plus sign joins nothing.
            '+' => !digit_before || digit_after,
            ',' | '/' | ':' => !(digit_before && digit_after),
            // "beans on toast - 2 slices toast, half a tin of beans": a spaced dash separates.
            '-' => i > 0 && bytes[i - 1] == b' ' && bytes.get(i + 1) == Some(&b' '),
            '.' => !(follows_abbreviation(lexicon, &line[..i]) || digit_before && digit_after),
            // `asides` leaves a bracket only where a list of parts opens.
            '(' => true,
            // An emoji ends what it follows: "indian from the place on sydney rd 😋 butter chicken".
            _ => is_emoji(c),
        };
        if separates {
            let end = match c {
                ':' => End::Colon,
                '-' => End::Dash,
                '.' | '!' | '?' => End::Stop,
                '(' => End::Parts,
                _ => End::Plain,
            };
            out.push((&line[start..i], end));
            start = i + c.len_utf8();
        }
    }
    out.push((&line[start..], End::Plain));
    out.retain(|(chunk, _)| chunk.chars().any(char::is_alphanumeric));
    out
}

/// Whether `c` is a pictograph typed as an emoji (faces, food, hands, weather, hearts).
fn is_emoji(c: char) -> bool {
    matches!(c, '\u{1F300}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}')
}

/// Whether a dot after `before` follows an abbreviation or a number rather than ending a sentence.
fn follows_abbreviation(lexicon: &FoodWords, before: &str) -> bool {
    let last = before.rsplit(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or("");
    lexicon.abbreviations.contains(last) || last.ends_with(|c: char| c.is_ascii_digit())
}

/// Splits a chunk at connector words and records each piece; a share eaten with others ends it.
fn split_connectors(lexicon: &FoodWords, chunk: &str, joins: &Joins, out: &mut Vec<Mention>) {
    let words: Vec<&str> = text::words(chunk).into_iter().take(MAX_WORDS * 4).collect();
    let (words, shared) = match shared_with(lexicon, &words) {
        Some((food, said, share)) => (&words[food], Some((share, &words[said..]))),
        None => (&words[..], None),
    };
    let stems: Vec<String> = words.iter().map(|w| text::stem(w)).collect();
    let before = out.len();
    let mut piece: Vec<&str> = Vec::new();
    let mut after = None;
    for (i, &word) in words.iter().enumerate() {
        let prev = piece.last().copied();
        let next = words.get(i + 1).copied();
        // "mushrooms fried in butter", "sauteed kale in coconut oil": what a food was cooked in
        // is an entry of its own, not the food ("sardines in olive oil" is one food).
        let cooked_in = word == "in" && piece.iter().any(|p| lexicon.cooking.contains(&text::stem(p)));
        let connects = (lexicon.connectors.contains(word) || cooked_in)
            && !joined(prev, word, next, words.get(i + 2).copied(), joins)
            && !joins.inside_name(&stems, i);
        if connects {
            push(lexicon, chunk, &piece, after, out);
            piece.clear();
            // "coffee without sugar", "burger no bun": the word opens what was not eaten.
            if lexicon.not_eaten.iter().any(|n| n.len() == 1 && n[0] == word) {
                piece.push(word);
                after = None;
            } else {
                after = Some(word);
            }
        } else {
            piece.push(word);
        }
    }
    push(lexicon, chunk, &piece, after, out);
    if let Some((mut share, said)) = shared {
        if share.names_food {
            share.entries = out.len() - before;
        }
        out.push(share_mention(chunk, said, share, None));
    }
}

/// Which of `words` name the food shared with others, where the share is said, and the share:
/// "split it w my flatmate" (a half), "shared both with the wife" (a half of the two entries
/// before), "split 3 ways", "split it with my sister so i had a third", "split a can of beans
/// with my son" (the food between). The words after it say with whom, not what was eaten.
fn shared_with(lexicon: &FoodWords, words: &[&str]) -> Option<(std::ops::Range<usize>, usize, Share)> {
    // "a whole pizza between 4 of us": a group said after "between" shares without a verb.
    let among = |i: usize| matches!(words[i], "between" | "among" | "amongst") && group_size(&words[i..]).is_some();
    let at = (0..words.len()).find(|&i| lexicon.shared.contains(words[i]) || (i > 0 && among(i)))?;
    let said = &words[at + 1..];
    let object = |w: &&&str| matches!(**w, "it" | "them" | "both" | "that" | "this" | "the" | "lot" | "all");
    // "split one can of vienna sausage with my grandson": the food is between.
    // "we shared an apple napple", "my wife and I shared a plate of chow fun": the food after.
    // The verb is followed by what was shared ("split a", "shared one"), not by "it" or "the":
    // "split pea soup with ham" shares nothing.
    let determined = said.first().is_some_and(|w| {
        matches!(*w, "a" | "an" | "one" | "my" | "our" | "some" | "his" | "her" | "their")
            || w.starts_with(|c: char| c.is_ascii_digit())
    });
    if determined && words[..at].iter().all(|w| is_filler(lexicon, w)) {
        let we = words[..at].iter().any(|w| matches!(*w, "we" | "and" | "n"));
        let with = said.iter().position(|w| matches!(*w, "with" | "w" | "between")).filter(|&k| k > 0);
        let group_said = group(said).map(|(k, _)| k).filter(|&k| k > 0);
        let food = with.or(group_said).or(we.then_some(said.len()))?;
        let share = Share { of_served: true, names_food: true, ..Share::of(1, group_size(said).unwrap_or(2)) };
        return Some((at + 1..at + 1 + food, at, share));
    }
    let objects = said.iter().take_while(object).count();
    // From the verb or "between" on, so that "between 2" is read with its opener.
    let ways = group_size(&words[at..]);
    let with = matches!(said.get(objects), Some(&"with" | &"between" | &"among"));
    if !with && ways.is_none() {
        return None;
    }
    let fraction = (0..said.len()).find_map(|i| read_fraction(&said[i..]).map(|(share, _)| share));
    let denominator = ways.unwrap_or(2);
    let mut share = fraction.unwrap_or(Share::of(1, denominator));
    share.of_served = true;
    share.entries = if said[..objects].contains(&"both") { 2 } else { 1 };
    // "queso and chips we all shared": the foods named before the verb, every one of them.
    share.names_food = words[..at].iter().any(|w| !is_filler(lexicon, w));
    Some((0..at, at, share))
}

/// How many shared, when `words` say so, and where the saying starts: "3 ways", "into 4
/// containers", "4 of us", "between the 3 of us", "among 5 people", "between 2".
fn group(words: &[&str]) -> Option<(usize, u32)> {
    let count = |w: &str| {
        let n = super::amount::parse_number(w).or_else(|| super::amount::number_word(w))?;
        (n.fract() == 0.0 && (2.0..=12.0).contains(&n)).then_some(n as u32)
    };
    (0..words.len()).find_map(|i| {
        let the = usize::from(i > 0 && words[i - 1] == "the");
        let opener =
            (i > the).then(|| i - the - 1).filter(|&o| matches!(words[o], "into" | "between" | "among" | "amongst"));
        let after = words.get(i + 1).copied();
        let said = matches!(after, Some("ways" | "people" | "persons" | "adults" | "kids"))
            || (after == Some("of") && matches!(words.get(i + 2), Some(&("us" | "them" | "you"))));
        let n = count(words[i])?;
        (said || opener.is_some()).then_some((opener.unwrap_or(i), n))
    })
}

/// How many shared, when `words` say so.
fn group_size(words: &[&str]) -> Option<u32> {
    group(words).map(|(_, n)| n)
}

/// The words of an entry without its flavours: "indomie x2 chicken flavour" names noodles, so
/// the flavour word and the word before it go.
fn without_flavours<'a>(lexicon: &FoodWords, words: &[&'a str]) -> Vec<&'a str> {
    let flavour = |i: usize| words.get(i).is_some_and(|w| lexicon.flavour.contains(*w));
    words.iter().enumerate().filter(|&(i, _)| !flavour(i) && !flavour(i + 1)).map(|(_, w)| *w).collect()
}

/// Whether the connector `word` between `prev` and `next` belongs to one food or one amount.
fn joined(prev: Option<&str>, word: &str, next: Option<&str>, after: Option<&str>, joins: &Joins) -> bool {
    let (Some(prev), Some(next)) = (prev, next) else { return false };
    let amount_half = word == "and"
        && (prev.starts_with(|c: char| c.is_ascii_digit()) || super::amount::number_word(prev).is_some())
        && (next == "1/2" || (next == "a" && after == Some("half")) || next == "half");
    amount_half || joins.pairs.contains(&(text::stem(prev), text::stem(next)))
}

/// Records a piece, showing it back without the words that open a list ("for breakfast I had").
fn push(lexicon: &FoodWords, chunk: &str, piece: &[&str], after: Option<&str>, out: &mut Vec<Mention>) {
    let piece = before_reading(lexicon, piece);
    // "6 oysters at the bar", "a pasty from the co-op": the place ends what the food is called,
    // though a weight said after it is still the food's ("lambs liver from the butcher, about
    // 120g"; but "a pasty from the co-op around 11" is a time).
    // "made from oats and banana" says what it is made of, not where it came from.
    let aside = (1..piece.len())
        .filter(|&i| piece[i - 1] != "made")
        .find(|&i| lexicon.asides.iter().any(|a| text::starts_with(&piece[i..], a)));
    let weighed_after = aside.and_then(|at| (at + 1..piece.len()).find(|&j| weighs(&piece[j..])));
    let place = aside.map_or(&[][..], |at| &piece[at..weighed_after.unwrap_or(piece.len())]);
    let place: Vec<String> = place.iter().take(MAX_WORDS).map(|w| w.to_string()).collect();
    let kept: Vec<&str>;
    let piece = match (aside, weighed_after) {
        (Some(at), Some(weight)) => {
            kept = piece[..at].iter().chain(&piece[weight..]).copied().collect();
            &kept[..]
        }
        (Some(at), None) => &piece[..at],
        (None, _) => piece,
    };
    let shown = piece.iter().position(|w| !lexicon.preamble.contains(*w)).unwrap_or(0);
    // "didn't eat the bun": the words after the phrase say what was left.
    let not_eaten = lexicon.not_eaten.iter().find(|n| text::starts_with(piece.get(shown..).unwrap_or(&[]), n));
    let eaten = &piece[not_eaten.map_or(0, |n| shown + n.len())..];
    let (Some(first), Some(last)) = (piece.get(shown), piece.last()) else { return };
    // "had about a third of it over 150 g rice": the share, then what was eaten with it.
    if let Some((share, used)) = share(lexicon, &piece[shown..]).filter(|_| not_eaten.is_none()) {
        out.push(share_mention(chunk, &piece[shown..shown + used], share, after));
        let rest = &piece[shown + used..];
        let food = rest.iter().position(|w| !is_filler(lexicon, w) && *w != "over");
        if let Some(food) = food {
            push(lexicon, chunk, &rest[food..], None, out);
        }
        return;
    }
    let words = without_flavours(lexicon, eaten).into_iter().take(MAX_WORDS).map(String::from).collect();
    out.push(Mention {
        text: text_of(chunk, &[first, last]),
        words,
        after: after.map(String::from),
        heading: false,
        opens: false,
        bracket_of_parts: false,
        not_eaten: not_eaten.is_some(),
        share: None,
        line: 0,
        sentence: 0,
        place,
    });
}

/// `piece` up to a reading that is no food ("butter chicken 60g carbs", "bolused 8u", "back to
/// 7.4"), without the number that goes with it.
fn before_reading<'p, 'w>(lexicon: &FoodWords, piece: &'p [&'w str]) -> &'p [&'w str] {
    // Units of insulin: "8u", "4.5u".
    let insulin =
        |w: &str| w.strip_suffix('u').is_some_and(|n| !n.is_empty() && super::amount::parse_number(n).is_some());
    let reading = (0..piece.len())
        .find(|&i| insulin(piece[i]) || lexicon.readings.iter().any(|r| text::starts_with(&piece[i..], r)));
    match reading {
        Some(at) => {
            let number = at > 0 && piece[at - 1].trim_start_matches('~').starts_with(|c: char| c.is_ascii_digit());
            &piece[..if number { at - 1 } else { at }]
        }
        None => piece,
    }
}

/// Whether `words` open with a weight or a volume ("120g", "about 200 ml").
fn weighs(words: &[&str]) -> bool {
    let starts = words.first().is_some_and(|w| {
        w.starts_with(|c: char| c.is_ascii_digit()) || matches!(*w, "about" | "around" | "approx" | "~")
    });
    let words: Vec<String> = words.iter().take(4).map(|w| w.to_string()).collect();
    starts
        && Amount::read(&words)
            .measures
            .iter()
            .any(|m| matches!(m.unit, super::amount::Unit::Mass(_) | super::amount::Unit::Volume(_)))
}

/// The mention of a share said in `said`, words of `chunk`.
fn share_mention(chunk: &str, said: &[&str], share: Share, after: Option<&str>) -> Mention {
    Mention {
        text: text_of(chunk, said),
        words: Vec::new(),
        after: after.map(String::from),
        heading: false,
        opens: false,
        bracket_of_parts: false,
        not_eaten: false,
        share: Some(share),
        line: 0,
        sentence: 0,
        place: Vec::new(),
    }
}

/// A fraction at the start of `words` ("a third", "one quarter", "two thirds", "half", "1/4"),
/// and how many words it takes.
fn read_fraction(words: &[&str]) -> Option<(Share, usize)> {
    let first = *words.first()?;
    // "ate most of it": about three quarters.
    if first == "most" {
        return Some((Share::of(3, 4), 1));
    }
    if let Some((n, d)) = first.split_once('/') {
        let (numerator, denominator) = (n.parse().ok()?, d.parse().ok()?);
        return (0 < numerator && numerator < denominator && denominator <= 12)
            .then_some((Share::of(numerator, denominator), 1));
    }
    let (numerator, at) = match first {
        "a" | "an" | "one" => (1, 1),
        "two" => (2, 1),
        "three" => (3, 1),
        _ => (1, 0),
    };
    let denominator = match *words.get(at)? {
        "half" | "halves" => 2,
        "third" | "thirds" => 3,
        "quarter" | "quarters" | "fourth" | "fourths" => 4,
        "fifth" | "fifths" => 5,
        "sixth" | "sixths" => 6,
        "eighth" | "eighths" => 8,
        _ => return None,
    };
    (numerator < denominator).then_some((Share::of(numerator, denominator), at + 1))
}

/// Whether `word` is one of the lexicon's filler words. Unlike [`super::food::is_filler`], a
/// number or a cooking word is not: after a share they start the next food ("150 g cooked rice").
fn is_filler(lexicon: &FoodWords, word: &str) -> bool {
    lexicon.filler.contains(&text::stem(word))
}

/// The text of `chunk` from the first to the last of `words`, which are slices of it.
fn text_of(chunk: &str, words: &[&str]) -> String {
    let (Some(first), Some(last)) = (words.first(), words.last()) else { return String::new() };
    let start = first.as_ptr() as usize - chunk.as_ptr() as usize;
    let end = last.as_ptr() as usize - chunk.as_ptr() as usize + last.len();
    chunk[start..end].to_string()
}

/// A share of what was made, said at the start of `words`, and how many words say it: a
/// fraction ("about a third", "1/4", "two thirds") of something the lexicon's `made` names
/// ("of it", "of the pan I made"), or a fraction alone closing the entry ("so I had half"), which
/// is a share of the entry before it even when no amount was given.
fn share(lexicon: &FoodWords, words: &[&str]) -> Option<(Share, usize)> {
    let start = (0..words.len()).find(|&i| read_fraction(&words[i..]).is_some() || !is_filler(lexicon, words[i]))?;
    // "so I had half lol": a share with nothing after it but filler.
    let trailing = |from: usize| from + words[from..].iter().take_while(|w| is_filler(lexicon, w)).count();
    // "went back for seconds": the portion before, again.
    let again = lexicon.seconds.iter().filter(|p| text::starts_with(&words[start..], p)).map(Vec::len).max();
    if let Some(again) = again.filter(|&n| trailing(start + n) == words.len()) {
        let share = Share { of_served: true, ..Share::of(2, 1) };
        return Some((share, start + again));
    }
    // "left maybe a quarter", "left a third of the box": the rest was eaten.
    if words[start] == "left" {
        let (share, used) = share(lexicon, &words[start + 1..])?;
        let eaten = Share { numerator: share.denominator - share.numerator, ..share };
        return Some((eaten, start + 1 + used));
    }
    let (share, used) = read_fraction(&words[start..])?;
    let used = start + used;
    // "half of the pouch", and "half the pouch" too: `whole_at` is where the whole is named.
    let of = words.get(used) == Some(&"of");
    let served_next =
        words.get(used) == Some(&"the") && lexicon.served.iter().any(|m| text::starts_with(&words[used..], m));
    if of || served_next {
        let whole_at = used + usize::from(of);
        let longest = |phrases: &[Vec<String>]| {
            phrases.iter().filter(|m| text::starts_with(&words[whole_at..], m)).map(Vec::len).max()
        };
        let (whole, of_served) = match (longest(&lexicon.made), longest(&lexicon.served)) {
            (made, Some(served)) if made.is_none_or(|m| m <= served) => (served, true),
            (made, _) => (made?, false),
        };
        let share = Share { of_served, ..share };
        let end = whole_at + whole;
        // "of the dish I made"
        let maker = matches!(words.get(end..end + 2), Some([who, verb])
            if matches!(*who, "i" | "we") && matches!(*verb, "made" | "cooked" | "baked" | "did"));
        return Some((share, if maker { end + 2 } else { end }));
    }
    // A share said alone is of what came before it as it was served, a default portion too:
    // "lasagna, only ate like half", "large doner n chips, ate half".
    let share = Share { of_served: true, alone: true, ..share };
    (trailing(used) == words.len()).then_some((share, words.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::lexicon::shipped;

    fn texts(input: &str) -> Vec<String> {
        let joins = Joins {
            pairs: [("macaroni".to_string(), "cheese".to_string())].into(),
            names: vec!["ham and cheese sandwich".split(' ').map(text::stem).collect()],
        };
        mentions(input, &shipped().foods, &joins).0.into_iter().map(|m| m.text).collect()
    }

    #[test]
    fn splits_on_separators_and_connectors() {
        assert_eq!(
            texts("2 eggs, 100g beef and ½ cup lentils + toast"),
            ["2 eggs", "100g beef", "1/2 cup lentils", "toast"]
        );
        assert_eq!(texts("- 2 eggs\n- toast with butter"), ["2 eggs", "toast", "butter"]);
        assert_eq!(texts("1. oatmeal\n2) 3 oz. beef"), ["oatmeal", "3 oz. beef"]);
        assert_eq!(texts("I had eggs. Then toast"), ["eggs", "toast"]);
        assert_eq!(texts("for breakfast I had 2 eggs"), ["2 eggs"]);
    }

    #[test]
    fn reads_what_is_in_brackets() {
        // A list of parts with amounts: the food before it heads them.
        assert_eq!(
            texts("sardines on toast (1 tin in tomato sauce, 2 slices toast)"),
            ["sardines on toast", "1 tin in tomato sauce", "2 slices toast"]
        );
        // An amount goes with its food.
        assert_eq!(texts("wild salmon fillet (6oz) and rice"), ["wild salmon fillet 6oz", "rice"]);
        assert_eq!(
            texts("egg fried rice (about 2 cups?), prawn crackers"),
            ["egg fried rice about 2 cups", "prawn crackers"]
        );
        // Words alone describe the food, and are not foods of their own.
        assert_eq!(
            texts("2 slices gf bread (brown rice/tapioca type) toasted, 2 eggs"),
            ["2 slices gf bread brown rice tapioca type toasted", "2 eggs"]
        );
        assert_eq!(
            texts("pizza [classic crust, thin], salad (unclosed"),
            ["pizza classic crust thin", "salad unclosed"]
        );
    }

    #[test]
    fn keeps_names_and_amounts_whole() {
        assert_eq!(texts("macaroni and cheese"), ["macaroni and cheese"]);
        assert_eq!(texts("macaroni n cheese & peas"), ["macaroni and cheese", "peas"]);
        // A whole name holds together where it is typed; its words alone are a list.
        assert_eq!(texts("ham n cheese sandwich, ham and cheese"), ["ham and cheese sandwich", "ham", "cheese"]);
        assert_eq!(texts("centrum silver 50+ + 2 eggs"), ["centrum silver 50+", "2 eggs"]);
        assert_eq!(texts("one and a half cups rice"), ["one and a half cups rice"]);
        assert_eq!(texts("1.5 cups rice, 1/2 cup beans"), ["1.5 cups rice", "1/2 cup beans"]);
    }

    #[test]
    fn times_places_and_dashes_are_not_foods() {
        assert_eq!(texts("pasty from the co-op around 11, lunch at 1, eggs at 7:30pm"), ["pasty", "lunch", "eggs"]);
        assert_eq!(texts("6 oysters at the bar, around 2 cups rice"), ["6 oysters", "around 2 cups rice"]);
        assert_eq!(
            texts("beans on toast - 2 slices toast, 5-6 inch sub"),
            ["beans on toast", "2 slices toast", "5-6 inch sub"]
        );
        assert_eq!(texts("small frosty instead of a drink"), ["small frosty"]);
    }

    #[test]
    fn a_share_of_what_was_made_is_read() {
        let share = |text: &str| {
            let (found, _) = mentions(text, &shipped().foods, &Joins::default());
            found.iter().find_map(|m| m.share.map(|s| (s.numerator, s.denominator, m.text.clone())))
        };
        assert_eq!(share("curry, had about a third of it"), Some((1, 3, "about a third of it".into())));
        assert_eq!(share("lasagna - 1/4 of the pan i made"), Some((1, 4, "1/4 of the pan i made".into())));
        assert_eq!(share("pie, so i had half lol"), Some((1, 2, "so i had half lol".into())));
        assert_eq!(share("two thirds of the batch"), Some((2, 3, "two thirds of the batch".into())));
        for none in ["a quarter pounder", "half an avocado", "a third of a pizza", "half and half", "3/2 of it"] {
            assert_eq!(share(none), None, "{none}");
        }
    }

    #[test]
    fn a_share_eaten_of_served_is_read_and_who_is_no_food() {
        let read = |text: &str| {
            let (found, _) = mentions(text, &shipped().foods, &Joins::default());
            let texts: Vec<String> = found.iter().map(|m| m.text.clone()).collect();
            let share = found.iter().find_map(|m| m.share.map(|s| (s.numerator, s.denominator, s.entries)));
            (texts, share, found.iter().any(|m| m.share.is_some_and(|s| s.of_served)))
        };
        assert_eq!(
            read("large pizza, split it with my brother"),
            (vec!["large pizza".into(), "split it with my brother".into()], Some((1, 2, 1)), true)
        );
        assert_eq!(read("noodles and fried rice, split both w the wife").1, Some((1, 2, 2)));
        assert_eq!(read("pizza split 4 ways").1, Some((1, 4, 1)));
        assert_eq!(read("1 lb beef split into 3 containers").1, Some((1, 3, 1)));
        assert_eq!(read("curry, split it with my sister so i had a third").1, Some((1, 3, 1)));
        assert_eq!(read("split one can of beans with my son").1, Some((1, 2, 1)));
        // A group said with or without a verb.
        assert_eq!(read("a large pizza shared between 3 of us").1, Some((1, 3, 1)));
        assert_eq!(read("a whole pizza between 4 of us").1, Some((1, 4, 1)));
        assert_eq!(read("split a pizza between the 3 of us").1, Some((1, 3, 1)));
        assert_eq!(read("nachos, shared among 5 people").1, Some((1, 5, 1)));
        assert_eq!(read("we split a large onion rings 3 ways").0[0], "a large onion rings");
        // Foods named before the verb are all shared.
        assert_eq!(read("queso and chips we all shared (4 of us)").1, Some((1, 4, 2)));
        for none in ["2 cups split peas", "split pea soup with ham", "shared plate"] {
            assert_eq!(read(none).1, None, "{none}");
        }
    }

    #[test]
    fn what_was_not_eaten_is_marked() {
        let (found, _) = mentions(
            "burger, no fries, coffee without sugar, didn't eat the bun, chips no salt",
            &shipped().foods,
            &Joins::default(),
        );
        let marked: Vec<(&str, bool, &[String])> =
            found.iter().map(|m| (m.text.as_str(), m.not_eaten, m.words.as_slice())).collect();
        assert_eq!(marked[0], ("burger", false, &["burger".to_string()][..]));
        assert_eq!(marked[1], ("no fries", true, &["fries".to_string()][..]));
        assert_eq!((marked[2].1, marked[3].0, marked[3].1), (false, "without sugar", true));
        assert_eq!(marked[4], ("didn't eat the bun", true, &["the".to_string(), "bun".to_string()][..]));
        assert_eq!((marked[5].1, marked[6]), (false, ("no salt", true, &["salt".to_string()][..])));
    }

    #[test]
    fn chat_markup_is_not_food() {
        assert_eq!(texts("<@123456> 2 eggs <:zinc:98765> ```1 cup rice```"), ["2 eggs", "1 cup rice"]);
        assert_eq!(texts("see https://example.org/2-eggs then toast"), ["see", "toast"]);
        assert_eq!(texts("2 eggs <3"), ["2 eggs <3"]);
    }

    #[test]
    fn bounds_the_number_of_mentions() {
        let long = "egg, ".repeat(10_000);
        let (found, truncated) = mentions(&long, &shipped().foods, &Joins::default());
        assert_eq!(found.len(), MAX_MENTIONS);
        assert!(truncated);
    }
}
