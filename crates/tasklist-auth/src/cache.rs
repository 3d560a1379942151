//! The token cache: single-flight fetches, renewal ahead of expiry, back-off, and renewal of
//! exactly the token a server rejected.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use arc_swap::ArcSwapOption;
use futures::FutureExt;
use futures::future::{BoxFuture, Shared};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};
use tasklist_transport::redact::register_session_value;
use tasklist_transport::{Authenticator, Rejection, Request, Response};

use crate::clock::{Clock, SystemClock};
use crate::disk::{DiskCache, DiskToken};
use crate::error::Error;
use crate::oauth::{FetchedToken, TokenSource};
use crate::token::{AccessToken, MAX_TOKEN_LIFETIME, jwt_claims, remaining_lifetime, wall_after};

/// Renew when less than this is left (or half the lifetime, for short tokens).
const MAX_RENEWAL_MARGIN: Duration = Duration::from_secs(30);
/// Stop using a token when less than this is left (or a tenth of its lifetime).
const MAX_EXPIRY_SKEW: Duration = Duration::from_secs(5);
/// Lifetime assumed for a token whose response says nothing of its expiry.
const UNKNOWN_LIFETIME: Duration = Duration::from_secs(60);
/// The shortest lifetime believed of a fresh token: a server that says `expires_in` of 0 or
/// 1 would otherwise cost a token request per API call. As renewal starts at most half a
/// lifetime early, it also limits renewals to one per 5 s.
const MIN_TOKEN_LIFETIME: Duration = Duration::from_secs(10);
const MIN_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// How long refused credentials are not tried again.
const BAD_CREDENTIALS_BACKOFF: Duration = Duration::from_secs(60);

/// A token with the instants that govern its use.
struct Cached {
    token: AccessToken,
    /// `Bearer <token>`, built once and shared by every request the token signs; `None` when
    /// the token holds characters a header cannot.
    header: Option<http::HeaderValue>,
    /// From here on, a background renewal is started (the token is still served).
    renew_at: Instant,
    /// From here on, the token is not served any more.
    usable_until: Instant,
    /// Set by the first caller that starts this token's renewal, so later callers in the
    /// renewal window do not touch the lock; cleared when that renewal fails.
    renewal_started: AtomicBool,
}

type SharedFetch = Shared<BoxFuture<'static, Result<Arc<Cached>, Error>>>;

struct Failure {
    error: Error,
    not_before: Instant,
    consecutive: u32,
}

#[derive(Default)]
struct State {
    inflight: Option<SharedFetch>,
    failure: Option<Failure>,
    next_generation: u64,
    /// Hash of the last token a server rejected, so the disk cache never hands it back.
    rejected: Option<[u8; 32]>,
}

struct Inner {
    source: Arc<dyn TokenSource>,
    clock: Arc<dyn Clock>,
    disk: Option<DiskCache>,
    current: ArcSwapOption<Cached>,
    state: Mutex<State>,
}

