//! The in-memory task store: tasks with every field of Tasklist's `TaskResponse`, their process
//! variables (values as JSON text), draft variables, the variable snapshot taken at completion,
//! and forms (embedded per process definition, deployed by id and version).
//!
//! The store also holds the search logic of `POST /v1/tasks/search` (filters, sorting, the four
//! cursor kinds), which imitates Tasklist's Elasticsearch task store (`TaskStoreElasticSearch`):
//! how it sorts by default, how it builds `sortValues`, and how it pages before and after a
//! cursor.
//!
//! ```
//! use tasklist_testkit::store::{Store, Task, TaskState};
//!
//! let store = Store::new();
//! let mut task = Task::new("2251799813685251", "Approve invoice");
//! task.assignee = Some("demo".to_owned());
//! store.insert_task(task);
//! store.insert_variable("2251799813685251", "amount", "1200.5")?;
//!
//! let stored = store.task("2251799813685251").expect("inserted");
//! assert_eq!(stored.state, TaskState::Created);
//! assert_eq!(store.variables("2251799813685251").map(|v| v.len()), Some(1));
//! # Ok::<(), tasklist_testkit::store::StoreError>(())
//! ```

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use jiff::Timestamp;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};

use crate::errors::ApiFailure;
use crate::seed::SeedSpec;

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
    fn new(task: Task) -> Self {
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

/// The store's contents behind the lock.
#[derive(Debug, Default)]
struct Inner {
    tasks: BTreeMap<String, TaskRecord>,
    forms: Vec<Form>,
}

/// The in-memory store of tasks, variables and forms. Cheap to share behind the server's state;
/// every method takes `&self` (a `RwLock` inside, never held across an `.await`).
///
/// ```
/// use tasklist_testkit::seed::SeedSpec;
/// use tasklist_testkit::store::Store;
///
/// let store = Store::new();
/// store.seed(&SeedSpec::new(20, 7));
/// assert_eq!(store.tasks().len(), 20);
/// ```
#[derive(Default)]
pub struct Store {
    inner: RwLock<Inner>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = self.read();
        f.debug_struct("Store")
            .field("tasks", &inner.tasks.len())
            .field("forms", &inner.forms.len())
            .finish()
    }
}

impl Store {
    /// An empty store.
    ///
    /// ```
    /// use tasklist_testkit::store::Store;
    /// assert!(Store::new().tasks().is_empty());
    /// ```
    pub fn new() -> Self {
        Store::default()
    }

    fn read(&self) -> RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds the deterministic data set of `spec` (tasks, their variables, forms); a task with an
    /// id already present replaces it.
    ///
    /// ```
    /// use tasklist_testkit::seed::SeedSpec;
    /// use tasklist_testkit::store::Store;
    ///
    /// let a = Store::new();
    /// a.seed(&SeedSpec::new(5, 1));
    /// let b = Store::new();
    /// b.seed(&SeedSpec::new(5, 1));
    /// assert_eq!(a.tasks(), b.tasks());
    ///
    /// // Seeding again replaces rather than duplicates.
    /// let forms = a.forms().len();
    /// a.seed(&SeedSpec::new(5, 1));
    /// assert_eq!((a.tasks().len(), a.forms().len()), (5, forms));
    /// ```
    pub fn seed(&self, spec: &SeedSpec) {
        let data = crate::seed::generate(spec);
        let mut inner = self.write();
        for seeded in data.tasks {
            let mut record = TaskRecord::new(seeded.task);
            record.variables = seeded.variables;
            record.snapshot = seeded.snapshot;
            inner.tasks.insert(record.task.id.clone(), record);
        }
        for form in data.forms {
            insert_form(&mut inner.forms, form);
        }
    }

    /// A copy of the task with this id.
    ///
    /// ```
    /// use tasklist_testkit::store::{Store, Task};
    /// let store = Store::new();
    /// store.insert_task(Task::new("1", "a"));
    /// assert_eq!(store.task("1").map(|t| t.name), Some("a".to_owned()));
    /// assert!(store.task("2").is_none());
    /// ```
    pub fn task(&self, id: &str) -> Option<Task> {
        self.read().tasks.get(id).map(|r| r.task.clone())
    }

    /// Copies of all tasks, ordered by id.
    ///
    /// ```
    /// use tasklist_testkit::store::{Store, Task};
    /// let store = Store::new();
    /// store.insert_task(Task::new("2", "b"));
    /// store.insert_task(Task::new("1", "a"));
    /// let ids: Vec<String> = store.tasks().into_iter().map(|t| t.id).collect();
    /// assert_eq!(ids, ["1", "2"]);
    /// ```
    pub fn tasks(&self) -> Vec<Task> {
        self.read().tasks.values().map(|r| r.task.clone()).collect()
    }

    /// Adds a task, or replaces the task with the same id (its variables are kept).
    ///
    /// ```
    /// use tasklist_testkit::store::{Store, Task};
    /// let store = Store::new();
    /// store.insert_task(Task::new("1", "a"));
    /// store.insert_task(Task::new("1", "b"));
    /// assert_eq!(store.tasks().len(), 1);
    /// assert_eq!(store.task("1").map(|t| t.name), Some("b".to_owned()));
    /// ```
    pub fn insert_task(&self, task: Task) {
        let mut inner = self.write();
        match inner.tasks.get_mut(&task.id) {
            Some(record) => record.task = task,
            None => {
                inner.tasks.insert(task.id.clone(), TaskRecord::new(task));
            }
        }
    }

    /// Removes a task with its variables; returns it if it was there.
    ///
    /// ```
    /// use tasklist_testkit::store::{Store, Task};
    /// let store = Store::new();
    /// store.insert_task(Task::new("1", "a"));
    /// assert!(store.remove_task("1").is_some());
    /// assert!(store.task("1").is_none());
    /// ```
    pub fn remove_task(&self, id: &str) -> Option<Task> {
        self.write().tasks.remove(id).map(|r| r.task)
    }

