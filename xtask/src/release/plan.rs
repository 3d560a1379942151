//! Which crates a release bumps, and to what.
//!
//! The crates named on the command line get the bump asked for. Every publishable crate that
//! depends on a bumped crate (through `[dependencies]` or `[build-dependencies]`, directly or
//! not) is released too, since its published manifest must ask for the new version:
//!
//! - when the dependency's new version is not compatible with its old one (a major bump, or a
//!   minor one below 1.0), the dependent's own release is breaking too: the crates of this
//!   workspace re-export each other's types (the auth crate the transport's, the API client
//!   the transport's, the testkit the API client), so their public API changes with it;
//! - otherwise the dependent gets a patch release.
//!
//! A crate that is both named and a dependent gets the larger of the two bumps.

use std::collections::BTreeMap;

use semver::{BuildMetadata, Prerelease, Version};

use super::workspace::Workspace;

/// The bump asked for on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Bump {
    Major,
    Minor,
    Patch,
    /// An exact version.
    To(Version),
}

impl Bump {
    /// Reads `major`, `minor`, `patch` or a version.
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        match text {
            "major" => Ok(Bump::Major),
            "minor" => Ok(Bump::Minor),
            "patch" => Ok(Bump::Patch),
            version => Version::parse(version.strip_prefix('v').unwrap_or(version))
                .map(Bump::To)
                .map_err(|e| {
                    format!(
                        "`{text}` is neither major, minor, patch nor a version such as 0.2.0 \
                         ({e})"
                    )
                }),
        }
    }

    /// The version this bump makes of `from`.
    fn apply(&self, name: &str, from: &Version) -> Result<Version, String> {
        let level = match self {
            Bump::To(to) => {
                return if to < from {
                    Err(format!(
                        "{name} is at {from}: {to} would go backwards; give a version above it"
                    ))
                } else {
                    Ok(to.clone())
                };
            }
            Bump::Major => Level::Major,
            Bump::Minor => Level::Minor,
            Bump::Patch => Level::Patch,
        };
        if !from.pre.is_empty() {
            return Err(format!(
                "{name} is at the pre-release {from}: say the version to release exactly \
                 (for example {}.{}.{})",
                from.major, from.minor, from.patch
            ));
        }
        Ok(level.apply(from))
    }
}

/// A SemVer level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Level {
    Patch,
    Minor,
    Major,
}

impl Level {
    fn apply(self, from: &Version) -> Version {
        let (major, minor, patch) = match self {
            Level::Major => (from.major + 1, 0, 0),
            Level::Minor => (from.major, from.minor + 1, 0),
            Level::Patch => (from.major, from.minor, from.patch + 1),
        };
        Version {
            major,
            minor,
            patch,
            pre: Prerelease::EMPTY,
            build: BuildMetadata::EMPTY,
        }
    }

    /// The level of the change from `from` to `to`, as `cargo semver-checks --release-type`
    /// understands it: below 1.0 a minor bump is the breaking one and a patch bump the
    /// compatible one.
    pub(crate) fn between(from: &Version, to: &Version) -> Level {
        if to.major != from.major || (to.major == 0 && to.minor != from.minor) {
            Level::Major
        } else if to.major != 0 && to.minor != from.minor {
            Level::Minor
        } else {
            Level::Patch
        }
    }

    /// The name `cargo semver-checks --release-type` takes.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Level::Major => "major",
            Level::Minor => "minor",
            Level::Patch => "patch",
        }
    }
}

/// Whether `to` may break users of `from` (Cargo would not pick it for a `^from` requirement).
pub(crate) fn is_breaking(from: &Version, to: &Version) -> bool {
    match (from.major, to.major) {
        (a, b) if a != b => true,
        (0, _) if from.minor != to.minor => true,
        (0, _) if from.minor == 0 => from.patch != to.patch,
        _ => false,
    }
}

/// Why a crate is in the release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reason {
    /// Named on the command line.
    Named,
    /// Depends on these released crates.
    DependsOn(Vec<String>),
}

/// One crate's part in the release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Step {
    pub(crate) name: String,
    pub(crate) from: Version,
    pub(crate) to: Version,
    pub(crate) reason: Reason,
}

