//! One token request however many callers, and renewal ahead of expiry.

use super::*;

// ---------------------------------------------------------------------------------------------
// Single flight

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_token_calls_on_a_cold_cache_make_one_request_and_again_after_expiry() {
    let fx = Fixture::new(Config::default()).await;

    for round in 1..=2 {
        let calls: Vec<_> = (0..1000)
            .map(|_| {
                let cache = fx.cache.clone();
                tokio::spawn(async move { secret(&cache.token().await.unwrap()) })
            })
            .collect();
        let tokens: HashSet<String> = futures::future::join_all(calls)
            .await
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(fx.token_requests(), round, "round {round}");
        assert_eq!(
            tokens.len(),
            1,
            "every caller gets the one token: {tokens:?}"
        );
        assert!(
            tokens.contains(&format!("opaque-token-{round}")),
            "{tokens:?}"
        );
        // Past the 300 s lifetime: the next round finds the cache expired.
        fx.advance(301.0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_api_requests_on_a_cold_cache_make_one_token_request_and_again_after_expiry() {
    let fx = Fixture::new(Config::default()).await;
    let api = Arc::new(fx.api());

    for round in 1..=2 {
        let calls: Vec<_> = (0..1000)
            .map(|_| {
                let api = api.clone();
                let request = fx.request();
                tokio::spawn(async move { api.send(request).await.unwrap().status() })
            })
            .collect();
        for status in futures::future::join_all(calls).await {
            assert_eq!(status.unwrap(), 200);
        }
        assert_eq!(fx.token_requests(), round, "round {round}");
        assert_eq!(
            fx.server.api_requests(),
            1000 * round,
            "no request needed a retry"
        );
        fx.advance(301.0);
    }
}

// ---------------------------------------------------------------------------------------------
// Renewal ahead of expiry

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cached_tokens_are_served_without_waiting_even_while_a_renewal_runs() {
    let fx = Fixture::new(Config {
        delay: Duration::from_millis(200),
        ..Config::default()
    })
    .await;
    let api = fx.api();

    // The cold call waits for the slow endpoint.
    let (first, took) = timed(fx.cache.token()).await;
    let first = secret(&first.unwrap());
    assert!(took >= Duration::from_millis(200), "{took:?}");

    for _ in 0..50 {
        let (token, took) = timed(fx.cache.token()).await;
        assert_eq!(secret(&token.unwrap()), first);
        assert!(
            took < Duration::from_millis(50),
            "a cached token took {took:?}"
        );
    }

    // Into the renewal window of the 300 s token (it starts at most 30 s before expiry and
    // the token is served until 5 s before it).
    fx.advance(280.0);
    for _ in 0..50 {
        let (token, took) = timed(fx.cache.token()).await;
        assert_eq!(
            secret(&token.unwrap()),
            first,
            "the current token is still served"
        );
        assert!(
            took < Duration::from_millis(50),
            "a call during renewal took {took:?}"
        );
    }
    for _ in 0..5 {
        let (response, took) = timed(api.send(fx.request())).await;
        assert_eq!(response.unwrap().status(), 200);
        // Well under the token endpoint's 200 ms: the API call did not wait for the renewal.
        assert!(
            took < Duration::from_millis(150),
            "an API call during renewal took {took:?}"
        );
    }

    // The renewal ran in the background, once.
    eventually("the background renewal", || fx.token_requests() == 2).await;
    let renewed = served_other_than(&fx.cache, &first).await;
    assert_eq!(renewed, "opaque-token-2");
    let (token, took) = timed(fx.cache.token()).await;
    assert_eq!(secret(&token.unwrap()), renewed);
    assert!(took < Duration::from_millis(50), "{took:?}");
    assert_eq!(api.send(fx.request()).await.unwrap().status(), 200);
    settle().await;
    assert_eq!(fx.token_requests(), 2);
}

/// A token of `expires_in` seconds is not renewed at `quiet` seconds and is being renewed by
/// `due` seconds, while still being served.
async fn assert_renewal_window(expires_in: u64, quiet: f64, due: f64) {
    let fx = Fixture::new(Config {
        expires_in: Some(expires_in),
        ..Config::default()
    })
    .await;
    let first = fx.token().await;

    fx.advance(quiet);
    assert_eq!(fx.token().await, first);
    settle().await;
    assert_eq!(
        fx.token_requests(),
        1,
        "a {expires_in} s token was renewed at {quiet} s"
    );

    fx.advance(due - quiet);
    assert_eq!(
        fx.token().await,
        first,
        "the valid token is served during renewal"
    );
    eventually("the renewal", || fx.token_requests() == 2).await;
    assert_eq!(served_other_than(&fx.cache, &first).await, "opaque-token-2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_token_is_renewed_between_30_and_24_seconds_before_expiry() {
    // Margin min(30 s, 3600 s / 2) = 30 s, less up to 20 % jitter: renew_at in [3570, 3576].
    assert_renewal_window(3600, 3569.9, 3576.1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_token_is_renewed_in_its_last_10_seconds() {
    // Margin min(30 s, 20 s / 2) = 10 s, less up to 20 % jitter: renew_at in [10, 12].
    assert_renewal_window(20, 9.9, 12.1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_is_not_served_in_its_last_seconds() {
    // Skew min(5 s, lifetime / 10): a 20 s token is served until 18 s, not after. (Token
    // requests are not retried here: each failure is one request.)
    let fx = Fixture::with(
        Config {
            expires_in: Some(20),
            ..Config::default()
        },
        |builder| builder.retry(RetryPolicy::never()),
    )
    .await;
    let first = fx.token().await;
    // Renewals fail, so only the skew decides what is served.
    fx.server.set(|c| c.failure = Some(Failure::Plain(503)));
    fx.advance(17.9);
    assert_eq!(fx.token().await, first);
    eventually("the failed renewal", || fx.token_requests() == 2).await;
    settle().await;
    fx.advance(0.1); // 18.0 s: no longer usable, though 2 s are left.
    // The failed renewal is backed off from (at least 0.5 s): the caller gets that error
    // rather than the old token.
    let err = fx.cache.token().await.unwrap_err();
    assert!(matches!(err, Error::BackingOff { .. }), "{err:?}");
    // Once the back-off is over, a new token is fetched before anything is served.
    fx.server.set(|c| c.failure = None);
    fx.advance(1.0);
    assert_eq!(fx.token().await, "opaque-token-2");
    assert_eq!(fx.token_requests(), 3);
}
