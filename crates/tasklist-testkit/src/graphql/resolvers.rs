//! The root resolvers: the queries `tasks`, `task`, `variables`, `variable` and `form`, and the
//! mutations `claimTask`, `unclaimTask` and `completeTask`.

use async_graphql::{Context, Object};

use super::call::{call, failure};
use super::objects::{GqlForm, GqlTask, GqlVariable};
use super::types::{TaskQuery, VariableInput};

use crate::api::{assign_task_to, complete_task_with, task_not_found, unassign};
use crate::errors::ApiFailure;
use crate::state::AppState;
use crate::store::{SearchQuery, TaskImplementation, Variable};

/// `Mutations.ZEEBE_USER_TASK_OPERATIONS_NOT_SUPPORTED` with the default
/// `TasklistDocumentationProperties.apiMigrationDocsUrl`.
pub(super) const ZEEBE_USER_TASK_NOT_SUPPORTED: &str = "This operation is not supported using Tasklist graphql API. Please use the latest REST API. For more information, refer to the documentation: https://docs.camunda.io/docs/apis-tools/tasklist-api-rest/migrate-to-zeebe-user-tasks/";

/// `Mutations.checkTaskImplementation`: the task must exist and be a job-worker task.
pub(super) fn job_worker_only(state: &AppState, task_id: &str) -> Result<(), ApiFailure> {
    let task = state
        .store()
        .task(task_id)
        .ok_or_else(|| task_not_found(task_id))?;
    if task.implementation == TaskImplementation::JobWorker {
        Ok(())
    } else {
        Err(ApiFailure::bad_request(ZEEBE_USER_TASK_NOT_SUPPORTED))
    }
}

/// What can be searched for.
pub(super) struct Query;

#[Object(name = "Query")]
impl Query {
    /// Get list of tasks based on `TaskQuery`.
    async fn tasks(
        &self,
        ctx: &Context<'_>,
        query: TaskQuery,
    ) -> async_graphql::Result<Vec<GqlTask>> {
        let call = call(ctx)?;
        let threshold = call.state.config().truncation_threshold;
        let hits = call
            .state
            .store()
            .search(&SearchQuery::from(query), threshold, None)
            .map_err(failure)?;
        Ok(hits
            .into_iter()
            .map(|hit| GqlTask {
                task: hit.task,
                sort_values: Some(hit.sort_values),
                is_first: hit.is_first,
            })
            .collect())
    }

    /// Get one task by id. Returns task or error when task does not exist.
    async fn task(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<GqlTask> {
        let call = call(ctx)?;
        call.state
            .store()
            .task(&id)
            .map(GqlTask::plain)
            .ok_or_else(|| failure(task_not_found(&id)))
    }

    /// Get a collection of Variables by name
    // `VariableService.getVariables`: all of the task's variables when `variableNames` is empty.
    async fn variables(
        &self,
        ctx: &Context<'_>,
        task_id: String,
        variable_names: Vec<String>,
    ) -> async_graphql::Result<Vec<GqlVariable>> {
        let call = call(ctx)?;
        let threshold = call.state.config().truncation_threshold;
        let mut variables: Vec<Variable> = call
            .state
            .store()
            .with_task(&task_id, |record| {
                record
                    .visible_variables()
                    .iter()
                    .filter(|v| variable_names.is_empty() || variable_names.contains(&v.name))
                    .cloned()
                    .collect()
            })
            .ok_or_else(|| failure(task_not_found(&task_id)))?;
        variables.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(variables
            .iter()
            .map(|v| GqlVariable::new(v, threshold))
            .collect())
    }

    /// Get the variables by variable id
    // `VariableService.getVariable`: a process variable, else a completed task's variable;
    // drafts are not looked at.
    async fn variable(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<GqlVariable> {
        let call = call(ctx)?;
        let threshold = call.state.config().truncation_threshold;
        let found = call
            .state
            .store()
            .find_variable(&id, false)
            .and_then(|found| {
                let value = found.value?;
                Some(Variable::new(found.id, found.name, value))
            })
            .ok_or_else(|| {
                failure(ApiFailure::not_found(format!(
                    "Variable with id {id} not found."
                )))
            })?;
        Ok(GqlVariable::new(&found, threshold))
    }

    /// Get task form by id and processDefinitionId
    // `FormStore.getForm` without a version.
    async fn form(
        &self,
        ctx: &Context<'_>,
        id: String,
        process_definition_id: String,
    ) -> async_graphql::Result<Option<GqlForm>> {
        let call = call(ctx)?;
        let form = call
            .state
            .store()
            .find_form(&id, &process_definition_id, None)
            .ok_or_else(|| {
                failure(ApiFailure::not_found(format!(
                    "form with id {id} was not found"
                )))
            })?;
        Ok(Some(GqlForm {
            id: form.id,
            // Deployed forms carry no process definition: the request's is reported, as REST.
            process_definition_id: if form.version.is_some() {
                process_definition_id
            } else {
                form.process_definition_key
            },
            schema: form.schema,
        }))
    }
}

/// What can be changed.
pub(super) struct Mutation;

#[Object(name = "Mutation")]
impl Mutation {
    /// Complete a task with taskId and optional variables. Returns the task.
    async fn complete_task(
        &self,
        ctx: &Context<'_>,
        task_id: String,
        variables: Vec<VariableInput>,
    ) -> async_graphql::Result<GqlTask> {
        let call = call(ctx)?;
        job_worker_only(&call.state, &task_id).map_err(failure)?;
        let inputs = variables
            .into_iter()
            .map(|v| (Some(v.name), Some(v.value)))
            .collect();
        complete_task_with(&call.state, &call.who, &task_id, inputs, false)
            .map(GqlTask::plain)
            .map_err(failure)
    }

    /// Claim a task with `taskId` to `assignee`. Returns the task.
    ///
    /// When using Graphql API with JWT authentication token following parameters may be used:
    /// * `assignee`. When using a JWT token, the assignee parameter is NOT optional when called
    ///   directly from the API.
    /// * `allowOverrideAssignment`. When `true` the task that is already assigned may be claimed
    ///   again. Otherwise the task must be first unclaimed and only then claimed again.
    ///   (Default: `true`)
    async fn claim_task(
        &self,
        ctx: &Context<'_>,
        task_id: String,
        assignee: Option<String>,
        allow_override_assignment: Option<bool>,
    ) -> async_graphql::Result<GqlTask> {
        let call = call(ctx)?;
        job_worker_only(&call.state, &task_id).map_err(failure)?;
        assign_task_to(
            &call.state,
            &call.who,
            &task_id,
            assignee,
            allow_override_assignment,
        )
        .map(GqlTask::plain)
        .map_err(failure)
    }

    /// Unclaim a task with taskId. Returns the task.
    async fn unclaim_task(
        &self,
        ctx: &Context<'_>,
        task_id: String,
    ) -> async_graphql::Result<GqlTask> {
        let call = call(ctx)?;
        job_worker_only(&call.state, &task_id).map_err(failure)?;
        unassign(&call.state, &call.who, &task_id)
            .map(GqlTask::plain)
            .map_err(failure)
    }
}
