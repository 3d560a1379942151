//! Files that hold secrets: created `0600` from their first byte, written whole or not at all.

use std::fs::{self, DirBuilder, OpenOptions};
use std::io::{self, Write};
#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::time::Duration;

// File modes are a Unix notion. Elsewhere (Windows) a new file or directory takes the access
// control list of the directory it is made in, and a user's profile directory (where the
// default caches live) is private to that user already; nothing more is done there.

/// Creates `dir` and its missing parents, with mode `0700` on Unix.
pub(crate) fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(0o700);
    builder.create(dir)
}

/// Options that create files with mode `0600` on Unix.
pub(crate) fn private_options() -> OpenOptions {
    #[cfg_attr(not(unix), allow(unused_mut))]
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    options.mode(0o600);
    options
}

/// Restricts `dir` to its owner (`0700`) when others may read it, on Unix; a warning when that
/// fails (it is not ours, say).
pub(crate) fn restrict_dir(dir: &Path, meta: &fs::Metadata) {
    #[cfg(unix)]
    if meta.permissions().mode() & 0o077 != 0
        && let Err(e) = fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
    {
        tracing::warn!(
            dir = %dir.display(),
            error = %e,
            "the directory is readable by others and could not be restricted"
        );
    }
    #[cfg(not(unix))]
    let _ = (dir, meta);
}

/// Writes `contents` to `path` atomically (a temporary file in the same directory, renamed
/// into place), with mode `0600` from the first byte. A missing directory is created `0700`.
pub(crate) fn write(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.exists() {
        create_private_dir(dir)?;
    }
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path has no file name"))?;
    let temp = dir.join(format!(
        ".{}.{}-{:016x}.tmp",
        name.to_string_lossy(),
        std::process::id(),
        fastrand::u64(..)
    ));
    let result = (|| {
        let mut file = private_options().write(true).create_new(true).open(&temp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    remove_stale_temporaries(dir, &name.to_string_lossy());
    result
}

/// How old a temporary file of a live process must be to count as abandoned anyway.
const ABANDONED_AFTER: Duration = Duration::from_secs(10 * 60);

/// Removes the temporary files of `name` that a killed process left in `dir`: those of a
/// process that no longer runs, and any older than ten minutes (a write takes milliseconds).
/// Only files named as [`write`] names them are touched.
fn remove_stale_temporaries(dir: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{name}.");
    let own = std::process::id();
    let can_tell_live = Path::new("/proc/self").exists();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|n| n.strip_suffix(".tmp"))
        else {
            continue;
        };
        let Some(pid) = rest
            .split_once('-')
            .and_then(|(pid, random)| {
                (random.len() == 16 && random.bytes().all(|b| b.is_ascii_hexdigit())).then_some(pid)
            })
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let dead = pid != own && can_tell_live && !Path::new(&format!("/proc/{pid}")).exists();
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|at| at.elapsed().ok())
            .is_some_and(|age| age > ABANDONED_AFTER);
        if dead || old {
            match fs::remove_file(entry.path()) {
                Ok(()) => {
                    tracing::debug!(file = %entry.path().display(), "removed an abandoned temporary file")
                }
                Err(e) => {
                    tracing::debug!(file = %entry.path().display(), error = %e, "cannot remove an abandoned temporary file")
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn writes_whole_private_files_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/secret.json");
        write(&path, b"first").unwrap();
        write(&path, b"second").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let parent = path.parent().unwrap();
        assert_eq!(
            fs::metadata(parent).unwrap().permissions().mode() & 0o777,
            0o700
        );
        assert_eq!(fs::read_dir(parent).unwrap().count(), 1);
    }

    #[test]
    fn temporaries_a_killed_process_left_are_removed_by_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("oauth-token-k.json");
        // A process that is gone (pids above the kernel's maximum never run), one that runs
        // (this one, mid-write), and files that are not ours to touch.
        let gone = dir
            .path()
            .join(".oauth-token-k.json.4194305-00000000deadbeef.tmp");
        let live = dir.path().join(format!(
            ".oauth-token-k.json.{}-0123456789abcdef.tmp",
            std::process::id()
        ));
        let other = dir.path().join(".other.json.4194305-00000000deadbeef.tmp");
        let odd = dir.path().join(".oauth-token-k.json.notapid.tmp");
        for file in [&gone, &live, &other, &odd] {
            fs::write(file, b"{}").unwrap();
        }
        write(&path, b"token").unwrap();
        assert!(!gone.exists(), "the dead process's temporary stays");
        assert!(live.exists(), "a live writer's temporary was removed");
        assert!(
            other.exists() && odd.exists(),
            "a file not ours was removed"
        );
        assert_eq!(fs::read(&path).unwrap(), b"token");
    }
}
