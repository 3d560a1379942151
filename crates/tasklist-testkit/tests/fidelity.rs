//! Fidelity points over real HTTP on loopback: login credentials in the query string, the token
//! endpoint's JSON body, Operate's v1 process definition search, 8.7's refusal of token callers
//! on Zeebe user tasks, variable values kept as the exact text sent, the CSRF cookie and the
//! `_csrf` parameter, and Jackson's parse-error messages.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_support;

use std::collections::BTreeMap;
use std::time::Duration;

use api_support::{Client, assert_error, task};
use serde_json::{Value, json};
use tasklist_testkit::store::{TaskImplementation, TaskState};
use tasklist_testkit::{AuthMode, Profile, Route, TestServer};

/// Jackson's redacted source, as every location in its messages starts.
const SOURCE: &str = "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)";

/// A plain HTTP client: no proxy, no redirects, no cookie store.
fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The `name=value` part of the `Set-Cookie` header for cookie `name`, and the whole header.
fn set_cookie(response: &reqwest::Response, name: &str) -> Option<(String, String)> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| {
            (
                v.split(';').next().unwrap_or_default().to_owned(),
                v.to_owned(),
            )
        })
}

async fn json_of(response: reqwest::Response) -> Value {
    let text = response.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

// ------------------------------------------------------------------------------------------
// 1. Login with the credentials in the query string.
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn login_reads_username_and_password_from_the_query_string_on_every_profile() {
    for profile in Profile::ALL {
        let server = TestServer::builder()
            .profile(profile)
            .auth(AuthMode::Cookie { csrf: false })
            .tasks(2)
            .start()
            .await
            .unwrap();
        let http = http();
        // Camunda's guide: `curl -X POST 'http://localhost:8080/api/login?username=demo&password=demo'
        // --cookie-jar cookie.txt` (no body, no content type).
        let url = format!("{}?username=demo&password=demo", server.login_url());
        let login = http.post(&url).send().await.unwrap();
        assert_eq!(login.status(), 204, "{profile}");
        let (session, _) = set_cookie(&login, profile.session_cookie()).expect("session cookie");

        // The session works on the API of the profile.
        let probe = if profile.serves_v1() {
            http.get(format!(
                "{}/v1/tasks/{}",
                server.base_url(),
                some_task(&server)
            ))
        } else {
            http.get(format!("{}/v2/topology", server.base_url()))
        };
        let probe = probe.header("cookie", &session).send().await.unwrap();
        assert_eq!(probe.status(), 200, "{profile}");

        // Wrong credentials in the query string: refused like a wrong form.
        let refused = http
            .post(format!(
                "{}?username=demo&password=nope",
                server.login_url()
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 401, "{profile}");
        assert!(set_cookie(&refused, profile.session_cookie()).is_none());

        // The query string's parameters come first, as `request.getParameter` reads them.
        let both = http
            .post(format!(
                "{}?username=demo&password=demo",
                server.login_url()
            ))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("username=demo&password=wrong")
            .send()
            .await
            .unwrap();
        assert_eq!(both.status(), 204, "{profile}");
        assert_eq!(server.successful_logins(), 2, "{profile}");
        assert_eq!(server.logins(), 3, "{profile}");
    }
}

/// An id of a seeded task.
fn some_task(server: &TestServer) -> String {
    let mut tasks = server.store().tasks();
    tasks.sort_by(|a, b| a.id.cmp(&b.id));
    tasks.first().expect("seeded").id.clone()
}

// ------------------------------------------------------------------------------------------
// 2. The token endpoint's JSON body.
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_token_endpoint_takes_camundas_json_body_and_refuses_other_content_types() {
    let server = TestServer::builder().tasks(1).start().await.unwrap();
    let http = http();
    // Camunda's SaaS example: `curl -X POST --header 'content-type: application/json' --data
    // '{"client_id": ..., "client_secret": ..., "audience": ..., "grant_type":
    // "client_credentials"}'`.
    let response = http
        .post(server.token_url())
        .header("content-type", "application/json")
        .body(
            r#"{"client_id": "tasklist", "client_secret":"tasklist-secret","audience":"tasklist-api","grant_type":"client_credentials"}"#,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let token = json_of(response).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let task = http
        .get(format!(
            "{}/v1/tasks/{}",
            server.base_url(),
            some_task(&server)
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(task.status(), 200);

    // The RFC 6749 form, with a charset, still works.
    let form = http
        .post(server.token_url())
        .header(
            "content-type",
            "application/x-www-form-urlencoded; charset=UTF-8",
        )
        .body("grant_type=client_credentials&client_id=tasklist&client_secret=tasklist-secret")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 200);

    // Another content type: 400 invalid_request, whatever the body.
    for content_type in [
        "text/plain",
        "application/xml",
        "multipart/form-data; boundary=x",
    ] {
        let refused = http
            .post(server.token_url())
            .header("content-type", content_type)
            .body("grant_type=client_credentials&client_id=tasklist&client_secret=tasklist-secret")
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 400, "{content_type}");
        let body = json_of(refused).await;
        assert_eq!(body["error"], "invalid_request", "{content_type}");
        assert!(
            body["error_description"]
                .as_str()
                .unwrap()
                .contains("content type"),
            "{body}"
        );
    }
    assert_eq!(server.tokens_issued(), 2);
}

// ------------------------------------------------------------------------------------------
// 3. Operate's process definition search.
// ------------------------------------------------------------------------------------------

const OPERATE_SEARCH: &str = "/v1/process-definitions/search";

/// The process definitions the seeded tasks imply: key → process name.
fn processes(server: &TestServer) -> BTreeMap<i64, String> {
    server
        .store()
        .tasks()
        .into_iter()
        .map(|t| (t.process_definition_key.parse().unwrap(), t.process_name))
        .collect()
}

/// Asserts an Operate error: status, `type`, message and a fresh `instance`.
fn assert_operate_error(reply: &api_support::Reply, status: u16, kind: &str, message: &str) {
    assert_eq!(reply.status, status, "{}", reply.text);
    assert_eq!(reply.content_type, "application/problem+json");
    let body = reply.json();
    assert_eq!(body["status"], status, "{}", reply.text);
    assert_eq!(body["type"], kind, "{}", reply.text);
    assert_eq!(body["message"], message, "{}", reply.text);
    assert_eq!(body["instance"].as_str().map(str::len), Some(36));
}

#[tokio::test]
async fn operate_searches_the_process_definitions_of_the_seeded_tasks() {
    let server = TestServer::builder().tasks(60).start().await.unwrap();
    let expected = processes(&server);
    assert!(expected.len() > 3, "{expected:?}");
    let client = Client::bearer(&server);

    // `{}`: the first 10 by key, every field, the last key as `sortValues`.
    let reply = client.post(OPERATE_SEARCH, "{}").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body["total"], expected.len());
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), expected.len());
    let (first_key, first_name) = expected.iter().next().unwrap();
    assert_eq!(
        items[0],
        json!({
            "key": first_key,
            "name": first_name,
            "version": 1,
            "bpmnProcessId": first_name.replace(' ', "_"),
            "tenantId": "<default>",
        })
    );
    let keys: Vec<i64> = items.iter().map(|i| i["key"].as_i64().unwrap()).collect();
    assert_eq!(keys, expected.keys().copied().collect::<Vec<_>>());
    assert_eq!(body["sortValues"], json!([keys.last().unwrap()]));

    // Pages of 2 by name descending, each page after the previous one's `sortValues`.
    let mut seen = Vec::new();
    let mut after: Option<Value> = None;
    let mut pages = 0;
    loop {
        pages += 1;
        let mut query = json!({"size": 2, "sort": [{"field": "name", "order": "DESC"}]});
        if let Some(after) = &after {
            query["searchAfter"] = after.clone();
        }
        let body = client.post(OPERATE_SEARCH, &query.to_string()).await.json();
        assert_eq!(body["total"], expected.len());
        let items = body["items"].as_array().unwrap();
        if items.is_empty() {
            assert_eq!(body["sortValues"], json!([]));
            break;
        }
        let last = items.last().unwrap();
        assert_eq!(body["sortValues"], json!([last["name"], last["key"]]));
        seen.extend(items.iter().map(|i| i["name"].as_str().unwrap().to_owned()));
        after = Some(body["sortValues"].clone());
    }
    let mut names: Vec<String> = expected.values().cloned().collect();
    names.sort();
    names.reverse();
    assert_eq!(seen, names);

    // Key values in `searchAfter` may be strings of digits (Operate's own example).
    let second = *expected.keys().nth(1).unwrap();
    let body = client
        .post(
            OPERATE_SEARCH,
            &json!({"searchAfter": [first_key.to_string()]}).to_string(),
        )
        .await
        .json();
    assert_eq!(body["items"][0]["key"], second);

    // Filters match exactly; an empty string matches anything.
    let body = client
        .post(
            OPERATE_SEARCH,
            &json!({"filter": {"name": first_name, "version": 1, "tenantId": ""}}).to_string(),
        )
        .await
        .json();
    assert_eq!(body["total"], 1);
    assert_eq!(body["items"][0]["key"], *first_key);
    for filter in [
        json!({"key": second}),
        json!({"bpmnProcessId": expected[&second].replace(' ', "_")}),
    ] {
        let body = client
            .post(OPERATE_SEARCH, &json!({ "filter": filter }).to_string())
            .await
            .json();
        assert_eq!(body["total"], 1, "{filter}");
        assert_eq!(body["items"][0]["key"], second, "{filter}");
    }
    let body = client
        .post(OPERATE_SEARCH, r#"{"filter": {"version": 2}}"#)
        .await
        .json();
    assert_eq!(body, json!({"items": [], "sortValues": [], "total": 0}));

    // Operate's validation and error bodies.
    assert_operate_error(
        &client.post(OPERATE_SEARCH, r#"{"size": 1001}"#).await,
        400,
        "Invalid request",
        "size should be greater than zero and less than 1000",
    );
    assert_operate_error(
        &client
            .post(OPERATE_SEARCH, r#"{"sort": [{"field": "priority"}]}"#)
            .await,
        400,
        "Data invalid",
        "Sort has invalid field(s): priority",
    );
    assert_operate_error(
        &client
            .post(
                OPERATE_SEARCH,
                r#"{"sort": [{"field": "name"}], "searchAfter": ["x"]}"#,
            )
            .await,
        400,
        "Data invalid",
        "searchAfter should have a 2 values",
    );
    assert_operate_error(
        &client
            .post(OPERATE_SEARCH, r#"{"searchAfter": ["x"]}"#)
            .await,
        500,
        "API application error",
        "Error in reading process definitions",
    );
    assert_operate_error(
        &client.post(OPERATE_SEARCH, r#"{"size": "ten"}"#).await,
        400,
        "Invalid request",
        "JSON parse error: Cannot deserialize value of type `int` from String \"ten\": not a valid `int` value",
    );
    assert_operate_error(
        &client
            .post(
                OPERATE_SEARCH,
                r#"{"sort": [{"field": "name", "order": "UP"}]}"#,
            )
            .await,
        400,
        "Invalid request",
        "JSON parse error: Cannot deserialize value of type \
         `io.camunda.operate.webapp.api.v1.entities.Query$Sort$Order` from String \"UP\": not one \
         of the values accepted for Enum class: [ASC, DESC]",
    );
    assert_operate_error(
        &client.post(OPERATE_SEARCH, "[1]").await,
        400,
        "Invalid request",
        "JSON parse error: Cannot deserialize value of type \
         `io.camunda.operate.webapp.api.v1.entities.Query<io.camunda.operate.webapp.api.v1.entities.ProcessDefinition>` \
         from Array value (token `JsonToken.START_ARRAY`)",
    );
    let missing = client.send("POST", OPERATE_SEARCH, None).await;
    assert_eq!(missing.status, 400);
    assert!(
        missing.json()["message"]
            .as_str()
            .unwrap()
            .starts_with("Required request body is missing: public io.camunda.operate.")
    );
    assert_eq!(
        server.requests(Route::SearchProcessDefinitions),
        14 + pages,
        "every search is counted"
    );
}

#[tokio::test]
async fn operate_needs_the_same_credentials_as_tasklist_and_lives_until_8_9() {
    // No token: the profile's 401.
    let server = TestServer::builder().tasks(5).start().await.unwrap();
    let anonymous = Client::anonymous(&server).post(OPERATE_SEARCH, "{}").await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(anonymous.json(), json!({"message": ""}));
    // A token for another audience: refused like on Tasklist's endpoints.
    let foreign = server
        .mint_token("tasklist", "operate-api", Duration::from_secs(60))
        .unwrap();
    let reply = Client::anonymous(&server)
        .with_header("Authorization", &format!("Bearer {foreign}"))
        .post(OPERATE_SEARCH, "{}")
        .await;
    assert_eq!(reply.status, 401);

    // A cookie session with CSRF protection: the token is needed on the POST.
    let server = TestServer::builder()
        .auth(AuthMode::Cookie { csrf: true })
        .tasks(5)
        .start()
        .await
        .unwrap();
    let session = Client::session(&server, "demo", "demo").await;
    let denied = session.post(OPERATE_SEARCH, "{}").await;
    assert_eq!(denied.status, 403);
    let csrf = session
        .get(&format!("/v1/tasks/{}", some_task(&server)))
        .await
        .csrf_token
        .expect("a GET carries the CSRF token");
    let allowed = session
        .clone()
        .with_header("X-CSRF-TOKEN", &csrf)
        .post(OPERATE_SEARCH, "{}")
        .await;
    assert_eq!(allowed.status, 200, "{}", allowed.text);

    // Deprecated in 8.8 and 8.9, removed with the v1 APIs in 8.10.
    for (profile, status) in [
        (Profile::V8_8, 200),
        (Profile::V8_9, 200),
        (Profile::V8_10, 404),
    ] {
        let server = TestServer::builder()
            .profile(profile)
            .auth(AuthMode::Basic)
            .tasks(5)
            .start()
            .await
            .unwrap();
        let reply = Client::basic(&server, "demo", "demo")
            .post(OPERATE_SEARCH, "{}")
            .await;
        assert_eq!(reply.status, status, "{profile}: {}", reply.text);
        assert_eq!(server.requests(Route::SearchProcessDefinitions), 1);
    }
}

// ------------------------------------------------------------------------------------------
// 4. 8.7: token callers may not change Zeebe user tasks through v1.
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_8_7_profile_refuses_token_callers_on_zeebe_user_tasks() {
    let server = TestServer::builder()
        .auth(AuthMode::OAuth)
        .start()
        .await
        .unwrap();
    let mut zeebe = task("1", 0);
    zeebe.implementation = TaskImplementation::ZeebeUserTask;
    zeebe.priority = Some(70);
    zeebe.assignee = Some("demo".to_owned());
    server.store().insert_task(zeebe);
    server.store().insert_task(task("2", 1));
    let client = Client::bearer(&server);
    let message = "This operation is not supported using Tasklist V1 API. Please use the latest API. For more information, refer to the documentation: https://docs.camunda.io/docs/apis-tools/tasklist-api-rest/migrate-to-zeebe-user-tasks/";
    for (path, body) in [
        ("/v1/tasks/1/assign", Some(r#"{"assignee":"a"}"#)),
        ("/v1/tasks/1/unassign", None),
        ("/v1/tasks/1/complete", Some(r#"{"variables":[]}"#)),
    ] {
        assert_error(
            &client.patch(path, body).await,
            Profile::V8_7,
            400,
            message,
            true,
        );
    }
    let stored = server.store().task("1").unwrap();
    assert_eq!(
        (stored.state, stored.assignee.as_deref()),
        (TaskState::Created, Some("demo"))
    );
    // An unknown task is still a 404 first; a job-worker task is changed as before.
    assert_eq!(client.patch("/v1/tasks/9/unassign", None).await.status, 404);
    let assigned = client
        .patch("/v1/tasks/2/assign", Some(r#"{"assignee":"a"}"#))
        .await;
    assert_eq!(assigned.status, 200, "{}", assigned.text);
    // Users (here by Basic) are not API clients: they may.
    let server = TestServer::builder()
        .auth(AuthMode::Basic)
        .start()
        .await
        .unwrap();
    let mut zeebe = task("1", 0);
    zeebe.implementation = TaskImplementation::ZeebeUserTask;
    server.store().insert_task(zeebe);
    let reply = Client::basic(&server, "demo", "demo")
        .patch("/v1/tasks/1/assign", None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

// ------------------------------------------------------------------------------------------
// 5. Variable values sent as JSON numbers keep their exact text.
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn numbers_sent_as_variable_values_are_stored_as_the_exact_text_sent() {
    let server = TestServer::builder()
        .auth(AuthMode::None)
        .start()
        .await
        .unwrap();
    server.store().insert_task(task("1", 0));
    server.store().insert_task(task("2", 0));
    let client = Client::anonymous(&server);
    let values = r#"[
        {"name": "price", "value": 1.50},
        {"name": "hundred", "value": 1E+2},
        {"name": "big", "value": 123456789012345678901234567890},
        {"name": "small", "value": -0.000001e-7},
        {"name": "yes", "value": true},
        {"name": "text", "value": "\"1.50\""}
    ]"#;
    let expected = [
        ("big", "123456789012345678901234567890"),
        ("hundred", "1E+2"),
        ("price", "1.50"),
        ("small", "-0.000001e-7"),
        ("text", "\"1.50\""),
        ("yes", "true"),
    ];

    // Drafts.
    let reply = client
        .post(
            "/v1/tasks/1/variables",
            &format!(r#"{{"variables": {values}}}"#),
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    let mut drafts: Vec<(String, String)> = server
        .store()
        .draft_variables("1")
        .unwrap()
        .into_iter()
        .map(|d| (d.name, d.value))
        .collect();
    drafts.sort();
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    };
    assert_eq!(drafts, pairs(&expected));

    // Completion: the process variables and the answer of the variable search.
    let reply = client
        .patch(
            "/v1/tasks/2/complete",
            Some(&format!(r#"{{"variables": {values}}}"#)),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let mut stored: Vec<(String, String)> = server
        .store()
        .variables("2")
        .unwrap()
        .into_iter()
        .map(|v| (v.name, v.value))
        .collect();
    stored.sort();
    assert_eq!(stored, pairs(&expected));
    let found = client
        .post("/v1/tasks/2/variables/search", "{}")
        .await
        .json();
    let found: Vec<(String, String)> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["name"].as_str().unwrap().to_owned(),
                v["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(found, pairs(&expected));
}

// ------------------------------------------------------------------------------------------
// 6. CSRF: the cookie, the header, the `_csrf` parameter.
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn csrf_tokens_come_as_header_and_cookie_and_go_back_as_header_or_csrf_parameter() {
    for profile in [Profile::V8_7, Profile::V8_8] {
        let server = TestServer::builder()
            .profile(profile)
            .auth(AuthMode::Cookie { csrf: true })
            .tasks(3)
            .start()
            .await
            .unwrap();
        let http = http();
        let login = http
            .post(format!(
                "{}?username=demo&password=demo",
                server.login_url()
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(login.status(), 204);
        let (session, _) = set_cookie(&login, profile.session_cookie()).unwrap();
        let header = login.headers()["x-csrf-token"].to_str().unwrap().to_owned();
        // The token is also a cookie (`CookieCsrfTokenRepository` named `X-CSRF-TOKEN`):
        // HttpOnly on 8.7, readable by scripts from 8.8 on.
        let (cookie, whole) = set_cookie(&login, "X-CSRF-TOKEN").expect("the CSRF cookie");
        assert_eq!(cookie, format!("X-CSRF-TOKEN={header}"));
        assert_eq!(
            whole.contains("HttpOnly"),
            profile == Profile::V8_7,
            "{whole}"
        );
        let cookies = format!("{session}; {cookie}");
        let search = format!("{}/v1/tasks/search", server.base_url());
        let post = |url: String| {
            http.post(url)
                .header("cookie", &cookies)
                .header("content-type", "application/json")
                .body("{}")
        };

        // A session without the header: refused (8.7: 403; 8.8: 401).
        let refused = post(search.clone()).send().await.unwrap();
        let refusal = if profile == Profile::V8_7 { 403 } else { 401 };
        assert_eq!(refused.status(), refusal, "{profile}");
        // The `_csrf` parameter stands in for the header; a wrong one is refused.
        let by_query = post(format!("{search}?_csrf={header}"))
            .send()
            .await
            .unwrap();
        assert_eq!(by_query.status(), 200, "{profile}");
        let wrong = post(format!("{search}?_csrf=forged")).send().await.unwrap();
        assert_eq!(wrong.status(), refusal, "{profile}");
        if profile != Profile::V8_7 {
            let detail = json_of(wrong).await["detail"].as_str().unwrap().to_owned();
            assert_eq!(
                detail,
                "Invalid CSRF Token 'forged' was found on the request parameter '_csrf' or header \
                 'X-CSRF-TOKEN'."
            );
        }
        // The header wins over the parameter.
        let header_first = post(format!("{search}?_csrf={header}"))
            .header("x-csrf-token", "forged")
            .send()
            .await
            .unwrap();
        assert_eq!(header_first.status(), refusal, "{profile}");
        // In a form body too (read by the filter, the body still reaches the endpoint).
        let task = some_task(&server);
        let unassign = http
            .patch(format!("{}/v1/tasks/{task}/unassign", server.base_url()))
            .header("cookie", &cookies)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("_csrf={header}"))
            .send()
            .await
            .unwrap();
        assert_ne!(unassign.status(), refusal, "{profile}");
        assert_ne!(unassign.status(), 403, "{profile}");
    }
}

// ------------------------------------------------------------------------------------------
// 7. Parse errors read like Jackson's.
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn parse_errors_carry_jacksons_messages() {
    let server = TestServer::builder()
        .auth(AuthMode::None)
        .start()
        .await
        .unwrap();
    server.store().insert_task(task("1", 0));
    let client = Client::anonymous(&server);
    let eof = |what: &str, column: usize| {
        format!(
            "JSON parse error: Unexpected end-of-input: expected close marker for {what} (start \
             marker at {SOURCE}; line: 1, column: {column}])"
        )
    };
    let cases: Vec<(&str, &str, String)> = vec![
        ("/v1/tasks/search", "{", eof("Object", 1)),
        ("/v1/tasks/search", r#"{"sort": ["#, eof("Array", 10)),
        (
            "/v1/tasks/search",
            r#"{"pageSize": }"#,
            "JSON parse error: Unexpected character ('}' (code 125)): expected a value".to_owned(),
        ),
        (
            "/v1/tasks/search",
            r#"{"pageSize": 10 "state": "CREATED"}"#,
            "JSON parse error: Unexpected character ('\"' (code 34)): was expecting comma to \
             separate Object entries"
                .to_owned(),
        ),
        (
            "/v1/tasks/search",
            r#"{"state": CREATED}"#,
            "JSON parse error: Unrecognized token 'CREATED': was expecting (JSON String, Number, \
             Array, Object or token 'null', 'true' or 'false')"
                .to_owned(),
        ),
        (
            "/v1/tasks/search",
            r#"{"state": "OPEN"}"#,
            "JSON parse error: Cannot deserialize value of type \
             `io.camunda.webapps.schema.entities.usertask.TaskState` from String \"OPEN\": not one \
             of the values accepted for Enum class: [CREATED, COMPLETED, CANCELED, FAILED]"
                .to_owned(),
        ),
        (
            "/v1/tasks/search",
            r#"{"assignees": "demo"}"#,
            "JSON parse error: Cannot deserialize value of type `java.lang.String[]` from String \
             value (token `JsonToken.VALUE_STRING`)"
                .to_owned(),
        ),
        (
            "/v1/tasks/search",
            "[1,2]",
            "JSON parse error: Cannot deserialize value of type \
             `io.camunda.tasklist.webapp.api.rest.v1.entities.TaskSearchRequest` from Array value \
             (token `JsonToken.START_ARRAY`)"
                .to_owned(),
        ),
        (
            "/v1/tasks/1/variables",
            r#"{"variables": {}}"#,
            "JSON parse error: Cannot deserialize value of type \
             `java.util.ArrayList<io.camunda.tasklist.webapp.graphql.entity.VariableInputDTO>` \
             from Object value (token `JsonToken.START_OBJECT`)"
                .to_owned(),
        ),
        (
            "/v1/tasks/1/variables/search",
            "\"text\"",
            "JSON parse error: Cannot construct instance of \
             `io.camunda.tasklist.webapp.api.rest.v1.entities.VariablesSearchRequest` (although \
             at least one Creator exists): no String-argument constructor/factory method to \
             deserialize from String value ('text')"
                .to_owned(),
        ),
    ];
    for (path, body, message) in cases {
        let reply = client.send("POST", path, Some(body)).await;
        assert_error(&reply, Profile::V8_7, 400, &message, false);
    }
    let reply = client
        .patch("/v1/tasks/1/assign", Some(r#"{"assignee": ["a"]}"#))
        .await;
    assert_error(
        &reply,
        Profile::V8_7,
        400,
        "JSON parse error: Cannot deserialize value of type `java.lang.String` from Array value \
         (token `JsonToken.START_ARRAY`)",
        false,
    );
    // White space only is a body too: Jackson finds nothing in it.
    let reply = client.patch("/v1/tasks/1/assign", Some("  ")).await;
    assert_error(
        &reply,
        Profile::V8_7,
        400,
        "JSON parse error: No content to map due to end-of-input",
        false,
    );
    assert_eq!(server.store().task("1").unwrap().assignee, None);

    // The 8.8 profile: the same text as a problem's detail; v2 keeps Spring's default detail.
    let server = TestServer::builder()
        .profile(Profile::V8_8)
        .auth(AuthMode::None)
        .start()
        .await
        .unwrap();
    let client = Client::anonymous(&server);
    assert_error(
        &client.post("/v1/tasks/search", "{").await,
        Profile::V8_8,
        400,
        &eof("Object", 1),
        false,
    );
    let reply = client.post("/v2/user-tasks/search", "{\"filter\": ").await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.json()["title"], "Bad Request");
    assert_eq!(reply.json()["detail"], "Failed to read request");
    // Like Jackson, v2 reads the first value and ignores what follows.
    let reply = client.post("/v2/user-tasks/search", "{} trailing").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}