    /// Sets the process variable `name` of a task to `value` (JSON text), adding it if new.
    ///
    /// # Errors
    ///
    /// [`StoreError::TaskNotFound`] for an unknown task, [`StoreError::InvalidJson`] when
    /// `value` is not JSON text.
    ///
    /// ```
    /// use tasklist_testkit::store::{Store, StoreError, Task};
    /// let store = Store::new();
    /// store.insert_task(Task::new("9", "a"));
    /// let variable = store.insert_variable("9", "items", "[1, 2, 3]")?;
    /// assert_eq!(variable.id, "9-items");
    /// assert!(matches!(store.insert_variable("9", "bad", "{oops"), Err(StoreError::InvalidJson(_))));
    /// # Ok::<(), StoreError>(())
    /// ```
    pub fn insert_variable(
        &self,
        task_id: &str,
        name: &str,
        value: &str,
    ) -> Result<Variable, StoreError> {
        validate_json_text(value).map_err(StoreError::InvalidJson)?;
        let mut inner = self.write();
        let record = inner
            .tasks
            .get_mut(task_id)
            .ok_or_else(|| StoreError::TaskNotFound(task_id.to_owned()))?;
        Ok(record.set_variable(name, value.to_owned()))
    }

    /// The process variables of a task (`None` for an unknown task).
    ///
    /// ```
    /// use tasklist_testkit::store::{Store, Task};
    /// let store = Store::new();
    /// store.insert_task(Task::new("1", "a"));
    /// assert_eq!(store.variables("1"), Some(vec![]));
    /// assert_eq!(store.variables("2"), None);
    /// ```
    pub fn variables(&self, task_id: &str) -> Option<Vec<Variable>> {
        self.read().tasks.get(task_id).map(|r| r.variables.clone())
    }

    /// The draft variables of a task (`None` for an unknown task).
    ///
    /// ```
    /// use tasklist_testkit::store::{Store, Task};
    /// let store = Store::new();
    /// store.insert_task(Task::new("1", "a"));
    /// assert_eq!(store.draft_variables("1"), Some(vec![]));
    /// ```
    pub fn draft_variables(&self, task_id: &str) -> Option<Vec<DraftVariable>> {
        self.read().tasks.get(task_id).map(|r| r.drafts.clone())
    }

    /// The variables recorded when the task was completed: its process variables overlaid with
    /// its drafts and the completion request's variables (`None` for an unknown task; empty
    /// before completion).
    ///
    /// ```
    /// use tasklist_testkit::store::{Store, Task};
    /// let store = Store::new();
    /// store.insert_task(Task::new("1", "a"));
    /// assert_eq!(store.completed_variables("1"), Some(vec![]));
    /// ```
    pub fn completed_variables(&self, task_id: &str) -> Option<Vec<Variable>> {
        self.read().tasks.get(task_id).map(|r| r.snapshot.clone())
    }

    /// Adds a form (replacing one with the same id, process definition and version).
    ///
    /// ```
    /// use tasklist_testkit::store::{Form, Store};
    /// let store = Store::new();
    /// store.insert_form(Form::embedded("f", "1", "{}"));
    /// store.insert_form(Form::embedded("f", "1", "{\"v\":2}"));
    /// assert_eq!(store.forms().len(), 1);
    /// ```
    pub fn insert_form(&self, form: Form) {
        insert_form(&mut self.write().forms, form);
    }

    /// Copies of all forms.
    ///
    /// ```
    /// use tasklist_testkit::store::Store;
    /// assert!(Store::new().forms().is_empty());
    /// ```
    pub fn forms(&self) -> Vec<Form> {
        self.read().forms.clone()
    }

    /// Removes every task, variable and form.
    ///
    /// ```
    /// use tasklist_testkit::seed::SeedSpec;
    /// use tasklist_testkit::store::Store;
    /// let store = Store::new();
    /// store.seed(&SeedSpec::new(3, 0));
    /// store.clear();
    /// assert!(store.tasks().is_empty() && store.forms().is_empty());
    /// ```
    pub fn clear(&self) {
        let mut inner = self.write();
        inner.tasks.clear();
        inner.forms.clear();
    }

    /// Runs `f` on the record of every Zeebe user task (the only kind the v2 API knows) under
    /// the read lock, stopping at the first error.
    pub(crate) fn for_each_v2_task<E>(
        &self,
        f: impl FnMut(&TaskRecord) -> Result<(), E>,
    ) -> Result<(), E> {
        self.read()
            .tasks
            .values()
            .filter(|r| r.task.implementation == TaskImplementation::ZeebeUserTask)
            .try_for_each(f)
    }

    /// Runs `f` on the record of task `id` under the read lock.
    pub(crate) fn with_task<R>(&self, id: &str, f: impl FnOnce(&TaskRecord) -> R) -> Option<R> {
        self.read().tasks.get(id).map(f)
    }

    /// Runs `f` on the record of task `id` under the write lock.
    pub(crate) fn with_task_mut<R>(
        &self,
        id: &str,
        f: impl FnOnce(&mut TaskRecord) -> R,
    ) -> Option<R> {
        self.write().tasks.get_mut(id).map(f)
    }

    /// Finds a variable by id the way `VariableService.getVariableResponse` does: first among
    /// process variables (with the draft of the same id, if any), then among drafts, then among
    /// completion snapshots. Without `drafts` (GraphQL's `VariableService.getVariable`), drafts
    /// are neither looked at nor attached.
    pub(crate) fn find_variable(&self, id: &str, drafts: bool) -> Option<FoundVariable> {
        let inner = self.read();
        for record in inner.tasks.values() {
            if let Some(variable) = record.variables.iter().find(|v| v.id == id) {
                let draft = record
                    .drafts
                    .iter()
                    .filter(|_| drafts)
                    .find(|d| d.id == id)
                    .map(|d| d.value.clone());
                return Some(FoundVariable {
                    id: variable.id.clone(),
                    name: variable.name.clone(),
                    value: Some(variable.value.clone()),
                    draft,
                    tenant_id: variable.tenant_id.clone(),
                });
            }
        }
        for record in inner.tasks.values().filter(|_| drafts) {
            if let Some(draft) = record.drafts.iter().find(|d| d.id == id) {
                return Some(FoundVariable {
                    id: draft.id.clone(),
                    name: draft.name.clone(),
                    value: None,
                    draft: Some(draft.value.clone()),
                    tenant_id: draft.tenant_id.clone(),
                });
            }
        }
        for record in inner.tasks.values() {
            if let Some(variable) = record.snapshot.iter().find(|v| v.id == id) {
                return Some(FoundVariable {
                    id: variable.id.clone(),
                    name: variable.name.clone(),
                    value: Some(variable.value.clone()),
                    draft: None,
                    tenant_id: variable.tenant_id.clone(),
                });
            }
        }
        None
    }

