//! Every command in OAuth mode (client credentials from the environment, 8.7 profile).

use std::collections::BTreeSet;

use serde_json::{Value, json};
use tasklist_testkit::Route;
use tasklist_testkit::store::{Task, TaskImplementation, TaskState};

use crate::common::{Kit, Mode, builder, id_set, ids};

/// A server seeded with `tasks` generated tasks.
fn seeded(tasks: usize) -> Kit {
    Kit::with(Mode::OAuth, builder(Mode::OAuth).tasks(tasks))
}

/// Runs `tasks search ARGS --all -o jsonl` and checks that it returns exactly the tasks the
/// store holds for which `keep` is true, and that the filter narrows the result.
#[track_caller]
fn check_filter(kit: &Kit, args: &[&str], keep: impl Fn(&Task) -> bool) {
    let tasks = kit.server().store().tasks();
    let expected: BTreeSet<String> = tasks
        .iter()
        .filter(|t| keep(t))
        .map(|t| t.id.clone())
        .collect();
    let unfiltered = tasks.iter().filter(|t| visible(t)).count();
    assert!(
        !expected.is_empty() && expected.len() < unfiltered,
        "{args:?}: the data must make the filter matter ({} of {unfiltered})",
        expected.len()
    );
    let mut all = vec![
        "tasks",
        "search",
        "--all",
        "--page-size",
        "40",
        "-o",
        "jsonl",
    ];
    all.extend_from_slice(args);
    let run = kit.run(&all);
    run.ok();
    let found = run.jsonl();
    assert_eq!(id_set(&found), expected, "{args:?}");
    assert_eq!(found.len(), expected.len(), "{args:?}: no duplicates");
}

/// Whether `tasks search` lists `task` by default (canceled tasks are left out).
fn visible(task: &Task) -> bool {
    task.state != TaskState::Canceled
}

/// The ids of the tasks in the store that `tasks search` lists by default.
fn visible_ids(kit: &Kit) -> BTreeSet<String> {
    kit.server()
        .store()
        .tasks()
        .into_iter()
        .filter(visible)
        .map(|t| t.id)
        .collect()
}

