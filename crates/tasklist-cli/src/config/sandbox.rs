//! The built-in sandbox's connection: it replaces the connection settings, while the output
//! format and the task API are still the user's.

use secrecy::SecretString;
use tasklist_api::ApiVersion;
use tasklist_auth::Strategy;

use super::resolve::{resolve_api, resolve_output};
use super::{Env, SandboxSettings, Secret, Setting, Settings, Source, env_var};
use crate::cli::{Format, GlobalArgs};
use crate::environment;
use crate::error::CliError;

impl Settings {
    /// The settings of a command run against the sandbox: the connection comes from
    /// `sandbox`, and neither the config file nor the connection variables are read.
    pub(crate) fn resolve_for_sandbox(
        flags: &GlobalArgs,
        env: Env<'_>,
        sandbox: &SandboxSettings,
    ) -> Result<Settings, CliError> {
        let output = resolve_output(flags, env, None)?;
        // The sandbox replaces the connection, but a profile asked for must still exist:
        // a mistyped name (or a version meant for --sandbox-version) is not ignored.
        if flags.profile.is_some() || env_var(env, environment::PROFILE).is_some() {
            Settings::load_profile(flags, env, true)?;
        }
        let api = resolve_api(flags, env, None)?;
        Ok(Settings::of_sandbox(sandbox, output, api))
    }

    fn of_sandbox(
        sandbox: &SandboxSettings,
        output: Option<Setting<Format>>,
        api: Setting<ApiVersion>,
    ) -> Settings {
        let s = |value: &str| Some(Setting::new(value.to_owned(), Source::Sandbox));
        Settings {
            config_file: None,
            config_file_read: false,
            profile: None,
            base_url: Setting::new(sandbox.base_url.clone(), Source::Sandbox),
            strategy: Setting::new(Strategy::OAuth, Source::Sandbox),
            client_id: s(&sandbox.client_id),
            client_secret: Some(Secret {
                value: SecretString::from(sandbox.client_secret.clone()),
                source: Source::Sandbox,
            }),
            oauth_url: s(&sandbox.token_url),
            audience: s(&sandbox.audience),
            scope: None,
            token_cache_dir: sandbox
                .token_cache_dir
                .clone()
                .map(|dir| Setting::new(dir, Source::Sandbox)),
            token_cache: Setting::new(sandbox.token_cache_dir.is_some(), Source::Sandbox),
            username: None,
            password: None,
            login_url: None,
            session_file: None,
            token: None,
            ca_cert: None,
            client_cert: None,
            client_key: None,
            allow_insecure_http: Setting::new(false, Source::Sandbox),
            output,
            api,
            sandbox: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use tasklist_auth::env;

    use super::super::test_support;
    use super::super::{SandboxSettings, Settings, Source};
    use crate::cli::GlobalArgs;

    #[test]
    fn the_sandbox_replaces_the_connection() {
        let sandbox = SandboxSettings {
            base_url: "http://127.0.0.1:1".into(),
            token_url: "http://127.0.0.1:1/oauth/token".into(),
            client_id: "tasklist".into(),
            client_secret: "sandbox-secret".into(),
            audience: "tasklist-api".into(),
            token_cache_dir: Some(PathBuf::from("/tmp/x")),
        };
        let lookup = test_support::env(&[(env::TASKLIST_BASE_URL, "http://elsewhere")]);
        let s = Settings::resolve_for_sandbox(&GlobalArgs::default(), &lookup, &sandbox).unwrap();
        assert_eq!(s.base_url.value, "http://127.0.0.1:1");
        assert_eq!(s.base_url.source, Source::Sandbox);
        let rows = format!("{:?}", s.rows());
        assert!(!rows.contains("sandbox-secret"), "{rows}");
    }
}