    /// Finds a form the way `FormStore.getForm` does: without a version, an embedded form of
    /// (`id`, `process_definition_key`) first; otherwise, if a task of that process definition
    /// references form `id` (by `formId` or `formKey`) or the process links it, the deployed
    /// form `id` in that `version`, or its highest version not deleted.
    pub(crate) fn find_form(
        &self,
        id: &str,
        process_definition_key: &str,
        version: Option<i64>,
    ) -> Option<Form> {
        let inner = self.read();
        if version.is_none()
            && let Some(form) = inner.forms.iter().find(|f| {
                f.version.is_none()
                    && f.id == id
                    && f.process_definition_key == process_definition_key
            })
        {
            return Some(form.clone());
        }
        let associated = inner.tasks.values().any(|r| {
            r.task.process_definition_key == process_definition_key
                && (r.task.form_id.as_deref() == Some(id) || r.task.form_key.as_deref() == Some(id))
        }) || inner.forms.iter().any(|f| {
            f.version.is_some() && f.id == id && f.process_definition_key == process_definition_key
        });
        if !associated {
            return None;
        }
        let deployed = inner
            .forms
            .iter()
            .filter(|f| f.id == id && f.version.is_some());
        match version {
            Some(version) => deployed
                .filter(|f| f.version == Some(version))
                .min_by_key(|f| &f.process_definition_key)
                .cloned(),
            None => deployed
                .filter(|f| !f.is_deleted)
                .max_by_key(|f| f.version)
                .cloned(),
        }
    }

    /// Runs a task search (`TaskStoreElasticSearch.getTasks`): filters, sorts, pages by cursor
    /// and marks `isFirst`. `threshold` is the truncation threshold (the `taskVariables` filter
    /// compares against the truncated preview); the keys of `include` name the variables to
    /// return with each hit.
    pub(crate) fn search(
        &self,
        query: &SearchQuery,
        threshold: usize,
        include: Option<&BTreeMap<String, bool>>,
    ) -> Result<Vec<SearchHit>, ApiFailure> {
        query.validate()?;
        let specs = query.sort_specs()?;
        let cursor = query.cursor();
        let inner = self.read();

        let mut ordered: Vec<(&TaskRecord, Vec<SortValue>)> = inner
            .tasks
            .values()
            .filter(|r| query.matches(r, threshold))
            .map(|r| (r, sort_values(&r.task, &specs)))
            .collect();
        ordered.sort_by(|a, b| compare_keys(&a.1, &b.1, &specs));

        let page = usize::try_from(query.page_size).unwrap_or(usize::MAX);
        let selected = page_of(&ordered, &specs, cursor, page)?;

        Ok(selected
            .into_iter()
            .map(|(index, is_first)| {
                let (record, values) = &ordered[index];
                let variables = match include {
                    Some(names) => record
                        .visible_variables()
                        .iter()
                        .filter(|v| names.contains_key(&v.name))
                        .cloned()
                        .collect(),
                    None => Vec::new(),
                };
                SearchHit {
                    task: record.task.clone(),
                    sort_values: values.iter().map(SortValue::render).collect(),
                    is_first,
                    variables,
                }
            })
            .collect())
    }
}

/// Adds `form` to `forms`, replacing one with the same id, process definition and version.
fn insert_form(forms: &mut Vec<Form>, form: Form) {
    forms.retain(|f| {
        !(f.id == form.id
            && f.process_definition_key == form.process_definition_key
            && f.version == form.version)
    });
    forms.push(form);
}

/// A variable found by id, with its draft value if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FoundVariable {
    pub(crate) id: String,
    pub(crate) name: String,
    /// The full value (`None` for a draft without a process variable).
    pub(crate) value: Option<String>,
    /// The draft's full value.
    pub(crate) draft: Option<String>,
    pub(crate) tenant_id: Option<String>,
}

/// One task of a search result page.
#[derive(Debug, Clone)]
pub(crate) struct SearchHit {
    pub(crate) task: Task,
    pub(crate) sort_values: Vec<String>,
    pub(crate) is_first: bool,
    /// The task's visible variables whose names were asked for.
    pub(crate) variables: Vec<Variable>,
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

// ---------------------------------------------------------------------------------------------
// The search request and its logic.
// ---------------------------------------------------------------------------------------------

/// The body of `POST /v1/tasks/search` (Tasklist's `TaskSearchRequest`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SearchQuery {
    pub(crate) state: Option<TaskState>,
    #[serde(default, deserialize_with = "crate::jackson::de_boolean")]
    pub(crate) assigned: Option<bool>,
    #[serde(default, deserialize_with = "crate::jackson::de_string")]
    pub(crate) assignee: Option<String>,
    #[serde(default, deserialize_with = "crate::jackson::de_strings")]
    pub(crate) assignees: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::jackson::de_string")]
    pub(crate) task_definition_id: Option<String>,
    #[serde(default, deserialize_with = "crate::jackson::de_string")]
    pub(crate) candidate_group: Option<String>,
    #[serde(default, deserialize_with = "crate::jackson::de_strings")]
    pub(crate) candidate_groups: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::jackson::de_string")]
    pub(crate) candidate_user: Option<String>,
    #[serde(default, deserialize_with = "crate::jackson::de_strings")]
    pub(crate) candidate_users: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::jackson::de_string")]
    pub(crate) process_definition_key: Option<String>,
    #[serde(default, deserialize_with = "crate::jackson::de_string")]
    pub(crate) process_instance_key: Option<String>,
    /// A Java `int` defaulting to 50: JSON `null` becomes 0 (Jackson's coercion for primitives).
    #[serde(default = "default_page_size", deserialize_with = "de_page_size")]
    pub(crate) page_size: i64,
    pub(crate) follow_up_date: Option<DateRange>,
    pub(crate) due_date: Option<DateRange>,
    pub(crate) task_variables: Option<Vec<VariableClause>>,
    #[serde(default, deserialize_with = "crate::jackson::de_strings")]
    pub(crate) tenant_ids: Option<Vec<String>>,
    pub(crate) sort: Option<Vec<OrderBy>>,
    #[serde(default, deserialize_with = "de_cursor")]
    pub(crate) search_after: Option<Vec<String>>,
    #[serde(default, deserialize_with = "de_cursor")]
    pub(crate) search_after_or_equal: Option<Vec<String>>,
    #[serde(default, deserialize_with = "de_cursor")]
    pub(crate) search_before: Option<Vec<String>>,
    #[serde(default, deserialize_with = "de_cursor")]
    pub(crate) search_before_or_equal: Option<Vec<String>>,
    pub(crate) include_variables: Option<Vec<IncludeVariable>>,
    pub(crate) implementation: Option<TaskImplementation>,
    pub(crate) priority: Option<PriorityFilter>,
}