/// Caches the tokens of a [`TokenSource`] and signs requests with them.
///
/// - **Single-flight**: however many callers find the cache cold or expired, one token
///   request is made and every caller gets its result; callers holding a valid token never
///   wait on anything.
/// - **Renewal ahead of expiry**: once less than `min(30 s, lifetime / 2)` (less up to 20 %
///   jitter) is left, the next caller starts a renewal in the background and is served the
///   current token. Expiry is the earlier of `expires_in` and a JWT's `exp` claim, kept on a
///   monotonic clock; opaque tokens work on `expires_in` alone.
/// - **Failures**: while the current token is valid, a failed renewal is logged and the token
///   is still served; only a caller that needs a token when none is valid gets the error.
///   Failures back off exponentially (1 s to 60 s, with jitter); while backing off, callers get
///   [`Error::BackingOff`] without a request being made. Refused credentials
///   (`invalid_client`) are not tried again for 60 s.
/// - **Rejection**: as an [`Authenticator`], a 401 drops exactly the token the rejected
///   request carried (not a newer one fetched meanwhile) and the request is retried once
///   with a new token.
/// - **Hostile lifetimes**: lifetimes are clamped to a year (`expires_in: 1e20`, a JWT `exp`
///   in the year 9999 or fractional) and a fresh token is believed to live at least 10 s
///   (`expires_in: 0`), with a warning, so it is renewed at most every 5 s.
/// - **Disk** (optional, see [`DiskCache`]): a fresh process reads a valid token from disk
///   instead of asking the token endpoint. A token there that is still valid is used at once,
///   without waiting for another process's lock (which may be held by a fetch stuck on a slow
///   endpoint); if it is due for renewal, the renewal starts in the background and its failure
///   only logs a warning.
///
/// Cloning is cheap; clones share the cache.
///
/// # Example
///
/// ```no_run
/// use std::sync::Arc;
/// use tasklist_auth::{ClientCredentials, TokenCache};
/// use tasklist_transport::{HttpTransport, RetryPolicy, TransportExt};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let http = HttpTransport::builder().build()?;
/// let credentials = ClientCredentials::builder(
///     "https://login.cloud.camunda.io/oauth/token",
///     "my-client-id",
///     std::env::var("CAMUNDA_CLIENT_SECRET")?.into(),
/// )
/// .audience("tasklist.camunda.io")
/// .build(http.clone().into_shared())?;
/// let tokens = TokenCache::builder(Arc::new(credentials)).build();
///
/// let api = http
///     .with_tracing()
///     .with_authenticator(Arc::new(tokens))
///     .with_retry(RetryPolicy::default())
///     .into_shared();
/// # let _ = api;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct TokenCache {
    inner: Arc<Inner>,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("source", &self.inner.source)
            .field("disk", &self.inner.disk.as_ref().map(DiskCache::dir))
            .field(
                "token",
                &self.inner.current.load().as_ref().map(|c| &c.token),
            )
            .finish()
    }
}

/// Builds a [`TokenCache`]; see [`TokenCache::builder`].
#[must_use]
#[derive(Debug)]
pub struct TokenCacheBuilder {
    source: Arc<dyn TokenSource>,
    clock: Arc<dyn Clock>,
    disk: Option<DiskCache>,
}

impl TokenCacheBuilder {
    /// Uses `clock` instead of the system's (for tests: [`ManualClock`](crate::ManualClock)).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Also keeps tokens in `disk`, shared with other processes.
    pub fn disk_cache(mut self, disk: DiskCache) -> Self {
        self.disk = Some(disk);
        self
    }

    /// Keeps tokens on disk in `dir` if it can be used; otherwise logs a warning and keeps
    /// them in memory only.
    pub fn disk_cache_dir(mut self, dir: impl AsRef<std::path::Path>) -> Self {
        match DiskCache::new(dir.as_ref()) {
            Ok(disk) => self.disk = Some(disk),
            Err(error) => tracing::warn!(
                dir = %dir.as_ref().display(),
                %error,
                "cannot use the token cache directory; tokens are kept in memory only"
            ),
        }
        self
    }

    /// Builds the cache. No token is fetched until one is needed.
    pub fn build(self) -> TokenCache {
        TokenCache {
            inner: Arc::new(Inner {
                source: self.source,
                clock: self.clock,
                disk: self.disk,
                current: ArcSwapOption::empty(),
                state: Mutex::new(State::default()),
            }),
        }
    }
}

impl TokenCache {
    /// Starts a builder for a cache over `source`.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use tasklist_auth::{FetchedToken, TokenCache, TokenSource, Error};
    ///
    /// #[derive(Debug)]
    /// struct Fixed;
    /// #[tasklist_transport::async_trait]
    /// impl TokenSource for Fixed {
    ///     async fn fetch(&self) -> Result<FetchedToken, Error> {
    ///         Ok(FetchedToken::new("t".into(), Some(std::time::Duration::from_secs(300))))
    ///     }
    ///     fn cache_key(&self) -> String { "fixed".into() }
    ///     fn endpoint(&self) -> String { "fixed".into() }
    /// }
    ///
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let cache = TokenCache::builder(Arc::new(Fixed)).build();
    /// let token = cache.token().await.unwrap();
    /// assert!(token.expires_at() > std::time::SystemTime::now());
    /// # });
    /// ```
    pub fn builder(source: Arc<dyn TokenSource>) -> TokenCacheBuilder {
        TokenCacheBuilder {
            source,
            clock: Arc::new(SystemClock),
            disk: None,
        }
    }

    /// A valid token: the cached one, or a new one if none is valid.
    ///
    /// # Errors
    ///
    /// The token could not be obtained and no valid one is cached.
    pub async fn token(&self) -> Result<AccessToken, Error> {
        self.cached().await.map(|cached| cached.token.clone())
    }

