//! What the settings' tests share: an environment of their own, and an empty config file
//! unless they name one, so that the user's own config file never matters.

use std::collections::HashMap;
use std::fs;
use std::path::PathBuf;

use super::Settings;
use crate::cli::GlobalArgs;
use crate::environment;
use crate::error::CliError;

/// An environment holding only `vars`.
pub(super) fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name: &str| map.get(name).cloned()
}

/// Resolves with `vars` as the environment; unless they name a config file, an empty one
/// stands in, so that the user's own config file never matters here.
pub(super) fn resolve(flags: &GlobalArgs, vars: &[(&str, &str)]) -> Result<Settings, CliError> {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.toml");
    fs::write(&empty, "").unwrap();
    let empty = empty.to_string_lossy().into_owned();
    let mut vars = vars.to_vec();
    if !vars.iter().any(|(k, _)| *k == environment::CONFIG) {
        vars.push((environment::CONFIG, &empty));
    }
    let lookup = env(&vars);
    Settings::resolve(flags, &lookup)
}

/// A temporary config file with `text`.
pub(super) fn config_file(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    fs::write(&path, text).unwrap();
    (dir, path)
}

/// Two profiles, `dev` the default.
pub(super) const PROFILES: &str = r#"
default_profile = "dev"

[profiles.dev]
base_url = "https://dev.example"
client_id = "dev-client"
oauth_url = "https://login.example/token"
audience = "dev-audience"
output = "jsonl"

[profiles.prod]
base_url = "https://prod.example"
auth = "basic"
username = "ops"
"#;