impl Default for SearchQuery {
    fn default() -> Self {
        SearchQuery {
            state: None,
            assigned: None,
            assignee: None,
            assignees: None,
            task_definition_id: None,
            candidate_group: None,
            candidate_groups: None,
            candidate_user: None,
            candidate_users: None,
            process_definition_key: None,
            process_instance_key: None,
            page_size: DEFAULT_PAGE_SIZE,
            follow_up_date: None,
            due_date: None,
            task_variables: None,
            tenant_ids: None,
            sort: None,
            search_after: None,
            search_after_or_equal: None,
            search_before: None,
            search_before_or_equal: None,
            include_variables: None,
            implementation: None,
            priority: None,
        }
    }
}

fn default_page_size() -> i64 {
    DEFAULT_PAGE_SIZE
}

/// `pageSize` as Jackson reads a Java `int`: numbers (fractions cut off), numeric strings, and
/// `null` as 0.
fn de_page_size<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    match &value {
        serde_json::Value::Null => Ok(0),
        serde_json::Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .ok_or_else(|| de::Error::custom(format!("Numeric value ({n}) out of range of int"))),
        serde_json::Value::String(s) => s.trim().parse::<i64>().map_err(|_| {
            de::Error::custom(format!(
                "Cannot deserialize value of type `int` from String \"{s}\": not a valid `int` value"
            ))
        }),
        other => Err(de::Error::custom(format!(
            "Cannot deserialize value of type `int` from {}",
            json_kind(other)
        ))),
    }
}

/// A cursor array as Jackson reads a `String[]`: strings, with numbers and booleans coerced to
/// their exact text.
fn de_cursor<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<String>>, D::Error> {
    crate::jackson::de_strings(deserializer)
}

/// The kind of a JSON value as Jackson names it in its messages.
fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "Null value",
        serde_json::Value::Bool(_) => "Boolean value",
        serde_json::Value::Number(_) => "Number value",
        serde_json::Value::String(_) => "String value",
        serde_json::Value::Array(_) => "Array value (token `JsonToken.START_ARRAY`)",
        serde_json::Value::Object(_) => "Object value (token `JsonToken.START_OBJECT`)",
    }
}

/// A date range filter (`DateFilter`): `from` inclusive, `to` inclusive.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct DateRange {
    #[serde(default, deserialize_with = "de_date")]
    pub(crate) from: Option<Timestamp>,
    #[serde(default, deserialize_with = "de_date")]
    pub(crate) to: Option<Timestamp>,
}

fn de_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Timestamp>, D::Error> {
    let text = Option::<String>::deserialize(deserializer)?;
    text.map(|t| {
        parse_date(&t).ok_or_else(|| {
            de::Error::custom(format!(
                "Cannot deserialize value of type `java.time.OffsetDateTime` from String \"{t}\""
            ))
        })
    })
    .transpose()
}

/// A `taskVariables` clause (`TaskByVariables`): the variable `name` has the JSON text `value`.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct VariableClause {
    #[serde(default, deserialize_with = "crate::jackson::de_string")]
    pub(crate) name: Option<String>,
    #[serde(default, deserialize_with = "crate::jackson::de_string")]
    pub(crate) value: Option<String>,
    /// Only `eq` exists.
    #[allow(dead_code)]
    pub(crate) operator: Option<String>,
}

/// One `sort` entry (`TaskOrderBy`).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct OrderBy {
    pub(crate) field: Option<SortField>,
    pub(crate) order: Option<SortOrder>,
}

/// The sortable fields (`TaskSortFields`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum SortField {
    CompletionTime,
    CreationTime,
    FollowUpDate,
    DueDate,
    Priority,
}

/// `ASC` or `DESC` (`Sort`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub(crate) enum SortOrder {
    #[serde(rename = "ASC")]
    Asc,
    #[serde(rename = "DESC")]
    Desc,
}

/// An `includeVariables` entry (`IncludeVariable`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct IncludeVariable {
    #[serde(default, deserialize_with = "crate::jackson::de_string")]
    pub(crate) name: Option<String>,
    /// A Java `boolean`: `null` reads as false.
    #[serde(default, deserialize_with = "de_bool_or_null")]
    pub(crate) always_return_full_value: bool,
}

fn de_bool_or_null<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Ok(crate::jackson::de_boolean(deserializer)?.unwrap_or(false))
}

/// The `priority` filter (`RangeValueFilter`): `eq` wins over the range bounds.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct PriorityFilter {
    pub(crate) eq: Option<i64>,
    pub(crate) gte: Option<i64>,
    pub(crate) gt: Option<i64>,
    pub(crate) lt: Option<i64>,
    pub(crate) lte: Option<i64>,
}

/// Which cursor a request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CursorKind {
    After,
    AfterOrEqual,
    Before,
    BeforeOrEqual,
}

/// The message for a request with more than one cursor (`TaskService.getTasks`).
pub(crate) const ONLY_ONE_CURSOR: &str = "Only one of [searchAfter, searchAfterOrEqual, searchBefore, searchBeforeOrEqual] must be present in request.";

/// The message for a page size of zero or less (`TaskService.getTasks`).
pub(crate) const PAGE_SIZE_POSITIVE: &str = "Page size should be a positive number";

impl SearchQuery {
    /// The request-level checks of `TaskService.getTasks`: at most one cursor, a positive page
    /// size.
    pub(crate) fn validate(&self) -> Result<(), ApiFailure> {
        let cursors = [
            &self.search_after,
            &self.search_after_or_equal,
            &self.search_before,
            &self.search_before_or_equal,
        ]
        .iter()
        .filter(|c| c.is_some())
        .count();
        if cursors > 1 {
            return Err(ApiFailure::bad_request(ONLY_ONE_CURSOR));
        }
        if self.page_size <= 0 {
            return Err(ApiFailure::bad_request(PAGE_SIZE_POSITIVE));
        }
        Ok(())
    }

    /// The cursor, if any (call after [`validate`](Self::validate)).
    pub(crate) fn cursor(&self) -> Option<(CursorKind, &[String])> {
        if let Some(c) = &self.search_after {
            Some((CursorKind::After, c))
        } else if let Some(c) = &self.search_after_or_equal {
            Some((CursorKind::AfterOrEqual, c))
        } else if let Some(c) = &self.search_before {
            Some((CursorKind::Before, c))
        } else {
            self.search_before_or_equal
                .as_deref()
                .map(|c| (CursorKind::BeforeOrEqual, c))
        }
    }

