//! Exit codes and error lines: usage 2, authentication 3, not found 4, rejected 5, server or
//! network 6; `--verbose` and `RUST_LOG=trace` never print a secret.

use tasklist_testkit::{Fault, Route};

use crate::common::{CLIENT_ID, Kit, Mode, closed_port};

#[test]
fn usage_errors_exit_2_and_send_nothing() {
    let kit = Kit::start(Mode::OAuth);
    let server = kit.server();

    // Parsing errors (clap's own message on stderr).
    let run = kit.run(["tasks", "search", "--no-such-flag"]);
    run.code(2);
    assert!(run.stderr.contains("--no-such-flag") && run.stdout.is_empty());
    kit.run(["tasks", "get"]).code(2);
    kit.run(["tasks", "search", "--state", "sleeping"]).code(2);
    kit.run(["tasks", "search", "--priority", "5", "--priority-min", "1"])
        .code(2);
    // No command: the help, on stderr, exit 2.
    let bare = kit.run(std::iter::empty::<&str>());
    bare.code(2);
    assert!(bare.stderr.contains("Usage"));

    // Values checked before sending.
    let line = kit
        .run(["tasks", "search", "--due-date-from", "tomorrow"])
        .fails(2);
    assert!(line.contains("--due-date-from"), "{line}");
    kit.run(["tasks", "search", "--sort", "name"]).fails(2);
    kit.run(["tasks", "search", "--priority", "101"]).fails(2);
    kit.run(["graphql", "{ x }", "--variables", "[1]"]).fails(2);

    // Secrets are never flags.
    kit.run(["--client-secret", "x", "tasks", "search"]).code(2);
    kit.run(["--password", "x", "tasks", "search"]).code(2);

    // Incomplete settings name what to set.
    let mut cmd = kit.bare();
    cmd.env("CAMUNDA_TASKLIST_BASE_URL", server.base_url())
        .env("CAMUNDA_CLIENT_ID", CLIENT_ID)
        .env("CAMUNDA_OAUTH_URL", server.token_url())
        .args(["tasks", "search"]);
    let line = kit.finish(&mut cmd).fails(2);
    assert!(line.contains("CAMUNDA_CLIENT_SECRET"), "{line}");
    let mut cmd = kit.bare();
    cmd.args(["--auth", "basic", "--username", "ann", "tasks", "search"]);
    let line = kit.finish(&mut cmd).fails(2);
    assert!(line.contains("password"), "{line}");
    let mut cmd = kit.cmd();
    cmd.args([
        "--client-secret-file",
        "/nonexistent/secret",
        "tasks",
        "search",
    ]);
    let line = kit.finish(&mut cmd).fails(2);
    assert!(line.contains("/nonexistent/secret"), "{line}");
    let mut cmd = kit.cmd();
    cmd.args(["--base-url", "not a url", "tasks", "search"]);
    kit.finish(&mut cmd).fails(2);
    let mut cmd = kit.cmd();
    cmd.env("CAMUNDA_AUTH_STRATEGY", "KERBEROS")
        .args(["tasks", "search"]);
    let line = kit.finish(&mut cmd).fails(2);
    assert!(line.contains("CAMUNDA_AUTH_STRATEGY"), "{line}");
    // Aliases that disagree.
    let mut cmd = kit.cmd();
    cmd.env("ZEEBE_CLIENT_ID", "someone-else")
        .args(["tasks", "search"]);
    let line = kit.finish(&mut cmd).fails(2);
    assert!(line.contains("ZEEBE_CLIENT_ID"), "{line}");
    // --sandbox with connection flags.
    kit.run(["--sandbox", "--base-url", "http://x", "tasks", "search"])
        .code(2);

    assert_eq!(server.total_requests(), 0, "nothing was sent");
}

