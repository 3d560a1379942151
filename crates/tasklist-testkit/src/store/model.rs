//! What the store keeps: tasks, variables, forms, the record of one task with its variables,
//! drafts and completion snapshot, and how values and dates are written and read.

use jiff::Timestamp;
use serde::de;
use serde::{Deserialize, Serialize};

/// The name of the variable whose value Tasklist shows as a task's `context` in search results
/// (`TaskMapper.TASK_DESCRIPTION`); it is left out of the returned `variables`.
///
/// ```
/// assert_eq!(tasklist_testkit::store::CONTEXT_VARIABLE, "taskContextDisplayName");
/// ```
pub const CONTEXT_VARIABLE: &str = "taskContextDisplayName";

/// The priority Tasklist reports for a task that has none (`TaskStore.DEFAULT_PRIORITY`, also the
/// value such a task sorts with).
///
/// ```
/// assert_eq!(tasklist_testkit::store::DEFAULT_PRIORITY, 50);
/// ```
pub const DEFAULT_PRIORITY: i32 = 50;

/// The page size of a search request that names none (`TaskQueryDTO.DEFAULT_PAGE_SIZE`).
///
/// ```
/// assert_eq!(tasklist_testkit::store::DEFAULT_PAGE_SIZE, 50);
/// ```
pub const DEFAULT_PAGE_SIZE: i64 = 50;

/// The state of a task, as Tasklist names it on the wire.
///
/// ```
/// use tasklist_testkit::store::TaskState;
/// assert_eq!(TaskState::Created.as_str(), "CREATED");
/// assert_eq!(serde_json::to_string(&TaskState::Canceled)?, "\"CANCELED\"");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaskState {
    /// Active: the only state in which a task may be assigned, unassigned or completed.
    Created,
    /// Completed through the API (or by the engine).
    Completed,
    /// Canceled, for example because its process instance was canceled.
    Canceled,
    /// Failed (legacy job-worker tasks only).
    Failed,
}

impl TaskState {
    /// The wire name: `CREATED`, `COMPLETED`, `CANCELED` or `FAILED`.
    ///
    /// ```
    /// use tasklist_testkit::store::TaskState;
    /// assert_eq!(TaskState::Failed.as_str(), "FAILED");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            TaskState::Created => "CREATED",
            TaskState::Completed => "COMPLETED",
            TaskState::Canceled => "CANCELED",
            TaskState::Failed => "FAILED",
        }
    }
}

/// How a user task is implemented in the process model.
///
/// ```
/// use tasklist_testkit::store::TaskImplementation;
/// assert_eq!(serde_json::to_string(&TaskImplementation::ZeebeUserTask)?, "\"ZEEBE_USER_TASK\"");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaskImplementation {
    /// A job-worker-based user task (Tasklist's original kind).
    #[default]
    JobWorker,
    /// A Zeebe user task (8.5+), which carries a priority.
    ZeebeUserTask,
}

/// One user task with every field of the v1 `TaskResponse`.
///
/// Build one with [`Task::new`] and set the public fields; the store keeps a copy.
///
/// ```
/// use tasklist_testkit::store::{Task, TaskImplementation};
///
/// let mut task = Task::new("2251799813685260", "Review contract");
/// task.candidate_groups = Some(vec!["legal".to_owned()]);
/// task.implementation = TaskImplementation::ZeebeUserTask;
/// task.priority = Some(80);
/// assert_eq!(task.task_definition_id, "Review contract");
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// The task id (the user task's key, a decimal number in the real server).
    pub id: String,
    /// The task name.
    pub name: String,
    /// The BPMN element id of the user task (`taskDefinitionId`).
    pub task_definition_id: String,
    /// The process name.
    pub process_name: String,
    /// The process definition key.
    pub process_definition_key: String,
    /// The process instance key.
    pub process_instance_key: String,
    /// When the task was created.
    pub creation_date: Timestamp,
    /// When the task was completed or canceled.
    pub completion_date: Option<Timestamp>,
    /// Who the task is assigned to.
    pub assignee: Option<String>,
    /// The task state.
    pub state: TaskState,
    /// The form reference: `camunda-forms:bpmn:<id>` for an embedded form, the form key for a
    /// deployed one.
    pub form_key: Option<String>,
    /// The id of a deployed (linked) form.
    pub form_id: Option<String>,
    /// The version of a deployed (linked) form.
    pub form_version: Option<i64>,
    /// Whether the form is embedded in the process model (`None` when there is no form).
    pub is_form_embedded: Option<bool>,
    /// The tenant id (`<default>` when multi-tenancy is off).
    pub tenant_id: Option<String>,
    /// The due date.
    pub due_date: Option<Timestamp>,
    /// The follow-up date.
    pub follow_up_date: Option<Timestamp>,
    /// The candidate groups.
    pub candidate_groups: Option<Vec<String>>,
    /// The candidate users.
    pub candidate_users: Option<Vec<String>>,
    /// How the task is implemented.
    pub implementation: TaskImplementation,
    /// The priority (0..=100), which only Zeebe user tasks have; shown as 50 when absent.
    pub priority: Option<i32>,
}

