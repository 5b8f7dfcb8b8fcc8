//! Word patterns: the small regular-expression language the safety concepts are written in,
//! and a matcher for lists of them that compiles in microseconds.
//!
//! A list is matched as `\b(?:p1|p2|...)\b` is by a regex engine with leftmost-first semantics:
//! the leftmost place where some pattern matches as whole words, and there the first pattern
//! in the list that does. A regex engine turns the 5,500 safety entries into automata in about
//! 25 ms, which every one-shot `zincbot ask` would pay before its first answer; here each
//! pattern becomes a short program for a backtracking machine, and at a word's start only the
//! patterns that can start with its byte, and whose opening letters are there, are run.
//!
//! The syntax is the part of Rust's regex syntax the entries need, on bytes with ASCII classes:
//! literal text; groups `(a|b)` and `(?:a|b)`; `?`, `*`, `+`, `{m}`, `{m,}` and `{m,n}`, each
//! lazy when followed by `?`; `.` (any byte but a line break); `\w`, `\d`, `\s` and their
//! negations `\W`, `\D`, `\S`; `\b` and `\B`; classes such as `[oa]`, `[1-9]`, `[^\d]`; and `\`
//! before punctuation for the punctuation itself. Anything else is an error, as is a pattern
//! that can match no text at all or repeats something that can be empty.

/// The deepest nesting of groups a pattern may have.
const MAX_NESTING: usize = 32;
/// The largest count of a counted repetition, and the longest program a pattern may become.
const MAX_REPEAT: u32 = 1_000;
const MAX_PROGRAM: usize = 10_000;
/// Steps a match attempt may take before it remembers where it has been: past this, each
/// (instruction, position) is tried once, so no pattern costs more than program × text.
const STEPS_BEFORE_MEMO: usize = 10_000;

/// A set of bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct ByteSet([u64; 4]);

/// `\w`, `\d`, `\s` and `.`, as sets.
const WORD: ByteSet = ByteSet::ranges(&[(b'0', b'9'), (b'A', b'Z'), (b'_', b'_'), (b'a', b'z')]);
const DIGIT: ByteSet = ByteSet::ranges(&[(b'0', b'9')]);
const SPACE: ByteSet = ByteSet::ranges(&[(b'\t', b'\r'), (b' ', b' ')]);
const NOT_NEWLINE: ByteSet = ByteSet::ranges(&[(0, b'\n' - 1), (b'\n' + 1, 255)]);

impl ByteSet {
    /// The bytes in the inclusive `ranges`.
    const fn ranges(ranges: &[(u8, u8)]) -> ByteSet {
        let mut words = [0u64; 4];
        let mut i = 0;
        while i < ranges.len() {
            let mut b = ranges[i].0 as usize;
            while b <= ranges[i].1 as usize {
                words[b >> 6] |= 1 << (b & 63);
                b += 1;
            }
            i += 1;
        }
        ByteSet(words)
    }

    /// The bytes of `bytes`.
    const fn of(bytes: &[u8]) -> ByteSet {
        let mut words = [0u64; 4];
        let mut i = 0;
        while i < bytes.len() {
            words[(bytes[i] >> 6) as usize] |= 1 << (bytes[i] & 63);
            i += 1;
        }
        ByteSet(words)
    }

    fn single(b: u8) -> ByteSet {
        ByteSet::of(&[b])
    }

    /// The bytes in the set, in order.
    fn bytes(self) -> impl Iterator<Item = u8> {
        (0..4).flat_map(move |i| {
            let mut word = self.0[i];
            std::iter::from_fn(move || {
                (word != 0).then(|| {
                    let bit = word.trailing_zeros();
                    word &= word - 1;
                    (i * 64) as u8 + bit as u8
                })
            })
        })
    }

