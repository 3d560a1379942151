//! `cargo xtask release <crate...|--all> <major|minor|patch|VERSION> [--execute]`.
//!
//! A dry run unless `--execute` is given. Either way it:
//!
//! 1. refuses a working tree with uncommitted changes (a dry run may pass `--allow-dirty`);
//! 2. plans the versions ([`plan`]): the named crates and every publishable crate that depends
//!    on them, in dependency order;
//! 3. copies the working tree into a temporary directory and, there only, writes the new
//!    versions (each crate's `[package] version` and every `version` requirement on it,
//!    `[workspace.dependencies]` included), moves each crate's `## [Unreleased]` changelog
//!    section under its version and date ([`changelog`]), and updates `Cargo.lock`;
//! 4. runs the release checks on that copy ([`crate::checks`]): metadata, MSRV, package and
//!    build from the packaged sources, cargo deny, and cargo semver-checks against each
//!    crate's last release tag (or `--baseline REV` while there is none);
//! 5. prints what would change. With `--execute`, and only when every check passed, it copies
//!    the changed files into the checkout, commits them and tags each crate
//!    `<crate>-v<version>`, locally. Publishing is `cargo xtask publish`, a separate step.

mod changelog;
pub(crate) mod git;
mod plan;
pub(crate) mod workspace;

#[cfg(test)]
mod tests;

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use semver::Version;

use crate::checks::{self, Depth};
use plan::{Bump, Level, Reason, Step};
use workspace::Workspace;

pub(crate) const USAGE: &str = "\
usage: cargo xtask release <CRATE...|--all> <major|minor|patch|VERSION> [OPTIONS]

Bumps the named crates and every publishable crate that depends on them, moves their
CHANGELOG.md `## [Unreleased]` sections under the new versions, and runs the release checks,
all in a temporary copy of the working tree. A dry run unless --execute is given.

options:
  --execute          when every check passes, write the changes, commit, and tag each crate
                     <crate>-v<version> (locally; `cargo xtask publish` publishes)
  --allow-dirty      (dry run only) run on a working tree with uncommitted changes
  --baseline REV     the git revision semver-checks compares with for crates that have no
                     release tag yet (by default such crates are not compared)
  --checks LIST      the checks to run, comma-separated, from metadata, msrv, package, deny,
                     semver (default: all of them), or `none`
  --date YYYY-MM-DD  the release date written to the changelogs (default: today, UTC)
";

/// Every check a release can run.
const ALL_CHECKS: [&str; 5] = ["metadata", "msrv", "package", "deny", "semver"];

/// What the command line asked for.
#[derive(Debug)]
struct Options {
    crates: Vec<String>,
    all: bool,
    bump: Bump,
    execute: bool,
    allow_dirty: bool,
    baseline: Option<String>,
    checks: BTreeSet<&'static str>,
    date: Option<String>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut positional = Vec::new();
        let mut all = false;
        let mut execute = false;
        let mut allow_dirty = false;
        let mut baseline = None;
        let mut checks: BTreeSet<&'static str> = ALL_CHECKS.into_iter().collect();
        let mut date = None;
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--all" => all = true,
                "--execute" => execute = true,
                "--allow-dirty" => allow_dirty = true,
                "--baseline" => {
                    baseline = Some(
                        args.next()
                            .ok_or("--baseline needs a git revision")?
                            .clone(),
                    );
                }
                "--checks" => {
                    let list = args
                        .next()
                        .ok_or("--checks needs a list such as package,deny")?;
                    checks = parse_checks(list)?;
                }
                "--date" => {
                    let value = args
                        .next()
                        .ok_or("--date needs a date such as 2026-12-05")?;
                    let valid = value.len() == 10
                        && value.chars().enumerate().all(|(i, c)| {
                            if i == 4 || i == 7 {
                                c == '-'
                            } else {
                                c.is_ascii_digit()
                            }
                        });
                    if !valid {
                        return Err(format!("--date {value}: give the date as YYYY-MM-DD"));
                    }
                    date = Some(value.clone());
                }
                other if other.starts_with('-') => {
                    return Err(format!("unknown release option `{other}`\n\n{USAGE}"));
                }
                other => positional.push(other.to_owned()),
            }
        }
        let bump = positional.pop().ok_or_else(|| {
            format!("say which bump: major, minor, patch or a version\n\n{USAGE}")
        })?;
        let bump = Bump::parse(&bump)?;
        if all != positional.is_empty() {
            return Err(format!(
                "name the crates to release, or --all, not both and not neither\n\n{USAGE}"
            ));
        }
        if allow_dirty && execute {
            return Err(
                "--allow-dirty is for dry runs only: a release is made from committed work"
                    .to_owned(),
            );
        }
        Ok(Options {
            crates: positional,
            all,
            bump,
            execute,
            allow_dirty,
            baseline,
            checks,
            date,
        })
    }
}

