//! Resolution: each setting from its flag, else its variable, else the profile, else its
//! default, remembering which.

use std::path::PathBuf;

use secrecy::SecretString;
use tasklist_api::ApiVersion;
use tasklist_auth::{Strategy, env};

use super::file::{ActiveProfile, Profile, expand, read_secret_file};
use super::{DEFAULT_BASE_URL, Env, Secret, Setting, Settings, Source, env_var};
use crate::cli::{AuthArg, Format, GlobalArgs};
use crate::environment::{self, is_alias_pair};
use crate::error::CliError;

impl Settings {
    /// Resolves every setting from `flags`, the environment `env`, and the config file.
    pub(crate) fn resolve(flags: &GlobalArgs, env: Env<'_>) -> Result<Settings, CliError> {
        let output = resolve_output(flags, env, None)?;
        let loaded = Settings::load_profile(flags, env, false)?;
        let resolver = Resolver {
            flags,
            env,
            profile: loaded.active.as_ref(),
        };
        resolver.settings(
            loaded.config_file,
            loaded.config_file_read,
            loaded.requested,
            output,
        )
    }
}

/// The first of two alias variables that is set; both set to different values is an error.
fn env_alias(
    env: Env<'_>,
    first: &'static str,
    second: &'static str,
) -> Result<Option<(String, &'static str)>, CliError> {
    match (env_var(env, first), env_var(env, second)) {
        (Some(a), Some(b)) if a != b => Err(CliError::usage(format!(
            "{first} and {second} are both set, to different values"
        ))
        .hint("unset one of them, or override both with a flag")),
        (Some(a), _) => Ok(Some((a, first))),
        (None, Some(b)) => Ok(Some((b, second))),
        (None, None) => Ok(None),
    }
}

fn parse_bool(text: &str, what: &str) -> Result<bool, CliError> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        other => Err(CliError::usage(format!(
            "{what} is `{other}`; expected true or false"
        ))),
    }
}

fn parse_strategy(text: &str, what: &str) -> Result<Strategy, CliError> {
    Strategy::parse(text).map_err(|_| {
        CliError::usage(format!(
            "{what} is `{text}`; expected one of oauth, cookie, basic, bearer, none"
        ))
    })
}

fn strategy_of(arg: AuthArg) -> Strategy {
    match arg {
        AuthArg::Oauth => Strategy::OAuth,
        AuthArg::Cookie => Strategy::Cookie,
        AuthArg::Basic => Strategy::Basic,
        AuthArg::Bearer => Strategy::Bearer,
        AuthArg::None => Strategy::None,
    }
}

pub(super) fn resolve_output(
    flags: &GlobalArgs,
    env: Env<'_>,
    profile: Option<&ActiveProfile>,
) -> Result<Option<Setting<Format>>, CliError> {
    if let Some(format) = flags.output {
        return Ok(Some(Setting::new(
            format,
            Source::Flag {
                flag: "--output",
                file: None,
            },
        )));
    }
    let parse = |text: &str, what: &str| {
        Format::parse(text).ok_or_else(|| {
            CliError::usage(format!("{what} is `{text}`; expected table, json or jsonl"))
        })
    };
    if let Some(text) = env_var(env, environment::OUTPUT) {
        return Ok(Some(Setting::new(
            parse(&text, environment::OUTPUT)?,
            Source::Env(environment::OUTPUT),
        )));
    }
    if let Some(active) = profile
        && let Some(text) = &active.profile.output
    {
        let what = format!("`output` of profile {}", active.name);
        return Ok(Some(Setting::new(parse(text, &what)?, active.source(None))));
    }
    Ok(None)
}

