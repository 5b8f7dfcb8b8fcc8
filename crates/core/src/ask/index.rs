//! Ranked retrieval over topics: BM25F over title, keywords, example questions, the short answer
//! and the sections, with typo correction and abbreviation expansion on the query side.

use std::borrow::Cow;
use std::collections::HashMap;

/// The index's tables, keyed by words: built at every start, so with a hash quicker than
/// the default one (the keys are content words, not input an attacker picks).
type Map<K, V> = rustc_hash::FxHashMap<K, V>;

use crate::content::citations;
use crate::content::lexicon::QuestionWords;
use crate::content::topics::{Route, Topic};
use crate::text::{self, Vocabulary};

/// The fields of a topic, with how much a match in each counts.
#[derive(Debug, Clone, Copy)]
pub enum Field {
    Title,
    Keywords,
    Questions,
    ShortAnswer,
    Headings,
    Sections,
}

impl Field {
    const ALL: [Field; 6] =
        [Field::Title, Field::Keywords, Field::Questions, Field::ShortAnswer, Field::Headings, Field::Sections];

    fn weight(self) -> f64 {
        match self {
            Field::Title => 3.0,
            Field::Keywords => 3.0,
            Field::Questions => 2.0,
            Field::ShortAnswer => 1.0,
            Field::Headings => 1.0,
            Field::Sections => 0.5,
        }
    }

    /// BM25 length normalisation: long prose fields are normalised, lists barely.
    fn b(self) -> f64 {
        match self {
            Field::Title | Field::Keywords | Field::Questions => 0.3,
            _ => 0.75,
        }
    }
}

const K1: f64 = 1.2;
/// How much naming a topic's keyword adds, per unit of the keyword's rarity.
const KEYWORD_BONUS: f64 = 1.0;
/// What a context word counts for (see [`TopicIndex::search`]).
const CONTEXT_WEIGHT: f64 = 0.5;

/// Occurrences counted while the index is built, per term and topic.
#[derive(Default)]
struct Counts {
    /// (term, topic, per-field counts), in the order first seen: topic by topic.
    seen: Vec<(u32, u32, [u16; 6])>,
    /// Per term, where in `seen` its counts for the latest topic that has it are.
    latest: Vec<u32>,
}

impl Counts {
    /// The number of the term `key` in `numbers`, numbering it if it is new.
    fn number<K>(&mut self, numbers: &mut Map<K::Owned, u32>, key: &K) -> u32
    where
        K: ToOwned + std::hash::Hash + Eq + ?Sized,
        K::Owned: std::hash::Hash + Eq + std::borrow::Borrow<K>,
    {
        if let Some(&term) = numbers.get(key) {
            return term;
        }
        let term = self.latest.len() as u32;
        numbers.insert(key.to_owned(), term);
        self.latest.push(u32::MAX);
        term
    }

    /// Counts one occurrence of `term` in `field` of `topic`; topics come in order.
    fn count(&mut self, term: u32, topic: u32, field: usize) {
        let latest = &mut self.latest[term as usize];
        match self.seen.get_mut(*latest as usize) {
            Some((_, t, counts)) if *t == topic => counts[field] += 1,
            _ => {
                *latest = self.seen.len() as u32;
                let mut counts = [0; 6];
                counts[field] = 1;
                self.seen.push((term, topic, counts));
            }
        }
    }

    /// The postings grouped by term, topics in order within each, and where each term's postings
    /// begin (see [`TopicIndex::postings`]): a counting sort, which keeps the order of topics.
    fn by_term(self) -> (Vec<(u32, [u16; 6])>, Vec<u32>) {
        let mut starts = vec![0u32; self.latest.len() + 1];
        for &(term, _, _) in &self.seen {
            starts[term as usize + 1] += 1;
        }
        for t in 0..self.latest.len() {
            starts[t + 1] += starts[t];
        }
        let mut next = starts.clone();
        let mut postings = vec![(0, [0; 6]); self.seen.len()];
        for (term, topic, counts) in self.seen {
            postings[next[term as usize] as usize] = (topic, counts);
            next[term as usize] += 1;
        }
        (postings, starts)
    }
}

/// The canonical form of a stemmed word: the one its synonym entry names, or itself.
fn canonical<'a>(lexicon: &'a QuestionWords, stem: &'a str) -> &'a str {
    lexicon.synonyms.get(stem).map_or(stem, String::as_str)
}

