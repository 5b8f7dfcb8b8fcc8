//! The classifier behind the rules of `safety.toml` and beside the topic index.
//!
//! Rules and indexes say why they decide and moderators can edit them, but they only know the
//! wordings someone thought of. The classifier is a multinomial logistic regression over the
//! words, word pairs and four-letter pieces of words of a message (the pieces carry typos,
//! inflections and the other languages), trained on labelled example messages and stored as
//! text. Two are trained: the safety classifier (`content/safety-model.tsv`, from
//! `content/safety-examples/`: urgent messages by category, requests to decline by rule,
//! ordinary near misses; `zincbot train-safety`), which escalates or declines a message no rule
//! caught when its categories together get enough probability; and the topic classifier
//! (`content/topic-model.tsv`, see [`crate::content::topic_model`]; `zincbot train-topics`),
//! which ranks topics beside their words.
//!
//! Written by hand rather than with a machine-learning crate: scoring is a sparse dot product
//! and training a few dozen lines of gradient descent, where the linear-model crates want dense
//! matrices (gigabytes at this vocabulary) and a tree of numeric dependencies.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use crate::text;

/// The class of messages that need neither urgent guidance nor a decline.
pub const ORDINARY: &str = "ordinary";

/// The length of the word pieces, in characters.
const PIECE: usize = 4;
/// A feature must occur in this many examples to get a weight.
const MIN_EXAMPLES: usize = 2;
/// Full-batch Adam steps, and their size.
const STEPS: usize = 800;
const LEARNING_RATE: f32 = 0.2;
/// Weights smaller than this are dropped from the stored model: they change no decision and
/// would triple its size.
const PRUNE_BELOW: f32 = 0.25;

/// A trained classifier: per feature, the weights it adds to each class.
#[derive(Debug, Clone)]
pub struct Classifier {
    /// Class names: [`ORDINARY`] or the id of an urgent or decline rule.
    pub classes: Vec<String>,
    bias: Vec<f32>,
    /// The model's text, whose weight lines start at `rows_at` (see [`Classifier::rows`]): a
    /// loaded model keeps the file as it was read, header and all, rather than copy megabytes
    /// to drop a few lines.
    text: String,
    rows_at: usize,
    /// A digest of the examples it was trained on, to tell when it needs training again.
    pub trained_on: u64,
}

/// Two models are the same when they weigh alike, however each was made or read.
impl PartialEq for Classifier {
    fn eq(&self, other: &Classifier) -> bool {
        (&self.classes, &self.bias, self.rows(), self.trained_on)
            == (&other.classes, &other.bias, other.rows(), other.trained_on)
    }
}

/// One labelled message to learn from.
#[derive(Debug, Clone)]
pub struct Example {
    pub text: String,
    /// Index into the class list given to [`train`].
    pub class: usize,
}

/// The words of a message (folded, apostrophes dropped, zinc however spelt, numbers by their
/// length, each emoji a word of its own), each pair of neighbouring words, and each four-letter
/// piece of a word padded with spaces (`# hel`, `#help`, `#elp `), without repeats.
pub fn features(message: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in text::fold(message).chars() {
        if c.is_alphanumeric() {
            word.push(c);
            continue;
        }
        if c == '\'' {
            continue;
        }
        if !word.is_empty() {
            words.push(canonical(std::mem::take(&mut word)));
        }
        // Emoji and other symbols carry meaning ("🖤", "💀"); joiners and variation selectors
        // do not.
        if !c.is_ascii() && !c.is_whitespace() && !matches!(c, '\u{200d}' | '\u{fe0f}' | '\u{fe0e}') {
            words.push(c.to_string());
        }
    }
    if !word.is_empty() {
        words.push(canonical(word));
    }
    let pairs: Vec<String> = words.windows(2).map(|w| format!("{} {}", w[0], w[1])).collect();
    let mut pieces = Vec::new();
    for word in &words {
        let padded: Vec<char> = std::iter::once(' ').chain(word.chars()).chain(std::iter::once(' ')).collect();
        pieces.extend(padded.windows(PIECE).map(|w| std::iter::once('#').chain(w.iter().copied()).collect::<String>()));
    }
    let mut all = words;
    all.extend(pairs);
    all.extend(pieces);
    all.sort_unstable();
    all.dedup();
    all
}

