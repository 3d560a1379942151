//! `tasks search`: the flags in either API's terms, one page or every page.

use futures::TryStreamExt as _;
use tasklist_api::human::{self, SortField};
use tasklist_api::models::{Implementation, SortOrder, TaskSortField, TaskState};
use tasklist_api::{Api, Client, Cursor, SearchTasks};

use super::common::{api_of, check_priority, date, unsupported};
use super::out::{TaskOut, human_row};
use crate::cli::{Format, ImplementationArg, SearchArgs, StateArg};
use crate::commands::context::Context;
use crate::connect::Purpose;
use crate::error::CliError;
use crate::output::Progress;
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
}
