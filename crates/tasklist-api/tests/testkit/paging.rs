//! Paging: `into_stream` over a thousand tasks, forward and backward, with a sort and a filter.

use super::*;

/// Walks a stream to its end, checking it never holds more than a page.
async fn walk(mut stream: tasklist_api::TaskStream, page: usize) -> Vec<TaskSearchResult> {
    let mut tasks = Vec::new();
    while let Some(task) = stream.try_next().await.unwrap() {
        assert!(stream.buffered_len() < page);
        tasks.push(task);
    }
    tasks
}

fn ids(tasks: &[TaskSearchResult]) -> Vec<String> {
    tasks.iter().map(|t| id_of(t).to_owned()).collect()
}

fn key(id: &str) -> u64 {
    id.parse().unwrap()
}

#[tokio::test]
async fn into_stream_walks_over_a_thousand_tasks_forward_and_backward_each_once() {
    const PAGE: u32 = 100;
    let mode = Mode::OAuth;
    let server = server(Profile::V8_7, &mode, 1150).await;
    let client = client(&server, &mode);

    // What Tasklist returns without a state filter: every task but the canceled ones, newest
    // first, ties broken by the key.
    let mut expected: Vec<StoredTask> = server
        .store()
        .tasks()
        .into_iter()
        .filter(|t| t.state != StoredState::Canceled)
        .collect();
    expected.sort_by(|a, b| {
        b.creation_date
            .cmp(&a.creation_date)
            .then_with(|| key(&a.id).cmp(&key(&b.id)))
    });
    let expected: Vec<String> = expected.into_iter().map(|t| t.id).collect();
    assert!(expected.len() >= 1000, "{}", expected.len());
    // The seed gives some tasks the same creation date, so the key has to break ties.
    assert!(
        server
            .store()
            .tasks()
            .windows(2)
            .any(|w| w[0].creation_date == w[1].creation_date)
    );

    // Forward from the start.
    let stream = client.tasks().search().page_size(PAGE).into_stream();
    assert!(!stream.is_backward());
    let forward = walk(stream, PAGE as usize).await;
    assert_eq!(ids(&forward), expected);
    let pages = expected.len() / PAGE as usize + 1;
    assert_eq!(server.requests(Route::SearchTasks), pages as u64);

    // Backward from the last task, itself included: the same tasks, reversed.
    let last = forward.last().unwrap();
    let stream = client
        .tasks()
        .search()
        .page_size(PAGE)
        .cursor(Cursor::before_or_equal(last).unwrap())
        .into_stream();
    assert!(stream.is_backward());
    let backward = walk(stream, PAGE as usize).await;
    let mut reversed = expected.clone();
    reversed.reverse();
    assert_eq!(ids(&backward), reversed);

    // From the middle, each way, the middle task excluded.
    let middle = &forward[500];
    let before = walk(
        client
            .tasks()
            .search()
            .page_size(PAGE)
            .cursor(Cursor::before(middle).unwrap())
            .into_stream(),
        PAGE as usize,
    )
    .await;
    let mut head = expected[..500].to_vec();
    head.reverse();
    assert_eq!(ids(&before), head);
    let after = walk(
        client
            .tasks()
            .search()
            .page_size(PAGE)
            .cursor(Cursor::after(middle).unwrap())
            .into_stream(),
        PAGE as usize,
    )
    .await;
    assert_eq!(ids(&after), expected[501..]);
    assert_eq!(server.token_requests(), 1);
}

#[tokio::test]
async fn into_stream_follows_a_requested_sort_and_a_filter_each_way() {
    const PAGE: u32 = 64;
    let mode = Mode::OAuth;
    let server = server(Profile::V8_7, &mode, 1000).await;
    let client = client(&server, &mode);
    let created: Vec<StoredTask> = server
        .store()
        .tasks()
        .into_iter()
        .filter(|t| t.state == StoredState::Created)
        .collect();

    // Highest priority first (no priority counts as 50), then the key.
    let search = || {
        client
            .tasks()
            .search()
            .state(TaskState::Created)
            .sort(TaskSortField::Priority, SortOrder::Desc)
            .page_size(PAGE)
    };
    let forward = walk(search().into_stream(), PAGE as usize).await;
    let mut expected = created.clone();
    expected.sort_by(|a, b| {
        b.priority
            .unwrap_or(50)
            .cmp(&a.priority.unwrap_or(50))
            .then_with(|| key(&a.id).cmp(&key(&b.id)))
    });
    let expected: Vec<String> = expected.into_iter().map(|t| t.id).collect();
    assert_eq!(ids(&forward), expected);
    // The priority's sort value is a double, as Elasticsearch reports it.
    assert!(forward[0].sort_values.as_ref().unwrap()[0].ends_with(".0"));

    let backward = walk(
        search()
            .cursor(Cursor::before_or_equal(forward.last().unwrap()).unwrap())
            .into_stream(),
        PAGE as usize,
    )
    .await;
    let mut reversed = expected;
    reversed.reverse();
    assert_eq!(ids(&backward), reversed);
}
