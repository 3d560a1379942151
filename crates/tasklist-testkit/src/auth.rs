//! Authentication: the OAuth 2.0 token endpoint, cookie login and logout, HTTP Basic, and the
//! middleware that admits API requests only with the credentials of the configured
//! [`AuthMode`].
//!
//! # What the real servers answer (the facts imitated here)
//!
//! Tasklist 8.7 (`tasklist/webapp/.../security/BaseWebConfigurer.java`, `TasklistURIs.java`,
//! `oauth/OAuth2WebConfigurer.java`, `CsrfRequireMatcher.java` in `camunda/camunda`):
//! - form login at `POST /api/login` (`LOGIN_RESOURCE`), session cookie `TASKLIST-SESSION`
//!   (`COOKIE_JSESSIONID`); `username` and `password` are request parameters, so a form body
//!   or the query string (Camunda's guide logs in with `curl -X POST
//!   'http://localhost:8080/api/login?username=demo&password=demo' --cookie-jar cookie.txt`);
//!   success is `204` with the `X-CSRF-TOKEN` header when CSRF prevention is on, and the token
//!   also as the HttpOnly cookie `X-CSRF-TOKEN` (its `CookieCsrfTokenRepository` is named
//!   after the header); failure and every unauthenticated request get `401` with
//!   `{"message": ...}` (`sendJSONErrorMessage`), whose message is empty unless the server runs
//!   its `dev` profile (`TasklistProfileServiceImpl.getMessageByProfileFor`); `/login` is
//!   merely an authenticated path, so posting to it unauthenticated is a `401` too;
//! - logout at `POST /api/logout`: `204`, session invalidated, cookies deleted;
//! - bearer-token failures: `401` with `{"message": <Spring's message>}`, e.g.
//!   `An error occurred while attempting to decode the Jwt: Jwt expired at ...`, and
//!   `JWT payload validation failed` for a token of another audience;
//! - CSRF: required on cookie-authenticated requests other than `GET`/`HEAD`/`TRACE`/`OPTIONS`,
//!   except login/logout and requests with a `Bearer` authorization, as the `X-CSRF-TOKEN`
//!   header or, in its absence, Spring's `_csrf` request parameter (query string or form body;
//!   `CsrfTokenRequestAttributeHandler.resolveCsrfTokenValue`); failure is `403` with
//!   `{"error": "Access denied due to invalid CSRF token."}` (`csrfHandler`).
//!
//! Camunda 8.8 (`authentication/.../config/WebSecurityConfig.java`, `handler/AuthFailureHandler.java`
//! and `config/AudienceValidator.java`):
//! - form login at `POST /login`, logout at `POST /logout` (`LOGIN_URL`, `LOGOUT_URL`), session
//!   cookie `camunda-session`; `/api/**` and `/v1/**` are API paths, so `POST /api/login`
//!   unauthenticated is a `401`;
//! - HTTP Basic on the API paths;
//! - every authentication failure is an RFC 9457 problem
//!   `{"type":"about:blank","title":"Unauthorized","status":401,"detail":<exception message>,
//!   "instance":<request path>}` as `application/problem+json`; Spring's messages are
//!   `Full authentication is required to access this resource` (no credentials) and
//!   `Bad credentials`; a token of another audience gets
//!   `... Token audiences are [x], expected at least one of [y]`;
//! - a CSRF failure by an authenticated session is a **`401`** (not `403`: `AuthFailureHandler`
//!   lacks a `return` after its 403 branch; FACTS §6, §7.3) with the same problem shape whose
//!   detail is Spring's `Invalid CSRF Token '<sent>' was found on the request parameter '_csrf'
//!   or header 'X-CSRF-TOKEN'.`; the token is checked on every non-GET request, searches
//!   (`POST .../search`) included, on v1 and v2 alike; 8.9 and 8.10 behave as 8.8.
//!
//! The token endpoint takes its parameters as a form (RFC 6749; also without a content type) or
//! as a JSON object (Auth0's and Camunda SaaS's examples); any other content type is a `400
//! invalid_request`.
//!
//! Differences, on purpose: the CSRF token is kept with the session, not read back from the
//! cookie (a client that drops the `X-CSRF-TOKEN` cookie but sends the header is accepted), and
//! it is not masked per response (Spring 6's `XorCsrfTokenRequestAttributeHandler` sends a
//! freshly masked value each time; the raw cookie value would not validate there); tokens are checked without Spring's 60 s clock skew (an expired
//! token is refused at once); revoking tokens rotates the signing key, so revoked tokens get
//! the bad-signature message; each [`AuthMode`] accepts only its own credentials (the real 8.8
//! server with Basic also accepts a login session).

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::json;

