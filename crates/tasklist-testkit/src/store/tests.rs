//! Unit tests of the store and its v1 search.

use jiff::Timestamp;

use super::paging::NULL_DATE_DESC;
use super::query::{ONLY_ONE_CURSOR, PAGE_SIZE_POSITIVE, PriorityFilter, VariableClause};
use super::*;

fn ts(millis: i64) -> Timestamp {
    Timestamp::from_millisecond(millis).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn store_with(n: usize) -> Store {
    let store = Store::new();
    for i in 0..n {
        let mut task = Task::new(format!("{}", 100 + i), format!("t{i}"));
        // Creation dates collide in pairs so that the key breaks ties.
        task.creation_date = ts(1_700_000_000_000 + (i as i64 / 2) * 1000);
        task.priority = (i % 3 != 0).then_some((i * 7 % 101) as i32);
        store.insert_task(task);
    }
    store
}

fn ids(hits: &[SearchHit]) -> Vec<String> {
    hits.iter().map(|h| h.task.id.clone()).collect()
}

fn search(store: &Store, query: &SearchQuery) -> Vec<SearchHit> {
    store.search(query, 8191, None).unwrap_or_default()
}

#[test]
fn default_sort_is_creation_desc_then_key_asc() {
    let store = store_with(4);
    let hits = search(&store, &SearchQuery::default());
    assert_eq!(ids(&hits), ["102", "103", "100", "101"]);
    assert_eq!(hits[0].sort_values, ["1700000001000", "102"]);
    assert!(hits[0].is_first);
    assert!(!hits[1].is_first);
}

#[test]
fn canceled_tasks_are_hidden_without_a_state_filter() {
    let store = store_with(2);
    let mut task = Task::new("999", "gone");
    task.state = TaskState::Canceled;
    task.completion_date = Some(ts(1));
    store.insert_task(task);
    assert_eq!(search(&store, &SearchQuery::default()).len(), 2);
    let query = SearchQuery {
        state: Some(TaskState::Canceled),
        ..SearchQuery::default()
    };
    let hits = search(&store, &query);
    assert_eq!(ids(&hits), ["999"]);
    // COMPLETED and CANCELED sort by completion time.
    assert_eq!(hits[0].sort_values, ["1", "999"]);
}

#[test]
fn paging_forward_and_backward_covers_everything_once() {
    let store = store_with(11);
    let all = ids(&search(
        &store,
        &SearchQuery {
            page_size: 100,
            ..SearchQuery::default()
        },
    ));
    let mut query = SearchQuery {
        page_size: 4,
        ..SearchQuery::default()
    };
    let mut seen = Vec::new();
    loop {
        let hits = search(&store, &query);
        if hits.is_empty() {
            break;
        }
        seen.extend(ids(&hits));
        query.search_after = hits.last().map(|h| h.sort_values.clone());
    }
    assert_eq!(seen, all);

    // Backwards from the last task: pages come in normal order.
    let last = search(
        &store,
        &SearchQuery {
            page_size: 100,
            ..SearchQuery::default()
        },
    )
    .pop()
    .map(|h| h.sort_values);
    let query = SearchQuery {
        page_size: 4,
        search_before: last,
        ..SearchQuery::default()
    };
    let hits = search(&store, &query);
    assert_eq!(ids(&hits), all[6..10].to_vec());
    assert!(!hits[0].is_first);

    // A page reaching the start marks its first task.
    let query = SearchQuery {
        page_size: 4,
        search_before: Some(
            search(&store, &SearchQuery::default())
                .get(3)
                .map(|h| h.sort_values.clone())
                .unwrap_or_default(),
        ),
        ..SearchQuery::default()
    };
    let hits = search(&store, &query);
    assert_eq!(ids(&hits), all[0..3].to_vec());
    assert!(hits[0].is_first);
}

#[test]
fn or_equal_cursors_include_the_cursor_task() {
    let store = store_with(6);
    let all = search(&store, &SearchQuery::default());
    let cursor = all[2].sort_values.clone();
    let query = SearchQuery {
        page_size: 2,
        search_after_or_equal: Some(cursor.clone()),
        ..SearchQuery::default()
    };
    assert_eq!(ids(&search(&store, &query)), ids(&all[2..4]));
    let query = SearchQuery {
        page_size: 2,
        search_before_or_equal: Some(cursor),
        ..SearchQuery::default()
    };
    assert_eq!(ids(&search(&store, &query)), ids(&all[1..3]));
    // From the very first task: isFirst is recomputed.
    let query = SearchQuery {
        page_size: 2,
        search_after_or_equal: Some(all[0].sort_values.clone()),
        ..SearchQuery::default()
    };
    let hits = search(&store, &query);
    assert!(hits[0].is_first);
}

#[test]
fn two_cursors_and_bad_page_sizes_are_refused() {
    let store = store_with(1);
    let query = SearchQuery {
        search_after: Some(vec![]),
        search_before: Some(vec![]),
        ..SearchQuery::default()
    };
    let failure = store.search(&query, 8191, None).err();
    assert_eq!(
        failure.map(|f| (f.status.as_u16(), f.message)),
        Some((400, ONLY_ONE_CURSOR.to_owned()))
    );
    let query = SearchQuery {
        page_size: 0,
        ..SearchQuery::default()
    };
    assert_eq!(
        store.search(&query, 8191, None).err().map(|f| f.message),
        Some(PAGE_SIZE_POSITIVE.to_owned())
    );
    let query = SearchQuery {
        search_after: Some(vec!["1".to_owned()]),
        ..SearchQuery::default()
    };
    assert_eq!(
        store
            .search(&query, 8191, None)
            .err()
            .map(|f| f.status.as_u16()),
        Some(500)
    );
}

#[test]
fn requested_sorts_put_nulls_last_and_render_priorities_as_doubles() {
    let store = store_with(6);
    for desc in [false, true] {
        let query = SearchQuery {
            sort: Some(vec![OrderBy {
                field: Some(SortField::Priority),
                order: Some(if desc {
                    SortOrder::Desc
                } else {
                    SortOrder::Asc
                }),
            }]),
            ..SearchQuery::default()
        };
        let hits = search(&store, &query);
        let priorities: Vec<i32> = hits
            .iter()
            .map(|h| h.task.priority.unwrap_or(DEFAULT_PRIORITY))
            .collect();
        let mut sorted = priorities.clone();
        sorted.sort();
        if desc {
            sorted.reverse();
        }
        assert_eq!(priorities, sorted);
        assert!(hits.iter().all(|h| h.sort_values[0].ends_with(".0")));
    }
    let query = SearchQuery {
        sort: Some(vec![OrderBy {
            field: Some(SortField::DueDate),
            order: Some(SortOrder::Desc),
        }]),
        ..SearchQuery::default()
    };
    let hits = search(&store, &query);
    assert_eq!(hits[0].sort_values[0], NULL_DATE_DESC);
    let query = SearchQuery {
        sort: Some(vec![OrderBy {
            field: Some(SortField::DueDate),
            order: None,
        }]),
        ..SearchQuery::default()
    };
    assert_eq!(
        store
            .search(&query, 8191, None)
            .err()
            .map(|f| f.status.as_u16()),
        Some(500)
    );
}

#[test]
fn filters_combine() {
    let store = store_with(6);
    let mut task = Task::new("50", "special");
    task.assignee = Some("demo".to_owned());
    task.candidate_groups = Some(vec!["sales".to_owned(), "ops".to_owned()]);
    task.due_date = Some(ts(5_000));
    task.implementation = TaskImplementation::ZeebeUserTask;
    store.insert_task(task);
    let query = SearchQuery {
        assigned: Some(true),
        candidate_groups: Some(vec!["ops".to_owned(), "x".to_owned()]),
        due_date: Some(DateRange {
            from: Some(ts(5_000)),
            to: Some(ts(5_000)),
        }),
        implementation: Some(TaskImplementation::ZeebeUserTask),
        ..SearchQuery::default()
    };
    assert_eq!(ids(&search(&store, &query)), ["50"]);
    let query = SearchQuery {
        assignees: Some(vec![]),
        ..SearchQuery::default()
    };
    assert!(search(&store, &query).is_empty());
    let query = SearchQuery {
        priority: Some(PriorityFilter {
            gte: Some(0),
            ..PriorityFilter::default()
        }),
        ..SearchQuery::default()
    };
    // Tasks without a priority never match a priority filter.
    let hits = search(&store, &query);
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h.task.priority.is_some()));
}