fn parse_checks(list: &str) -> Result<BTreeSet<&'static str>, String> {
    if list == "none" {
        return Ok(BTreeSet::new());
    }
    list.split(',')
        .map(|name| {
            ALL_CHECKS
                .into_iter()
                .find(|known| *known == name.trim())
                .ok_or_else(|| {
                    format!(
                        "unknown check `{name}`; the checks are {} (or `none`)",
                        ALL_CHECKS.join(", ")
                    )
                })
        })
        .collect()
}

/// Runs `cargo xtask release ARGS` on the workspace at `root`.
pub(crate) fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let options = Options::parse(args)?;
    let changes = git::changes(root)?;
    if !changes.is_empty() && !options.allow_dirty {
        let shown: Vec<&str> = changes.iter().take(10).map(String::as_str).collect();
        return Err(format!(
            "the working tree has uncommitted changes ({}{}): commit or stash them first{}",
            shown.join(", "),
            if changes.len() > 10 { ", ..." } else { "" },
            if options.execute {
                ""
            } else {
                " (a dry run may pass --allow-dirty)"
            }
        ));
    }
    let workspace = Workspace::load(root)?;
    let named: Vec<String> = if options.all {
        workspace
            .members
            .values()
            .filter(|m| m.publishable)
            .map(|m| m.name.clone())
            .collect()
    } else {
        options.crates.clone()
    };
    let steps = plan::plan(&workspace, &named, &options.bump)?;
    // Each crate's tag and its message, `<crate> <version>`.
    let tags: Vec<(String, String)> = steps
        .iter()
        .map(|s| (git::tag(&s.name, &s.to), format!("{} {}", s.name, s.to)))
        .collect();
    for (tag, release) in &tags {
        if git::tag_exists(root, tag)? {
            return Err(format!(
                "{release} is released already (tag {tag}): choose a higher version"
            ));
        }
    }
    let tag_names = tags
        .iter()
        .map(|(tag, _)| tag.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let date = match &options.date {
        Some(date) => date.clone(),
        None => today(),
    };
    print_plan(&steps, &date, options.execute);

    let scratch = Scratch::copy_of(root)?;
    let changed = apply(&workspace, &scratch.dir, &steps, &date)?;
    run_checks(root, &scratch.dir, &steps, &options)?;

    println!("\nfiles the release changes:");
    for path in &changed {
        println!("  {path}");
    }
    if !options.execute {
        println!(
            "\ndry run: the checkout is unchanged. `cargo xtask release {} --execute` writes \
             these changes, commits them and tags {}.",
            args.iter()
                .filter(|a| *a != "--allow-dirty")
                .cloned()
                .collect::<Vec<_>>()
                .join(" "),
            tag_names
        );
        return Ok(());
    }
    for path in &changed {
        let from = scratch.dir.join(path);
        let to = root.join(path);
        fs::copy(&from, &to).map_err(|e| format!("could not write {}: {e}", to.display()))?;
    }
    let releases: Vec<&str> = tags.iter().map(|(_, release)| release.as_str()).collect();
    let message = format!("Release {}", releases.join(", "));
    git::commit_and_tag(root, &changed, &message, &tags)?;
    println!(
        "\ncommitted \"{message}\" and tagged it {tag_names}. Push the commit and the tags, \
         then `cargo xtask publish`."
    );
    Ok(())
}

