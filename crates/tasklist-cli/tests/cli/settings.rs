//! `config show`, profiles and precedence: flag, then environment, then profile, then default.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{CLIENT_ID, CLIENT_SECRET, Kit, Mode, closed_port};

/// Writes the config file at its default place (`$XDG_CONFIG_HOME/tasklist/config.toml`) with
/// a profile `dev` (the default) pointing at the kit's server and a profile `other`; the
/// client secret is in a file next to it.
fn write_config(kit: &Kit) -> PathBuf {
    let dir = kit.dir().join("config").join("tasklist");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("dev-secret"), format!("{CLIENT_SECRET}\n")).unwrap();
    let server = kit.server();
    let file = dir.join("config.toml");
    std::fs::write(
        &file,
        format!(
            r#"default_profile = "dev"

[profiles.dev]
base_url = "{base}"
auth = "oauth"
client_id = "{CLIENT_ID}"
client_secret_file = "dev-secret"
oauth_url = "{token}"
audience = "tasklist-api"
output = "jsonl"

[profiles.other]
base_url = "http://other.example:8080"
"#,
            base = server.base_url(),
            token = server.token_url(),
        ),
    )
    .unwrap();
    file
}

/// `config show` (JSON: stdout is not a terminal) with `env` and `args`.
fn show(kit: &Kit, env: &[(&str, &str)], args: &[&str]) -> Value {
    let mut cmd = kit.bare();
    for (name, value) in env {
        cmd.env(name, value);
    }
    cmd.args(args).args(["config", "show"]);
    let run = kit.finish(&mut cmd);
    run.ok();
    run.json()
}

fn setting<'a>(shown: &'a Value, key: &str) -> (&'a str, &'a str) {
    (
        shown[key]["value"]
            .as_str()
            .unwrap_or_else(|| panic!("{key} in {shown}")),
        shown[key]["source"]
            .as_str()
            .unwrap_or_else(|| panic!("{key} in {shown}")),
    )
}

#[test]
fn config_show_says_where_each_setting_came_from() {
    let kit = Kit::start(Mode::OAuth);

    // Nothing set: defaults.
    let shown = show(&kit, &[], &[]);
    assert_eq!(
        setting(&shown, "baseUrl"),
        ("http://localhost:8080", "default")
    );
    assert_eq!(setting(&shown, "auth").0, "NONE");
    let config = kit.dir().join("config/tasklist/config.toml");
    assert!(
        setting(&shown, "configFile")
            .0
            .starts_with(config.to_str().unwrap())
    );
    assert_eq!(
        setting(&shown, "output"),
        ("json", "default (stdout is not a terminal)")
    );
    assert!(shown["clientSecret"]["value"].is_null());

    let file = write_config(&kit);
    let in_file = |name: &str| format!("profile {name} in {}", file.display());

    // The default profile.
    let shown = show(&kit, &[], &[]);
    assert_eq!(setting(&shown, "profile").0, "dev");
    assert!(setting(&shown, "profile").1.contains("default_profile"));
    assert_eq!(
        setting(&shown, "baseUrl"),
        (kit.server().base_url(), in_file("dev").as_str())
    );
    assert_eq!(
        setting(&shown, "clientId"),
        (CLIENT_ID, in_file("dev").as_str())
    );
    assert_eq!(
        setting(&shown, "output"),
        ("jsonl", in_file("dev").as_str())
    );
    let (secret, source) = setting(&shown, "clientSecret");
    assert!(secret.starts_with("<set, from profile dev"), "{secret}");
    assert!(
        source.contains("dev-secret"),
        "the secret's file is named: {source}"
    );

    // The environment beats the profile; a flag beats both.
    let shown = show(
        &kit,
        &[
            ("CAMUNDA_TASKLIST_BASE_URL", "http://env.example:1"),
            ("CAMUNDA_CLIENT_ID", "env-client"),
            ("CAMUNDA_CLIENT_SECRET", CLIENT_SECRET),
            ("TASKLIST_OUTPUT", "table"),
        ],
        &["--base-url", "http://flag.example:2", "-o", "json"],
    );
    assert_eq!(
        setting(&shown, "baseUrl"),
        ("http://flag.example:2", "flag --base-url")
    );
    assert_eq!(
        setting(&shown, "clientId"),
        ("env-client", "env CAMUNDA_CLIENT_ID")
    );
    assert_eq!(
        setting(&shown, "clientSecret"),
        (
            "<set, from env CAMUNDA_CLIENT_SECRET>",
            "env CAMUNDA_CLIENT_SECRET"
        )
    );
    assert_eq!(setting(&shown, "output"), ("json", "flag --output"));
    assert_eq!(setting(&shown, "oauthUrl").1, in_file("dev"));

    // Choosing a profile: the flag, then TASKLIST_PROFILE.
    let shown = show(&kit, &[("TASKLIST_PROFILE", "other")], &[]);
    assert_eq!(
        setting(&shown, "baseUrl"),
        ("http://other.example:8080", in_file("other").as_str())
    );
    assert_eq!(
        setting(&shown, "profile"),
        ("other", "env TASKLIST_PROFILE")
    );
    let shown = show(
        &kit,
        &[("TASKLIST_PROFILE", "other")],
        &["--profile", "dev"],
    );
    assert_eq!(setting(&shown, "profile"), ("dev", "flag --profile"));

    // Another file: --config, then TASKLIST_CONFIG.
    let elsewhere = kit.dir().join("elsewhere.toml");
    std::fs::write(
        &elsewhere,
        "[profiles.x]\nbase_url = \"http://x.example\"\n",
    )
    .unwrap();
    let elsewhere_text = elsewhere.to_str().unwrap();
    let shown = show(&kit, &[], &["--config", elsewhere_text, "--profile", "x"]);
    assert_eq!(setting(&shown, "baseUrl").0, "http://x.example");
    assert_eq!(
        setting(&shown, "configFile"),
        (elsewhere_text, "flag --config")
    );
    let shown = show(
        &kit,
        &[
            ("TASKLIST_CONFIG", elsewhere_text),
            ("TASKLIST_PROFILE", "x"),
        ],
        &[],
    );
    assert_eq!(
        setting(&shown, "configFile"),
        (elsewhere_text, "env TASKLIST_CONFIG")
    );

    // A table with the same rows.
    let table = kit.run(["config", "show", "-o", "table"]);
    table.ok();
    let header = table.stdout.lines().next().unwrap();
    assert!(header.contains("SETTING") && header.contains("VALUE") && header.contains("SOURCE"));
    assert!(table.stdout.contains("env CAMUNDA_CLIENT_SECRET"));
    assert!(
        table
            .stdout
            .contains("<set, from env CAMUNDA_CLIENT_SECRET>")
    );
}

