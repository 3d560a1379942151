//! Serves the test server on a fixed loopback port until Ctrl-C, for callers in other languages.
//!
//! ```text
//! tasklist-testkit [--port N] [--profile 8.7|8.8|8.9|8.10]
//!                  [--auth oauth|cookie|cookie-csrf|basic|none] [--base-path /PREFIX]
//!                  [--tasks N] [--seed N] [--client-id ID] [--client-secret SECRET]
//!                  [--audience AUD] [--username NAME] [--password PASSWORD]
//!                  [--token-lifetime SECONDS]
//! ```
//!
//! Defaults: port 8080, profile 8.7, auth `oauth`, 50 tasks, seed 1, client `tasklist` /
//! `tasklist-secret` with audience `tasklist-api`, user `demo`/`demo`, tokens valid 300 s.
//! On start it prints the base URL, the token URL and the environment variables that point a
//! client at it, then serves until interrupted. The variables are `export NAME=value` lines
//! for a POSIX shell (values quoted where the shell needs it), the same lines
//! `tasklist sandbox serve` prints: `TestServer::export_lines`. With the default
//! `--auth oauth` they are `CAMUNDA_TASKLIST_BASE_URL`, `CAMUNDA_AUTH_STRATEGY` (`OAUTH`),
//! `CAMUNDA_OAUTH_URL`, `CAMUNDA_CLIENT_ID`, `CAMUNDA_CLIENT_SECRET` and
//! `CAMUNDA_TASKLIST_OAUTH_AUDIENCE`; `docs/testing.md` lists those of every mode.

use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use tasklist_testkit::{AuthMode, OAuthClient, Profile, TestServer, User};

/// The usage text.
const USAGE: &str = "\
usage: tasklist-testkit [--port N] [--profile 8.7|8.8|8.9|8.10] [--base-path /PREFIX]
                        [--auth oauth|cookie|cookie-csrf|basic|none] [--tasks N] [--seed N]
                        [--client-id ID] [--client-secret SECRET] [--audience AUD]
                        [--username NAME] [--password PASSWORD] [--token-lifetime SECONDS]

Serves an in-memory Camunda Tasklist v1 API (up to 8.9), its GraphQL endpoint (8.7),
Operate's v1 process definition search (up to 8.9) and the v2 user-task API (8.8+) on
127.0.0.1:PORT until Ctrl-C.
Defaults: --port 8080 --profile 8.7 --auth oauth --tasks 50 --seed 1
          --client-id tasklist --client-secret tasklist-secret --audience tasklist-api
          --username demo --password demo --token-lifetime 300";

/// The parsed command line.
#[derive(Debug)]
struct Args {
    port: u16,
    profile: Profile,
    base_path: String,
    auth: AuthMode,
    tasks: usize,
    seed: u64,
    client_id: String,
    client_secret: String,
    audience: String,
    username: String,
    password: String,
    token_lifetime: Duration,
}

impl Default for Args {
    fn default() -> Self {
        Args {
            port: 8080,
            profile: Profile::V8_7,
            base_path: String::new(),
            auth: AuthMode::OAuth,
            tasks: 50,
            seed: 1,
            client_id: "tasklist".to_owned(),
            client_secret: "tasklist-secret".to_owned(),
            audience: "tasklist-api".to_owned(),
            username: "demo".to_owned(),
            password: "demo".to_owned(),
            token_lifetime: Duration::from_secs(300),
        }
    }
}

/// What the command line asks for.
enum Command {
    Serve(Args),
    Help,
}