/// The search index over all topics.
#[derive(Debug, Default)]
pub struct TopicIndex {
    /// Word -> its term number: its place in `postings`.
    words: Map<String, u32>,
    /// The term numbers of two adjacent words -> the pair's term number. Pairs are keyed by
    /// number, not text: there are as many as there are words in the topics, and short keys
    /// keep building the index quick.
    pairs: Map<(u32, u32), u32>,
    /// Each term's topics with their per-field counts, term after term and by topic within a
    /// term: term `t` has `postings[starts[t]..starts[t + 1]]`. One array rather than a list
    /// per term, of which there are tens of thousands.
    postings: Vec<(u32, [u16; 6])>,
    starts: Vec<u32>,
    /// Per topic, per field token counts.
    lengths: Vec<[u32; 6]>,
    average: [f64; 6],
    vocabulary: Vocabulary,
    /// Each topic keyword as its words, with its topic.
    keywords: Vec<(Vec<String>, u32)>,
    /// Word -> the keywords containing it.
    keywords_by_word: Map<String, Vec<u32>>,
    /// The words topics and queries are read with.
    lexicon: QuestionWords,
}

/// A query, tokenised.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Terms to score: content words, expansions and bigrams.
    pub terms: Vec<String>,
    /// Content words the index does not know even after correction.
    pub unknown: Vec<String>,
    /// Typos corrected: (typed, read as).
    pub corrected: Vec<(String, String)>,
}

/// Words of a text: canonical stems without stop words.
fn words(lexicon: &QuestionWords, text: &str) -> Vec<String> {
    let mut words = Vec::new();
    each_word(lexicon, text, |word| words.push(word.to_string()));
    words
}

/// The stem of a word of a question or a topic ([`text::stem_parts`]), a possessive read as its
/// noun: "crohn's" is "crohn", as the lexicon writes the conditions.
fn stem_parts(word: &str) -> (&str, &'static str) {
    text::stem_parts(word.strip_suffix("'s").filter(|noun| !noun.is_empty()).unwrap_or(word))
}

/// Calls `each` with each of [`words`] in turn, without a string for each.
fn each_word(lexicon: &QuestionWords, text: &str, mut each: impl FnMut(&str)) {
    let folded = text::fold(text);
    let mut stem = String::new();
    for word in text::words(&folded) {
        let (base, ending) = stem_parts(word);
        stem.clear();
        stem.push_str(base);
        stem.push_str(ending);
        if !lexicon.stop_words.contains(&stem) {
            each(canonical(lexicon, &stem));
        }
    }
}

/// Terms of a query: its words plus adjacent pairs.
fn with_pairs(words: Vec<String>) -> Vec<String> {
    let pairs: Vec<String> = words.windows(2).map(|w| format!("{} {}", w[0], w[1])).collect();
    let mut out = words;
    out.extend(pairs);
    out
}

impl TopicIndex {
    /// Indexes `topics` (any slice of documents with these fields; the position is the id),
    /// reading them and every query with `lexicon`.
    pub fn build(topics: &[Topic], lexicon: QuestionWords) -> TopicIndex {
        let mut index = TopicIndex { lexicon, ..TopicIndex::default() };
        let mut counts = Counts::default();
        let mut terms = Vec::new();
        for (id, topic) in topics.iter().enumerate() {
            let mut length = [0u32; 6];
            for (f, field) in Field::ALL.iter().enumerate() {
                // A topic that declines is reached by what names it, not by the general words
                // of its prose.
                let prose = matches!(field, Field::ShortAnswer | Field::Headings | Field::Sections);
                if prose && topic.route != Route::Answer {
                    continue;
                }
                for segment in segments(topic, *field) {
                    // Citation markers are no words anyone asks about. The terms are the words
                    // and each adjacent pair, as a query's are (see [`with_pairs`]).
                    terms.clear();
                    each_word(&index.lexicon, &citations::strip(segment), |word| {
                        terms.push(counts.number(&mut index.words, word));
                    });
                    for i in 1..terms.len() {
                        terms.push(counts.number(&mut index.pairs, &(terms[i - 1], terms[i])));
                    }
                    for &term in &terms {
                        counts.count(term, id as u32, f);
                    }
                    length[f] += terms.len() as u32;
                }
            }
            index.lengths.push(length);
        }
        (index.postings, index.starts) = counts.by_term();
        let n = index.lengths.len().max(1) as f64;
        for (f, avg) in index.average.iter_mut().enumerate() {
            *avg = (index.lengths.iter().map(|l| l[f] as f64).sum::<f64>() / n).max(1.0);
        }
        let known = index.words.iter().map(|(word, &term)| (word.as_str(), index.postings_of(term).len()));
        index.vocabulary = Vocabulary::new(known);
        for (id, topic) in topics.iter().enumerate() {
            for keyword in &topic.keywords {
                let words = words(&index.lexicon, keyword);
                if words.is_empty() {
                    continue;
                }
                for word in &words {
                    index.keywords_by_word.entry(word.clone()).or_default().push(index.keywords.len() as u32);
                }
                index.keywords.push((words, id as u32));
            }
        }
        index
    }