#[test]
fn variable_clause_compares_the_stored_preview() {
    let store = store_with(2);
    store.insert_variable("100", "x", "\"abcdef\"").ok();
    let clause = |value: &str| SearchQuery {
        task_variables: Some(vec![VariableClause {
            name: Some("x".to_owned()),
            value: Some(value.to_owned()),
            operator: Some("eq".to_owned()),
        }]),
        ..SearchQuery::default()
    };
    assert_eq!(
        ids(&store
            .search(&clause("\"abcdef\""), 8191, None)
            .unwrap_or_default()),
        ["100"]
    );
    assert_eq!(
        ids(&store.search(&clause("\"ab"), 3, None).unwrap_or_default()),
        ["100"]
    );
    assert!(search(&store, &clause("1")).is_empty());
}

#[test]
fn preview_cuts_at_characters() {
    assert_eq!(preview("abc", 3), ("abc", false));
    assert_eq!(preview("abcd", 3), ("abc", true));
    assert_eq!(preview("äöüß", 2), ("äö", true));
    assert_eq!(preview("", 0), ("", false));
}

#[test]
fn json_text_validation_reads_one_value() {
    assert!(validate_json_text("1").is_ok());
    assert!(validate_json_text("\"a\" trailing").is_ok());
    assert!(validate_json_text("null").is_ok());
    assert!(validate_json_text("abc").is_err());
    assert!(validate_json_text("").is_err());
    assert!(validate_json_text("{\"a\":").is_err());
}

