//! The checks a release runs, each also a task of its own (`cargo xtask package`, `deny`,
//! `metadata`, `msrv`, `semver`); CI runs the fast forms of the first four.
//!
//! Every check takes the directory of the workspace it checks: the checkout itself, or the
//! copy of it that `cargo xtask release` bumps before anything is written to the checkout.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::cmd;

/// The cargo-deny versions installed when it is missing.
pub(crate) const CARGO_DENY_VERSION: &str = "^0.20";
/// The cargo-semver-checks versions installed when it is missing: 0.51 reads the rustdoc JSON
/// of the pinned toolchain (1.95).
pub(crate) const CARGO_SEMVER_CHECKS_VERSION: &str = "^0.51";
/// The crates that must never be published: the end-to-end tests and this tool.
const NEVER_PUBLISHED: &[&str] = &["tasklist-e2e", "xtask"];

/// How thoroughly a check runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Depth {
    /// CI's form: enough to catch the mistakes, in a fraction of the time.
    Fast,
    /// A release's form.
    Full,
}

/// `cargo package` of every publishable crate, then a build of each from its packaged sources
/// alone: files left out by `include`, path-only dependencies and anything read from outside
/// the crate's directory fail here rather than on crates.io.
///
/// - Full: `cargo package --workspace` with its verification, which builds each `.crate`
///   against the others through a local registry, as crates.io would serve them.
/// - Fast: the `.crate` files are unpacked into one throwaway workspace that `[patch]`es the
///   crates to the unpacked copies, and `cargo check --all-features` runs there once.
pub(crate) fn package(dir: &Path, target_dir: &Path, depth: Depth) -> Result<(), String> {
    let metadata = metadata_json(dir)?;
    let publishable = publishable(&metadata)?;
    let mut args: Vec<String> = ["package", "--workspace", "--locked", "--allow-dirty"]
        .map(String::from)
        .to_vec();
    for name in unpublished(&metadata)? {
        args.extend(["--exclude".to_owned(), name]);
    }
    if depth == Depth::Fast {
        args.push("--no-verify".to_owned());
    }
    let target = target_dir.as_os_str();
    cmd::run(
        &cmd::cargo_program(),
        &args,
        dir,
        &[("CARGO_TARGET_DIR", target)],
    )?;
    if depth == Depth::Full {
        return Ok(());
    }
    let unpacked = target_dir.join("packaged-sources");
    if unpacked.exists() {
        fs::remove_dir_all(&unpacked)
            .map_err(|e| format!("could not empty {}: {e}", unpacked.display()))?;
    }
    fs::create_dir_all(&unpacked)
        .map_err(|e| format!("could not create {}: {e}", unpacked.display()))?;
    let mut manifest = String::from(
        "# Made by `cargo xtask package`: the packaged crates, built from their .crate files.\n\
         [workspace]\nresolver = \"3\"\nmembers = [\n",
    );
    let mut patch = String::from("\n[patch.crates-io]\n");
    for (name, version) in &publishable {
        let file = target_dir
            .join("package")
            .join(format!("{name}-{version}.crate"));
        cmd::run(
            "tar",
            &[
                OsStr::new("-xzf"),
                file.as_os_str(),
                OsStr::new("-C"),
                unpacked.as_os_str(),
            ],
            dir,
            &[],
        )?;
        manifest.push_str(&format!("    \"{name}-{version}\",\n"));
        patch.push_str(&format!("{name} = {{ path = \"{name}-{version}\" }}\n"));
    }
    manifest.push_str("]\n");
    manifest.push_str(&patch);
    crate::write(&unpacked.join("Cargo.toml"), &manifest)?;
    // The checkout's lock file, so that the packaged crates build with the dependency
    // versions the workspace was tested with (`--offline`: nothing newer is fetched).
    let lock = dir.join("Cargo.lock");
    fs::copy(&lock, unpacked.join("Cargo.lock"))
        .map_err(|e| format!("could not copy {}: {e}", lock.display()))?;
    cmd::run(
        &cmd::cargo_program(),
        &[
            "check",
            "--workspace",
            "--all-features",
            "--offline",
            "--quiet",
        ],
        &unpacked,
        &[(
            "CARGO_TARGET_DIR",
            target_dir.join("packaged-build").as_os_str(),
        )],
    )
}

