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
//! [`TaskImplementation::ZeebeUserTask`]: crate::store::TaskImplementation::ZeebeUserTask

mod filter;
mod paging;
pub(crate) mod problems;
mod routes;

pub(crate) use routes::{process_definition_id, router};