#[test]
fn search_filters_select_what_the_server_selects() {
    let kit = seeded(150);
    let tasks = kit.server().store().tasks();
    let most_common = |values: Vec<String>| -> String {
        let mut counts = std::collections::BTreeMap::<String, usize>::new();
        for v in values {
            *counts.entry(v).or_default() += 1;
        }
        counts
            .into_iter()
            .max_by_key(|(_, n)| *n)
            .map(|(v, _)| v)
            .expect("some value")
    };
    let assignee = most_common(tasks.iter().filter_map(|t| t.assignee.clone()).collect());
    let group = most_common(
        tasks
            .iter()
            .flat_map(|t| t.candidate_groups.clone().unwrap_or_default())
            .collect(),
    );
    let user = most_common(
        tasks
            .iter()
            .flat_map(|t| t.candidate_users.clone().unwrap_or_default())
            .collect(),
    );
    let process = most_common(
        tasks
            .iter()
            .map(|t| t.process_definition_key.clone())
            .collect(),
    );
    let element = most_common(tasks.iter().map(|t| t.task_definition_id.clone()).collect());
    let instance = tasks[7].process_instance_key.clone();
    let mut due: Vec<_> = tasks.iter().filter_map(|t| t.due_date).collect();
    due.sort();
    let (due_from, due_to) = (due[due.len() / 4], due[due.len() * 3 / 4]);
    let mut follow: Vec<_> = tasks.iter().filter_map(|t| t.follow_up_date).collect();
    follow.sort();
    let follow_from = follow[follow.len() / 2];

    check_filter(&kit, &["--state", "completed"], |t| {
        t.state == TaskState::Completed
    });
    check_filter(&kit, &["--state", "canceled"], |t| {
        t.state == TaskState::Canceled
    });
    check_filter(&kit, &["--assigned", "true"], |t| {
        visible(t) && t.assignee.is_some()
    });
    check_filter(&kit, &["--assigned", "false"], |t| {
        visible(t) && t.assignee.is_none()
    });
    check_filter(&kit, &["--assignee", &assignee], |t| {
        visible(t) && t.assignee.as_deref() == Some(assignee.as_str())
    });
    let other = tasks
        .iter()
        .filter_map(|t| t.assignee.clone())
        .find(|a| *a != assignee)
        .expect("two assignees");
    let both = format!("{assignee},{other}");
    check_filter(&kit, &["--assignees", &both], |t| {
        visible(t)
            && t.assignee
                .as_ref()
                .is_some_and(|a| *a == assignee || *a == other)
    });
    check_filter(&kit, &["--candidate-group", &group], |t| {
        visible(t)
            && t.candidate_groups
                .as_ref()
                .is_some_and(|g| g.contains(&group))
    });
    check_filter(&kit, &["--candidate-user", &user], |t| {
        visible(t)
            && t.candidate_users
                .as_ref()
                .is_some_and(|u| u.contains(&user))
    });
    check_filter(&kit, &["--process-definition-key", &process], |t| {
        visible(t) && t.process_definition_key == process
    });
    check_filter(&kit, &["--process-instance-key", &instance], |t| {
        visible(t) && t.process_instance_key == instance
    });
    check_filter(&kit, &["--task-definition-id", &element], |t| {
        visible(t) && t.task_definition_id == element
    });
    let (from, to) = (due_from.to_string(), due_to.to_string());
    check_filter(
        &kit,
        &["--due-date-from", &from, "--due-date-to", &to],
        |t| visible(t) && t.due_date.is_some_and(|d| d >= due_from && d <= due_to),
    );
    let follow_text = follow_from.to_string();
    check_filter(&kit, &["--follow-up-date-from", &follow_text], |t| {
        visible(t) && t.follow_up_date.is_some_and(|d| d >= follow_from)
    });
    check_filter(
        &kit,
        &["--priority-min", "30", "--priority-max", "70"],
        |t| visible(t) && t.priority.is_some_and(|p| (30..=70).contains(&p)),
    );
    check_filter(&kit, &["--implementation", "zeebe-user-task"], |t| {
        visible(t) && t.implementation == TaskImplementation::ZeebeUserTask
    });
    check_filter(
        &kit,
        &["--state", "created", "--var-equals", "approved=true"],
        |t| {
            t.state == TaskState::Created
                && kit
                    .server()
                    .store()
                    .variables(&t.id)
                    .unwrap_or_default()
                    .iter()
                    .any(|v| v.name == "approved" && v.value == "true")
        },
    );
    // A combination: every filter must hold at once.
    check_filter(
        &kit,
        &[
            "--state",
            "created",
            "--candidate-group",
            &group,
            "--assigned",
            "false",
        ],
        |t| {
            t.state == TaskState::Created
                && t.assignee.is_none()
                && t.candidate_groups
                    .as_ref()
                    .is_some_and(|g| g.contains(&group))
        },
    );
}

#[test]
fn search_filters_on_tenants_and_string_variables() {
    let kit = Kit::start(Mode::OAuth);
    for (id, tenant, region) in [
        ("101", "tenant-a", "\"EMEA\""),
        ("102", "tenant-b", "\"APAC\""),
        ("103", "tenant-c", "\"EMEA\""),
    ] {
        let mut task = Task::new(id, "Route order");
        task.tenant_id = Some(tenant.to_owned());
        kit.server().store().insert_task(task);
        kit.server()
            .store()
            .insert_variable(id, "region", region)
            .unwrap();
    }
    let search = |args: &[&str]| {
        let mut all = vec!["tasks", "search", "-o", "json"];
        all.extend_from_slice(args);
        let run = kit.run(&all);
        run.ok();
        let found: BTreeSet<String> = id_set(run.json().as_array().expect("an array"));
        found
    };
    let set = |ids: &[&str]| ids.iter().map(|s| (*s).to_owned()).collect::<BTreeSet<_>>();
    assert_eq!(
        search(&["--tenant-id", "tenant-a,tenant-c"]),
        set(&["101", "103"])
    );
    assert_eq!(
        search(&["--tenant-id", "tenant-b", "--tenant-id", "tenant-c"]),
        set(&["102", "103"])
    );
    assert_eq!(
        search(&["--var-equals-str", "region=EMEA"]),
        set(&["101", "103"])
    );
    assert_eq!(search(&["--var-equals", "region=\"APAC\""]), set(&["102"]));
    assert_eq!(search(&[]), set(&["101", "102", "103"]));
}

