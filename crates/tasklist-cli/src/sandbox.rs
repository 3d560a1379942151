//! The built-in sandbox: the in-process Tasklist of `tasklist-testkit`, seeded with demo
//! tasks, reached with OAuth client credentials whose tokens are cached in a temporary
//! directory (never the user's own cache).

use tasklist_testkit::{AuthMode, OAuthClient, Profile, TestServer};

use crate::cli::GlobalArgs;
use crate::config::SandboxSettings;
use crate::error::CliError;
use crate::exit::Exit;

/// The Camunda version the sandbox behaves as: `--sandbox-version`, else the testkit's
/// default. `serve`: the command is `sandbox serve`, which starts a sandbox of its own.
///
/// # Errors
///
/// `--sandbox-version` without a sandbox to apply it to.
pub(crate) fn version(global: &GlobalArgs, serve: bool) -> Result<Profile, CliError> {
    if let Some(version) = global.sandbox_version
        && !global.sandbox
        && !serve
    {
        return Err(CliError::usage(format!(
            "--sandbox-version {} chooses the version of the built-in sandbox, but no sandbox runs",
            clap::ValueEnum::to_possible_value(&version)
                .map(|v| v.get_name().to_owned())
                .unwrap_or_default()
        ))
        .hint("add --sandbox, or run `tasklist sandbox serve --sandbox-version VERSION`"));
    }
    Ok(global
        .sandbox_version
        .map_or_else(Profile::default, Into::into))
}

/// The sandbox's OAuth client.
const CLIENT_ID: &str = "tasklist";
/// The sandbox's client secret: a demo value, known to everyone, valid only against the
/// sandbox.
const CLIENT_SECRET: &str = "tasklist-secret";
/// The audience the sandbox's API expects.
const AUDIENCE: &str = "tasklist-api";

/// A running sandbox; dropping it stops the server and removes the token cache.
pub(crate) struct Sandbox {
    server: TestServer,
    _cache: Option<tempfile::TempDir>,
    settings: SandboxSettings,
    profile: Profile,
}

impl Sandbox {
    /// Starts a sandbox with `tasks` demo tasks on `port` (0: any free port) that behaves as
    /// the Camunda version `profile`; with `token_cache`, also a temporary token cache for the
    /// commands run against it here.
    pub(crate) async fn start(
        port: u16,
        tasks: usize,
        token_cache: bool,
        profile: Profile,
    ) -> Result<Sandbox, CliError> {
        let cache = if token_cache {
            let dir = tempfile::Builder::new()
                .prefix("tasklist-sandbox-")
                .tempdir()
                .map_err(|e| {
                    CliError::new(
                        Exit::Failure,
                        format!("cannot create a temporary directory for the sandbox: {e}"),
                    )
                })?;
            Some(dir)
        } else {
            None
        };
        let server = TestServer::builder()
            .port(port)
            .profile(profile)
            .auth(AuthMode::OAuth)
            .clients([OAuthClient::new(CLIENT_ID, CLIENT_SECRET, AUDIENCE)])
            .api_audience(AUDIENCE)
            .tasks(tasks)
            .start()
            .await
            .map_err(|e| {
                let hint = if port == 0 {
                    "see the cause with --verbose".to_owned()
                } else {
                    format!("is port {port} taken? choose another with --port")
                };
                CliError::new(Exit::Failure, format!("cannot start the sandbox: {e}"))
                    .hint(hint)
                    .source(e)
            })?;
        let settings = SandboxSettings {
            base_url: server.base_url().to_owned(),
            token_url: server.token_url(),
            client_id: CLIENT_ID.to_owned(),
            client_secret: CLIENT_SECRET.to_owned(),
            audience: AUDIENCE.to_owned(),
            token_cache_dir: cache.as_ref().map(|dir| dir.path().join("tokens")),
        };
        Ok(Sandbox {
            server,
            _cache: cache,
            settings,
            profile,
        })
    }

    /// The Camunda version it behaves as.
    pub(crate) fn version(&self) -> Profile {
        self.profile
    }

    /// The connection settings it offers.
    pub(crate) fn settings(&self) -> &SandboxSettings {
        &self.settings
    }

    /// The environment that points a client at it (for `sandbox serve`): the testkit's, so
    /// that `sandbox serve` and the `tasklist-testkit` binary name the same variables.
    pub(crate) fn environment(&self) -> Vec<(&'static str, String)> {
        self.server.environment()
    }

    /// [`environment`](Self::environment) as `export NAME=value` lines for a POSIX shell, as
    /// the `tasklist-testkit` binary prints them.
    pub(crate) fn export_lines(&self) -> Vec<String> {
        self.server.export_lines()
    }

    /// Stops the server and waits for it.
    pub(crate) async fn stop(self) {
        self.server.shutdown().await;
    }
}
