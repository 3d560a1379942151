//! Control characters from the server never reach the terminal raw: a stub Tasklist puts
//! terminal escape sequences (OSC 52 clipboard writes, OSC window titles, SGR colours, the C1
//! CSI, NUL, BEL, a bidi override) into a task's name and into an error message, and the tool
//! must show them escaped in tables and error lines while JSON keeps the exact strings.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::common::{Kit, Mode, Run, binary};

/// A task name full of what a terminal would obey.
const NAME: &str = "Approve \u{1b}]52;c;aGVsbG8=\u{7} \u{1b}[31mred\u{0} csi\u{9b}2J \u{202e}evil";
/// The same name as the tool shows it.
const SHOWN: &str = r"Approve \x1b]52;c;aGVsbG8=\x07 \x1b[31mred\0 csi\u{9b}2J \u{202e}evil";

/// The error body of the stub's `400` (the JSON escapes are the server's).
const BAD: &str = r#"{"status":400,"message":"bad \u001b]0;pwned\u0007 thing\u0000 \u009b6n","instance":"x\u001b[2J"}"#;

fn task(id: &str) -> Value {
    json!({"id": id, "name": NAME, "processName": "Proc\u{7}ess", "taskState": "CREATED",
           "assignee": "\u{1b}[8mhidden", "sortValues": ["1"]})
}

/// Serves a search that finds one task named [`NAME`], `GET /v1/tasks/good` with that task,
/// and a `400` with [`BAD`] for any other id.
fn stub(kit: &Kit) -> String {
    let app = axum::Router::new()
        .route(
            "/v1/tasks/search",
            post(|| async { Json(json!([task("1")])) }),
        )
        .route(
            "/v1/tasks/{id}",
            get(|Path(id): Path<String>| async move {
                if id == "good" {
                    Json(task("good")).into_response()
                } else {
                    let response: Response = (
                        StatusCode::BAD_REQUEST,
                        [("content-type", "application/json")],
                        BAD,
                    )
                        .into_response();
                    response
                }
            }),
        );
    kit.serve(app)
}

fn run(kit: &Kit, url: &str, args: &[&str]) -> Run {
    let mut cmd = kit.bare();
    cmd.args(["--base-url", url, "--auth", "none"]).args(args);
    kit.finish(&mut cmd)
}

