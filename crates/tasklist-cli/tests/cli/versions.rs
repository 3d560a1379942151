//! The task API on every Camunda version: `--api`/`TASKLIST_API`/the profile's `api` and their
//! precedence, the detection `auth check` reports and its cache beside the token cache,
//! `--sandbox-version`, and `--profile` naming no profile, with and without `--sandbox`.

use std::os::unix::fs::PermissionsExt as _;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use tasklist_testkit::{Profile, Route};

use crate::common::{Kit, Mode, Run, bare_command, builder, scratch_home};

/// A kit whose server (OAuth, tokens cached on disk) behaves as `profile`.
fn kit(profile: Profile) -> Kit {
    Kit::with(Mode::OAuth, builder(Mode::OAuth).profile(profile))
}

/// The detection cache files in the kit's token cache directory.
fn cache_files(kit: &Kit) -> Vec<PathBuf> {
    crate::common::files_under(&kit.token_dir())
        .into_iter()
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("tasklist-api-") && n.ends_with(".json"))
        })
        .collect()
}

/// `auth check -o json` with `args` before it; asserts success.
#[track_caller]
fn check(kit: &Kit, args: &[&str]) -> Value {
    let run = kit.run(args.iter().copied().chain(["auth", "check", "-o", "json"]));
    run.ok();
    run.json()
}

/// Runs the binary with a scratch home and nothing configured.
fn bare(args: &[&str]) -> Run {
    let home = scratch_home("tasklist-versions-");
    let mut cmd = bare_command(home.path());
    cmd.args(args);
    let run = Run::of(cmd.output().unwrap());
    run.assert_no_secrets(&[]);
    run
}

#[test]
fn auth_check_reports_the_api_of_every_sandbox_version() {
    for profile in Profile::ALL {
        let run = bare(&[
            "--sandbox",
            "--sandbox-version",
            profile.as_str(),
            "auth",
            "check",
            "-o",
            "json",
        ]);
        run.ok();
        let report = run.json();
        assert_eq!(report["api"], "ok", "{profile}: {report}");
        assert_eq!(report["taskApiSource"], "server (GET /v2/topology)");
        if profile == Profile::V8_7 {
            assert_eq!(report["taskApi"], "v1", "{report}");
            assert!(report.get("camundaVersion").is_none(), "{report}");
        } else {
            assert_eq!(report["taskApi"], "v2", "{profile}: {report}");
            assert_eq!(report["camundaVersion"], profile.version(), "{report}");
        }
        // The table shows the API and the version on one line.
        let table = bare(&[
            "--sandbox",
            "--sandbox-version",
            profile.as_str(),
            "auth",
            "check",
            "-o",
            "table",
        ]);
        table.ok();
        let line = table
            .stdout
            .lines()
            .find(|l| l.starts_with("taskApi "))
            .unwrap_or_else(|| panic!("{}", table.stdout))
            .trim_end()
            .to_owned();
        let expected = if profile == Profile::V8_7 {
            "v1".to_owned()
        } else {
            format!("v2 (Camunda {})", profile.version())
        };
        assert!(line.ends_with(&expected), "{profile}: {line}");
    }
    // A pinned API the server lacks: not found, and what to do.
    for (version, api, other) in [("8.10", "v1", "--api v2"), ("8.7", "v2", "--api v1")] {
        let line = bare(&[
            "--sandbox",
            "--sandbox-version",
            version,
            "--api",
            api,
            "auth",
            "check",
        ])
        .fails(4);
        assert!(
            line.contains(&format!("no task API {api}")) && line.contains(other),
            "{line}"
        );
    }
    // Without --sandbox-version: the default sandbox, 8.7.
    let run = bare(&["--sandbox", "auth", "check", "-o", "json"]);
    run.ok();
    assert_eq!(run.json()["taskApi"], "v1");
}

#[test]
fn auth_check_detects_once_and_then_reads_the_cache() {
    for profile in Profile::ALL {
        let kit = kit(profile);
        let server = kit.server();
        let expected = if profile == Profile::V8_7 { "v1" } else { "v2" };

        let first = check(&kit, &[]);
        assert_eq!(first["taskApi"], expected, "{profile}: {first}");
        assert_eq!(server.requests(Route::Topology), 1, "{profile}");
        let files = cache_files(&kit);
        assert_eq!(files.len(), 1, "{profile}: {files:?}");
        let mode = std::fs::metadata(&files[0]).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{} ({mode:o})", files[0].display());

        // A second process asks nothing about the API: one search, no topology, no token.
        server.reset_counters();
        let second = check(&kit, &[]);
        assert_eq!(server.requests(Route::Topology), 0, "{profile}");
        assert_eq!(server.total_requests(), 1, "{profile}: the search only");
        assert_eq!(second["taskApi"], expected);
        assert_eq!(second["camundaVersion"], first["camundaVersion"]);
        assert_eq!(
            second["taskApiSource"],
            format!("cache {}", files[0].display())
        );
    }
}

