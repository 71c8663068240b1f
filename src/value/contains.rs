//! Whether a string contains another, tuned for what property values are:
//! mostly a few dozen bytes, searched many times with one needle (a scan
//! with `CONTAINS`). A general searcher spends more on setting up for each
//! short haystack than on searching it; this one needs no set-up.
//!
//! Sixteen positions are tested at once: where the needle's first byte and
//! its last byte both fit, and only those candidates are compared whole.
//! Every read stays within the haystack; text kept inside a value is read
//! in place, with the value's unused bytes as padding.

use super::text::Text;

/// Positions tested at once.
const LANES: usize = 16;
/// Longer needles go to `memchr::memmem`.
const MAX_NEEDLE: usize = 32;
/// Longer haystacks too: there the searcher's set-up pays for itself.
const MAX_HAY: usize = 256;

/// Whether `needle` occurs in `hay`. The common case, a value of 16 to 32
/// bytes, is searched in line; the rest in [`contains_other`].
#[inline(always)]
pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    let n = needle.len();
    match (2..=MAX_NEEDLE).contains(&n) && (LANES..=2 * LANES).contains(&hay.len()) {
        true => hay.len() >= n && two_windows(hay, hay.len(), needle),
        false => contains_other(hay, needle),
    }
}

/// [`contains`] outside its common case.
#[inline(never)]
fn contains_other(hay: &[u8], needle: &[u8]) -> bool {
    let n = needle.len();
    if n == 0 {
        return true;
    }
    if hay.len() < n {
        return false;
    }
    if n == 1 {
        return memchr::memchr(needle[0], hay).is_some();
    }
    if n > MAX_NEEDLE || hay.len() > MAX_HAY || (hay.len() > 2 * LANES && hay.len() < n - 1 + LANES) {
        return memchr::memmem::find(hay, needle).is_some();
    }
    if hay.len() < LANES {
        return hay.windows(n).any(|w| w == needle);
    }
    // Longer than two windows: windows of sixteen start positions; the
    // last one is moved back so that it ends at the haystack's end
    // (overlapping the one before).
    let last_window = hay.len() - (n - 1 + LANES);
    let mut at = 0;
    loop {
        let w = at.min(last_window);
        let a: &[u8; LANES] = hay[w..w + LANES].try_into().expect("window in bounds");
        let b: &[u8; LANES] = hay[w + n - 1..w + n - 1 + LANES].try_into().expect("window in bounds");
        let m = lanes_equal(a, needle[0]) & lanes_equal(b, needle[n - 1]);
        if verify(hay, w, m as u64, needle) {
            return true;
        }
        if w == last_window {
            return false;
        }
        at += LANES;
    }
}

/// Whether `needle` occurs in `hay`: [`contains`], reading text kept inside
/// the value in place.
#[inline(always)]
pub fn text_contains(hay: &Text, needle: &[u8]) -> bool {
    match hay.inline_bytes() {
        Some((bytes, len)) if needle.len() >= 2 => len >= needle.len() && two_windows(bytes, len, needle),
        _ => contains(hay.as_bytes(), needle),
    }
}

/// Whether `needle` (2 to `len` bytes) occurs in `h[..len]`, where
/// `h` is 16 to 32 bytes long: its first sixteen bytes and its last sixteen
/// are compared with the needle's first byte and its last, giving every
/// place the needle could start at once.
#[inline(always)]
fn two_windows(h: &[u8], len: usize, needle: &[u8]) -> bool {
    debug_assert!((LANES..=2 * LANES).contains(&h.len()) && (2..=len).contains(&needle.len()) && len <= h.len());
    let n = needle.len();
    let tail = h.len() - LANES;
    let head: &[u8; LANES] = h[..LANES].try_into().expect("sixteen bytes");
    let end: &[u8; LANES] = h[tail..].try_into().expect("sixteen bytes");
    let at = |byte: u8| lanes_equal(head, byte) as u64 | (lanes_equal(end, byte) as u64) << tail;
    let starts = len - n + 1;
    let m = at(needle[0]) & (at(needle[n - 1]) >> (n - 1)) & ((1u64 << starts) - 1);
    verify(h, 0, m, needle)
}

/// Bit `i` set: `w[i] == byte`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn lanes_equal(w: &[u8; LANES], byte: u8) -> u32 {
    use std::arch::x86_64::{__m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8};
    #[allow(unsafe_code)]
    // SAFETY: SSE2 is part of every x86_64 target; the load reads exactly
    // the 16 bytes `w` refers to and needs no alignment.
    unsafe {
        let v = _mm_loadu_si128(w.as_ptr().cast::<__m128i>());
        _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(byte as i8))) as u32
    }
}

/// Bit `i` set: `w[i] == byte`.
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn lanes_equal(w: &[u8; LANES], byte: u8) -> u32 {
    w.iter()
        .enumerate()
        .fold(0, |m, (i, &x)| m | (((x == byte) as u32) << i))
}

/// Whether a candidate in `mask` (positions from `at`) is a whole match.
#[inline(always)]
fn verify(hay: &[u8], at: usize, mut mask: u64, needle: &[u8]) -> bool {
    let n = needle.len();
    while mask != 0 {
        let i = at + mask.trailing_zeros() as usize;
        if hay[i + 1..i + n - 1] == needle[1..n - 1] {
            return true;
        }
        mask &= mask - 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(hay: &[u8], needle: &[u8]) -> bool {
        needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn agrees_with_a_naive_search_at_every_length_and_place() {
        // Every haystack length up to past the padded and windowed limits,
        // needles of every length up to past MAX_NEEDLE, placed everywhere,
        // with near misses (first and last byte right, middle wrong) and
        // zero bytes, which the padding is made of.
        let mut seed = 0x9e37_79b9_u32;
        let mut rnd = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        for hay_len in 0..300 {
            for n in [0, 1, 2, 3, 5, 8, 15, 16, 17, 31, 32, 33, 40] {
                for trial in 0..6 {
                    let alphabet: &[u8] = if trial % 2 == 0 { b"ab\0" } else { b"abcdefgh" };
                    let needle: Vec<u8> = (0..n).map(|_| alphabet[rnd() as usize % alphabet.len()]).collect();
                    let mut hay: Vec<u8> = (0..hay_len)
                        .map(|_| alphabet[rnd() as usize % alphabet.len()])
                        .collect();
                    if trial >= 2 && n <= hay_len {
                        let at = rnd() as usize % (hay_len - n + 1);
                        hay[at..at + n].copy_from_slice(&needle);
                        if trial >= 4 && n >= 3 {
                            hay[at + n / 2] = b'z'; // near miss
                        }
                    }
                    let want = naive(&hay, &needle);
                    assert_eq!(contains(&hay, &needle), want, "hay {hay:?} needle {needle:?}");
                    if let Ok(s) = std::str::from_utf8(&hay) {
                        assert_eq!(
                            text_contains(&Text::new(s), &needle),
                            want,
                            "text {s:?} needle {needle:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn finds_text_in_values_of_every_form() {
        let block = super::super::TextBlock::new("xxDirector of Information Security 123456".into());
        let long = block.cut(2..41).unwrap();
        for t in [Text::new("Security lead"), Text::new("Head of Security"), long] {
            assert!(text_contains(&t, b"Security"), "{t}");
            assert!(!text_contains(&t, b"security"), "{t}");
            assert!(text_contains(&t, b"y"), "{t}");
            assert!(text_contains(&t, b""), "{t}");
        }
        assert!(!text_contains(&Text::new("Securit"), b"Security"));
    }
}