/// `cargo deny check licenses bans sources` with the committed `deny.toml`, and with
/// `advisories` the RustSec advisories too (which need the advisory database from the
/// network).
pub(crate) fn deny(dir: &Path, advisories: bool) -> Result<(), String> {
    cmd::ensure_cargo_tool("deny", "cargo-deny", CARGO_DENY_VERSION)?;
    // Offline unless the advisories are asked for: the licenses, bans and sources need only
    // the lock file and the registry cache.
    let mut args = vec!["deny", "--all-features", "--locked"];
    if !advisories {
        args.push("--offline");
    }
    args.push("check");
    args.extend(["licenses", "bans", "sources"]);
    if advisories {
        args.push("advisories");
    }
    cmd::run(&cmd::cargo_program(), &args, dir, &[])
}

/// Every publishable crate has what crates.io and docs.rs show (description, license,
/// repository, documentation, readme, keywords, categories, `[package.metadata.docs.rs]`),
/// and the crates that must stay unpublished are `publish = false`.
pub(crate) fn metadata(dir: &Path) -> Result<(), String> {
    let metadata = metadata_json(dir)?;
    let problems = metadata_problems(&metadata);
    if problems.is_empty() {
        println!("metadata: complete for {}", names(&publishable(&metadata)?));
        Ok(())
    } else {
        Err(format!(
            "crate metadata is incomplete:\n  {}",
            problems.join("\n  ")
        ))
    }
}

/// What is missing from the metadata of the crates in `cargo metadata`'s JSON.
pub(crate) fn metadata_problems(metadata: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    for package in metadata["packages"].as_array().into_iter().flatten() {
        let name = package["name"].as_str().unwrap_or("?");
        let is_publishable = is_publishable(package);
        if NEVER_PUBLISHED.contains(&name) {
            if is_publishable {
                problems.push(format!(
                    "{name}: must not be published; add `publish = false`"
                ));
            }
            continue;
        }
        if !is_publishable {
            continue;
        }
        for field in [
            "description",
            "license",
            "repository",
            "documentation",
            "readme",
        ] {
            if package[field].as_str().is_none_or(|v| v.trim().is_empty()) {
                problems.push(format!("{name}: no `{field}`"));
            }
        }
        if let (Some(readme), Some(manifest)) = (
            package["readme"].as_str(),
            package["manifest_path"].as_str(),
        ) {
            let path = Path::new(manifest).with_file_name(readme);
            if !path.is_file() {
                problems.push(format!(
                    "{name}: its readme {} does not exist",
                    path.display()
                ));
            }
        }
        for (field, limit) in [("keywords", 5), ("categories", 5)] {
            let count = package[field].as_array().map_or(0, Vec::len);
            if count == 0 || count > limit {
                problems.push(format!(
                    "{name}: `{field}` has {count} entries; crates.io takes 1 to {limit}"
                ));
            }
        }
        for keyword in package["keywords"].as_array().into_iter().flatten() {
            let keyword = keyword.as_str().unwrap_or("");
            let valid = !keyword.is_empty()
                && keyword.len() <= 20
                && keyword.starts_with(|c: char| c.is_ascii_alphabetic())
                && keyword
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '+');
            if !valid {
                problems.push(format!(
                    "{name}: keyword `{keyword}` is not one crates.io takes (ASCII letters, \
                     digits, `-`, `_`, `+`, starting with a letter, at most 20)"
                ));
            }
        }
        if package["metadata"]["docs"]["rs"].is_null() {
            problems.push(format!(
                "{name}: no `[package.metadata.docs.rs]` (which features docs.rs documents)"
            ));
        }
        if package["rust_version"].as_str().is_none() {
            problems.push(format!("{name}: no `rust-version`"));
        }
    }
    problems
}

