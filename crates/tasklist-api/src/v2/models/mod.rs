//! The request and response bodies of the v2 user-task API (Camunda 8.8, 8.9 and 8.10).
//!
//! Two kinds of code live here:
//!
//! - **Generated** (`generated.rs`): one struct per schema of the user-task surface of the
//!   Orchestration Cluster REST API ([`UserTask`], [`UserTaskPage`], [`UserTaskSearchQuery`],
//!   [`UserTaskFilter`], [`Changeset`], [`Variable`], [`FullVariable`], [`Form`],
//!   [`AuditLog`], [`Topology`], [`ProblemDetail`], …) and their open enums ([`UserTaskState`], [`UserTaskSortField`],
//!   [`SortOrder`], the audit log enums, …). `cargo xtask codegen` writes it from the three
//!   vendored specs in `spec/v2/`, and CI checks that it is up to date; it is never edited by
//!   hand. To change a model, change the tables in `xtask/src/codegen/v2/tables.rs` and run
//!   it.
//! - **Hand-written**: the key newtypes ([`UserTaskKey`], [`ProcessInstanceKey`], …, checked
//!   against the specs' `LongKey` rule), the typed filters ([`StringFilter`],
//!   [`IntegerFilter`], [`DateTimeFilter`], [`KeyFilter`], [`EnumFilter`]) and [`Sort`],
//!   paging ([`PageRequest`], [`Cursor`]), [`Patch`] for the changeset's set-or-clear
//!   attributes, and the variable helpers on [`Variable`] and [`FullVariable`].
//!
//! One model set decodes the answers of all three versions: every field is an `Option`
//! (except a page's `items` and `page`), enums keep unknown values, and each field's doc says
//! which versions have it. The structs are `#[non_exhaustive]`: build one from `Default` and
//! assign its public fields.
//!
//! ```
//! use tasklist_api::v2::models::{
//!     EnumFilter, PageRequest, Sort, StringFilter, UserTaskFilter, UserTaskSearchQuery,
//!     UserTaskSortField, UserTaskState,
//! };
//!
//! let mut filter = UserTaskFilter::default();
//! filter.state = Some(EnumFilter::eq(UserTaskState::Created));
//! filter.candidate_group = Some(StringFilter::one_of(["accounting", "sales"]));
//! let mut search = UserTaskSearchQuery::default();
//! search.filter = Some(filter);
//! search.sort = Some(vec![Sort::desc(UserTaskSortField::CreationDate)]);
//! search.page = Some(PageRequest::limit(20));
//! assert_eq!(
//!     serde_json::to_value(&search)?,
//!     serde_json::json!({
//!         "page": {"limit": 20},
//!         "sort": [{"field": "creationDate", "order": "DESC"}],
//!         "filter": {"state": "CREATED", "candidateGroup": {"$in": ["accounting", "sales"]}}
//!     })
//! );
//! # Ok::<(), serde_json::Error>(())
//! ```

mod filter;
mod generated;
mod keys;
mod page;
mod patch;

use serde::de::DeserializeOwned;

pub use filter::{DateTimeFilter, EnumFilter, IntegerFilter, KeyFilter, Sort, StringFilter};
pub use generated::*;
pub use keys::{
    AuditLogKey, BatchOperationKey, DecisionDefinitionKey, DecisionEvaluationKey,
    DecisionRequirementsKey, DeploymentKey, ElementInstanceKey, FormKey, JobKey, KeyError,
    MAX_KEY_LENGTH, ProcessDefinitionKey, ProcessInstanceKey, ResourceKey, ScopeKey, UserTaskKey,
    VariableKey,
};
pub use page::{Cursor, PageRequest};
pub use patch::{Clearable, Patch};

pub use crate::timestamp::{Timestamp, TimestampError};
pub use crate::variables::ValueState;
use crate::wire::{decode_wire, json_text};

