//! The workspace as a release sees it: its members, their versions and the dependencies
//! between them (read with `cargo metadata`), and the edits a version bump makes to the
//! manifests (with `toml_edit`, which keeps their comments and layout).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use semver::Version;
use serde_json::Value;

use crate::checks;

/// One member of the workspace.
#[derive(Debug, Clone)]
pub(crate) struct Member {
    pub(crate) name: String,
    pub(crate) version: Version,
    /// The member's directory.
    pub(crate) dir: PathBuf,
    /// `false` for `publish = false`.
    pub(crate) publishable: bool,
    /// The workspace members this one depends on, by kind.
    pub(crate) deps: Vec<(String, DepKind)>,
}

/// How a member depends on another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DepKind {
    /// `[dependencies]` or `[build-dependencies]`: part of what users of the crate get.
    Normal,
    /// `[dev-dependencies]`: only the crate's own tests and examples.
    Dev,
}

/// The members of a workspace.
#[derive(Debug, Clone)]
pub(crate) struct Workspace {
    pub(crate) root: PathBuf,
    pub(crate) members: BTreeMap<String, Member>,
}

impl Workspace {
    /// Reads the workspace at `root` with `cargo metadata` (offline: only the manifests).
    pub(crate) fn load(root: &Path) -> Result<Self, String> {
        Self::from_metadata(root, &checks::metadata_json(root)?)
    }

    /// Builds the model from the JSON of `cargo metadata --no-deps`.
    pub(crate) fn from_metadata(root: &Path, metadata: &Value) -> Result<Self, String> {
        let packages = metadata["packages"]
            .as_array()
            .ok_or("`cargo metadata` printed no `packages`")?;
        let mut members = BTreeMap::new();
        let names: BTreeSet<&str> = packages.iter().filter_map(|p| p["name"].as_str()).collect();
        for package in packages {
            let name = text(package, "name")?;
            let version = text(package, "version")?;
            let version = Version::parse(version)
                .map_err(|e| format!("{name}: version `{version}` is not SemVer: {e}"))?;
            let manifest = PathBuf::from(text(package, "manifest_path")?);
            let dir = manifest
                .parent()
                .ok_or_else(|| format!("{name}: manifest path without a directory"))?
                .to_path_buf();
            let publishable = checks::is_publishable(package);
            let mut deps = Vec::new();
            for dep in package["dependencies"].as_array().into_iter().flatten() {
                let dep_name = text(dep, "name")?;
                if dep["path"].is_null() || !names.contains(dep_name) {
                    continue;
                }
                let kind = if dep["kind"].as_str() == Some("dev") {
                    DepKind::Dev
                } else {
                    DepKind::Normal
                };
                if !deps.contains(&(dep_name.to_owned(), kind)) {
                    deps.push((dep_name.to_owned(), kind));
                }
            }
            members.insert(
                name.to_owned(),
                Member {
                    name: name.to_owned(),
                    version,
                    dir,
                    publishable,
                    deps,
                },
            );
        }
        Ok(Workspace {
            root: root.to_path_buf(),
            members,
        })
    }

    /// The publishable members, each after the members it depends on (its normal and build
    /// dependencies: dev-dependencies are stripped from a published crate and may form
    /// cycles). Ties are broken by name, so the order is the same on every run.
    pub(crate) fn publish_order(&self) -> Result<Vec<&Member>, String> {
        let publishable: BTreeMap<&str, &Member> = self
            .members
            .values()
            .filter(|m| m.publishable)
            .map(|m| (m.name.as_str(), m))
            .collect();
        let mut done: BTreeSet<&str> = BTreeSet::new();
        let mut order = Vec::new();
        while order.len() < publishable.len() {
            let ready = publishable.values().find(|member| {
                !done.contains(member.name.as_str())
                    && member
                        .normal_deps()
                        .all(|dep| done.contains(dep) || !publishable.contains_key(dep))
            });
            let Some(member) = ready else {
                let left: Vec<&str> = publishable
                    .keys()
                    .copied()
                    .filter(|name| !done.contains(name))
                    .collect();
                return Err(format!(
                    "the publishable crates {} depend on each other in a cycle",
                    left.join(", ")
                ));
            };
            done.insert(member.name.as_str());
            order.push(*member);
        }
        // A publishable crate must not need an unpublished one.
        for member in &order {
            for dep in member.normal_deps() {
                if self.members.get(dep).is_some_and(|d| !d.publishable) {
                    return Err(format!(
                        "{} depends on {dep}, which is `publish = false`: it could not be \
                         published",
                        member.name
                    ));
                }
            }
        }
        Ok(order)
    }

