//! The Camunda 8.8+ v2 user-task API (`/v2/user-tasks/...`, `/v2/variables/{variableKey}`,
//! `/v2/topology`) over the same in-memory [`Store`](crate::store::Store) as v1.
//!
//! | Operation | 8.8 | 8.9 | 8.10 | Success |
//! |---|---|---|---|---|
//! | `POST /v2/user-tasks/search` | ✓ | ✓ | ✓ | 200 `{items, page}` |
//! | `GET /v2/user-tasks/{userTaskKey}` | ✓ | ✓ | ✓ | 200 `UserTaskResult` |
//! | `PATCH /v2/user-tasks/{userTaskKey}` | ✓ | ✓ | ✓ | 204 |
//! | `POST /v2/user-tasks/{userTaskKey}/assignment` | ✓ | ✓ | ✓ | 204 |
//! | `DELETE /v2/user-tasks/{userTaskKey}/assignee` | ✓ | ✓ | ✓ | 204 |
//! | `POST /v2/user-tasks/{userTaskKey}/completion` | ✓ | ✓ | ✓ | 204 |
//! | `GET /v2/user-tasks/{userTaskKey}/form` | ✓ | ✓ | ✓ | 200 `FormResult`, 204 without a linked form |
//! | `POST /v2/user-tasks/{userTaskKey}/variables/search` | ✓ | ✓ | ✓ | 200 `{items, page}` |
//! | `POST /v2/user-tasks/{userTaskKey}/effective-variables/search` | ✓ | ✓ | ✓ | 200, offset paging only |
//! | `POST /v2/user-tasks/{userTaskKey}/audit-logs/search` | 404 | ✓ | ✓ | 200 `{items, page}` |
//! | `GET /v2/variables/{variableKey}` | ✓ | ✓ | ✓ | 200 `VariableResult`: the whole value, no `isTruncated` |
//! | `GET /v2/topology` | ✓ | ✓ | ✓ | 200 with `gatewayVersion` |
//!
//! (origin: FACTS §2; "FACTS §n" is section n of the vendored `spec/v2/FACTS.md`.) Only Zeebe user tasks ([`TaskImplementation::ZeebeUserTask`]) exist for
//! v2; job-worker tasks are a v1-only feature (FACTS §7.4) and are `404` here. Keys are JSON
//! strings of digits (`LongKey`, FACTS §0.2).
//!
//! Reads (search, get, form, variables, audit logs) are eventually consistent: they see a task
//! as it was before the commands of the last [`consistency_lag`](crate::Config::consistency_lag)
//! (FACTS §5). The store keeps no history of variables, so the variable searches and the read of
//! one variable by key (`GET /v2/variables/{variableKey}`) show the variables as they are.
//! Commands (update, assign, unassign, complete) apply at once and follow Zeebe's user-task
//! processors (the `commands` module lists their rules).
//!
//! [`TaskImplementation::ZeebeUserTask`]: crate::store::TaskImplementation::ZeebeUserTask

use axum::Router;
use axum::routing::{delete, get, post};

use self::audit::search_user_task_audit_logs;
use self::commands::{assign_user_task, complete_user_task, unassign_user_task, update_user_task};
use self::topology::topology;
use self::user_tasks::{get_user_task, get_user_task_form, search_user_tasks};
use self::variables::{get_variable, search_user_task_variables};
use crate::config::Profile;
use crate::state::AppState;

mod audit;
mod commands;
mod filter;
mod paging;
pub(crate) mod problems;
mod shared;
mod topology;
mod user_tasks;
mod variables;

pub(crate) use self::shared::process_definition_id;

/// The v2 routes of `profile` (audit logs from 8.9 on).
pub(crate) fn router(profile: Profile) -> Router<AppState> {
    let mut router = Router::new()
        .route("/v2/topology", get(topology))
        .route("/v2/variables/{key}", get(get_variable))
        .route("/v2/user-tasks/search", post(search_user_tasks))
        .route(
            "/v2/user-tasks/{key}",
            get(get_user_task).patch(update_user_task),
        )
        .route("/v2/user-tasks/{key}/assignment", post(assign_user_task))
        .route("/v2/user-tasks/{key}/assignee", delete(unassign_user_task))
        .route("/v2/user-tasks/{key}/completion", post(complete_user_task))
        .route("/v2/user-tasks/{key}/form", get(get_user_task_form))
        .route(
            "/v2/user-tasks/{key}/variables/search",
            post(search_user_task_variables::<false>),
        )
        .route(
            "/v2/user-tasks/{key}/effective-variables/search",
            post(search_user_task_variables::<true>),
        );
    if !matches!(profile, Profile::V8_7 | Profile::V8_8) {
        router = router.route(
            "/v2/user-tasks/{key}/audit-logs/search",
            post(search_user_task_audit_logs),
        );
    }
    router
}
