//! [`Text`]: the string a [`Value`](super::Value) holds.
//!
//! Most strings in a graph are short (ids, names, labels of things), so a
//! `Text` of up to [`INLINE`] bytes lives inside the value itself: no
//! allocation, no pointer to follow, and a scan over a column of values reads
//! the bytes where it reads the value. Longer text is either shared on its
//! own (`Arc<str>`) or, for data loaded in bulk, a range of a [`TextBlock`]
//! that holds many values' text back to back.
//!
//! Which form a `Text` has never shows: equality, order and hashing are the
//! string's, and it dereferences to `&str`.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

/// The longest text kept inside a value (a `Value` stays 24 bytes).
pub const INLINE: usize = 22;

/// A string value. Cheap to clone: a copy of 24 bytes or a reference count.
#[derive(Clone)]
pub struct Text(Repr);

#[derive(Clone)]
enum Repr {
    /// `bytes[..len]` is the text, the bytes after it zero. Made only by
    /// [`Text::new`], from a `&str`.
    Inline { len: u8, bytes: [u8; INLINE] },
    /// Longer text with an allocation of its own.
    Shared { head: Head, text: Arc<str> },
    /// Longer text: `block[start..start + len]`, on character boundaries.
    Slice {
        head: Head,
        block: TextBlock,
        start: u32,
        len: u32,
    },
}

/// Bytes of a text longer than [`INLINE`] kept inside the value, in the
/// room the pointer's alignment leaves: its first [`HEAD`] bytes and its
/// last two. Most comparisons of a long text with another text (a
/// constant, a neighbour in a sort) are decided by these and its length,
/// without reading the text where it lives; only the rest fall back to
/// the bytes. A scan that falls back on a few values reads them
/// scattered, a cache miss each (one that reads every value streams
/// through the block), so the last bytes are kept as well as the first:
/// an ENDS WITH of one or two bytes is decided here, a longer one almost
/// always, as is equality between texts of one shape.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Head {
    first: [u8; HEAD],
    last: [u8; 2],
}

/// How many leading bytes of a long text its [`Head`] keeps.
const HEAD: usize = 5;

impl Head {
    /// The head of `s`, which is longer than [`INLINE`] bytes.
    fn of(s: &str) -> Head {
        let b = s.as_bytes();
        let mut first = [0u8; HEAD];
        first.copy_from_slice(&b[..HEAD]);
        Head {
            first,
            last: [b[b.len() - 2], b[b.len() - 1]],
        }
    }

    /// The first bytes as a number that orders as they do.
    #[inline(always)]
    fn word(&self) -> u64 {
        let mut w = [0u8; 8];
        w[..HEAD].copy_from_slice(&self.first);
        u64::from_be_bytes(w)
    }
}

/// The first (up to) [`HEAD`] bytes of `b` as a number that orders as the
/// bytes do, a shorter text padded with zeros (as [`Head::word`]).
#[inline(always)]
fn word_of(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    let n = b.len().min(HEAD);
    w[..n].copy_from_slice(&b[..n]);
    u64::from_be_bytes(w)
}

/// The mask of the top `n` (at most [`HEAD`]) bytes of a word.
#[inline(always)]
fn top_bytes(n: usize) -> u64 {
    match n {
        0 => 0,
        n => !0u64 << (64 - 8 * n),
    }
}

/// Text of many values back to back, shared by the [`Text`]s cut from it
/// (see [`TextBlock::cut`]). A block stays alive while any of them does.
#[derive(Clone)]
pub struct TextBlock(Arc<Box<str>>);

impl TextBlock {
    pub fn new(text: String) -> TextBlock {
        TextBlock(Arc::new(text.into_boxed_str()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The `Text` for `self[range]`, or `None` when the range is not within
    /// the block on character boundaries (or too long to address).
    pub fn cut(&self, range: std::ops::Range<usize>) -> Option<Text> {
        let s = self.0.get(range.clone())?;
        if s.len() <= INLINE {
            return Some(Text::new(s));
        }
        Some(Text(Repr::Slice {
            head: Head::of(s),
            block: self.clone(),
            start: u32::try_from(range.start).ok()?,
            len: u32::try_from(s.len()).ok()?,
        }))
    }
}

impl Text {
    /// `s` as text: inline when it is short, else in an allocation of its own.
    pub fn new(s: &str) -> Text {
        if s.len() <= INLINE {
            let mut bytes = [0u8; INLINE];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            Text(Repr::Inline {
                len: s.len() as u8,
                bytes,
            })
        } else {
            Text(Repr::Shared {
                head: Head::of(s),
                text: Arc::from(s),
            })
        }
    }

    #[inline]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline { len, bytes } => {
                let b = &bytes[..*len as usize];
                debug_assert!(std::str::from_utf8(b).is_ok());
                #[allow(unsafe_code)]
                // SAFETY: `Inline` is built only in `Text::new`, whose
                // `bytes[..len]` is a copy of a whole `&str`, so valid UTF-8;
                // neither field changes afterwards.
                let text = unsafe { std::str::from_utf8_unchecked(b) };
                text
            }
            Repr::Shared { text, .. } => text,
            Repr::Slice { block, start, len, .. } => {
                let start = *start as usize;
                // `cut` checked this range; slicing checks it again.
                &block.0[start..start + *len as usize]
            }
        }
    }

