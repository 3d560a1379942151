//! The whole application: the routes each profile serves, behind the authentication and the
//! fault-injection middleware.

use axum::Router;
use axum::extract::OriginalUri;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::Response;
use axum::routing::any;

use crate::state::AppState;

/// The whole application: auth endpoints, the API behind the auth middleware, the faults and
/// counters middleware in front of everything.
pub(super) fn app(state: AppState) -> Router {
    let profile = state.config().profile;
    let mut api = Router::new();
    if profile.serves_v1() {
        // Operate's v1 API lived and went with Tasklist's (see the `operate` module).
        api = api
            .merge(crate::api::router())
            .merge(crate::operate::router());
    }
    if profile.serves_graphql() {
        api = api.merge(crate::graphql::router());
    }
    if profile.serves_v2() {
        api = api.merge(crate::v2::router(profile));
    }
    let api = api.layer(from_fn_with_state(state.clone(), crate::auth::require));
    let mut scoped = Router::new()
        .merge(crate::auth::session_router())
        .merge(api);
    if !profile.serves_v1() {
        scoped = scoped.route("/v1/{*rest}", any(v1_removed));
    }
    let base = state.config().base_path.trim_end_matches('/').to_owned();
    let scoped = if base.is_empty() {
        scoped
    } else {
        Router::new().nest(&base, scoped)
    };
    Router::new()
        .merge(crate::auth::token_router())
        .merge(scoped)
        .fallback(crate::inject::not_found)
        .layer(from_fn_with_state(state.clone(), crate::inject::middleware))
        .with_state(state)
}

/// Every `/v1/...` path on 8.10, which removed Tasklist v1: a `404` problem (origin: FACTS
/// §7.4; unknown paths get 404 from the deny-all chain, FACTS §7.1).
async fn v1_removed(OriginalUri(uri): OriginalUri) -> Response {
    crate::v2::problems::problem_response(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "The Tasklist V1 API is not available in this version; use the V2 API",
        uri.path(),
    )
}
