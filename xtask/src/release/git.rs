//! The git steps of a release: is the tree clean, which tags exist, commit and tag.

use std::path::Path;

use semver::Version;

use crate::cmd;

/// The tag of `crate_name`'s release `version`: `<crate>-v<version>`.
pub(crate) fn tag(crate_name: &str, version: &Version) -> String {
    format!("{crate_name}-v{version}")
}

/// The files `git status` reports as changed or untracked (ignored ones left out).
pub(crate) fn changes(root: &Path) -> Result<Vec<String>, String> {
    let out = cmd::output(
        "git",
        &["status", "--porcelain", "--untracked-files=all"],
        root,
    )?;
    Ok(out
        .lines()
        .map(|line| line.get(3..).unwrap_or(line).to_owned())
        .collect())
}

/// Whether the tag exists.
pub(crate) fn tag_exists(root: &Path, tag: &str) -> Result<bool, String> {
    let out = cmd::output("git", &["tag", "--list", tag], root)?;
    Ok(out.lines().any(|line| line.trim() == tag))
}

/// The tag of the highest released version of `crate_name`, if it was ever released.
pub(crate) fn last_release_tag(root: &Path, crate_name: &str) -> Result<Option<String>, String> {
    let prefix = format!("{crate_name}-v");
    let out = cmd::output("git", &["tag", "--list", &format!("{prefix}*")], root)?;
    let newest = out
        .lines()
        .filter_map(|line| {
            let version = Version::parse(line.trim().strip_prefix(&prefix)?).ok()?;
            Some((version, line.trim().to_owned()))
        })
        .max();
    Ok(newest.map(|(_, tag)| tag))
}

/// The files tracked or untracked but not ignored, relative to `root`: what a copy of the
/// working tree needs.
pub(crate) fn files(root: &Path) -> Result<Vec<String>, String> {
    let out = cmd::output(
        "git",
        &[
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ],
        root,
    )?;
    Ok(out
        .split('\0')
        .filter(|path| !path.is_empty())
        .map(str::to_owned)
        .collect())
}

/// Commits `paths` with `message` and creates one annotated tag per `(tag, message)`.
pub(crate) fn commit_and_tag(
    root: &Path,
    paths: &[String],
    message: &str,
    tags: &[(String, String)],
) -> Result<(), String> {
    let mut add = vec!["add".to_owned(), "--".to_owned()];
    add.extend(paths.iter().cloned());
    cmd::run("git", &add, root, &[])?;
    cmd::run("git", &["commit", "--quiet", "-m", message], root, &[])?;
    for (tag, tag_message) in tags {
        cmd::run("git", &["tag", "-a", tag, "-m", tag_message], root, &[])?;
    }
    Ok(())
}

/// The commit `rev` names.
pub(crate) fn rev_parse(root: &Path, rev: &str) -> Result<String, String> {
    let out = cmd::output(
        "git",
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
        root,
    )
    .map_err(|_| format!("`{rev}` names no commit of this repository"))?;
    Ok(out.trim().to_owned())
}
