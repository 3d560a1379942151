//! The real transport, over `reqwest` with `rustls`.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::header::{CONTENT_LENGTH, CONTENT_TYPE, LOCATION, TRANSFER_ENCODING};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use http_body::Body as _;
use url::Url;

use crate::confidential::Confidential;
use crate::error::Error;
use crate::headers::is_sensitive_header;
use crate::redirected::Redirected;
use crate::{Request, Response, SendFuture, Transport};

/// The default number of redirects followed before giving up.
pub const DEFAULT_MAX_REDIRECTS: usize = 10;

const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_MAX_BODY: u64 = 32 * 1024 * 1024;
const DEFAULT_USER_AGENT: &str = concat!("tasklist-rs/", env!("CARGO_PKG_VERSION"));

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
/// - a request marked [`Confidential`] never leaves its origin and never goes over plain
///   `http://` to a host that is not loopback, on any hop;
/// - a response reached through redirects carries a [`Redirected`] extension naming where it
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

/// Where the transport sends its requests through.
#[derive(Clone, Debug, Default)]
enum ProxyChoice {
    /// The `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY` environment variables.
    #[default]
    Environment,
    /// Straight to the server.
    Direct,
    /// One explicit proxy for every scheme, with hosts that bypass it.
    Explicit {
        url: String,
        no_proxy: Option<String>,
    },
}

/// What a `307` or `308` redirect to another origin (scheme, host or port) does with the body
/// of the request it redirects. (`301`, `302` and `303` turn a `POST` into a `GET` without a
/// body, and a request without a body has nothing to lose.)
///
/// ```
/// use tasklist_transport::{CrossOriginBody, HttpTransport};
///
/// let transport = HttpTransport::builder()
///     .cross_origin_body(CrossOriginBody::Drop)
///     .build()
///     .unwrap();
/// # let _ = transport;
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum CrossOriginBody {
    /// The redirect is an [`Error::Redirect`]: the body, which may hold a secret meant for the
    /// first server, is not sent to the second. The default.
    #[default]
    Refuse,
    /// The redirect is followed with the same method and no body (and, as on every hop to
    /// another origin, without credential headers). An explicit opt-in.
    Drop,
}

/// Options for [`HttpTransport`]. Every option has a safe default.
///
/// | option | default |
/// |---|---|
/// | [`connect_timeout`](Self::connect_timeout) | 10 s |
/// | [`timeout`](Self::timeout) (whole exchange, body included) | 30 s |
/// | [`max_response_body_bytes`](Self::max_response_body_bytes) | 32 MiB |
/// | [`max_redirects`](Self::max_redirects) | 10 |
/// | [`cross_origin_body`](Self::cross_origin_body) | [`CrossOriginBody::Refuse`] |
/// | proxy | from the environment |
/// | roots | the system's trust store |
///
/// # Example
///
/// ```no_run
/// use std::time::Duration;
/// use tasklist_transport::HttpTransport;
///
/// # fn main() -> Result<(), tasklist_transport::Error> {
/// let transport = HttpTransport::builder()
///     .connect_timeout(Duration::from_secs(3))
///     .timeout(Duration::from_secs(15))
///     .user_agent("my-service/1.2")
///     .add_root_certificates_pem_file("/etc/camunda/ca.pem")
///     .client_identity_pem_files("/etc/camunda/client.pem", "/etc/camunda/client.key")
///     .proxy("http://proxy.internal:3128")
///     .max_response_body_bytes(8 * 1024 * 1024)
///     .build()?;
/// # let _ = transport;
/// # Ok(())
/// # }
/// ```
#[must_use]
pub struct HttpTransportBuilder {
    connect_timeout: Duration,
    timeout: Duration,
    user_agent: Cow<'static, str>,
    proxy: ProxyChoice,
    root_pems: Vec<PemSource>,
    identity: Option<(PemSource, PemSource)>,
    accept_invalid_certificates: bool,
    max_body: u64,
    max_redirects: usize,
    cross_origin_body: CrossOriginBody,
    http1_only: bool,
}

