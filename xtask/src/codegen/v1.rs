//! The Tasklist v1 models: `crates/tasklist-api/src/v1/models/generated.rs` from the vendored
//! Tasklist specs.
//!
//! The published spec (`spec/tasklist-v1-openapi.yaml`) is the primary source. The spec that a
//! Tasklist 8.7.0 server generates (`spec/server-generated/tasklist-8.7.0.json`) adds the
//! properties the published one lacks (such as `context`) and the descriptions it leaves out;
//! where both describe a property, the published spec wins.
//!
//! Everything this generator decides beyond the specs is data in the tables below: the Rust
//! name of each schema, the schemas that are not Tasklist's, the identifier and date-time
//! overrides, and the shared enums. Anything in the specs those tables do not cover stops the
//! generator with an error instead of being guessed.

use std::collections::{BTreeSet, HashMap};
use std::fmt::{self, Write as _};
use std::path::Path;

use super::{
    FieldOut, Node, OpenEnum, Out, Output, assert_eq_line, clean_description, decoding_example,
    example, json_string, lookup, read, rustfmt, schema_doc, snake_case,
};

/// The primary spec, relative to the workspace root.
const PRIMARY: &str = "spec/tasklist-v1-openapi.yaml";
/// The second source, relative to the workspace root.
const SECONDARY: &str = "spec/server-generated/tasklist-8.7.0.json";
/// The generated file, relative to the workspace root.
const OUTPUT: &str = "crates/tasklist-api/src/v1/models/generated.rs";
/// Where the doc examples import the models from.
const MODELS: &str = "tasklist_api::models";

/// A component schema of the specs and what is generated for it.
struct SchemaName {
    schema: &'static str,
    /// The name of the Rust struct.
    rust: &'static str,
    /// The name of a value of it in the examples.
    var: &'static str,
    /// The first line of its doc.
    summary: &'static str,
}

const SCHEMAS: &[SchemaName] = &[
    SchemaName {
        schema: "Error",
        rust: "ErrorResponse",
        var: "error",
        summary: "The body of an error response of the Tasklist v1 API.",
    },
    SchemaName {
        schema: "SaveVariablesRequest",
        rust: "SaveVariablesRequest",
        var: "request",
        summary: "The body of `POST /v1/tasks/{taskId}/variables`: draft variables to save.",
    },
    SchemaName {
        schema: "VariableInputDTO",
        rust: "VariableInput",
        var: "variable",
        summary: "A variable to set: its name and its value as JSON text.",
    },
    SchemaName {
        schema: "IncludeVariable",
        rust: "IncludeVariable",
        var: "include",
        summary: "A variable to include in search results.",
    },
    SchemaName {
        schema: "VariablesSearchRequest",
        rust: "VariablesSearchRequest",
        var: "request",
        summary: "The body of `POST /v1/tasks/{taskId}/variables/search`.",
    },
    SchemaName {
        schema: "DraftSearchVariableValue",
        rust: "DraftSearchVariableValue",
        var: "draft",
        summary: "The draft value of a variable in variable search results.",
    },
    SchemaName {
        schema: "VariableSearchResponse",
        rust: "TaskVariable",
        var: "variable",
        summary: "A variable of a task, as variable search and task search return it.",
    },
    SchemaName {
        schema: "DraftVariableValue",
        rust: "DraftVariableValue",
        var: "draft",
        summary: "The draft value of a variable.",
    },
    SchemaName {
        schema: "VariableResponse",
        rust: "Variable",
        var: "variable",
        summary: "A variable, as `GET /v1/variables/{variableId}` returns it.",
    },
    SchemaName {
        schema: "DateFilter",
        rust: "DateFilter",
        var: "range",
        summary: "A range of date-times.",
    },
    SchemaName {
        schema: "TaskByVariables",
        rust: "TaskVariableFilter",
        var: "filter",
        summary: "A filter clause on a task variable.",
    },
    SchemaName {
        schema: "TaskOrderBy",
        rust: "TaskOrderBy",
        var: "sort",
        summary: "A sort criterion of a task search.",
    },
    SchemaName {
        schema: "TaskSearchRequest",
        rust: "TaskSearchRequest",
        var: "search",
        summary: "The body of `POST /v1/tasks/search`.",
    },
    SchemaName {
        schema: "TaskSearchResponse",
        rust: "TaskSearchResult",
        var: "task",
        summary: "A task, as `POST /v1/tasks/search` returns it.",
    },
    SchemaName {
        schema: "TaskResponse",
        rust: "Task",
        var: "task",
        summary: "A task, as `GET /v1/tasks/{taskId}` and the assign, unassign and complete \
                  calls return it.",
    },
    SchemaName {
        schema: "TaskCompleteRequest",
        rust: "TaskCompleteRequest",
        var: "request",
        summary: "The body of `PATCH /v1/tasks/{taskId}/complete`.",
    },
    SchemaName {
        schema: "TaskAssignRequest",
        rust: "TaskAssignRequest",
        var: "request",
        summary: "The body of `PATCH /v1/tasks/{taskId}/assign`.",
    },
    SchemaName {
        schema: "FormResponse",
        rust: "Form",
        var: "form",
        summary: "A form, as `GET /v1/forms/{formId}` returns it.",
    },
];

/// Inline object schemas that become structs of their own, named `Schema.property`.
const INLINE_OBJECTS: &[SchemaName] = &[SchemaName {
    schema: "TaskSearchRequest.priority",
    rust: "PriorityFilter",
    var: "priority",
    summary: "Bounds on the priority of the tasks to search for.",
}];

/// Schemas of the second source that are not generated. From 8.6 the server also serves the
/// Zeebe gateway's user task and topology endpoints, which are not Tasklist's; and
/// `RangeValueFilter` is its name for the inline `priority` object (`PriorityFilter` here).
const IGNORED: &[&str] = &[
    "UserTaskCompletionRequest",
    "UserTaskAssignmentRequest",
    "UserTaskUpdateRequest",
    "Changeset",
    "BrokerInfo",
    "Partition",
    "TopologyResponse",
    "RangeValueFilter",
];

