//! The token cache with its disk cache over real HTTP on loopback: tokens shared between
//! instances (as between processes), private file modes, corrupt and unusable caches, the
//! file lock between caches that start at once, and rejected tokens never read back.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::HashSet;
use std::fs;
use std::future::IntoFuture;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, SystemTime};

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response as AxumResponse};
use axum::routing::{get, post};
use bytes::Bytes;
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use tasklist_auth::{ClientCredentials, ManualClock, TokenCache, TokenSource};
use tasklist_transport::{HttpTransport, Transport, TransportExt};
use tokio::net::TcpListener;

const CLIENT_ID: &str = "disk-client";
const SECRET: &str = "disk-client-s3cret";

// ---------------------------------------------------------------------------------------------
// A token endpoint and an API

struct Server {
    base: String,
    delay: Duration,
    token_requests: AtomicUsize,
    /// The last token issued: the only one the API accepts, unless revoked.
    current: Mutex<Option<String>>,
    revoked: Mutex<HashSet<String>>,
}

impl Server {
    async fn start(delay: Duration) -> Arc<Server> {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = Arc::new(Server {
            base: format!("http://{}", listener.local_addr().unwrap()),
            delay,
            token_requests: AtomicUsize::new(0),
            current: Mutex::new(None),
            revoked: Mutex::new(HashSet::new()),
        });
        let app = Router::new()
            .route("/oauth/token", post(token_endpoint))
            .route("/v1/tasks/1", get(api_endpoint))
            .with_state(server.clone());
        tokio::spawn(axum::serve(listener, app).into_future());
        server
    }

    fn token_url(&self) -> String {
        format!("{}/oauth/token", self.base)
    }

    fn token_requests(&self) -> usize {
        self.token_requests.load(Ordering::SeqCst)
    }

    fn revoke_current(&self) {
        let current = self.current.lock().unwrap().clone().unwrap();
        self.revoked.lock().unwrap().insert(current);
    }

    fn request(&self) -> http::Request<Bytes> {
        http::Request::get(format!("{}/v1/tasks/1", self.base))
            .body(Bytes::new())
            .unwrap()
    }
}

async fn token_endpoint(State(server): State<Arc<Server>>) -> AxumResponse {
    let n = server.token_requests.fetch_add(1, Ordering::SeqCst) + 1;
    tokio::time::sleep(server.delay).await;
    let token = format!("disk-token-{n}");
    *server.current.lock().unwrap() = Some(token.clone());
    Json(json!({"access_token": token, "token_type": "Bearer", "expires_in": 300})).into_response()
}

async fn api_endpoint(State(server): State<Arc<Server>>, headers: HeaderMap) -> AxumResponse {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    let accepted = presented.is_some()
        && presented == *server.current.lock().unwrap()
        && !server
            .revoked
            .lock()
            .unwrap()
            .contains(presented.as_deref().unwrap_or_default());
    if accepted {
        Json(json!({"id": "1"})).into_response()
    } else {
        (
            StatusCode::UNAUTHORIZED,
            Json(json!({"status": 401, "message": "Unauthorized", "instance": "urn:r"})),
        )
            .into_response()
    }
}

// ---------------------------------------------------------------------------------------------
// Clients

fn transport() -> HttpTransport {
    HttpTransport::builder().no_proxy().build().unwrap()
}

fn credentials(server: &Server, secret: &str) -> ClientCredentials {
    ClientCredentials::builder(server.token_url(), CLIENT_ID, secret.into())
        .audience("tasklist-api")
        .build(transport().into_shared())
        .unwrap()
}

/// A new cache instance, as a new process would build it.
fn cache(server: &Server, secret: &str, dir: &Path) -> TokenCache {
    TokenCache::builder(Arc::new(credentials(server, secret)))
        .disk_cache_dir(dir)
        .build()
}

async fn token(cache: &TokenCache) -> String {
    cache
        .token()
        .await
        .unwrap()
        .secret()
        .expose_secret()
        .to_owned()
}

