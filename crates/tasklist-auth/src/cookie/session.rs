//! The session a [`CookieAuth`](super::CookieAuth) holds: its cookie jar, its CSRF token, and
//! the file it may be kept in; and what the login and the signing read of responses.

use std::fs;
use std::io;
use std::path::Path;
use std::sync::{Arc, MutexGuard, PoisonError};

use bytes::Bytes;
use cookie_store::CookieStore;
use http::header::SET_COOKIE;
use http::{HeaderValue, Method};
use serde::{Deserialize, Serialize};
use tasklist_transport::redact::register_session_value;
use tasklist_transport::{Confidential, Redirected, Request, Response};
use url::Url;

use super::builder::Endpoint;
use super::{CSRF_HEADER, URL_VAR};
#[cfg(feature = "fuzzing")]
use super::{LoginPath, builder::endpoints};
use crate::error::Error;

/// Version of the session file format.
const FILE_VERSION: u32 = 1;

/// The cookie jar of a session: `reqwest_cookie_store`'s mutex around a
/// [`cookie_store::CookieStore`], so that a `reqwest::Client` built with
/// `cookie_provider(jar)` shares it. Without the `http` feature (no `reqwest` at all), a
/// mutex of the same shape.
#[cfg(feature = "http")]
pub type CookieJar = reqwest_cookie_store::CookieStoreMutex;

/// The cookie jar of a session (see the `http` feature for the shared one).
#[cfg(not(feature = "http"))]
#[derive(Debug, Default)]
pub struct CookieJar(std::sync::Mutex<CookieStore>);

#[cfg(not(feature = "http"))]
impl CookieJar {
    /// Locks the jar.
    pub fn lock(&self) -> std::sync::LockResult<MutexGuard<'_, CookieStore>> {
        self.0.lock()
    }
}

/// The session as saved to disk.
#[derive(Serialize, Deserialize)]
pub(super) struct Saved {
    version: u32,
    cookies: Vec<cookie_store::Cookie<'static>>,
    csrf_token: Option<String>,
    login_url: Option<String>,
}

/// Reads a saved session; a missing file is no session, an unreadable one a warning.
pub(super) fn load(path: &Path) -> Option<Saved> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
        Err(e) => {
            tracing::warn!(
                path = %path.display(),
                error = %e,
                "cannot read the saved cookie session; starting without one"
            );
            return None;
        }
    };
    match serde_json::from_slice::<Saved>(&bytes) {
        Ok(saved) if saved.version == FILE_VERSION => Some(saved),
        Ok(saved) => {
            tracing::warn!(
                path = %path.display(),
                version = saved.version,
                "the saved cookie session has an unknown format version; starting without one"
            );
            None
        }
        Err(e) => {
            tracing::warn!(
                path = %path.display(),
                error = %e,
                "the saved cookie session is not valid; starting without one"
            );
            None
        }
    }
}

/// A `POST` of `body` to `url`, for the `what` (login or logout) request. It carries the
/// password or the session, so it is marked [`Confidential`]: never redirected to another
/// origin, never sent over plain http to a remote host unless `allow_insecure_http`.
pub(super) fn post_request(
    url: &Url,
    body: Bytes,
    what: &str,
    allow_insecure_http: bool,
) -> Result<Request, Error> {
    let mut request = http::Request::post(url.as_str()).body(body).map_err(|e| {
        Error::config(
            Some(URL_VAR),
            format!("cannot build the {what} request for {url}: {e}"),
        )
    })?;
    Confidential::new()
        .allow_insecure_http(allow_insecure_http)
        .mark(&mut request);
    Ok(request)
}

/// The mutable part of a [`CookieAuth`]. Never locked across an `.await`.
#[derive(Default)]
pub(super) struct State {
    /// Shared with [`CookieAuth::cookie_jar`](super::CookieAuth::cookie_jar); locked only
    /// while this state is, and after it.
    jar: Arc<CookieJar>,
    /// The URLs whose hosts the session belongs to (the base URL, the login and logout
    /// URLs). A shared jar also holds the cookies of the application's other sites: only the
    /// cookies of these hosts are saved, restored over, registered as secrets or forgotten.
    origins: Vec<Url>,
    pub(super) csrf_token: Option<String>,
    /// Bumped by every successful login and by logout.
    pub(super) generation: u64,
    /// Whether the jar is believed to hold a session.
    pub(super) has_session: bool,
    /// Finished login attempts, successful or not.
    pub(super) attempts: u64,
    /// Why the last login attempt failed, shared with the tasks that waited for it.
    pub(super) last_failure: Option<Error>,
    /// Index of the endpoint whose login worked.
    pub(super) endpoint: Option<usize>,
}

