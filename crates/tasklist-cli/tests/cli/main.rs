//! End-to-end tests of the `tasklist` binary: each test starts a `tasklist-testkit` server on a
//! Tokio runtime it owns, runs the built binary against it with a cleared environment (HOME,
//! XDG directories, token cache and session file in a scratch directory), and checks stdout,
//! the exit code, the server-side effects and that no secret was printed.
//!
//! The modules: `oauth`, `cookie` and `basic` run every command in one authentication mode;
//! `failures` the exit codes and error lines; `settings` `config show`, profiles and
//! precedence; `cache` the token requests of concurrent processes and the one-request start;
//! `sandbox` `--sandbox` and `sandbox serve`; `graphql` the legacy endpoint against the 8.7
//! testkit, a stub and 8.8;
//! `paging` `--all` against stubs whose paging never ends; `escapes` a stub's control
//! characters shown escaped, JSON kept exact; `terminal` tables, colours and progress on a
//! pseudo-terminal; `hostile` the binary against a hostile server (`tasklist_e2e::hostile`);
//! `versions` `--api`, the task API `auth check` detects and caches on 8.7 to 8.10, and
//! `--sandbox-version`; `docs` the command lines and transcripts of the docs, run.
//!
//! Unix only: the tests check the `0600`/`0700` modes of the session, token and API cache
//! files, and drive the binary on a pseudo-terminal with util-linux `script`. They need the
//! `sandbox` feature (`required-features` in Cargo.toml).

#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "tests fail loudly"
)]

mod basic;
mod cache;
mod common;
mod cookie;
mod docs;
mod escapes;
mod failures;
mod graphql;
mod hostile;
mod matrix;
mod oauth;
mod paging;
mod polish;
mod sandbox;
mod settings;
mod terminal;
mod versions;
