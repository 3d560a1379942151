//! How a v1 task search sorts and pages: the sort values of a task as Elasticsearch computes
//! them, the four cursor kinds, and the choice of a page before or after a cursor
//! (`TaskStoreElasticSearch`).

use std::cmp::Ordering;

use jiff::Timestamp;

use super::model::{DEFAULT_PRIORITY, Task, TaskRecord};
use crate::errors::ApiFailure;

/// Which cursor a request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CursorKind {
    After,
    AfterOrEqual,
    Before,
    BeforeOrEqual,
}

/// A date field a task can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateField {
    Creation,
    Completion,
    FollowUp,
    Due,
}

impl DateField {
    fn of(self, task: &Task) -> Option<Timestamp> {
        match self {
            DateField::Creation => Some(task.creation_date),
            DateField::Completion => task.completion_date,
            DateField::FollowUp => task.follow_up_date,
            DateField::Due => task.due_date,
        }
    }
}

/// How one sort position computes its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SortKey {
    /// The default sort: the date field's epoch milliseconds as a number; a missing date sorts
    /// last and reads `Long.MIN_VALUE`, as Elasticsearch reports `missing: _last` in a
    /// descending sort.
    FieldDate(DateField),
    /// A requested date sort: a script yielding the epoch milliseconds as a string, sorted as a
    /// string; a missing date becomes 2099-12-31 for an ascending sort and 1900-01-01 for a
    /// descending one (so it sorts last either way). The flag is the requested direction.
    ScriptDate(DateField, bool),
    /// A requested priority sort: the priority as a number, missing as 50.
    Priority,
    /// The tie-breaker: the task key.
    Key,
}

/// One sort position with its direction in the normal (not reversed) order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SortSpec {
    pub(crate) key: SortKey,
    pub(crate) desc: bool,
}

/// A sort value, compared by kind.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SortValue {
    Int(i64),
    Float(f64),
    Text(String),
}

/// Epoch milliseconds of 2099-12-31T00:00:00Z, the null date of an ascending script sort.
const NULL_DATE_ASC: &str = "4102358400000";
/// Epoch milliseconds of 1900-01-01T00:00:00Z, the null date of a descending script sort.
pub(super) const NULL_DATE_DESC: &str = "-2208988800000";

impl SortValue {
    /// The value as it appears in `sortValues` (Java's `String.valueOf` of the Elasticsearch
    /// sort value: a long, a double like `50.0`, or a string).
    pub(crate) fn render(&self) -> String {
        match self {
            SortValue::Int(i) => i.to_string(),
            SortValue::Float(f) => format!("{f:?}"),
            SortValue::Text(t) => t.clone(),
        }
    }

    fn cmp(&self, other: &SortValue) -> Ordering {
        match (self, other) {
            (SortValue::Int(a), SortValue::Int(b)) => a.cmp(b),
            (SortValue::Float(a), SortValue::Float(b)) => a.total_cmp(b),
            (SortValue::Text(a), SortValue::Text(b)) => a.cmp(b),
            (SortValue::Int(_), _) => Ordering::Less,
            (_, SortValue::Int(_)) => Ordering::Greater,
            (SortValue::Float(_), _) => Ordering::Less,
            (_, SortValue::Float(_)) => Ordering::Greater,
        }
    }
}

/// A task key as a sort value: a number when it is one (the key is a `long` field), else text.
fn key_value(id: &str) -> SortValue {
    id.parse::<i64>()
        .map(SortValue::Int)
        .unwrap_or_else(|_| SortValue::Text(id.to_owned()))
}

/// The sort values of a task.
pub(crate) fn sort_values(task: &Task, specs: &[SortSpec]) -> Vec<SortValue> {
    specs
        .iter()
        .map(|spec| match spec.key {
            SortKey::FieldDate(field) => {
                SortValue::Int(field.of(task).map_or(i64::MIN, |t| t.as_millisecond()))
            }
            SortKey::ScriptDate(field, desc) => SortValue::Text(match field.of(task) {
                Some(t) => t.as_millisecond().to_string(),
                None if desc => NULL_DATE_DESC.to_owned(),
                None => NULL_DATE_ASC.to_owned(),
            }),
            SortKey::Priority => {
                SortValue::Float(f64::from(task.priority.unwrap_or(DEFAULT_PRIORITY)))
            }
            SortKey::Key => key_value(&task.id),
        })
        .collect()
}

