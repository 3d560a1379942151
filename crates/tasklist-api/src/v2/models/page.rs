//! Paging of the v2 searches: the `page` of a search request ([`PageRequest`]) and the cursors
//! a result's `page` ([`PageInfo`](super::PageInfo)) hands back.

use std::fmt;

use serde::de::Deserializer;
use serde::{Deserialize, Serialize, Serializer};

/// An opaque position in a result set: a page's `startCursor` or `endCursor`, to pass back as
/// `before` or `after` (the server sends base64 text; this crate never looks inside).
///
/// ```
/// use tasklist_api::v2::models::Cursor;
///
/// let cursor = Cursor::new("WzIyNTE3OTk4MTM2ODcxMDJd");
/// assert_eq!(cursor.as_str(), "WzIyNTE3OTk4MTM2ODcxMDJd");
/// assert_eq!(serde_json::to_string(&cursor)?, r#""WzIyNTE3OTk4MTM2ODcxMDJd""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cursor(String);

impl Cursor {
    /// Wraps a cursor as the server sent it.
    ///
    /// ```
    /// let cursor = tasklist_api::v2::models::Cursor::new(String::from("WzFd"));
    /// assert_eq!(cursor.to_string(), "WzFd");
    /// ```
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The cursor as text.
    ///
    /// ```
    /// assert_eq!(tasklist_api::v2::models::Cursor::new("WzFd").as_str(), "WzFd");
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The cursor as an owned `String`.
    ///
    /// ```
    /// let text = tasklist_api::v2::models::Cursor::new("WzFd").into_string();
    /// assert_eq!(text, "WzFd");
    /// ```
    #[must_use]
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Cursor {
    /// Writes the cursor as it is.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for Cursor {
    fn from(text: String) -> Self {
        Self(text)
    }
}

impl From<&str> for Cursor {
    fn from(text: &str) -> Self {
        Self(text.to_owned())
    }
}

/// The `page` of a search request (`SearchQueryPageRequest`, a `oneOf` in the specs): how many
/// items to return, and from where. Offset and cursor paging cannot be mixed.
///
/// | form | JSON | versions |
/// |---|---|---|
/// | [`PageRequest::limit`] | `{"limit": n}` | 8.9+ as its own form; 8.8 reads it as offset paging from 0 |
/// | [`PageRequest::offset`] | `{"from": f, "limit": n}` | all |
/// | [`PageRequest::after`] | `{"after": "…", "limit": n}` | all |
/// | [`PageRequest::before`] | `{"before": "…", "limit": n}` | all |
///
/// `limit` is optional in every form (the server's default is 100; at most 10,000 in the
/// limit and cursor forms). A cursor is the `endCursor` (for `after`) or `startCursor` (for
/// `before`) of a previous result. The effective-variables search takes offset paging only
/// ([`OffsetPage`](super::OffsetPage)).
///
/// ```
/// use serde_json::json;
/// use tasklist_api::v2::models::{Cursor, PageRequest};
///
/// assert_eq!(serde_json::to_value(PageRequest::limit(50))?, json!({"limit": 50}));
/// assert_eq!(
///     serde_json::to_value(PageRequest::offset(100, 50))?,
///     json!({"from": 100, "limit": 50})
/// );
/// let next = PageRequest::after(Cursor::new("WzFd"), 50);
/// assert_eq!(serde_json::to_value(&next)?, json!({"after": "WzFd", "limit": 50}));
/// assert_eq!(next.page_limit(), Some(50));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PageRequest {
    /// The first items (`LimitPagination`, 8.9+).
    Limit {
        /// How many items at most.
        limit: Option<u32>,
    },
    /// Items from an index on (`OffsetPagination`).
    Offset {
        /// The index of the first item (0 when absent).
        from: Option<u32>,
        /// How many items at most.
        limit: Option<u32>,
    },
    /// The items after a cursor (`CursorForwardPagination`).
    After {
        /// The `endCursor` of the previous page.
        after: Cursor,
        /// How many items at most.
        limit: Option<u32>,
    },
    /// The items before a cursor (`CursorBackwardPagination`).
    Before {
        /// The `startCursor` of the following page.
        before: Cursor,
        /// How many items at most.
        limit: Option<u32>,
    },
}