    fn insert(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] |= 1 << (b & 63);
    }

    fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }

    fn union(self, other: ByteSet) -> ByteSet {
        ByteSet([0, 1, 2, 3].map(|i| self.0[i] | other.0[i]))
    }

    fn complement(self) -> ByteSet {
        ByteSet(self.0.map(|w| !w))
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether `at` lies between a word byte and a non-word byte (or an end of the text).
fn is_boundary(text: &[u8], at: usize) -> bool {
    let before = at > 0 && is_word(text[at - 1]);
    let after = at < text.len() && is_word(text[at]);
    before != after
}

/// A parsed pattern.
#[derive(Debug, Clone)]
enum Node {
    /// One byte: an atom, before [`Parser::sequence`] joins it to the run it is in.
    Byte(u8),
    /// A run of bytes matched as they are; never empty.
    Literal(Vec<u8>),
    Class(ByteSet),
    /// Alternatives in order of preference.
    Group(Vec<Vec<Node>>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
        greedy: bool,
    },
    /// `\b` (true) or `\B` (false).
    Boundary(bool),
}

impl Node {
    /// The bytes a match can start with, and whether it can match no text.
    fn first(&self) -> (ByteSet, bool) {
        match self {
            Node::Byte(b) => (ByteSet::single(*b), false),
            Node::Literal(run) => (ByteSet::single(run[0]), false),
            Node::Class(set) => (*set, false),
            Node::Group(alternatives) => alternatives
                .iter()
                .map(|seq| first(seq))
                .fold((ByteSet::default(), false), |(set, empty), (s, e)| (set.union(s), empty || e)),
            Node::Repeat { node, min, .. } => {
                let (set, empty) = node.first();
                (set, empty || *min == 0)
            }
            Node::Boundary(_) => (ByteSet::default(), true),
        }
    }
}

/// The bytes a match of `seq` can start with, and whether it can match no text.
fn first(seq: &[Node]) -> (ByteSet, bool) {
    let mut set = ByteSet::default();
    for node in seq {
        let (s, empty) = node.first();
        set = set.union(s);
        if !empty {
            return (set, false);
        }
    }
    (set, true)
}

/// Appends literal `bytes` to `seq`, as part of the run it ends with if it ends with one.
fn push_literal(seq: &mut Vec<Node>, bytes: &[u8]) {
    match seq.last_mut() {
        Some(Node::Literal(run)) => run.extend_from_slice(bytes),
        _ => seq.push(Node::Literal(bytes.to_vec())),
    }
}

/// The bytes with a meaning of their own in a pattern; every other byte matches itself.
const SPECIAL: ByteSet = ByteSet::of(b"()[]{}|.?*+\\^$");

/// Reads one pattern.
struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        let found = self.peek() == Some(b);
        self.at += usize::from(found);
        found
    }

    /// Alternatives up to the end of the pattern or of the enclosing group.
    fn alternatives(&mut self, depth: usize) -> Result<Vec<Vec<Node>>, String> {
        if depth > MAX_NESTING {
            return Err(format!("groups nested more than {MAX_NESTING} deep"));
        }
        let mut alternatives = vec![self.sequence(depth)?];
        while self.eat(b'|') {
            alternatives.push(self.sequence(depth)?);
        }
        Ok(alternatives)
    }

    fn sequence(&mut self, depth: usize) -> Result<Vec<Node>, String> {
        let mut seq = Vec::new();
        while let Some(b) = self.peek() {
            match b {
                b'|' | b')' => break,
                b'?' | b'*' | b'+' | b'{' => return Err("a repetition with nothing to repeat".into()),
                _ => {
                    let run = self.plain_run();
                    if !run.is_empty() {
                        push_literal(&mut seq, run);
                        continue;
                    }
                    // A byte nothing repeats joins the run before it: one node, not one a byte.
                    let atom = self.atom(depth)?;
                    match self.repetition(atom)? {
                        Node::Byte(b) => push_literal(&mut seq, &[b]),
                        node => seq.push(node),
                    }
                }
            }
        }
        Ok(seq)
    }

    /// The plain bytes from here that nothing repeats, taken as one run (most of a pattern is
    /// letters and spaces); the byte before a repetition is left to [`Parser::atom`].
    fn plain_run(&mut self) -> &'a [u8] {
        let rest = &self.bytes[self.at..];
        let plain = rest.iter().position(|&b| SPECIAL.contains(b)).unwrap_or(rest.len());
        let repeated = matches!(rest.get(plain), Some(b'?' | b'*' | b'+' | b'{'));
        let run = &rest[..plain - usize::from(repeated && plain > 0)];
        self.at += run.len();
        run
    }

    fn atom(&mut self, depth: usize) -> Result<Node, String> {
        let b = self.peek().unwrap_or_default();
        self.at += 1;
        Ok(match b {
            b'(' => {
                if self.eat(b'?') && !self.eat(b':') {
                    return Err("group flags and names are not supported".into());
                }
                let alternatives = self.alternatives(depth + 1)?;
                if !self.eat(b')') {
                    return Err("unclosed group".into());
                }
                Node::Group(alternatives)
            }
            b'[' => Node::Class(self.class()?),
            b'.' => Node::Class(NOT_NEWLINE),
            b'\\' => self.escape()?,
            b'^' | b'$' => return Err("anchors are not supported".into()),
            b']' | b'}' => return Err(format!("unescaped {:?}", char::from(b))),
            _ => Node::Byte(b),
        })
    }

    /// After a `\` outside a class.
    fn escape(&mut self) -> Result<Node, String> {
        match self.peek() {
            Some(b'b') => {
                self.at += 1;
                Ok(Node::Boundary(true))
            }
            Some(b'B') => {
                self.at += 1;
                Ok(Node::Boundary(false))
            }
            _ => self.class_escape(),
        }
    }

    /// After a `\` that stands for bytes: a class or a punctuation mark.
    fn class_escape(&mut self) -> Result<Node, String> {
        let Some(b) = self.peek() else { return Err("a pattern cannot end in \\".into()) };
        self.at += 1;
        let class = |set: ByteSet, negated: bool| Node::Class(if negated { set.complement() } else { set });
        Ok(match b {
            b'w' | b'W' => class(WORD, b == b'W'),
            b'd' | b'D' => class(DIGIT, b == b'D'),
            b's' | b'S' => class(SPACE, b == b'S'),
            _ if b.is_ascii_punctuation() => Node::Byte(b),
            _ => return Err(format!("the escape \\{} is not supported", char::from(b))),
        })
    }

    /// After a `[`: the bytes up to the closing `]`.
    fn class(&mut self) -> Result<ByteSet, String> {
        let negated = self.eat(b'^');
        let mut set = ByteSet::default();
        let mut first = true;
        loop {
            let Some(b) = self.peek() else { return Err("unclosed character class".into()) };
            self.at += 1;
            match b {
                b']' if !first => break,
                b'[' => return Err("nested character classes are not supported".into()),
                b'\\' => match self.class_escape()? {
                    Node::Class(s) => set = set.union(s),
                    Node::Byte(x) => set.insert(x),
                    _ => unreachable!("class_escape gives bytes"),
                },
                _ if self.peek() == Some(b'-') && self.bytes.get(self.at + 1).is_some_and(|&n| n != b']') => {
                    let to = self.bytes[self.at + 1];
                    self.at += 2;
                    if to < b || to == b'\\' {
                        return Err("invalid range in a character class".into());
                    }
                    (b..=to).for_each(|x| set.insert(x));
                }
                _ => set.insert(b),
            }
            first = false;
        }
        if set == ByteSet::default() {
            return Err("empty character class".into());
        }
        Ok(if negated { set.complement() } else { set })
    }

    /// The repetition after `node`, if any.
    fn repetition(&mut self, node: Node) -> Result<Node, String> {
        let operator = self.peek();
        if matches!(operator, Some(b'?' | b'*' | b'+' | b'{')) {
            self.at += 1;
        }
        let (min, max) = match operator {
            Some(b'?') => (0, Some(1)),
            Some(b'*') => (0, None),
            Some(b'+') => (1, None),
            Some(b'{') => self.counted()?,
            _ => return Ok(node),
        };
        let greedy = !self.eat(b'?');
        if matches!(self.peek(), Some(b'?' | b'*' | b'+' | b'{')) {
            return Err("a repetition of a repetition".into());
        }
        if matches!(node, Node::Boundary(_)) {
            return Err("a repetition of \\b or \\B".into());
        }
        if max.is_none() && node.first().1 {
            return Err("an unbounded repetition of something that can be empty".into());
        }
        Ok(Node::Repeat { node: Box::new(node), min, max, greedy })
    }

    /// After `{`: `m}`, `m,}` or `m,n}`, read up to and with the `}`.
    fn counted(&mut self) -> Result<(u32, Option<u32>), String> {
        let invalid = || "invalid counted repetition".to_string();
        let min = self.number().ok_or_else(invalid)?;
        let max = match (self.eat(b','), self.peek()) {
            (false, _) => Some(min),
            (true, Some(b'}')) => None,
            (true, _) => Some(self.number().ok_or_else(invalid)?),
        };
        if !self.eat(b'}') || max.is_some_and(|m| m < min) {
            return Err(invalid());
        }
        if min.max(max.unwrap_or(0)) > MAX_REPEAT {
            return Err(format!("a counted repetition over {MAX_REPEAT}"));
        }
        Ok((min, max))
    }

    fn number(&mut self) -> Option<u32> {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        std::str::from_utf8(&self.bytes[start..self.at]).ok()?.parse().ok()
    }
}

