//! `tasklist tasks …`

use comfy_table::Cell;
use futures::TryStreamExt as _;
use serde::Serialize;
use tasklist_api::models::{
    Implementation, SortOrder, Task, TaskSearchResult, TaskSortField, TaskState, TaskVariable,
    Timestamp,
};
use tasklist_api::{Client, Cursor, SearchTasks, ValueState};

use super::Context;
use crate::cli::{ImplementationArg, SearchArgs, StateArg, VarArgs};
use crate::connect::Purpose;
use crate::error::CliError;
use crate::output::{Output, Progress, cell, shorten};
use crate::vars;

/// The table columns of a task list.
const TASK_COLUMNS: &[&str] = &[
    "ID", "NAME", "PROCESS", "STATE", "ASSIGNEE", "PRIORITY", "CREATED", "DUE",
];

/// The table columns of a variable list.
const VARIABLE_COLUMNS: &[&str] = &["NAME", "VALUE", "DRAFT", "ID"];

fn text(value: Option<&str>) -> Cell {
    cell(value.unwrap_or(""))
}

fn task_row(out: &Output, task: &TaskSearchResult) -> Vec<Cell> {
    vec![
        text(task.id.as_ref().map(|id| id.as_str())),
        text(task.name.as_deref()),
        text(task.process_name.as_deref()),
        out.state_cell(task.task_state.as_ref().map_or("", TaskState::as_str)),
        text(task.assignee.as_deref()),
        cell(&task.priority.map(|p| p.to_string()).unwrap_or_default()),
        text(task.creation_date.as_ref().map(Timestamp::as_str)),
        text(task.due_date.as_ref().map(Timestamp::as_str)),
    ]
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

/// Parses `--sort FIELD[:asc|desc]`.
fn sort(text: &str) -> Result<(TaskSortField, SortOrder), CliError> {
    let (field, order) = text.split_once(':').unwrap_or((text, "asc"));
    let field = match field.trim() {
        "creationTime" | "creation-time" | "created" => TaskSortField::CreationTime,
        "completionTime" | "completion-time" | "completed" => TaskSortField::CompletionTime,
        "followUpDate" | "follow-up-date" => TaskSortField::FollowUpDate,
        "dueDate" | "due-date" | "due" => TaskSortField::DueDate,
        "priority" => TaskSortField::Priority,
        other => {
            return Err(
                CliError::usage(format!("--sort {text}: unknown field `{other}`")).hint(
                    "sort by creationTime, completionTime, followUpDate, dueDate or priority",
                ),
            );
        }
    };
    let order = match order.trim().to_ascii_lowercase().as_str() {
        "asc" => SortOrder::Asc,
        "desc" => SortOrder::Desc,
        other => {
            return Err(
                CliError::usage(format!("--sort {text}: unknown order `{other}`"))
                    .hint("write FIELD:asc or FIELD:desc"),
            );
        }
    };
    Ok((field, order))
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
    if let Some(key) = &args.process_definition_key {
        search = search.process_definition_key(key.as_str());
    }
    if let Some(key) = &args.process_instance_key {
        search = search.process_instance_key(key.as_str());
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

/// `tasks search`
pub(crate) async fn search(ctx: &Context, args: &SearchArgs) -> Result<(), CliError> {
    let connection = ctx.connect(Purpose::Call)?;
    let search = build_search(&connection.client, args)?;
    let mut list = ctx.out.list(TASK_COLUMNS);
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
                Ok(Some(task)) => list.push(&task, task_row)?,
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
        for task in &page {
            list.push(task, task_row)?;
        }
        if u32::try_from(page.len()).is_ok_and(|n| n >= page_size) {
            full_page = Some(page.len());
        }
    }
    list.finish("No tasks found.")?;
    if let Some(count) = full_page
        && ctx.out.format() == crate::cli::Format::Table
    {
        crate::output::note(&format!(
            "{count} tasks shown, a full page: there may be more (--all fetches every page)"
        ));
    }
    Ok(())
}

/// Writes a task.
fn task(ctx: &Context, task: &Task) -> Result<(), CliError> {
    ctx.out.record(task)
}

/// `tasks get`
pub(crate) async fn get(ctx: &Context, id: &str) -> Result<(), CliError> {
    let connection = ctx.connect(Purpose::Call)?;
    let found = connection
        .client
        .tasks()
        .get(id)
        .await
        .map_err(|e| ctx.api_error(format_args!("cannot get task {id}"), e))?;
    task(ctx, &found)
}

/// `tasks assign`
pub(crate) async fn assign(
    ctx: &Context,
    id: &str,
    assignee: Option<String>,
    allow_override: bool,
) -> Result<(), CliError> {
    let connection = ctx.connect(Purpose::Call)?;
    let mut call = connection.client.tasks().assign(id);
    if let Some(assignee) = assignee {
        call = call.assignee(assignee);
    }
    // Sent either way: Tasklist's own default (no value) lets API clients reassign.
    call = call.allow_override(allow_override);
    let assigned = call
        .await
        .map_err(|e| ctx.api_error(format_args!("cannot assign task {id}"), e))?;
    task(ctx, &assigned)
}

/// `tasks unassign`
pub(crate) async fn unassign(ctx: &Context, id: &str) -> Result<(), CliError> {
    let connection = ctx.connect(Purpose::Call)?;
    let unassigned = connection
        .client
        .tasks()
        .unassign(id)
        .await
        .map_err(|e| ctx.api_error(format_args!("cannot unassign task {id}"), e))?;
    task(ctx, &unassigned)
}

/// `tasks complete`
pub(crate) async fn complete(ctx: &Context, id: &str, args: &VarArgs) -> Result<(), CliError> {
    let variables = vars::parse(args)?;
    let connection = ctx.connect(Purpose::Call)?;
    let mut call = connection.client.tasks().complete(id);
    if !variables.is_empty() {
        call = call.variables(variables);
    }
    let completed = call
        .await
        .map_err(|e| ctx.api_error(format_args!("cannot complete task {id}"), e))?;
    task(ctx, &completed)
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
        .tasks()
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
        list.push(variable, variable_row)?;
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
    fn dates_are_checked() {
        assert!(date("--due-date-from", &Some("2025-01-31T00:00:00Z".into())).is_ok());
        let err = date("--due-date-from", &Some("tomorrow".into())).unwrap_err();
        assert!(err.line().contains("--due-date-from tomorrow"));
    }
}
