//! The transport's one error type.

use std::error::Error as StdError;
use std::time::Duration;

/// A boxed error that can cross threads, used as the source of [`Error`] variants.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Why a [`Transport`](crate::Transport) gave no usable response.
///
/// Messages name the request's method and its URL without the query string, never a header or
/// a body, so they are safe to log. The underlying cause is kept as the
/// [`source`](std::error::Error::source) chain.
///
/// # Example
///
/// ```
/// use tasklist_transport::Error;
///
/// fn advice(error: &Error) -> &'static str {
///     if error.is_connect() {
///         "is the server running? the request was not sent"
///     } else if error.is_timeout() {
///         "the server is slow; raise the timeout"
///     } else {
///         "see the error chain"
///     }
/// }
/// # let _ = advice;
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The transport could not be built from the given options.
    #[error("invalid transport configuration: {message}")]
    Config {
        /// What was wrong and what to do about it.
        message: String,
        /// The underlying cause, when there is one.
        #[source]
        source: Option<BoxError>,
    },

    /// The request could not be turned into an HTTP exchange (for example its URI has no host).
    #[error("invalid request: {message}")]
    InvalidRequest {
        /// What was wrong with the request.
        message: String,
        /// The underlying cause, when there is one.
        #[source]
        source: Option<BoxError>,
    },

    /// No connection could be made; the request was not sent, so repeating it is always safe.
    #[error("could not connect for {target}: the request was not sent")]
    Connect {
        /// Method and URL (without query) of the request.
        target: String,
        /// The underlying cause (refused, DNS failure, TLS handshake failure, ...).
        #[source]
        source: BoxError,
    },

    /// The connection could not be made within the connect timeout; the request was not sent.
    #[error("connecting for {target} timed out after {after:?}: the request was not sent")]
    ConnectTimeout {
        /// Method and URL (without query) of the request.
        target: String,
        /// The connect timeout that elapsed.
        after: Duration,
    },

    /// No complete response arrived within the total timeout.
    #[error("{target} timed out after {after:?}")]
    Timeout {
        /// Method and URL (without query) of the request.
        target: String,
        /// The total timeout that elapsed.
        after: Duration,
    },

    /// The connection failed after the request may have reached the server (reset, closed
    /// mid-body, protocol error). Repeating the request is safe only if it is idempotent.
    #[error("{target} failed while in flight; the server may have received it")]
    Network {
        /// Method and URL (without query) of the request.
        target: String,
        /// The underlying cause.
        #[source]
        source: BoxError,
    },

    /// The response body was larger than the configured limit. The body was not read past the
    /// limit.
    #[error(
        "the response to {target} is larger than the limit of {limit} bytes{}; raise \
         `HttpTransportBuilder::max_response_body_bytes` if the response is expected",
        declared.map(|d| format!(" (it declares {d} bytes)")).unwrap_or_default()
    )]
    BodyTooLarge {
        /// Method and URL (without query) of the request.
        target: String,
        /// The configured limit in bytes.
        limit: u64,
        /// The size the server declared in `Content-Length`, when it declared one.
        declared: Option<u64>,
    },

    /// The server sent more redirects than allowed, or a redirect that cannot be followed.
    #[error("redirect from {target} could not be followed: {message}")]
    Redirect {
        /// Method and URL (without query) of the request that was redirected.
        target: String,
        /// What was wrong.
        message: String,
    },

    /// A request marked [`Confidential`](crate::Confidential) would have gone over plain
    /// `http://` to a host that is not loopback, on its first hop or after a redirect. Nothing
    /// was sent there.
    #[error(
        "refusing to send {target} over plain http: it carries a secret and the host is not \
         loopback; use an https URL, or opt in to plain http if the network is trusted"
    )]
    InsecureHttp {
        /// Method and URL (without query) of the hop that was refused.
        target: String,
    },

    /// An [`Authenticator`](crate::Authenticator) could not produce credentials for the request.
    #[error("could not authenticate the request")]
    Auth {
        /// The authenticator's own error; downcast it to learn more.
        #[source]
        source: BoxError,
    },
}

impl Error {
    /// Wraps any error as [`Error::InvalidRequest`], for example one from building an
    /// [`http::Request`].
    ///
    /// ```
    /// use tasklist_transport::Error;
    /// let error = http::Request::get("http://[::1")
    ///     .body(())
    ///     .map_err(Error::invalid_request)
    ///     .unwrap_err();
    /// assert!(error.to_string().starts_with("invalid request"));
    /// ```
    pub fn invalid_request(source: impl Into<BoxError>) -> Self {
        let source = source.into();
        Error::InvalidRequest {
            message: source.to_string(),
            source: Some(source),
        }
    }