    /// The valid token held, or a new one.
    async fn cached(&self) -> Result<Arc<Cached>, Error> {
        let now = self.inner.clock.now();
        if let Some(cached) = self.inner.current.load_full()
            && self.inner.serves(&cached, now)
        {
            return Ok(cached);
        }
        Inner::join_or_start(&self.inner, now)?.await
    }

    /// Drops `token` if it is still the cached one, so the next caller fetches a new one. A
    /// newer token fetched meanwhile is kept.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use tasklist_auth::{FetchedToken, TokenCache, TokenSource, Error};
    /// # #[derive(Debug)] struct Fixed;
    /// # #[tasklist_transport::async_trait] impl TokenSource for Fixed {
    /// #     async fn fetch(&self) -> Result<FetchedToken, Error> { Ok(FetchedToken::new("t".into(), None)) }
    /// #     fn cache_key(&self) -> String { "f".into() }
    /// #     fn endpoint(&self) -> String { "f".into() }
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let cache = TokenCache::builder(Arc::new(Fixed)).build();
    /// let token = cache.token().await.unwrap();
    /// cache.invalidate(&token);
    /// # });
    /// ```
    pub fn invalidate(&self, token: &AccessToken) {
        self.inner
            .invalidate_generation(token.generation, Some(token));
    }
}

#[cfg(feature = "fuzzing")]
impl TokenCache {
    /// What the cache makes of `fetched` at `now`: when it stops serving it, when it renews
    /// it, its wall-clock expiry, and the lifetime a disk entry would record.
    pub(crate) fn lifetimes_of(
        &self,
        fetched: FetchedToken,
        now: Instant,
    ) -> (Instant, Instant, std::time::SystemTime, Duration) {
        let wall = self.inner.clock.wall();
        let cached = self.inner.cached(fetched, 0, now);
        let lifetime = cached
            .token
            .expires_at_wall
            .duration_since(wall)
            .unwrap_or_default();
        (
            cached.usable_until,
            cached.renew_at,
            cached.token.expires_at_wall,
            lifetime,
        )
    }
}

