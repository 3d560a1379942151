//! OAuth 2.0 client credentials (RFC 6749 §4.4), through the `oauth2` crate over our own
//! transport.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
};
use oauth2::{
    AuthType, ClientId, ClientSecret, EndpointNotSet, RequestTokenError, Scope,
    StandardRevocableToken, TokenUrl,
};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize};
use sha2::{Digest, Sha256};
use tasklist_transport::redact::{redact, register_secret, register_session_value};
use tasklist_transport::{
    Confidential, Idempotency, Retry, RetryPolicy, SharedTransport, TransportExt as _,
};
use url::Url;

use crate::error::{Error, excerpt};
use crate::secure::{check_transport_security, parse_http_url};
use crate::token::MAX_TOKEN_LIFETIME;

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
/// certificate, proxy and timeouts with the API calls. They are marked idempotent (asking twice
/// for a token is harmless), so a `503`, a `429` or a connection reset is retried as for any
/// idempotent call ([`ClientCredentialsBuilder::retry`]). They are marked
/// [`Confidential`]: they are never redirected to another origin, nor sent over plain
/// `http://` to a host that is not loopback, on any hop.
///
/// The client secret is registered with [`tasklist_transport::redact`], so a token endpoint
/// that echoes it back never gets it into an error or a log line. A response that cannot be
/// decoded is reported by the field that failed, never with its body (which may hold a token).
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
    allow_insecure_http: bool,
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
    retry: RetryPolicy,
}

impl fmt::Debug for ClientCredentialsBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentialsBuilder")
            .field("token_url", &self.token_url)
            .field("client", &self.client)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("retry", &self.retry)
            .finish()
    }
}

/// How token requests are retried unless the builder says otherwise: as any idempotent call,
/// with the whole of it (waits included) bounded by 30 s.
fn default_token_retry() -> RetryPolicy {
    RetryPolicy::default().max_elapsed(Duration::from_secs(30))
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
            retry: default_token_retry(),
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

    /// How token requests are retried after a `503`, a `429`, a timeout or a failed
    /// connection. The default is [`RetryPolicy::default`] with the whole fetch, waits
    /// included, bounded by 30 s; [`RetryPolicy::never`] turns retries off. A token cache
    /// that already holds a valid token keeps serving it while a renewal retries.
    ///
    /// ```
    /// use std::time::Duration;
    /// use tasklist_auth::ClientCredentials;
    /// use tasklist_transport::RetryPolicy;
    ///
    /// let builder = ClientCredentials::builder("https://login.example/token", "id", "s".into())
    ///     .retry(RetryPolicy::default().max_attempts(5).max_elapsed(Duration::from_secs(10)));
    /// # let _ = builder;
    /// ```
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
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
        // The secret in every form it travels in: in the form body, and in a Basic header.
        let client = &self.client;
        register_secret(client.client_secret.expose_secret());
        register_secret(&basic_credentials(
            &client.client_id,
            client.client_secret.expose_secret(),
        ));
        let transport = match self.retry.attempts() {
            1 => transport,
            _ => Retry::new(transport, self.retry).into_shared(),
        };
        Ok(ClientCredentials {
            token_url,
            client: self.client,
            transport,
            allow_insecure_http: self.allow_insecure_http,
        })
    }
}

/// The value of the `Authorization: Basic` header of `client_secret_basic`: both parts
/// form-encoded first (RFC 6749 §2.3.1), as the `oauth2` crate sends them.
fn basic_credentials(client_id: &str, secret: &str) -> String {
    let encode =
        |text: &str| url::form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>();
    base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        encode(client_id),
        encode(secret)
    ))
}

/// A token response (RFC 6749 §5.1) as servers really send it: `expires_in` may be a number
/// (integer or not) or a numeric string, and is clamped to a year; `token_type` is not
/// checked (the token is sent as a bearer token whatever it says).
#[derive(Debug, Deserialize, Serialize)]
struct TokenAnswer {
    access_token: oauth2::AccessToken,
    #[serde(default)]
    token_type: AnyTokenType,
    #[serde(
        default,
        deserialize_with = "lifetime_seconds",
        skip_serializing_if = "Option::is_none"
    )]
    expires_in: Option<Duration>,
}

/// Whatever `token_type` a server sends.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(transparent)]
struct AnyTokenType(serde_json::Value);

