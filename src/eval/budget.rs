//! What one statement may consume besides time: memory and the paths of
//! variable-length patterns. Memory is measured, not guessed: the binary
//! installs [`Counting`], a global allocator that delegates to the system's
//! and keeps a running total of live bytes, and the statement's guard
//! compares the growth since the statement began with `--max-memory` at
//! every step it takes. Values too big to build at all (a `range()`, a
//! `replace()` or a concatenation of many gigabytes) are refused before
//! they are allocated, from their exact size ([`call_size`], [`binary_size`]).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};

use crate::plan::functions::Func;
use crate::syntax::ast::BinaryOp;
use crate::value::Value;

/// Paths a statement's variable-length patterns may follow by default.
pub const DEFAULT_MAX_PATHS: u64 = 10_000_000;

/// Bytes allocated and not yet freed, over all threads (up to
/// [`SLACK`] per thread not yet added in).
static LIVE: AtomicIsize = AtomicIsize::new(0);
static INSTALLED: AtomicBool = AtomicBool::new(false);
/// Each thread adds up its own changes and adds them to [`LIVE`] once they
/// reach this many bytes either way, so allocating stays cheap.
const SLACK: isize = 64 * 1024;

thread_local! {
    static LOCAL: Cell<isize> = const { Cell::new(0) };
}

fn note(delta: isize) {
    // `try_with` fails only while the thread is being torn down; then the
    // change goes to the total directly.
    let pending = LOCAL
        .try_with(|c| {
            let v = c.get() + delta;
            if v.abs() >= SLACK {
                c.set(0);
                v
            } else {
                c.set(v);
                0
            }
        })
        .unwrap_or(delta);
    if pending != 0 {
        LIVE.fetch_add(pending, Ordering::Relaxed);
    }
}

/// The system allocator, counting live bytes (see the module's comment).
pub struct Counting;

// SAFETY: every method forwards to `System` with the caller's arguments
// unchanged, so `System`'s guarantees hold; the counting touches only a
// thread-local `Cell` (const-initialised, no destructor, so it never
// allocates) and an atomic.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged (see the impl's comment).
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            note(layout.size() as isize);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged (see the impl's comment).
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            note(layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged (see the impl's comment).
        unsafe { System.dealloc(ptr, layout) };
        note(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded unchanged (see the impl's comment).
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            note(new_size as isize - layout.size() as isize);
        }
        p
    }
}

impl Counting {
    /// Records that the binary installed the allocator (so live bytes
    /// mean something); call once at start-up.
    pub fn installed(&self) {
        INSTALLED.store(true, Ordering::Relaxed);
    }
}

/// Live heap bytes when [`Counting`] is the global allocator, else 0.
pub fn live_bytes() -> u64 {
    if INSTALLED.load(Ordering::Relaxed) {
        LIVE.load(Ordering::Relaxed).max(0) as u64
    } else {
        0
    }
}

/// Whether memory is measured (the allocator is installed).
pub fn measured() -> bool {
    INSTALLED.load(Ordering::Relaxed)
}

/// Half of the memory this process can have (the machine's physical
/// memory, or less where a cgroup or `ulimit -v` says so), and no more than
/// three quarters of what is free when rolegraph starts, so a busy machine
/// is not pushed into swapping or the kernel's out-of-memory killer. At
/// least 64 MiB.
pub fn default_max_memory() -> u64 {
    let mut limit = physical_memory().unwrap_or(4 << 30);
    for l in [cgroup_limit(), address_space_limit()].into_iter().flatten() {
        limit = limit.min(l);
    }
    let mut budget = limit / 2;
    if let Some(free) = available_memory() {
        budget = budget.min(free / 4 * 3);
    }
    budget.max(64 << 20)
}

/// `MemAvailable` of /proc/meminfo (Linux).
fn available_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

fn physical_memory() -> Option<u64> {
    // SAFETY: sysconf only reads system configuration.
    #[allow(unsafe_code)]
    let (pages, size) = unsafe { (libc::sysconf(libc::_SC_PHYS_PAGES), libc::sysconf(libc::_SC_PAGESIZE)) };
    (pages > 0 && size > 0).then(|| pages as u64 * size as u64)
}

fn cgroup_limit() -> Option<u64> {
    [
        "/sys/fs/cgroup/memory.max",
        "/sys/fs/cgroup/memory/memory.limit_in_bytes",
    ]
    .iter()
    .filter_map(|p| std::fs::read_to_string(p).ok())
    .filter_map(|s| s.trim().parse::<u64>().ok())
    .min()
}

fn address_space_limit() -> Option<u64> {
    let mut r = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct we own.
    #[allow(unsafe_code)]
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut r) } == 0;
    (ok && r.rlim_cur != libc::RLIM_INFINITY).then_some(r.rlim_cur)
}

