//! Pagination and sorting of the v2 searches.
//!
//! The page request is a `oneOf` (origin: FACTS §0.4, §4): `{limit}`, offset `{from, limit}`,
//! cursor-forward `{after, limit}` or cursor-backward `{before, limit}`. `limit` is 1..=10000
//! (default 100); `from` is at least 0; `from` never goes with `after` or `before`, nor
//! `after` with `before`. The 8.8 spec's schemas require no field, so `{limit}` alone is
//! accepted by every profile. The response `page` is `{totalItems, startCursor, endCursor}`,
//! with `hasMoreTotalItems` from 8.9 (the cursors `null` on an empty page there, absent on
//! 8.8, whose spec does not make them nullable).
//!
//! Cursors are opaque base64 strings (standard alphabet, padded; the spec's pattern). Here
//! they encode the JSON array of the item's sort values followed by its key, so a page starts
//! strictly after (or ends strictly before) the cursor's position even when the item itself
//! has changed or left the result, as with Elasticsearch's `search_after`. A cursor that is not
//! base64 of such an array, or does not fit the query's sort, is a 400 `INVALID_ARGUMENT`.

use std::cmp::Ordering;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Map, Value, json};

use super::problems::Problem;
use crate::config::Profile;

/// The largest `limit` (LimitPagination, CursorForwardPagination in the 8.9+ spec).
pub(crate) const MAX_LIMIT: i64 = 10_000;

/// The `limit` when none is given.
pub(crate) const DEFAULT_LIMIT: i64 = 100;

/// Which items a page request selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Window {
    /// Skip `from` items (0 for the limit form).
    Offset(usize),
    /// Items strictly after this position.
    After(Vec<SortValue>),
    /// Items strictly before this position.
    Before(Vec<SortValue>),
}

/// A parsed page request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageRequest {
    /// The window.
    pub(crate) window: Window,
    /// The page size.
    pub(crate) limit: usize,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest {
            window: Window::Offset(0),
            limit: DEFAULT_LIMIT as usize,
        }
    }
}

/// One sort value of an item: the sort tuple is compared value by value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SortValue {
    /// A missing value; sorts last in both directions (Elasticsearch's `missing: _last`).
    Null,
    /// A number (keys, priorities, dates as epoch milliseconds).
    Int(i64),
    /// Text.
    Text(String),
}

impl SortValue {
    fn to_json(&self) -> Value {
        match self {
            SortValue::Null => Value::Null,
            SortValue::Int(n) => json!(n),
            SortValue::Text(s) => json!(s),
        }
    }

    fn from_json(value: &Value) -> Option<SortValue> {
        match value {
            Value::Null => Some(SortValue::Null),
            Value::Number(n) => n.as_i64().map(SortValue::Int),
            Value::String(s) => Some(SortValue::Text(s.clone())),
            _ => None,
        }
    }

    /// A key as a sort value: numeric when it is a number.
    pub(crate) fn key(key: &str) -> SortValue {
        key.parse::<i64>()
            .map(SortValue::Int)
            .unwrap_or_else(|_| SortValue::Text(key.to_owned()))
    }

    /// An optional text.
    pub(crate) fn text(value: Option<&str>) -> SortValue {
        value.map_or(SortValue::Null, |s| SortValue::Text(s.to_owned()))
    }
}

/// Compares two present values (numbers before texts, which never mix in one field).
fn compare_present(a: &SortValue, b: &SortValue) -> Ordering {
    match (a, b) {
        (SortValue::Int(x), SortValue::Int(y)) => x.cmp(y),
        (SortValue::Text(x), SortValue::Text(y)) => x.cmp(y),
        (SortValue::Int(_), _) => Ordering::Less,
        (_, SortValue::Int(_)) => Ordering::Greater,
        _ => Ordering::Equal,
    }
}

