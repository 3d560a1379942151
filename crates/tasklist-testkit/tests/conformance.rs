//! Conformance of every response body with the vendored Tasklist v1 spec.
//!
//! The test drives every endpoint through its successes and each of its error cases, in both
//! profiles, and validates each body against the schema the published spec
//! (`spec/tasklist-v1-openapi.yaml`, read at test time) declares for that operation and status,
//! with `$ref`s resolved, using the `jsonschema` crate (Draft 4, the JSON Schema dialect
//! OpenAPI 3.0 builds on).
//!
//! Two adjustments to the spec's schemas, both because of what the real server sends:
//! - every property is treated as nullable: the spec declares no `nullable` and no `required`,
//!   yet the server writes unset properties as JSON `null` (Jackson's default inclusion);
//! - `format` is not checked: the server writes `dueDate`/`followUpDate` (declared `date-time`)
//!   in its own `yyyy-MM-dd'T'HH:mm:ss.SSSZ` form (`+0000`), which is not RFC 3339.
//!
//! A second, strict pass forbids properties the spec does not declare, taking the declared set
//! from the published spec together with the 8.7.0 server-generated spec
//! (`spec/server-generated/tasklist-8.7.0.json`), which adds `context` to `TaskSearchResponse`.
//!
//! Error bodies: the 8.7 profile's are validated against the spec's `Error` schema; the 8.8
//! profile's against the shape of an RFC 9457 problem (`type`, `title`, `status`, `detail`,
//! `instance`; here all present). Errors the real server produces but the spec does not list
//! for an operation (parse errors, internal errors) are validated the same way.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use api_support::{Client, Reply, task};
use jsonschema::{Draft, Validator};
use serde_json::{Map, Value, json};
use tasklist_testkit::seed::SeedSpec;
use tasklist_testkit::store::{Form, TaskImplementation, TaskState};
use tasklist_testkit::{AuthMode, Profile, TestServer};

fn spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../spec")
}

/// The published spec, parsed from YAML.
fn published_spec() -> Value {
    let text = std::fs::read_to_string(spec_dir().join("tasklist-v1-openapi.yaml")).unwrap();
    serde_norway::from_str(&text).unwrap()
}

/// The spec a Tasklist 8.7.0 server serves.
fn generated_spec() -> Value {
    let text =
        std::fs::read_to_string(spec_dir().join("server-generated/tasklist-8.7.0.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Rewrites an OpenAPI 3.0 schema into JSON Schema: `$ref`s to `#/definitions/…`, every
/// property nullable, and in `strict` mode no undeclared properties.
fn convert(schema: &Value, strict: bool) -> Value {
    match schema {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                let name = reference.trim_start_matches("#/components/schemas/");
                return json!({ "$ref": format!("#/definitions/{name}") });
            }
            let mut out = Map::new();
            for (key, value) in map {
                match key.as_str() {
                    "properties" => {
                        let properties: Map<String, Value> = value
                            .as_object()
                            .unwrap()
                            .iter()
                            .map(|(name, property)| {
                                let nullable =
                                    json!({ "anyOf": [convert(property, strict), {"type": "null"}] });
                                (name.clone(), nullable)
                            })
                            .collect();
                        out.insert(key.clone(), Value::Object(properties));
                    }
                    "items" | "additionalProperties" => {
                        out.insert(key.clone(), convert(value, strict));
                    }
                    // OpenAPI-only keywords.
                    "nullable" | "readOnly" | "writeOnly" | "example" | "discriminator" => {}
                    _ => {
                        out.insert(key.clone(), value.clone());
                    }
                }
            }
            if strict && out.contains_key("properties") {
                out.insert("additionalProperties".to_owned(), Value::Bool(false));
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// The component schemas as JSON Schema definitions; with `extra`, properties the extra spec
/// declares and the published one does not are added.
fn definitions(spec: &Value, extra: Option<&Value>, strict: bool) -> Value {
    let mut definitions = Map::new();
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        let mut schema = schema.clone();
        if let Some(extra) = extra
            && let Some(more) = extra["components"]["schemas"][name]["properties"].as_object()
            && let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut)
        {
            for (property, declared) in more {
                properties
                    .entry(property.clone())
                    .or_insert_with(|| declared.clone());
            }
        }
        definitions.insert(name.clone(), convert(&schema, strict));
    }
    Value::Object(definitions)
}

fn compile(schema: &Value, definitions: &Value, strict: bool) -> Validator {
    let mut root = convert(schema, strict);
    root.as_object_mut()
        .unwrap()
        .insert("definitions".to_owned(), definitions.clone());
    jsonschema::options()
        .with_draft(Draft::Draft4)
        .should_validate_formats(false)
        .build(&root)
        .unwrap_or_else(|e| panic!("schema {root}: {e}"))
}

/// The RFC 9457 problem shape of the 8.8 profile's errors.
fn problem_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer", "minimum": 100, "maximum": 599},
            "detail": {"type": "string"},
            "instance": {"type": "string"}
        },
        "required": ["type", "title", "status", "detail", "instance"],
        "additionalProperties": false
    })
}