/// Why a size could not be read: the text of `--max-memory` / `:max-memory`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a size: give bytes or a number with K, M, G or T (e.g. 512M, 4G)")]
pub struct BadSize(pub String);

/// `4G`, `512M`, `1.5G`, `100000` (bytes), `64k`: a number of bytes.
pub fn parse_size(text: &str) -> Result<u64, BadSize> {
    let t = text.trim();
    let bad = || BadSize(text.to_string());
    let t = t.strip_suffix(['b', 'B']).unwrap_or(t);
    let t = t.strip_suffix(['i', 'I']).unwrap_or(t);
    let (num, unit) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&t[..i], c.to_ascii_uppercase()),
        _ => (t, ' '),
    };
    let scale: u64 = match unit {
        ' ' => 1,
        'K' => 1 << 10,
        'M' => 1 << 20,
        'G' => 1 << 30,
        'T' => 1 << 40,
        _ => return Err(bad()),
    };
    let n: f64 = num.trim().parse().map_err(|_| bad())?;
    if !(n.is_finite() && n >= 1.0) {
        return Err(bad());
    }
    let bytes = n * scale as f64;
    if bytes >= u64::MAX as f64 {
        return Err(bad());
    }
    Ok(bytes as u64)
}

/// `--max-memory` / `:max-memory`: a size, or `off` (no limit).
pub fn parse_memory_limit(text: &str) -> Result<Option<u64>, BadSize> {
    match text.trim().to_ascii_lowercase().as_str() {
        "off" | "none" => Ok(None),
        _ => parse_size(text).map(Some),
    }
}

/// Why `--max-paths` / `:max-paths` could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a number of paths: give a positive whole number or off")]
pub struct BadCount(pub String);

/// `--max-paths` / `:max-paths`: a positive count, or `off` (no limit).
pub fn parse_path_limit(text: &str) -> Result<Option<u64>, BadCount> {
    let t = text.trim().to_ascii_lowercase().replace(['_', ','], "");
    match t.as_str() {
        "off" | "none" => Ok(None),
        _ => match t.parse::<u64>() {
            Ok(n) if n > 0 => Ok(Some(n)),
            _ => Err(BadCount(text.to_string())),
        },
    }
}

