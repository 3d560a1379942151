//! Every command with a cookie session and CSRF protection on (8.7 profile: `/api/login`,
//! `TASKLIST-SESSION`), configured through flags and a password file.

use std::os::unix::fs::PermissionsExt as _;

use serde_json::{Value, json};
use tasklist_testkit::store::TaskState;
use tasklist_testkit::{Fault, Route};

use crate::common::{Kit, Mode, USERNAME};

/// The cookie-mode command without the password: only a kept session can authenticate it.
fn without_password(kit: &Kit) -> assert_cmd::Command {
    let mut cmd = kit.bare();
    cmd.arg("--base-url")
        .arg(kit.server().base_url())
        .args(["--auth", "cookie", "--username", USERNAME])
        .arg("--session-file")
        .arg(kit.session_file());
    cmd
}

#[test]
fn login_keeps_a_private_session_that_later_commands_use() {
    let kit = Kit::start(Mode::Cookie);
    kit.add_task("501", "Approve invoice");
    let server = kit.server();

    let login = kit.run(["auth", "login", "-o", "json"]);
    login.ok();
    assert_eq!(
        login.json(),
        json!({
            "username": USERNAME,
            "loggedIn": true,
            "sessionFile": kit.session_file().display().to_string(),
        })
    );
    assert_eq!(server.successful_logins(), 1);
    assert_eq!(server.active_sessions(), 1);
    let mode = std::fs::metadata(kit.session_file())
        .expect("the session file")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    let secrets = kit.session_secrets();
    assert!(
        !secrets.is_empty(),
        "the session file holds the cookie: {:?}",
        std::fs::read_to_string(kit.session_file())
    );

    // Later commands, without any password, use the kept session and its CSRF token.
    let run = |args: &[&str]| {
        let mut cmd = without_password(&kit);
        cmd.args(args);
        kit.finish(&mut cmd)
    };
    let search = run(&["tasks", "search", "-o", "json"]);
    search.ok();
    assert_eq!(search.json()[0]["id"], "501");
    let assign = run(&["tasks", "assign", "501", "-o", "json"]);
    assign.ok();
    assert_eq!(
        assign.json()["assignee"],
        USERNAME,
        "a user assigns to themself"
    );
    assert_eq!(
        server.store().task("501").unwrap().assignee.as_deref(),
        Some(USERNAME)
    );
    run(&["tasks", "save-draft", "501", "--var", "amount=3"]).ok();
    assert_eq!(server.store().draft_variables("501").unwrap().len(), 1);
    run(&["tasks", "complete", "501", "--var", "approved=true"]).ok();
    assert_eq!(
        server.store().task("501").unwrap().state,
        TaskState::Completed
    );
    let check = run(&["auth", "check", "-o", "json"]);
    check.ok();
    assert_eq!(check.json()["strategy"], "COOKIE");
    assert_eq!(check.json()["session"], "kept");
    assert_eq!(server.logins(), 1, "no command logged in again");
    assert!(server.requests(Route::CompleteTask) == 1 && server.requests(Route::AssignTask) == 1);

    // Logout ends the session on the server and removes the file.
    let logout = run(&["auth", "logout", "-o", "json"]);
    logout.ok();
    assert_eq!(logout.json()["loggedIn"], false);
    assert_eq!(server.requests(Route::Logout), 1);
    assert_eq!(server.active_sessions(), 0);
    assert!(!kit.session_file().exists());

    // Without a session or a password, commands fail as unauthenticated, sending nothing.
    server.reset_counters();
    let line = run(&["tasks", "search"]).fails(3);
    assert!(line.contains("auth login"), "{line}");
    assert_eq!(server.total_requests(), 0);
    let table = run(&["auth", "logout", "-o", "table"]);
    table.ok();
    assert!(table.stdout.contains("No session"), "{}", table.stdout);

    // The values of the old session never appeared.
    for run in [&search, &assign, &check, &logout] {
        run.assert_no_secrets(&secrets);
    }
}