#[test]
fn search_output_formats_carry_the_apis_field_names() {
    let kit = seeded(12);
    let expected = visible_ids(&kit);

    // JSON: one document, an array of tasks with the API's camelCase names.
    let json = kit.run(["tasks", "search", "--output", "json"]);
    json.ok();
    let doc = json.json();
    let tasks = doc.as_array().expect("a JSON array");
    assert_eq!(id_set(tasks), expected);
    for task in tasks {
        for field in [
            "id",
            "name",
            "taskState",
            "creationDate",
            "sortValues",
            "processName",
        ] {
            assert!(task.get(field).is_some(), "field {field} in {task}");
        }
        assert!(task.get("task_state").is_none() && task.get("TaskState").is_none());
    }

    // JSON lines: one object per line, the same tasks in the same order.
    let jsonl = kit.run(["tasks", "search", "-o", "jsonl"]);
    jsonl.ok();
    let lines = jsonl.jsonl();
    assert_eq!(lines.len(), jsonl.stdout.lines().count());
    assert_eq!(ids(&lines), ids(tasks));
    assert!(lines.iter().all(Value::is_object));

    // Not a terminal and nothing chosen: JSON. TASKLIST_OUTPUT chooses too.
    let default = kit.run(["tasks", "search"]);
    default.ok();
    assert_eq!(default.json(), doc);
    let mut cmd = kit.cmd();
    cmd.env("TASKLIST_OUTPUT", "jsonl")
        .args(["tasks", "search"]);
    let by_env = kit.finish(&mut cmd);
    by_env.ok();
    assert_eq!(ids(&by_env.jsonl()), ids(tasks));
    // The flag wins over the variable.
    let mut cmd = kit.cmd();
    cmd.env("TASKLIST_OUTPUT", "jsonl")
        .args(["tasks", "search", "-o", "json"]);
    assert_eq!(kit.finish(&mut cmd).json(), doc);

    // Table: a header and one row per task, no JSON, no colours.
    let table = kit.run(["tasks", "search", "-o", "table"]);
    table.ok();
    let mut lines = table.stdout.lines();
    let header = lines.next().expect("a header");
    for column in [
        "ID", "NAME", "PROCESS", "STATE", "ASSIGNEE", "PRIORITY", "CREATED", "DUE",
    ] {
        assert!(header.contains(column), "{header}");
    }
    assert_eq!(lines.clone().count(), expected.len(), "{}", table.stdout);
    for task in tasks {
        let id = task["id"].as_str().unwrap();
        let row = lines
            .clone()
            .find(|l| l.contains(id))
            .unwrap_or_else(|| panic!("a row for {id}"));
        assert!(row.contains(task["name"].as_str().unwrap()), "{row}");
        assert!(row.contains(task["taskState"].as_str().unwrap()), "{row}");
    }
    assert!(!table.stdout.contains('{') && !table.stdout.contains('\u{1b}'));

    // An empty result.
    let none = kit.run(["tasks", "search", "--assignee", "nobody", "-o", "table"]);
    none.ok();
    assert_eq!(none.stdout.trim(), "No tasks found.");
    let none = kit.run(["tasks", "search", "--assignee", "nobody", "-o", "json"]);
    assert_eq!(none.json(), json!([]));
}

#[test]
fn search_all_streams_every_page() {
    let kit = seeded(120);
    let expected = visible_ids(&kit);
    assert!(expected.len() > 75);

    // One page without --all.
    let page = kit.run(["tasks", "search", "--page-size", "25", "-o", "jsonl"]);
    page.ok();
    assert_eq!(page.jsonl().len(), 25);
    assert_eq!(kit.server().requests(Route::SearchTasks), 1);

    kit.server().reset_counters();
    let all = kit.run([
        "tasks",
        "search",
        "--all",
        "--page-size",
        "25",
        "-o",
        "jsonl",
    ]);
    all.ok();
    let found = all.jsonl();
    assert_eq!(found.len(), expected.len());
    assert_eq!(id_set(&found), expected);
    let pages = kit.server().requests(Route::SearchTasks);
    let full_pages = expected.len().div_ceil(25) as u64;
    assert!(
        pages == full_pages || pages == full_pages + 1,
        "{pages} page requests for {} tasks",
        expected.len()
    );

    let all_json = kit.run([
        "tasks",
        "search",
        "--all",
        "--page-size",
        "25",
        "-o",
        "json",
    ]);
    all_json.ok();
    assert_eq!(ids(all_json.json().as_array().unwrap()), ids(&found));
    // No progress indicator when stderr is not a terminal.
    assert!(all.stderr.is_empty(), "{}", all.stderr);
}

