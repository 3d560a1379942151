//! The task API a server speaks, remembered between processes beside the OAuth token cache, so
//! that a command started shortly after another one asks the server nothing about it.
//!
//! - One small JSON file per server and credentials in the token cache directory, named
//!   `tasklist-api-<hash>.json` by a hash of the base URL and the identity the token cache
//!   uses (token URL, client id, audience, scope; never the secret, which does not change what
//!   the server speaks).
//! - An entry is trusted for [`API_CACHE_LIFETIME`] after the server was asked; an older one,
//!   one from the future (the clock went back), or a file that is corrupt, foreign, larger than
//!   an entry can be (it is not read past 4 KiB) or for another base URL is ignored and
//!   replaced by the next detection, never an error.
//! - The file is created `0600` from its first byte in a directory created `0700` (on Unix;
//!   elsewhere the directory gets the platform's default permissions), written to a temporary
//!   file and renamed into place, so no reader ever sees half a file.

use std::fs;
use std::io::{Read as _, Write as _};
#[cfg(unix)]
use std::os::unix::fs::DirBuilderExt as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use tasklist_api::{ApiVersion, DetectedApi};

/// How long a detected API is trusted without asking the server again: ten minutes, short
/// enough that an upgraded server (8.7 to 8.8, say) is noticed soon, long enough that a script
/// of many commands asks once.
pub(crate) const API_CACHE_LIFETIME: Duration = Duration::from_secs(10 * 60);

/// Format marker, so that a foreign JSON file is not mistaken for an entry.
const FORMAT: &str = "tasklist-cli/api/v1";

/// The longest gateway version kept; a longer one is not a version.
const MAX_VERSION_LEN: usize = 64;

/// The largest file read as an entry: an entry is a few hundred bytes, so anything bigger is
/// not one and is not read into memory.
const MAX_FILE_LEN: u64 = 4096;

/// What the file holds.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    format: String,
    base_url: String,
    api: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gateway_version: Option<String>,
    /// When the server was asked, seconds since the Unix epoch.
    detected_at: u64,
}

/// The cache entry of one server and set of credentials.
#[derive(Clone, Debug)]
pub(crate) struct ApiCache {
    path: PathBuf,
    base_url: String,
}

impl ApiCache {
    /// The entry for `base_url` reached with the credentials `identity` names, in `dir`.
    pub(crate) fn new(dir: &Path, base_url: &str, identity: &[&str]) -> ApiCache {
        let base_url = base_url.trim().trim_end_matches('/').to_owned();
        let mut hash = Sha256::new();
        for part in std::iter::once(base_url.as_str()).chain(identity.iter().copied()) {
            hash.update(part.as_bytes());
            hash.update([0u8]);
        }
        let digest = hex::encode(hash.finalize());
        ApiCache {
            path: dir.join(format!("tasklist-api-{}.json", &digest[..32])),
            base_url,
        }
    }

    /// The file.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The API remembered for this server, if the entry is there and fresh.
    pub(crate) fn read(&self) -> Option<DetectedApi> {
        self.read_at(SystemTime::now())
    }

    fn read_at(&self, now: SystemTime) -> Option<DetectedApi> {
        let bytes = read_bounded(&self.path)?;
        let entry: Entry = serde_json::from_slice(&bytes).ok()?;
        if entry.format != FORMAT || entry.base_url != self.base_url {
            return None;
        }
        let detected_at = UNIX_EPOCH.checked_add(Duration::from_secs(entry.detected_at))?;
        let age = now.duration_since(detected_at).ok()?;
        if age >= API_CACHE_LIFETIME {
            return None;
        }
        let api = entry.api.parse::<ApiVersion>().ok()?.pinned()?;
        let mut detected = DetectedApi::pinned(api);
        detected.gateway_version = entry
            .gateway_version
            .filter(|v| v.len() <= MAX_VERSION_LEN && !v.chars().any(char::is_control));
        Some(detected)
    }

    /// Remembers `detected`, atomically, in a private file.
    pub(crate) fn write(&self, detected: &DetectedApi) -> std::io::Result<()> {
        self.write_at(detected, SystemTime::now())
    }

