//! The [`Client`] and the plumbing every call shares: URLs, headers, idempotency marks, and
//! the reading of responses.

use std::fmt::{self, Write as _};
use std::sync::Arc;

use bytes::Bytes;
use futures::future::BoxFuture;
use http::header::{ACCEPT, CONTENT_TYPE};
use http::{HeaderValue, Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tasklist_transport::{Idempotency, Request, Response, SharedTransport};

use crate::error::{ApiError, Error};
use crate::version::{ApiVersion, DetectedApi};

/// The future every call returns: `Send`, `'static`, resolving to the call's result.
///
/// Every request builder also implements [`IntoFuture`](std::future::IntoFuture) with this
/// future, so `.await` on the builder sends it; `.send()` does the same and can be stored or
/// spawned.
///
/// ```
/// # async fn example(client: tasklist_api::Client) {
/// use tasklist_api::ResponseFuture;
/// use tasklist_api::models::Task;
///
/// let pending: ResponseFuture<Task> = client.tasks().get("2251799813685251").send();
/// let handle = tokio::spawn(pending);
/// # let _ = handle;
/// # }
/// ```
pub type ResponseFuture<T> = BoxFuture<'static, Result<T, crate::Error>>;

/// Implements [`IntoFuture`](std::future::IntoFuture) for a request builder whose `send(self)`
/// returns a [`ResponseFuture`] of `$output`.
macro_rules! into_future {
    ($builder:ty => $output:ty) => {
        impl std::future::IntoFuture for $builder {
            type Output = Result<$output, crate::Error>;
            type IntoFuture = crate::ResponseFuture<$output>;

            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }
    };
}
pub(crate) use into_future;

/// A client of the Tasklist REST API (v1) over any [`tasklist_transport::Transport`].
///
/// The client knows the API, not how to reach or authenticate to it: timeouts, TLS, retries
/// and credentials belong to the transport stack it is given (see
/// [`tasklist_transport::TransportExt`] and the `tasklist-auth` crate). Cloning is cheap; clones
/// share the transport.
///
/// The calls are grouped as the API groups them: [`tasks`](Client::tasks),
/// [`variables`](Client::variables), [`forms`](Client::forms), and the legacy
/// [`graphql`](Client::graphql) endpoint.
///
/// # Example
///
/// ```
/// # fn transport() -> tasklist_transport::SharedTransport { tasklist_transport::test_util::Canned::json(200, r#"[{"id":"7","name":"Check","taskState":"CREATED","sortValues":["1","7"]}]"#) }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), tasklist_api::Error> {
/// use tasklist_api::Client;
/// use tasklist_api::models::TaskState;
///
/// let client = Client::new("http://localhost:8080", transport())?;
/// let tasks = client
///     .tasks()
///     .search()
///     .state(TaskState::Created)
///     .assigned(false)
///     .await?;
/// assert_eq!(tasks[0].name.as_deref(), Some("Check"));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    /// The base URL without a trailing slash, for example `https://host/tasklist`.
    base: String,
    /// The URI of the v1 task search, the call made most often, parsed once.
    search_uri: http::Uri,
    /// The URI of the v2 user-task search, parsed once.
    search_user_tasks_uri: http::Uri,
    transport: SharedTransport,
    /// The API asked for: pinned, or `Auto`.
    api_version: ApiVersion,
    /// The API found out, once, when `Auto`.
    detected: tokio::sync::OnceCell<DetectedApi>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base)
            .field("api_version", &self.inner.api_version)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client of the Tasklist at `base_url`, sending through `transport`.
    ///
    /// The base URL may have a path prefix (`https://host/tasklist`), with or without a
    /// trailing slash; the API's paths are appended to it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] when `base_url` is not an absolute `http` or `https` URL, or
    /// has a query, a fragment, or credentials (put those in an authenticator instead).
    ///
    /// ```
    /// # let transport = tasklist_transport::test_util::Canned::unused();
    /// use tasklist_api::Client;
    ///
    /// let client = Client::new("https://camunda.example.com/tasklist/", transport.clone())?;
    /// assert_eq!(client.base_url(), "https://camunda.example.com/tasklist");
    ///
    /// assert!(Client::new("ftp://example.com", transport.clone()).is_err());
    /// assert!(Client::new("https://demo:demo@example.com", transport).is_err());
    /// # Ok::<(), tasklist_api::Error>(())
    /// ```
    pub fn new(base_url: &str, transport: SharedTransport) -> Result<Self, Error> {
        Client::with_api_version(base_url, transport, ApiVersion::Auto)
    }

    fn with_api_version(
        base_url: &str,
        transport: SharedTransport,
        api_version: ApiVersion,
    ) -> Result<Self, Error> {
        let base = normalise_base(base_url)?;
        let search_uri = uri_of(&base, SEARCH_TASKS)?;
        let search_user_tasks_uri = uri_of(&base, SEARCH_USER_TASKS)?;
        Ok(Client {
            inner: Arc::new(Inner {
                base,
                search_uri,
                search_user_tasks_uri,
                transport,
                api_version,
                detected: tokio::sync::OnceCell::new(),
            }),
        })
    }

    /// A builder for a client of the Tasklist at `base_url`.
    ///
    /// ```
    /// # let transport = tasklist_transport::test_util::Canned::unused();
    /// let client = tasklist_api::Client::builder("http://localhost:8080")
    ///     .transport(transport)
    ///     .build()?;
    /// assert_eq!(client.base_url(), "http://localhost:8080");
    /// # Ok::<(), tasklist_api::Error>(())
    /// ```
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            transport: None,
            api_version: ApiVersion::Auto,
        }
    }

    /// The base URL every path is appended to, without a trailing slash.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// assert!(client.base_url().starts_with("http"));
    /// # }
    /// ```
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    /// The API version the client was built with ([`ApiVersion::Auto`] unless pinned with
    /// [`ClientBuilder::api_version`]).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// println!("{}", client.api_version());
    /// # }
    /// ```
    pub fn api_version(&self) -> ApiVersion {
        self.inner.api_version
    }

    /// The task API this client uses for the calls both APIs have: the pinned one, or, with
    /// [`ApiVersion::Auto`], the one the server speaks, found out once per client (clones
    /// share the answer) with `GET /v2/topology`:
    ///
    /// - an answer from Camunda 8.8 or later: [`Api::V2`](crate::Api::V2), also on 8.8 and
    ///   8.9, which still serve v1, because their v1 refuses Camunda user tasks to API
    ///   clients (pin [`ApiVersion::V1`] to keep v1 there);
    /// - an answer from an earlier version, or `404`: [`Api::V1`](crate::Api::V1).
    ///
    /// # Errors
    ///
    /// Any other failure of the request (authentication, the network, a `5xx`), which is not
    /// remembered: the next call asks again.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// use tasklist_api::Api;
    /// match client.api().await?.api {
    ///     Api::V1 => println!("Tasklist v1"),
    ///     Api::V2 => println!("user tasks v2"),
    ///     _ => println!("newer"),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn api(&self) -> ResponseFuture<DetectedApi> {
        let client = self.clone();
        Box::pin(async move {
            if let Some(api) = client.inner.api_version.pinned() {
                return Ok(DetectedApi::pinned(api));
            }
            client
                .inner
                .detected
                .get_or_try_init(|| async {
                    match client.topology().await {
                        Ok(topology) => Ok(DetectedApi::from_topology(topology)),
                        Err(Error::NotFound(_)) => Ok(DetectedApi::without_v2()),
                        Err(other) => Err(other),
                    }
                })
                .await
                .cloned()
        })
    }

    /// The API the client uses when it is known without a request: pinned, or found out
    /// before.
    pub(crate) fn known_api(&self) -> Option<crate::api::Api> {
        self.inner
            .api_version
            .pinned()
            .or_else(|| self.inner.detected.get().map(|detected| detected.api))
    }

    /// The transport the client sends through.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let transport = client.transport().clone();
    /// # let _ = transport;
    /// # }
    /// ```
    pub fn transport(&self) -> &SharedTransport {
        &self.inner.transport
    }

    /// Sends `call` and returns the status and body of a successful response; an error
    /// response becomes the matching [`Error`].
    pub(crate) async fn execute(&self, call: Call) -> Result<(StatusCode, Bytes), Error> {
        let response = self.exchange(call).await?;
        let status = response.status();
        let body = response.into_body();
        if status.is_success() {
            Ok((status, body))
        } else {
            Err(ApiError::from_response(status, &body))
        }
    }

    /// Sends `call` and returns the response, whatever its status.
    pub(crate) async fn exchange(&self, call: Call) -> Result<Response, Error> {
        let request = self.request(call)?;
        Ok(self.inner.transport.send(request).await?)
    }

    /// Sends `call` and decodes the JSON body of its successful response.
    ///
    /// The body must be of the shape the call expects (an object, or an array for the searches):
    /// `serde` would otherwise read a struct from an array, field by field.
    pub(crate) async fn json<T: DeserializeOwned>(&self, call: Call) -> Result<T, Error> {
        let shape = call.shape;
        let (status, body) = self.execute(call).await?;
        let (open, what) = match shape {
            Shape::Object => (b'{', "a JSON object"),
            Shape::Array => (b'[', "a JSON array"),
        };
        match body.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(first) if *first == open => {}
            // Empty or not JSON at all: serde's own message says what is wrong.
            None => {}
            Some(first) if !matches!(first, b'{' | b'[') => {}
            Some(_) => {
                let source = <serde_json::Error as serde::de::Error>::custom(format!(
                    "expected {what} as the response body"
                ));
                return Err(Error::decode(status, &body, source));
            }
        }
        serde_json::from_slice(&body).map_err(|e| Error::decode(status, &body, e))
    }

    fn request(&self, call: Call) -> Result<Request, Error> {
        let uri = match call.target {
            Target::SearchTasks => self.inner.search_uri.clone(),
            Target::SearchUserTasks => self.inner.search_user_tasks_uri.clone(),
            Target::Path(path) => uri_of(&self.inner.base, &path)?,
        };
        let has_body = call.body.is_some();
        let mut request = http::Request::builder()
            .method(call.method)
            .uri(uri)
            .header(ACCEPT, HeaderValue::from_static(call.accept))
            .body(call.body.map(Bytes::from).unwrap_or_default())
            .map_err(|e| Error::invalid(format!("the request cannot be built: {e}")))?;
        if has_body {
            request
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
        }
        call.idempotency.mark(&mut request);
        Ok(request)
    }
}

