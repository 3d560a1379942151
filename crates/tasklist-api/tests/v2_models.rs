//! The v2 models against the vendored specs of Camunda 8.8, 8.9 and 8.10 (`spec/v2/`).
//!
//! The tests walk the specs themselves rather than repeating them: every `example` a schema of
//! the user-task surface (or a schema it uses) gives must decode into our type, and so must
//! samples built from each version's schemas, with every property and with only the required
//! ones. Responses must survive a decode and re-encode unchanged, which also proves that no
//! property of any version is missing from the models.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use tasklist_api::v2::models::*;

// ---------------------------------------------------------------------------------------------
// The specs.

/// One version's component schemas.
struct Spec {
    version: &'static str,
    schemas: BTreeMap<String, Value>,
}

impl Spec {
    fn get(&self, name: &str) -> &Value {
        self.schemas
            .get(name)
            .unwrap_or_else(|| panic!("{}: no schema `{name}`", self.version))
    }

    /// The schema a `$ref` node points to, or the node itself.
    fn resolve<'a>(&'a self, node: &'a Value) -> &'a Value {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => self.resolve(self.get(r.rsplit('/').next().unwrap())),
            None => node,
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn schemas_of(doc: &Value, into: &mut BTreeMap<String, Value>) {
    if let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") {
        for (name, schema) in schemas {
            into.insert(name.clone(), schema.clone());
        }
    }
}

fn yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn specs() -> Vec<Spec> {
    let dir = root().join("spec/v2");
    let mut v88 = BTreeMap::new();
    schemas_of(&yaml(&dir.join("rest-api-8.8.yaml")), &mut v88);
    let mut v89 = BTreeMap::new();
    let bundle = std::fs::read_to_string(dir.join("rest-api-8.9.bundle.json")).unwrap();
    schemas_of(&serde_json::from_str(&bundle).unwrap(), &mut v89);
    let mut v810 = BTreeMap::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("8.10-dev"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    for file in files {
        schemas_of(&yaml(&file), &mut v810);
    }
    vec![
        Spec {
            version: "8.8",
            schemas: v88,
        },
        Spec {
            version: "8.9",
            schemas: v89,
        },
        Spec {
            version: "8.10",
            schemas: v810,
        },
    ]
}

// ---------------------------------------------------------------------------------------------
// Our type for each schema.

type Check = fn(&Value) -> Result<Value, serde_json::Error>;

/// Decodes `value` as `T` and encodes it again.
fn check<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, serde_json::Error> {
    let decoded: T = serde_json::from_value(value.clone())?;
    serde_json::to_value(&decoded)
}

/// Whether a schema is a response (decoded, then re-encoded unchanged) or a request.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
    Response,
    Request,
    /// A value inside others (filters, keys, enums): only decoded.
    Value,
}

/// The schemas of the user-task surface and their Rust types.
const SURFACE: &[(&str, Role, Check)] = &[
    ("UserTaskResult", Role::Response, check::<UserTask>),
    (
        "UserTaskSearchQueryResult",
        Role::Response,
        check::<UserTaskPage>,
    ),
    (
        "UserTaskSearchQuery",
        Role::Request,
        check::<UserTaskSearchQuery>,
    ),
    ("UserTaskFilter", Role::Request, check::<UserTaskFilter>),
    (
        "VariableValueFilterProperty",
        Role::Request,
        check::<VariableValueFilter>,
    ),
    (
        "UserTaskCompletionRequest",
        Role::Request,
        check::<UserTaskCompletionRequest>,
    ),
    (
        "UserTaskAssignmentRequest",
        Role::Request,
        check::<UserTaskAssignmentRequest>,
    ),
    (
        "UserTaskUpdateRequest",
        Role::Request,
        check::<UserTaskUpdateRequest>,
    ),
    ("Changeset", Role::Request, check::<Changeset>),
    ("FormResult", Role::Response, check::<Form>),
    ("VariableSearchResult", Role::Response, check::<Variable>),
    ("VariableResult", Role::Response, check::<FullVariable>),
    (
        "VariableSearchQueryResult",
        Role::Response,
        check::<VariablePage>,
    ),
    (
        "UserTaskVariableSearchQueryRequest",
        Role::Request,
        check::<UserTaskVariableSearchQuery>,
    ),
    (
        "UserTaskVariableFilter",
        Role::Request,
        check::<UserTaskVariableFilter>,
    ),
    (
        "UserTaskEffectiveVariableSearchQueryRequest",
        Role::Request,
        check::<UserTaskEffectiveVariableSearchQuery>,
    ),
    ("OffsetPagination", Role::Request, check::<OffsetPage>),
    ("AuditLogResult", Role::Response, check::<AuditLog>),
    (
        "AuditLogSearchQueryResult",
        Role::Response,
        check::<AuditLogPage>,
    ),
    (
        "UserTaskAuditLogSearchQueryRequest",
        Role::Request,
        check::<UserTaskAuditLogSearchQuery>,
    ),
    (
        "UserTaskAuditLogFilter",
        Role::Request,
        check::<UserTaskAuditLogFilter>,
    ),
    ("TopologyResponse", Role::Response, check::<Topology>),
    ("BrokerInfo", Role::Response, check::<BrokerInfo>),
    ("Partition", Role::Response, check::<Partition>),
    ("ProblemDetail", Role::Response, check::<ProblemDetail>),
    ("SearchQueryPageResponse", Role::Response, check::<PageInfo>),
    ("SearchQueryPageRequest", Role::Value, check::<PageRequest>),
    ("StartCursor", Role::Value, check::<Cursor>),
    ("EndCursor", Role::Value, check::<Cursor>),
    (
        "UserTaskSearchQuerySortRequest",
        Role::Value,
        check::<Sort<UserTaskSortField>>,
    ),
    (
        "UserTaskVariableSearchQuerySortRequest",
        Role::Value,
        check::<Sort<VariableSortField>>,
    ),
    (
        "AuditLogSearchQuerySortRequest",
        Role::Value,
        check::<Sort<AuditLogSortField>>,
    ),
    ("StringFilterProperty", Role::Value, check::<StringFilter>),
    ("IntegerFilterProperty", Role::Value, check::<IntegerFilter>),
    (
        "DateTimeFilterProperty",
        Role::Value,
        check::<DateTimeFilter>,
    ),
    (
        "UserTaskStateFilterProperty",
        Role::Value,
        check::<EnumFilter<UserTaskState>>,
    ),
    (
        "ProcessDefinitionKeyFilterProperty",
        Role::Value,
        check::<KeyFilter<ProcessDefinitionKey>>,
    ),
    (
        "ProcessInstanceKeyFilterProperty",
        Role::Value,
        check::<KeyFilter<ProcessInstanceKey>>,
    ),
    (
        "OperationTypeFilterProperty",
        Role::Value,
        check::<EnumFilter<AuditLogOperationType>>,
    ),
    (
        "AuditLogResultFilterProperty",
        Role::Value,
        check::<EnumFilter<AuditLogOutcome>>,
    ),
    (
        "AuditLogActorTypeFilterProperty",
        Role::Value,
        check::<EnumFilter<AuditLogActorType>>,
    ),
    ("UserTaskStateEnum", Role::Value, check::<UserTaskState>),
    ("SortOrderEnum", Role::Value, check::<SortOrder>),
    (
        "AuditLogOperationTypeEnum",
        Role::Value,
        check::<AuditLogOperationType>,
    ),
    (
        "AuditLogEntityTypeEnum",
        Role::Value,
        check::<AuditLogEntityType>,
    ),
    (
        "AuditLogActorTypeEnum",
        Role::Value,
        check::<AuditLogActorType>,
    ),
    ("AuditLogResultEnum", Role::Value, check::<AuditLogOutcome>),
    (
        "AuditLogCategoryEnum",
        Role::Value,
        check::<AuditLogCategory>,
    ),
    ("LongKey", Role::Value, check::<UserTaskKey>),
    ("UserTaskKey", Role::Value, check::<UserTaskKey>),
    (
        "ProcessInstanceKey",
        Role::Value,
        check::<ProcessInstanceKey>,
    ),
    (
        "ProcessDefinitionKey",
        Role::Value,
        check::<ProcessDefinitionKey>,
    ),
    (
        "ElementInstanceKey",
        Role::Value,
        check::<ElementInstanceKey>,
    ),
    ("FormKey", Role::Value, check::<FormKey>),
    ("VariableKey", Role::Value, check::<VariableKey>),
    ("ScopeKey", Role::Value, check::<ScopeKey>),
    ("AuditLogKey", Role::Value, check::<AuditLogKey>),
    ("JobKey", Role::Value, check::<JobKey>),
    (
        "DecisionDefinitionKey",
        Role::Value,
        check::<DecisionDefinitionKey>,
    ),
    (
        "DecisionRequirementsKey",
        Role::Value,
        check::<DecisionRequirementsKey>,
    ),
    (
        "DecisionEvaluationKey",
        Role::Value,
        check::<DecisionEvaluationKey>,
    ),
    ("BatchOperationKey", Role::Value, check::<BatchOperationKey>),
    ("DeploymentKey", Role::Value, check::<DeploymentKey>),
    ("ResourceKey", Role::Value, check::<ResourceKey>),
];

// ---------------------------------------------------------------------------------------------
// Samples built from the schemas.

/// How to build a sample.
#[derive(Clone, Copy, Debug)]
struct Mode {
    /// Every property (else only the required ones).
    full: bool,
    /// The last alternative of a `oneOf` and the last value of an enum (else the first).
    last: bool,
    /// `null` for every nullable property.
    nulls: bool,
}

const MODES: [Mode; 5] = [
    Mode {
        full: true,
        last: false,
        nulls: false,
    },
    Mode {
        full: true,
        last: true,
        nulls: false,
    },
    Mode {
        full: true,
        last: false,
        nulls: true,
    },
    Mode {
        full: false,
        last: false,
        nulls: false,
    },
    Mode {
        full: false,
        last: true,
        nulls: false,
    },
];

fn sample(spec: &Spec, node: &Value, mode: Mode, depth: usize) -> Value {
    assert!(depth < 40, "{}: the schemas nest too deep", spec.version);
    if let Some(r) = node.get("$ref").and_then(Value::as_str) {
        return sample(
            spec,
            spec.get(r.rsplit('/').next().unwrap()),
            mode,
            depth + 1,
        );
    }
    if let Some(example) = node.get("example") {
        return example.clone();
    }
    if let Some(Value::Array(options)) = node.get("oneOf") {
        let option = if mode.last {
            options.last()
        } else {
            options.first()
        };
        return sample(spec, option.unwrap(), mode, depth + 1);
    }
    if let Some(Value::Array(values)) = node.get("enum") {
        let value = if mode.last {
            values.last()
        } else {
            values.first()
        };
        return value.unwrap().clone();
    }
    let is_object = node.get("type") == Some(&json!("object")) || node.get("properties").is_some();
    if let Some(Value::Array(parts)) = node.get("allOf")
        && !is_object
    {
        // A string with the constraints of another schema (a key, an enum, …).
        return sample(spec, &parts[0], mode, depth + 1);
    }
    match node.get("type").and_then(Value::as_str) {
        Some("string") => {
            let pattern = node.get("pattern").and_then(Value::as_str).unwrap_or("");
            if node.get("format") == Some(&json!("date-time")) {
                json!("2025-10-04T12:35:24.713+02:00")
            } else if pattern.contains("0-9]+$") {
                // Above 2^53: a key that a float would change.
                json!("9007199254740993")
            } else if pattern.contains("A-Za-z0-9+/") {
                json!("WzIyNTE3OTk4MTM2ODcxMDJd")
            } else if pattern.contains("<default>") {
                json!("<default>")
            } else if pattern.starts_with("^[A-Za-z]") {
                json!("urgent")
            } else {
                json!("text")
            }
        }
        Some("integer") => node.get("minimum").cloned().unwrap_or(json!(1)),
        Some("boolean") => json!(true),
        Some("number") => json!(1.5),
        Some("array") => {
            if mode.full {
                json!([sample(spec, &node["items"], mode, depth + 1)])
            } else {
                json!([])
            }
        }
        _ if is_object => object_sample(spec, node, mode, depth),
        other => panic!("{}: cannot sample type {other:?}: {node}", spec.version),
    }
}

/// The properties and required names of an object schema, with its `allOf` parts.
fn properties(
    spec: &Spec,
    node: &Value,
    props: &mut Vec<(String, Value)>,
    required: &mut BTreeSet<String>,
) {
    let node = spec.resolve(node);
    if let Some(Value::Array(parts)) = node.get("allOf") {
        for part in parts {
            properties(spec, part, props, required);
        }
    }
    if let Some(Value::Array(names)) = node.get("required") {
        required.extend(names.iter().filter_map(Value::as_str).map(str::to_owned));
    }
    if let Some(Value::Object(own)) = node.get("properties") {
        for (name, schema) in own {
            props.retain(|(n, _)| n != name);
            props.push((name.clone(), schema.clone()));
        }
    }
}

fn object_sample(spec: &Spec, node: &Value, mode: Mode, depth: usize) -> Value {
    let mut props = Vec::new();
    let mut required = BTreeSet::new();
    properties(spec, node, &mut props, &mut required);
    if props.is_empty() {
        return match node.get("additionalProperties") {
            Some(Value::Bool(true)) => {
                json!({"approved": true, "amount": 9_007_199_254_740_993_u64})
            }
            Some(extra @ Value::Object(_)) => {
                json!({"region": sample(spec, extra, mode, depth + 1)})
            }
            _ => json!({}),
        };
    }
    let mut map = Map::new();
    for (name, schema) in props {
        if !mode.full && !required.contains(&name) {
            continue;
        }
        let nullable = schema.get("nullable") == Some(&json!(true));
        let value = if mode.nulls && nullable {
            Value::Null
        } else {
            sample(spec, &schema, mode, depth + 1)
        };
        map.insert(name, value);
    }
    Value::Object(map)
}

/// `value` without its `null` members, recursively.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

// ---------------------------------------------------------------------------------------------
// The tests.

#[test]
fn every_surface_schema_exists_where_expected() {
    let specs = specs();
    for (name, _, _) in SURFACE {
        let versions: Vec<&str> = specs
            .iter()
            .filter(|s| s.schemas.contains_key(*name))
            .map(|s| s.version)
            .collect();
        // The audit log arrived in 8.9; everything else is in all three.
        let audit = name.contains("AuditLog")
            || name.starts_with("OperationType")
            || name.starts_with("AuditLogResult");
        if audit {
            assert_eq!(versions, ["8.9", "8.10"], "{name}");
        } else if *name == "LongKey" || name.ends_with("Key") {
            assert!(!versions.is_empty(), "{name}");
        } else {
            assert_eq!(versions, ["8.8", "8.9", "8.10"], "{name}");
        }
    }
}

#[test]
fn samples_of_every_version_decode() {
    let mut count = 0;
    for spec in specs() {
        for (name, role, check) in SURFACE {
            let Some(schema) = spec.schemas.get(*name) else {
                continue;
            };
            for mode in MODES {
                let value = sample(&spec, schema, mode, 0);
                let context = format!("{} {name} {mode:?}: {value:#}", spec.version);
                let back = check(&value).unwrap_or_else(|e| panic!("{context}\n{e}"));
                count += 1;
                match role {
                    Role::Response => {
                        // Lossless: nothing dropped, keys and date-times kept as sent.
                        assert_eq!(back, without_nulls(&value), "{context}");
                    }
                    Role::Request if mode.full && !mode.nulls => {
                        // Every property of the schema is a field of ours.
                        let sent: BTreeSet<&String> = value.as_object().unwrap().keys().collect();
                        let kept: BTreeSet<&String> = back.as_object().unwrap().keys().collect();
                        assert_eq!(kept, sent, "{context}");
                        // And encoding is stable.
                        assert_eq!(check(&back).unwrap(), back, "{context}");
                    }
                    _ => {}
                }
            }
        }
    }
    assert!(count > 300, "{count}");
}

/// Every schema the surface uses, by name, with the schemas it reaches.
fn reachable(spec: &Spec) -> BTreeSet<String> {
    fn walk(spec: &Spec, node: &Value, seen: &mut BTreeSet<String>) {
        match node {
            Value::Object(map) => {
                if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                    let name = r.rsplit('/').next().unwrap().to_owned();
                    if seen.insert(name.clone()) {
                        walk(spec, spec.get(&name), seen);
                    }
                }
                for value in map.values() {
                    walk(spec, value, seen);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(spec, i, seen)),
            _ => {}
        }
    }
    let mut seen = BTreeSet::new();
    for (name, _, _) in SURFACE {
        if let Some(schema) = spec.schemas.get(*name) {
            seen.insert((*name).to_owned());
            walk(spec, schema, &mut seen);
        }
    }
    seen
}

/// The examples a node gives: `example`, and each of `examples` (a list, or a map of
/// `{value}`).
fn examples_of(node: &Value) -> Vec<Value> {
    let mut out: Vec<Value> = node.get("example").cloned().into_iter().collect();
    match node.get("examples") {
        Some(Value::Array(list)) => out.extend(list.iter().cloned()),
        Some(Value::Object(map)) => {
            out.extend(
                map.values()
                    .map(|e| e.get("value").cloned().unwrap_or(e.clone())),
            );
        }
        _ => {}
    }
    out
}

#[test]
fn every_example_of_the_specs_decodes() {
    let mut decoded = 0;
    for spec in specs() {
        let surface: BTreeMap<&str, Check> = SURFACE.iter().map(|(n, _, c)| (*n, *c)).collect();
        for name in reachable(&spec) {
            let schema = spec.get(&name);
            // An example of a schema we have a type for decodes as that type.
            if let Some(check) = surface.get(name.as_str()) {
                for example in examples_of(schema) {
                    check(&example).unwrap_or_else(|e| {
                        panic!("{} {name} example {example}: {e}", spec.version)
                    });
                    decoded += 1;
                }
            }
            // An example of a property (its own, or its schema's) decodes inside its object.
            let Some(check) = surface.get(name.as_str()) else {
                continue;
            };
            let mut props = Vec::new();
            properties(&spec, schema, &mut props, &mut BTreeSet::new());
            for (property, node) in props {
                let mut examples = examples_of(&node);
                let target = node
                    .get("$ref")
                    .or_else(|| node.pointer("/allOf/0/$ref"))
                    .and_then(Value::as_str);
                if let Some(target) = target {
                    examples.extend(examples_of(spec.get(target.rsplit('/').next().unwrap())));
                }
                for example in examples {
                    let value = json!({ property.clone(): example });
                    check(&value).unwrap_or_else(|e| {
                        panic!("{} {name}.{property} example {value}: {e}", spec.version)
                    });
                    decoded += 1;
                }
            }
        }
    }
    assert!(decoded > 40, "only {decoded} examples");
}

#[test]
fn tasks_of_each_version_decode() {
    // 8.8: only userTaskKey is required; optional properties are left out.
    let v88: UserTask = serde_json::from_value(json!({
        "userTaskKey": "2251799813685281",
        "name": "Approve invoice",
        "state": "CREATED",
        "elementId": "approveInvoice",
        "candidateGroups": ["accounting"],
        "candidateUsers": [],
        "processDefinitionId": "invoice",
        "creationDate": "2025-10-04T12:35:24.713Z",
        "tenantId": "<default>",
        "processDefinitionVersion": 3,
        "customHeaders": {"region": "EMEA"},
        "priority": 50,
        "elementInstanceKey": "2251799813685280",
        "processDefinitionKey": "2251799813685249",
        "processInstanceKey": "2251799813685255"
    }))
    .unwrap();
    assert_eq!(v88.state, Some(UserTaskState::Created));
    assert_eq!(v88.tags, None);
    assert_eq!(
        v88.custom_headers
            .unwrap()
            .get("region")
            .map(String::as_str),
        Some("EMEA")
    );

    // 8.9: every property present, the optional ones null; adds tags and
    // rootProcessInstanceKey.
    let v89: UserTask = serde_json::from_value(json!({
        "userTaskKey": "2251799813685281",
        "name": null,
        "state": "COMPLETED",
        "assignee": null,
        "elementId": "approveInvoice",
        "candidateGroups": [],
        "candidateUsers": [],
        "processDefinitionId": "invoice",
        "creationDate": "2025-10-04T12:35:24.713Z",
        "completionDate": "2025-10-05T08:00:00.000Z",
        "followUpDate": null,
        "dueDate": null,
        "tenantId": "<default>",
        "externalFormReference": null,
        "processDefinitionVersion": 3,
        "customHeaders": {},
        "priority": 50,
        "elementInstanceKey": "2251799813685280",
        "processName": null,
        "processDefinitionKey": "2251799813685249",
        "processInstanceKey": "2251799813685255",
        "rootProcessInstanceKey": null,
        "formKey": null,
        "tags": ["urgent"]
    }))
    .unwrap();
    assert!(v89.is_finished());
    assert_eq!(v89.tags, Some(vec!["urgent".to_owned()]));
    assert_eq!(v89.due_date, None);

    // 8.10: adds businessId.
    let v810: UserTask = serde_json::from_value(json!({
        "userTaskKey": "2251799813685281",
        "state": "ASSIGNING",
        "businessId": "order-4711",
        "rootProcessInstanceKey": "2251799813685255"
    }))
    .unwrap();
    assert_eq!(v810.business_id.as_deref(), Some("order-4711"));
    assert_eq!(v810.state, Some(UserTaskState::Assigning));
    assert!(!v810.is_open());
}

#[test]
fn unknown_enum_values_round_trip() {
    let task: UserTask = serde_json::from_value(json!({"state": "SUSPENDED"})).unwrap();
    assert_eq!(task.state, Some(UserTaskState::Unknown("SUSPENDED".into())));
    assert_eq!(
        serde_json::to_value(&task).unwrap(),
        json!({"state": "SUSPENDED"})
    );
    let entry: AuditLog = serde_json::from_value(json!({
        "operationType": "ESCALATE",
        "actorType": "UNKNOWN",
        "result": "PARTIAL",
        "category": "USER_TASKS"
    }))
    .unwrap();
    assert_eq!(
        entry.operation_type,
        Some(AuditLogOperationType::Unknown("ESCALATE".into()))
    );
    // The value `UNKNOWN` is a known variant, not the catch-all.
    assert_eq!(entry.actor_type, Some(AuditLogActorType::UnknownActor));
    assert_eq!(
        entry.result,
        Some(AuditLogOutcome::Unknown("PARTIAL".into()))
    );
    assert_eq!(entry.category, Some(AuditLogCategory::UserTasks));
    assert_eq!(
        serde_json::to_value(&entry).unwrap(),
        json!({
            "operationType": "ESCALATE",
            "actorType": "UNKNOWN",
            "result": "PARTIAL",
            "category": "USER_TASKS"
        })
    );
    let field: UserTaskSortField = "businessId".parse().unwrap();
    assert_eq!(field, UserTaskSortField::BusinessId);
    assert_eq!(
        "dueDate".parse::<UserTaskSortField>().unwrap().as_str(),
        "dueDate"
    );
}

#[test]
fn keys_follow_the_long_key_rule() {
    assert!(UserTaskKey::new("12a").is_err());
    assert!(UserTaskKey::new("").is_err());
    assert!(UserTaskKey::new("1".repeat(26)).is_err());
    assert!(UserTaskKey::new("1".repeat(25)).is_ok());
    assert_eq!(UserTaskKey::new("-1").unwrap().as_str(), "-1");
    let error = serde_json::from_value::<UserTask>(json!({"userTaskKey": "12a"})).unwrap_err();
    assert!(error.to_string().contains("UserTaskKey"), "{error}");
    // A number is refused (every spec types keys as strings), with a message saying so.
    let error = serde_json::from_value::<UserTask>(json!({"userTaskKey": 2251799813685281_i64}))
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("expected a UserTaskKey (a string"),
        "{error}"
    );
}

