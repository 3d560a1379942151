//! The OAuth 2.0 token endpoint: the `client_credentials` grant with RFC 6749's errors, at
//! `/oauth/token` and at Keycloak's paths.

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::post;
use serde_json::json;

use super::headers::basic_credentials;
use super::responses::json_response;
use crate::state::AppState;

/// The path of the token endpoint.
pub(crate) const TOKEN_PATH: &str = "/oauth/token";

/// The same token endpoint where a self-managed Keycloak serves it (Camunda's realm, with
/// and without the `/auth` prefix of older Keycloak releases), so that Keycloak examples run
/// unchanged.
pub(crate) const KEYCLOAK_TOKEN_PATHS: [&str; 2] = [
    "/auth/realms/camunda-platform/protocol/openid-connect/token",
    "/realms/camunda-platform/protocol/openid-connect/token",
];

/// The token endpoint (always at the root, whatever the base path), also at Keycloak's paths.
pub(crate) fn token_router() -> Router<AppState> {
    KEYCLOAK_TOKEN_PATHS.iter().fold(
        Router::new().route(TOKEN_PATH, post(token)),
        |router, path| router.route(path, post(token)),
    )
}

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

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD as BASE64;

    use super::*;

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