#[test]
fn authentication_failures_exit_3() {
    let kit = Kit::start(Mode::OAuth);
    let server = kit.server();

    // The token endpoint refuses the client.
    let mut cmd = kit.cmd();
    cmd.env("CAMUNDA_CLIENT_SECRET", "wrong-SECRET-client")
        .args(["tasks", "search"]);
    let run = kit.finish(&mut cmd);
    let line = run.fails(3);
    assert!(line.contains("invalid_client"), "{line}");
    assert!(line.contains("CAMUNDA_CLIENT_SECRET"), "{line}");
    run.assert_no_secrets(&["wrong-SECRET-client".to_owned()]);
    assert_eq!(server.requests(Route::SearchTasks), 0);

    // The API refuses twice (a fresh token does not help).
    server.fail_next(Route::SearchTasks, 2, Fault::Status401);
    let line = kit.run(["tasks", "search"]).fails(3);
    assert!(line.contains("401"), "{line}");
    assert_eq!(server.requests(Route::SearchTasks), 2);
    // Once is healed by a new token.
    server.fail_next(Route::GetTask, 1, Fault::Status401);
    kit.add_task("701", "Approve invoice");
    kit.run(["tasks", "get", "701"]).ok();

    // A token for another audience.
    let mut cmd = kit.cmd();
    cmd.env("CAMUNDA_TASKLIST_OAUTH_AUDIENCE", "zeebe-api")
        .args(["tasks", "search"]);
    kit.finish(&mut cmd).fails(3);

    // A static token the server does not accept.
    let mut cmd = kit.bare();
    cmd.env("CAMUNDA_TASKLIST_BASE_URL", server.base_url())
        .env("CAMUNDA_OAUTH_TOKEN", "opaque-SECRET-token")
        .args(["tasks", "search"]);
    let run = kit.finish(&mut cmd);
    let line = run.fails(3);
    assert!(line.contains("CAMUNDA_OAUTH_TOKEN"), "{line}");
    run.assert_no_secrets(&["opaque-SECRET-token".to_owned()]);

    // No authentication at all against a server that needs it.
    let mut cmd = kit.bare();
    cmd.env("CAMUNDA_TASKLIST_BASE_URL", server.base_url())
        .args(["tasks", "search"]);
    kit.finish(&mut cmd).fails(3);
}

#[test]
fn not_found_exits_4_and_rejected_exits_5() {
    let kit = Kit::start(Mode::OAuth);
    kit.add_task("711", "Approve invoice");
    for args in [
        &["tasks", "get", "404404"][..],
        &["tasks", "assign", "404404", "--assignee", "bob"],
        &["tasks", "unassign", "404404"],
        &["tasks", "complete", "404404"],
        &["tasks", "variables", "404404"],
        &["tasks", "save-draft", "404404", "--var", "a=1"],
    ] {
        let line = kit.run(args).fails(4);
        assert!(line.contains("404404"), "{args:?}: {line}");
        assert!(line.contains("was not found"), "{args:?}: {line}");
    }
    // The line says what failed, what the server said and what to do.
    let line = kit.run(["tasks", "get", "404404"]).fails(4);
    assert!(
        line.starts_with("error: cannot get task 404404: "),
        "{line}"
    );
    assert!(line.contains("tasks search"), "{line}");

    let line = kit.run(["tasks", "unassign", "711"]).fails(5);
    assert!(
        line.contains("400") && line.contains("Task is not assigned"),
        "{line}"
    );
    let line = kit.run(["tasks", "assign", "711"]).fails(5);
    assert!(line.contains("Assignee must be specified"), "{line}");
    kit.server()
        .fail_next(Route::SearchTasks, 1, Fault::Csrf403);
    // A CSRF 403 in OAuth mode is still an authentication failure.
    kit.run(["tasks", "search"]).fails(3);
}