#[test]
fn keys_survive_a_round_trip_exactly() {
    let text = r#"{"userTaskKey":"9007199254740993","processInstanceKey":"-9223372036854775808","formKey":"0009"}"#;
    let task: UserTask = serde_json::from_str(text).unwrap();
    assert_eq!(
        task.user_task_key.as_ref().map(UserTaskKey::as_str),
        Some("9007199254740993")
    );
    assert_eq!(serde_json::to_string(&task).unwrap().len(), text.len());
    let back: Value = serde_json::to_value(&task).unwrap();
    assert_eq!(back, serde_json::from_str::<Value>(text).unwrap());
}

#[test]
fn filters_serialise_as_the_spec_says() {
    let mut filter = UserTaskFilter::default();
    filter.assignee = Some(StringFilter::eq("demo"));
    filter.candidate_user = Some(StringFilter::one_of(["demo", "john"]));
    filter.state = Some(EnumFilter::one_of([UserTaskState::Created]));
    filter.priority = Some(IntegerFilter::gte(50));
    filter.due_date = Some(DateTimeFilter::before(
        "2025-11-01T00:00:00Z".parse::<Timestamp>().unwrap(),
    ));
    filter.process_instance_key = Some(KeyFilter::eq(ProcessInstanceKey::from(42)));
    filter.process_definition_key = Some(KeyFilter::not_in([ProcessDefinitionKey::from(7)]));
    filter.user_task_key = Some(UserTaskKey::from(1));
    let mut variable = VariableValueFilter::default();
    variable.name = Some("region".into());
    variable.value = Some(StringFilter::eq("\"EMEA\""));
    filter.process_instance_variables = Some(vec![variable]);
    assert_eq!(
        serde_json::to_value(&filter).unwrap(),
        json!({
            "state": {"$in": ["CREATED"]},
            "assignee": "demo",
            "priority": {"$gte": 50},
            "candidateUser": {"$in": ["demo", "john"]},
            "dueDate": {"$lt": "2025-11-01T00:00:00Z"},
            "processInstanceVariables": [{"name": "region", "value": "\"EMEA\""}],
            "userTaskKey": "1",
            "processDefinitionKey": {"$notIn": ["7"]},
            "processInstanceKey": "42"
        })
    );
    // Both forms decode.
    let decoded: UserTaskFilter =
        serde_json::from_value(json!({"name": "Approve", "tenantId": {"$like": "a*"}})).unwrap();
    assert_eq!(decoded.name, Some(StringFilter::eq("Approve")));
    assert_eq!(decoded.tenant_id, Some(StringFilter::like("a*")));
}

