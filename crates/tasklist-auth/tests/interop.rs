//! Interoperability with an independent OAuth 2.0 server: `oidc-provider` from npm (pinned in
//! `tests/interop/oidc-provider/package-lock.json`), started from
//! `tests/interop/oidc-provider/server.mjs`.
//!
//! The first run installs it (`npm ci` in that directory, under a lock; see
//! `tests/support/node_tools.rs` at the workspace root). Without Node.js 20+ and npm the tests
//! say so in one line on stderr and pass as skipped, unless `TASKLIST_REQUIRE_NODE_TOOLS=1`
//! (which `cargo xtask test` sets) makes them fail.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use secrecy::ExposeSecret;
use tasklist_auth::{ClientAuthMethod, ClientCredentials, Error, TokenCache, TokenSource};
use tasklist_transport::{HttpTransport, TransportExt};

#[path = "../../../tests/support/node_tools.rs"]
mod node_tools;

const SECRET: &str = "interop-secret";
const WRONG_SECRET: &str = "not-the-interop-secret-4711";

/// The server's install, for the helper that runs `npm ci` on first use.
const SERVER: node_tools::Tool<'static> = node_tools::Tool {
    name: "the interop OAuth server (oidc-provider)",
    dir: "tests/interop/oidc-provider",
};

/// The running provider; dropping it closes its stdin (it exits) and kills it to be sure.
struct Provider {
    child: Child,
    stdin: Option<ChildStdin>,
    base: String,
    /// Keeps the install in place while the server runs (dropped after the process is killed).
    _installed: node_tools::Installed,
}

impl Drop for Provider {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Provider {
    /// Starts the server and waits until it listens. `None` when Node.js is missing (the test
    /// is skipped; the helper has said why).
    fn start() -> Option<Provider> {
        let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
        let installed = node_tools::require(&workspace, &SERVER)?;
        let folder = workspace.join(SERVER.dir);
        assert!(
            folder.join("node_modules/oidc-provider").is_dir(),
            "the interop OAuth server is not installed although its install is up to date: \
             remove tests/interop/oidc-provider/node_modules and run the tests again"
        );
        let mut child = Command::new("node")
            .arg("tests/interop/oidc-provider/server.mjs")
            .current_dir(&workspace)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start `node` (is Node.js installed?): {e}"));
        let stdin = child.stdin.take();

        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err_pipe = child.stderr.take().unwrap();
        let collected = stderr.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = err_pipe.read_to_string(&mut text);
            collected.lock().unwrap().push_str(&text);
        });
        let (lines, received) = mpsc::channel();
        let out_pipe = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out_pipe).lines() {
                let Ok(line) = line else { break };
                if lines.send(line).is_err() {
                    // Nobody listens any more; keep draining so the server never blocks.
                    continue;
                }
            }
        });

        let mut provider = Provider {
            child,
            stdin,
            base: String::new(),
            _installed: installed,
        };
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match received.recv_timeout(left) {
                Ok(line) => {
                    if let Some(base) = line.trim().strip_prefix("listening on ") {
                        provider.base = base.to_owned();
                        return Some(provider);
                    }
                }
                Err(e) => {
                    let status = provider.child.try_wait().ok().flatten();
                    std::thread::sleep(Duration::from_millis(100));
                    panic!(
                        "the interop OAuth server did not start ({e}; exit status {status:?}); \
                         stderr:\n{}",
                        stderr.lock().unwrap()
                    );
                }
            }
        }
    }

    fn token_url(&self) -> String {
        format!("{}/token", self.base)
    }

    fn credentials(
        &self,
        client: &str,
        secret: &str,
        method: ClientAuthMethod,
    ) -> tasklist_auth::ClientCredentialsBuilder {
        ClientCredentials::builder(self.token_url(), client, secret.into()).client_auth(method)
    }
}