/// One step of a pattern's program.
#[derive(Debug, Clone, Copy)]
enum Inst {
    /// These bytes of [`Program::literals`]: start and length.
    Literal(u32, u32),
    /// Index into [`Program::classes`].
    Class(u16),
    /// Try the first, then the second.
    Split(u32, u32),
    Jump(u32),
    Boundary(bool),
    Match,
}

/// The programs of a list of patterns, one after another, for the backtracking machine.
#[derive(Debug, Clone, Default)]
struct Program {
    insts: Vec<Inst>,
    classes: Vec<ByteSet>,
    /// The literal runs of every pattern, one after another.
    literals: Vec<u8>,
    /// Where the pattern being compiled starts, in `insts` and in `literals`.
    current: (usize, usize),
}

impl Program {
    /// Adds `\b pattern \b` and returns where its program starts, with the bytes a match can
    /// start with.
    fn add(&mut self, pattern: &str) -> Result<(u32, ByteSet), String> {
        self.current = (self.insts.len(), self.literals.len());
        self.push(Inst::Boundary(true));
        let starts = match plain_words(pattern) {
            Some(first) => {
                self.literal(pattern.as_bytes());
                ByteSet::single(first)
            }
            None => {
                let (seq, starts) = parse(pattern)?;
                self.seq(&seq)?;
                starts
            }
        };
        self.push(Inst::Boundary(true));
        self.push(Inst::Match);
        Ok((self.current.0 as u32, starts))
    }

