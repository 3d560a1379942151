//! Conformance of every v2 response body with the vendored spec of the profile's version.
//!
//! The test drives every v2 endpoint through its successes and error cases on the 8.8, 8.9 and
//! 8.10 profiles and validates each body against the schema the matching spec
//! (`spec/v2/rest-api-8.8.yaml`, `spec/v2/rest-api-8.9.bundle.json`, or the multi-file
//! `spec/v2/8.10-dev/*.yaml`, read at test time) declares for that operation and status.
//! `$ref`s are inlined across files (JSON pointers with `~0`/`~1` escapes, relative file
//! names), and the OpenAPI 3.0 schemas are turned into JSON Schema 2020-12:
//! - `nullable: true` becomes `anyOf: [{type: null}, <schema>]`;
//! - `oneOf` becomes `anyOf` (the key aliases' branches overlap: a `ScopeKey` string is valid
//!   as both a process instance key and an element instance key);
//! - every object schema that declares `properties` (outside a multi-part `allOf`) gets
//!   `unevaluatedProperties: false` unless it says otherwise, so a property the version does
//!   not declare (8.9's `tags` on 8.8, 8.10's `businessId` on 8.9) fails;
//! - formats are checked (`date-time`, `uri-reference`); 8.8's `ProblemDetail.instance` says
//!   `format: uri`, yet the real server sends the request path, which 8.9 fixed to
//!   `uri-reference` (FACTS §3.4), so `uri` is read as `uri-reference`.
//!
//! Errors the spec does not list for an operation (401 on commands, 404 on variable searches;
//! FACTS §6) are validated against the version's `ProblemDetail`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_support;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::Duration;

use api_support::{Client, Reply};
use jsonschema::Draft;
use serde_json::{Map, Value, json};
use tasklist_testkit::store::{Form, Task, TaskImplementation};
use tasklist_testkit::{AuthMode, Fault, Profile, Route, TestServer};

fn spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../spec/v2")
}

/// The documents of one version's spec by file name, and the file the operations start from.
struct Spec {
    docs: HashMap<String, Value>,
}

impl Spec {
    fn load(profile: Profile) -> Spec {
        let mut docs = HashMap::new();
        match profile {
            Profile::V8_8 => {
                let text = std::fs::read_to_string(spec_dir().join("rest-api-8.8.yaml")).unwrap();
                docs.insert("root".to_owned(), serde_norway::from_str(&text).unwrap());
            }
            Profile::V8_9 => {
                let text =
                    std::fs::read_to_string(spec_dir().join("rest-api-8.9.bundle.json")).unwrap();
                docs.insert("root".to_owned(), serde_json::from_str(&text).unwrap());
            }
            _ => {
                for entry in std::fs::read_dir(spec_dir().join("8.10-dev")).unwrap() {
                    let path = entry.unwrap().path();
                    let text = std::fs::read_to_string(&path).unwrap();
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    docs.insert(name, serde_norway::from_str(&text).unwrap());
                }
            }
        }
        Spec { docs }
    }