#[test]
fn an_expired_or_corrupt_cache_file_is_ignored_and_replaced() {
    let kit = kit(Profile::V8_9);
    let server = kit.server();
    check(&kit, &[]);
    let file = cache_files(&kit).pop().expect("a cache file");
    let written: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(written["api"], "v2");
    assert_eq!(written["gatewayVersion"], "8.9.0");

    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut expired = written.clone();
    expired["detectedAt"] = Value::from(now - Duration::from_secs(11 * 60).as_secs());
    // Claims v1, so that using it would show.
    expired["api"] = Value::from("v1");
    for contents in [
        b"{ not json".to_vec(),
        Vec::new(),
        serde_json::to_vec(&expired).unwrap(),
    ] {
        std::fs::write(&file, &contents).unwrap();
        server.reset_counters();
        let report = check(&kit, &[]);
        assert_eq!(report["taskApi"], "v2", "{report}");
        assert_eq!(report["taskApiSource"], "server (GET /v2/topology)");
        assert_eq!(server.requests(Route::Topology), 1);
        // Replaced by a fresh entry, which the next process uses.
        let replaced: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        assert_eq!(replaced["api"], "v2");
        assert!(replaced["detectedAt"].as_u64().unwrap() >= now);
        server.reset_counters();
        check(&kit, &[]);
        assert_eq!(server.requests(Route::Topology), 0);
    }
}

#[test]
fn a_pinned_api_asks_the_server_nothing() {
    let kit = kit(Profile::V8_9);
    let server = kit.server();
    let report = check(&kit, &["--api", "v1"]);
    assert_eq!(report["taskApi"], "v1");
    assert_eq!(report["taskApiSource"], "flag --api");
    assert!(report.get("camundaVersion").is_none(), "{report}");
    assert_eq!(server.requests(Route::Topology), 0);
    assert_eq!(
        server.requests(Route::SearchTasks),
        1,
        "v1 proves the credentials"
    );

    let mut cmd = kit.cmd();
    cmd.env("TASKLIST_API", "V2")
        .args(["auth", "check", "-o", "json"]);
    let run = kit.finish(&mut cmd);
    run.ok();
    assert_eq!(run.json()["taskApi"], "v2");
    assert_eq!(run.json()["taskApiSource"], "env TASKLIST_API");
    assert_eq!(server.requests(Route::Topology), 0);
    assert_eq!(server.requests(Route::SearchUserTasks), 1);
    assert!(
        cache_files(&kit).is_empty(),
        "nothing detected, nothing cached"
    );

    // Without a disk token cache, auto asks in every process and caches nothing.
    for _ in 0..2 {
        check(&kit, &["--no-token-cache"]);
    }
    assert_eq!(server.requests(Route::Topology), 2);
    assert!(cache_files(&kit).is_empty());
}

/// Writes a config file with the profiles `dev` (the default, `api` as given) and `prod`,
/// both pointing at the kit's server; returns its path.
fn write_config(kit: &Kit, api: &str) -> PathBuf {
    let server = kit.server();
    let file = kit.dir().join("tasklist.toml");
    std::fs::write(kit.dir().join("secret"), crate::common::CLIENT_SECRET).unwrap();
    std::fs::write(
        &file,
        format!(
            r#"default_profile = "dev"

[profiles.dev]
base_url = "{base}"
client_id = "{id}"
client_secret_file = "secret"
oauth_url = "{token}"
api = "{api}"

[profiles.prod]
base_url = "{base}"
"#,
            base = server.base_url(),
            id = crate::common::CLIENT_ID,
            token = server.token_url(),
        ),
    )
    .unwrap();
    file
}

/// `tasklist --config FILE ARGS` with `env`, nothing else configured.
fn with_config(kit: &Kit, file: &PathBuf, env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut cmd = kit.bare();
    cmd.env("CAMUNDA_TOKEN_CACHE_DIR", kit.token_dir())
        .arg("--config")
        .arg(file);
    for (name, value) in env {
        cmd.env(name, value);
    }
    cmd.args(args);
    kit.finish(&mut cmd)
}

