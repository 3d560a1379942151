//! The body of `POST /v1/tasks/search` ([`SearchQuery`]) as Jackson reads it, its request-level
//! checks, its sort, and its filters (`TaskStoreElasticSearch.buildQuery`).

use jiff::Timestamp;
use serde::Deserialize;
use serde::de::{self, Deserializer};

use super::model::{
    DEFAULT_PAGE_SIZE, TaskImplementation, TaskRecord, TaskState, parse_date, preview,
};
use super::paging::{CursorKind, DateField, SortKey, SortSpec};
use crate::errors::ApiFailure;

/// The body of `POST /v1/tasks/search` (Tasklist's `TaskSearchRequest`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SearchQuery {
    pub(crate) state: Option<TaskState>,
    #[serde(default, deserialize_with = "crate::jackson::de_boolean")]
    pub(crate) assigned: Option<bool>,
    #[serde(default, deserialize_with = "crate::jackson::de_string")]
    pub(crate) assignee: Option<String>,
    #[serde(default, deserialize_with = "crate::jackson::de_strings")]
    pub(crate) assignees: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::jackson::de_string")]
    pub(crate) task_definition_id: Option<String>,
    #[serde(default, deserialize_with = "crate::jackson::de_string")]
    pub(crate) candidate_group: Option<String>,
    #[serde(default, deserialize_with = "crate::jackson::de_strings")]
    pub(crate) candidate_groups: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::jackson::de_string")]
    pub(crate) candidate_user: Option<String>,
    #[serde(default, deserialize_with = "crate::jackson::de_strings")]
    pub(crate) candidate_users: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::jackson::de_string")]
    pub(crate) process_definition_key: Option<String>,
    #[serde(default, deserialize_with = "crate::jackson::de_string")]
    pub(crate) process_instance_key: Option<String>,
    /// A Java `int` defaulting to 50: JSON `null` becomes 0 (Jackson's coercion for primitives).
    #[serde(default = "default_page_size", deserialize_with = "de_page_size")]
    pub(crate) page_size: i64,
    pub(crate) follow_up_date: Option<DateRange>,
    pub(crate) due_date: Option<DateRange>,
    pub(crate) task_variables: Option<Vec<VariableClause>>,
    #[serde(default, deserialize_with = "crate::jackson::de_strings")]
    pub(crate) tenant_ids: Option<Vec<String>>,
    pub(crate) sort: Option<Vec<OrderBy>>,
    #[serde(default, deserialize_with = "de_cursor")]
    pub(crate) search_after: Option<Vec<String>>,
    #[serde(default, deserialize_with = "de_cursor")]
    pub(crate) search_after_or_equal: Option<Vec<String>>,
    #[serde(default, deserialize_with = "de_cursor")]
    pub(crate) search_before: Option<Vec<String>>,
    #[serde(default, deserialize_with = "de_cursor")]
    pub(crate) search_before_or_equal: Option<Vec<String>>,
    pub(crate) include_variables: Option<Vec<IncludeVariable>>,
    pub(crate) implementation: Option<TaskImplementation>,
    pub(crate) priority: Option<PriorityFilter>,
}

impl Default for SearchQuery {
    fn default() -> Self {
        SearchQuery {
            state: None,
            assigned: None,
            assignee: None,
            assignees: None,
            task_definition_id: None,
            candidate_group: None,
            candidate_groups: None,
            candidate_user: None,
            candidate_users: None,
            process_definition_key: None,
            process_instance_key: None,
            page_size: DEFAULT_PAGE_SIZE,
            follow_up_date: None,
            due_date: None,
            task_variables: None,
            tenant_ids: None,
            sort: None,
            search_after: None,
            search_after_or_equal: None,
            search_before: None,
            search_before_or_equal: None,
            include_variables: None,
            implementation: None,
            priority: None,
        }
    }
}

fn default_page_size() -> i64 {
    DEFAULT_PAGE_SIZE
}

/// `pageSize` as Jackson reads a Java `int`: numbers (fractions cut off), numeric strings, and
/// `null` as 0.
fn de_page_size<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    match &value {
        serde_json::Value::Null => Ok(0),
        serde_json::Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .ok_or_else(|| de::Error::custom(format!("Numeric value ({n}) out of range of int"))),
        serde_json::Value::String(s) => s.trim().parse::<i64>().map_err(|_| {
            de::Error::custom(format!(
                "Cannot deserialize value of type `int` from String \"{s}\": not a valid `int` value"
            ))
        }),
        other => Err(de::Error::custom(format!(
            "Cannot deserialize value of type `int` from {}",
            json_kind(other)
        ))),
    }
}

/// A cursor array as Jackson reads a `String[]`: strings, with numbers and booleans coerced to
/// their exact text.
fn de_cursor<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<String>>, D::Error> {
    crate::jackson::de_strings(deserializer)
}

/// The kind of a JSON value as Jackson names it in its messages.
fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "Null value",
        serde_json::Value::Bool(_) => "Boolean value",
        serde_json::Value::Number(_) => "Number value",
        serde_json::Value::String(_) => "String value",
        serde_json::Value::Array(_) => "Array value (token `JsonToken.START_ARRAY`)",
        serde_json::Value::Object(_) => "Object value (token `JsonToken.START_OBJECT`)",
    }
}

