//! The tables of the v2 generator: the versions and their specs, what it decides beyond the
//! specs (the Rust names, the key types, the schemas read as filters, pages and sorts) and the
//! values of the doc examples.

/// Where a version's spec is.
pub(super) enum Source {
    /// One YAML file.
    Yaml(&'static str),
    /// One JSON file.
    Json(&'static str),
    /// A folder of YAML files that `$ref` each other.
    Dir(&'static str),
}

/// The versions, newest first: the newest spec orders the fields and gives the docs.
pub(super) const VERSIONS: &[(&str, Source)] = &[
    ("8.10", Source::Dir("spec/v2/8.10-dev")),
    ("8.9", Source::Json("spec/v2/rest-api-8.9.bundle.json")),
    ("8.8", Source::Yaml("spec/v2/rest-api-8.8.yaml")),
];

/// The sources, for the header and messages.
pub(super) const SOURCES: &str =
    "spec/v2/rest-api-8.8.yaml, spec/v2/rest-api-8.9.bundle.json and spec/v2/8.10-dev/*.yaml";

/// A schema that becomes a struct.
pub(super) struct StructSpec {
    pub(super) schema: &'static str,
    pub(super) rust: &'static str,
    /// The name of a value of it in the examples.
    pub(super) var: &'static str,
    /// The first line of its doc.
    pub(super) summary: &'static str,
    /// Sent in request bodies (its example builds one) rather than received.
    pub(super) request: bool,
}

pub(super) const STRUCTS: &[StructSpec] = &[
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
pub(super) const PAGES: &[&str] = &[
    "UserTaskSearchQueryResult",
    "VariableSearchQueryResult",
    "AuditLogSearchQueryResult",
];

/// Sort criterion schemas: each becomes `Sort<F>` with `F` generated from its `field` enum.
pub(super) const SORTS: &[(&str, &str)] = &[
    ("UserTaskSearchQuerySortRequest", "UserTaskSortField"),
    (
        "UserTaskVariableSearchQuerySortRequest",
        "VariableSortField",
    ),
    ("AuditLogSearchQuerySortRequest", "AuditLogSortField"),
];

/// Enum schemas whose Rust name is not the schema name without a trailing `Enum`.
pub(super) const ENUM_NAMES: &[(&str, &str)] = &[("AuditLogResultEnum", "AuditLogOutcome")];

/// Enums defined inline in a property (`Schema.property`), by Rust name.
pub(super) const INLINE_ENUMS: &[(&str, &str)] = &[
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
pub(super) const VARIANT_NAMES: &[(&str, &str, &str)] = &[
    ("AuditLogOperationType", "UNKNOWN", "UnknownOperation"),
    ("AuditLogActorType", "UNKNOWN", "UnknownActor"),
    ("PartitionState", "unknown", "UnknownState"),
];

/// The key newtypes of `keys.rs`; a `$ref` to one of these schemas becomes that type.
pub(super) const KEYS: &[&str] = &[
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
pub(super) const PATCHES: &[&str] = &[
    "Changeset.dueDate",
    "Changeset.followUpDate",
    "Changeset.candidateUsers",
    "Changeset.candidateGroups",
];

/// Rust field names that are not the snake_case of the property: (`Schema.property`, name).
pub(super) const FIELD_NAMES: &[(&str, &str)] = &[("ProblemDetail.type", "problem_type")];

/// String properties that an early spec typed as an object: an object decodes as its JSON text.
pub(super) const JSON_TEXT: &[&str] = &["FormResult.schema"];

/// The operators each filter type offers.
pub(super) const STRING_OPS: &[&str] = &["eq", "neq", "exists", "in", "notIn", "like"];
pub(super) const ORDERED_OPS: &[&str] = &["eq", "neq", "exists", "gt", "gte", "lt", "lte", "in"];
pub(super) const KEY_OPS: &[&str] = &["eq", "neq", "exists", "in", "notIn"];
pub(super) const ENUM_OPS: &[&str] = &["eq", "neq", "exists", "in", "like"];

// The examples' values, looked up by `Schema.property`, then by `property`.

pub(super) const SAMPLE_STRINGS: &[(&str, &str)] = &[
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

pub(super) const SAMPLE_INTEGERS: &[(&str, i64)] = &[
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
pub(super) const SAMPLE_TIME: &str = "2025-10-04T12:35:24.713Z";
/// A key for the examples (above 2^53, where a JSON number would lose digits).
pub(super) const SAMPLE_KEY: &str = "2251799813685281";
/// A cursor for the examples.
pub(super) const SAMPLE_CURSOR: &str = "WzIyNTE3OTk4MTM2ODcxMDJd";

/// The properties a request example sets, where not the first three it can.
pub(super) const EXAMPLE_FIELDS: &[(&str, &[&str])] = &[
    (
        "UserTaskFilter",
        &["state", "assignee", "processInstanceKey"],
    ),
    ("UserTaskAssignmentRequest", &["assignee", "allowOverride"]),
    ("Changeset", &["dueDate", "candidateGroups", "priority"]),
];
