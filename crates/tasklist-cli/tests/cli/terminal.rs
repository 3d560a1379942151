//! Behaviour on a terminal: a table by default, colours unless `NO_COLOR` (or `TERM=dumb`),
//! the progress of `--all` on stderr. The terminal is a pseudo-terminal from util-linux's
//! `script`, 200 columns wide.

use crate::common::binary;

/// Runs `tasklist ARGS` (after `--sandbox`) on a pseudo-terminal and returns what it showed;
/// `redirect` is appended to the shell command (e.g. `>/dev/null` to see stderr alone).
fn on_terminal(env: &[(&str, &str)], args: &str, redirect: &str) -> String {
    on_terminal_of_width(200, env, args, redirect)
}

/// As [`on_terminal`], on a terminal `cols` columns wide.
fn on_terminal_of_width(cols: u16, env: &[(&str, &str)], args: &str, redirect: &str) -> String {
    let home = tempfile::tempdir().unwrap();
    let command = format!(
        "stty cols {cols} rows 50; exec '{}' --sandbox {args} {redirect}",
        binary().display()
    );
    let mut cmd = std::process::Command::new("script");
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("TERM", "xterm")
        .args(["-qec", &command, "/dev/null"]);
    for (name, value) in env {
        cmd.env(name, value);
    }
    let output = cmd
        .output()
        .expect("util-linux `script` runs (it provides the pseudo-terminal)");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn task_ids_stay_whole_on_a_narrow_or_widthless_terminal() {
    let json = on_terminal(
        &[("NO_COLOR", "1")],
        "tasks search --page-size 3 -o json",
        "",
    );
    let tasks: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
    let ids: Vec<&str> = tasks
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3);
    // 0 columns: what some pseudo-terminals and serial consoles report.
    for cols in [0, 30] {
        // In colour: without colour the table is not fitted to the terminal at all.
        let table = on_terminal_of_width(cols, &[], "tasks search --page-size 3", "");
        for id in &ids {
            assert!(
                table.lines().any(|line| line.contains(id)),
                "{cols} columns: id {id} whole on one line in:\n{table}"
            );
        }
    }
}

#[test]
fn a_terminal_gets_a_table_with_colours_unless_no_color() {
    let coloured = on_terminal(&[], "tasks search --page-size 3", "");
    assert!(
        !coloured.trim_start().starts_with('['),
        "not JSON: {coloured}"
    );
    assert!(
        coloured.contains("ID") && coloured.contains("NAME"),
        "{coloured}"
    );
    assert!(
        coloured.contains("\u{1b}["),
        "colours on a terminal: {coloured:?}"
    );
    // The hint that there may be more pages, on stderr.
    assert!(coloured.contains("--all fetches every page"), "{coloured}");

    for env in [("NO_COLOR", "1"), ("TERM", "dumb")] {
        let plain = on_terminal(&[env], "tasks search --page-size 3", "");
        assert!(plain.contains("ID") && plain.contains("NAME"), "{plain}");
        assert!(
            !plain.contains('\u{1b}'),
            "{env:?}: no escape codes: {plain:?}"
        );
    }
    // A chosen format wins on a terminal too.
    let json = on_terminal(
        &[("NO_COLOR", "1")],
        "tasks search --page-size 1 -o json",
        "",
    );
    assert!(json.trim_start().starts_with('['), "{json}");
}

#[test]
fn all_shows_progress_on_a_terminal_stderr() {
    let progress = on_terminal(
        &[],
        "tasks search --all --page-size 5 -o jsonl",
        ">/dev/null",
    );
    assert!(progress.contains("tasks from"), "{progress:?}");
    assert!(progress.contains("pages"), "{progress:?}");
}