fn entry_path(server: &Server, dir: &Path) -> std::path::PathBuf {
    let key = credentials(server, SECRET).cache_key();
    dir.join(format!("oauth-token-{key}.json"))
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

// ---------------------------------------------------------------------------------------------
// Sharing tokens

#[tokio::test]
async fn a_second_cache_over_the_same_dir_reads_the_token_without_a_request() {
    let server = Server::start(Duration::ZERO).await;
    let dir = tempfile::tempdir().unwrap();

    let first = cache(&server, SECRET, dir.path()).token().await.unwrap();
    assert_eq!(server.token_requests(), 1);

    let second = cache(&server, SECRET, dir.path()).token().await.unwrap();
    assert_eq!(
        server.token_requests(),
        1,
        "the second instance asked for a token"
    );
    assert_eq!(
        second.secret().expose_secret(),
        first.secret().expose_secret()
    );
    // The disk keeps whole seconds; the expiry is the same to within one.
    let gap = first
        .expires_at()
        .duration_since(second.expires_at())
        .unwrap_or_else(|e| e.duration());
    assert!(gap <= Duration::from_secs(1), "{gap:?}");
}

#[tokio::test]
async fn a_changed_secret_or_audience_never_reuses_the_token() {
    let server = Server::start(Duration::ZERO).await;
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        token(&cache(&server, SECRET, dir.path())).await,
        "disk-token-1"
    );

    assert_eq!(
        token(&cache(&server, "a-rotated-secret", dir.path())).await,
        "disk-token-2"
    );
    assert_eq!(server.token_requests(), 2);

    let other_audience = TokenCache::builder(Arc::new(
        ClientCredentials::builder(server.token_url(), CLIENT_ID, SECRET.into())
            .audience("operate-api")
            .build(transport().into_shared())
            .unwrap(),
    ))
    .disk_cache_dir(dir.path())
    .build();
    assert_eq!(token(&other_audience).await, "disk-token-3");

    // Each entry is kept apart: the original credentials still find theirs.
    assert_eq!(
        token(&cache(&server, SECRET, dir.path())).await,
        "disk-token-1"
    );
    assert_eq!(server.token_requests(), 3);
}

#[tokio::test]
async fn the_directory_is_created_0700_and_its_files_0600() {
    let server = Server::start(Duration::ZERO).await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("home").join(".camunda");
    let cache = cache(&server, SECRET, &dir);
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&root.path().join("home")), 0o700);
    token(&cache).await;

    let mut names = Vec::new();
    for entry in fs::read_dir(&dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        assert_eq!(mode(&entry.path()), 0o600, "{name}");
        assert!(
            !name.contains(SECRET) && !name.contains(CLIENT_ID),
            "{name}"
        );
        names.push(name);
    }
    names.sort();
    let key = credentials(&server, SECRET).cache_key();
    assert_eq!(
        names,
        [
            format!("oauth-token-{key}.json"),
            format!("oauth-token-{key}.lock")
        ]
    );
    let content = fs::read_to_string(entry_path(&server, &dir)).unwrap();
    assert!(content.contains("disk-token-1"), "{content}");
    assert!(
        !content.contains(SECRET),
        "the client secret is on disk: {content}"
    );
}

#[tokio::test]
async fn corrupt_foreign_or_expired_files_are_replaced() {
    let server = Server::start(Duration::ZERO).await;
    let dir = tempfile::tempdir().unwrap();
    let path = entry_path(&server, dir.path());
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let bad = [
        b"{not json at all".to_vec(),
        vec![0xff, 0xfe, 0x00, 0x01],
        br#"{"access_token":"foreign","expires_at":4000000000}"#.to_vec(),
        json!({"format": "tasklist-rs/token/v1", "access_token": "stale", "expires_at": now - 10})
            .to_string()
            .into_bytes(),
        json!({"format": "tasklist-rs/token/v1", "access_token": "nearly", "expires_at": now + 3})
            .to_string()
            .into_bytes(),
    ];
    for (i, content) in bad.into_iter().enumerate() {
        let cache = cache(&server, SECRET, dir.path());
        fs::write(&path, &content).unwrap();
        let got = token(&cache).await;
        assert_eq!(got, format!("disk-token-{}", i + 1), "case {i}");
        assert_eq!(server.token_requests(), i + 1, "case {i}: one request");
        let entry: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
        assert_eq!(
            entry["access_token"], got,
            "case {i}: the file was replaced"
        );
        assert_eq!(entry["format"], "tasklist-rs/token/v1");
        assert_eq!(mode(&path), 0o600);
    }
    // The replacement is read by the next instance.
    assert_eq!(
        token(&cache(&server, SECRET, dir.path())).await,
        "disk-token-5"
    );
    assert_eq!(server.token_requests(), 5);
}

