//! Support for the workspace's end-to-end tests, which run the client crates against the
//! in-process Tasklist of `tasklist-testkit` over real HTTP on loopback.
//!
//! The tests themselves live in `tests/tests/`; each drives the public API of several crates
//! together. [`hostile`] is a server that cannot be trusted, for the security tests here and in
//! the CLI's. The `token-probe` binary (one process of the multi-process test) uses these
//! functions too.

pub mod hostile;

use tasklist_transport::{Bytes, Error, HttpTransport, Idempotency, Request, http};

/// The real HTTP transport, without proxies: the servers of the tests are on loopback.
///
/// # Errors
///
/// The transport could not be built.
///
/// # Example
///
/// ```
/// let transport = tasklist_e2e::http_transport().unwrap();
/// # let _ = transport;
/// ```
pub fn http_transport() -> Result<HttpTransport, Error> {
    HttpTransport::builder().no_proxy().build()
}

/// A task search with an empty query (`POST {base_url}/v1/tasks/search`, body `{}`), marked
/// idempotent as the API client marks it.
///
/// # Errors
///
/// `base_url` does not make a valid URI.
///
/// # Example
///
/// ```
/// use tasklist_transport::Idempotency;
///
/// let request = tasklist_e2e::search_request("http://127.0.0.1:8080").unwrap();
/// assert_eq!(request.uri(), "http://127.0.0.1:8080/v1/tasks/search");
/// assert_eq!(request.body().as_ref(), b"{}");
/// assert!(Idempotency::of(&request).is_idempotent());
/// ```
pub fn search_request(base_url: &str) -> Result<Request, Error> {
    let mut request = http::Request::post(format!("{base_url}/v1/tasks/search"))
        .header(http::header::CONTENT_TYPE, "application/json")
        .header(http::header::ACCEPT, "application/json")
        .body(Bytes::from_static(b"{}"))
        .map_err(Error::invalid_request)?;
    Idempotency::Idempotent.mark(&mut request);
    Ok(request)
}

// The Rust examples of the root README and of `docs/*.md`, compiled (and run, unless marked
// `no_run`) as doc tests of this crate. It sees the workspace's crates as a user's program
// does, and neither `http` nor `bytes` is among its dependencies: an example must reach them
// through `tasklist_transport` (`tasklist_transport::http`, `Bytes`), as a user who has not
// added them would. The crates' READMEs are doc tests of their own crates (their crate docs);
// `docs/testing.md` is `tasklist-testkit`'s. `tests/tests/doc_snippets.rs` fails for a page
// with Rust in it that no crate includes.

/// The root README.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct Readme;

/// `docs/api.md`.
#[cfg(doctest)]
#[doc = include_str!("../../docs/api.md")]
struct ApiGuide;

/// `docs/auth.md`.
#[cfg(doctest)]
#[doc = include_str!("../../docs/auth.md")]
struct AuthGuide;

/// `docs/transport.md`.
#[cfg(doctest)]
#[doc = include_str!("../../docs/transport.md")]
struct TransportGuide;
