//! The auth crate is not tied to Tasklist: this searches Operate's process definitions with
//! the same providers, configured from the same environment variables.
//!
//! ```text
//! export CAMUNDA_OPERATE_BASE_URL=https://bru-2.operate.camunda.io/<cluster-id>
//! export CAMUNDA_OAUTH_URL=https://login.cloud.camunda.io/oauth/token
//! export CAMUNDA_CLIENT_ID=...  CAMUNDA_CLIENT_SECRET=...
//! cargo run -p tasklist-auth --example operate
//! ```
//!
//! With no OAuth variables it uses whatever `CAMUNDA_AUTH_STRATEGY` says (cookie, Basic,
//! bearer or none), exactly as for Tasklist; the audience defaults to Operate's
//! (`operate.camunda.io` on SaaS, `operate-api` self-managed).
//!
//! The workspace's test server serves Operate's search too (8.7 to 8.9), so the example runs
//! against it (the test `tests/operate_example.rs` does the same in-process):
//!
//! ```text
//! cargo run -p tasklist-testkit -- --port 8081 --tasks 20 --audience operate-api &
//! export CAMUNDA_OPERATE_BASE_URL=http://127.0.0.1:8081
//! export CAMUNDA_OAUTH_URL=http://127.0.0.1:8081/oauth/token
//! export CAMUNDA_CLIENT_ID=tasklist CAMUNDA_CLIENT_SECRET=tasklist-secret
//! cargo run -p tasklist-auth --example operate
//! ```

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use tasklist_auth::{
    AuthConfig, Bytes, Component, HttpTransport, Idempotency, Transport, env, http,
};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            let mut source = error.source();
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let base =
        std::env::var(env::OPERATE_BASE_URL).unwrap_or_else(|_| "http://localhost:8081".to_owned());
    let config = AuthConfig::from_env(Component::Operate)?;
    // HTTP (with the TLS settings) → tracing → authentication → retries.
    let operate = config.transport(HttpTransport::builder())?;

    let mut search = http::Request::post(format!(
        "{}/v1/process-definitions/search",
        base.trim_end_matches('/')
    ))
    .header("content-type", "application/json")
    .body(Bytes::from_static(br#"{"size":20}"#))?;
    Idempotency::Idempotent.mark(&mut search);

    let response = operate.send(search).await?;
    println!(
        "{} ({} strategy)",
        response.status(),
        config.strategy().name()
    );
    println!("{}", String::from_utf8_lossy(response.body()));
    Ok(())
}
