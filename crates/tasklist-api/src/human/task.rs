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
    /// On v1, the form id (for an embedded form, its id within the process model); on v2,
    /// the linked form's key (v2 tasks carry no form id; [`HumanTasks::form`] reads the form
    /// with its id).
    ///
    /// [`HumanTasks::form`]: super::HumanTasks::form
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
    V1Search(v1::TaskSearchResult),
    /// A v1 task (from `GET /v1/tasks/{id}`).
    V1(v1::Task),
    /// A v2 user task.
    V2(v2::UserTask),
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

/// A task, whichever API it came from: a view of the answer itself ([`raw`](Self::raw)), so
/// that reading a page costs nothing beyond the API's own decoding.
///
/// The accessors are the fields both APIs have. [`key`](Self::key) is the v1 task id or the
/// v2 user task key: the same number on Camunda 8.8 and later.
///
/// ```
/// # fn example(task: tasklist_api::human::Task) {
/// println!("{} {:?} is {}", task.key(), task.name(), task.state());
/// # }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    /// The answer this is a view of.
    pub raw: RawTask,
    /// The variables a search was asked to include (empty otherwise).
    pub variables: Vec<TaskVariable>,
}

/// Reads one field that every answer a [`Task`] may hold has under the same name.
macro_rules! field {
    ($task:expr, |$t:ident| $read:expr) => {
        match &$task.raw {
            RawTask::V1Search($t) => $read,
            RawTask::V1($t) => $read,
            RawTask::V2($t) => $read,
        }
    };
}

