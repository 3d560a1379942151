//! The strategies with nothing to renew: HTTP Basic, a static bearer token, and none.

use std::fmt;

use base64::Engine;
use http::HeaderValue;
use http::header::AUTHORIZATION;
use secrecy::{ExposeSecret, SecretString};
use tasklist_transport::redact::register_secret;
use tasklist_transport::{Authenticator, Request};

use crate::error::Error;

fn sensitive(value: String) -> Result<HeaderValue, Error> {
    let mut header = HeaderValue::from_str(&value).map_err(|_| {
        Error::config(
            None,
            "the credentials hold characters that cannot go in an HTTP header (control \
             characters or line breaks)",
        )
    })?;
    header.set_sensitive(true);
    Ok(header)
}

/// Implements [`Authenticator`] for a type whose `header` field is a fixed `Authorization`
/// value: nothing to renew, so a rejection goes back to the caller (the trait's default).
/// It signs at once, and needs no request back: there is nothing to watch or renew.
macro_rules! fixed_authorization {
    ($type:ty) => {
        #[async_trait::async_trait]
        impl Authenticator for $type {
            async fn sign(&self, request: &mut Request) -> Result<(), tasklist_transport::Error> {
                self.sign_now(request).unwrap_or(Ok(()))
            }

            fn sign_now(
                &self,
                request: &mut Request,
            ) -> Option<Result<(), tasklist_transport::Error>> {
                request
                    .headers_mut()
                    .insert(AUTHORIZATION, self.header.clone());
                Some(Ok(()))
            }

            fn needs_request_back(&self) -> bool {
                false
            }
        }
    };
}

/// HTTP Basic authentication, as Camunda 8.8+ accepts on its REST APIs.
///
/// The header is built once. `Debug` shows the user name only; the password and the header
/// value are registered with [`tasklist_transport::redact`].
///
/// ```
/// use tasklist_auth::BasicAuth;
/// let basic = BasicAuth::new("demo", "demo".into()).unwrap();
/// assert_eq!(format!("{basic:?}"), r#"BasicAuth { username: "demo", password: "<redacted>" }"#);
/// ```
#[derive(Clone)]
pub struct BasicAuth {
    username: String,
    header: HeaderValue,
}

impl BasicAuth {
    /// Credentials for `username` with `password`.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the user name is empty or contains `:` (which Basic cannot
    /// carry), or when either holds characters an HTTP header cannot.
    pub fn new(username: impl Into<String>, password: SecretString) -> Result<Self, Error> {
        let username = username.into();
        if username.is_empty() {
            return Err(Error::config(
                Some("CAMUNDA_BASIC_AUTH_USERNAME"),
                "the Basic auth user name is empty; set CAMUNDA_BASIC_AUTH_USERNAME",
            ));
        }
        if username.contains(':') {
            return Err(Error::config(
                Some("CAMUNDA_BASIC_AUTH_USERNAME"),
                "the Basic auth user name contains `:`, which HTTP Basic cannot carry",
            ));
        }
        let encoded = base64::engine::general_purpose::STANDARD
            .encode(format!("{username}:{}", password.expose_secret()));
        // A server that echoes the request must not get either into an error or a log. (A
        // password that is the user name hides nothing, and would blank out the name.)
        if password.expose_secret() != username {
            register_secret(password.expose_secret());
        }
        register_secret(&encoded);
        Ok(BasicAuth {
            username,
            header: sensitive(format!("Basic {encoded}"))?,
        })
    }

    /// The user name.
    ///
    /// ```
    /// let basic = tasklist_auth::BasicAuth::new("demo", "pw".into()).unwrap();
    /// assert_eq!(basic.username(), "demo");
    /// ```
    pub fn username(&self) -> &str {
        &self.username
    }
}

impl fmt::Debug for BasicAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicAuth")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

fixed_authorization!(BasicAuth);

/// A bearer token obtained elsewhere (`CAMUNDA_OAUTH_TOKEN`), sent as it is. It cannot be
/// renewed: a 401 is handed back to the caller.
///
/// ```
/// use tasklist_auth::BearerToken;
/// let bearer = BearerToken::new("eyJhbGciOi...".into()).unwrap();
/// assert!(!format!("{bearer:?}").contains("eyJ"));
/// ```
#[derive(Clone)]
pub struct BearerToken {
    header: HeaderValue,
}

impl BearerToken {
    /// Sends `token` as `Authorization: Bearer <token>`.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the token is empty or holds characters a header cannot.
    pub fn new(token: SecretString) -> Result<Self, Error> {
        let token = token.expose_secret().trim();
        let token = token.strip_prefix("Bearer ").unwrap_or(token);
        if token.is_empty() {
            return Err(Error::config(
                Some("CAMUNDA_OAUTH_TOKEN"),
                "the bearer token is empty; set CAMUNDA_OAUTH_TOKEN",
            ));
        }
        register_secret(token);
        Ok(BearerToken {
            header: sensitive(format!("Bearer {token}"))?,
        })
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BearerToken")
            .field("token", &"<redacted>")
            .finish()
    }
}

fixed_authorization!(BearerToken);

/// No authentication: requests go out as they are (for servers with authentication off).
///
/// ```
/// let none = tasklist_auth::NoAuth;
/// # let _ = none;
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct NoAuth;

#[async_trait::async_trait]
impl Authenticator for NoAuth {
    async fn sign(&self, _: &mut Request) -> Result<(), tasklist_transport::Error> {
        Ok(())
    }

    fn sign_now(&self, _: &mut Request) -> Option<Result<(), tasklist_transport::Error>> {
        Some(Ok(()))
    }

    fn needs_request_back(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    async fn signed(auth: &dyn Authenticator) -> Option<String> {
        let mut request = http::Request::get("http://h/").body(Bytes::new()).unwrap();
        auth.sign(&mut request).await.unwrap();
        request
            .headers()
            .get(AUTHORIZATION)
            .map(|v| v.to_str().unwrap().to_owned())
    }

    #[tokio::test]
    async fn each_strategy_sets_its_header() {
        let basic = BasicAuth::new("demo", "demo".into()).unwrap();
        assert_eq!(signed(&basic).await.as_deref(), Some("Basic ZGVtbzpkZW1v"));
        let bearer = BearerToken::new("Bearer abc".into()).unwrap();
        assert_eq!(signed(&bearer).await.as_deref(), Some("Bearer abc"));
        assert_eq!(signed(&NoAuth).await, None);
    }

    #[test]
    fn bad_values_are_config_errors_naming_the_variable() {
        let err = BasicAuth::new("a:b", "p".into()).unwrap_err();
        assert!(err.to_string().contains("`:`"));
        let err = BearerToken::new("  ".into()).unwrap_err();
        assert!(matches!(
            err,
            Error::Config {
                variable: Some("CAMUNDA_OAUTH_TOKEN"),
                ..
            }
        ));
        let err = BearerToken::new("abc\ndef".into()).unwrap_err();
        assert!(!err.to_string().contains("abc"), "{err}");
    }
}