use crate::config::{AuthMode, Profile};
use crate::state::AppState;

/// The header carrying the CSRF token, in both directions (`X_CSRF_TOKEN`).
pub(crate) const CSRF_HEADER: &str = "X-CSRF-TOKEN";

/// Spring's request parameter that may carry the CSRF token in place of the header
/// (`CsrfToken.getParameterName()`, `DEFAULT_CSRF_PARAMETER_NAME`).
pub(crate) const CSRF_PARAMETER: &str = "_csrf";

/// The path of the token endpoint.
pub(crate) const TOKEN_PATH: &str = "/oauth/token";

/// The same token endpoint where a self-managed Keycloak serves it (Camunda's realm, with
/// and without the `/auth` prefix of older Keycloak releases), so that Keycloak examples run
/// unchanged.
pub(crate) const KEYCLOAK_TOKEN_PATHS: [&str; 2] = [
    "/auth/realms/camunda-platform/protocol/openid-connect/token",
    "/realms/camunda-platform/protocol/openid-connect/token",
];

/// Who made an API request, as established by the authentication middleware. API handlers read
/// it as `Option<axum::Extension<Caller>>`; a missing one means anonymous.
///
/// ```
/// use tasklist_testkit::{Caller, CallerKind};
///
/// let caller = Caller::anonymous();
/// assert_eq!(caller.kind, CallerKind::Anonymous);
/// assert!(caller.username.is_none());
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The user name of a session or Basic caller; the client id (`sub`) of a bearer token;
    /// `None` when anonymous.
    pub username: Option<String>,
    /// How the caller authenticated.
    pub kind: CallerKind,
}

impl Caller {
    /// A caller without credentials (the `none` auth mode).
    ///
    /// ```
    /// use tasklist_testkit::Caller;
    /// assert_eq!(Caller::anonymous().username, None);
    /// ```
    pub fn anonymous() -> Self {
        Caller {
            username: None,
            kind: CallerKind::Anonymous,
        }
    }

    /// A caller of `kind` named `username`.
    ///
    /// ```
    /// use tasklist_testkit::{Caller, CallerKind};
    /// let caller = Caller::new(CallerKind::Session, "demo");
    /// assert_eq!(caller.username.as_deref(), Some("demo"));
    /// ```
    pub fn new(kind: CallerKind, username: impl Into<String>) -> Self {
        Caller {
            username: Some(username.into()),
            kind,
        }
    }
}

/// How a [`Caller`] authenticated.
///
/// ```
/// use tasklist_testkit::CallerKind;
/// assert_ne!(CallerKind::Jwt, CallerKind::Session);
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallerKind {
    /// A bearer JWT from the token endpoint (an API client, not a user).
    Jwt,
    /// A cookie session from the login endpoint (a user).
    Session,
    /// HTTP Basic (a user).
    Basic,
    /// No authentication.
    Anonymous,
}

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
fn json_response(status: StatusCode, content_type: &'static str, body: String) -> Response {
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// The token endpoint (always at the root, whatever the base path), also at Keycloak's paths.
pub(crate) fn token_router() -> Router<AppState> {
    KEYCLOAK_TOKEN_PATHS.iter().fold(
        Router::new().route(TOKEN_PATH, post(token)),
        |router, path| router.route(path, post(token)),
    )
}

/// The login and logout endpoints (both profiles' paths; the handlers answer for the other
/// profile's path as that profile's server does), served under the base path.
pub(crate) fn session_router() -> Router<AppState> {
    Router::new()
        .route("/api/login", post(login))
        .route("/login", post(login))
        .route("/api/logout", post(logout))
        .route("/logout", post(logout))
}

// ---------------------------------------------------------------------------------------------
// The token endpoint.
// ---------------------------------------------------------------------------------------------

/// An RFC 6749 section 5.2 error response.
fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    let body = json!({ "error": error, "error_description": description });
    let mut response = json_response(status, "application/json", body.to_string());
    no_store(response.headers_mut());
    response
}

