//! Every task command on every Camunda version (8.7 on API v1; 8.8 and 8.9 on v2, the
//! default; 8.10, v2 only) with every way to sign in (OAuth, a cookie session with CSRF,
//! Basic): the same task found, the same JSON keys, the same state after completing, the same
//! variables, the same exit codes; and `--wait` with the reads lagging behind the commands.
//!
//! Cases: 4 profiles x 3 authentication methods = 12 full runs of the commands, plus
//! 4 profiles x lag on and off = 8 runs of the changing commands with `--wait`: 20 cases.
//! One more test checks, on each of the 4 profiles, that every task command makes exactly
//! one request with a warm cache (`tasks form` on v1: two, the task and then its form, since
//! v1 has no call for a task's form).

use std::time::Duration;

use serde_json::Value;
use tasklist_testkit::store::{Form, Task, TaskImplementation};
use tasklist_testkit::{Profile, Route};

use crate::common::{Kit, Mode, Run, USERNAME, builder};

const KEY: &str = "2251799813699001";

/// The schema of the deployed form the task links to.
const SCHEMA: &str = r#"{"id":"review-form","components":[{"key":"approved","type":"checkbox"}]}"#;

/// A kit for `profile` and `mode`, holding one open Camunda user task (visible on both APIs);
/// on 8.7 a job-worker task, since API v1 refuses OAuth clients changes to Zeebe user tasks
/// there as from 8.8 on.
fn kit(profile: Profile, mode: Mode, lag: Duration) -> Kit {
    let kit = Kit::with(mode, builder(mode).profile(profile).consistency_lag(lag));
    let mut task = Task::new(KEY, "Review contract");
    task.candidate_groups = Some(vec!["legal".to_owned()]);
    task.implementation = if profile == Profile::V8_7 {
        TaskImplementation::JobWorker
    } else {
        TaskImplementation::ZeebeUserTask
    };
    task.process_definition_key = "2251799813698001".to_owned();
    task.form_id = Some("review-form".to_owned());
    task.form_version = Some(1);
    let server = kit.server();
    server.store().insert_task(task);
    server
        .store()
        .insert_form(Form::deployed("review-form", 1, "2251799813698001", SCHEMA));
    server
        .store()
        .insert_variable(KEY, "amount", "1250.5")
        .expect("a variable");
    kit
}

/// Runs `tasklist ARGS` with the API left to detection (the Basic kit pins v1 otherwise).
fn run(kit: &Kit, args: &[&str]) -> Run {
    let mut cmd = kit.cmd();
    cmd.env_remove("TASKLIST_API").args(args);
    kit.finish(&mut cmd)
}

/// The task `tasks get` prints.
#[track_caller]
fn get(kit: &Kit) -> Value {
    let got = run(kit, &["tasks", "get", KEY, "-o", "json"]);
    got.ok();
    got.json()
}

