//! OAuth 2.0 client credentials (RFC 6749 §4.4), through the `oauth2` crate over our own
//! transport.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use oauth2::basic::BasicClient;
use oauth2::{AuthType, ClientId, ClientSecret, RequestTokenError, Scope, TokenResponse, TokenUrl};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use tasklist_transport::{Idempotency, SharedTransport};
use url::Url;

use crate::error::{Error, excerpt};
use crate::secure::{check_transport_security, parse_http_url};

/// A token freshly obtained from a [`TokenSource`].
#[derive(Clone)]
#[non_exhaustive]
pub struct FetchedToken {
    /// The access token.
    pub secret: SecretString,
    /// The lifetime the server gave (`expires_in`), when it gave one.
    pub expires_in: Option<Duration>,
    /// The token's whole lifetime when it is older than `expires_in` says (a token read back
    /// from disk); renewal is scheduled by it.
    pub(crate) lifetime: Option<Duration>,
}

impl FetchedToken {
    /// A fetched token.
    ///
    /// ```
    /// use std::time::Duration;
    /// use tasklist_auth::FetchedToken;
    /// let t = FetchedToken::new("opaque".into(), Some(Duration::from_secs(300)));
    /// assert_eq!(t.expires_in, Some(Duration::from_secs(300)));
    /// ```
    pub fn new(secret: SecretString, expires_in: Option<Duration>) -> Self {
        FetchedToken {
            secret,
            expires_in,
            lifetime: None,
        }
    }
}

impl fmt::Debug for FetchedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FetchedToken")
            .field("secret", &"<redacted>")
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

/// Where a [`TokenCache`](crate::TokenCache) gets new access tokens.
///
/// [`ClientCredentials`] is the implementation for OAuth 2.0; implement the trait to cache
/// tokens from anywhere else.
///
/// ```
/// use tasklist_auth::{Error, FetchedToken, TokenSource};
///
/// #[derive(Debug)]
/// struct FromVault;
///
/// #[tasklist_transport::async_trait]
/// impl TokenSource for FromVault {
///     async fn fetch(&self) -> Result<FetchedToken, Error> {
///         Ok(FetchedToken::new("token-from-vault".into(), None))
///     }
///     fn cache_key(&self) -> String {
///         "vault:tasklist".to_owned()
///     }
///     fn endpoint(&self) -> String {
///         "vault".to_owned()
///     }
/// }
/// ```
#[async_trait::async_trait]
pub trait TokenSource: Send + Sync + fmt::Debug {
    /// Obtains a new token.
    async fn fetch(&self) -> Result<FetchedToken, Error>;

    /// A stable string that changes whenever anything that decides the token changes
    /// (endpoint, client, audience, scope, secret). Used to name disk cache files, so it
    /// must not reveal a secret: hash it.
    fn cache_key(&self) -> String;

    /// Where tokens come from, for messages (e.g. the token URL).
    fn endpoint(&self) -> String;
}

/// How the client authenticates itself to the token endpoint.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientAuthMethod {
    /// `client_id` and `client_secret` in the form body (`client_secret_post`). The default,
    /// and what Camunda SaaS and Camunda's own SDKs use.
    #[default]
    RequestBody,
    /// HTTP Basic authentication (`client_secret_basic`).
    BasicAuth,
}

/// OAuth 2.0 client credentials: a [`TokenSource`] for Camunda SaaS, self-managed
/// Identity/Keycloak, or any RFC 6749 server.
///
/// Token requests go through the given transport, so they share its TLS roots, client
/// certificate, proxy and timeouts with the API calls. They are marked idempotent: asking
/// twice for a token is harmless.
///
/// # Example
///
/// ```
/// use tasklist_auth::ClientCredentials;
/// use tasklist_transport::{HttpTransport, TransportExt};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let transport = HttpTransport::builder().build()?.into_shared();
/// let credentials = ClientCredentials::builder(
///     "https://login.cloud.camunda.io/oauth/token",
///     "my-client-id",
///     "my-client-secret".into(),
/// )
/// .audience("tasklist.camunda.io")
/// .build(transport)?;
/// assert!(!format!("{credentials:?}").contains("my-client-secret"));
/// # Ok(())
/// # }
/// ```
pub struct ClientCredentials {
    token_url: Url,
    client: Client,
    transport: SharedTransport,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url.as_str())
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

