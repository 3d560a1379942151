//! Entry points for the fuzz targets in the repository's `fuzz/` directory (feature
//! `fuzzing`). They run the crate's own code on bytes a server could send and hand back what
//! came of them, for the targets to check. Not a stable API.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use secrecy::ExposeSecret;
use url::Url;

use crate::cache::{TokenCache, Want, judge};
use crate::cookie::CookieJarProbe;
use crate::disk;
use crate::oauth::{FetchedToken, TokenSource, decode_token_answer};

/// What the cache made of a token response that decoded.
#[derive(Debug)]
pub struct Lifetimes {
    /// How long the token is served.
    pub usable_for: Duration,
    /// When its renewal starts.
    pub renew_in: Duration,
    /// Its expiry on the wall clock.
    pub expires_at: SystemTime,
    /// The token's bytes as read back from a disk cache entry written for it.
    pub disk_round_trip: Option<String>,
}

/// A token source that is never asked (the cache is only used to compute lifetimes).
#[derive(Debug)]
struct Never;

#[async_trait::async_trait]
impl TokenSource for Never {
    async fn fetch(&self) -> Result<FetchedToken, crate::Error> {
        Err(crate::Error::NoSession)
    }
    fn cache_key(&self) -> String {
        "fuzz".to_owned()
    }
    fn endpoint(&self) -> String {
        "fuzz".to_owned()
    }
}

/// Decodes `body` as a `200` token response and, when it decodes, runs the cache's lifetime
/// arithmetic and the disk cache's format on the token. `Err` is the message the client would
/// give (which must never quote the body).
///
/// ```
/// let lifetimes = tasklist_auth::fuzzing::token_response(br#"{"access_token":"t","expires_in":60}"#)
///     .unwrap();
/// assert!(lifetimes.usable_for <= std::time::Duration::from_secs(60));
/// ```
pub fn token_response(body: &[u8]) -> Result<Lifetimes, String> {
    let (secret, expires_in) = decode_token_answer(body)?;
    let token = secret.expose_secret().to_owned();
    let cache = TokenCache::builder(Arc::new(Never)).build();
    let now = Instant::now();
    let (usable_until, renew_at, expires_at, lifetime) =
        cache.lifetimes_of(FetchedToken::new(secret, expires_in), now);
    let bytes = disk::entry_bytes(&token, expires_at, lifetime);
    let disk_round_trip = bytes
        .ok()
        .and_then(|bytes| disk::parse_entry(&bytes).ok())
        .map(|back| back.secret.expose_secret().to_owned());
    Ok(Lifetimes {
        usable_for: usable_until.saturating_duration_since(now),
        renew_in: renew_at.saturating_duration_since(now),
        expires_at,
        disk_round_trip,
    })
}

/// What a process makes of a disk cache file it reads with no token of its own.
#[derive(Debug)]
pub struct DiskOutcome {
    /// The token in the file, if the file is usable at all.
    pub token: Option<String>,
    /// When the file's token is served now: what the cache makes of it.
    pub served: Option<Lifetimes>,
}

/// Parses `bytes` as a disk cache file and, when its token would be served now, runs the
/// cache's arithmetic on it as a process that read it would.
///
/// ```
/// let out = tasklist_auth::fuzzing::disk_entry(b"{not json");
/// assert!(out.token.is_none() && out.served.is_none());
/// ```
pub fn disk_entry(bytes: &[u8]) -> DiskOutcome {
    let Ok(found) = disk::parse_entry(bytes) else {
        return DiskOutcome {
            token: None,
            served: None,
        };
    };
    let token = found.secret.expose_secret().to_owned();
    let served = judge(found, SystemTime::now(), Want::Usable).map(|fetched| {
        let cache = TokenCache::builder(Arc::new(Never)).build();
        let now = Instant::now();
        let (usable_until, renew_at, expires_at, _) = cache.lifetimes_of(fetched, now);
        Lifetimes {
            usable_for: usable_until.saturating_duration_since(now),
            renew_in: renew_at.saturating_duration_since(now),
            expires_at,
            disk_round_trip: None,
        }
    });
    DiskOutcome {
        token: Some(token),
        served,
    }
}

/// What a cookie session made of a response.
#[derive(Debug, PartialEq, Eq)]
pub struct CookieOutcome {
    /// The `Cookie` header it would send back to the URL.
    pub cookie_header: Option<Vec<u8>>,
    /// The CSRF token it took.
    pub csrf_token: Option<String>,
    /// The `Cookie` header after the session went through its file format and back.
    pub after_round_trip: Option<Vec<u8>>,
}

/// Feeds `set_cookies` (each a `Set-Cookie` value) and `csrf` (an `X-CSRF-TOKEN` value) of a
/// response from `url` to a cookie session's jar, then saves the session in its file format
/// and restores it. `None` when `url` is not an http(s) URL.
///
/// ```
/// let out = tasklist_auth::fuzzing::cookie_headers(
///     &[b"TASKLIST-SESSION=abc; Path=/".to_vec()],
///     b"tok",
///     "http://localhost:8080/api/login",
/// )
/// .unwrap();
/// assert_eq!(out.cookie_header.as_deref(), Some(&b"TASKLIST-SESSION=abc"[..]));
/// assert_eq!(out.after_round_trip, out.cookie_header);
/// ```
pub fn cookie_headers(set_cookies: &[Vec<u8>], csrf: &[u8], url: &str) -> Option<CookieOutcome> {
    let url = Url::parse(url).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return None;
    }
    let probe = CookieJarProbe::new(&url);
    Some(probe.exchange(set_cookies, csrf, &url))
}
