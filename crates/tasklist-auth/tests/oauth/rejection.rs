//! A rejected token: dropped, renewed once, and the retry.

use super::*;

// ---------------------------------------------------------------------------------------------
// Rejection by the API

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_401_drops_the_token_and_the_request_is_retried_once_with_a_new_one() {
    let fx = Fixture::new(Config::default()).await;
    let api = fx.api();
    assert_eq!(api.send(fx.request()).await.unwrap().status(), 200);
    assert_eq!(fx.token_requests(), 1);

    fx.server.revoke_current();
    let response = api.send(fx.request()).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(fx.token_requests(), 2, "exactly one new token");
    assert_eq!(
        fx.server.api_requests(),
        3,
        "the rejected request was sent once more"
    );
    assert_eq!(fx.token().await, "opaque-token-2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_401s_for_the_same_token_renew_it_once() {
    let fx = Fixture::new(Config::default()).await;
    let api = Arc::new(fx.api());
    assert_eq!(api.send(fx.request()).await.unwrap().status(), 200);
    fx.server.revoke_current();

    let calls: Vec<_> = (0..100)
        .map(|_| {
            let api = api.clone();
            let request = fx.request();
            tokio::spawn(async move { api.send(request).await.unwrap().status() })
        })
        .collect();
    for status in futures::future::join_all(calls).await {
        assert_eq!(status.unwrap(), 200);
    }
    assert_eq!(fx.token_requests(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_401_is_returned_with_the_servers_body() {
    let fx = Fixture::new(Config::default()).await;
    fx.server.reject_all.store(true, Ordering::SeqCst);
    let response = fx.api().send(fx.request()).await.unwrap();
    assert_eq!(response.status(), 401);
    let body: Value = serde_json::from_slice(response.body()).unwrap();
    assert_eq!(body["status"], 401);
    assert_eq!(
        body["message"],
        "Unauthorized: the access token is invalid or expired"
    );
    assert_eq!(
        body["instance"], "urn:request:2",
        "the second answer, as sent"
    );
    assert_eq!(fx.token_requests(), 2, "one token, and one renewal");
    assert_eq!(fx.server.api_requests(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalidating_an_old_token_keeps_the_newer_one() {
    let fx = Fixture::new(Config::default()).await;
    let api = fx.api();

    // A request signed with the first token, whose 401 arrives late.
    let mut late = fx.request();
    fx.cache.sign(&mut late).await.unwrap();
    let old = fx.cache.token().await.unwrap();
    assert_eq!(
        late.headers()[header::AUTHORIZATION],
        format!("Bearer {}", secret(&old))
    );

    fx.server.revoke_current();
    assert_eq!(api.send(fx.request()).await.unwrap().status(), 200);
    assert_eq!(fx.token_requests(), 2);
    let new = fx.token().await;
    assert_ne!(new, secret(&old));

    // The late rejection of the old token, and an explicit invalidation of it, keep the new one.
    let unauthorized: Response = http::Response::builder()
        .status(401)
        .body(Bytes::new())
        .unwrap();
    assert_eq!(
        fx.cache.rejected(&late, &unauthorized).await.unwrap(),
        Rejection::RetryOnce
    );
    fx.cache.invalidate(&old);
    assert_eq!(fx.token().await, new);
    assert_eq!(api.send(fx.request()).await.unwrap().status(), 200);
    assert_eq!(fx.token_requests(), 2, "the newer token was kept");

    // Invalidating the current token does drop it.
    fx.cache.invalidate(&fx.cache.token().await.unwrap());
    assert_eq!(fx.token().await, "opaque-token-3");
    assert_eq!(fx.token_requests(), 3);
}