impl Task {
    /// A `CREATED`, unassigned job-worker task created now, with `name` also as its
    /// `taskDefinitionId`, in process `process` (definition key `1`, instance key = `id`).
    ///
    /// ```
    /// use tasklist_testkit::store::{Task, TaskState};
    /// let task = Task::new("1", "Check");
    /// assert_eq!(task.state, TaskState::Created);
    /// assert!(task.assignee.is_none());
    /// ```
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        let id = id.into();
        let name = name.into();
        Task {
            process_instance_key: id.clone(),
            id,
            task_definition_id: name.clone(),
            name,
            process_name: "process".to_owned(),
            process_definition_key: "1".to_owned(),
            creation_date: Timestamp::now(),
            completion_date: None,
            assignee: None,
            state: TaskState::Created,
            form_key: None,
            form_id: None,
            form_version: None,
            is_form_embedded: None,
            tenant_id: Some("<default>".to_owned()),
            due_date: None,
            follow_up_date: None,
            candidate_groups: None,
            candidate_users: None,
            implementation: TaskImplementation::JobWorker,
            priority: None,
        }
    }
}

/// A variable: its value is JSON text (`"\"text\""`, `"12"`, `"{\"a\":1}"`, `"null"`), as
/// Tasklist stores and returns it.
///
/// ```
/// use tasklist_testkit::store::Variable;
/// let variable = Variable::new("42-amount", "amount", "12.5");
/// assert_eq!(variable.value, "12.5");
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    /// The variable id (`<scope key>-<name>` in the real server).
    pub id: String,
    /// The variable name.
    pub name: String,
    /// The full value as JSON text.
    pub value: String,
    /// The tenant id.
    pub tenant_id: Option<String>,
}

impl Variable {
    /// A variable with this id, name and JSON text value, in the default tenant.
    ///
    /// ```
    /// use tasklist_testkit::store::Variable;
    /// assert_eq!(Variable::new("1-a", "a", "true").tenant_id.as_deref(), Some("<default>"));
    /// ```
    pub fn new(id: impl Into<String>, name: impl Into<String>, value: impl Into<String>) -> Self {
        Variable {
            id: id.into(),
            name: name.into(),
            value: value.into(),
            tenant_id: Some("<default>".to_owned()),
        }
    }
}

/// A draft variable saved by `POST /v1/tasks/{taskId}/variables`: it shares the id of the
/// process variable of the same name, or gets `<taskId>-<name>` when there is none. It has the
/// same fields as a [`Variable`], its value being the draft's JSON text.
///
/// ```
/// use tasklist_testkit::store::DraftVariable;
/// let draft = DraftVariable::new("7-note", "note", "\"draft\"");
/// assert_eq!(draft.name, "note");
/// ```
pub type DraftVariable = Variable;

/// A form: embedded in a process model (no version, found by id and process definition key) or
/// deployed (versioned, found by id, optionally by version; without a version the highest one
/// not deleted).
///
/// ```
/// use tasklist_testkit::store::Form;
/// let embedded = Form::embedded("userTaskForm_1", "2251799813685249", "{\"components\":[]}");
/// assert_eq!(embedded.version, None);
/// let deployed = Form::deployed("invoice-form", 2, "2251799813685249", "{}");
/// assert_eq!(deployed.version, Some(2));
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    /// The form id (the BPMN form id).
    pub id: String,
    /// The process definition the form belongs to (embedded) or is linked from (deployed).
    pub process_definition_key: String,
    /// The form JSON (form-js schema) as text.
    pub schema: String,
    /// The version of a deployed form; `None` for an embedded one.
    pub version: Option<i64>,
    /// The tenant id.
    pub tenant_id: Option<String>,
    /// Whether the deployed form was deleted in the engine.
    pub is_deleted: bool,
}

impl Form {
    /// A form embedded in the model of process definition `process_definition_key`.
    ///
    /// ```
    /// use tasklist_testkit::store::Form;
    /// assert!(!Form::embedded("f", "1", "{}").is_deleted);
    /// ```
    pub fn embedded(
        id: impl Into<String>,
        process_definition_key: impl Into<String>,
        schema: impl Into<String>,
    ) -> Self {
        Form {
            id: id.into(),
            process_definition_key: process_definition_key.into(),
            schema: schema.into(),
            version: None,
            tenant_id: Some("<default>".to_owned()),
            is_deleted: false,
        }
    }

    /// Version `version` of deployed form `id`, linked from process definition
    /// `process_definition_key`.
    ///
    /// ```
    /// use tasklist_testkit::store::Form;
    /// assert_eq!(Form::deployed("f", 3, "1", "{}").version, Some(3));
    /// ```
    pub fn deployed(
        id: impl Into<String>,
        version: i64,
        process_definition_key: impl Into<String>,
        schema: impl Into<String>,
    ) -> Self {
        Form {
            id: id.into(),
            process_definition_key: process_definition_key.into(),
            schema: schema.into(),
            version: Some(version),
            tenant_id: Some("<default>".to_owned()),
            is_deleted: false,
        }
    }
}

