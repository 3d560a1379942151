//! `config show`: the settings as rows, each with where it came from, secrets redacted.

use std::path::PathBuf;

use tasklist_auth::{AuthConfig, DiskCache, Strategy};

use super::{Row, Secret, Setting, Settings, Source};

impl Settings {
    /// The settings as rows for `config show`, secrets redacted.
    pub(crate) fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        let mut add = |key: &'static str, value: Option<String>, source: Option<String>| {
            rows.push(Row { key, value, source });
        };
        let shown = |s: &Option<Setting<String>>| {
            (
                s.as_ref().map(|s| s.value.clone()),
                s.as_ref().map(|s| s.source.to_string()),
            )
        };
        let shown_path = |s: &Option<Setting<PathBuf>>| {
            (
                s.as_ref().map(|s| s.value.display().to_string()),
                s.as_ref().map(|s| s.source.to_string()),
            )
        };
        let redacted = |s: &Option<Secret>| {
            (
                s.as_ref().map(|s| format!("<set, from {}>", s.source)),
                s.as_ref().map(|s| s.source.to_string()),
            )
        };
        let (value, source) = shown_path(&self.config_file);
        let value = value.map(|v| {
            if self.config_file_read {
                v
            } else {
                format!("{v} (not found)")
            }
        });
        add("configFile", value, source);
        let (value, source) = shown(&self.profile);
        add("profile", value, source);
        add(
            "baseUrl",
            Some(self.base_url.value.clone()),
            Some(self.base_url.source.to_string()),
        );
        add(
            "api",
            Some(self.api.value.to_string()),
            Some(self.api.source.to_string()),
        );
        add(
            "auth",
            Some(self.strategy.value.name().to_owned()),
            Some(self.strategy.source.to_string()),
        );
        let (value, source) = shown(&self.client_id);
        add("clientId", value, source);
        let (value, source) = redacted(&self.client_secret);
        add("clientSecret", value, source);
        let (value, source) = shown(&self.oauth_url);
        add("oauthUrl", value, source);
        let (value, source) = match &self.audience {
            Some(set) => (Some(set.value.clone()), Some(set.source.to_string())),
            None => match self
                .effective_auth()
                .as_ref()
                .and_then(AuthConfig::audience)
            {
                Some(audience) => (
                    Some(audience.to_owned()),
                    Some(Source::Default(Some("from the token URL".to_owned())).to_string()),
                ),
                None => (None, None),
            },
        };
        add("audience", value, source);
        let (value, source) = shown(&self.scope);
        add("scope", value, source);
        let (value, source) = match &self.token_cache_dir {
            Some(set) => (
                Some(set.value.display().to_string()),
                Some(set.source.to_string()),
            ),
            None => (
                DiskCache::default_dir().map(|d| d.display().to_string()),
                Some(Source::Default(None).to_string()),
            ),
        };
        add("tokenCacheDir", value, source);
        add(
            "tokenCache",
            Some(self.token_cache.value.to_string()),
            Some(self.token_cache.source.to_string()),
        );
        let (value, source) = shown(&self.username);
        add("username", value, source);
        let (value, source) = redacted(&self.password);
        add("password", value, source);
        let (value, source) = match &self.login_url {
            Some(set) => (Some(set.value.clone()), Some(set.source.to_string())),
            None if self.strategy.value == Strategy::Cookie => (
                Some(format!(
                    "{}/api/login, then {}/login",
                    self.base_url.value.trim_end_matches('/'),
                    self.base_url.value.trim_end_matches('/')
                )),
                Some(Source::Default(Some("from the base URL".to_owned())).to_string()),
            ),
            None => (None, None),
        };
        add("loginUrl", value, source);
        let session_file = match self.strategy.value {
            Strategy::Cookie => self.session_file(),
            _ => self.session_file.clone(),
        };
        let (value, source) = shown_path(&session_file);
        add("sessionFile", value, source);
        let (value, source) = redacted(&self.token);
        add("token", value, source);
        let (value, source) = shown_path(&self.ca_cert);
        add("caCert", value, source);
        let (value, source) = shown_path(&self.client_cert);
        add("clientCert", value, source);
        let (value, source) = shown_path(&self.client_key);
        add("clientKey", value, source);
        add(
            "allowInsecureHttp",
            Some(self.allow_insecure_http.value.to_string()),
            Some(self.allow_insecure_http.source.to_string()),
        );
        let output = self.output_format();
        add(
            "output",
            Some(output.value.name().to_owned()),
            Some(output.source.to_string()),
        );
        rows
    }

    /// The auth crate's view of these settings, when they are complete (no prompt).
    fn effective_auth(&self) -> Option<AuthConfig> {
        let base = self.auth_base().ok()?;
        self.auth_config(base, None).ok()
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use secrecy::ExposeSecret as _;
    use tasklist_auth::env;

    use super::super::Source;
    use super::super::test_support::resolve;
    use crate::cli::GlobalArgs;
    use crate::environment;

    #[test]
    fn secrets_come_from_env_or_files_and_are_redacted() {
        let dir = tempfile::tempdir().unwrap();
        let secret_file = dir.path().join("secret");
        fs::write(&secret_file, "from-file-secret\n").unwrap();
        let config = dir.path().join("config.toml");
        fs::write(
            &config,
            "[profiles.p]\nclient_id = \"id\"\nclient_secret_file = \"secret\"\n",
        )
        .unwrap();
        let config_text = config.to_string_lossy().into_owned();

        // From the profile's file, relative to the config file.
        let vars = [
            (environment::CONFIG, config_text.as_str()),
            (environment::PROFILE, "p"),
        ];
        let s = resolve(&GlobalArgs::default(), &vars).unwrap();
        let secret = s.client_secret.as_ref().unwrap();
        assert_eq!(secret.value.expose_secret(), "from-file-secret");
        assert_eq!(
            secret.source.to_string(),
            format!(
                "profile p in {} (file {})",
                config.display(),
                secret_file.display()
            )
        );

        // The environment beats the profile's file.
        let vars = [
            (environment::CONFIG, config_text.as_str()),
            (environment::PROFILE, "p"),
            (env::ZEEBE_CLIENT_SECRET, "from-env-secret"),
        ];
        let s = resolve(&GlobalArgs::default(), &vars).unwrap();
        assert_eq!(
            s.client_secret.as_ref().map(|c| c.source.clone()),
            Some(Source::Env(env::ZEEBE_CLIENT_SECRET))
        );

        // The flag's file beats the environment.
        let flags = GlobalArgs {
            client_secret_file: Some(secret_file.clone()),
            ..GlobalArgs::default()
        };
        let s = resolve(&flags, &vars).unwrap();
        let rows = s.rows();
        let row = rows.iter().find(|r| r.key == "clientSecret").unwrap();
        assert_eq!(
            row.value.as_deref(),
            Some(
                format!(
                    "<set, from flag --client-secret-file (file {})>",
                    secret_file.display()
                )
                .as_str()
            )
        );

        // No row and no Debug output holds a secret.
        let shown = format!("{s:?} {rows:?}");
        assert!(!shown.contains("from-file-secret"), "{shown}");
        assert!(!shown.contains("from-env-secret"), "{shown}");

        let s = resolve(
            &GlobalArgs::default(),
            &[
                (env::COOKIE_AUTH_USERNAME, "demo"),
                (env::COOKIE_AUTH_PASSWORD, "pa55word"),
                (env::OAUTH_TOKEN, "tok3n"),
            ],
        )
        .unwrap();
        let shown = format!("{s:?} {:?}", s.rows());
        assert!(
            !shown.contains("pa55word") && !shown.contains("tok3n"),
            "{shown}"
        );
        assert!(
            shown.contains(&format!("<set, from env {}>", env::COOKIE_AUTH_PASSWORD)),
            "{shown}"
        );
    }
}