impl State {
    /// A session without cookies, keeping them in `jar`, for the hosts of `origins`.
    pub(super) fn new(jar: Arc<CookieJar>, origins: Vec<Url>) -> Self {
        State {
            jar,
            origins,
            ..State::default()
        }
    }

    /// Whether `cookie` belongs to the session's hosts.
    fn is_ours(&self, cookie: &cookie_store::Cookie<'_>) -> bool {
        self.origins.iter().any(|url| cookie.domain.matches(url))
    }

    /// The session's cookies (the jar's cookies of the session's hosts).
    fn own_cookies(&self) -> Vec<cookie_store::Cookie<'static>> {
        self.jar()
            .iter_any()
            .filter(|c| self.is_ours(c))
            .cloned()
            .collect()
    }

    /// Removes the session's cookies from the jar, and no others.
    pub(super) fn forget_cookies(&self) {
        let mut jar = self.jar();
        let ours: Vec<(String, String, String)> = jar
            .iter_any()
            .filter(|c| self.is_ours(c))
            .map(|c| {
                (
                    String::from(&c.domain),
                    String::from(&c.path),
                    c.name().to_owned(),
                )
            })
            .collect();
        for (domain, path, name) in ours {
            jar.remove(&domain, &path, &name);
        }
    }

    /// The cookies.
    pub(super) fn jar(&self) -> MutexGuard<'_, CookieStore> {
        self.jar.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn restore(&mut self, saved: Saved, endpoints: &[Endpoint]) {
        // Saved cookies of other hosts are not taken; the jar's cookies of other hosts stay.
        self.forget_cookies();
        let saved_cookies: Vec<_> = saved
            .cookies
            .into_iter()
            .filter(|c| self.is_ours(c))
            .collect();
        {
            let mut jar = self.jar();
            let kept = jar.iter_any().cloned().collect::<Vec<_>>();
            let cookies = kept
                .into_iter()
                .chain(saved_cookies)
                .map(Ok::<_, std::convert::Infallible>);
            let Ok(merged) = CookieStore::from_cookies(cookies, false);
            *jar = merged;
        }
        self.csrf_token = saved.csrf_token;
        self.register_values();
        self.endpoint = saved
            .login_url
            .and_then(|url| endpoints.iter().position(|e| e.login.as_str() == url));
        let login = &endpoints[self.endpoint.unwrap_or(0)].login;
        let held = !self.jar().matches(login).is_empty();
        self.has_session = held;
        if self.has_session {
            self.generation = 1;
        }
    }

    /// The `Cookie` header for `url`, if the jar holds cookies for it.
    pub(super) fn cookie_header(&self, url: &Url) -> Option<HeaderValue> {
        let pairs: Vec<String> = self
            .jar()
            .get_request_values(url)
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        if pairs.is_empty() {
            return None;
        }
        let mut header = HeaderValue::from_str(&pairs.join("; ")).ok()?;
        header.set_sensitive(true);
        Some(header)
    }

    /// The CSRF token as a header value, if one is known.
    pub(super) fn csrf_header(&self) -> Option<HeaderValue> {
        let mut header = HeaderValue::from_str(self.csrf_token.as_deref()?).ok()?;
        header.set_sensitive(true);
        Some(header)
    }

    /// Stores every `Set-Cookie` of `response`, which came from `url`, as the jar's domain
    /// and path rules allow; returns how many were stored and whether the jar's cookies
    /// (names, values, scopes) changed.
    pub(super) fn store_cookies(&mut self, response: &Response, url: &Url) -> (usize, bool) {
        let before = self.fingerprint();
        let stored = {
            let mut jar = self.jar();
            response
                .headers()
                .get_all(SET_COOKIE)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .filter(|value| jar.parse(value, url).is_ok())
                .count()
        };
        if stored == 0 {
            return (0, false);
        }
        self.register_values();
        (stored, self.fingerprint() != before)
    }

    /// What the cookies are, to tell whether a response changed them.
    pub(super) fn fingerprint(&self) -> Vec<(String, String, Option<String>, Option<String>)> {
        let mut cookies: Vec<_> = self
            .jar()
            .iter_unexpired()
            .map(|c| {
                (
                    c.name().to_owned(),
                    c.value().to_owned(),
                    c.domain().map(str::to_owned),
                    c.path().map(str::to_owned),
                )
            })
            .collect();
        cookies.sort();
        cookies
    }

    /// Registers the cookie values and the CSRF token with the redaction step.
    pub(super) fn register_values(&self) {
        for cookie in self.jar().iter_any().filter(|c| self.is_ours(c)) {
            register_session_value(cookie.value());
        }
        if let Some(token) = &self.csrf_token {
            register_session_value(token);
        }
    }

    pub(super) fn serialize(&self, endpoints: &[Endpoint]) -> Option<Vec<u8>> {
        let saved = Saved {
            version: FILE_VERSION,
            cookies: self.own_cookies(),
            csrf_token: self.csrf_token.clone(),
            login_url: self
                .endpoint
                .and_then(|i| endpoints.get(i))
                .map(|e| e.login.to_string()),
        };
        match serde_json::to_vec(&saved) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                tracing::warn!(error = %e, "cannot serialize the cookie session; not saving it");
                None
            }
        }
    }
}