/// PEM data given as bytes or as a path read at build time.
enum PemSource {
    Bytes(Vec<u8>),
    File(std::path::PathBuf),
}

impl PemSource {
    fn load(&self, what: &str) -> Result<Vec<u8>, Error> {
        match self {
            PemSource::Bytes(bytes) => Ok(bytes.clone()),
            PemSource::File(path) => std::fs::read(path).map_err(|e| {
                Error::config(
                    format!("cannot read the {what} file {}: {e}", path.display()),
                    Some(Box::new(e)),
                )
            }),
        }
    }

    fn describe(&self) -> String {
        match self {
            PemSource::Bytes(b) => format!("<{} bytes of PEM>", b.len()),
            PemSource::File(p) => p.display().to_string(),
        }
    }
}

impl fmt::Debug for HttpTransportBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpTransportBuilder")
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("proxy", &self.proxy_description())
            .field(
                "root_certificates",
                &self
                    .root_pems
                    .iter()
                    .map(PemSource::describe)
                    .collect::<Vec<_>>(),
            )
            .field(
                "client_identity",
                &self.identity.as_ref().map(|(cert, _)| cert.describe()),
            )
            .field(
                "accept_invalid_certificates",
                &self.accept_invalid_certificates,
            )
            .field("max_response_body_bytes", &self.max_body)
            .field("max_redirects", &self.max_redirects)
            .field("cross_origin_body", &self.cross_origin_body)
            .finish()
    }
}

impl Default for HttpTransportBuilder {
    fn default() -> Self {
        HttpTransportBuilder {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            user_agent: Cow::Borrowed(DEFAULT_USER_AGENT),
            proxy: ProxyChoice::Environment,
            root_pems: Vec::new(),
            identity: None,
            accept_invalid_certificates: false,
            max_body: DEFAULT_MAX_BODY,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            cross_origin_body: CrossOriginBody::default(),
            http1_only: false,
        }
    }
}

