//! `tasklist tasks …`

use comfy_table::Cell;
use futures::TryStreamExt as _;
use serde::Serialize;
use serde_json::Value;
use tasklist_api::human::{self, RawTask, SortField};
use tasklist_api::models::{
    Implementation, SortOrder, TaskSortField, TaskState, TaskVariable, Timestamp,
};
use tasklist_api::{Api, Client, Cursor, SearchTasks, ValueState};

use super::Context;
use crate::cli::{Format, ImplementationArg, SearchArgs, StateArg, UpdateArgs, VarArgs, WaitArg};
use crate::connect::{Connection, Purpose};
use crate::error::CliError;
use crate::exit::Exit;
use crate::output::{Output, Progress, cell, cell_text, shorten};
use crate::vars;

/// The table columns of a task list.
const TASK_COLUMNS: &[&str] = &[
    "ID", "NAME", "PROCESS", "STATE", "ASSIGNEE", "PRIORITY", "CREATED", "DUE",
];

/// The table columns of a task list with `--include-variables`.
const TASK_COLUMNS_WITH_VARIABLES: &[&str] = &[
    "ID",
    "NAME",
    "PROCESS",
    "STATE",
    "ASSIGNEE",
    "PRIORITY",
    "CREATED",
    "DUE",
    "VARIABLES",
];

/// The columns of a task list for `args`.
fn task_columns(args: &SearchArgs) -> &'static [&'static str] {
    if args.include_variables.is_empty() {
        TASK_COLUMNS
    } else {
        TASK_COLUMNS_WITH_VARIABLES
    }
}

/// The table columns of a variable list.
const VARIABLE_COLUMNS: &[&str] = &["NAME", "VALUE", "DRAFT", "ID"];

fn text(value: Option<&str>) -> Cell {
    cell(value.unwrap_or(""))
}

/// A variable's value as the table shows it.
fn value_text(state: ValueState<'_>) -> String {
    match state {
        ValueState::Full(json) => shorten(json, 60),
        ValueState::Truncated { preview } => {
            format!("{} (truncated; --full)", shorten(preview, 40))
        }
        _ => String::new(),
    }
}

fn variable_row(_: &Output, variable: &TaskVariable) -> Vec<Cell> {
    vec![
        text(variable.name.as_deref()),
        cell(&value_text(variable.value_state())),
        cell(&variable.draft_state().map(value_text).unwrap_or_default()),
        text(variable.id.as_ref().map(|id| id.as_str())),
    ]
}

fn date(flag: &str, value: &Option<String>) -> Result<Option<Timestamp>, CliError> {
    value
        .as_deref()
        .map(|text| {
            text.parse::<Timestamp>().map_err(|e| {
                CliError::usage(format!("{flag} {text}: not a date-time ({e})"))
                    .hint("write an RFC 3339 date-time, e.g. 2025-01-31T00:00:00Z")
            })
        })
        .transpose()
}

/// A field `--sort` names, before it is put in either API's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SortKey {
    Creation,
    Completion,
    FollowUp,
    Due,
    Priority,
}

impl SortKey {
    /// The field under API v1's name.
    fn v1(self) -> TaskSortField {
        match self {
            SortKey::Creation => TaskSortField::CreationTime,
            SortKey::Completion => TaskSortField::CompletionTime,
            SortKey::FollowUp => TaskSortField::FollowUpDate,
            SortKey::Due => TaskSortField::DueDate,
            SortKey::Priority => TaskSortField::Priority,
        }
    }

    /// The field of the version-neutral search.
    fn common(self) -> SortField {
        match self {
            SortKey::Creation => SortField::CreationDate,
            SortKey::Completion => SortField::CompletionDate,
            SortKey::FollowUp => SortField::FollowUpDate,
            SortKey::Due => SortField::DueDate,
            SortKey::Priority => SortField::Priority,
        }
    }
}

