//! Requests that carry a secret of their own, and the rules every hop of them follows.

use std::net::IpAddr;

use crate::Request;

/// Marks a request whose body or headers carry a secret of its own: an OAuth token request
/// (the client secret), a login form (the password), a logout (the session cookie).
///
/// [`HttpTransport`](crate::HttpTransport) holds such a request to two rules on **every hop**,
/// the first one and each redirect:
///
/// - it never leaves the origin (scheme, host and port) it was sent to: a redirect to another
///   origin, whatever its status, is an [`Error::Redirect`](crate::Error::Redirect) and nothing
///   is sent there;
/// - it never goes over plain `http://` to a host that is not loopback (see
///   [`is_loopback_host`]) unless the mark allows it
///   ([`allow_insecure_http`](Self::allow_insecure_http)); such a hop is an
///   [`Error::InsecureHttp`](crate::Error::InsecureHttp) and nothing is sent.
///
/// Requests without the mark keep the ordinary redirect rules: credential headers are dropped
/// on the way to another origin, and a body is never re-sent there.
///
/// ```
/// use tasklist_transport::{Bytes, Confidential};
///
/// let mut token_request = http::Request::post("https://login.example/oauth/token")
///     .body(Bytes::from_static(b"grant_type=client_credentials&client_secret=..."))
///     .unwrap();
/// Confidential::new().mark(&mut token_request);
/// assert_eq!(Confidential::of(&token_request), Some(Confidential::new()));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Confidential {
    allow_insecure_http: bool,
}

impl Confidential {
    /// The mark with plain `http://` allowed only to loopback hosts.
    ///
    /// ```
    /// assert!(!tasklist_transport::Confidential::new().allows_insecure_http());
    /// ```
    pub fn new() -> Self {
        Confidential::default()
    }

    /// Also allows plain `http://` to hosts that are not loopback: the user's explicit opt-in
    /// for a network they trust.
    ///
    /// ```
    /// let mark = tasklist_transport::Confidential::new().allow_insecure_http(true);
    /// assert!(mark.allows_insecure_http());
    /// ```
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Whether plain `http://` to hosts that are not loopback is allowed.
    ///
    /// ```
    /// assert!(!tasklist_transport::Confidential::new().allows_insecure_http());
    /// ```
    pub fn allows_insecure_http(self) -> bool {
        self.allow_insecure_http
    }

    /// Stores this mark in `request`'s extensions.
    ///
    /// ```
    /// use tasklist_transport::{Bytes, Confidential};
    /// let mut request = http::Request::post("https://h/login").body(Bytes::new()).unwrap();
    /// Confidential::new().mark(&mut request);
    /// assert!(Confidential::of(&request).is_some());
    /// ```
    pub fn mark(self, request: &mut Request) {
        request.extensions_mut().insert(self);
    }

    /// The mark stored in `request`, if any.
    ///
    /// ```
    /// use tasklist_transport::{Bytes, Confidential};
    /// let request = http::Request::get("https://h/").body(Bytes::new()).unwrap();
    /// assert_eq!(Confidential::of(&request), None);
    /// ```
    pub fn of(request: &Request) -> Option<Self> {
        request.extensions().get::<Confidential>().copied()
    }

    /// Whether a hop of this request may go to `scheme://host`.
    #[cfg_attr(not(feature = "http"), allow(dead_code))]
    pub(crate) fn permits(self, scheme: &str, host: &str) -> bool {
        scheme.eq_ignore_ascii_case("https") || self.allow_insecure_http || is_loopback_host(host)
    }
}

/// True when `host` (as a URL spells it: a name, an IPv4 address or a bracketed IPv6 address)
/// is a loopback address or `localhost` (or a name under `.localhost`), so traffic to it never
/// leaves the machine.
///
/// ```
/// use tasklist_transport::is_loopback_host;
/// assert!(is_loopback_host("127.0.0.1"));
/// assert!(is_loopback_host("[::1]"));
/// assert!(is_loopback_host("LocalHost"));
/// assert!(is_loopback_host("tasklist.localhost"));
/// assert!(!is_loopback_host("login.cloud.camunda.io"));
/// assert!(!is_loopback_host("localhost.example"));
/// ```
pub fn is_loopback_host(host: &str) -> bool {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return ip.is_loopback();
    }
    let name = bare.strip_suffix('.').unwrap_or(bare);
    name.eq_ignore_ascii_case("localhost")
        || name
            .len()
            .checked_sub(".localhost".len())
            .and_then(|at| name.get(at..))
            .is_some_and(|tail| tail.eq_ignore_ascii_case(".localhost"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_are_recognised_and_nothing_else() {
        for host in [
            "127.0.0.1",
            "127.8.9.10",
            "[::1]",
            "::1",
            "localhost",
            "LOCALHOST",
            "localhost.",
            "a.b.localhost",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "",
            "10.0.0.1",
            "[::2]",
            "localhost.example",
            "notlocalhost",
            "xlocalhost",
            "keycloak.internal",
            "0.0.0.0",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }

    #[test]
    fn the_mark_permits_https_anywhere_and_http_only_on_loopback_unless_allowed() {
        let strict = Confidential::new();
        assert!(strict.permits("https", "login.example"));
        assert!(strict.permits("http", "127.0.0.1"));
        assert!(!strict.permits("http", "login.example"));
        assert!(
            Confidential::new()
                .allow_insecure_http(true)
                .permits("http", "login.example")
        );
    }
}
