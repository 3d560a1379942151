//! Who made an API request ([`Caller`]) and how they authenticated ([`CallerKind`]).

/// Who made an API request, as established by the authentication middleware. API handlers read
/// it as `Option<axum::Extension<Caller>>`; a missing one means anonymous.
///
/// ```
/// use tasklist_testkit::{Caller, CallerKind};
///
/// let caller = Caller::anonymous();
/// assert_eq!(caller.kind, CallerKind::Anonymous);
/// assert!(caller.username.is_none());
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The user name of a session or Basic caller; the client id (`sub`) of a bearer token;
    /// `None` when anonymous.
    pub username: Option<String>,
    /// How the caller authenticated.
    pub kind: CallerKind,
}

impl Caller {
    /// A caller without credentials (the `none` auth mode).
    ///
    /// ```
    /// use tasklist_testkit::Caller;
    /// assert_eq!(Caller::anonymous().username, None);
    /// ```
    pub fn anonymous() -> Self {
        Caller {
            username: None,
            kind: CallerKind::Anonymous,
        }
    }

    /// A caller of `kind` named `username`.
    ///
    /// ```
    /// use tasklist_testkit::{Caller, CallerKind};
    /// let caller = Caller::new(CallerKind::Session, "demo");
    /// assert_eq!(caller.username.as_deref(), Some("demo"));
    /// ```
    pub fn new(kind: CallerKind, username: impl Into<String>) -> Self {
        Caller {
            username: Some(username.into()),
            kind,
        }
    }
}

/// How a [`Caller`] authenticated.
///
/// ```
/// use tasklist_testkit::CallerKind;
/// assert_ne!(CallerKind::Jwt, CallerKind::Session);
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallerKind {
    /// A bearer JWT from the token endpoint (an API client, not a user).
    Jwt,
    /// A cookie session from the login endpoint (a user).
    Session,
    /// HTTP Basic (a user).
    Basic,
    /// No authentication.
    Anonymous,
}