/// The spellings of zinc the model reads as one word. Part of the model rather than of
/// `lexicon.toml`: its trained weights assume exactly these, so they change only with training.
const ZINC_SPELLINGS: &[&str] = &["zinc", "zn", "zink", "zinco", "cinc", "zync", "zinc's"];

/// Every spelling of zinc reads as "zinc", and a number as its count of digits in zeros ("25"
/// reads "00"): the examples cannot teach each spelling or each number, only their shape.
fn canonical(word: String) -> String {
    if ZINC_SPELLINGS.contains(&word.as_str()) {
        "zinc".to_string()
    } else if word.chars().all(|c| c.is_ascii_digit()) {
        "0".repeat(word.len())
    } else {
        word
    }
}

/// Each feature of a message counts `1 / sqrt(n)`, so long messages do not score higher for
/// being long.
fn feature_value(count: usize) -> f32 {
    1.0 / (count.max(1) as f32).sqrt()
}

fn softmax(z: &mut [f32]) {
    let max = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for v in z.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    for v in z.iter_mut() {
        *v /= sum;
    }
}

impl Classifier {
    /// The probability of each class (aligned with [`Classifier::classes`]) for `message`.
    pub fn probabilities(&self, message: &str) -> Vec<f32> {
        let features = features(message);
        let value = feature_value(features.len());
        let mut z = self.bias.clone();
        for feature in &features {
            for (class, weight) in self.weights(feature) {
                z[class] += weight * value;
            }
        }
        softmax(&mut z);
        z
    }

    /// One line per feature, `feature\tclass:weight\t...`, sorted by feature and ending in a
    /// newline: a message's few features are found by bisecting the text itself, so loading a
    /// model builds neither a map of tens of thousands of entries nor an index of its lines.
    fn rows(&self) -> &str {
        &self.text[self.rows_at..]
    }

    /// How many features carry weights.
    pub fn feature_count(&self) -> usize {
        memchr::memchr_iter(b'\n', self.rows().as_bytes()).count()
    }

    /// The line of `rows` for `feature`, without its newline: a binary search over bytes, each
    /// probe widened to the line it falls in.
    fn row(&self, feature: &str) -> Option<&str> {
        let rows = self.rows();
        let bytes = rows.as_bytes();
        // Both bounds are always the start of a line (or the end of the text).
        let (mut low, mut high) = (0, bytes.len());
        while low < high {
            let middle = low + (high - low) / 2;
            let start = memchr::memrchr(b'\n', &bytes[low..middle]).map_or(low, |i| low + i + 1);
            let key_end = memchr::memchr2(b'\t', b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
            // Only a probe that goes on to the right needs the end of its line.
            let end = || memchr::memchr(b'\n', &bytes[key_end..]).map_or(bytes.len(), |i| key_end + i);
            match rows[start..key_end].cmp(feature) {
                std::cmp::Ordering::Less => low = end() + 1,
                std::cmp::Ordering::Greater => high = start,
                std::cmp::Ordering::Equal => return Some(&rows[start..end()]),
            }
        }
        None
    }

    /// The weights `feature` adds, by class (none for a feature the model does not know).
    fn weights(&self, feature: &str) -> impl Iterator<Item = (usize, f32)> + '_ {
        let cells = self.row(feature).unwrap_or("").split('\t').skip(1);
        cells.filter_map(|cell| {
            let (class, weight) = cell.split_once(':')?;
            Some((class.parse().ok()?, weight.parse().ok()?))
        })
    }

