//! The errors of a GraphQL response ([`GraphQlError`], [`GraphQlLocation`]), apart from the
//! request: the crate's error type holds them, and the request returns that error type.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One error of a GraphQL response.
///
/// ```
/// use tasklist_api::GraphQlError;
///
/// let error: GraphQlError = serde_json::from_str(
///     r#"{"message":"Validation error","locations":[{"line":1,"column":3}],"path":["tasks",0]}"#,
/// ).unwrap();
/// assert_eq!(error.message, "Validation error");
/// assert_eq!((error.locations[0].line, error.locations[0].column), (1, 3));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GraphQlError {
    /// What went wrong.
    #[serde(default)]
    pub message: String,
    /// Where in the query.
    #[serde(default)]
    pub locations: Vec<GraphQlLocation>,
    /// Which field of the response (names and list indexes).
    #[serde(default)]
    pub path: Vec<Value>,
    /// Whatever else the server added, such as a classification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Value>,
}

/// A position in a GraphQL query, counted from 1.
///
/// ```
/// let at: tasklist_api::GraphQlLocation = serde_json::from_str(r#"{"line":2,"column":7}"#).unwrap();
/// assert_eq!(at.line, 2);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GraphQlLocation {
    /// The line.
    #[serde(default)]
    pub line: u32,
    /// The column.
    #[serde(default)]
    pub column: u32,
}