    /// Matches `bytes` as they are.
    fn literal(&mut self, bytes: &[u8]) {
        self.push(Inst::Literal(self.literals.len() as u32, bytes.len() as u32));
        self.literals.extend_from_slice(bytes);
    }

    /// The bytes of the literal instruction `Literal(at, len)`.
    fn literal_bytes(&self, at: u32, len: u32) -> &[u8] {
        &self.literals[at as usize..(at + len) as usize]
    }

    fn push(&mut self, inst: Inst) -> usize {
        self.insts.push(inst);
        self.insts.len() - 1
    }

    fn here(&self) -> u32 {
        self.insts.len() as u32
    }

    /// Sets the targets of the split or jump at `at`.
    fn patch(&mut self, at: usize, to: u32) {
        self.insts[at] = match self.insts[at] {
            Inst::Split(a, b) if a == u32::MAX => Inst::Split(to, b),
            Inst::Split(a, _) => Inst::Split(a, to),
            Inst::Jump(_) => Inst::Jump(to),
            other => other,
        };
    }

    fn seq(&mut self, seq: &[Node]) -> Result<(), String> {
        seq.iter().try_for_each(|node| self.node(node))
    }

    fn node(&mut self, node: &Node) -> Result<(), String> {
        // Each literal byte counts as an instruction.
        if self.insts.len() - self.current.0 + self.literals.len() - self.current.1 > MAX_PROGRAM {
            return Err("the pattern is too long once its repetitions are counted out".into());
        }
        match node {
            Node::Byte(b) => self.literal(&[*b]),
            Node::Literal(run) => self.literal(run),
            Node::Class(set) => {
                let index = self.classes.iter().position(|c| c == set).unwrap_or_else(|| {
                    self.classes.push(*set);
                    self.classes.len() - 1
                });
                self.push(Inst::Class(index as u16));
            }
            Node::Boundary(b) => _ = self.push(Inst::Boundary(*b)),
            Node::Group(alternatives) => self.group(alternatives)?,
            Node::Repeat { node, min, max, greedy } => self.repeat(node, *min, *max, *greedy)?,
        }
        Ok(())
    }