/// Compares two sort tuples: `descending[i]` tells the direction of field `i`; the tuples end
/// with the key, always ascending. Missing values come last in either direction.
pub(crate) fn compare(a: &[SortValue], b: &[SortValue], descending: &[bool]) -> Ordering {
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        let ordering = match (x, y) {
            (SortValue::Null, SortValue::Null) => Ordering::Equal,
            (SortValue::Null, _) => Ordering::Greater,
            (_, SortValue::Null) => Ordering::Less,
            _ => {
                let ordering = compare_present(x, y);
                if descending.get(i).copied().unwrap_or(false) {
                    ordering.reverse()
                } else {
                    ordering
                }
            }
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    Ordering::Equal
}

/// The opaque cursor of a sort tuple.
pub(crate) fn encode_cursor(values: &[SortValue]) -> String {
    let array = Value::Array(values.iter().map(SortValue::to_json).collect());
    BASE64.encode(array.to_string())
}

/// The sort tuple of a cursor with `len` values, or a 400.
fn decode_cursor(cursor: &str, len: usize) -> Result<Vec<SortValue>, Problem> {
    let invalid = || Problem::invalid(format!("The provided cursor '{cursor}' is invalid"));
    let bytes = BASE64.decode(cursor).map_err(|_| invalid())?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    let items = value.as_array().ok_or_else(invalid)?;
    if items.len() != len {
        return Err(invalid());
    }
    items
        .iter()
        .map(|item| SortValue::from_json(item).ok_or_else(invalid))
        .collect()
}

/// Reads an integer of the page object.
fn int_field(page: &Map<String, Value>, name: &str) -> Result<Option<i64>, Problem> {
    match page.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value.as_i64().map(Some).ok_or_else(|| {
            Problem::unreadable(format!(
                "Request property [page.{name}] cannot be parsed: {value}"
            ))
        }),
    }
}

/// Reads a cursor of the page object.
fn cursor_field<'a>(page: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, Problem> {
    match page.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(value) => Err(Problem::unreadable(format!(
            "Request property [page.{name}] cannot be parsed: {value}"
        ))),
    }
}

/// Parses `page` (absent: the defaults). `offset_only` refuses cursors (the effective-variables
/// search takes `OffsetPagination` only; origin: FACTS §3.2). `sort_len` is the length of the
/// query's sort tuples, which a cursor must match.
pub(crate) fn parse_page(
    page: Option<&Value>,
    offset_only: bool,
    sort_len: usize,
) -> Result<PageRequest, Problem> {
    let page = match page {
        None | Some(Value::Null) => return Ok(PageRequest::default()),
        Some(Value::Object(page)) => page,
        Some(other) => {
            return Err(Problem::unreadable(format!(
                "Request property [page] cannot be parsed: {other}"
            )));
        }
    };
    let allowed: &[&str] = if offset_only {
        &["from", "limit"]
    } else {
        &["from", "limit", "after", "before"]
    };
    if let Some(unknown) = page.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(Problem::invalid(format!(
            "Request property [page.{unknown}] is not supported"
        )));
    }
    let limit = int_field(page, "limit")?.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(Problem::invalid(format!(
            "The value for page.limit is '{limit}' but must be between 1 and {MAX_LIMIT}."
        )));
    }
    let from = int_field(page, "from")?;
    let after = cursor_field(page, "after")?;
    let before = cursor_field(page, "before")?;
    let window = match (from, after, before) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            return Err(Problem::invalid(
                "Both offset pagination (from) and cursor pagination (after/before) were given; \
                 use only one.",
            ));
        }
        (_, Some(_), Some(_)) => {
            return Err(Problem::invalid(
                "Both after and before cursors were given; use only one.",
            ));
        }
        (Some(from), None, None) => {
            if from < 0 {
                return Err(Problem::invalid(format!(
                    "The value for page.from is '{from}' but must be a non-negative number."
                )));
            }
            Window::Offset(usize::try_from(from).unwrap_or(usize::MAX))
        }
        (None, Some(after), None) => Window::After(decode_cursor(after, sort_len)?),
        (None, None, Some(before)) => Window::Before(decode_cursor(before, sort_len)?),
        (None, None, None) => Window::Offset(0),
    };
    Ok(PageRequest {
        window,
        limit: usize::try_from(limit).unwrap_or(DEFAULT_LIMIT as usize),
    })
}

