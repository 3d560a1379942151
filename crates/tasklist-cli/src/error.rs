//! The one error type of the tool: an exit code, one line saying what failed, a hint saying
//! what to do, and the cause chain for `--verbose`.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

use tasklist_api::Error as ApiError;
use tasklist_auth::{Component, Error as AuthError, Strategy, env};
use tasklist_transport::Error as TransportError;
use tasklist_transport::redact::scrub;

use crate::environment::flag_of_variable;
use crate::exit::{self, Exit};

/// A boxed cause.
pub(crate) type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// A failure of a command.
///
/// Its `Display` is the one line printed after `error: `. No secret is ever part of it: the
/// libraries' errors never hold one, and the tool's own messages name settings, not values.
#[derive(Debug)]
pub(crate) struct CliError {
    exit: Exit,
    message: String,
    hint: Option<String>,
    source: Option<BoxError>,
    /// The server's `instance` id of the failure, for `--verbose`.
    instance: Option<String>,
}

/// What the hints of an error may refer to: the strategy in force and the base URL.
#[derive(Clone, Debug, Default)]
pub(crate) struct HintContext {
    /// The authentication strategy in force, when known.
    pub(crate) strategy: Option<Strategy>,
    /// The Tasklist base URL.
    pub(crate) base_url: Option<String>,
    /// Whether the command runs against the built-in sandbox.
    pub(crate) sandbox: bool,
}

impl CliError {
    /// A failure with this exit code and message.
    pub(crate) fn new(exit: Exit, message: impl Into<String>) -> Self {
        CliError {
            exit,
            message: message.into(),
            hint: None,
            source: None,
            instance: None,
        }
    }

    /// A usage or configuration error (exit code 2).
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        CliError::new(Exit::Usage, message)
    }

    /// Adds what to do about it.
    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds the underlying cause (shown with `--verbose`).
    pub(crate) fn source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The exit code.
    pub(crate) fn exit(&self) -> Exit {
        self.exit
    }

    /// Whether writing the output failed because its reader went away.
    pub(crate) fn is_broken_pipe(&self) -> bool {
        self.source
            .as_deref()
            .and_then(|e| e.downcast_ref::<std::io::Error>())
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    }

    /// The one-line message, hint included, without the `error: ` prefix. The server's words in
    /// it were redacted where they entered; the line as a whole is scrubbed once more of the
    /// long secrets the process knows (the tool's own words are left whole).
    pub(crate) fn line(&self) -> String {
        let mut line = self.message.clone();
        if let Some(hint) = &self.hint {
            line.push_str("; ");
            line.push_str(hint);
        }
        one_line(&scrub(&line))
    }

    /// The cause chain, outermost first (for `--verbose`).
    pub(crate) fn causes(&self) -> Vec<String> {
        let mut causes = Vec::new();
        if let Some(instance) = &self.instance {
            causes.push(format!(
                "the server's id of this failure (instance): {instance}"
            ));
        }
        let mut next: Option<&(dyn StdError + 'static)> = self
            .source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static));
        while let Some(error) = next {
            causes.push(one_line(&scrub(&error.to_string())));
            next = error.source();
        }
        causes
    }

    /// A failed API call: `what` says what was being done (`"cannot get task 7"`).
    pub(crate) fn api(what: impl fmt::Display, error: ApiError, context: &HintContext) -> Self {
        let exit = exit::of_api(&error);
        let detail = match &error {
            ApiError::Transport(transport) => transport_detail(transport),
            ApiError::Unauthorized(api)
            | ApiError::Forbidden(api)
            | ApiError::NotFound(api)
            | ApiError::InvalidRequest(api)
            | ApiError::Server(api)
            | ApiError::UnexpectedStatus(api) => api.to_string(),
            ApiError::Csrf(api) => format!("the CSRF check failed: {api}"),
            // The library's advice names its own methods; the hint gives the flags.
            ApiError::PagingStalled { page, .. } => format!(
                "the server returned the same page again: the cursor did not move after page \
                 {page}, so the search stopped"
            ),
            ApiError::PageLimit { pages, .. } => format!(
                "stopped after {pages} page{}, the limit, with more to come",
                if *pages == 1 { "" } else { "s" }
            ),
            other => other.to_string(),
        };
        let hint = api_hint(&error, context);
        let instance = error
            .api_error()
            .and_then(|a| a.instance())
            .map(str::to_owned);
        let mut cli = CliError::new(exit, format!("{what}: {detail}")).source(error);
        cli.hint = hint;
        cli.instance = instance;
        cli
    }

    /// A failure to authenticate outside an API call (`auth login`, `auth check`).
    pub(crate) fn auth(what: impl fmt::Display, error: AuthError, context: &HintContext) -> Self {
        let exit = exit::of_auth(&error);
        let hint = auth_hint(&error, context);
        let mut cli = CliError::new(exit, format!("{what}: {}", auth_detail(&error))).source(error);
        cli.hint = hint;
        cli
    }

    /// A transport that could not be built.
    pub(crate) fn transport(what: impl fmt::Display, error: Arc<TransportError>) -> Self {
        let exit = match exit::of_transport(&error) {
            Exit::Failure => Exit::Usage,
            other => other,
        };
        CliError::new(exit, format!("{what}: {}", transport_detail(&error))).source(error)
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.line())
    }
}

