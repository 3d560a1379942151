//! Issued tokens, sessions and the signing key of one server ([`AuthState`]): minting and
//! checking the HS256 access tokens (with Spring's messages for a refused one), and creating,
//! finding and ending cookie sessions.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::lock::{lock, read, write};
use crate::config::{Config, Profile};

/// Spring's prefix of every bearer-token decoding failure (`NimbusJwtDecoder`).
const DECODE_PREFIX: &str = "An error occurred while attempting to decode the Jwt: ";

/// The claims of an issued access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Claims {
    /// The issuer (`Config::issuer`).
    iss: String,
    /// The client id.
    pub(crate) sub: String,
    /// The audience.
    aud: Audience,
    /// Issued at, seconds since the epoch.
    iat: u64,
    /// Expires at, seconds since the epoch.
    exp: u64,
    /// The token's sequence number, as text; used to expire every token issued so far.
    jti: String,
    /// The client the token was issued to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    azp: Option<String>,
}

/// An `aud` claim: one audience or several.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
enum Audience {
    /// A single audience.
    One(String),
    /// Several audiences.
    Many(Vec<String>),
}

impl Audience {
    /// The audiences, as a list.
    fn list(&self) -> Vec<&str> {
        match self {
            Audience::One(one) => vec![one.as_str()],
            Audience::Many(many) => many.iter().map(String::as_str).collect(),
        }
    }
}

/// One cookie session.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    /// The user logged in.
    pub(crate) username: String,
    /// The CSRF token of the session, when CSRF protection is on.
    pub(crate) csrf: Option<String>,
    /// The last request made with the session.
    last_seen: Instant,
    /// Set by [`AuthState::expire_sessions`].
    expired: bool,
}

/// Issued tokens, sessions and the signing key of one server.
pub(crate) struct AuthState {
    /// The HS256 key; replaced by [`AuthState::revoke_tokens`].
    key: RwLock<Vec<u8>>,
    /// The sequence number of the next token.
    next_token: AtomicU64,
    /// Tokens numbered below this one are expired.
    expired_below: AtomicU64,
    /// When [`AuthState::expire_tokens`] was last called, seconds since the epoch.
    expired_at: AtomicU64,
    /// Sessions by id.
    sessions: Mutex<HashMap<String, Session>>,
    /// Tokens issued (by the endpoint or minted).
    issued: AtomicU64,
    /// Sessions created by successful logins.
    logins_ok: AtomicU64,
}

impl AuthState {
    /// Fresh state with a random signing key.
    pub(crate) fn new() -> Self {
        AuthState {
            key: RwLock::new(random_key()),
            next_token: AtomicU64::new(1),
            expired_below: AtomicU64::new(0),
            expired_at: AtomicU64::new(0),
            sessions: Mutex::new(HashMap::new()),
            issued: AtomicU64::new(0),
            logins_ok: AtomicU64::new(0),
        }
    }

