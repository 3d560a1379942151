//! Access tokens as the cache holds them.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use secrecy::SecretString;

/// The longest lifetime believed of any token: a year. Longer ones (an `expires_in` of `1e20`,
/// a JWT `exp` in the year 9999) are taken as this, so no clock arithmetic can overflow.
pub(crate) const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// An access token and what is known of its lifetime.
///
/// `Debug` shows the lifetime and claims, never the token.
#[derive(Clone)]
pub struct AccessToken {
    pub(crate) secret: SecretString,
    /// Wall-clock expiry, for display and the disk cache.
    pub(crate) expires_at_wall: SystemTime,
    /// Which fetch produced it; a 401 invalidates only its own generation.
    pub(crate) generation: u64,
    pub(crate) audience: Vec<String>,
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("token", &"<redacted>")
            .field("expires_at", &humantime_utc(self.expires_at_wall))
            .field("generation", &self.generation)
            .field("audience", &self.audience)
            .finish()
    }
}

impl AccessToken {
    /// The token itself, for the `Authorization: Bearer` header.
    ///
    /// Handle with care: it grants access to the API until it expires.
    pub fn secret(&self) -> &SecretString {
        &self.secret
    }

    /// When the token expires, on the wall clock.
    pub fn expires_at(&self) -> SystemTime {
        self.expires_at_wall
    }

    /// The audiences of a JWT access token (`aud`); empty for opaque tokens.
    pub fn audience(&self) -> &[String] {
        &self.audience
    }
}

/// `at` as an RFC 3339 UTC timestamp, to the second.
pub(crate) fn humantime_utc(at: SystemTime) -> String {
    humantime::format_rfc3339_seconds(at).to_string()
}

/// Claims read from a JWT access token; opaque tokens have none.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct JwtClaims {
    pub(crate) exp: Option<u64>,
    pub(crate) audience: Vec<String>,
}

/// Reads `exp` and `aud` from a JWT's payload without checking its signature: the client
/// only needs to know when to renew; the server does the checking.
pub(crate) fn jwt_claims(token: &str) -> JwtClaims {
    let mut parts = token.split('.');
    let (Some(_header), Some(payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return JwtClaims::default();
    };
    let Ok(bytes) =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('='))
    else {
        return JwtClaims::default();
    };
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return JwtClaims::default();
    };
    // A fractional or huge `exp` is taken as whole seconds, saturating (`as` never wraps).
    let exp = value.get("exp").and_then(|e| {
        e.as_u64().or_else(|| {
            e.as_f64()
                .filter(|f| f.is_finite() && *f >= 0.0)
                .map(|f| f as u64)
        })
    });
    let audience = match value.get("aud") {
        Some(serde_json::Value::String(a)) => vec![a.clone()],
        Some(serde_json::Value::Array(list)) => list
            .iter()
            .filter_map(|a| a.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    JwtClaims { exp, audience }
}

/// The lifetime left to a token, from `expires_in` and a JWT `exp`, whichever ends first, at
/// most [`MAX_TOKEN_LIFETIME`]. `None` when neither is known.
pub(crate) fn remaining_lifetime(
    expires_in: Option<Duration>,
    exp: Option<u64>,
    wall_now: SystemTime,
) -> Option<Duration> {
    let from_exp = exp.map(|exp| {
        UNIX_EPOCH
            .checked_add(Duration::from_secs(exp))
            .map_or(MAX_TOKEN_LIFETIME, |at| {
                at.duration_since(wall_now).unwrap_or(Duration::ZERO)
            })
    });
    let left = match (expires_in, from_exp) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    left.map(|left| left.min(MAX_TOKEN_LIFETIME))
}

/// `at` plus `by`, or the latest time that can be written when that overflows.
pub(crate) fn wall_after(at: SystemTime, by: Duration) -> SystemTime {
    at.checked_add(by.min(MAX_TOKEN_LIFETIME))
        .or_else(|| at.checked_add(MAX_TOKEN_LIFETIME))
        .unwrap_or(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        let enc = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!("{}.{}.sig", enc(r#"{"alg":"RS256"}"#), enc(payload))
    }

    #[test]
    fn reads_exp_and_audience_from_a_jwt() {
        let claims = jwt_claims(&jwt(r#"{"exp":1800000000,"aud":["tasklist-api","x"]}"#));
        assert_eq!(claims.exp, Some(1_800_000_000));
        assert_eq!(claims.audience, vec!["tasklist-api", "x"]);
        let single = jwt_claims(&jwt(r#"{"exp":1.8e9,"aud":"tasklist.camunda.io"}"#));
        assert_eq!(single.exp, Some(1_800_000_000));
        assert_eq!(single.audience, vec!["tasklist.camunda.io"]);
    }

    #[test]
    fn opaque_and_malformed_tokens_have_no_claims() {
        for token in [
            "3ztCyBjM5P3fx5InwK6Xt7slD11a7gfX7Z",
            "a.b.c",
            "a.!!!.c",
            "a.b",
            "",
        ] {
            assert_eq!(jwt_claims(token), JwtClaims::default(), "{token}");
        }
    }

    #[test]
    fn earlier_of_expires_in_and_exp_wins() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000);
        let d = |s| Duration::from_secs(s);
        assert_eq!(
            remaining_lifetime(Some(d(300)), Some(1_100), now),
            Some(d(100))
        );
        assert_eq!(
            remaining_lifetime(Some(d(60)), Some(1_100), now),
            Some(d(60))
        );
        assert_eq!(remaining_lifetime(None, Some(1_100), now), Some(d(100)));
        assert_eq!(remaining_lifetime(Some(d(5)), None, now), Some(d(5)));
        assert_eq!(
            remaining_lifetime(None, Some(900), now),
            Some(Duration::ZERO)
        );
        assert_eq!(remaining_lifetime(None, None, now), None);
    }

    #[test]
    fn hostile_expiry_values_saturate_instead_of_overflowing() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000);
        let year = MAX_TOKEN_LIFETIME;
        assert_eq!(remaining_lifetime(None, Some(u64::MAX), now), Some(year));
        assert_eq!(
            remaining_lifetime(Some(Duration::MAX), None, now),
            Some(year)
        );
        assert_eq!(
            remaining_lifetime(Some(Duration::MAX), Some(u64::MAX), now),
            Some(year)
        );
        let far = jwt_claims(&jwt(r#"{"exp":1e300}"#));
        assert_eq!(far.exp, Some(u64::MAX));
        assert_eq!(
            jwt_claims(&jwt(r#"{"exp":1800000000.75}"#)).exp,
            Some(1_800_000_000)
        );
        assert_eq!(jwt_claims(&jwt(r#"{"exp":-5}"#)).exp, None);
        assert_eq!(wall_after(now, Duration::MAX), now + year);
        let end = UNIX_EPOCH + Duration::from_secs(i64::MAX as u64 / 2);
        assert!(wall_after(end, Duration::MAX) >= end);
    }

    #[test]
    fn utc_formatting() {
        assert_eq!(humantime_utc(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        assert_eq!(
            humantime_utc(UNIX_EPOCH + Duration::from_secs(1_795_881_433)),
            "2026-11-28T15:57:13Z"
        );
    }
}