impl HttpTransportBuilder {
    /// The longest wait for a TCP connection and TLS handshake. A zero duration is rejected
    /// by [`build`](Self::build).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The longest a whole exchange may take: connecting, sending, following redirects and
    /// reading the body. A zero duration is rejected by [`build`](Self::build).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The `User-Agent` header sent with every request (a request's own header wins). A
    /// `&'static str` is sent as it is; a `String` is shared by reference count between requests.
    /// A value that is not a valid header value is rejected by [`build`](Self::build).
    pub fn user_agent(mut self, user_agent: impl Into<Cow<'static, str>>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Sends every request through the proxy at `url` (`http://`, `https://` or
    /// `socks5://`; credentials may be given in the URL). Replaces the environment's proxy
    /// settings.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        let no_proxy = match &self.proxy {
            ProxyChoice::Explicit { no_proxy, .. } => no_proxy.clone(),
            _ => None,
        };
        self.proxy = ProxyChoice::Explicit {
            url: url.into(),
            no_proxy,
        };
        self
    }

    /// With [`proxy`](Self::proxy): hosts that bypass the proxy, in `NO_PROXY` syntax
    /// (`localhost,.internal,10.0.0.0/8`).
    pub fn no_proxy_for(mut self, hosts: impl Into<String>) -> Self {
        if let ProxyChoice::Explicit { no_proxy, .. } = &mut self.proxy {
            *no_proxy = Some(hosts.into());
        } else {
            self.proxy = ProxyChoice::Explicit {
                url: String::new(),
                no_proxy: Some(hosts.into()),
            };
        }
        self
    }

    /// Ignores proxy settings in the environment and connects straight to every server.
    pub fn no_proxy(mut self) -> Self {
        self.proxy = ProxyChoice::Direct;
        self
    }

    /// Takes the proxy from `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY` (the
    /// default).
    pub fn proxy_from_environment(mut self) -> Self {
        self.proxy = ProxyChoice::Environment;
        self
    }

    /// Trusts the certificates in `pem` (one or more) as roots, besides the system's.
    pub fn add_root_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_pems.push(PemSource::Bytes(pem.into()));
        self
    }

    /// Trusts the certificates in the PEM file at `path` as roots, besides the system's. The
    /// file is read by [`build`](Self::build).
    pub fn add_root_certificates_pem_file(mut self, path: impl AsRef<Path>) -> Self {
        self.root_pems
            .push(PemSource::File(path.as_ref().to_path_buf()));
        self
    }

    /// Presents a client certificate for mutual TLS: `cert_chain` holds the certificate (and
    /// its intermediates) and `private_key` its key (PKCS#8, PKCS#1 or SEC1), both PEM.
    pub fn client_identity_pem(
        mut self,
        cert_chain: impl Into<Vec<u8>>,
        private_key: impl Into<Vec<u8>>,
    ) -> Self {
        self.identity = Some((
            PemSource::Bytes(cert_chain.into()),
            PemSource::Bytes(private_key.into()),
        ));
        self
    }

    /// Like [`client_identity_pem`](Self::client_identity_pem), reading both files at build
    /// time.
    pub fn client_identity_pem_files(
        mut self,
        cert_chain: impl AsRef<Path>,
        private_key: impl AsRef<Path>,
    ) -> Self {
        self.identity = Some((
            PemSource::File(cert_chain.as_ref().to_path_buf()),
            PemSource::File(private_key.as_ref().to_path_buf()),
        ));
        self
    }

    /// **Turns off certificate checks**: any certificate, for any host, is accepted. Anyone on
    /// the network path can then read and change the traffic, credentials included. Only for a
    /// throw-away test server; prefer [`add_root_certificates_pem`](Self::add_root_certificates_pem).
    /// A warning is logged when a transport is built with this on.
    pub fn danger_accept_invalid_certificates(mut self, accept: bool) -> Self {
        self.accept_invalid_certificates = accept;
        self
    }

    /// The largest response body accepted, in bytes. Larger bodies give
    /// [`Error::BodyTooLarge`] without being read past the limit.
    pub fn max_response_body_bytes(mut self, limit: u64) -> Self {
        self.max_body = limit;
        self
    }

    /// How many redirects to follow; 0 returns every redirect response as it is.
    pub fn max_redirects(mut self, max: usize) -> Self {
        self.max_redirects = max;
        self
    }

    /// What a `307` or `308` redirect to another origin does with a request body; by default
    /// it is refused ([`CrossOriginBody::Refuse`]), since the body may hold a secret meant for
    /// the first server only.
    pub fn cross_origin_body(mut self, choice: CrossOriginBody) -> Self {
        self.cross_origin_body = choice;
        self
    }

    /// Speaks only HTTP/1.1, even to servers that offer HTTP/2.
    pub fn http1_only(mut self) -> Self {
        self.http1_only = true;
        self
    }

    fn proxy_description(&self) -> String {
        match &self.proxy {
            ProxyChoice::Environment => "from environment".to_owned(),
            ProxyChoice::Direct => "none".to_owned(),
            ProxyChoice::Explicit { url, no_proxy } => {
                let shown = Url::parse(url).map_or_else(
                    |_| "<unparsable proxy URL>".to_owned(),
                    |mut u| {
                        if u.password().is_some() {
                            let _ = u.set_password(Some("redacted"));
                        }
                        u.to_string()
                    },
                );
                format!(
                    "{shown} (bypass: {})",
                    no_proxy.as_deref().unwrap_or("none")
                )
            }
        }
    }

    /// Builds the transport, reading any certificate files now.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for a zero timeout, an unreadable file, PEM without certificates,
    /// a key that does not parse, or a proxy URL that does not parse.
    pub fn build(self) -> Result<HttpTransport, Error> {
        if self.connect_timeout.is_zero() || self.timeout.is_zero() {
            return Err(Error::config(
                "timeouts must be greater than zero; a transport is never unbounded",
                None,
            ));
        }
        // A static value goes in as static bytes: each request copies it by pointer, with no
        // reference count to update. An owned one is moved, not copied. Both are checked alike.
        let user_agent = HeaderValue::from_maybe_shared(match self.user_agent {
            Cow::Borrowed(text) => Bytes::from_static(text.as_bytes()),
            Cow::Owned(text) => Bytes::from(text),
        })
        .map_err(|e| {
            Error::config(
                "the user agent is not a valid header value; use visible ASCII characters",
                Some(Box::new(e)),
            )
        })?;
        if let ProxyChoice::Explicit { url, .. } = &self.proxy
            && url.is_empty()
        {
            return Err(Error::config(
                "`no_proxy_for` was set without `proxy`; give the proxy URL too",
                None,
            ));
        }
        let common = Arc::new(Common {
            connect_timeout: self.connect_timeout,
            user_agent,
            http1_only: self.http1_only,
            proxy: self.proxy.clone(),
        });
        let transport = |clients| HttpTransport {
            clients,
            connect_timeout: self.connect_timeout,
            timeout: self.timeout,
            max_body: self.max_body,
            max_redirects: self.max_redirects,
            cross_origin_body: self.cross_origin_body,
            origin: Arc::default(),
        };
        // Without TLS settings of its own, the transport loads the system's trust store only
        // when a request first needs TLS: an `http://` client (a CLI against a local server)
        // never pays for reading and parsing it.
        let configures_tls = !self.root_pems.is_empty()
            || self.identity.is_some()
            || self.accept_invalid_certificates;
        if !configures_tls {
            let plain = common
                .builder()?
                .tls_certs_only(std::iter::empty())
                .build()
                .map_err(|e| client_error(e, false))?;
            return Ok(transport(Clients::Lazy {
                plain,
                tls: Arc::default(),
                common,
            }));
        }
        let mut builder = common.builder()?;

        let mut roots = Vec::new();
        for source in &self.root_pems {
            let pem = source.load("root certificate")?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                Error::config(
                    format!("{} is not valid PEM certificate data", source.describe()),
                    Some(Box::new(e)),
                )
            })?;
            if certs.is_empty() {
                return Err(Error::config(
                    format!(
                        "{} holds no PEM certificate (expected BEGIN CERTIFICATE blocks)",
                        source.describe()
                    ),
                    None,
                ));
            }
            roots.extend(certs);
        }
        if !roots.is_empty() {
            builder = builder.tls_certs_merge(roots);
        }

        if let Some((cert, key)) = &self.identity {
            let mut pem = cert.load("client certificate")?;
            pem.push(b'\n');
            pem.extend(key.load("client private key")?);
            let identity = reqwest::Identity::from_pem(&pem).map_err(|e| {
                Error::config(
                    format!(
                        "the client certificate {} and its key do not form a PEM identity \
                         (expected a CERTIFICATE block and a PRIVATE KEY block)",
                        cert.describe()
                    ),
                    Some(Box::new(e)),
                )
            });
            // The key material must not outlive this scope in a readable buffer.
            pem.fill(0);
            builder = builder.identity(identity?);
        }

        if self.accept_invalid_certificates {
            tracing::warn!(
                "certificate checks are turned off for this transport: any server can \
                 impersonate any host"
            );
            builder = builder.tls_danger_accept_invalid_certs(true);
        }

        let has_identity = self.identity.is_some();
        let client = builder.build().map_err(|e| client_error(e, has_identity))?;
        Ok(transport(Clients::One(client)))
    }
}