/// `id` properties and the identifier type each becomes: (schema, identifier type).
const ID_PROPERTIES: &[(&str, &str)] = &[
    ("VariableSearchResponse", "VariableId"),
    ("VariableResponse", "VariableId"),
    ("TaskSearchResponse", "TaskId"),
    ("TaskResponse", "TaskId"),
    ("FormResponse", "FormId"),
];

/// Properties that become an identifier type in whatever schema they appear.
const KEY_PROPERTIES: &[(&str, &str)] = &[
    ("processDefinitionKey", "ProcessDefinitionKey"),
    ("processInstanceKey", "ProcessInstanceKey"),
    ("formId", "FormId"),
];

/// String properties that become `Timestamp` although the spec gives no `date-time` format.
const DATE_PROPERTIES: &[&str] = &["creationDate", "completionDate", "dueDate", "followUpDate"];

/// Properties that a schema gets from another schema of the second source although neither
/// source lists them for it: (schema, property, schema to copy it from, why).
const BORROWED: &[(&str, &str, &str, &str)] = &[(
    "TaskResponse",
    "context",
    "TaskSearchResponse",
    "the specs list it only for task search results; `None` when the server does not send it.",
)];

/// Docs for properties that neither source describes: (schema, property, doc).
const MISSING_DOCS: &[(&str, &str, &str)] = &[
    ("TaskOrderBy", "field", "The field to sort by."),
    (
        "DraftVariableValue",
        "value",
        "The draft value of the variable, as JSON text.",
    ),
];

/// One variant of a shared enum: its wire value, Rust name and doc.
struct Variant {
    wire: &'static str,
    rust: &'static str,
    doc: &'static str,
}

/// An open string enum shared by every property that carries it.
struct SharedEnum {
    rust: &'static str,
    doc: &'static str,
    /// The properties (in any schema) whose values it holds.
    properties: &'static [&'static str],
    variants: &'static [Variant],
    /// A value the enum does not know, for its example.
    unknown_example: &'static str,
}

const ENUMS: &[SharedEnum] = &[
    SharedEnum {
        rust: "TaskState",
        doc: "The state of a task.",
        properties: &["state", "taskState"],
        variants: &[
            Variant {
                wire: "CREATED",
                rust: "Created",
                doc: "The task is open: it waits to be completed.",
            },
            Variant {
                wire: "COMPLETED",
                rust: "Completed",
                doc: "The task was completed.",
            },
            Variant {
                wire: "CANCELED",
                rust: "Canceled",
                doc: "The task was canceled, for example with its process instance.",
            },
            Variant {
                wire: "FAILED",
                rust: "Failed",
                doc: "The task failed (since Tasklist 8.5).",
            },
        ],
        unknown_example: "SUSPENDED",
    },
    SharedEnum {
        rust: "Implementation",
        doc: "How a user task is implemented.",
        properties: &["implementation"],
        variants: &[
            Variant {
                wire: "JOB_WORKER",
                rust: "JobWorker",
                doc: "A job worker-based user task, managed by Tasklist.",
            },
            Variant {
                wire: "ZEEBE_USER_TASK",
                rust: "ZeebeUserTask",
                doc: "A Zeebe user task, managed by the Zeebe engine.",
            },
        ],
        unknown_example: "CAMUNDA_USER_TASK",
    },
    SharedEnum {
        rust: "TaskSortField",
        doc: "A field that task search results can be sorted by.",
        properties: &["field"],
        variants: &[
            Variant {
                wire: "completionTime",
                rust: "CompletionTime",
                doc: "When the task was completed.",
            },
            Variant {
                wire: "creationTime",
                rust: "CreationTime",
                doc: "When the task was created.",
            },
            Variant {
                wire: "followUpDate",
                rust: "FollowUpDate",
                doc: "The task's follow-up date.",
            },
            Variant {
                wire: "dueDate",
                rust: "DueDate",
                doc: "The task's due date.",
            },
            Variant {
                wire: "priority",
                rust: "Priority",
                doc: "The task's priority.",
            },
        ],
        unknown_example: "name",
    },
    SharedEnum {
        rust: "SortOrder",
        doc: "The direction of a sort.",
        properties: &["order"],
        variants: &[
            Variant {
                wire: "ASC",
                rust: "Asc",
                doc: "Ascending.",
            },
            Variant {
                wire: "DESC",
                rust: "Desc",
                doc: "Descending.",
            },
        ],
        unknown_example: "RANDOM",
    },
    SharedEnum {
        rust: "VariableOperator",
        doc: "The comparison of a task variable filter.",
        properties: &["operator"],
        variants: &[Variant {
            wire: "eq",
            rust: "Eq",
            doc: "Equals.",
        }],
        unknown_example: "neq",
    },
];

// The examples' values. Each table is looked up by `Schema.property` first, then by
// `property`.

/// Strings.
const SAMPLE_STRINGS: &[(&str, &str)] = &[
    ("TaskSearchResponse.name", "Approve invoice"),
    ("TaskResponse.name", "Approve invoice"),
    ("name", "approved"),
    ("value", "true"),
    ("previewValue", "true"),
    ("message", "task not found"),
    ("instance", "5b8b4c4e-13f5-4e63-8e0f-5e1b4a3a2c10"),
    ("assignee", "demo"),
    ("assignees", "demo"),
    ("taskDefinitionId", "approveInvoice"),
    ("processName", "Invoice approval"),
    ("tenantId", "<default>"),
    ("tenantIds", "<default>"),
    ("candidateGroup", "accounting"),
    ("candidateGroups", "accounting"),
    ("candidateUser", "demo"),
    ("candidateUsers", "demo"),
    ("variableNames", "approved"),
    ("context", "invoice 4711"),
    ("title", "Approve invoice"),
    ("schema", "{\"components\":[]}"),
    ("sortValues", "1696422924713"),
    ("searchAfter", "1696422924713"),
    ("searchAfterOrEqual", "1696422924713"),
    ("searchBefore", "1696422924713"),
    ("searchBeforeOrEqual", "1696422924713"),
];