/// The minimum supported Rust version: every publishable crate declares one, and it is the
/// toolchain `rust-toolchain.toml` pins, so that every build of CI is a build with the
/// declared version. Full: also `cargo +<version> check` of each crate with all features.
pub(crate) fn msrv(dir: &Path, target_dir: &Path, depth: Depth) -> Result<(), String> {
    let metadata = metadata_json(dir)?;
    let mut by_version: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for package in metadata["packages"].as_array().into_iter().flatten() {
        if !is_publishable(package) {
            continue;
        }
        let name = package["name"].as_str().unwrap_or("?").to_owned();
        let version = package["rust_version"]
            .as_str()
            .ok_or_else(|| format!("{name} declares no `rust-version`"))?;
        by_version.entry(version.to_owned()).or_default().push(name);
    }
    let pinned = pinned_toolchain(dir)?;
    for (version, crates) in &by_version {
        let toolchain = toolchain_of(version);
        if let Some(pinned) = &pinned
            && *pinned != toolchain
        {
            return Err(format!(
                "{} declare rust-version {version}, but rust-toolchain.toml pins {pinned}: \
                 make them agree, so that CI builds with the version the crates promise",
                crates.join(", ")
            ));
        }
        println!(
            "msrv: {} declare rust-version {version} ({toolchain})",
            crates.join(", ")
        );
        if depth == Depth::Full {
            if !cmd::succeeds("rustup", &["run", &toolchain, "rustc", "--version"]) {
                return Err(format!(
                    "the toolchain {toolchain} is not installed: `rustup toolchain install \
                     {toolchain}`"
                ));
            }
            let mut args = vec![format!("+{toolchain}"), "check".to_owned()];
            for name in crates {
                args.extend(["-p".to_owned(), name.clone()]);
            }
            args.extend(["--all-features", "--locked", "--quiet"].map(String::from));
            // The rustup proxy, not `cmd::cargo_program()`: only the proxy takes `+toolchain`.
            cmd::run(
                "cargo",
                &args,
                dir,
                &[("CARGO_TARGET_DIR", target_dir.join("msrv").as_os_str())],
            )?;
        }
    }
    Ok(())
}

/// The toolchain a `rust-version` names: `1.95` is `1.95.0`.
fn toolchain_of(rust_version: &str) -> String {
    if rust_version.matches('.').count() == 1 {
        format!("{rust_version}.0")
    } else {
        rust_version.to_owned()
    }
}

/// The `channel` of `rust-toolchain.toml`, when there is one.
fn pinned_toolchain(dir: &Path) -> Result<Option<String>, String> {
    let path = dir.join("rust-toolchain.toml");
    if !path.is_file() {
        return Ok(None);
    }
    let text = crate::read(&path)?;
    let doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e| format!("{} is not valid TOML: {e}", path.display()))?;
    Ok(doc
        .get("toolchain")
        .and_then(|t| t.get("channel"))
        .and_then(toml_edit::Item::as_str)
        .map(str::to_owned))
}

/// `cargo semver-checks` of one crate of the workspace at `dir` against the same crate in
/// `baseline` (a checkout of its last release), for a release of `level` (`major`, `minor`
/// or `patch`): fails when the public API changed more than that level allows.
pub(crate) fn semver(
    dir: &Path,
    baseline: &Path,
    crate_name: &str,
    level: &str,
    target_dir: &Path,
) -> Result<(), String> {
    cmd::ensure_cargo_tool(
        "semver-checks",
        "cargo-semver-checks",
        CARGO_SEMVER_CHECKS_VERSION,
    )?;
    let manifest = dir.join("Cargo.toml");
    let args: Vec<&OsStr> = vec![
        OsStr::new("semver-checks"),
        OsStr::new("check-release"),
        OsStr::new("--manifest-path"),
        manifest.as_os_str(),
        OsStr::new("-p"),
        OsStr::new(crate_name),
        OsStr::new("--baseline-root"),
        baseline.as_os_str(),
        OsStr::new("--release-type"),
        OsStr::new(level),
    ];
    cmd::run(
        &cmd::cargo_program(),
        &args,
        dir,
        &[("CARGO_TARGET_DIR", target_dir.join("semver").as_os_str())],
    )
    .map_err(|e| {
        format!(
            "{e}\n{crate_name}'s public API changed more than a {level} release allows: make \
             the bump bigger, or keep the old API"
        )
    })
}