    /// `split l1 next; l1: a1; jump end; next: split l2 ...; an; end:`.
    fn group(&mut self, alternatives: &[Vec<Node>]) -> Result<(), String> {
        let mut jumps = Vec::new();
        for (i, alternative) in alternatives.iter().enumerate() {
            let last = i + 1 == alternatives.len();
            let split = (!last).then(|| self.push(Inst::Split(self.here() + 1, u32::MAX)));
            self.seq(alternative)?;
            if let Some(split) = split {
                jumps.push(self.push(Inst::Jump(u32::MAX)));
                self.patch(split, self.here());
            }
        }
        let end = self.here();
        jumps.into_iter().for_each(|j| self.patch(j, end));
        Ok(())
    }

    /// `min` copies, then either a loop or `max - min` optional copies, all leaving to one end.
    fn repeat(&mut self, node: &Node, min: u32, max: Option<u32>, greedy: bool) -> Result<(), String> {
        for _ in 0..min {
            self.node(node)?;
        }
        let split = |this: &mut Program| {
            let next = this.here() + 1;
            this.push(if greedy { Inst::Split(next, u32::MAX) } else { Inst::Split(u32::MAX, next) })
        };
        match max {
            None => {
                let top = self.here();
                let exit = split(self);
                self.node(node)?;
                self.push(Inst::Jump(top));
                self.patch(exit, self.here());
            }
            Some(max) => {
                let mut exits = Vec::new();
                for _ in min..max {
                    exits.push(split(self));
                    self.node(node)?;
                }
                let end = self.here();
                exits.into_iter().for_each(|e| self.patch(e, end));
            }
        }
        Ok(())
    }

    /// The program at `pc` with the literal bytes it opens with (see [`Start`]).
    fn start(&self, pc: u32) -> Start {
        let mut start = Start { pc, prefix: 0, mask: 0 };
        // The first instruction is the opening `\b`.
        let literal = self.insts[pc as usize + 1..]
            .iter()
            .map_while(|inst| match *inst {
                Inst::Literal(at, len) => Some(self.literal_bytes(at, len)),
                _ => None,
            })
            .flatten()
            .copied();
        for (i, b) in literal.take(8).enumerate() {
            start.prefix |= u64::from(b) << (8 * i);
            start.mask |= 0xff << (8 * i);
        }
        start
    }

    /// Where the leftmost-first match of the program at `pc` from `start` ends, if it
    /// matches there.
    fn run(&self, pc: u32, text: &[u8], start: usize, stack: &mut Vec<(u32, usize)>) -> Option<usize> {
        match self.search(pc, text, start, stack, None) {
            Outcome::Match(end) => Some(end),
            Outcome::NoMatch => None,
            Outcome::TooLong => {
                let mut seen = Seen::new(pc as usize, self.insts.len() - pc as usize, start, text.len());
                match self.search(pc, text, start, stack, Some(&mut seen)) {
                    Outcome::Match(end) => Some(end),
                    _ => None,
                }
            }
        }
    }