    /// The node a `$ref` names, seen from `file`, and the file it lives in.
    fn resolve(&self, file: &str, reference: &str) -> (String, Value) {
        let (target, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let target = if target.is_empty() {
            file.to_owned()
        } else {
            target.trim_start_matches("./").to_owned()
        };
        let doc = self
            .docs
            .get(&target)
            .unwrap_or_else(|| panic!("no spec file {target}"));
        let node = doc
            .pointer(pointer)
            .unwrap_or_else(|| panic!("no {pointer} in {target}"))
            .clone();
        (target, node)
    }

    /// The operation object of `method` on `path` (the spec's path, without `/v2`).
    fn operation(&self, method: &str, path: &str) -> Option<(String, Value)> {
        let method = method.to_ascii_lowercase();
        self.docs.iter().find_map(|(file, doc)| {
            doc.get("paths")?
                .get(path)?
                .get(&method)
                .map(|op| (file.clone(), op.clone()))
        })
    }

    /// The `ProblemDetail` schema, inlined.
    fn problem_schema(&self) -> Value {
        let reference = if self.docs.contains_key("root") {
            "#/components/schemas/ProblemDetail"
        } else {
            "problem-detail.yaml#/components/schemas/ProblemDetail"
        };
        let file = if self.docs.contains_key("root") {
            "root"
        } else {
            "user-tasks.yaml"
        };
        let (file, node) = self.resolve(file, reference);
        self.inline(&file, &node, false, 0)
    }

    /// The inlined JSON Schema of `method path` answering `status`: `None` when the operation
    /// lists no such status, `Some(None)` when it lists it without a body.
    fn response_schema(&self, method: &str, path: &str, status: u16) -> Option<Option<Value>> {
        let (file, op) = self.operation(method, path)?;
        let mut response = op.get("responses")?.get(status.to_string())?.clone();
        let mut file = file;
        while let Some(Value::String(reference)) = response.get("$ref").cloned() {
            (file, response) = self.resolve(&file, &reference);
        }
        let Some(content) = response.get("content").and_then(Value::as_object) else {
            return Some(None);
        };
        let schema = content.values().next()?.get("schema")?;
        Some(Some(self.inline(&file, schema, false, 0)))
    }

    /// Inlines every `$ref` of `node` (seen from `file`) and converts it to JSON Schema.
    fn inline(&self, file: &str, node: &Value, in_part: bool, depth: usize) -> Value {
        assert!(depth < 64, "schema too deep (recursive?)");
        match node {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    let (target, resolved) = self.resolve(file, reference);
                    return self.inline(&target, &resolved, in_part, depth + 1);
                }
                let nullable = map.get("nullable") == Some(&Value::Bool(true));
                let mut out = Map::new();
                let own_properties = map.contains_key("properties");
                for (key, value) in map {
                    match key.as_str() {
                        "nullable" | "example" | "examples" | "discriminator" => {}
                        k if k.starts_with("x-") => {}
                        "properties" => {
                            let properties = value
                                .as_object()
                                .unwrap()
                                .iter()
                                .map(|(name, p)| {
                                    (name.clone(), self.inline(file, p, false, depth + 1))
                                })
                                .collect();
                            out.insert(key.clone(), Value::Object(properties));
                        }
                        "allOf" => {
                            let parts = value.as_array().unwrap();
                            let part = parts.len() > 1 || own_properties;
                            let parts = parts
                                .iter()
                                .map(|p| self.inline(file, p, part, depth + 1))
                                .collect();
                            out.insert(key.clone(), Value::Array(parts));
                        }
                        "anyOf" | "oneOf" => {
                            // `oneOf` becomes `anyOf`: the specs use it for key aliases whose
                            // branches overlap (`ScopeKey` is a process instance key or an
                            // element instance key, both `LongKey` strings), so an exact-one
                            // match can never hold.
                            let parts = value
                                .as_array()
                                .unwrap()
                                .iter()
                                .map(|p| self.inline(file, p, true, depth + 1))
                                .collect();
                            out.insert("anyOf".to_owned(), Value::Array(parts));
                        }
                        "items" | "additionalProperties" if value.is_object() => {
                            out.insert(key.clone(), self.inline(file, value, false, depth + 1));
                        }
                        "format" if value == "uri" => {
                            out.insert(key.clone(), json!("uri-reference"));
                        }
                        _ => {
                            out.insert(key.clone(), value.clone());
                        }
                    }
                }
                if own_properties && !in_part && !map.contains_key("additionalProperties") {
                    out.insert("unevaluatedProperties".to_owned(), json!(false));
                }
                let schema = Value::Object(out);
                if nullable {
                    json!({ "anyOf": [{ "type": "null" }, schema] })
                } else {
                    schema
                }
            }
            other => other.clone(),
        }
    }
}

/// Validates replies and records which operations and statuses were covered.
struct Checker {
    profile: Profile,
    spec: Spec,
    covered: BTreeSet<(String, String, u16)>,
    validators: BTreeMap<(String, String, u16), Option<jsonschema::Validator>>,
}

