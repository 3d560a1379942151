//! [`Timestamp`]: a date-time as Tasklist sent it, with the instant it denotes when it parses.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A date-time field of the Tasklist API (`creationDate`, `dueDate`, `DateFilter.from`, …).
///
/// It keeps the exact text that was received, so that a value read from one response and sent
/// back in a request (or re-serialised) is byte-for-byte what the server wrote. The instant is
/// parsed when [`to_jiff`](Self::to_jiff) asks for it, not while a response is decoded (a page
/// of 50 tasks holds 150 date-times, most never looked at). Parsing is lenient, because Tasklist's
/// formats drift between versions: it accepts RFC 3339 (`2023-10-04T12:35:24Z`,
/// `2023-10-04T12:35:24.5+01:00`), Tasklist's own `2023-10-04T12:35:24.713+0000` (an offset
/// without a colon), offsets of hours only (`+02`), and fractional seconds of any length
/// (digits past nanoseconds are dropped).
///
/// Decoding never fails on a JSON string: text that is not a date-time is kept as it is, and
/// [`to_jiff`](Self::to_jiff) then reports a [`TimestampError`] naming it. Equality and hashing
/// compare the text, so two spellings of one instant are different values; compare
/// [`to_jiff`](Self::to_jiff) results to compare instants.
///
/// # Examples
///
/// ```
/// use tasklist_api::models::Timestamp;
///
/// let created: Timestamp = serde_json::from_str(r#""2023-10-04T12:35:24.713+0000""#)?;
/// assert_eq!(created.as_str(), "2023-10-04T12:35:24.713+0000");
/// assert_eq!(created.to_jiff()?.as_millisecond(), 1_696_422_924_713);
/// // The text goes back out unchanged.
/// assert_eq!(serde_json::to_string(&created)?, r#""2023-10-04T12:35:24.713+0000""#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Timestamp {
    /// The text. Nothing else is kept: a page holds many date-times, and a smaller model
    /// decodes faster (the instant is parsed again by each `to_jiff`, a few hundred
    /// nanoseconds).
    raw: String,
}

impl Timestamp {
    /// Keeps `raw` as received; its instant is parsed when asked for.
    fn lenient(raw: String) -> Self {
        Self { raw }
    }

    /// The text exactly as it was received (or as [`From<jiff::Timestamp>`] formatted it).
    ///
    /// # Examples
    ///
    /// ```
    /// use tasklist_api::models::Timestamp;
    ///
    /// let due: Timestamp = serde_json::from_str(r#""2023-10-04T12:35:24+0000""#)?;
    /// assert_eq!(due.as_str(), "2023-10-04T12:35:24+0000");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The instant this text denotes.
    ///
    /// # Errors
    ///
    /// [`TimestampError`], naming the text, when it is not a date-time with an offset in any of
    /// the accepted formats.
    ///
    /// # Examples
    ///
    /// ```
    /// use tasklist_api::models::Timestamp;
    ///
    /// let due: Timestamp = serde_json::from_str(r#""2023-10-04T14:35:24+02:00""#)?;
    /// assert_eq!(due.to_jiff()?.to_string(), "2023-10-04T12:35:24Z");
    ///
    /// let odd: Timestamp = serde_json::from_str(r#""next Tuesday""#)?;
    /// let error = odd.to_jiff().unwrap_err();
    /// assert_eq!(error.text(), "next Tuesday");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_jiff(&self) -> Result<jiff::Timestamp, TimestampError> {
        parse(&self.raw)
    }
}

/// Parses `text` leniently (see [`Timestamp`]).
fn parse(text: &str) -> Result<jiff::Timestamp, TimestampError> {
    text.parse::<jiff::Timestamp>().or_else(|first| {
        // jiff reads at most nine fractional digits; drop the rest and try once more.
        truncate_fraction(text)
            .and_then(|shorter| shorter.parse::<jiff::Timestamp>().ok())
            .ok_or_else(|| TimestampError {
                text: text.to_owned(),
                source: first,
            })
    })
}