    /// Signs a token for `subject` with audience `audience`, valid for `lifetime` from now.
    pub(crate) fn mint(
        &self,
        config: &Config,
        subject: &str,
        audience: &str,
        lifetime: Duration,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let now = now_secs_f64();
        // The whole-second `exp` is rounded up, so the token lives at least `lifetime`.
        let iat = now.floor() as u64;
        let exp = (now + lifetime.as_secs_f64()).ceil() as u64;
        let seq = self.next_token.fetch_add(1, Ordering::Relaxed);
        let claims = Claims {
            iss: config.issuer.clone(),
            sub: subject.to_owned(),
            aud: Audience::One(audience.to_owned()),
            iat,
            exp,
            jti: seq.to_string(),
            azp: Some(subject.to_owned()),
        };
        let key = EncodingKey::from_secret(&read(&self.key))?;
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &key)?;
        self.issued.fetch_add(1, Ordering::Relaxed);
        Ok(token)
    }

    /// Checks a bearer token: signature, expiry, audience. `Err` carries Spring's message.
    pub(crate) fn validate(&self, config: &Config, token: &str) -> Result<Claims, String> {
        if token.split('.').count() != 3 {
            return Err(format!(
                "{DECODE_PREFIX}Invalid JWT serialization: Missing dot delimiter(s)"
            ));
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.validate_aud = false;
        validation.required_spec_claims.clear();
        let data = DecodingKey::from_secret(&read(&self.key))
            .and_then(|key| jsonwebtoken::decode::<Claims>(token, &key, &validation))
            .map_err(|e| {
                use jsonwebtoken::errors::ErrorKind;
                match e.kind() {
                    ErrorKind::InvalidSignature => {
                        format!("{DECODE_PREFIX}Signed JWT rejected: Invalid signature")
                    }
                    ErrorKind::InvalidAlgorithm => format!(
                        "{DECODE_PREFIX}Signed JWT rejected: Another algorithm expected, or no \
                         matching key(s) found"
                    ),
                    _ => format!("{DECODE_PREFIX}Malformed payload"),
                }
            })?;
        let claims = data.claims;
        let now = now_secs_f64();
        let seq: u64 = claims.jti.parse().unwrap_or(0);
        if seq < self.expired_below.load(Ordering::Relaxed) {
            let at = self.expired_at.load(Ordering::Relaxed);
            return Err(format!("{DECODE_PREFIX}Jwt expired at {}", rfc3339(at)));
        }
        if now >= claims.exp as f64 {
            return Err(format!(
                "{DECODE_PREFIX}Jwt expired at {}",
                rfc3339(claims.exp)
            ));
        }
        let audiences = claims.aud.list();
        if !audiences.contains(&config.api_audience.as_str()) {
            return Err(match config.profile {
                Profile::V8_7 => "JWT payload validation failed".to_owned(),
                _ => format!(
                    "{DECODE_PREFIX}Token audiences are [{}], expected at least one of [{}]",
                    audiences.join(", "),
                    config.api_audience
                ),
            });
        }
        Ok(claims)
    }

    /// Treats every token issued so far as expired.
    pub(crate) fn expire_tokens(&self) {
        let next = self.next_token.load(Ordering::Relaxed);
        self.expired_at
            .store(now_secs_f64().floor() as u64, Ordering::Relaxed);
        self.expired_below.store(next, Ordering::Relaxed);
    }

    /// Rotates the signing key: every token issued so far fails its signature check.
    pub(crate) fn revoke_tokens(&self) {
        *write(&self.key) = random_key();
    }

    /// Marks every session as timed out (kept, but refused).
    pub(crate) fn expire_sessions(&self) {
        for session in lock(&self.sessions).values_mut() {
            session.expired = true;
        }
    }

    /// Forgets every session.
    pub(crate) fn revoke_sessions(&self) {
        lock(&self.sessions).clear();
    }

    /// Sessions that would still be accepted (not expired, not timed out).
    pub(crate) fn active_sessions(&self, config: &Config) -> usize {
        lock(&self.sessions)
            .values()
            .filter(|s| !s.expired && !idle_too_long(s, config))
            .count()
    }

    /// Tokens issued so far.
    pub(crate) fn tokens_issued(&self) -> u64 {
        self.issued.load(Ordering::Relaxed)
    }

    /// Successful logins so far.
    pub(crate) fn successful_logins(&self) -> u64 {
        self.logins_ok.load(Ordering::Relaxed)
    }

    /// Creates a session for `username`; returns its id and CSRF token.
    pub(crate) fn create_session(&self, username: &str, csrf: bool) -> (String, Option<String>) {
        let id = random_hex(16);
        let csrf = csrf.then(|| random_hex(16));
        lock(&self.sessions).insert(
            id.clone(),
            Session {
                username: username.to_owned(),
                csrf: csrf.clone(),
                last_seen: Instant::now(),
                expired: false,
            },
        );
        self.logins_ok.fetch_add(1, Ordering::Relaxed);
        (id, csrf)
    }

    /// The live session `id`, touched; `None` if unknown, expired or idle too long (then it is
    /// removed).
    pub(crate) fn session(&self, config: &Config, id: &str) -> Option<Session> {
        let mut sessions = lock(&self.sessions);
        let session = sessions.get_mut(id)?;
        if session.expired || idle_too_long(session, config) {
            sessions.remove(id);
            return None;
        }
        session.last_seen = Instant::now();
        Some(session.clone())
    }

    /// Ends session `id`, if any.
    pub(crate) fn remove_session(&self, id: &str) {
        lock(&self.sessions).remove(id);
    }
}