#[test]
fn page_requests_serialise_exactly() {
    let cases = [
        (PageRequest::limit(100), json!({"limit": 100})),
        (
            PageRequest::offset(200, 100),
            json!({"from": 200, "limit": 100}),
        ),
        (
            PageRequest::after(Cursor::new("WzIyNTE3OTk4MTM2ODcxMDJd"), 100),
            json!({"after": "WzIyNTE3OTk4MTM2ODcxMDJd", "limit": 100}),
        ),
        (
            PageRequest::before(Cursor::new("WzFd"), 5),
            json!({"before": "WzFd", "limit": 5}),
        ),
    ];
    for (page, wire) in cases {
        let mut search = UserTaskSearchQuery::default();
        search.page = Some(page);
        assert_eq!(
            serde_json::to_value(&search).unwrap(),
            json!({ "page": wire })
        );
    }
    let mut effective = UserTaskEffectiveVariableSearchQuery::default();
    let mut offset = OffsetPage::default();
    offset.from = Some(0);
    offset.limit = Some(50);
    effective.page = Some(offset);
    assert_eq!(
        serde_json::to_value(&effective).unwrap(),
        json!({"page": {"from": 0, "limit": 50}})
    );
}

#[test]
fn changesets_keep_clear_and_set_apart() {
    let mut changes = Changeset::default();
    changes.due_date = Some(Patch::Clear);
    changes.follow_up_date = Some(Patch::Set("2025-10-06T17:00:00Z".parse().unwrap()));
    changes.candidate_users = Some(Patch::Clear);
    changes.priority = Some(80);
    let mut update = UserTaskUpdateRequest::default();
    update.changeset = Some(changes.clone());
    update.action = Some("escalate".into());
    assert_eq!(
        serde_json::to_value(&update).unwrap(),
        json!({
            "changeset": {
                "dueDate": "",
                "followUpDate": "2025-10-06T17:00:00Z",
                "candidateUsers": [],
                "priority": 80
            },
            "action": "escalate"
        })
    );
    let back: Changeset = serde_json::from_value(serde_json::to_value(&changes).unwrap()).unwrap();
    assert_eq!(back, changes);
    // Absent keeps: nothing is sent.
    assert_eq!(
        serde_json::to_value(Changeset::default()).unwrap(),
        json!({})
    );
}