fn print_plan(steps: &[Step], date: &str, execute: bool) {
    println!(
        "release ({}), dated {date}, in publishing order:",
        if execute { "for real" } else { "dry run" }
    );
    for step in steps {
        let why = match &step.reason {
            Reason::Named => "named".to_owned(),
            Reason::DependsOn(deps) => format!("depends on {}", deps.join(", ")),
        };
        let change = if step.changes_version() {
            format!("{} -> {}", step.from, step.to)
        } else {
            format!("{} (first release)", step.to)
        };
        println!("  {:<20} {change:<20} {why}", step.name);
    }
}

/// Writes the release's versions and changelogs into the copy at `dir`, updates its lock
/// file, and returns the changed files relative to it.
fn apply(
    workspace: &Workspace,
    dir: &Path,
    steps: &[Step],
    date: &str,
) -> Result<Vec<String>, String> {
    let relative = |path: &Path| -> Result<PathBuf, String> {
        path.strip_prefix(&workspace.root)
            .map(Path::to_path_buf)
            .map_err(|_| format!("{} is outside the workspace", path.display()))
    };
    let mut changed: BTreeSet<String> = BTreeSet::new();
    // The crates that get a new version: their own manifests, then every requirement on them.
    let bumps: Vec<(&str, &Version)> = steps
        .iter()
        .filter(|s| s.changes_version())
        .map(|s| (s.name.as_str(), &s.to))
        .collect();
    for (name, version) in &bumps {
        let manifest = relative(&workspace.member(name)?.dir)?.join("Cargo.toml");
        let path = dir.join(&manifest);
        let text = crate::read(&path)?;
        crate::write(
            &path,
            &workspace::set_package_version(&text, name, version)?,
        )?;
        changed.insert(slash(&manifest));
    }
    if !bumps.is_empty() {
        for manifest in workspace.manifests() {
            let manifest = relative(&manifest)?;
            let path = dir.join(&manifest);
            let text = crate::read(&path)?;
            let (new, count) =
                workspace::set_dependency_versions(&text, &slash(&manifest), &bumps)?;
            if count > 0 {
                crate::write(&path, &new)?;
                changed.insert(slash(&manifest));
            }
        }
    }
    for step in steps {
        let member = workspace.member(&step.name)?;
        let member_dir = relative(&member.dir)?;
        let notes: Vec<String> = member
            .normal_deps()
            .filter_map(|dep| steps.iter().find(|s| s.name == dep && s.changes_version()))
            .map(|dep| format!("Depends on `{}` {}.", dep.name, dep.to))
            .collect();
        let log = member_dir.join("CHANGELOG.md");
        let path = dir.join(&log);
        if !path.is_file() {
            return Err(format!(
                "{} has no CHANGELOG.md ({}): every published crate keeps one",
                step.name,
                slash(&log)
            ));
        }
        let text = crate::read(&path)?;
        crate::write(
            &path,
            &changelog::release(&text, &step.name, &step.to, date, &notes)?,
        )?;
        changed.insert(slash(&log));
    }
    if !bumps.is_empty() {
        crate::cmd::run(
            &crate::cmd::cargo_program(),
            &["update", "--workspace", "--offline", "--quiet"],
            dir,
            &[],
        )?;
        changed.insert("Cargo.lock".to_owned());
    }
    Ok(changed.into_iter().collect())
}

