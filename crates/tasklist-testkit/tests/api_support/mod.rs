//! HTTP helpers shared by the API test suites: a small client over reqwest that logs in the way
//! each auth mode needs, and assertions on the real server's error bodies.

#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use serde_json::Value;
use tasklist_testkit::store::Task;
use tasklist_testkit::{Profile, TestServer};

/// A response: status, content type and body text.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub text: String,
    pub set_cookies: Vec<String>,
    /// The `X-CSRF-TOKEN` response header.
    pub csrf_token: Option<String>,
}

impl Reply {
    /// The body as JSON (`Value::Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }
}

/// A client for one server with fixed credentials.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    headers: Vec<(String, String)>,
}

impl Client {
    /// A client without credentials.
    pub fn anonymous(server: &TestServer) -> Client {
        Client {
            http: reqwest::Client::builder()
                .no_proxy()
                .build()
                .expect("client"),
            // The base URL plus the configured base path (the same without one).
            base: server.v2_url(),
            headers: Vec::new(),
        }
    }

    /// A client sending a bearer token minted for the default client and audience.
    pub fn bearer(server: &TestServer) -> Client {
        let token = server
            .mint_token("tasklist", "tasklist-api", Duration::from_secs(600))
            .expect("token");
        Client::anonymous(server).with_header("Authorization", &format!("Bearer {token}"))
    }

    /// A client sending HTTP Basic credentials.
    pub fn basic(server: &TestServer, user: &str, password: &str) -> Client {
        use base64::Engine as _;
        let encoded =
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        Client::anonymous(server).with_header("Authorization", &format!("Basic {encoded}"))
    }

    /// A client holding a cookie session from the profile's login endpoint.
    pub async fn session(server: &TestServer, user: &str, password: &str) -> Client {
        let client = Client::anonymous(server);
        let login = client
            .http
            .post(server.login_url())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(format!("username={user}&password={password}"))
            .send()
            .await
            .expect("login");
        assert!(login.status().is_success(), "login: {}", login.status());
        let cookies: Vec<String> = login
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .map(str::to_owned)
            .collect();
        client.with_header("Cookie", &cookies.join("; "))
    }

    /// The same client with one more header.
    pub fn with_header(mut self, name: &str, value: &str) -> Client {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sends a request; `body` goes out as `application/json`.
    pub async fn send(&self, method: &str, path: &str, body: Option<&str>) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        if let Some(body) = body {
            request = request
                .header("Content-Type", "application/json")
                .body(body.to_owned());
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let set_cookies = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        let csrf_token = response
            .headers()
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let text = response.text().await.expect("body");
        Reply {
            status,
            content_type,
            text,
            set_cookies,
            csrf_token,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send("GET", path, None).await
    }

    pub async fn post(&self, path: &str, body: &str) -> Reply {
        self.send("POST", path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Option<&str>) -> Reply {
        self.send("PATCH", path, body).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send("DELETE", path, None).await
    }

    /// `POST /v1/tasks/search` with this body, expecting 200; the tasks.
    pub async fn search(&self, body: &str) -> Vec<Value> {
        let reply = self.post("/v1/tasks/search", body).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        match reply.json() {
            Value::Array(items) => items,
            other => panic!("not an array: {other}"),
        }
    }
}

/// Asserts an error reply in the body format of `profile`: status, content type, message and
/// whether `instance` is set.
pub fn assert_error(reply: &Reply, profile: Profile, status: u16, message: &str, instance: bool) {
    assert_eq!(reply.status, status, "{}", reply.text);
    assert_eq!(
        reply.content_type, "application/problem+json",
        "{}",
        reply.text
    );
    let body = reply.json();
    assert_eq!(body["status"], status, "{}", reply.text);
    match profile {
        Profile::V8_7 => {
            assert_eq!(body["message"], message, "{}", reply.text);
            assert_eq!(body["instance"].is_string(), instance, "{}", reply.text);
        }
        _ => {
            assert_eq!(body["detail"], message, "{}", reply.text);
            assert!(body["title"].is_string(), "{}", reply.text);
            assert_eq!(body["type"], "about:blank", "{}", reply.text);
        }
    }
}

/// The message of a task validation error (`ErrorHandlingUtils.createErrorMessage`).
pub fn task_error(title: &str, detail: &str) -> String {
    format!("{{ \"title\": \"{title}\",\n  \"detail\": \"{detail}\"\n}}\n")
}

/// A `CREATED`, unassigned task created at `2024-01-01T00:00:00Z` plus `minutes`.
pub fn task(id: &str, minutes: i64) -> Task {
    let mut task = Task::new(id, format!("Task {id}"));
    task.creation_date = jiff::Timestamp::from_second(1_704_067_200 + minutes * 60).expect("date");
    task
}

/// The ids of search results.
pub fn ids(tasks: &[Value]) -> Vec<String> {
    tasks
        .iter()
        .map(|t| t["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}
