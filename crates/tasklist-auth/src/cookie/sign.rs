//! The [`Authenticator`] of a cookie session: puts the cookies and CSRF token on requests,
//! renews a rejected session, and takes the server's rotations.

use http::header::{COOKIE, SET_COOKIE};
use http::{HeaderValue, StatusCode};
use tasklist_transport::{Authenticator, Rejection, Request, Response};
use url::Url;

use super::session::{answered_at, csrf_from, is_safe, mentions_csrf};
use super::{CSRF_HEADER, CookieAuth, Signed};

impl CookieAuth {
    /// Puts the session's cookies (after the request's own) and, on a state-changing request,
    /// its CSRF token on `request`. A request signed before (a second attempt) gets its own
    /// cookies back first, so nothing is sent twice.
    fn sign_session(&self, request: &mut Request) -> Result<(), tasklist_transport::Error> {
        let url = Url::parse(&request.uri().to_string())
            .map_err(tasklist_transport::Error::invalid_request)?;
        let own = match request.extensions().get::<Signed>() {
            Some(signed) => signed.own_cookie.clone(),
            None => request.headers().get(COOKIE).cloned(),
        };
        let (cookie, csrf, generation, attempts) = {
            let state = self.state();
            let cookie = state.cookie_header(&url);
            // The token belongs to the session: send it only along with the session cookie.
            let csrf = if cookie.is_some() && !is_safe(request.method()) {
                state.csrf_header()
            } else {
                None
            };
            (cookie, csrf, state.generation, state.attempts)
        };
        let headers = request.headers_mut();
        headers.remove(CSRF_HEADER);
        let cookie = match (&own, cookie) {
            (Some(own), Some(cookie)) => {
                let mut merged = own.as_bytes().to_vec();
                merged.extend_from_slice(b"; ");
                merged.extend_from_slice(cookie.as_bytes());
                HeaderValue::from_bytes(&merged).ok().map(|mut value| {
                    value.set_sensitive(true);
                    value
                })
            }
            (own, cookie) => cookie.or_else(|| own.clone()),
        };
        match cookie {
            Some(cookie) => headers.insert(COOKIE, cookie),
            None => headers.remove(COOKIE),
        };
        if let Some(csrf) = csrf {
            headers.insert(CSRF_HEADER, csrf);
        }
        request.extensions_mut().insert(Signed {
            generation,
            attempts,
            own_cookie: own,
        });
        Ok(())
    }
}

#[async_trait::async_trait]
impl Authenticator for CookieAuth {
    async fn sign(&self, request: &mut Request) -> Result<(), tasklist_transport::Error> {
        self.ensure_session()
            .await
            .map_err(tasklist_transport::Error::auth)?;
        self.sign_session(request)
    }

    fn sign_now(&self, request: &mut Request) -> Option<Result<(), tasklist_transport::Error>> {
        if !self.state().has_session {
            return None;
        }
        Some(self.sign_session(request))
    }

    async fn rejected(
        &self,
        request: &Request,
        response: &Response,
    ) -> Result<Rejection, tasklist_transport::Error> {
        let Some(&Signed {
            generation,
            attempts,
            ..
        }) = request.extensions().get::<Signed>()
        else {
            return Ok(Rejection::GiveUp);
        };
        if self.inner.password.is_none() {
            // Only a kept session, which the server refused: the answer stands.
            return Ok(Rejection::GiveUp);
        }
        let _guard = self.inner.login_lock.lock().await;
        {
            let state = self.state();
            if state.generation != generation {
                // Another task renewed the session (or logged out) meanwhile.
                return Ok(Rejection::RetryOnce);
            }
            if state.attempts != attempts
                && let Some(failure) = &state.last_failure
            {
                return Err(tasklist_transport::Error::auth(failure.clone()));
            }
        }
        tracing::debug!(
            status = response.status().as_u16(),
            "the session was rejected; logging in again"
        );
        self.login_locked()
            .await
            .map_err(tasklist_transport::Error::auth)?;
        Ok(Rejection::RetryOnce)
    }

    fn is_rejection(&self, response: &Response) -> bool {
        match response.status() {
            StatusCode::UNAUTHORIZED => true,
            StatusCode::FORBIDDEN => mentions_csrf(response.body()),
            _ => false,
        }
    }

    fn observe(&self, request: &Request, response: &Response) {
        if self.is_rejection(response) {
            return;
        }
        let Some(&Signed { generation, .. }) = request.extensions().get::<Signed>() else {
            return;
        };
        let token = csrf_from(response);
        if token.is_none() && !response.headers().contains_key(SET_COOKIE) {
            return;
        }
        // Where the answer came from: after a redirect, not the URL that was asked.
        let Some(url) =
            answered_at(response).or_else(|| Url::parse(&request.uri().to_string()).ok())
        else {
            return;
        };
        if !self.inner.is_configured_origin(&url) {
            tracing::debug!(
                origin = %url.origin().ascii_serialization(),
                "ignoring the cookies and CSRF token of another origin"
            );
            return;
        }
        let bytes = {
            let mut state = self.state();
            if state.generation != generation {
                // A response to the previous session must not overwrite the current one.
                return;
            }
            let (_, changed) = state.store_cookies(response, &url);
            let mut rotated = false;
            if let Some(token) = token
                && state.csrf_token.as_deref() != Some(token.as_str())
                && !state.jar().matches(&url).is_empty()
            {
                tracing::debug!(%url, "the server rotated the CSRF token");
                state.csrf_token = Some(token);
                state.register_values();
                rotated = true;
            }
            // What the server changed is kept for the next process too.
            if changed || rotated {
                self.snapshot(&state)
            } else {
                None
            }
        };
        self.persist(bytes);
    }
}