/// Parses `--sort FIELD[:asc|desc]` into the field and whether it is descending.
fn sort_key(text: &str) -> Result<(SortKey, bool), CliError> {
    let (field, order) = text.split_once(':').unwrap_or((text, "asc"));
    // Any case, with or without dashes or underscores: `creationTime`, `CREATION_TIME`,
    // `creation-time`.
    let folded: String = field
        .trim()
        .chars()
        .filter(|c| !matches!(c, '-' | '_'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let field = match folded.as_str() {
        "creationtime" | "creationdate" | "created" => SortKey::Creation,
        "completiontime" | "completiondate" | "completed" => SortKey::Completion,
        "followupdate" => SortKey::FollowUp,
        "duedate" | "due" => SortKey::Due,
        "priority" => SortKey::Priority,
        other => {
            return Err(
                CliError::usage(format!("--sort {text}: unknown field `{other}`")).hint(
                    "sort by creationTime, completionTime, followUpDate, dueDate or priority",
                ),
            );
        }
    };
    let descending = match order.trim().to_ascii_lowercase().as_str() {
        "asc" => false,
        "desc" => true,
        other => {
            return Err(
                CliError::usage(format!("--sort {text}: unknown order `{other}`"))
                    .hint("write FIELD:asc or FIELD:desc"),
            );
        }
    };
    Ok((field, descending))
}

/// Parses `--sort FIELD[:asc|desc]` in API v1's terms.
fn sort(text: &str) -> Result<(TaskSortField, SortOrder), CliError> {
    let (field, descending) = sort_key(text)?;
    let order = if descending {
        SortOrder::Desc
    } else {
        SortOrder::Asc
    };
    Ok((field.v1(), order))
}

/// Sets the filters that the v1 search and the common search take under the same names: the
/// process keys, the element id and the date ranges.
macro_rules! shared_filters {
    ($search:expr, $args:expr) => {{
        let mut search = $search;
        let args = $args;
        if let Some(key) = &args.process_definition_key {
            search = search.process_definition_key(key.clone());
        }
        if let Some(key) = &args.process_instance_key {
            search = search.process_instance_key(key.clone());
        }
        if let Some(id) = &args.task_definition_id {
            search = search.task_definition_id(id.clone());
        }
        if let Some(at) = date("--due-date-from", &args.due_date_from)? {
            search = search.due_date_from(at);
        }
        if let Some(at) = date("--due-date-to", &args.due_date_to)? {
            search = search.due_date_to(at);
        }
        if let Some(at) = date("--follow-up-date-from", &args.follow_up_date_from)? {
            search = search.follow_up_date_from(at);
        }
        if let Some(at) = date("--follow-up-date-to", &args.follow_up_date_to)? {
            search = search.follow_up_date_to(at);
        }
        search
    }};
}

/// The search `args` describe.
fn build_search(client: &Client, args: &SearchArgs) -> Result<SearchTasks, CliError> {
    let mut search = client.tasks().search();
    if let Some(state) = args.state {
        search = search.state(match state {
            StateArg::Created => TaskState::Created,
            StateArg::Completed => TaskState::Completed,
            StateArg::Canceled => TaskState::Canceled,
            StateArg::Failed => TaskState::Failed,
        });
    }
    if let Some(assigned) = args.assigned {
        search = search.assigned(assigned);
    }
    if let Some(assignee) = &args.assignee {
        search = search.assignee(assignee.clone());
    }
    if !args.assignees.is_empty() {
        search = search.assignees(args.assignees.iter().cloned());
    }
    if let Some(group) = &args.candidate_group {
        search = search.candidate_group(group.clone());
    }
    if !args.candidate_groups.is_empty() {
        search = search.candidate_groups(args.candidate_groups.iter().cloned());
    }
    if let Some(user) = &args.candidate_user {
        search = search.candidate_user(user.clone());
    }
    if !args.candidate_users.is_empty() {
        search = search.candidate_users(args.candidate_users.iter().cloned());
    }
    search = shared_filters!(search, args);
    search = match (args.priority, args.priority_min, args.priority_max) {
        (Some(eq), _, _) => search.priority_eq(eq),
        (None, Some(min), Some(max)) => search.priority(min..=max),
        (None, Some(min), None) => search.priority(min..),
        (None, None, Some(max)) => search.priority(..=max),
        (None, None, None) => search,
    };
    if let Some(implementation) = args.implementation {
        search = search.implementation(match implementation {
            ImplementationArg::JobWorker => Implementation::JobWorker,
            ImplementationArg::ZeebeUserTask => Implementation::ZeebeUserTask,
        });
    }
    if !args.tenant_ids.is_empty() {
        search = search.tenant_ids(args.tenant_ids.iter().cloned());
    }
    for text in &args.var_equals {
        let (name, value) = vars::split_assignment(text, "--var-equals")?;
        let raw = vars::json_value(name, value, "--var-equals", "--var-equals-str")?;
        search = search.variable_equals(name, &raw);
    }
    for text in &args.var_equals_str {
        let (name, value) = vars::split_assignment(text, "--var-equals-str")?;
        search = search.variable_equals(name, value);
    }
    for text in &args.sort {
        let (field, order) = sort(text)?;
        search = search.sort(field, order);
    }
    if let Some(size) = args.page_size {
        search = search.page_size(size);
    }
    let cursor = [
        (
            &args.search_after,
            Cursor::After as fn(Vec<String>) -> Cursor,
        ),
        (&args.search_after_or_equal, Cursor::AfterOrEqual),
        (&args.search_before, Cursor::Before),
        (&args.search_before_or_equal, Cursor::BeforeOrEqual),
    ]
    .into_iter()
    .find(|(values, _)| !values.is_empty())
    .map(|(values, make)| make(values.clone()));
    if let Some(cursor) = cursor {
        search = search.cursor(cursor);
    }
    for name in &args.include_variables {
        search = if args.full_values {
            search.include_variable_full_value(name.clone())
        } else {
            search.include_variable(name.clone())
        };
    }
    Ok(search)
}

/// The flags of `tasks search` that only API v1 has, as given.
fn v1_only_flags(args: &SearchArgs) -> Vec<&'static str> {
    let mut flags = Vec::new();
    if args.implementation.is_some() {
        flags.push("--implementation");
    }
    if !args.var_equals.is_empty() {
        flags.push("--var-equals");
    }
    if !args.var_equals_str.is_empty() {
        flags.push("--var-equals-str");
    }
    if args.assignees.len() > 1 || (args.assignee.is_some() && !args.assignees.is_empty()) {
        flags.push("--assignees (more than one)");
    }
    if args.tenant_ids.len() > 1 {
        flags.push("--tenant-id (more than one)");
    }
    for (values, flag) in [
        (&args.search_after, "--search-after"),
        (&args.search_after_or_equal, "--search-after-or-equal"),
        (&args.search_before, "--search-before"),
        (&args.search_before_or_equal, "--search-before-or-equal"),
    ] {
        if !values.is_empty() {
            flags.push(flag);
        }
    }
    if args.max_pages.is_some() {
        flags.push("--max-pages");
    }
    flags
}

/// Refuses a priority outside 0..=100 before anything is sent.
fn check_priority(flag: &str, value: Option<i32>) -> Result<(), CliError> {
    match value {
        Some(n) if !(0..=100).contains(&n) => Err(CliError::usage(format!(
            "{flag} {n}: a priority is between 0 and 100"
        ))),
        _ => Ok(()),
    }
}

/// The error of a feature the task API in use lacks: a usage error, nothing was sent.
fn unsupported(feature: &str, api: Api, hint: &str) -> CliError {
    CliError::new(
        Exit::Usage,
        format!("{feature} is not supported on API {api}: {hint}"),
    )
    .hint(format!(
        "the task API in use is {api} (--api v1|v2 pins one, where the server has it); nothing \
         was sent"
    ))
}

/// The API the connection uses (no request when pinned, cached or asked before).
async fn api_of(connection: &Connection) -> Result<Api, CliError> {
    Ok(connection.api().await?.detected.api)
}

/// The version-neutral search `args` describe (without the v1-only flags).
fn build_human_search(client: &Client, args: &SearchArgs) -> Result<human::Search, CliError> {
    let mut search = client.human_tasks().search();
    if let Some(state) = args.state {
        search = search.state(match state {
            StateArg::Created => human::TaskState::Created,
            StateArg::Completed => human::TaskState::Completed,
            StateArg::Canceled => human::TaskState::Canceled,
            StateArg::Failed => human::TaskState::Failed,
        });
    }
    if let Some(assigned) = args.assigned {
        search = search.assigned(assigned);
    }
    if let Some(assignee) = args.assignee.as_ref().or(args.assignees.first()) {
        search = search.assignee(assignee.clone());
    }
    let groups: Vec<String> = args
        .candidate_group
        .iter()
        .chain(&args.candidate_groups)
        .cloned()
        .collect();
    if !groups.is_empty() {
        search = search.candidate_groups(groups);
    }
    let users: Vec<String> = args
        .candidate_user
        .iter()
        .chain(&args.candidate_users)
        .cloned()
        .collect();
    if !users.is_empty() {
        search = search.candidate_users(users);
    }
    search = shared_filters!(search, args);
    search = match (args.priority, args.priority_min, args.priority_max) {
        (Some(eq), _, _) => search.priority(eq..=eq),
        (None, Some(min), Some(max)) => search.priority(min..=max),
        (None, Some(min), None) => search.priority(min..),
        (None, None, Some(max)) => search.priority(..=max),
        (None, None, None) => search,
    };
    if let Some(tenant) = args.tenant_ids.first() {
        search = search.tenant_id(tenant.clone());
    }
    for text in &args.sort {
        let (field, descending) = sort_key(text)?;
        search = if descending {
            search.sort_desc(field.common())
        } else {
            search.sort_asc(field.common())
        };
    }
    if let Some(size) = args.page_size {
        search = search.page_size(size);
    }
    for name in &args.include_variables {
        search = search.include_variable(name.clone());
    }
    Ok(search)
}

/// A task as the CLI prints it, with the same keys on every API version: the v1 API's
/// field names, `null` where the task has no value or its API does not say. A task from a
/// search also has `sortValues` (v1; `null` on v2, which pages by cursor) and `variables`
/// (the included ones, `[]` when none were asked for).
struct TaskOut<'a> {
    task: &'a human::Task,
    listed: bool,
    /// Whether the table shows the included variables (`--include-variables`).
    variables_column: bool,
}