/// Integers.
const SAMPLE_INTEGERS: &[(&str, i64)] = &[
    ("status", 404),
    ("pageSize", 50),
    ("priority", 50),
    ("gte", 50),
    ("lte", 80),
];

/// Booleans (any other is `false`).
const SAMPLE_TRUE: &[&str] = &["isFirst", "assigned", "alwaysReturnFullValue"];

/// Date-times: (property, text, the instant in RFC 3339 UTC).
const SAMPLE_TIMES: &[(&str, &str, &str)] = &[
    (
        "creationDate",
        "2023-10-04T12:35:24.713+0000",
        "2023-10-04T12:35:24.713Z",
    ),
    (
        "dueDate",
        "2023-10-06T17:00:00.000+0200",
        "2023-10-06T15:00:00Z",
    ),
    (
        "followUpDate",
        "2023-10-05T09:00:00.000+0000",
        "2023-10-05T09:00:00Z",
    ),
    ("from", "2023-10-01T00:00:00Z", "2023-10-01T00:00:00Z"),
    ("to", "2023-11-01T00:00:00Z", "2023-11-01T00:00:00Z"),
];

/// Enum values (any other enum property takes its first variant).
const SAMPLE_ENUMS: &[(&str, &str)] = &[("field", "creationTime"), ("order", "DESC")];

/// Properties sent as `null` in the decoding examples, to show that they decode as `None`.
const SAMPLE_NULLS: &[&str] = &[
    "TaskSearchResponse.completionDate",
    "TaskResponse.completionDate",
    "TaskSearchResponse.formKey",
    "TaskResponse.formKey",
];

/// Identifiers, by identifier type.
const SAMPLE_IDS: &[(&str, &str)] = &[
    ("TaskId", "2251799813685251"),
    ("VariableId", "2251799813685251-approved"),
    ("FormId", "userTaskForm_1"),
    ("ProcessDefinitionKey", "2251799813685249"),
    ("ProcessInstanceKey", "2251799813685255"),
];

/// The properties the examples of request structs set, where not all of them (up to four) or
/// the first three scalar ones.
const EXAMPLE_FIELDS: &[(&str, &[&str])] = &[
    ("VariablesSearchRequest", &["includeVariables"]),
    (
        "TaskSearchRequest",
        &["state", "candidateGroup", "pageSize", "dueDate", "sort"],
    ),
    ("PriorityFilter", &["gte", "lte"]),
];

/// The generated file.
pub(super) fn generate(root: &Path) -> Result<Output, String> {
    let primary: Node = {
        let text = read(root, PRIMARY)?;
        serde_norway::from_str(&text).map_err(|e| format!("{PRIMARY}: {e}"))?
    };
    let secondary: Node = {
        let text = read(root, SECONDARY)?;
        serde_json::from_str(&text).map_err(|e| format!("{SECONDARY}: {e}"))?
    };
    let model = Model::build(&primary, &secondary)?;
    let source = model.emit()?;
    Ok(Output {
        path: OUTPUT,
        sources: "spec/tasklist-v1-openapi.yaml and spec/server-generated/tasklist-8.7.0.json",
        code: rustfmt(root, &source)?,
    })
}

// ---------------------------------------------------------------------------------------------
// The model of the generated code.

/// The Rust type of a field (inside its `Option`).
#[derive(Clone, Debug, PartialEq)]
enum Ty {
    String,
    I32,
    I64,
    Bool,
    Id(&'static str),
    Timestamp,
    Enum(&'static str),
    Struct(String),
    Vec(Box<Ty>),
}

impl Ty {
    /// The type inside any `Vec`s.
    fn element(&self) -> &Ty {
        match self {
            Ty::Vec(item) => item.element(),
            other => other,
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
            Ty::Id(name) | Ty::Enum(name) => f.write_str(name),
            Ty::Timestamp => f.write_str("Timestamp"),
            Ty::Struct(name) => f.write_str(name),
            Ty::Vec(item) => write!(f, "Vec<{item}>"),
        }
    }
}

struct Field {
    wire: String,
    rust: String,
    ty: Ty,
    doc: String,
    /// Where the property comes from when it is not the primary spec.
    origin: Option<String>,
}

struct Struct {
    /// Its names: the spec's (a schema, or `Schema.property` for an inline object), the Rust
    /// one and that of a value of it in the examples.
    names: &'static SchemaName,
    doc: String,
    fields: Vec<Field>,
}

struct Model {
    structs: Vec<Struct>,
    /// The shared enums used, in order of first use.
    enums: Vec<&'static SharedEnum>,
    /// Structs sent in request bodies, and the structs they contain.
    requests: BTreeSet<String>,
}

fn schemas(doc: &Node) -> &[(String, Node)] {
    doc.path(&["components", "schemas"])
        .map_or(&[], Node::entries)
}

fn rust_name(schema: &str) -> Result<&'static str, String> {
    names(schema).map(|n| n.rust)
}

fn names(schema: &str) -> Result<&'static SchemaName, String> {
    SCHEMAS.iter().find(|s| s.schema == schema).ok_or_else(|| {
        format!(
            "schema `{schema}` has no Rust name: add it to SCHEMAS (or IGNORED) in \
             xtask/src/codegen/v1.rs"
        )
    })
}

fn ref_target(node: &Node) -> Option<&str> {
    node.str("$ref")
        .map(|r| r.trim_start_matches("#/components/schemas/"))
}