impl Inner {
    /// Whether `cached` may be served at `now`; starts its renewal in the background when it
    /// is due (unless one is running or backing off).
    fn serves(self: &Arc<Self>, cached: &Cached, now: Instant) -> bool {
        if now >= cached.usable_until {
            return false;
        }
        if now >= cached.renew_at
            && !cached.renewal_started.swap(true, Ordering::AcqRel)
            && Inner::join_or_start(self, now).is_err()
        {
            cached.renewal_started.store(false, Ordering::Release);
        }
        true
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding this lock leaves no broken invariant worth refusing service.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Joins the running fetch or starts one; refuses while backing off.
    fn join_or_start(this: &Arc<Inner>, now: Instant) -> Result<SharedFetch, Error> {
        let mut state = this.state();
        if let Some(fetch) = &state.inflight {
            return Ok(fetch.clone());
        }
        // A fetch may have stored a fresh token after the caller looked at the cache and
        // before it got this lock (fetches store under it): serve that one, don't fetch again.
        if let Some(cached) = this.current.load_full()
            && now < cached.renew_at
        {
            return Ok(futures::future::ready(Ok(cached)).boxed().shared());
        }
        if let Some(failure) = &state.failure
            && now < failure.not_before
        {
            return Err(Error::BackingOff {
                last: Box::new(failure.error.clone()),
                retry_in: failure.not_before - now,
            });
        }
        // The fetch runs in its own task, so a caller that gives up does not cancel it for
        // the others.
        let task = tokio::spawn(Inner::fetch_and_store(this.clone()));
        let fetch = async move {
            task.await.unwrap_or_else(|e| {
                Err(Error::config(
                    None,
                    format!("the token fetch task failed: {e}"),
                ))
            })
        }
        .boxed()
        .shared();
        state.inflight = Some(fetch.clone());
        Ok(fetch)
    }

    async fn fetch_and_store(self: Arc<Self>) -> Result<Arc<Cached>, Error> {
        let result = self.fetch_fresh().await;
        let now = self.clock.now();
        let mut state = self.state();
        state.inflight = None;
        match result {
            Ok(fetched) => {
                state.failure = None;
                let generation = state.next_generation;
                state.next_generation += 1;
                let cached = Arc::new(self.cached(fetched, generation, now));
                self.current.store(Some(cached.clone()));
                drop(state);
                // A token from disk may already be due for renewal: start it now, in the
                // background, rather than at the next call (a short-lived process may make
                // none). Its failure is only logged; this token is served meanwhile.
                if now >= cached.renew_at
                    && !cached.renewal_started.swap(true, Ordering::AcqRel)
                    && let Err(error) = Inner::join_or_start(&self, now)
                {
                    tracing::debug!(%error, "the renewal of the token from disk waits");
                    cached.renewal_started.store(false, Ordering::Release);
                }
                Ok(cached)
            }
            Err(error) => {
                if let Some(cached) = self.current.load().as_ref() {
                    // Let a later caller try this token's renewal again (after the back-off).
                    cached.renewal_started.store(false, Ordering::Release);
                }
                let consecutive = state.failure.as_ref().map_or(0, |f| f.consecutive) + 1;
                let wait = backoff(&error, consecutive);
                tracing::warn!(
                    endpoint = %self.source.endpoint(),
                    %error,
                    retry_in_ms = wait.as_millis() as u64,
                    "token request failed"
                );
                state.failure = Some(Failure {
                    error: error.clone(),
                    not_before: now + wait,
                    consecutive,
                });
                Err(error)
            }
        }
    }

    /// A new token: from disk when a usable one is there, otherwise from the source.
    async fn fetch_fresh(&self) -> Result<FetchedToken, Error> {
        let Some(disk) = &self.disk else {
            return self.source.fetch().await;
        };
        let key = self.source.cache_key();
        // Without a token in memory, one on disk that is still valid is taken at once, without
        // the lock: its holder may be stuck on a slow token endpoint.
        let cold = self.current.load().is_none();
        if cold && let Some(token) = self.read_disk(disk, &key, Want::Usable) {
            return Ok(token);
        }
        let _lock = match disk.lock(&key).await {
            Ok(lock) => Some(lock),
            Err(error) => {
                tracing::warn!(%error, "cannot lock the token cache file; fetching without it");
                None
            }
        };
        // The lock's last holder may have just written a fresh token.
        if let Some(token) = self.read_disk(disk, &key, Want::Fresh) {
            return Ok(token);
        }
        let fetched = self.source.fetch().await?;
        let wall = self.clock.wall();
        let claims = jwt_claims(fetched.secret.expose_secret());
        let lifetime = remaining_lifetime(fetched.expires_in, claims.exp, wall)
            .unwrap_or(UNKNOWN_LIFETIME)
            .max(MIN_TOKEN_LIFETIME);
        if let Err(error) = disk.write(&key, &fetched.secret, wall_after(wall, lifetime), lifetime)
        {
            tracing::warn!(dir = %disk.dir().display(), %error, "cannot write the token cache file; the token is kept in memory only");
        }
        Ok(fetched)
    }

    /// The token on disk, if it is what `want` asks for and is neither the token held (which
    /// is being renewed) nor one a server rejected.
    fn read_disk(&self, disk: &DiskCache, key: &str, want: Want) -> Option<FetchedToken> {
        let found = disk.read(key)?;
        let secret = found.secret.expose_secret();
        let held = self
            .current
            .load()
            .as_ref()
            .is_some_and(|cached| cached.token.secret.expose_secret() == secret);
        if held || self.state().rejected == Some(digest(secret)) {
            return None;
        }
        let token = judge(found, self.clock.wall(), want)?;
        tracing::debug!(?want, "using the token from the disk cache");
        Some(token)
    }

    fn cached(&self, fetched: FetchedToken, generation: u64, now: Instant) -> Cached {
        let wall = self.clock.wall();
        register_session_value(fetched.secret.expose_secret());
        let claims = jwt_claims(fetched.secret.expose_secret());
        let lifetime = match remaining_lifetime(fetched.expires_in, claims.exp, wall) {
            Some(lifetime)
                if lifetime.is_zero() && fetched.expires_in.is_some_and(|e| !e.is_zero()) =>
            {
                tracing::warn!(
                    "the token's exp claim is already past by this machine's clock; is the clock \
                     wrong? using expires_in instead"
                );
                fetched
                    .expires_in
                    .unwrap_or(UNKNOWN_LIFETIME)
                    .min(MAX_TOKEN_LIFETIME)
            }
            Some(lifetime) => lifetime,
            None => {
                tracing::warn!(
                    "the token response has no expires_in and the token has no exp claim; \
                     renewing it as if it lived {UNKNOWN_LIFETIME:?}"
                );
                UNKNOWN_LIFETIME
            }
        };
        // A token read back from disk lives what is left of it; a fresh one at least the
        // floor, so that a server saying `expires_in: 0` is not asked again at every call.
        let lifetime = match fetched.lifetime {
            Some(_) => lifetime,
            None if lifetime < MIN_TOKEN_LIFETIME => {
                tracing::warn!(
                    lifetime_ms = lifetime.as_millis() as u64,
                    "the token endpoint gave the token a lifetime of {lifetime:?}; using it for \
                     {MIN_TOKEN_LIFETIME:?} instead of asking for a new one at every call"
                );
                MIN_TOKEN_LIFETIME
            }
            None => lifetime,
        };
        // Renewal follows the whole lifetime (longer than what is left for a token read back
        // from disk); expiry follows what is left.
        let whole = fetched.lifetime.unwrap_or(lifetime).max(lifetime);
        let margin = renewal_margin(whole).mul_f64(0.8 + 0.2 * fastrand::f64());
        let skew = expiry_skew(whole);
        let usable_for = lifetime.saturating_sub(skew);
        // A fresh token lives at least the floor, and its margin is at most half its whole
        // lifetime: it is renewed 5 s after it came at the soonest. A token read back from
        // disk may be due at once.
        let renew_in = lifetime.saturating_sub(margin);
        let later = |by: Duration| now.checked_add(by).unwrap_or(now);
        let header =
            http::HeaderValue::try_from(format!("Bearer {}", fetched.secret.expose_secret()))
                .ok()
                .map(|mut header| {
                    header.set_sensitive(true);
                    header
                });
        Cached {
            header,
            token: AccessToken {
                secret: fetched.secret,
                expires_at_wall: wall_after(wall, lifetime),
                generation,
                audience: claims.audience,
            },
            renew_at: later(renew_in),
            usable_until: later(usable_for),
            renewal_started: AtomicBool::new(false),
        }
    }

    /// Drops the held token if it is the one `sent` carried (`Bearer <token>`); a newer one
    /// fetched meanwhile is kept. The rejected token is never read back from disk.
    fn invalidate_sent(&self, sent: &http::HeaderValue) {
        let mut state = self.state();
        let current = self.current.load();
        match current.as_ref() {
            Some(cached) if cached.header.as_ref() == Some(sent) => {
                state.rejected = Some(digest(cached.token.secret.expose_secret()));
                self.current.store(None);
                // A rejected token is a reason to try now, not to keep backing off.
                state.failure = None;
                tracing::debug!(
                    generation = cached.token.generation,
                    "dropped the token the server rejected"
                );
            }
            Some(_) => {}
            None => {
                if let Some(token) = sent.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")) {
                    state.rejected = Some(digest(token));
                }
            }
        }
    }