/// The CSRF token a response carries, if any.
pub(super) fn csrf_from(response: &Response) -> Option<String> {
    response
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Why a login attempt failed, and whether the path was a login form at all.
pub(super) struct LoginFailure {
    pub(super) error: Error,
    /// The path is no login form (`404`, `405`, or a `401` asking for authentication).
    pub(super) not_a_login_form: bool,
}

impl From<Error> for LoginFailure {
    fn from(error: Error) -> Self {
        LoginFailure {
            error,
            not_a_login_form: false,
        }
    }
}

/// Whether a `401` body says the request was not authenticated at all, rather than that its
/// credentials were wrong: Spring's "Full authentication is required to access this resource",
/// which Camunda 8.8 answers at `/api/login` (an API path there). A login form refusing a
/// password says `Bad credentials` (8.8) or `{"message": ""}` (8.7).
pub(super) fn asks_for_authentication(body: &[u8]) -> bool {
    const PHRASE: &[u8] = b"full authentication";
    body.windows(PHRASE.len())
        .any(|w| w.eq_ignore_ascii_case(PHRASE))
}

/// Where `response` came from when it was reached through redirects.
pub(super) fn answered_at(response: &Response) -> Option<Url> {
    Redirected::of(response).and_then(|r| Url::parse(&r.final_uri.to_string()).ok())
}

/// Whether `body` mentions CSRF, in any case.
pub(super) fn mentions_csrf(body: &[u8]) -> bool {
    body.windows(4).any(|w| w.eq_ignore_ascii_case(b"csrf"))
}

/// Methods that Spring Security's CSRF protection lets through without a token.
pub(super) fn is_safe(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// A cookie session's jar, CSRF capture and file format, driven by the fuzz targets.
#[cfg(feature = "fuzzing")]
pub(crate) struct CookieJarProbe {
    endpoints: Vec<Endpoint>,
}

#[cfg(feature = "fuzzing")]
impl CookieJarProbe {
    /// A session whose login endpoint is below `url`'s origin.
    pub(crate) fn new(url: &Url) -> Self {
        let endpoints = endpoints(url, &LoginPath::Api, None).unwrap_or_default();
        CookieJarProbe { endpoints }
    }

    /// Stores the cookies and CSRF token of a response from `url`, then saves and restores the
    /// session.
    pub(crate) fn exchange(
        &self,
        set_cookies: &[Vec<u8>],
        csrf: &[u8],
        url: &Url,
    ) -> crate::fuzzing::CookieOutcome {
        let mut response = http::Response::new(Bytes::new());
        for value in set_cookies {
            if let Ok(value) = HeaderValue::from_bytes(value) {
                response.headers_mut().append(SET_COOKIE, value);
            }
        }
        if let Ok(value) = HeaderValue::from_bytes(csrf) {
            response.headers_mut().insert(CSRF_HEADER, value);
        }
        let mut state = State::new(Arc::default(), vec![url.clone()]);
        state.store_cookies(&response, url);
        state.csrf_token = csrf_from(&response);
        state.endpoint = Some(0);
        let cookie_header = state.cookie_header(url).map(|h| h.as_bytes().to_vec());
        let after_round_trip = state
            .serialize(&self.endpoints)
            .and_then(|bytes| serde_json::from_slice::<Saved>(&bytes).ok())
            .and_then(|saved| {
                if self.endpoints.is_empty() {
                    return None;
                }
                let mut back = State::new(Arc::default(), vec![url.clone()]);
                back.restore(saved, &self.endpoints);
                back.cookie_header(url).map(|h| h.as_bytes().to_vec())
            });
        crate::fuzzing::CookieOutcome {
            cookie_header,
            csrf_token: state.csrf_token,
            after_round_trip,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_is_recognised_in_any_case() {
        assert!(mentions_csrf(
            b"Invalid CSRF Token 'x' was found on the request parameter '_csrf'"
        ));
        assert!(mentions_csrf(b"could not verify the provided csrf token"));
        assert!(!mentions_csrf(b"{\"message\":\"no permission\"}"));
    }
}
