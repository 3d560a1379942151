//! The config file: where it is, its profiles, and the one in use.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use serde::Deserialize;

use super::{Env, Setting, Settings, Source, env_var};
use crate::cli::GlobalArgs;
use crate::environment;
use crate::error::CliError;

/// One profile of the config file. No `Debug`: it may hold a secret written inline by
/// mistake (`client_secret`, `password`, `token`), which is refused, never shown.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Profile {
    pub(super) base_url: Option<String>,
    pub(super) auth: Option<String>,
    pub(super) client_id: Option<String>,
    pub(super) client_secret_file: Option<PathBuf>,
    pub(super) oauth_url: Option<String>,
    pub(super) audience: Option<String>,
    pub(super) scope: Option<String>,
    pub(super) token_cache_dir: Option<PathBuf>,
    pub(super) token_cache: Option<bool>,
    pub(super) username: Option<String>,
    pub(super) password_file: Option<PathBuf>,
    pub(super) login_url: Option<String>,
    pub(super) session_file: Option<PathBuf>,
    pub(super) token_file: Option<PathBuf>,
    pub(super) ca_cert: Option<PathBuf>,
    pub(super) client_cert: Option<PathBuf>,
    pub(super) client_key: Option<PathBuf>,
    pub(super) allow_insecure_http: Option<bool>,
    pub(super) output: Option<String>,
    pub(super) api: Option<String>,
    // Accepted only to refuse them with a clear message.
    client_secret: Option<toml::Value>,
    password: Option<toml::Value>,
    token: Option<toml::Value>,
}

/// The config file (no `Debug`, as [`Profile`]).
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    default_profile: Option<String>,
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

/// The config file and the profile found in it.
pub(super) struct LoadedProfile {
    pub(super) config_file: Option<Setting<PathBuf>>,
    pub(super) config_file_read: bool,
    pub(super) requested: Option<Setting<String>>,
    pub(super) active: Option<ActiveProfile>,
}

/// The profile in use, with its file.
pub(super) struct ActiveProfile {
    pub(super) name: String,
    pub(super) config: PathBuf,
    pub(super) profile: Profile,
}

impl ActiveProfile {
    /// Where a value of this profile comes from (`file`: the file a secret was read from).
    pub(super) fn source(&self, file: Option<PathBuf>) -> Source {
        Source::Profile {
            name: self.name.clone(),
            config: self.config.clone(),
            file,
        }
    }
}

/// `path` with a leading `~/` expanded and, when relative, taken from `base`'s directory.
pub(super) fn expand(path: &Path, base: Option<&Path>) -> PathBuf {
    if let Ok(rest) = path.strip_prefix("~")
        && let Some(home) = dirs::home_dir()
    {
        return home.join(rest);
    }
    match base.and_then(Path::parent) {
        Some(dir) if path.is_relative() => dir.join(path),
        _ => path.to_path_buf(),
    }
}

/// Reads a secret from `path`: the whole file without its trailing line break.
pub(super) fn read_secret_file(
    path: &Path,
    what: &str,
    via: &str,
) -> Result<SecretString, CliError> {
    let text = fs::read_to_string(path).map_err(|e| {
        CliError::usage(format!(
            "cannot read the {what} from {} ({via}): {e}",
            path.display()
        ))
    })?;
    let trimmed = text.trim_end_matches(['\n', '\r']);
    if trimmed.is_empty() {
        return Err(CliError::usage(format!(
            "the {what} file {} ({via}) is empty",
            path.display()
        )));
    }
    Ok(SecretString::from(trimmed.to_owned()))
}

/// The default config file.
fn default_config_file() -> Option<PathBuf> {
    dirs::config_dir().map(|dir| dir.join("tasklist").join("config.toml"))
}