impl Variable {
    /// What this search result holds of the variable's value.
    ///
    /// The v2 searches cut long values unless asked not to (`truncateValues=false`): then
    /// `value` is only the start of the JSON text and `isTruncated` is true. That is
    /// [`ValueState::Truncated`], with the start as its preview; a value that is not cut is
    /// [`ValueState::Full`], and no value at all is [`ValueState::Absent`].
    ///
    /// ```
    /// use tasklist_api::ValueState;
    /// use tasklist_api::v2::models::Variable;
    ///
    /// let full: Variable = serde_json::from_str(r#"{"name":"region","value":"\"EMEA\"","isTruncated":false}"#)?;
    /// assert_eq!(full.value_state(), ValueState::Full(r#""EMEA""#));
    ///
    /// let cut: Variable = serde_json::from_str(r#"{"name":"lines","value":"[{\"sku\":","isTruncated":true}"#)?;
    /// assert_eq!(cut.value_state(), ValueState::Truncated { preview: r#"[{"sku":"# });
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn value_state(&self) -> ValueState<'_> {
        // In v2 the `value` itself is what was cut: the preview of a truncated value.
        match (self.value.as_deref(), self.is_truncated == Some(true)) {
            (value, true) => ValueState::Truncated {
                preview: value.unwrap_or_default(),
            },
            (Some(value), false) => ValueState::Full(value),
            (None, false) => ValueState::Absent,
        }
    }

    /// Decodes the value (JSON text) into `T`; an absent value reads as `null`.
    ///
    /// # Errors
    ///
    /// - [`Error::VariableTruncated`](crate::Error::VariableTruncated) when the server cut the
    ///   value ([`value_state`](Self::value_state) is truncated): search again with
    ///   `truncateValues=false`, or fetch the variable by its key
    ///   ([`Client::v2_variables`](crate::Client::v2_variables)).
    /// - [`Error::VariableDecode`](crate::Error::VariableDecode) when the text is not JSON of
    ///   type `T`.
    ///
    /// ```
    /// use tasklist_api::v2::models::Variable;
    ///
    /// let amount: Variable = serde_json::from_str(r#"{"name":"amount","value":"18446744073709551615","isTruncated":false}"#)?;
    /// assert_eq!(amount.decode::<u64>()?, u64::MAX);
    ///
    /// let cut: Variable = serde_json::from_str(r#"{"name":"lines","value":"[1,2,","isTruncated":true}"#)?;
    /// assert!(matches!(cut.decode::<Vec<u8>>(), Err(tasklist_api::Error::VariableTruncated { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, crate::Error> {
        crate::variables::decode_value(self.name.as_deref(), self.value_state())
    }

    /// The value as a `serde_json::Value` (see [`decode`](Self::decode)).
    ///
    /// # Errors
    ///
    /// As [`decode`](Self::decode).
    ///
    /// ```
    /// use tasklist_api::v2::models::Variable;
    ///
    /// let v: Variable = serde_json::from_str(r#"{"name":"ok","value":"true"}"#)?;
    /// assert_eq!(v.json()?, serde_json::json!(true));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn json(&self) -> Result<serde_json::Value, crate::Error> {
        self.decode()
    }
}

impl FullVariable {
    /// What this answer holds of the variable's value: [`ValueState::Full`] (the read by key
    /// never cuts a value), or [`ValueState::Absent`] when the answer has none.
    ///
    /// ```
    /// use tasklist_api::ValueState;
    /// use tasklist_api::v2::models::FullVariable;
    ///
    /// let v: FullVariable = serde_json::from_str(r#"{"name":"region","value":"\"EMEA\""}"#)?;
    /// assert_eq!(v.value_state(), ValueState::Full(r#""EMEA""#));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn value_state(&self) -> ValueState<'_> {
        match self.value.as_deref() {
            Some(value) => ValueState::Full(value),
            None => ValueState::Absent,
        }
    }

    /// Decodes the value (JSON text) into `T`; an absent value reads as `null`.
    ///
    /// # Errors
    ///
    /// [`Error::VariableDecode`](crate::Error::VariableDecode) when the text is not JSON of
    /// type `T`.
    ///
    /// ```
    /// use tasklist_api::v2::models::FullVariable;
    ///
    /// let big: FullVariable = serde_json::from_str(r#"{"name":"big","value":"18446744073709551615"}"#)?;
    /// assert_eq!(big.decode::<u64>()?, u64::MAX);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, crate::Error> {
        crate::variables::decode_value(self.name.as_deref(), self.value_state())
    }

    /// The value as a `serde_json::Value` (see [`decode`](Self::decode)).
    ///
    /// # Errors
    ///
    /// As [`decode`](Self::decode).
    ///
    /// ```
    /// use tasklist_api::v2::models::FullVariable;
    ///
    /// let v: FullVariable = serde_json::from_str(r#"{"name":"ok","value":"true"}"#)?;
    /// assert_eq!(v.json()?, serde_json::json!(true));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn json(&self) -> Result<serde_json::Value, crate::Error> {
        self.decode()
    }
}

