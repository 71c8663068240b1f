//! Where command output and export files go, and how a failed write is
//! reported instead of lost.
//!
//! [`write_file`] writes a whole file at a path the user named, choosing by
//! what is there:
//!
//! - nothing, or a regular file: a temporary file beside it, written and
//!   fsynced, then renamed over it (a reader sees the old bytes or the new
//!   ones, never half); an existing file keeps its permissions;
//! - a symbolic link (a chain of them, even one that dangles): followed, and
//!   its final target written as above, so the link stays a link;
//! - a FIFO or a character device (`/dev/stdout`, a terminal, `/dev/null`,
//!   `/dev/full`): opened and written in place as a stream, never replaced;
//! - anything else (a directory, a socket, a block device): refused.
//!
//! [`stdout`] writes to standard output and checks every write and the
//! flush. Rust discards writes to a closed standard output without a word, so
//! [`guard_standard_streams`] (called once at start-up) notes a closed one,
//! points the descriptor at `/dev/null` so no file opened later takes its
//! number, and the first write then fails with "standard output is closed".

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Why output was not written. A closed pipe is its own case: the reader
/// went away (`| head`), which ends the program quietly.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write to standard output: {0}")]
    Stdout(io::Error),
    #[error("the reader of standard output went away")]
    ClosedPipe,
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: io::Error },
    #[error(
        "cannot write {path}: it is {what}; rolegraph writes regular files (replaced atomically), FIFOs and character devices (written in place)"
    )]
    NotAFile { path: String, what: &'static str },
    #[error("cannot write {path}: too many levels of symbolic links")]
    LinkLoop { path: String },
}

/// How a file was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// Replaced (or created) as a whole; the path written, links followed.
    Replaced(PathBuf),
    /// Written in place into a FIFO or a character device.
    Streamed(PathBuf),
}

impl Written {
    pub fn path(&self) -> &Path {
        match self {
            Written::Replaced(p) | Written::Streamed(p) => p,
        }
    }
}

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `bytes` to standard output and flushes. A closed pipe is
/// [`OutputError::ClosedPipe`]; any other failure (a full disk, a closed
/// descriptor) is [`OutputError::Stdout`].
pub fn stdout(bytes: &[u8]) -> Result<(), OutputError> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        if bytes.is_empty() {
            return Ok(());
        }
        return Err(OutputError::Stdout(io::Error::other("standard output is closed")));
    }
    let mut out = io::stdout().lock();
    out.write_all(bytes).and_then(|_| out.flush()).map_err(|e| {
        if e.kind() == io::ErrorKind::BrokenPipe {
            OutputError::ClosedPipe
        } else {
            OutputError::Stdout(e)
        }
    })
}

/// Checks at start-up that descriptors 0, 1 and 2 are open. A closed one is
/// opened on `/dev/null` so that no data file opened later gets its number
/// (and output meant for the terminal lands in it); a closed standard
/// output is remembered, and [`stdout`] then fails instead of discarding.
///
/// Rust's runtime already reopens a closed standard descriptor before
/// `main`, on `/dev/null` for reading and writing; a shell's `>/dev/null`
/// opens it for writing only. So a standard output on `/dev/null` open for
/// both counts as closed (`1<>/dev/null` would look the same).
pub fn guard_standard_streams() {
    #[cfg(unix)]
    {
        if reopened_by_runtime(1) {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
        }
    }
    #[cfg(unix)]
    for fd in 0..3 {
        if !fd_open(fd) {
            if fd == 1 {
                STDOUT_CLOSED.store(true, Ordering::Relaxed);
            }
            let null = OpenOptions::new().read(fd == 0).write(fd != 0).open("/dev/null");
            if let Ok(null) = null {
                use std::os::fd::IntoRawFd;
                let raw = null.into_raw_fd();
                if raw != fd {
                    #[allow(unsafe_code)]
                    // SAFETY: `raw` is a descriptor this function owns; dup2
                    // onto a closed descriptor number and close of our own
                    // copy touch nothing else.
                    unsafe {
                        libc::dup2(raw, fd);
                        libc::close(raw);
                    }
                }
            }
        }
    }
}

/// True when `fd` is `/dev/null` opened for reading and writing.
#[cfg(unix)]
fn reopened_by_runtime(fd: i32) -> bool {
    use std::os::unix::fs::MetadataExt;
    #[allow(unsafe_code)]
    // SAFETY: F_GETFL only reads the descriptor's status flags.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags == -1 || flags & libc::O_ACCMODE != libc::O_RDWR {
        return false;
    }
    #[allow(unsafe_code)]
    // SAFETY: fstat writes only into the zeroed struct we pass, which
    // lives for the call.
    let (rc, st) = unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        (libc::fstat(fd, &mut st), st)
    };
    let Ok(null) = fs::metadata("/dev/null") else {
        return false;
    };
    rc == 0 && st.st_mode & libc::S_IFMT == libc::S_IFCHR && st.st_rdev == null.rdev()
}