#[test]
fn server_and_network_failures_exit_6() {
    let kit = Kit::start(Mode::OAuth);
    kit.add_task("721", "Approve invoice");
    let server = kit.server();

    server.fail_next(Route::GetTask, 1, Fault::Internal500);
    let line = kit.run(["tasks", "get", "721"]).fails(6);
    assert!(line.contains("500"), "{line}");
    assert!(line.contains("try again later"), "{line}");

    // 503 is retried (three attempts in all), then reported.
    server.reset_counters();
    server.fail_next(
        Route::SearchTasks,
        3,
        Fault::Unavailable { retry_after: None },
    );
    let line = kit.run(["tasks", "search"]).fails(6);
    assert!(line.contains("503"), "{line}");
    assert_eq!(server.requests(Route::SearchTasks), 3);
    // Two 503s are healed by the third attempt.
    server.fail_next(
        Route::SearchTasks,
        2,
        Fault::Unavailable { retry_after: None },
    );
    kit.run(["tasks", "search"]).ok();

    // A connection closed mid-body.
    server.fail_next(Route::GetTask, 3, Fault::CloseMidBody);
    kit.run(["tasks", "get", "721"]).fails(6);
    server.clear_faults();

    // The token endpoint failing.
    let fresh = Kit::start(Mode::OAuth);
    fresh
        .server()
        .fail_next(Route::Token, 5, Fault::Internal500);
    let line = fresh.run(["tasks", "search"]).fails(6);
    assert!(line.contains("500"), "{line}");

    // Nothing listening.
    let port = closed_port();
    let mut cmd = kit.cmd();
    cmd.args([
        "--base-url",
        &format!("http://127.0.0.1:{port}"),
        "tasks",
        "search",
    ]);
    let line = kit.finish(&mut cmd).fails(6);
    assert!(line.contains(&format!("127.0.0.1:{port}")), "{line}");
    assert!(line.contains("--base-url"), "{line}");
    let line = search_with_token_endpoint_at(&kit, port);
    assert!(
        line.contains(&format!("127.0.0.1:{port}/oauth/token")),
        "{line}"
    );
}

/// Runs `tasks search` with the token endpoint on `port` of 127.0.0.1 (nothing listening)
/// and no disk cache; asserts exit code 6 and returns the error line.
#[track_caller]
fn search_with_token_endpoint_at(kit: &Kit, port: u16) -> String {
    let mut cmd = kit.cmd();
    cmd.env(
        "CAMUNDA_OAUTH_URL",
        format!("http://127.0.0.1:{port}/oauth/token"),
    )
    .env("CAMUNDA_TOKEN_DISK_CACHE_DISABLE", "true")
    .args(["tasks", "search"]);
    kit.finish(&mut cmd).fails(6)
}

/// The hint for an unreachable token endpoint names the setting to check.
#[test]
fn an_unreachable_token_endpoint_names_the_setting_to_check() {
    let kit = Kit::start(Mode::OAuth);
    let port = closed_port();
    let line = search_with_token_endpoint_at(&kit, port);
    assert!(line.contains("--oauth-url"), "{line}");
}

#[test]
fn malformed_answers_exit_1() {
    let kit = Kit::start(Mode::OAuth);
    kit.add_task("731", "Approve invoice");
    kit.server()
        .fail_next(Route::GetTask, 1, Fault::MalformedJson);
    let line = kit.run(["tasks", "get", "731"]).fails(1);
    assert!(line.contains("cannot get task 731"), "{line}");
}