    /// The member named `name`, or an error that lists the members.
    pub(crate) fn member(&self, name: &str) -> Result<&Member, String> {
        self.members.get(name).ok_or_else(|| {
            let names: Vec<&str> = self.members.keys().map(String::as_str).collect();
            format!(
                "no crate `{name}` in the workspace; its crates are {}",
                names.join(", ")
            )
        })
    }

    /// The member named `name`, which must be publishable.
    pub(crate) fn publishable_member(&self, name: &str) -> Result<&Member, String> {
        let member = self.member(name)?;
        if member.publishable {
            Ok(member)
        } else {
            Err(format!("{name} is `publish = false`: it is never released"))
        }
    }

    /// Every manifest of the workspace: the root's and each member's.
    pub(crate) fn manifests(&self) -> Vec<PathBuf> {
        let mut manifests = vec![self.root.join("Cargo.toml")];
        for member in self.members.values() {
            let manifest = member.dir.join("Cargo.toml");
            if !manifests.contains(&manifest) {
                manifests.push(manifest);
            }
        }
        manifests
    }
}

#[cfg(test)]
impl Workspace {
    /// The workspace of `/w` that `cargo metadata --no-deps` would describe with `json`.
    pub(crate) fn from_json(json: &str) -> Self {
        Self::from_metadata(Path::new("/w"), &serde_json::from_str(json).unwrap()).unwrap()
    }
}

impl Member {
    /// The workspace members this one needs when published.
    pub(crate) fn normal_deps(&self) -> impl Iterator<Item = &str> {
        self.deps
            .iter()
            .filter(|(_, kind)| *kind == DepKind::Normal)
            .map(|(name, _)| name.as_str())
    }
}

fn text<'a>(value: &'a Value, key: &str) -> Result<&'a str, String> {
    value[key]
        .as_str()
        .ok_or_else(|| format!("`cargo metadata` printed a package without `{key}`"))
}

/// Sets `[package] version` of the manifest text to `version`. A version inherited from the
/// workspace (`version.workspace = true`) is refused: a crate released on its own carries its
/// own version.
pub(crate) fn set_package_version(
    manifest: &str,
    crate_name: &str,
    version: &Version,
) -> Result<String, String> {
    let mut doc: toml_edit::DocumentMut = manifest
        .parse()
        .map_err(|e| format!("{crate_name}'s Cargo.toml is not valid TOML: {e}"))?;
    let package = doc
        .get_mut("package")
        .and_then(toml_edit::Item::as_table_like_mut)
        .ok_or_else(|| format!("{crate_name}'s Cargo.toml has no [package] table"))?;
    match package.get_mut("version") {
        Some(item) if item.is_str() => {
            set_version(item, version);
            Ok(doc.to_string())
        }
        Some(_) => Err(format!(
            "{crate_name} takes its version from the workspace (`version.workspace = true`); \
             a crate released on its own needs its own `version = \"x.y.z\"` in its Cargo.toml"
        )),
        None => Err(format!(
            "{crate_name}'s Cargo.toml has no `version`; add `version = \"x.y.z\"` to [package]"
        )),
    }
}

