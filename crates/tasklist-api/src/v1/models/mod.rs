//! The request and response bodies of the Tasklist v1 REST API.
//!
//! Two kinds of code live here:
//!
//! - **Generated** (`generated.rs`): one struct per schema of the API spec
//!   ([`TaskSearchRequest`], [`TaskSearchResult`], [`Task`], [`Variable`], [`Form`], …) and the
//!   open string enums they share ([`TaskState`], [`Implementation`], [`TaskSortField`],
//!   [`SortOrder`], [`VariableOperator`]). `cargo xtask codegen` writes that file from the
//!   vendored specs in `spec/`, and CI checks that it is up to date; it is never edited by hand.
//!   To change a model, change the generator's tables in `xtask/src/codegen/v1/tables.rs` and
//!   run it.
//! - **Hand-written**: the types the generated fields use where the spec only says "string":
//!   the identifier newtypes ([`TaskId`], [`VariableId`], [`FormId`], [`ProcessDefinitionKey`],
//!   [`ProcessInstanceKey`]) and [`Timestamp`], which keeps a date-time's text exactly as
//!   received and parses it leniently.
//!
//! Every field of a generated struct is an `Option`, since the spec requires none: `null` and an
//! absent property both decode as `None`, and unset fields are not serialised. The structs are
//! `#[non_exhaustive]`: build one from `Default` and assign its public fields.
//!
//! ```
//! use tasklist_api::models::{TaskSearchRequest, TaskState};
//!
//! let mut search = TaskSearchRequest::default();
//! search.state = Some(TaskState::Created);
//! search.page_size = Some(20);
//! assert_eq!(
//!     serde_json::to_string(&search)?,
//!     r#"{"state":"CREATED","pageSize":20}"#
//! );
//! # Ok::<(), serde_json::Error>(())
//! ```

mod generated;
mod ids;

pub use generated::*;