#[test]
fn dates_round_trip_in_the_server_format() {
    let t = ts(1_709_280_000_123);
    assert_eq!(format_date(t), "2024-03-01T08:00:00.123+0000");
    assert_eq!(parse_date("2024-03-01T08:00:00.123+0000"), Some(t));
    assert_eq!(parse_date("2024-03-01T08:00:00.123Z"), Some(t));
    assert_eq!(parse_date("2024-03-01T10:00:00.123+02:00"), Some(t));
    assert_eq!(parse_date("yesterday"), None);
}

#[test]
fn search_request_json_quirks() {
    let query: SearchQuery =
        serde_json::from_str(r#"{"pageSize": null, "searchAfter": [1700000000000, "12"]}"#)
            .unwrap_or_default();
    assert_eq!(query.page_size, 0);
    assert_eq!(
        query.search_after,
        Some(vec!["1700000000000".to_owned(), "12".to_owned()])
    );
    // Parsed, not defaulted: the fallback below would also have a page size of 50.
    assert!(serde_json::from_str::<SearchQuery>("{}").is_ok());
    let query: SearchQuery = serde_json::from_str("{}").unwrap_or_default();
    assert_eq!(query.page_size, 50);
    assert!(serde_json::from_str::<SearchQuery>(r#"{"state": "created"}"#).is_err());
}

#[test]
fn forms_by_id_process_and_version() {
    let store = Store::new();
    store.insert_form(Form::embedded("emb", "10", "{\"e\":1}"));
    store.insert_form(Form::deployed("dep", 1, "10", "{\"v\":1}"));
    store.insert_form(Form::deployed("dep", 2, "10", "{\"v\":2}"));
    let mut deleted = Form::deployed("dep", 3, "10", "{\"v\":3}");
    deleted.is_deleted = true;
    store.insert_form(deleted);
    assert_eq!(
        store.find_form("emb", "10", None).map(|f| f.schema),
        Some("{\"e\":1}".to_owned())
    );
    assert!(store.find_form("emb", "11", None).is_none());
    assert_eq!(
        store.find_form("dep", "10", None).and_then(|f| f.version),
        Some(2)
    );
    assert_eq!(
        store
            .find_form("dep", "10", Some(3))
            .and_then(|f| f.version),
        Some(3)
    );
    assert!(store.find_form("dep", "10", Some(9)).is_none());
    assert!(store.find_form("dep", "99", None).is_none());
}