    /// The text's bytes (for a search, which needs no character boundaries).
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline { len, bytes } => &bytes[..*len as usize],
            Repr::Shared { text, .. } => text.as_bytes(),
            Repr::Slice { block, start, len, .. } => {
                let start = *start as usize;
                &block.0.as_bytes()[start..start + *len as usize]
            }
        }
    }

    /// The length in bytes (read from the value, not from the text).
    #[inline]
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Inline { len, .. } => *len as usize,
            Repr::Shared { text, .. } => text.len(),
            Repr::Slice { len, .. } => *len as usize,
        }
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A long text's [`Head`] and length (`None`: the text is inline).
    #[inline(always)]
    fn head(&self) -> Option<(&Head, usize)> {
        match &self.0 {
            Repr::Inline { .. } => None,
            Repr::Shared { head, text } => Some((head, text.len())),
            Repr::Slice { head, len, .. } => Some((head, *len as usize)),
        }
    }

    /// The first [`HEAD`] bytes as a number that orders as they do (a
    /// shorter text padded with zeros), read from the value.
    #[inline(always)]
    fn word(&self) -> u64 {
        match &self.0 {
            Repr::Inline { bytes, .. } => word_of(&bytes[..HEAD]),
            Repr::Shared { head, .. } | Repr::Slice { head, .. } => head.word(),
        }
    }

    /// The first eight bytes as a number that orders as they do, a
    /// shorter text padded with zeros.
    #[inline]
    pub fn head8(&self) -> u64 {
        let b: &[u8] = match &self.0 {
            // Zeros after the text.
            Repr::Inline { bytes, .. } => bytes,
            _ => self.as_bytes(),
        };
        b.first_chunk::<8>().map_or(0, |w| u64::from_be_bytes(*w))
    }

    /// Whether the text's bytes are `c`.
    #[inline]
    pub fn eq_bytes(&self, c: &[u8]) -> bool {
        match self.head() {
            // Longer than `INLINE`, so longer than `HEAD` when equal.
            Some((h, n)) if n != c.len() || h.first != c[..HEAD] || h.last != c[n - 2..] => false,
            _ => self.as_bytes() == c,
        }
    }

    /// The order of the text and the bytes `c` (byte order, which for
    /// UTF-8 is code point order).
    #[inline]
    pub fn cmp_bytes(&self, c: &[u8]) -> Ordering {
        match self.head() {
            None => self.as_bytes().cmp(c),
            Some((h, _)) => match h.word().cmp(&word_of(c)) {
                // `c` is all in the head, so a prefix of this longer text.
                Ordering::Equal if c.len() <= HEAD => Ordering::Greater,
                Ordering::Equal => self.as_bytes().cmp(c),
                o => o,
            },
        }
    }

    /// Whether the text starts with the bytes `c`.
    #[inline]
    pub fn starts_with_bytes(&self, c: &[u8]) -> bool {
        match self.head() {
            None => self.as_bytes().starts_with(c),
            Some((h, n)) => {
                let k = c.len().min(HEAD);
                if c.len() > n || (h.word() ^ word_of(c)) & top_bytes(k) != 0 {
                    false
                } else {
                    c.len() <= HEAD || self.as_bytes().starts_with(c)
                }
            }
        }
    }

    /// Whether the text ends with the bytes `c`.
    #[inline]
    pub fn ends_with_bytes(&self, c: &[u8]) -> bool {
        match self.head() {
            None => self.as_bytes().ends_with(c),
            Some((h, n)) => match c.len() {
                0 => true,
                1 => h.last[1] == c[0],
                2 => h.last == c[..],
                k => k <= n && h.last == c[k - 2..] && self.as_bytes().ends_with(c),
            },
        }
    }

    /// The text when it is kept inside the value, with the unused bytes
    /// after it: a search can read whole words here without running past
    /// the end of anything.
    #[inline]
    pub fn inline_bytes(&self) -> Option<(&[u8; INLINE], usize)> {
        match &self.0 {
            Repr::Inline { len, bytes } => Some((bytes, *len as usize)),
            _ => None,
        }
    }
}

