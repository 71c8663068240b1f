//! How much of a file rolegraph reads: data files and scripts over a size
//! limit are refused before a byte is read, and streams (a FIFO, a device,
//! standard input) are read up to the limit and refused past it, so no
//! input can fill the memory before it is parsed.

use std::io::Read;
use std::path::Path;

/// The largest files read, by kind; `--max-file-size` sets them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileLimits {
    /// A graph-data TOML file: parsing holds a tree several times the
    /// text's size.
    pub toml: u64,
    /// A CSV data file: read into one buffer, values cut from it.
    pub csv: u64,
    /// A script (`-f FILE`, `:source`, standard input).
    pub script: u64,
}

impl Default for FileLimits {
    fn default() -> FileLimits {
        FileLimits {
            toml: 256 << 20,
            csv: 4 << 30,
            script: 256 << 20,
        }
    }
}

impl FileLimits {
    /// The same limit for every kind (`--max-file-size SIZE`).
    pub fn all(bytes: u64) -> FileLimits {
        FileLimits {
            toml: bytes,
            csv: bytes,
            script: bytes,
        }
    }
}

/// Why an input was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("'{path}' is {}, over the {} limit for {what} (--max-file-size SIZE raises it)", crate::eval::budget::show_size(*size), crate::eval::budget::show_size(*limit))]
    TooBig {
        path: String,
        what: &'static str,
        size: u64,
        limit: u64,
    },
    #[error("'{path}' holds more than {} (it is a stream, read up to the limit for {what}; --max-file-size SIZE raises it)", crate::eval::budget::show_size(*limit))]
    StreamTooBig {
        path: String,
        what: &'static str,
        limit: u64,
    },
    #[error("cannot read '{path}': {source}")]
    Io { path: String, source: std::io::Error },
}

/// Reads `path` whole if it is at most `limit` bytes: a regular file's
/// size is looked at first, anything else is read up to the limit.
/// `what` names the kind of file in the message ("TOML data files").
pub fn read_limited(path: &Path, limit: u64, what: &'static str) -> Result<Vec<u8>, ReadError> {
    let shown = path.display().to_string();
    let io = |source| ReadError::Io {
        path: shown.clone(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_file() && meta.len() > limit {
        return Err(ReadError::TooBig {
            path: shown,
            what,
            size: meta.len(),
            limit,
        });
    }
    let hint = if meta.is_file() { meta.len() as usize } else { 0 };
    read_stream(file, &shown, limit, what, hint)
}

/// Reads `reader` to its end, refusing it once it has given more than
/// `limit` bytes.
pub fn read_stream(
    reader: impl Read,
    shown: &str,
    limit: u64,
    what: &'static str,
    hint: usize,
) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::with_capacity(hint.saturating_add(1));
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| ReadError::Io {
            path: shown.to_string(),
            source,
        })?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::StreamTooBig {
            path: shown.to_string(),
            what,
            limit,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_refused_from_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.toml");
        let f = std::fs::File::create(&p).unwrap();
        // Sparse: 6 GiB of size, nothing on disk, and never read.
        f.set_len(6 << 30).unwrap();
        let e = read_limited(&p, 1 << 20, "TOML data files").unwrap_err();
        assert!(matches!(e, ReadError::TooBig { size, .. } if size == 6 << 30), "{e}");
        assert!(
            e.to_string()
                .contains("is 6 GiB, over the 1 MiB limit for TOML data files"),
            "{e}"
        );
        std::fs::write(&p, "x = 1\n").unwrap();
        assert_eq!(read_limited(&p, 1 << 20, "TOML data files").unwrap(), b"x = 1\n");
    }

    #[test]
    fn a_stream_is_read_up_to_the_limit() {
        let e = read_stream(std::io::repeat(0), "/dev/zero", 1000, "scripts", 0).unwrap_err();
        assert!(matches!(e, ReadError::StreamTooBig { limit: 1000, .. }), "{e}");
        let ok = read_stream(&b"RETURN 1"[..], "<stdin>", 8, "scripts", 0).unwrap();
        assert_eq!(ok, b"RETURN 1");
    }
}