    /// The backtracking machine: follows the preferred branch of each split and comes back to
    /// the other when it fails, so the first match found is the leftmost-first one. Without
    /// `seen` it gives up after [`STEPS_BEFORE_MEMO`] steps.
    fn search(
        &self,
        pc: u32,
        text: &[u8],
        start: usize,
        stack: &mut Vec<(u32, usize)>,
        mut seen: Option<&mut Seen>,
    ) -> Outcome {
        stack.clear();
        stack.push((pc, start));
        let mut steps = 0;
        while let Some((mut pc, mut at)) = stack.pop() {
            loop {
                steps += 1;
                let repeated = match seen.as_deref_mut() {
                    Some(seen) => !seen.first_visit(pc, at),
                    None if steps > STEPS_BEFORE_MEMO => return Outcome::TooLong,
                    None => false,
                };
                if repeated {
                    break;
                }
                match self.insts[pc as usize] {
                    Inst::Literal(from, len) if text[at..].starts_with(self.literal_bytes(from, len)) => {
                        at += len as usize
                    }
                    Inst::Class(c) if text.get(at).is_some_and(|&x| self.classes[usize::from(c)].contains(x)) => {
                        at += 1
                    }
                    Inst::Boundary(want) if is_boundary(text, at) == want => {}
                    Inst::Split(preferred, other) => {
                        stack.push((other, at));
                        pc = preferred;
                        continue;
                    }
                    Inst::Jump(to) => {
                        pc = to;
                        continue;
                    }
                    Inst::Match => return Outcome::Match(at),
                    _ => break,
                }
                pc += 1;
            }
        }
        Outcome::NoMatch
    }
}

enum Outcome {
    Match(usize),
    NoMatch,
    TooLong,
}

/// The (instruction, position) pairs a search has been at.
struct Seen {
    bits: Vec<u64>,
    first_pc: usize,
    insts: usize,
    start: usize,
}

impl Seen {
    fn new(first_pc: usize, insts: usize, start: usize, end: usize) -> Seen {
        Seen { bits: vec![0; (insts * (end - start + 1)).div_ceil(64)], first_pc, insts, start }
    }

    /// Marks the pair; false when it was marked already.
    fn first_visit(&mut self, pc: u32, at: usize) -> bool {
        let i = (at - self.start) * self.insts + (pc as usize - self.first_pc);
        let (word, bit) = (i / 64, 1u64 << (i % 64));
        let first = self.bits[word] & bit == 0;
        self.bits[word] |= bit;
        first
    }
}

/// A list of word patterns matched as one: `\b(?:p1|p2|...)\b`, leftmost-first.
#[derive(Debug, Clone)]
pub struct WordPatterns {
    program: Program,
    /// The patterns a match can start with each byte, in list order: those for byte `b` are
    /// `starts[offsets[b]..offsets[b + 1]]`.
    starts: Vec<Start>,
    offsets: Box<[u32; 257]>,
}

/// Where a pattern's program starts, with the literal bytes every match of it opens with (up
/// to eight, as a little-endian word and its mask): comparing them first spares running the
/// machine at most places.
#[derive(Debug, Clone, Copy)]
struct Start {
    pc: u32,
    prefix: u64,
    mask: u64,
}

impl WordPatterns {
    /// Compiles `patterns`; the error names the first that is wrong and what is wrong with it.
    pub fn new(patterns: &[impl AsRef<str>]) -> Result<WordPatterns, (usize, String)> {
        // Most bytes of the patterns are literal: sized once, the literals are not copied as
        // they grow.
        let size = patterns.iter().map(|p| p.as_ref().len()).sum();
        let mut program = Program { literals: Vec::with_capacity(size), ..Program::default() };
        let mut compiled = Vec::with_capacity(patterns.len());
        for (i, pattern) in patterns.iter().enumerate() {
            compiled.push(program.add(pattern.as_ref()).map_err(|e| (i, e))?);
        }
        // A counting sort by byte keeps each byte's patterns in list order.
        let mut offsets = Box::new([0u32; 257]);
        for b in compiled.iter().flat_map(|(_, set)| set.bytes()) {
            offsets[usize::from(b) + 1] += 1;
        }
        for b in 0..256 {
            offsets[b + 1] += offsets[b];
        }
        let mut next = offsets.clone();
        let mut starts = vec![Start { pc: 0, prefix: 0, mask: 0 }; offsets[256] as usize];
        for (pc, set) in &compiled {
            let start = program.start(*pc);
            for b in set.bytes() {
                starts[next[usize::from(b)] as usize] = start;
                next[usize::from(b)] += 1;
            }
        }
        Ok(WordPatterns { program, starts, offsets })
    }

