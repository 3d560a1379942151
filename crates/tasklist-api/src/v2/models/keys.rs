//! The keys of the v2 API: one string newtype per kind of key, so that a process instance key
//! cannot be passed where a user task key is expected.
//!
//! The specs define every key as `LongKey`: a string of 1 to 25 characters matching
//! `^-?[0-9]+$` (a Java `long`, sent as text so that JavaScript clients keep every digit). The
//! newtypes check that rule when built and when decoded from a JSON string, keep the text
//! exactly as given, and never convert it to an integer for transport. A JSON *number* is
//! refused, as all three specs type every key as a string: accepting one would need serde's
//! `deserialize_any`, which made decoding a page of tasks 5 % slower (measured with
//! `tests/benches/stack.rs`).

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::wire::echo;

/// The most characters a key may have (`maxLength` of `LongKey`).
pub const MAX_KEY_LENGTH: usize = 25;

/// Why a text is not a valid key.
///
/// ```
/// use tasklist_api::v2::models::{KeyError, UserTaskKey};
///
/// let error = UserTaskKey::new("12a").unwrap_err();
/// assert!(matches!(error, KeyError::NotDecimal { .. }));
/// assert_eq!(
///     error.to_string(),
///     "invalid UserTaskKey `12a`: a key is a decimal integer (`^-?[0-9]+$`)"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The text is empty.
    #[error("invalid {kind}: a key must not be empty")]
    Empty {
        /// The key type, such as `UserTaskKey`.
        kind: &'static str,
    },
    /// The text has more than [`MAX_KEY_LENGTH`] characters.
    #[error("invalid {kind} `{excerpt}`: a key has at most 25 characters, this one has {length}")]
    TooLong {
        /// The key type, such as `UserTaskKey`.
        kind: &'static str,
        /// How many characters the text has.
        length: usize,
        /// The start of the text (cut, with `…`, when long; control characters escaped).
        excerpt: String,
    },
    /// The text is not an optional `-` followed by ASCII digits.
    #[error("invalid {kind} `{excerpt}`: a key is a decimal integer (`^-?[0-9]+$`)")]
    NotDecimal {
        /// The key type, such as `UserTaskKey`.
        kind: &'static str,
        /// The text (cut, with `…`, when long; control characters escaped).
        excerpt: String,
    },
}

/// Checks `text` against the `LongKey` rule.
fn validate(kind: &'static str, text: &str) -> Result<(), KeyError> {
    let bytes = text.as_bytes();
    let digits = bytes.strip_prefix(b"-").unwrap_or(bytes);
    // Every key of every page passes here: the check of a valid one reads each byte without a
    // branch (so it vectorises), and the errors are worked out only for an invalid one.
    if !digits.is_empty()
        && bytes.len() <= MAX_KEY_LENGTH
        && digits.iter().fold(true, |all, b| all & b.is_ascii_digit())
    {
        return Ok(());
    }
    if text.is_empty() {
        return Err(KeyError::Empty { kind });
    }
    let length = text.chars().count();
    if length > MAX_KEY_LENGTH {
        return Err(KeyError::TooLong {
            kind,
            length,
            excerpt: echo(text),
        });
    }
    Err(KeyError::NotDecimal {
        kind,
        excerpt: echo(text),
    })
}

/// The numeric value of a valid key (25 characters always fit an `i128`).
fn numeric(text: &str) -> i128 {
    text.parse().unwrap_or_default()
}

/// Decodes a key from a JSON string, validated.
struct KeyVisitor(&'static str);

impl Visitor<'_> for KeyVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a {} (a string of 1 to 25 characters matching `^-?[0-9]+$`)",
            self.0
        )
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<String, E> {
        validate(self.0, value).map_err(E::custom)?;
        Ok(value.to_owned())
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<String, E> {
        validate(self.0, &value).map_err(E::custom)?;
        Ok(value)
    }
}

