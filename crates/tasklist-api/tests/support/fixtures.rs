//! Response fixtures built from the specs Tasklist servers generate about themselves
//! (`spec/server-generated/tasklist-8.x.y.json`).
//!
//! For each of the nine Tasklist endpoints the generator takes the success response's schema,
//! resolves its `$ref`s and builds instances of it:
//! - `full-N`: every property present with a value of its type: enum values cycled so that each
//!   appears in one of the instances, Tasklist's own date format among the dates, numeric
//!   strings for keys, JSON text for variable values, integers beyond `f64` precision where
//!   the schema allows them;
//! - `nulls`: every property `null`;
//! - `empty`: no property at all;
//! - `example`: the schema's own `example`, where it has one.
//!
//! Array responses get the instances as items of one array (plus an empty array).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::{Map, Value, json};

/// The endpoints of the Tasklist REST API v1 (the `/v1/topology` and `/v1/user-tasks/…` paths
/// in the newer files belong to the Zeebe gateway served by the same process and are not
/// among them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Endpoint {
    SearchTasks,
    GetTask,
    AssignTask,
    UnassignTask,
    CompleteTask,
    SaveDraftVariables,
    SearchTaskVariables,
    GetVariable,
    GetForm,
}

impl Endpoint {
    pub const ALL: [Endpoint; 9] = [
        Endpoint::SearchTasks,
        Endpoint::GetTask,
        Endpoint::AssignTask,
        Endpoint::UnassignTask,
        Endpoint::CompleteTask,
        Endpoint::SaveDraftVariables,
        Endpoint::SearchTaskVariables,
        Endpoint::GetVariable,
        Endpoint::GetForm,
    ];

    /// The path template and method as the specs spell them.
    pub fn route(self) -> (&'static str, &'static str) {
        match self {
            Endpoint::SearchTasks => ("/v1/tasks/search", "post"),
            Endpoint::GetTask => ("/v1/tasks/{taskId}", "get"),
            Endpoint::AssignTask => ("/v1/tasks/{taskId}/assign", "patch"),
            Endpoint::UnassignTask => ("/v1/tasks/{taskId}/unassign", "patch"),
            Endpoint::CompleteTask => ("/v1/tasks/{taskId}/complete", "patch"),
            Endpoint::SaveDraftVariables => ("/v1/tasks/{taskId}/variables", "post"),
            Endpoint::SearchTaskVariables => ("/v1/tasks/{taskId}/variables/search", "post"),
            Endpoint::GetVariable => ("/v1/variables/{variableId}", "get"),
            Endpoint::GetForm => ("/v1/forms/{formId}", "get"),
        }
    }

    fn from_route(path: &str, method: &str) -> Option<Endpoint> {
        Endpoint::ALL
            .into_iter()
            .find(|e| e.route() == (path, method))
    }
}

/// One instance of a schema, named after how it was built.
#[derive(Clone, Debug)]
pub struct Fixture {
    pub name: String,
    pub body: Value,
}

/// One server-generated spec.
pub struct Spec {
    /// `8.3.0`, `8.7.0`, …
    pub version: String,
    pub doc: Value,
}

/// The directory holding the server-generated specs.
pub fn spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../spec/server-generated")
}

/// Every server-generated spec, oldest version first.
pub fn load_all() -> Vec<Spec> {
    let mut specs: Vec<Spec> = std::fs::read_dir(spec_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?.to_owned();
            let version = name.strip_prefix("tasklist-")?.strip_suffix(".json")?;
            let text = std::fs::read_to_string(&path).unwrap();
            Some(Spec {
                version: version.to_owned(),
                doc: serde_json::from_str(&text).unwrap(),
            })
        })
        .collect();
    specs.sort_by_key(|s| version_key(&s.version));
    specs
}

/// `8.5.10` sorts after `8.5.7`.
pub fn version_key(version: &str) -> Vec<u32> {
    version.split('.').map(|p| p.parse().unwrap()).collect()
}

const DATES: [&str; 3] = [
    // What Tasklist itself sends: milliseconds and an offset without a colon.
    "2023-10-04T12:35:24.713+0000",
    "2024-02-29T23:59:59.123456789Z",
    "2025-06-01T08:00:00+02:00",
];