/// The settings every `reqwest` client of a transport shares. (No `Debug`: a proxy URL may
/// hold a password.)
struct Common {
    connect_timeout: Duration,
    user_agent: HeaderValue,
    http1_only: bool,
    proxy: ProxyChoice,
}

impl Common {
    /// A `reqwest` builder with these settings (redirects are the transport's own).
    fn builder(&self) -> Result<reqwest::ClientBuilder, Error> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .user_agent(self.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            .referer(false);
        if self.http1_only {
            builder = builder.http1_only();
        }
        Ok(match &self.proxy {
            ProxyChoice::Environment => builder,
            ProxyChoice::Direct => builder.no_proxy(),
            ProxyChoice::Explicit { url, no_proxy } => {
                let mut proxy = reqwest::Proxy::all(url.as_str()).map_err(|e| {
                    Error::config(
                        "the proxy URL does not parse; expected e.g. http://proxy:3128",
                        Some(Box::new(e)),
                    )
                })?;
                if let Some(list) = no_proxy {
                    proxy = proxy.no_proxy(reqwest::NoProxy::from_string(list));
                }
                builder.proxy(proxy)
            }
        })
    }
}

/// The `reqwest` clients a transport sends through.
#[derive(Clone)]
enum Clients {
    /// One client for every scheme (the transport has TLS settings of its own, checked when
    /// it was built).
    One(reqwest::Client),
    /// A client for `http://`, and one for `https://` made with the system's trust store when
    /// the first `https://` request needs it (shared by the transport's clones).
    Lazy {
        plain: reqwest::Client,
        tls: Arc<OnceLock<reqwest::Client>>,
        common: Arc<Common>,
    },
}

