//! The auth crate's one error type.

use std::sync::Arc;
use std::time::Duration;

/// Why credentials could not be obtained, or a setting is unusable.
///
/// Every message says what failed and, where there is one, what to do. None contains a
/// secret: client secrets, passwords, tokens and cookies are never formatted into an error,
/// and every text a server sent passes through [`tasklist_transport::redact`] first, so a
/// server that echoes a secret back does not get it into the message.
/// The type is `Clone` (causes are shared) because one failed token request is reported to
/// every caller that waited for it.
///
/// # Example
///
/// ```
/// use tasklist_auth::Error;
///
/// fn advice(error: &Error) -> String {
///     match error {
///         Error::TokenEndpoint { code, .. } if code == "invalid_client" => {
///             "check CAMUNDA_CLIENT_ID and CAMUNDA_CLIENT_SECRET".to_owned()
///         }
///         other => other.to_string(),
///     }
/// }
/// # let _ = advice;
/// ```
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A setting is missing, malformed or contradicts another.
    #[error("{message}")]
    Config {
        /// The environment variable concerned, when the setting came from (or could come
        /// from) one.
        variable: Option<&'static str>,
        /// What is wrong and what to do.
        message: String,
    },

    /// A secret would have travelled unencrypted to a host that is not loopback.
    #[error(
        "refusing to send {what} over plain http to {host}; use an https URL, or opt in \
         with `allow_insecure_http(true)` if the network is trusted"
    )]
    InsecureHttp {
        /// What would have been sent (`"the client secret"`, `"the password"`).
        what: &'static str,
        /// The host it would have been sent to.
        host: String,
    },

    /// The token endpoint answered with an RFC 6749 error response.
    #[error(
        "the token endpoint {url} refused the request ({status}): {code}{}{}",
        description.as_deref().map(|d| format!(": {d}")).unwrap_or_default(),
        hint(code)
    )]
    TokenEndpoint {
        /// The token endpoint.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The RFC 6749 `error` code, e.g. `invalid_client`.
        code: String,
        /// The `error_description`, when given.
        description: Option<String>,
    },

    /// The token endpoint did not answer like an OAuth 2.0 server: an HTML page, a proxy's
    /// answer, malformed JSON, or a token response with a field that cannot be used.
    #[error(
        "the token endpoint {url} did not answer like an OAuth 2.0 server ({status}): {detail}; \
         is it the token endpoint? it is set by CAMUNDA_OAUTH_URL (or the token URL given to \
         the client)"
    )]
    TokenResponse {
        /// The token endpoint.
        url: String,
        /// The HTTP status.
        status: u16,
        /// What was wrong. For a `200` answer it names the field that failed and never quotes
        /// the body (it may hold a token); otherwise it is the start of the body, at most 200
        /// characters, with every known secret removed.
        detail: String,
    },

    /// The server could not be reached, or the exchange failed on the way.
    #[error("could not reach {url}: {source}")]
    Transport {
        /// The URL that was called.
        url: String,
        /// The transport's error.
        #[source]
        source: Arc<tasklist_transport::Error>,
    },

    /// The HTTP transport of a [`Stack`](crate::Stack) could not be built: an unreadable or
    /// invalid certificate file, say.
    #[error("cannot set up HTTP: {source}")]
    HttpSetup {
        /// The transport's error.
        #[source]
        source: Arc<tasklist_transport::Error>,
    },

    /// A cookie login was refused, or answered unexpectedly.
    #[error("login at {url} failed ({status}): {message}")]
    Login {
        /// The login URL.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The server's message, or what was unexpected.
        message: String,
    },

    /// A cookie authenticator built without a password, to reuse a kept session, has no
    /// session to use: the session file held none, or the server ended it. Nothing was sent.
    #[error(
        "not logged in: there is no kept cookie session and no password to log in with; log in \
         again, or set CAMUNDA_COOKIE_AUTH_PASSWORD"
    )]
    NoSession,

    /// An earlier failure is still being backed off from; no request was sent.
    #[error("{last} (not retried for another {retry_in:?})")]
    BackingOff {
        /// The failure that started the back-off.
        last: Box<Error>,
        /// How long until the next attempt is allowed.
        retry_in: Duration,
    },
}