/// The keys of a JSON object, in order.
fn keys(value: &Value) -> Vec<String> {
    value
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

/// The output shapes seen so far: each must be the same on every version and sign-in.
#[derive(Default)]
struct Shapes(std::collections::BTreeMap<&'static str, (String, Vec<String>)>);

impl Shapes {
    #[track_caller]
    fn same(&mut self, what: &'static str, label: &str, value: &Value) {
        let seen = keys(value);
        assert!(
            !seen.is_empty(),
            "{label}: {what} is not an object: {value}"
        );
        match self.0.get(what) {
            Some((first, expected)) => assert_eq!(
                &seen, expected,
                "{what}: the keys on {label} differ from those on {first}"
            ),
            None => {
                self.0.insert(what, (label.to_owned(), seen));
            }
        }
    }
}

#[test]
fn every_task_command_on_every_version_and_authentication() {
    let mut shapes = Shapes::default();
    for profile in Profile::ALL {
        let v1 = profile == Profile::V8_7;
        let history = matches!(profile, Profile::V8_9 | Profile::V8_10);
        for mode in [Mode::OAuth, Mode::Cookie, Mode::Basic] {
            let label = format!("{profile} {mode:?}");
            let kit = kit(profile, mode, Duration::ZERO);

            let found = run(
                &kit,
                &[
                    "tasks",
                    "search",
                    "--candidate-group",
                    "legal",
                    "-o",
                    "json",
                ],
            );
            found.ok();
            let found = found.json();
            let found = found.as_array().expect("a list");
            assert_eq!(found.len(), 1, "{label}: {found:?}");
            assert_eq!(found[0]["id"], KEY, "{label}");
            shapes.same("a found task", &label, &found[0]);
            let all = run(&kit, &["tasks", "search", "--all", "-o", "jsonl"]);
            all.ok();
            assert!(all.jsonl().iter().any(|t| t["id"] == KEY), "{label}");

            let task = get(&kit);
            shapes.same("a task", &label, &task);
            assert_eq!(task["taskState"], "CREATED", "{label}");
            assert_eq!(task["name"], "Review contract", "{label}");
            run(&kit, &["tasks", "get", "999"]).fails(4);

            let variables = run(&kit, &["tasks", "variables", KEY, "--full", "-o", "json"]);
            variables.ok();
            let amount = variables
                .json()
                .as_array()
                .and_then(|vs| vs.iter().find(|v| v["name"] == "amount").cloned())
                .expect("amount");
            assert_eq!(amount["value"], "1250.5", "{label}");
            shapes.same("a variable", &label, &amount);
            let variable_id = amount["id"].as_str().expect("a variable id").to_owned();
            let one = run(&kit, &["variables", "get", &variable_id, "-o", "json"]);
            one.ok();
            assert_eq!(one.json()["value"], "1250.5", "{label}");
            assert_eq!(one.json()["name"], "amount", "{label}");
            shapes.same("a variable", &label, &one.json());
            run(&kit, &["variables", "get", "2251799813000404"]).fails(4);

            let form = run(&kit, &["tasks", "form", KEY, "-o", "json"]);
            form.ok();
            let schema = form.json()["schema"].as_str().map(str::to_owned);
            assert_eq!(schema.as_deref(), Some(SCHEMA), "{label}: {}", form.stdout);

            let assigned = run(
                &kit,
                &[
                    "tasks",
                    "assign",
                    KEY,
                    "--assignee",
                    USERNAME,
                    "--wait",
                    "-o",
                    "json",
                ],
            );
            assigned.ok();
            assert_eq!(assigned.json()["assignee"], USERNAME, "{label}");
            shapes.same("a task", &label, &assigned.json());
            assert_eq!(get(&kit)["assignee"], USERNAME, "{label}");
            run(&kit, &["tasks", "unassign", KEY, "--wait=5"]).ok();
            assert!(
                get(&kit).get("assignee").is_none_or(Value::is_null),
                "{label}"
            );
            // Without --wait: the change itself, the same on every version.
            let change = run(
                &kit,
                &["tasks", "assign", KEY, "--assignee", USERNAME, "-o", "json"],
            );
            change.ok();
            assert_eq!(
                change.json(),
                serde_json::json!({"id": KEY, "change": "assigned", "assignee": USERNAME}),
                "{label}"
            );
            assert_eq!(get(&kit)["assignee"], USERNAME, "{label}");

            // What one API lacks: exit 2, nothing changed.
            let update = run(
                &kit,
                &["tasks", "update", KEY, "--priority", "80", "--wait"],
            );
            let draft = run(&kit, &["tasks", "save-draft", KEY, "--var", "note=1"]);
            let implementation = run(&kit, &["tasks", "search", "--implementation", "job-worker"]);
            if v1 {
                update.fails(2);
                draft.ok();
                implementation.ok();
            } else {
                update.ok();
                assert_eq!(get(&kit)["priority"], 80, "{label}");
                let line = draft.fails(2);
                assert!(line.contains("not supported on API v2"), "{label}: {line}");
                implementation.fails(2);
            }
            let audit = run(&kit, &["tasks", "history", KEY, "-o", "json"]);
            if history {
                audit.ok();
                let entries = audit.json();
                let first = entries.as_array().and_then(|e| e.first()).cloned();
                shapes.same("a history entry", &label, &first.unwrap_or_default());
            } else {
                audit.fails(2);
            }

            let done = run(
                &kit,
                &[
                    "tasks",
                    "complete",
                    KEY,
                    "--var",
                    "approved=true",
                    "--wait",
                    "-o",
                    "json",
                ],
            );
            done.ok();
            assert_eq!(done.json()["taskState"], "COMPLETED", "{label}");
            shapes.same("a task", &label, &done.json());
            assert_eq!(get(&kit)["taskState"], "COMPLETED", "{label}");
            let stored = kit.server().store().variables(KEY).unwrap_or_default();
            assert!(
                stored
                    .iter()
                    .any(|v| v.name == "approved" && v.value == "true"),
                "{label}"
            );
        }
    }
}

#[test]
fn wait_sees_the_change_with_and_without_lag() {
    for profile in Profile::ALL {
        for lag in [Duration::ZERO, Duration::from_millis(400)] {
            let label = format!("{profile} lag {lag:?}");
            let kit = kit(profile, Mode::OAuth, lag);
            let assigned = run(
                &kit,
                &[
                    "tasks",
                    "assign",
                    KEY,
                    "--assignee",
                    "bob",
                    "--wait",
                    "-o",
                    "json",
                ],
            );
            assigned.ok();
            assert_eq!(assigned.json()["assignee"], "bob", "{label}");
            let done = run(&kit, &["tasks", "complete", KEY, "--wait=10", "-o", "json"]);
            done.ok();
            assert_eq!(done.json()["taskState"], "COMPLETED", "{label}");
        }
    }
}

#[test]
fn with_a_warm_cache_every_task_command_makes_one_request_on_every_version() {
    for profile in Profile::ALL {
        let v1 = profile == Profile::V8_7;
        let kit = kit(profile, Mode::OAuth, Duration::ZERO);
        let server = kit.server();
        // Fetches the token and finds out the task API; both are cached.
        run(&kit, &["auth", "check"]).ok();
        let on = |v1_route: Route, v2_route: Route| if v1 { v1_route } else { v2_route };
        let listed = run(&kit, &["tasks", "variables", KEY, "-o", "json"]);
        listed.ok();
        let variable_id = listed.json()[0]["id"]
            .as_str()
            .expect("a variable id")
            .to_owned();
        let mut commands: Vec<(Vec<&str>, Vec<Route>)> = vec![
            (
                vec!["tasks", "search"],
                vec![on(Route::SearchTasks, Route::SearchUserTasks)],
            ),
            (
                vec!["tasks", "search", "--all"],
                vec![on(Route::SearchTasks, Route::SearchUserTasks)],
            ),
            (
                vec!["tasks", "get", KEY],
                vec![on(Route::GetTask, Route::GetUserTask)],
            ),
            (
                vec!["tasks", "variables", KEY],
                vec![on(
                    Route::SearchTaskVariables,
                    Route::SearchUserTaskVariables,
                )],
            ),
            (
                vec!["variables", "get", &variable_id],
                vec![on(Route::GetVariable, Route::GetVariableByKey)],
            ),
            // v1 has no form-of-a-task call: the task names its form, then the form is read.
            (
                vec!["tasks", "form", KEY],
                if v1 {
                    vec![Route::GetTask, Route::GetForm]
                } else {
                    vec![Route::GetUserTaskForm]
                },
            ),
            (
                vec!["tasks", "assign", KEY, "--assignee", USERNAME],
                vec![on(Route::AssignTask, Route::AssignUserTask)],
            ),
            (
                vec!["tasks", "unassign", KEY],
                vec![on(Route::UnassignTask, Route::UnassignUserTask)],
            ),
        ];
        if v1 {
            commands.push((
                vec!["tasks", "save-draft", KEY, "--var", "note=1"],
                vec![Route::SaveDraftVariables],
            ));
        } else {
            commands.push((
                vec!["tasks", "update", KEY, "--priority", "70"],
                vec![Route::UpdateUserTask],
            ));
        }
        if matches!(profile, Profile::V8_9 | Profile::V8_10) {
            commands.push((
                vec!["tasks", "history", KEY],
                vec![Route::SearchUserTaskAuditLogs],
            ));
        }
        commands.push((
            vec!["tasks", "assign", KEY, "--assignee", USERNAME],
            vec![on(Route::AssignTask, Route::AssignUserTask)],
        ));
        commands.push((
            vec!["tasks", "complete", KEY, "--var", "approved=true"],
            vec![on(Route::CompleteTask, Route::CompleteUserTask)],
        ));
        for (args, routes) in commands {
            server.reset_counters();
            run(&kit, &args).ok();
            let counted: Vec<u64> = routes.iter().map(|r| server.requests(*r)).collect();
            assert_eq!(
                (server.total_requests(), counted),
                (routes.len() as u64, vec![1; routes.len()]),
                "{profile}: {args:?} makes exactly these requests: {routes:?}"
            );
        }
    }
}