    fn invalidate_generation(&self, generation: u64, token: Option<&AccessToken>) {
        let mut state = self.state();
        let current = self.current.load();
        if let Some(cached) = current.as_ref()
            && cached.token.generation == generation
        {
            state.rejected = Some(digest(cached.token.secret.expose_secret()));
            self.current.store(None);
            // A rejected token is a reason to try now, not to keep backing off.
            state.failure = None;
            tracing::debug!(generation, "dropped the token the server rejected");
        } else if let Some(token) = token
            && current.is_none()
        {
            state.rejected = Some(digest(token.secret.expose_secret()));
        }
    }
}

/// `found` as a fetched token if it is what `want` asks for at `wall`: its lifetime left and
/// its whole lifetime (by which its renewal is scheduled).
pub(crate) fn judge(found: DiskToken, wall: SystemTime, want: Want) -> Option<FetchedToken> {
    let left = found
        .expires_at
        .duration_since(wall)
        .unwrap_or(Duration::ZERO)
        .min(MAX_TOKEN_LIFETIME);
    // Scheduled by the token's whole lifetime when the file records it.
    let whole = found.lifetime.unwrap_or(left).max(left);
    // Of unknown age: only with more than the widest skew left.
    let skew = match found.lifetime {
        Some(_) => expiry_skew(whole),
        None => MAX_EXPIRY_SKEW,
    };
    let wanted = match want {
        Want::Fresh => left > renewal_margin(whole) + skew,
        Want::Usable => left > skew + Duration::from_secs(1),
    };
    if !wanted {
        return None;
    }
    let mut token = FetchedToken::new(found.secret, Some(left));
    token.lifetime = Some(whole);
    Some(token)
}

