//! An optional on-disk token cache for processes that start often, such as a command-line
//! tool.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// Where tokens are kept between processes.
///
/// - The directory is created `0700` (and tightened to `0700` if it exists and is ours); each
///   token file is created `0600` from its first byte, written to a temporary file and renamed
///   into place, so no reader ever sees half a file.
/// - Files are named by a hash of everything that decides the token (token URL, client id,
///   audience, scope, resource and the secret): a changed secret never reuses an old token,
///   and the name reveals nothing.
/// - While one process fetches a token it holds an exclusive lock on the entry's lock file;
///   processes that start at the same time wait for it and then read its token.
/// - A corrupt or foreign file, or one whose times are out of range, is ignored (and replaced
///   by the next write), never a crash. Temporary files that a killed process left behind are
///   removed by the next write.
///
/// ```
/// use tasklist_auth::DiskCache;
///
/// let dir = std::env::temp_dir().join(format!("tasklist-doc-{}", std::process::id()));
/// let cache = DiskCache::new(&dir).unwrap();
/// assert_eq!(cache.dir(), dir.as_path());
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct DiskCache {
    dir: PathBuf,
}

/// What a cache file holds.
#[derive(Serialize, Deserialize)]
struct Entry {
    /// Format marker, so a foreign JSON file is not mistaken for ours.
    format: String,
    access_token: String,
    /// Wall-clock expiry, seconds since the Unix epoch.
    expires_at: u64,
    /// The token's whole lifetime in seconds, so a process that reads it late still renews
    /// it on the schedule its lifetime calls for.
    #[serde(default)]
    lifetime: Option<u64>,
}

const FORMAT: &str = "tasklist-rs/token/v1";

/// A token read back from disk.
pub(crate) struct DiskToken {
    pub(crate) secret: SecretString,
    pub(crate) expires_at: SystemTime,
    pub(crate) lifetime: Option<Duration>,
}

/// Why a cache file cannot be used.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Unusable {
    /// Not JSON, not our format, or no token.
    Corrupt,
    /// Its expiry is past what the clock can hold.
    OutOfRange,
}

/// The token in the bytes of a cache file.
pub(crate) fn parse_entry(bytes: &[u8]) -> Result<DiskToken, Unusable> {
    match serde_json::from_slice::<Entry>(bytes) {
        Ok(entry) if entry.format == FORMAT && !entry.access_token.is_empty() => UNIX_EPOCH
            .checked_add(Duration::from_secs(entry.expires_at))
            .map(|expires_at| DiskToken {
                secret: SecretString::from(entry.access_token),
                expires_at,
                lifetime: entry.lifetime.map(Duration::from_secs),
            })
            .ok_or(Unusable::OutOfRange),
        _ => Err(Unusable::Corrupt),
    }
}

/// The bytes of a cache file for `token`.
pub(crate) fn entry_bytes(
    token: &str,
    expires_at: SystemTime,
    lifetime: Duration,
) -> serde_json::Result<Vec<u8>> {
    serde_json::to_vec(&Entry {
        format: FORMAT.to_owned(),
        access_token: token.to_owned(),
        expires_at: expires_at
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        lifetime: Some(lifetime.as_secs()),
    })
}

/// Holds the entry's exclusive lock until dropped.
#[derive(Debug)]
pub(crate) struct EntryLock {
    _file: File,
}

impl DiskCache {
    /// Uses `dir`, creating it with mode `0700` if needed.
    ///
    /// # Errors
    ///
    /// The directory cannot be created or is not a directory. (The token cache then warns
    /// and keeps tokens in memory only.)
    pub fn new(dir: impl AsRef<Path>) -> std::io::Result<Self> {
        let dir = dir.as_ref().to_path_buf();
        crate::private_file::create_private_dir(&dir)?;
        let meta = fs::metadata(&dir)?;
        if !meta.is_dir() {
            return Err(std::io::Error::other(format!(
                "{} is not a directory",
                dir.display()
            )));
        }
        // Ours to tighten; if it is not ours, say so and go on.
        crate::private_file::restrict_dir(&dir, &meta);
        Ok(DiskCache { dir })
    }

    /// The directory `CAMUNDA_TOKEN_CACHE_DIR` names, or `~/.camunda` as Camunda's own SDKs
    /// use.
    ///
    /// ```
    /// let dir = tasklist_auth::DiskCache::default_dir();
    /// # let _ = dir;
    /// ```
    pub fn default_dir() -> Option<PathBuf> {
        match std::env::var_os(crate::env::TOKEN_CACHE_DIR) {
            Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
            _ => dirs::home_dir().map(|home| home.join(".camunda")),
        }
    }