impl Model {
    fn build(primary: &Node, secondary: &Node) -> Result<Self, String> {
        let second: HashMap<&str, &Node> = schemas(secondary)
            .iter()
            .map(|(name, node)| (name.as_str(), node))
            .collect();
        for (name, _) in schemas(secondary) {
            if !IGNORED.contains(&name.as_str()) {
                rust_name(name)?;
            }
        }
        let mut model = Model {
            structs: Vec::new(),
            enums: Vec::new(),
            requests: BTreeSet::new(),
        };
        for (name, schema) in schemas(primary) {
            let other = second.get(name.as_str()).copied();
            model.add_struct(names(name)?, schema, other, &second)?;
        }
        for (schema, property, _, _) in BORROWED {
            if !model.structs.iter().any(|s| s.names.schema == *schema) {
                return Err(format!(
                    "BORROWED names `{schema}.{property}`, not in the spec"
                ));
            }
        }
        model.find_requests(primary)?;
        Ok(model)
    }

    fn add_struct(
        &mut self,
        names: &'static SchemaName,
        schema: &Node,
        other: Option<&Node>,
        second: &HashMap<&str, &Node>,
    ) -> Result<(), String> {
        let name = names.schema;
        if schema.str("type") != Some("object") {
            return Err(format!("schema `{name}` is not an object"));
        }
        let mut fields = Vec::new();
        for prop in properties(name, schema, other, second)? {
            let ty = self.field_type(name, &prop.wire, prop.node, prop.second, second)?;
            fields.push(Field {
                rust: snake_case(&prop.wire),
                doc: field_description(name, &prop, &ty),
                wire: prop.wire,
                ty,
                origin: prop.origin,
            });
        }
        let description = schema
            .str("description")
            .or_else(|| other.and_then(|o| o.str("description")))
            .map(clean_description);
        self.structs.push(Struct {
            names,
            doc: schema_doc(names.summary, name, None, description.as_deref()),
            fields,
        });
        Ok(())
    }

    fn field_type(
        &mut self,
        schema: &str,
        property: &str,
        node: &Node,
        second_node: Option<&Node>,
        second: &HashMap<&str, &Node>,
    ) -> Result<Ty, String> {
        let at = format!("`{schema}.{property}`");
        if let Some(target) = ref_target(node) {
            return Ok(Ty::Struct(rust_name(target)?.to_owned()));
        }
        match node.str("type") {
            Some("string") => {
                if let Some(values) = node.get("enum") {
                    return self.shared_enum(&at, property, values);
                }
                if property == "id" {
                    return ID_PROPERTIES
                        .iter()
                        .find(|(s, _)| *s == schema)
                        .map(|(_, ty)| Ty::Id(ty))
                        .ok_or_else(|| format!("{at}: no identifier type in ID_PROPERTIES"));
                }
                if let Some((_, ty)) = KEY_PROPERTIES.iter().find(|(p, _)| *p == property) {
                    return Ok(Ty::Id(ty));
                }
                if node.str("format") == Some("date-time") || DATE_PROPERTIES.contains(&property) {
                    return Ok(Ty::Timestamp);
                }
                match node.str("format") {
                    None => Ok(Ty::String),
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
                let second_items = second_node.and_then(|s| s.get("items"));
                let item = self.field_type(schema, property, items, second_items, second)?;
                Ok(Ty::Vec(Box::new(item)))
            }
            Some("object") => {
                let name = format!("{schema}.{property}");
                let names = INLINE_OBJECTS
                    .iter()
                    .find(|n| n.schema == name)
                    .ok_or_else(|| {
                        format!("{at}: inline object without a name in INLINE_OBJECTS")
                    })?;
                if !self.structs.iter().any(|s| s.names.rust == names.rust) {
                    // The second source may describe the same object as a named schema.
                    let other = second_node.and_then(|s| match ref_target(s) {
                        Some(target) => second.get(target).copied(),
                        None => Some(s),
                    });
                    self.add_struct(names, node, other, second)?;
                }
                Ok(Ty::Struct(names.rust.to_owned()))
            }
            other => Err(format!("{at}: unsupported type {other:?}")),
        }
    }

    fn shared_enum(&mut self, at: &str, property: &str, values: &Node) -> Result<Ty, String> {
        let Node::Seq(values) = values else {
            return Err(format!("{at}: `enum` is not a list"));
        };
        let values: Vec<&str> = values
            .iter()
            .map(|v| match v {
                Node::Str(s) => Ok(s.as_str()),
                other => Err(format!("{at}: enum value {other:?} is not a string")),
            })
            .collect::<Result<_, _>>()?;
        let shared = ENUMS
            .iter()
            .find(|e| e.properties.contains(&property))
            .ok_or_else(|| {
                format!("{at}: enum {values:?} is not mapped to a shared enum in ENUMS")
            })?;
        let known: Vec<&str> = shared.variants.iter().map(|v| v.wire).collect();
        if values != known {
            return Err(format!(
                "{at}: enum values {values:?} differ from those of `{}` {known:?}: update ENUMS \
                 in xtask/src/codegen/v1.rs",
                shared.rust
            ));
        }
        if !self.enums.iter().any(|e| e.rust == shared.rust) {
            self.enums.push(shared);
        }
        Ok(Ty::Enum(shared.rust))
    }

    /// Marks the structs sent as request bodies, and those they contain.
    fn find_requests(&mut self, primary: &Node) -> Result<(), String> {
        let mut pending = Vec::new();
        for (_, path) in primary.get("paths").map_or(&[][..], Node::entries) {
            for (_, operation) in path.entries() {
                let content = operation.path(&["requestBody", "content"]);
                for (_, media) in content.map_or(&[][..], Node::entries) {
                    if let Some(target) = media.get("schema").and_then(ref_target) {
                        pending.push(rust_name(target)?.to_owned());
                    }
                }
            }
        }
        while let Some(name) = pending.pop() {
            if !self.requests.insert(name.clone()) {
                continue;
            }
            if let Some(s) = self.structs.iter().find(|s| s.names.rust == name) {
                for field in &s.fields {
                    if let Ty::Struct(inner) = field.ty.element() {
                        pending.push(inner.clone());
                    }
                }
            }
        }
        Ok(())
    }
}

/// A property of a schema: the primary spec's description of it (or the second source's where
/// the primary has none), the second source's, and where it comes from when not the primary.
struct Prop<'a> {
    wire: String,
    node: &'a Node,
    second: Option<&'a Node>,
    origin: Option<String>,
}

