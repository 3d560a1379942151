//! Every command with HTTP Basic against the 8.8 profile (problem+json errors), configured
//! through the environment plus `--base-url`.

use tasklist_testkit::Route;
use tasklist_testkit::store::TaskState;

use crate::common::{Kit, Mode, USERNAME};

#[test]
fn every_command_works_with_basic_credentials() {
    let kit = Kit::with(Mode::Basic, crate::common::builder(Mode::Basic).tasks(30));
    kit.add_task("601", "Approve invoice");
    let schema = kit.add_form();
    let server = kit.server();

    let report = kit.auth_check();
    assert_eq!(report["strategy"], "BASIC");
    assert_eq!(report["username"], USERNAME);
    assert_eq!(report["api"], "ok");

    let all = kit.run([
        "tasks",
        "search",
        "--all",
        "--page-size",
        "7",
        "-o",
        "jsonl",
    ]);
    all.ok();
    let visible = server
        .store()
        .tasks()
        .into_iter()
        .filter(|t| t.state != TaskState::Canceled)
        .count();
    assert_eq!(all.jsonl().len(), visible);
    let table = kit.run([
        "tasks",
        "search",
        "--task-definition-id",
        "Approve invoice",
        "-o",
        "table",
    ]);
    table.ok();
    assert!(table.stdout.contains("601"), "{}", table.stdout);

    let get = kit.run(["tasks", "get", "601", "-o", "json"]);
    get.ok();
    assert_eq!(get.json()["id"], "601");

    kit.run(["tasks", "assign", "601"]).ok();
    assert_eq!(
        server.store().task("601").unwrap().assignee.as_deref(),
        Some(USERNAME)
    );
    kit.run(["tasks", "unassign", "601"]).ok();
    assert_eq!(server.store().task("601").unwrap().assignee, None);
    let assigned = kit.run(["tasks", "assign", "601", "-o", "jsonl"]);
    assigned.ok();
    assert_eq!(assigned.jsonl()[0]["assignee"], USERNAME);

    kit.run(["tasks", "save-draft", "601", "--var", "amount=1"])
        .ok();
    assert_eq!(server.store().draft_variables("601").unwrap().len(), 1);
    let variables = kit.run(["tasks", "variables", "601", "--full", "-o", "json"]);
    variables.ok();
    assert!(variables.json().as_array().unwrap().len() >= 2);
    let one = kit.run(["variables", "get", "601-region", "-o", "json"]);
    one.ok();
    assert_eq!(one.json()["value"], "\"EMEA\"");
    kit.assert_form_table_is_schema(&schema);

    let vars = kit.dir().join("v.json");
    std::fs::write(&vars, r#"{"approved": true}"#).unwrap();
    kit.run([
        "tasks",
        "complete",
        "601",
        "--vars-file",
        vars.to_str().unwrap(),
        "--var-str",
        "by=cli",
    ])
    .ok();
    assert_eq!(
        server.store().task("601").unwrap().state,
        TaskState::Completed
    );
    let stored = server.store().completed_variables("601").unwrap();
    assert!(
        stored
            .iter()
            .any(|v| v.name == "approved" && v.value == "true")
    );
    assert!(
        stored
            .iter()
            .any(|v| v.name == "by" && v.value == "\"cli\"")
    );

    // Basic needs no login: no login or token request at all.
    assert_eq!(server.logins(), 0);
    assert_eq!(server.token_requests(), 0);
    assert_eq!(server.requests(Route::CompleteTask), 1);

    // Cookie sessions only.
    kit.run(["auth", "login"]).fails(2);
}

#[test]
fn problem_details_of_the_88_server_reach_the_error_line() {
    let kit = Kit::start(Mode::Basic);
    kit.add_task("611", "Approve invoice");
    let line = kit.run(["tasks", "get", "999"]).fails(4);
    assert!(line.contains("task with id 999 was not found"), "{line}");
    kit.run(["tasks", "assign", "611"]).ok();
    let line = kit.run(["tasks", "assign", "611"]).fails(5);
    assert!(line.contains("Task is already assigned"), "{line}");
    // Cookie login on 8.8 is at /login: Basic needs none.
    let line = kit.run(["graphql", "{ tasks(query: {}) { id } }"]).fails(4);
    assert!(line.contains("GraphQL"), "{line}");
}

#[test]
fn a_wrong_basic_password_is_an_authentication_failure() {
    let kit = Kit::start(Mode::Basic);
    let mut cmd = kit.cmd();
    cmd.env("CAMUNDA_BASIC_AUTH_PASSWORD", "wrong-SECRET-basic")
        .args(["tasks", "search", "--verbose"]);
    let run = kit.finish(&mut cmd);
    let line = run.fails(3);
    assert!(line.contains("401"), "{line}");
    assert!(line.contains("CAMUNDA_BASIC_AUTH_PASSWORD"), "{line}");
    run.assert_no_secrets(&["wrong-SECRET-basic".to_owned()]);
}