/// A date range filter (`DateFilter`): `from` inclusive, `to` inclusive.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct DateRange {
    #[serde(default, deserialize_with = "de_date")]
    pub(crate) from: Option<Timestamp>,
    #[serde(default, deserialize_with = "de_date")]
    pub(crate) to: Option<Timestamp>,
}

fn de_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Timestamp>, D::Error> {
    let text = Option::<String>::deserialize(deserializer)?;
    text.map(|t| {
        parse_date(&t).ok_or_else(|| {
            de::Error::custom(format!(
                "Cannot deserialize value of type `java.time.OffsetDateTime` from String \"{t}\""
            ))
        })
    })
    .transpose()
}

/// A `taskVariables` clause (`TaskByVariables`): the variable `name` has the JSON text `value`.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct VariableClause {
    #[serde(default, deserialize_with = "crate::jackson::de_string")]
    pub(crate) name: Option<String>,
    #[serde(default, deserialize_with = "crate::jackson::de_string")]
    pub(crate) value: Option<String>,
    /// Only `eq` exists.
    #[allow(dead_code)]
    pub(crate) operator: Option<String>,
}

/// One `sort` entry (`TaskOrderBy`).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct OrderBy {
    pub(crate) field: Option<SortField>,
    pub(crate) order: Option<SortOrder>,
}

/// The sortable fields (`TaskSortFields`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum SortField {
    CompletionTime,
    CreationTime,
    FollowUpDate,
    DueDate,
    Priority,
}

/// `ASC` or `DESC` (`Sort`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub(crate) enum SortOrder {
    #[serde(rename = "ASC")]
    Asc,
    #[serde(rename = "DESC")]
    Desc,
}

/// An `includeVariables` entry (`IncludeVariable`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct IncludeVariable {
    #[serde(default, deserialize_with = "crate::jackson::de_string")]
    pub(crate) name: Option<String>,
    /// A Java `boolean`: `null` reads as false.
    #[serde(default, deserialize_with = "de_bool_or_null")]
    pub(crate) always_return_full_value: bool,
}

fn de_bool_or_null<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Ok(crate::jackson::de_boolean(deserializer)?.unwrap_or(false))
}

/// The `priority` filter (`RangeValueFilter`): `eq` wins over the range bounds.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct PriorityFilter {
    pub(crate) eq: Option<i64>,
    pub(crate) gte: Option<i64>,
    pub(crate) gt: Option<i64>,
    pub(crate) lt: Option<i64>,
    pub(crate) lte: Option<i64>,
}

/// The message for a request with more than one cursor (`TaskService.getTasks`).
pub(crate) const ONLY_ONE_CURSOR: &str = "Only one of [searchAfter, searchAfterOrEqual, searchBefore, searchBeforeOrEqual] must be present in request.";

/// The message for a page size of zero or less (`TaskService.getTasks`).
pub(crate) const PAGE_SIZE_POSITIVE: &str = "Page size should be a positive number";

impl SearchQuery {
    /// The request-level checks of `TaskService.getTasks`: at most one cursor, a positive page
    /// size.
    pub(crate) fn validate(&self) -> Result<(), ApiFailure> {
        let cursors = [
            &self.search_after,
            &self.search_after_or_equal,
            &self.search_before,
            &self.search_before_or_equal,
        ]
        .iter()
        .filter(|c| c.is_some())
        .count();
        if cursors > 1 {
            return Err(ApiFailure::bad_request(ONLY_ONE_CURSOR));
        }
        if self.page_size <= 0 {
            return Err(ApiFailure::bad_request(PAGE_SIZE_POSITIVE));
        }
        Ok(())
    }

    /// The cursor, if any (call after [`validate`](Self::validate)).
    pub(crate) fn cursor(&self) -> Option<(CursorKind, &[String])> {
        if let Some(c) = &self.search_after {
            Some((CursorKind::After, c))
        } else if let Some(c) = &self.search_after_or_equal {
            Some((CursorKind::AfterOrEqual, c))
        } else if let Some(c) = &self.search_before {
            Some((CursorKind::Before, c))
        } else {
            self.search_before_or_equal
                .as_deref()
                .map(|c| (CursorKind::BeforeOrEqual, c))
        }
    }

