//! Replaces a directory's data files so that a crash or `kill -9` at any
//! moment leaves either all of the old files or all of the new ones.
//!
//! The new files go into a fresh sibling directory (same file system), each
//! file fsynced, then the directory itself. That directory and the target
//! are then swapped in one step with `renameat2(RENAME_EXCHANGE)` and the
//! parent is fsynced, so the target path names the old or the new contents,
//! never a mixture and never nothing. The old contents, now under the
//! temporary name, are deleted last. The files the caller names as kept
//! (`claim` decides which) are carried over by hard link.
//!
//! Where the exchange is not available (not Linux, or a file system that
//! refuses it) the target is first renamed aside and the new directory
//! renamed into place: the target path then briefly does not exist, and a
//! crash in that window leaves the complete old files beside it under a
//! `.NAME.old-*` name. docs/RELIABILITY.md has the details.

use std::fs::{self, File};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Makes `target` (resolved by [`resolve`]) hold exactly `files` (name,
/// text) plus the files named in `keep` that it held before.
pub fn replace_dir(target: &Path, files: &[(String, String)], keep: &[std::ffi::OsString]) -> io::Result<()> {
    let dir = target;
    let target = target.to_path_buf();
    let parent = target
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/"));
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| {
            invalid(format!(
                "'{}' is not a directory name rolegraph can save to",
                dir.display()
            ))
        })?
        .to_string();
    let exists = target.exists();
    remove_stale(&parent, &name);

    let tag = format!("{}-{}", std::process::id(), nanos());
    let fresh = parent.join(format!(".{name}.save-{tag}"));
    fs::create_dir(&fresh)?;
    let written = fill(&fresh, files, &target, keep);
    if let Err(e) = written {
        let _ = fs::remove_dir_all(&fresh);
        return Err(e);
    }
    if !exists {
        fs::rename(&fresh, &target)?;
        sync_dir(&parent)?;
        return Ok(());
    }
    match exchange(&fresh, &target) {
        Ok(()) => {
            sync_dir(&parent)?;
            // `fresh` now holds the old files.
            let _ = fs::remove_dir_all(&fresh);
        }
        Err(e) if exchange_unsupported(&e) => {
            let old = parent.join(format!(".{name}.old-{tag}"));
            fs::rename(&target, &old)?;
            if let Err(e) = fs::rename(&fresh, &target) {
                // Put the old files back rather than leave nothing.
                let _ = fs::rename(&old, &target);
                return Err(e);
            }
            sync_dir(&parent)?;
            let _ = fs::remove_dir_all(&old);
        }
        Err(e) => {
            let _ = fs::remove_dir_all(&fresh);
            return Err(e);
        }
    }
    Ok(())
}

/// The absolute target path, symlinks resolved, its parent created.
pub fn resolve(dir: &Path) -> io::Result<PathBuf> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(invalid(format!("'{}' exists and is not a directory", dir.display())));
        }
        return dir.canonicalize();
    }
    let name = dir
        .file_name()
        .ok_or_else(|| invalid(format!("'{}' is not a directory name", dir.display())))?;
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)?;
    Ok(parent.canonicalize()?.join(name))
}

/// Writes and fsyncs every file, links the kept ones, fsyncs the directory.
fn fill(fresh: &Path, files: &[(String, String)], target: &Path, keep: &[std::ffi::OsString]) -> io::Result<()> {
    for (name, text) in files {
        let mut f = File::create(fresh.join(name))?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
    }
    for name in keep {
        let (from, to) = (target.join(name), fresh.join(name));
        if fs::hard_link(&from, &to).is_err() {
            fs::copy(&from, &to)?;
            File::open(&to)?.sync_all()?;
        }
    }
    sync_dir(fresh)
}

/// Deletes what earlier saves into `name` left behind when they were killed
/// (only theirs: the process that made it must be gone).
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(s) = file_name.to_str() else { continue };
        let Some(rest) = s
            .strip_prefix(&format!(".{name}.save-"))
            .or_else(|| s.strip_prefix(&format!(".{name}.old-")))
        else {
            continue;
        };
        let pid = rest.split('-').next().unwrap_or("");
        if !pid.is_empty() && !process_alive(pid) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

fn process_alive(pid: &str) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid).exists()
    } else {
        true // cannot tell: leave it
    }
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    // Directories can be opened and fsynced on Unix; elsewhere this is a no-op.
    match File::open(dir) {
        Ok(f) => f.sync_all().or_else(|e| if cfg!(unix) { Err(e) } else { Ok(()) }),
        Err(e) if cfg!(unix) => Err(e),
        Err(_) => Ok(()),
    }
}

fn nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;

    let a = CString::new(a.as_os_str().as_bytes()).map_err(|e| invalid(e.to_string()))?;
    let b = CString::new(b.as_os_str().as_bytes()).map_err(|e| invalid(e.to_string()))?;
    #[allow(unsafe_code)]
    // SAFETY: both pointers are NUL-terminated strings that outlive the call;
    // renameat2 only reads them.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// The kernel or the file system cannot exchange: EINVAL, ENOSYS, EOPNOTSUPP.
fn exchange_unsupported(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::Unsupported
        || matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn replaces_data_keeps_the_named_files_and_leaves_no_temporaries() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = resolve(&tmp.path().join("g")).unwrap();
        replace_dir(&dir, &files(&[("a.toml", "1"), ("b.toml", "2")]), &[]).unwrap();
        fs::write(dir.join("README.md"), "notes").unwrap();
        replace_dir(&dir, &files(&[("a.toml", "3")]), &["README.md".into()]).unwrap();
        let mut names: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["README.md", "a.toml"]);
        assert_eq!(fs::read_to_string(dir.join("a.toml")).unwrap(), "3");
        assert_eq!(fs::read_to_string(dir.join("README.md")).unwrap(), "notes");
        let siblings = fs::read_dir(tmp.path()).unwrap().count();
        assert_eq!(siblings, 1, "only the target is left");
    }

    #[test]
    fn refuses_a_file() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("f");
        fs::write(&file, "x").unwrap();
        assert!(resolve(&file).is_err());
    }
}