/// Parses `args` (without the program name).
fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut parsed = Args::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        if flag == "--help" || flag == "-h" {
            return Ok(Command::Help);
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        let number = |v: String| -> Result<u64, String> {
            v.parse::<u64>()
                .map_err(|_| format!("{flag} expects a number, got `{v}`"))
        };
        match flag.as_str() {
            "--port" => {
                let v = value()?;
                parsed.port = v
                    .parse()
                    .map_err(|_| format!("--port expects a port number, got `{v}`"))?;
            }
            "--profile" => parsed.profile = value()?.parse().map_err(|e| format!("{e}"))?,
            "--auth" => parsed.auth = value()?.parse().map_err(|e| format!("{e}"))?,
            "--base-path" => parsed.base_path = value()?,
            "--tasks" => {
                parsed.tasks = usize::try_from(number(value()?)?)
                    .map_err(|_| "--tasks is too large".to_owned())?;
            }
            "--seed" => parsed.seed = number(value()?)?,
            "--client-id" => parsed.client_id = value()?,
            "--client-secret" => parsed.client_secret = value()?,
            "--audience" => parsed.audience = value()?,
            "--username" => parsed.username = value()?,
            "--password" => parsed.password = value()?,
            "--token-lifetime" => {
                parsed.token_lifetime = Duration::from_secs(number(value()?)?);
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Command::Serve(parsed))
}

/// Writes `text` and a newline to standard output (errors writing are ignored: nothing else
/// could report them).
fn say(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
}

/// Writes `text` and a newline to standard error.
fn complain(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(Command::Serve(args)) => args,
        Ok(Command::Help) => {
            say(USAGE);
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            complain(&format!("tasklist-testkit: {message}\n\n{USAGE}"));
            return ExitCode::from(2);
        }
    };
    let server = TestServer::builder()
        .port(args.port)
        .profile(args.profile)
        .base_path(args.base_path.clone())
        .auth(args.auth)
        .tasks(args.tasks)
        .seed(args.seed)
        .users([User::new(args.username.clone(), args.password.clone())])
        .clients([OAuthClient::new(
            args.client_id.clone(),
            args.client_secret.clone(),
            args.audience.clone(),
        )])
        .api_audience(args.audience.clone())
        .token_lifetime(args.token_lifetime)
        .start()
        .await;
    let server = match server {
        Ok(server) => server,
        Err(e) => {
            complain(&format!("tasklist-testkit: {e}"));
            return ExitCode::FAILURE;
        }
    };
    let token_url = server.token_url();
    say(&format!(
        "tasklist-testkit {} (profile {}, auth {}, {} tasks)",
        env!("CARGO_PKG_VERSION"),
        args.profile,
        args.auth,
        args.tasks
    ));
    say(&format!("base URL:  {}", server.base_url()));
    say(&format!("API URL:   {}", server.v2_url()));
    say(&format!("token URL: {token_url}"));
    say(&format!("login URL: {}", server.login_url()));
    if args.profile.serves_graphql() {
        say(&format!("GraphQL:   {}/graphql", server.v2_url()));
    }
    say("environment:");
    for line in server.export_lines() {
        say(&line);
    }
    say("serving until Ctrl-C");
    if let Err(e) = tokio::signal::ctrl_c().await {
        complain(&format!("tasklist-testkit: cannot wait for Ctrl-C: {e}"));
    }
    server.shutdown().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Command, String> {
        parse(list.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn defaults_and_flags() {
        let Ok(Command::Serve(a)) = args(&[]) else {
            panic!("defaults must parse");
        };
        assert_eq!((a.port, a.tasks, a.auth), (8080, 50, AuthMode::OAuth));
        let Ok(Command::Serve(a)) = args(&[
            "--port",
            "9000",
            "--profile=8.10",
            "--base-path",
            "/physical-tenants/t1",
            "--auth",
            "basic",
            "--tasks",
            "3",
            "--client-id",
            "me",
        ]) else {
            panic!("flags must parse");
        };
        assert_eq!(a.port, 9000);
        assert_eq!(a.profile, Profile::V8_10);
        assert_eq!(a.base_path, "/physical-tenants/t1");
        assert_eq!(a.auth, AuthMode::Basic);
        assert_eq!(a.tasks, 3);
        assert_eq!(a.client_id, "me");
    }

    #[test]
    fn errors_name_the_flag() {
        assert!(
            args(&["--port", "x"])
                .err()
                .unwrap_or_default()
                .contains("--port")
        );
        assert!(
            args(&["--tasks"])
                .err()
                .unwrap_or_default()
                .contains("needs a value")
        );
        assert!(
            args(&["--bogus"])
                .err()
                .unwrap_or_default()
                .contains("--bogus")
        );
        assert!(matches!(args(&["--help"]), Ok(Command::Help)));
    }
}
