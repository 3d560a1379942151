//! A `200` token response with any body, as a token endpoint (or whatever answers in its
//! place) might send it, through the client's decoding, the token cache's lifetime arithmetic
//! and the disk cache's format.
//!
//! Properties: it never panics (no clock arithmetic overflows, whatever `expires_in` or a
//! JWT's `exp` says); a token is served at most a year, renewed no later than it stops being
//! served, and expires at most a year from now; a token the cache accepts survives the disk
//! cache's format byte for byte; a body that cannot be used gives a non-empty message that
//! never quotes the access token it held.

#![no_main]

use std::time::{Duration, SystemTime};

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

const YEAR: Duration = Duration::from_secs(365 * 24 * 60 * 60);

fuzz_target!(|data: &[u8]| {
    let before = SystemTime::now();
    let token = serde_json::from_slice::<Value>(data)
        .ok()
        .and_then(|v| v.get("access_token").and_then(Value::as_str).map(str::to_owned));
    match tasklist_auth::fuzzing::token_response(data) {
        Ok(lifetimes) => {
            assert!(lifetimes.usable_for <= YEAR, "{lifetimes:?}");
            assert!(lifetimes.renew_in <= lifetimes.usable_for.max(lifetimes.renew_in));
            assert!(lifetimes.renew_in <= YEAR, "{lifetimes:?}");
            let latest = before + YEAR + Duration::from_secs(60);
            assert!(lifetimes.expires_at <= latest, "{lifetimes:?}");
            assert!(lifetimes.expires_at >= before - Duration::from_secs(1));
            // The token decoded is the one written to disk and read back. (When the body is
            // not valid JSON for `serde_json::Value`, e.g. invalid UTF-8 in a field the
            // decoder skips, the token is not known here; it still must come back.)
            match token {
                Some(token) => {
                    assert_eq!(lifetimes.disk_round_trip.as_deref(), Some(token.as_str()));
                }
                None => assert!(lifetimes.disk_round_trip.is_some(), "{lifetimes:?}"),
            }
        }
        Err(message) => {
            assert!(!message.is_empty());
            if let Some(token) = token.filter(|t| t.chars().count() >= 16) {
                assert!(!message.contains(&token), "the token leaked: {message}");
            }
        }
    }
});