#[test]
fn a_profile_alone_connects_and_flags_and_variables_override_it() {
    let kit = Kit::start(Mode::OAuth);
    kit.add_task("901", "Approve invoice");
    write_config(&kit);
    let mut cmd = kit.bare();
    cmd.args(["tasks", "search"]);
    let run = kit.finish(&mut cmd);
    run.ok();
    // The profile's output format, jsonl.
    assert_eq!(run.jsonl()[0]["id"], "901");
    assert_eq!(kit.server().token_requests(), 1);

    let closed = format!("http://127.0.0.1:{}", closed_port());
    let mut cmd = kit.bare();
    cmd.args(["--base-url", &closed, "tasks", "search"]);
    kit.finish(&mut cmd).fails(6);
    let mut cmd = kit.bare();
    cmd.env("CAMUNDA_TASKLIST_BASE_URL", &closed)
        .args(["tasks", "search"]);
    kit.finish(&mut cmd).fails(6);
    // TASKLIST_OUTPUT beats the profile's output.
    let mut cmd = kit.bare();
    cmd.env("TASKLIST_OUTPUT", "json").args(["tasks", "search"]);
    let run = kit.finish(&mut cmd);
    assert!(run.json().is_array());
}

#[test]
fn bad_config_files_are_usage_errors() {
    let kit = Kit::start(Mode::OAuth);
    let write = |name: &str, text: &str| -> PathBuf {
        let path = kit.dir().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let run = |file: &Path, profile: &str| {
        let mut cmd = kit.bare();
        cmd.arg("--config")
            .arg(file)
            .args(["--profile", profile, "tasks", "search"]);
        kit.finish(&mut cmd)
    };

    // A secret inline is refused, and not echoed.
    let inline = write(
        "inline.toml",
        &format!("[profiles.p]\nclient_id = \"a\"\nclient_secret = \"{CLIENT_SECRET}\"\n"),
    );
    let line = run(&inline, "p").fails(2);
    assert!(line.contains("client_secret_file"), "{line}");
    let inline = write(
        "inline2.toml",
        "[profiles.p]\npassword = \"pw-SECRET-inline\"\n",
    );
    let r = run(&inline, "p");
    r.fails(2);
    r.assert_no_secrets(&["pw-SECRET-inline".to_owned()]);

    let unknown = write("unknown.toml", "[profiles.a]\n[profiles.b]\n");
    let line = run(&unknown, "c").fails(2);
    assert!(line.contains("a, b"), "the profiles are listed: {line}");
    let broken = write("broken.toml", "[profiles.a\nbase_url = 1");
    let line = run(&broken, "a").fails(2);
    assert!(line.contains("broken.toml"), "{line}");
    let typo = write("typo.toml", "[profiles.a]\nbase_ulr = \"http://x\"\n");
    let line = run(&typo, "a").fails(2);
    assert!(line.contains("base_ulr"), "{line}");
    let line = run(&kit.dir().join("missing.toml"), "a").fails(2);
    assert!(line.contains("missing.toml"), "{line}");
    assert_eq!(kit.server().total_requests(), 0);
}
