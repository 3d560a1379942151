//! The help's words that name variables, built from their names in `tasklist_auth::env` and
//! [`crate::environment`], and the note that stands in for the global options.

use tasklist_auth::{Component, env};

use crate::environment;

/// The line a subcommand's help shows in place of the global options.
pub(super) const GLOBAL_OPTIONS_NOTE: &str = "\
Global options: --base-url, --auth, --api, --profile, --sandbox, --output (-o), --verbose (-v)
and the credential and TLS options; `tasklist --help` lists them, `--help-all` shows them here.";

/// The flag that shows a subcommand's help with the global options.
pub(super) const HELP_ALL: &str = "--help-all";

/// A line of the environment list: the variable, then what it sets, in a column.
fn entry(variable: &str, what: &str) -> String {
    format!("  {variable:<32} {what}\n")
}

/// A line of the environment list that only names variables.
fn names(variables: &[&str]) -> String {
    format!("  {}\n", variables.join(", "))
}

/// Exit codes and environment variables, shown at the end of `tasklist --help`.
pub(super) fn after_help() -> String {
    let mut text = String::from(
        "\
Exit codes:
  0  success
  1  any other failure
  2  usage or configuration error (nothing was sent)
  3  authentication failed (401, CSRF 403, token endpoint or login refused, no session)
  4  not found (404)
  5  request rejected by the server (400, 409, 422, permission 403, GraphQL errors)
  6  server or network failure (5xx, 429, timeouts, connection errors)

Settings come from a flag, else the environment, else the profile in the config file, else
the default; `tasklist config show` prints each with where it came from (secrets redacted).

Environment:
",
    );
    text += &entry(
        Component::Tasklist.base_url_variable(),
        "Tasklist base URL (default http://localhost:8080)",
    );
    text += &entry(
        env::AUTH_STRATEGY,
        "OAUTH, COOKIE, BASIC, BEARER or NONE (inferred when unset)",
    );
    text += &format!(
        "  {}, {}, {} (or {},\n  {}, {})\n",
        env::CLIENT_ID,
        env::CLIENT_SECRET,
        env::OAUTH_URL,
        env::ZEEBE_CLIENT_ID,
        env::ZEEBE_CLIENT_SECRET,
        env::ZEEBE_AUTHORIZATION_SERVER_URL
    );
    text += &names(&[
        Component::Tasklist.audience_variable(),
        env::TOKEN_AUDIENCE,
        env::TOKEN_SCOPE,
    ]);
    text += &format!(
        "  {} (default ~/.camunda), {}\n",
        env::TOKEN_CACHE_DIR,
        env::TOKEN_DISK_CACHE_DISABLE
    );
    text += &names(&[
        env::COOKIE_AUTH_URL,
        env::COOKIE_AUTH_USERNAME,
        env::COOKIE_AUTH_PASSWORD,
    ]);
    text += &names(&[env::BASIC_AUTH_USERNAME, env::BASIC_AUTH_PASSWORD]);
    text += &entry(env::OAUTH_TOKEN, "a static bearer token");
    text += &names(&[
        env::CUSTOM_ROOT_CERT_PATH,
        env::CUSTOM_CERT_CHAIN_PATH,
        env::CUSTOM_PRIVATE_KEY_PATH,
    ]);
    text += &entry(
        env::AUTH_ALLOW_INSECURE_HTTP,
        "allow secrets over plain http to remote hosts",
    );
    text += &entry(
        environment::CONFIG,
        "config file (default <config dir>/tasklist/config.toml)",
    );
    text += &entry(environment::PROFILE, "profile of the config file to use");
    text += &entry(
        environment::API,
        "task API: auto (ask the server, the default), v1 or v2",
    );
    text += &entry(environment::OUTPUT, "table, json or jsonl");
    text += &entry(
        environment::SESSION_FILE,
        "where `auth login` keeps the cookie session",
    );
    text += &entry(environment::NO_COLOR, "no colours");
    text += &entry(
        environment::RUST_LOG,
        "log filter for diagnostics on stderr (default: errors only,",
    );
    text += &entry("", "warnings too with --verbose)");
    text += "
Secrets (client secret, password, token) are read only from the environment, from a file
(--client-secret-file, --password-file, --token-file) or from a prompt when stdin is a
terminal; never from the command line.";
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_list_names_every_variable_the_tool_reads() {
        let text = after_help();
        for variable in [
            env::TASKLIST_BASE_URL,
            env::ZEEBE_AUTHORIZATION_SERVER_URL,
            env::TOKEN_DISK_CACHE_DISABLE,
            env::CUSTOM_PRIVATE_KEY_PATH,
            environment::SESSION_FILE,
        ] {
            assert!(text.contains(variable), "{variable}: {text}");
        }
        assert!(text.lines().all(|line| line.trim_end() == line), "{text}");
    }
}