    /// The features of `message` that pushed hardest towards `class`, strongest first: what a
    /// moderator needs to see why the classifier decided as it did.
    pub fn evidence(&self, message: &str, class: usize) -> Vec<(String, f32)> {
        let mut out: Vec<(String, f32)> = features(message)
            .into_iter()
            .filter_map(|f| {
                let weight = self.weights(&f).find(|&(c, _)| c == class)?.1;
                Some((f, weight))
            })
            .filter(|&(_, w)| w > 0.0)
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1));
        out
    }

    /// The model as text: a header of `#` comments, the digest of the examples, the classes, the
    /// biases, the checksum of the weight lines, then one line per feature with its non-zero
    /// weights as `class:weight`. Sorted, so that training twice gives the same file.
    pub fn to_tsv(&self, header: &str) -> String {
        let mut out = String::new();
        for line in header.lines() {
            let _ = writeln!(out, "# {line}");
        }
        let _ = writeln!(out, "trained_on\t{:016x}", self.trained_on);
        let _ = writeln!(out, "classes\t{}", self.classes.join("\t"));
        let bias: Vec<String> = self.bias.iter().map(|b| format!("{b:.3}")).collect();
        let _ = writeln!(out, "bias\t{}", bias.join("\t"));
        let _ = writeln!(out, "checksum\t{:08x}", crc32fast::hash(self.rows().as_bytes()));
        out.push_str(self.rows());
        out
    }

    /// Reads a model written by [`Classifier::to_tsv`]; an error names its 1-based line.
    ///
    /// The weight lines are checked against their checksum rather than read one by one: only
    /// training writes them, and a start-up should not parse a hundred thousand numbers to find
    /// that nobody edited them. A feature's weights are read when a message has it. Takes the
    /// text by value to keep the weight lines where they are.
    pub fn parse(mut text: String) -> Result<Classifier, (usize, String)> {
        // A checkout with Windows line endings holds the same model.
        if text.contains('\r') {
            text = text.replace("\r\n", "\n");
        }
        let mut rest: &str = &text;
        let mut line = 0;
        // Comments only open the file: word pieces start with `#` too.
        while rest.starts_with('#') || rest.starts_with('\n') {
            rest = rest.split_once('\n').map_or("", |(_, after)| after);
            line += 1;
        }
        let mut field = |name: &str| -> Result<(usize, Vec<&str>), (usize, String)> {
            let (first, after) = rest.split_once('\n').unwrap_or((rest, ""));
            rest = after;
            line += 1;
            let mut cells = first.split('\t');
            if first.is_empty() {
                return Err((0, format!("the model has no `{name}` line")));
            }
            if cells.next() != Some(name) {
                return Err((line, format!("expected the `{name}` line")));
            }
            Ok((line, cells.collect()))
        };
        let (at, trained_on) = field("trained_on")?;
        let trained_on = trained_on
            .first()
            .and_then(|d| u64::from_str_radix(d, 16).ok())
            .ok_or((at, "trained_on must be a hexadecimal digest".to_string()))?;
        let (at, classes) = field("classes")?;
        let classes: Vec<String> = classes.into_iter().map(String::from).collect();
        if classes.len() < 2 {
            return Err((at, "the model needs at least two classes".to_string()));
        }
        let (at, bias) = field("bias")?;
        let bias: Vec<f32> =
            bias.iter().map(|b| b.parse()).collect::<Result<_, _>>().map_err(|_| (at, "bad bias".to_string()))?;
        if bias.len() != classes.len() {
            return Err((at, format!("{} biases for {} classes", bias.len(), classes.len())));
        }
        let (at, checksum) = field("checksum")?;
        let checksum = checksum.first().and_then(|c| u32::from_str_radix(c, 16).ok());
        if checksum != Some(crc32fast::hash(rest.as_bytes())) {
            return Err((at, "the weights do not match their checksum: edited or damaged since training".to_string()));
        }
        let rows_at = text.len() - rest.len();
        if rows_at < text.len() && !text.ends_with('\n') {
            text.push('\n');
        }
        Ok(Classifier { classes, bias, text, rows_at, trained_on })
    }

    /// Appends a weight line; lines come sorted by feature.
    fn push_row(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
    }
}

/// Labelled examples, as [`train`] takes them.
pub struct TrainingSet {
    /// The class names, in the order the model will hold them.
    pub classes: Vec<String>,
    /// The group of each class (see [`train`]).
    pub groups: Vec<usize>,
    pub examples: Vec<Example>,
    /// The digest of the example files, to record in the model.
    pub digest: u64,
    /// Inverse strength of the L2 penalty (the usual `C` of logistic regression): each model
    /// chooses its own, by training without some of its example writers and measuring on theirs.
    pub c: f32,
}

impl TrainingSet {
    /// Trains a classifier on these examples.
    pub fn train(self) -> Classifier {
        train(self.classes, &self.groups, &self.examples, self.c, self.digest)
    }
}