impl PageRequest {
    /// The first `limit` items: `{"limit": limit}`.
    ///
    /// ```
    /// use tasklist_api::v2::models::PageRequest;
    /// assert_eq!(serde_json::to_string(&PageRequest::limit(10))?, r#"{"limit":10}"#);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn limit(limit: u32) -> Self {
        Self::Limit { limit: Some(limit) }
    }

    /// `limit` items from index `from`: `{"from": from, "limit": limit}`.
    ///
    /// ```
    /// use tasklist_api::v2::models::PageRequest;
    /// assert_eq!(serde_json::to_string(&PageRequest::offset(20, 10))?, r#"{"from":20,"limit":10}"#);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn offset(from: u32, limit: u32) -> Self {
        Self::Offset {
            from: Some(from),
            limit: Some(limit),
        }
    }

    /// `limit` items after `cursor` (a previous page's `endCursor`).
    ///
    /// ```
    /// use tasklist_api::v2::models::{Cursor, PageRequest};
    /// let page = PageRequest::after(Cursor::new("WzFd"), 10);
    /// assert_eq!(serde_json::to_string(&page)?, r#"{"after":"WzFd","limit":10}"#);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn after(cursor: Cursor, limit: u32) -> Self {
        Self::After {
            after: cursor,
            limit: Some(limit),
        }
    }

    /// `limit` items before `cursor` (a later page's `startCursor`).
    ///
    /// ```
    /// use tasklist_api::v2::models::{Cursor, PageRequest};
    /// let page = PageRequest::before(Cursor::new("WzFd"), 10);
    /// assert_eq!(serde_json::to_string(&page)?, r#"{"before":"WzFd","limit":10}"#);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn before(cursor: Cursor, limit: u32) -> Self {
        Self::Before {
            before: cursor,
            limit: Some(limit),
        }
    }

    /// The `limit` this page asks for, if it sets one. (Named `page_limit` because
    /// [`PageRequest::limit`] is the constructor.)
    ///
    /// ```
    /// use tasklist_api::v2::models::PageRequest;
    /// assert_eq!(PageRequest::offset(0, 25).page_limit(), Some(25));
    /// assert_eq!(PageRequest::Limit { limit: None }.page_limit(), None);
    /// ```
    #[must_use]
    pub fn page_limit(&self) -> Option<u32> {
        match self {
            Self::Limit { limit }
            | Self::Offset { limit, .. }
            | Self::After { limit, .. }
            | Self::Before { limit, .. } => *limit,
        }
    }

    /// The same page with another `limit` (`None` leaves it to the server).
    ///
    /// ```
    /// use tasklist_api::v2::models::PageRequest;
    /// assert_eq!(PageRequest::offset(5, 10).with_limit(Some(3)), PageRequest::offset(5, 3));
    /// ```
    #[must_use]
    pub fn with_limit(mut self, new: Option<u32>) -> Self {
        match &mut self {
            Self::Limit { limit }
            | Self::Offset { limit, .. }
            | Self::After { limit, .. }
            | Self::Before { limit, .. } => *limit = new,
        }
        self
    }
}

impl Default for PageRequest {
    /// `{}`: the server's default page (the first 100 items).
    fn default() -> Self {
        Self::Limit { limit: None }
    }
}

/// The JSON form of every variant: with owned cursors to decode, borrowed ones to encode.
#[derive(Serialize, Deserialize)]
#[serde(bound(serialize = "C: Serialize", deserialize = "C: Deserialize<'de>"))]
struct WirePage<C> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    from: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    after: Option<C>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    before: Option<C>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
}

impl Serialize for PageRequest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (from, after, before) = match self {
            Self::Limit { .. } => (None, None, None),
            Self::Offset { from, .. } => (*from, None, None),
            Self::After { after, .. } => (None, Some(after), None),
            Self::Before { before, .. } => (None, None, Some(before)),
        };
        WirePage::<&Cursor> {
            from,
            after,
            before,
            limit: self.page_limit(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for PageRequest {
    /// The form the present properties name; mixing forms is an error.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = WirePage::<Cursor>::deserialize(deserializer)?;
        let limit = wire.limit;
        match (wire.from, wire.after, wire.before) {
            (None, None, None) => Ok(Self::Limit { limit }),
            (from @ Some(_), None, None) => Ok(Self::Offset { from, limit }),
            (None, Some(after), None) => Ok(Self::After { after, limit }),
            (None, None, Some(before)) => Ok(Self::Before { before, limit }),
            _ => Err(serde::de::Error::custom(
                "a page uses one of `from`, `after` and `before`, not several",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use serde_json::json;

    use super::*;

    #[test]
    fn pages_serialise_exactly() {
        let cases = [
            (PageRequest::limit(1), json!({"limit": 1})),
            (PageRequest::default(), json!({})),
            (
                PageRequest::Offset {
                    from: Some(3),
                    limit: None,
                },
                json!({"from": 3}),
            ),
            (PageRequest::offset(0, 10), json!({"from": 0, "limit": 10})),
            (
                PageRequest::after(Cursor::new("WzFd"), 10_000),
                json!({"after": "WzFd", "limit": 10_000}),
            ),
            (
                PageRequest::Before {
                    before: Cursor::new("WzJd"),
                    limit: None,
                },
                json!({"before": "WzJd"}),
            ),
        ];
        for (page, wire) in cases {
            assert_eq!(serde_json::to_value(&page).unwrap(), wire);
            assert_eq!(serde_json::from_value::<PageRequest>(wire).unwrap(), page);
        }
        assert!(serde_json::from_value::<PageRequest>(json!({"from": 1, "after": "x"})).is_err());
    }
}
