//! [`Api`], the name of a task API, on its own: the error type names the API that refused a
//! call, and the version detection (which needs the error type) names the API it found.

use std::fmt;

/// A task API.
///
/// ```
/// assert_eq!(tasklist_api::Api::V2.to_string(), "v2");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Api {
    /// Tasklist's REST API v1.
    V1,
    /// The user-task API v2.
    V2,
}

impl fmt::Display for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Api::V1 => "v1",
            Api::V2 => "v2",
        })
    }
}
