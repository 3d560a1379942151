//! Every endpoint on every version, and one store behind both APIs.

use std::collections::BTreeSet;

use serde_json::json;
use tasklist_testkit::Profile;
use tasklist_testkit::store::{Form, TaskImplementation};

use crate::api_support::Client;
use crate::{assert_problem, keys, server, zeebe};

#[tokio::test]
async fn every_endpoint_answers() {
    let mut with_form = zeebe(2251799813685251, 1);
    with_form.form_id = Some("invoice-form".to_owned());
    with_form.form_key = Some("2251799813684365".to_owned());
    with_form.form_version = Some(2);
    with_form.is_form_embedded = Some(false);
    let server = server(Profile::V8_9, [with_form, zeebe(2251799813685252, 2)]).await;
    server.store().insert_form(Form::deployed(
        "invoice-form",
        2,
        "1",
        "{\"components\":[]}",
    ));
    server
        .store()
        .insert_variable("2251799813685251", "amount", "1200.5")
        .unwrap();
    let api = Client::anonymous(&server);

    let topology = api.get("/v2/topology").await;
    assert_eq!(topology.status, 200);
    assert_eq!(topology.json()["gatewayVersion"], "8.9.0");

    let reply = api.post("/v2/user-tasks/search", "{}").await;
    assert_eq!(keys(&reply), ["2251799813685251", "2251799813685252"]);
    let page = &reply.json()["page"];
    assert_eq!(page["totalItems"], 2);
    assert_eq!(page["hasMoreTotalItems"], false);

    let task = api.get("/v2/user-tasks/2251799813685251").await;
    assert_eq!(task.status, 200, "{}", task.text);
    let task = task.json();
    assert_eq!(task["userTaskKey"], "2251799813685251");
    assert_eq!(task["state"], "CREATED");
    assert_eq!(task["processInstanceKey"], "2251799814685251");
    assert_eq!(task["priority"], 50);
    assert_eq!(task["formKey"], "2251799813684365");
    assert!(task["assignee"].is_null());

    let form = api.get("/v2/user-tasks/2251799813685251/form").await;
    assert_eq!(form.status, 200, "{}", form.text);
    assert_eq!(form.json()["schema"], "{\"components\":[]}");
    assert_eq!(form.json()["version"], 2);
    let no_form = api.get("/v2/user-tasks/2251799813685252/form").await;
    assert_eq!(no_form.status, 204);
    assert!(no_form.text.is_empty());

    let update = api
        .patch(
            "/v2/user-tasks/2251799813685251",
            Some(r#"{"changeset":{"priority":80,"dueDate":"2024-05-01T10:00:00Z","candidateGroups":["ops"],"unknown":1},"action":"escalate"}"#),
        )
        .await;
    assert_eq!(update.status, 204, "{}", update.text);
    let task = api.get("/v2/user-tasks/2251799813685251").await.json();
    assert_eq!(task["priority"], 80);
    assert_eq!(task["dueDate"], "2024-05-01T10:00:00Z");
    assert_eq!(task["candidateGroups"], json!(["ops"]));
    // An empty string resets a date, an empty list the candidates.
    let reset = api
        .patch(
            "/v2/user-tasks/2251799813685251",
            Some(r#"{"changeset":{"dueDate":"","candidateGroups":[]}}"#),
        )
        .await;
    assert_eq!(reset.status, 204);
    let task = api.get("/v2/user-tasks/2251799813685251").await.json();
    assert!(task["dueDate"].is_null());
    assert_eq!(task["candidateGroups"], json!([]));
    assert_eq!(task["priority"], 80);

    let assign = api
        .post(
            "/v2/user-tasks/2251799813685251/assignment",
            r#"{"assignee":"demo"}"#,
        )
        .await;
    assert_eq!(assign.status, 204, "{}", assign.text);
    assert_eq!(
        api.get("/v2/user-tasks/2251799813685251").await.json()["assignee"],
        "demo"
    );
    let unassign = api.delete("/v2/user-tasks/2251799813685251/assignee").await;
    assert_eq!(unassign.status, 204);
    assert!(api.get("/v2/user-tasks/2251799813685251").await.json()["assignee"].is_null());

    let variables = api
        .post("/v2/user-tasks/2251799813685251/variables/search", "{}")
        .await;
    assert_eq!(variables.status, 200, "{}", variables.text);
    let item = &variables.json()["items"][0];
    assert_eq!(item["name"], "amount");
    assert_eq!(item["value"], "1200.5");
    assert_eq!(item["isTruncated"], false);
    assert!(item["variableKey"].as_str().unwrap().parse::<u64>().is_ok());
    let effective = api
        .post(
            "/v2/user-tasks/2251799813685251/effective-variables/search",
            r#"{"page":{"from":0,"limit":10}}"#,
        )
        .await;
    assert_eq!(effective.status, 200, "{}", effective.text);
    assert_eq!(effective.json()["items"][0]["name"], "amount");

    let complete = api
        .post(
            "/v2/user-tasks/2251799813685251/completion",
            r#"{"variables":{"approved":true,"note":"ok"}}"#,
        )
        .await;
    assert_eq!(complete.status, 204, "{}", complete.text);
    let task = api.get("/v2/user-tasks/2251799813685251").await.json();
    assert_eq!(task["state"], "COMPLETED");
    assert!(task["completionDate"].is_string());
    let names: BTreeSet<String> = api
        .post("/v2/user-tasks/2251799813685251/variables/search", "{}")
        .await
        .json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        ["amount", "approved", "note"].map(str::to_owned).into()
    );

    let audit = api
        .post("/v2/user-tasks/2251799813685251/audit-logs/search", "{}")
        .await;
    assert_eq!(audit.status, 200, "{}", audit.text);
    let operations: Vec<String> = audit.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["operationType"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        operations,
        ["UPDATE", "UPDATE", "ASSIGN", "UNASSIGN", "COMPLETE"]
    );
    let only = api
        .post(
            "/v2/user-tasks/2251799813685251/audit-logs/search",
            r#"{"filter":{"operationType":{"$in":["ASSIGN","COMPLETE"]}}}"#,
        )
        .await;
    assert_eq!(only.json()["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_store_feeds_both_apis_and_v2_sees_only_zeebe_user_tasks() {
    let mut job_worker = zeebe(10, 0);
    job_worker.implementation = TaskImplementation::JobWorker;
    let server = server(Profile::V8_8, [job_worker, zeebe(11, 1)]).await;
    let api = Client::anonymous(&server);
    assert_eq!(api.search("{}").await.len(), 2);
    assert_eq!(keys(&api.post("/v2/user-tasks/search", "{}").await), ["11"]);
    assert_problem(&api.get("/v2/user-tasks/10").await, 404, "NOT_FOUND");
    assert_problem(
        &api.post("/v2/user-tasks/10/completion", "{}").await,
        404,
        "NOT_FOUND",
    );
    // A v2 change shows in v1.
    api.post("/v2/user-tasks/11/assignment", r#"{"assignee":"ann"}"#)
        .await;
    assert_eq!(api.get("/v1/tasks/11").await.json()["assignee"], "ann");
}
