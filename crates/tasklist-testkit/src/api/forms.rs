//! The form endpoint of v1: `GET /v1/forms/{formId}?processDefinitionKey=…&version=…`.

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;

use super::bodies::{FormBody, respond};
use crate::errors::ApiFailure;
use crate::state::AppState;

/// Spring's `MissingServletRequestParameterException`, turned into an `InvalidRequestException`
/// by `ApiErrorController`.
const FORM_PROCESS_KEY_MISSING: &str = "Required request parameter 'processDefinitionKey' for method parameter type String is not present";

pub(super) async fn get_form(
    State(state): State<AppState>,
    Path(form_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    respond(
        state.config().profile,
        form(&state, &form_id, query.as_deref().unwrap_or("")),
    )
}

/// `FormController.getForm` and `FormStore.getForm`: `processDefinitionKey` is required (400);
/// `version` must be a number (a conversion failure reaches the catch-all handler: 500) and an
/// empty one counts as absent; an unknown form is a 404 "form with id %s was not found".
fn form(state: &AppState, form_id: &str, query: &str) -> Result<FormBody, ApiFailure> {
    let mut process_definition_key = None;
    let mut version_text = None;
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        match name.as_ref() {
            "processDefinitionKey" if process_definition_key.is_none() => {
                process_definition_key = Some(value.into_owned());
            }
            "version" if version_text.is_none() => version_text = Some(value.into_owned()),
            _ => {}
        }
    }
    let process_definition_key =
        process_definition_key.ok_or_else(|| ApiFailure::bad_request(FORM_PROCESS_KEY_MISSING))?;
    let version = match version_text.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(text.parse::<i64>().map_err(|_| ApiFailure::unexpected())?),
    };
    let form = state
        .store()
        .find_form(form_id, &process_definition_key, version)
        .ok_or_else(|| ApiFailure::not_found(format!("form with id {form_id} was not found")))?;
    Ok(FormBody {
        id: form.id,
        // Deployed forms carry no process definition: the request's is reported.
        process_definition_key: if form.version.is_some() {
            process_definition_key
        } else {
            form.process_definition_key
        },
        schema: form.schema,
        version: form.version,
        tenant_id: form.tenant_id,
        is_deleted: form.is_deleted,
    })
}
