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

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::errors::ApiFailure;

mod model;
mod paging;
mod query;

pub use self::model::{
    CONTEXT_VARIABLE, DEFAULT_PAGE_SIZE, DEFAULT_PRIORITY, DraftVariable, Form, StoreError, Task,
    TaskImplementation, TaskState, Variable,
};
pub(crate) use self::model::{TaskRecord, format_date, parse_date, preview, validate_json_text};
use self::paging::{SortValue, compare_keys, page_of, sort_values};
pub(crate) use self::query::{
    DateRange, IncludeVariable, OrderBy, SearchQuery, SortField, SortOrder,
};

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

    /// Adds tasks, each with its process variables and completion snapshot, and forms, under
    /// one write lock; a task with an id already present replaces it, and so does a form with
    /// the same id, process definition and version.
    pub(crate) fn insert_all(
        &self,
        tasks: impl IntoIterator<Item = (Task, Vec<Variable>, Vec<Variable>)>,
        forms: impl IntoIterator<Item = Form>,
    ) {
        let mut inner = self.write();
        for (task, variables, snapshot) in tasks {
            let mut record = TaskRecord::new(task);
            record.variables = variables;
            record.snapshot = snapshot;
            inner.tasks.insert(record.task.id.clone(), record);
        }
        for form in forms {
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

#[cfg(test)]
mod tests;