#[test]
fn a_session_the_server_forgot_asks_for_a_new_login() {
    let kit = Kit::start(Mode::Cookie);
    kit.run(["auth", "login"]).ok();
    kit.server().revoke_sessions();
    let mut cmd = without_password(&kit);
    cmd.args(["tasks", "search"]);
    let line = kit.finish(&mut cmd).fails(3);
    assert!(line.contains("auth login"), "{line}");
    // With the password, the command logs in again by itself.
    kit.run(["tasks", "search"]).ok();
    assert_eq!(kit.server().successful_logins(), 2);
}

#[test]
fn every_command_works_with_a_password() {
    let kit = Kit::start(Mode::Cookie);
    kit.add_task("511", "Approve invoice");
    kit.add_task("512", "Review invoice");
    let schema = kit.add_form();
    let server = kit.server();

    let report = kit.auth_check();
    assert_eq!(report["strategy"], "COOKIE");
    assert_eq!(report["username"], USERNAME);
    assert_eq!(report["api"], "ok");
    assert!(report.get("token").is_none());

    let search = kit.run([
        "tasks",
        "search",
        "--candidate-group",
        "cli-testers",
        "-o",
        "json",
    ]);
    search.ok();
    assert_eq!(search.json().as_array().unwrap().len(), 2);
    let get = kit.run(["tasks", "get", "511", "-o", "json"]);
    get.ok();
    assert_eq!(get.json()["name"], "Approve invoice");

    // A user may not assign someone else (403 permission: rejected, not an auth failure).
    let line = kit
        .run(["tasks", "assign", "511", "--assignee", "bob"])
        .fails(5);
    assert!(line.contains("permission"), "{line}");
    kit.run(["tasks", "assign", "511"]).ok();
    assert_eq!(
        server.store().task("511").unwrap().assignee.as_deref(),
        Some(USERNAME)
    );
    kit.run(["tasks", "unassign", "511"]).ok();
    assert_eq!(server.store().task("511").unwrap().assignee, None);
    kit.run(["tasks", "assign", "511"]).ok();

    kit.run(["tasks", "save-draft", "511", "--var-str", "note=draft"])
        .ok();
    let variables = kit.run(["tasks", "variables", "511", "-o", "json"]);
    variables.ok();
    let names: Vec<String> = variables
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        names.contains(&"amount".to_owned()) && names.contains(&"region".to_owned()),
        "{names:?}"
    );
    let variable = kit.run(["variables", "get", "511-amount", "-o", "json"]);
    variable.ok();
    assert_eq!(variable.json()["value"], "1250.5");
    let form = kit.get_form("json");
    form.ok();
    assert_eq!(form.json()["schema"].as_str().unwrap(), schema);

    let complete = kit.run([
        "tasks",
        "complete",
        "511",
        "--var",
        "approved=false",
        "-o",
        "json",
    ]);
    complete.ok();
    // Without --wait a change prints what was done, the same on every API version.
    assert_eq!(
        complete.json(),
        serde_json::json!({"id": "511", "change": "completed"})
    );
    assert_eq!(
        server.store().task("511").unwrap().state,
        TaskState::Completed
    );
    let stored = server.store().completed_variables("511").unwrap();
    assert!(
        stored
            .iter()
            .any(|v| v.name == "approved" && v.value == "false")
    );
    // A user completes only their own tasks: 512 is assigned to someone else.
    kit.assign_in_store("512", "bob");
    kit.run(["tasks", "complete", "512"]).fails(5);
    assert_eq!(
        server.store().task("512").unwrap().state,
        TaskState::Created
    );

    // GraphQL (8.7) goes with the session and its CSRF token.
    let run = kit.run(["graphql", "{ tasks(query: {assignee: \"bob\"}) { id } }"]);
    run.ok();
    assert_eq!(run.json(), serde_json::json!({"tasks": [{"id": "512"}]}));

    // Each process logged in once (the session file keeps it between processes).
    assert!(server.logins() >= 1);
    assert!(
        server.logins() < 4,
        "{} logins for a dozen commands: the session is reused",
        server.logins()
    );
}

