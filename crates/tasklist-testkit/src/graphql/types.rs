//! The schema's scalars, enums and input objects, and how they map to the store's types and
//! the v1 search request.

use async_graphql::{
    Enum, InputObject, InputValueError, InputValueResult, Scalar, ScalarType, Value,
};
use jiff::Timestamp;

use crate::store::{
    DEFAULT_PAGE_SIZE, DateRange, OrderBy, SearchQuery, SortField, SortOrder, TaskState, parse_date,
};

/// A date and time: read as RFC 3339 (or the REST format with a `+hhmm` offset), written as
/// RFC 3339 with milliseconds in UTC.
pub(super) struct DateTime(pub(super) Timestamp);

#[Scalar(name = "DateTime")]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => parse_date(text)
                .map(DateTime)
                .ok_or_else(|| InputValueError::custom(format!("Cannot parse {text} as DateTime"))),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        let date = jiff::tz::Offset::UTC.to_datetime(self.0);
        Value::String(format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            date.year(),
            date.month(),
            date.day(),
            date.hour(),
            date.minute(),
            date.second(),
            date.subsec_nanosecond() / 1_000_000
        ))
    }
}

/// State of the task.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "TaskState")]
pub(super) enum GqlTaskState {
    /// Active.
    Created,
    /// Completed.
    Completed,
    /// Canceled.
    Canceled,
    /// Failed (Tasklist 8.5+; not in the published schema).
    Failed,
}

impl From<TaskState> for GqlTaskState {
    fn from(state: TaskState) -> Self {
        match state {
            TaskState::Created => GqlTaskState::Created,
            TaskState::Completed => GqlTaskState::Completed,
            TaskState::Canceled => GqlTaskState::Canceled,
            TaskState::Failed => GqlTaskState::Failed,
        }
    }
}

impl From<GqlTaskState> for TaskState {
    fn from(state: GqlTaskState) -> Self {
        match state {
            GqlTaskState::Created => TaskState::Created,
            GqlTaskState::Completed => TaskState::Completed,
            GqlTaskState::Canceled => TaskState::Canceled,
            GqlTaskState::Failed => TaskState::Failed,
        }
    }
}

/// The fields tasks can be sorted by.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "TaskSortFields", rename_items = "camelCase")]
pub(super) enum GqlSortField {
    /// When the task was created.
    CreationTime,
    /// When the task was completed.
    CompletionTime,
    /// The follow-up date.
    FollowUpDate,
    /// The due date.
    DueDate,
}

/// A sort direction.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "Sort")]
pub(super) enum GqlSort {
    /// Ascending.
    Asc,
    /// Descending.
    Desc,
}

/// A date range, both ends included.
#[derive(InputObject)]
#[graphql(name = "DateFilter")]
pub(super) struct DateFilter {
    from: DateTime,
    to: DateTime,
}

impl From<DateFilter> for DateRange {
    fn from(filter: DateFilter) -> Self {
        DateRange {
            from: Some(filter.from.0),
            to: Some(filter.to.0),
        }
    }
}

/// One sort entry.
#[derive(InputObject)]
#[graphql(name = "TaskOrderBy")]
pub(super) struct TaskOrderBy {
    field: GqlSortField,
    order: GqlSort,
}

/// Task query - query to get one page of tasks.
#[derive(InputObject)]
#[graphql(name = "TaskQuery")]
pub(super) struct TaskQuery {
    /// State of the tasks
    state: Option<GqlTaskState>,
    /// Are the tasks assigned?
    assigned: Option<bool>,
    /// Who is assigned to the tasks?
    assignee: Option<String>,
    /// given group is in candidate groups list
    candidate_group: Option<String>,
    /// given user is in candidate users list
    candidate_user: Option<String>,
    /// process definition id
    process_definition_id: Option<String>,
    /// process instance id
    process_instance_id: Option<String>,
    /// Size of tasks page (default: 50).
    page_size: Option<i32>,
    /// Task definition ID - what's the BPMN flow node?
    task_definition_id: Option<String>,
    /// `sortValues` of a task: the page after it, tasks with the same sort values included.
    search_after: Option<Vec<String>>,
    /// `sortValues` of a task: the page after it.
    search_after_or_equal: Option<Vec<String>>,
    /// `sortValues` of a task: the page before it, tasks with the same sort values included.
    search_before: Option<Vec<String>>,
    /// `sortValues` of a task: the page before it.
    search_before_or_equal: Option<Vec<String>>,
    /// Follow-up Date for Task
    follow_up_date: Option<DateFilter>,
    /// Due Date for Task
    due_date: Option<DateFilter>,
    /// order
    sort: Option<Vec<Option<TaskOrderBy>>>,
}

impl From<TaskQuery> for SearchQuery {
    /// `TaskQueryDTO.toTaskQuery`: the fields of the v1 search request that GraphQL has.
    fn from(query: TaskQuery) -> Self {
        SearchQuery {
            state: query.state.map(TaskState::from),
            assigned: query.assigned,
            assignee: query.assignee,
            task_definition_id: query.task_definition_id,
            candidate_group: query.candidate_group,
            candidate_user: query.candidate_user,
            process_definition_key: query.process_definition_id,
            process_instance_key: query.process_instance_id,
            page_size: query.page_size.map_or(DEFAULT_PAGE_SIZE, i64::from),
            follow_up_date: query.follow_up_date.map(DateRange::from),
            due_date: query.due_date.map(DateRange::from),
            sort: query.sort.map(|entries| {
                entries
                    .into_iter()
                    .map(|entry| match entry {
                        // A null entry fails in the sort as a missing field does.
                        None => OrderBy::default(),
                        Some(entry) => OrderBy {
                            field: Some(match entry.field {
                                GqlSortField::CreationTime => SortField::CreationTime,
                                GqlSortField::CompletionTime => SortField::CompletionTime,
                                GqlSortField::FollowUpDate => SortField::FollowUpDate,
                                GqlSortField::DueDate => SortField::DueDate,
                            }),
                            order: Some(match entry.order {
                                GqlSort::Asc => SortOrder::Asc,
                                GqlSort::Desc => SortOrder::Desc,
                            }),
                        },
                    })
                    .collect()
            }),
            search_after: query.search_after,
            search_after_or_equal: query.search_after_or_equal,
            search_before: query.search_before,
            search_before_or_equal: query.search_before_or_equal,
            ..SearchQuery::default()
        }
    }
}

/// Change or add a variable with name and value.
#[derive(InputObject)]
#[graphql(name = "VariableInput")]
pub(super) struct VariableInput {
    /// Name of the variable.
    pub(super) name: String,
    /// Value of the variable (JSON text).
    pub(super) value: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_rfc_3339_with_milliseconds() {
        let ts = Timestamp::from_millisecond(1_709_280_000_123).unwrap_or(Timestamp::UNIX_EPOCH);
        assert_eq!(
            DateTime(ts).to_value(),
            Value::String("2024-03-01T08:00:00.123Z".to_owned())
        );
        let parsed = <DateTime as ScalarType>::parse(Value::String(
            "2024-03-01T09:00:00.123+01:00".to_owned(),
        ));
        assert!(parsed.is_ok_and(|d| d.0 == ts));
        assert!(<DateTime as ScalarType>::parse(Value::Number(1.into())).is_err());
        assert!(<DateTime as ScalarType>::parse(Value::String("soon".to_owned())).is_err());
    }
}