/// The properties of the schema `name`: the primary spec's in order, then the second source's
/// extra properties, each after the property it follows there, then those `BORROWED` from
/// another schema.
fn properties<'a>(
    name: &str,
    schema: &'a Node,
    other: Option<&'a Node>,
    second: &HashMap<&str, &'a Node>,
) -> Result<Vec<Prop<'a>>, String> {
    let own = schema.get("properties").map_or(&[][..], Node::entries);
    let other_props = other.and_then(|o| o.get("properties"));
    let mut props: Vec<Prop<'a>> = own
        .iter()
        .map(|(p, node)| Prop {
            wire: p.clone(),
            node,
            second: other_props.and_then(|o| o.get(p)),
            origin: None,
        })
        .collect();
    let position = |props: &[Prop<'_>], wire: &str| props.iter().position(|q| q.wire == wire);
    let mut previous: Option<&str> = None;
    for (p, node) in other_props.map_or(&[][..], Node::entries) {
        if position(&props, p).is_none() {
            let at = previous
                .and_then(|prev| position(&props, prev))
                .map_or(0, |i| i + 1);
            let origin = Some(format!("Only in `{SECONDARY}`."));
            props.insert(
                at,
                Prop {
                    wire: p.clone(),
                    node,
                    second: None,
                    origin,
                },
            );
        }
        previous = Some(p);
    }
    for (target, property, from, why) in BORROWED {
        if *target != name || position(&props, property).is_some() {
            continue;
        }
        let from_props = second.get(from).and_then(|s| s.get("properties"));
        let node = from_props
            .and_then(|p| p.get(property))
            .ok_or_else(|| format!("BORROWED: `{from}.{property}` is not in {SECONDARY}"))?;
        // After the last property that precedes it in `from` and that this schema has.
        let preceding: Vec<&str> = from_props
            .map_or(&[][..], Node::entries)
            .iter()
            .map(|(k, _)| k.as_str())
            .take_while(|k| k != property)
            .collect();
        let at = preceding
            .iter()
            .rev()
            .find_map(|k| position(&props, k))
            .map_or(0, |i| i + 1);
        props.insert(
            at,
            Prop {
                wire: (*property).to_owned(),
                node,
                second: None,
                origin: Some(format!("Taken from `{from}.{property}`: {why}")),
            },
        );
    }
    Ok(props)
}

/// The doc of property `prop` of `schema`: the description of the primary spec, of the second
/// source, of `MISSING_DOCS` or of its enum, then the bounds and default the spec gives it.
fn field_description(schema: &str, prop: &Prop<'_>, ty: &Ty) -> String {
    let wire = prop.wire.as_str();
    let enum_doc = || {
        let Ty::Enum(e) = ty.element() else {
            return None;
        };
        ENUMS
            .iter()
            .find(|x| x.rust == *e)
            .map(|x| x.doc.to_owned())
    };
    let description = prop
        .node
        .str("description")
        .or_else(|| prop.second.and_then(|s| s.str("description")))
        .map(clean_description)
        .or_else(|| {
            MISSING_DOCS
                .iter()
                .find(|(s, p, _)| *s == schema && *p == wire)
                .map(|(_, _, d)| (*d).to_owned())
        })
        .or_else(enum_doc)
        .unwrap_or_else(|| format!("The `{wire}` property (undocumented in the spec)."));
    match constraints(prop.node).or_else(|| prop.second.and_then(constraints)) {
        Some(extra) => format!("{description}\n\n{extra}"),
        None => description,
    }
}

