//! The version-neutral task, variable and form, and how each API's models become them.

use std::fmt;

use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::timestamp::Timestamp;
use crate::v1::models as v1;
use crate::v2::models as v2;
use crate::variables::ValueState;

/// The state of a task, whichever API reported it. The enum is open: a state this crate does
/// not know is [`TaskState::Unknown`] with the server's text.
///
/// API v1 reports the four settled states only; API v2 also reports the transitions that task
/// listeners hold a task in (`Assigning`, `Completing`, ...).
///
/// ```
/// use tasklist_api::human::TaskState;
/// assert_eq!(TaskState::from_wire("COMPLETING"), TaskState::Completing);
/// assert_eq!(TaskState::Completed.as_str(), "COMPLETED");
/// assert!(TaskState::Canceled.is_finished());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TaskState {
    /// Waiting for work.
    Created,
    /// Completed.
    Completed,
    /// Canceled (its process instance or element was terminated).
    Canceled,
    /// Failed (v2: a task listener failed it).
    Failed,
    /// Being created while its creation listeners run (v2).
    Creating,
    /// Being assigned while its assignment listeners run (v2).
    Assigning,
    /// Being updated while its update listeners run (v2).
    Updating,
    /// Being completed while its completion listeners run (v2).
    Completing,
    /// Being canceled while its cancelation listeners run (v2).
    Canceling,
    /// A state this crate does not know, as the server wrote it.
    Unknown(String),
}

impl TaskState {
    /// The state of the wire text (`CREATED`, ...).
    ///
    /// ```
    /// use tasklist_api::human::TaskState;
    /// assert_eq!(TaskState::from_wire("NEW"), TaskState::Unknown("NEW".into()));
    /// ```
    #[must_use]
    pub fn from_wire(text: &str) -> Self {
        match text {
            "CREATED" => TaskState::Created,
            "COMPLETED" => TaskState::Completed,
            "CANCELED" => TaskState::Canceled,
            "FAILED" => TaskState::Failed,
            "CREATING" => TaskState::Creating,
            "ASSIGNING" => TaskState::Assigning,
            "UPDATING" => TaskState::Updating,
            "COMPLETING" => TaskState::Completing,
            "CANCELING" => TaskState::Canceling,
            other => TaskState::Unknown(other.to_owned()),
        }
    }

    /// The wire text.
    ///
    /// ```
    /// assert_eq!(tasklist_api::human::TaskState::Created.as_str(), "CREATED");
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            TaskState::Created => "CREATED",
            TaskState::Completed => "COMPLETED",
            TaskState::Canceled => "CANCELED",
            TaskState::Failed => "FAILED",
            TaskState::Creating => "CREATING",
            TaskState::Assigning => "ASSIGNING",
            TaskState::Updating => "UPDATING",
            TaskState::Completing => "COMPLETING",
            TaskState::Canceling => "CANCELING",
            TaskState::Unknown(text) => text,
        }
    }

    /// True for the states that end a task's life: completed, canceled, failed.
    ///
    /// ```
    /// assert!(!tasklist_api::human::TaskState::Completing.is_finished());
    /// ```
    #[must_use]
    pub fn is_finished(&self) -> bool {
        matches!(
            self,
            TaskState::Completed | TaskState::Canceled | TaskState::Failed
        )
    }
}

impl fmt::Display for TaskState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A task's linked form, as a reference (see [`HumanTasks::form`](super::HumanTasks::form)
/// for the form itself).
///
/// ```
/// use tasklist_api::human::FormRef;
/// let form = FormRef { id: Some("invoiceForm".into()), version: Some(2), embedded: false };
/// assert_eq!(form.id.as_deref(), Some("invoiceForm"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormRef {
    /// The form id (for an embedded v1 form, the id within the process model).
    pub id: Option<String>,
    /// The deployed form's version, when known.
    pub version: Option<i64>,
    /// Whether the form is embedded in the process model (v1 only; v2 serves linked forms).
    pub embedded: bool,
}

/// What the server answered a task with, for anything [`Task`] does not carry.
///
/// ```
/// # fn example(task: tasklist_api::human::Task) {
/// use tasklist_api::human::RawTask;
/// if let RawTask::V2(user_task) = &task.raw {
///     println!("{:?}", user_task.custom_headers);
/// }
/// # }
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum RawTask {
    /// A v1 search result.
    V1Search(Box<v1::TaskSearchResult>),
    /// A v1 task (from `GET /v1/tasks/{id}`).
    V1(Box<v1::Task>),
    /// A v2 user task.
    V2(Box<v2::UserTask>),
}

