//! The environment variables the tool reads, in one place: Camunda's, by the names
//! `tasklist_auth::env` gives them (never spelled out here), and the tool's own.

use tasklist_auth::env;

/// The config file.
pub(crate) const CONFIG: &str = "TASKLIST_CONFIG";
/// The profile of the config file to use.
pub(crate) const PROFILE: &str = "TASKLIST_PROFILE";
/// The task API: `auto`, `v1` or `v2`.
pub(crate) const API: &str = "TASKLIST_API";
/// The output format.
pub(crate) const OUTPUT: &str = "TASKLIST_OUTPUT";
/// Where `auth login` keeps the cookie session.
pub(crate) const SESSION_FILE: &str = "TASKLIST_SESSION_FILE";
/// Set and not empty: no colours (<https://no-color.org>).
pub(crate) const NO_COLOR: &str = "NO_COLOR";
/// `dumb`: a terminal without colours.
pub(crate) const TERM: &str = "TERM";
/// The terminal's width, when the terminal does not say.
pub(crate) const COLUMNS: &str = "COLUMNS";
/// The log filter.
pub(crate) const RUST_LOG: &str = "RUST_LOG";

/// Each flag that has a variable, and its variables: the first is the one Camunda's SDKs
/// name first, the others set the same value (aliases) or the same setting of another
/// strategy (the user name of a cookie session or of HTTP Basic).
const FLAG_VARIABLES: &[(&str, &[&str])] = &[
    ("--base-url", &[env::TASKLIST_BASE_URL]),
    ("--auth", &[env::AUTH_STRATEGY]),
    ("--client-id", &[env::CLIENT_ID, env::ZEEBE_CLIENT_ID]),
    (
        "--client-secret-file",
        &[env::CLIENT_SECRET, env::ZEEBE_CLIENT_SECRET],
    ),
    (
        "--oauth-url",
        &[env::OAUTH_URL, env::ZEEBE_AUTHORIZATION_SERVER_URL],
    ),
    (
        "--audience",
        &[env::TASKLIST_OAUTH_AUDIENCE, env::TOKEN_AUDIENCE],
    ),
    ("--scope", &[env::TOKEN_SCOPE]),
    ("--token-cache-dir", &[env::TOKEN_CACHE_DIR]),
    ("--no-token-cache", &[env::TOKEN_DISK_CACHE_DISABLE]),
    ("--token-file", &[env::OAUTH_TOKEN]),
    ("--login-url", &[env::COOKIE_AUTH_URL]),
    (
        "--username",
        &[env::COOKIE_AUTH_USERNAME, env::BASIC_AUTH_USERNAME],
    ),
    (
        "--password-file",
        &[env::COOKIE_AUTH_PASSWORD, env::BASIC_AUTH_PASSWORD],
    ),
    ("--session-file", &[SESSION_FILE]),
    ("--ca-cert", &[env::CUSTOM_ROOT_CERT_PATH]),
    ("--client-cert", &[env::CUSTOM_CERT_CHAIN_PATH]),
    ("--client-key", &[env::CUSTOM_PRIVATE_KEY_PATH]),
    ("--allow-insecure-http", &[env::AUTH_ALLOW_INSECURE_HTTP]),
    ("--config", &[CONFIG]),
    ("--profile", &[PROFILE]),
    ("--api", &[API]),
    ("--output", &[OUTPUT]),
];

/// Pairs of variables that set the same value, Camunda's name first and the Zeebe clients'
/// second: set both, and they must agree.
const ALIASES: &[(&str, &str)] = &[
    (env::CLIENT_ID, env::ZEEBE_CLIENT_ID),
    (env::CLIENT_SECRET, env::ZEEBE_CLIENT_SECRET),
    (env::OAUTH_URL, env::ZEEBE_AUTHORIZATION_SERVER_URL),
];

/// The flag that sets what an environment variable sets.
pub(crate) fn flag_of_variable(variable: &str) -> Option<&'static str> {
    FLAG_VARIABLES
        .iter()
        .find(|(_, variables)| variables.contains(&variable))
        .map(|(flag, _)| *flag)
}

/// Whether two variables are aliases of one setting (set both, and they must agree).
pub(crate) fn is_alias_pair(first: &str, second: &str) -> bool {
    ALIASES.contains(&(first, second))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variable_of_the_auth_crate_that_the_tool_reads_has_its_flag() {
        for variable in env::ALL {
            let read_elsewhere = [
                env::OPERATE_OAUTH_AUDIENCE,
                env::OPTIMIZE_OAUTH_AUDIENCE,
                env::ZEEBE_OAUTH_AUDIENCE,
                env::OPERATE_BASE_URL,
                env::OPTIMIZE_BASE_URL,
                env::ZEEBE_REST_ADDRESS,
            ];
            if !read_elsewhere.contains(variable) {
                assert!(flag_of_variable(variable).is_some(), "{variable}");
            }
        }
        assert_eq!(
            flag_of_variable(env::CLIENT_SECRET),
            Some("--client-secret-file")
        );
        assert_eq!(flag_of_variable(env::ZEEBE_CLIENT_ID), Some("--client-id"));
        assert_eq!(flag_of_variable("HOME"), None);
    }

    #[test]
    fn aliases_are_ordered_pairs() {
        assert!(is_alias_pair(env::CLIENT_ID, env::ZEEBE_CLIENT_ID));
        assert!(!is_alias_pair(env::ZEEBE_CLIENT_ID, env::CLIENT_ID));
        assert!(!is_alias_pair(
            env::COOKIE_AUTH_USERNAME,
            env::BASIC_AUTH_USERNAME
        ));
    }
}