/// One page of `items`, already sorted by their tuples (`descending` as for [`compare`]), and
/// the response's `page` object for `profile`.
pub(crate) fn page_of<T>(
    items: Vec<(T, Vec<SortValue>)>,
    request: &PageRequest,
    descending: &[bool],
    profile: Profile,
) -> (Vec<T>, Value) {
    let total = items.len();
    let range = match &request.window {
        Window::Offset(from) => {
            let start = (*from).min(total);
            start..start.saturating_add(request.limit).min(total)
        }
        Window::After(cursor) => {
            let start = items
                .partition_point(|(_, key)| compare(key, cursor, descending) != Ordering::Greater);
            start..start.saturating_add(request.limit).min(total)
        }
        Window::Before(cursor) => {
            let end = items
                .partition_point(|(_, key)| compare(key, cursor, descending) == Ordering::Less);
            end.saturating_sub(request.limit)..end
        }
    };
    let selected: Vec<(T, Vec<SortValue>)> = items
        .into_iter()
        .skip(range.start)
        .take(range.end - range.start)
        .collect();
    let start_cursor = selected.first().map(|(_, key)| encode_cursor(key));
    let end_cursor = selected.last().map(|(_, key)| encode_cursor(key));
    let mut page = Map::new();
    page.insert("totalItems".to_owned(), json!(total));
    if profile.serves_v2() && !matches!(profile, Profile::V8_8) {
        page.insert("hasMoreTotalItems".to_owned(), json!(false));
        page.insert("startCursor".to_owned(), json!(start_cursor));
        page.insert("endCursor".to_owned(), json!(end_cursor));
    } else {
        if let Some(cursor) = start_cursor {
            page.insert("startCursor".to_owned(), json!(cursor));
        }
        if let Some(cursor) = end_cursor {
            page.insert("endCursor".to_owned(), json!(cursor));
        }
    }
    (
        selected.into_iter().map(|(item, _)| item).collect(),
        Value::Object(page),
    )
}

/// Sorts `items` by their tuples (the fields of `specs`, then the key ascending) and takes the
/// page `request` selects, as [`page_of`] does.
pub(crate) fn sorted_page<T>(
    mut items: Vec<(T, Vec<SortValue>)>,
    specs: &[SortSpec],
    request: &PageRequest,
    profile: Profile,
) -> (Vec<T>, Value) {
    let descending: Vec<bool> = specs
        .iter()
        .map(|s| s.descending)
        .chain(std::iter::once(false))
        .collect();
    items.sort_by(|a, b| compare(&a.1, &b.1, &descending));
    page_of(items, request, &descending, profile)
}

/// A parsed `sort` entry: the field name and whether it is descending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SortSpec {
    /// The field, one of the search's allowed names.
    pub(crate) field: String,
    /// `DESC`.
    pub(crate) descending: bool,
}

