//! What the user-task builders share: the key argument as checked when a builder is made, task
//! paths, and the call of a search.

use http::Method;
use serde::Serialize;
use tasklist_transport::Idempotency;

use crate::client::{Call, PathBuilder, Target};
use crate::error::Error;
use crate::v2::models::{KeyError, UserTaskKey};

/// A key checked when the builder was made, reported when the call is sent.
pub(super) type KeyArg = Result<UserTaskKey, KeyError>;

/// The key, or the error that fails the call.
pub(super) fn checked(key: &KeyArg) -> Result<&UserTaskKey, Error> {
    key.as_ref()
        .map_err(|e| Error::invalid(format!("the user task key is not usable: {e}")))
}

/// The path `/v2/user-tasks/{key}` followed by `rest`.
pub(super) fn task_path(key: &UserTaskKey, rest: &[&str]) -> Result<PathBuilder, Error> {
    let mut path = PathBuilder::new()
        .fixed("v2/user-tasks")
        .param("user task key", key.as_str())?;
    for segment in rest {
        path = path.fixed(segment);
    }
    Ok(path)
}

/// The call of a v2 search: `POST` of `body` to `target`, idempotent (a search changes
/// nothing).
pub(crate) fn search_call(target: Target, body: &impl Serialize) -> Result<Call, Error> {
    Call::to(Method::POST, target, Idempotency::Idempotent).json_body(body)
}
