//! The authentication entry points over real HTTP: the token endpoint, cookie login with CSRF,
//! HTTP Basic, the API's refusals, and the workspace's own authenticators against them.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod basic;
mod bearer;
mod cookie;
mod token;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use secrecy::SecretString;
use serde_json::Value;
use tasklist_testkit::TestServer;
use tasklist_transport::{Bytes, HttpTransport, SharedTransport, TransportExt, http};

/// A plain client that never goes through a proxy and never follows redirects.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The workspace's HTTP transport, without proxy.
fn transport() -> SharedTransport {
    HttpTransport::builder()
        .no_proxy()
        .build()
        .unwrap()
        .into_shared()
}

/// A request with a JSON body (empty body when `body` is `None`).
fn request(method: &str, url: &str, body: Option<Value>) -> tasklist_transport::Request {
    let mut builder = http::Request::builder().method(method).uri(url);
    if body.is_some() {
        builder = builder.header("content-type", "application/json");
    }
    let bytes = body.map(|b| Bytes::from(b.to_string())).unwrap_or_default();
    builder.body(bytes).unwrap()
}

/// The body of a response as JSON.
async fn json_of(response: reqwest::Response) -> Value {
    let text = response.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The claims of a JWT, decoded without checking the signature.
fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT has three parts");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// An id of a seeded task.
fn some_task(server: &TestServer) -> String {
    let mut tasks = server.store().tasks();
    tasks.sort_by(|a, b| a.id.cmp(&b.id));
    tasks.first().expect("the server was seeded").id.clone()
}

/// The `name=value` of cookie `name` among a response's `Set-Cookie` headers.
fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

/// POSTs the form-encoded `body` to `url`.
async fn post_form(
    http: &reqwest::Client,
    url: impl reqwest::IntoUrl,
    body: &'static str,
) -> reqwest::Response {
    http.post(url).form_body(body).send().await.unwrap()
}

/// A form-encoded body (`application/x-www-form-urlencoded`).
trait FormBody {
    fn form_body(self, body: &'static str) -> Self;
}

impl FormBody for reqwest::RequestBuilder {
    fn form_body(self, body: &'static str) -> Self {
        self.header("content-type", "application/x-www-form-urlencoded")
            .body(body)
    }
}

/// `reqwest` without its `json` feature: a JSON body by hand.
trait JsonBody {
    fn json_body(self, body: Value) -> Self;
}

impl JsonBody for reqwest::RequestBuilder {
    fn json_body(self, body: Value) -> Self {
        self.header("content-type", "application/json")
            .body(body.to_string())
    }
}

/// The secret text of an access token, for a raw request in a test.
trait ExposeForTest {
    fn expose_secret_for_test(&self) -> String;
}

impl ExposeForTest for SecretString {
    fn expose_secret_for_test(&self) -> String {
        use secrecy::ExposeSecret as _;
        self.expose_secret().to_owned()
    }
}