    /// The sort of `TaskStoreElasticSearch.applySorting`, in the normal (not reversed) direction:
    /// the requested fields (dates through a script that sorts their epoch milliseconds as
    /// strings with nulls last, priority as a number with null as 50), or by default the date
    /// field of the requested state (`creationTime`; `completionTime` for `COMPLETED` and
    /// `CANCELED`) descending with missing values last; then the task key ascending.
    pub(crate) fn sort_specs(&self) -> Result<Vec<SortSpec>, ApiFailure> {
        let mut specs = Vec::new();
        match &self.sort {
            Some(order_by) => {
                for entry in order_by {
                    // A missing field or order is a NullPointerException in the real server.
                    let (Some(field), Some(order)) = (entry.field, entry.order) else {
                        return Err(ApiFailure::unexpected());
                    };
                    let desc = order == SortOrder::Desc;
                    let key = match field {
                        SortField::CreationTime => SortKey::ScriptDate(DateField::Creation, desc),
                        SortField::CompletionTime => {
                            SortKey::ScriptDate(DateField::Completion, desc)
                        }
                        SortField::FollowUpDate => SortKey::ScriptDate(DateField::FollowUp, desc),
                        SortField::DueDate => SortKey::ScriptDate(DateField::Due, desc),
                        SortField::Priority => SortKey::Priority,
                    };
                    specs.push(SortSpec { key, desc });
                }
            }
            None => {
                let field = match self.state {
                    Some(TaskState::Completed | TaskState::Canceled) => DateField::Completion,
                    _ => DateField::Creation,
                };
                specs.push(SortSpec {
                    key: SortKey::FieldDate(field),
                    desc: true,
                });
            }
        }
        specs.push(SortSpec {
            key: SortKey::Key,
            desc: false,
        });
        Ok(specs)
    }

    /// Whether a task passes every filter of the request (`TaskStoreElasticSearch.buildQuery`).
    /// Without a `state` filter, `CANCELED` tasks are left out.
    pub(crate) fn matches(&self, record: &TaskRecord, threshold: usize) -> bool {
        let task = &record.task;
        let state_ok = match self.state {
            Some(state) => task.state == state,
            None => task.state != TaskState::Canceled,
        };
        if !state_ok {
            return false;
        }
        if let Some(assigned) = self.assigned
            && assigned != task.assignee.is_some()
        {
            return false;
        }
        if let Some(assignee) = &self.assignee
            && task.assignee.as_ref() != Some(assignee)
        {
            return false;
        }
        if let Some(assignees) = &self.assignees
            && !task
                .assignee
                .as_ref()
                .is_some_and(|a| assignees.contains(a))
        {
            return false;
        }
        if let Some(id) = &self.task_definition_id
            && &task.task_definition_id != id
        {
            return false;
        }
        if let Some(group) = &self.candidate_group
            && !contains(&task.candidate_groups, group)
        {
            return false;
        }
        if let Some(groups) = &self.candidate_groups
            && !groups.iter().any(|g| contains(&task.candidate_groups, g))
        {
            return false;
        }
        if let Some(user) = &self.candidate_user
            && !contains(&task.candidate_users, user)
        {
            return false;
        }
        if let Some(users) = &self.candidate_users
            && !users.iter().any(|u| contains(&task.candidate_users, u))
        {
            return false;
        }
        if let Some(key) = &self.process_instance_key
            && &task.process_instance_key != key
        {
            return false;
        }
        if let Some(key) = &self.process_definition_key
            && &task.process_definition_key != key
        {
            return false;
        }
        if let Some(range) = &self.follow_up_date
            && !in_range(task.follow_up_date, range)
        {
            return false;
        }
        if let Some(range) = &self.due_date
            && !in_range(task.due_date, range)
        {
            return false;
        }
        if let Some(implementation) = self.implementation
            && task.implementation != implementation
        {
            return false;
        }
        if let Some(filter) = &self.priority
            && !priority_matches(task.priority, filter)
        {
            return false;
        }
        if let Some(tenants) = &self.tenant_ids
            && !task.tenant_id.as_ref().is_some_and(|t| tenants.contains(t))
        {
            return false;
        }
        if let Some(clauses) = &self.task_variables
            && !clauses.is_empty()
        {
            // Only CREATED (process variables) and COMPLETED (snapshot) tasks can match; the
            // comparison is with the stored, possibly truncated, value.
            if !matches!(task.state, TaskState::Created | TaskState::Completed) {
                return false;
            }
            let visible = record.visible_variables();
            let all = clauses.iter().all(|clause| {
                let (Some(name), Some(value)) = (&clause.name, &clause.value) else {
                    return false;
                };
                visible
                    .iter()
                    .any(|v| &v.name == name && preview(&v.value, threshold).0 == value)
            });
            if !all {
                return false;
            }
        }
        true
    }
}

fn contains(list: &Option<Vec<String>>, item: &str) -> bool {
    list.as_ref().is_some_and(|l| l.iter().any(|x| x == item))
}

fn in_range(value: Option<Timestamp>, range: &DateRange) -> bool {
    let Some(value) = value else {
        return false;
    };
    range.from.is_none_or(|from| value >= from) && range.to.is_none_or(|to| value <= to)
}

fn priority_matches(priority: Option<i32>, filter: &PriorityFilter) -> bool {
    let Some(priority) = priority.map(i64::from) else {
        return false;
    };
    if let Some(eq) = filter.eq {
        return priority == eq;
    }
    filter.gt.is_none_or(|b| priority > b)
        && filter.gte.is_none_or(|b| priority >= b)
        && filter.lt.is_none_or(|b| priority < b)
        && filter.lte.is_none_or(|b| priority <= b)
}