/// Why a store operation was refused.
///
/// ```
/// use tasklist_testkit::store::{Store, StoreError};
/// let store = Store::new();
/// assert!(matches!(store.insert_variable("nope", "a", "1"), Err(StoreError::TaskNotFound(_))));
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// No task has this id.
    #[error("task with id {0} was not found")]
    TaskNotFound(String),
    /// A variable value is not JSON text.
    #[error("variable value is not JSON text: {0}")]
    InvalidJson(String),
}

/// A task with everything the store keeps about it.
#[derive(Debug, Clone)]
pub(crate) struct TaskRecord {
    /// The task.
    pub(crate) task: Task,
    /// The process variables visible to the task, in insertion order.
    pub(crate) variables: Vec<Variable>,
    /// The draft variables.
    pub(crate) drafts: Vec<DraftVariable>,
    /// The variables recorded when the task was completed.
    pub(crate) snapshot: Vec<Variable>,
}

impl TaskRecord {
    pub(crate) fn new(task: Task) -> Self {
        TaskRecord {
            task,
            variables: Vec::new(),
            drafts: Vec::new(),
            snapshot: Vec::new(),
        }
    }

    /// The variables the API shows for the task: its process variables while `CREATED`, the
    /// completion snapshot once `COMPLETED`, none in other states (`VariableService`).
    pub(crate) fn visible_variables(&self) -> &[Variable] {
        match self.task.state {
            TaskState::Created => &self.variables,
            TaskState::Completed => &self.snapshot,
            TaskState::Canceled | TaskState::Failed => &[],
        }
    }

    /// The id a process variable named `name` has or would get.
    pub(crate) fn variable_id(&self, name: &str) -> String {
        format!("{}-{}", self.task.process_instance_key, name)
    }

    /// Sets (or adds) the process variable `name`.
    pub(crate) fn set_variable(&mut self, name: &str, value: String) -> Variable {
        if let Some(existing) = self.variables.iter_mut().find(|v| v.name == name) {
            existing.value = value;
            return existing.clone();
        }
        let mut variable = Variable::new(self.variable_id(name), name, value);
        variable.tenant_id = self.task.tenant_id.clone();
        self.variables.push(variable.clone());
        variable
    }
}

/// The first `threshold` characters of `value`, and whether that cut anything off
/// (`isValueTruncated`/`previewValue`; Tasklist cuts at `variableSizeThreshold`).
pub(crate) fn preview(value: &str, threshold: usize) -> (&str, bool) {
    match value.char_indices().nth(threshold) {
        Some((cut, _)) => (&value[..cut], true),
        None => (value, false),
    }
}

/// Checks that `value` starts with one JSON value, as Jackson's `ObjectMapper.readValue(value,
/// Object.class)` does in Tasklist (it stops after the first value and ignores what follows).
/// Returns a parser message on failure.
pub(crate) fn validate_json_text(value: &str) -> Result<(), String> {
    let mut values = serde_json::Deserializer::from_str(value).into_iter::<de::IgnoredAny>();
    match values.next() {
        Some(Ok(_)) => Ok(()),
        Some(Err(e)) => Err(e.to_string()),
        None => Err("No content to map due to end-of-input".to_owned()),
    }
}

/// Formats a timestamp as Tasklist does (`yyyy-MM-dd'T'HH:mm:ss.SSSZ` in UTC, e.g.
/// `2024-03-01T08:00:00.000+0000`).
pub(crate) fn format_date(ts: Timestamp) -> String {
    let millis = ts.as_millisecond();
    let date = jiff::tz::Offset::UTC.to_datetime(ts);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}+0000",
        date.year(),
        date.month(),
        date.day(),
        date.hour(),
        date.minute(),
        date.second(),
        millis.rem_euclid(1000)
    )
}

/// Parses a date as Tasklist's object mapper accepts it: RFC 3339 (`Z` or `+hh:mm`) or the
/// server's own `yyyy-MM-dd'T'HH:mm:ss.SSSZ` form (`+hhmm`).
pub(crate) fn parse_date(text: &str) -> Option<Timestamp> {
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Some(ts);
    }
    // `+0000` style offsets: insert the colon jiff's RFC 3339 parser expects.
    let bytes = text.as_bytes();
    if bytes.len() > 5 {
        let (head, tail) = text.split_at(text.len() - 5);
        let sign = tail.as_bytes()[0];
        if (sign == b'+' || sign == b'-') && tail[1..].bytes().all(|b| b.is_ascii_digit()) {
            let fixed = format!("{head}{}:{}", &tail[..3], &tail[3..]);
            return fixed.parse::<Timestamp>().ok();
        }
    }
    None
}
