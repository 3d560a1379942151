//! Which task API a client uses: found out from the testkit's Camunda 8.7, 8.8, 8.9 and 8.10
//! over loopback, once per client, or pinned without asking.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use tasklist_api::{Api, ApiVersion, Client, Error};
use tasklist_testkit::{AuthMode, Profile, Route, TestServer};
use tasklist_transport::{HttpTransport, TransportExt};

async fn server(profile: Profile, auth: AuthMode) -> TestServer {
    TestServer::builder()
        .profile(profile)
        .auth(auth)
        .start()
        .await
        .unwrap()
}

fn client(server: &TestServer, version: ApiVersion) -> Client {
    let transport = HttpTransport::builder()
        .no_proxy()
        .build()
        .unwrap()
        .into_shared();
    Client::builder(server.v2_url())
        .transport(transport)
        .api_version(version)
        .build()
        .unwrap()
}

#[tokio::test]
async fn auto_asks_once_and_picks_v2_from_8_8_on() {
    for (profile, api) in [
        (Profile::V8_7, Api::V1),
        (Profile::V8_8, Api::V2),
        (Profile::V8_9, Api::V2),
        (Profile::V8_10, Api::V2),
    ] {
        let server = server(profile, AuthMode::None).await;
        let client = client(&server, ApiVersion::Auto);
        let detected = client.api().await.unwrap();
        assert_eq!(detected.api, api, "{profile:?}");
        let expected_version = (api == Api::V2).then(|| profile.version().to_owned());
        assert_eq!(detected.gateway_version, expected_version, "{profile:?}");
        // Asked once: again, and from a clone, the answer is remembered.
        assert_eq!(client.clone().api().await.unwrap(), detected);
        assert_eq!(
            server.requests(Route::Topology) + server.requests(Route::Other),
            1,
            "{profile:?}"
        );
    }
}

#[tokio::test]
async fn concurrent_first_calls_share_one_request() {
    let server = server(Profile::V8_9, AuthMode::None).await;
    let client = client(&server, ApiVersion::Auto);
    let answers = futures::future::join_all((0..8).map(|_| client.api())).await;
    assert!(answers.iter().all(|a| a.as_ref().unwrap().api == Api::V2));
    assert_eq!(server.requests(Route::Topology), 1);
}

#[tokio::test]
async fn a_pinned_api_asks_nothing() {
    let server = server(Profile::V8_9, AuthMode::None).await;
    for (version, api) in [(ApiVersion::V1, Api::V1), (ApiVersion::V2, Api::V2)] {
        let client = client(&server, version);
        let detected = client.api().await.unwrap();
        assert_eq!((detected.api, detected.gateway_version), (api, None));
    }
    assert_eq!(server.total_requests(), 0);
}

#[tokio::test]
async fn a_failed_detection_is_an_error_and_is_not_remembered() {
    // The server wants a token; the client has none.
    let server = server(Profile::V8_10, AuthMode::OAuth).await;
    let client = client(&server, ApiVersion::Auto);
    let error = client.api().await.unwrap_err();
    assert!(matches!(error, Error::Unauthorized(_)), "{error:?}");
    assert!(client.api().await.is_err());
    assert_eq!(server.requests(Route::Topology), 2);
}