    /// The number of `term`: a word, or two words with a space.
    fn term(&self, term: &str) -> Option<u32> {
        match term.split_once(' ') {
            None => self.words.get(term).copied(),
            Some((first, second)) => {
                let pair = (*self.words.get(first)?, *self.words.get(second)?);
                self.pairs.get(&pair).copied()
            }
        }
    }

    /// The topics that have `term`, with their per-field counts (none for an unknown term).
    fn postings(&self, term: &str) -> &[(u32, [u16; 6])] {
        self.term(term).map_or(&[], |term| self.postings_of(term))
    }

    /// The topics that have the term numbered `term`, with their per-field counts.
    fn postings_of(&self, term: u32) -> &[(u32, [u16; 6])] {
        &self.postings[self.starts[term as usize] as usize..self.starts[term as usize + 1] as usize]
    }

    /// The words the index reads questions with.
    pub fn lexicon(&self) -> &QuestionWords {
        &self.lexicon
    }

    /// Whether a query token carries no topic signal.
    pub fn is_stopword(&self, token: &str) -> bool {
        self.lexicon.stop_words.contains(token)
    }

    /// Turns a question into terms: stems, typo corrections, abbreviation expansions, pairs.
    pub fn query(&self, question: &str) -> Query {
        let mut query = Query::default();
        let mut words = Vec::new();
        let folded = text::fold(&self.spell_capitals(question));
        let folded = folded.replace("to much", "too much").replace("to many", "too many");
        for word in text::words(&folded).into_iter().take(64) {
            let (base, ending) = stem_parts(word);
            let token = [base, ending].concat();
            if self.is_stopword(&token) {
                continue;
            }
            let token = canonical(&self.lexicon, &token).to_string();
            if let Some(expansion) = self.lexicon.abbreviations.get(&token) {
                words.extend(expansion.iter().cloned());
                continue;
            }
            if self.words.contains_key(&token) {
                words.push(token);
            } else if let Some(fixed) = self.correct(word).or_else(|| self.correct(&token)) {
                query.corrected.push((token.clone(), fixed.to_string()));
                words.push(fixed.to_string());
            } else if token.len() > 2 && token.bytes().all(|b| b.is_ascii_alphabetic()) {
                query.unknown.push(token);
            }
        }
        query.terms = with_pairs(words);
        query
    }

