//! The middleware in front of the API routes: admits a request only with the credentials of
//! the configured [`AuthMode`](crate::AuthMode), checks the CSRF token of cookie sessions, and
//! hands the [`Caller`] to the handlers.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;

use super::caller::{Caller, CallerKind};
use super::headers::{basic_credentials, bearer, cookie};
use super::responses::{AuthFailure, CSRF_HEADER, csrf_refused, unauthorized};
use crate::config::AuthMode;
use crate::state::AppState;

/// Spring's request parameter that may carry the CSRF token in place of the header
/// (`CsrfToken.getParameterName()`, `DEFAULT_CSRF_PARAMETER_NAME`).
pub(crate) const CSRF_PARAMETER: &str = "_csrf";

/// Whether Spring's CSRF protection lets `method` through without a token.
fn is_safe(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::TRACE | Method::OPTIONS
    )
}

/// The middleware in front of the API routes: establishes the [`Caller`] or answers 401/403.
pub(crate) async fn require(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let config = state.config();
    let profile = config.profile;
    let path = request.uri().path().to_owned();
    let path = path.as_str();
    let mut csrf_to_echo = None;
    let caller = match config.auth {
        AuthMode::None => Caller::anonymous(),
        AuthMode::OAuth => {
            let Some(token) = bearer(request.headers()) else {
                return unauthorized(profile, path, &AuthFailure::Missing);
            };
            match state.auth().validate(config, token) {
                Ok(claims) => Caller::new(CallerKind::Jwt, claims.sub),
                Err(message) => {
                    tracing::debug!(%message, "bearer token refused");
                    return unauthorized(profile, path, &AuthFailure::Token(message));
                }
            }
        }
        AuthMode::Basic => match basic_credentials(request.headers()) {
            Ok(Some((user, password))) => match config.user(&user, &password) {
                Some(user) => Caller::new(CallerKind::Basic, user.username.clone()),
                None => return unauthorized(profile, path, &AuthFailure::BadCredentials),
            },
            Ok(None) => return unauthorized(profile, path, &AuthFailure::Missing),
            Err(()) => return unauthorized(profile, path, &AuthFailure::BadCredentials),
        },
        AuthMode::Cookie { csrf } => {
            let session = cookie(request.headers(), profile.session_cookie())
                .and_then(|id| state.auth().session(config, &id));
            let Some(session) = session else {
                return unauthorized(profile, path, &AuthFailure::Missing);
            };
            if csrf {
                let method = request.method().clone();
                let exempt = is_safe(&method) || bearer(request.headers()).is_some();
                if !exempt {
                    let (checked, sent) = csrf_sent(request).await;
                    request = checked;
                    if sent.is_none() || sent.as_deref() != session.csrf.as_deref() {
                        tracing::debug!("CSRF token missing or wrong");
                        return csrf_refused(profile, path, sent.as_deref());
                    }
                }
                // Authenticated GETs carry the token back (`addCSRFTokenWhenAvailable`).
                if method == Method::GET {
                    csrf_to_echo = session.csrf.clone();
                }
            }
            Caller::new(CallerKind::Session, session.username)
        }
    };
    request.extensions_mut().insert(caller);
    let mut response = next.run(request).await;
    if let Some(token) = csrf_to_echo
        && let Ok(value) = HeaderValue::from_str(&token)
    {
        response.headers_mut().insert(CSRF_HEADER, value);
    }
    response
}

/// The largest form body read for its `_csrf` parameter.
const MAX_CSRF_FORM: usize = 1024 * 1024;

/// The CSRF token a request carries, as Spring's `CsrfTokenRequestAttributeHandler` resolves
/// it: the `X-CSRF-TOKEN` header, else the `_csrf` request parameter (query string, then a form
/// body). Returns the request (its body put back if it was read) and the token.
async fn csrf_sent(request: Request) -> (Request, Option<String>) {
    if let Some(sent) = request
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
    {
        let sent = sent.to_owned();
        return (request, Some(sent));
    }
    let query = url::form_urlencoded::parse(request.uri().query().unwrap_or_default().as_bytes())
        .find(|(name, _)| name == CSRF_PARAMETER)
        .map(|(_, value)| value.into_owned());
    if query.is_some() {
        return (request, query);
    }
    let form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim()
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
    if !form {
        return (request, None);
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_CSRF_FORM)
        .await
        .unwrap_or_default();
    let sent = url::form_urlencoded::parse(&bytes)
        .find(|(name, _)| name == CSRF_PARAMETER)
        .map(|(_, value)| value.into_owned());
    (
        Request::from_parts(parts, axum::body::Body::from(bytes)),
        sent,
    )
}
