//! Variables (truncation, full values, drafts) and forms (embedded and deployed, by
//! version).

use super::*;

/// A text of `chars` characters, with multi-byte ones, as a JSON string literal and as text.
fn long_text(chars: usize) -> (String, String) {
    let text: String = "Vertrag §1 — naïve ✓ 🎉 "
        .chars()
        .cycle()
        .take(chars)
        .collect();
    (serde_json::to_string(&text).unwrap(), text)
}

#[tokio::test]
async fn truncated_values_are_reported_and_their_full_value_fetched() {
    let mode = Mode::OAuth;
    let server = server(Profile::V8_7, &mode, 0).await;
    let client = client(&server, &mode);
    insert_contract_task(&server);
    let (json_text, text) = long_text(10_000);
    server
        .store()
        .insert_variable(TASK, "document", &json_text)
        .unwrap();
    let threshold = server.config().truncation_threshold;

    // The task's variables: the long one comes as a preview of `threshold` characters.
    let variables = client.tasks().variables(TASK).search().await.unwrap();
    let document = variables
        .iter()
        .find(|v| v.name.as_deref() == Some("document"))
        .unwrap();
    let ValueState::Truncated { preview } = document.value_state() else {
        panic!("{document:?}");
    };
    assert_eq!(preview.chars().count(), threshold);
    assert!(json_text.starts_with(preview));
    match document.decode::<String>() {
        Err(Error::VariableTruncated { name }) => assert_eq!(name, "document"),
        other => panic!("{other:?}"),
    }
    // The short ones are whole.
    let amount = variables
        .iter()
        .find(|v| v.name.as_deref() == Some("amount"))
        .unwrap();
    assert_eq!(amount.value_state(), ValueState::Full("1200.5"));

    // The whole value, by the variable's id.
    let full = client.variables().full_value(document).await.unwrap();
    assert_eq!(full.decode::<String>().unwrap(), text);
    assert_eq!(server.requests(Route::GetVariable), 1);

    // Or asked for in the search.
    let variables = client
        .tasks()
        .variables(TASK)
        .search()
        .include_full_value("document")
        .include("amount")
        .await
        .unwrap();
    assert_eq!(variables.len(), 2);
    let document = &variables[1];
    assert_eq!(document.value_state(), ValueState::Full(json_text.as_str()));
    assert_eq!(document.decode::<String>().unwrap(), text);

    // The same in task search results.
    let hits = client
        .tasks()
        .search()
        .process_instance_key(INSTANCE)
        .include_variable("document")
        .await
        .unwrap();
    let included = hits[0].variables.as_deref().unwrap();
    assert!(included[0].value_state().is_truncated());
    let hits = client
        .tasks()
        .search()
        .process_instance_key(INSTANCE)
        .include_variable_full_value("document")
        .await
        .unwrap();
    let included = hits[0].variables.as_deref().unwrap();
    assert_eq!(included[0].decode::<String>().unwrap(), text);
}

#[tokio::test]
async fn drafts_replace_each_other_and_completion_applies_them() {
    let mode = Mode::OAuth;
    let server = server(Profile::V8_7, &mode, 0).await;
    let client = client(&server, &mode);
    insert_contract_task(&server);
    let drafts = |server: &TestServer| -> Vec<(String, String)> {
        server
            .store()
            .draft_variables(TASK)
            .unwrap()
            .into_iter()
            .map(|d| (d.name, d.value))
            .collect()
    };
    let save = |variables: Variables| client.tasks().save_draft_variables(TASK, variables);

    save(
        Variables::new()
            .with("note", "v1")
            .unwrap()
            .with("extra", &1)
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(drafts(&server).len(), 2);
    // A save replaces every earlier draft; a draft equal to the current value is left out.
    let (long_json, long) = long_text(9_000);
    save(
        Variables::new()
            .with("note", "v2")
            .unwrap()
            .with("amount", &1200.5)
            .unwrap()
            .with("memo", &long)
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(
        drafts(&server),
        [
            ("note".to_owned(), r#""v2""#.to_owned()),
            ("memo".to_owned(), long_json.clone())
        ]
    );

    // A long draft is truncated in the search and whole by id.
    let variables = client.tasks().variables(TASK).search().await.unwrap();
    let memo = variables
        .iter()
        .find(|v| v.name.as_deref() == Some("memo"))
        .unwrap();
    assert!(memo.draft_state().unwrap().is_truncated());
    assert!(matches!(
        memo.decode_draft::<String>(),
        Err(Error::VariableTruncated { .. })
    ));
    let by_id = client
        .variables()
        .get(memo.id.clone().unwrap())
        .await
        .unwrap();
    assert_eq!(by_id.value, None);
    assert_eq!(by_id.decode_draft::<String>().unwrap(), Some(long.clone()));

    // Completion takes the drafts into the snapshot and drops them.
    client.tasks().complete(TASK).await.unwrap();
    assert_eq!(drafts(&server), []);
    let after = client.tasks().variables(TASK).search().await.unwrap();
    let value = |name: &str| {
        after
            .iter()
            .find(|v| v.name.as_deref() == Some(name))
            .map(|v| v.value.clone())
    };
    assert_eq!(value("note"), Some(Some(r#""v2""#.to_owned())));
    assert_eq!(value("extra"), None);
    assert!(after.iter().all(|v| v.draft.is_none()));
    let memo = after
        .iter()
        .find(|v| v.name.as_deref() == Some("memo"))
        .unwrap();
    assert!(memo.value_state().is_truncated());
    assert_eq!(
        client
            .variables()
            .full_value(memo)
            .await
            .unwrap()
            .decode::<String>()
            .unwrap(),
        long
    );
}

// ---------------------------------------------------------------------------------------------
// Forms.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn embedded_and_deployed_forms_by_version() {
    let mode = Mode::Cookie(LoginPath::Root);
    let server = server(Profile::V8_8, &mode, 0).await;
    let client = client(&server, &mode);
    insert_contract_task(&server);
    let schema = |v: i64| format!(r#"{{"id":"invoice","schemaVersion":{v},"components":[]}}"#);
    for version in 1..=3 {
        let mut form = StoredForm::deployed("invoice", version, PROCESS, schema(version));
        form.is_deleted = version == 3;
        server.store().insert_form(form);
    }

    let embedded = client.forms().get(FORM, PROCESS).await.unwrap();
    assert_eq!(embedded.schema.as_deref(), Some(SCHEMA));
    assert_eq!(embedded.version, None);

    // Without a version: the highest one not deleted.
    let latest = client.forms().get("invoice", PROCESS).await.unwrap();
    assert_eq!(latest.version, Some(2));
    assert_eq!(latest.schema, Some(schema(2)));
    assert_eq!(latest.process_definition_key.unwrap().as_str(), PROCESS);
    let first = client
        .forms()
        .get("invoice", PROCESS)
        .version(1)
        .await
        .unwrap();
    assert_eq!(first.schema, Some(schema(1)));
    let deleted = client
        .forms()
        .get("invoice", PROCESS)
        .version(3)
        .await
        .unwrap();
    assert_eq!(deleted.is_deleted, Some(true));
    let error = client
        .forms()
        .get("invoice", PROCESS)
        .version(4)
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(server.requests(Route::GetForm), 5);
}
