//! Failed token requests: kept tokens, back-off, refused clients, HTML and unreachable endpoints.

use super::*;

// ---------------------------------------------------------------------------------------------
// Failures

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_renewal_keeps_serving_the_valid_token_and_the_error_surfaces_after_expiry() {
    let fx = Fixture::new(Config {
        expires_in: Some(3600),
        ..Config::default()
    })
    .await;
    let first = fx.token().await;
    fx.server.set(|c| c.failure = Some(Failure::Plain(500)));

    fx.advance(3580.0); // in the renewal window
    assert_eq!(fx.token().await, first);
    eventually("the failed renewal", || fx.token_requests() == 2).await;
    settle().await;
    // No error while the token is valid, and the failure is backed off from.
    for _ in 0..10 {
        assert_eq!(fx.token().await, first);
    }
    assert_eq!(fx.api_status().await, 200);
    settle().await;
    assert_eq!(fx.token_requests(), 2);

    // 3596 s: the token is no longer usable (skew 5 s); the failure reaches the caller.
    fx.advance(16.0);
    let err = fx.cache.token().await.unwrap_err();
    let cause = match &err {
        Error::BackingOff { last, .. } => last.as_ref(),
        other => other,
    };
    assert!(
        matches!(cause, Error::TokenResponse { status: 500, .. }),
        "{err:?}"
    );
    assert!(err.is_transient());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_503_is_backed_off_without_requests_until_the_wait_is_over() {
    // Each fetch is one request here (no retries), so the count shows the cache's back-off.
    let fx = Fixture::with(
        Config {
            failure: Some(Failure::Plain(503)),
            ..Config::default()
        },
        |builder| builder.retry(RetryPolicy::never()),
    )
    .await;
    let api = fx.api();

    let err = fx.cache.token().await.unwrap_err();
    assert!(
        matches!(err, Error::TokenResponse { status: 503, ref detail, .. } if detail.contains("unavailable")),
        "{err:?}"
    );
    assert!(err.is_transient());

    // Immediately again: no request, the back-off error.
    let again = fx.cache.token().await.unwrap_err();
    let Error::BackingOff { last, retry_in } = &again else {
        panic!("expected BackingOff, got {again:?}");
    };
    assert!(matches!(**last, Error::TokenResponse { status: 503, .. }));
    assert!(*retry_in <= Duration::from_secs(1), "{retry_in:?}");
    // Through the API stack as well: the API is not called either.
    let err = api.send(fx.request()).await.unwrap_err();
    assert!(err.is_auth(), "{err:?}");
    let cause = std::error::Error::source(&err)
        .unwrap()
        .downcast_ref::<Error>()
        .unwrap();
    assert!(matches!(cause, Error::BackingOff { .. }), "{cause:?}");
    assert_eq!(fx.token_requests(), 1);
    assert_eq!(fx.server.api_requests(), 0);

    // Exponential: each further failure waits longer, up to 60 s (jitter: half to all of it).
    let mut failures = 1;
    for ceiling in [1u64, 2, 4, 8, 16, 32, 60, 60, 60] {
        let Error::BackingOff { retry_in, .. } = fx.cache.token().await.unwrap_err() else {
            panic!("not backing off after {failures} failures");
        };
        let ceiling = Duration::from_secs(ceiling);
        assert!(
            retry_in <= ceiling && retry_in >= ceiling / 2,
            "after {failures} failures: {retry_in:?}, expected {:?}..={ceiling:?}",
            ceiling / 2
        );
        assert_eq!(fx.token_requests(), failures);
        fx.clock.advance(retry_in);
        assert!(fx.cache.token().await.is_err());
        failures += 1;
        assert_eq!(
            fx.token_requests(),
            failures,
            "a request once the wait is over"
        );
    }

    // Healthy again; after 60 s (the longest back-off) a request is made and succeeds.
    fx.server.set(|c| c.failure = None);
    assert!(matches!(
        fx.cache.token().await,
        Err(Error::BackingOff { .. })
    ));
    fx.advance(60.1);
    assert_eq!(fx.token().await, "opaque-token-1");
    assert_eq!(fx.token_requests(), failures + 1);
    assert_eq!(api.send(fx.request()).await.unwrap().status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_client_is_reported_and_not_retried_for_60_seconds() {
    let fx = Fixture::new(Config {
        failure: Some(Failure::OAuth {
            status: 401,
            code: "invalid_client",
            description: "Invalid client or Invalid client credentials",
        }),
        ..Config::default()
    })
    .await;
    let err = fx.cache.token().await.unwrap_err();
    match &err {
        Error::TokenEndpoint {
            url,
            status,
            code,
            description,
        } => {
            assert_eq!(*status, 401);
            assert_eq!(code, "invalid_client");
            assert_eq!(
                description.as_deref(),
                Some("Invalid client or Invalid client credentials")
            );
            assert_eq!(*url, fx.server.token_url());
        }
        other => panic!("expected TokenEndpoint, got {other:?}"),
    }
    assert!(err.is_bad_credentials() && !err.is_transient());
    let text = err.to_string();
    assert!(text.contains("invalid_client: Invalid client"), "{text}");
    assert!(text.contains("CAMUNDA_CLIENT_SECRET"), "{text}");

    fx.advance(59.9);
    for _ in 0..5 {
        let err = fx.cache.token().await.unwrap_err();
        assert!(matches!(err, Error::BackingOff { .. }), "{err:?}");
        assert!(err.is_bad_credentials());
    }
    assert_eq!(
        fx.token_requests(),
        1,
        "refused credentials retried within 60 s"
    );
    fx.advance(0.2);
    assert!(fx.cache.token().await.is_err());
    assert_eq!(fx.token_requests(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_html_page_is_reported_with_an_excerpt() {
    let fx = Fixture::new(Config {
        failure: Some(Failure::Html(502)),
        ..Config::default()
    })
    .await;
    let err = fx.cache.token().await.unwrap_err();
    match &err {
        Error::TokenResponse { status, detail, .. } => {
            assert_eq!(*status, 502);
            assert!(
                detail.contains("<title>502 Bad Gateway</title>"),
                "{detail}"
            );
        }
        other => panic!("expected TokenResponse, got {other:?}"),
    }
    assert!(err.is_transient());
    let text = err.to_string();
    assert!(
        text.contains("did not answer like an OAuth 2.0 server"),
        "{text}"
    );
    assert!(text.contains("CAMUNDA_OAUTH_URL"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_token_endpoint_is_a_transport_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let credentials = ClientCredentials::builder(
        format!("http://127.0.0.1:{port}/oauth/token"),
        CLIENT_ID,
        SECRET.into(),
    )
    .build(transport().into_shared())
    .unwrap();
    let cache = TokenCache::builder(Arc::new(credentials)).build();
    let err = cache.token().await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.is_transient());
    assert!(!chain(&err).contains(SECRET));
}