/// Trains a classifier on `examples`: logistic regression with an L2 penalty, fitted by
/// full-batch Adam from zero, so the result depends on nothing but the examples.
///
/// `groups` gives each class a group (ordinary, urgent, decline): every group weighs the same in
/// total, and so does every class within its group, so that a small urgent category counts and
/// the many ordinary examples do not drown it, yet a message like none seen leans ordinary.
pub fn train(classes: Vec<String>, groups: &[usize], examples: &[Example], c: f32, trained_on: u64) -> Classifier {
    let k = classes.len();
    let featured: Vec<Vec<String>> = examples.iter().map(|e| features(&e.text)).collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for features in &featured {
        for f in features {
            *counts.entry(f.as_str()).or_default() += 1;
        }
    }
    let vocabulary: Vec<&str> = counts.iter().filter(|&(_, &n)| n >= MIN_EXAMPLES).map(|(&f, _)| f).collect();
    let index: HashMap<&str, usize> = vocabulary.iter().enumerate().map(|(i, &f)| (f, i)).collect();
    let rows: Vec<(Vec<usize>, f32)> = featured
        .iter()
        .map(|fs| (fs.iter().filter_map(|f| index.get(f.as_str()).copied()).collect(), feature_value(fs.len())))
        .collect();
    let mut per_class = vec![0usize; k];
    for e in examples {
        per_class[e.class] += 1;
    }
    let n = examples.len().max(1) as f32;
    let group_count = groups.iter().max().map_or(1, |g| g + 1);
    let classes_in = |g: usize| groups.iter().filter(|&&h| h == g).count() as f32;
    let class_weight: Vec<f32> = (0..k)
        .map(|c| match per_class[c] {
            0 => 0.0,
            count => n / (group_count as f32 * classes_in(groups[c]) * count as f32),
        })
        .collect();

    // Parameters: the biases, then one row of k weights per vocabulary feature.
    let size = k + vocabulary.len() * k;
    let mut theta = vec![0.0f32; size];
    let (mut m, mut v) = (vec![0.0f32; size], vec![0.0f32; size]);
    let (beta1, beta2, epsilon) = (0.9f32, 0.999f32, 1e-8f32);
    let mut z = vec![0.0f32; k];
    for step in 1..=STEPS {
        // The penalty's gradient (not on the biases), then each example's.
        let mut grad: Vec<f32> =
            theta.iter().enumerate().map(|(i, &t)| if i < k { 0.0 } else { t / (c * n) }).collect();
        for (example, (row, value)) in examples.iter().zip(&rows) {
            z.copy_from_slice(&theta[..k]);
            for &f in row {
                let w = &theta[k + f * k..k + (f + 1) * k];
                for (zc, wc) in z.iter_mut().zip(w) {
                    *zc += wc * value;
                }
            }
            softmax(&mut z);
            let weight = class_weight[example.class] / n;
            for c in 0..k {
                let g = weight * (z[c] - f32::from(u8::from(c == example.class)));
                grad[c] += g;
                for &f in row {
                    grad[k + f * k + c] += g * value;
                }
            }
        }
        let (bias1, bias2) = (1.0 - beta1.powi(step as i32), 1.0 - beta2.powi(step as i32));
        for i in 0..size {
            m[i] = beta1 * m[i] + (1.0 - beta1) * grad[i];
            v[i] = beta2 * v[i] + (1.0 - beta2) * grad[i] * grad[i];
            theta[i] -= LEARNING_RATE * (m[i] / bias1) / ((v[i] / bias2).sqrt() + epsilon);
        }
    }
    let round = |w: f32| (w * 1000.0).round() / 1000.0;
    let bias = theta[..k].iter().map(|&b| round(b)).collect();
    let mut model = Classifier { classes, bias, text: String::new(), rows_at: 0, trained_on };
    // The vocabulary is sorted, so the lines are too.
    for (f, feature) in vocabulary.iter().enumerate() {
        let kept: Vec<String> = (0..k)
            .map(|c| (c, round(theta[k + f * k + c])))
            .filter(|&(_, w)| w.abs() >= PRUNE_BELOW)
            .map(|(c, w)| format!("\t{c}:{w:.3}"))
            .collect();
        if !kept.is_empty() {
            model.push_row(&format!("{feature}{}", kept.concat()));
        }
    }
    model
}

/// A digest of the example files (their names and text, line endings ignored), recorded in the
/// model so that a stale model is noticed. CRC-32: stable across platforms and releases, and fast
/// enough to run over every example at each start-up. Taken one file at a time, so that a
/// start-up can read each file into the same buffer instead of holding them all.
#[derive(Default)]
pub struct Digest(crc32fast::Hasher);

impl Digest {
    /// Adds the file `name` with its bytes `text`.
    pub fn add(&mut self, name: &str, text: &[u8]) {
        self.0.update(name.as_bytes());
        self.0.update(&[0]);
        let mut rest = text;
        while let Some(at) = memchr::memchr(b'\r', rest) {
            self.0.update(&rest[..at]);
            rest = &rest[at + 1..];
        }
        self.0.update(rest);
    }

