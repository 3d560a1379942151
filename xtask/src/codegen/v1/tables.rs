//! The tables of the v1 generator: what it decides beyond the specs (the Rust names, the
//! schemas that are not Tasklist's, identifier and date-time overrides, the shared enums) and
//! the values of the doc examples.

/// A component schema of the specs and what is generated for it.
pub(super) struct SchemaName {
    pub(super) schema: &'static str,
    /// The name of the Rust struct.
    pub(super) rust: &'static str,
    /// The name of a value of it in the examples.
    pub(super) var: &'static str,
    /// The first line of its doc.
    pub(super) summary: &'static str,
}

pub(super) const SCHEMAS: &[SchemaName] = &[
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
pub(super) const INLINE_OBJECTS: &[SchemaName] = &[SchemaName {
    schema: "TaskSearchRequest.priority",
    rust: "PriorityFilter",
    var: "priority",
    summary: "Bounds on the priority of the tasks to search for.",
}];

/// Schemas of the second source that are not generated. From 8.6 the server also serves the
/// Zeebe gateway's user task and topology endpoints, which are not Tasklist's; and
/// `RangeValueFilter` is its name for the inline `priority` object (`PriorityFilter` here).
pub(super) const IGNORED: &[&str] = &[
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
pub(super) const ID_PROPERTIES: &[(&str, &str)] = &[
    ("VariableSearchResponse", "VariableId"),
    ("VariableResponse", "VariableId"),
    ("TaskSearchResponse", "TaskId"),
    ("TaskResponse", "TaskId"),
    ("FormResponse", "FormId"),
];

/// Properties that become an identifier type in whatever schema they appear.
pub(super) const KEY_PROPERTIES: &[(&str, &str)] = &[
    ("processDefinitionKey", "ProcessDefinitionKey"),
    ("processInstanceKey", "ProcessInstanceKey"),
    ("formId", "FormId"),
];

/// String properties that become `Timestamp` although the spec gives no `date-time` format.
pub(super) const DATE_PROPERTIES: &[&str] =
    &["creationDate", "completionDate", "dueDate", "followUpDate"];

/// Properties that a schema gets from another schema of the second source although neither
/// source lists them for it: (schema, property, schema to copy it from, why).
pub(super) const BORROWED: &[(&str, &str, &str, &str)] = &[(
    "TaskResponse",
    "context",
    "TaskSearchResponse",
    "the specs list it only for task search results; `None` when the server does not send it.",
)];

/// Docs for properties that neither source describes: (schema, property, doc).
pub(super) const MISSING_DOCS: &[(&str, &str, &str)] = &[
    ("TaskOrderBy", "field", "The field to sort by."),
    (
        "DraftVariableValue",
        "value",
        "The draft value of the variable, as JSON text.",
    ),
];

/// One variant of a shared enum: its wire value, Rust name and doc.
pub(super) struct Variant {
    pub(super) wire: &'static str,
    pub(super) rust: &'static str,
    pub(super) doc: &'static str,
}

/// An open string enum shared by every property that carries it.
pub(super) struct SharedEnum {
    pub(super) rust: &'static str,
    pub(super) doc: &'static str,
    /// The properties (in any schema) whose values it holds.
    pub(super) properties: &'static [&'static str],
    pub(super) variants: &'static [Variant],
    /// A value the enum does not know, for its example.
    pub(super) unknown_example: &'static str,
}

pub(super) const ENUMS: &[SharedEnum] = &[
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
pub(super) const SAMPLE_STRINGS: &[(&str, &str)] = &[
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
pub(super) const SAMPLE_INTEGERS: &[(&str, i64)] = &[
    ("status", 404),
    ("pageSize", 50),
    ("priority", 50),
    ("gte", 50),
    ("lte", 80),
];

/// Booleans (any other is `false`).
pub(super) const SAMPLE_TRUE: &[&str] = &["isFirst", "assigned", "alwaysReturnFullValue"];

/// Date-times: (property, text, the instant in RFC 3339 UTC).
pub(super) const SAMPLE_TIMES: &[(&str, &str, &str)] = &[
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
pub(super) const SAMPLE_ENUMS: &[(&str, &str)] = &[("field", "creationTime"), ("order", "DESC")];

/// Properties sent as `null` in the decoding examples, to show that they decode as `None`.
pub(super) const SAMPLE_NULLS: &[&str] = &[
    "TaskSearchResponse.completionDate",
    "TaskResponse.completionDate",
    "TaskSearchResponse.formKey",
    "TaskResponse.formKey",
];

/// Identifiers, by identifier type.
pub(super) const SAMPLE_IDS: &[(&str, &str)] = &[
    ("TaskId", "2251799813685251"),
    ("VariableId", "2251799813685251-approved"),
    ("FormId", "userTaskForm_1"),
    ("ProcessDefinitionKey", "2251799813685249"),
    ("ProcessInstanceKey", "2251799813685255"),
];

/// The properties the examples of request structs set, where not all of them (up to four) or
/// the first three scalar ones.
pub(super) const EXAMPLE_FIELDS: &[(&str, &[&str])] = &[
    ("VariablesSearchRequest", &["includeVariables"]),
    (
        "TaskSearchRequest",
        &["state", "candidateGroup", "pageSize", "dueDate", "sort"],
    ),
    ("PriorityFilter", &["gte", "lte"]),
];