/// The task API: `--api`, else `TASKLIST_API`, else the profile's `api`, else `auto`.
pub(super) fn resolve_api(
    flags: &GlobalArgs,
    env: Env<'_>,
    profile: Option<&ActiveProfile>,
) -> Result<Setting<ApiVersion>, CliError> {
    if let Some(arg) = flags.api {
        return Ok(Setting::new(
            arg.into(),
            Source::Flag {
                flag: "--api",
                file: None,
            },
        ));
    }
    let parse = |text: &str, what: &str| {
        text.parse::<ApiVersion>().map_err(|_| {
            CliError::usage(format!("{what} is `{text}`; expected auto, v1 or v2"))
                .hint("auto asks the server; v1 is Tasklist's API (8.7 and before), v2 the user-task API (8.8 on)")
        })
    };
    if let Some(text) = env_var(env, environment::API) {
        return Ok(Setting::new(
            parse(&text, environment::API)?,
            Source::Env(environment::API),
        ));
    }
    if let Some(active) = profile
        && let Some(text) = active
            .profile
            .api
            .as_deref()
            .filter(|t| !t.trim().is_empty())
    {
        let what = format!("`api` of profile {}", active.name);
        return Ok(Setting::new(parse(text, &what)?, active.source(None)));
    }
    Ok(Setting::new(ApiVersion::Auto, Source::Default(None)))
}

/// Resolves settings in order: flag, environment, profile.
struct Resolver<'a> {
    flags: &'a GlobalArgs,
    env: Env<'a>,
    profile: Option<&'a ActiveProfile>,
}

