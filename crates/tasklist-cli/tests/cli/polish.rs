//! What a person typing commands expects: enum values in any case (as the API spells them in
//! help), a subcommand's help that shows its own arguments, and errors that name the flag that
//! fixes them.

use crate::common::{Kit, Mode, bare_command, scratch_home};

/// The ids `tasks search ARGS -o json` prints.
fn ids(kit: &Kit, args: &[&str]) -> Vec<String> {
    let found = kit.run(
        ["tasks", "search"]
            .iter()
            .chain(args)
            .chain(&["-o", "json"]),
    );
    found.ok();
    found
        .json()
        .as_array()
        .expect("a list")
        .iter()
        .map(|t| t["id"].as_str().expect("an id").to_owned())
        .collect::<Vec<_>>()
}

#[test]
fn enum_values_are_taken_in_any_case_and_shown_as_the_api_spells_them() {
    let kit = Kit::start(Mode::OAuth);
    for id in ["701", "702", "703"] {
        kit.add_task(id, "Review");
    }
    let expected = ids(&kit, &["--state", "CREATED", "--sort", "creationTime:desc"]);
    assert_eq!(expected.len(), 3);
    for (state, sort) in [
        ("created", "CREATION_TIME:DESC"),
        ("Created", "creation-time:Desc"),
    ] {
        assert_eq!(ids(&kit, &["--state", state, "--sort", sort]), expected);
    }
    let job_workers = ids(&kit, &["--implementation", "JOB_WORKER"]);
    assert_eq!(job_workers.len(), 3);
    assert_eq!(ids(&kit, &["--implementation", "job-worker"]), job_workers);
    assert!(ids(&kit, &["--implementation", "zeebe_user_task"]).is_empty());
    // -o and --auth too.
    let upper = kit.run(["tasks", "search", "-o", "JSON"]);
    upper.ok();
    assert!(upper.json().is_array());
    // A value that is no value at all is still refused, naming the values.
    let home = scratch_home("polish");
    let wrong = bare_command(home.path())
        .args(["tasks", "search", "--state", "open"])
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(2));
    let said = String::from_utf8_lossy(&wrong.stderr);
    assert!(
        said.contains("CREATED") && said.contains("COMPLETED"),
        "{said}"
    );

    let help = bare_command(home.path())
        .args(["tasks", "search", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for value in [
        "- CREATED:",
        "- COMPLETED:",
        "- JOB_WORKER:",
        "- ZEEBE_USER_TASK:",
    ] {
        assert!(help.contains(value), "{value} in {help}");
    }
}

/// `tasklist ARGS` with nothing configured: stdout, checked to have succeeded.
fn help_of(args: &[&str]) -> String {
    let home = scratch_home("help");
    let out = bare_command(home.path()).args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_subcommands_help_shows_its_own_arguments_and_one_line_for_the_global_ones() {
    for flag in ["-h", "--help"] {
        let help = help_of(&["tasks", "assign", flag]);
        let own = help.find("--assignee").expect("its own flag");
        assert!(help.contains("--allow-override") && help.contains("--wait"));
        // The global options are one note at the end, not 80 lines of flags.
        assert!(!help.contains("--client-secret-file"), "{flag}: {help}");
        let note = help.find("Global options:").expect("the note");
        assert!(own < note);
        assert!(help.lines().count() < 30, "{flag}: {help}");
    }
    // The short help is short everywhere.
    for args in [&["-h"][..], &["tasks", "-h"], &["auth", "check", "-h"]] {
        let help = help_of(args);
        assert!(help.lines().count() < 35, "{args:?}: {help}");
        assert!(help.contains("Global options:"), "{args:?}");
    }
    // Every global option: `tasklist --help`, and `--help-all` on a subcommand.
    let all = help_of(&["tasks", "assign", "--help-all"]);
    assert!(all.contains("--assignee") && all.contains("--client-secret-file"));
    let top = help_of(&["--help"]);
    assert!(top.contains("--client-secret-file") && top.contains("Exit codes:"));
    // The options still parse where the help does not list them.
    let home = scratch_home("globals");
    let parsed = bare_command(home.path())
        .args([
            "tasks",
            "get",
            "1",
            "--base-url",
            "http://127.0.0.1:9",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(parsed.status.code(), Some(6), "{parsed:?}");
}

#[test]
fn assignment_errors_name_the_flag_that_fixes_them() {
    for api in ["v1", "v2"] {
        let kit = Kit::with(
            Mode::OAuth,
            crate::common::builder(Mode::OAuth).profile(tasklist_testkit::Profile::V8_8),
        );
        let mut task = tasklist_testkit::store::Task::new("2251799813688001", "Review");
        task.implementation = if api == "v1" {
            tasklist_testkit::store::TaskImplementation::JobWorker
        } else {
            tasklist_testkit::store::TaskImplementation::ZeebeUserTask
        };
        task.assignee = Some("someone".to_owned());
        kit.server().store().insert_task(task);
        let mut cmd = kit.cmd();
        cmd.env("TASKLIST_API", api).args([
            "tasks",
            "assign",
            "2251799813688001",
            "--assignee",
            "bob",
        ]);
        let taken = kit.finish(&mut cmd).fails(5);
        assert!(taken.contains("--allow-override"), "{api}: {taken}");
        if api == "v1" {
            let mut cmd = kit.cmd();
            cmd.env("TASKLIST_API", "v1")
                .args(["tasks", "assign", "2251799813688001"]);
            let nameless = kit.finish(&mut cmd).fails(5);
            assert!(
                nameless.contains("Assignee must be specified") && nameless.contains("--assignee"),
                "{nameless}"
            );
        }
    }
}