/// Parses a cursor into sort values, failing as the real server does when Elasticsearch refuses
/// the `search_after` values (500, `TasklistRuntimeException`).
pub(crate) fn parse_cursor(
    cursor: &[String],
    specs: &[SortSpec],
) -> Result<Vec<SortValue>, ApiFailure> {
    if cursor.len() != specs.len() {
        return Err(ApiFailure::internal(format!(
            "Exception occurred, while obtaining tasks: search_after has {} value(s) but sort has {}.",
            cursor.len(),
            specs.len()
        )));
    }
    cursor
        .iter()
        .zip(specs)
        .map(|(text, spec)| match spec.key {
            SortKey::FieldDate(_) => text.trim().parse::<i64>().map(SortValue::Int).map_err(|_| {
                ApiFailure::internal(format!(
                    "Exception occurred, while obtaining tasks: failed to parse date field [{text}]"
                ))
            }),
            SortKey::ScriptDate(..) => Ok(SortValue::Text(text.clone())),
            SortKey::Priority => text
                .trim()
                .parse::<f64>()
                .map(SortValue::Float)
                .map_err(|_| {
                    ApiFailure::internal(format!(
                        "Exception occurred, while obtaining tasks: For input string: \"{text}\""
                    ))
                }),
            SortKey::Key => Ok(key_value(text)),
        })
        .collect()
}

/// Compares two tasks' sort values in the normal order.
pub(crate) fn compare_keys(a: &[SortValue], b: &[SortValue], specs: &[SortSpec]) -> Ordering {
    for ((x, y), spec) in a.iter().zip(b).zip(specs) {
        let ordering = x.cmp(y);
        let ordering = if spec.desc {
            ordering.reverse()
        } else {
            ordering
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    Ordering::Equal
}

/// Chooses the page from the ordered matches: indexes into `ordered` with each hit's `isFirst`.
///
/// - no cursor: the first `page` tasks; the first is `isFirst`;
/// - `searchAfter`: the `page` tasks after the cursor; the first is `isFirst` when it is the first
///   of all matches;
/// - `searchBefore`: the `page` tasks just before the cursor, in normal order; the earliest is
///   `isFirst` when nothing precedes it;
/// - `searchAfterOrEqual` / `searchBeforeOrEqual`: as above, plus the task whose id is the
///   cursor's last value (if it matches the filters) put first / last, dropping the page's
///   last / first task when the page was full (`TaskStoreElasticSearch.adjustResponse`).
pub(crate) fn page_of(
    ordered: &[(&TaskRecord, Vec<SortValue>)],
    specs: &[SortSpec],
    cursor: Option<(CursorKind, &[String])>,
    page: usize,
) -> Result<Vec<(usize, bool)>, ApiFailure> {
    let Some((kind, values)) = cursor else {
        return Ok((0..ordered.len().min(page)).map(|i| (i, i == 0)).collect());
    };
    let target = parse_cursor(values, specs)?;
    // The first position strictly after the cursor, and the end of the tasks strictly before.
    let after_start =
        ordered.partition_point(|(_, key)| compare_keys(key, &target, specs) != Ordering::Greater);
    let before_end =
        ordered.partition_point(|(_, key)| compare_keys(key, &target, specs) == Ordering::Less);
    // The real server takes the equal task's id from the cursor; its last value is the key.
    let equal_id = values.last().cloned().unwrap_or_default();
    let equal = || {
        ordered
            .iter()
            .position(|(record, _)| record.task.id == equal_id)
    };

    match kind {
        CursorKind::After | CursorKind::AfterOrEqual => {
            let end = ordered.len().min(after_start.saturating_add(page));
            let mut hits: Vec<(usize, bool)> = (after_start..end).map(|i| (i, false)).collect();
            if kind == CursorKind::AfterOrEqual
                && let Some(index) = equal()
            {
                if hits.len() == page {
                    hits.pop();
                }
                hits.insert(0, (index, false));
            }
            if let Some(first) = hits.first_mut() {
                first.1 = first.0 == 0;
            }
            Ok(hits)
        }
        CursorKind::Before | CursorKind::BeforeOrEqual => {
            // The reversed query fetches one task more than a page to learn whether the page
            // reaches the start.
            let start = before_end.saturating_sub(page);
            let reaches_start = before_end <= page;
            let mut hits: Vec<(usize, bool)> = (start..before_end)
                .map(|i| (i, reaches_start && i == start))
                .collect();
            if kind == CursorKind::BeforeOrEqual
                && let Some(index) = equal()
            {
                if hits.len() == page {
                    hits.remove(0);
                }
                hits.push((index, false));
            }
            Ok(hits)
        }
    }
}
