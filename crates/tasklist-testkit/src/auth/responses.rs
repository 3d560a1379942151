//! What the server answers a request it does not admit: the profile's `401` for missing or bad
//! credentials and its CSRF rejection.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::config::Profile;

/// The header carrying the CSRF token, in both directions (`X_CSRF_TOKEN`).
pub(super) const CSRF_HEADER: &str = "X-CSRF-TOKEN";

/// Why a request was not authenticated; decides the 401 body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AuthFailure {
    /// No credentials of the accepted kind (or an unknown, expired or revoked session).
    Missing,
    /// Wrong user name or password (login form or Basic).
    BadCredentials,
    /// A bearer token was refused; Spring's message.
    Token(String),
}

impl AuthFailure {
    /// The message `profile` puts in the 401 body.
    fn message(&self, profile: Profile) -> String {
        match (self, profile) {
            (AuthFailure::Token(message), _) => message.clone(),
            // 8.7 outside its `dev` profile sends an empty message (see the module docs).
            (AuthFailure::Missing | AuthFailure::BadCredentials, Profile::V8_7) => String::new(),
            (AuthFailure::BadCredentials, _) => "Bad credentials".to_owned(),
            (AuthFailure::Missing, _) => {
                "Full authentication is required to access this resource".to_owned()
            }
        }
    }
}

/// The `401` that `profile` answers for `failure` on a request to `path`.
pub(crate) fn unauthorized(profile: Profile, path: &str, failure: &AuthFailure) -> Response {
    let message = failure.message(profile);
    match profile {
        Profile::V8_7 => json_response(
            StatusCode::UNAUTHORIZED,
            "application/json;charset=UTF-8",
            json!({ "message": message }).to_string(),
        ),
        _ => problem(StatusCode::UNAUTHORIZED, &message, path),
    }
}

/// The `403` that `profile` answers for a missing or wrong CSRF token (`sent`).
pub(crate) fn csrf_rejected(profile: Profile, path: &str, sent: Option<&str>) -> Response {
    match profile {
        // The exact text, spacing included, of Tasklist 8.7's `csrfHandler`.
        Profile::V8_7 => json_response(
            StatusCode::FORBIDDEN,
            "application/json;charset=UTF-8",
            "{\"error\": \"Access denied due to invalid CSRF token.\"}".to_owned(),
        ),
        _ => problem(StatusCode::FORBIDDEN, &csrf_detail(sent), path),
    }
}

/// What the auth middleware answers for a missing or wrong CSRF token: 8.7's `403`
/// ([`csrf_rejected`]); from 8.8 on a `401` problem with Spring's CSRF message, because
/// `AuthFailureHandler.handle()` falls through its 403 branch (origin: FACTS §6 "401 vs 403",
/// `authentication/.../handler/AuthFailureHandler.java` @ `17c9174`; FACTS §7.3).
pub(crate) fn csrf_refused(profile: Profile, path: &str, sent: Option<&str>) -> Response {
    match profile {
        Profile::V8_7 => csrf_rejected(profile, path, None),
        _ => problem(StatusCode::UNAUTHORIZED, &csrf_detail(sent), path),
    }
}

/// Spring Security's `InvalidCsrfTokenException` message.
fn csrf_detail(sent: Option<&str>) -> String {
    format!(
        "Invalid CSRF Token '{}' was found on the request parameter '_csrf' or header \
         '{CSRF_HEADER}'.",
        sent.unwrap_or("null")
    )
}

/// An RFC 9457 problem as 8.8's `AuthFailureHandler` writes it.
fn problem(status: StatusCode, detail: &str, path: &str) -> Response {
    let body = json!({
        "type": "about:blank",
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": detail,
        "instance": path,
    });
    json_response(
        status,
        "application/problem+json;charset=UTF-8",
        body.to_string(),
    )
}

/// A response with a JSON text body.
pub(super) fn json_response(
    status: StatusCode,
    content_type: &'static str,
    body: String,
) -> Response {
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}
