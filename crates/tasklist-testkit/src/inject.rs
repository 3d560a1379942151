//! Fault injection and request counters: one middleware in front of every route.
//!
//! Every request is first counted under its [`Route`]; then the global latency (if any) is
//! waited; then, if a fault is pending for the route, the fault decides the answer. Faults are
//! queued per route with [`ServerHandle::fail_next`](crate::ServerHandle::fail_next) and each
//! one is used up by one request.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::faults::{CommandKind, Fault, Route};
use crate::state::AppState;

/// The most a response body is read into memory by the faults that rewrite a real answer.
const MAX_REWRITTEN_BODY: usize = 64 * 1024 * 1024;

/// The middleware: counts, delays, injects.
pub(crate) async fn middleware(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let full_path = request.uri().path().to_owned();
    let relative = relative_path(&state.config().base_path, &full_path).to_owned();
    let route = Route::of(request.method(), &relative);
    let faults = state.faults();
    faults.count(route);
    if let Some(kind) = CommandKind::of(route)
        && let Some(key) = task_key(&relative)
    {
        state.v2().count_command(key, kind);
    }
    let latency = faults.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let Some(fault) = faults.take(route) else {
        return next.run(request).await;
    };
    tracing::debug!(?route, ?fault, "injecting a fault");
    let profile = state.config().profile;
    let path = full_path;
    match fault {
        Fault::Status401 => {
            crate::auth::unauthorized(profile, &path, &crate::auth::AuthFailure::Missing)
        }
        Fault::Csrf403 => crate::auth::csrf_rejected(profile, &path, None),
        Fault::CsrfRefused => crate::auth::csrf_refused(profile, &path, None),
        Fault::TooManyRequests { retry_after } => with_retry_after(
            crate::errors::api_error(profile, StatusCode::TOO_MANY_REQUESTS, "Too Many Requests"),
            retry_after,
        ),
        Fault::Unavailable { retry_after } => with_retry_after(
            crate::errors::api_error(
                profile,
                StatusCode::SERVICE_UNAVAILABLE,
                "Service Unavailable",
            ),
            retry_after,
        ),
        Fault::Internal500 => crate::errors::api_error(
            profile,
            StatusCode::INTERNAL_SERVER_ERROR,
            crate::errors::UNEXPECTED,
        ),
        Fault::Latency(extra) | Fault::ListenerHold(extra) => {
            tokio::time::sleep(extra).await;
            next.run(request).await
        }
        Fault::ListenerDenied => {
            let key = task_key(&relative).unwrap_or("");
            let intent = match CommandKind::of(route) {
                Some(CommandKind::Complete) => "COMPLETE",
                Some(CommandKind::Update) => "UPDATE",
                _ => "ASSIGN",
            };
            crate::v2::problems::Problem::invalid_state(crate::v2::problems::rejected(
                intent,
                "INVALID_STATE",
                &format!("Command on user task with key '{key}' was denied by a task listener"),
            ))
            .into_response(&path)
        }
        Fault::ListenerTimeout { applied } => {
            if applied {
                let response = next.run(request).await;
                if !response.status().is_success() {
                    return response;
                }
            }
            crate::v2::problems::Problem::deadline_exceeded().into_response(&path)
        }
        Fault::ProxyHtml504 => crate::v2::problems::proxy_html_504(),
        Fault::CloseMidBody => {
            let (parts, body) = collect(next.run(request).await).await;
            close_mid_body(parts, body)
        }
        Fault::TruncatedJson => {
            let (parts, body) = collect(next.run(request).await).await;
            let keep = body.len() / 2;
            rebuilt(parts, body.slice(..keep))
        }
        Fault::MalformedJson => {
            let (parts, _) = collect(next.run(request).await).await;
            json_rebuilt(parts, Bytes::from_static(br#"{"id": "1", "name": oops}"#))
        }
        Fault::Oversized(total) => {
            let (parts, body) = collect(next.run(request).await).await;
            oversized(parts, body, total)
        }
        Fault::WrongTypeJson => {
            let (parts, body) = collect(next.run(request).await).await;
            let replacement: &'static [u8] = if body.trim_ascii_start().starts_with(b"[") {
                br#"{"unexpected": "object"}"#
            } else {
                br#"["unexpected", "array"]"#
            };
            json_rebuilt(parts, Bytes::from_static(replacement))
        }
    }
}

/// The task id or key of a task path (`/v1/tasks/{id}/...`, `/v2/user-tasks/{key}/...`): its
/// third segment.
fn task_key(relative: &str) -> Option<&str> {
    relative.trim_start_matches('/').split('/').nth(2)
}

/// `full_path` without the configured base path; outside the base path only the token
/// endpoint is served, so any other path there maps to `/` (a route of its own: `Other`).
fn relative_path<'a>(base: &str, full_path: &'a str) -> &'a str {
    let base = base.trim_end_matches('/');
    if base.is_empty() {
        return full_path;
    }
    match full_path.strip_prefix(base) {
        Some(rest) if rest.starts_with('/') => rest,
        _ if full_path == crate::auth::TOKEN_PATH
            || crate::auth::KEYCLOAK_TOKEN_PATHS.contains(&full_path) =>
        {
            full_path
        }
        _ => "/",
    }
}

