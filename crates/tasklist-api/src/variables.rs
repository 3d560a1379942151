//! Process variables as the APIs carry them: values as JSON text inside a JSON string.
//! [`Variables`] encodes any `Serialize` value for a request; [`ValueState`] tells what a result
//! holds of a value; the decode methods of each API version's models read them back into any
//! `DeserializeOwned` type.

use std::fmt;

use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;

use crate::error::Error;

/// Variables to send: an ordered list of names and JSON values.
///
/// The API carries each value as JSON *text* inside a JSON string (`"value": "\"EMEA\""`).
/// `Variables` does that encoding with `serde_json`, so any [`Serialize`] value works and
/// comes out exactly as `serde_json` writes it: strings with their quotes and escapes,
/// integers of any size (`u64::MAX`, `i128`) without a detour through `f64`, `null`,
/// nested objects and arrays.
///
/// Setting a name again replaces its value and keeps its place.
///
/// ```
/// use tasklist_api::Variables;
///
/// let variables = Variables::new()
///     .with("region", &"EMEA")?
///     .with("amount", &u64::MAX)?
///     .with("approver", &None::<String>)?
///     .with("lines", &serde_json::json!([{"sku": "A-1", "qty": 2}]))?;
/// let wire: Vec<_> = variables.iter().collect();
/// assert_eq!(
///     wire,
///     [
///         ("region", r#""EMEA""#),
///         ("amount", "18446744073709551615"),
///         ("approver", "null"),
///         ("lines", r#"[{"qty":2,"sku":"A-1"}]"#),
///     ]
/// );
/// # Ok::<(), tasklist_api::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Variables {
    /// Names with their values as JSON text.
    pub(crate) entries: Vec<(String, String)>,
}

impl Variables {
    /// No variables.
    ///
    /// ```
    /// assert!(tasklist_api::Variables::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Variables::default()
    }

    /// These variables and `name` set to `value`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] when `value` cannot be serialised to JSON (for example a
    /// map with non-string keys).
    ///
    /// ```
    /// let variables = tasklist_api::Variables::new().with("note", &"line 1\nline \"2\"")?;
    /// assert_eq!(variables.get("note"), Some(r#""line 1\nline \"2\"""#));
    /// # Ok::<(), tasklist_api::Error>(())
    /// ```
    pub fn with<T: Serialize + ?Sized>(
        mut self,
        name: impl Into<String>,
        value: &T,
    ) -> Result<Self, Error> {
        self.insert(name, value)?;
        Ok(self)
    }

    /// Sets `name` to `value`, replacing any value it had.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] when `value` cannot be serialised to JSON; the variables are
    /// unchanged.
    ///
    /// ```
    /// let mut variables = tasklist_api::Variables::new();
    /// variables.insert("count", &1)?;
    /// variables.insert("count", &2)?;
    /// assert_eq!(variables.get("count"), Some("2"));
    /// assert_eq!(variables.len(), 1);
    /// # Ok::<(), tasklist_api::Error>(())
    /// ```
    pub fn insert<T: Serialize + ?Sized>(
        &mut self,
        name: impl Into<String>,
        value: &T,
    ) -> Result<(), Error> {
        let name = name.into();
        let json = serde_json::to_string(value).map_err(|e| {
            Error::invalid(format!(
                "variable `{name}` cannot be serialised to JSON: {e}"
            ))
        })?;
        self.set(name, json);
        Ok(())
    }

    fn set(&mut self, name: String, json: String) {
        match self.entries.iter_mut().find(|(n, _)| *n == name) {
            Some(entry) => entry.1 = json,
            None => self.entries.push((name, json)),
        }
    }

    /// One variable per field of `value`, which must serialise to a JSON object (a struct
    /// or a map with string keys), in the order the fields are written.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] when `value` cannot be serialised, or is not an object.
    ///
    /// ```
    /// use tasklist_api::Variables;
    ///
    /// #[derive(serde::Serialize)]
    /// struct Decision {
    ///     approved: bool,
    ///     reviewer: Reviewer,
    /// }
    /// #[derive(serde::Serialize)]
    /// struct Reviewer {
    ///     name: String,
    /// }
    ///
    /// let decision = Decision { approved: true, reviewer: Reviewer { name: "Zoë".into() } };
    /// let variables = Variables::from_serialize(&decision)?;
    /// assert_eq!(variables.get("approved"), Some("true"));
    /// assert_eq!(variables.get("reviewer"), Some(r#"{"name":"Zoë"}"#));
    ///
    /// assert!(Variables::from_serialize(&[1, 2]).is_err());
    /// # Ok::<(), tasklist_api::Error>(())
    /// ```
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Result<Self, Error> {
        let json = serde_json::to_string(value)
            .map_err(|e| Error::invalid(format!("the variables cannot be serialised: {e}")))?;
        let fields: Fields = serde_json::from_str(&json).map_err(|_| {
            Error::invalid("the variables must serialise to a JSON object (a struct or a map)")
        })?;
        let mut variables = Variables::new();
        for (name, value) in fields.0 {
            variables.set(name, value.get().to_owned());
        }
        Ok(variables)
    }

    /// The JSON text of the variable `name`.
    ///
    /// ```
    /// let variables = tasklist_api::Variables::new().with("a", &[1, 2])?;
    /// assert_eq!(variables.get("a"), Some("[1,2]"));
    /// assert_eq!(variables.get("b"), None);
    /// # Ok::<(), tasklist_api::Error>(())
    /// ```
    pub fn get(&self, name: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Removes the variable `name`, returning its JSON text.
    ///
    /// ```
    /// let mut variables = tasklist_api::Variables::new().with("a", &1)?;
    /// assert_eq!(variables.remove("a").as_deref(), Some("1"));
    /// assert!(variables.is_empty());
    /// # Ok::<(), tasklist_api::Error>(())
    /// ```
    pub fn remove(&mut self, name: &str) -> Option<String> {
        let index = self.entries.iter().position(|(n, _)| n == name)?;
        Some(self.entries.remove(index).1)
    }

    /// How many variables there are.
    ///
    /// ```
    /// let variables = tasklist_api::Variables::new().with("a", &1)?.with("b", &2)?;
    /// assert_eq!(variables.len(), 2);
    /// # Ok::<(), tasklist_api::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no variables.
    ///
    /// ```
    /// assert!(tasklist_api::Variables::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The names and JSON texts, in order.
    ///
    /// ```
    /// let variables = tasklist_api::Variables::new().with("a", &true)?;
    /// for (name, json) in variables.iter() {
    ///     assert_eq!((name, json), ("a", "true"));
    /// }
    /// # Ok::<(), tasklist_api::Error>(())
    /// ```
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> {
        self.entries.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }
}