/// Who asks for tokens, and for what: shared by [`ClientCredentials`] and its builder.
struct Client {
    client_id: String,
    client_secret: SecretString,
    audience: Option<String>,
    scope: Option<String>,
    resource: Option<String>,
    method: ClientAuthMethod,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("audience", &self.audience)
            .field("scope", &self.scope)
            .field("resource", &self.resource)
            .field("method", &self.method)
            .finish()
    }
}

/// Builds [`ClientCredentials`]; see [`ClientCredentials::builder`].
#[must_use]
pub struct ClientCredentialsBuilder {
    token_url: String,
    client: Client,
    allow_insecure_http: bool,
}

impl fmt::Debug for ClientCredentialsBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentialsBuilder")
            .field("token_url", &self.token_url)
            .field("client", &self.client)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish()
    }
}

impl ClientCredentials {
    /// Starts a builder for the token endpoint `token_url` and the client's id and secret.
    ///
    /// ```
    /// use tasklist_auth::{ClientAuthMethod, ClientCredentials};
    /// let builder = ClientCredentials::builder(
    ///     "https://keycloak.example/auth/realms/camunda-platform/protocol/openid-connect/token",
    ///     "tasklist-worker",
    ///     "secret".into(),
    /// )
    /// .audience("tasklist-api")
    /// .client_auth(ClientAuthMethod::BasicAuth);
    /// # let _ = builder;
    /// ```
    pub fn builder(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: SecretString,
    ) -> ClientCredentialsBuilder {
        ClientCredentialsBuilder {
            token_url: token_url.into(),
            client: Client {
                client_id: client_id.into(),
                client_secret,
                audience: None,
                scope: None,
                resource: None,
                method: ClientAuthMethod::RequestBody,
            },
            allow_insecure_http: false,
        }
    }

    /// The token endpoint.
    ///
    /// ```
    /// # use tasklist_auth::ClientCredentials;
    /// # use tasklist_transport::{HttpTransport, TransportExt};
    /// let c = ClientCredentials::builder("https://login.example/token", "id", "s".into())
    ///     .build(HttpTransport::builder().build().unwrap().into_shared())
    ///     .unwrap();
    /// assert_eq!(c.token_url().as_str(), "https://login.example/token");
    /// ```
    pub fn token_url(&self) -> &Url {
        &self.token_url
    }

    /// The audience sent with token requests, if any.
    ///
    /// ```
    /// # use tasklist_auth::ClientCredentials;
    /// # use tasklist_transport::{HttpTransport, TransportExt};
    /// let c = ClientCredentials::builder("https://login.example/token", "id", "s".into())
    ///     .audience("tasklist-api")
    ///     .build(HttpTransport::builder().build().unwrap().into_shared())
    ///     .unwrap();
    /// assert_eq!(c.audience(), Some("tasklist-api"));
    /// ```
    pub fn audience(&self) -> Option<&str> {
        self.client.audience.as_deref()
    }
}

