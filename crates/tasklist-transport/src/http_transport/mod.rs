//! The real transport, over `reqwest` with `rustls`: [`HttpTransport`] itself, the URL of a
//! request and the errors of an exchange. Its builder and TLS options are in [`builder`], the
//! path of one request (redirects included) in [`send`], and reading a response body in
//! [`body`].

mod body;
mod builder;
mod send;

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method};
use url::Url;

use crate::error::Error;

use self::builder::Clients;
pub use self::builder::{CrossOriginBody, DEFAULT_MAX_REDIRECTS, HttpTransportBuilder};

/// The HTTP transport: `reqwest` over `rustls`, with HTTP/1.1 and HTTP/2 and a connection pool.
///
/// Cloning is cheap and clones share the pool. Build one with [`HttpTransport::builder`].
///
/// What it guarantees:
/// - every exchange is bounded by the connect timeout and the total timeout (the total covers
///   all redirects and reading the body);
/// - a response body larger than the limit is an [`Error::BodyTooLarge`], found out from
///   `Content-Length` before reading or after reading at most the limit;
/// - redirects are followed by this transport, not by `reqwest`, and a redirect to another
///   origin (scheme, host or port) drops every header in
///   [`SENSITIVE_HEADERS`](crate::SENSITIVE_HEADERS) before it is followed;
/// - a request body is never sent again to another origin: a `307` or `308` there is an
///   [`Error::Redirect`] unless [`CrossOriginBody::Drop`] was chosen;
/// - a request marked [`Confidential`](crate::Confidential) never leaves its origin and never goes over plain
///   `http://` to a host that is not loopback, on any hop;
/// - a response reached through redirects carries a [`Redirected`](crate::Redirected) extension naming where it
///   came from.
///
/// # Example
///
/// ```no_run
/// use tasklist_transport::{Bytes, HttpTransport, Transport};
///
/// # async fn run() -> Result<(), tasklist_transport::Error> {
/// let transport = HttpTransport::builder().build()?;
/// let response = transport
///     .send(http::Request::get("http://localhost:8080/actuator/health").body(Bytes::new()).unwrap())
///     .await?;
/// assert!(response.status().is_success());
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct HttpTransport {
    clients: Clients,
    connect_timeout: Duration,
    timeout: Duration,
    max_body: u64,
    max_redirects: usize,
    cross_origin_body: CrossOriginBody,
    /// The last origin requested (`scheme://authority`) with its parsed base URL: requests to
    /// it skip parsing scheme and host again.
    origin: Arc<Mutex<Option<(String, Url)>>>,
}

impl fmt::Debug for HttpTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpTransport")
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("max_response_body_bytes", &self.max_body)
            .field("max_redirects", &self.max_redirects)
            .field("cross_origin_body", &self.cross_origin_body)
            .finish_non_exhaustive()
    }
}

impl HttpTransport {
    /// Starts a builder with the defaults listed on [`HttpTransportBuilder`].
    ///
    /// ```
    /// let transport = tasklist_transport::HttpTransport::builder().build().unwrap();
    /// # let _ = transport;
    /// ```
    pub fn builder() -> HttpTransportBuilder {
        HttpTransportBuilder::default()
    }

    /// The `Url` of `uri`. Requests to the origin of the previous one reuse its parsed base.
    fn url_of(&self, uri: &http::Uri) -> Result<Url, Error> {
        let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
            return Err(Error::InvalidRequest {
                message: format!("`{uri}` is not an absolute http(s) URL; give scheme and host"),
                source: None,
            });
        };
        let authority = authority.as_str();
        let same_origin = |key: &str| {
            key.len() == scheme.len() + 3 + authority.len()
                && key.starts_with(scheme)
                && key[scheme.len()..].starts_with("://")
                && key.ends_with(authority)
        };
        if let Ok(cached) = self.origin.lock()
            && let Some((key, base)) = cached.as_ref()
            && same_origin(key)
        {
            let mut url = base.clone();
            url.set_path(uri.path());
            url.set_query(uri.query());
            return Ok(url);
        }
        let url = Url::parse(&uri.to_string()).map_err(|e| Error::InvalidRequest {
            message: format!("the URI is not an absolute http(s) URL: {e}"),
            source: Some(Box::new(e)),
        })?;
        let mut base = url.clone();
        base.set_path("/");
        base.set_query(None);
        if let Ok(mut cached) = self.origin.lock() {
            *cached = Some((format!("{scheme}://{authority}"), base));
        }
        Ok(url)
    }

    /// Builds the `reqwest` request for one hop.
    fn request(method: Method, url: Url, headers: HeaderMap, body: Bytes) -> reqwest::Request {
        let mut request = reqwest::Request::new(method, url);
        *request.headers_mut() = headers;
        *request.body_mut() = Some(body.into());
        request
    }

    /// Turns a `reqwest` error into this crate's; `uri` names the request when the error
    /// does not carry its URL (errors while reading a body do not).
    fn map_error(&self, method: &Method, uri: Option<&http::Uri>, error: reqwest::Error) -> Error {
        let target = match (error.url(), uri) {
            (Some(url), _) => describe(method, url),
            (None, Some(uri)) => describe_uri(method, uri),
            (None, None) => format!("{method} <unknown URL>"),
        };
        if error.is_connect() {
            if error.is_timeout() {
                Error::ConnectTimeout {
                    target,
                    after: self.connect_timeout,
                }
            } else {
                Error::Connect {
                    target,
                    source: Box::new(error.without_url()),
                }
            }
        } else if error.is_timeout() {
            Error::Timeout {
                target,
                after: self.timeout,
            }
        } else if error.is_builder() {
            Error::InvalidRequest {
                message: format!("{target} cannot be sent"),
                source: Some(Box::new(error.without_url())),
            }
        } else {
            Error::Network {
                target,
                source: Box::new(error.without_url()),
            }
        }
    }
}

