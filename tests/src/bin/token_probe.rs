//! A process that gets one token through a disk-cached [`TokenCache`] and exits, for the test
//! of processes starting at once.
//!
//! ```text
//! token-probe TOKEN_URL CACHE_DIR
//! ```
//!
//! Prints the token's expiry (seconds since the Unix epoch) on success, never the token.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use tasklist_auth::{ClientCredentials, TokenCache};
use tasklist_transport::{HttpTransport, TransportExt};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [token_url, cache_dir] = args.as_slice() else {
        eprintln!("usage: token-probe TOKEN_URL CACHE_DIR");
        return ExitCode::from(2);
    };
    let http = match HttpTransport::builder().no_proxy().build() {
        Ok(http) => http.into_shared(),
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let credentials =
        match ClientCredentials::builder(token_url.as_str(), "probe", "probe-secret".into())
            .audience("tasklist-api")
            .build(http)
        {
            Ok(credentials) => credentials,
            Err(error) => {
                eprintln!("{error}");
                return ExitCode::FAILURE;
            }
        };
    let cache = TokenCache::builder(Arc::new(credentials))
        .disk_cache_dir(cache_dir)
        .build();
    match cache.token().await {
        Ok(token) => {
            let expiry = token
                .expires_at()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            println!("{expiry}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