impl<'a> TaskOut<'a> {
    /// A task read on its own (`tasks get`, a change with `--wait`).
    fn one(task: &'a human::Task) -> Self {
        TaskOut {
            task,
            listed: false,
            variables_column: false,
        }
    }

    /// A task from a search.
    fn listed(task: &'a human::Task, args: &SearchArgs) -> Self {
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
    id: Option<&'a str>,
    name: &'a str,
    value: Option<&'a str>,
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
    fn v1(variable: &'a TaskVariable) -> Self {
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

fn human_row(out: &Output, shown: &TaskOut<'_>) -> Vec<Cell> {
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

/// `tasks search`
pub(crate) async fn search(ctx: &Context, args: &SearchArgs) -> Result<(), CliError> {
    for (flag, value) in [
        ("--priority", args.priority),
        ("--priority-min", args.priority_min),
        ("--priority-max", args.priority_max),
    ] {
        check_priority(flag, value)?;
    }
    let connection = ctx.connect(Purpose::Call)?;
    // Checks every flag before anything is sent.
    let legacy = build_search(&connection.client, args)?;
    let v1_only = v1_only_flags(args);
    if !v1_only.is_empty() {
        let api = api_of(&connection).await?;
        if api != Api::V1 {
            return Err(unsupported(
                &v1_only.join(", "),
                api,
                "drop the flag, or search with a single assignee or tenant; API v2 pages by itself",
            ));
        }
        return search_v1(ctx, legacy, args).await;
    }
    let search = build_human_search(&connection.client, args)?;
    let mut list = ctx.out.list(task_columns(args));
    let mut full_page = None;
    if args.all {
        let progress = Progress::new(true);
        let page_size = args.page_size.unwrap_or(tasklist_api::DEFAULT_PAGE_SIZE) as usize;
        let mut stream = search.stream();
        loop {
            let next = stream.try_next().await;
            progress.update(list.count(), list.count().div_ceil(page_size.max(1)));
            match next {
                Ok(Some(task)) => list.push(&TaskOut::listed(&task, args), human_row)?,
                Ok(None) => break,
                Err(e) => {
                    progress.finish();
                    return Err(ctx.api_error("cannot search tasks", e));
                }
            }
        }
        progress.finish();
    } else {
        let page = search
            .send()
            .await
            .map_err(|e| ctx.api_error("cannot search tasks", e))?;
        for task in &page {
            list.push(&TaskOut::listed(task, args), human_row)?;
        }
        let default_size = match api_of(&connection).await? {
            Api::V1 => tasklist_api::DEFAULT_PAGE_SIZE,
            _ => tasklist_api::v2::DEFAULT_PAGE_LIMIT,
        };
        let page_size = args.page_size.unwrap_or(default_size);
        if u32::try_from(page.len()).is_ok_and(|n| n >= page_size) {
            full_page = Some(page.len());
        }
    }
    list.finish("No tasks found.")?;
    full_page_note(ctx, full_page);
    Ok(())
}

/// Says that a full page may not be all.
fn full_page_note(ctx: &Context, full_page: Option<usize>) {
    if let Some(count) = full_page
        && ctx.out.format() == Format::Table
    {
        crate::output::note(&format!(
            "{count} tasks shown, a full page: there may be more (--all fetches every page)"
        ));
    }
}

/// `tasks search` with flags only API v1 has: its own search.
async fn search_v1(ctx: &Context, search: SearchTasks, args: &SearchArgs) -> Result<(), CliError> {
    let mut list = ctx.out.list(task_columns(args));
    let mut full_page = None;
    if args.all {
        let progress = Progress::new(true);
        let mut stream = match args.max_pages {
            Some(0) => search.into_stream().unbounded_pages(),
            Some(max) => search.into_stream().max_pages(max),
            None => search.into_stream(),
        };
        loop {
            let next = stream.try_next().await;
            progress.update(list.count(), stream.pages_fetched());
            match next {
                Ok(Some(task)) => {
                    list.push(&TaskOut::listed(&human::Task::from(task), args), human_row)?
                }
                Ok(None) => break,
                Err(e) => {
                    progress.finish();
                    return Err(ctx.api_error("cannot search tasks", e));
                }
            }
        }
        progress.finish();
    } else {
        let page_size = args.page_size.unwrap_or(tasklist_api::DEFAULT_PAGE_SIZE);
        let page = search
            .await
            .map_err(|e| ctx.api_error("cannot search tasks", e))?;
        let found = page.len();
        for task in page {
            list.push(&TaskOut::listed(&human::Task::from(task), args), human_row)?;
        }
        if u32::try_from(found).is_ok_and(|n| n >= page_size) {
            full_page = Some(found);
        }
    }
    list.finish("No tasks found.")?;
    full_page_note(ctx, full_page);
    Ok(())
}

/// `tasks get`
pub(crate) async fn get(ctx: &Context, id: &str) -> Result<(), CliError> {
    let connection = ctx.connect(Purpose::Call)?;
    show(ctx, &connection, id).await
}

/// Reads a task and prints it: `tasks get`.
async fn show(ctx: &Context, connection: &Connection, id: &str) -> Result<(), CliError> {
    let task = connection
        .client
        .human_tasks()
        .get(id)
        .await
        .map_err(|e| ctx.api_error(format_args!("cannot get task {id}"), e))?;
    ctx.out.record(&TaskOut::one(&task))
}

/// What a change prints: the task after it when `--wait` was given (v1 answers it at once;
/// v2 reads it until it shows the change), otherwise the change itself. The same on both
/// APIs, since v2 answers a change with no task, and one request without `--wait`.
#[derive(Serialize)]
struct Changed<'a> {
    id: &'a str,
    change: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    assignee: Option<&'a str>,
}

/// Prints what a change did (see [`Changed`]).
fn print_change(
    ctx: &Context,
    wait: WaitArg,
    task: Option<&human::Task>,
    change: Changed<'_>,
) -> Result<(), CliError> {
    if let (Some(_), Some(task)) = (wait.timeout(), task) {
        return ctx.out.record(&TaskOut::one(task));
    }
    if ctx.out.format() != Format::Table {
        return ctx.out.record(&change);
    }
    let to = change
        .assignee
        .map(|a| format!(" to {a}"))
        .unwrap_or_default();
    ctx.out
        .text(&format!("Task {} {}{to}.", change.id, change.change))
}

/// An assignment's failure, with the flag that fixes it when the server's words name one.
fn assign_error(ctx: &Context, id: &str, error: tasklist_api::Error) -> CliError {
    let said = error.to_string();
    let hint = if said.contains("Assignee must be specified") {
        Some("name the assignee: add --assignee NAME")
    } else if said.contains("already assigned") || said.contains("already been assigned") {
        Some(
            "add --allow-override to take it over (an API client may; a user may not), or \
             `tasklist tasks unassign` it first",
        )
    } else {
        None
    };
    let failed = ctx.api_error(format_args!("cannot assign task {id}"), error);
    match hint {
        Some(hint) => failed.hint(hint),
        None => failed,
    }
}

/// `tasks assign`
pub(crate) async fn assign(
    ctx: &Context,
    id: &str,
    assignee: Option<String>,
    allow_override: bool,
    wait: WaitArg,
) -> Result<(), CliError> {
    let connection = ctx.connect(Purpose::Call)?;
    let task = if api_of(&connection).await? == Api::V1 {
        // v1 assigns to the caller when no assignee is named (a user's session may only
        // assign to itself), so the typed call is used here.
        let mut call = connection.client.tasks().assign(id);
        if let Some(assignee) = assignee {
            call = call.assignee(assignee);
        }
        // Sent either way: Tasklist's own default (no value) lets API clients reassign.
        call = call.allow_override(allow_override);
        let assigned = call.await.map_err(|e| assign_error(ctx, id, e))?;
        human::Task::from(assigned)
    } else {
        let user = ctx.settings.username.as_ref().map(|u| u.value.clone());
        let Some(assignee) = assignee.or(user) else {
            return Err(CliError::usage(
                "API v2 assigns a task to a named user: --assignee is needed with these \
                 credentials",
            )
            .hint("add --assignee NAME"));
        };
        let mut call = connection
            .client
            .human_tasks()
            .assign(id, assignee.clone())
            .allow_override(allow_override);
        if let Some(timeout) = wait.timeout() {
            call = call.wait(timeout);
        }
        let task = call.send().await.map_err(|e| assign_error(ctx, id, e))?;
        let change = Changed {
            id,
            change: "assigned",
            assignee: Some(&assignee),
        };
        return print_change(ctx, wait, task.as_ref(), change);
    };
    let change = Changed {
        id,
        change: "assigned",
        assignee: task.assignee(),
    };
    print_change(ctx, wait, Some(&task), change)
}

/// `tasks unassign`
pub(crate) async fn unassign(ctx: &Context, id: &str, wait: WaitArg) -> Result<(), CliError> {
    let connection = ctx.connect(Purpose::Call)?;
    let mut call = connection.client.human_tasks().unassign(id);
    if let Some(timeout) = wait.timeout() {
        call = call.wait(timeout);
    }
    let task = call
        .send()
        .await
        .map_err(|e| ctx.api_error(format_args!("cannot unassign task {id}"), e))?;
    let change = Changed {
        id,
        change: "unassigned",
        assignee: None,
    };
    print_change(ctx, wait, task.as_ref(), change)
}

/// `tasks complete`
pub(crate) async fn complete(
    ctx: &Context,
    id: &str,
    args: &VarArgs,
    wait: WaitArg,
) -> Result<(), CliError> {
    let variables = vars::parse(args)?;
    let connection = ctx.connect(Purpose::Call)?;
    let mut call = connection.client.human_tasks().complete(id);
    if !variables.is_empty() {
        call = call.variables(variables);
    }
    if let Some(timeout) = wait.timeout() {
        call = call.wait(timeout);
    }
    let task = call
        .send()
        .await
        .map_err(|e| ctx.api_error(format_args!("cannot complete task {id}"), e))?;
    let change = Changed {
        id,
        change: "completed",
        assignee: None,
    };
    print_change(ctx, wait, task.as_ref(), change)
}

/// `tasks update`
pub(crate) async fn update(ctx: &Context, args: &UpdateArgs) -> Result<(), CliError> {
    let id = args.id.as_str();
    let due = date("--due-date", &args.due_date)?;
    let follow_up = date("--follow-up-date", &args.follow_up_date)?;
    if due.is_none()
        && follow_up.is_none()
        && args.candidate_groups.is_none()
        && args.candidate_users.is_none()
        && args.priority.is_none()
    {
        return Err(CliError::usage("tasks update: nothing to change").hint(
            "give --due-date, --follow-up-date, --candidate-groups, --candidate-users or \
             --priority",
        ));
    }
    check_priority("--priority", args.priority)?;
    let connection = ctx.connect(Purpose::Call)?;
    let mut call = connection.client.human_tasks().update(id);
    if let Some(due) = &due {
        call = call.due_date(due.clone());
    }
    if let Some(follow_up) = &follow_up {
        call = call.follow_up_date(follow_up.clone());
    }
    if let Some(groups) = &args.candidate_groups {
        call = call.candidate_groups(groups.clone());
    }
    if let Some(users) = &args.candidate_users {
        call = call.candidate_users(users.clone());
    }
    if let Some(priority) = args.priority {
        call = call.priority(priority);
    }
    if let Some(timeout) = args.wait.timeout() {
        call = call.wait(timeout);
    }
    let task = call
        .send()
        .await
        .map_err(|e| ctx.api_error(format_args!("cannot update task {id}"), e))?;
    let change = Changed {
        id,
        change: "updated",
        assignee: None,
    };
    print_change(ctx, args.wait, task.as_ref(), change)
}

/// The table columns of a task's history.
const HISTORY_COLUMNS: &[&str] = &["TIME", "OPERATION", "ACTOR", "RESULT"];

/// `tasks history`
pub(crate) async fn history(ctx: &Context, id: &str) -> Result<(), CliError> {
    let connection = ctx.connect(Purpose::Call)?;
    // The client may be pinned from the cache, which knows the server's version: 8.8 has no
    // audit log.
    let chosen = connection.api().await?.detected;
    if chosen
        .gateway_version
        .as_deref()
        .is_some_and(|v| v.starts_with("8.8."))
    {
        return Err(unsupported(
            "task history (the audit log)",
            chosen.api,
            "it needs API v2 on Camunda 8.9 or later",
        ));
    }
    let entries = connection
        .client
        .human_tasks()
        .history(id)
        .await
        .map_err(|e| ctx.api_error(format_args!("cannot read the history of task {id}"), e))?;
    let mut list = ctx.out.list(HISTORY_COLUMNS);
    for entry in &entries {
        list.push(entry, |_, entry| {
            let json = serde_json::to_value(entry).unwrap_or(Value::Null);
            let field = |name: &str| cell(&json.get(name).map(cell_text).unwrap_or_default());
            vec![
                field("timestamp"),
                field("operationType"),
                field("actorId"),
                field("result"),
            ]
        })?;
    }
    list.finish("No history.")
}

/// What `tasks form` prints as JSON.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FormOut<'a> {
    task_id: &'a str,
    id: Option<&'a str>,
    version: Option<i64>,
    schema: Option<&'a str>,
}

/// `tasks form`: the schema on a terminal, the whole form as JSON.
pub(crate) async fn form(ctx: &Context, id: &str) -> Result<(), CliError> {
    let connection = ctx.connect(Purpose::Call)?;
    let found = connection
        .client
        .human_tasks()
        .form(id)
        .await
        .map_err(|e| ctx.api_error(format_args!("cannot get the form of task {id}"), e))?;
    let Some(form) = found else {
        return Err(
            CliError::new(Exit::NotFound, format!("task {id} has no form")).hint(
                "a task without a linked form is filled in with variables (`tasks complete --var`)",
            ),
        );
    };
    if ctx.out.format() != Format::Table {
        return ctx.out.record(&FormOut {
            task_id: id,
            id: form.id.as_deref(),
            version: form.version,
            schema: form.schema.as_deref(),
        });
    }
    let schema = form.schema.as_deref().unwrap_or("");
    match serde_json::from_str::<Value>(schema) {
        Ok(parsed) => ctx.out.json(&parsed),
        Err(_) => ctx.out.text(schema),
    }
}

/// What `tasks save-draft` reports.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DraftSaved<'a> {
    task_id: &'a str,
    variables: Vec<&'a str>,
}

/// `tasks save-draft`
pub(crate) async fn save_draft(ctx: &Context, id: &str, args: &VarArgs) -> Result<(), CliError> {
    let variables = vars::parse(args)?;
    let names: Vec<String> = variables.iter().map(|(name, _)| name.to_owned()).collect();
    let connection = ctx.connect(Purpose::Call)?;
    connection
        .client
        .human_tasks()
        .save_draft_variables(id, variables)
        .await
        .map_err(|e| ctx.api_error(format_args!("cannot save the draft of task {id}"), e))?;
    if ctx.out.format() == crate::cli::Format::Table {
        return ctx.out.text(&format!(
            "Saved {} draft variable{} of task {id}{}{}",
            names.len(),
            if names.len() == 1 { "" } else { "s" },
            if names.is_empty() { "" } else { ": " },
            names.join(", ")
        ));
    }
    ctx.out.record(&DraftSaved {
        task_id: id,
        variables: names.iter().map(String::as_str).collect(),
    })
}

/// `tasks variables`
pub(crate) async fn variables(
    ctx: &Context,
    id: &str,
    names: Vec<String>,
    full: bool,
) -> Result<(), CliError> {
    let connection = ctx.connect(Purpose::Call)?;
    let client = &connection.client;
    if api_of(&connection).await? != Api::V1 {
        // Whole values always (what --full asks of v1); v2 has no drafts.
        let found = client.human_tasks().variables(id).await.map_err(|e| {
            ctx.api_error(format_args!("cannot search the variables of task {id}"), e)
        })?;
        let mut list = ctx.out.list(VARIABLE_COLUMNS);
        for variable in found
            .iter()
            .filter(|v| names.is_empty() || names.contains(&v.name))
        {
            list.push(&VariableOut::whole(variable), |_, v| {
                vec![
                    cell(v.name),
                    cell(&shorten(v.value.unwrap_or_default(), 60)),
                    cell(""),
                    text(v.id),
                ]
            })?;
        }
        return list.finish("No variables.");
    }
    let mut search = client.tasks().variables(id).search();
    if !names.is_empty() {
        search = search.names(names);
    }
    let mut found = search
        .await
        .map_err(|e| ctx.api_error(format_args!("cannot search the variables of task {id}"), e))?;
    if full {
        for variable in &mut found {
            if !variable.value_state().is_truncated() {
                continue;
            }
            let name = variable.name.clone().unwrap_or_default();
            let whole = client.variables().full_value(variable).await.map_err(|e| {
                ctx.api_error(
                    format_args!("cannot get the full value of variable `{name}`"),
                    e,
                )
            })?;
            variable.value = whole.value;
            variable.is_value_truncated = Some(false);
        }
    }
    let mut list = ctx.out.list(VARIABLE_COLUMNS);
    for variable in &found {
        list.push(&VariableOut::v1(variable), |out, _| {
            variable_row(out, variable)
        })?;
    }
    list.finish("No variables.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_fields_and_orders() {
        assert!(matches!(
            sort("priority:desc"),
            Ok((TaskSortField::Priority, SortOrder::Desc))
        ));
        assert!(matches!(
            sort("creationTime"),
            Ok((TaskSortField::CreationTime, SortOrder::Asc))
        ));
        assert!(sort("name").is_err());
        assert!(sort("priority:sideways").is_err());
    }

    #[test]
    fn every_sort_field_means_the_same_on_both_searches() {
        for (text, v1, common) in [
            (
                "created",
                TaskSortField::CreationTime,
                SortField::CreationDate,
            ),
            (
                "completed",
                TaskSortField::CompletionTime,
                SortField::CompletionDate,
            ),
            (
                "followUpDate",
                TaskSortField::FollowUpDate,
                SortField::FollowUpDate,
            ),
            ("due", TaskSortField::DueDate, SortField::DueDate),
            ("priority", TaskSortField::Priority, SortField::Priority),
        ] {
            let (key, descending) = sort_key(text).unwrap();
            assert_eq!((key.v1(), key.common()), (v1, common), "{text}");
            assert!(!descending, "{text}");
        }
        assert!(sort_key("due:DESC").unwrap().1);
    }

    #[test]
    fn dates_are_checked() {
        assert!(date("--due-date-from", &Some("2025-01-31T00:00:00Z".into())).is_ok());
        let err = date("--due-date-from", &Some("tomorrow".into())).unwrap_err();
        assert!(err.line().contains("--due-date-from tomorrow"));
    }
}
