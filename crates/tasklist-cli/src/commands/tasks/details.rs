//! A task's details: `get`, `history`, `form`, `variables`, and `save-draft` of its draft
//! variables.

use comfy_table::Cell;
use serde::Serialize;
use serde_json::Value;
use tasklist_api::models::TaskVariable;
use tasklist_api::{Api, ValueState};

use super::common::{api_of, text, unsupported};
use super::out::{TaskOut, VariableOut};
use crate::cli::{Format, VarArgs};
use crate::commands::context::Context;
use crate::connect::{Connection, Purpose};
use crate::error::CliError;
use crate::exit::Exit;
use crate::output::{Output, cell, cell_text, shorten};
use crate::vars;

/// The table columns of a variable list.
const VARIABLE_COLUMNS: &[&str] = &["NAME", "VALUE", "DRAFT", "ID"];

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