const JSON: &str = "application/json";

/// The path of the v1 task search.
const SEARCH_TASKS: &str = "/v1/tasks/search";

/// The path of the v2 user-task search.
const SEARCH_USER_TASKS: &str = "/v2/user-tasks/search";

/// The URI of `path` (encoded, from `/`) below `base`.
fn uri_of(base: &str, path: &str) -> Result<http::Uri, Error> {
    http::Uri::try_from(format!("{base}{path}"))
        .map_err(|e| Error::invalid(format!("the request cannot be built: {e}")))
}

/// The `Accept` of a call answering JSON: the spec documents successes as `application/json`
/// and errors as `application/problem+json`.
const ACCEPT_JSON: &str = "application/json, application/problem+json";

/// The `Accept` of a call whose success has no body, documented as `*/*`: JSON is preferred
/// (for error bodies), anything accepted.
pub(crate) const ACCEPT_ANY: &str = "application/json, application/problem+json, */*";

/// Builds a [`Client`].
///
/// ```
/// # let transport = tasklist_transport::test_util::Canned::unused();
/// use tasklist_api::Client;
///
/// let builder = Client::builder("http://localhost:8080");
/// // Without a transport there is nothing to send through.
/// assert!(builder.clone().build().is_err());
/// let client = builder.transport(transport).build()?;
/// # let _ = client;
/// # Ok::<(), tasklist_api::Error>(())
/// ```
#[derive(Clone)]
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    transport: Option<SharedTransport>,
    api_version: ApiVersion,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("has_transport", &self.transport.is_some())
            .field("api_version", &self.api_version)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The transport stack to send through, authentication included.
    ///
    /// ```
    /// use tasklist_transport::{HttpTransport, RetryPolicy, TransportExt};
    ///
    /// let transport = HttpTransport::builder()
    ///     .build()?
    ///     .with_retry(RetryPolicy::default())
    ///     .into_shared();
    /// let client = tasklist_api::Client::builder("http://localhost:8080")
    ///     .transport(transport)
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn transport(mut self, transport: SharedTransport) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Pins the task API, or lets the client ask the server ([`ApiVersion::Auto`], the
    /// default); see [`Client::api`].
    ///
    /// ```
    /// # let transport = tasklist_transport::test_util::Canned::unused();
    /// use tasklist_api::{ApiVersion, Client};
    /// let client = Client::builder("http://localhost:8080")
    ///     .transport(transport)
    ///     .api_version(ApiVersion::V1)
    ///     .build()?;
    /// assert_eq!(client.api_version(), ApiVersion::V1);
    /// # Ok::<(), tasklist_api::Error>(())
    /// ```
    pub fn api_version(mut self, version: ApiVersion) -> Self {
        self.api_version = version;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] when no transport was given or the base URL is unusable
    /// (see [`Client::new`]).
    ///
    /// ```
    /// let error = tasklist_api::Client::builder("http://localhost:8080").build().unwrap_err();
    /// assert!(error.to_string().contains("transport"));
    /// ```
    pub fn build(self) -> Result<Client, Error> {
        let transport = self
            .transport
            .ok_or_else(|| Error::invalid("the client needs a transport; call `transport(..)`"))?;
        Client::with_api_version(&self.base_url, transport, self.api_version)
    }
}