    /// A list that matches nothing.
    pub fn none() -> WordPatterns {
        WordPatterns { program: Program::default(), starts: Vec::new(), offsets: Box::new([0; 257]) }
    }

    /// Each match in `text` as its byte range, left to right, not overlapping.
    pub fn find_iter(&self, text: &[u8]) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        let mut stack = Vec::new();
        let mut at = 0;
        'text: while at < text.len() {
            if is_boundary(text, at) {
                let b = usize::from(text[at]);
                let window = eight_bytes(&text[at..]);
                for start in &self.starts[self.offsets[b] as usize..self.offsets[b + 1] as usize] {
                    if window & start.mask != start.prefix {
                        continue;
                    }
                    if let Some(end) = self.program.run(start.pc, text, at, &mut stack) {
                        found.push((at, end));
                        at = end;
                        continue 'text;
                    }
                }
            }
            at += 1;
        }
        found
    }
}

/// The first eight bytes of `text` as a little-endian word, zeros past its end.
fn eight_bytes(text: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    let n = text.len().min(8);
    bytes[..n].copy_from_slice(&text[..n]);
    u64::from_le_bytes(bytes)
}

/// The first byte of `pattern` when it is plain words (lower-case letters, digits, spaces),
/// which need no parsing.
fn plain_words(pattern: &str) -> Option<u8> {
    let plain = pattern.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' ');
    pattern.bytes().next().filter(|_| plain)
}