#[test]
fn csrf_rejections_are_retried_once_after_a_new_login() {
    let kit = Kit::start(Mode::Cookie);
    kit.add_task("521", "Approve invoice");
    kit.run(["auth", "login"]).ok();
    let server = kit.server();

    // One CSRF rejection: a new login and the request again.
    server.fail_next(Route::AssignTask, 1, Fault::Csrf403);
    kit.run(["tasks", "assign", "521"]).ok();
    assert_eq!(server.successful_logins(), 2);
    assert_eq!(server.requests(Route::AssignTask), 2);
    assert_eq!(
        server.store().task("521").unwrap().assignee.as_deref(),
        Some(USERNAME)
    );

    // Two: an authentication failure, exit 3, with what to do.
    server.fail_next(Route::UnassignTask, 2, Fault::Csrf403);
    let line = kit.run(["tasks", "unassign", "521"]).fails(3);
    assert!(line.contains("CSRF"), "{line}");
    assert_eq!(
        server.store().task("521").unwrap().assignee.as_deref(),
        Some(USERNAME)
    );

    // Without a password (a kept session only), no new login: exit 3 at once.
    let logins = server.logins();
    server.fail_next(Route::UnassignTask, 1, Fault::Csrf403);
    let mut cmd = without_password(&kit);
    cmd.args(["tasks", "unassign", "521"]);
    kit.finish(&mut cmd).fails(3);
    assert_eq!(server.logins(), logins);
}

#[test]
fn a_wrong_password_is_an_authentication_failure() {
    let kit = Kit::start(Mode::Cookie);
    let wrong = kit.dir().join("wrong-password");
    std::fs::write(&wrong, "not-the-password-SECRET-wrong\n").unwrap();
    let mut cmd = kit.bare();
    cmd.arg("--base-url")
        .arg(kit.server().base_url())
        .args(["--auth", "cookie", "--username", USERNAME])
        .arg("--password-file")
        .arg(&wrong)
        .arg("--session-file")
        .arg(kit.session_file())
        .args(["auth", "login", "--verbose"]);
    let run = kit.finish(&mut cmd);
    let line = run.fails(3);
    assert!(line.contains("401"), "{line}");
    assert!(line.contains("--password-file"), "{line}");
    run.assert_no_secrets(&["not-the-password-SECRET-wrong".to_owned()]);
    assert!(!kit.session_file().exists());
    assert_eq!(kit.server().successful_logins(), 0);
}

#[test]
fn login_from_the_environment_without_a_session_file_flag() {
    let kit = Kit::start(Mode::Cookie);
    let mut cmd = kit.bare();
    cmd.env("CAMUNDA_TASKLIST_BASE_URL", kit.server().base_url())
        .env("CAMUNDA_COOKIE_AUTH_USERNAME", USERNAME)
        .env("CAMUNDA_COOKIE_AUTH_PASSWORD", crate::common::PASSWORD)
        .env(
            "CAMUNDA_COOKIE_AUTH_URL",
            format!("{}/api/login", kit.server().base_url()),
        )
        .args(["auth", "login", "-o", "json"]);
    let run = kit.finish(&mut cmd);
    run.ok();
    // The session is kept under the state directory (XDG_STATE_HOME), never elsewhere.
    let file = run.json()["sessionFile"].as_str().unwrap().to_owned();
    let state = kit.dir().join("state");
    assert!(
        std::path::Path::new(&file).starts_with(&state),
        "{file} under {}",
        state.display()
    );
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let text = std::fs::read_to_string(&file).unwrap();
    let values = crate::common::session_values(&text);
    assert!(!values.is_empty(), "{text}");
    run.assert_no_secrets(&values);
    assert!(serde_json::from_str::<Value>(&text).is_ok());
}