/// Checks `base_url` and returns it without a trailing slash.
fn normalise_base(base_url: &str) -> Result<String, Error> {
    let url = url::Url::parse(base_url.trim())
        .map_err(|e| Error::invalid(format!("the base URL is not a valid URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::invalid(format!(
            "the base URL must use http or https, not `{}`",
            url.scheme()
        )));
    }
    if url.host().is_none() {
        return Err(Error::invalid("the base URL has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid(
            "the base URL must not carry credentials; authenticate with an authenticator in \
             the transport stack instead",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid(
            "the base URL must not have a query or a fragment",
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// One HTTP exchange, before the base URL and headers are added.
#[derive(Debug)]
pub(crate) struct Call {
    pub(crate) method: Method,
    /// Where the call goes below the base URL.
    pub(crate) target: Target,
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) idempotency: Idempotency,
    /// The `Accept` header: JSON and problem+json unless set otherwise.
    pub(crate) accept: &'static str,
    /// The JSON shape a successful response has.
    pub(crate) shape: Shape,
}

/// Where a call goes, below the base URL.
#[derive(Debug)]
pub(crate) enum Target {
    /// `/v1/tasks/search`, whose URI the client parsed once.
    SearchTasks,
    /// `/v2/user-tasks/search`, whose URI the client parsed once.
    SearchUserTasks,
    /// Any other encoded path (and query), starting with `/`.
    Path(String),
}

/// The top-level JSON shape of a successful response body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    Object,
    Array,
}

impl Call {
    /// A call without a body.
    pub(crate) fn new(method: Method, path: String, idempotency: Idempotency) -> Self {
        Call::to(method, Target::Path(path), idempotency)
    }

    /// A call to `target` without a body.
    pub(crate) fn to(method: Method, target: Target, idempotency: Idempotency) -> Self {
        Call {
            method,
            target,
            body: None,
            idempotency,
            accept: ACCEPT_JSON,
            shape: Shape::Object,
        }
    }

    /// This call, answered by a JSON array.
    pub(crate) fn answers_array(mut self) -> Self {
        self.shape = Shape::Array;
        self
    }

    /// This call with `accept` as its `Accept` header.
    pub(crate) fn accept(mut self, accept: &'static str) -> Self {
        self.accept = accept;
        self
    }

    /// This call with `body` serialised as JSON.
    pub(crate) fn json_body(mut self, body: &impl Serialize) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::invalid(format!("the request body cannot be serialised: {e}")))?;
        self.body = Some(bytes);
        Ok(self)
    }
}

