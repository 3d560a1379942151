//! Moving a crate's `## [Unreleased]` changelog section under its new version.
//!
//! Each publishable crate has a `CHANGELOG.md` in the Keep a Changelog format: a
//! `## [Unreleased]` heading, then the released versions, newest first, each headed
//! `## [x.y.z] - YYYY-MM-DD`, with `### Added`, `### Changed`, ... inside.

use semver::Version;

/// The heading whose section a release moves.
const UNRELEASED: &str = "## [Unreleased]";

/// Returns `text` with its `Unreleased` section moved under `## [version] - date`, and a new
/// empty `Unreleased` section above it. `notes` are lines added under `### Changed` (the
/// dependency bumps of a crate released because of them). A section with nothing in it and
/// no notes is refused: a release that says nothing is a mistake.
pub(crate) fn release(
    text: &str,
    crate_name: &str,
    version: &Version,
    date: &str,
    notes: &[String],
) -> Result<String, String> {
    let lines: Vec<&str> = text.lines().collect();
    let heading = lines
        .iter()
        .position(|line| line.trim_end() == UNRELEASED)
        .ok_or_else(|| {
            format!(
                "{crate_name}'s CHANGELOG.md has no `{UNRELEASED}` heading: add one above the \
                 released versions, with this release's changes under it"
            )
        })?;
    let end = lines[heading + 1..]
        .iter()
        .position(|line| line.starts_with("## "))
        .map_or(lines.len(), |offset| heading + 1 + offset);
    let released = format!("## [{version}]");
    if lines
        .iter()
        .any(|line| line.trim_end() == released || line.starts_with(&format!("{released} ")))
    {
        return Err(format!(
            "{crate_name}'s CHANGELOG.md already has a section for {version}"
        ));
    }
    let mut section: Vec<String> = lines[heading + 1..end]
        .iter()
        .map(|line| (*line).to_owned())
        .collect();
    while section.first().is_some_and(|l| l.trim().is_empty()) {
        section.remove(0);
    }
    while section.last().is_some_and(|l| l.trim().is_empty()) {
        section.pop();
    }
    if section.is_empty() && notes.is_empty() {
        return Err(format!(
            "{crate_name}'s CHANGELOG.md says nothing under `{UNRELEASED}`: write what changed \
             for its users before releasing {version}"
        ));
    }
    if !notes.is_empty() {
        add_notes(&mut section, notes);
    }
    let mut out: Vec<String> = lines[..heading].iter().map(|l| (*l).to_owned()).collect();
    out.push(UNRELEASED.to_owned());
    out.push(String::new());
    out.push(format!("{released} - {date}"));
    out.push(String::new());
    out.extend(section);
    if end < lines.len() {
        out.push(String::new());
        out.extend(lines[end..].iter().map(|l| (*l).to_owned()));
    }
    let mut text_out = out.join("\n");
    text_out.push('\n');
    Ok(text_out)
}

/// Adds `notes` at the end of the section's `### Changed` list, or in a new `### Changed`.
fn add_notes(section: &mut Vec<String>, notes: &[String]) {
    let bullets = notes.iter().map(|note| format!("- {note}"));
    match section.iter().position(|l| l.trim_end() == "### Changed") {
        Some(changed) => {
            let mut at = section[changed + 1..]
                .iter()
                .position(|l| l.starts_with("### "))
                .map_or(section.len(), |offset| changed + 1 + offset);
            while at > changed + 1 && section[at - 1].trim().is_empty() {
                at -= 1;
            }
            let bullets: Vec<String> = bullets.collect();
            section.splice(at..at, bullets);
        }
        None => {
            if !section.is_empty() {
                section.push(String::new());
            }
            section.push("### Changed".to_owned());
            section.extend(bullets);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    const LOG: &str = "# Changelog\n\nAll notable changes.\n\n## [Unreleased]\n\n### Added\n- `Client::retry`.\n\n### Fixed\n- A panic.\n\n## [0.1.0] - 2026-11-01\n\n### Added\n- Everything.\n";

    #[test]
    fn the_unreleased_section_moves_under_the_version_and_a_new_empty_one_opens() {
        let out = release(LOG, "a", &v("0.2.0"), "2026-12-05", &[]).unwrap();
        assert_eq!(
            out,
            "# Changelog\n\nAll notable changes.\n\n## [Unreleased]\n\n## [0.2.0] - 2026-12-05\n\n### Added\n- `Client::retry`.\n\n### Fixed\n- A panic.\n\n## [0.1.0] - 2026-11-01\n\n### Added\n- Everything.\n"
        );
        // Released again, the new empty section has nothing to say.
        let err = release(&out, "a", &v("0.2.1"), "2026-12-06", &[]).unwrap_err();
        assert!(
            err.contains("says nothing under `## [Unreleased]`"),
            "{err}"
        );
    }

    #[test]
    fn notes_join_the_changed_list_or_open_one() {
        let notes = vec!["Depends on `b` 0.3.0.".to_owned()];
        let with_changed = LOG.replace("### Fixed", "### Changed\n- Faster.\n\n### Fixed");
        let out = release(&with_changed, "a", &v("0.2.0"), "2026-12-05", &notes).unwrap();
        assert!(
            out.contains("### Changed\n- Faster.\n- Depends on `b` 0.3.0.\n\n### Fixed"),
            "{out}"
        );
        let out = release(LOG, "a", &v("0.2.0"), "2026-12-05", &notes).unwrap();
        assert!(
            out.contains("- A panic.\n\n### Changed\n- Depends on `b` 0.3.0.\n\n## [0.1.0]"),
            "{out}"
        );
        // An empty section with notes is a release that only follows its dependencies.
        let empty = "# Changelog\n\n## [Unreleased]\n";
        let out = release(empty, "a", &v("0.1.1"), "2026-12-05", &notes).unwrap();
        assert_eq!(
            out,
            "# Changelog\n\n## [Unreleased]\n\n## [0.1.1] - 2026-12-05\n\n### Changed\n- Depends on `b` 0.3.0.\n"
        );
    }

    #[test]
    fn a_missing_heading_or_a_version_already_there_is_refused() {
        let err = release("# Changelog\n", "a", &v("0.2.0"), "d", &[]).unwrap_err();
        assert!(err.contains("has no `## [Unreleased]` heading"), "{err}");
        let err = release(LOG, "a", &v("0.1.0"), "d", &[]).unwrap_err();
        assert!(err.contains("already has a section for 0.1.0"), "{err}");
    }
}