impl Deref for Text {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self
    }
}

impl PartialEq for Text {
    #[inline]
    fn eq(&self, other: &Text) -> bool {
        match (self.head(), other.head()) {
            (Some((h, n)), Some((g, m))) if n != m || h != g => false,
            _ => self.as_bytes() == other.as_bytes(),
        }
    }
}
impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.eq_bytes(other.as_bytes())
    }
}
impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.eq_bytes(other.as_bytes())
    }
}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Text {
    #[inline]
    fn cmp(&self, other: &Text) -> Ordering {
        match self.word().cmp(&other.word()) {
            Ordering::Equal => self.as_bytes().cmp(other.as_bytes()),
            o => o,
        }
    }
}

impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::new(s)
    }
}
impl From<String> for Text {
    fn from(s: String) -> Text {
        match s.len() <= INLINE {
            true => Text::new(&s),
            false => Text(Repr::Shared {
                head: Head::of(&s),
                text: Arc::from(s),
            }),
        }
    }
}
impl From<&Arc<str>> for Text {
    fn from(s: &Arc<str>) -> Text {
        match s.len() <= INLINE {
            true => Text::new(s),
            false => Text(Repr::Shared {
                head: Head::of(s),
                text: s.clone(),
            }),
        }
    }
}
impl From<Arc<str>> for Text {
    fn from(s: Arc<str>) -> Text {
        Text::from(&s)
    }
}