impl oauth2::TokenType for AnyTokenType {}

impl oauth2::TokenResponse for TokenAnswer {
    type TokenType = AnyTokenType;

    fn access_token(&self) -> &oauth2::AccessToken {
        &self.access_token
    }
    fn token_type(&self) -> &AnyTokenType {
        &self.token_type
    }
    fn expires_in(&self) -> Option<Duration> {
        self.expires_in
    }
    fn refresh_token(&self) -> Option<&oauth2::RefreshToken> {
        None
    }
    fn scopes(&self) -> Option<&Vec<Scope>> {
        None
    }
}

/// `expires_in` as a number of seconds: a JSON number or a string holding one, not negative;
/// longer than a year is taken as a year. `null` is absent.
fn lifetime_seconds<'de, D: Deserializer<'de>>(de: D) -> Result<Option<Duration>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Seconds {
        Number(f64),
        Text(String),
    }
    let not_seconds =
        || serde::de::Error::custom("is not a number of seconds (a number or a numeric string)");
    let seconds = match Option::<Seconds>::deserialize(de).map_err(|_| not_seconds())? {
        None => return Ok(None),
        Some(Seconds::Number(n)) => n,
        Some(Seconds::Text(text)) => text.trim().parse::<f64>().map_err(|_| not_seconds())?,
    };
    if !seconds.is_finite() || seconds < 0.0 {
        return Err(serde::de::Error::custom("is negative or not finite"));
    }
    Ok(Some(Duration::from_secs_f64(
        seconds.min(MAX_TOKEN_LIFETIME.as_secs_f64()),
    )))
}

/// What failed in a 200 answer that is not a token response, without quoting any of it: the
/// field and what was expected of it, or that the body is not JSON.
fn decode_failure(error: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let inner = error.inner();
    let path = error.path().to_string();
    if inner.is_syntax() || inner.is_eof() {
        return format!(
            "the body is not JSON ({} at line {} column {})",
            if inner.is_eof() {
                "it ends early"
            } else {
                "a syntax error"
            },
            inner.line(),
            inner.column()
        );
    }
    let message = inner.to_string();
    let message = message.split(" at line ").next().unwrap_or_default();
    // serde quotes the offending value between "invalid type: " and ", expected": keep only
    // what was expected.
    let what = match message.split_once(", expected ") {
        Some((_, expected)) => {
            format!("has a value of the wrong type or form (expected {expected})")
        }
        None if message.starts_with("missing field") => "is missing".to_owned(),
        None => message.to_owned(),
    };
    if path == "." {
        match message.strip_prefix("missing field ") {
            Some(field) => format!("the field {field} is missing"),
            None => format!("the response {what}"),
        }
    } else {
        format!("the field `{path}` {what}")
    }
}

/// Decodes a `200` token response as the `oauth2` crate does with [`TokenAnswer`]: the token
/// and its lifetime, or what was wrong (never quoting the body).
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn decode_token_answer(body: &[u8]) -> Result<(SecretString, Option<Duration>), String> {
    serde_path_to_error::deserialize::<_, TokenAnswer>(&mut serde_json::Deserializer::from_slice(
        body,
    ))
    .map_err(|e| decode_failure(&e))
    .and_then(take_token)
}

/// The token and lifetime of a decoded answer; an empty token is none.
fn take_token(answer: TokenAnswer) -> Result<(SecretString, Option<Duration>), String> {
    let secret = answer.access_token.into_secret();
    if secret.is_empty() {
        return Err("the field `access_token` is empty".to_owned());
    }
    Ok((SecretString::from(secret), answer.expires_in))
}

/// The `oauth2` client, with [`TokenAnswer`] as its token response.
type OAuthClient<HasTokenUrl = EndpointNotSet> = oauth2::Client<
    BasicErrorResponse,
    TokenAnswer,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    HasTokenUrl,
>;

/// What the token endpoint last answered, kept so errors can quote status and body.
type LastAnswer = Arc<Mutex<Option<(u16, Bytes)>>>;

