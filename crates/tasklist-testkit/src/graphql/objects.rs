//! The schema's object types: `Task` (with its resolved `variables`), `Variable` and `Form`.

use async_graphql::{Context, ID, Object, SimpleObject};

use super::call::call;
use super::types::{DateTime, GqlTaskState};

use crate::store::{Task, Variable, preview};

/// Variable used in task.
#[derive(SimpleObject)]
#[graphql(name = "Variable")]
pub(super) struct GqlVariable {
    id: ID,
    name: String,
    /// full variable value
    value: String,
    /// value preview (limited in size)
    preview_value: String,
    /// shows, whether previewValue contains truncated value or full value
    is_value_truncated: bool,
}

impl GqlVariable {
    /// `VariableDTO.createFrom`: the full value, its preview and whether that is cut.
    pub(super) fn new(variable: &Variable, threshold: usize) -> Self {
        let (preview_value, truncated) = preview(&variable.value, threshold);
        GqlVariable {
            id: ID(variable.id.clone()),
            name: variable.name.clone(),
            value: variable.value.clone(),
            preview_value: preview_value.to_owned(),
            is_value_truncated: truncated,
        }
    }
}

/// Describes task embedded form.
#[derive(SimpleObject)]
#[graphql(name = "Form")]
pub(super) struct GqlForm {
    /// The unique identifier of the embedded form within one process
    pub(super) id: String,
    /// Reference to process definition
    pub(super) process_definition_id: String,
    /// Form content
    pub(super) schema: String,
}

/// Describes the User task.
pub(super) struct GqlTask {
    pub(super) task: Task,
    pub(super) sort_values: Option<Vec<String>>,
    pub(super) is_first: bool,
}

impl GqlTask {
    /// A task outside a search result: no sort values, not first (`TaskDTO.createFrom`).
    pub(super) fn plain(task: Task) -> Self {
        GqlTask {
            task,
            sort_values: None,
            is_first: false,
        }
    }
}

#[Object(name = "Task")]
impl GqlTask {
    /// The unique identifier of the task
    async fn id(&self) -> ID {
        ID(self.task.id.clone())
    }

    /// Name of the task
    async fn name(&self) -> &str {
        &self.task.name
    }

    /// Task Definition ID (node BPMN id) of the process
    async fn task_definition_id(&self) -> &str {
        &self.task.task_definition_id
    }

    /// Name of the process
    async fn process_name(&self) -> &str {
        &self.task.process_name
    }

    /// When was the task created
    async fn creation_time(&self) -> String {
        crate::store::format_date(self.task.creation_date)
    }

    /// When was the task completed
    async fn completion_time(&self) -> Option<String> {
        self.task.completion_date.map(crate::store::format_date)
    }

    /// Username/id of who is assigned to the task
    async fn assignee(&self) -> Option<&str> {
        self.task.assignee.as_deref()
    }

    /// Variables associated to the task
    // `TaskVariablesFetcher`.
    async fn variables(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Vec<GqlVariable>>> {
        let call = call(ctx)?;
        let threshold = call.state.config().truncation_threshold;
        let mut variables = call
            .state
            .store()
            .with_task(&self.task.id, |record| record.visible_variables().to_vec())
            .unwrap_or_default();
        variables.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Some(
            variables
                .iter()
                .map(|v| GqlVariable::new(v, threshold))
                .collect(),
        ))
    }

    /// State of the task
    async fn task_state(&self) -> GqlTaskState {
        self.task.state.into()
    }

    /// Array of values to be copied into `TaskQuery` to request for next or previous page of
    /// tasks.
    async fn sort_values(&self) -> Option<Vec<String>> {
        self.sort_values.clone()
    }

    /// Flag to show that the task is first in current filter
    async fn is_first(&self) -> Option<bool> {
        Some(self.is_first)
    }

    /// Reference to the task form
    async fn form_key(&self) -> Option<&str> {
        self.task.form_key.as_deref()
    }

    /// Reference to process definition
    async fn process_definition_id(&self) -> Option<&str> {
        Some(&self.task.process_definition_key)
    }

    /// Reference to processInstance definition
    async fn process_instance_id(&self) -> Option<&str> {
        Some(&self.task.process_instance_key)
    }

    /// Candidate groups
    async fn candidate_groups(&self) -> Option<Vec<String>> {
        self.task.candidate_groups.clone()
    }

    /// Follow-up Date for Task
    async fn follow_up_date(&self) -> Option<DateTime> {
        self.task.follow_up_date.map(DateTime)
    }

    /// Due date for Task
    async fn due_date(&self) -> Option<DateTime> {
        self.task.due_date.map(DateTime)
    }

    /// Candidate users
    async fn candidate_users(&self) -> Option<Vec<String>> {
        self.task.candidate_users.clone()
    }
}