#[test]
fn pages_and_variables() {
    let page: VariablePage = serde_json::from_value(json!({
        "items": [
            {"name": "region", "value": "\"EMEA\"", "isTruncated": false,
             "variableKey": "1", "scopeKey": "2", "processInstanceKey": "2", "tenantId": "<default>"},
            {"name": "lines", "value": "[{\"sku\":\"A-", "isTruncated": true}
        ],
        "page": {"totalItems": 2, "hasMoreTotalItems": false, "startCursor": null, "endCursor": "WzJd"}
    }))
    .unwrap();
    assert_eq!(page.page.total_items, Some(2));
    assert_eq!(page.page.end_cursor, Some(Cursor::new("WzJd")));
    assert_eq!(page.page.start_cursor, None);
    assert_eq!(page.items[0].decode::<String>().unwrap(), "EMEA");
    assert!(page.items[1].value_state().is_truncated());
    assert!(matches!(
        page.items[1].decode::<Value>(),
        Err(tasklist_api::Error::VariableTruncated { .. })
    ));
    // A page without `page` or `items` (an older or a failing server) still decodes.
    let empty: UserTaskPage = serde_json::from_value(json!({})).unwrap();
    assert!(empty.items.is_empty());
    assert_eq!(empty.page, PageInfo::default());
}

#[test]
fn completion_variables_are_real_json() {
    let mut request = UserTaskCompletionRequest::default();
    let mut variables = Map::new();
    variables.insert("approved".into(), json!(true));
    variables.insert("amount".into(), json!(9_007_199_254_740_993_u64));
    request.variables = Some(variables);
    assert_eq!(
        serde_json::to_string(&request).unwrap(),
        r#"{"variables":{"amount":9007199254740993,"approved":true}}"#
    );
}

#[test]
fn problem_details_decode() {
    let problem: ProblemDetail = serde_json::from_value(json!({
        "type": "about:blank",
        "title": "INVALID_STATE",
        "status": 409,
        "detail": "Command 'COMPLETE' rejected with code 'INVALID_STATE'",
        "instance": "/v2/user-tasks/1/completion",
        "extra": {"ignored": true}
    }))
    .unwrap();
    assert_eq!(problem.problem_type.as_deref(), Some("about:blank"));
    assert_eq!(problem.status, Some(409));
}