/// Variable values are JSON text; these cover the kinds of JSON value.
const JSON_TEXTS: [&str; 6] = [
    r#""a \"quoted\" string with a \\ backslash, a\nnewline and ünïcödé 🦀""#,
    r#"{"amount":18446744073709551615,"items":[1,2.5,null,{"deep":[true]}]}"#,
    "-9223372036854775808",
    "0.1",
    "true",
    "null",
];

const FORM_SCHEMA: &str = r#"{"components":[{"key":"approved","type":"checkbox","label":"Approve?"}],"type":"default","id":"Form_1"}"#;

impl Spec {
    /// Resolves `#/components/schemas/…` references, transitively.
    pub fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        let mut schema = schema;
        while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let name = reference
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("{}: unsupported $ref {reference}", self.version));
            schema = &self.doc["components"]["schemas"][name];
            assert!(
                schema.is_object(),
                "{}: $ref {reference} does not resolve",
                self.version
            );
        }
        schema
    }

    /// A named component schema.
    pub fn schema(&self, name: &str) -> &Value {
        let schema = &self.doc["components"]["schemas"][name];
        assert!(schema.is_object(), "{}: no schema {name}", self.version);
        schema
    }

    /// The property names of a named component schema.
    pub fn property_names(&self, name: &str) -> Vec<String> {
        self.schema(name)["properties"]
            .as_object()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The Tasklist endpoints this spec lists, each with its success status and that
    /// response's schema (`None` for a response without content, such as 204).
    pub fn endpoints(&self) -> BTreeMap<Endpoint, (u16, Option<Value>)> {
        let mut found = BTreeMap::new();
        let paths = self.doc["paths"].as_object().unwrap();
        for (path, operations) in paths {
            if path.starts_with("/v1/topology") || path.starts_with("/v1/user-tasks") {
                continue;
            }
            for (method, operation) in operations.as_object().unwrap() {
                let endpoint = Endpoint::from_route(path, method).unwrap_or_else(|| {
                    panic!(
                        "{}: unknown Tasklist endpoint {method} {path}",
                        self.version
                    )
                });
                let responses = operation["responses"].as_object().unwrap();
                let (status, response) = responses
                    .iter()
                    .find(|(status, _)| status.starts_with('2'))
                    .unwrap_or_else(|| panic!("{}: {path} has no success", self.version));
                let schema = response["content"]
                    .as_object()
                    .and_then(|content| content.get("application/json"))
                    .map(|media| self.resolve(&media["schema"]).clone());
                found.insert(endpoint, (status.parse().unwrap(), schema));
            }
        }
        found
    }

    /// The fixtures for one response schema.
    pub fn fixtures(&self, schema: &Value) -> Vec<Fixture> {
        let schema = self.resolve(schema);
        let variants = self.variants(schema, 0).max(2);
        let mut fixtures = Vec::new();
        if schema["type"] == "array" {
            let items = self.resolve(&schema["items"]);
            fixtures.push(Fixture {
                name: "full".into(),
                body: Value::Array(
                    (0..variants)
                        .map(|i| self.instance(items, "", i, 0))
                        .collect(),
                ),
            });
            fixtures.push(Fixture {
                name: "nulls".into(),
                body: json!([self.nulls(items)]),
            });
            fixtures.push(Fixture {
                name: "empty".into(),
                body: json!([{}]),
            });
            fixtures.push(Fixture {
                name: "no-items".into(),
                body: json!([]),
            });
            if let Some(example) = items.get("example") {
                fixtures.push(Fixture {
                    name: "example".into(),
                    body: json!([example]),
                });
            }
        } else {
            for i in 0..variants {
                fixtures.push(Fixture {
                    name: format!("full-{i}"),
                    body: self.instance(schema, "", i, 0),
                });
            }
            fixtures.push(Fixture {
                name: "nulls".into(),
                body: self.nulls(schema),
            });
            fixtures.push(Fixture {
                name: "empty".into(),
                body: json!({}),
            });
        }
        if let Some(example) = schema.get("example") {
            fixtures.push(Fixture {
                name: "example".into(),
                body: example.clone(),
            });
        }
        fixtures
    }

    /// How many full instances it takes for every enum value to appear once.
    fn variants(&self, schema: &Value, depth: usize) -> usize {
        if depth > 8 {
            return 1;
        }
        let schema = self.resolve(schema);
        let own = schema["enum"].as_array().map_or(1, Vec::len);
        let items = schema
            .get("items")
            .map_or(1, |items| self.variants(items, depth + 1));
        let properties = schema["properties"].as_object().map_or(1, |properties| {
            properties
                .values()
                .map(|p| self.variants(p, depth + 1))
                .max()
                .unwrap_or(1)
        });
        own.max(items).max(properties)
    }

    /// An object with every property of `schema` set to `null`.
    fn nulls(&self, schema: &Value) -> Value {
        let schema = self.resolve(schema);
        let properties = schema["properties"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        Value::Object(
            properties
                .keys()
                .map(|name| (name.clone(), Value::Null))
                .collect(),
        )
    }

    /// The `i`-th full instance of `schema`, for a property called `name`.
    pub fn instance(&self, schema: &Value, name: &str, i: usize, depth: usize) -> Value {
        assert!(depth < 16, "{}: schema nests too deep", self.version);
        let schema = self.resolve(schema);
        if let (Some(example), 0) = (schema.get("example"), i) {
            return example.clone();
        }
        if let Some(values) = schema["enum"].as_array() {
            return values[i % values.len()].clone();
        }
        match schema["type"].as_str() {
            Some("object") | None if schema.get("properties").is_some() => {
                let mut object = Map::new();
                for (property, sub) in schema["properties"].as_object().unwrap() {
                    object.insert(property.clone(), self.instance(sub, property, i, depth + 1));
                }
                Value::Object(object)
            }
            Some("object") => json!({}),
            Some("array") => Value::Array(
                (0..2)
                    .map(|k| self.instance(&schema["items"], name, i + k, depth + 1))
                    .collect(),
            ),
            Some("string") => Value::String(string_value(schema, name, i)),
            Some("integer") => integer_value(schema, name, i),
            Some("number") => json!([0.5, 1e300, -2.25][i % 3]),
            Some("boolean") => Value::Bool(i.is_multiple_of(2)),
            other => panic!(
                "{}: unsupported schema type {other:?} for {name}",
                self.version
            ),
        }
    }
}

fn string_value(schema: &Value, name: &str, i: usize) -> String {
    let is_key =
        name == "id" || name.ends_with("Key") || name.ends_with("Keys") || name == "sortValues";
    if schema["format"] == "date-time" || name.ends_with("Date") {
        DATES[i % DATES.len()].to_owned()
    } else if name == "value" || name == "previewValue" {
        JSON_TEXTS[i % JSON_TEXTS.len()].to_owned()
    } else if name == "instance" {
        format!("8f0b4ac2-5d7e-4c1c-9a57-0e8d3c1c4f0{}", i % 10)
    } else if name == "schema" {
        FORM_SCHEMA.to_owned()
    } else if is_key {
        // Zeebe keys: beyond f64 precision, and they stay strings on the wire.
        (2_251_799_813_685_249_u64 + i as u64).to_string()
    } else {
        format!("{name} {i} — ünïcödé")
    }
}

fn integer_value(schema: &Value, name: &str, i: usize) -> Value {
    let minimum = schema["minimum"].as_i64();
    let maximum = schema["maximum"].as_i64();
    if name == "priority" || minimum.is_some() || maximum.is_some() {
        let low = minimum.unwrap_or(0);
        let high = maximum.unwrap_or(100);
        return json!([low, high, (low + high) / 2][i % 3]);
    }
    if schema["format"] == "int64" {
        // 2^53 + 1 cannot be held by an f64.
        json!([1_i64, 9_007_199_254_740_993_i64, i64::MAX][i % 3])
    } else {
        json!([1_i32, i32::MAX, 0][i % 3])
    }
}

/// `value` with every `null` object member removed, recursively: what a model that maps
/// `null` and absent to `None` and skips `None` when serialising gives back.
pub fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}