#[test]
fn search_sorts_pages_and_cursors() {
    let kit = seeded(40);
    let search = |args: &[&str]| -> Vec<Value> {
        let mut all = vec!["tasks", "search", "-o", "json"];
        all.extend_from_slice(args);
        let run = kit.run(&all);
        run.ok();
        run.json().as_array().unwrap().clone()
    };

    let ten = search(&["--page-size", "10"]);
    assert_eq!(ten.len(), 10);
    // By default the newest first; ascending on request.
    let created = |tasks: &[Value]| -> Vec<String> {
        tasks
            .iter()
            .map(|t| t["creationDate"].as_str().unwrap().to_owned())
            .collect()
    };
    let newest_first = created(&ten);
    assert!(
        newest_first.windows(2).all(|w| w[0] >= w[1]),
        "{newest_first:?}"
    );
    let oldest_first = created(&search(&[
        "--sort",
        "creationTime:asc",
        "--page-size",
        "10",
    ]));
    assert!(
        oldest_first.windows(2).all(|w| w[0] <= w[1]),
        "{oldest_first:?}"
    );
    assert_ne!(oldest_first, newest_first);

    let by_priority = search(&["--sort", "priority:desc", "--page-size", "30"]);
    let priorities: Vec<i64> = by_priority
        .iter()
        .map(|t| t["priority"].as_i64().unwrap())
        .collect();
    assert!(
        priorities.windows(2).all(|w| w[0] >= w[1]),
        "{priorities:?}"
    );
    assert!(priorities.first() > priorities.last(), "{priorities:?}");

    // The page after the fifth task is tasks 6..10.
    let five = search(&["--page-size", "5"]);
    let cursor: Vec<String> = five[4]["sortValues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    let after = search(&["--page-size", "5", "--search-after", &cursor.join(",")]);
    assert_eq!(ids(&after), ids(&ten[5..10]));
    let at = search(&[
        "--page-size",
        "5",
        "--search-after-or-equal",
        &cursor.join(","),
    ]);
    assert_eq!(ids(&at), ids(&ten[4..9]));
    // The page before the sixth task is tasks 1..5.
    let sixth: Vec<String> = ten[5]["sortValues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    let before = search(&["--page-size", "5", "--search-before", &sixth.join(",")]);
    assert_eq!(id_set(&before), id_set(&ten[..5]));

    // Two cursors at once are refused before anything is sent.
    kit.server().reset_counters();
    let both = kit.run([
        "tasks",
        "search",
        "--search-after",
        "1,2",
        "--search-before",
        "3,4",
    ]);
    both.fails(2);
    assert_eq!(kit.server().total_requests(), 0);
}

#[test]
fn search_includes_variables() {
    let kit = Kit::start(Mode::OAuth);
    kit.add_task("201", "Check invoice");
    kit.add_task("202", "Check invoice");
    let run = kit.run([
        "tasks",
        "search",
        "--include-variables",
        "amount",
        "-o",
        "json",
    ]);
    run.ok();
    let tasks = run.json();
    for task in tasks.as_array().unwrap() {
        let variables = task["variables"].as_array().expect("variables");
        assert_eq!(variables.len(), 1, "{task}");
        assert_eq!(variables[0]["name"], "amount");
        assert_eq!(variables[0]["value"], "1250.5");
    }
    let without = kit.run(["tasks", "search", "-o", "json"]);
    for task in without.json().as_array().unwrap() {
        assert_eq!(task["variables"], json!([]), "{task}");
    }
}

#[test]
fn get_assign_unassign_and_complete_change_the_task_on_the_server() {
    let kit = Kit::start(Mode::OAuth);
    kit.add_task("301", "Approve invoice");
    let store = kit.server();
    let store = store.store();

    let get = kit.run(["tasks", "get", "301", "-o", "json"]);
    get.ok();
    let task = get.json();
    assert_eq!(task["id"], "301");
    assert_eq!(task["name"], "Approve invoice");
    assert_eq!(task["taskState"], "CREATED");
    assert_eq!(task["candidateGroups"], json!(["cli-testers"]));
    let table = kit.run(["tasks", "get", "301", "-o", "table"]);
    table.ok();
    assert!(
        table
            .stdout
            .lines()
            .any(|l| l.contains("name") && l.contains("Approve invoice"))
    );

    // An API client must name the assignee.
    let nobody = kit.run(["tasks", "assign", "301"]);
    let line = nobody.fails(5);
    assert!(line.contains("Assignee must be specified"), "{line}");

    let assign = kit.run(["tasks", "assign", "301", "--assignee", "bob", "-o", "json"]);
    assign.ok();
    assert_eq!(assign.json()["assignee"], "bob");
    assert_eq!(store.task("301").unwrap().assignee.as_deref(), Some("bob"));

    // Reassigning with --allow-override.
    let over = kit.run([
        "tasks",
        "assign",
        "301",
        "--assignee",
        "carl",
        "--allow-override",
    ]);
    over.ok();
    assert_eq!(store.task("301").unwrap().assignee.as_deref(), Some("carl"));

    let unassign = kit.run(["tasks", "unassign", "301", "-o", "json"]);
    unassign.ok();
    assert!(unassign.json().get("assignee").is_none_or(Value::is_null));
    assert_eq!(store.task("301").unwrap().assignee, None);
    let line = kit.run(["tasks", "unassign", "301"]).fails(5);
    assert!(line.contains("Task is not assigned"), "{line}");

    kit.run(["tasks", "assign", "301", "--assignee", "bob"])
        .ok();
    let vars = kit.dir().join("vars.json");
    std::fs::write(
        &vars,
        r#"{"region": "APAC", "amount": 1, "lines": [{"sku": "A-1", "qty": 2}]}"#,
    )
    .unwrap();
    let complete = kit.run([
        "tasks",
        "complete",
        "301",
        "--vars-file",
        vars.to_str().unwrap(),
        "--var",
        "amount=99.50",
        "--var",
        "approved=true",
        "--var",
        "big=18446744073709551615",
        "--var-str",
        "comment=looks \"good\", ✓",
        "--wait",
        "-o",
        "json",
    ]);
    complete.ok();
    // With --wait a change prints the task after it (v1 answers it: still one request).
    assert_eq!(complete.json()["taskState"], "COMPLETED");
    let task = store.task("301").unwrap();
    assert_eq!(task.state, TaskState::Completed);
    let stored: std::collections::BTreeMap<String, String> = store
        .completed_variables("301")
        .unwrap()
        .into_iter()
        .map(|v| (v.name, v.value))
        .collect();
    assert_eq!(
        stored["amount"], "99.50",
        "--var wins over the file, digits kept"
    );
    assert_eq!(stored["approved"], "true");
    assert_eq!(stored["big"], "18446744073709551615");
    assert_eq!(stored["region"], "\"APAC\"");
    assert_eq!(
        serde_json::from_str::<Value>(&stored["lines"]).unwrap(),
        json!([{"sku": "A-1", "qty": 2}])
    );
    assert_eq!(
        serde_json::from_str::<Value>(&stored["comment"]).unwrap(),
        json!("looks \"good\", ✓")
    );

    // Completed tasks cannot be completed again.
    let line = kit.run(["tasks", "complete", "301"]).fails(5);
    assert!(line.contains("Task is not active"), "{line}");
}

#[test]
fn complete_reads_variables_from_stdin_and_refuses_bad_json() {
    let kit = Kit::start(Mode::OAuth);
    kit.add_task("311", "Approve invoice");
    kit.assign_in_store("311", "bob");

    // A value that is not JSON is refused before anything is sent.
    kit.server().reset_counters();
    let line = kit
        .run(["tasks", "complete", "311", "--var", "note=hello"])
        .fails(2);
    assert!(line.contains("--var-str"), "{line}");
    let line = kit
        .run(["tasks", "complete", "311", "--var", "missing-equals"])
        .fails(2);
    assert!(line.contains("--var"), "{line}");
    let not_object = kit.dir().join("list.json");
    std::fs::write(&not_object, "[1, 2]").unwrap();
    kit.run([
        "tasks",
        "complete",
        "311",
        "--vars-file",
        not_object.to_str().unwrap(),
    ])
    .fails(2);
    assert_eq!(kit.server().total_requests(), 0);
    assert_eq!(
        kit.server().store().task("311").unwrap().state,
        TaskState::Created
    );

    let mut cmd = kit.cmd();
    cmd.args(["tasks", "complete", "311", "--vars-file", "-"])
        .write_stdin(r#"{"decision": {"ok": true}}"#);
    kit.finish(&mut cmd).ok();
    let stored = kit.server().store().completed_variables("311").unwrap();
    let decision = stored.iter().find(|v| v.name == "decision").unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&decision.value).unwrap(),
        json!({"ok": true})
    );
}

#[test]
fn variables_full_values_drafts_and_variable_get() {
    let kit = Kit::with(Mode::OAuth, builder(Mode::OAuth).truncation_threshold(16));
    kit.add_task("401", "Review contract");
    let long = format!("\"{}\"", "x".repeat(100));
    kit.server()
        .store()
        .insert_variable("401", "contract", &long)
        .unwrap();

    // Searched values longer than the threshold come truncated...
    let run = kit.run(["tasks", "variables", "401", "-o", "json"]);
    run.ok();
    let variables = run.json();
    let contract = variables
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "contract")
        .expect("the contract variable")
        .clone();
    assert_eq!(contract["isValueTruncated"], true);
    assert!(contract["value"].is_null() || contract.get("value").is_none());
    assert_eq!(contract["previewValue"].as_str().unwrap().len(), 16);
    let amount = variables
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "amount")
        .unwrap();
    assert_eq!(amount["value"], "1250.5");
    assert_eq!(kit.server().requests(Route::GetVariable), 0);
    let table = kit.run(["tasks", "variables", "401", "-o", "table"]);
    table.ok();
    assert!(table.stdout.contains("truncated"), "{}", table.stdout);

    // ...and whole with --full, fetched one by one.
    let full = kit.run(["tasks", "variables", "401", "--full", "-o", "json"]);
    full.ok();
    let variables = full.json();
    let contract = variables
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "contract")
        .unwrap();
    assert_eq!(contract["value"].as_str().unwrap(), long);
    assert_eq!(contract["isValueTruncated"], false);
    assert_eq!(kit.server().requests(Route::GetVariable), 1);

    // --name selects.
    let one = kit.run([
        "tasks",
        "variables",
        "401",
        "--name",
        "region",
        "-o",
        "json",
    ]);
    one.ok();
    let one = one.json();
    assert_eq!(one.as_array().unwrap().len(), 1);
    assert_eq!(one[0]["value"], "\"EMEA\"");

    // variables get: the full value by id.
    let id = contract["id"].as_str().unwrap().to_owned();
    let get = kit.run(["variables", "get", &id, "-o", "json"]);
    get.ok();
    assert_eq!(get.json()["value"].as_str().unwrap(), long);
    assert_eq!(get.json()["name"], "contract");
    let line = kit.run(["variables", "get", "no-such-variable"]).fails(4);
    assert!(line.contains("no-such-variable"), "{line}");

    // Drafts replace each other and show in the variables.
    let saved = kit.run([
        "tasks",
        "save-draft",
        "401",
        "--var",
        "amount=7",
        "--var-str",
        "note=half done",
        "-o",
        "json",
    ]);
    saved.ok();
    assert_eq!(saved.json()["taskId"], "401");
    let drafts = kit.server().store().draft_variables("401").unwrap();
    let mut names: Vec<(String, String)> = drafts.into_iter().map(|d| (d.name, d.value)).collect();
    names.sort();
    assert_eq!(
        names,
        [
            ("amount".to_owned(), "7".to_owned()),
            ("note".to_owned(), "\"half done\"".to_owned())
        ]
    );
    let table = kit.run([
        "tasks",
        "save-draft",
        "401",
        "--var",
        "amount=8",
        "-o",
        "table",
    ]);
    table.ok();
    assert!(
        table.stdout.contains("Saved 1 draft variable"),
        "{}",
        table.stdout
    );
    let drafts = kit.server().store().draft_variables("401").unwrap();
    assert_eq!(drafts.len(), 1, "the second draft replaces the first");
    assert_eq!(
        (drafts[0].name.as_str(), drafts[0].value.as_str()),
        ("amount", "8")
    );
    let with_draft = kit.run([
        "tasks",
        "variables",
        "401",
        "--name",
        "amount",
        "-o",
        "json",
    ]);
    let with_draft = with_draft.json();
    assert_eq!(with_draft[0]["value"], "1250.5");
    assert_eq!(with_draft[0]["draft"]["value"], "8", "{with_draft}");
}