impl ClientCredentialsBuilder {
    /// The `audience` parameter (Camunda: `tasklist.camunda.io` on SaaS, `tasklist-api` on
    /// self-managed). Sent with every token request when set.
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.client.audience = Some(audience.into()).filter(|a| !a.trim().is_empty());
        self
    }

    /// The `scope` parameter: space-separated scopes.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.client.scope = Some(scope.into()).filter(|s| !s.trim().is_empty());
        self
    }

    /// The `resource` parameter (RFC 8707 resource indicator).
    pub fn resource(mut self, resource: impl Into<String>) -> Self {
        self.client.resource = Some(resource.into()).filter(|r| !r.trim().is_empty());
        self
    }

    /// How the client authenticates to the token endpoint (default: in the form body).
    pub fn client_auth(mut self, method: ClientAuthMethod) -> Self {
        self.client.method = method;
        self
    }

    /// Allows sending the client secret over plain `http://` to a host that is not loopback.
    /// Off by default: anyone on the path could read the secret.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Checks the settings and builds the source; token requests will go through `transport`.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for an unusable URL or an empty client id or secret;
    /// [`Error::InsecureHttp`] for a plain-http URL to a remote host without the opt-in.
    pub fn build(self, transport: SharedTransport) -> Result<ClientCredentials, Error> {
        let token_url = parse_http_url(
            &self.token_url,
            "the OAuth token URL",
            Some("CAMUNDA_OAUTH_URL"),
        )?;
        if self.client.client_id.trim().is_empty() {
            return Err(Error::config(
                Some("CAMUNDA_CLIENT_ID"),
                "the OAuth client id is empty; set CAMUNDA_CLIENT_ID (or ZEEBE_CLIENT_ID)",
            ));
        }
        if self.client.client_secret.expose_secret().is_empty() {
            return Err(Error::config(
                Some("CAMUNDA_CLIENT_SECRET"),
                "the OAuth client secret is empty; set CAMUNDA_CLIENT_SECRET (or ZEEBE_CLIENT_SECRET)",
            ));
        }
        check_transport_security(&token_url, "the client secret", self.allow_insecure_http)?;
        Ok(ClientCredentials {
            token_url,
            client: self.client,
            transport,
        })
    }
}

/// What the token endpoint last answered, kept so errors can quote status and body.
type LastAnswer = Arc<Mutex<Option<(u16, Bytes)>>>;

/// Runs the `oauth2` crate's requests over our transport, remembering the last answer.
struct OverTransport {
    transport: SharedTransport,
    last: LastAnswer,
}

impl<'c> oauth2::AsyncHttpClient<'c> for OverTransport {
    type Error = tasklist_transport::Error;
    type Future = std::pin::Pin<
        Box<
            dyn std::future::Future<Output = Result<oauth2::HttpResponse, Self::Error>> + Send + 'c,
        >,
    >;

    fn call(&'c self, request: oauth2::HttpRequest) -> Self::Future {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let mut request = http::Request::from_parts(parts, Bytes::from(body));
            Idempotency::Idempotent.mark(&mut request);
            let response = self.transport.send(request).await?;
            let (parts, body) = response.into_parts();
            if let Ok(mut slot) = self.last.lock() {
                *slot = Some((parts.status.as_u16(), body.clone()));
            }
            Ok(http::Response::from_parts(parts, body.to_vec()))
        })
    }
}