/// Parses `sort: [{field, order}]` with the allowed field names; `order` is `ASC` (default)
/// or `DESC`, in any casing (8.10 states the server accepts any casing of enum input; FACTS
/// §3.4).
pub(crate) fn parse_sort(sort: Option<&Value>, allowed: &[&str]) -> Result<Vec<SortSpec>, Problem> {
    let entries = match sort {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(entries)) => entries,
        Some(other) => {
            return Err(Problem::unreadable(format!(
                "Request property [sort] cannot be parsed: {other}"
            )));
        }
    };
    entries
        .iter()
        .map(|entry| {
            let object = entry.as_object().ok_or_else(|| {
                Problem::unreadable(format!("Request property [sort] cannot be parsed: {entry}"))
            })?;
            if let Some(unknown) = object.keys().find(|k| *k != "field" && *k != "order") {
                return Err(Problem::invalid(format!(
                    "Request property [sort.{unknown}] is not supported"
                )));
            }
            let field = match object.get("field") {
                Some(Value::String(field)) if allowed.contains(&field.as_str()) => field.clone(),
                Some(Value::String(field)) => {
                    return Err(Problem::invalid(format!(
                        "Unexpected value '{field}' for enum field 'field'. Use any of the \
                         following values: [{}]",
                        allowed.join(", ")
                    )));
                }
                _ => return Err(Problem::invalid("Sort field must not be null.")),
            };
            let descending = match object.get("order") {
                None | Some(Value::Null) => false,
                Some(Value::String(order)) if order.eq_ignore_ascii_case("asc") => false,
                Some(Value::String(order)) if order.eq_ignore_ascii_case("desc") => true,
                Some(other) => {
                    return Err(Problem::invalid(format!(
                        "Unexpected value {other} for enum field 'order'. Use any of the \
                         following values: [ASC, DESC]"
                    )));
                }
            };
            Ok(SortSpec { field, descending })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(n: i64) -> Vec<(i64, Vec<SortValue>)> {
        (0..n).map(|i| (i, vec![SortValue::Int(i)])).collect()
    }

    #[test]
    fn cursors_round_trip_and_bad_ones_are_refused() {
        let tuple = vec![
            SortValue::Null,
            SortValue::Int(3),
            SortValue::Text("a".into()),
        ];
        let cursor = encode_cursor(&tuple);
        assert_eq!(decode_cursor(&cursor, 3), Ok(tuple));
        assert!(decode_cursor(&cursor, 2).is_err());
        assert!(decode_cursor("!!!", 1).is_err());
        assert!(decode_cursor(&BASE64.encode("{}"), 0).is_err());
    }

    #[test]
    fn pages_walk_forward_and_back() {
        let request = parse_page(Some(&json!({"limit": 4})), false, 1).unwrap_or_default();
        let (page, info) = page_of(items(10), &request, &[false], Profile::V8_9);
        assert_eq!(page, [0, 1, 2, 3]);
        assert_eq!(info["totalItems"], 10);
        let after = info["endCursor"].as_str().unwrap_or_default().to_owned();
        let request =
            parse_page(Some(&json!({"after": after, "limit": 4})), false, 1).unwrap_or_default();
        let (page, info) = page_of(items(10), &request, &[false], Profile::V8_9);
        assert_eq!(page, [4, 5, 6, 7]);
        let before = info["startCursor"].as_str().unwrap_or_default().to_owned();
        let request =
            parse_page(Some(&json!({"before": before, "limit": 3})), false, 1).unwrap_or_default();
        let (page, _) = page_of(items(10), &request, &[false], Profile::V8_9);
        assert_eq!(page, [1, 2, 3]);
        let (page, info) = page_of(items(0), &request, &[false], Profile::V8_8);
        assert!(page.is_empty());
        assert!(info.get("endCursor").is_none());
    }

    #[test]
    fn bad_pages_are_refused() {
        for page in [
            json!({"limit": 0}),
            json!({"limit": 10001}),
            json!({"from": -1}),
            json!({"from": 0, "after": "WzFd"}),
            json!({"after": "WzFd", "before": "WzFd"}),
            json!({"after": "not base64!"}),
            json!({"size": 3}),
        ] {
            assert_eq!(
                parse_page(Some(&page), false, 1)
                    .err()
                    .map(|p| p.status.as_u16()),
                Some(400),
                "{page}"
            );
        }
        assert!(parse_page(Some(&json!({"after": "WzFd"})), true, 1).is_err());
        assert!(parse_page(Some(&json!({"after": "WzFd"})), false, 1).is_ok());
    }

    #[test]
    fn hostile_numbers_and_cursors_are_400s_or_empty_pages() {
        for page in [
            json!({"limit": 1e30}),
            json!({"limit": u64::MAX}),
            json!({"from": u64::MAX}),
            json!({"from": 1.5}),
            json!({"after": BASE64.encode("[1e400]")}),
            json!({"after": BASE64.encode(format!("[{}]", u64::MAX))}),
            json!({"before": BASE64.encode("[[1]]")}),
        ] {
            assert_eq!(
                parse_page(Some(&page), false, 1)
                    .err()
                    .map(|p| p.status.as_u16()),
                Some(400),
                "{page}"
            );
        }
        let request = parse_page(
            Some(&json!({"from": i64::MAX, "limit": MAX_LIMIT})),
            false,
            1,
        )
        .unwrap_or_default();
        assert_eq!(request.window, Window::Offset(i64::MAX as usize));
        let (page, info) = page_of(items(3), &request, &[false], Profile::V8_9);
        assert!(page.is_empty());
        assert_eq!(info["totalItems"], 3);
        let before = encode_cursor(&[SortValue::Int(i64::MIN)]);
        let request = parse_page(
            Some(&json!({"before": before, "limit": MAX_LIMIT})),
            false,
            1,
        )
        .unwrap_or_default();
        assert!(
            page_of(items(3), &request, &[false], Profile::V8_9)
                .0
                .is_empty()
        );
    }

    #[test]
    fn nulls_sort_last_both_ways() {
        let a = [SortValue::Null];
        let b = [SortValue::Int(1)];
        assert_eq!(compare(&a, &b, &[false]), Ordering::Greater);
        assert_eq!(compare(&a, &b, &[true]), Ordering::Greater);
        assert_eq!(
            compare(&b, &[SortValue::Int(2)], &[true]),
            Ordering::Greater
        );
    }
}
