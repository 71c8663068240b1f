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
    /// `bytes[..len]` is the text. Made only by [`Text::new`], from a `&str`.
    Inline { len: u8, bytes: [u8; INLINE] },
    /// Longer text with an allocation of its own.
    Shared(Arc<str>),
    /// Longer text: `block[start..start + len]`, on character boundaries.
    Slice { block: TextBlock, start: u32, len: u32 },
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
            Text(Repr::Shared(Arc::from(s)))
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
            Repr::Shared(s) => s,
            Repr::Slice { block, start, len } => {
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
            Repr::Shared(s) => s.as_bytes(),
            Repr::Slice { block, start, len } => {
                let start = *start as usize;
                &block.0.as_bytes()[start..start + *len as usize]
            }
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
        self.as_str() == other.as_str()
    }
}
impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}
impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Text {
    fn cmp(&self, other: &Text) -> Ordering {
        self.as_str().cmp(other.as_str())
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
            false => Text(Repr::Shared(Arc::from(s))),
        }
    }
}
impl From<&Arc<str>> for Text {
    fn from(s: &Arc<str>) -> Text {
        match s.len() <= INLINE {
            true => Text::new(s),
            false => Text(Repr::Shared(s.clone())),
        }
    }
}
impl From<Arc<str>> for Text {
    fn from(s: Arc<str>) -> Text {
        Text::from(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
