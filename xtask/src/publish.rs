//! `cargo xtask publish [--dry-run] [CRATE...]`: publishes released crates to crates.io.
//!
//! Never run by CI. It publishes what `cargo xtask release --execute` tagged: each crate must
//! have its tag `<crate>-v<version>` on the commit checked out, and the working tree must be
//! clean. It runs `cargo publish -p <crate>` for each crate in dependency order (all
//! publishable crates, or the ones named) and stops at the first failure, saying which crates
//! went out and how to go on with the rest. `--dry-run` packages and verifies them all without
//! uploading (a single `cargo publish --dry-run` with a `-p` per crate, which builds each
//! against the others).

use std::path::Path;

use crate::cmd;
use crate::release::git;
use crate::release::workspace::Workspace;

pub(crate) const USAGE: &str = "\
usage: cargo xtask publish [--dry-run] [CRATE...]

Publishes the released crates (all publishable ones, or those named) to crates.io with
`cargo publish`, in dependency order, stopping at the first failure. Each crate's version must
be tagged <crate>-v<version> on the checked-out commit (`cargo xtask release --execute` does
that) and the working tree must be clean. --dry-run checks without uploading.
";

/// Runs `cargo xtask publish ARGS` in the workspace at `root`.
pub(crate) fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let mut dry_run = false;
    let mut named = Vec::new();
    for arg in args {
        match arg.as_str() {
            "--dry-run" => dry_run = true,
            other if other.starts_with('-') => {
                return Err(format!("unknown publish option `{other}`\n\n{USAGE}"));
            }
            name => named.push(name.to_owned()),
        }
    }
    if !git::changes(root)?.is_empty() {
        return Err(
            "the working tree has uncommitted changes: publish only the tagged release commit"
                .to_owned(),
        );
    }
    let workspace = Workspace::load(root)?;
    for name in &named {
        workspace.publishable_member(name)?;
    }
    let order: Vec<_> = workspace
        .publish_order()?
        .into_iter()
        .filter(|m| named.is_empty() || named.contains(&m.name))
        .collect();
    let head = git::rev_parse(root, "HEAD")?;
    let mut untagged = Vec::new();
    for member in &order {
        let tag = git::tag(&member.name, &member.version);
        let tagged = git::rev_parse(root, &tag).is_ok_and(|commit| commit == head);
        if !tagged {
            untagged.push(format!("{} {} (tag {tag})", member.name, member.version));
        }
    }
    if !untagged.is_empty() {
        return Err(format!(
            "not released at the checked-out commit: {}. Make the release with `cargo xtask \
             release ... --execute` and publish from its commit",
            untagged.join(", ")
        ));
    }
    let cargo = cmd::cargo_program();
    if dry_run {
        let mut args = vec![
            "publish".to_owned(),
            "--dry-run".to_owned(),
            "--locked".to_owned(),
        ];
        for member in &order {
            args.extend(["-p".to_owned(), member.name.clone()]);
        }
        return cmd::run(&cargo, &args, root, &[]);
    }
    let mut published: Vec<String> = Vec::new();
    for (i, member) in order.iter().enumerate() {
        if let Err(e) = cmd::run(
            &cargo,
            &["publish", "--locked", "-p", &member.name],
            root,
            &[],
        ) {
            let rest: Vec<&str> = order[i..].iter().map(|m| m.name.as_str()).collect();
            return Err(format!(
                "{e}\npublished: {}; not published: {}. When the cause is mended, go on with \
                 `cargo xtask publish {}`",
                if published.is_empty() {
                    "none".to_owned()
                } else {
                    published.join(", ")
                },
                rest.join(", "),
                rest.join(" ")
            ));
        }
        published.push(format!("{} {}", member.name, member.version));
    }
    println!("\npublished: {}", published.join(", "));
    Ok(())
}