/// A task, whichever API it came from.
///
/// The fields are the ones both APIs have; [`raw`](Self::raw) holds the answer itself.
/// `key` is the v1 task id or the v2 user task key: the same number on Camunda 8.8 and later.
///
/// ```
/// # fn example(task: tasklist_api::human::Task) {
/// println!("{} {:?} is {}", task.key, task.name, task.state);
/// # }
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Task {
    /// The task's key (v1 `id`, v2 `userTaskKey`).
    pub key: String,
    /// Its name.
    pub name: Option<String>,
    /// Its state (`Unknown("")` when the server sent none).
    pub state: TaskState,
    /// Who it is assigned to.
    pub assignee: Option<String>,
    /// The BPMN element id (v1 `taskDefinitionId`, v2 `elementId`).
    pub task_definition_id: Option<String>,
    /// The process name.
    pub process_name: Option<String>,
    /// The process definition key.
    pub process_definition_key: Option<String>,
    /// The process instance key.
    pub process_instance_key: Option<String>,
    /// The tenant.
    pub tenant_id: Option<String>,
    /// When it was created.
    pub creation_date: Option<Timestamp>,
    /// When it was completed or canceled.
    pub completion_date: Option<Timestamp>,
    /// When it is due.
    pub due_date: Option<Timestamp>,
    /// When it should be followed up.
    pub follow_up_date: Option<Timestamp>,
    /// Its priority (0 to 100).
    pub priority: Option<i32>,
    /// Its candidate groups.
    pub candidate_groups: Vec<String>,
    /// Its candidate users.
    pub candidate_users: Vec<String>,
    /// Its form, if it has one.
    pub form: Option<FormRef>,
    /// The variables a search was asked to include (empty otherwise).
    pub variables: Vec<TaskVariable>,
    /// The answer this was made from.
    pub raw: RawTask,
}

fn v1_state(state: Option<&v1::TaskState>) -> TaskState {
    TaskState::from_wire(state.map_or("", |s| s.as_str()))
}

/// A v1 form reference: an embedded form's id is the end of its `formKey`
/// (`camunda-forms:bpmn:<id>`); a linked form has its own `formId`.
fn v1_form(
    form_key: Option<&str>,
    form_id: Option<&v1::FormId>,
    version: Option<i64>,
    embedded: Option<bool>,
) -> Option<FormRef> {
    if embedded == Some(true) {
        let id = form_key.map(|k| k.rsplit(':').next().unwrap_or(k).to_owned());
        return Some(FormRef {
            id,
            version,
            embedded: true,
        });
    }
    form_id.map(|id| FormRef {
        id: Some(id.as_str().to_owned()),
        version,
        embedded: false,
    })
}

impl Task {
    /// A v1 search result; fails when a variable it includes was cut (the search asks for
    /// whole values, so a server that cuts them anyway is not hidden).
    pub(crate) fn from_v1_search(task: v1::TaskSearchResult) -> Result<Self, Error> {
        let variables = task
            .variables
            .iter()
            .flatten()
            .map(TaskVariable::from_v1_included)
            .collect::<Result<_, _>>()?;
        Ok(Task {
            key: task
                .id
                .as_ref()
                .map(|id| id.as_str().to_owned())
                .unwrap_or_default(),
            name: task.name.clone(),
            state: v1_state(task.task_state.as_ref()),
            assignee: task.assignee.clone(),
            task_definition_id: task.task_definition_id.clone(),
            process_name: task.process_name.clone(),
            process_definition_key: task
                .process_definition_key
                .as_ref()
                .map(|k| k.as_str().to_owned()),
            process_instance_key: task
                .process_instance_key
                .as_ref()
                .map(|k| k.as_str().to_owned()),
            tenant_id: task.tenant_id.clone(),
            creation_date: task.creation_date.clone(),
            completion_date: task.completion_date.clone(),
            due_date: task.due_date.clone(),
            follow_up_date: task.follow_up_date.clone(),
            priority: task.priority,
            candidate_groups: task.candidate_groups.clone().unwrap_or_default(),
            candidate_users: task.candidate_users.clone().unwrap_or_default(),
            form: v1_form(
                task.form_key.as_deref(),
                task.form_id.as_ref(),
                task.form_version,
                task.is_form_embedded,
            ),
            variables,
            raw: RawTask::V1Search(Box::new(task)),
        })
    }