/// Validates replies against the spec and records which statuses each operation answered.
struct Checker {
    spec: Value,
    lenient: Value,
    strict: Value,
    profile: Profile,
    covered: BTreeMap<(String, String), BTreeSet<u16>>,
    checked: usize,
}

impl Checker {
    fn new(profile: Profile) -> Checker {
        let spec = published_spec();
        let generated = generated_spec();
        Checker {
            lenient: definitions(&spec, None, false),
            strict: definitions(&spec, Some(&generated), true),
            spec,
            profile,
            covered: BTreeMap::new(),
            checked: 0,
        }
    }

    /// Checks one reply of `method` on the spec path `template`.
    fn check(&mut self, method: &str, template: &str, reply: &Reply) {
        let operation = &self.spec["paths"][template][method.to_ascii_lowercase()];
        assert!(operation.is_object(), "no operation {method} {template}");
        self.covered
            .entry((method.to_owned(), template.to_owned()))
            .or_default()
            .insert(reply.status);
        let context = format!(
            "{:?} {method} {template} {}: {}",
            self.profile, reply.status, reply.text
        );
        if reply.status == 204 {
            assert!(reply.text.is_empty(), "{context}");
            self.checked += 1;
            return;
        }
        let body: Value = serde_json::from_str(&reply.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {context}"));
        let schemas: Vec<(Value, bool)> = if reply.status < 300 {
            let content = &operation["responses"][reply.status.to_string()]["content"];
            let schema = content
                .as_object()
                .and_then(|c| c.values().next())
                .map(|media| media["schema"].clone())
                .unwrap_or_else(|| panic!("no schema declared: {context}"));
            assert!(
                reply.content_type.starts_with("application/json"),
                "{context}"
            );
            vec![(schema, true)]
        } else {
            assert_eq!(reply.content_type, "application/problem+json", "{context}");
            match self.profile {
                Profile::V8_7 => vec![(json!({"$ref": "#/components/schemas/Error"}), true)],
                _ => vec![(problem_schema(), false)],
            }
        };
        for (schema, from_spec) in schemas {
            let passes: Vec<(&Value, bool)> = if from_spec {
                vec![(&self.lenient, false), (&self.strict, true)]
            } else {
                vec![(&self.lenient, false)]
            };
            for (definitions, strict) in passes {
                let validator = if from_spec {
                    compile(&schema, definitions, strict)
                } else {
                    jsonschema::options()
                        .with_draft(Draft::Draft4)
                        .build(&schema)
                        .unwrap()
                };
                let errors: Vec<String> = validator
                    .iter_errors(&body)
                    .map(|e| format!("{} at {}", e, e.instance_path()))
                    .collect();
                assert!(errors.is_empty(), "strict={strict} {errors:?}: {context}");
            }
        }
        if reply.status >= 400 {
            assert_eq!(body["status"], reply.status, "{context}");
        }
        self.checked += 1;
    }

    /// Asserts that every operation of the spec answered with a success and with each error
    /// status it declares, except those listed in `unreachable`.
    fn assert_complete(&self, unreachable: &[(&str, &str, u16)]) {
        for (template, item) in self.spec["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let method = method.to_ascii_uppercase();
                let got = self
                    .covered
                    .get(&(method.clone(), template.clone()))
                    .cloned()
                    .unwrap_or_default();
                for status in operation["responses"].as_object().unwrap().keys() {
                    let status: u16 = status.parse().unwrap();
                    if unreachable.contains(&(method.as_str(), template.as_str(), status)) {
                        continue;
                    }
                    assert!(
                        got.contains(&status),
                        "{:?}: {method} {template} never answered {status} (got {got:?})",
                        self.profile
                    );
                }
            }
        }
    }
}