/// Parses a pattern that is more than plain words; also gives the bytes a match can start with.
fn parse(pattern: &str) -> Result<(Vec<Node>, ByteSet), String> {
    let mut parser = Parser { bytes: pattern.as_bytes(), at: 0 };
    let mut alternatives = parser.alternatives(0)?;
    if parser.at < parser.bytes.len() {
        return Err("unopened group".into());
    }
    let seq = if alternatives.len() == 1 { alternatives.remove(0) } else { vec![Node::Group(alternatives)] };
    let (starts, empty) = first(&seq);
    if empty {
        return Err("the pattern can match no text at all".into());
    }
    Ok((seq, starts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(patterns: &[&str], text: &str) -> Vec<(usize, usize)> {
        WordPatterns::new(patterns).expect("compiles").find_iter(text.as_bytes())
    }

    fn error(pattern: &str) -> String {
        WordPatterns::new(&[pattern]).expect_err(pattern).1
    }

    #[test]
    fn matches_whole_words_only() {
        assert_eq!(find(&["pill"], " pill pills spill "), vec![(1, 5)]);
        assert_eq!(find(&["pills?"], " pill pills spill "), vec![(1, 5), (6, 11)]);
        assert_eq!(find(&["swallow\\w*"], " swallowed it "), vec![(1, 10)]);
    }

    #[test]
    fn the_first_pattern_in_the_list_wins_at_the_leftmost_place() {
        // "took" starts first, so it wins over "all" though "all" is listed first.
        assert_eq!(find(&["all the pills", "took"], " took all the pills "), vec![(1, 5), (6, 19)]);
        // At one place the earlier pattern wins even when a later one is longer.
        assert_eq!(find(&["too", "too many"], " too many "), vec![(1, 4)]);
        assert_eq!(find(&["too many", "too"], " too many "), vec![(1, 9)]);
    }

    #[test]
    fn alternatives_and_repetitions_prefer_as_a_regex_does() {
        assert_eq!(find(&["(a|a b) c"], " a b c "), vec![(1, 6)]);
        assert_eq!(find(&["(\\w+ ){0,2}pills"], " ten more pills "), vec![(1, 15)]);
        assert_eq!(find(&["\\d+\\+? ?hrs"], " 12+ hrs "), vec![(1, 8)]);
        assert_eq!(find(&["a.{0,40} die"], " a lot to die "), vec![(1, 13)]);
        // Lazy: the shortest repetition after which the rest matches.
        assert_eq!(find(&["x (\\w+ )+?y"], " x a y b y "), vec![(1, 6)]);
        assert_eq!(find(&["x (\\w+ )+y"], " x a y b y "), vec![(1, 10)]);
    }

    #[test]
    fn classes_and_escapes() {
        assert_eq!(find(&["[1-9]0 mg"], " 50 mg 05 mg "), vec![(1, 6)]);
        assert_eq!(find(&["[^a-z]x"], " 1x ax "), vec![(1, 3)]);
        assert_eq!(find(&["sis \\(?\\d+"], " sis (4 "), vec![(1, 7)]);
        assert_eq!(find(&["2[.]5"], " 2.5 2x5 "), vec![(1, 4)]);
        assert_eq!(find(&["a\\Wb"], " a b a_b "), vec![(1, 4)]);
        assert_eq!(find(&["b\\B\\w+"], " ab bc "), vec![(4, 6)]);
    }

    #[test]
    fn bytes_outside_ascii_are_not_word_bytes() {
        assert_eq!(find(&["zu"], " üzu zu "), vec![(3, 5), (6, 8)]);
        assert_eq!(find(&["für"], " für "), vec![(1, 5)]);
    }

    #[test]
    fn what_the_language_does_not_have_is_an_error() {
        assert_eq!(error("suicid(\\w*"), "unclosed group");
        assert_eq!(error("a)"), "unopened group");
        assert_eq!(error("*a"), "a repetition with nothing to repeat");
        assert_eq!(error("[ab"), "unclosed character class");
        assert_eq!(error("a{2,1}"), "invalid counted repetition");
        assert_eq!(error("a{x}"), "invalid counted repetition");
        assert_eq!(error("a{0,5000}"), "a counted repetition over 1000");
        assert_eq!(error("(?i)a"), "group flags and names are not supported");
        assert_eq!(error("\\pL"), "the escape \\p is not supported");
        assert_eq!(error("^a"), "anchors are not supported");
        assert_eq!(error("a**"), "a repetition of a repetition");
        assert_eq!(error("(a?)*"), "an unbounded repetition of something that can be empty");
        assert_eq!(error("a?"), "the pattern can match no text at all");
        assert_eq!(error("[z-a]"), "invalid range in a character class");
        assert_eq!(error("a\\"), "a pattern cannot end in \\");
    }

    #[test]
    fn a_list_names_its_first_bad_pattern() {
        let (index, _) = WordPatterns::new(&["fine", "bad(", "worse["]).expect_err("two are bad");
        assert_eq!(index, 1);
    }

    #[test]
    fn a_pattern_that_backtracks_a_lot_still_ends_with_the_right_answer() {
        // Each `\w*` can stop anywhere in the long word: without remembering where it has been,
        // the machine would try about n^3 ways before failing.
        let word = "a".repeat(2_000);
        let text = format!(" {word} ");
        assert_eq!(find(&["\\w*\\w*\\w*b"], &text), vec![]);
        assert_eq!(find(&["\\w*\\w*\\w*a"], &text), vec![(1, 2_001)]);
    }

    #[test]
    fn a_long_run_of_one_repeated_group_needs_no_deep_stack() {
        let text = format!(" {}saved pills ", "been ".repeat(50_000));
        assert_eq!(find(&["(been )*saved pills"], &text), vec![(1, text.len() - 1)]);
    }

    #[test]
    fn nothing_matches_in_an_empty_list_or_text() {
        assert!(WordPatterns::none().find_iter(b" pills ").is_empty());
        assert!(find(&["pills"], "").is_empty());
    }
}