/// `text` with the digits of its fractional seconds past the ninth removed, or `None` when it
/// has no fraction longer than nine digits.
fn truncate_fraction(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let dot = text.find(['.', ','])?;
    let digits = bytes[dot + 1..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits <= 9 {
        return None;
    }
    let mut shorter = String::with_capacity(text.len());
    shorter.push_str(&text[..dot + 1 + 9]);
    shorter.push_str(&text[dot + 1 + digits..]);
    Some(shorter)
}

impl From<jiff::Timestamp> for Timestamp {
    /// Formats `instant` as RFC 3339 in UTC (`2023-10-04T12:35:24.713Z`), the form request
    /// filters such as [`DateFilter`](crate::v1::models::DateFilter) send.
    ///
    /// # Examples
    ///
    /// ```
    /// use tasklist_api::models::Timestamp;
    ///
    /// let instant = tasklist_api::jiff::Timestamp::from_millisecond(1_696_422_924_713)?;
    /// let from = Timestamp::from(instant);
    /// assert_eq!(from.as_str(), "2023-10-04T12:35:24.713Z");
    /// assert_eq!(from.to_jiff()?, instant);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn from(instant: jiff::Timestamp) -> Self {
        Self {
            raw: instant.to_string(),
        }
    }
}

impl FromStr for Timestamp {
    type Err = TimestampError;

    /// Parses `text` in any of the accepted formats and keeps it as written; unlike decoding,
    /// text that is not a date-time is an error.
    ///
    /// # Examples
    ///
    /// ```
    /// use tasklist_api::models::Timestamp;
    ///
    /// let due: Timestamp = "2023-10-04T12:35:24.713+0000".parse()?;
    /// assert_eq!(due.as_str(), "2023-10-04T12:35:24.713+0000");
    /// assert!("yesterday".parse::<Timestamp>().is_err());
    /// # Ok::<(), tasklist_api::models::TimestampError>(())
    /// ```
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse(text)?;
        Ok(Self {
            raw: text.to_owned(),
        })
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}

impl Eq for Timestamp {}

impl Hash for Timestamp {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.raw.hash(state);
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Timestamp").field(&self.raw).finish()
    }
}

impl fmt::Display for Timestamp {
    /// Writes the text as received.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.raw)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::lenient)
    }
}

/// A [`Timestamp`]'s text is not a date-time in any of the accepted formats.
///
/// # Examples
///
/// ```
/// use tasklist_api::models::Timestamp;
///
/// let error = "2023-13-45".parse::<Timestamp>().unwrap_err();
/// assert_eq!(error.text(), "2023-13-45");
/// assert!(error.to_string().contains("2023-13-45"));
/// ```
#[derive(Debug, thiserror::Error)]
#[error("`{text}` is not a date-time with an offset: {source}")]
pub struct TimestampError {
    text: String,
    source: jiff::Error,
}

impl TimestampError {
    /// The text that could not be parsed.
    ///
    /// # Examples
    ///
    /// ```
    /// use tasklist_api::models::Timestamp;
    ///
    /// let error = "soon".parse::<Timestamp>().unwrap_err();
    /// assert_eq!(error.text(), "soon");
    /// ```
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn decode(text: &str) -> Timestamp {
        serde_json::from_value(serde_json::Value::String(text.to_owned())).unwrap()
    }

    fn millis(text: &str) -> i64 {
        decode(text).to_jiff().unwrap().as_millisecond()
    }

    #[test]
    fn tasklist_offset_without_colon() {
        assert_eq!(millis("2023-10-04T12:35:24.713+0000"), 1_696_422_924_713);
        assert_eq!(
            millis("2023-10-04T14:35:24.713+0200"),
            1_696_422_924_713,
            "offset applied"
        );
    }