impl Step {
    /// Whether this step changes the version (a first release of the version already in the
    /// manifest does not).
    pub(crate) fn changes_version(&self) -> bool {
        self.from != self.to
    }
}

fn names(bumps: &[(&str, bool)]) -> String {
    bumps
        .iter()
        .map(|(dep, _)| *dep)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The release of `named` crates with `bump`, in publishing order (dependencies first).
pub(crate) fn plan(
    workspace: &Workspace,
    named: &[String],
    bump: &Bump,
) -> Result<Vec<Step>, String> {
    for name in named {
        workspace.publishable_member(name)?;
    }
    let mut steps: Vec<Step> = Vec::new();
    let mut bumped: BTreeMap<&str, (Version, Version)> = BTreeMap::new();
    for member in workspace.publish_order()? {
        let is_named = named.contains(&member.name);
        let mut dependency_bumps: Vec<(&str, bool)> = Vec::new();
        for dep in member.normal_deps() {
            if let Some((from, to)) = bumped.get(dep)
                && from != to
            {
                dependency_bumps.push((dep, is_breaking(from, to)));
            }
        }
        let from = &member.version;
        let breaking_deps: Vec<&str> = dependency_bumps
            .iter()
            .filter(|(_, breaking)| *breaking)
            .map(|(dep, _)| *dep)
            .collect();
        let needed = match (dependency_bumps.is_empty(), breaking_deps.is_empty()) {
            (true, _) => None,
            (false, true) => Some(Level::Patch),
            (false, false) if from.major == 0 => Some(Level::Minor),
            (false, false) => Some(Level::Major),
        };
        let to = match (is_named, bump, needed) {
            (true, Bump::To(to), Some(_)) if to == from => {
                return Err(format!(
                    "{} must get a new version: it depends on {}, which get new versions in \
                     this release",
                    member.name,
                    names(&dependency_bumps)
                ));
            }
            (true, Bump::To(to), Some(_))
                if !breaking_deps.is_empty() && !is_breaking(from, to) =>
            {
                return Err(format!(
                    "{} {to} would not be a breaking release, but it must be one: it depends \
                     on {}, whose bump is breaking, and re-exports its types",
                    member.name,
                    breaking_deps.join(", ")
                ));
            }
            (true, _, needed) => {
                let asked = bump.apply(&member.name, from)?;
                match (bump, needed) {
                    (Bump::To(_), _) | (_, None) => asked,
                    (_, Some(level)) => asked.max(level.apply(from)),
                }
            }
            (false, _, Some(level)) => {
                if !from.pre.is_empty() {
                    return Err(format!(
                        "{} is at the pre-release {from} and must be released with its \
                         dependencies: name it too, with the exact version to release",
                        member.name
                    ));
                }
                level.apply(from)
            }
            (false, _, None) => continue,
        };
        bumped.insert(member.name.as_str(), (from.clone(), to.clone()));
        steps.push(Step {
            name: member.name.clone(),
            from: from.clone(),
            to,
            reason: if is_named {
                Reason::Named
            } else {
                Reason::DependsOn(
                    dependency_bumps
                        .iter()
                        .map(|(dep, _)| (*dep).to_owned())
                        .collect(),
                )
            },
        });
    }
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    /// transport <- auth <- api <- testkit <- cli, auth <- testkit, api dev-depends on
    /// testkit, and an unpublished e2e crate on top.
    fn workspace(versions: [&str; 5]) -> Workspace {
        let [t, au, ap, tk, cli] = versions;
        let json = format!(
            r#"{{"packages": [
          {{"name": "transport", "version": "{t}", "manifest_path": "/w/t/Cargo.toml",
            "publish": null, "dependencies": []}},
          {{"name": "auth", "version": "{au}", "manifest_path": "/w/au/Cargo.toml",
            "publish": null, "dependencies": [{{"name": "transport", "path": "/w/t", "kind": null}}]}},
          {{"name": "api", "version": "{ap}", "manifest_path": "/w/ap/Cargo.toml",
            "publish": null, "dependencies": [{{"name": "transport", "path": "/w/t", "kind": null}},
                                               {{"name": "testkit", "path": "/w/tk", "kind": "dev"}}]}},
          {{"name": "testkit", "version": "{tk}", "manifest_path": "/w/tk/Cargo.toml",
            "publish": null, "dependencies": [{{"name": "api", "path": "/w/ap", "kind": null}},
                                               {{"name": "auth", "path": "/w/au", "kind": null}}]}},
          {{"name": "cli", "version": "{cli}", "manifest_path": "/w/cli/Cargo.toml",
            "publish": null, "dependencies": [{{"name": "testkit", "path": "/w/tk", "kind": null}},
                                               {{"name": "api", "path": "/w/ap", "kind": null}}]}},
          {{"name": "e2e", "version": "0.0.0", "manifest_path": "/w/e2e/Cargo.toml",
            "publish": [], "dependencies": [{{"name": "cli", "path": "/w/cli", "kind": null}}]}}
        ]}}"#
        );
        Workspace::from_json(&json)
    }

    fn summary(steps: &[Step]) -> Vec<String> {
        steps
            .iter()
            .map(|s| format!("{} {} -> {}", s.name, s.from, s.to))
            .collect()
    }

    #[test]
    fn a_patch_of_the_bottom_crate_patches_everything_above_it_in_order() {
        let ws = workspace(["0.1.0"; 5]);
        let steps = plan(&ws, &["transport".into()], &Bump::Patch).unwrap();
        assert_eq!(
            summary(&steps),
            [
                "transport 0.1.0 -> 0.1.1",
                "api 0.1.0 -> 0.1.1",
                "auth 0.1.0 -> 0.1.1",
                "testkit 0.1.0 -> 0.1.1",
                "cli 0.1.0 -> 0.1.1"
            ]
        );
        assert_eq!(steps[0].reason, Reason::Named);
        assert_eq!(
            steps[3].reason,
            Reason::DependsOn(vec!["api".into(), "auth".into()])
        );
    }

    #[test]
    fn a_breaking_bump_makes_the_dependents_breaking_releases_too() {
        let ws = workspace(["0.1.0", "0.3.2", "1.4.0", "0.1.0", "0.1.0"]);
        let steps = plan(&ws, &["auth".into()], &Bump::Minor).unwrap();
        assert_eq!(
            summary(&steps),
            [
                "auth 0.3.2 -> 0.4.0",
                "testkit 0.1.0 -> 0.2.0",
                "cli 0.1.0 -> 0.2.0"
            ]
        );
        // api (1.x) above a breaking transport gets a major release.
        let steps = plan(&ws, &["transport".into()], &Bump::Minor).unwrap();
        assert!(summary(&steps).contains(&"api 1.4.0 -> 2.0.0".to_owned()));
    }

    #[test]
    fn a_crate_with_no_dependents_is_released_alone_and_dev_dependencies_do_not_count() {
        let ws = workspace(["0.1.0"; 5]);
        let steps = plan(&ws, &["cli".into()], &Bump::Major).unwrap();
        assert_eq!(summary(&steps), ["cli 0.1.0 -> 1.0.0"]);
        // testkit is a dev-dependency of api only: api is not released with it.
        let steps = plan(&ws, &["testkit".into()], &Bump::Patch).unwrap();
        assert_eq!(
            summary(&steps),
            ["testkit 0.1.0 -> 0.1.1", "cli 0.1.0 -> 0.1.1"]
        );
    }

    #[test]
    fn a_named_dependent_gets_the_larger_of_the_two_bumps() {
        let ws = workspace(["0.1.0"; 5]);
        let all: Vec<String> = ["transport", "auth", "api", "testkit", "cli"]
            .map(String::from)
            .to_vec();
        let steps = plan(&ws, &all, &Bump::Patch).unwrap();
        assert!(
            steps.iter().all(|s| s.to == v("0.1.1")),
            "{:?}",
            summary(&steps)
        );
        let steps = plan(&ws, &["transport".into(), "cli".into()], &Bump::Minor).unwrap();
        assert!(
            steps.iter().all(|s| s.to == v("0.2.0")),
            "{:?}",
            summary(&steps)
        );
    }

    #[test]
    fn an_exact_version_may_be_the_current_one_for_a_first_release_but_never_lower() {
        let ws = workspace(["0.1.0"; 5]);
        let steps = plan(&ws, &["transport".into()], &Bump::To(v("0.1.0"))).unwrap();
        assert_eq!(summary(&steps), ["transport 0.1.0 -> 0.1.0"]);
        assert!(!steps[0].changes_version());
        let ws = workspace(["0.2.0", "0.1.0", "0.1.0", "0.1.0", "0.1.0"]);
        let err = plan(&ws, &["transport".into()], &Bump::To(v("0.1.5"))).unwrap_err();
        assert!(err.contains("backwards"), "{err}");
    }

    #[test]
    fn an_exact_version_is_refused_where_the_dependencies_need_another() {
        let ws = workspace(["0.1.0", "0.3.0", "0.1.0", "0.1.0", "0.1.0"]);
        let both: Vec<String> = ["transport", "auth"].map(String::from).to_vec();
        // transport 0.1.0 -> 0.3.1 is breaking; auth 0.3.0 -> 0.3.1 would not be.
        let err = plan(&ws, &both, &Bump::To(v("0.3.1"))).unwrap_err();
        assert!(
            err.contains("auth 0.3.1 would not be a breaking release"),
            "{err}"
        );
        // The current version as a first release, while a dependency gets a new one.
        let err = plan(&ws, &both, &Bump::To(v("0.3.0"))).unwrap_err();
        assert!(err.contains("auth must get a new version"), "{err}");
        // Both at 0.4.0: breaking for both, accepted; api, testkit, cli follow with 0.2.0.
        let steps = plan(&ws, &both, &Bump::To(v("0.4.0"))).unwrap();
        assert_eq!(
            summary(&steps),
            [
                "transport 0.1.0 -> 0.4.0",
                "api 0.1.0 -> 0.2.0",
                "auth 0.3.0 -> 0.4.0",
                "testkit 0.1.0 -> 0.2.0",
                "cli 0.1.0 -> 0.2.0"
            ]
        );
    }

    #[test]
    fn unknown_and_unpublished_crates_are_refused_by_name() {
        let ws = workspace(["0.1.0"; 5]);
        let err = plan(&ws, &["nope".into()], &Bump::Patch).unwrap_err();
        assert!(
            err.contains("no crate `nope`") && err.contains("transport"),
            "{err}"
        );
        let err = plan(&ws, &["e2e".into()], &Bump::Patch).unwrap_err();
        assert!(err.contains("publish = false"), "{err}");
    }

    #[test]
    fn bumps_parse_and_levels_follow_cargo_compatibility() {
        assert_eq!(Bump::parse("v1.2.3").unwrap(), Bump::To(v("1.2.3")));
        assert!(Bump::parse("mayor").unwrap_err().contains("neither major"));
        assert_eq!(Level::between(&v("0.1.0"), &v("0.1.1")), Level::Patch);
        assert_eq!(Level::between(&v("0.1.0"), &v("0.2.0")), Level::Major);
        assert_eq!(Level::between(&v("1.1.0"), &v("1.2.0")), Level::Minor);
        assert_eq!(Level::between(&v("1.1.0"), &v("2.0.0")), Level::Major);
        assert_eq!(Level::between(&v("1.1.0"), &v("1.1.5")), Level::Patch);
        assert_eq!(Level::between(&v("0.1.0"), &v("0.1.0")), Level::Patch);
        assert!(is_breaking(&v("0.1.0"), &v("0.2.0")));
        assert!(!is_breaking(&v("0.1.0"), &v("0.1.5")));
        assert!(is_breaking(&v("0.0.1"), &v("0.0.2")));
        assert!(!is_breaking(&v("1.0.0"), &v("1.9.0")));
        let pre = workspace(["0.2.0-rc.1", "0.1.0", "0.1.0", "0.1.0", "0.1.0"]);
        let err = plan(&pre, &["transport".into()], &Bump::Patch).unwrap_err();
        assert!(err.contains("pre-release"), "{err}");
    }
}