    /// `question` with each abbreviation the lexicon counts only in capitals ("AU") spelled out.
    fn spell_capitals<'q>(&self, question: &'q str) -> Cow<'q, str> {
        if self.lexicon.capitals.is_empty() {
            return Cow::Borrowed(question);
        }
        let mut out = String::new();
        let mut copied = 0;
        for word in question.split(|c: char| !c.is_alphanumeric()) {
            if let Some(words) = self.lexicon.capitals.get(word) {
                let start = word.as_ptr() as usize - question.as_ptr() as usize;
                out.push_str(&question[copied..start]);
                out.push_str(words);
                copied = start + word.len();
            }
        }
        if copied == 0 {
            return Cow::Borrowed(question);
        }
        out.push_str(&question[copied..]);
        Cow::Owned(out)
    }

    /// The known word a typo meant; words under five letters are too short to guess from.
    fn correct<'a>(&'a self, word: &'a str) -> Option<&'a str> {
        self.vocabulary.correct(word).filter(|_| word.chars().count() >= 5)
    }

    /// Topic ids by descending BM25F score, best first, with the scores; at most `limit`.
    pub fn search(&self, query: &Query, limit: usize) -> Vec<(usize, f64)> {
        let n = self.lengths.len() as f64;
        let mut scores: HashMap<u32, f64> = HashMap::new();
        for term in &query.terms {
            let list = self.postings(term);
            if list.is_empty() {
                continue;
            }
            let idf = self.term_weight(term) * ((n - list.len() as f64 + 0.5) / (list.len() as f64 + 0.5) + 1.0).ln();
            for (doc, counts) in list {
                let length = &self.lengths[*doc as usize];
                let mut tf = 0.0;
                for (f, field) in Field::ALL.iter().enumerate() {
                    if counts[f] > 0 {
                        let norm = 1.0 - field.b() + field.b() * length[f] as f64 / self.average[f];
                        tf += field.weight() * counts[f] as f64 / norm;
                    }
                }
                *scores.entry(*doc).or_default() += idf * tf / (K1 + tf);
            }
        }
        // A question that contains one of a topic's keywords whole ("penicillamine", "zinc
        // lozenge") names that topic: the rarer its rarest word, the stronger the bonus (a
        // two-word keyword does not count double for having two words).
        let words: std::collections::HashSet<&str> =
            query.terms.iter().filter(|t| !t.contains(' ')).map(String::as_str).collect();
        let mut bonus: HashMap<u32, f64> = HashMap::new();
        let mut seen = std::collections::HashSet::new();
        for word in &words {
            for &k in self.keywords_by_word.get(*word).into_iter().flatten() {
                let (keyword, topic) = &self.keywords[k as usize];
                if keyword.iter().all(|w| words.contains(w.as_str())) && seen.insert(k) {
                    let strength: f64 = keyword.iter().map(|w| self.term_weight(w) * self.idf(w)).fold(0.0, f64::max);
                    *bonus.entry(*topic).or_default() += KEYWORD_BONUS * strength;
                }
            }
        }
        for (topic, b) in bonus {
            *scores.entry(topic).or_default() += b;
        }
        let mut ranked: Vec<(usize, f64)> = scores.into_iter().map(|(d, s)| (d as usize, s)).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(limit);
        ranked
    }

    /// How much a term counts: a context word ("psoriasis") [`CONTEXT_WEIGHT`], as does a pair
    /// of words with one; every other term fully. A question whose own words the index does not
    /// know (other languages, medicines no topic names) is then not taken for a question about
    /// the condition it mentions: its weaker word score leaves more to the topic classifier.
    fn term_weight(&self, term: &str) -> f64 {
        let context = &self.lexicon.context;
        if term.split(' ').any(|w| context.contains(w)) {
            CONTEXT_WEIGHT
        } else {
            1.0
        }
    }

    /// Whether `term` names something specific to `topic`: it is in the topic's title or keywords
    /// and in those of few other topics.
    pub fn is_specific(&self, term: &str, topic: usize) -> bool {
        const TITLE: usize = Field::Title as usize;
        const KEYWORDS: usize = Field::Keywords as usize;
        if self.lexicon.generic.contains(term) {
            return false;
        }
        let list = self.postings(term);
        let named = |counts: &[u16; 6]| counts[TITLE] + counts[KEYWORDS] > 0;
        let naming = list.iter().filter(|(_, c)| named(c)).count();
        naming <= 3 && list.iter().any(|(d, c)| *d as usize == topic && named(c))
    }

    /// Whether `term` occurs anywhere in the topic.
    pub fn contains(&self, term: &str, topic: usize) -> bool {
        self.postings(term).iter().any(|(d, _)| *d as usize == topic)
    }

    /// How rare `term` is across topics (BM25's inverse document frequency); the highest value
    /// for a term no topic has.
    pub fn idf(&self, term: &str) -> f64 {
        let n = self.lengths.len() as f64;
        let df = self.postings(term).len() as f64;
        ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
    }
}

/// The texts of one field of a topic; pairs of words are only made within one text.
fn segments(topic: &Topic, field: Field) -> Vec<&str> {
    match field {
        Field::Title => vec![topic.title.as_str()],
        Field::Keywords => topic.keywords.iter().map(String::as_str).collect(),
        Field::Questions => topic.questions.iter().map(String::as_str).collect(),
        Field::ShortAnswer => vec![topic.short_answer.as_str()],
        Field::Headings => topic.sections.iter().map(|s| s.heading.as_str()).collect(),
        Field::Sections => {
            topic.caveats.iter().map(String::as_str).chain(topic.sections.iter().map(|s| s.body.as_str())).collect()
        }
    }
}