/// Builds an encoded path from fixed segments and parameters.
///
/// Each parameter becomes exactly one path segment: everything but ASCII letters, digits and
/// `-._~` is percent-encoded (so `/`, `?`, `#`, `%` and `;` cannot change the path), and the
/// values that no encoding can keep a segment (empty, `.` and `..`, which URL parsers
/// resolve) are refused.
#[derive(Debug, Default)]
pub(crate) struct PathBuilder {
    path: String,
    query: String,
}

impl PathBuilder {
    pub(crate) fn new() -> Self {
        PathBuilder::default()
    }

    /// Appends a fixed segment, written as it is.
    pub(crate) fn fixed(mut self, segment: &str) -> Self {
        self.path.push('/');
        self.path.push_str(segment);
        self
    }

    /// Appends the parameter `what` (named in errors) as one encoded segment.
    pub(crate) fn param(mut self, what: &str, value: &str) -> Result<Self, Error> {
        match value {
            "" => return Err(Error::invalid(format!("the {what} is empty"))),
            "." | ".." => {
                return Err(Error::invalid(format!(
                    "the {what} `{value}` cannot be sent as a path segment"
                )));
            }
            _ => {}
        }
        self.path.push('/');
        encode(&mut self.path, value);
        Ok(self)
    }

    /// Appends the query parameter `name=value`, encoded.
    pub(crate) fn query(mut self, name: &str, value: &str) -> Self {
        self.query
            .push(if self.query.is_empty() { '?' } else { '&' });
        encode(&mut self.query, name);
        self.query.push('=');
        encode(&mut self.query, value);
        self
    }

    pub(crate) fn build(self) -> String {
        self.path + &self.query
    }
}

