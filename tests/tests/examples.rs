//! Every example of `docs/examples.md` (Camunda's own Tasklist examples pointed at the
//! testkit), run as written with real `curl` against an in-process testkit configured as the
//! page's section says, each with the status and body it must get.
//!
//! The page is read at test time: an example added there without an expectation here, or an
//! expectation here whose example is gone, fails the test. `localhost:8080` is replaced by the
//! testkit's address; `$TOKEN` and `$CSRF` are what the earlier examples answered, as a reader
//! would copy them. Without `curl` the test prints why and passes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stderr,
    missing_docs
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde_json::Value;
use tasklist_testkit::{AuthMode, OAuthClient, TestServer};

/// One example of the page: its id, the section's server options and the command.
#[derive(Debug)]
struct Example {
    id: String,
    server: String,
    command: String,
}

/// The examples of `docs/examples.md`, in order.
fn examples() -> Vec<Example> {
    let page =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/examples.md"))
            .unwrap();
    let mut found = Vec::new();
    let mut server = String::new();
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        if let Some(options) = line.strip_prefix("Server: `") {
            server = options.split('`').next().unwrap().to_owned();
        }
        let Some(id) = line
            .strip_prefix("<!-- example: ")
            .and_then(|rest| rest.strip_suffix(" -->"))
        else {
            continue;
        };
        assert_eq!(
            lines.next(),
            Some("```sh"),
            "example {id}: a sh block follows"
        );
        let command: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        assert_eq!(command.len(), 1, "example {id}: one command line");
        found.push(Example {
            id: id.to_owned(),
            server: server.clone(),
            command: command[0].to_owned(),
        });
    }
    found
}

/// A testkit as a section's `Server:` options describe it (the binary's defaults otherwise).
async fn start(options: &str) -> TestServer {
    let words: Vec<&str> = options.split_whitespace().collect();
    let value = |flag: &str| {
        words
            .iter()
            .position(|w| *w == flag)
            .map(|at| words[at + 1].to_owned())
    };
    let auth = match value("--auth").as_deref() {
        None | Some("oauth") => AuthMode::OAuth,
        Some("cookie") => AuthMode::Cookie { csrf: false },
        Some("cookie-csrf") => AuthMode::Cookie { csrf: true },
        Some(other) => panic!("no such --auth in docs/examples.md: {other}"),
    };
    let audience = value("--audience").unwrap_or_else(|| "tasklist-api".to_owned());
    TestServer::builder()
        .auth(auth)
        .clients([OAuthClient::new(
            "tasklist",
            "tasklist-secret",
            audience.clone(),
        )])
        .api_audience(audience)
        .tasks(50)
        .seed(1)
        .start()
        .await
        .unwrap()
}

/// What an example answered.
struct Answer {
    status: u16,
    headers: String,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// Runs `command` with `sh` in `dir`, pointed at `base_url`, with `TOKEN` and `CSRF` set.
fn run(command: &str, base_url: &str, dir: &Path, vars: &BTreeMap<&str, String>) -> Answer {
    let command = command.replace("http://localhost:8080", base_url);
    assert!(!command.contains("localhost"), "{command}");
    let script =
        format!("{command} --silent --show-error -D headers.txt -o body.txt -w '%{{http_code}}'");
    let mut shell = Command::new("sh");
    shell.arg("-c").arg(&script).current_dir(dir);
    for (name, value) in vars {
        shell.env(name, value);
    }
    let output = shell.output().unwrap();
    assert!(
        output.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_default();
    Answer {
        status: String::from_utf8_lossy(&output.stdout)
            .trim()
            .parse()
            .unwrap(),
        headers: read("headers.txt"),
        body: read("body.txt"),
    }
}

/// A header's value in `headers` (the last response's, case-insensitive name).
fn header(headers: &str, name: &str) -> Option<String> {
    headers.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().to_owned())
    })
}