/// Whether `session` went unused longer than the configured session lifetime.
fn idle_too_long(session: &Session, config: &Config) -> bool {
    config
        .session_lifetime
        .is_some_and(|lifetime| session.last_seen.elapsed() >= lifetime)
}

/// A random 256-bit HS256 key. `fastrand` is not a cryptographic generator: the keys and
/// session ids of this test server are unpredictable enough for tests, not for production.
fn random_key() -> Vec<u8> {
    (0..32).map(|_| fastrand::u8(..)).collect()
}

/// `bytes` random bytes as lowercase hex.
fn random_hex(bytes: usize) -> String {
    (0..bytes)
        .map(|_| format!("{:02x}", fastrand::u8(..)))
        .collect()
}

/// Now, in seconds since the epoch.
fn now_secs_f64() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// `secs` since the epoch as an RFC 3339 instant (`2024-01-01T00:00:00Z`, as Java's `Instant`).
fn rfc3339(secs: u64) -> String {
    i64::try_from(secs)
        .ok()
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .map(|t| t.to_string())
        .unwrap_or_else(|| secs.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::default()
    }

    #[test]
    fn minted_tokens_validate_until_expired_or_revoked() {
        let auth = AuthState::new();
        let config = config();
        let token = auth
            .mint(&config, "tasklist", "tasklist-api", Duration::from_secs(60))
            .unwrap();
        let claims = auth.validate(&config, &token).unwrap();
        assert_eq!(claims.sub, "tasklist");
        assert!(claims.exp >= claims.iat + 60);

        auth.expire_tokens();
        let err = auth.validate(&config, &token).unwrap_err();
        assert!(err.contains("Jwt expired at"), "{err}");

        let token = auth
            .mint(&config, "tasklist", "tasklist-api", Duration::from_secs(60))
            .unwrap();
        assert!(auth.validate(&config, &token).is_ok());
        auth.revoke_tokens();
        let err = auth.validate(&config, &token).unwrap_err();
        assert!(
            err.ends_with("Signed JWT rejected: Invalid signature"),
            "{err}"
        );
    }

    #[test]
    fn zero_lifetime_tokens_are_expired_at_once() {
        let auth = AuthState::new();
        let config = config();
        let token = auth
            .mint(&config, "tasklist", "tasklist-api", Duration::ZERO)
            .unwrap();
        // `exp` is rounded up to the next second, so wait past it.
        std::thread::sleep(Duration::from_millis(1100));
        let err = auth.validate(&config, &token).unwrap_err();
        assert!(err.contains("Jwt expired at 20"), "{err}");
    }

    #[test]
    fn audience_and_garbage_are_refused_with_springs_messages() {
        let auth = AuthState::new();
        let mut config = config();
        let token = auth
            .mint(&config, "c", "zeebe-api", Duration::from_secs(60))
            .unwrap();
        assert_eq!(
            auth.validate(&config, &token).unwrap_err(),
            "JWT payload validation failed"
        );
        config.profile = Profile::V8_8;
        assert_eq!(
            auth.validate(&config, &token).unwrap_err(),
            "An error occurred while attempting to decode the Jwt: Token audiences are \
             [zeebe-api], expected at least one of [tasklist-api]"
        );
        assert!(
            auth.validate(&config, "nodots")
                .unwrap_err()
                .contains("Missing dot")
        );
        assert!(
            auth.validate(&config, "a.b.c")
                .unwrap_err()
                .ends_with("Malformed payload")
        );
    }

    #[test]
    fn sessions_expire_and_are_revoked() {
        let auth = AuthState::new();
        let mut config = config();
        let (id, csrf) = auth.create_session("demo", true);
        assert!(csrf.is_some());
        assert_eq!(auth.session(&config, &id).unwrap().username, "demo");
        assert_eq!(auth.active_sessions(&config), 1);
        auth.expire_sessions();
        assert!(auth.session(&config, &id).is_none());
        let (id, _) = auth.create_session("demo", false);
        auth.revoke_sessions();
        assert!(auth.session(&config, &id).is_none());
        config.session_lifetime = Some(Duration::ZERO);
        let (id, _) = auth.create_session("demo", false);
        assert!(auth.session(&config, &id).is_none());
        assert_eq!(auth.successful_logins(), 3);
    }
}