fn hint(code: &str) -> &'static str {
    match code {
        "invalid_client" | "unauthorized_client" => {
            "; check the client id and secret (CAMUNDA_CLIENT_ID, CAMUNDA_CLIENT_SECRET)"
        }
        "invalid_scope" => "; check the scope (CAMUNDA_TOKEN_SCOPE)",
        "invalid_target" | "invalid_request" => {
            "; check the audience and resource (CAMUNDA_TOKEN_AUDIENCE)"
        }
        _ => "",
    }
}

impl Error {
    /// A configuration error about `variable`.
    pub(crate) fn config(variable: Option<&'static str>, message: impl Into<String>) -> Self {
        Error::Config {
            variable,
            message: message.into(),
        }
    }

    /// Wraps a transport error for a call to `url`.
    pub(crate) fn transport(url: impl Into<String>, source: tasklist_transport::Error) -> Self {
        Error::Transport {
            url: url.into(),
            source: Arc::new(source),
        }
    }

    /// True when the credentials themselves were refused (`invalid_client`,
    /// `unauthorized_client`, a failed login): repeating the request cannot help.
    ///
    /// ```
    /// # use tasklist_auth::Error;
    /// let e = Error::TokenEndpoint {
    ///     url: "https://login.example/token".into(),
    ///     status: 401,
    ///     code: "invalid_client".into(),
    ///     description: None,
    /// };
    /// assert!(e.is_bad_credentials());
    /// ```
    pub fn is_bad_credentials(&self) -> bool {
        match self {
            Error::TokenEndpoint { code, .. } => {
                matches!(code.as_str(), "invalid_client" | "unauthorized_client")
            }
            Error::Login { status, .. } => *status == 401,
            Error::BackingOff { last, .. } => last.is_bad_credentials(),
            _ => false,
        }
    }

    /// True for failures that may pass when tried later: the endpoint was unreachable, timed
    /// out, or answered with a server error.
    ///
    /// ```
    /// # use tasklist_auth::Error;
    /// let e = Error::TokenResponse { url: "u".into(), status: 502, detail: "<html>".into() };
    /// assert!(e.is_transient());
    /// ```
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Transport { source, .. } => source.is_retryable(),
            Error::TokenResponse { status, .. } | Error::TokenEndpoint { status, .. } => {
                *status >= 500 || *status == 429
            }
            Error::Login { status, .. } => *status >= 500 || *status == 429,
            Error::BackingOff { last, .. } => last.is_transient(),
            _ => false,
        }
    }
}

/// The start of `body` as text, for error messages: every known secret removed (before the
/// cut, so none is left half), at most 200 characters, on one line.
pub(crate) fn excerpt(body: &[u8]) -> String {
    const MAX: usize = 200;
    let text = String::from_utf8_lossy(body);
    let text = tasklist_transport::redact::redact(&text);
    let mut out: String = text
        .chars()
        .take(MAX)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() > MAX {
        out.push('…');
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_endpoint_error_names_code_description_and_remedy() {
        let e = Error::TokenEndpoint {
            url: "https://login.cloud.camunda.io/oauth/token".into(),
            status: 401,
            code: "invalid_client".into(),
            description: Some("Invalid client or Invalid client credentials".into()),
        };
        let text = e.to_string();
        assert!(text.contains("invalid_client: Invalid client"), "{text}");
        assert!(text.contains("CAMUNDA_CLIENT_SECRET"), "{text}");
        assert!(e.is_bad_credentials() && !e.is_transient());
    }

    #[test]
    fn excerpt_is_bounded_and_single_line() {
        let body = format!("<html>\n<body>{}</body>", "x".repeat(500));
        let e = excerpt(body.as_bytes());
        assert!(!e.contains('\n'));
        assert!(e.chars().count() <= 201);
        assert!(e.ends_with('…'));
    }

    #[test]
    fn backing_off_keeps_the_nature_of_the_cause() {
        let cause = Error::TokenResponse {
            url: "u".into(),
            status: 503,
            detail: "down".into(),
        };
        let e = Error::BackingOff {
            last: Box::new(cause),
            retry_in: Duration::from_secs(2),
        };
        assert!(e.is_transient());
        assert!(e.to_string().contains("down"));
    }
}