/// What a read of the disk cache is for.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Want {
    /// A token that is still valid, even if due for renewal (nothing valid is held).
    Usable,
    /// A token that is not due for renewal (to replace the one held, or after waiting).
    Fresh,
}

/// How long before expiry a renewal starts: `min(30 s, lifetime / 2)`.
fn renewal_margin(lifetime: Duration) -> Duration {
    MAX_RENEWAL_MARGIN.min(lifetime / 2)
}

/// How long before expiry a token stops being served: `min(5 s, lifetime / 10)`.
fn expiry_skew(lifetime: Duration) -> Duration {
    MAX_EXPIRY_SKEW.min(lifetime / 10)
}

/// The wait after the `consecutive`-th failure in a row, with jitter.
fn backoff(error: &Error, consecutive: u32) -> Duration {
    if error.is_bad_credentials() {
        return BAD_CREDENTIALS_BACKOFF;
    }
    let exp = consecutive.saturating_sub(1).min(16);
    let ceiling = MIN_BACKOFF.saturating_mul(1 << exp).min(MAX_BACKOFF);
    ceiling
        .mul_f64(0.5 + 0.5 * fastrand::f64())
        .max(MIN_BACKOFF / 2)
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

#[async_trait::async_trait]
impl Authenticator for TokenCache {
    fn sign_now(&self, request: &mut Request) -> Option<Result<(), tasklist_transport::Error>> {
        let now = self.inner.clock.now();
        let current = self.inner.current.load();
        let cached = current.as_ref().filter(|c| self.inner.serves(c, now))?;
        Some(sign_with(cached, request))
    }

    async fn sign(&self, request: &mut Request) -> Result<(), tasklist_transport::Error> {
        let cached = self
            .cached()
            .await
            .map_err(tasklist_transport::Error::auth)?;
        sign_with(&cached, request)
    }

    async fn rejected(
        &self,
        request: &Request,
        _response: &Response,
    ) -> Result<Rejection, tasklist_transport::Error> {
        match request.headers().get(http::header::AUTHORIZATION) {
            Some(sent) => {
                self.inner.invalidate_sent(sent);
                Ok(Rejection::RetryOnce)
            }
            None => Ok(Rejection::GiveUp),
        }
    }
}

/// Puts the token's header on `request`: a shared copy of the one built when it came.
fn sign_with(cached: &Cached, request: &mut Request) -> Result<(), tasklist_transport::Error> {
    let header = cached.header.clone().ok_or_else(|| {
        tasklist_transport::Error::auth(Error::config(
            None,
            "the access token holds characters that cannot go in an HTTP header",
        ))
    })?;
    request
        .headers_mut()
        .insert(http::header::AUTHORIZATION, header);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn margins_suit_short_and_long_tokens() {
        assert_eq!(
            renewal_margin(Duration::from_secs(3600)),
            Duration::from_secs(30)
        );
        assert_eq!(
            renewal_margin(Duration::from_secs(20)),
            Duration::from_secs(10)
        );
        assert_eq!(renewal_margin(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn backoff_grows_with_jitter_up_to_a_bound_and_bad_credentials_wait_long() {
        let transient = Error::TokenResponse {
            url: "u".into(),
            status: 503,
            detail: String::new(),
        };
        for n in 1..30 {
            let wait = backoff(&transient, n);
            assert!(
                wait >= MIN_BACKOFF / 2 && wait <= MAX_BACKOFF,
                "{n}: {wait:?}"
            );
        }
        assert!(backoff(&transient, 1) <= Duration::from_secs(1));
        assert!(backoff(&transient, 6) >= Duration::from_secs(16));
        let refused = Error::TokenEndpoint {
            url: "u".into(),
            status: 401,
            code: "invalid_client".into(),
            description: None,
        };
        assert_eq!(backoff(&refused, 1), BAD_CREDENTIALS_BACKOFF);
    }
}