impl Clients {
    /// The client for a request to `url`.
    fn for_url(&self, url: &Url) -> Result<&reqwest::Client, Error> {
        match self {
            Clients::One(client) => Ok(client),
            Clients::Lazy { plain, .. } if url.scheme() != "https" => Ok(plain),
            Clients::Lazy { tls, common, .. } => {
                if let Some(client) = tls.get() {
                    return Ok(client);
                }
                let client = common
                    .builder()?
                    .build()
                    .map_err(|e| client_error(e, false))?;
                // Another request may have made one meanwhile: either serves.
                Ok(tls.get_or_init(|| client))
            }
        }
    }
}

/// The error for a `reqwest` client that could not be made, with its innermost reason.
fn client_error(error: reqwest::Error, has_identity: bool) -> Error {
    let mut reason = String::new();
    let mut cause: Option<&dyn std::error::Error> = Some(&error);
    while let Some(c) = cause {
        reason = c.to_string();
        cause = c.source();
    }
    let hint = if has_identity {
        "; check the client certificate and private key"
    } else {
        ""
    };
    Error::config(
        format!("the HTTP client could not be created: {reason}{hint}"),
        Some(Box::new(error)),
    )
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

    /// Follows the redirect `response` and any that come after it; returns the first response
    /// that is not a redirect to follow, with where it came from.
    async fn follow_redirects(
        &self,
        mut method: Method,
        mut headers: HeaderMap,
        mut body: Bytes,
        mut response: reqwest::Response,
        confidential: Option<Confidential>,
    ) -> Result<(reqwest::Response, Redirected), Error> {
        let origin = response.url().origin();
        let mut redirects = 0usize;
        loop {
            let status = response.status();
            let location = match response.headers().get(LOCATION) {
                Some(location) if is_followable_redirect(status) => location.clone(),
                _ => {
                    let final_uri = response.url().as_str().parse().map_err(|e| {
                        Error::invalid_request(format!("the redirect target is not a URI: {e}"))
                    })?;
                    let hops = redirects;
                    return Ok((response, Redirected { final_uri, hops }));
                }
            };
            let current = response.url().clone();
            drop(response);
            let refuse = |message: String| Error::Redirect {
                target: describe(&method, &current),
                message,
            };
            if redirects == self.max_redirects {
                return Err(refuse(format!(
                    "more than {} redirects; raise `max_redirects` or fix the server",
                    self.max_redirects
                )));
            }
            redirects += 1;
            let next = location
                .to_str()
                .ok()
                .and_then(|l| current.join(l).ok())
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or_else(|| {
                    refuse("the Location header is not a valid http(s) URL".to_owned())
                })?;
            let to_other_origin = next.origin() != current.origin();
            if let Some(mark) = confidential {
                if next.origin() != origin {
                    return Err(refuse(format!(
                        "it carries a secret (a token request or a login) and is never sent to \
                         another origin, but it was redirected ({}) to {}; configure the URL \
                         that answers itself",
                        status.as_u16(),
                        next.origin().ascii_serialization()
                    )));
                }
                if !mark.permits(next.scheme(), next.host_str().unwrap_or_default()) {
                    return Err(Error::InsecureHttp {
                        target: describe(&method, &next),
                    });
                }
            }
            if to_other_origin {
                strip_credentials(&mut headers);
            }
            let keeps_method = matches!(
                status,
                StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT
            );
            if keeps_method && to_other_origin && !body.is_empty() {
                match self.cross_origin_body {
                    CrossOriginBody::Refuse => {
                        return Err(refuse(format!(
                            "a {} redirect to another origin ({}) asks for the request body to \
                             be sent there too, and the body may hold a secret meant for the \
                             first server; point the client at the final URL, or opt in with \
                             `HttpTransportBuilder::cross_origin_body(CrossOriginBody::Drop)`",
                            status.as_u16(),
                            next.origin().ascii_serialization()
                        )));
                    }
                    CrossOriginBody::Drop => drop_body(&mut body, &mut headers),
                }
            }
            if status == StatusCode::SEE_OTHER
                || (matches!(status, StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND)
                    && method == Method::POST)
            {
                if method != Method::HEAD {
                    method = Method::GET;
                }
                drop_body(&mut body, &mut headers);
            }
            tracing::debug!(status = status.as_u16(), to = %describe(&method, &next), "following redirect");
            let client = self.clients.for_url(&next)?;
            let request = Self::request(method.clone(), next, headers.clone(), body.clone());
            response = client
                .execute(request)
                .await
                .map_err(|e| self.map_error(&method, None, e))?;
        }
    }

    /// Checks the declared length of `response` and starts reading its body.
    fn start_body(&self, method: &Method, response: reqwest::Response) -> Result<BodyRead, Error> {
        let declared = response.content_length();
        if let Some(length) = declared
            && length > self.max_body
        {
            return Err(Error::BodyTooLarge {
                target: describe(method, response.url()),
                limit: self.max_body,
                declared,
            });
        }
        let (mut head, body) = http::Response::<reqwest::Body>::from(response).into_parts();
        // `reqwest`'s own bookkeeping is not part of the answer.
        head.extensions = http::Extensions::new();
        Ok(BodyRead {
            head,
            body,
            declared,
            total: 0,
            first: None,
            buffer: None,
        })
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

// Written out rather than with `#[async_trait]`: the request is checked and handed to `reqwest`
// before the future is boxed, and the boxed future is the small hand-written [`Exchange`]
// rather than an `async fn` that would own the whole request, the response and the timer at
// once. `reqwest` does nothing until it is polled, and the timer starts on the first poll, as it
// would in an `async fn`.
impl Transport for HttpTransport {
    fn send<'life0, 'async_trait>(&'life0 self, request: Request) -> SendFuture<'async_trait>
    where
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        let (parts, body) = request.into_parts();
        let url = match self.url_of(&parts.uri) {
            Ok(url) => url,
            Err(error) => return Box::pin(std::future::ready(Err(error))),
        };
        let confidential = parts.extensions.get::<Confidential>().copied();
        if let Some(mark) = confidential
            && !mark.permits(url.scheme(), url.host_str().unwrap_or_default())
        {
            return Box::pin(std::future::ready(Err(Error::InsecureHttp {
                target: describe(&parts.method, &url),
            })));
        }
        // Redirects are followed here, so a copy of what the next hop needs outlives the one
        // handed to `reqwest`.
        let kept = (self.max_redirects > 0).then(|| (parts.headers.clone(), body.clone()));
        let client = match self.clients.for_url(&url) {
            Ok(client) => client,
            Err(error) => return Box::pin(std::future::ready(Err(error))),
        };
        let request = Self::request(parts.method.clone(), url, parts.headers, body);
        Box::pin(Exchange {
            transport: self,
            method: parts.method,
            uri: parts.uri,
            kept,
            confidential,
            deadline: None,
            step: Step::Head(client.execute(request)),
        })
    }
}

pin_project_lite::pin_project! {
    /// One request in flight, from the response head to the last byte of the body, under the
    /// transport's total timeout.
    struct Exchange<'a, F> {
        transport: &'a HttpTransport,
        method: Method,
        // The request's own URI, uncloned: error messages name it when `reqwest` gives none.
        uri: http::Uri,
        // What a redirect needs to send the next hop; `None` when redirects are off.
        kept: Option<(HeaderMap, Bytes)>,
        // The request's mark, which its redirects must honour.
        confidential: Option<Confidential>,
        // Set on the first poll.
        #[pin]
        deadline: Option<tokio::time::Sleep>,
        step: Step<'a, F>,
    }
}

/// The redirects of one exchange being followed: the last response and where it came from.
type Following<'a> =
    Pin<Box<dyn Future<Output = Result<(reqwest::Response, Redirected), Error>> + Send + 'a>>;

// The body step is the large one and the one every request reaches: boxing it would cost an
// allocation per request to save room that every exchange needs anyway.
#[allow(clippy::large_enum_variant)]
enum Step<'a, F> {
    /// Waiting for the response head.
    Head(F),
    /// Following redirects, in a future of its own (rare, so kept out of this one's size).
    Redirect(Following<'a>),
    /// Reading the body.
    Body(BodyRead),
    /// The output was returned.
    Done,
}

/// A response whose body is being read.
struct BodyRead {
    head: http::response::Parts,
    body: reqwest::Body,
    declared: Option<u64>,
    total: u64,
    // Most bodies arrive in one chunk: it is kept without copying, and a buffer is only
    // started when a second chunk comes.
    first: Option<Bytes>,
    buffer: Option<BytesMut>,
}

impl BodyRead {
    /// Adds `chunk`; false when the body has grown past `limit`.
    fn push(&mut self, chunk: Bytes, limit: u64) -> bool {
        self.total += chunk.len() as u64;
        if self.total > limit {
            return false;
        }
        match (&mut self.first, &mut self.buffer) {
            (None, None) => self.first = Some(chunk),
            (Some(head), None) => {
                let capacity = self.declared.unwrap_or(0).min(limit) as usize;
                let mut joined = BytesMut::with_capacity(capacity.max(self.total as usize));
                joined.extend_from_slice(head);
                joined.extend_from_slice(&chunk);
                self.first = None;
                self.buffer = Some(joined);
            }
            (_, Some(joined)) => joined.extend_from_slice(&chunk),
        }
        true
    }

    /// The response, with the whole body.
    fn finish(self) -> Response {
        let body = match (self.first, self.buffer) {
            (_, Some(joined)) => joined.freeze(),
            (Some(only), None) => only,
            (None, None) => Bytes::new(),
        };
        http::Response::from_parts(self.head, body)
    }
}

impl<F> Future for Exchange<'_, F>
where
    F: Future<Output = Result<reqwest::Response, reqwest::Error>> + Unpin,
{
    type Output = Result<Response, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let transport = *this.transport;
        if this.deadline.is_none() {
            this.deadline
                .set(Some(tokio::time::sleep(transport.timeout)));
        }
        let outcome = loop {
            // The response whose body is to be read, once no redirect is left to follow, and
            // where it came from if redirects were followed.
            let (last, redirected) = match this.step {
                Step::Head(in_flight) => {
                    let response = match Pin::new(in_flight).poll(cx) {
                        Poll::Pending => break None,
                        Poll::Ready(Ok(response)) => response,
                        Poll::Ready(Err(error)) => {
                            break Some(Err(transport.map_error(
                                this.method,
                                Some(this.uri),
                                error,
                            )));
                        }
                    };
                    if is_followable_redirect(response.status())
                        && response.headers().contains_key(LOCATION)
                        && let Some((headers, body)) = this.kept.take()
                    {
                        let method = this.method.clone();
                        *this.step = Step::Redirect(Box::pin(transport.follow_redirects(
                            method,
                            headers,
                            body,
                            response,
                            *this.confidential,
                        )));
                        continue;
                    }
                    *this.kept = None;
                    (response, None)
                }
                Step::Redirect(following) => match following.as_mut().poll(cx) {
                    Poll::Pending => break None,
                    Poll::Ready(Ok((response, redirected))) => (response, Some(redirected)),
                    Poll::Ready(Err(error)) => break Some(Err(error)),
                },
                Step::Body(read) => match Pin::new(&mut read.body).poll_frame(cx) {
                    Poll::Pending => break None,
                    Poll::Ready(Some(Ok(frame))) => {
                        // Trailers, the only other kind of frame, are not kept.
                        if let Ok(chunk) = frame.into_data()
                            && !read.push(chunk, transport.max_body)
                        {
                            break Some(Err(Error::BodyTooLarge {
                                target: describe_uri(this.method, this.uri),
                                limit: transport.max_body,
                                declared: read.declared,
                            }));
                        }
                        continue;
                    }
                    Poll::Ready(Some(Err(error))) => {
                        break Some(Err(transport.map_error(this.method, Some(this.uri), error)));
                    }
                    Poll::Ready(None) => {
                        if let Step::Body(read) = std::mem::replace(this.step, Step::Done) {
                            return Poll::Ready(Ok(read.finish()));
                        }
                        continue;
                    }
                },
                Step::Done => {
                    return Poll::Ready(Err(Error::InvalidRequest {
                        message: "an HTTP exchange was polled again after it completed".to_owned(),
                        source: None,
                    }));
                }
            };
            match transport.start_body(this.method, last) {
                Ok(mut read) => {
                    if let Some(redirected) = redirected {
                        read.head.extensions.insert(redirected);
                    }
                    *this.step = Step::Body(read);
                }
                Err(error) => break Some(Err(error)),
            }
        };
        if let Some(output) = outcome {
            *this.step = Step::Done;
            return Poll::Ready(output);
        }
        // The exchange is waiting: has the whole of it taken too long?
        if let Some(deadline) = this.deadline.as_pin_mut()
            && deadline.poll(cx).is_ready()
        {
            *this.step = Step::Done;
            return Poll::Ready(Err(Error::Timeout {
                target: describe_uri(this.method, this.uri),
                after: transport.timeout,
            }));
        }
        Poll::Pending
    }
}

