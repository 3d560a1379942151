//! The options of an [`HttpTransport`]: timeouts, user agent, proxies, extra roots and client
//! identity (TLS), limits and redirects, and the `reqwest` clients they build.

use std::borrow::Cow;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bytes::Bytes;
use http::HeaderValue;
use url::Url;

use super::HttpTransport;
use crate::error::Error;

/// The default number of redirects followed before giving up.
pub const DEFAULT_MAX_REDIRECTS: usize = 10;

const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_MAX_BODY: u64 = 32 * 1024 * 1024;
const DEFAULT_USER_AGENT: &str = concat!("tasklist-rs/", env!("CARGO_PKG_VERSION"));

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
pub(super) struct Common {
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
pub(super) enum Clients {
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
    pub(super) fn for_url(&self, url: &Url) -> Result<&reqwest::Client, Error> {
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