#[cfg(unix)]
fn fd_open(fd: i32) -> bool {
    #[allow(unsafe_code)]
    // SAFETY: F_GETFD only reads the descriptor's flags; an invalid number
    // returns -1 with EBADF.
    let rc = unsafe { libc::fcntl(fd, libc::F_GETFD) };
    rc != -1 || io::Error::last_os_error().raw_os_error() != Some(libc::EBADF)
}

/// Writes `bytes` as the whole content of `path` (see the module notes).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<Written, OutputError> {
    let shown = path.display().to_string();
    let fail = |source: io::Error| OutputError::Write {
        path: shown.clone(),
        source,
    };
    let target = follow_links(path)?;
    match fs::metadata(&target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            replace(&target, bytes, None).map_err(fail)?;
            Ok(Written::Replaced(target))
        }
        Err(e) => Err(fail(e)),
        Ok(meta) => {
            let kind = meta.file_type();
            if kind.is_file() {
                replace(&target, bytes, Some(meta.permissions())).map_err(fail)?;
                return Ok(Written::Replaced(target));
            }
            if is_stream(&kind) {
                stream(&target, bytes).map_err(fail)?;
                return Ok(Written::Streamed(target));
            }
            Err(OutputError::NotAFile {
                path: shown,
                what: describe(&kind),
            })
        }
    }
}

/// The path a chain of symbolic links ends at (it need not exist).
fn follow_links(path: &Path) -> Result<PathBuf, OutputError> {
    let mut at = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&at).map_err(|source| OutputError::Write {
                    path: path.display().to_string(),
                    source,
                })?;
                at = match at.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(at),
        }
    }
    Err(OutputError::LinkLoop {
        path: path.display().to_string(),
    })
}

#[cfg(unix)]
fn is_stream(kind: &fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt;
    kind.is_fifo() || kind.is_char_device()
}

#[cfg(not(unix))]
fn is_stream(_kind: &fs::FileType) -> bool {
    false
}

fn describe(kind: &fs::FileType) -> &'static str {
    if kind.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() {
            return "a block device";
        }
    }
    "not a regular file"
}

/// Opens a FIFO or a device and writes into it.
fn stream(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = OpenOptions::new().write(true).open(path)?;
    f.write_all(bytes)?;
    f.flush()
}

/// A temporary file beside `path`, written, fsynced and renamed over it;
/// the directory is fsynced after.
fn replace(path: &Path, bytes: &[u8], keep: Option<fs::Permissions>) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?
        .to_string_lossy()
        .into_owned();
    let mut attempt = 0u32;
    let (tmp, mut file) = loop {
        let tmp = dir.join(format!(".{name}.{}.{attempt}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    };
    let written = (|| {
        file.write_all(bytes)?;
        if let Some(p) = keep {
            file.set_permissions(p)?;
        }
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
        return written;
    }
    // The rename is durable once the directory is; a directory that cannot
    // be opened for fsync (not Unix) is no error.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_symlink_is_followed_and_stays_a_link() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("real.json");
        fs::write(&real, "old").unwrap();
        let link = tmp.path().join("link.json");
        std::os::unix::fs::symlink("real.json", &link).unwrap();
        let w = write_file(&link, b"new").unwrap();
        assert_eq!(w, Written::Replaced(tmp.path().join("real.json")));
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        // A dangling link creates its target.
        let dangling = tmp.path().join("d.json");
        std::os::unix::fs::symlink("sub-missing.json", &dangling).unwrap();
        write_file(&dangling, b"x").unwrap();
        assert_eq!(fs::read_to_string(tmp.path().join("sub-missing.json")).unwrap(), "x");
        // A loop is an error, not a hang.
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        std::os::unix::fs::symlink("b", &a).unwrap();
        std::os::unix::fs::symlink("a", &b).unwrap();
        assert!(matches!(write_file(&a, b"x"), Err(OutputError::LinkLoop { .. })));
    }

    #[test]
    fn permissions_are_kept_and_no_temporaries_are_left() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("f.txt");
        fs::write(&f, "old").unwrap();
        fs::set_permissions(&f, fs::Permissions::from_mode(0o640)).unwrap();
        write_file(&f, b"new").unwrap();
        assert_eq!(fs::metadata(&f).unwrap().permissions().mode() & 0o777, 0o640);
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn devices_are_streamed_and_directories_refused() {
        assert_eq!(
            write_file(Path::new("/dev/null"), b"x").unwrap(),
            Written::Streamed("/dev/null".into())
        );
        let e = write_file(Path::new("/dev/full"), b"x").unwrap_err();
        assert!(e.to_string().contains("No space left"), "{e}");
        let tmp = tempfile::tempdir().unwrap();
        let e = write_file(tmp.path(), b"x").unwrap_err();
        assert!(
            matches!(
                e,
                OutputError::NotAFile {
                    what: "a directory",
                    ..
                }
            ),
            "{e}"
        );
    }
}