    fn write_at(&self, detected: &DetectedApi, now: SystemTime) -> std::io::Result<()> {
        let entry = Entry {
            format: FORMAT.to_owned(),
            base_url: self.base_url.clone(),
            api: detected.api.to_string(),
            gateway_version: detected.gateway_version.clone(),
            detected_at: now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()),
        };
        let json = serde_json::to_vec(&entry).map_err(std::io::Error::other)?;
        let dir = self
            .path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if !dir.exists() {
            let mut builder = fs::DirBuilder::new();
            builder.recursive(true);
            // Private to the user on Unix. Other platforms have no such mode: the directory
            // gets their default permissions (on Windows, those of the user's profile it is
            // usually in), as with a plain `create_dir_all`.
            #[cfg(unix)]
            builder.mode(0o700);
            builder.create(dir)?;
        }
        // `tempfile` creates the file 0600 and removes it if the rename does not happen.
        let mut file = tempfile::Builder::new()
            .prefix(".tasklist-api-")
            .suffix(".tmp")
            .tempfile_in(dir)?;
        file.write_all(&json)?;
        file.as_file().sync_all()?;
        file.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// The bytes of the regular file at `path`, if it holds at most [`MAX_FILE_LEN`] of them.
/// Anything else (a directory, a FIFO that would block the read, a huge file) is no entry.
fn read_bounded(path: &Path) -> Option<Vec<u8>> {
    if !fs::metadata(path).ok()?.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    fs::File::open(path)
        .ok()?
        .take(MAX_FILE_LEN + 1)
        .read_to_end(&mut bytes)
        .ok()?;
    (bytes.len() as u64 <= MAX_FILE_LEN).then_some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tasklist_api::Api;

    fn v2(version: &str) -> DetectedApi {
        let mut detected = DetectedApi::pinned(Api::V2);
        detected.gateway_version = Some(version.to_owned());
        detected
    }

    #[test]
    fn an_entry_round_trips_privately_until_it_expires() {
        let dir = tempfile::tempdir().unwrap();
        let tokens = dir.path().join("tokens");
        let cache = ApiCache::new(&tokens, "http://h:8080/", &["oauth", "id"]);
        assert!(cache.read().is_none(), "nothing yet");
        let now = SystemTime::now();
        cache.write_at(&v2("8.9.0"), now).unwrap();
        assert_eq!(cache.read_at(now), Some(v2("8.9.0")));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(cache.path()), 0o600);
            assert_eq!(mode(&tokens), 0o700);
        }
        // The same server without the trailing slash is the same entry.
        let same = ApiCache::new(&tokens, "http://h:8080", &["oauth", "id"]);
        assert_eq!(same.path(), cache.path());

        let almost = now + API_CACHE_LIFETIME - Duration::from_secs(1);
        assert!(cache.read_at(almost).is_some());
        assert!(cache.read_at(now + API_CACHE_LIFETIME).is_none(), "expired");
        assert!(
            cache.read_at(now - Duration::from_secs(5)).is_none(),
            "from the future"
        );
        // Only the entry is left: no temporary file.
        let names: Vec<_> = fs::read_dir(&tokens).unwrap().flatten().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn other_servers_and_credentials_have_other_entries() {
        let dir = tempfile::tempdir().unwrap();
        let a = ApiCache::new(dir.path(), "http://a", &["oauth", "id"]);
        for other in [
            ApiCache::new(dir.path(), "http://b", &["oauth", "id"]),
            ApiCache::new(dir.path(), "http://a", &["oauth", "id2"]),
            ApiCache::new(dir.path(), "http://a", &["oauth", "i", "d"]),
        ] {
            assert_ne!(a.path(), other.path());
        }
    }

    #[test]
    fn corrupt_foreign_or_misplaced_files_read_as_missing_and_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ApiCache::new(dir.path(), "http://a", &[]);
        let now = SystemTime::now();
        let secs = now.duration_since(UNIX_EPOCH).unwrap().as_secs();
        for text in [
            "{not json".to_owned(),
            String::new(),
            r#"{"format":"other","baseUrl":"http://a","api":"v2","detectedAt":1}"#.to_owned(),
            format!(
                r#"{{"format":"{FORMAT}","baseUrl":"http://b","api":"v2","detectedAt":{secs}}}"#
            ),
            format!(
                r#"{{"format":"{FORMAT}","baseUrl":"http://a","api":"auto","detectedAt":{secs}}}"#
            ),
            format!(
                r#"{{"format":"{FORMAT}","baseUrl":"http://a","api":"v2","detectedAt":{}}}"#,
                u64::MAX
            ),
        ] {
            fs::write(cache.path(), &text).unwrap();
            assert!(cache.read_at(now).is_none(), "{text}");
            cache.write_at(&v2("8.8.0"), now).unwrap();
            assert_eq!(cache.read_at(now), Some(v2("8.8.0")), "replaced: {text}");
        }
        // A version that is no version is dropped, the API kept.
        fs::write(
            cache.path(),
            format!(
                r#"{{"format":"{FORMAT}","baseUrl":"http://a","api":"v1","gatewayVersion":"8.7\u001b[2J","detectedAt":{secs}}}"#
            ),
        )
        .unwrap();
        assert_eq!(cache.read_at(now), Some(DetectedApi::pinned(Api::V1)));
    }

    #[test]
    fn an_oversized_file_or_a_directory_reads_as_missing_and_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ApiCache::new(dir.path(), "http://a", &[]);
        let now = SystemTime::now();
        let secs = now.duration_since(UNIX_EPOCH).unwrap().as_secs();
        let entry = |padding: usize| {
            format!(
                r#"{{"format":"{FORMAT}","baseUrl":"http://a","api":"v2","detectedAt":{secs}}}{}"#,
                " ".repeat(padding)
            )
        };
        // Valid JSON up to the limit is an entry; one byte more is not read.
        let fits = MAX_FILE_LEN as usize - entry(0).len();
        fs::write(cache.path(), entry(fits)).unwrap();
        assert_eq!(cache.read_at(now), Some(DetectedApi::pinned(Api::V2)));
        fs::write(cache.path(), entry(fits + 1)).unwrap();
        assert!(cache.read_at(now).is_none(), "one byte too many");
        cache.write_at(&v2("8.8.0"), now).unwrap();
        assert_eq!(cache.read_at(now), Some(v2("8.8.0")), "replaced");

        fs::remove_file(cache.path()).unwrap();
        fs::create_dir(cache.path()).unwrap();
        assert!(cache.read_at(now).is_none(), "a directory");
    }
}