impl StdError for CliError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

impl From<std::io::Error> for CliError {
    fn from(error: std::io::Error) -> Self {
        CliError::new(Exit::Failure, format!("cannot write the output: {error}")).source(error)
    }
}

/// `text` on one line: line breaks and runs of white space become one space.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The innermost cause of `error`, if it has one.
fn root_cause(error: &(dyn StdError + 'static)) -> Option<String> {
    let mut last = None;
    let mut next = error.source();
    while let Some(cause) = next {
        last = Some(cause.to_string());
        next = cause.source();
    }
    last
}

/// A transport error in words: an authentication failure as the authenticator said it, a
/// connection failure with its root cause.
fn transport_detail(error: &TransportError) -> String {
    match error {
        TransportError::Auth { source } => match source.downcast_ref::<AuthError>() {
            Some(auth) => auth_detail(auth),
            None => format!("could not authenticate the request: {source}"),
        },
        TransportError::Connect { .. } | TransportError::Network { .. } => {
            match root_cause(error) {
                Some(root) => format!("{error} ({root})"),
                None => error.to_string(),
            }
        }
        other => other.to_string(),
    }
}

/// An authentication error in words, with the root cause of a connection failure.
fn auth_detail(error: &AuthError) -> String {
    match error {
        AuthError::Transport { url, source } => {
            format!("could not reach {url}: {}", transport_detail(source))
        }
        other => other.to_string(),
    }
}

/// The flags and variables that set the credentials of `strategy`.
fn credentials_hint(strategy: Option<Strategy>) -> String {
    match strategy {
        Some(Strategy::OAuth) => format!(
            "check the client id and secret (--client-id, {}; --client-secret-file, {}), the \
             token URL (--oauth-url, {}) and the audience (--audience, {}); `tasklist auth \
             check` tests them",
            env::CLIENT_ID,
            env::CLIENT_SECRET,
            env::OAUTH_URL,
            Component::Tasklist.audience_variable()
        ),
        Some(Strategy::Cookie) => format!(
            "log in again with `tasklist auth login`, or check the user name and password \
             (--username, {}; --password-file, {})",
            env::COOKIE_AUTH_USERNAME,
            env::COOKIE_AUTH_PASSWORD
        ),
        Some(Strategy::Basic) => format!(
            "check the user name and password (--username, {}; --password-file, {})",
            env::BASIC_AUTH_USERNAME,
            env::BASIC_AUTH_PASSWORD
        ),
        Some(Strategy::Bearer) => format!(
            "the token was refused or has expired; set a fresh one (--token-file, {})",
            env::OAUTH_TOKEN
        ),
        Some(Strategy::None) => format!(
            "the server requires authentication: choose a strategy with --auth (or {}) and \
             give its credentials; `tasklist config show` shows what is set",
            env::AUTH_STRATEGY
        ),
        _ => "check the credentials; `tasklist config show` shows what is set".to_owned(),
    }
}

/// `--base-url` and its variable, for hints.
fn base_url_setting() -> String {
    format!("--base-url, {}", Component::Tasklist.base_url_variable())
}

/// The opt-in to plain http, for hints.
fn insecure_http_opt_in() -> String {
    format!(
        "--allow-insecure-http (or {}=true)",
        env::AUTH_ALLOW_INSECURE_HTTP
    )
}

/// The settings of the URL a secret goes to under `strategy`, for hints.
fn secret_url_setting(strategy: Option<Strategy>) -> String {
    match strategy {
        Some(Strategy::Cookie) => {
            format!("--login-url or {}, else --base-url", env::COOKIE_AUTH_URL)
        }
        _ => format!("--oauth-url, {}", env::OAUTH_URL),
    }
}

/// What to do about a failed API call.
fn api_hint(error: &ApiError, context: &HintContext) -> Option<String> {
    match error {
        ApiError::Unauthorized(_) => Some(credentials_hint(context.strategy)),
        ApiError::Csrf(_) => Some(
            "the session's CSRF token was refused; log in again with `tasklist auth login`"
                .to_owned(),
        ),
        ApiError::Forbidden(_) => Some(
            "the credentials are valid but lack the permission for this; ask an administrator \
             for access"
                .to_owned(),
        ),
        ApiError::NotFound(_) => Some(format!(
            "check the id (`tasklist tasks search` lists tasks and their ids) and the base URL \
             ({})",
            base_url_setting()
        )),
        ApiError::Server(_) => {
            Some("the server failed; try again later, or ask its operator".to_owned())
        }
        ApiError::UnexpectedStatus(api) if api.status().as_u16() == 429 => {
            Some("the server is busy; try again later".to_owned())
        }
        ApiError::Transport(TransportError::Auth { source }) => {
            match source.downcast_ref::<AuthError>() {
                Some(auth) => auth_hint(auth, context),
                None => Some(credentials_hint(context.strategy)),
            }
        }
        ApiError::Transport(transport) => transport_hint(transport, context),
        ApiError::InvalidArgument(_) => Some("fix the arguments; nothing was sent".to_owned()),
        // The library's message ends with its advice already.
        ApiError::Unsupported { api, .. } => Some(format!(
            "the task API in use is {api} (--api v1|v2 pins one, where the server has it); \
             nothing was sent"
        )),
        ApiError::GraphQl { .. } => Some("check the query".to_owned()),
        ApiError::PagingStalled { .. } => Some(
            "the server does not honour the search's cursor; sort by a field that tells every \
             task apart (--sort), or report it to the server's operator"
                .to_owned(),
        ),
        ApiError::PageLimit { next, .. } => Some(format!(
            "raise the limit with --max-pages N (0: no limit), narrow the search, or go on from \
             where it stopped with {} {}",
            if next.is_backward() {
                "--search-before"
            } else {
                "--search-after"
            },
            next.sort_values().join(",")
        )),
        ApiError::Decode { .. } => Some(format!(
            "is {} a Tasklist of a supported version? check the base URL ({})",
            context.base_url.as_deref().unwrap_or("the base URL"),
            base_url_setting()
        )),
        _ => None,
    }
}

/// What to do when the server could not be reached.
fn transport_hint(error: &TransportError, context: &HintContext) -> Option<String> {
    let url = context.base_url.as_deref().unwrap_or("the base URL");
    match error {
        TransportError::Connect { .. } | TransportError::ConnectTimeout { .. } => Some(format!(
            "is Tasklist running at {url}? set the base URL with --base-url or {} (or try \
             `tasklist --sandbox …`)",
            Component::Tasklist.base_url_variable()
        )),
        TransportError::Timeout { .. } | TransportError::Network { .. } => Some(format!(
            "the connection to {url} failed; check the network and try again"
        )),
        TransportError::Config { .. } => Some(format!(
            "check the TLS settings (--ca-cert, {}; --client-cert, {}; --client-key, {})",
            env::CUSTOM_ROOT_CERT_PATH,
            env::CUSTOM_CERT_CHAIN_PATH,
            env::CUSTOM_PRIVATE_KEY_PATH
        )),
        _ => None,
    }
}

/// What to do about an authentication failure.
fn auth_hint(error: &AuthError, context: &HintContext) -> Option<String> {
    match error {
        AuthError::Config { variable, .. } => variable
            .and_then(flag_of_variable)
            .map(|flag| format!("or use {flag}")),
        AuthError::InsecureHttp { .. } => Some(format!("the opt-in is {}", insecure_http_opt_in())),
        AuthError::TokenEndpoint { .. } | AuthError::TokenResponse { .. }
            if exit::of_auth(error) == Exit::Unavailable =>
        {
            Some("the token endpoint failed; try again later".to_owned())
        }
        // The auth crate's message already names the variables to check.
        AuthError::TokenEndpoint { code, .. }
            if matches!(
                code.as_str(),
                "invalid_client"
                    | "unauthorized_client"
                    | "invalid_scope"
                    | "invalid_target"
                    | "invalid_request"
            ) =>
        {
            Some(
                "the flags are --client-id, --client-secret-file, --audience and --scope; \
                 `tasklist auth check` tests the credentials"
                    .to_owned(),
            )
        }
        // Not an OAuth server at all: the URL, not the credentials, is the suspect.
        AuthError::TokenResponse { .. } => Some(format!(
            "the token endpoint did not answer like an OAuth 2.0 server; check the token URL \
             ({})",
            secret_url_setting(Some(Strategy::OAuth))
        )),
        AuthError::TokenEndpoint { .. } => Some(credentials_hint(Some(Strategy::OAuth))),
        AuthError::Login { status, .. } => match status {
            401 => Some(format!(
                "the flags are --username and --password-file (or {} and {})",
                env::COOKIE_AUTH_USERNAME,
                env::COOKIE_AUTH_PASSWORD
            )),
            404 | 405 => Some(format!(
                "set the login URL with --login-url ({}): …/api/login before Camunda 8.8, \
                 …/login from 8.8",
                env::COOKIE_AUTH_URL
            )),
            status if *status == 429 || *status >= 500 => {
                Some("the login failed on the server's side; try again later".to_owned())
            }
            _ => None,
        },
        AuthError::Transport { source, .. }
            if matches!(source.as_ref(), TransportError::Redirect { .. }) =>
        {
            Some(format!(
                "the server redirected a request that carries a secret; give the URL that \
                 answers itself ({})",
                secret_url_setting(context.strategy)
            ))
        }
        AuthError::Transport { source, .. }
            if matches!(source.as_ref(), TransportError::InsecureHttp { .. }) =>
        {
            Some(format!(
                "use an https URL; the opt-in for a trusted network is {}",
                insecure_http_opt_in()
            ))
        }
        AuthError::Transport { url, .. } => Some(format!(
            "is the server at {url} running and reachable? check the URL{}",
            if context.sandbox {
                String::new()
            } else {
                format!(" ({})", secret_url_setting(context.strategy))
            }
        )),
        AuthError::BackingOff { last, .. } => auth_hint(last, context),
        AuthError::NoSession => Some(format!(
            "run `tasklist auth login`, or set {} or --password-file",
            env::COOKIE_AUTH_PASSWORD
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tasklist_transport::http::StatusCode;

    #[test]
    fn the_line_holds_the_servers_message_and_a_hint() {
        let error = tasklist_api::ApiError::from_response(
            StatusCode::NOT_FOUND,
            br#"{"status":404,"message":"Task with id 7 was not found","instance":"ab12"}"#,
        );
        let cli = CliError::api("cannot get task 7", error, &HintContext::default());
        assert_eq!(cli.exit(), Exit::NotFound);
        let line = cli.line();
        assert!(
            line.starts_with("cannot get task 7: 404 Not Found: Task with id 7 was not found; "),
            "{line}"
        );
        assert!(line.contains("tasklist tasks search"), "{line}");
        assert!(cli.causes().iter().any(|c| c.contains("ab12")));
    }

    #[test]
    fn endless_paging_says_what_happened_and_what_to_do() {
        use tasklist_api::Cursor;

        let stalled = ApiError::PagingStalled {
            page: 2,
            cursor: Cursor::After(vec!["3".into()]),
        };
        let cli = CliError::api("cannot search tasks", stalled, &HintContext::default());
        assert_eq!(cli.exit(), Exit::Failure);
        assert_eq!(
            cli.line(),
            "cannot search tasks: the server returned the same page again: the cursor did not \
             move after page 2, so the search stopped; the server does not honour the search's \
             cursor; sort by a field that tells every task apart (--sort), or report it to the \
             server's operator"
        );

        let limit = ApiError::PageLimit {
            pages: 3,
            next: Cursor::Before(vec!["17".into(), "9".into()]),
        };
        let cli = CliError::api("cannot search tasks", limit, &HintContext::default());
        assert_eq!(cli.exit(), Exit::Failure);
        let line = cli.line();
        assert!(
            line.starts_with("cannot search tasks: stopped after 3 pages, the limit, with more to come; raise the limit with --max-pages N"),
            "{line}"
        );
        assert!(line.ends_with("--search-before 17,9"), "{line}");
    }

    #[test]
    fn lines_stay_on_one_line() {
        let cli = CliError::usage("first\nsecond\r\n  third").hint("do\tthis");
        assert_eq!(cli.line(), "first second third; do this");
    }

    #[test]
    fn auth_failures_inside_api_errors_are_explained() {
        let refused = AuthError::TokenEndpoint {
            url: "http://127.0.0.1:1/oauth/token".into(),
            status: 401,
            code: "invalid_client".into(),
            description: Some("Invalid client credentials".into()),
        };
        let error = ApiError::Transport(TransportError::auth(refused));
        let context = HintContext {
            strategy: Some(Strategy::OAuth),
            ..HintContext::default()
        };
        let cli = CliError::api("cannot search tasks", error, &context);
        assert_eq!(cli.exit(), Exit::Auth);
        let line = cli.line();
        assert!(line.contains("invalid_client"), "{line}");
        assert!(line.contains("Invalid client credentials"), "{line}");
        assert!(line.contains(env::CLIENT_SECRET), "{line}");
        assert!(!cli.causes().is_empty());
    }

    #[test]
    fn an_unreachable_token_endpoint_names_its_setting() {
        let unreachable = AuthError::Transport {
            url: "http://127.0.0.1:1/oauth/token".into(),
            source: std::sync::Arc::new(TransportError::Connect {
                target: "POST http://127.0.0.1:1/oauth/token".into(),
                source: "refused".into(),
            }),
        };
        let error = ApiError::Transport(TransportError::auth(unreachable));
        let cli = CliError::api("cannot search tasks", error, &HintContext::default());
        assert_eq!(cli.exit(), Exit::Unavailable);
        let line = cli.line();
        assert!(line.contains("--oauth-url"), "{line}");
        assert!(!line.contains("try again later"), "{line}");
    }
}