#[test]
fn forms_get_prints_the_schema() {
    let kit = Kit::start(Mode::OAuth);
    let schema = kit.add_form();
    let json = kit.get_form("json");
    json.ok();
    let form = json.json();
    assert_eq!(form["id"], "cli-form");
    assert_eq!(form["processDefinitionKey"], "777");
    assert_eq!(form["schema"].as_str().unwrap(), schema);

    // On a terminal (the table format) the schema itself, as JSON.
    kit.assert_form_table_is_schema(&schema);

    let line = kit
        .run(["forms", "get", "nope", "--process-definition-key", "777"])
        .fails(4);
    assert!(line.contains("form with id nope was not found"), "{line}");
    // The process definition key is required.
    kit.run(["forms", "get", "cli-form"]).fails(2);
}

#[test]
fn auth_check_reports_the_token_without_showing_it() {
    let kit = Kit::start(Mode::OAuth);
    let report = kit.auth_check();
    assert_eq!(report["strategy"], "OAUTH");
    assert_eq!(report["audience"], "tasklist-api");
    assert_eq!(report["tokenAudience"], json!(["tasklist-api"]));
    assert_eq!(report["clientId"], crate::common::CLIENT_ID);
    assert_eq!(report["api"], "ok");
    let left = report["expiresInSeconds"].as_u64().unwrap();
    assert!((240..=300).contains(&left), "{left}");
    let expires: tasklist_api::jiff::Timestamp =
        report["expiresAt"].as_str().unwrap().parse().unwrap();
    assert!(expires > tasklist_api::jiff::Timestamp::now());
    assert!(report.get("token").is_none());
    assert_eq!(kit.server().token_requests(), 1);

    let table = kit.run(["auth", "check", "-o", "table"]);
    table.ok();
    assert!(table.stdout.contains("OAUTH") && table.stdout.contains("tasklist-api"));

    // --show-token prints the token: the one the API accepts.
    let mut cmd = kit.cmd();
    cmd.args(["auth", "check", "--show-token", "-o", "json"]);
    let shown = crate::common::Run::of(cmd.output().unwrap());
    shown.ok();
    assert!(!shown.stdout.contains(crate::common::CLIENT_SECRET));
    let token = shown.json()["token"].as_str().unwrap().to_owned();
    assert_eq!(token.split('.').count(), 3, "a JWT");
    assert!(shown.stderr.is_empty(), "{}", shown.stderr);
    let mut bearer = kit.bare();
    bearer
        .env("CAMUNDA_TASKLIST_BASE_URL", kit.server().base_url())
        .env("CAMUNDA_OAUTH_TOKEN", &token)
        .args(["tasks", "search", "-o", "json"]);
    let by_token = kit.finish(&mut bearer);
    by_token.ok();
    assert_eq!(by_token.json(), json!([]));
    // The cached token was reused: still one token request.
    assert_eq!(kit.server().token_requests(), 1);
}

