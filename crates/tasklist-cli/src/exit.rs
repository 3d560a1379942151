//! Exit codes, and which failure maps to which.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | any other failure (an unexpected answer, output that could not be written, …) |
//! | 2 | usage or configuration error (a bad flag, a missing setting; nothing was sent) |
//! | 3 | authentication failed (401, CSRF 403, the token endpoint or login refused, no session) |
//! | 4 | not found (404) |
//! | 5 | the server rejected the request (400, 409, 422, permission 403, GraphQL errors) |
//! | 6 | server or network failure (5xx, 429, timeouts, connection errors) |

use std::process::ExitCode;

use tasklist_api::Error as ApiError;
use tasklist_auth::Error as AuthError;
use tasklist_transport::Error as TransportError;

/// How the process ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exit {
    /// 0: success.
    Success,
    /// 1: any other failure.
    Failure,
    /// 2: usage or configuration error.
    Usage,
    /// 3: authentication failed.
    Auth,
    /// 4: not found.
    NotFound,
    /// 5: the server rejected the request.
    Rejected,
    /// 6: server or network failure.
    Unavailable,
}

/// The page that explains each failure and what to do about it, a section per exit code.
pub(crate) const TROUBLESHOOTING: &str = concat!(
    env!("CARGO_PKG_REPOSITORY"),
    "/blob/main/docs/troubleshooting.md"
);

impl Exit {
    /// The numeric exit code.
    pub(crate) fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Failure => 1,
            Exit::Usage => 2,
            Exit::Auth => 3,
            Exit::NotFound => 4,
            Exit::Rejected => 5,
            Exit::Unavailable => 6,
        }
    }

    /// The anchor of this exit code's section of `docs/troubleshooting.md` (`None` for
    /// success): its heading `## Exit code N: …` as GitHub spells the anchor.
    pub(crate) fn troubleshooting_anchor(self) -> Option<&'static str> {
        match self {
            Exit::Success => None,
            Exit::Failure => Some("exit-code-1-other-failures"),
            Exit::Usage => Some("exit-code-2-usage-or-configuration-error"),
            Exit::Auth => Some("exit-code-3-authentication-failed"),
            Exit::NotFound => Some("exit-code-4-not-found"),
            Exit::Rejected => Some("exit-code-5-the-server-rejected-the-request"),
            Exit::Unavailable => Some("exit-code-6-server-or-network-failure"),
        }
    }

    /// The address of this exit code's section of the troubleshooting page.
    pub(crate) fn troubleshooting(self) -> Option<String> {
        self.troubleshooting_anchor()
            .map(|anchor| format!("{TROUBLESHOOTING}#{anchor}"))
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit.code())
    }
}

/// The exit code of a failed API call.
pub(crate) fn of_api(error: &ApiError) -> Exit {
    match error {
        ApiError::Unauthorized(_) | ApiError::Csrf(_) => Exit::Auth,
        ApiError::Forbidden(_)
        | ApiError::InvalidRequest(_)
        | ApiError::InvalidState(_)
        | ApiError::GraphQl { .. } => Exit::Rejected,
        // The server stopped waiting; the command may still take effect.
        ApiError::OutcomeUnknown { .. } => Exit::Unavailable,
        ApiError::NotFound(_) => Exit::NotFound,
        ApiError::Server(_) => Exit::Unavailable,
        ApiError::UnexpectedStatus(api) => of_status(api.status().as_u16()),
        ApiError::Transport(e) => of_transport(e),
        ApiError::InvalidArgument(_) => Exit::Usage,
        // Refused before anything was sent: the task API in use has no such feature.
        ApiError::Unsupported { .. } => Exit::Usage,
        // A server that repeats its pages, and a search longer than the limit on pages.
        ApiError::PagingStalled { .. } | ApiError::PageLimit { .. } => Exit::Failure,
        _ => Exit::Failure,
    }
}

/// The exit code of an HTTP status that has no variant of its own.
pub(crate) fn of_status(status: u16) -> Exit {
    match status {
        401 => Exit::Auth,
        404 => Exit::NotFound,
        400 | 403 | 409 | 422 => Exit::Rejected,
        429 | 500..=599 => Exit::Unavailable,
        _ => Exit::Failure,
    }
}

/// The exit code of a transport failure.
pub(crate) fn of_transport(error: &TransportError) -> Exit {
    match error {
        TransportError::Auth { source } => match source.downcast_ref::<AuthError>() {
            Some(auth) => of_auth(auth),
            None => Exit::Auth,
        },
        TransportError::Config { .. } | TransportError::InsecureHttp { .. } => Exit::Usage,
        TransportError::Connect { .. }
        | TransportError::ConnectTimeout { .. }
        | TransportError::Timeout { .. }
        | TransportError::Network { .. } => Exit::Unavailable,
        _ => Exit::Failure,
    }
}