/// Defines accessors that read a field of the same name from every answer.
macro_rules! accessors {
    ($($(#[$doc:meta])* $name:ident -> $ty:ty = |$t:ident| $read:expr;)*) => {
        $(
            $(#[$doc])*
            #[must_use]
            pub fn $name(&self) -> $ty {
                field!(self, |$t| $read)
            }
        )*
    };
}

impl Task {
    /// The task's key (v1 `id`, v2 `userTaskKey`); empty when the server sent none.
    ///
    /// ```
    /// # fn example(task: tasklist_api::human::Task) {
    /// println!("{}", task.key());
    /// # }
    /// ```
    #[must_use]
    pub fn key(&self) -> &str {
        match &self.raw {
            RawTask::V1Search(t) => t.id.as_ref().map_or("", |id| id.as_str()),
            RawTask::V1(t) => t.id.as_ref().map_or("", |id| id.as_str()),
            RawTask::V2(t) => t.user_task_key.as_ref().map_or("", |k| k.as_str()),
        }
    }

    /// Its state (`Unknown("")` when the server sent none).
    ///
    /// ```
    /// # fn example(task: tasklist_api::human::Task) {
    /// use tasklist_api::human::TaskState;
    /// if task.state() == TaskState::Created { println!("open"); }
    /// # }
    /// ```
    #[must_use]
    pub fn state(&self) -> TaskState {
        let text = match &self.raw {
            RawTask::V1Search(t) => t.task_state.as_ref().map(v1::TaskState::as_str),
            RawTask::V1(t) => t.task_state.as_ref().map(v1::TaskState::as_str),
            RawTask::V2(t) => t.state.as_ref().map(v2::UserTaskState::as_str),
        };
        TaskState::from_wire(text.unwrap_or_default())
    }

    /// The BPMN element id (v1 `taskDefinitionId`, v2 `elementId`).
    ///
    /// ```
    /// # fn example(task: tasklist_api::human::Task) {
    /// println!("{:?}", task.task_definition_id());
    /// # }
    /// ```
    #[must_use]
    pub fn task_definition_id(&self) -> Option<&str> {
        match &self.raw {
            RawTask::V1Search(t) => t.task_definition_id.as_deref(),
            RawTask::V1(t) => t.task_definition_id.as_deref(),
            RawTask::V2(t) => t.element_id.as_deref(),
        }
    }

    accessors! {
        /// Its name.
        ///
        /// ```
        /// # fn example(task: tasklist_api::human::Task) {
        /// println!("{}", task.name().unwrap_or("(unnamed)"));
        /// # }
        /// ```
        name -> Option<&str> = |t| t.name.as_deref();
        /// Who it is assigned to.
        ///
        /// ```
        /// # fn example(task: tasklist_api::human::Task) {
        /// println!("{}", task.assignee().unwrap_or("nobody"));
        /// # }
        /// ```
        assignee -> Option<&str> = |t| t.assignee.as_deref();
        /// The process name.
        ///
        /// ```
        /// # fn example(task: tasklist_api::human::Task) {
        /// println!("{:?}", task.process_name());
        /// # }
        /// ```
        process_name -> Option<&str> = |t| t.process_name.as_deref();
        /// The process definition key.
        ///
        /// ```
        /// # fn example(task: tasklist_api::human::Task) {
        /// println!("{:?}", task.process_definition_key());
        /// # }
        /// ```
        process_definition_key -> Option<&str> = |t| t.process_definition_key.as_ref().map(|k| k.as_str());
        /// The process instance key.
        ///
        /// ```
        /// # fn example(task: tasklist_api::human::Task) {
        /// println!("{:?}", task.process_instance_key());
        /// # }
        /// ```
        process_instance_key -> Option<&str> = |t| t.process_instance_key.as_ref().map(|k| k.as_str());
        /// The tenant.
        ///
        /// ```
        /// # fn example(task: tasklist_api::human::Task) {
        /// println!("{:?}", task.tenant_id());
        /// # }
        /// ```
        tenant_id -> Option<&str> = |t| t.tenant_id.as_deref();
        /// When it was created.
        ///
        /// ```
        /// # fn example(task: tasklist_api::human::Task) {
        /// println!("{:?}", task.creation_date().map(|d| d.as_str()));
        /// # }
        /// ```
        creation_date -> Option<&Timestamp> = |t| t.creation_date.as_ref();
        /// When it was completed or canceled.
        ///
        /// ```
        /// # fn example(task: tasklist_api::human::Task) {
        /// println!("{:?}", task.completion_date());
        /// # }
        /// ```
        completion_date -> Option<&Timestamp> = |t| t.completion_date.as_ref();
        /// When it is due.
        ///
        /// ```
        /// # fn example(task: tasklist_api::human::Task) {
        /// println!("{:?}", task.due_date());
        /// # }
        /// ```
        due_date -> Option<&Timestamp> = |t| t.due_date.as_ref();
        /// When it should be followed up.
        ///
        /// ```
        /// # fn example(task: tasklist_api::human::Task) {
        /// println!("{:?}", task.follow_up_date());
        /// # }
        /// ```
        follow_up_date -> Option<&Timestamp> = |t| t.follow_up_date.as_ref();
        /// Its priority (0 to 100).
        ///
        /// ```
        /// # fn example(task: tasklist_api::human::Task) {
        /// println!("{:?}", task.priority());
        /// # }
        /// ```
        priority -> Option<i32> = |t| t.priority;
        /// Its candidate groups.
        ///
        /// ```
        /// # fn example(task: tasklist_api::human::Task) {
        /// println!("{}", task.candidate_groups().join(", "));
        /// # }
        /// ```
        candidate_groups -> &[String] = |t| t.candidate_groups.as_deref().unwrap_or_default();
        /// Its candidate users.
        ///
        /// ```
        /// # fn example(task: tasklist_api::human::Task) {
        /// println!("{}", task.candidate_users().join(", "));
        /// # }
        /// ```
        candidate_users -> &[String] = |t| t.candidate_users.as_deref().unwrap_or_default();
    }

    /// Its form, if it has one.
    ///
    /// ```
    /// # fn example(task: tasklist_api::human::Task) {
    /// if let Some(form) = task.form() { println!("{:?}", form.id); }
    /// # }
    /// ```
    #[must_use]
    pub fn form(&self) -> Option<FormRef> {
        match &self.raw {
            RawTask::V1Search(t) => v1_form(
                t.form_key.as_deref(),
                t.form_id.as_ref(),
                t.form_version,
                t.is_form_embedded,
            ),
            RawTask::V1(t) => v1_form(
                t.form_key.as_deref(),
                t.form_id.as_ref(),
                t.form_version,
                t.is_form_embedded,
            ),
            RawTask::V2(t) => t.form_key.as_ref().map(|key| FormRef {
                id: Some(key.as_str().to_owned()),
                version: None,
                embedded: false,
            }),
        }
    }

    /// A v1 search result; fails when a variable it includes was cut (the search asks for
    /// whole values, so a server that cuts them anyway is not hidden).
    pub(crate) fn from_v1_search(task: v1::TaskSearchResult) -> Result<Self, Error> {
        let mut task = Task::from_v1_found(task);
        task.take_included_variables()?;
        Ok(task)
    }

    /// A v1 search result, its included variables left in `raw` (see
    /// [`take_included_variables`](Self::take_included_variables)).
    pub(crate) fn from_v1_found(task: v1::TaskSearchResult) -> Self {
        Task {
            raw: RawTask::V1Search(task),
            variables: Vec::new(),
        }
    }

    /// Reads the variables a v1 search included into [`variables`](Self::variables); fails
    /// when one was cut (the search asks for whole values, so a server that cuts them anyway
    /// is not hidden).
    pub(crate) fn take_included_variables(&mut self) -> Result<(), Error> {
        if let RawTask::V1Search(task) = &self.raw {
            self.variables = task
                .variables
                .iter()
                .flatten()
                .map(TaskVariable::from_v1_included)
                .collect::<Result<_, _>>()?;
        }
        Ok(())
    }

    pub(crate) fn from_v1(task: v1::Task) -> Self {
        Task {
            raw: RawTask::V1(task),
            variables: Vec::new(),
        }
    }

    pub(crate) fn from_v2(task: v2::UserTask) -> Self {
        Task {
            raw: RawTask::V2(task),
            variables: Vec::new(),
        }
    }
}

/// A task a typed v1 search found, as a version-neutral [`Task`]; the variables it
/// included stay in [`raw`](Task::raw) (they may have been cut: see
/// [`TaskVariable`](crate::models::TaskVariable)).
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// use tasklist_api::human::Task;
/// for found in client.tasks().search().await? {
///     println!("{}", Task::from(found).state());
/// }
/// # Ok(())
/// # }
/// ```
impl From<v1::TaskSearchResult> for Task {
    fn from(task: v1::TaskSearchResult) -> Self {
        Task::from_v1_found(task)
    }
}

/// A task the typed v1 client answered (`tasks().get`, `assign`, `complete`…), as a
/// version-neutral [`Task`].
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// use tasklist_api::human::Task;
/// let task = Task::from(client.tasks().get("1").await?);
/// println!("{}", task.state());
/// # Ok(())
/// # }
/// ```
impl From<v1::Task> for Task {
    fn from(task: v1::Task) -> Self {
        Task::from_v1(task)
    }
}

/// A task the typed v2 client answered (`user_tasks().get`, a search item…), as a
/// version-neutral [`Task`].
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// use tasklist_api::human::Task;
/// let task = Task::from(client.user_tasks().get("2251799813685251").await?);
/// println!("{}", task.state());
/// # Ok(())
/// # }
/// ```
impl From<v2::UserTask> for Task {
    fn from(task: v2::UserTask) -> Self {
        Task::from_v2(task)
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
    /// The variable's own id in its API, when the answer gave it: the v1 variable id or the v2
    /// variable key, what [`HumanTasks::variable`](super::HumanTasks::variable) reads it by.
    pub id: Option<String>,
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
            id: None,
            name: name.into(),
            value: value.into(),
        }
    }

    /// The same variable with its id in its API.
    ///
    /// ```
    /// let note = tasklist_api::human::TaskVariable::new("note", "1").with_id("2251799813686001");
    /// assert_eq!(note.id.as_deref(), Some("2251799813686001"));
    /// ```
    #[must_use]
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
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
        let found = match variable.value_state() {
            ValueState::Full(value) => TaskVariable::new(name, value),
            ValueState::Truncated { .. } => return Err(Error::VariableTruncated { name }),
            _ => TaskVariable::new(name, "null"),
        };
        Ok(TaskVariable {
            id: variable.id.as_ref().map(|id| id.as_str().to_owned()),
            ..found
        })
    }

    /// A variable read by its id on v1 (`GET /v1/variables/{id}`): its value is whole; no value
    /// reads as `null`.
    pub(crate) fn from_v1_whole(variable: v1::Variable) -> Self {
        TaskVariable {
            id: variable.id.map(|id| id.as_str().to_owned()),
            name: variable.name.unwrap_or_default(),
            value: variable.value.unwrap_or_else(|| "null".to_owned()),
        }
    }

    /// A variable read by its key on v2 (`GET /v2/variables/{key}`): its value is whole; no
    /// value reads as `null`.
    pub(crate) fn from_v2_whole(variable: v2::FullVariable) -> Self {
        TaskVariable {
            id: variable.variable_key.map(|key| key.as_str().to_owned()),
            name: variable.name.unwrap_or_default(),
            value: variable.value.unwrap_or_else(|| "null".to_owned()),
        }
    }

    /// A variable of a v2 variable search; a cut value is an error.
    pub(crate) fn from_v2(variable: &v2::Variable) -> Result<Self, Error> {
        let name = variable.name.clone().unwrap_or_default();
        let found = match variable.value_state() {
            ValueState::Full(value) => TaskVariable::new(name, value),
            ValueState::Truncated { .. } => return Err(Error::VariableTruncated { name }),
            _ => TaskVariable::new(name, "null"),
        };
        Ok(TaskVariable {
            id: variable
                .variable_key
                .as_ref()
                .map(|key| key.as_str().to_owned()),
            ..found
        })
    }
}