#[async_trait::async_trait]
impl TokenSource for ClientCredentials {
    async fn fetch(&self) -> Result<FetchedToken, Error> {
        let url = self.token_url.as_str().to_owned();
        let client = BasicClient::new(ClientId::new(self.client.client_id.clone()))
            .set_client_secret(ClientSecret::new(
                self.client.client_secret.expose_secret().to_owned(),
            ))
            .set_token_uri(TokenUrl::from_url(self.token_url.clone()))
            .set_auth_type(match self.client.method {
                ClientAuthMethod::RequestBody => AuthType::RequestBody,
                ClientAuthMethod::BasicAuth => AuthType::BasicAuth,
            });
        let mut request = client.exchange_client_credentials();
        if let Some(audience) = &self.client.audience {
            request = request.add_extra_param("audience", audience.clone());
        }
        if let Some(resource) = &self.client.resource {
            request = request.add_extra_param("resource", resource.clone());
        }
        if let Some(scope) = &self.client.scope {
            request =
                request.add_scopes(scope.split_whitespace().map(|s| Scope::new(s.to_owned())));
        }

        let last: LastAnswer = Arc::default();
        let http_client = OverTransport {
            transport: self.transport.clone(),
            last: last.clone(),
        };

        let answer = || last.lock().ok().and_then(|slot| slot.clone());
        match request.request_async(&http_client).await {
            Ok(token) => Ok(FetchedToken::new(
                SecretString::from(token.access_token().secret().to_owned()),
                token.expires_in(),
            )),
            Err(RequestTokenError::ServerResponse(response)) => {
                let status = answer().map_or(400, |(status, _)| status);
                Err(Error::TokenEndpoint {
                    url,
                    status,
                    code: response.error().as_ref().to_owned(),
                    description: response.error_description().cloned(),
                })
            }
            Err(RequestTokenError::Request(error)) => Err(Error::transport(url, error)),
            Err(RequestTokenError::Parse(..) | RequestTokenError::Other(_)) => {
                let (status, body) = answer().unwrap_or((0, Bytes::new()));
                Err(Error::TokenResponse {
                    url,
                    status,
                    excerpt: excerpt(&body),
                })
            }
        }
    }

    fn cache_key(&self) -> String {
        let mut hash = Sha256::new();
        for part in [
            self.token_url.as_str(),
            &self.client.client_id,
            self.client.audience.as_deref().unwrap_or(""),
            self.client.scope.as_deref().unwrap_or(""),
            self.client.resource.as_deref().unwrap_or(""),
            self.client.client_secret.expose_secret(),
        ] {
            hash.update(part.as_bytes());
            hash.update([0u8]);
        }
        hex::encode(hash.finalize())
    }

    fn endpoint(&self) -> String {
        self.token_url.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tasklist_transport::{HttpTransport, TransportExt};

    fn transport() -> SharedTransport {
        HttpTransport::builder().build().unwrap().into_shared()
    }

    fn creds(secret: &str, audience: &str) -> ClientCredentials {
        ClientCredentials::builder("https://login.example/token", "id", secret.into())
            .audience(audience)
            .build(transport())
            .unwrap()
    }

    #[test]
    fn cache_key_changes_with_every_input_and_hides_the_secret() {
        let base = creds("s1", "tasklist-api").cache_key();
        assert_eq!(base, creds("s1", "tasklist-api").cache_key());
        assert_ne!(base, creds("s2", "tasklist-api").cache_key());
        assert_ne!(base, creds("s1", "operate-api").cache_key());
        assert!(!base.contains("s1"));
        assert_eq!(base.len(), 64);
    }

    #[test]
    fn empty_id_or_secret_names_the_variable() {
        let err = ClientCredentials::builder("https://l/t", "", "s".into())
            .build(transport())
            .unwrap_err();
        assert!(matches!(
            err,
            Error::Config {
                variable: Some("CAMUNDA_CLIENT_ID"),
                ..
            }
        ));
        let err = ClientCredentials::builder("https://l/t", "id", "".into())
            .build(transport())
            .unwrap_err();
        assert!(err.to_string().contains("CAMUNDA_CLIENT_SECRET"), "{err}");
    }

    #[test]
    fn a_remote_plain_http_token_url_is_refused_unless_opted_in() {
        let err = ClientCredentials::builder("http://keycloak.internal/token", "id", "s".into())
            .build(transport())
            .unwrap_err();
        assert!(matches!(err, Error::InsecureHttp { .. }), "{err:?}");
        ClientCredentials::builder("http://keycloak.internal/token", "id", "s".into())
            .allow_insecure_http(true)
            .build(transport())
            .unwrap();
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let builder = ClientCredentials::builder("https://l/t", "id", "super-secret-value".into());
        assert!(!format!("{builder:?}").contains("super-secret-value"));
        let built = creds("super-secret-value", "a");
        assert!(!format!("{built:?}").contains("super-secret-value"));
    }
}