/// `cargo metadata --no-deps` of the workspace at `dir`.
pub(crate) fn metadata_json(dir: &Path) -> Result<Value, String> {
    let json = cmd::output(
        &cmd::cargo_program(),
        &[
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ],
        dir,
    )?;
    serde_json::from_str(&json)
        .map_err(|e| format!("`cargo metadata` printed something that is not JSON: {e}"))
}

/// Whether a package of `cargo metadata`'s JSON may be published: its `publish` is null
/// (anywhere) or a list of registries, not `[]` (`publish = false`).
pub(crate) fn is_publishable(package: &Value) -> bool {
    package["publish"]
        .as_array()
        .is_none_or(|registries| !registries.is_empty())
}

/// The publishable crates and their versions.
fn publishable(metadata: &Value) -> Result<Vec<(String, String)>, String> {
    let mut crates = Vec::new();
    for package in metadata["packages"].as_array().into_iter().flatten() {
        if !is_publishable(package) {
            continue;
        }
        let name = package["name"].as_str().ok_or("a package without a name")?;
        let version = package["version"]
            .as_str()
            .ok_or_else(|| format!("{name} has no version"))?;
        crates.push((name.to_owned(), version.to_owned()));
    }
    Ok(crates)
}

/// The `publish = false` crates.
fn unpublished(metadata: &Value) -> Result<Vec<String>, String> {
    let mut crates = Vec::new();
    for package in metadata["packages"].as_array().into_iter().flatten() {
        if !is_publishable(package) {
            let name = package["name"].as_str().ok_or("a package without a name")?;
            crates.push(name.to_owned());
        }
    }
    Ok(crates)
}

fn names(crates: &[(String, String)]) -> String {
    crates
        .iter()
        .map(|(name, version)| format!("{name} {version}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The target directory the checks of the workspace at `root` build in.
pub(crate) fn target_dir(root: &Path) -> PathBuf {
    root.join("target").join("release-checks")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(extra: &str) -> Value {
        serde_json::from_str(&format!(
            r#"{{"packages": [{{"name": "a", "publish": null, "manifest_path": "{}/Cargo.toml",
            "description": "A.", "license": "Apache-2.0", "repository": "https://x",
            "documentation": "https://docs.rs/a", "readme": "Cargo.toml",
            "keywords": ["camunda"], "categories": ["api-bindings"], "rust_version": "1.95",
            "metadata": {{"docs": {{"rs": {{"all-features": true}}}}}} {extra} }},
            {{"name": "xtask", "publish": []}}]}}"#,
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn complete_metadata_passes_and_each_gap_is_named() {
        assert_eq!(metadata_problems(&package("")), Vec::<String>::new());
        let mut gaps = package("");
        let a = &mut gaps["packages"][0];
        a["description"] = Value::Null;
        a["keywords"] = serde_json::json!(["Camunda 8", "a", "b", "c", "d", "e"]);
        a["metadata"] = Value::Null;
        a["readme"] = serde_json::json!("NOPE.md");
        gaps["packages"][1]["publish"] = Value::Null;
        let problems = metadata_problems(&gaps).join("\n");
        for expected in [
            "a: no `description`",
            "a: `keywords` has 6 entries",
            "a: keyword `Camunda 8` is not one crates.io takes",
            "a: no `[package.metadata.docs.rs]`",
            "NOPE.md does not exist",
            "xtask: must not be published",
        ] {
            assert!(
                problems.contains(expected),
                "{expected} missing from:\n{problems}"
            );
        }
    }

    #[test]
    fn a_two_part_rust_version_is_its_dot_zero_toolchain() {
        assert_eq!(toolchain_of("1.95"), "1.95.0");
        assert_eq!(toolchain_of("1.95.1"), "1.95.1");
    }
}
