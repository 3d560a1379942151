//! The form on the wire, and secrets kept out of every error.

use super::*;

// ---------------------------------------------------------------------------------------------
// The request on the wire

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_form_carries_every_parameter_with_client_secret_post() {
    let fx = Fixture::with(Config::default(), |b| {
        b.audience("tasklist-api")
            .scope("tasklist:read tasklist:write")
            .resource("urn:camunda:tasklist-api")
    })
    .await;
    fx.token().await;
    let form = fx.server.last_form();
    let field = |name: &str| form.get(name).map(String::as_str);
    assert_eq!(field("grant_type"), Some("client_credentials"));
    assert_eq!(field("client_id"), Some(CLIENT_ID));
    assert_eq!(field("client_secret"), Some(SECRET));
    assert_eq!(field("audience"), Some("tasklist-api"));
    assert_eq!(field("scope"), Some("tasklist:read tasklist:write"));
    assert_eq!(field("resource"), Some("urn:camunda:tasklist-api"));
    assert_eq!(form.len(), 6, "{form:?}");
    assert_eq!(fx.server.last_authorization(), None);

    // Unset parameters are not sent.
    let bare = Fixture::new(Config::default()).await;
    bare.token().await;
    let mut names: Vec<_> = bare.server.last_form().into_keys().collect();
    names.sort();
    assert_eq!(names, ["client_id", "client_secret", "grant_type"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn basic_auth_sends_the_secret_in_the_header_and_not_in_the_body() {
    let fx = Fixture::with(Config::default(), |b| {
        b.audience("tasklist-api")
            .client_auth(ClientAuthMethod::BasicAuth)
    })
    .await;
    fx.token().await;
    let authorization = fx
        .server
        .last_authorization()
        .expect("an Authorization header");
    let encoded = authorization.strip_prefix("Basic ").expect(&authorization);
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    assert_eq!(
        String::from_utf8(decoded).unwrap(),
        format!("{CLIENT_ID}:{SECRET}")
    );
    let form = fx.server.last_form();
    assert_eq!(
        form.get("grant_type").map(String::as_str),
        Some("client_credentials")
    );
    assert_eq!(
        form.get("audience").map(String::as_str),
        Some("tasklist-api")
    );
    assert!(!form.contains_key("client_secret"), "{form:?}");
    assert!(
        !form.values().any(|v| v.contains(SECRET)),
        "the secret is in the body: {form:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Errors

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_secret_never_appears_in_an_error() {
    let failures = [
        Failure::Plain(503),
        Failure::Html(502),
        Failure::OAuth {
            status: 401,
            code: "invalid_client",
            description: "Invalid client credentials",
        },
        Failure::OAuth {
            status: 400,
            code: "invalid_scope",
            description: "unknown scope",
        },
    ];
    for method in [ClientAuthMethod::RequestBody, ClientAuthMethod::BasicAuth] {
        for failure in failures.clone() {
            let fx = Fixture::with(
                Config {
                    failure: Some(failure.clone()),
                    ..Config::default()
                },
                |b| b.client_auth(method),
            )
            .await;
            let first = fx.cache.token().await.unwrap_err();
            let backing_off = fx.cache.token().await.unwrap_err();
            let through_stack = fx.api().send(fx.request()).await.unwrap_err();
            for text in [chain(&first), chain(&backing_off), chain(&through_stack)] {
                assert!(!text.contains(SECRET), "{method:?} {failure:?}: {text}");
            }
            let debug = format!("{:?}", fx.cache);
            assert!(!debug.contains(SECRET), "{debug}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_through_the_stack_are_auth_errors_caused_by_the_auth_error() {
    let fx = Fixture::new(Config {
        failure: Some(Failure::OAuth {
            status: 401,
            code: "invalid_client",
            description: "Invalid client credentials",
        }),
        ..Config::default()
    })
    .await;
    let err = fx.api().send(fx.request()).await.unwrap_err();
    assert!(
        matches!(err, tasklist_transport::Error::Auth { .. }),
        "{err:?}"
    );
    assert!(err.is_auth());
    let cause = std::error::Error::source(&err)
        .expect("a source")
        .downcast_ref::<Error>()
        .expect("a tasklist_auth::Error");
    assert!(
        matches!(cause, Error::TokenEndpoint { status: 401, code, .. } if code == "invalid_client"),
        "{cause:?}"
    );
    assert!(cause.is_bad_credentials());
    assert_eq!(
        fx.server.api_requests(),
        0,
        "an unsigned request is never sent"
    );
}