/// The exit code of a failure to authenticate.
pub(crate) fn of_auth(error: &AuthError) -> Exit {
    match error {
        AuthError::Config { .. } | AuthError::InsecureHttp { .. } => Exit::Usage,
        AuthError::TokenEndpoint { status, .. }
        | AuthError::TokenResponse { status, .. }
        | AuthError::Login { status, .. } => {
            if *status == 429 || *status >= 500 {
                Exit::Unavailable
            } else {
                Exit::Auth
            }
        }
        AuthError::Transport { source, .. } => match source.as_ref() {
            // Refused before anything was sent: a setting to change.
            TransportError::InsecureHttp { .. } => Exit::Usage,
            // The endpoint sent the secret's request elsewhere: it is not one to trust.
            TransportError::Redirect { .. } => Exit::Auth,
            other => match of_transport(other) {
                Exit::Failure => Exit::Unavailable,
                other => other,
            },
        },
        AuthError::BackingOff { last, .. } => of_auth(last),
        _ => Exit::Auth,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tasklist_api::ApiError as Body;
    use tasklist_transport::http::StatusCode;

    fn api(status: u16, body: &[u8]) -> ApiError {
        Body::from_response(StatusCode::from_u16(status).unwrap_or_default(), body)
    }

    #[test]
    fn codes_are_the_documented_numbers() {
        let all = [
            (Exit::Success, 0),
            (Exit::Failure, 1),
            (Exit::Usage, 2),
            (Exit::Auth, 3),
            (Exit::NotFound, 4),
            (Exit::Rejected, 5),
            (Exit::Unavailable, 6),
        ];
        for (exit, code) in all {
            assert_eq!(exit.code(), code, "{exit:?}");
        }
    }

    #[test]
    fn api_statuses_map_to_their_codes() {
        assert_eq!(of_api(&api(401, b"")), Exit::Auth);
        assert_eq!(
            of_api(&api(403, b"Invalid CSRF token")),
            Exit::Auth,
            "CSRF is an authentication failure"
        );
        assert_eq!(
            of_api(&api(403, br#"{"message":"no permission"}"#)),
            Exit::Rejected
        );
        assert_eq!(of_api(&api(404, b"")), Exit::NotFound);
        for status in [400, 409, 422] {
            assert_eq!(of_api(&api(status, b"")), Exit::Rejected, "{status}");
        }
        for status in [500, 502, 503, 504] {
            assert_eq!(of_api(&api(status, b"")), Exit::Unavailable, "{status}");
        }
        assert_eq!(of_api(&api(429, b"")), Exit::Unavailable);
        assert_eq!(of_api(&api(302, b"")), Exit::Failure);
        assert_eq!(
            of_api(&ApiError::InvalidArgument("bad".into())),
            Exit::Usage
        );
        assert_eq!(
            of_api(&ApiError::VariableTruncated { name: "x".into() }),
            Exit::Failure
        );
    }

    #[test]
    fn auth_failures_map_by_cause() {
        let refused = AuthError::TokenEndpoint {
            url: "http://127.0.0.1/oauth/token".into(),
            status: 401,
            code: "invalid_client".into(),
            description: None,
        };
        assert_eq!(of_auth(&refused), Exit::Auth);
        let down = AuthError::TokenResponse {
            url: "u".into(),
            status: 503,
            detail: String::new(),
        };
        assert_eq!(of_auth(&down), Exit::Unavailable);
        let login = AuthError::Login {
            url: "u".into(),
            status: 401,
            message: "refused".into(),
        };
        assert_eq!(of_auth(&login), Exit::Auth);
        let backing_off = AuthError::BackingOff {
            last: Box::new(down),
            retry_in: std::time::Duration::from_secs(1),
        };
        assert_eq!(of_auth(&backing_off), Exit::Unavailable);
        let insecure = AuthError::InsecureHttp {
            what: "the password",
            host: "example".into(),
        };
        assert_eq!(of_auth(&insecure), Exit::Usage);

        let wrapped = ApiError::Transport(TransportError::auth(refused));
        assert_eq!(of_api(&wrapped), Exit::Auth);
    }

    #[test]
    fn transport_failures_are_unavailable() {
        let timeout = TransportError::Timeout {
            target: "GET http://127.0.0.1/v1/tasks/1".into(),
            after: std::time::Duration::from_secs(1),
        };
        assert_eq!(of_transport(&timeout), Exit::Unavailable);
        let connect = TransportError::Connect {
            target: "POST http://127.0.0.1:1/v1/tasks/search".into(),
            source: "refused".into(),
        };
        assert_eq!(of_api(&ApiError::Transport(connect)), Exit::Unavailable);
    }

    /// The anchor GitHub gives a Markdown heading: lower case, punctuation but `-` and `_`
    /// dropped, spaces as `-`.
    fn anchor(heading: &str) -> String {
        heading
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
            .map(|c| if c == ' ' { '-' } else { c })
            .collect()
    }

    #[test]
    fn every_exit_code_has_its_section_of_the_troubleshooting_page() {
        let page = include_str!("../../../docs/troubleshooting.md");
        let sections: Vec<String> = page
            .lines()
            .filter_map(|l| l.strip_prefix("## Exit code "))
            .map(|rest| anchor(&format!("Exit code {rest}")))
            .collect();
        let all = [
            Exit::Failure,
            Exit::Usage,
            Exit::Auth,
            Exit::NotFound,
            Exit::Rejected,
            Exit::Unavailable,
        ];
        for exit in all {
            let wanted = exit.troubleshooting_anchor().unwrap();
            assert!(
                wanted.starts_with(&format!("exit-code-{}-", exit.code())),
                "{wanted}"
            );
            assert!(
                sections.iter().any(|s| s == wanted),
                "docs/troubleshooting.md has no `## Exit code …` heading whose anchor is \
                 {wanted}; it has {sections:?}"
            );
        }
        assert_eq!(
            sections.len(),
            all.len(),
            "one section per exit code: {sections:?}"
        );
        assert_eq!(Exit::Success.troubleshooting(), None);
        assert_eq!(
            Exit::NotFound.troubleshooting().unwrap(),
            "https://github.com/tasklist-rs/tasklist-rs/blob/main/docs/troubleshooting.md\
             #exit-code-4-not-found"
        );
    }
}