impl Resolver<'_> {
    /// A text setting.
    fn text(
        &self,
        flag: (&'static str, &Option<String>),
        vars: &[&'static str],
        profile: impl Fn(&Profile) -> &Option<String>,
    ) -> Result<Option<Setting<String>>, CliError> {
        if let Some(value) = flag.1.as_ref().filter(|v| !v.trim().is_empty()) {
            return Ok(Some(Setting::new(
                value.trim().to_owned(),
                Source::Flag {
                    flag: flag.0,
                    file: None,
                },
            )));
        }
        if let Some((value, var)) = self.env_first(vars)? {
            return Ok(Some(Setting::new(value, Source::Env(var))));
        }
        Ok(self.profile.and_then(|active| {
            profile(&active.profile)
                .as_ref()
                .filter(|v| !v.trim().is_empty())
                .map(|v| Setting::new(v.trim().to_owned(), active.source(None)))
        }))
    }

    /// A path setting.
    fn path(
        &self,
        flag: (&'static str, &Option<PathBuf>),
        var: &'static str,
        profile: impl Fn(&Profile) -> &Option<PathBuf>,
    ) -> Option<Setting<PathBuf>> {
        if let Some(path) = flag.1 {
            return Some(Setting::new(
                path.clone(),
                Source::Flag {
                    flag: flag.0,
                    file: None,
                },
            ));
        }
        if let Some(value) = env_var(self.env, var) {
            return Some(Setting::new(PathBuf::from(value), Source::Env(var)));
        }
        self.profile.and_then(|active| {
            profile(&active.profile)
                .as_ref()
                .map(|p| Setting::new(expand(p, Some(&active.config)), active.source(None)))
        })
    }

    /// A boolean setting whose flag can only turn it on (`flag_value` is what the flag
    /// means).
    fn boolean(
        &self,
        flag: (&'static str, bool),
        flag_value: bool,
        var: (&'static str, bool),
        profile: Option<bool>,
        default: bool,
    ) -> Result<Setting<bool>, CliError> {
        if flag.1 {
            return Ok(Setting::new(
                flag_value,
                Source::Flag {
                    flag: flag.0,
                    file: None,
                },
            ));
        }
        if let Some(text) = env_var(self.env, var.0) {
            // `var.1`: whether the variable says the opposite of the setting (…_DISABLE).
            let value = parse_bool(&text, var.0)? != var.1;
            return Ok(Setting::new(value, Source::Env(var.0)));
        }
        if let (Some(active), Some(value)) = (self.profile, profile) {
            return Ok(Setting::new(value, active.source(None)));
        }
        Ok(Setting::new(default, Source::Default(None)))
    }

    /// A secret: from the environment, or from the file a flag or the profile names.
    fn secret(
        &self,
        what: &str,
        flag: (&'static str, &Option<PathBuf>),
        vars: &[&'static str],
        profile: impl Fn(&Profile) -> &Option<PathBuf>,
        profile_key: &str,
    ) -> Result<Option<Secret>, CliError> {
        if let Some(path) = flag.1 {
            let value = read_secret_file(path, what, flag.0)?;
            return Ok(Some(Secret {
                value,
                source: Source::Flag {
                    flag: flag.0,
                    file: Some(path.clone()),
                },
            }));
        }
        if let Some((value, var)) = self.env_first(vars)? {
            return Ok(Some(Secret {
                value: SecretString::from(value),
                source: Source::Env(var),
            }));
        }
        if let Some(active) = self.profile
            && let Some(path) = profile(&active.profile)
        {
            let path = expand(path, Some(&active.config));
            let via = format!("`{profile_key}` of profile {}", active.name);
            let value = read_secret_file(&path, what, &via)?;
            return Ok(Some(Secret {
                value,
                source: active.source(Some(path)),
            }));
        }
        Ok(None)
    }

    /// The first of `vars` that is set; the pairs of aliases among them must agree.
    fn env_first(&self, vars: &[&'static str]) -> Result<Option<(String, &'static str)>, CliError> {
        match vars {
            [single] => Ok(env_var(self.env, single).map(|v| (v, *single))),
            [first, second] if is_alias_pair(first, second) => env_alias(self.env, first, second),
            _ => Ok(vars
                .iter()
                .find_map(|var| env_var(self.env, var).map(|v| (v, *var)))),
        }
    }

    fn settings(
        &self,
        config_file: Option<Setting<PathBuf>>,
        config_file_read: bool,
        profile: Option<Setting<String>>,
        output: Option<Setting<Format>>,
    ) -> Result<Settings, CliError> {
        let flags = self.flags;
        let output = match output {
            Some(output) => Some(output),
            None => resolve_output(flags, self.env, self.profile)?,
        };

        // The strategy, when set explicitly.
        let explicit = if let Some(arg) = flags.auth {
            Some(Setting::new(
                strategy_of(arg),
                Source::Flag {
                    flag: "--auth",
                    file: None,
                },
            ))
        } else if let Some(text) = env_var(self.env, env::AUTH_STRATEGY) {
            Some(Setting::new(
                parse_strategy(&text, env::AUTH_STRATEGY)?,
                Source::Env(env::AUTH_STRATEGY),
            ))
        } else if let Some(active) = self.profile
            && let Some(text) = &active.profile.auth
        {
            let what = format!("`auth` of profile {}", active.name);
            Some(Setting::new(
                parse_strategy(text, &what)?,
                active.source(None),
            ))
        } else {
            None
        };

        // User name and password: the variables of the strategy in force, or of either.
        let (user_vars, password_vars): (&[&'static str], &[&'static str]) = match explicit
            .as_ref()
            .map(|s| s.value)
        {
            Some(Strategy::Basic) => (&[env::BASIC_AUTH_USERNAME], &[env::BASIC_AUTH_PASSWORD]),
            Some(Strategy::Cookie) => (&[env::COOKIE_AUTH_USERNAME], &[env::COOKIE_AUTH_PASSWORD]),
            _ => (
                &[env::COOKIE_AUTH_USERNAME, env::BASIC_AUTH_USERNAME],
                &[env::COOKIE_AUTH_PASSWORD, env::BASIC_AUTH_PASSWORD],
            ),
        };
        let username = self.text(("--username", &flags.username), user_vars, |p| &p.username)?;
        let client_id = self.text(
            ("--client-id", &flags.client_id),
            &[env::CLIENT_ID, env::ZEEBE_CLIENT_ID],
            |p| &p.client_id,
        )?;
        let client_secret = self.secret(
            "client secret",
            ("--client-secret-file", &flags.client_secret_file),
            &[env::CLIENT_SECRET, env::ZEEBE_CLIENT_SECRET],
            |p| &p.client_secret_file,
            "client_secret_file",
        )?;
        let token = self.secret(
            "bearer token",
            ("--token-file", &flags.token_file),
            &[env::OAUTH_TOKEN],
            |p| &p.token_file,
            "token_file",
        )?;

        let strategy = match explicit {
            Some(explicit) => explicit,
            None => infer_strategy(
                token.as_ref(),
                client_id.as_ref(),
                client_secret.as_ref(),
                username.as_ref(),
            ),
        };
        // With the strategy inferred from a user name, read the matching password variable.
        let password_vars: &[&'static str] = match (strategy.value, password_vars.len()) {
            (Strategy::Basic, 2) => &[env::BASIC_AUTH_PASSWORD],
            (Strategy::Cookie, 2) => &[env::COOKIE_AUTH_PASSWORD],
            _ => password_vars,
        };
        let password = self.secret(
            "password",
            ("--password-file", &flags.password_file),
            password_vars,
            |p| &p.password_file,
            "password_file",
        )?;

        let base_url = self
            .text(
                ("--base-url", &flags.base_url),
                &[env::TASKLIST_BASE_URL],
                |p| &p.base_url,
            )?
            .unwrap_or_else(|| Setting::new(DEFAULT_BASE_URL.to_owned(), Source::Default(None)));

        Ok(Settings {
            config_file,
            config_file_read,
            profile,
            base_url,
            strategy,
            client_id,
            client_secret,
            oauth_url: self.text(
                ("--oauth-url", &flags.oauth_url),
                &[env::OAUTH_URL, env::ZEEBE_AUTHORIZATION_SERVER_URL],
                |p| &p.oauth_url,
            )?,
            audience: self.text(
                ("--audience", &flags.audience),
                &[env::TASKLIST_OAUTH_AUDIENCE, env::TOKEN_AUDIENCE],
                |p| &p.audience,
            )?,
            scope: self.text(("--scope", &flags.scope), &[env::TOKEN_SCOPE], |p| &p.scope)?,
            token_cache_dir: self.path(
                ("--token-cache-dir", &flags.token_cache_dir),
                env::TOKEN_CACHE_DIR,
                |p| &p.token_cache_dir,
            ),
            token_cache: self.boolean(
                ("--no-token-cache", flags.no_token_cache),
                false,
                (env::TOKEN_DISK_CACHE_DISABLE, true),
                self.profile.and_then(|a| a.profile.token_cache),
                true,
            )?,
            username,
            password,
            login_url: self.text(
                ("--login-url", &flags.login_url),
                &[env::COOKIE_AUTH_URL],
                |p| &p.login_url,
            )?,
            session_file: self.path(
                ("--session-file", &flags.session_file),
                environment::SESSION_FILE,
                |p| &p.session_file,
            ),
            token,
            ca_cert: self.path(
                ("--ca-cert", &flags.ca_cert),
                env::CUSTOM_ROOT_CERT_PATH,
                |p| &p.ca_cert,
            ),
            client_cert: self.path(
                ("--client-cert", &flags.client_cert),
                env::CUSTOM_CERT_CHAIN_PATH,
                |p| &p.client_cert,
            ),
            client_key: self.path(
                ("--client-key", &flags.client_key),
                env::CUSTOM_PRIVATE_KEY_PATH,
                |p| &p.client_key,
            ),
            allow_insecure_http: self.boolean(
                ("--allow-insecure-http", flags.allow_insecure_http),
                true,
                (env::AUTH_ALLOW_INSECURE_HTTP, false),
                self.profile.and_then(|a| a.profile.allow_insecure_http),
                false,
            )?,
            output,
            api: resolve_api(flags, self.env, self.profile)?,
            sandbox: false,
        })
    }
}

/// The strategy the credentials that are set imply, as `tasklist-auth` infers it.
fn infer_strategy(
    token: Option<&Secret>,
    client_id: Option<&Setting<String>>,
    client_secret: Option<&Secret>,
    username: Option<&Setting<String>>,
) -> Setting<Strategy> {
    let inferred = |strategy, why: String| Setting::new(strategy, Source::Inferred(why));
    if let Some(token) = token {
        return inferred(
            Strategy::Bearer,
            format!("the bearer token ({})", token.source),
        );
    }
    if let Some(id) = client_id {
        return inferred(Strategy::OAuth, format!("the client id ({})", id.source));
    }
    if let Some(secret) = client_secret {
        return inferred(
            Strategy::OAuth,
            format!("the client secret ({})", secret.source),
        );
    }
    if let Some(user) = username {
        let strategy = match user.source {
            Source::Env(env::BASIC_AUTH_USERNAME) => Strategy::Basic,
            _ => Strategy::Cookie,
        };
        return inferred(strategy, format!("the user name ({})", user.source));
    }
    Setting::new(
        Strategy::None,
        Source::Default(Some("no credentials are set".to_owned())),
    )
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret as _;
    use tasklist_auth::{Strategy, env};

    use super::super::test_support::{PROFILES, config_file, resolve};
    use super::super::{DEFAULT_BASE_URL, Source};
    use crate::cli::{Format, GlobalArgs};
    use crate::environment;

    #[test]
    fn flag_beats_env_beats_profile_beats_default() {
        let (_dir, path) = config_file(PROFILES);
        let path_text = path.to_string_lossy().into_owned();

        // Profile only.
        let flags = GlobalArgs::default();
        let s = resolve(&flags, &[(environment::CONFIG, &path_text)]).unwrap();
        assert_eq!(s.base_url.value, "https://dev.example");
        assert_eq!(
            s.base_url.source.to_string(),
            format!("profile dev in {}", path.display())
        );
        assert_eq!(
            s.profile.as_ref().map(|p| p.source.to_string()),
            Some(format!("default (default_profile in {})", path.display()))
        );
        assert_eq!(s.strategy.value, Strategy::OAuth);
        assert!(
            s.strategy
                .source
                .to_string()
                .starts_with("inferred from the client id"),
            "{}",
            s.strategy.source
        );
        assert_eq!(s.output.as_ref().map(|o| o.value), Some(Format::Jsonl));

        // The environment beats the profile.
        let vars = [
            (environment::CONFIG, path_text.as_str()),
            (env::TASKLIST_BASE_URL, "https://env.example"),
            (environment::OUTPUT, "table"),
        ];
        let s = resolve(&flags, &vars).unwrap();
        assert_eq!(s.base_url.value, "https://env.example");
        assert_eq!(s.base_url.source, Source::Env(env::TASKLIST_BASE_URL));
        assert_eq!(s.output.as_ref().map(|o| o.value), Some(Format::Table));
        // What the environment does not set still comes from the profile.
        assert_eq!(
            s.client_id.as_ref().map(|c| c.value.as_str()),
            Some("dev-client")
        );

        // A flag beats both.
        let flags = GlobalArgs {
            base_url: Some("https://flag.example".into()),
            output: Some(Format::Json),
            ..GlobalArgs::default()
        };
        let s = resolve(&flags, &vars).unwrap();
        assert_eq!(s.base_url.value, "https://flag.example");
        assert_eq!(s.base_url.source.to_string(), "flag --base-url");
        assert_eq!(s.output.as_ref().map(|o| o.value), Some(Format::Json));

        // Nothing at all: the defaults.
        let s = resolve(&GlobalArgs::default(), &[]).unwrap();
        assert_eq!(s.base_url.value, DEFAULT_BASE_URL);
        assert_eq!(s.base_url.source.to_string(), "default");
        assert_eq!(s.strategy.value, Strategy::None);
    }

    #[test]
    fn profile_is_chosen_by_flag_then_env_then_default_profile() {
        let (_dir, path) = config_file(PROFILES);
        let path_text = path.to_string_lossy().into_owned();
        let vars = [
            (environment::CONFIG, path_text.as_str()),
            (environment::PROFILE, "prod"),
        ];
        let s = resolve(&GlobalArgs::default(), &vars).unwrap();
        assert_eq!(s.base_url.value, "https://prod.example");
        assert_eq!(s.strategy.value, Strategy::Basic);
        assert_eq!(
            s.profile.as_ref().map(|p| &p.source),
            Some(&Source::Env(environment::PROFILE))
        );
        // The Basic variables are read for the Basic strategy.
        let vars = [
            (environment::CONFIG, path_text.as_str()),
            (environment::PROFILE, "prod"),
            (env::COOKIE_AUTH_PASSWORD, "cookie-pw"),
            (env::BASIC_AUTH_PASSWORD, "basic-pw"),
        ];
        let s = resolve(&GlobalArgs::default(), &vars).unwrap();
        assert_eq!(
            s.password
                .as_ref()
                .map(|p| p.value.expose_secret().to_owned()),
            Some("basic-pw".to_owned())
        );

        let flags = GlobalArgs {
            profile: Some("dev".into()),
            ..GlobalArgs::default()
        };
        let s = resolve(&flags, &vars).unwrap();
        assert_eq!(s.base_url.value, "https://dev.example");

        let flags = GlobalArgs {
            profile: Some("staging".into()),
            ..GlobalArgs::default()
        };
        let err = resolve(&flags, &vars).unwrap_err();
        assert_eq!(err.exit(), crate::exit::Exit::Usage);
        assert!(
            err.line().contains("no profile `staging`"),
            "{}",
            err.line()
        );
        assert!(err.line().contains("dev, prod"), "{}", err.line());
    }

    #[test]
    fn aliases_must_agree_unless_a_flag_overrides_them() {
        let vars = [(env::CLIENT_ID, "a"), (env::ZEEBE_CLIENT_ID, "b")];
        let err = resolve(&GlobalArgs::default(), &vars).unwrap_err();
        assert!(err.line().contains(env::ZEEBE_CLIENT_ID), "{}", err.line());
        let flags = GlobalArgs {
            client_id: Some("c".into()),
            ..GlobalArgs::default()
        };
        let s = resolve(&flags, &vars).unwrap();
        assert_eq!(s.client_id.map(|c| c.value), Some("c".to_owned()));
    }

    #[test]
    fn strategy_inference_follows_the_auth_crate() {
        let s = resolve(
            &GlobalArgs::default(),
            &[
                (env::BASIC_AUTH_USERNAME, "u"),
                (env::BASIC_AUTH_PASSWORD, "p"),
            ],
        )
        .unwrap();
        assert_eq!(s.strategy.value, Strategy::Basic);
        assert!(s.password.is_some());
        let s = resolve(&GlobalArgs::default(), &[(env::AUTH_STRATEGY, "cookie")]).unwrap();
        assert_eq!(s.strategy.value, Strategy::Cookie);
        assert_eq!(s.strategy.source, Source::Env(env::AUTH_STRATEGY));
        let err = resolve(&GlobalArgs::default(), &[(env::AUTH_STRATEGY, "kerberos")]).unwrap_err();
        assert!(err.line().contains(env::AUTH_STRATEGY));
    }

    #[test]
    fn booleans_layer_too() {
        let s = resolve(
            &GlobalArgs::default(),
            &[(env::TOKEN_DISK_CACHE_DISABLE, "true")],
        )
        .unwrap();
        assert!(!s.token_cache.value);
        assert_eq!(
            s.token_cache.source,
            Source::Env(env::TOKEN_DISK_CACHE_DISABLE)
        );
        let flags = GlobalArgs {
            no_token_cache: true,
            ..GlobalArgs::default()
        };
        let s = resolve(&flags, &[]).unwrap();
        assert!(!s.token_cache.value);
        assert_eq!(s.token_cache.source.to_string(), "flag --no-token-cache");
        let s = resolve(&GlobalArgs::default(), &[]).unwrap();
        assert!(s.token_cache.value);
        assert_eq!(s.token_cache.source.to_string(), "default");
    }
}
