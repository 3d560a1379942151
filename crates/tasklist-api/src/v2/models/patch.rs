//! [`Patch`]: a change to one attribute of a user task, for
//! [`Changeset`](super::Changeset).

use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde::{Deserialize, Serialize, Serializer};

use crate::timestamp::Timestamp;

/// A change to one attribute of a [`Changeset`](super::Changeset): set it, or clear it.
///
/// In a changeset, an attribute that is absent or `null` keeps its stored value (`None` in
/// the `Option<Patch<T>>` field). To clear one, the server wants an *empty* value: an empty
/// string for a date (`dueDate`, `followUpDate`) and an empty list for the candidates
/// (`candidateUsers`, `candidateGroups`). [`Patch::Clear`] sends exactly that, so the three
/// states are explicit:
///
/// | field | JSON | effect |
/// |---|---|---|
/// | `None` | absent | keep |
/// | `Some(Patch::Set(v))` | `v` | set |
/// | `Some(Patch::Clear)` | `""` or `[]` | clear |
///
/// An empty list sent with `Set` clears the candidates as well; it decodes as `Clear`.
///
/// ```
/// use serde_json::json;
/// use tasklist_api::v2::models::{Changeset, Patch};
///
/// let mut changes = Changeset::default();
/// changes.due_date = Some(Patch::Clear);
/// changes.candidate_groups = Some(Patch::Set(vec!["accounting".to_owned()]));
/// changes.follow_up_date = Some(Patch::Set("2025-10-06T17:00:00Z".parse()?));
/// assert_eq!(
///     serde_json::to_value(&changes)?,
///     json!({
///         "dueDate": "",
///         "followUpDate": "2025-10-06T17:00:00Z",
///         "candidateGroups": ["accounting"]
///     })
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Patch<T> {
    /// Set the attribute to this value.
    Set(T),
    /// Clear the attribute (sent as the empty value the server expects).
    Clear,
}

impl<T> Patch<T> {
    /// The value set, if any.
    ///
    /// ```
    /// use tasklist_api::v2::models::Patch;
    /// assert_eq!(Patch::Set(3).value(), Some(&3));
    /// assert_eq!(Patch::<i32>::Clear.value(), None);
    /// ```
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Set(value) => Some(value),
            Self::Clear => None,
        }
    }
}

impl<T> From<T> for Patch<T> {
    /// [`Patch::Set`].
    fn from(value: T) -> Self {
        Self::Set(value)
    }
}

/// A type a [`Patch`] can clear: it knows the empty JSON value that clears it.
pub trait Clearable: Serialize + DeserializeOwned {
    /// The JSON that clears the attribute.
    fn cleared() -> serde_json::Value;
}

impl Clearable for Timestamp {
    /// An empty string.
    fn cleared() -> serde_json::Value {
        serde_json::Value::String(String::new())
    }
}

impl<T: Serialize + DeserializeOwned> Clearable for Vec<T> {
    /// An empty list.
    fn cleared() -> serde_json::Value {
        serde_json::Value::Array(Vec::new())
    }
}

impl<T: Clearable> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Set(value) => value.serialize(serializer),
            Self::Clear => T::cleared().serialize(serializer),
        }
    }
}

impl<'de, T: Clearable> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        if value == T::cleared() {
            return Ok(Self::Clear);
        }
        serde_json::from_value(value)
            .map(Self::Set)
            .map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use serde_json::json;

    use super::*;

    #[test]
    fn patches_round_trip() {
        let clear: Patch<Timestamp> = serde_json::from_value(json!("")).unwrap();
        assert_eq!(clear, Patch::Clear);
        assert_eq!(serde_json::to_value(&clear).unwrap(), json!(""));
        let set: Patch<Timestamp> = serde_json::from_value(json!("2025-01-01T00:00:00Z")).unwrap();
        assert_eq!(
            set.value().map(Timestamp::as_str),
            Some("2025-01-01T00:00:00Z")
        );
        let cleared: Patch<Vec<String>> = serde_json::from_value(json!([])).unwrap();
        assert_eq!(cleared, Patch::Clear);
        assert_eq!(
            serde_json::to_value(Patch::<Vec<String>>::Clear).unwrap(),
            json!([])
        );
        assert_eq!(
            serde_json::to_value(Patch::Set(vec!["a".to_owned()])).unwrap(),
            json!(["a"])
        );
    }
}