impl Checker {
    fn new(profile: Profile) -> Checker {
        Checker {
            profile,
            spec: Spec::load(profile),
            covered: BTreeSet::new(),
            validators: BTreeMap::new(),
        }
    }

    /// Validates the body of `reply` to `method template` (the spec's path).
    fn check(&mut self, method: &str, template: &str, reply: &Reply) {
        let key = (method.to_owned(), template.to_owned(), reply.status);
        let context = format!("{} {method} {template} {}", self.profile, reply.status);
        if !self.validators.contains_key(&key) {
            let schema = match self.spec.response_schema(method, template, reply.status) {
                Some(schema) => schema,
                None => {
                    assert!(reply.status >= 400, "{context}: status not in the spec");
                    Some(self.spec.problem_schema())
                }
            };
            let validator = schema.map(|schema| {
                jsonschema::options()
                    .with_draft(Draft::Draft202012)
                    .should_validate_formats(true)
                    .build(&schema)
                    .unwrap_or_else(|e| panic!("{context}: schema does not compile: {e}"))
            });
            self.validators.insert(key.clone(), validator);
        }
        match &self.validators[&key] {
            Some(validator) => {
                let body: Value = serde_json::from_str(&reply.text)
                    .unwrap_or_else(|e| panic!("{context}: not JSON ({e}): {}", reply.text));
                let errors: Vec<String> = validator
                    .iter_errors(&body)
                    .map(|e| format!("{} at {}", e, e.instance_path()))
                    .collect();
                assert!(errors.is_empty(), "{context}: {errors:#?}\n{body:#}");
                if reply.status >= 400 {
                    assert!(
                        reply.content_type.starts_with("application/problem+json"),
                        "{context}: {}",
                        reply.content_type
                    );
                    for field in ["type", "title", "status", "detail", "instance"] {
                        assert!(body.get(field).is_some(), "{context}: no {field}: {body}");
                    }
                }
            }
            None => assert!(reply.text.is_empty(), "{context}: a body: {}", reply.text),
        }
        self.covered.insert(key);
    }
}

const SEARCH: &str = "/user-tasks/search";
const TASK: &str = "/user-tasks/{userTaskKey}";
const ASSIGNMENT: &str = "/user-tasks/{userTaskKey}/assignment";
const ASSIGNEE: &str = "/user-tasks/{userTaskKey}/assignee";
const COMPLETION: &str = "/user-tasks/{userTaskKey}/completion";
const FORM: &str = "/user-tasks/{userTaskKey}/form";
const VARIABLES: &str = "/user-tasks/{userTaskKey}/variables/search";
const EFFECTIVE: &str = "/user-tasks/{userTaskKey}/effective-variables/search";
const AUDIT: &str = "/user-tasks/{userTaskKey}/audit-logs/search";
const TOPOLOGY: &str = "/topology";
const VARIABLE: &str = "/variables/{variableKey}";

fn zeebe(key: u64, minutes: i64) -> Task {
    let mut task = api_support::task(&key.to_string(), minutes);
    task.implementation = TaskImplementation::ZeebeUserTask;
    task.process_instance_key = (key + 1_000_000).to_string();
    task.process_name = "Invoice approval".to_owned();
    task
}