/// Collects what a `tracing` subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn an_unusable_dir_warns_and_the_cache_works_in_memory() {
    let server = Server::start(Duration::ZERO).await;
    let root = tempfile::tempdir().unwrap();
    // Tests run as root, which chmod cannot stop; a regular file in the path stops anyone.
    let file = root.path().join("a-file");
    fs::write(&file, b"not a directory").unwrap();
    let dir = file.join("cache");

    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let cache = tracing::subscriber::with_default(subscriber, || {
        TokenCache::builder(Arc::new(credentials(&server, SECRET)))
            .disk_cache_dir(&dir)
            .build()
    });
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("WARN"), "{logs}");
    assert!(logs.contains("in memory only"), "{logs}");
    assert!(logs.contains(&dir.display().to_string()), "{logs}");
    assert!(format!("{cache:?}").contains("disk: None"), "{cache:?}");

    assert_eq!(token(&cache).await, "disk-token-1");
    assert_eq!(token(&cache).await, "disk-token-1");
    assert_eq!(server.token_requests(), 1);
    assert_eq!(fs::read(&file).unwrap(), b"not a directory");
    // Nothing is shared: another instance asks again.
    let other = TokenCache::builder(Arc::new(credentials(&server, SECRET)))
        .disk_cache_dir(&dir)
        .build();
    assert_eq!(token(&other).await, "disk-token-2");
}

// ---------------------------------------------------------------------------------------------
// Caches starting at once

#[test]
fn eight_caches_starting_at_once_make_one_request() {
    const CACHES: usize = 8;
    let server_runtime = tokio::runtime::Runtime::new().unwrap();
    // Slow enough that all eight are waiting while the first fetches.
    let server = server_runtime.block_on(Server::start(Duration::from_millis(200)));
    let dir = tempfile::tempdir().unwrap();
    let barrier = Arc::new(Barrier::new(CACHES));

    let threads: Vec<_> = (0..CACHES)
        .map(|_| {
            let server = server.clone();
            let dir = dir.path().to_path_buf();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                let cache = cache(&server, SECRET, &dir);
                barrier.wait();
                runtime.block_on(token(&cache))
            })
        })
        .collect();
    let tokens: HashSet<String> = threads.into_iter().map(|t| t.join().unwrap()).collect();

    assert_eq!(
        server.token_requests(),
        1,
        "the file lock makes the others read"
    );
    assert_eq!(tokens, HashSet::from(["disk-token-1".to_owned()]));
}

// ---------------------------------------------------------------------------------------------
// Rejection