/// Adds `Retry-After` in whole seconds, rounded up.
fn with_retry_after(mut response: Response, retry_after: Option<Duration>) -> Response {
    if let Some(delay) = retry_after {
        let mut seconds = delay.as_secs();
        if delay.subsec_nanos() > 0 {
            seconds = seconds.saturating_add(1);
        }
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// The head and the whole body of a response (an unreadable body counts as empty).
async fn collect(response: Response) -> (axum::http::response::Parts, Bytes) {
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_REWRITTEN_BODY)
        .await
        .unwrap_or_default();
    (parts, bytes)
}

/// Sets `Content-Length` to `len`, dropping any transfer coding.
fn set_length(headers: &mut HeaderMap, len: u64) {
    headers.remove(header::TRANSFER_ENCODING);
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
}

/// The response with a new complete body.
fn rebuilt(mut parts: axum::http::response::Parts, body: Bytes) -> Response {
    set_length(&mut parts.headers, body.len() as u64);
    Response::from_parts(parts, Body::from(body))
}

/// The response with a new complete JSON body.
fn json_rebuilt(mut parts: axum::http::response::Parts, body: Bytes) -> Response {
    if !parts.headers.contains_key(header::CONTENT_TYPE) {
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    if parts.status == StatusCode::NO_CONTENT {
        parts.status = StatusCode::OK;
    }
    rebuilt(parts, body)
}

/// The error that ends a body sent by [`Fault::CloseMidBody`]; hyper aborts the connection on
/// it.
#[derive(Debug, thiserror::Error)]
#[error("connection closed mid-body by an injected fault")]
struct ClosedMidBody;

/// Declares the whole length, sends half, then fails the body stream.
fn close_mid_body(mut parts: axum::http::response::Parts, body: Bytes) -> Response {
    // A body of 0 or 1 byte still has to fall short: declare at least 2 bytes.
    let declared = body.len().max(2) as u64;
    let sent = body.slice(..body.len() / 2);
    set_length(&mut parts.headers, declared);
    if parts.status == StatusCode::NO_CONTENT {
        parts.status = StatusCode::OK;
    }
    let chunks: Vec<Result<Bytes, ClosedMidBody>> = vec![Ok(sent), Err(ClosedMidBody)];
    Response::from_parts(parts, Body::from_stream(futures::stream::iter(chunks)))
}

/// 64 KiB of spaces, the padding unit of [`Fault::Oversized`].
static SPACES: [u8; 64 * 1024] = [b' '; 64 * 1024];

/// Pads `body` with spaces to `total` bytes, streamed.
fn oversized(mut parts: axum::http::response::Parts, body: Bytes, total: u64) -> Response {
    let len = body.len() as u64;
    if total <= len {
        return rebuilt(parts, body);
    }
    set_length(&mut parts.headers, total);
    if parts.status == StatusCode::NO_CONTENT {
        parts.status = StatusCode::OK;
    }
    let mut padding = total - len;
    let chunk = SPACES.len() as u64;
    let padding_chunks = std::iter::from_fn(move || {
        if padding == 0 {
            return None;
        }
        let n = padding.min(chunk);
        padding -= n;
        // `n` is at most 64 Ki, so it fits in usize.
        let n = usize::try_from(n).unwrap_or(SPACES.len());
        Some(Ok::<_, std::convert::Infallible>(Bytes::from_static(
            &SPACES[..n],
        )))
    });
    let stream = futures::stream::iter(std::iter::once(Ok(body)).chain(padding_chunks));
    Response::from_parts(parts, Body::from_stream(stream))
}

/// An answer for paths no route serves: 404 without a body.
pub(crate) async fn not_found() -> Response {
    StatusCode::NOT_FOUND.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_rounds_up() {
        let response = with_retry_after(
            StatusCode::SERVICE_UNAVAILABLE.into_response(),
            Some(Duration::from_millis(1500)),
        );
        assert_eq!(response.headers()[header::RETRY_AFTER], "2");
        let response = with_retry_after(
            StatusCode::SERVICE_UNAVAILABLE.into_response(),
            Some(Duration::ZERO),
        );
        assert_eq!(response.headers()[header::RETRY_AFTER], "0");
        let response = with_retry_after(StatusCode::SERVICE_UNAVAILABLE.into_response(), None);
        assert!(!response.headers().contains_key(header::RETRY_AFTER));
    }
}