/// Rewrites, in one manifest's text, the `version` requirement of every dependency on a crate
/// of `bumps` that has one (in `[workspace.dependencies]`, `[dependencies]`,
/// `[dev-dependencies]`, `[build-dependencies]` and their `[target.*]` forms, renamed ones
/// included) to that crate's new version. Dependencies without a version (path-only
/// dev-dependencies) are left alone. Returns the new text and how many requirements changed.
pub(crate) fn set_dependency_versions(
    manifest: &str,
    what: &str,
    bumps: &[(&str, &Version)],
) -> Result<(String, usize), String> {
    let mut doc: toml_edit::DocumentMut = manifest
        .parse()
        .map_err(|e| format!("{what} is not valid TOML: {e}"))?;
    let table = doc.as_table_mut();
    let mut changed = 0;
    let mut rewrite = |deps: Option<&mut dyn toml_edit::TableLike>| {
        if let Some(deps) = deps {
            changed += rewrite_deps(deps, bumps);
        }
    };
    rewrite(table_mut(table, "workspace").and_then(|ws| table_mut(ws, "dependencies")));
    for key in DEPENDENCY_TABLES {
        rewrite(table_mut(table, key));
    }
    if let Some(targets) = table_mut(table, "target") {
        for (_, target) in targets.iter_mut() {
            if let Some(target) = target.as_table_like_mut() {
                for key in DEPENDENCY_TABLES {
                    rewrite(table_mut(target, key));
                }
            }
        }
    }
    Ok((doc.to_string(), changed))
}

/// The dependency tables of a manifest, or of one `[target.*]` of it.
const DEPENDENCY_TABLES: [&str; 3] = ["dependencies", "dev-dependencies", "build-dependencies"];

/// The table (inline or not) at `key` of `table`, if there is one.
fn table_mut<'a>(
    table: &'a mut dyn toml_edit::TableLike,
    key: &str,
) -> Option<&'a mut dyn toml_edit::TableLike> {
    table
        .get_mut(key)
        .and_then(toml_edit::Item::as_table_like_mut)
}

/// Rewrites the `version` key of the entries of one dependency table that name a crate of
/// `bumps`.
fn rewrite_deps(deps: &mut dyn toml_edit::TableLike, bumps: &[(&str, &Version)]) -> usize {
    let mut changed = 0;
    for (key, item) in deps.iter_mut() {
        let Some(entry) = item.as_table_like_mut() else {
            // `name = "1.0"`: a registry dependency, never one of ours.
            continue;
        };
        let package = entry
            .get("package")
            .and_then(toml_edit::Item::as_str)
            .unwrap_or(key.get());
        let Some((_, new_version)) = bumps.iter().find(|(name, _)| *name == package) else {
            continue;
        };
        if entry.get("path").is_none() && entry.get("workspace").is_none() {
            continue;
        }
        if let Some(version) = entry.get_mut("version")
            && version.is_str()
        {
            set_version(version, new_version);
            changed += 1;
        }
    }
    changed
}

