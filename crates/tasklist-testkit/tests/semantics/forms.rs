//! Forms by id, process definition and version.

use serde_json::Value;
use tasklist_testkit::AuthMode;
use tasklist_testkit::store::Form;

use crate::api_support::{Client, assert_error};
use crate::{V87, server};

// ----- forms --------------------------------------------------------------------------------

#[tokio::test]
async fn forms_are_found_by_id_and_process_definition_with_versions() {
    let server = server(AuthMode::OAuth).await;
    let store = server.store();
    store.insert_form(Form::embedded("userTaskForm_1", "100", "{\"e\":1}"));
    store.insert_form(Form::deployed("invoice", 1, "100", "{\"v\":1}"));
    store.insert_form(Form::deployed("invoice", 2, "100", "{\"v\":2}"));
    let mut deleted = Form::deployed("invoice", 3, "100", "{\"v\":3}");
    deleted.is_deleted = true;
    store.insert_form(deleted);
    let client = Client::bearer(&server);

    let embedded = client
        .get("/v1/forms/userTaskForm_1?processDefinitionKey=100")
        .await
        .json();
    assert_eq!(embedded["schema"], "{\"e\":1}");
    assert_eq!(embedded["version"], Value::Null);
    assert_eq!(embedded["processDefinitionKey"], "100");
    assert_eq!(embedded["isDeleted"], false);
    assert!(embedded.get("title").is_none());
    // Another process definition does not have it.
    assert_error(
        &client
            .get("/v1/forms/userTaskForm_1?processDefinitionKey=101")
            .await,
        V87,
        404,
        "form with id userTaskForm_1 was not found",
        true,
    );
    // Deployed: the highest version not deleted, or the version asked for.
    let latest = client
        .get("/v1/forms/invoice?processDefinitionKey=100")
        .await
        .json();
    assert_eq!(latest["version"], 2);
    let third = client
        .get("/v1/forms/invoice?processDefinitionKey=100&version=3")
        .await
        .json();
    assert_eq!(third["isDeleted"], true);
    // The process definition key is required.
    assert_error(
        &client.get("/v1/forms/invoice").await,
        V87,
        400,
        "Required request parameter 'processDefinitionKey' for method parameter type String is not present",
        true,
    );
}
