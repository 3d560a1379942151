//! [`Cursor`], where a page of a task search starts, with what needs no error type: the error
//! type holds a cursor (a stalled or a limited stream names the next one), so the cursor's
//! fallible constructors are with the search, in `search`.

use crate::v1::models::TaskSearchRequest;

/// Where a page of a task search starts, from the `sortValues` of a result of a previous
/// search. The API takes exactly one of these, so a request holds at most one.
///
/// `After`/`AfterOrEqual` page forward in the sort order, `Before`/`BeforeOrEqual` backward.
///
/// ```
/// use tasklist_api::Cursor;
/// use tasklist_api::models::TaskSearchResult;
///
/// let last: TaskSearchResult = serde_json::from_str(r#"{"id":"7","sortValues":["1700000000000","7"]}"#).unwrap();
/// let cursor = Cursor::after(&last)?;
/// assert_eq!(cursor, Cursor::After(vec!["1700000000000".into(), "7".into()]));
/// assert!(!cursor.is_backward());
/// # Ok::<(), tasklist_api::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Cursor {
    /// The tasks that directly follow the one with these sort values (`searchAfter`).
    After(Vec<String>),
    /// The tasks that directly follow the one with these sort values, and that one
    /// (`searchAfterOrEqual`).
    AfterOrEqual(Vec<String>),
    /// The tasks that directly precede the one with these sort values (`searchBefore`).
    Before(Vec<String>),
    /// The tasks that directly precede the one with these sort values, and that one
    /// (`searchBeforeOrEqual`).
    BeforeOrEqual(Vec<String>),
}

impl Cursor {
    /// The sort values the cursor starts from.
    ///
    /// ```
    /// # use tasklist_api::Cursor;
    /// assert_eq!(Cursor::Before(vec!["9".into()]).sort_values(), ["9"]);
    /// ```
    pub fn sort_values(&self) -> &[String] {
        match self {
            Cursor::After(v)
            | Cursor::AfterOrEqual(v)
            | Cursor::Before(v)
            | Cursor::BeforeOrEqual(v) => v,
        }
    }

    /// True for the cursors that page backward (`Before`, `BeforeOrEqual`).
    ///
    /// ```
    /// # use tasklist_api::Cursor;
    /// assert!(Cursor::Before(vec!["9".into()]).is_backward());
    /// assert!(!Cursor::AfterOrEqual(vec!["9".into()]).is_backward());
    /// ```
    pub fn is_backward(&self) -> bool {
        matches!(self, Cursor::Before(_) | Cursor::BeforeOrEqual(_))
    }

    /// Stores the cursor in `request`, replacing any it held.
    pub(crate) fn apply(self, request: &mut TaskSearchRequest) {
        request.search_after = None;
        request.search_after_or_equal = None;
        request.search_before = None;
        request.search_before_or_equal = None;
        match self {
            Cursor::After(v) => request.search_after = Some(v),
            Cursor::AfterOrEqual(v) => request.search_after_or_equal = Some(v),
            Cursor::Before(v) => request.search_before = Some(v),
            Cursor::BeforeOrEqual(v) => request.search_before_or_equal = Some(v),
        }
    }
}