/// Replaces a version string with `version`, keeping the comments and spaces around it.
fn set_version(item: &mut toml_edit::Item, version: &Version) {
    let decor = item.as_value().map(|v| v.decor().clone());
    *item = toml_edit::value(version.to_string());
    if let (Some(decor), Some(value)) = (decor, item.as_value_mut()) {
        *value.decor_mut() = decor;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn the_package_version_changes_and_the_comments_stay() {
        let manifest = "[package]\nname = \"a\"\n# Released on its own.\nversion = \"0.1.0\" # here\nedition = \"2024\"\n";
        let out = set_package_version(manifest, "a", &v("0.2.0")).unwrap();
        assert_eq!(
            out,
            "[package]\nname = \"a\"\n# Released on its own.\nversion = \"0.2.0\" # here\nedition = \"2024\"\n"
        );
    }

    #[test]
    fn an_inherited_version_is_refused_with_what_to_do() {
        let manifest = "[package]\nname = \"a\"\nversion.workspace = true\n";
        let err = set_package_version(manifest, "a", &v("0.2.0")).unwrap_err();
        assert!(err.contains("version.workspace = true"), "{err}");
        assert!(err.contains("its own `version"), "{err}");
    }

    #[test]
    fn every_versioned_requirement_on_the_crate_changes_and_nothing_else() {
        let manifest = r#"[workspace.dependencies]
a = { path = "crates/a", version = "0.1.0" }
ab = { path = "crates/ab", version = "0.1.0" }
serde = "1.0"

[dependencies]
a = { path = "../a", version = "0.1.0", features = ["x"] }
renamed = { package = "a", path = "../a", version = "0.1.0" }

[dev-dependencies]
a = { path = "../a" }

[target.'cfg(unix)'.dependencies]
a = { version = "0.1.0", path = "../a" }

[build-dependencies.a]
path = "../a"
version = "0.1.0"
"#;
        let (out, changed) = set_dependency_versions(manifest, "m", &[("a", &v("0.1.1"))]).unwrap();
        assert_eq!(changed, 5);
        assert_eq!(out.matches("\"0.1.1\"").count(), 5);
        // `ab` (a longer name) and the path-only dev-dependency are untouched.
        assert!(out.contains(r#"ab = { path = "crates/ab", version = "0.1.0" }"#));
        assert!(out.contains("[dev-dependencies]\na = { path = \"../a\" }"));
        assert!(out.contains("features = [\"x\"]"));
        // Several crates in one pass, each to its own version.
        let (out, changed) =
            set_dependency_versions(manifest, "m", &[("a", &v("0.1.1")), ("ab", &v("0.2.0"))])
                .unwrap();
        assert_eq!(changed, 6);
        assert_eq!(out.matches("\"0.1.1\"").count(), 5);
        assert!(out.contains(r#"ab = { path = "crates/ab", version = "0.2.0" }"#));
    }

    #[test]
    fn the_publish_order_puts_dependencies_first_and_ignores_dev_cycles() {
        let json = r#"{"packages": [
          {"name": "c", "version": "0.1.0", "manifest_path": "/w/c/Cargo.toml", "publish": null,
           "dependencies": [{"name": "b", "path": "/w/b", "kind": null}]},
          {"name": "a", "version": "0.1.0", "manifest_path": "/w/a/Cargo.toml", "publish": null,
           "dependencies": [{"name": "c", "path": "/w/c", "kind": "dev"}]},
          {"name": "b", "version": "0.1.0", "manifest_path": "/w/b/Cargo.toml", "publish": null,
           "dependencies": [{"name": "a", "path": "/w/a", "kind": null},
                            {"name": "serde", "path": null, "kind": null}]},
          {"name": "tests", "version": "0.0.0", "manifest_path": "/w/t/Cargo.toml", "publish": [],
           "dependencies": [{"name": "c", "path": "/w/c", "kind": null}]}
        ]}"#;
        let ws = Workspace::from_json(json);
        let order: Vec<&str> = ws
            .publish_order()
            .unwrap()
            .iter()
            .map(|m| m.name.as_str())
            .collect();
        assert_eq!(order, ["a", "b", "c"]);
        assert!(!ws.members["tests"].publishable);
    }

    #[test]
    fn a_cycle_of_normal_dependencies_is_an_error_that_names_the_crates() {
        let json = r#"{"packages": [
          {"name": "a", "version": "0.1.0", "manifest_path": "/w/a/Cargo.toml", "publish": null,
           "dependencies": [{"name": "b", "path": "/w/b", "kind": null}]},
          {"name": "b", "version": "0.1.0", "manifest_path": "/w/b/Cargo.toml", "publish": null,
           "dependencies": [{"name": "a", "path": "/w/a", "kind": "build"}]}
        ]}"#;
        let ws = Workspace::from_json(json);
        let err = ws.publish_order().unwrap_err();
        assert!(err.contains("a, b") && err.contains("cycle"), "{err}");
    }
}