/// A server with seeded data and a few known tasks: `1` created and unassigned, `2` created and
/// assigned to `john` with variables, `3` completed, `4` canceled, `5` a Zeebe user task.
async fn server(profile: Profile, auth: AuthMode) -> TestServer {
    let server = TestServer::builder()
        .profile(profile)
        .auth(auth)
        .user("john", "john")
        .start()
        .await
        .unwrap();
    let store = server.store();
    store.seed(&SeedSpec::new(40, 5));
    store.insert_task(task("1", 0));
    let mut assigned = task("2", 1);
    assigned.assignee = Some("john".to_owned());
    assigned.process_definition_key = "900".to_owned();
    assigned.form_key = Some("camunda-forms:bpmn:userTaskForm_9".to_owned());
    assigned.is_form_embedded = Some(true);
    store.insert_task(assigned);
    store.insert_variable("2", "short", "\"text\"").unwrap();
    store
        .insert_variable(
            "2",
            "long",
            &serde_json::to_string(&"x".repeat(9000)).unwrap(),
        )
        .unwrap();
    let mut completed = task("3", 2);
    completed.state = TaskState::Completed;
    completed.assignee = Some("john".to_owned());
    completed.completion_date = Some(completed.creation_date);
    store.insert_task(completed);
    let mut canceled = task("4", 3);
    canceled.state = TaskState::Canceled;
    store.insert_task(canceled);
    let mut zeebe = task("5", 4);
    zeebe.implementation = TaskImplementation::ZeebeUserTask;
    zeebe.priority = Some(70);
    store.insert_task(zeebe);
    store.insert_form(Form::embedded(
        "userTaskForm_9",
        "900",
        "{\"components\":[]}",
    ));
    store.insert_form(Form::deployed("deployed", 1, "900", "{\"v\":1}"));
    store.insert_form(Form::deployed("deployed", 2, "900", "{\"v\":2}"));
    server
}