    /// The sort of `TaskStoreElasticSearch.applySorting`, in the normal (not reversed) direction:
    /// the requested fields (dates through a script that sorts their epoch milliseconds as
    /// strings with nulls last, priority as a number with null as 50), or by default the date
    /// field of the requested state (`creationTime`; `completionTime` for `COMPLETED` and
    /// `CANCELED`) descending with missing values last; then the task key ascending.
    pub(crate) fn sort_specs(&self) -> Result<Vec<SortSpec>, ApiFailure> {
        let mut specs = Vec::new();
        match &self.sort {
            Some(order_by) => {
                for entry in order_by {
                    // A missing field or order is a NullPointerException in the real server.
                    let (Some(field), Some(order)) = (entry.field, entry.order) else {
                        return Err(ApiFailure::unexpected());
                    };
                    let desc = order == SortOrder::Desc;
                    let key = match field {
                        SortField::CreationTime => SortKey::ScriptDate(DateField::Creation, desc),
                        SortField::CompletionTime => {
                            SortKey::ScriptDate(DateField::Completion, desc)
                        }
                        SortField::FollowUpDate => SortKey::ScriptDate(DateField::FollowUp, desc),
                        SortField::DueDate => SortKey::ScriptDate(DateField::Due, desc),
                        SortField::Priority => SortKey::Priority,
                    };
                    specs.push(SortSpec { key, desc });
                }
            }
            None => {
                let field = match self.state {
                    Some(TaskState::Completed | TaskState::Canceled) => DateField::Completion,
                    _ => DateField::Creation,
                };
                specs.push(SortSpec {
                    key: SortKey::FieldDate(field),
                    desc: true,
                });
            }
        }
        specs.push(SortSpec {
            key: SortKey::Key,
            desc: false,
        });
        Ok(specs)
    }

    /// Whether a task passes every filter of the request (`TaskStoreElasticSearch.buildQuery`).
    /// Without a `state` filter, `CANCELED` tasks are left out.
    pub(crate) fn matches(&self, record: &TaskRecord, threshold: usize) -> bool {
        let task = &record.task;
        let state_ok = match self.state {
            Some(state) => task.state == state,
            None => task.state != TaskState::Canceled,
        };
        if !state_ok {
            return false;
        }
        if let Some(assigned) = self.assigned
            && assigned != task.assignee.is_some()
        {
            return false;
        }
        if let Some(assignee) = &self.assignee
            && task.assignee.as_ref() != Some(assignee)
        {
            return false;
        }
        if let Some(assignees) = &self.assignees
            && !task
                .assignee
                .as_ref()
                .is_some_and(|a| assignees.contains(a))
        {
            return false;
        }
        if let Some(id) = &self.task_definition_id
            && &task.task_definition_id != id
        {
            return false;
        }
        if let Some(group) = &self.candidate_group
            && !contains(&task.candidate_groups, group)
        {
            return false;
        }
        if let Some(groups) = &self.candidate_groups
            && !groups.iter().any(|g| contains(&task.candidate_groups, g))
        {
            return false;
        }
        if let Some(user) = &self.candidate_user
            && !contains(&task.candidate_users, user)
        {
            return false;
        }
        if let Some(users) = &self.candidate_users
            && !users.iter().any(|u| contains(&task.candidate_users, u))
        {
            return false;
        }
        if let Some(key) = &self.process_instance_key
            && &task.process_instance_key != key
        {
            return false;
        }
        if let Some(key) = &self.process_definition_key
            && &task.process_definition_key != key
        {
            return false;
        }
        if let Some(range) = &self.follow_up_date
            && !in_range(task.follow_up_date, range)
        {
            return false;
        }
        if let Some(range) = &self.due_date
            && !in_range(task.due_date, range)
        {
            return false;
        }
        if let Some(implementation) = self.implementation
            && task.implementation != implementation
        {
            return false;
        }
        if let Some(filter) = &self.priority
            && !priority_matches(task.priority, filter)
        {
            return false;
        }
        if let Some(tenants) = &self.tenant_ids
            && !task.tenant_id.as_ref().is_some_and(|t| tenants.contains(t))
        {
            return false;
        }
        if let Some(clauses) = &self.task_variables
            && !clauses.is_empty()
        {
            // Only CREATED (process variables) and COMPLETED (snapshot) tasks can match; the
            // comparison is with the stored, possibly truncated, value.
            if !matches!(task.state, TaskState::Created | TaskState::Completed) {
                return false;
            }
            let visible = record.visible_variables();
            let all = clauses.iter().all(|clause| {
                let (Some(name), Some(value)) = (&clause.name, &clause.value) else {
                    return false;
                };
                visible
                    .iter()
                    .any(|v| &v.name == name && preview(&v.value, threshold).0 == value)
            });
            if !all {
                return false;
            }
        }
        true
    }
}

fn contains(list: &Option<Vec<String>>, item: &str) -> bool {
    list.as_ref().is_some_and(|l| l.iter().any(|x| x == item))
}

fn in_range(value: Option<Timestamp>, range: &DateRange) -> bool {
    let Some(value) = value else {
        return false;
    };
    range.from.is_none_or(|from| value >= from) && range.to.is_none_or(|to| value <= to)
}

fn priority_matches(priority: Option<i32>, filter: &PriorityFilter) -> bool {
    let Some(priority) = priority.map(i64::from) else {
        return false;
    };
    if let Some(eq) = filter.eq {
        return priority == eq;
    }
    filter.gt.is_none_or(|b| priority > b)
        && filter.gte.is_none_or(|b| priority >= b)
        && filter.lt.is_none_or(|b| priority < b)
        && filter.lte.is_none_or(|b| priority <= b)
}

/// A date field a task can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateField {
    Creation,
    Completion,
    FollowUp,
    Due,
}

impl DateField {
    fn of(self, task: &Task) -> Option<Timestamp> {
        match self {
            DateField::Creation => Some(task.creation_date),
            DateField::Completion => task.completion_date,
            DateField::FollowUp => task.follow_up_date,
            DateField::Due => task.due_date,
        }
    }
}

/// How one sort position computes its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SortKey {
    /// The default sort: the date field's epoch milliseconds as a number; a missing date sorts
    /// last and reads `Long.MIN_VALUE`, as Elasticsearch reports `missing: _last` in a
    /// descending sort.
    FieldDate(DateField),
    /// A requested date sort: a script yielding the epoch milliseconds as a string, sorted as a
    /// string; a missing date becomes 2099-12-31 for an ascending sort and 1900-01-01 for a
    /// descending one (so it sorts last either way). The flag is the requested direction.
    ScriptDate(DateField, bool),
    /// A requested priority sort: the priority as a number, missing as 50.
    Priority,
    /// The tie-breaker: the task key.
    Key,
}

