//! Cookie login and logout: the profile's login path creates a session (with its CSRF token
//! when CSRF protection is on), logout ends it.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use super::headers::cookie;
use super::responses::{AuthFailure, CSRF_HEADER, unauthorized};
use crate::config::{AuthMode, Profile};
use crate::state::AppState;

/// The login and logout endpoints (both profiles' paths; the handlers answer for the other
/// profile's path as that profile's server does), served under the base path.
pub(crate) fn session_router() -> Router<AppState> {
    Router::new()
        .route("/api/login", post(login))
        .route("/login", post(login))
        .route("/api/logout", post(logout))
        .route("/logout", post(logout))
}

/// A `Set-Cookie` header value.
fn set_cookie(name: &str, value: &str, http_only: bool, delete: bool) -> Option<HeaderValue> {
    let mut text = format!("{name}={value}; Path=/; SameSite=Lax");
    if http_only {
        text.push_str("; HttpOnly");
    }
    if delete {
        text.push_str("; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
    }
    HeaderValue::from_str(&text).ok()
}

/// The request parameters Spring reads with `request.getParameter(name)`: the query string's
/// first, then those of a form body (`application/x-www-form-urlencoded`, or no content type);
/// the first value of a name wins.
fn request_params(
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Vec<(String, String)> {
    let mut params: Vec<(String, String)> =
        url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    if is_form(headers) {
        params.extend(url::form_urlencoded::parse(body).into_owned());
    }
    params
}

/// Whether a request's body is a form for Spring's parameters: `application/x-www-form-urlencoded`
/// (or no content type, for lenience).
fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap_or_default().trim().to_ascii_lowercase())
        .is_none_or(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// The first value of parameter `name`.
fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// `POST /api/login` or `POST /login`: `username` and `password` as request parameters, from a
/// form body or the query string (Spring's `UsernamePasswordAuthenticationFilter` reads
/// `request.getParameter`, so Camunda's guide example `curl -X POST
/// 'http://localhost:8080/api/login?username=demo&password=demo' --cookie-jar cookie.txt`
/// logs in too).
async fn login(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let config = state.config();
    let profile = config.profile;
    let path = uri.path();
    if path != profile.login_path() {
        // The other profile's login path is a protected path of this one.
        return unauthorized(profile, path, &AuthFailure::Missing);
    }
    let params = request_params(&uri, &headers, &body);
    let username = param(&params, "username").unwrap_or_default();
    let password = param(&params, "password").unwrap_or_default();
    let Some(user) = config.user(username, password) else {
        tracing::debug!(%username, "login refused");
        return unauthorized(profile, path, &AuthFailure::BadCredentials);
    };
    let auth = state.auth();
    // Like Spring's session fixation protection, a login replaces the session it came with.
    if let Some(old) = cookie(&headers, profile.session_cookie()) {
        auth.remove_session(&old);
    }
    let csrf = matches!(config.auth, AuthMode::Cookie { csrf: true });
    let (id, token) = auth.create_session(&user.username, csrf);
    let mut response = StatusCode::NO_CONTENT.into_response();
    let response_headers = response.headers_mut();
    if let Some(value) = set_cookie(profile.session_cookie(), &id, true, false) {
        response_headers.append(header::SET_COOKIE, value);
    }
    if let Some(token) = token {
        // 8.7 keeps its CSRF cookie HttpOnly; 8.8 lets scripts read it.
        let http_only = matches!(profile, Profile::V8_7);
        if let Some(value) = set_cookie(CSRF_HEADER, &token, http_only, false) {
            response_headers.append(header::SET_COOKIE, value);
        }
        if let Ok(value) = HeaderValue::from_str(&token) {
            response_headers.insert(CSRF_HEADER, value);
        }
    }
    response
}

/// `POST /api/logout` or `POST /logout`: ends the session, `204`.
async fn logout(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    let config = state.config();
    let profile = config.profile;
    let path = uri.path();
    if path != profile.logout_path() {
        return unauthorized(profile, path, &AuthFailure::Missing);
    }
    if let Some(id) = cookie(&headers, profile.session_cookie()) {
        state.auth().remove_session(&id);
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    let response_headers = response.headers_mut();
    for name in [profile.session_cookie(), CSRF_HEADER] {
        if let Some(value) = set_cookie(name, "", true, true) {
            response_headers.append(header::SET_COOKIE, value);
        }
    }
    response
}