/// Runs the chosen checks on the bumped copy at `dir` of the checkout at `root`.
fn run_checks(root: &Path, dir: &Path, steps: &[Step], options: &Options) -> Result<(), String> {
    let target = checks::target_dir(root);
    let wanted = |name: &str| options.checks.contains(name);
    if wanted("metadata") {
        checks::metadata(dir)?;
    }
    if wanted("msrv") {
        checks::msrv(dir, &target, Depth::Full)?;
    }
    if wanted("package") {
        checks::package(dir, &target, Depth::Full)?;
    }
    if wanted("deny") {
        checks::deny(dir, false)?;
    }
    if wanted("semver") {
        // One checkout per baseline commit: crates released together share theirs.
        let mut checkouts: BTreeMap<String, Scratch> = BTreeMap::new();
        for step in steps.iter().filter(|s| s.changes_version()) {
            let baseline = match (git::last_release_tag(root, &step.name)?, &options.baseline) {
                (Some(tag), _) => tag,
                (None, Some(rev)) => rev.clone(),
                (None, None) => {
                    println!(
                        "\nsemver: {} has no release tag yet and no --baseline was given: \
                         nothing to compare its API with, not checked",
                        step.name
                    );
                    continue;
                }
            };
            let commit = git::rev_parse(root, &baseline)?;
            let checkout = match checkouts.entry(commit) {
                Entry::Occupied(entry) => entry.into_mut(),
                Entry::Vacant(entry) => {
                    let checkout = Scratch::checkout(root, entry.key())?;
                    entry.insert(checkout)
                }
            };
            let level = Level::between(&step.from, &step.to);
            println!(
                "\nsemver: {} {} -> {} is a {} release by Cargo's rules; comparing with {baseline}",
                step.name,
                step.from,
                step.to,
                level.name()
            );
            checks::semver(dir, &checkout.dir, &step.name, level.name(), &target)?;
        }
    }
    Ok(())
}

/// Today's date, UTC.
fn today() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%d").to_string()
}

/// A path with `/` separators, as git and the changelog notes show it.
fn slash(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A temporary directory, removed when dropped.
struct Scratch {
    dir: PathBuf,
    /// The repository whose worktree this is, for a checkout.
    worktree_of: Option<PathBuf>,
}

impl Scratch {
    fn new(what: &str) -> Result<Self, String> {
        let dir = std::env::temp_dir().join(format!(
            "xtask-release-{what}-{}-{}",
            std::process::id(),
            unique_suffix()
        ));
        fs::create_dir_all(&dir).map_err(|e| format!("could not create {}: {e}", dir.display()))?;
        Ok(Scratch {
            dir,
            worktree_of: None,
        })
    }

    /// A copy of the working tree's files (tracked, and untracked but not ignored).
    fn copy_of(root: &Path) -> Result<Self, String> {
        let scratch = Scratch::new("copy")?;
        for file in git::files(root)? {
            let from = root.join(&file);
            if !from.is_file() {
                // Deleted but not yet committed (a dry run with --allow-dirty).
                continue;
            }
            let to = scratch.dir.join(&file);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent)
                    .map_err(|e| format!("could not create {}: {e}", parent.display()))?;
            }
            fs::copy(&from, &to).map_err(|e| {
                format!("could not copy {} to {}: {e}", from.display(), to.display())
            })?;
        }
        Ok(scratch)
    }

    /// A checkout of `commit` of the repository at `root` (a detached git worktree).
    fn checkout(root: &Path, commit: &str) -> Result<Self, String> {
        let mut scratch = Scratch::new("baseline")?;
        fs::remove_dir(&scratch.dir)
            .map_err(|e| format!("could not prepare {}: {e}", scratch.dir.display()))?;
        let dir = scratch.dir.to_string_lossy().into_owned();
        crate::cmd::output(
            "git",
            &["worktree", "add", "--quiet", "--detach", &dir, commit],
            root,
        )?;
        scratch.worktree_of = Some(root.to_path_buf());
        Ok(scratch)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some(repo) = &self.worktree_of {
            let dir = self.dir.to_string_lossy().into_owned();
            let _ = crate::cmd::output("git", &["worktree", "remove", "--force", &dir], repo);
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// A few characters that differ between two scratch directories of one process.
fn unique_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{nanos:x}{}", NEXT.fetch_add(1, Ordering::Relaxed))
}