/// One sort position with its direction in the normal (not reversed) order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SortSpec {
    pub(crate) key: SortKey,
    pub(crate) desc: bool,
}

/// A sort value, compared by kind.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SortValue {
    Int(i64),
    Float(f64),
    Text(String),
}

/// Epoch milliseconds of 2099-12-31T00:00:00Z, the null date of an ascending script sort.
const NULL_DATE_ASC: &str = "4102358400000";
/// Epoch milliseconds of 1900-01-01T00:00:00Z, the null date of a descending script sort.
const NULL_DATE_DESC: &str = "-2208988800000";

impl SortValue {
    /// The value as it appears in `sortValues` (Java's `String.valueOf` of the Elasticsearch
    /// sort value: a long, a double like `50.0`, or a string).
    pub(crate) fn render(&self) -> String {
        match self {
            SortValue::Int(i) => i.to_string(),
            SortValue::Float(f) => format!("{f:?}"),
            SortValue::Text(t) => t.clone(),
        }
    }

    fn cmp(&self, other: &SortValue) -> Ordering {
        match (self, other) {
            (SortValue::Int(a), SortValue::Int(b)) => a.cmp(b),
            (SortValue::Float(a), SortValue::Float(b)) => a.total_cmp(b),
            (SortValue::Text(a), SortValue::Text(b)) => a.cmp(b),
            (SortValue::Int(_), _) => Ordering::Less,
            (_, SortValue::Int(_)) => Ordering::Greater,
            (SortValue::Float(_), _) => Ordering::Less,
            (_, SortValue::Float(_)) => Ordering::Greater,
        }
    }
}

/// A task key as a sort value: a number when it is one (the key is a `long` field), else text.
fn key_value(id: &str) -> SortValue {
    id.parse::<i64>()
        .map(SortValue::Int)
        .unwrap_or_else(|_| SortValue::Text(id.to_owned()))
}

/// The sort values of a task.
pub(crate) fn sort_values(task: &Task, specs: &[SortSpec]) -> Vec<SortValue> {
    specs
        .iter()
        .map(|spec| match spec.key {
            SortKey::FieldDate(field) => {
                SortValue::Int(field.of(task).map_or(i64::MIN, |t| t.as_millisecond()))
            }
            SortKey::ScriptDate(field, desc) => SortValue::Text(match field.of(task) {
                Some(t) => t.as_millisecond().to_string(),
                None if desc => NULL_DATE_DESC.to_owned(),
                None => NULL_DATE_ASC.to_owned(),
            }),
            SortKey::Priority => {
                SortValue::Float(f64::from(task.priority.unwrap_or(DEFAULT_PRIORITY)))
            }
            SortKey::Key => key_value(&task.id),
        })
        .collect()
}

/// Parses a cursor into sort values, failing as the real server does when Elasticsearch refuses
/// the `search_after` values (500, `TasklistRuntimeException`).
pub(crate) fn parse_cursor(
    cursor: &[String],
    specs: &[SortSpec],
) -> Result<Vec<SortValue>, ApiFailure> {
    if cursor.len() != specs.len() {
        return Err(ApiFailure::internal(format!(
            "Exception occurred, while obtaining tasks: search_after has {} value(s) but sort has {}.",
            cursor.len(),
            specs.len()
        )));
    }
    cursor
        .iter()
        .zip(specs)
        .map(|(text, spec)| match spec.key {
            SortKey::FieldDate(_) => text.trim().parse::<i64>().map(SortValue::Int).map_err(|_| {
                ApiFailure::internal(format!(
                    "Exception occurred, while obtaining tasks: failed to parse date field [{text}]"
                ))
            }),
            SortKey::ScriptDate(..) => Ok(SortValue::Text(text.clone())),
            SortKey::Priority => text
                .trim()
                .parse::<f64>()
                .map(SortValue::Float)
                .map_err(|_| {
                    ApiFailure::internal(format!(
                        "Exception occurred, while obtaining tasks: For input string: \"{text}\""
                    ))
                }),
            SortKey::Key => Ok(key_value(text)),
        })
        .collect()
}

