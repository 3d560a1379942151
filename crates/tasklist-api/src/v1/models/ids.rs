//! Identifier newtypes: one type per kind of identifier, so that a task id cannot be passed
//! where a variable id is expected.
//!
//! Each is a string on the wire (`#[serde(transparent)]`), including the keys that look like
//! numbers: Tasklist sends them as JSON strings, and this crate keeps them that way.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Defines one identifier newtype with its conversions; `$example` is a typical value.
macro_rules! identifier {
    ($(#[$meta:meta])* $name:ident, $example:literal) => {
        $(#[$meta])*
        ///
        /// # Examples
        ///
        /// ```
        #[doc = concat!("use tasklist_api::models::", stringify!($name), ";")]
        ///
        #[doc = concat!("let id = ", stringify!($name), "::new(\"", $example, "\");")]
        #[doc = concat!("assert_eq!(id.as_str(), \"", $example, "\");")]
        #[doc = concat!("assert_eq!(serde_json::to_string(&id)?, r#\"\"", $example, "\"\"#);")]
        /// # Ok::<(), serde_json::Error>(())
        /// ```
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps an identifier as the server spells it.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use tasklist_api::models::", stringify!($name), ";")]
            ///
            #[doc = concat!("let id = ", stringify!($name), "::new(String::from(\"", $example, "\"));")]
            #[doc = concat!("assert_eq!(id, ", stringify!($name), "::from(\"", $example, "\"));")]
            /// ```
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The identifier as text.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use tasklist_api::models::", stringify!($name), ";")]
            ///
            #[doc = concat!("assert_eq!(", stringify!($name), "::new(\"", $example, "\").as_str(), \"", $example, "\");")]
            /// ```
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The identifier as an owned `String`.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use tasklist_api::models::", stringify!($name), ";")]
            ///
            #[doc = concat!("let text: String = ", stringify!($name), "::new(\"", $example, "\").into_inner();")]
            #[doc = concat!("assert_eq!(text, \"", $example, "\");")]
            /// ```
            #[must_use]
            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            /// Writes the identifier as it is.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl From<&$name> for $name {
            /// Clones the identifier, so that functions taking `impl Into<Self>` accept a
            /// reference.
            fn from(id: &$name) -> Self {
                id.clone()
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }
    };
}

identifier! {
    /// The id of a user task (`TaskSearchResponse.id`, `TaskResponse.id` in the spec, and the
    /// `{taskId}` of the task endpoints).
    TaskId, "2251799813685251"
}

identifier! {
    /// The id of a process variable (`VariableSearchResponse.id`, `VariableResponse.id`, and
    /// the `{variableId}` of `GET /v1/variables/{variableId}`).
    VariableId, "2251799813685251-approved"
}

identifier! {
    /// The id of a form (`FormResponse.id`, a task's `formId`, and the `{formId}` of
    /// `GET /v1/forms/{formId}`).
    FormId, "userTaskForm_1"
}

identifier! {
    /// The key of a deployed process definition (`processDefinitionKey` in the spec).
    ProcessDefinitionKey, "2251799813685249"
}

identifier! {
    /// The key of a running or finished process instance (`processInstanceKey` in the spec).
    ProcessInstanceKey, "2251799813685255"
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    /// Serde transparency, conversions and formatting of one identifier type.
    fn check<T>(make: fn(&str) -> T)
    where
        T: Serialize
            + for<'de> Deserialize<'de>
            + fmt::Display
            + fmt::Debug
            + AsRef<str>
            + PartialEq
            + Into<String>,
    {
        let id = make("2251799813685251");
        assert_eq!(serde_json::to_string(&id).unwrap(), r#""2251799813685251""#);
        let back: T = serde_json::from_str(r#""2251799813685251""#).unwrap();
        assert_eq!(back, id);
        assert_eq!(id.to_string(), "2251799813685251");
        assert_eq!(id.as_ref(), "2251799813685251");
        // A number is not an identifier: the wire carries strings.
        assert!(serde_json::from_str::<T>("2251799813685251").is_err());
        let inner: String = id.into();
        assert_eq!(inner, "2251799813685251");
    }

    #[test]
    fn task_id() {
        check(|s| TaskId::new(s));
        let id = TaskId::new("a/b");
        assert_eq!(TaskId::from(&id), id);
        assert_eq!(id.clone().into_inner(), "a/b");
    }

    #[test]
    fn variable_id() {
        check(|s| VariableId::new(s));
        assert_eq!(VariableId::from(String::from("v")).as_str(), "v");
    }

    #[test]
    fn form_id() {
        check(|s| FormId::new(s));
        let id = FormId::new("form");
        assert_eq!(FormId::from(&id).into_inner(), "form");
    }

    #[test]
    fn process_definition_key() {
        check(|s| ProcessDefinitionKey::new(s));
    }

    #[test]
    fn process_instance_key() {
        check(|s| ProcessInstanceKey::new(s));
    }

    #[test]
    fn ordering_is_textual() {
        let mut ids = [TaskId::new("b"), TaskId::new("a"), TaskId::new("10")];
        ids.sort();
        assert_eq!(
            ids.iter().map(TaskId::as_str).collect::<Vec<_>>(),
            ["10", "a", "b"]
        );
    }
}