    /// The directory in use.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join(format!("tasklist-doc2-{}", std::process::id()));
    /// let cache = tasklist_auth::DiskCache::new(&dir).unwrap();
    /// assert!(cache.dir().is_dir());
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("oauth-token-{key}.json"))
    }

    /// Takes the entry's exclusive lock, waiting for another holder to finish.
    pub(crate) async fn lock(&self, key: &str) -> std::io::Result<EntryLock> {
        let path = self.dir.join(format!("oauth-token-{key}.lock"));
        tokio::task::spawn_blocking(move || {
            let file = crate::private_file::private_options()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)?;
            file.lock()?;
            Ok(EntryLock { _file: file })
        })
        .await
        .map_err(std::io::Error::other)?
    }

    /// Reads the entry for `key`; `None` when missing, corrupt or foreign.
    pub(crate) fn read(&self, key: &str) -> Option<DiskToken> {
        let path = self.path(key);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => {
                tracing::warn!(file = %path.display(), error = %e, "cannot read the token cache file; fetching a new token");
                return None;
            }
        };
        match parse_entry(&bytes) {
            Ok(token) => Some(token),
            Err(Unusable::OutOfRange) => {
                tracing::warn!(file = %path.display(), "ignoring a token cache file whose expiry cannot be a time; it will be replaced");
                None
            }
            Err(Unusable::Corrupt) => {
                tracing::warn!(file = %path.display(), "ignoring a token cache file that is corrupt or not ours; it will be replaced");
                None
            }
        }
    }

    /// Writes the entry for `key` atomically, with mode `0600` from the first byte.
    pub(crate) fn write(
        &self,
        key: &str,
        secret: &SecretString,
        expires_at: SystemTime,
        lifetime: Duration,
    ) -> std::io::Result<()> {
        let json = entry_bytes(secret.expose_secret(), expires_at, lifetime)
            .map_err(std::io::Error::other)?;
        crate::private_file::write(&self.path(key), &json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn round_trip_with_private_modes() {
        let dir = tempfile::tempdir().unwrap();
        let cache_dir = dir.path().join("cache");
        let cache = DiskCache::new(&cache_dir).unwrap();
        assert_eq!(
            fs::metadata(&cache_dir).unwrap().permissions().mode() & 0o777,
            0o700
        );
        let expires = UNIX_EPOCH + Duration::from_secs(2_000_000_000);
        cache
            .write(
                "k",
                &SecretString::from("tok"),
                expires,
                Duration::from_secs(300),
            )
            .unwrap();
        let mode = fs::metadata(cache.path("k")).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let back = cache.read("k").unwrap();
        assert_eq!(back.secret.expose_secret(), "tok");
        assert_eq!(back.expires_at, expires);
        assert_eq!(back.lifetime, Some(Duration::from_secs(300)));
        assert_eq!(back.lifetime, Some(Duration::from_secs(300)));
        // No temporary files are left behind.
        let names: Vec<_> = fs::read_dir(&cache_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn corrupt_and_foreign_files_read_as_missing() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DiskCache::new(dir.path()).unwrap();
        fs::write(cache.path("a"), b"{not json").unwrap();
        assert!(cache.read("a").is_none());
        fs::write(cache.path("b"), br#"{"access_token":"x","expires_at":1}"#).unwrap();
        assert!(cache.read("b").is_none());
        assert!(cache.read("missing").is_none());
        // A write replaces the corrupt file.
        cache
            .write(
                "a",
                &SecretString::from("ok"),
                SystemTime::now(),
                Duration::from_secs(1),
            )
            .unwrap();
        assert_eq!(cache.read("a").unwrap().secret.expose_secret(), "ok");
    }

    #[test]
    fn an_entry_with_times_out_of_range_reads_as_missing_and_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DiskCache::new(dir.path()).unwrap();
        let hostile = format!(
            r#"{{"format":"{FORMAT}","access_token":"t","expires_at":{},"lifetime":{}}}"#,
            u64::MAX,
            u64::MAX
        );
        fs::write(cache.path("k"), hostile).unwrap();
        assert!(cache.read("k").is_none());
        cache
            .write(
                "k",
                &SecretString::from("fresh"),
                SystemTime::now(),
                Duration::from_secs(60),
            )
            .unwrap();
        assert_eq!(cache.read("k").unwrap().secret.expose_secret(), "fresh");
    }

    #[test]
    fn a_world_readable_directory_is_tightened() {
        let dir = tempfile::tempdir().unwrap();
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
        DiskCache::new(dir.path()).unwrap();
        assert_eq!(
            fs::metadata(dir.path()).unwrap().permissions().mode() & 0o777,
            0o700
        );
    }

    #[test]
    fn a_file_in_the_way_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("not-a-dir");
        fs::write(&file, b"x").unwrap();
        assert!(DiskCache::new(&file).is_err());
    }
}