    /// Wraps an authenticator's error as [`Error::Auth`].
    ///
    /// ```
    /// use tasklist_transport::Error;
    /// let error = Error::auth(std::io::Error::other("token endpoint unreachable"));
    /// assert!(error.is_auth());
    /// ```
    pub fn auth(source: impl Into<BoxError>) -> Self {
        Error::Auth {
            source: source.into(),
        }
    }

    /// True for connect and total timeouts.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use tasklist_transport::Error;
    /// let e = Error::Timeout { target: "GET http://h/".into(), after: Duration::from_secs(1) };
    /// assert!(e.is_timeout());
    /// ```
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. } | Error::ConnectTimeout { .. })
    }

    /// True when no connection could be made, so the request never reached the server.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use tasklist_transport::Error;
    /// let e = Error::ConnectTimeout { target: "GET http://h/".into(), after: Duration::from_secs(1) };
    /// assert!(e.is_connect() && !e.was_possibly_sent());
    /// ```
    pub fn is_connect(&self) -> bool {
        matches!(self, Error::Connect { .. } | Error::ConnectTimeout { .. })
    }

    /// True when the connection failed while the request was in flight.
    ///
    /// ```
    /// # use tasklist_transport::Error;
    /// let e = Error::Network { target: "GET http://h/".into(), source: "reset".into() };
    /// assert!(e.is_network());
    /// ```
    pub fn is_network(&self) -> bool {
        matches!(self, Error::Network { .. })
    }

    /// True when the response body exceeded the configured limit.
    ///
    /// ```
    /// # use tasklist_transport::Error;
    /// let e = Error::BodyTooLarge { target: "GET http://h/".into(), limit: 10, declared: None };
    /// assert!(e.is_body_too_large());
    /// ```
    pub fn is_body_too_large(&self) -> bool {
        matches!(self, Error::BodyTooLarge { .. })
    }

    /// True when an [`Authenticator`](crate::Authenticator) failed.
    ///
    /// ```
    /// # use tasklist_transport::Error;
    /// assert!(Error::auth("no token").is_auth());
    /// ```
    pub fn is_auth(&self) -> bool {
        matches!(self, Error::Auth { .. })
    }

    /// True for transient failures that may succeed when tried again: connection failures,
    /// timeouts and in-flight network errors. Whether a retry is *safe* also depends on the
    /// request (see [`Idempotency`](crate::Idempotency)); [`Retry`](crate::Retry) checks both.
    ///
    /// ```
    /// # use tasklist_transport::Error;
    /// assert!(Error::Network { target: "GET http://h/".into(), source: "reset".into() }.is_retryable());
    /// assert!(!Error::auth("bad secret").is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        self.is_connect() || self.is_timeout() || self.is_network()
    }

    /// False only when the request certainly did not reach the server.
    ///
    /// ```
    /// # use tasklist_transport::Error;
    /// let e = Error::Connect { target: "GET http://h/".into(), source: "refused".into() };
    /// assert!(!e.was_possibly_sent());
    /// ```
    pub fn was_possibly_sent(&self) -> bool {
        !matches!(
            self,
            Error::Connect { .. }
                | Error::ConnectTimeout { .. }
                | Error::Config { .. }
                | Error::InvalidRequest { .. }
                | Error::InsecureHttp { .. }
                | Error::Auth { .. }
        )
    }

    #[cfg_attr(not(feature = "http"), allow(dead_code))]
    pub(crate) fn config(message: impl Into<String>, source: Option<BoxError>) -> Self {
        Error::Config {
            message: message.into(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_too_large_message_mentions_declared_size_and_the_remedy() {
        let e = Error::BodyTooLarge {
            target: "GET http://h/x".into(),
            limit: 10,
            declared: Some(99),
        };
        let text = e.to_string();
        assert!(text.contains("limit of 10 bytes"), "{text}");
        assert!(text.contains("declares 99 bytes"), "{text}");
        assert!(text.contains("max_response_body_bytes"), "{text}");
    }

    #[test]
    fn source_chain_is_kept() {
        let e = Error::Network {
            target: "GET http://h/x".into(),
            source: Box::new(std::io::Error::other("connection reset")),
        };
        let source = std::error::Error::source(&e).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("connection reset"));
    }

    #[test]
    fn only_unsent_failures_are_known_unsent() {
        let refused = Error::Connect {
            target: "t".into(),
            source: "refused".into(),
        };
        let reset = Error::Network {
            target: "t".into(),
            source: "reset".into(),
        };
        assert!(!refused.was_possibly_sent());
        assert!(reset.was_possibly_sent());
        assert!(refused.is_retryable() && reset.is_retryable());
    }
}