/// Runs a set of commands, failing and succeeding, with `--verbose` and `RUST_LOG=trace`, and
/// checks that they print diagnostics but no secret.
fn verbose_and_traced(kit: &Kit) {
    kit.add_task("741", "Approve invoice");
    let port = closed_port();
    let mut logged = 0;
    for args in [
        &["auth", "check"][..],
        &["tasks", "search", "--all"],
        &["tasks", "assign", "741", "--assignee", USER_OR_SELF],
        &["tasks", "get", "404404"],
        &["tasks", "save-draft", "741", "--var", "x=1"],
        &["config", "show"],
    ] {
        for (verbose, trace) in [(true, false), (false, true), (true, true)] {
            let mut cmd = kit.cmd();
            if trace {
                cmd.env("RUST_LOG", "trace");
            }
            if verbose {
                cmd.arg("--verbose");
            }
            cmd.args(args);
            let run = kit.finish(&mut cmd);
            if trace && !run.stderr.is_empty() {
                logged += 1;
            }
        }
    }
    // The failing ones show their causes.
    let mut cmd = kit.cmd();
    cmd.env("RUST_LOG", "trace")
        .args(["--verbose", "tasks", "get", "404404"]);
    let run = kit.finish(&mut cmd);
    run.code(4);
    assert!(run.stderr.contains("caused by"), "{}", run.stderr);
    let mut cmd = kit.cmd_at(&format!("http://127.0.0.1:{port}"));
    cmd.env("RUST_LOG", "trace")
        .args(["--verbose", "tasks", "search"]);
    let run = kit.finish(&mut cmd);
    run.code(6);
    assert!(run.stderr.contains("caused by"), "{}", run.stderr);
    assert!(
        logged > 6,
        "RUST_LOG=trace logs something ({logged} runs did)"
    );
}

/// Who `tasks assign` names: any name works for an API client; users must name themselves.
const USER_OR_SELF: &str = crate::common::USERNAME;

#[test]
fn no_secret_with_verbose_and_trace_in_oauth_mode() {
    verbose_and_traced(&Kit::start(Mode::OAuth));
}

#[test]
fn no_secret_with_verbose_and_trace_in_cookie_mode() {
    let kit = Kit::start(Mode::Cookie);
    kit.run(["auth", "login"]).ok();
    let secrets = kit.session_secrets();
    assert!(!secrets.is_empty());
    verbose_and_traced(&kit);
    let mut cmd = kit.cmd();
    cmd.env("RUST_LOG", "trace")
        .args(["--verbose", "auth", "logout"]);
    let run = kit.finish(&mut cmd);
    run.ok();
    run.assert_no_secrets(&secrets);
}

#[test]
fn no_secret_with_verbose_and_trace_in_basic_mode() {
    verbose_and_traced(&Kit::start(Mode::Basic));
}

#[test]
fn help_documents_exit_codes_variables_and_every_search_filter() {
    use predicates::prelude::*;

    let dir = tempfile::tempdir().unwrap();
    let mut cmd = crate::common::bare_command(dir.path());
    let mut expected = predicate::str::contains("Exit codes:").boxed();
    for text in [
        "2  usage or configuration error",
        "3  authentication failed",
        "4  not found",
        "5  request rejected by the server",
        "6  server or network failure",
        "CAMUNDA_TASKLIST_BASE_URL",
        "TASKLIST_CONFIG",
        "TASKLIST_PROFILE",
        "--sandbox",
    ] {
        expected = expected.and(predicate::str::contains(text)).boxed();
    }
    cmd.arg("--help").assert().success().stdout(expected);

    let mut cmd = crate::common::bare_command(dir.path());
    let mut expected = predicate::str::contains("--all").boxed();
    for flag in [
        "--state",
        "--assigned",
        "--assignee",
        "--assignees",
        "--candidate-group",
        "--candidate-groups",
        "--candidate-user",
        "--candidate-users",
        "--process-definition-key",
        "--process-instance-key",
        "--task-definition-id",
        "--due-date-from",
        "--due-date-to",
        "--follow-up-date-from",
        "--follow-up-date-to",
        "--priority",
        "--priority-min",
        "--priority-max",
        "--implementation",
        "--tenant-id",
        "--var-equals",
        "--var-equals-str",
        "--sort",
        "--page-size",
        "--search-after",
        "--search-after-or-equal",
        "--search-before",
        "--search-before-or-equal",
        "--include-variables",
        "--full-values",
    ] {
        expected = expected.and(predicate::str::contains(flag)).boxed();
    }
    cmd.args(["tasks", "search", "--help"])
        .assert()
        .success()
        .stdout(expected)
        .stderr(predicate::str::is_empty());
    // The version.
    crate::common::bare_command(dir.path())
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("tasklist "));
}