/// A non-empty JSON array.
fn non_empty(value: &Value) -> &Vec<Value> {
    let items = value.as_array().expect("an array");
    assert!(!items.is_empty());
    items
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_example_of_the_examples_page_answers_as_it_says() {
    if Command::new("curl").arg("--version").output().is_err() {
        eprintln!("skipped: `curl` is not installed, and these examples are curl lines");
        return;
    }
    let examples = examples();
    let expected: BTreeSet<&str> = [
        "saas-token",
        "bearer-search",
        "bearer-graphql",
        "keycloak-token",
        "keycloak-search",
        "keycloak-wrong-secret",
        "login-query",
        "login-form",
        "login-wrong",
        "cookie-search",
        "cookie-graphql",
        "cookie-operate",
        "no-cookie",
        "logout",
        "csrf-login",
        "csrf-search",
        "csrf-missing",
        "csrf-get",
    ]
    .into();
    let on_page: BTreeSet<&str> = examples.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        on_page, expected,
        "every example has its check, every check its example"
    );

    let mut servers: BTreeMap<String, (TestServer, tempfile::TempDir)> = BTreeMap::new();
    let mut vars: BTreeMap<&str, String> = BTreeMap::new();
    for example in &examples {
        if !servers.contains_key(&example.server) {
            let server = start(&example.server).await;
            servers.insert(
                example.server.clone(),
                (server, tempfile::tempdir().unwrap()),
            );
        }
        let (server, dir) = &servers[&example.server];
        let base_url = server.base_url().trim_end_matches('/').to_owned();
        let command = example.command.clone();
        let answer = {
            let vars = vars.clone();
            let dir = dir.path().to_owned();
            let base = base_url.clone();
            tokio::task::spawn_blocking(move || run(&command, &base, &dir, &vars))
                .await
                .unwrap()
        };
        let id = example.id.as_str();
        let status = answer.status;
        let context = format!("{id}: {status} {}", answer.body);
        match id {
            "saas-token" | "keycloak-token" => {
                assert_eq!(status, 200, "{context}");
                let token = answer.json()["access_token"].as_str().unwrap().to_owned();
                assert_eq!(answer.json()["token_type"], "Bearer", "{context}");
                vars.insert("TOKEN", token);
            }
            "bearer-search" => {
                assert_eq!(status, 200, "{context}");
                for task in non_empty(&answer.json()) {
                    assert_eq!(task["taskState"], "CREATED", "{context}");
                    assert!(task.get("assignee").is_none_or(Value::is_null), "{context}");
                }
            }
            "keycloak-search" | "cookie-search" | "csrf-search" => {
                assert_eq!(status, 200, "{context}");
                non_empty(&answer.json());
            }
            "bearer-graphql" | "cookie-graphql" => {
                assert_eq!(status, 200, "{context}");
                let tasks = answer.json()["data"]["tasks"].clone();
                assert!(
                    non_empty(&tasks).iter().all(|t| t["name"].is_string()),
                    "{context}"
                );
            }
            "keycloak-wrong-secret" => {
                assert_eq!(status, 401, "{context}");
                assert_eq!(answer.json()["error"], "invalid_client", "{context}");
            }
            "login-query" | "login-form" => {
                assert_eq!(status, 204, "{context}");
                let jar = std::fs::read_to_string(dir.path().join("cookie.txt")).unwrap();
                assert!(jar.contains("TASKLIST-SESSION"), "{id}: {jar}");
            }
            "login-wrong" => {
                assert_eq!(status, 401, "{context}");
                let jar = std::fs::read_to_string(dir.path().join("wrong.txt")).unwrap_or_default();
                assert!(!jar.contains("TASKLIST-SESSION"), "{id}: {jar}");
            }
            "cookie-operate" => {
                assert_eq!(status, 200, "{context}");
                let page = answer.json();
                let items = non_empty(&page["items"]);
                assert_eq!(
                    page["total"].as_u64(),
                    Some(items.len() as u64),
                    "{context}"
                );
                for item in items {
                    for field in ["key", "name", "bpmnProcessId", "version"] {
                        assert!(!item[field].is_null(), "{field}: {context}");
                    }
                }
                assert!(page["sortValues"].is_array(), "{context}");
            }
            "no-cookie" => assert_eq!(status, 401, "{context}"),
            "logout" => {
                assert!(matches!(status, 200 | 204), "{context}");
                // The session is gone: the search with the same cookie is refused.
                let search = examples.iter().find(|e| e.id == "cookie-search").unwrap();
                let after = run(&search.command, &base_url, dir.path(), &vars);
                assert_eq!(after.status, 401, "after logout: {}", after.body);
            }
            "csrf-login" => {
                assert_eq!(status, 204, "{context}");
                let token = header(&answer.headers, "X-CSRF-TOKEN")
                    .unwrap_or_else(|| panic!("no X-CSRF-TOKEN in {}", answer.headers));
                vars.insert("CSRF", token);
            }
            "csrf-missing" => assert_eq!(status, 403, "{context}"),
            "csrf-get" => {
                assert_eq!(status, 200, "{context}");
                assert_eq!(answer.json()["id"], "2251799813700001", "{context}");
            }
            other => panic!("no check for example {other}"),
        }
    }
}