/// `Cache-Control: no-store` and `Pragma: no-cache`, required on token responses (RFC 6749
/// section 5.1).
fn no_store(headers: &mut HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

/// The parameters of a token request: a form (RFC 6749 section 4.4.2; also when the request
/// names no content type) or a JSON object of strings (what Auth0 and Camunda SaaS's token
/// examples send: `curl -X POST -H 'content-type: application/json' --data '{"client_id":
/// ..., "client_secret": ..., "audience": ..., "grant_type": "client_credentials"}'`). Any
/// other content type is refused. `Err` carries the `error_description` of the
/// `invalid_request` answer.
fn token_params(headers: &HeaderMap, body: &[u8]) -> Result<HashMap<String, String>, String> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap_or_default().trim().to_ascii_lowercase());
    let media_type = content_type
        .as_deref()
        .map(|v| v.split(';').next().unwrap_or_default().trim());
    match media_type {
        None | Some("application/x-www-form-urlencoded") => {
            let mut params = HashMap::new();
            for (name, value) in url::form_urlencoded::parse(body) {
                if params.contains_key(name.as_ref()) {
                    // RFC 6749 section 3.2: parameters must not be included more than once.
                    return Err(format!("Duplicate parameter: {name}"));
                }
                params.insert(name.into_owned(), value.into_owned());
            }
            Ok(params)
        }
        Some(json) if json == "application/json" || json.ends_with("+json") => {
            let invalid =
                || "The request body is not a JSON object of string parameters".to_owned();
            let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| invalid())?;
            let object = value.as_object().ok_or_else(invalid)?;
            let mut params = HashMap::new();
            for (name, value) in object {
                match value {
                    serde_json::Value::String(s) => {
                        params.insert(name.clone(), s.clone());
                    }
                    serde_json::Value::Null => {}
                    _ => return Err(invalid()),
                }
            }
            Ok(params)
        }
        Some(other) => Err(format!(
            "Unsupported content type '{other}': send application/x-www-form-urlencoded or \
             application/json"
        )),
    }
}

/// The client credentials of an `Authorization: Basic` header (RFC 6749 section 2.3.1: both
/// parts form-urlencoded), `Ok(None)` without one.
fn basic_client(headers: &HeaderMap) -> Result<Option<(String, String)>, ()> {
    let Some((user, password)) = basic_credentials(headers)? else {
        return Ok(None);
    };
    let decode = |s: &str| -> String {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Ok(Some((decode(&user), decode(&password))))
}

/// The user and password of an `Authorization: Basic` header; `Ok(None)` without a Basic
/// header, `Err` for a malformed one.
fn basic_credentials(headers: &HeaderMap) -> Result<Option<(String, String)>, ()> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| ())?;
    let Some((scheme, encoded)) = value.trim().split_once(' ') else {
        return Ok(None);
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Ok(None);
    }
    let decoded = BASE64.decode(encoded.trim()).map_err(|_| ())?;
    let decoded = String::from_utf8(decoded).map_err(|_| ())?;
    let (user, password) = decoded.split_once(':').ok_or(())?;
    Ok(Some((user.to_owned(), password.to_owned())))
}