#[test]
fn login_and_logout_are_for_cookie_sessions_only() {
    let kit = Kit::start(Mode::OAuth);
    let line = kit.run(["auth", "login"]).fails(2);
    assert!(line.contains("cookie"), "{line}");
    kit.run(["auth", "logout"]).fails(2);
    assert_eq!(kit.server().total_requests(), 0);
}

#[test]
fn completions_print_a_script() {
    let kit = Kit::start(Mode::OAuth);
    let bash = kit.run(["completions", "bash"]);
    bash.ok();
    assert!(bash.stdout.contains("_tasklist()"), "a bash function");
    assert!(bash.stdout.contains("complete -F _tasklist"));
    for word in ["search", "save-draft", "--sandbox", "--var-str"] {
        assert!(bash.stdout.contains(word), "{word}");
    }
    let zsh = kit.run(["completions", "zsh"]);
    zsh.ok();
    assert!(zsh.stdout.starts_with("#compdef tasklist"));
    kit.run(["completions", "tcsh-of-the-future"]).code(2);
    assert_eq!(kit.server().total_requests(), 0);
}

/// Without `--allow-override`, an assigned task keeps its assignee, whoever asks.
#[test]
fn assign_without_allow_override_keeps_the_assignee() {
    let kit = Kit::start(Mode::OAuth);
    kit.add_task("321", "Approve invoice");
    kit.run(["tasks", "assign", "321", "--assignee", "bob"])
        .ok();
    let line = kit
        .run(["tasks", "assign", "321", "--assignee", "carl"])
        .fails(5);
    assert!(line.contains("Task is already assigned"), "{line}");
    let store = kit.server();
    assert_eq!(
        store.store().task("321").unwrap().assignee.as_deref(),
        Some("bob")
    );
}