/// The fields of a JSON object in their order, each value kept as its text.
struct Fields(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldsVisitor;

        impl<'de> Visitor<'de> for FieldsVisitor {
            type Value = Fields;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
                let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(entry) = map.next_entry()? {
                    fields.push(entry);
                }
                Ok(Fields(fields))
            }
        }

        deserializer.deserialize_map(FieldsVisitor)
    }
}

/// What a search result holds of a variable's value.
///
/// ```
/// use tasklist_api::ValueState;
/// use tasklist_api::models::TaskVariable;
///
/// let big: TaskVariable = serde_json::from_str(
///     r#"{"name":"invoice","value":null,"isValueTruncated":true,"previewValue":"{\"lines\":[{\"sku\":"}"#,
/// ).unwrap();
/// assert_eq!(big.value_state(), ValueState::Truncated { preview: r#"{"lines":[{"sku":"# });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ValueState<'a> {
    /// The whole value, as JSON text: the `value` the server sent, or the `previewValue`
    /// when the server says it is not truncated and sent no `value`.
    Full(&'a str),
    /// Only a preview: the server cut the value because it is large (`isValueTruncated` with
    /// no `value`). Decoding it fails with
    /// [`Error::VariableTruncated`]; fetch the whole value with
    /// [`VariablesApi::full_value`](crate::v1::VariablesApi::full_value).
    Truncated {
        /// The start of the JSON text (empty when the server sent none).
        preview: &'a str,
    },
    /// No value at all.
    Absent,
}

impl ValueState<'_> {
    /// True for [`ValueState::Truncated`].
    ///
    /// ```
    /// assert!(tasklist_api::ValueState::Truncated { preview: "[1," }.is_truncated());
    /// ```
    pub fn is_truncated(&self) -> bool {
        matches!(self, ValueState::Truncated { .. })
    }
}

/// Decodes the JSON text of variable `name`; an absent value reads as `null`.
pub(crate) fn decode_value<T: DeserializeOwned>(
    name: Option<&str>,
    state: ValueState<'_>,
) -> Result<T, Error> {
    let name = || name.unwrap_or_default().to_owned();
    let json = match state {
        ValueState::Full(json) => json,
        ValueState::Absent => "null",
        ValueState::Truncated { .. } => return Err(Error::VariableTruncated { name: name() }),
    };
    serde_json::from_str(json).map_err(|source| Error::VariableDecode {
        name: name(),
        source,
    })
}