fn transport() -> tasklist_transport::SharedTransport {
    HttpTransport::builder()
        .no_proxy()
        .build()
        .unwrap()
        .into_shared()
}

fn lifetime_left(expires_at: SystemTime) -> Duration {
    expires_at.duration_since(SystemTime::now()).unwrap()
}

#[tokio::test]
async fn client_secret_post_gets_an_opaque_token() {
    let Some(provider) = Provider::start() else {
        return;
    };
    let credentials = provider
        .credentials("post-client", SECRET, ClientAuthMethod::RequestBody)
        .build(transport())
        .unwrap();

    let fetched = credentials.fetch().await.unwrap();
    assert_eq!(fetched.expires_in, Some(Duration::from_secs(300)));
    let raw = fetched.secret.expose_secret();
    assert!(!raw.is_empty());
    assert_ne!(
        raw.matches('.').count(),
        2,
        "expected an opaque token, got a JWT"
    );

    let cache = TokenCache::builder(Arc::new(credentials)).build();
    let token = cache.token().await.unwrap();
    assert!(token.audience().is_empty(), "{token:?}");
    let left = lifetime_left(token.expires_at());
    assert!(
        left > Duration::from_secs(290) && left <= Duration::from_secs(300),
        "{left:?}"
    );
    // Cached: the same token again.
    let again = cache.token().await.unwrap();
    assert_eq!(
        again.secret().expose_secret(),
        token.secret().expose_secret()
    );
}

#[tokio::test]
async fn client_secret_basic_with_a_resource_gets_a_jwt_for_the_audience() {
    // oidc-provider refuses a request that carries the secret both in the header and in the
    // body (`invalid_request`), so success here also shows the body holds no secret.
    let Some(provider) = Provider::start() else {
        return;
    };
    let credentials = provider
        .credentials("basic-client", SECRET, ClientAuthMethod::BasicAuth)
        .resource("urn:camunda:tasklist-api")
        .audience("tasklist-api")
        .build(transport())
        .unwrap();
    let cache = TokenCache::builder(Arc::new(credentials)).build();

    let token = cache.token().await.unwrap();
    assert_eq!(
        token.secret().expose_secret().split('.').count(),
        3,
        "a JWT"
    );
    assert_eq!(token.audience(), ["tasklist-api"]);
    let left = lifetime_left(token.expires_at());
    assert!(
        left > Duration::from_secs(290) && left <= Duration::from_secs(300),
        "{left:?}"
    );
}

#[tokio::test]
async fn a_wrong_secret_is_invalid_client_for_either_method() {
    let Some(provider) = Provider::start() else {
        return;
    };
    for (client, method) in [
        ("post-client", ClientAuthMethod::RequestBody),
        ("basic-client", ClientAuthMethod::BasicAuth),
    ] {
        let credentials = provider
            .credentials(client, WRONG_SECRET, method)
            .build(transport())
            .unwrap();
        let cache = TokenCache::builder(Arc::new(credentials)).build();
        let err = cache.token().await.unwrap_err();
        match &err {
            Error::TokenEndpoint { code, status, .. } => {
                assert_eq!(code, "invalid_client", "{method:?}: {err}");
                assert_eq!(*status, 401, "{method:?}: {err}");
            }
            other => panic!("{method:?}: expected TokenEndpoint, got {other:?}"),
        }
        assert!(err.is_bad_credentials(), "{method:?}");
        let text = format!("{err} {err:?}");
        assert!(!text.contains(WRONG_SECRET), "{method:?}: {text}");
        assert!(text.contains("CAMUNDA_CLIENT_SECRET"), "{method:?}: {text}");
        // Refused credentials are not retried at once.
        let again = cache.token().await.unwrap_err();
        assert!(matches!(again, Error::BackingOff { .. }), "{again:?}");
        assert!(again.is_bad_credentials());
        assert!(!format!("{again} {again:?}").contains(WRONG_SECRET));
    }
}