/// The characters of `text` that a terminal would act on: every control but the line feed
/// (and the carriage return, which a pseudo-terminal adds to it), and the bidi controls.
fn raw_controls(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\r')
                || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

#[test]
fn tables_show_the_servers_controls_escaped() {
    let kit = Kit::start(Mode::OAuth);
    let url = stub(&kit);

    let list = run(&kit, &url, &["tasks", "search", "-o", "table"]);
    list.ok();
    assert_eq!(raw_controls(&list.stdout), "", "{:?}", list.stdout);
    assert!(list.stdout.contains(SHOWN), "{}", list.stdout);
    assert!(list.stdout.contains(r"Proc\x07ess"), "{}", list.stdout);
    assert!(list.stdout.contains(r"\x1b[8mhidden"), "{}", list.stdout);

    // The two-column table of a record.
    let record = run(&kit, &url, &["tasks", "get", "good", "-o", "table"]);
    record.ok();
    assert_eq!(raw_controls(&record.stdout), "", "{:?}", record.stdout);
    assert!(
        record
            .stdout
            .lines()
            .any(|l| l.starts_with("name") && l.ends_with(SHOWN)),
        "{}",
        record.stdout
    );
}

#[test]
fn json_keeps_the_exact_strings() {
    let kit = Kit::start(Mode::OAuth);
    let url = stub(&kit);

    let list = run(&kit, &url, &["tasks", "search", "-o", "json"]);
    list.ok();
    assert_eq!(list.json()[0]["name"], NAME);
    assert_eq!(list.json()[0]["processName"], "Proc\u{7}ess");
    // Exact, and still nothing raw: JSON escapes them all.
    assert_eq!(raw_controls(&list.stdout), "", "{:?}", list.stdout);
    assert!(
        list.stdout.contains(r"\u001b]52;c;aGVsbG8=\u0007"),
        "{}",
        list.stdout
    );
    assert!(
        list.stdout.contains(r"\u009b2J \u202eevil"),
        "{}",
        list.stdout
    );

    let lines = run(&kit, &url, &["tasks", "search", "-o", "jsonl"]);
    lines.ok();
    assert_eq!(lines.jsonl()[0]["name"], NAME);
    assert_eq!(raw_controls(&lines.stdout), "", "{:?}", lines.stdout);

    let record = run(&kit, &url, &["tasks", "get", "good", "-o", "json"]);
    record.ok();
    assert_eq!(record.json()["name"], NAME);
    assert_eq!(record.json()["assignee"], "\u{1b}[8mhidden");
}

#[test]
fn error_lines_show_the_servers_controls_escaped() {
    let kit = Kit::start(Mode::OAuth);
    let url = stub(&kit);

    let failed = run(&kit, &url, &["tasks", "get", "bad"]);
    let line = failed.fails(5);
    assert_eq!(raw_controls(&failed.stderr), "", "{:?}", failed.stderr);
    assert!(
        line.starts_with(
            r"error: cannot get task bad: 400 Bad Request: bad \x1b]0;pwned\x07 thing\0 \u{9b}6n"
        ),
        "{line}"
    );

    // The cause chain too, with the server's instance id.
    let verbose = run(&kit, &url, &["--verbose", "tasks", "get", "bad"]);
    verbose.code(5);
    assert_eq!(raw_controls(&verbose.stderr), "", "{:?}", verbose.stderr);
    let causes: Vec<&str> = verbose
        .stderr
        .lines()
        .filter(|l| l.starts_with("  caused by: "))
        .collect();
    assert!(
        causes.contains(&r"  caused by: the server's id of this failure (instance): x\x1b[2J"),
        "{causes:?}"
    );
    assert!(
        causes
            .iter()
            .any(|c| c.contains(r"bad \x1b]0;pwned\x07 thing\0 \u{9b}6n")),
        "{causes:?}"
    );
}

#[test]
fn a_terminal_gets_only_the_tools_own_colours() {
    let kit = Kit::start(Mode::OAuth);
    let url = stub(&kit);
    let home = tempfile::tempdir().unwrap();
    // On a pseudo-terminal, in colour: the table and, from a second command, the error line.
    let command = format!(
        "stty cols 200 rows 50; '{bin}' --base-url {url} --auth none tasks search; \
         '{bin}' --base-url {url} --auth none tasks get bad",
        bin = binary().display()
    );
    let output = std::process::Command::new("script")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("TERM", "xterm")
        .args(["-qec", &command, "/dev/null"])
        .output()
        .expect("util-linux `script` runs (it provides the pseudo-terminal)");
    let shown = String::from_utf8(output.stdout).unwrap();
    assert!(shown.contains(SHOWN), "{shown:?}");
    assert!(shown.contains(r"bad \x1b]0;pwned\x07 thing"), "{shown:?}");
    // What is left after taking out the colour sequences (ESC [ digits and ; m) is plain text.
    let mut plain = String::new();
    let mut rest = shown.as_str();
    let mut colours = 0;
    while let Some(at) = rest.find("\u{1b}[") {
        plain.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let end = after
            .find(|c: char| !c.is_ascii_digit() && c != ';')
            .unwrap_or(after.len());
        if after[end..].starts_with('m') {
            colours += 1;
            rest = &after[end + 1..];
        } else {
            plain.push_str(&rest[at..at + 2]);
            rest = after;
        }
    }
    plain.push_str(rest);
    assert!(colours > 0, "the tool colours a terminal: {shown:?}");
    assert_eq!(raw_controls(&plain), "", "{plain:?}");
}