fn is_followable_redirect(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::MOVED_PERMANENTLY
            | StatusCode::FOUND
            | StatusCode::SEE_OTHER
            | StatusCode::TEMPORARY_REDIRECT
            | StatusCode::PERMANENT_REDIRECT
    )
}

/// Empties `body` and removes the headers that described it.
fn drop_body(body: &mut Bytes, headers: &mut HeaderMap) {
    *body = Bytes::new();
    for name in [CONTENT_TYPE, CONTENT_LENGTH, TRANSFER_ENCODING] {
        headers.remove(name);
    }
}

fn strip_credentials(headers: &mut HeaderMap) {
    let sensitive: Vec<_> = headers
        .keys()
        .filter(|name| is_sensitive_header(name))
        .cloned()
        .collect();
    for name in sensitive {
        headers.remove(name);
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
    use http::HeaderValue;

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
    fn strip_credentials_removes_only_sensitive_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("authorization", HeaderValue::from_static("Bearer x"));
        headers.insert("cookie", HeaderValue::from_static("a=b"));
        headers.insert("x-csrf-token", HeaderValue::from_static("c"));
        headers.insert("accept", HeaderValue::from_static("*/*"));
        strip_credentials(&mut headers);
        assert_eq!(headers.len(), 1);
        assert!(headers.contains_key("accept"));
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