    /// The digest of the files added.
    pub fn finish(self) -> u64 {
        u64::from(self.0.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_are_folded_words_and_pairs() {
        assert_eq!(
            features("Can't STOP 🖤️"),
            vec!["# can", "# sto", "#ant ", "#cant", "#stop", "#top ", "cant", "cant stop", "stop", "stop 🖤", "🖤"]
        );
        assert!(features("").is_empty());
        assert_eq!(features("a a a"), vec!["a", "a a"]);
        assert_eq!(features("Zn")[..2], features("zinc")[..2]);
        assert_eq!(features("took 25"), features("took 40"));
        assert_ne!(features("took 25"), features("took 250"));
    }

    fn toy() -> (Vec<String>, Vec<Example>) {
        let classes = vec![ORDINARY.to_string(), "crisis".to_string()];
        let mut examples = Vec::new();
        for (text, class) in [
            ("i want to die tonight", 1),
            ("i want to end it all", 1),
            ("no reason to live anymore", 1),
            ("i dont want to live", 1),
            ("how much zinc for colds", 0),
            ("is zinc ok with lupus", 0),
            ("zinc and tea at breakfast", 0),
            ("best zinc for colds", 0),
        ] {
            examples.push(Example { text: text.to_string(), class });
        }
        (classes, examples)
    }

    #[test]
    fn training_separates_the_classes_and_round_trips() {
        let (classes, examples) = toy();
        let model = train(classes, &[0, 1], &examples, 128.0, 7);
        assert!(model.probabilities("i want to die")[1] > 0.5);
        assert!(model.probabilities("zinc for colds")[0] > 0.5);
        let evidence = model.evidence("i want to die", 1);
        assert!(!evidence.is_empty());
        assert!(evidence.iter().all(|(f, w)| *w > 0.0 && features("i want to die").contains(f)), "{evidence:?}");
        assert!(evidence.windows(2).all(|w| w[0].1 >= w[1].1));
        assert!(!model.evidence("zinc for colds", 1).iter().any(|(f, _)| f == "zinc"));
        let text = model.to_tsv("test model");
        let back = Classifier::parse(text.clone()).unwrap();
        assert_eq!(back, model);
        assert_eq!(back.to_tsv("test model"), text);
    }

    #[test]
    fn parse_names_the_bad_line() {
        let head = "# h\ntrained_on\t00ff\nclasses\tordinary\tcrisis\nbias\t0.1\t-0.1\n";
        let rows = "a\nb\t1:2.0\n";
        let good = format!("{head}checksum\t{:08x}\n{rows}", crc32fast::hash(rows.as_bytes()));
        let model = Classifier::parse(good.clone()).unwrap();
        assert!(model.probabilities("a")[0] > model.probabilities("b")[0]);
        assert_eq!(model.feature_count(), 2);
        // Windows line endings hold the same model.
        assert_eq!(Classifier::parse(good.replace('\n', "\r\n")).unwrap(), model);
        // A weight edited by hand, or a line lost, no longer matches the checksum line.
        assert_eq!(Classifier::parse(good.replace("1:2.0", "1:3.0")).unwrap_err().0, 5);
        assert_eq!(Classifier::parse(good.replace("a\n", "")).unwrap_err().0, 5);
        assert_eq!(Classifier::parse(format!("{head}{rows}")).unwrap_err().0, 5);
        assert_eq!(Classifier::parse("trained_on\tzz\n".into()).unwrap_err().0, 1);
        assert_eq!(Classifier::parse("trained_on\t1\nclasses\ta\tb\nbias\t1\n".into()).unwrap_err().0, 3);
        assert!(Classifier::parse(String::new()).is_err());
    }

    #[test]
    fn digest_ignores_line_endings_but_not_text() {
        let digest = |files: [(&str, &str); 1]| {
            let mut digest = Digest::default();
            files.iter().for_each(|(name, text)| digest.add(name, text.as_bytes()));
            digest.finish()
        };
        let a = digest([("a.toml", "x = 1\n")]);
        assert_eq!(a, digest([("a.toml", "x = 1\r\n")]));
        assert_ne!(a, digest([("a.toml", "x = 2\n")]));
        assert_ne!(a, digest([("b.toml", "x = 1\n")]));
    }
}
