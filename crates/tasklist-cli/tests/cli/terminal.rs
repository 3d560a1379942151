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

/// The visible lines of terminal output: colour codes removed, the terminal's `\r\n` ends cut.
fn visible_lines(shown: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut chars = shown.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            // A CSI sequence ends with a letter.
            for next in chars.by_ref() {
                if next.is_ascii_alphabetic() {
                    break;
                }
            }
            continue;
        }
        plain.push(c);
    }
    plain
        .split('\n')
        .map(|line| line.trim_end_matches('\r').to_owned())
        .collect()
}

#[test]
fn tables_fit_80_and_200_columns_one_line_per_task_ids_whole_no_trailing_spaces() {
    let json = on_terminal(
        &[("NO_COLOR", "1")],
        "tasks search --page-size 5 -o json",
        "",
    );
    let tasks: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
    let ids: Vec<String> = tasks
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect();
    for cols in [80_usize, 200] {
        for env in [&[][..], &[("NO_COLOR", "1")][..]] {
            let shown = on_terminal_of_width(
                u16::try_from(cols).unwrap(),
                env,
                "tasks search --page-size 5 --include-variables amount,customer",
                "2>/dev/null",
            );
            let lines = visible_lines(&shown);
            let rows: Vec<&String> = lines.iter().filter(|l| !l.is_empty()).collect();
            // A header and one line per task: nothing wrapped.
            assert_eq!(rows.len(), 1 + ids.len(), "{cols} {env:?}:\n{shown}");
            // The last column, VARIABLES (its header cut on 80 columns).
            assert!(rows[0].contains("VARIAB"), "{}", rows[0]);
            for line in &rows {
                assert!(
                    line.chars().count() <= cols,
                    "{cols} columns: a line of {} characters: {line}",
                    line.chars().count()
                );
                assert_eq!(line.trim_end(), line.as_str(), "trailing spaces: {line:?}");
            }
            for (row, id) in rows[1..].iter().zip(&ids) {
                assert!(row.starts_with(id.as_str()), "id {id} whole in {row}");
                assert!(row.contains("amount"), "the included variable in {row}");
            }
            if cols == 80 {
                assert!(
                    rows.iter().any(|r| r.contains('…')),
                    "long cells cut with an ellipsis:\n{shown}"
                );
            } else {
                // 200 columns hold a whole date.
                assert!(rows[1].contains(".000+0000"), "{}", rows[1]);
            }
        }
        // A record's long values wrap inside their cell, within the width.
        let config = on_terminal_of_width(
            u16::try_from(cols).unwrap(),
            &[("NO_COLOR", "1")],
            "config show",
            "",
        );
        let lines = visible_lines(&config);
        assert!(lines.iter().any(|l| l.starts_with("baseUrl")), "{config}");
        for line in &lines {
            assert!(
                line.chars().count() <= cols,
                "config show on {cols} columns: {line}"
            );
            assert_eq!(line.trim_end(), line.as_str(), "trailing spaces: {line:?}");
        }
    }
}

#[test]
fn help_fits_80_and_200_columns() {
    for cols in [80_usize, 200] {
        let width = u16::try_from(cols).unwrap();
        for args in [
            "-h",
            "--help",
            "tasks -h",
            "tasks assign -h",
            "tasks search --help",
            "config show --help-all",
        ] {
            // `--sandbox` comes first in `on_terminal_of_width`: help is printed before it acts.
            let shown = on_terminal_of_width(width, &[("NO_COLOR", "1")], args, "");
            let lines = visible_lines(&shown);
            assert!(lines.len() > 3, "{args}: {shown}");
            for line in &lines {
                assert!(
                    line.chars().count() <= cols,
                    "`{args}` on {cols} columns: a line of {}: {line}",
                    line.chars().count()
                );
            }
        }
    }
}
