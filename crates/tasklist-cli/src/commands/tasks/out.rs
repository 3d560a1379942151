//! A task and its variables as the `tasks` commands print them, with the same keys on every
//! API version.

use comfy_table::Cell;
use serde::Serialize;
use tasklist_api::ValueState;
use tasklist_api::human::{self, RawTask};
use tasklist_api::models::{Implementation, TaskVariable, Timestamp};

use super::common::text;
use crate::cli::SearchArgs;
use crate::output::{Output, cell};

/// A task as the CLI prints it, with the same keys on every API version: the v1 API's
/// field names, `null` where the task has no value or its API does not say. A task from a
/// search also has `sortValues` (v1; `null` on v2, which pages by cursor) and `variables`
/// (the included ones, `[]` when none were asked for).
pub(super) struct TaskOut<'a> {
    task: &'a human::Task,
    listed: bool,
    /// Whether the table shows the included variables (`--include-variables`).
    variables_column: bool,
}

impl<'a> TaskOut<'a> {
    /// A task read on its own (`tasks get`, a change with `--wait`).
    pub(super) fn one(task: &'a human::Task) -> Self {
        TaskOut {
            task,
            listed: false,
            variables_column: false,
        }
    }

    /// A task from a search.
    pub(super) fn listed(task: &'a human::Task, args: &SearchArgs) -> Self {
        TaskOut {
            task,
            listed: true,
            variables_column: !args.include_variables.is_empty(),
        }
    }
}

/// A task's form fields, under v1's names: v1 has all four, v2 only the linked form's key.
struct FormFields<'a> {
    key: Option<&'a str>,
    id: Option<&'a str>,
    version: Option<i64>,
    embedded: Option<bool>,
}

/// The [`FormFields`] of a v1 task or search result (both have the same four fields).
macro_rules! v1_form {
    ($task:expr) => {
        FormFields {
            key: $task.form_key.as_deref(),
            id: $task.form_id.as_ref().map(|id| id.as_str()),
            version: $task.form_version,
            embedded: $task.is_form_embedded,
        }
    };
}

impl Serialize for TaskOut<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let task = self.task;
        let (form, implementation, sort_values) = match &task.raw {
            RawTask::V1Search(t) => (
                v1_form!(t),
                t.implementation.as_ref().map(Implementation::as_str),
                t.sort_values.as_deref(),
            ),
            RawTask::V1(t) => (
                v1_form!(t),
                t.implementation.as_ref().map(Implementation::as_str),
                None,
            ),
            RawTask::V2(t) => (
                FormFields {
                    key: t.form_key.as_ref().map(|k| k.as_str()),
                    id: None,
                    version: None,
                    embedded: None,
                },
                Some("ZEEBE_USER_TASK"),
                None,
            ),
            // Not `null` in place of a task: a task of an API this CLI does not know is an error.
            _ => {
                return Err(serde::ser::Error::custom(
                    "a task of a task API this version of tasklist does not know",
                ));
            }
        };
        let list = |values: &'_ [String]| (!values.is_empty()).then_some(values.to_vec());
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", task.key())?;
        map.serialize_entry("name", &task.name())?;
        map.serialize_entry("taskState", task.state().as_str())?;
        map.serialize_entry("assignee", &task.assignee())?;
        map.serialize_entry("creationDate", &task.creation_date())?;
        map.serialize_entry("completionDate", &task.completion_date())?;
        map.serialize_entry("dueDate", &task.due_date())?;
        map.serialize_entry("followUpDate", &task.follow_up_date())?;
        map.serialize_entry("priority", &task.priority())?;
        map.serialize_entry("candidateGroups", &list(task.candidate_groups()))?;
        map.serialize_entry("candidateUsers", &list(task.candidate_users()))?;
        map.serialize_entry("processName", &task.process_name())?;
        map.serialize_entry("processDefinitionKey", &task.process_definition_key())?;
        map.serialize_entry("processInstanceKey", &task.process_instance_key())?;
        map.serialize_entry("taskDefinitionId", &task.task_definition_id())?;
        map.serialize_entry("tenantId", &task.tenant_id())?;
        map.serialize_entry("formKey", &form.key)?;
        map.serialize_entry("formId", &form.id)?;
        map.serialize_entry("formVersion", &form.version)?;
        map.serialize_entry("isFormEmbedded", &form.embedded)?;
        map.serialize_entry("implementation", &implementation)?;
        if self.listed {
            map.serialize_entry("sortValues", &sort_values)?;
            map.serialize_entry("variables", &VariablesOut(task))?;
        }
        map.end()
    }
}