/// `METHOD scheme://host:port/path`, without query or fragment (they may carry secrets).
fn describe(method: &Method, url: &Url) -> String {
    let host = url.host_str().unwrap_or("");
    match url.port() {
        Some(port) => format!("{method} {}://{host}:{port}{}", url.scheme(), url.path()),
        None => format!("{method} {}://{host}{}", url.scheme(), url.path()),
    }
}

fn describe_uri(method: &Method, uri: &http::Uri) -> String {
    let scheme = uri.scheme_str().unwrap_or("http");
    let authority = uri.authority().map_or("", |a| a.as_str());
    // Drop any userinfo from the authority.
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    format!("{method} {scheme}://{authority}{}", uri.path())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_never_include_query_or_userinfo() {
        let url = Url::parse("https://user:pw@h.example:8443/p/a?token=secret#frag").unwrap();
        assert_eq!(
            describe(&Method::GET, &url),
            "GET https://h.example:8443/p/a"
        );
        let uri: http::Uri = "https://user:pw@h.example/p?token=secret".parse().unwrap();
        assert_eq!(
            describe_uri(&Method::POST, &uri),
            "POST https://h.example/p"
        );
    }

    #[test]
    fn urls_from_the_origin_cache_equal_parsed_ones() {
        let transport = HttpTransport::builder().no_proxy().build().unwrap();
        let uris = [
            "http://127.0.0.1:8080/v1/tasks/search",
            "http://127.0.0.1:8080/v1/tasks/2251799813685249/variables/search",
            "http://127.0.0.1:8080/v1/tasks/a%2Fb%20c?x=1&y=%C3%A9",
            "http://127.0.0.1:8080/v1/./forms/../forms/f1?processDefinitionKey=2",
            "http://127.0.0.1:8080/",
            "http://127.0.0.1:8080",
            "http://127.0.0.1:9090/other/port",
            "https://user:pw@Tasklist.Example:443/v1/tasks?q",
            "https://user:pw@Tasklist.Example:443/v1/variables/v%2e%2e/x",
        ];
        // Twice: the first time each origin is parsed, the second time it comes from the cache.
        for _ in 0..2 {
            for text in uris {
                let uri: http::Uri = text.parse().unwrap();
                let expected = Url::parse(&uri.to_string()).unwrap();
                assert_eq!(transport.url_of(&uri).unwrap(), expected, "{text}");
            }
        }
        let relative: http::Uri = "/v1/tasks".parse().unwrap();
        assert!(matches!(
            transport.url_of(&relative),
            Err(Error::InvalidRequest { .. })
        ));
    }

    #[test]
    fn user_agents_are_checked_whether_static_or_owned() {
        for text in ["tasklist-rs/1.0 (tab\there)", "caf\u{e9}/1.0"] {
            assert!(
                HttpTransport::builder().user_agent(text).build().is_ok(),
                "{text}"
            );
            assert!(
                HttpTransport::builder()
                    .user_agent(text.to_owned())
                    .build()
                    .is_ok(),
                "{text}"
            );
        }
        let err = HttpTransport::builder()
            .user_agent("two\nlines")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err}");
        assert!(err.to_string().contains("user agent"), "{err}");
    }

    #[test]
    fn the_trust_store_is_loaded_only_when_a_request_needs_tls() {
        let transport = HttpTransport::builder().no_proxy().build().unwrap();
        let Clients::Lazy { tls, .. } = &transport.clients else {
            panic!("a transport without TLS settings makes its TLS client lazily");
        };
        let plain = Url::parse("http://127.0.0.1:8080/v1/tasks/search").unwrap();
        transport.clients.for_url(&plain).unwrap();
        assert!(
            tls.get().is_none(),
            "an http request loaded the trust store"
        );
        let secure = Url::parse("https://tasklist.example/v1/tasks/search").unwrap();
        transport.clients.for_url(&secure).unwrap();
        assert!(tls.get().is_some());
        // Clones share it.
        let clone = transport.clone();
        let Clients::Lazy { tls: shared, .. } = &clone.clients else {
            panic!("the clone is lazy too");
        };
        assert!(shared.get().is_some());

        let configured = HttpTransport::builder()
            .no_proxy()
            .danger_accept_invalid_certificates(true)
            .build()
            .unwrap();
        assert!(matches!(configured.clients, Clients::One(_)));
    }

    #[test]
    fn zero_timeouts_are_rejected() {
        let err = HttpTransport::builder()
            .timeout(Duration::ZERO)
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err}");
        assert!(err.to_string().contains("greater than zero"));
    }

    #[test]
    fn pem_without_certificates_is_a_config_error() {
        let err = HttpTransport::builder()
            .add_root_certificates_pem(b"not pem at all".to_vec())
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err}");
    }

    #[test]
    fn missing_root_file_names_the_path() {
        let err = HttpTransport::builder()
            .add_root_certificates_pem_file("/nonexistent/ca.pem")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("/nonexistent/ca.pem"), "{err}");
    }

    #[test]
    fn debug_redacts_proxy_password() {
        let builder = HttpTransport::builder().proxy("http://user:hunter2@proxy:3128");
        let shown = format!("{builder:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("proxy:3128"), "{shown}");
    }
}