impl UserTask {
    /// True when the task waits for work: `CREATED` (not yet completed, canceled or failed,
    /// and not in a transition such as `ASSIGNING` while listeners run).
    ///
    /// ```
    /// use tasklist_api::v2::models::UserTask;
    ///
    /// let task: UserTask = serde_json::from_str(r#"{"userTaskKey":"1","state":"CREATED"}"#)?;
    /// assert!(task.is_open());
    /// let done: UserTask = serde_json::from_str(r#"{"userTaskKey":"1","state":"COMPLETED"}"#)?;
    /// assert!(!done.is_open());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn is_open(&self) -> bool {
        self.state == Some(UserTaskState::Created)
    }

    /// True when a state the task is in ends its life: `COMPLETED`, `CANCELED` or `FAILED`.
    ///
    /// ```
    /// use tasklist_api::v2::models::UserTask;
    ///
    /// let task: UserTask = serde_json::from_str(r#"{"state":"CANCELED"}"#)?;
    /// assert!(task.is_finished());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn is_finished(&self) -> bool {
        matches!(
            self.state,
            Some(UserTaskState::Completed | UserTaskState::Canceled | UserTaskState::Failed)
        )
    }

    /// Whether `user` may work on the task by its assignment: it is assigned to `user`, or
    /// unassigned with `user` among the candidate users (candidate groups are not checked).
    ///
    /// ```
    /// use tasklist_api::v2::models::UserTask;
    ///
    /// let task: UserTask = serde_json::from_str(r#"{"candidateUsers":["demo"]}"#)?;
    /// assert!(task.is_available_to("demo"));
    /// assert!(!task.is_available_to("other"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn is_available_to(&self, user: &str) -> bool {
        match self.assignee.as_deref() {
            Some(assignee) => assignee == user,
            None => self
                .candidate_users
                .as_ref()
                .is_some_and(|users| users.iter().any(|u| u == user)),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use serde_json::json;

    use super::*;

    #[test]
    fn variable_states() {
        let v: Variable = serde_json::from_value(json!({"name": "x", "value": "[1,"})).unwrap();
        assert_eq!(v.value_state(), ValueState::Full("[1,"));
        assert!(v.decode::<serde_json::Value>().is_err());
        let v: Variable =
            serde_json::from_value(json!({"name": "x", "isTruncated": true})).unwrap();
        assert_eq!(v.value_state(), ValueState::Truncated { preview: "" });
        let v: Variable = serde_json::from_value(json!({"name": "x"})).unwrap();
        assert_eq!(v.value_state(), ValueState::Absent);
        assert_eq!(v.decode::<Option<i32>>().unwrap(), None);
    }

    #[test]
    fn form_schema_as_object_or_text() {
        let text: Form = serde_json::from_value(json!({"schema": "{\"a\":1}"})).unwrap();
        assert_eq!(text.schema.as_deref(), Some("{\"a\":1}"));
        let object: Form = serde_json::from_value(json!({"schema": {"a": 1}})).unwrap();
        assert_eq!(object.schema.as_deref(), Some("{\"a\":1}"));
        let null: Form = serde_json::from_value(json!({"schema": null})).unwrap();
        assert_eq!(null.schema, None);
    }
}
