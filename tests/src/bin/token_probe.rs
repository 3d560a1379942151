//! A process that gets one token through a disk-cached [`TokenCache`], optionally searches
//! Tasklist's tasks with it, and exits, for the test of processes starting at once.
//!
//! ```text
//! token-probe TOKEN_URL CACHE_DIR [TASKLIST_URL]
//! ```
//!
//! Prints the token's expiry (seconds since the Unix epoch) on success, never the token; with
//! `TASKLIST_URL`, also the status of `POST TASKLIST_URL/v1/tasks/search` signed by the same
//! cache (`<expiry> <status>`).

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use tasklist_auth::{ClientCredentials, TokenCache};
use tasklist_transport::TransportExt;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (token_url, cache_dir, tasklist_url) = match args.as_slice() {
        [token_url, cache_dir] => (token_url, cache_dir, None),
        [token_url, cache_dir, tasklist_url] => (token_url, cache_dir, Some(tasklist_url)),
        _ => {
            eprintln!("usage: token-probe TOKEN_URL CACHE_DIR [TASKLIST_URL]");
            return ExitCode::from(2);
        }
    };
    let http = match tasklist_e2e::http_transport() {
        Ok(http) => http,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let credentials =
        match ClientCredentials::builder(token_url.as_str(), "probe", "probe-secret".into())
            .audience("tasklist-api")
            .build(http.clone().into_shared())
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
    let expiry = match cache.token().await {
        Ok(token) => token
            .expires_at()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let Some(tasklist_url) = tasklist_url else {
        println!("{expiry}");
        return ExitCode::SUCCESS;
    };
    let transport = http.with_authenticator(Arc::new(cache));
    let request = match tasklist_e2e::search_request(tasklist_url) {
        Ok(request) => request,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    match tasklist_transport::Transport::send(&transport, request).await {
        Ok(response) => {
            println!("{expiry} {}", response.status().as_u16());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
