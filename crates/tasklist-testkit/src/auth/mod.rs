//! Authentication: the OAuth 2.0 token endpoint, cookie login and logout, HTTP Basic, and the
//! middleware that admits API requests only with the credentials of the configured
//! [`AuthMode`](crate::AuthMode).
//!
//! # What the real servers answer (the facts imitated here)
//!
//! Tasklist 8.7 (`tasklist/webapp/.../security/BaseWebConfigurer.java`, `TasklistURIs.java`,
//! `oauth/OAuth2WebConfigurer.java`, `CsrfRequireMatcher.java` in `camunda/camunda`):
//! - form login at `POST /api/login` (`LOGIN_RESOURCE`), session cookie `TASKLIST-SESSION`
//!   (`COOKIE_JSESSIONID`); `username` and `password` are request parameters, so a form body
//!   or the query string (Camunda's guide logs in with `curl -X POST
//!   'http://localhost:8080/api/login?username=demo&password=demo' --cookie-jar cookie.txt`);
//!   success is `204` with the `X-CSRF-TOKEN` header when CSRF prevention is on, and the token
//!   also as the HttpOnly cookie `X-CSRF-TOKEN` (its `CookieCsrfTokenRepository` is named
//!   after the header); failure and every unauthenticated request get `401` with
//!   `{"message": ...}` (`sendJSONErrorMessage`), whose message is empty unless the server runs
//!   its `dev` profile (`TasklistProfileServiceImpl.getMessageByProfileFor`); `/login` is
//!   merely an authenticated path, so posting to it unauthenticated is a `401` too;
//! - logout at `POST /api/logout`: `204`, session invalidated, cookies deleted;
//! - bearer-token failures: `401` with `{"message": <Spring's message>}`, e.g.
//!   `An error occurred while attempting to decode the Jwt: Jwt expired at ...`, and
//!   `JWT payload validation failed` for a token of another audience;
//! - CSRF: required on cookie-authenticated requests other than `GET`/`HEAD`/`TRACE`/`OPTIONS`,
//!   except login/logout and requests with a `Bearer` authorization, as the `X-CSRF-TOKEN`
//!   header or, in its absence, Spring's `_csrf` request parameter (query string or form body;
//!   `CsrfTokenRequestAttributeHandler.resolveCsrfTokenValue`); failure is `403` with
//!   `{"error": "Access denied due to invalid CSRF token."}` (`csrfHandler`).
//!
//! Camunda 8.8 (`authentication/.../config/WebSecurityConfig.java`, `handler/AuthFailureHandler.java`
//! and `config/AudienceValidator.java`):
//! - form login at `POST /login`, logout at `POST /logout` (`LOGIN_URL`, `LOGOUT_URL`), session
//!   cookie `camunda-session`; `/api/**` and `/v1/**` are API paths, so `POST /api/login`
//!   unauthenticated is a `401`;
//! - HTTP Basic on the API paths;
//! - every authentication failure is an RFC 9457 problem
//!   `{"type":"about:blank","title":"Unauthorized","status":401,"detail":<exception message>,
//!   "instance":<request path>}` as `application/problem+json`; Spring's messages are
//!   `Full authentication is required to access this resource` (no credentials) and
//!   `Bad credentials`; a token of another audience gets
//!   `... Token audiences are [x], expected at least one of [y]`;
//! - a CSRF failure by an authenticated session is a **`401`** (not `403`: `AuthFailureHandler`
//!   lacks a `return` after its 403 branch; FACTS §6, §7.3) with the same problem shape whose
//!   detail is Spring's `Invalid CSRF Token '<sent>' was found on the request parameter '_csrf'
//!   or header 'X-CSRF-TOKEN'.`; the token is checked on every non-GET request, searches
//!   (`POST .../search`) included, on v1 and v2 alike; 8.9 and 8.10 behave as 8.8.
//!
//! The token endpoint takes its parameters as a form (RFC 6749; also without a content type) or
//! as a JSON object (Auth0's and Camunda SaaS's examples); any other content type is a `400
//! invalid_request`.
//!
//! Differences, on purpose: the CSRF token is kept with the session, not read back from the
//! cookie (a client that drops the `X-CSRF-TOKEN` cookie but sends the header is accepted), and
//! it is not masked per response (Spring 6's `XorCsrfTokenRequestAttributeHandler` sends a
//! freshly masked value each time; the raw cookie value would not validate there); tokens are
//! checked without Spring's 60 s clock skew (an expired token is refused at once); revoking
//! tokens rotates the signing key, so revoked tokens get the bad-signature message; each
//! [`AuthMode`](crate::AuthMode) accepts only its own credentials (the real 8.8 server with
//! Basic also accepts a login session).

mod caller;
mod headers;
mod login;
mod responses;
mod token;
mod verify;

pub use self::caller::{Caller, CallerKind};
pub(crate) use self::login::session_router;
pub(crate) use self::responses::{AuthFailure, csrf_refused, csrf_rejected, unauthorized};
pub(crate) use self::token::{KEYCLOAK_TOKEN_PATHS, TOKEN_PATH, token_router};
pub(crate) use self::verify::require;
