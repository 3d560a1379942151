//! Start-up cost: processes share one token through the disk cache, and a command with a valid
//! cached token (and, for `auth check`, a cached task API) makes exactly one HTTP request.

use std::os::unix::fs::PermissionsExt as _;
use std::time::Duration;

use tasklist_testkit::{Fault, Route};

use crate::common::{Kit, Mode, Run, builder};

/// Starts `count` `tasklist tasks search` processes at once and waits for all of them.
fn round(kit: &Kit, count: usize) -> Vec<Run> {
    let children: Vec<_> = (0..count)
        .map(|_| {
            let mut cmd = kit.std_cmd();
            cmd.args(["tasks", "search", "-o", "jsonl"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            cmd.spawn().expect("tasklist starts")
        })
        .collect();
    children
        .into_iter()
        .map(|child| {
            let run = Run::of(child.wait_with_output().expect("tasklist ends"));
            run.assert_no_secrets(&[]);
            run
        })
        .collect()
}

#[test]
fn eight_processes_at_once_make_one_token_request() {
    let kit = Kit::with(Mode::OAuth, builder(Mode::OAuth).tasks(5));
    let server = kit.server();
    assert!(
        kit.cached_tokens().is_empty(),
        "the disk cache starts empty"
    );
    // A slow token endpoint: the others must wait for the first fetch, not make their own.
    server.fail_next(Route::Token, 1, Fault::Latency(Duration::from_millis(300)));

    let first = round(&kit, 8);
    for run in &first {
        run.ok();
        assert_eq!(run.jsonl().len(), 5, "{}", run.stdout);
        assert_eq!(run.stdout, first[0].stdout);
    }
    assert_eq!(
        server.token_requests(),
        1,
        "one token request for eight processes"
    );
    assert_eq!(server.tokens_issued(), 1);
    assert_eq!(server.requests(Route::SearchTasks), 8);
    let files = kit.cached_tokens();
    assert!(!files.is_empty(), "the token is cached on disk");
    for file in &files {
        let mode = std::fs::metadata(file).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{} is private ({mode:o})", file.display());
    }

    let second = round(&kit, 8);
    for run in &second {
        run.ok();
        assert_eq!(run.stdout, first[0].stdout);
    }
    assert_eq!(server.token_requests(), 1, "the second round makes none");
    assert_eq!(server.requests(Route::SearchTasks), 16);
}

#[test]
fn with_a_cached_token_each_command_makes_exactly_one_request() {
    let kit = Kit::start(Mode::OAuth);
    kit.add_task("801", "Approve invoice");
    kit.add_task("802", "Approve invoice");
    kit.add_form();
    let server = kit.server();
    kit.run(["tasks", "search"]).ok();
    assert_eq!(server.token_requests(), 1);
    // `auth check` finds out which task API the server speaks; later ones read the cache.
    kit.run(["auth", "check"]).ok();
    assert_eq!(server.requests(Route::Topology), 1);

    let commands: &[(&[&str], Route)] = &[
        (&["tasks", "search"], Route::SearchTasks),
        (
            &["tasks", "search", "--all", "--page-size", "10"],
            Route::SearchTasks,
        ),
        (&["tasks", "get", "801"], Route::GetTask),
        (
            &["tasks", "assign", "801", "--assignee", "bob"],
            Route::AssignTask,
        ),
        (&["tasks", "unassign", "801"], Route::UnassignTask),
        (&["tasks", "variables", "801"], Route::SearchTaskVariables),
        (
            &["tasks", "save-draft", "801", "--var", "a=1"],
            Route::SaveDraftVariables,
        ),
        (&["variables", "get", "801-amount"], Route::GetVariable),
        (
            &[
                "forms",
                "get",
                "cli-form",
                "--process-definition-key",
                "777",
            ],
            Route::GetForm,
        ),
        (&["auth", "check"], Route::SearchTasks),
        (
            &["tasks", "assign", "802", "--assignee", "bob"],
            Route::AssignTask,
        ),
        (
            &["tasks", "complete", "802", "--var", "ok=true"],
            Route::CompleteTask,
        ),
    ];
    for (args, route) in commands {
        server.reset_counters();
        kit.run(*args).ok();
        assert_eq!(
            (server.total_requests(), server.requests(*route)),
            (1, 1),
            "{args:?} makes exactly one request, to {route:?}"
        );
        assert_eq!(server.token_requests(), 0, "{args:?}");
    }
}

#[test]
fn with_a_kept_cookie_session_a_command_makes_exactly_one_request() {
    let kit = Kit::start(Mode::Cookie);
    kit.add_task("811", "Approve invoice");
    kit.run(["auth", "login"]).ok();
    let server = kit.server();
    for (args, route) in [
        (&["tasks", "get", "811"][..], Route::GetTask),
        (&["tasks", "assign", "811"], Route::AssignTask),
    ] {
        server.reset_counters();
        kit.run(args).ok();
        assert_eq!(
            (server.total_requests(), server.requests(route)),
            (1, 1),
            "{args:?}"
        );
    }
}

#[test]
fn without_the_disk_cache_every_process_fetches_a_token() {
    let kit = Kit::start(Mode::OAuth);
    for _ in 0..2 {
        kit.run(["--no-token-cache", "tasks", "search"]).ok();
    }
    assert_eq!(kit.server().token_requests(), 2);
    assert!(kit.cached_tokens().is_empty());
    let mut cmd = kit.cmd();
    cmd.env("CAMUNDA_TOKEN_DISK_CACHE_DISABLE", "true")
        .args(["tasks", "search"]);
    kit.finish(&mut cmd).ok();
    assert_eq!(kit.server().token_requests(), 3);
    assert!(kit.cached_tokens().is_empty());
}

#[test]
fn a_cached_token_the_server_no_longer_accepts_is_replaced() {
    let kit = Kit::start(Mode::OAuth);
    kit.run(["tasks", "search"]).ok();
    kit.server().revoke_tokens();
    kit.server().reset_counters();
    kit.run(["tasks", "search"]).ok();
    assert_eq!(kit.server().token_requests(), 1, "one new token");
    assert_eq!(
        kit.server().requests(Route::SearchTasks),
        2,
        "the refused call and its retry"
    );
    // The new token is cached: the next process needs none.
    kit.server().reset_counters();
    kit.run(["tasks", "search"]).ok();
    assert_eq!(kit.server().total_requests(), 1);
}