    pub(crate) fn from_v1(task: v1::Task) -> Self {
        Task {
            key: task
                .id
                .as_ref()
                .map(|id| id.as_str().to_owned())
                .unwrap_or_default(),
            name: task.name.clone(),
            state: v1_state(task.task_state.as_ref()),
            assignee: task.assignee.clone(),
            task_definition_id: task.task_definition_id.clone(),
            process_name: task.process_name.clone(),
            process_definition_key: task
                .process_definition_key
                .as_ref()
                .map(|k| k.as_str().to_owned()),
            process_instance_key: task
                .process_instance_key
                .as_ref()
                .map(|k| k.as_str().to_owned()),
            tenant_id: task.tenant_id.clone(),
            creation_date: task.creation_date.clone(),
            completion_date: task.completion_date.clone(),
            due_date: task.due_date.clone(),
            follow_up_date: task.follow_up_date.clone(),
            priority: task.priority,
            candidate_groups: task.candidate_groups.clone().unwrap_or_default(),
            candidate_users: task.candidate_users.clone().unwrap_or_default(),
            form: v1_form(
                task.form_key.as_deref(),
                task.form_id.as_ref(),
                task.form_version,
                task.is_form_embedded,
            ),
            variables: Vec::new(),
            raw: RawTask::V1(Box::new(task)),
        }
    }

    pub(crate) fn from_v2(task: v2::UserTask) -> Self {
        let form = task.form_key.as_ref().map(|key| FormRef {
            id: Some(key.as_str().to_owned()),
            version: None,
            embedded: false,
        });
        Task {
            key: task
                .user_task_key
                .as_ref()
                .map(|k| k.as_str().to_owned())
                .unwrap_or_default(),
            name: task.name.clone(),
            state: TaskState::from_wire(task.state.as_ref().map_or("", |s| s.as_str())),
            assignee: task.assignee.clone(),
            task_definition_id: task.element_id.clone(),
            process_name: task.process_name.clone(),
            process_definition_key: task
                .process_definition_key
                .as_ref()
                .map(|k| k.as_str().to_owned()),
            process_instance_key: task
                .process_instance_key
                .as_ref()
                .map(|k| k.as_str().to_owned()),
            tenant_id: task.tenant_id.clone(),
            creation_date: task.creation_date.clone(),
            completion_date: task.completion_date.clone(),
            due_date: task.due_date.clone(),
            follow_up_date: task.follow_up_date.clone(),
            priority: task.priority,
            candidate_groups: task.candidate_groups.clone().unwrap_or_default(),
            candidate_users: task.candidate_users.clone().unwrap_or_default(),
            form,
            variables: Vec::new(),
            raw: RawTask::V2(Box::new(task)),
        }
    }
}

/// A task variable with its whole value (JSON text), whichever API it came from.
///
/// ```
/// use tasklist_api::human::TaskVariable;
/// let amount = TaskVariable::new("amount", "1250.5");
/// assert_eq!(amount.decode::<f64>()?, 1250.5);
/// # Ok::<(), tasklist_api::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TaskVariable {
    /// The name.
    pub name: String,
    /// The whole value, as JSON text.
    pub value: String,
}

impl TaskVariable {
    /// The variable `name` with the JSON text `value`.
    ///
    /// ```
    /// let note = tasklist_api::human::TaskVariable::new("note", r#""hello""#);
    /// assert_eq!(note.decode::<String>()?, "hello");
    /// # Ok::<(), tasklist_api::Error>(())
    /// ```
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        TaskVariable {
            name: name.into(),
            value: value.into(),
        }
    }

    /// Decodes the value into `T`.
    ///
    /// # Errors
    ///
    /// [`Error::VariableDecode`] when the text is not JSON of type `T`.
    ///
    /// ```
    /// let ok = tasklist_api::human::TaskVariable::new("ok", "true");
    /// assert!(ok.decode::<bool>()?);
    /// assert!(ok.decode::<u8>().is_err());
    /// # Ok::<(), tasklist_api::Error>(())
    /// ```
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, Error> {
        crate::variables::decode_value(Some(&self.name), ValueState::Full(&self.value))
    }

    /// A variable of a v1 search or variable search; a cut value is an error.
    pub(crate) fn from_v1_included(variable: &v1::TaskVariable) -> Result<Self, Error> {
        let name = variable.name.clone().unwrap_or_default();
        match variable.value_state() {
            ValueState::Full(value) => Ok(TaskVariable::new(name, value)),
            ValueState::Absent => Ok(TaskVariable::new(name, "null")),
            ValueState::Truncated { .. } => Err(Error::VariableTruncated { name }),
        }
    }

    /// A variable of a v2 variable search; a cut value is an error.
    pub(crate) fn from_v2(variable: &v2::Variable) -> Result<Self, Error> {
        let name = variable.name.clone().unwrap_or_default();
        match variable.value_state() {
            ValueState::Full(value) => Ok(TaskVariable::new(name, value)),
            ValueState::Absent => Ok(TaskVariable::new(name, "null")),
            ValueState::Truncated { .. } => Err(Error::VariableTruncated { name }),
        }
    }
}
