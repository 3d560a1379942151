//! `cargo xtask release` on temporary copies of `xtask/fixtures/workspace`, a git repository
//! made for each test: `fixture-base` <- `fixture-middle` <- `fixture-top`, and
//! `fixture-internal` (`publish = false`) on top.

use std::fs;
use std::path::{Path, PathBuf};

use super::run;

/// A fresh copy of the fixture, committed as one commit of a new repository.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/workspace");
    copy_dir(&source, dir.path());
    git(dir.path(), &["init", "--quiet", "--initial-branch=main"]);
    git(dir.path(), &["config", "user.name", "Release Test"]);
    git(dir.path(), &["config", "user.email", "release@example.com"]);
    git(dir.path(), &["config", "commit.gpgsign", "false"]);
    git(dir.path(), &["config", "tag.gpgsign", "false"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "--quiet", "-m", "The fixture"]);
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() == "target" {
                continue;
            }
            fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn git(dir: &Path, args: &[&str]) -> String {
    crate::cmd::output("git", args, dir).unwrap()
}

fn release(dir: &Path, args: &[&str]) -> Result<(), String> {
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    run(dir, &args)
}

fn read(dir: &Path, path: &str) -> String {
    fs::read_to_string(dir.join(path)).unwrap()
}

/// Every file of the working tree (target/ left out) and its contents.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                if entry.file_name() != "target" {
                    walk(root, &path, out);
                }
            } else {
                let relative = path.strip_prefix(root).unwrap().to_path_buf();
                out.push((relative, fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

#[test]
fn a_dry_run_of_every_crate_runs_its_checks_and_changes_nothing() {
    let repo = fixture();
    let dir = repo.path();
    let before = snapshot(dir);
    let head = git(dir, &["rev-parse", "HEAD"]);
    release(
        dir,
        &[
            "--all",
            "patch",
            "--checks",
            "metadata,msrv,package",
            "--date",
            "2026-12-05",
        ],
    )
    .unwrap();
    assert_eq!(snapshot(dir), before, "the dry run wrote to the checkout");
    assert_eq!(git(dir, &["rev-parse", "HEAD"]), head);
    assert_eq!(git(dir, &["tag", "--list"]), "");
    assert_eq!(git(dir, &["status", "--porcelain"]), "");
}

#[test]
fn a_release_bumps_the_dependents_rewrites_the_changelogs_commits_and_tags() {
    let repo = fixture();
    let dir = repo.path();
    release(
        dir,
        &[
            "fixture-base",
            "minor",
            "--execute",
            "--checks",
            "none",
            "--date",
            "2026-12-05",
        ],
    )
    .unwrap();

    // 0.1.0 -> 0.2.0 is breaking, so both dependents get breaking releases too.
    for krate in ["base", "middle", "top"] {
        let manifest = read(dir, &format!("crates/{krate}/Cargo.toml"));
        assert!(
            manifest.contains("\nversion = \"0.2.0\"\n"),
            "{krate}:\n{manifest}"
        );
    }
    let root = read(dir, "Cargo.toml");
    assert!(root.contains(r#"fixture-base = { path = "crates/base", version = "0.2.0" }"#));
    assert!(root.contains(r#"fixture-middle = { path = "crates/middle", version = "0.2.0" }"#));
    let top = read(dir, "crates/top/Cargo.toml");
    assert!(top.contains(r#"fixture-middle = { path = "../middle", version = "0.2.0" }"#));
    assert!(top.contains("[dev-dependencies]\nfixture-base = { path = \"../base\" }"));
    // The unpublished crate keeps its version and asks for the new one of its dependency.
    let internal = read(dir, "crates/internal/Cargo.toml");
    assert!(internal.contains("version = \"0.0.0\""));
    assert!(internal.contains(r#"fixture-top = { path = "../top", version = "0.2.0" }"#));
    let lock = read(dir, "Cargo.lock");
    assert_eq!(lock.matches("version = \"0.2.0\"").count(), 3, "{lock}");

    let base_log = read(dir, "crates/base/CHANGELOG.md");
    assert!(
        base_log.contains(
            "## [Unreleased]\n\n## [0.2.0] - 2026-12-05\n\n### Added\n- The base crate.\n"
        ),
        "{base_log}"
    );
    let middle_log = read(dir, "crates/middle/CHANGELOG.md");
    assert!(
        middle_log
            .contains("- The middle crate.\n\n### Changed\n- Depends on `fixture-base` 0.2.0.\n"),
        "{middle_log}"
    );

    assert_eq!(
        git(dir, &["status", "--porcelain"]),
        "",
        "the release left changes behind"
    );
    assert_eq!(
        git(dir, &["log", "-1", "--format=%s"]).trim(),
        "Release fixture-base 0.2.0, fixture-middle 0.2.0, fixture-top 0.2.0"
    );
    let tags = git(dir, &["tag", "--list", "--points-at", "HEAD"]);
    assert_eq!(
        tags.lines().collect::<Vec<_>>(),
        [
            "fixture-base-v0.2.0",
            "fixture-middle-v0.2.0",
            "fixture-top-v0.2.0"
        ]
    );

    // A version that is tagged already is refused, and so is a crate with nothing to say.
    let err = release(dir, &["fixture-base", "0.2.0", "--checks", "none"]).unwrap_err();
    assert!(
        err.contains("released already (tag fixture-base-v0.2.0)"),
        "{err}"
    );
    let err = release(dir, &["fixture-top", "patch", "--checks", "none"]).unwrap_err();
    assert!(
        err.contains("says nothing under `## [Unreleased]`"),
        "{err}"
    );
}

#[test]
fn a_dirty_tree_is_refused_unless_a_dry_run_allows_it() {
    let repo = fixture();
    let dir = repo.path();
    fs::write(dir.join("crates/base/src/extra.rs"), "// not committed\n").unwrap();
    let err = release(dir, &["fixture-base", "patch", "--checks", "none"]).unwrap_err();
    assert!(
        err.contains("uncommitted changes (crates/base/src/extra.rs)"),
        "{err}"
    );
    assert!(err.contains("--allow-dirty"), "{err}");
    let err = release(dir, &["fixture-base", "patch", "--execute"]).unwrap_err();
    assert!(err.contains("uncommitted changes"), "{err}");
    let err = release(
        dir,
        &["fixture-base", "patch", "--execute", "--allow-dirty"],
    )
    .unwrap_err();
    assert!(err.contains("for dry runs only"), "{err}");
    release(
        dir,
        &["fixture-base", "patch", "--allow-dirty", "--checks", "none"],
    )
    .unwrap();
    assert_eq!(
        git(dir, &["status", "--porcelain"]),
        "?? crates/base/src/extra.rs\n"
    );
}

#[test]
fn semver_checks_refuse_a_breaking_change_in_a_compatible_release() {
    let repo = fixture();
    let dir = repo.path();
    let baseline = git(dir, &["rev-parse", "HEAD"]).trim().to_owned();
    let patch = [
        "fixture-base",
        "patch",
        "--checks",
        "semver",
        "--baseline",
        &baseline,
    ];
    // The same API as the baseline: a patch release passes.
    release(dir, &patch).unwrap();
    // Remove a public function: a breaking change.
    let lib = read(dir, "crates/base/src/lib.rs");
    let cut = lib.find("/// A greeting.").unwrap();
    fs::write(dir.join("crates/base/src/lib.rs"), &lib[..cut]).unwrap();
    git(dir, &["commit", "--quiet", "-am", "Remove greeting"]);

    let err = release(dir, &patch).unwrap_err();
    assert!(
        err.contains("fixture-base's public API changed more than a patch release allows"),
        "{err}"
    );
    // Tagged as a release, the baseline is found without --baseline; a minor release of a
    // 0.x crate may break, and is accepted.
    git(dir, &["tag", "fixture-base-v0.1.0", &baseline]);
    release(dir, &["fixture-base", "minor", "--checks", "semver"]).unwrap();
    assert_eq!(git(dir, &["status", "--porcelain"]), "");
}