/// The variables a search included, as the v1 API writes them: `{name, value}`, the value
/// being JSON text; a value a v1 search cut (`--full-values` not given) as `{name, value:
/// null, previewValue, isValueTruncated: true}`.
struct VariablesOut<'a>(&'a human::Task);

/// A variable as the CLI prints it, with the same keys on every API version (v1's names):
/// `value` is JSON text, `null` when cut (then `previewValue` has its start); `id` and
/// `draft` only v1 has.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct VariableOut<'a> {
    pub(super) id: Option<&'a str>,
    pub(super) name: &'a str,
    pub(super) value: Option<&'a str>,
    is_value_truncated: bool,
    preview_value: Option<&'a str>,
    draft: Option<DraftOut<'a>>,
}

/// A v1 draft value: `{value, isValueTruncated}` (a value is cut as a variable's is).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DraftOut<'a> {
    value: Option<&'a str>,
    is_value_truncated: bool,
}

impl<'a> VariableOut<'a> {
    /// A variable of the common interface (its value whole).
    pub(crate) fn whole(variable: &'a human::TaskVariable) -> Self {
        VariableOut {
            id: variable.id.as_deref(),
            name: &variable.name,
            value: Some(&variable.value),
            is_value_truncated: false,
            preview_value: None,
            draft: None,
        }
    }

    /// A v1 variable read by its id, with its draft (both whole).
    pub(crate) fn v1_whole(variable: &'a tasklist_api::models::Variable) -> Self {
        VariableOut {
            id: variable.id.as_ref().map(|id| id.as_str()),
            name: variable.name.as_deref().unwrap_or_default(),
            value: variable.value.as_deref(),
            is_value_truncated: false,
            preview_value: None,
            draft: variable.draft.as_ref().map(|draft| DraftOut {
                value: draft.value.as_deref(),
                is_value_truncated: false,
            }),
        }
    }

    /// A v1 variable as the API answered it.
    pub(super) fn v1(variable: &'a TaskVariable) -> Self {
        let (value, preview) = match variable.value_state() {
            ValueState::Full(json) => (Some(json), None),
            ValueState::Truncated { preview } => (None, Some(preview)),
            _ => (None, None),
        };
        VariableOut {
            id: variable.id.as_ref().map(|id| id.as_str()),
            name: variable.name.as_deref().unwrap_or_default(),
            value,
            is_value_truncated: preview.is_some(),
            preview_value: preview,
            draft: variable.draft.as_ref().map(|draft| DraftOut {
                value: draft.value.as_deref(),
                is_value_truncated: draft.is_value_truncated == Some(true),
            }),
        }
    }
}

impl Serialize for VariablesOut<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq as _;
        let mut seq = serializer.serialize_seq(None)?;
        match &self.0.raw {
            // Straight from a v1 search (the v1-only flags), cut values and all.
            RawTask::V1Search(task) if self.0.variables.is_empty() => {
                for variable in task.variables.iter().flatten() {
                    seq.serialize_element(&VariableOut::v1(variable))?;
                }
            }
            _ => {
                for variable in &self.0.variables {
                    seq.serialize_element(&VariableOut::whole(variable))?;
                }
            }
        }
        seq.end()
    }
}

/// A task's row in a table of tasks.
pub(super) fn human_row(out: &Output, shown: &TaskOut<'_>) -> Vec<Cell> {
    let task = shown.task;
    let mut row = vec![
        cell(task.key()),
        text(task.name()),
        text(task.process_name()),
        out.state_cell(task.state().as_str()),
        text(task.assignee()),
        cell(&task.priority().map(|p| p.to_string()).unwrap_or_default()),
        text(task.creation_date().map(Timestamp::as_str)),
        text(task.due_date().map(Timestamp::as_str)),
    ];
    if shown.variables_column {
        let pairs: Vec<String> = variable_texts(task)
            .into_iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        row.push(cell(&pairs.join(", ")));
    }
    row
}

/// The variables a search included, as table text: whole values as they are, a cut one as
/// its preview and `…`.
fn variable_texts(task: &human::Task) -> Vec<(&str, String)> {
    match &task.raw {
        RawTask::V1Search(found) if task.variables.is_empty() => found
            .variables
            .iter()
            .flatten()
            .map(|variable| {
                let name = variable.name.as_deref().unwrap_or_default();
                let text = match variable.value_state() {
                    ValueState::Full(json) => json.to_owned(),
                    ValueState::Truncated { preview } => format!("{preview}…"),
                    _ => "null".to_owned(),
                };
                (name, text)
            })
            .collect(),
        _ => task
            .variables
            .iter()
            .map(|variable| (variable.name.as_str(), variable.value.clone()))
            .collect(),
    }
}