/// Compares two tasks' sort values in the normal order.
pub(crate) fn compare_keys(a: &[SortValue], b: &[SortValue], specs: &[SortSpec]) -> Ordering {
    for ((x, y), spec) in a.iter().zip(b).zip(specs) {
        let ordering = x.cmp(y);
        let ordering = if spec.desc {
            ordering.reverse()
        } else {
            ordering
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    Ordering::Equal
}

/// Chooses the page from the ordered matches: indexes into `ordered` with each hit's `isFirst`.
///
/// - no cursor: the first `page` tasks; the first is `isFirst`;
/// - `searchAfter`: the `page` tasks after the cursor; the first is `isFirst` when it is the first
///   of all matches;
/// - `searchBefore`: the `page` tasks just before the cursor, in normal order; the earliest is
///   `isFirst` when nothing precedes it;
/// - `searchAfterOrEqual` / `searchBeforeOrEqual`: as above, plus the task whose id is the
///   cursor's last value (if it matches the filters) put first / last, dropping the page's
///   last / first task when the page was full (`TaskStoreElasticSearch.adjustResponse`).
pub(crate) fn page_of(
    ordered: &[(&TaskRecord, Vec<SortValue>)],
    specs: &[SortSpec],
    cursor: Option<(CursorKind, &[String])>,
    page: usize,
) -> Result<Vec<(usize, bool)>, ApiFailure> {
    let Some((kind, values)) = cursor else {
        return Ok((0..ordered.len().min(page)).map(|i| (i, i == 0)).collect());
    };
    let target = parse_cursor(values, specs)?;
    // The first position strictly after the cursor, and the end of the tasks strictly before.
    let after_start =
        ordered.partition_point(|(_, key)| compare_keys(key, &target, specs) != Ordering::Greater);
    let before_end =
        ordered.partition_point(|(_, key)| compare_keys(key, &target, specs) == Ordering::Less);
    // The real server takes the equal task's id from the cursor; its last value is the key.
    let equal_id = values.last().cloned().unwrap_or_default();
    let equal = || {
        ordered
            .iter()
            .position(|(record, _)| record.task.id == equal_id)
    };

    match kind {
        CursorKind::After | CursorKind::AfterOrEqual => {
            let end = ordered.len().min(after_start.saturating_add(page));
            let mut hits: Vec<(usize, bool)> = (after_start..end).map(|i| (i, false)).collect();
            if kind == CursorKind::AfterOrEqual
                && let Some(index) = equal()
            {
                if hits.len() == page {
                    hits.pop();
                }
                hits.insert(0, (index, false));
            }
            if let Some(first) = hits.first_mut() {
                first.1 = first.0 == 0;
            }
            Ok(hits)
        }
        CursorKind::Before | CursorKind::BeforeOrEqual => {
            // The reversed query fetches one task more than a page to learn whether the page
            // reaches the start.
            let start = before_end.saturating_sub(page);
            let reaches_start = before_end <= page;
            let mut hits: Vec<(usize, bool)> = (start..before_end)
                .map(|i| (i, reaches_start && i == start))
                .collect();
            if kind == CursorKind::BeforeOrEqual
                && let Some(index) = equal()
            {
                if hits.len() == page {
                    hits.remove(0);
                }
                hits.push((index, false));
            }
            Ok(hits)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(millis: i64) -> Timestamp {
        Timestamp::from_millisecond(millis).unwrap_or(Timestamp::UNIX_EPOCH)
    }

    fn store_with(n: usize) -> Store {
        let store = Store::new();
        for i in 0..n {
            let mut task = Task::new(format!("{}", 100 + i), format!("t{i}"));
            // Creation dates collide in pairs so that the key breaks ties.
            task.creation_date = ts(1_700_000_000_000 + (i as i64 / 2) * 1000);
            task.priority = (i % 3 != 0).then_some((i * 7 % 101) as i32);
            store.insert_task(task);
        }
        store
    }

    fn ids(hits: &[SearchHit]) -> Vec<String> {
        hits.iter().map(|h| h.task.id.clone()).collect()
    }

    fn search(store: &Store, query: &SearchQuery) -> Vec<SearchHit> {
        store.search(query, 8191, None).unwrap_or_default()
    }

    #[test]
    fn default_sort_is_creation_desc_then_key_asc() {
        let store = store_with(4);
        let hits = search(&store, &SearchQuery::default());
        assert_eq!(ids(&hits), ["102", "103", "100", "101"]);
        assert_eq!(hits[0].sort_values, ["1700000001000", "102"]);
        assert!(hits[0].is_first);
        assert!(!hits[1].is_first);
    }

    #[test]
    fn canceled_tasks_are_hidden_without_a_state_filter() {
        let store = store_with(2);
        let mut task = Task::new("999", "gone");
        task.state = TaskState::Canceled;
        task.completion_date = Some(ts(1));
        store.insert_task(task);
        assert_eq!(search(&store, &SearchQuery::default()).len(), 2);
        let query = SearchQuery {
            state: Some(TaskState::Canceled),
            ..SearchQuery::default()
        };
        let hits = search(&store, &query);
        assert_eq!(ids(&hits), ["999"]);
        // COMPLETED and CANCELED sort by completion time.
        assert_eq!(hits[0].sort_values, ["1", "999"]);
    }

    #[test]
    fn paging_forward_and_backward_covers_everything_once() {
        let store = store_with(11);
        let all = ids(&search(
            &store,
            &SearchQuery {
                page_size: 100,
                ..SearchQuery::default()
            },
        ));
        let mut query = SearchQuery {
            page_size: 4,
            ..SearchQuery::default()
        };
        let mut seen = Vec::new();
        loop {
            let hits = search(&store, &query);
            if hits.is_empty() {
                break;
            }
            seen.extend(ids(&hits));
            query.search_after = hits.last().map(|h| h.sort_values.clone());
        }
        assert_eq!(seen, all);

        // Backwards from the last task: pages come in normal order.
        let last = search(
            &store,
            &SearchQuery {
                page_size: 100,
                ..SearchQuery::default()
            },
        )
        .pop()
        .map(|h| h.sort_values);
        let query = SearchQuery {
            page_size: 4,
            search_before: last,
            ..SearchQuery::default()
        };
        let hits = search(&store, &query);
        assert_eq!(ids(&hits), all[6..10].to_vec());
        assert!(!hits[0].is_first);

        // A page reaching the start marks its first task.
        let query = SearchQuery {
            page_size: 4,
            search_before: Some(
                search(&store, &SearchQuery::default())
                    .get(3)
                    .map(|h| h.sort_values.clone())
                    .unwrap_or_default(),
            ),
            ..SearchQuery::default()
        };
        let hits = search(&store, &query);
        assert_eq!(ids(&hits), all[0..3].to_vec());
        assert!(hits[0].is_first);
    }

    #[test]
    fn or_equal_cursors_include_the_cursor_task() {
        let store = store_with(6);
        let all = search(&store, &SearchQuery::default());
        let cursor = all[2].sort_values.clone();
        let query = SearchQuery {
            page_size: 2,
            search_after_or_equal: Some(cursor.clone()),
            ..SearchQuery::default()
        };
        assert_eq!(ids(&search(&store, &query)), ids(&all[2..4]));
        let query = SearchQuery {
            page_size: 2,
            search_before_or_equal: Some(cursor),
            ..SearchQuery::default()
        };
        assert_eq!(ids(&search(&store, &query)), ids(&all[1..3]));
        // From the very first task: isFirst is recomputed.
        let query = SearchQuery {
            page_size: 2,
            search_after_or_equal: Some(all[0].sort_values.clone()),
            ..SearchQuery::default()
        };
        let hits = search(&store, &query);
        assert!(hits[0].is_first);
    }

    #[test]
    fn two_cursors_and_bad_page_sizes_are_refused() {
        let store = store_with(1);
        let query = SearchQuery {
            search_after: Some(vec![]),
            search_before: Some(vec![]),
            ..SearchQuery::default()
        };
        let failure = store.search(&query, 8191, None).err();
        assert_eq!(
            failure.map(|f| (f.status.as_u16(), f.message)),
            Some((400, ONLY_ONE_CURSOR.to_owned()))
        );
        let query = SearchQuery {
            page_size: 0,
            ..SearchQuery::default()
        };
        assert_eq!(
            store.search(&query, 8191, None).err().map(|f| f.message),
            Some(PAGE_SIZE_POSITIVE.to_owned())
        );
        let query = SearchQuery {
            search_after: Some(vec!["1".to_owned()]),
            ..SearchQuery::default()
        };
        assert_eq!(
            store
                .search(&query, 8191, None)
                .err()
                .map(|f| f.status.as_u16()),
            Some(500)
        );
    }

    #[test]
    fn requested_sorts_put_nulls_last_and_render_priorities_as_doubles() {
        let store = store_with(6);
        for desc in [false, true] {
            let query = SearchQuery {
                sort: Some(vec![OrderBy {
                    field: Some(SortField::Priority),
                    order: Some(if desc {
                        SortOrder::Desc
                    } else {
                        SortOrder::Asc
                    }),
                }]),
                ..SearchQuery::default()
            };
            let hits = search(&store, &query);
            let priorities: Vec<i32> = hits
                .iter()
                .map(|h| h.task.priority.unwrap_or(DEFAULT_PRIORITY))
                .collect();
            let mut sorted = priorities.clone();
            sorted.sort();
            if desc {
                sorted.reverse();
            }
            assert_eq!(priorities, sorted);
            assert!(hits.iter().all(|h| h.sort_values[0].ends_with(".0")));
        }
        let query = SearchQuery {
            sort: Some(vec![OrderBy {
                field: Some(SortField::DueDate),
                order: Some(SortOrder::Desc),
            }]),
            ..SearchQuery::default()
        };
        let hits = search(&store, &query);
        assert_eq!(hits[0].sort_values[0], NULL_DATE_DESC);
        let query = SearchQuery {
            sort: Some(vec![OrderBy {
                field: Some(SortField::DueDate),
                order: None,
            }]),
            ..SearchQuery::default()
        };
        assert_eq!(
            store
                .search(&query, 8191, None)
                .err()
                .map(|f| f.status.as_u16()),
            Some(500)
        );
    }

    #[test]
    fn filters_combine() {
        let store = store_with(6);
        let mut task = Task::new("50", "special");
        task.assignee = Some("demo".to_owned());
        task.candidate_groups = Some(vec!["sales".to_owned(), "ops".to_owned()]);
        task.due_date = Some(ts(5_000));
        task.implementation = TaskImplementation::ZeebeUserTask;
        store.insert_task(task);
        let query = SearchQuery {
            assigned: Some(true),
            candidate_groups: Some(vec!["ops".to_owned(), "x".to_owned()]),
            due_date: Some(DateRange {
                from: Some(ts(5_000)),
                to: Some(ts(5_000)),
            }),
            implementation: Some(TaskImplementation::ZeebeUserTask),
            ..SearchQuery::default()
        };
        assert_eq!(ids(&search(&store, &query)), ["50"]);
        let query = SearchQuery {
            assignees: Some(vec![]),
            ..SearchQuery::default()
        };
        assert!(search(&store, &query).is_empty());
        let query = SearchQuery {
            priority: Some(PriorityFilter {
                gte: Some(0),
                ..PriorityFilter::default()
            }),
            ..SearchQuery::default()
        };
        // Tasks without a priority never match a priority filter.
        let hits = search(&store, &query);
        assert!(!hits.is_empty());
        assert!(hits.iter().all(|h| h.task.priority.is_some()));
    }

    #[test]
    fn variable_clause_compares_the_stored_preview() {
        let store = store_with(2);
        store.insert_variable("100", "x", "\"abcdef\"").ok();
        let clause = |value: &str| SearchQuery {
            task_variables: Some(vec![VariableClause {
                name: Some("x".to_owned()),
                value: Some(value.to_owned()),
                operator: Some("eq".to_owned()),
            }]),
            ..SearchQuery::default()
        };
        assert_eq!(
            ids(&store
                .search(&clause("\"abcdef\""), 8191, None)
                .unwrap_or_default()),
            ["100"]
        );
        assert_eq!(
            ids(&store.search(&clause("\"ab"), 3, None).unwrap_or_default()),
            ["100"]
        );
        assert!(search(&store, &clause("1")).is_empty());
    }

    #[test]
    fn preview_cuts_at_characters() {
        assert_eq!(preview("abc", 3), ("abc", false));
        assert_eq!(preview("abcd", 3), ("abc", true));
        assert_eq!(preview("äöüß", 2), ("äö", true));
        assert_eq!(preview("", 0), ("", false));
    }

    #[test]
    fn json_text_validation_reads_one_value() {
        assert!(validate_json_text("1").is_ok());
        assert!(validate_json_text("\"a\" trailing").is_ok());
        assert!(validate_json_text("null").is_ok());
        assert!(validate_json_text("abc").is_err());
        assert!(validate_json_text("").is_err());
        assert!(validate_json_text("{\"a\":").is_err());
    }

    #[test]
    fn dates_round_trip_in_the_server_format() {
        let t = ts(1_709_280_000_123);
        assert_eq!(format_date(t), "2024-03-01T08:00:00.123+0000");
        assert_eq!(parse_date("2024-03-01T08:00:00.123+0000"), Some(t));
        assert_eq!(parse_date("2024-03-01T08:00:00.123Z"), Some(t));
        assert_eq!(parse_date("2024-03-01T10:00:00.123+02:00"), Some(t));
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn search_request_json_quirks() {
        let query: SearchQuery =
            serde_json::from_str(r#"{"pageSize": null, "searchAfter": [1700000000000, "12"]}"#)
                .unwrap_or_default();
        assert_eq!(query.page_size, 0);
        assert_eq!(
            query.search_after,
            Some(vec!["1700000000000".to_owned(), "12".to_owned()])
        );
        // Parsed, not defaulted: the fallback below would also have a page size of 50.
        assert!(serde_json::from_str::<SearchQuery>("{}").is_ok());
        let query: SearchQuery = serde_json::from_str("{}").unwrap_or_default();
        assert_eq!(query.page_size, 50);
        assert!(serde_json::from_str::<SearchQuery>(r#"{"state": "created"}"#).is_err());
    }

    #[test]
    fn forms_by_id_process_and_version() {
        let store = Store::new();
        store.insert_form(Form::embedded("emb", "10", "{\"e\":1}"));
        store.insert_form(Form::deployed("dep", 1, "10", "{\"v\":1}"));
        store.insert_form(Form::deployed("dep", 2, "10", "{\"v\":2}"));
        let mut deleted = Form::deployed("dep", 3, "10", "{\"v\":3}");
        deleted.is_deleted = true;
        store.insert_form(deleted);
        assert_eq!(
            store.find_form("emb", "10", None).map(|f| f.schema),
            Some("{\"e\":1}".to_owned())
        );
        assert!(store.find_form("emb", "11", None).is_none());
        assert_eq!(
            store.find_form("dep", "10", None).and_then(|f| f.version),
            Some(2)
        );
        assert_eq!(
            store
                .find_form("dep", "10", Some(3))
                .and_then(|f| f.version),
            Some(3)
        );
        assert!(store.find_form("dep", "10", Some(9)).is_none());
        assert!(store.find_form("dep", "99", None).is_none());
    }
}
