//! The commands that change a task: `assign`, `unassign`, `complete`, `update`.

use serde::Serialize;
use tasklist_api::Api;
use tasklist_api::human;

use super::common::{api_of, check_priority, date};
use super::out::TaskOut;
use crate::cli::{Format, UpdateArgs, VarArgs, WaitArg};
use crate::commands::context::Context;
use crate::connect::Purpose;
use crate::error::CliError;
use crate::vars;

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