async fn drive(profile: Profile) -> Checker {
    let mut checker = Checker::new(profile);
    let tokens = server(profile, AuthMode::OAuth).await;
    let api = Client::bearer(&tokens);
    let users = server(profile, AuthMode::Basic).await;
    let demo = Client::basic(&users, "demo", "demo");

    const SEARCH: &str = "/v1/tasks/search";
    const TASK: &str = "/v1/tasks/{taskId}";
    const ASSIGN: &str = "/v1/tasks/{taskId}/assign";
    const UNASSIGN: &str = "/v1/tasks/{taskId}/unassign";
    const COMPLETE: &str = "/v1/tasks/{taskId}/complete";
    const DRAFTS: &str = "/v1/tasks/{taskId}/variables";
    const VARIABLES: &str = "/v1/tasks/{taskId}/variables/search";
    const VARIABLE: &str = "/v1/variables/{variableId}";
    const FORM: &str = "/v1/forms/{formId}";

    // POST /v1/tasks/search: successes with every option, then errors.
    let first = api.search(r#"{"pageSize":5}"#).await;
    let cursor = first[2]["sortValues"].clone();
    let bodies = vec![
        String::new(),
        "{}".to_owned(),
        json!({"pageSize": 100, "includeVariables": [{"name": "long"}, {"name": "short"}, {"name": "customer", "alwaysReturnFullValue": true}]}).to_string(),
        json!({"state": "COMPLETED", "includeVariables": [{"name": "document"}, {"name": "comment"}]}).to_string(),
        json!({"state": "CANCELED", "includeVariables": [{"name": "amount"}]}).to_string(),
        json!({"sort": [{"field": "dueDate", "order": "ASC"}, {"field": "priority", "order": "DESC"}]}).to_string(),
        json!({"sort": [{"field": "followUpDate", "order": "DESC"}], "pageSize": 3}).to_string(),
        json!({"searchAfter": cursor, "pageSize": 3}).to_string(),
        json!({"searchAfterOrEqual": cursor, "pageSize": 3}).to_string(),
        json!({"searchBefore": cursor, "pageSize": 3}).to_string(),
        json!({"searchBeforeOrEqual": cursor, "pageSize": 3}).to_string(),
        json!({"assigned": true, "candidateGroups": ["sales", "hr"], "implementation": "ZEEBE_USER_TASK", "priority": {"gte": 10}}).to_string(),
        json!({"taskVariables": [{"name": "short", "value": "\"text\"", "operator": "eq"}], "tenantIds": ["<default>"]}).to_string(),
        json!({"dueDate": {"from": "2024-01-01T00:00:00.000+0000", "to": "2030-01-01T00:00:00Z"}}).to_string(),
    ];
    for body in &bodies {
        let reply = api.post(SEARCH, body).await;
        assert_eq!(reply.status, 200, "{body}: {}", reply.text);
        checker.check("POST", SEARCH, &reply);
    }
    for body in [
        json!({"searchAfter": cursor, "searchBefore": cursor}).to_string(),
        r#"{"pageSize":-1}"#.to_owned(),
        r#"{"state":"nope"}"#.to_owned(),
        "{".to_owned(),
        json!({"searchAfter": ["1"]}).to_string(),
        json!({"sort": [{"field": "priority"}]}).to_string(),
    ] {
        let reply = api.post(SEARCH, &body).await;
        assert!(reply.status >= 400, "{body}");
        checker.check("POST", SEARCH, &reply);
    }

    // GET /v1/tasks/{taskId}
    for id in ["1", "2", "3", "4", "5", "missing"] {
        let reply = api.get(&format!("/v1/tasks/{id}")).await;
        checker.check("GET", TASK, &reply);
    }

    // PATCH …/assign
    let reply = api
        .patch("/v1/tasks/1/assign", Some(r#"{"assignee":"mary"}"#))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    checker.check("PATCH", ASSIGN, &reply);
    for (id, body) in [
        ("3", Some(r#"{"assignee":"a"}"#)),
        ("1", None),
        (
            "1",
            Some(r#"{"assignee":"b","allowOverrideAssignment":false}"#),
        ),
        ("missing", Some(r#"{"assignee":"a"}"#)),
        ("1", Some("{\"assignee\":")),
        ("5", Some(r#"{"assignee":"a"}"#)),
    ] {
        let reply = api.patch(&format!("/v1/tasks/{id}/assign"), body).await;
        checker.check("PATCH", ASSIGN, &reply);
    }
    let reply = demo
        .patch("/v1/tasks/1/assign", Some(r#"{"assignee":"john"}"#))
        .await;
    assert_eq!(reply.status, 403, "{}", reply.text);
    checker.check("PATCH", ASSIGN, &reply);
    let reply = demo.patch("/v1/tasks/1/assign", None).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    checker.check("PATCH", ASSIGN, &reply);

    // PATCH …/unassign
    for id in ["1", "1", "3", "missing", "5"] {
        let reply = api.patch(&format!("/v1/tasks/{id}/unassign"), None).await;
        checker.check("PATCH", UNASSIGN, &reply);
    }

    // POST …/variables (drafts) and POST …/variables/search
    let reply = api
        .post(
            "/v1/tasks/2/variables",
            r#"{"variables":[{"name":"short","value":"\"changed\""},{"name":"new","value":"[1,{\"a\":null}]"},{"name":"bigdraft","value":"\"y\""}]}"#,
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    checker.check("POST", DRAFTS, &reply);
    for (id, body) in [
        ("3", r#"{"variables":[]}"#),
        ("2", r#"{"variables":[{"name":"x","value":"nope"}]}"#),
        ("missing", r#"{"variables":[]}"#),
        ("2", r#"{"variables":null}"#),
        ("2", "{"),
    ] {
        let reply = api.post(&format!("/v1/tasks/{id}/variables"), body).await;
        checker.check("POST", DRAFTS, &reply);
    }
    let reply = api.send("POST", "/v1/tasks/2/variables", None).await;
    checker.check("POST", DRAFTS, &reply);
    let reply = demo
        .post("/v1/tasks/1/variables", r#"{"variables":[]}"#)
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    checker.check("POST", DRAFTS, &reply);

    for (id, body) in [
        ("2", ""),
        ("2", r#"{"variableNames":["short","long","new"]}"#),
        (
            "2",
            r#"{"includeVariables":[{"name":"long","alwaysReturnFullValue":true},{"name":"new"}]}"#,
        ),
        ("3", "{}"),
        ("4", "{}"),
        ("missing", "{}"),
        (
            "2",
            r#"{"variableNames":["a"],"includeVariables":[{"name":"b"}]}"#,
        ),
        ("2", "[]"),
    ] {
        let reply = api
            .post(&format!("/v1/tasks/{id}/variables/search"), body)
            .await;
        checker.check("POST", VARIABLES, &reply);
    }

    // GET /v1/variables/{variableId}: a process variable with a draft, a draft alone, unknown.
    for id in ["2-short", "2-long", "2-new", "missing"] {
        let reply = api.get(&format!("/v1/variables/{id}")).await;
        checker.check("GET", VARIABLE, &reply);
    }

    // PATCH …/complete
    let reply = api
        .patch(
            "/v1/tasks/2/complete",
            Some(r#"{"variables":[{"name":"done","value":"true"},{"name":"note","value":"\"ok\""}]}"#),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    checker.check("PATCH", COMPLETE, &reply);
    for (id, body) in [
        ("2", None),
        ("missing", None),
        ("1", Some(r#"{"variables":[{"name":"x","value":"nope"}]}"#)),
        ("1", Some("[")),
        ("5", None),
    ] {
        let reply = api.patch(&format!("/v1/tasks/{id}/complete"), body).await;
        checker.check("PATCH", COMPLETE, &reply);
    }
    let users_store = users.store();
    let mut other = task("6", 0);
    other.assignee = Some("john".to_owned());
    users_store.insert_task(other);
    users_store.insert_task(task("7", 0));
    for id in ["6", "7"] {
        let reply = demo.patch(&format!("/v1/tasks/{id}/complete"), None).await;
        assert_eq!(reply.status, 400, "{}", reply.text);
        checker.check("PATCH", COMPLETE, &reply);
    }
    // After completion: the snapshot, by search and by id.
    let reply = api.post("/v1/tasks/2/variables/search", "").await;
    checker.check("POST", VARIABLES, &reply);
    let reply = api.get("/v1/variables/2-done").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    checker.check("GET", VARIABLE, &reply);

    // GET /v1/forms/{formId}
    for query in [
        "/v1/forms/userTaskForm_9?processDefinitionKey=900",
        "/v1/forms/deployed?processDefinitionKey=900",
        "/v1/forms/deployed?processDefinitionKey=900&version=1",
        "/v1/forms/deployed?processDefinitionKey=900&version=7",
        "/v1/forms/unknown?processDefinitionKey=900",
        "/v1/forms/deployed",
        "/v1/forms/deployed?processDefinitionKey=900&version=abc",
    ] {
        let reply = api.get(query).await;
        checker.check("GET", FORM, &reply);
    }
    // The seeded forms too.
    for form in tokens.store().forms() {
        let path = format!(
            "/v1/forms/{}?processDefinitionKey={}{}",
            form.id,
            form.process_definition_key,
            form.version
                .map(|v| format!("&version={v}"))
                .unwrap_or_default()
        );
        let reply = api.get(&path).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        checker.check("GET", FORM, &reply);
    }

    // Every seeded task, by id and with all its variables.
    for seeded in tokens.store().tasks() {
        let reply = api.get(&format!("/v1/tasks/{}", seeded.id)).await;
        checker.check("GET", TASK, &reply);
        let reply = api
            .post(&format!("/v1/tasks/{}/variables/search", seeded.id), "")
            .await;
        checker.check("POST", VARIABLES, &reply);
    }
    checker
}

/// Statuses the spec lists that the testkit does not produce: the 403 of user access
/// restrictions (`identity.userAccessRestrictionsEnabled`, Self-Managed with Identity only).
const UNREACHABLE: &[(&str, &str, u16)] = &[
    ("GET", "/v1/tasks/{taskId}", 403),
    ("PATCH", "/v1/tasks/{taskId}/complete", 403),
];

#[tokio::test]
async fn every_response_of_the_8_7_profile_conforms_to_the_spec() {
    let checker = drive(Profile::V8_7).await;
    checker.assert_complete(UNREACHABLE);
    assert!(checker.checked > 150, "{}", checker.checked);
}

#[tokio::test]
async fn every_response_of_the_8_8_profile_conforms_to_the_spec_and_rfc_9457() {
    let checker = drive(Profile::V8_8).await;
    checker.assert_complete(UNREACHABLE);
    assert!(checker.checked > 150, "{}", checker.checked);
}

#[test]
fn the_strict_schema_catches_undeclared_and_mistyped_properties() {
    let spec = published_spec();
    let strict = definitions(&spec, Some(&generated_spec()), true);
    let lenient = definitions(&spec, None, false);
    let schema = json!({"$ref": "#/components/schemas/TaskResponse"});
    let good = json!({"id": "1", "assignee": null, "priority": 50, "taskState": "CREATED"});
    let extra = json!({"id": "1", "surprise": true});
    let mistyped = json!({"id": 1});
    let bad_enum = json!({"taskState": "DONE"});
    let strict_validator = compile(&schema, &strict, true);
    let lenient_validator = compile(&schema, &lenient, false);
    assert!(strict_validator.is_valid(&good));
    assert!(!strict_validator.is_valid(&extra));
    assert!(lenient_validator.is_valid(&extra));
    assert!(!lenient_validator.is_valid(&mistyped));
    assert!(!lenient_validator.is_valid(&bad_enum));
    // `context` comes from the server-generated spec.
    let search = compile(
        &json!({"$ref": "#/components/schemas/TaskSearchResponse"}),
        &strict,
        true,
    );
    assert!(search.is_valid(&json!({"context": "x", "isFirst": true})));
    let priority = json!({"priority": 101});
    assert!(!lenient_validator.is_valid(&priority));
}