pub use crate::timestamp::{Timestamp, TimestampError};
use crate::wire::decode_wire;
pub use ids::{FormId, ProcessDefinitionKey, ProcessInstanceKey, TaskId, VariableId};

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use serde_json::json;

    use super::*;

    #[test]
    fn unknown_enum_values_round_trip() {
        let state: TaskState = serde_json::from_value(json!("SUSPENDED")).unwrap();
        assert_eq!(state, TaskState::Unknown("SUSPENDED".to_owned()));
        assert_eq!(serde_json::to_value(&state).unwrap(), json!("SUSPENDED"));
        assert_eq!(state.as_str(), "SUSPENDED");
        assert_eq!(state.to_string(), "SUSPENDED");

        let task: Task =
            serde_json::from_value(json!({"taskState": "PAUSED", "implementation": "NEW_KIND"}))
                .unwrap();
        assert_eq!(task.task_state, Some(TaskState::Unknown("PAUSED".into())));
        assert_eq!(
            task.implementation,
            Some(Implementation::Unknown("NEW_KIND".into()))
        );
        let back = serde_json::to_value(&task).unwrap();
        assert_eq!(
            back,
            json!({"taskState": "PAUSED", "implementation": "NEW_KIND"})
        );
    }

    #[test]
    fn known_enum_values() {
        for (wire, state) in [
            ("CREATED", TaskState::Created),
            ("COMPLETED", TaskState::Completed),
            ("CANCELED", TaskState::Canceled),
            ("FAILED", TaskState::Failed),
        ] {
            assert_eq!(
                serde_json::from_value::<TaskState>(json!(wire)).unwrap(),
                state
            );
            assert_eq!(state.as_str(), wire);
            assert_eq!(wire.parse::<TaskState>(), Ok(state));
        }
        assert_eq!(
            serde_json::to_value([TaskSortField::CreationTime, TaskSortField::FollowUpDate])
                .unwrap(),
            json!(["creationTime", "followUpDate"])
        );
        assert_eq!(SortOrder::Desc.to_string(), "DESC");
        assert_eq!(VariableOperator::Eq.as_str(), "eq");
        assert_eq!(Implementation::ZeebeUserTask.as_str(), "ZEEBE_USER_TASK");
        // Case matters on the wire: a differently spelt value is not the known one.
        assert_eq!(
            "created".parse::<TaskState>(),
            Ok(TaskState::Unknown("created".into()))
        );
    }

    #[test]
    fn null_and_absent_fields_are_none() {
        let absent: TaskSearchResult = serde_json::from_value(json!({})).unwrap();
        assert_eq!(absent, TaskSearchResult::default());
        let null: TaskSearchResult = serde_json::from_value(json!({
            "id": null,
            "assignee": null,
            "creationDate": null,
            "taskState": null,
            "sortValues": null,
            "variables": null,
            "formVersion": null,
            "priority": null,
            "context": null,
        }))
        .unwrap();
        assert_eq!(null, TaskSearchResult::default());
    }

    #[test]
    fn unknown_properties_are_ignored() {
        let form: Form = serde_json::from_value(json!({
            "id": "userTaskForm_1",
            "somethingNew": {"nested": [1, 2, 3]},
        }))
        .unwrap();
        assert_eq!(form.id, Some(FormId::new("userTaskForm_1")));
    }

    #[test]
    fn unset_request_fields_are_not_serialized() {
        assert_eq!(
            serde_json::to_value(TaskSearchRequest::default()).unwrap(),
            json!({})
        );
        let assign = TaskAssignRequest {
            assignee: Some("demo".to_owned()),
            ..TaskAssignRequest::default()
        };
        assert_eq!(
            serde_json::to_value(&assign).unwrap(),
            json!({"assignee": "demo"})
        );
        let search = TaskSearchRequest {
            priority: Some(PriorityFilter::default()),
            search_after: Some(vec![]),
            ..TaskSearchRequest::default()
        };
        assert_eq!(
            serde_json::to_value(&search).unwrap(),
            json!({"priority": {}, "searchAfter": []})
        );
    }

    #[test]
    fn a_full_task_search_result_decodes() {
        let result: TaskSearchResult = serde_json::from_value(json!({
            "id": "2251799813685251",
            "name": "Approve invoice",
            "taskDefinitionId": "approveInvoice",
            "processName": "Invoice approval",
            "creationDate": "2023-10-04T12:35:24.713+0000",
            "completionDate": null,
            "assignee": "demo",
            "taskState": "CREATED",
            "sortValues": ["1696422924713", "2251799813685251"],
            "isFirst": true,
            "formKey": "camunda-forms:bpmn:userTaskForm_1",
            "formId": null,
            "formVersion": 3,
            "isFormEmbedded": true,
            "processDefinitionKey": "2251799813685249",
            "processInstanceKey": "2251799813685255",
            "tenantId": "<default>",
            "dueDate": "2023-10-06T00:00:00.000+0000",
            "followUpDate": null,
            "candidateGroups": ["accounting"],
            "candidateUsers": [],
            "variables": [{
                "id": "2251799813685251-approved",
                "name": "approved",
                "value": "true",
                "isValueTruncated": false,
                "previewValue": "true",
                "draft": null
            }],
            "context": "invoice 4711",
            "implementation": "JOB_WORKER",
            "priority": 50
        }))
        .unwrap();
        assert_eq!(result.id, Some(TaskId::new("2251799813685251")));
        assert_eq!(
            result.creation_date.as_ref().map(Timestamp::as_str),
            Some("2023-10-04T12:35:24.713+0000")
        );
        assert_eq!(result.completion_date, None);
        assert_eq!(result.form_version, Some(3_i64));
        assert_eq!(
            result.process_definition_key,
            Some(ProcessDefinitionKey::new("2251799813685249"))
        );
        assert_eq!(
            result.process_instance_key,
            Some(ProcessInstanceKey::new("2251799813685255"))
        );
        assert_eq!(result.context.as_deref(), Some("invoice 4711"));
        assert_eq!(result.priority, Some(50_i32));
        let variables = result.variables.unwrap();
        assert_eq!(
            variables[0].id,
            Some(VariableId::new("2251799813685251-approved"))
        );
        assert_eq!(variables[0].draft, None);
    }

    #[test]
    fn task_has_context() {
        let task: Task = serde_json::from_value(json!({"context": "c"})).unwrap();
        assert_eq!(task.context.as_deref(), Some("c"));
    }

    #[test]
    fn date_filter_from_jiff() {
        let filter = DateFilter {
            from: Some(jiff::Timestamp::from_second(1_696_118_400).unwrap().into()),
            ..DateFilter::default()
        };
        assert_eq!(
            serde_json::to_value(&filter).unwrap(),
            json!({"from": "2023-10-01T00:00:00Z"})
        );
    }
}
