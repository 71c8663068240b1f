//! Keys of the id index. Ids are short: up to 22 bytes are kept inside the
//! index entry, so a lookup compares bytes in the table instead of
//! following a pointer to the string (which costs a cache miss per probe
//! on a large graph). Longer ids share the `id` property's string.

use std::borrow::Borrow;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

const INLINE: usize = 22;

#[derive(Clone)]
pub(super) enum Key {
    Inline { len: u8, bytes: [u8; INLINE] },
    Shared(Arc<str>),
}

impl Key {
    pub(super) fn new(s: &Arc<str>) -> Key {
        if s.len() <= INLINE {
            let mut bytes = [0u8; INLINE];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            Key::Inline {
                len: s.len() as u8,
                bytes,
            }
        } else {
            Key::Shared(s.clone())
        }
    }

    pub(super) fn as_str(&self) -> &str {
        match self {
            // The bytes were copied from a `str` at a length it had, so
            // they are valid UTF-8; the check is a few nanoseconds.
            Key::Inline { len, bytes } => std::str::from_utf8(&bytes[..*len as usize]).unwrap_or_default(),
            Key::Shared(s) => s,
        }
    }
}

impl Borrow<str> for Key {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.as_str() == other.as_str()
    }
}
impl Eq for Key {}

impl Hash for Key {
    // As `str` hashes, so that lookups by `&str` find it.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn short_and_long_keys_are_found_by_str() {
        let long = "an-identifier-longer-than-twenty-two-bytes";
        let mut m: HashMap<Key, u32> = HashMap::new();
        for (i, k) in ["r1", "", "ünïcödé-ïd", "exactly-22-bytes-long!", long]
            .iter()
            .enumerate()
        {
            m.insert(Key::new(&Arc::from(*k)), i as u32);
        }
        assert_eq!(m.get("r1"), Some(&0));
        assert_eq!(m.get(""), Some(&1));
        assert_eq!(m.get("ünïcödé-ïd"), Some(&2));
        assert_eq!(m.get("exactly-22-bytes-long!"), Some(&3));
        assert_eq!(m.get(long), Some(&4));
        assert_eq!(m.get("r2"), None);
        assert!(matches!(Key::new(&Arc::from(long)), Key::Shared(_)));
    }
}