#[tokio::test]
async fn a_token_the_api_rejected_is_not_read_back_from_disk() {
    let server = Server::start(Duration::ZERO).await;
    let dir = tempfile::tempdir().unwrap();
    let first = cache(&server, SECRET, dir.path());
    let api = transport().with_authenticator(Arc::new(first.clone()));
    // Another instance that got the same token from disk.
    let second = cache(&server, SECRET, dir.path());

    assert_eq!(api.send(server.request()).await.unwrap().status(), 200);
    assert_eq!(token(&second).await, "disk-token-1");
    assert_eq!(server.token_requests(), 1);

    // The token on disk is rejected: the renewal must not read it back.
    server.revoke_current();
    assert_eq!(api.send(server.request()).await.unwrap().status(), 200);
    assert_eq!(server.token_requests(), 2, "a new token was requested");
    assert_eq!(token(&first).await, "disk-token-2");
    let entry: Value =
        serde_json::from_slice(&fs::read(entry_path(&server, dir.path())).unwrap()).unwrap();
    assert_eq!(entry["access_token"], "disk-token-2");

    // The other instance's token is rejected too; it picks up the newer one from disk.
    let api2 = transport().with_authenticator(Arc::new(second.clone()));
    assert_eq!(api2.send(server.request()).await.unwrap().status(), 200);
    assert_eq!(token(&second).await, "disk-token-2");
    assert_eq!(server.token_requests(), 2);

    // A new instance reads the renewed token.
    assert_eq!(
        token(&cache(&server, SECRET, dir.path())).await,
        "disk-token-2"
    );
    assert_eq!(server.token_requests(), 2);
}

// ---------------------------------------------------------------------------------------------
// Renewal ahead of expiry

/// Waits (really) until `cache` serves `expected`, failing after 3 s.
async fn until_served(cache: &TokenCache, expected: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(3);
    while token(cache).await != expected {
        assert!(
            std::time::Instant::now() < deadline,
            "{expected} is never served"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renewal_asks_for_a_new_token_instead_of_reading_back_the_one_it_renews() {
    let server = Server::start(Duration::ZERO).await;
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new());
    let build = || {
        TokenCache::builder(Arc::new(credentials(&server, SECRET)))
            .clock(clock.clone())
            .disk_cache_dir(dir.path())
            .build()
    };
    let first = build();
    let second = build();
    assert_eq!(token(&first).await, "disk-token-1");
    assert_eq!(token(&second).await, "disk-token-1");
    assert_eq!(server.token_requests(), 1);

    // 277 s into the 300 s token: past the latest renewal point (300 s - 30 s less 20 %).
    clock.advance(Duration::from_secs(277));
    assert_eq!(token(&first).await, "disk-token-1", "served while renewing");
    until_served(&first, "disk-token-2").await;
    assert_eq!(
        server.token_requests(),
        2,
        "the renewal asked the token endpoint"
    );

    // The other instance renews too, and finds the newer token on disk: no request.
    assert_eq!(token(&second).await, "disk-token-1");
    until_served(&second, "disk-token-2").await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.token_requests(), 2);
}

#[tokio::test]
async fn a_token_read_back_late_is_judged_by_its_whole_lifetime() {
    let server = Server::start(Duration::ZERO).await;
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        token(&cache(&server, SECRET, dir.path())).await,
        "disk-token-1"
    );

    // A process starting 255 s into the 300 s token: 45 s are left, more than the last 30 s
    // in which a 300 s token is renewed, so it is used as it is.
    let clock = Arc::new(ManualClock::new());
    clock.advance(Duration::from_secs(255));
    let late = TokenCache::builder(Arc::new(credentials(&server, SECRET)))
        .clock(clock.clone())
        .disk_cache_dir(dir.path())
        .build();
    assert_eq!(token(&late).await, "disk-token-1");
    assert_eq!(server.token_requests(), 1);

    // 22 s later 23 s are left: inside the 300 s token's renewal window, which starts 24 to
    // 30 s before expiry (jitter). Judged by the 45 s left at reading alone, the window would
    // start 18 to 22.5 s before expiry and the token would be served on without renewal. The
    // next caller starts a renewal in the background.
    clock.advance(Duration::from_secs(22));
    let served = token(&late).await;
    assert_eq!(served, "disk-token-1", "a valid token is still served");
    for _ in 0..200 {
        if server.token_requests() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(server.token_requests(), 2, "no renewal was started");

    // A third process starting now finds the renewed token on disk.
    let third = TokenCache::builder(Arc::new(credentials(&server, SECRET)))
        .clock(clock)
        .disk_cache_dir(dir.path())
        .build();
    until_served(&third, "disk-token-2").await;
    assert_eq!(server.token_requests(), 2);
}