/// `POST /oauth/token`: the `client_credentials` grant.
async fn token(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let config = state.config();
    let params = match token_params(&headers, &body) {
        Ok(params) => params,
        Err(description) => {
            return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", &description);
        }
    };
    match params.get("grant_type").map(String::as_str) {
        None | Some("") => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "Missing parameter: grant_type",
            );
        }
        Some("client_credentials") => {}
        Some(other) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                &format!("Unsupported grant_type: {other}"),
            );
        }
    }
    let basic = match basic_client(&headers) {
        Ok(basic) => basic,
        Err(()) => {
            return invalid_client(true, "Malformed HTTP Basic client authentication");
        }
    };
    let body_id = params.get("client_id").cloned();
    let body_secret = params.get("client_secret").cloned();
    let (client_id, client_secret, via_basic) = match (basic, body_id, body_secret) {
        (Some(_), _, Some(_)) => {
            // RFC 6749 section 2.3: a client must not use more than one method.
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "The client authenticated with more than one method",
            );
        }
        (Some((id, _)), Some(body_id), None) if body_id != id => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "client_id in the body does not match the HTTP Basic client",
            );
        }
        (Some((id, secret)), _, None) => (id, secret, true),
        (None, Some(id), Some(secret)) => (id, secret, false),
        (None, _, _) => {
            return invalid_client(false, "Client authentication required");
        }
    };
    let Some(client) = config
        .client(&client_id)
        .filter(|c| c.client_secret == client_secret)
    else {
        return invalid_client(via_basic, "Invalid client or Invalid client credentials");
    };
    // `audience` (Auth0, Camunda's Identity) or `resource` (RFC 8707) names the API.
    let requested = params
        .get("audience")
        .or_else(|| params.get("resource"))
        .filter(|a| !a.is_empty());
    if let Some(requested) = requested
        && requested != &client.audience
    {
        // RFC 8707 section 2: `invalid_target` for a resource the client may not use.
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_target",
            &format!("The audience '{requested}' is not allowed for this client"),
        );
    }
    let lifetime = config.token_lifetime;
    let access_token =
        match state
            .auth()
            .mint(config, &client.client_id, &client.audience, lifetime)
        {
            Ok(token) => token,
            Err(e) => {
                tracing::error!(error = %e, "cannot sign a token");
                return oauth_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "server_error",
                    "The token could not be signed",
                );
            }
        };
    let mut expires_in = lifetime.as_secs();
    if lifetime.subsec_nanos() > 0 {
        expires_in += 1;
    }
    let body = json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": expires_in,
    });
    let mut response = json_response(StatusCode::OK, "application/json", body.to_string());
    no_store(response.headers_mut());
    response
}

/// `401 invalid_client`, with a `WWW-Authenticate` challenge when the client tried HTTP Basic
/// (RFC 6749 section 5.2).
fn invalid_client(via_basic: bool, description: &str) -> Response {
    let mut response = oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", description);
    if via_basic {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"tasklist-testkit\""),
        );
    }
    response
}

// ---------------------------------------------------------------------------------------------
// Cookie login and logout.
// ---------------------------------------------------------------------------------------------

/// The value of cookie `name` in the request's `Cookie` headers.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.trim_matches('"').to_owned())
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

// ---------------------------------------------------------------------------------------------
// The API middleware.
// ---------------------------------------------------------------------------------------------

/// The bearer token of the `Authorization` header, if it has one.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; TASKLIST-SESSION=abc; X-CSRF-TOKEN=t"),
        );
        assert_eq!(cookie(&headers, "TASKLIST-SESSION").as_deref(), Some("abc"));
        assert_eq!(cookie(&headers, "camunda-session"), None);
    }

    #[test]
    fn basic_client_credentials_are_form_decoded() {
        let mut headers = HeaderMap::new();
        let encoded = BASE64.encode("my%20client:s%3Acret");
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(&format!("Basic {encoded}")).unwrap(),
        );
        assert_eq!(
            basic_client(&headers),
            Ok(Some(("my client".to_owned(), "s:cret".to_owned())))
        );
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic !!!"));
        assert_eq!(basic_client(&headers), Err(()));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer x"));
        assert_eq!(basic_client(&headers), Ok(None));
    }
}
