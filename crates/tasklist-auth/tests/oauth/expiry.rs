//! Which expiry wins: `expires_in`, the JWT `exp`, or the default.

use super::*;

// ---------------------------------------------------------------------------------------------
// Expiry: expires_in, JWT exp

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_jwt_exp_wins_when_it_is_earlier_than_expires_in() {
    let fx = Fixture::new(Config {
        expires_in: Some(3600),
        jwt_exp_in: Some(100),
        ..Config::default()
    })
    .await;
    let token = fx.cache.token().await.unwrap();
    assert_eq!(token.audience(), ["tasklist-api"]);
    let left = token.expires_at().duration_since(fx.clock.wall()).unwrap();
    assert!(
        left > Duration::from_secs(98) && left <= Duration::from_secs(100),
        "{left:?}"
    );

    // With a ~100 s lifetime the renewal starts 24..30 s before the end, not near 3600 s.
    fx.advance(65.0);
    let first = fx.token().await;
    settle().await;
    assert_eq!(fx.token_requests(), 1);
    fx.advance(13.0); // 78 s
    assert_eq!(fx.token().await, first);
    eventually("the renewal driven by exp", || fx.token_requests() == 2).await;
    served_other_than(&fx.cache, &first).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expires_in_wins_when_it_is_earlier_than_the_jwt_exp() {
    let fx = Fixture::new(Config {
        expires_in: Some(100),
        jwt_exp_in: Some(3600),
        ..Config::default()
    })
    .await;
    let token = fx.cache.token().await.unwrap();
    assert_eq!(
        token.expires_at().duration_since(fx.clock.wall()).unwrap(),
        Duration::from_secs(100)
    );
    // Past 100 s - min(5 s, 10 s): a new token is fetched before anything is served.
    fx.advance(95.0);
    let second = fx.token().await;
    assert_ne!(second, secret(&token));
    assert_eq!(fx.token_requests(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_opaque_token_lives_by_expires_in() {
    let fx = Fixture::new(Config {
        expires_in: Some(120),
        ..Config::default()
    })
    .await;
    let token = fx.cache.token().await.unwrap();
    assert!(token.audience().is_empty());
    assert_eq!(
        token.expires_at().duration_since(fx.clock.wall()).unwrap(),
        Duration::from_secs(120)
    );
    fx.advance(89.0); // renewal starts at 120 - 30 s (less jitter) = 90..96 s at the earliest
    assert_eq!(fx.token().await, "opaque-token-1");
    settle().await;
    assert_eq!(fx.token_requests(), 1);
    fx.advance(26.0); // 115 s: unusable, fetched before being served
    assert_eq!(fx.token().await, "opaque-token-2");
    assert_eq!(fx.token_requests(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_without_expires_in_or_exp_is_taken_to_live_60_seconds() {
    let fx = Fixture::new(Config {
        expires_in: None,
        ..Config::default()
    })
    .await;
    let token = fx.cache.token().await.unwrap();
    assert_eq!(
        token.expires_at().duration_since(fx.clock.wall()).unwrap(),
        Duration::from_secs(60)
    );
    fx.advance(55.0);
    assert_eq!(fx.token().await, "opaque-token-2");
}