/// Runs the `oauth2` crate's requests over our transport, remembering the last answer.
struct OverTransport {
    transport: SharedTransport,
    last: LastAnswer,
    allow_insecure_http: bool,
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
            Confidential::new()
                .allow_insecure_http(self.allow_insecure_http)
                .mark(&mut request);
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
        let client = OAuthClient::new(ClientId::new(self.client.client_id.clone()))
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
            allow_insecure_http: self.allow_insecure_http,
        };

        let answer = || last.lock().ok().and_then(|slot| slot.clone());
        match request.request_async(&http_client).await {
            Ok(answer) => match take_token(answer) {
                Ok((secret, expires_in)) => {
                    register_session_value(secret.expose_secret());
                    Ok(FetchedToken::new(secret, expires_in))
                }
                Err(detail) => Err(Error::TokenResponse {
                    url,
                    status: 200,
                    detail,
                }),
            },
            Err(RequestTokenError::ServerResponse(response)) => {
                let status = answer().map_or(400, |(status, _)| status);
                Err(Error::TokenEndpoint {
                    url,
                    status,
                    code: redact(response.error().as_ref()).into_owned(),
                    description: response.error_description().map(|d| redact(d).into_owned()),
                })
            }
            Err(RequestTokenError::Request(error)) => Err(Error::transport(url, error)),
            Err(RequestTokenError::Parse(error, _)) => {
                let (status, body) = answer().unwrap_or((0, Bytes::new()));
                // A success status: the body may hold a token, so only the failure is named.
                // An error status: the start of the body, with every known secret removed.
                let detail = if status == 200 {
                    redact(&decode_failure(&error)).into_owned()
                } else {
                    excerpt(&body)
                };
                Err(Error::TokenResponse {
                    url,
                    status,
                    detail,
                })
            }
            Err(RequestTokenError::Other(message)) => {
                let (status, body) = answer().unwrap_or((0, Bytes::new()));
                let detail = match status {
                    200 => format!(
                        "{}; it is {}",
                        redact(&message),
                        if body.trim_ascii_start().starts_with(b"<") {
                            "an HTML page"
                        } else {
                            "not JSON"
                        }
                    ),
                    _ => excerpt(&body),
                };
                Err(Error::TokenResponse {
                    url,
                    status,
                    detail,
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
    fn token_answers_decode_leniently_and_failures_never_quote_the_body() {
        let ok = |body: &str| decode_token_answer(body.as_bytes()).unwrap().1;
        assert_eq!(
            ok(r#"{"access_token":"t","expires_in":300}"#),
            Some(Duration::from_secs(300))
        );
        assert_eq!(
            ok(r#"{"access_token":"t","expires_in":" 300 "}"#),
            Some(Duration::from_secs(300))
        );
        assert_eq!(
            ok(r#"{"access_token":"t","expires_in":1.5}"#),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            ok(r#"{"access_token":"t","expires_in":1e20}"#),
            Some(MAX_TOKEN_LIFETIME)
        );
        assert_eq!(ok(r#"{"access_token":"t","expires_in":null}"#), None);
        assert_eq!(ok(r#"{"access_token":"t","token_type":7}"#), None);
        for (body, says) in [
            (
                r#"{"access_token":"tok-secret-1","expires_in":"soon"}"#,
                "`expires_in` is not a number",
            ),
            (
                r#"{"access_token":"tok-secret-1","expires_in":-1}"#,
                "`expires_in` is negative",
            ),
            (
                r#"{"access_token":"tok-secret-1","expires_in":[1]}"#,
                "`expires_in` is not a number",
            ),
            (
                r#"{"access_token":12345678}"#,
                "`access_token` has a value of the wrong type",
            ),
            (r#"{"expires_in":300}"#, "`access_token` is missing"),
            (r#"<html>tok-secret-1</html>"#, "not JSON"),
            (r#"{"access_token":""}"#, "`access_token` is empty"),
            (r#"{"access_token":"tok-secret-1""#, "ends early"),
        ] {
            let detail = decode_token_answer(body.as_bytes()).unwrap_err();
            assert!(detail.contains(says), "{body}: {detail}");
            assert!(!detail.contains("tok-secret"), "{body}: {detail}");
            assert!(!detail.contains("12345678"), "{body}: {detail}");
        }
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let builder = ClientCredentials::builder("https://l/t", "id", "super-secret-value".into());
        assert!(!format!("{builder:?}").contains("super-secret-value"));
        let built = creds("super-secret-value", "a");
        assert!(!format!("{built:?}").contains("super-secret-value"));
    }
}