/// A size for people: `512 MiB`, `11.6 GiB`.
pub fn show_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{bytes} bytes")
    } else if v.fract() == 0.0 {
        format!("{v:.0} {}", UNITS[u])
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// The most items `range()` makes (see `functions::range`).
pub const RANGE_LIMIT: u64 = 10_000_000;

pub const VALUE: u64 = std::mem::size_of::<Value>() as u64;

/// A text of `n` bytes is built as a `String` and then copied into the
/// value's shared buffer: both exist for a moment.
pub fn text_bytes(n: u64) -> u64 {
    n.saturating_mul(2)
}

/// The heap bytes a function call is about to build, where that can be
/// large (lists and strings made from its arguments); 0 for the rest.
/// Exact or an upper bound, and cheap next to the work of the call.
pub fn call_size(f: Func, args: &[Value]) -> u64 {
    use Func::*;
    let text = |i: usize| match args.get(i) {
        Some(Value::String(s)) => Some(s.as_bytes()),
        _ => None,
    };
    let text_len = |i: usize| text(i).map_or(0, |s| s.len() as u64);
    let list_len = |i: usize| match args.get(i) {
        Some(Value::List(l)) => l.len() as u64,
        _ => 0,
    };
    let int = |i: usize| match args.get(i) {
        Some(Value::Int(n)) => Some(*n),
        _ => None,
    };
    match f {
        Range => match (int(0), int(1)) {
            (Some(start), Some(end)) => {
                let step = match args.get(2) {
                    Some(Value::Int(s)) => *s,
                    _ => 1,
                };
                if step == 0 || (step > 0 && start > end) || (step < 0 && start < end) {
                    return 0;
                }
                let n = (end as i128 - start as i128) / step as i128 + 1;
                // Past its own limit range() refuses the arguments (an
                // ArgumentError, not a memory error).
                if n > RANGE_LIMIT as i128 { 0 } else { n as u64 * VALUE }
            }
            _ => 0,
        },
        Replace => match (text(0), text(1), text(2)) {
            (Some(s), Some(from), Some(to)) if to.len() > from.len() => {
                // Each match grows the text by the difference; an empty
                // `from` matches between every two characters.
                let matches = if from.is_empty() {
                    s.len() as u64 + 1
                } else {
                    memchr::memmem::find_iter(s, from).count() as u64
                };
                let grown = (s.len() as u64).saturating_add(matches.saturating_mul((to.len() - from.len()) as u64));
                text_bytes(grown)
            }
            _ => text_bytes(text_len(0)),
        },
        // Upper and lower case can grow a character to three bytes.
        ToUpper | ToLower => text_bytes(3 * text_len(0)),
        Reverse | Trim | LTrim | RTrim | Substring | Left | Right | ToString => {
            text_bytes(text_len(0)) + list_len(0) * VALUE
        }
        Split => (text_len(0) + 1) * (VALUE + 1),
        Tail | Nodes | Relationships | Keys | Labels => list_len(0) * VALUE,
        _ => 0,
    }
}

/// The heap bytes `a OP b` is about to build: a concatenation of strings
/// or lists; 0 for everything else.
pub fn binary_size(op: BinaryOp, a: &Value, b: &Value) -> u64 {
    if op != BinaryOp::Add {
        return 0;
    }
    let size = |v: &Value| match v {
        Value::String(s) => s.len() as u64,
        Value::List(l) => l.len() as u64 * VALUE,
        Value::Null => 0,
        _ => VALUE,
    };
    match (a, b) {
        (Value::String(_), _) | (_, Value::String(_)) => text_bytes(size(a) + size(b)),
        (Value::List(_), _) | (_, Value::List(_)) => size(a) + size(b),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(parse_size("512M"), Ok(512 << 20));
        assert_eq!(parse_size("4G"), Ok(4 << 30));
        assert_eq!(parse_size("4GiB"), Ok(4 << 30));
        assert_eq!(parse_size("1.5g"), Ok(3 << 29));
        assert_eq!(parse_size("100000"), Ok(100_000));
        assert_eq!(parse_size("64k"), Ok(64 << 10));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("-1G").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("4X").is_err());
    }

    #[test]
    fn sizes_show_in_binary_units() {
        assert_eq!(show_size(100), "100 bytes");
        assert_eq!(show_size(512 << 20), "512 MiB");
        assert_eq!(show_size(3 << 29), "1.5 GiB");
    }

    #[test]
    fn replace_is_sized_before_it_is_built() {
        let s = Value::from("x".repeat(1000));
        let args = [s.clone(), Value::from("x"), s];
        assert_eq!(call_size(Func::Replace, &args), 2 * (1000 + 1000 * 999));
        let shrink = [Value::from("abc"), Value::from("abc"), Value::from("")];
        assert_eq!(call_size(Func::Replace, &shrink), 6);
    }

    #[test]
    fn range_is_sized_before_it_is_built() {
        let args = [Value::Int(1), Value::Int(1_000_000)];
        assert_eq!(call_size(Func::Range, &args), 1_000_000 * VALUE);
        let empty = [Value::Int(5), Value::Int(1)];
        assert_eq!(call_size(Func::Range, &empty), 0);
    }

    #[test]
    fn the_default_is_half_of_what_the_process_may_have() {
        let d = default_max_memory();
        assert!(d >= 64 << 20);
        if let Some(p) = physical_memory() {
            assert!(d <= p / 2 + (64 << 20));
        }
    }
}