impl Settings {
    /// Finds the config file and reads the profile in use from it: the one asked for (an
    /// error when the file lacks it), else the file's `default_profile`. `sandbox`: the
    /// profile is only checked, and a missing one named like a Camunda version gets a hint
    /// at `--sandbox-version`.
    pub(super) fn load_profile(
        flags: &GlobalArgs,
        env: Env<'_>,
        sandbox: bool,
    ) -> Result<LoadedProfile, CliError> {
        // The config file and profile.
        let (config_file, explicit) = match (&flags.config, env_var(env, environment::CONFIG)) {
            (Some(path), _) => (
                Some(Setting::new(
                    path.clone(),
                    Source::Flag {
                        flag: "--config",
                        file: None,
                    },
                )),
                true,
            ),
            (None, Some(path)) => (
                Some(Setting::new(
                    PathBuf::from(path),
                    Source::Env(environment::CONFIG),
                )),
                true,
            ),
            (None, None) => (
                default_config_file().map(|p| Setting::new(p, Source::Default(None))),
                false,
            ),
        };
        let file = match &config_file {
            Some(path) => read_config_file(&path.value, explicit)?,
            None => None,
        };
        let config_file_read = file.is_some();
        let requested = match (&flags.profile, env_var(env, environment::PROFILE)) {
            (Some(name), _) => Some(Setting::new(
                name.clone(),
                Source::Flag {
                    flag: "--profile",
                    file: None,
                },
            )),
            (None, Some(name)) => Some(Setting::new(name, Source::Env(environment::PROFILE))),
            (None, None) => match (&file, &config_file) {
                (Some(file), Some(path)) => file.default_profile.clone().map(|name| {
                    Setting::new(
                        name,
                        Source::Default(Some(format!(
                            "default_profile in {}",
                            path.value.display()
                        ))),
                    )
                }),
                _ => None,
            },
        };
        let mut active = None;
        if let Some(requested) = &requested {
            // What a sandbox user who meant a version should read.
            let version_hint = |hint: String| {
                let name = &requested.value;
                if sandbox
                    && <crate::cli::SandboxVersion as clap::ValueEnum>::from_str(name, true).is_ok()
                {
                    format!(
                        "{hint}; --profile names a profile of the config file: to run the \
                         sandbox as Camunda {name}, use --sandbox-version {name}"
                    )
                } else {
                    hint
                }
            };
            let path = config_file.as_ref().map(|c| c.value.clone());
            let Some((mut file, path)) = file.zip(path.clone()) else {
                return Err(CliError::usage(format!(
                    "profile `{}` ({}) is requested but there is no config file{}",
                    requested.value,
                    requested.source,
                    path.map(|p| format!(" at {}", p.display()))
                        .unwrap_or_default()
                ))
                .hint(version_hint(format!(
                    "create it with a [profiles.{}] table, or name another file with --config",
                    requested.value
                ))));
            };
            let Some(profile) = file.profiles.remove(&requested.value) else {
                let known: Vec<&str> = file.profiles.keys().map(String::as_str).collect();
                return Err(CliError::usage(format!(
                    "there is no profile `{}` in {} ({})",
                    requested.value,
                    path.display(),
                    requested.source
                ))
                .hint(version_hint(if known.is_empty() {
                    "the file defines no [profiles.NAME] table".to_owned()
                } else {
                    format!("the profiles there are: {}", known.join(", "))
                })));
            };
            check_no_inline_secrets(&profile, &requested.value, &path)?;
            active = Some(ActiveProfile {
                name: requested.value.clone(),
                config: path,
                profile,
            });
        }
        Ok(LoadedProfile {
            config_file,
            config_file_read,
            requested,
            active,
        })
    }
}

fn read_config_file(path: &Path, explicit: bool) -> Result<Option<FileConfig>, CliError> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => return Ok(None),
        Err(e) => {
            return Err(CliError::usage(format!(
                "cannot read the config file {}: {e}",
                path.display()
            ))
            .hint(format!(
                "fix the path given with --config or {}",
                environment::CONFIG
            )));
        }
    };
    toml::from_str(&text).map(Some).map_err(|e| {
        CliError::usage(format!(
            "the config file {} is not valid: {}",
            path.display(),
            crate::error::one_line(e.message())
        ))
        .hint(
            "see `tasklist config show`; a profile is a [profiles.NAME] table of settings \
             such as base_url, auth, client_id, client_secret_file",
        )
        .source(e)
    })
}

fn check_no_inline_secrets(profile: &Profile, name: &str, path: &Path) -> Result<(), CliError> {
    for (key, set) in [
        ("client_secret", profile.client_secret.is_some()),
        ("password", profile.password.is_some()),
        ("token", profile.token.is_some()),
    ] {
        if set {
            return Err(CliError::usage(format!(
                "profile `{name}` in {} sets `{key}`; secrets are not read from the config file",
                path.display()
            ))
            .hint(format!(
                "put it in a file of its own (mode 0600) and set `{key}_file` to its path, or \
                 use the environment variable"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::super::test_support::{config_file, resolve};
    use crate::cli::GlobalArgs;

    #[test]
    fn a_missing_explicit_config_file_is_an_error_but_a_missing_default_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.toml");
        let flags = GlobalArgs {
            config: Some(missing.clone()),
            ..GlobalArgs::default()
        };
        let err = resolve(&flags, &[]).unwrap_err();
        assert!(err.line().contains("nope.toml"), "{}", err.line());

        let flags = GlobalArgs {
            profile: Some("dev".into()),
            ..GlobalArgs::default()
        };
        let err = resolve(&flags, &[]).unwrap_err();
        assert!(err.line().contains("no profile `dev`"), "{}", err.line());
        assert!(
            err.line().contains("no [profiles.NAME] table"),
            "{}",
            err.line()
        );
    }

    #[test]
    fn inline_secrets_in_the_config_file_are_refused() {
        let (_dir, path) = config_file("[profiles.p]\nclient_secret = \"oops\"\n");
        let flags = GlobalArgs {
            config: Some(path),
            profile: Some("p".into()),
            ..GlobalArgs::default()
        };
        let err = resolve(&flags, &[]).unwrap_err();
        assert!(err.line().contains("client_secret_file"), "{}", err.line());
        assert!(!err.line().contains("oops"));
    }

    #[test]
    fn unreadable_or_empty_secret_files_are_usage_errors() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty");
        fs::write(&empty, "\n").unwrap();
        for path in [empty, dir.path().join("missing")] {
            let flags = GlobalArgs {
                password_file: Some(path),
                ..GlobalArgs::default()
            };
            let err = resolve(&flags, &[]).unwrap_err();
            assert_eq!(err.exit(), crate::exit::Exit::Usage);
            assert!(err.line().contains("--password-file"), "{}", err.line());
        }
    }
}