async fn run(profile: Profile) {
    let server = TestServer::builder()
        .profile(profile)
        .auth(AuthMode::Basic)
        .truncation_threshold(4)
        .start()
        .await
        .unwrap();
    let mut linked = zeebe(2251799813685251, 0);
    linked.form_id = Some("invoice-form".to_owned());
    linked.form_key = Some("2251799813684365".to_owned());
    linked.form_version = Some(1);
    linked.is_form_embedded = Some(false);
    linked.candidate_groups = Some(vec!["ops".to_owned()]);
    linked.due_date = Some("2024-06-01T00:00:00Z".parse().unwrap());
    server.store().insert_task(linked);
    for i in 2..8 {
        server
            .store()
            .insert_task(zeebe(2251799813685250 + i, i as i64));
    }
    server.store().insert_form(Form::deployed(
        "invoice-form",
        1,
        "1",
        "{\"components\":[]}",
    ));
    server
        .store()
        .insert_variable("2251799813685251", "amount", "1200.5")
        .unwrap();
    server
        .store()
        .insert_variable("2251799813685251", "note", "\"a long note\"")
        .unwrap();
    let api = Client::basic(&server, "demo", "demo");
    let anonymous = Client::anonymous(&server);
    let mut checker = Checker::new(profile);
    let k = "2251799813685251";

    // Reads.
    checker.check("GET", TOPOLOGY, &api.get("/v2/topology").await);
    checker.check("GET", TOPOLOGY, &anonymous.get("/v2/topology").await);
    for body in [
        "{}",
        r#"{"page":{"limit":2}}"#,
        r#"{"page":{"from":100,"limit":2}}"#,
        r#"{"filter":{"assignee":{"$exists":false},"priority":{"$gte":0}},"sort":[{"field":"dueDate","order":"DESC"}]}"#,
        r#"{"page":{"limit":0}}"#,
        r#"{"page":{"after":"%%%"}}"#,
        r#"{"unknown":1}"#,
        "{oops",
    ] {
        checker.check(
            "POST",
            SEARCH,
            &api.post("/v2/user-tasks/search", body).await,
        );
    }
    let first = api
        .post("/v2/user-tasks/search", r#"{"page":{"limit":3}}"#)
        .await;
    let end = first.json()["page"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let next = api
        .post(
            "/v2/user-tasks/search",
            &format!(r#"{{"page":{{"after":"{end}","limit":3}}}}"#),
        )
        .await;
    checker.check("POST", SEARCH, &next);
    let start = next.json()["page"]["startCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let back = api
        .post(
            "/v2/user-tasks/search",
            &format!(r#"{{"page":{{"before":"{start}","limit":3}}}}"#),
        )
        .await;
    checker.check("POST", SEARCH, &back);
    checker.check(
        "POST",
        SEARCH,
        &anonymous.post("/v2/user-tasks/search", "{}").await,
    );

    checker.check("GET", TASK, &api.get(&format!("/v2/user-tasks/{k}")).await);
    checker.check(
        "GET",
        TASK,
        &api.get("/v2/user-tasks/2251799813685252").await,
    );
    checker.check("GET", TASK, &api.get("/v2/user-tasks/1").await);
    checker.check("GET", TASK, &api.get("/v2/user-tasks/x").await);
    checker.check(
        "GET",
        TASK,
        &anonymous.get(&format!("/v2/user-tasks/{k}")).await,
    );

    checker.check(
        "GET",
        FORM,
        &api.get(&format!("/v2/user-tasks/{k}/form")).await,
    );
    checker.check(
        "GET",
        FORM,
        &api.get("/v2/user-tasks/2251799813685252/form").await,
    );
    checker.check("GET", FORM, &api.get("/v2/user-tasks/1/form").await);

    for (query, body) in [
        ("", "{}"),
        (
            "?truncateValues=false",
            r#"{"sort":[{"field":"name","order":"DESC"}]}"#,
        ),
        ("", r#"{"filter":{"name":"amount"},"page":{"limit":1}}"#),
        ("", r#"{"sort":[{"field":"nope"}]}"#),
    ] {
        let path = format!("/v2/user-tasks/{k}/variables/search{query}");
        checker.check("POST", VARIABLES, &api.post(&path, body).await);
        let path = format!("/v2/user-tasks/{k}/effective-variables/search{query}");
        checker.check("POST", EFFECTIVE, &api.post(&path, body).await);
    }
    checker.check(
        "POST",
        VARIABLES,
        &api.post("/v2/user-tasks/1/variables/search", "{}").await,
    );
    let cursor_page = r#"{"page":{"after":"WzFd"}}"#;
    checker.check(
        "POST",
        EFFECTIVE,
        &api.post(
            &format!("/v2/user-tasks/{k}/effective-variables/search"),
            cursor_page,
        )
        .await,
    );

    // One variable by the key a search gave: the whole value (`note` is longer than the
    // threshold of 4), no `isTruncated` (not in any version's `VariableResult`).
    let search = api
        .post(
            &format!("/v2/user-tasks/{k}/variables/search"),
            r#"{"filter":{"name":"note"}}"#,
        )
        .await;
    let variable_key = search.json()["items"][0]["variableKey"]
        .as_str()
        .unwrap()
        .to_owned();
    let whole = api.get(&format!("/v2/variables/{variable_key}")).await;
    checker.check("GET", VARIABLE, &whole);
    assert_eq!(whole.json()["value"], "\"a long note\"", "{profile}");
    assert!(whole.json().get("isTruncated").is_none(), "{profile}");
    checker.check("GET", VARIABLE, &api.get("/v2/variables/1").await);
    checker.check("GET", VARIABLE, &api.get("/v2/variables/x").await);
    checker.check(
        "GET",
        VARIABLE,
        &anonymous
            .get(&format!("/v2/variables/{variable_key}"))
            .await,
    );

    // Commands.
    let update = r#"{"changeset":{"priority":70,"followUpDate":"2024-07-01T00:00:00Z"}}"#;
    checker.check(
        "PATCH",
        TASK,
        &api.patch(&format!("/v2/user-tasks/{k}"), Some(update))
            .await,
    );
    checker.check(
        "PATCH",
        TASK,
        &api.patch("/v2/user-tasks/1", Some(update)).await,
    );
    checker.check(
        "PATCH",
        TASK,
        &api.patch(
            &format!("/v2/user-tasks/{k}"),
            Some(r#"{"changeset":{"priority":500}}"#),
        )
        .await,
    );
    let path = format!("/v2/user-tasks/{k}/assignment");
    checker.check(
        "POST",
        ASSIGNMENT,
        &api.post(&path, r#"{"assignee":"ann"}"#).await,
    );
    checker.check(
        "POST",
        ASSIGNMENT,
        &api.post(&path, r#"{"assignee":"bob","allowOverride":false}"#)
            .await,
    );
    checker.check(
        "POST",
        ASSIGNMENT,
        &api.post(&path, r#"{"assignee":""}"#).await,
    );
    checker.check(
        "POST",
        ASSIGNMENT,
        &anonymous.post(&path, r#"{"assignee":"x"}"#).await,
    );
    let unassign = format!("/v2/user-tasks/{k}/assignee");
    checker.check("DELETE", ASSIGNEE, &api.delete(&unassign).await);
    checker.check(
        "DELETE",
        ASSIGNEE,
        &api.delete("/v2/user-tasks/1/assignee").await,
    );
    let complete = format!("/v2/user-tasks/{k}/completion");
    server.fail_next(Route::CompleteUserTask, 1, Fault::ListenerDenied);
    checker.check("POST", COMPLETION, &api.post(&complete, "{}").await);
    server.fail_next(
        Route::CompleteUserTask,
        1,
        Fault::ListenerTimeout { applied: false },
    );
    checker.check("POST", COMPLETION, &api.post(&complete, "{}").await);
    server.fail_next(
        Route::CompleteUserTask,
        1,
        Fault::Unavailable {
            retry_after: Some(Duration::from_secs(1)),
        },
    );
    checker.check("POST", COMPLETION, &api.post(&complete, "{}").await);
    server.fail_next(Route::CompleteUserTask, 1, Fault::Internal500);
    checker.check("POST", COMPLETION, &api.post(&complete, "{}").await);
    checker.check(
        "POST",
        COMPLETION,
        &api.post(&complete, r#"{"variables":{"ok":true},"action":"approve"}"#)
            .await,
    );
    checker.check("POST", COMPLETION, &api.post(&complete, "{}").await);
    checker.check("GET", TASK, &api.get(&format!("/v2/user-tasks/{k}")).await);

    // Audit logs (8.9+).
    if !matches!(profile, Profile::V8_8) {
        let path = format!("/v2/user-tasks/{k}/audit-logs/search");
        for body in [
            "{}",
            r#"{"filter":{"operationType":"ASSIGN","actorType":{"$in":["USER"]}},"sort":[{"field":"timestamp","order":"DESC"}]}"#,
            r#"{"page":{"limit":1}}"#,
            r#"{"filter":{"unknown":1}}"#,
        ] {
            checker.check("POST", AUDIT, &api.post(&path, body).await);
        }
    }

    // Every operation of the version had at least one success validated.
    let mut operations = vec![
        ("POST", SEARCH, 200),
        ("GET", TASK, 200),
        ("PATCH", TASK, 204),
        ("POST", ASSIGNMENT, 204),
        ("DELETE", ASSIGNEE, 204),
        ("POST", COMPLETION, 204),
        ("GET", FORM, 200),
        ("GET", FORM, 204),
        ("POST", VARIABLES, 200),
        ("POST", EFFECTIVE, 200),
        ("GET", TOPOLOGY, 200),
        ("POST", COMPLETION, 409),
        ("POST", COMPLETION, 504),
        ("POST", COMPLETION, 404),
        ("GET", TASK, 404),
        ("POST", SEARCH, 400),
        ("GET", VARIABLE, 200),
        ("GET", VARIABLE, 400),
        ("GET", VARIABLE, 401),
        ("GET", VARIABLE, 404),
    ];
    if !matches!(profile, Profile::V8_8) {
        operations.push(("POST", AUDIT, 200));
    }
    for (method, path, status) in operations {
        assert!(
            checker
                .covered
                .contains(&(method.to_owned(), path.to_owned(), status)),
            "{profile}: {method} {path} {status} not covered"
        );
    }
}

#[tokio::test]
async fn v2_bodies_conform_to_the_8_8_spec() {
    run(Profile::V8_8).await;
}

#[tokio::test]
async fn v2_bodies_conform_to_the_8_9_spec() {
    run(Profile::V8_9).await;
}

#[tokio::test]
async fn v2_bodies_conform_to_the_8_10_spec() {
    run(Profile::V8_10).await;
}

#[test]
fn the_checker_refuses_undeclared_and_mistyped_properties() {
    let compile = |profile: Profile| {
        let schema = Spec::load(profile)
            .response_schema("GET", TASK, 200)
            .unwrap()
            .unwrap();
        jsonschema::options()
            .with_draft(Draft::Draft202012)
            .should_validate_formats(true)
            .build(&schema)
            .unwrap()
    };
    let v8_8 = compile(Profile::V8_8);
    assert!(v8_8.is_valid(&json!({"userTaskKey": "1"})));
    assert!(!v8_8.is_valid(&json!({"userTaskKey": "1", "tags": []})));
    assert!(!v8_8.is_valid(&json!({"userTaskKey": "1", "assignee": null})));
    assert!(!v8_8.is_valid(&json!({"userTaskKey": 1})));
    assert!(!v8_8.is_valid(&json!({"userTaskKey": "1", "creationDate": "yesterday"})));
    let v8_9 = compile(Profile::V8_9);
    assert!(!v8_9.is_valid(&json!({"userTaskKey": "1"})));

    // `VariableResult` has no `isTruncated`, and 8.9 added `rootProcessInstanceKey`.
    let variable = |profile: Profile| {
        let schema = Spec::load(profile)
            .response_schema("GET", VARIABLE, 200)
            .unwrap()
            .unwrap();
        jsonschema::options()
            .with_draft(Draft::Draft202012)
            .build(&schema)
            .unwrap()
    };
    let base = json!({
        "variableKey": "1", "name": "a", "value": "1", "tenantId": "<default>",
        "scopeKey": "2", "processInstanceKey": "2",
    });
    let v8_8 = variable(Profile::V8_8);
    assert!(v8_8.is_valid(&base));
    let mut truncated = base.clone();
    truncated["isTruncated"] = json!(false);
    assert!(!v8_8.is_valid(&truncated));
    let mut rooted = base.clone();
    rooted["rootProcessInstanceKey"] = json!("2");
    assert!(!v8_8.is_valid(&rooted));
    for profile in [Profile::V8_9, Profile::V8_10] {
        let schema = variable(profile);
        assert!(!schema.is_valid(&base), "{profile}");
        assert!(schema.is_valid(&rooted), "{profile}");
    }
}