/// The number of characters in `s` (what `size()` of a string gives):
/// its length when every byte is ASCII, which eight bytes at a time tell,
/// else the count of the bytes that begin a character.
#[inline]
pub fn char_count(s: &str) -> usize {
    let b = s.as_bytes();
    let (words, rest) = b.as_chunks::<8>();
    let high = words.iter().fold(0u64, |m, w| m | u64::from_ne_bytes(*w)) & 0x8080_8080_8080_8080;
    if high == 0 && rest.is_ascii() {
        b.len()
    } else {
        s.chars().count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_are_counted_as_chars_counts_them() {
        for s in [
            "",
            "a",
            "abcdefgh",
            "abcdefghi",
            "héllo wörld, 12345678",
            "12345678é",
            "é",
            "日本語のテキスト",
        ] {
            assert_eq!(char_count(s), s.chars().count(), "{s}");
        }
    }

    fn same(a: &Text, b: &Text) {
        assert_eq!(a, b);
        assert_eq!(a.cmp(b), Ordering::Equal);
        let h = |t: &Text| {
            let mut s = std::collections::hash_map::DefaultHasher::new();
            t.hash(&mut s);
            s.finish()
        };
        assert_eq!(h(a), h(b));
    }

    #[test]
    fn every_form_reads_back_and_compares_as_its_string() {
        let long = "Director of Information Security 123456";
        for s in [
            "",
            "a",
            "r123456",
            "é£🙂",
            &"x".repeat(INLINE),
            &"x".repeat(INLINE + 1),
            long,
        ] {
            let t = Text::new(s);
            assert_eq!(t.as_str(), s);
            assert_eq!(t.inline_bytes().is_some(), s.len() <= INLINE, "{s}");
            same(&t, &Text::from(Arc::<str>::from(s)));
            same(&t, &Text::from(s.to_string()));
            let block = TextBlock::new(format!("ab{s}cd"));
            let cut = block.cut(2..2 + s.len()).unwrap();
            assert_eq!(cut.as_str(), s);
            same(&t, &cut);
        }
        assert!(Text::new("Dire") < Text::new(long) && Text::new(long) < Text::new("Direc\u{e9}"));
        assert_eq!(format!("{:?}", Text::new("a\"b")), "\"a\\\"b\"");
    }

    /// A small deterministic generator (xorshift), for the property test.
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Strings of 0 to 32 bytes, most near the head's length and the
    /// inline limit, many sharing long stems, with characters of 1 to 4
    /// bytes (so some straddle the head's end or the inline limit) and
    /// the zero character (which the zero padding of short heads must not
    /// confuse with the end of a text).
    fn strings(rng: &mut Rng, n: usize) -> Vec<String> {
        let chars = [
            "a", "b", "z", "0", "7", " ", "\0", "\u{7f}", "é", "ß", "€", "\u{ffff}", "🙂",
        ];
        let lengths = [0, 1, 3, 5, 6, 7, 8, 12, 20, 21, 22, 23, 24, 26, 30, 32];
        let mut out: Vec<String> = Vec::new();
        while out.len() < n {
            let target = lengths[rng.below(lengths.len())];
            let long: Vec<&String> = out.iter().filter(|s| s.len() > INLINE).collect();
            if !long.is_empty() && rng.below(4) == 0 {
                // A long string of the same length as an earlier one and
                // with its first bytes, differing (mostly) after them.
                let base = long[rng.below(long.len())];
                let mut cut = HEAD + rng.below(base.len() - HEAD);
                while !base.is_char_boundary(cut) {
                    cut -= 1;
                }
                let mut s = base[..cut].to_string();
                while s.len() < base.len() {
                    s.push(['a', 'b', '7'][rng.below(3)]);
                }
                out.push(s);
                continue;
            }
            let mut s = match (out.len(), rng.below(3)) {
                (0, _) | (_, 0) => String::new(),
                // A stem shared with an earlier string.
                (k, _) => {
                    let base = &out[rng.below(k)];
                    let mut cut = rng.below(base.len() + 1);
                    while !base.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    base[..cut].to_string()
                }
            };
            while s.len() < target {
                s.push_str(chars[rng.below(chars.len())]);
            }
            out.push(s);
        }
        out
    }

    /// Every form a text of `s` can take: inline or shared (by each way
    /// of making one), and a cut of a block.
    fn forms(s: &str) -> Vec<Text> {
        let block = TextBlock::new(format!("é{s}x"));
        vec![
            Text::new(s),
            Text::from(s.to_string()),
            Text::from(Arc::<str>::from(s)),
            block.cut(2..2 + s.len()).expect("on characters"),
        ]
    }

    #[test]
    fn comparisons_decided_by_the_kept_bytes_are_the_strings_own() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let all = strings(&mut rng, 160);
        let texts: Vec<Vec<Text>> = all.iter().map(|s| forms(s)).collect();
        let mut long_pairs_same_head = 0;
        for (a, ta) in all.iter().zip(&texts) {
            for t in ta {
                assert_eq!(t.len(), a.len());
                assert_eq!(t.is_empty(), a.is_empty());
                assert_eq!(t.as_str(), a);
            }
            for (b, tb) in all.iter().zip(&texts) {
                let c = b.as_bytes();
                if a.len() > INLINE && a.len() == b.len() && a.as_bytes()[..HEAD] == c[..HEAD] && a != b {
                    long_pairs_same_head += 1;
                }
                for t in ta {
                    let what = || format!("{a:?} against {b:?}");
                    assert_eq!(t.eq_bytes(c), a == b, "{}", what());
                    assert_eq!(*t == **b, a == b, "{}", what());
                    assert_eq!(t.cmp_bytes(c), a.as_bytes().cmp(c), "{}", what());
                    assert_eq!(t.starts_with_bytes(c), a.starts_with(b.as_str()), "{}", what());
                    assert_eq!(t.ends_with_bytes(c), a.ends_with(b.as_str()), "{}", what());
                    for u in tb {
                        assert_eq!(t == u, a == b, "{}", what());
                        assert_eq!(t.cmp(u), a.cmp(b), "{}", what());
                    }
                }
            }
        }
        // The generator makes the pairs only the bytes past the head tell
        // apart (so the fallback is tested, not only the short cut).
        assert!(long_pairs_same_head > 100, "{long_pairs_same_head}");
    }

    #[test]
    fn a_block_refuses_ranges_off_its_characters_and_outlives_its_maker() {
        let block = TextBlock::new("£ and a long tail that is not inline".into());
        assert!(block.cut(1..30).is_none(), "inside the pound sign");
        assert!(block.cut(0..99).is_none());
        let t = block.cut(0..30).unwrap();
        drop(block);
        assert_eq!(t.as_str(), &"£ and a long tail that is not inline"[..30]);
    }

    #[test]
    fn a_value_with_text_is_still_24_bytes() {
        assert_eq!(std::mem::size_of::<Text>(), 24);
        assert_eq!(std::mem::size_of::<super::super::Value>(), 24);
    }
}