/// Defines one key newtype with its conversions; `$example` is a typical value.
macro_rules! key {
    ($(#[$meta:meta])* $name:ident, $example:literal) => {
        $(#[$meta])*
        ///
        /// A string on the wire, checked against the `LongKey` rule (1 to 25 characters,
        /// `^-?[0-9]+$`). Keys order by their numeric value (then by text, for keys with
        /// leading zeros).
        ///
        /// # Examples
        ///
        /// ```
        #[doc = concat!("use tasklist_api::v2::models::", stringify!($name), ";")]
        ///
        #[doc = concat!("let key = ", stringify!($name), "::new(\"", $example, "\")?;")]
        #[doc = concat!("assert_eq!(key.as_str(), \"", $example, "\");")]
        #[doc = concat!("assert_eq!(serde_json::to_string(&key)?, r#\"\"", $example, "\"\"#);")]
        ///
        /// // Decoding checks the rule, and takes strings only.
        #[doc = concat!("let decoded: ", stringify!($name), " = serde_json::from_str(r#\"\"", $example, "\"\"#)?;")]
        /// assert_eq!(decoded, key);
        #[doc = concat!("assert!(serde_json::from_str::<", stringify!($name), ">(r#\"\"12a\"\"#).is_err());")]
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            /// The key with this text, if it follows the `LongKey` rule.
            ///
            /// # Errors
            ///
            /// [`KeyError`] when the text is empty, longer than 25 characters, or not a
            /// decimal integer.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use tasklist_api::v2::models::", stringify!($name), ";")]
            ///
            #[doc = concat!("assert!(", stringify!($name), "::new(\"-1\").is_ok());")]
            #[doc = concat!("assert!(", stringify!($name), "::new(\"\").is_err());")]
            #[doc = concat!("assert!(", stringify!($name), "::new(\"1\".repeat(26)).is_err());")]
            /// ```
            pub fn new(text: impl Into<String>) -> Result<Self, KeyError> {
                let text = text.into();
                validate(stringify!($name), &text)?;
                Ok(Self(text))
            }

            /// The key as text.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use tasklist_api::v2::models::", stringify!($name), ";")]
            ///
            #[doc = concat!("assert_eq!(", stringify!($name), "::from(7).as_str(), \"7\");")]
            /// ```
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The key as an owned `String`.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use tasklist_api::v2::models::", stringify!($name), ";")]
            ///
            #[doc = concat!("let text: String = ", stringify!($name), "::new(\"", $example, "\")?.into_string();")]
            #[doc = concat!("assert_eq!(text, \"", $example, "\");")]
            /// # Ok::<(), tasklist_api::v2::models::KeyError>(())
            /// ```
            #[must_use]
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            /// Writes the key as it is.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = KeyError;

            /// The same as [`new`](Self::new).
            fn from_str(text: &str) -> Result<Self, KeyError> {
                Self::new(text)
            }
        }

        impl TryFrom<String> for $name {
            type Error = KeyError;

            /// The same as [`new`](Self::new).
            fn try_from(text: String) -> Result<Self, KeyError> {
                Self::new(text)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = KeyError;

            /// The same as [`new`](Self::new).
            fn try_from(text: &str) -> Result<Self, KeyError> {
                Self::new(text)
            }
        }

        impl From<i64> for $name {
            /// The key whose text is the decimal form of `value`.
            fn from(value: i64) -> Self {
                Self(value.to_string())
            }
        }

        impl From<$name> for String {
            fn from(key: $name) -> String {
                key.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $name {
            /// By numeric value, then by text.
            fn cmp(&self, other: &Self) -> Ordering {
                numeric(&self.0)
                    .cmp(&numeric(&other.0))
                    .then_with(|| self.0.cmp(&other.0))
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer
                    .deserialize_str(KeyVisitor(stringify!($name)))
                    .map(Self)
            }
        }
    };
}

key!(
    /// The key of a user task.
    UserTaskKey,
    "2251799813685281"
);
key!(
    /// The key of a process instance.
    ProcessInstanceKey,
    "2251799813690746"
);
key!(
    /// The key of a deployed process definition.
    ProcessDefinitionKey,
    "2251799813686749"
);
key!(
    /// The key of an element instance (a user task's element, a subprocess, …).
    ElementInstanceKey,
    "2251799813686789"
);
key!(
    /// The key of a deployed form.
    FormKey,
    "2251799813684365"
);
key!(
    /// The key of a variable.
    VariableKey,
    "2251799813683287"
);
key!(
    /// The key of a variable's scope: the process instance, or the element instance where the
    /// variable is defined.
    ScopeKey,
    "2251799813683890"
);
key!(
    /// The key of an audit log entry (8.9+).
    AuditLogKey,
    "22517998136843567"
);
key!(
    /// The key of a job.
    JobKey,
    "2251799813653498"
);
key!(
    /// The key of a decision definition.
    DecisionDefinitionKey,
    "2251799813326547"
);
key!(
    /// The key of a decision requirements graph.
    DecisionRequirementsKey,
    "2251799813683346"
);
key!(
    /// The key of a decision evaluation.
    DecisionEvaluationKey,
    "2251792362345323"
);
key!(
    /// The key of a batch operation.
    BatchOperationKey,
    "2251799813684321"
);
key!(
    /// The key of a deployment.
    DeploymentKey,
    "2251799813686749"
);
key!(
    /// The key of a deployed resource.
    ResourceKey,
    "2251799813686749"
);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn the_long_key_rule() {
        assert!(UserTaskKey::new("-1").is_ok());
        assert!(UserTaskKey::new("0").is_ok());
        assert!(UserTaskKey::new("1".repeat(25)).is_ok());
        assert_eq!(
            UserTaskKey::new(""),
            Err(KeyError::Empty {
                kind: "UserTaskKey"
            })
        );
        assert!(matches!(
            UserTaskKey::new("1".repeat(26)),
            Err(KeyError::TooLong { length: 26, .. })
        ));
        for bad in ["12a", "-", "+1", " 1", "1.0", "١٢"] {
            assert!(
                matches!(UserTaskKey::new(bad), Err(KeyError::NotDecimal { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn long_input_is_cut_in_errors() {
        let long = "x".repeat(10_000);
        let message = FormKey::new(long).unwrap_err().to_string();
        assert!(message.len() < 200, "{message}");
        assert!(message.contains('…'));
        let multibyte = "é".repeat(100);
        let message = FormKey::new(multibyte).unwrap_err().to_string();
        assert!(message.contains('…'));
    }

    #[test]
    fn decoding() {
        let key: ProcessInstanceKey = serde_json::from_str(r#""9007199254740993""#).unwrap();
        assert_eq!(key.as_str(), "9007199254740993");
        assert_eq!(
            serde_json::to_string(&key).unwrap(),
            r#""9007199254740993""#
        );
        let number = serde_json::from_str::<ProcessInstanceKey>("-42").unwrap_err();
        assert!(
            number.to_string().contains("invalid type: integer `-42`"),
            "{number}"
        );
        let error = serde_json::from_str::<ProcessInstanceKey>(r#""12a""#).unwrap_err();
        assert!(error.to_string().contains("ProcessInstanceKey"), "{error}");
        assert!(error.to_string().contains("^-?[0-9]+$"), "{error}");
        assert!(serde_json::from_str::<ProcessInstanceKey>("1.5").is_err());
        assert!(serde_json::from_str::<ProcessInstanceKey>("null").is_err());
    }

    #[test]
    fn conversions_and_order() {
        let key: JobKey = "10".parse().unwrap();
        assert_eq!(JobKey::try_from("10").unwrap(), key);
        assert_eq!(JobKey::try_from(String::from("10")).unwrap(), key);
        assert_eq!(JobKey::from(10), key);
        assert_eq!(key.to_string(), "10");
        assert_eq!(String::from(key.clone()), "10");
        let mut keys = vec![JobKey::from(10), JobKey::from(9), JobKey::from(-3)];
        keys.sort();
        assert_eq!(keys, [JobKey::from(-3), JobKey::from(9), JobKey::from(10)]);
        assert!(JobKey::new("007").unwrap() != JobKey::from(7));
        assert_ne!(
            JobKey::new("007").unwrap().cmp(&JobKey::from(7)),
            Ordering::Equal
        );
    }
}