/// The bounds and default the spec gives a property, as a sentence.
fn constraints(node: &Node) -> Option<String> {
    let scalar = |key: &str| match node.get(key) {
        Some(Node::Number(n)) => Some(n.clone()),
        Some(Node::Bool(b)) => Some(b.to_string()),
        Some(Node::Str(s)) => Some(format!("{s:?}")),
        _ => None,
    };
    let mut parts = Vec::new();
    match (scalar("minimum"), scalar("maximum")) {
        (Some(min), Some(max)) => parts.push(format!("From {min} to {max}.")),
        (Some(min), None) => parts.push(format!("At least {min}.")),
        (None, Some(max)) => parts.push(format!("At most {max}.")),
        (None, None) => {}
    }
    if let Some(default) = scalar("default") {
        parts.push(format!("The spec gives `{default}` as the default."));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

impl Model {
    fn emit(&self) -> Result<String, String> {
        let mut out = Out(String::new());
        out.line(
            0,
            "// @generated by `cargo xtask codegen` — do not edit by hand.",
        );
        out.line(0, &format!("// Sources: {PRIMARY} (primary) and"));
        out.line(0, &format!("// {SECONDARY} (missing properties)."));
        out.line(0, "");
        out.doc_inner(&format!(
            "The models of the Tasklist v1 REST API, generated from `{PRIMARY}` (with the \
             properties only `{SECONDARY}` lists).\n\nEvery field is an `Option`: the specs \
             declare no property as required, and `null` and an absent property both decode \
             as `None`. Unset fields are left out when a model is serialised, and unknown \
             properties are ignored when one is decoded."
        ));
        out.line(0, "");
        if !self.enums.is_empty() {
            out.line(0, "use std::{convert::Infallible, fmt, str::FromStr};");
            out.line(0, "");
        }
        let serde = if self.enums.is_empty() {
            "use serde::{Deserialize, Serialize};"
        } else {
            "use serde::{Deserialize, Deserializer, Serialize, Serializer};"
        };
        out.line(0, serde);
        out.line(0, "");
        let mut own: BTreeSet<String> = BTreeSet::new();
        for s in &self.structs {
            for f in &s.fields {
                match f.ty.element() {
                    Ty::Id(name) => {
                        own.insert((*name).to_owned());
                    }
                    Ty::Timestamp => {
                        own.insert("Timestamp".to_owned());
                    }
                    _ => {}
                }
            }
        }
        if !own.is_empty() {
            let list: Vec<String> = own.into_iter().collect();
            out.line(0, &format!("use super::{{{}}};", list.join(", ")));
        }
        for s in &self.structs {
            out.line(0, "");
            self.emit_struct(&mut out, s)?;
        }
        for e in &self.enums {
            out.line(0, "");
            self.emit_enum(&mut out, e)?;
        }
        Ok(out.0)
    }

    fn emit_struct(&self, out: &mut Out, s: &Struct) -> Result<(), String> {
        let example = if self.requests.contains(s.names.rust) {
            self.request_example(s)?
        } else {
            self.response_example(s)?
        };
        let doc = format!("{}\n\n# Examples\n\n{example}", s.doc);
        let docs: Vec<String> = s.fields.iter().map(field_doc).collect();
        let fields: Vec<FieldOut<'_>> = s
            .fields
            .iter()
            .zip(&docs)
            .map(|(f, doc)| FieldOut {
                doc,
                rust: &f.rust,
                wire: &f.wire,
                ty: f.ty.to_string(),
                deserialize_with: None,
                optional: true,
            })
            .collect();
        out.model_struct(&doc, s.names.rust, &fields);
        Ok(())
    }

    fn find(&self, rust: &str) -> Result<&Struct, String> {
        self.structs
            .iter()
            .find(|s| s.names.rust == rust)
            .ok_or_else(|| format!("no struct `{rust}`"))
    }

    /// A sample value of type `ty` for the property `wire` of `schema`; objects nested in
    /// others keep only their scalar fields.
    fn sample(&self, schema: &str, wire: &str, ty: &Ty, depth: usize) -> Result<Sample, String> {
        Ok(match ty {
            Ty::String => Sample::Str(
                lookup(SAMPLE_STRINGS, schema, wire)
                    .map_or_else(|| format!("some {wire}"), |v| (*v).to_owned()),
            ),
            Ty::I32 | Ty::I64 => Sample::Int(*lookup(SAMPLE_INTEGERS, schema, wire).unwrap_or(&1)),
            Ty::Bool => Sample::Bool(SAMPLE_TRUE.contains(&wire)),
            Ty::Id(name) => Sample::Id(
                name,
                SAMPLE_IDS
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or("1", |(_, v)| v)
                    .to_owned(),
            ),
            Ty::Timestamp => {
                let (_, text, utc) = SAMPLE_TIMES
                    .iter()
                    .find(|(p, _, _)| *p == wire)
                    .or_else(|| SAMPLE_TIMES.first())
                    .ok_or_else(|| "SAMPLE_TIMES is empty".to_owned())?;
                Sample::Time(text, utc)
            }
            Ty::Enum(name) => {
                let e = ENUMS
                    .iter()
                    .find(|e| e.rust == *name)
                    .ok_or_else(|| format!("no enum `{name}`"))?;
                let wanted = lookup(SAMPLE_ENUMS, schema, wire);
                let v = e
                    .variants
                    .iter()
                    .find(|v| wanted.is_none_or(|w| *w == v.wire))
                    .ok_or_else(|| format!("enum `{name}` has no sample variant"))?;
                Sample::Enum(e.rust, v.rust, v.wire)
            }
            Ty::Struct(name) => {
                let s = self.find(name)?;
                let mut fields = Vec::new();
                for f in &s.fields {
                    let nested = matches!(f.ty, Ty::Struct(_) | Ty::Vec(_));
                    if depth >= 1 && nested {
                        continue;
                    }
                    let null =
                        SAMPLE_NULLS.contains(&format!("{}.{}", s.names.schema, f.wire).as_str());
                    let value = if null {
                        Sample::Null
                    } else {
                        self.sample(s.names.schema, &f.wire, &f.ty, depth + 1)?
                    };
                    fields.push((f.wire.clone(), f.rust.clone(), value));
                }
                Sample::Obj(s.names.rust.to_owned(), fields)
            }
            Ty::Vec(item) => Sample::List(vec![self.sample(schema, wire, item, depth)?]),
        })
    }

    /// The sample fields of `s`: (wire name, Rust field, value).
    fn object_sample(&self, s: &Struct) -> Result<Vec<(String, String, Sample)>, String> {
        match self.sample("", "", &Ty::Struct(s.names.rust.to_owned()), 0)? {
            Sample::Obj(_, fields) => Ok(fields),
            _ => Err(format!("`{}` did not give an object sample", s.names.rust)),
        }
    }

    fn response_example(&self, s: &Struct) -> Result<String, String> {
        let fields = self.object_sample(s)?;
        let var = s.names.var;
        let mut types = BTreeSet::from([s.names.rust.to_owned()]);
        // The first field, and the first of each kind worth showing.
        let mut shown: Vec<&(String, String, Sample)> = Vec::new();
        let kinds: [fn(&Sample) -> bool; 4] = [
            |v| matches!(v, Sample::Enum(..)),
            |v| matches!(v, Sample::Time(..)),
            |v| matches!(v, Sample::Null),
            |v| matches!(v, Sample::List(items) if matches!(items.first(), Some(Sample::Obj(..)))),
        ];
        shown.extend(fields.first());
        for kind in kinds {
            if let Some(field) = fields.iter().find(|(_, _, v)| kind(v))
                && !shown.iter().any(|f| f.1 == field.1)
            {
                shown.push(field);
            }
        }
        let mut asserts = Vec::new();
        for (wire, rust, value) in shown {
            asserts.push(assertion(var, wire, rust, value, &mut types));
        }
        let json = Sample::Obj(s.names.rust.to_owned(), fields).json(0);
        Ok(decoding_example(
            &use_line(&types),
            &json,
            var,
            s.names.rust,
            &asserts,
        ))
    }

    fn request_example(&self, s: &Struct) -> Result<String, String> {
        let fields = self.object_sample(s)?;
        let chosen: Vec<(String, String, Sample)> = match EXAMPLE_FIELDS
            .iter()
            .find(|(name, _)| *name == s.names.rust)
        {
            Some((_, wanted)) => {
                let chosen: Vec<_> = fields
                    .into_iter()
                    .filter(|(wire, _, _)| wanted.contains(&wire.as_str()))
                    .collect();
                if chosen.len() != wanted.len() {
                    return Err(format!(
                        "EXAMPLE_FIELDS names unknown fields of `{}`",
                        s.names.rust
                    ));
                }
                chosen
            }
            None if fields.len() <= 4 => fields,
            None => fields
                .into_iter()
                .filter(|(_, _, v)| !matches!(v, Sample::Obj(..) | Sample::List(_)))
                .take(3)
                .collect(),
        };
        let mut built = RequestExample::default();
        let var = self.build_object(s.names.rust, &chosen, &mut built)?;
        let json = Sample::Obj(s.names.rust.to_owned(), chosen).json(0);
        let mut body = String::new();
        for line in &built.setup {
            let _ = writeln!(body, "{line}");
        }
        let _ = writeln!(
            body,
            "\nlet json = serde_json::to_value(&{var})?;\nassert_eq!(json, serde_json::json!({json}));"
        );
        Ok(example(&use_line(&built.types), &body))
    }

    /// Statements building an object of type `ty` with `fields` set; returns its variable.
    fn build_object(
        &self,
        ty: &str,
        fields: &[(String, String, Sample)],
        example: &mut RequestExample,
    ) -> Result<String, String> {
        example.types.insert(ty.to_owned());
        let base = self.find(ty)?.names.var.to_owned();
        let mut var = base.clone();
        let mut n = 2;
        while !example.names.insert(var.clone()) {
            var = format!("{base}_{n}");
            n += 1;
        }
        let mut assignments = Vec::new();
        for (_, field, value) in fields {
            let expr = self.rust_expr(value, example)?;
            assignments.push(format!("{var}.{field} = Some({expr});"));
        }
        example
            .setup
            .push(format!("let mut {var} = {ty}::default();"));
        example.setup.extend(assignments);
        Ok(var)
    }

    /// A Rust expression for `value`, with any statements it needs added to `example`.
    fn rust_expr(&self, value: &Sample, example: &mut RequestExample) -> Result<String, String> {
        Ok(match value {
            Sample::Null => "None".to_owned(),
            Sample::Str(s) => format!("{s:?}.to_owned()"),
            Sample::Int(n) => n.to_string(),
            Sample::Bool(b) => b.to_string(),
            Sample::Id(ty, s) => {
                example.types.insert((*ty).to_owned());
                format!("{ty}::from({s:?})")
            }
            Sample::Time(s, _) => {
                example.types.insert("Timestamp".to_owned());
                format!("{s:?}.parse::<Timestamp>()?")
            }
            Sample::Enum(ty, variant, _) => {
                example.types.insert((*ty).to_owned());
                format!("{ty}::{variant}")
            }
            Sample::List(items) => {
                let parts = items
                    .iter()
                    .map(|i| self.rust_expr(i, example))
                    .collect::<Result<Vec<_>, _>>()?;
                format!("vec![{}]", parts.join(", "))
            }
            Sample::Obj(ty, fields) => self.build_object(ty, fields, example)?,
        })
    }

    fn emit_enum(&self, out: &mut Out, e: &SharedEnum) -> Result<(), String> {
        let users: Vec<String> = self
            .structs
            .iter()
            .flat_map(|s| {
                s.fields
                    .iter()
                    .filter(|f| *f.ty.element() == Ty::Enum(e.rust))
                    .map(move |f| format!("`{}.{}`", s.names.schema, f.wire))
            })
            .collect();
        out.open_enum(&OpenEnum {
            rust: e.rust,
            intro: format!(
                "{}\n\nThe string enum of {} in the Tasklist v1 spec. It is open: a value this \
                 version does not know decodes as [`{}::Unknown`] and serialises back unchanged.",
                e.doc,
                users.join(", "),
                e.rust,
            ),
            module: MODELS,
            variants: e
                .variants
                .iter()
                .map(|v| (v.wire, v.rust, format!("{} Sent as `{}`.", v.doc, v.wire)))
                .collect(),
            unknown: e.unknown_example,
        })
    }
}

/// The doc of a field: the spec's description, the JSON property and where it comes from.
fn field_doc(f: &Field) -> String {
    let mut doc = f.doc.clone();
    let _ = write!(doc, "\n\nJSON property `{}`", f.wire);
    if let Ty::Timestamp = f.ty {
        doc.push_str(" (the text is kept as received)");
    }
    doc.push('.');
    if let Some(origin) = &f.origin {
        let _ = write!(doc, " {origin}");
    }
    doc
}

#[derive(Clone, Debug)]
enum Sample {
    Null,
    Str(String),
    Int(i64),
    Bool(bool),
    /// (type, text)
    Id(&'static str, String),
    /// (text, the instant in RFC 3339 UTC)
    Time(&'static str, &'static str),
    /// (enum, variant, wire value)
    Enum(&'static str, &'static str, &'static str),
    List(Vec<Sample>),
    /// (type, [(wire name, Rust field, value)])
    Obj(String, Vec<(String, String, Sample)>),
}

impl Sample {
    /// The value as pretty-printed JSON, indented by `indent` levels after the first line.
    fn json(&self, indent: usize) -> String {
        let pad = "  ".repeat(indent + 1);
        let end = "  ".repeat(indent);
        match self {
            Sample::Str(s) | Sample::Id(_, s) => json_string(s),
            Sample::Time(s, _) | Sample::Enum(_, _, s) => json_string(s),
            Sample::Null => "null".to_owned(),
            Sample::Int(n) => n.to_string(),
            Sample::Bool(b) => b.to_string(),
            Sample::List(items) => {
                let simple = items
                    .iter()
                    .all(|i| !matches!(i, Sample::Obj(..) | Sample::List(_)));
                if simple {
                    let parts: Vec<String> = items.iter().map(|i| i.json(indent)).collect();
                    format!("[{}]", parts.join(", "))
                } else {
                    let parts: Vec<String> = items
                        .iter()
                        .map(|i| format!("{pad}{}", i.json(indent + 1)))
                        .collect();
                    format!("[\n{}\n{end}]", parts.join(",\n"))
                }
            }
            Sample::Obj(_, fields) => {
                if fields.is_empty() {
                    return "{}".to_owned();
                }
                let parts: Vec<String> = fields
                    .iter()
                    .map(|(wire, _, v)| {
                        format!("{pad}{}: {}", json_string(wire), v.json(indent + 1))
                    })
                    .collect();
                format!("{{\n{}\n{end}}}", parts.join(",\n"))
            }
        }
    }
}

/// `use tasklist_api::models::{…};` for `types`.
fn use_line(types: &BTreeSet<String>) -> String {
    super::use_line(MODELS, types, 92)
}

/// What a request example needs: its statements, the types it names and its variables.
#[derive(Default)]
struct RequestExample {
    setup: Vec<String>,
    types: BTreeSet<String>,
    names: BTreeSet<String>,
}

/// Statements asserting that `var.field` decoded as `value`.
fn assertion(
    var: &str,
    wire: &str,
    field: &str,
    value: &Sample,
    types: &mut BTreeSet<String>,
) -> String {
    let target = format!("{var}.{field}");
    match value {
        Sample::Null => assert_eq_line(&target, "None"),
        Sample::Str(s) => assert_eq_line(&format!("{target}.as_deref()"), &format!("Some({s:?})")),
        Sample::Int(n) => assert_eq_line(&target, &format!("Some({n})")),
        Sample::Bool(b) => assert_eq_line(&target, &format!("Some({b})")),
        Sample::Id(ty, s) => {
            types.insert((*ty).to_owned());
            assert_eq_line(&target, &format!("Some({ty}::from({s:?}))"))
        }
        Sample::Time(text, utc) => format!(
            "let {field} = {target}.as_ref().ok_or(\"no {wire}\")?;\n{}\n{}",
            assert_eq_line(&format!("{field}.as_str()"), &format!("{text:?}")),
            assert_eq_line(
                &format!("{field}.to_jiff()?.to_string()"),
                &format!("{utc:?}")
            )
        ),
        Sample::Enum(ty, variant, _) => {
            types.insert((*ty).to_owned());
            assert_eq_line(&target, &format!("Some({ty}::{variant})"))
        }
        Sample::List(items) => assert_eq_line(
            &format!("{target}.as_ref().map(Vec::len)"),
            &format!("Some({})", items.len()),
        ),
        Sample::Obj(..) => format!("assert!({target}.is_some());"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::codegen::tests::yaml;

    fn spec(schemas: &str) -> Node {
        let indented: String = schemas.lines().map(|l| format!("    {l}\n")).collect();
        yaml(&format!("components:\n  schemas:\n{indented}"))
    }

    #[test]
    fn the_vendored_specs_generate() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let primary: Node = serde_norway::from_str(&read(&root, PRIMARY).unwrap()).unwrap();
        let secondary: Node = serde_json::from_str(&read(&root, SECONDARY).unwrap()).unwrap();
        let model = Model::build(&primary, &secondary).unwrap();
        let code = model.emit().unwrap();
        assert!(code.contains("pub struct TaskSearchResult {"));
        assert!(code.contains("pub struct PriorityFilter {"));
        assert_eq!(model.enums.len(), ENUMS.len());
        let task = model.find("Task").unwrap();
        assert!(task.fields.iter().any(|f| f.wire == "context"));
    }

    #[test]
    fn an_unmapped_schema_fails() {
        let primary = spec("Surprise:\n  type: object\n  properties: {}\n");
        let error = Model::build(&primary, &spec("{}")).err().unwrap();
        assert!(error.contains("`Surprise` has no Rust name"), "{error}");
    }

    #[test]
    fn an_enum_with_other_values_fails() {
        let primary = spec(
            "TaskOrderBy:\n  type: object\n  properties:\n    order:\n      type: string\n      \
             enum: [ASC, DESC, RANDOM]\n",
        );
        let error = Model::build(&primary, &spec("{}")).err().unwrap();
        assert!(
            error.contains("differ from those of `SortOrder`"),
            "{error}"
        );
    }

    #[test]
    fn an_unmapped_enum_fails() {
        let primary = spec(
            "TaskOrderBy:\n  type: object\n  properties:\n    mood:\n      type: string\n      \
             enum: [HAPPY]\n",
        );
        let error = Model::build(&primary, &spec("{}")).err().unwrap();
        assert!(error.contains("not mapped to a shared enum"), "{error}");
    }

    #[test]
    fn extra_properties_come_from_the_second_source() {
        let primary = spec(
            "FormResponse:\n  type: object\n  properties:\n    id:\n      type: string\n\
             TaskResponse:\n  type: object\n",
        );
        let secondary = spec(
            "FormResponse:\n  type: object\n  properties:\n    id:\n      type: integer\n    \
             title:\n      type: string\n      description: From the server.\n\
             TaskSearchResponse:\n  type: object\n  properties:\n    context:\n      \
             type: string\n",
        );
        let model = Model::build(&primary, &secondary).unwrap();
        let form = model.find("Form").unwrap();
        assert_eq!(form.fields[0].ty, Ty::Id("FormId"), "the primary spec wins");
        assert_eq!(form.fields[1].wire, "title");
        assert_eq!(form.fields[1].doc, "From the server.");
        assert!(form.fields[1].origin.is_some());
        let task = model.find("Task").unwrap();
        assert_eq!(task.fields[0].wire, "context", "borrowed");
    }
}
