//! Which headers carry credentials, and how to show a header map without them.

use std::fmt;

use http::HeaderMap;
use http::header::HeaderName;

/// Headers whose values are credentials: never logged, traced or carried to another origin.
///
/// Names are lowercase, as [`HeaderName`] stores them.
///
/// ```
/// assert!(tasklist_transport::SENSITIVE_HEADERS.contains(&"x-csrf-token"));
/// ```
pub const SENSITIVE_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-csrf-token",
];

/// True when `name` is one of [`SENSITIVE_HEADERS`].
///
/// ```
/// use http::header::{AUTHORIZATION, ACCEPT};
/// assert!(tasklist_transport::is_sensitive_header(&AUTHORIZATION));
/// assert!(!tasklist_transport::is_sensitive_header(&ACCEPT));
/// ```
pub fn is_sensitive_header(name: &HeaderName) -> bool {
    SENSITIVE_HEADERS.contains(&name.as_str())
}

/// Formats a header map for logs with every sensitive value replaced by `<redacted>`.
pub(crate) struct Redacted<'a>(pub(crate) &'a HeaderMap);

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if is_sensitive_header(name) {
                map.entry(&name.as_str(), &"<redacted>");
            } else {
                map.entry(&name.as_str(), &value.to_str().unwrap_or("<non-text>"));
            }
        }
        map.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn redacted_hides_every_sensitive_value_and_keeps_the_rest() {
        let mut headers = HeaderMap::new();
        for (i, name) in SENSITIVE_HEADERS.iter().enumerate() {
            headers.insert(
                HeaderName::from_static(name),
                HeaderValue::from_str(&format!("secret-{i}")).unwrap(),
            );
        }
        headers.insert("accept", HeaderValue::from_static("application/json"));
        let shown = format!("{:?}", Redacted(&headers));
        assert!(!shown.contains("secret-"), "{shown}");
        assert!(shown.contains("application/json"), "{shown}");
        assert_eq!(shown.matches("<redacted>").count(), SENSITIVE_HEADERS.len());
    }
}