#[test]
fn api_comes_from_the_flag_then_the_environment_then_the_profile() {
    let kit = kit(Profile::V8_9);
    let server = kit.server();
    let file = write_config(&kit, "v1");
    let shown = |env: &[(&str, &str)], args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["config", "show", "-o", "json"]);
        let run = with_config(&kit, &file, env, &all);
        run.ok();
        let json = run.json();
        (
            json["api"]["value"].as_str().unwrap().to_owned(),
            json["api"]["source"].as_str().unwrap().to_owned(),
        )
    };
    assert_eq!(
        shown(&[], &[]),
        (
            "v1".to_owned(),
            format!("profile dev in {}", file.display())
        )
    );
    assert_eq!(
        shown(&[("TASKLIST_API", "v2")], &[]),
        ("v2".to_owned(), "env TASKLIST_API".to_owned())
    );
    assert_eq!(
        shown(&[("TASKLIST_API", "v2")], &["--api", "auto"]),
        ("auto".to_owned(), "flag --api".to_owned())
    );
    assert_eq!(
        shown(&[], &["--profile", "prod"]),
        ("auto".to_owned(), "default".to_owned())
    );

    // The setting reaches the client: the profile's v1 asks nothing; the flag's auto asks.
    let run = with_config(&kit, &file, &[], &["auth", "check", "-o", "json"]);
    run.ok();
    assert_eq!(run.json()["taskApi"], "v1");
    assert_eq!(server.requests(Route::Topology), 0);
    let run = with_config(
        &kit,
        &file,
        &[("TASKLIST_API", "v1")],
        &["--api", "auto", "auth", "check", "-o", "json"],
    );
    run.ok();
    assert_eq!(run.json()["taskApi"], "v2");
    assert_eq!(server.requests(Route::Topology), 1);
}

#[test]
fn a_bad_api_value_is_a_usage_error_naming_the_accepted_values() {
    let kit = kit(Profile::V8_9);
    let line = kit.run(["--api", "v3", "config", "show"]).fails(2);
    assert!(line.contains("'v3'") && line.contains("--api"), "{line}");
    let run = kit.run(["--api", "v3", "config", "show"]);
    assert!(run.stderr.contains("auto, v1, v2"), "{}", run.stderr);

    let mut cmd = kit.cmd();
    cmd.env("TASKLIST_API", "v3").args(["tasks", "search"]);
    let line = kit.finish(&mut cmd).fails(2);
    assert!(
        line.contains("TASKLIST_API is `v3`; expected auto, v1 or v2"),
        "{line}"
    );

    let file = write_config(&kit, "8.9");
    let line = with_config(&kit, &file, &[], &["config", "show"]).fails(2);
    assert!(
        line.contains("`api` of profile dev is `8.9`; expected auto, v1 or v2"),
        "{line}"
    );
    assert_eq!(kit.server().total_requests(), 0, "nothing was sent");
}

#[test]
fn a_bad_or_lonely_sandbox_version_is_a_usage_error() {
    let run = bare(&["--sandbox", "--sandbox-version", "8.6", "tasks", "search"]);
    let line = run.fails(2);
    assert!(line.contains("'8.6'"), "{line}");
    assert!(
        run.stderr.contains("possible values: 8.7, 8.8, 8.9, 8.10"),
        "{}",
        run.stderr
    );
    let line = bare(&["--sandbox-version", "8.9", "tasks", "search"]).fails(2);
    assert!(
        line.contains("--sandbox-version 8.9") && line.contains("--sandbox"),
        "{line}"
    );
}

#[test]
fn a_profile_the_config_file_lacks_is_an_error_with_or_without_the_sandbox() {
    let kit = kit(Profile::V8_9);
    let file = write_config(&kit, "auto");
    for sandbox in [false, true] {
        let mut args = vec!["--profile", "nosuch"];
        if sandbox {
            args.push("--sandbox");
        }
        args.extend(["tasks", "search"]);
        let line = with_config(&kit, &file, &[], &args).fails(2);
        assert!(line.contains("no profile `nosuch`"), "{line}");
        assert!(line.contains("the profiles there are: dev, prod"), "{line}");
        // The environment names a profile as the flag does.
        let line = with_config(&kit, &file, &[("TASKLIST_PROFILE", "nosuch")], &args[2..]).fails(2);
        assert!(line.contains("no profile `nosuch`"), "{line}");
    }
    // A version given as a profile points at --sandbox-version.
    let line = with_config(
        &kit,
        &file,
        &[],
        &["--sandbox", "--profile", "8.10", "auth", "check"],
    )
    .fails(2);
    assert!(line.contains("--sandbox-version 8.10"), "{line}");
    // Without a config file at all, also an error.
    let line = bare(&["--sandbox", "--profile", "nosuch", "tasks", "search"]).fails(2);
    assert!(line.contains("no config file"), "{line}");
    // A profile that exists is fine with the sandbox (the sandbox's connection is used).
    let run = with_config(
        &kit,
        &file,
        &[],
        &[
            "--sandbox",
            "--profile",
            "prod",
            "config",
            "show",
            "-o",
            "json",
        ],
    );
    run.ok();
    assert_eq!(run.json()["baseUrl"]["source"], "sandbox");
    assert_eq!(kit.server().total_requests(), 0);
}