    #[test]
    fn rfc3339_forms() {
        assert_eq!(millis("2023-10-04T12:35:24Z"), 1_696_422_924_000);
        assert_eq!(millis("2023-10-04T13:35:24+01:00"), 1_696_422_924_000);
        let nanos = decode("2023-10-04T12:35:24.123456789+02:00")
            .to_jiff()
            .unwrap();
        assert_eq!(nanos.as_nanosecond(), 1_696_415_724_123_456_789);
    }

    #[test]
    fn hour_only_offset() {
        assert_eq!(millis("2023-10-04T12:35:24+00"), 1_696_422_924_000);
    }

    #[test]
    fn fractions_of_any_length() {
        assert_eq!(millis("2023-10-04T12:35:24.7+0000"), 1_696_422_924_700);
        assert_eq!(millis("2023-10-04T12:35:24.71+0000"), 1_696_422_924_710);
        let long = decode("2023-10-04T12:35:24.123456789987654+00:00");
        assert_eq!(
            long.to_jiff().unwrap().as_nanosecond(),
            1_696_422_924_123_456_789
        );
        assert_eq!(long.as_str(), "2023-10-04T12:35:24.123456789987654+00:00");
    }

    #[test]
    fn raw_text_round_trips() {
        for text in [
            "2023-10-04T12:35:24.713+0000",
            "2023-10-04T12:35:24Z",
            "2023-10-04T12:35:24.120+02:00",
            "not a date",
            "",
        ] {
            let json = serde_json::to_string(text).unwrap();
            let stamp: Timestamp = serde_json::from_str(&json).unwrap();
            assert_eq!(stamp.as_str(), text);
            assert_eq!(stamp.to_string(), text);
            assert_eq!(serde_json::to_string(&stamp).unwrap(), json);
        }
    }

    #[test]
    fn unparseable_text_decodes_but_to_jiff_fails() {
        let stamp = decode("tomorrow-ish");
        let error = stamp.to_jiff().unwrap_err();
        assert_eq!(error.text(), "tomorrow-ish");
        assert!(error.to_string().contains("`tomorrow-ish`"), "{error}");
        assert!(std::error::Error::source(&error).is_some());
        // No offset: an instant cannot be known.
        assert!(decode("2023-10-04T12:35:24").to_jiff().is_err());
    }

    #[test]
    fn non_strings_are_rejected() {
        assert!(serde_json::from_str::<Timestamp>("1696422924713").is_err());
    }

    #[test]
    fn from_jiff_formats_rfc3339() {
        let instant = jiff::Timestamp::from_millisecond(1_696_422_924_713).unwrap();
        let stamp = Timestamp::from(instant);
        assert_eq!(stamp.as_str(), "2023-10-04T12:35:24.713Z");
        assert_eq!(stamp.to_jiff().unwrap(), instant);
        let whole = Timestamp::from(jiff::Timestamp::from_second(1_696_422_924).unwrap());
        assert_eq!(
            serde_json::to_string(&whole).unwrap(),
            r#""2023-10-04T12:35:24Z""#
        );
    }

    #[test]
    fn from_str_is_strict() {
        let stamp: Timestamp = "2023-10-04T12:35:24.713+0000".parse().unwrap();
        assert_eq!(stamp.as_str(), "2023-10-04T12:35:24.713+0000");
        let error = "2023-10-04".parse::<Timestamp>().unwrap_err();
        assert_eq!(error.text(), "2023-10-04");
    }

    #[test]
    fn equality_is_on_the_text() {
        let a = decode("2023-10-04T12:35:24Z");
        let b = decode("2023-10-04T12:35:24+00:00");
        assert_ne!(a, b);
        assert_eq!(a.to_jiff().unwrap(), b.to_jiff().unwrap());
        assert_eq!(a, decode("2023-10-04T12:35:24Z"));
        assert_eq!(format!("{a:?}"), r#"Timestamp("2023-10-04T12:35:24Z")"#);
    }
}
