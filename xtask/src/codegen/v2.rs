//! The v2 models: `crates/tasklist-api/src/v2/models/generated.rs` from the Orchestration
//! Cluster REST API specs of Camunda 8.8, 8.9 and 8.10 (`spec/v2/`).
//!
//! One model set decodes all three versions: each struct has the union of the properties its
//! schema has in any version, every field is an `Option` (an 8.8 server leaves out what 8.9
//! requires, and the reverse), each enum has the union of the values and a catch-all, and
//! each field's doc says which versions have it. A property whose types differ between
//! versions must differ only as a plain value and a filter of that value (8.8's plain `name`,
//! 8.10's advanced `processDefinitionKey`); anything else stops the generator.
//!
//! What the generator decides beyond the specs is in the tables below: the Rust names, the key
//! types, the schemas read as filters, pages and sorts, and the examples' values. A schema,
//! enum or property shape the tables do not cover stops the generator with an error.

use std::collections::{BTreeSet, HashMap};
use std::fmt::{self, Write as _};
use std::path::Path;

use super::{
    FieldOut, Node, OpenEnum, Out, Output, assert_eq_line, clean_description, decoding_example,
    example, lookup, read, rustfmt, schema_doc, snake_case,
};

/// A spec description as Markdown, keeping its paragraphs.
fn describe(text: &str) -> String {
    text.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(clean_description)
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The generated file, relative to the workspace root.
const OUTPUT: &str = "crates/tasklist-api/src/v2/models/generated.rs";
/// Where the doc examples import the models from.
const MODELS: &str = "tasklist_api::v2::models";

/// Where a version's spec is.
enum Source {
    /// One YAML file.
    Yaml(&'static str),
    /// One JSON file.
    Json(&'static str),
    /// A folder of YAML files that `$ref` each other.
    Dir(&'static str),
}

/// The versions, newest first: the newest spec orders the fields and gives the docs.
const VERSIONS: &[(&str, Source)] = &[
    ("8.10", Source::Dir("spec/v2/8.10-dev")),
    ("8.9", Source::Json("spec/v2/rest-api-8.9.bundle.json")),
    ("8.8", Source::Yaml("spec/v2/rest-api-8.8.yaml")),
];

/// The sources, for the header and messages.
const SOURCES: &str =
    "spec/v2/rest-api-8.8.yaml, spec/v2/rest-api-8.9.bundle.json and spec/v2/8.10-dev/*.yaml";

/// A schema that becomes a struct.
struct StructSpec {
    schema: &'static str,
    rust: &'static str,
    /// The name of a value of it in the examples.
    var: &'static str,
    /// The first line of its doc.
    summary: &'static str,
    /// Sent in request bodies (its example builds one) rather than received.
    request: bool,
}

const STRUCTS: &[StructSpec] = &[
    StructSpec {
        schema: "UserTaskResult",
        rust: "UserTask",
        var: "task",
        summary: "A user task, as `GET /v2/user-tasks/{userTaskKey}` and the task search return it.",
        request: false,
    },
    StructSpec {
        schema: "UserTaskSearchQueryResult",
        rust: "UserTaskPage",
        var: "page",
        summary: "A page of user tasks: the answer of `POST /v2/user-tasks/search`.",
        request: false,
    },
    StructSpec {
        schema: "UserTaskSearchQuery",
        rust: "UserTaskSearchQuery",
        var: "search",
        summary: "The body of `POST /v2/user-tasks/search`.",
        request: true,
    },
    StructSpec {
        schema: "UserTaskFilter",
        rust: "UserTaskFilter",
        var: "filter",
        summary: "The filter of a user task search: every property set must match.",
        request: true,
    },
    StructSpec {
        schema: "VariableValueFilterProperty",
        rust: "VariableValueFilter",
        var: "variable",
        summary: "A condition on a variable of a user task search: its name and a filter on its \
                  value (JSON text).",
        request: true,
    },
    StructSpec {
        schema: "UserTaskCompletionRequest",
        rust: "UserTaskCompletionRequest",
        var: "request",
        summary: "The body of `POST /v2/user-tasks/{userTaskKey}/completion`.",
        request: true,
    },
    StructSpec {
        schema: "UserTaskAssignmentRequest",
        rust: "UserTaskAssignmentRequest",
        var: "request",
        summary: "The body of `POST /v2/user-tasks/{userTaskKey}/assignment`.",
        request: true,
    },
    StructSpec {
        schema: "UserTaskUpdateRequest",
        rust: "UserTaskUpdateRequest",
        var: "request",
        summary: "The body of `PATCH /v2/user-tasks/{userTaskKey}`.",
        request: true,
    },
    StructSpec {
        schema: "Changeset",
        rust: "Changeset",
        var: "changes",
        summary: "The attributes a user task update changes. An absent field keeps the stored \
                  value; [`Patch::Clear`] clears it.",
        request: true,
    },
    StructSpec {
        schema: "FormResult",
        rust: "Form",
        var: "form",
        summary: "A form, as `GET /v2/user-tasks/{userTaskKey}/form` returns it.",
        request: false,
    },
    StructSpec {
        schema: "VariableSearchResult",
        rust: "Variable",
        var: "variable",
        summary: "A variable, as the user task variable searches return it. Its `value` is JSON \
                  text, cut short when `isTruncated`.",
        request: false,
    },
    StructSpec {
        schema: "VariableResult",
        rust: "FullVariable",
        var: "variable",
        summary: "A variable with its whole value (JSON text, never cut), as \
                  `GET /v2/variables/{variableKey}` returns it.",
        request: false,
    },
    StructSpec {
        schema: "VariableSearchQueryResult",
        rust: "VariablePage",
        var: "page",
        summary: "A page of variables: the answer of the user task variable searches.",
        request: false,
    },
    StructSpec {
        schema: "UserTaskVariableSearchQueryRequest",
        rust: "UserTaskVariableSearchQuery",
        var: "search",
        summary: "The body of `POST /v2/user-tasks/{userTaskKey}/variables/search`.",
        request: true,
    },
    StructSpec {
        schema: "UserTaskVariableFilter",
        rust: "UserTaskVariableFilter",
        var: "filter",
        summary: "The filter of a user task variable search.",
        request: true,
    },
    StructSpec {
        schema: "UserTaskEffectiveVariableSearchQueryRequest",
        rust: "UserTaskEffectiveVariableSearchQuery",
        var: "search",
        summary: "The body of `POST /v2/user-tasks/{userTaskKey}/effective-variables/search` \
                  (offset paging only).",
        request: true,
    },
    StructSpec {
        schema: "OffsetPagination",
        rust: "OffsetPage",
        var: "page",
        summary: "Offset paging: the only paging of the effective-variables search.",
        request: true,
    },
    StructSpec {
        schema: "AuditLogResult",
        rust: "AuditLog",
        var: "entry",
        summary: "An audit log entry, as the user task audit log search returns it (8.9+).",
        request: false,
    },
    StructSpec {
        schema: "AuditLogSearchQueryResult",
        rust: "AuditLogPage",
        var: "page",
        summary: "A page of audit log entries: the answer of the user task audit log search.",
        request: false,
    },
    StructSpec {
        schema: "UserTaskAuditLogSearchQueryRequest",
        rust: "UserTaskAuditLogSearchQuery",
        var: "search",
        summary: "The body of `POST /v2/user-tasks/{userTaskKey}/audit-logs/search` (8.9+).",
        request: true,
    },
    StructSpec {
        schema: "UserTaskAuditLogFilter",
        rust: "UserTaskAuditLogFilter",
        var: "filter",
        summary: "The filter of a user task audit log search.",
        request: true,
    },
    StructSpec {
        schema: "TopologyResponse",
        rust: "Topology",
        var: "topology",
        summary: "The cluster topology, as `GET /v2/topology` returns it (its `gatewayVersion` \
                  tells the server's version).",
        request: false,
    },
    StructSpec {
        schema: "BrokerInfo",
        rust: "BrokerInfo",
        var: "broker",
        summary: "A broker of the cluster topology.",
        request: false,
    },
    StructSpec {
        schema: "Partition",
        rust: "Partition",
        var: "partition",
        summary: "A partition of a broker in the cluster topology.",
        request: false,
    },
    StructSpec {
        schema: "ProblemDetail",
        rust: "ProblemDetail",
        var: "problem",
        summary: "An error body (`application/problem+json`, RFC 9457).",
        request: false,
    },
    StructSpec {
        schema: "SearchQueryPageResponse",
        rust: "PageInfo",
        var: "info",
        summary: "The `page` of a search result: the total and the cursors of neighbouring pages.",
        request: false,
    },
];

/// Schemas whose `items` and `page` are plain fields (`Vec` and `PageInfo`, empty when
/// absent) rather than `Option`s.
const PAGES: &[&str] = &[
    "UserTaskSearchQueryResult",
    "VariableSearchQueryResult",
    "AuditLogSearchQueryResult",
];

/// Sort criterion schemas: each becomes `Sort<F>` with `F` generated from its `field` enum.
const SORTS: &[(&str, &str)] = &[
    ("UserTaskSearchQuerySortRequest", "UserTaskSortField"),
    (
        "UserTaskVariableSearchQuerySortRequest",
        "VariableSortField",
    ),
    ("AuditLogSearchQuerySortRequest", "AuditLogSortField"),
];

/// Enum schemas whose Rust name is not the schema name without a trailing `Enum`.
const ENUM_NAMES: &[(&str, &str)] = &[("AuditLogResultEnum", "AuditLogOutcome")];

/// Enums defined inline in a property (`Schema.property`), by Rust name.
const INLINE_ENUMS: &[(&str, &str)] = &[
    ("UserTaskSearchQuerySortRequest.field", "UserTaskSortField"),
    (
        "UserTaskVariableSearchQuerySortRequest.field",
        "VariableSortField",
    ),
    ("AuditLogSearchQuerySortRequest.field", "AuditLogSortField"),
    ("Partition.role", "PartitionRole"),
    ("Partition.health", "PartitionHealth"),
    ("Partition.state", "PartitionState"),
];

/// Variants whose name would clash with the catch-all `Unknown(String)`: (enum, value, name).
const VARIANT_NAMES: &[(&str, &str, &str)] = &[
    ("AuditLogOperationType", "UNKNOWN", "UnknownOperation"),
    ("AuditLogActorType", "UNKNOWN", "UnknownActor"),
    ("PartitionState", "unknown", "UnknownState"),
];

/// The key newtypes of `keys.rs`; a `$ref` to one of these schemas becomes that type.
const KEYS: &[&str] = &[
    "UserTaskKey",
    "ProcessInstanceKey",
    "ProcessDefinitionKey",
    "ElementInstanceKey",
    "FormKey",
    "VariableKey",
    "ScopeKey",
    "AuditLogKey",
    "JobKey",
    "DecisionDefinitionKey",
    "DecisionRequirementsKey",
    "DecisionEvaluationKey",
    "BatchOperationKey",
    "DeploymentKey",
    "ResourceKey",
];

/// Properties that are a `Patch` (`tasklist_api::v2::models::Patch`): set, or cleared with an empty value (`Schema.property`).
const PATCHES: &[&str] = &[
    "Changeset.dueDate",
    "Changeset.followUpDate",
    "Changeset.candidateUsers",
    "Changeset.candidateGroups",
];

/// Rust field names that are not the snake_case of the property: (`Schema.property`, name).
const FIELD_NAMES: &[(&str, &str)] = &[("ProblemDetail.type", "problem_type")];

/// String properties that an early spec typed as an object: an object decodes as its JSON text.
const JSON_TEXT: &[&str] = &["FormResult.schema"];

/// The operators each filter type offers.
const STRING_OPS: &[&str] = &["eq", "neq", "exists", "in", "notIn", "like"];
const ORDERED_OPS: &[&str] = &["eq", "neq", "exists", "gt", "gte", "lt", "lte", "in"];
const KEY_OPS: &[&str] = &["eq", "neq", "exists", "in", "notIn"];
const ENUM_OPS: &[&str] = &["eq", "neq", "exists", "in", "like"];

// The examples' values, looked up by `Schema.property`, then by `property`.

const SAMPLE_STRINGS: &[(&str, &str)] = &[
    ("UserTaskResult.name", "Approve invoice"),
    ("UserTaskFilter.name", "Approve invoice"),
    ("name", "approved"),
    ("value", "true"),
    ("assignee", "demo"),
    ("elementId", "approveInvoice"),
    ("processDefinitionId", "invoice"),
    ("processName", "Invoice approval"),
    ("tenantId", "<default>"),
    ("candidateGroups", "accounting"),
    ("candidateGroup", "accounting"),
    ("candidateUsers", "demo"),
    ("candidateUser", "demo"),
    ("tags", "urgent"),
    ("businessId", "order-4711"),
    ("externalFormReference", "https://forms.example.com/approve"),
    ("formId", "invoiceForm"),
    ("schema", "{\"components\":[]}"),
    ("type", "about:blank"),
    ("title", "NOT_FOUND"),
    ("detail", "User task with key '1' not found"),
    ("instance", "/v2/user-tasks/1"),
    ("gatewayVersion", "8.8.5"),
    ("version", "8.8.5"),
    ("host", "zeebe-0"),
    ("brokerId", "0"),
    ("actorId", "demo"),
    ("action", "approve"),
];

const SAMPLE_INTEGERS: &[(&str, i64)] = &[
    ("priority", 50),
    ("status", 404),
    ("port", 26501),
    ("clusterSize", 3),
    ("partitionsCount", 3),
    ("replicationFactor", 3),
    ("limit", 50),
    ("from", 0),
    ("totalItems", 1),
];

/// A date-time for the examples.
const SAMPLE_TIME: &str = "2025-10-04T12:35:24.713Z";
/// A key for the examples (above 2^53, where a JSON number would lose digits).
const SAMPLE_KEY: &str = "2251799813685281";
/// A cursor for the examples.
const SAMPLE_CURSOR: &str = "WzIyNTE3OTk4MTM2ODcxMDJd";

/// The properties a request example sets, where not the first three it can.
const EXAMPLE_FIELDS: &[(&str, &[&str])] = &[
    (
        "UserTaskFilter",
        &["state", "assignee", "processInstanceKey"],
    ),
    ("UserTaskAssignmentRequest", &["assignee", "allowOverride"]),
    ("Changeset", &["dueDate", "candidateGroups", "priority"]),
];

/// The generated file.
pub(super) fn generate(root: &Path) -> Result<Output, String> {
    let specs = load(root)?;
    let model = Model::build(&specs)?;
    let source = model.emit()?;
    Ok(Output {
        path: OUTPUT,
        sources: SOURCES,
        code: rustfmt(root, &source)?,
    })
}

// ---------------------------------------------------------------------------------------------
// Reading the specs.

/// The component schemas of one version.
pub(super) struct Spec {
    pub(super) version: &'static str,
    pub(super) schemas: HashMap<String, Node>,
}

impl Spec {
    fn schema(&self, name: &str) -> Result<&Node, String> {
        self.schemas
            .get(name)
            .ok_or_else(|| format!("{}: no schema `{name}`", self.version))
    }
}

/// The specs, newest first.
pub(super) fn load(root: &Path) -> Result<Vec<Spec>, String> {
    let mut specs = Vec::new();
    for (version, source) in VERSIONS {
        let mut schemas = HashMap::new();
        let mut add = |file: &str, doc: Node| -> Result<(), String> {
            let entries = doc
                .path(&["components", "schemas"])
                .map_or(&[][..], Node::entries);
            for (name, node) in entries {
                if let Some(old) = schemas.insert(name.clone(), node.clone())
                    && old != *node
                {
                    return Err(format!(
                        "{file}: schema `{name}` is defined twice, differently"
                    ));
                }
            }
            Ok(())
        };
        match source {
            Source::Yaml(file) => {
                let doc = serde_norway::from_str(&read(root, file)?)
                    .map_err(|e| format!("{file}: {e}"))?;
                add(file, doc)?;
            }
            Source::Json(file) => {
                let doc =
                    serde_json::from_str(&read(root, file)?).map_err(|e| format!("{file}: {e}"))?;
                add(file, doc)?;
            }
            Source::Dir(dir) => {
                let mut files = Vec::new();
                for entry in std::fs::read_dir(root.join(dir))
                    .map_err(|e| format!("could not list {dir}: {e}"))?
                {
                    let entry = entry.map_err(|e| format!("could not list {dir}: {e}"))?;
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if name.ends_with(".yaml") {
                        files.push(name);
                    }
                }
                files.sort();
                for name in files {
                    let file = format!("{dir}/{name}");
                    let doc = serde_norway::from_str(&read(root, &file)?)
                        .map_err(|e| format!("{file}: {e}"))?;
                    add(&file, doc)?;
                }
            }
        }
        specs.push(Spec { version, schemas });
    }
    Ok(specs)
}

/// The schema name a `$ref` points to (the part after the last `/`), in any file.
fn ref_name(node: &Node) -> Option<&str> {
    node.str("$ref").and_then(|r| r.rsplit('/').next())
}

/// The schema a property names: its own `$ref`, or the single `$ref` of its `allOf`.
fn target(node: &Node) -> Option<&str> {
    ref_name(node).or_else(|| match node.get("allOf") {
        Some(Node::Seq(items)) => match items.as_slice() {
            [only] => ref_name(only),
            _ => None,
        },
        _ => None,
    })
}

/// The properties and required names of an object schema, with those of its `allOf` parts
/// first.
fn flatten<'a>(
    spec: &'a Spec,
    schema: &'a Node,
    props: &mut Vec<(String, &'a Node)>,
    required: &mut BTreeSet<String>,
) -> Result<(), String> {
    if let Some(Node::Seq(parts)) = schema.get("allOf") {
        for part in parts {
            let part = match ref_name(part) {
                Some(name) => spec.schema(name)?,
                None => part,
            };
            flatten(spec, part, props, required)?;
        }
    }
    if let Some(Node::Seq(names)) = schema.get("required") {
        for name in names {
            if let Node::Str(name) = name {
                required.insert(name.clone());
            }
        }
    }
    for (name, node) in schema.get("properties").map_or(&[][..], Node::entries) {
        match props.iter_mut().find(|(n, _)| n == name) {
            Some(entry) => entry.1 = node,
            None => props.push((name.clone(), node)),
        }
    }
    Ok(())
}

/// The values of the string enum `node` (`origin` in `spec`, for messages).
fn enum_values(spec: &Spec, origin: &str, node: &Node) -> Result<Vec<String>, String> {
    let no_enum = || format!("{}: `{origin}` is no string enum", spec.version);
    let Some(Node::Seq(items)) = node.get("enum") else {
        return Err(no_enum());
    };
    if items.is_empty() || node.str("type") != Some("string") {
        return Err(no_enum());
    }
    items
        .iter()
        .map(|item| match item {
            Node::Str(value) => Ok(value.clone()),
            other => Err(format!(
                "{}: `{origin}` has the value {other:?}, which is no string",
                spec.version
            )),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The model.

/// What a filter compares.
#[derive(Clone, Debug, PartialEq, Eq)]
enum FilterKind {
    String,
    Integer,
    DateTime,
    Key(String),
    Enum(String),
}

impl FilterKind {
    /// The operators the Rust type offers.
    fn ops(&self) -> &'static [&'static str] {
        match self {
            FilterKind::String => STRING_OPS,
            FilterKind::Integer | FilterKind::DateTime => ORDERED_OPS,
            FilterKind::Key(_) => KEY_OPS,
            FilterKind::Enum(_) => ENUM_OPS,
        }
    }

    /// The Rust filter type, without its type parameter.
    fn type_name(&self) -> &'static str {
        match self {
            FilterKind::String => "StringFilter",
            FilterKind::Integer => "IntegerFilter",
            FilterKind::DateTime => "DateTimeFilter",
            FilterKind::Key(_) => "KeyFilter",
            FilterKind::Enum(_) => "EnumFilter",
        }
    }

    /// The type of the plain (exact) value.
    fn plain(&self) -> Ty {
        match self {
            FilterKind::String => Ty::String,
            FilterKind::Integer => Ty::I32,
            FilterKind::DateTime => Ty::Timestamp,
            FilterKind::Key(k) => Ty::Key(k.clone()),
            FilterKind::Enum(e) => Ty::Enum(e.clone()),
        }
    }
}

/// The Rust type of a field (inside its `Option`).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Ty {
    String,
    I32,
    I64,
    Bool,
    Key(String),
    Timestamp,
    Cursor,
    Enum(String),
    Struct(String),
    Vec(Box<Ty>),
    StringMap,
    JsonObject,
    /// A filter and the operators the spec gives it.
    Filter(FilterKind, Vec<String>),
    PageRequest,
    /// `Sort<F>` of a field enum.
    Sort(String),
    Patch(Box<Ty>),
}

impl Ty {
    /// Equal, but for a filter's operators.
    fn same_shape(&self, other: &Ty) -> bool {
        match (self, other) {
            (Ty::Filter(a, _), Ty::Filter(b, _)) => a == b,
            (Ty::Vec(a), Ty::Vec(b)) | (Ty::Patch(a), Ty::Patch(b)) => a.same_shape(b),
            _ => self == other,
        }
    }

    /// The names of this crate's types it uses.
    fn uses(&self, names: &mut BTreeSet<String>) {
        let name = |n: &str, names: &mut BTreeSet<String>| {
            names.insert(n.to_owned());
        };
        match self {
            Ty::Key(k) => name(k, names),
            Ty::Timestamp => name("Timestamp", names),
            Ty::Cursor => name("Cursor", names),
            Ty::PageRequest => name("PageRequest", names),
            Ty::Sort(_) => name("Sort", names),
            Ty::StringMap => name("BTreeMap", names),
            Ty::Vec(item) => item.uses(names),
            Ty::Patch(item) => {
                name("Patch", names);
                item.uses(names);
            }
            Ty::Filter(kind, _) => {
                name(kind.type_name(), names);
                if let FilterKind::Key(k) = kind {
                    name(k, names);
                }
            }
            _ => {}
        }
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::String => f.write_str("String"),
            Ty::I32 => f.write_str("i32"),
            Ty::I64 => f.write_str("i64"),
            Ty::Bool => f.write_str("bool"),
            Ty::Key(name) | Ty::Enum(name) | Ty::Struct(name) => f.write_str(name),
            Ty::Timestamp => f.write_str("Timestamp"),
            Ty::Cursor => f.write_str("Cursor"),
            Ty::Vec(item) => write!(f, "Vec<{item}>"),
            Ty::StringMap => f.write_str("BTreeMap<String, String>"),
            Ty::JsonObject => f.write_str("serde_json::Map<String, serde_json::Value>"),
            Ty::Filter(kind, _) => match kind {
                FilterKind::Key(param) | FilterKind::Enum(param) => {
                    write!(f, "{}<{param}>", kind.type_name())
                }
                _ => f.write_str(kind.type_name()),
            },
            Ty::PageRequest => f.write_str("PageRequest"),
            Ty::Sort(field) => write!(f, "Vec<Sort<{field}>>"),
            Ty::Patch(item) => write!(f, "Patch<{item}>"),
        }
    }
}

struct Field {
    wire: String,
    rust: String,
    ty: Ty,
    doc: String,
    /// The versions that have it, and its type in each.
    versions: Vec<(&'static str, Ty)>,
    /// The versions whose spec requires it.
    required: Vec<&'static str>,
}

impl Field {
    /// The field for property `wire` of `schema`, as the newest spec that has it describes it,
    /// with no version yet.
    fn new(spec: &Spec, schema: &str, wire: String, node: &Node, ty: Ty) -> Field {
        let doc = node
            .str("description")
            .or_else(|| {
                target(node)
                    .and_then(|t| spec.schemas.get(t))
                    .and_then(|t| t.str("description"))
            })
            .map_or_else(|| format!("The `{wire}` property."), describe);
        let rust = lookup(FIELD_NAMES, schema, &wire)
            .map_or_else(|| snake_case(&wire), |n| (*n).to_owned());
        Field {
            rust,
            wire,
            ty,
            doc,
            versions: Vec::new(),
            required: Vec::new(),
        }
    }
}

struct Struct {
    spec: &'static StructSpec,
    doc: String,
    /// The versions that have the schema.
    versions: Vec<&'static str>,
    fields: Vec<Field>,
}

impl Struct {
    /// Whether `f` is a plain field rather than an `Option`: the `items` and `page` of a page.
    fn plain(&self, f: &Field) -> bool {
        PAGES.contains(&self.spec.schema) && (f.wire == "items" || f.wire == "page")
    }
}

struct Enum {
    rust: String,
    doc: String,
    /// Where it comes from (a schema, or `Schema.property`).
    origin: String,
    /// The versions that have it.
    versions: Vec<&'static str>,
    /// (wire value, variant, the versions that have it)
    variants: Vec<(String, String, Vec<&'static str>)>,
}

impl Enum {
    /// The first variant (the examples' value): its wire value and name.
    fn first(&self) -> Result<(&str, &str), String> {
        self.variants
            .first()
            .map(|(wire, name, _)| (wire.as_str(), name.as_str()))
            .ok_or_else(|| format!("enum `{}` has no variants", self.rust))
    }
}

struct Model {
    structs: Vec<Struct>,
    enums: Vec<Enum>,
}

/// "8.9+", "8.8 and 8.10", … for a list of versions (newest first).
fn versions_text(versions: &[&str]) -> String {
    let all: Vec<&str> = VERSIONS.iter().map(|(v, _)| *v).collect();
    if versions.len() == all.len() {
        return "8.8, 8.9 and 8.10".to_owned();
    }
    // A run of the newest versions reads as "8.x+".
    if versions.iter().zip(&all).all(|(a, b)| a == b)
        && let Some(oldest) = versions.last()
    {
        return format!("{oldest}+");
    }
    let mut sorted: Vec<&str> = versions.to_vec();
    sorted.reverse();
    match sorted.as_slice() {
        [] => "none".to_owned(),
        [one] => format!("{one} only"),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The variant name of a wire value: `DEPLOYED_RESOURCES` → `DeployedResources`,
/// `creationDate` → `CreationDate`.
fn variant_name(value: &str) -> String {
    let mut out = String::new();
    for part in value.split(['_', '-', ' ']) {
        let all_upper = part.chars().all(|c| !c.is_ascii_lowercase());
        for (i, c) in part.chars().enumerate() {
            if i == 0 {
                out.push(c.to_ascii_uppercase());
            } else if all_upper {
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        }
    }
    out
}

fn enum_rust_name(schema: &str) -> String {
    ENUM_NAMES.iter().find(|(s, _)| *s == schema).map_or_else(
        || schema.strip_suffix("Enum").unwrap_or(schema).to_owned(),
        |(_, r)| (*r).to_owned(),
    )
}

fn struct_spec(schema: &str) -> Option<&'static StructSpec> {
    STRUCTS.iter().find(|s| s.schema == schema)
}

impl Model {
    fn build(specs: &[Spec]) -> Result<Self, String> {
        let mut model = Model {
            structs: Vec::new(),
            enums: Vec::new(),
        };
        for spec in STRUCTS {
            model.add_struct(specs, spec)?;
        }
        Ok(model)
    }

    fn add_struct(&mut self, specs: &[Spec], s: &'static StructSpec) -> Result<(), String> {
        let mut fields: Vec<Field> = Vec::new();
        let mut versions = Vec::new();
        let mut description = None;
        for spec in specs {
            let Some(schema) = spec.schemas.get(s.schema) else {
                continue;
            };
            versions.push(spec.version);
            if description.is_none() {
                description = schema.str("description").map(describe);
            }
            let mut props = Vec::new();
            let mut required = BTreeSet::new();
            flatten(spec, schema, &mut props, &mut required)?;
            if props.is_empty() {
                return Err(format!(
                    "{}: `{}` has no properties",
                    spec.version, s.schema
                ));
            }
            for (wire, node) in props {
                let ty = self.classify(spec, s.schema, &wire, node)?;
                let nullable = node.get("nullable") == Some(&Node::Bool(true));
                let is_required = required.contains(&wire) && !nullable;
                // The newest version that has the property creates the field; each version
                // joins its type and says whether it requires it.
                let index = match fields.iter().position(|f| f.wire == wire) {
                    Some(i) => i,
                    None => {
                        fields.push(Field::new(spec, s.schema, wire, node, ty.clone()));
                        fields.len() - 1
                    }
                };
                let field = &mut fields[index];
                field.ty = merge(&field.ty, &ty).ok_or_else(|| {
                    format!(
                        "`{}.{}` is `{}` in {} but `{ty}` in {}: the versions disagree in a way \
                         the generator cannot join",
                        s.schema,
                        field.wire,
                        field.ty,
                        field.versions.first().map_or("", |(v, _)| v),
                        spec.version
                    )
                })?;
                field.versions.push((spec.version, ty));
                if is_required {
                    field.required.push(spec.version);
                }
            }
        }
        if versions.is_empty() {
            return Err(format!("no spec has the schema `{}`", s.schema));
        }
        let doc = schema_doc(
            s.summary,
            s.schema,
            Some(&versions_text(&versions)),
            description.as_deref().filter(|d| !d.is_empty()),
        );
        self.structs.push(Struct {
            spec: s,
            doc,
            versions,
            fields,
        });
        Ok(())
    }

    /// The type of property `wire` of `owner` in `spec`.
    fn classify(
        &mut self,
        spec: &Spec,
        owner: &str,
        wire: &str,
        node: &Node,
    ) -> Result<Ty, String> {
        let at = format!("{}: `{owner}.{wire}`", spec.version);
        let ty = if let Some(name) = target(node) {
            self.named(spec, &at, name)?
        } else {
            self.inline(spec, &at, owner, wire, node)?
        };
        if PATCHES.contains(&format!("{owner}.{wire}").as_str()) {
            return Ok(Ty::Patch(Box::new(ty)));
        }
        Ok(ty)
    }

    /// The type of a reference to the schema `name`.
    fn named(&mut self, spec: &Spec, at: &str, name: &str) -> Result<Ty, String> {
        if name == "SearchQueryPageRequest" {
            return Ok(Ty::PageRequest);
        }
        if name == "StartCursor" || name == "EndCursor" {
            return Ok(Ty::Cursor);
        }
        if let Some(s) = struct_spec(name) {
            return Ok(Ty::Struct(s.rust.to_owned()));
        }
        if KEYS.contains(&name) {
            return Ok(Ty::Key(name.to_owned()));
        }
        let schema = spec.schema(name)?;
        if schema.get("oneOf").is_some() {
            return self.filter(spec, at, name, schema);
        }
        if schema.get("enum").is_some() {
            return self.enum_type(spec, &enum_rust_name(name), name, schema);
        }
        if target(schema) == Some("LongKey") {
            return Err(format!(
                "{at}: the key `{name}` has no newtype: add it to KEYS (xtask/src/codegen/v2.rs) \
                 and keys.rs"
            ));
        }
        match schema.str("type") {
            Some("string") => Ok(Ty::String),
            Some("array") => {
                let items = schema
                    .get("items")
                    .ok_or_else(|| format!("{at}: `{name}` is an array without items"))?;
                let item = match target(items) {
                    Some(t) => self.named(spec, at, t)?,
                    None => self.inline(spec, at, name, "items", items)?,
                };
                Ok(Ty::Vec(Box::new(item)))
            }
            _ => Err(format!(
                "{at}: `{name}` has no Rust type: add it to STRUCTS (xtask/src/codegen/v2.rs)"
            )),
        }
    }

    fn inline(
        &mut self,
        spec: &Spec,
        at: &str,
        owner: &str,
        wire: &str,
        node: &Node,
    ) -> Result<Ty, String> {
        match node.str("type") {
            Some("string") => {
                if node.get("enum").is_some() {
                    let qualified = format!("{owner}.{wire}");
                    let rust = INLINE_ENUMS
                        .iter()
                        .find(|(k, _)| *k == qualified)
                        .map(|(_, r)| *r)
                        .ok_or_else(|| {
                            format!("{at}: inline enum without a name in INLINE_ENUMS")
                        })?;
                    return self.enum_type(spec, rust, &qualified, node);
                }
                match node.str("format") {
                    Some("date-time") => Ok(Ty::Timestamp),
                    None | Some("uri" | "uri-reference") => Ok(Ty::String),
                    Some(other) => Err(format!("{at}: unsupported string format `{other}`")),
                }
            }
            Some("integer") => match node.str("format") {
                Some("int64") => Ok(Ty::I64),
                Some("int32") | None => Ok(Ty::I32),
                Some(other) => Err(format!("{at}: unsupported integer format `{other}`")),
            },
            Some("boolean") => Ok(Ty::Bool),
            Some("array") => {
                let items = node
                    .get("items")
                    .ok_or_else(|| format!("{at}: array without items"))?;
                if let Some(name) = target(items)
                    && let Some((sort, field)) = SORTS.iter().find(|(s, _)| *s == name)
                {
                    return self.sort(spec, at, sort, field);
                }
                let item = match target(items) {
                    Some(name) => self.named(spec, at, name)?,
                    None => self.inline(spec, at, owner, wire, items)?,
                };
                Ok(Ty::Vec(Box::new(item)))
            }
            Some("object") => match node.get("additionalProperties") {
                Some(extra) if extra.str("type") == Some("string") => Ok(Ty::StringMap),
                Some(Node::Bool(true)) => Ok(Ty::JsonObject),
                _ => Err(format!("{at}: inline object: give it a schema in STRUCTS")),
            },
            other => Err(format!("{at}: unsupported type {other:?}")),
        }
    }

    /// A list of the sort criterion schema `sort`: `Sort<field>`, with the enum `field` of its
    /// `field` values.
    fn sort(&mut self, spec: &Spec, at: &str, sort: &str, field: &str) -> Result<Ty, String> {
        let schema = spec.schema(sort)?;
        let property = |name: &str| {
            schema
                .path(&["properties", name])
                .ok_or_else(|| format!("{at}: sort `{sort}` has no `{name}`"))
        };
        self.enum_type(spec, field, &format!("{sort}.field"), property("field")?)?;
        // `Sort` (hand-written) holds the `order`: it must be `SortOrder`.
        let order = self.classify(spec, sort, "order", property("order")?)?;
        if order != Ty::Enum("SortOrder".to_owned()) {
            return Err(format!("{at}: sort `{sort}` orders by `{order}`"));
        }
        Ok(Ty::Sort(field.to_owned()))
    }

    /// A `oneOf` of a plain value and an advanced filter object.
    fn filter(&mut self, spec: &Spec, at: &str, name: &str, schema: &Node) -> Result<Ty, String> {
        let Some(Node::Seq(options)) = schema.get("oneOf") else {
            return Err(format!("{at}: `{name}` is not a oneOf"));
        };
        let [exact, advanced] = options.as_slice() else {
            return Err(format!(
                "{at}: `{name}` is a oneOf of {} schemas",
                options.len()
            ));
        };
        // The 8.9 bundle names the exact branch (`…ExactMatch`, a string with an `allOf` of
        // the value's schema); the others write it inline.
        let mut exact = exact;
        while let Some(t) = ref_name(exact) {
            exact = spec.schema(t)?;
        }
        let kind = match target(exact) {
            Some(t) if KEYS.contains(&t) => FilterKind::Key(t.to_owned()),
            Some(t) => {
                let plain = spec.schema(t)?;
                if plain.get("enum").is_some() {
                    let rust = enum_rust_name(t);
                    self.enum_type(spec, &rust, t, plain)?;
                    FilterKind::Enum(rust)
                } else if plain.str("type") == Some("string") {
                    FilterKind::String
                } else {
                    return Err(format!(
                        "{at}: filter `{name}` on `{t}`, which is no string"
                    ));
                }
            }
            None => match (exact.str("type"), exact.str("format")) {
                (Some("string"), Some("date-time")) => FilterKind::DateTime,
                (Some("string"), None) => FilterKind::String,
                (Some("integer"), Some("int32") | None) => FilterKind::Integer,
                other => return Err(format!("{at}: filter `{name}` on {other:?}")),
            },
        };
        let advanced_name =
            ref_name(advanced).ok_or_else(|| format!("{at}: `{name}`: advanced is inline"))?;
        let mut props = Vec::new();
        let mut required = BTreeSet::new();
        flatten(spec, spec.schema(advanced_name)?, &mut props, &mut required)?;
        let mut ops = Vec::new();
        for (op, _) in props {
            let bare = op
                .strip_prefix('$')
                .ok_or_else(|| format!("{at}: `{advanced_name}` has property `{op}`"))?;
            if !kind.ops().contains(&bare) {
                return Err(format!(
                    "{at}: `{advanced_name}` offers `{op}`, which the Rust filter for it lacks: \
                     add it to filter.rs and the ops tables"
                ));
            }
            ops.push(bare.to_owned());
        }
        Ok(Ty::Filter(kind, ops))
    }

    /// Registers (or extends) an enum with the values of `node`.
    fn enum_type(
        &mut self,
        spec: &Spec,
        rust: &str,
        origin: &str,
        node: &Node,
    ) -> Result<Ty, String> {
        let values = enum_values(spec, origin, node)?;
        let index = match self.enums.iter().position(|e| e.rust == rust) {
            Some(i) => i,
            None => {
                self.enums.push(Enum {
                    rust: rust.to_owned(),
                    doc: node
                        .str("description")
                        .map_or_else(|| format!("The values of `{origin}`."), describe),
                    origin: origin.to_owned(),
                    versions: Vec::new(),
                    variants: Vec::new(),
                });
                self.enums.len() - 1
            }
        };
        let e = &mut self.enums[index];
        if e.versions.contains(&spec.version) {
            return Ok(Ty::Enum(rust.to_owned()));
        }
        e.versions.push(spec.version);
        for value in values {
            match e.variants.iter_mut().find(|(w, ..)| *w == value) {
                Some(variant) => variant.2.push(spec.version),
                None => {
                    let name = VARIANT_NAMES
                        .iter()
                        .find(|(en, w, _)| *en == rust && *w == value)
                        .map_or_else(|| variant_name(&value), |(_, _, n)| (*n).to_owned());
                    if name == "Unknown" {
                        return Err(format!(
                            "`{origin}`: the value `{value}` clashes with the catch-all: name it \
                             in VARIANT_NAMES"
                        ));
                    }
                    if e.variants.iter().any(|(_, n, _)| *n == name) {
                        return Err(format!("`{origin}`: two values become `{name}`"));
                    }
                    e.variants.push((value, name, vec![spec.version]));
                }
            }
        }
        Ok(Ty::Enum(rust.to_owned()))
    }

    fn find(&self, rust: &str) -> Result<&Struct, String> {
        self.structs
            .iter()
            .find(|s| s.spec.rust == rust)
            .ok_or_else(|| format!("no struct `{rust}`"))
    }

    fn find_enum(&self, rust: &str) -> Result<&Enum, String> {
        self.enums
            .iter()
            .find(|e| e.rust == rust)
            .ok_or_else(|| format!("no enum `{rust}`"))
    }
}

/// The type that decodes both `a` and `b`, if there is one.
fn merge(a: &Ty, b: &Ty) -> Option<Ty> {
    if a.same_shape(b) {
        return Some(a.clone());
    }
    match (a, b) {
        (Ty::Filter(kind, _), plain) | (plain, Ty::Filter(kind, _)) if kind.plain() == *plain => {
            Some(if matches!(a, Ty::Filter(..)) {
                a.clone()
            } else {
                b.clone()
            })
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Writing the code.

impl Model {
    fn emit(&self) -> Result<String, String> {
        let mut out = Out(String::new());
        out.line(
            0,
            "// @generated by cargo xtask codegen — do not edit by hand.",
        );
        out.line(
            0,
            "// Sources: spec/v2/rest-api-8.8.yaml, spec/v2/rest-api-8.9.bundle.json,",
        );
        out.line(0, "// spec/v2/8.10-dev/*.yaml.");
        out.line(0, "");
        out.doc_inner(
            "The models of the Orchestration Cluster REST API v2 user-task surface, generated \
             from the specs of Camunda 8.8, 8.9 and 8.10.\n\nOne model set decodes all three \
             versions: each struct has every property its schema has in any of them, and each \
             field's doc says which versions have it. Every field is an `Option` (except the \
             `items` and `page` of a page): `null` and an absent property both decode as \
             `None`, unset fields are left out when a model is serialised, and unknown \
             properties are ignored. Enums are open: a value this crate does not know decodes \
             as `Unknown` and serialises back unchanged.",
        );
        out.line(0, "");
        let mut own = BTreeSet::new();
        for s in &self.structs {
            for f in &s.fields {
                f.ty.uses(&mut own);
            }
        }
        if own.remove("BTreeMap") {
            out.line(0, "use std::collections::BTreeMap;");
        }
        out.line(0, "use std::{convert::Infallible, fmt, str::FromStr};");
        out.line(0, "");
        out.line(
            0,
            "use serde::{Deserialize, Deserializer, Serialize, Serializer};",
        );
        out.line(0, "");
        let list: Vec<String> = own.into_iter().collect();
        out.line(0, &format!("use super::{{{}}};", list.join(", ")));
        for s in &self.structs {
            out.line(0, "");
            self.emit_struct(&mut out, s)?;
        }
        for e in &self.enums {
            out.line(0, "");
            emit_enum(&mut out, e)?;
        }
        Ok(out.0)
    }

    fn emit_struct(&self, out: &mut Out, s: &Struct) -> Result<(), String> {
        let example = if s.spec.request {
            self.request_example(s)?
        } else {
            self.response_example(s)?
        };
        let doc = format!("{}\n\n# Examples\n\n{example}", s.doc);
        let docs: Vec<String> = s.fields.iter().map(|f| field_doc(s, f)).collect();
        let fields: Vec<FieldOut<'_>> = s
            .fields
            .iter()
            .zip(&docs)
            .map(|(f, doc)| FieldOut {
                doc,
                rust: &f.rust,
                wire: &f.wire,
                ty: f.ty.to_string(),
                deserialize_with: JSON_TEXT
                    .contains(&format!("{}.{}", s.spec.schema, f.wire).as_str())
                    .then_some("super::json_text"),
                optional: !s.plain(f),
            })
            .collect();
        out.model_struct(&doc, s.spec.rust, &fields);
        Ok(())
    }

    /// A sample JSON value of `ty` for property `wire` of `schema`, and a Rust expression
    /// building it (`None` where the examples do not build one).
    fn sample(
        &self,
        schema: &str,
        wire: &str,
        ty: &Ty,
        depth: usize,
        types: &mut BTreeSet<String>,
    ) -> Result<(serde_json::Value, Option<String>), String> {
        use serde_json::{Value, json};
        let string = lookup(SAMPLE_STRINGS, schema, wire)
            .map_or_else(|| format!("some {wire}"), |v| (*v).to_owned());
        Ok(match ty {
            Ty::String => (
                Value::String(string.clone()),
                Some(format!("{string:?}.to_owned()")),
            ),
            Ty::I32 | Ty::I64 => {
                let n = *lookup(SAMPLE_INTEGERS, schema, wire).unwrap_or(&1);
                (json!(n), Some(n.to_string()))
            }
            Ty::Bool => (json!(false), Some("false".to_owned())),
            Ty::Key(k) => {
                types.insert(k.clone());
                (
                    json!(SAMPLE_KEY),
                    Some(format!("{k}::new({SAMPLE_KEY:?})?")),
                )
            }
            Ty::Timestamp => {
                types.insert("Timestamp".to_owned());
                (
                    json!(SAMPLE_TIME),
                    Some(format!("{SAMPLE_TIME:?}.parse::<Timestamp>()?")),
                )
            }
            Ty::Cursor => {
                types.insert("Cursor".to_owned());
                (
                    json!(SAMPLE_CURSOR),
                    Some(format!("Cursor::new({SAMPLE_CURSOR:?})")),
                )
            }
            Ty::Enum(e) => {
                let (w, v) = self.find_enum(e)?.first()?;
                types.insert(e.clone());
                (json!(w), Some(format!("{e}::{v}")))
            }
            Ty::Struct(name) => {
                let s = self.find(name)?;
                let mut map = serde_json::Map::new();
                for f in &s.fields {
                    if depth >= 1 && matches!(f.ty, Ty::Struct(_) | Ty::Vec(_) | Ty::Sort(_)) {
                        continue;
                    }
                    let (v, _) = self.sample(s.spec.schema, &f.wire, &f.ty, depth + 1, types)?;
                    map.insert(f.wire.clone(), v);
                }
                (Value::Object(map), None)
            }
            Ty::Vec(item) => {
                let (v, expr) = self.sample(schema, wire, item, depth, types)?;
                (json!([v]), expr.map(|e| format!("vec![{e}]")))
            }
            Ty::StringMap => (json!({"region": "EMEA"}), None),
            Ty::JsonObject => (json!({"approved": true}), None),
            Ty::Filter(kind, _) => {
                let (v, expr) = self.sample(schema, wire, &kind.plain(), depth, types)?;
                let filter = kind.type_name();
                types.insert(filter.to_owned());
                let expr = match (kind, expr) {
                    (FilterKind::String, _) => Some(format!("{filter}::eq({string:?})")),
                    (_, Some(e)) => Some(format!("{filter}::eq({e})")),
                    (_, None) => None,
                };
                (v, expr)
            }
            Ty::PageRequest => {
                types.insert("PageRequest".to_owned());
                (
                    json!({"from": 0, "limit": 50}),
                    Some("PageRequest::offset(0, 50)".to_owned()),
                )
            }
            Ty::Sort(field) => {
                let (w, v) = self.find_enum(field)?.first()?;
                types.insert("Sort".to_owned());
                types.insert(field.clone());
                (
                    json!([{"field": w, "order": "DESC"}]),
                    Some(format!("vec![Sort::desc({field}::{v})]")),
                )
            }
            Ty::Patch(item) => {
                let (v, expr) = self.sample(schema, wire, item, depth, types)?;
                types.insert("Patch".to_owned());
                (v, expr.map(|e| format!("Patch::Set({e})")))
            }
        })
    }

    fn response_example(&self, s: &Struct) -> Result<String, String> {
        let mut types = BTreeSet::from([s.spec.rust.to_owned()]);
        let (json, _) = self.sample("", "", &Ty::Struct(s.spec.rust.to_owned()), 0, &mut types)?;
        let var = s.spec.var;
        let mut asserts = Vec::new();
        let mut assert_types = BTreeSet::from([s.spec.rust.to_owned()]);
        // The first field, and the first of each kind worth showing.
        let mut shown: Vec<&Field> = Vec::new();
        let kinds: [fn(&Ty) -> bool; 4] = [
            |t| matches!(t, Ty::Key(_)),
            |t| matches!(t, Ty::Enum(_)),
            |t| matches!(t, Ty::Timestamp),
            |t| matches!(t, Ty::Vec(_)),
        ];
        shown.extend(s.fields.first());
        for kind in kinds {
            if let Some(f) = s.fields.iter().find(|f| kind(&f.ty))
                && !shown.iter().any(|g| g.wire == f.wire)
            {
                shown.push(f);
            }
        }
        for f in shown {
            let value = json.get(&f.wire).cloned().unwrap_or_default();
            asserts.push(assertion(var, f, &value, s.plain(f), &mut assert_types));
        }
        let pretty = serde_json::to_string_pretty(&json)
            .map_err(|e| format!("the example of `{}`: {e}", s.spec.schema))?;
        Ok(decoding_example(
            &use_line(&assert_types),
            &pretty,
            var,
            s.spec.rust,
            &asserts,
        ))
    }

    fn request_example(&self, s: &Struct) -> Result<String, String> {
        let wanted = EXAMPLE_FIELDS
            .iter()
            .find(|(name, _)| *name == s.spec.schema)
            .map(|(_, w)| *w);
        let mut types = BTreeSet::from([s.spec.rust.to_owned()]);
        let mut chosen = Vec::new();
        for f in &s.fields {
            if wanted.is_some_and(|w| !w.contains(&f.wire.as_str())) {
                continue;
            }
            let mut field_types = BTreeSet::new();
            let (value, expr) = self.sample(s.spec.schema, &f.wire, &f.ty, 1, &mut field_types)?;
            let Some(expr) = expr else { continue };
            types.extend(field_types);
            chosen.push((f, value, expr));
            if wanted.is_none() && chosen.len() == 3 {
                break;
            }
        }
        if let Some(w) = wanted
            && chosen.len() != w.len()
        {
            return Err(format!(
                "EXAMPLE_FIELDS names unknown fields of `{}`",
                s.spec.schema
            ));
        }
        let var = s.spec.var;
        let binding = if chosen.is_empty() { "" } else { "mut " };
        let mut body = format!("let {binding}{var} = {}::default();\n", s.spec.rust);
        let mut json = serde_json::Map::new();
        for (f, value, expr) in &chosen {
            let _ = writeln!(body, "{var}.{} = Some({expr});", f.rust);
            json.insert(f.wire.clone(), value.clone());
        }
        let pretty = serde_json::to_string_pretty(&serde_json::Value::Object(json))
            .map_err(|e| format!("the example of `{}`: {e}", s.spec.schema))?;
        let _ = writeln!(
            body,
            "\nassert_eq!(serde_json::to_value(&{var})?, serde_json::json!({pretty}));"
        );
        Ok(example(&use_line(&types), &body))
    }
}

/// The doc of a field: the spec's description, then the versions, the requirement and the
/// filter operators.
fn field_doc(s: &Struct, f: &Field) -> String {
    let mut doc = f.doc.clone();
    let _ = write!(doc, "\n\nJSON property `{}`", f.wire);
    let have: Vec<&str> = f.versions.iter().map(|(v, _)| *v).collect();
    if have.len() == s.versions.len() {
        let _ = write!(doc, ", in {}.", versions_text(&have));
    } else {
        let _ = write!(
            doc,
            ", **{}** (the schema is in {}).",
            versions_text(&have),
            versions_text(&s.versions)
        );
    }
    if !f.required.is_empty() {
        let _ = write!(
            doc,
            " Required (and not nullable) in {}.",
            versions_text(&f.required)
        );
    }
    if let Ty::Filter(kind, _) = &f.ty {
        let full = kind.ops();
        // What each version that offers less takes, oldest first, versions with the same
        // operators together.
        let mut notes: Vec<(Vec<&str>, String)> = Vec::new();
        for (version, ty) in f.versions.iter().rev() {
            let note = match ty {
                Ty::Filter(_, ops) if ops.len() == full.len() => continue,
                Ty::Filter(_, ops) => {
                    let list: Vec<String> = ops.iter().map(|o| format!("`${o}`")).collect();
                    format!("only {}", list.join(", "))
                }
                _ => "only the plain value (exact match)".to_owned(),
            };
            match notes.iter_mut().find(|(_, n)| *n == note) {
                Some((versions, _)) => versions.push(version),
                None => notes.push((vec![version], note)),
            }
        }
        if !notes.is_empty() {
            let parts: Vec<String> = notes
                .iter()
                .map(|(versions, note)| {
                    let verb = if versions.len() == 1 { "takes" } else { "take" };
                    format!("{} {verb} {note}", versions.join(" and "))
                })
                .collect();
            let _ = write!(doc, " Operators: {}.", parts.join("; "));
        }
    }
    doc
}

/// Statements asserting that `var.field` decoded as `value`.
fn assertion(
    var: &str,
    f: &Field,
    value: &serde_json::Value,
    plain: bool,
    types: &mut BTreeSet<String>,
) -> String {
    let target = format!("{var}.{}", f.rust);
    if plain {
        return match &f.ty {
            Ty::Vec(_) => assert_eq_line(&format!("{target}.len()"), "1"),
            _ => {
                types.insert(f.ty.to_string());
                format!("assert_ne!({target}, {}::default());", f.ty)
            }
        };
    }
    match &f.ty {
        Ty::String => assert_eq_line(
            &format!("{target}.as_deref()"),
            &format!("Some({:?})", value.as_str().unwrap_or_default()),
        ),
        Ty::I32 | Ty::I64 | Ty::Bool => assert_eq_line(&target, &format!("Some({value})")),
        Ty::Key(k) => {
            types.insert(k.clone());
            assert_eq_line(
                &format!("{target}.as_ref().map({k}::as_str)"),
                &format!("Some({:?})", value.as_str().unwrap_or_default()),
            )
        }
        Ty::Timestamp => {
            types.insert("Timestamp".to_owned());
            assert_eq_line(
                &format!("{target}.as_ref().map(Timestamp::as_str)"),
                &format!("Some({:?})", value.as_str().unwrap_or_default()),
            )
        }
        Ty::Enum(e) => {
            types.insert(e.clone());
            let wire = value.as_str().unwrap_or_default();
            assert_eq_line(
                &format!("{target}.as_ref().map({e}::as_str)"),
                &format!("Some({wire:?})"),
            )
        }
        Ty::Vec(_) => assert_eq_line(&format!("{target}.as_ref().map(Vec::len)"), "Some(1)"),
        _ => format!("assert!({target}.is_some());"),
    }
}

/// `use tasklist_api::v2::models::{…};`.
fn use_line(types: &BTreeSet<String>) -> String {
    super::use_line(MODELS, types, 96)
}

fn emit_enum(out: &mut Out, e: &Enum) -> Result<(), String> {
    let (first_wire, ..) = e.first()?;
    let unknown = if first_wire.chars().any(|c| c.is_ascii_lowercase()) {
        "somethingNew"
    } else {
        "SOMETHING_NEW"
    };
    let variants = e.variants.iter().map(|(wire, name, versions)| {
        let mut doc = format!("`{wire}`");
        if versions.len() != e.versions.len() {
            let _ = write!(doc, " ({})", versions_text(versions));
        }
        doc.push('.');
        (wire.as_str(), name.as_str(), doc)
    });
    out.open_enum(&OpenEnum {
        rust: &e.rust,
        intro: format!(
            "{}\n\nThe values of `{}` in the specs ({}). The enum is open: a value this crate \
             does not know decodes as [`{}::Unknown`] and serialises back unchanged.",
            e.doc,
            e.origin,
            versions_text(&e.versions),
            e.rust
        ),
        module: MODELS,
        variants: variants.collect(),
        unknown,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn root() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    #[test]
    fn names() {
        assert_eq!(variant_name("DEPLOYED_RESOURCES"), "DeployedResources");
        assert_eq!(variant_name("creationDate"), "CreationDate");
        assert_eq!(variant_name("leader"), "Leader");
        assert_eq!(enum_rust_name("UserTaskStateEnum"), "UserTaskState");
        assert_eq!(enum_rust_name("AuditLogResultEnum"), "AuditLogOutcome");
        assert_eq!(versions_text(&["8.10", "8.9"]), "8.9+");
        assert_eq!(versions_text(&["8.10"]), "8.10+");
        assert_eq!(versions_text(&["8.8"]), "8.8 only");
        assert_eq!(versions_text(&["8.10", "8.8"]), "8.8 and 8.10");
    }

    #[test]
    fn the_vendored_specs_generate() {
        let specs = load(&root()).unwrap();
        let model = Model::build(&specs).unwrap();
        let code = model.emit().unwrap();
        assert!(code.contains("pub struct UserTask {"));
        let task = model.find("UserTask").unwrap();
        let business = task.fields.iter().find(|f| f.wire == "businessId").unwrap();
        assert_eq!(business.versions.len(), 1);
        let filter = model.find("UserTaskFilter").unwrap();
        let name = filter.fields.iter().find(|f| f.wire == "name").unwrap();
        assert!(matches!(name.ty, Ty::Filter(FilterKind::String, _)));
        assert!(
            matches!(name.versions.last().unwrap().1, Ty::String),
            "8.8: plain"
        );
        let state = model.find_enum("UserTaskState").unwrap();
        assert_eq!(state.variants.len(), 9);
    }

    #[test]
    fn an_enum_with_a_value_that_is_no_string_fails() {
        let spec = Spec {
            version: "8.8",
            schemas: HashMap::new(),
        };
        let node = crate::codegen::tests::yaml("type: string\nenum: [OPEN, null]\n");
        let mut model = Model {
            structs: Vec::new(),
            enums: Vec::new(),
        };
        let error = model.enum_type(&spec, "Mood", "Mood", &node);
        assert_eq!(
            error.err().unwrap(),
            "8.8: `Mood` has the value Null, which is no string"
        );
    }

    #[test]
    fn types_that_cannot_join_fail() {
        assert_eq!(
            merge(&Ty::String, &Ty::Filter(FilterKind::String, Vec::new())),
            Some(Ty::Filter(FilterKind::String, Vec::new()))
        );
        assert_eq!(merge(&Ty::String, &Ty::I32), None);
        assert_eq!(
            merge(
                &Ty::Key("JobKey".into()),
                &Ty::Filter(FilterKind::String, Vec::new())
            ),
            None
        );
    }
}
