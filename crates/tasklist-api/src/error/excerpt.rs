//! The bounded excerpts of a server's text that an error keeps: at most
//! [`MAX_EXCERPT_BYTES`] bytes, cut on a character boundary, every known secret removed.

use std::borrow::Cow;

use tasklist_transport::redact::redact;

/// The longest excerpt of a body kept in an error, in bytes.
///
/// ```
/// use tasklist_api::{ApiError, MAX_EXCERPT_BYTES};
/// let page = "<html>".repeat(1000);
/// let error = ApiError::from_response(http::StatusCode::BAD_GATEWAY, page.as_bytes());
/// assert!(error.server_message().unwrap().len() <= MAX_EXCERPT_BYTES);
/// ```
pub const MAX_EXCERPT_BYTES: usize = 1024;

/// At most [`MAX_EXCERPT_BYTES`] bytes of `body` as text, trimmed, cut on a character
/// boundary; bytes that are not UTF-8 become U+FFFD. Every known secret is removed first (see
/// [`tasklist_transport::redact`]), so none is left half-cut.
pub(super) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let clean = redact(&text);
    let body = match &clean {
        Cow::Borrowed(_) => body,
        Cow::Owned(clean) => clean.as_bytes(),
    };
    let cut = body.len() > MAX_EXCERPT_BYTES;
    let head = &body[..body.len().min(MAX_EXCERPT_BYTES)];
    let mut text = String::with_capacity(head.len());
    let mut chunks = head.utf8_chunks().peekable();
    while let Some(chunk) = chunks.next() {
        text.push_str(chunk.valid());
        // A character split by the cut is dropped, not replaced.
        let split_by_cut = cut && chunks.peek().is_none();
        if !chunk.invalid().is_empty() && !split_by_cut {
            text.push(char::REPLACEMENT_CHARACTER);
        }
    }
    bounded(text.trim().to_owned())
}

/// `text` cut to at most [`MAX_EXCERPT_BYTES`] bytes on a character boundary.
pub(super) fn bounded(mut text: String) -> String {
    if text.len() > MAX_EXCERPT_BYTES {
        let mut end = MAX_EXCERPT_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}