/// Percent-encodes every byte of `value` except ASCII letters, digits and `-._~`.
fn encode(out: &mut String, value: &str) {
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Recorder, json_response};

    #[test]
    fn base_urls_are_normalised() {
        assert_eq!(normalise_base("http://h").unwrap(), "http://h");
        assert_eq!(normalise_base("http://h/").unwrap(), "http://h");
        assert_eq!(
            normalise_base("https://h:8443/tl").unwrap(),
            "https://h:8443/tl"
        );
        assert_eq!(normalise_base("https://h/tl/").unwrap(), "https://h/tl");
        assert_eq!(
            normalise_base(" https://h/a b/ ").unwrap(),
            "https://h/a%20b"
        );
    }

    #[test]
    fn unusable_base_urls_are_refused_without_echoing_credentials() {
        for bad in [
            "",
            "localhost:8080",
            "ftp://h",
            "http://h/?a=1",
            "http://h/#x",
            "mailto:a@b",
        ] {
            let e = normalise_base(bad).unwrap_err();
            assert!(matches!(e, Error::InvalidArgument(_)), "{bad}");
        }
        let e = normalise_base("https://demo:s3cret@h/").unwrap_err();
        assert!(!e.to_string().contains("s3cret"));
    }

    #[test]
    fn params_are_single_segments() {
        let path = PathBuilder::new()
            .fixed("v1/tasks")
            .param("task id", "a/../b?x#y")
            .unwrap()
            .fixed("assign")
            .build();
        assert_eq!(path, "/v1/tasks/a%2F..%2Fb%3Fx%23y/assign");
        let path = PathBuilder::new()
            .param("id", "%2F;é ~")
            .unwrap()
            .query("k", "a&b=c d")
            .query("v", "3")
            .build();
        assert_eq!(path, "/%252F%3B%C3%A9%20~?k=a%26b%3Dc%20d&v=3");
        for bad in ["", ".", ".."] {
            assert!(matches!(
                PathBuilder::new().param("task id", bad),
                Err(Error::InvalidArgument(_))
            ));
        }
    }

    #[tokio::test]
    async fn requests_carry_accept_and_content_type_only_with_a_body() {
        let recorder = Recorder::new([json_response(200, "{}"), json_response(200, "{}")]);
        let client = recorder.client("http://h/prefix/");
        let get = Call::new(Method::GET, "/v1/x".into(), Idempotency::Idempotent);
        let _: serde_json::Value = client.json(get).await.unwrap();
        let post = Call::new(Method::POST, "/v1/y".into(), Idempotency::NotIdempotent)
            .json_body(&serde_json::json!({"a": 1}))
            .unwrap();
        let _: serde_json::Value = client.json(post).await.unwrap();

        let requests = recorder.requests();
        assert_eq!(requests[0].uri, "http://h/prefix/v1/x");
        assert_eq!(
            requests[0].header("accept"),
            Some("application/json, application/problem+json")
        );
        assert_eq!(requests[0].header("content-type"), None);
        assert_eq!(requests[1].uri, "http://h/prefix/v1/y");
        assert_eq!(requests[1].header("content-type"), Some("application/json"));
        assert_eq!(requests[1].body, r#"{"a":1}"#);
    }

    #[tokio::test]
    async fn a_bad_success_body_is_a_decode_error_with_an_excerpt() {
        let recorder = Recorder::new([json_response(200, "<html>not json</html>")]);
        let client = recorder.client("http://h");
        let call = Call::new(Method::GET, "/v1/x".into(), Idempotency::Idempotent);
        let error = client.json::<Vec<u8>>(call).await.unwrap_err();
        match error {
            Error::Decode {
                status, excerpt, ..
            } => {
                assert_eq!(status, StatusCode::OK);
                assert_eq!(excerpt, "<html>not json</html>");
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn transport_errors_pass_through() {
        let mut mock = tasklist_transport::MockTransport::new();
        mock.expect_send().times(1).returning(|_| {
            Err(tasklist_transport::Error::Connect {
                target: "GET http://h/v1/x".into(),
                source: "refused".into(),
            })
        });
        let client = Client::new("http://h", Arc::new(mock)).unwrap();
        let call = Call::new(Method::GET, "/v1/x".into(), Idempotency::Idempotent);
        let error = client.execute(call).await.unwrap_err();
        assert!(matches!(&error, Error::Transport(e) if e.is_connect()));
    }

    #[test]
    fn debug_shows_the_base_url_and_api_version_only() {
        let client = Recorder::new([]).client("http://h/tl");
        assert_eq!(
            format!("{client:?}"),
            r#"Client { base_url: "http://h/tl", api_version: Auto, .. }"#
        );
    }
}
