//! Typed search filters and sorting of the v2 API.
//!
//! The specs give a filtered property either a plain value (exact match) or an object of
//! operators (`{"$in": [...], "$neq": ...}`). Each type here offers only the operators the
//! specs allow for its kind of property:
//!
//! | type | spec schema | operators |
//! |---|---|---|
//! | [`StringFilter`] | `StringFilterProperty` | `$eq` `$neq` `$exists` `$in` `$notIn` `$like` |
//! | [`IntegerFilter`] | `IntegerFilterProperty` | `$eq` `$neq` `$exists` `$gt` `$gte` `$lt` `$lte` `$in` |
//! | [`DateTimeFilter`] | `DateTimeFilterProperty` | `$eq` `$neq` `$exists` `$gt` `$gte` `$lt` `$lte` `$in` |
//! | [`KeyFilter`] | `…KeyFilterProperty` | `$eq` `$neq` `$exists` `$in` `$notIn` |
//! | [`EnumFilter`] | `…StateFilterProperty`, `…TypeFilterProperty`, … | `$eq` `$neq` `$exists` `$in` `$like` |
//!
//! These are the same in 8.8, 8.9 and 8.10. Where a version accepts only the plain value for a
//! property (for example the task `name` on 8.8), the generated field's doc says so.
//!
//! A filter holding only an equality serialises as the plain value; any other as the operator
//! object. Both forms decode.
//!
//! ```
//! use serde_json::json;
//! use tasklist_api::v2::models::{IntegerFilter, StringFilter};
//!
//! assert_eq!(serde_json::to_value(StringFilter::eq("demo"))?, json!("demo"));
//! assert_eq!(
//!     serde_json::to_value(StringFilter::one_of(["a", "b"]))?,
//!     json!({"$in": ["a", "b"]})
//! );
//! assert_eq!(
//!     serde_json::to_value(IntegerFilter::gte(50).and_lt(80))?,
//!     json!({"$gte": 50, "$lt": 80})
//! );
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

use super::SortOrder;
use crate::timestamp::Timestamp;

/// Every operator of every filter, as JSON: the form a filter decodes from. A property that is
/// no operator at all is refused.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "T: DeserializeOwned"))]
struct WireOps<T> {
    #[serde(rename = "$eq", default)]
    eq: Option<T>,
    #[serde(rename = "$neq", default)]
    neq: Option<T>,
    #[serde(rename = "$exists", default)]
    exists: Option<bool>,
    #[serde(rename = "$gt", default)]
    gt: Option<T>,
    #[serde(rename = "$gte", default)]
    gte: Option<T>,
    #[serde(rename = "$lt", default)]
    lt: Option<T>,
    #[serde(rename = "$lte", default)]
    lte: Option<T>,
    #[serde(rename = "$in", default)]
    one_of: Option<Vec<T>>,
    #[serde(rename = "$notIn", default)]
    not_in: Option<Vec<T>>,
    #[serde(rename = "$like", default)]
    like: Option<String>,
}

/// Every operator of every filter, borrowed from a filter: the form a filter serialises to.
#[derive(Serialize)]
#[serde(bound(serialize = "T: Serialize"))]
struct WireRef<'a, T> {
    #[serde(rename = "$eq", skip_serializing_if = "Option::is_none")]
    eq: Option<&'a T>,
    #[serde(rename = "$neq", skip_serializing_if = "Option::is_none")]
    neq: Option<&'a T>,
    #[serde(rename = "$exists", skip_serializing_if = "Option::is_none")]
    exists: Option<&'a bool>,
    #[serde(rename = "$gt", skip_serializing_if = "Option::is_none")]
    gt: Option<&'a T>,
    #[serde(rename = "$gte", skip_serializing_if = "Option::is_none")]
    gte: Option<&'a T>,
    #[serde(rename = "$lt", skip_serializing_if = "Option::is_none")]
    lt: Option<&'a T>,
    #[serde(rename = "$lte", skip_serializing_if = "Option::is_none")]
    lte: Option<&'a T>,
    #[serde(rename = "$in", skip_serializing_if = "Option::is_none")]
    one_of: Option<&'a Vec<T>>,
    #[serde(rename = "$notIn", skip_serializing_if = "Option::is_none")]
    not_in: Option<&'a Vec<T>>,
    #[serde(rename = "$like", skip_serializing_if = "Option::is_none")]
    like: Option<&'a String>,
}

impl<T> Default for WireRef<'_, T> {
    fn default() -> Self {
        Self {
            eq: None,
            neq: None,
            exists: None,
            gt: None,
            gte: None,
            lt: None,
            lte: None,
            one_of: None,
            not_in: None,
            like: None,
        }
    }
}

impl<T: Serialize> WireRef<'_, T> {
    /// Serialises the operators: the plain value when they hold only an equality.
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let only_eq = self.neq.is_none()
            && self.exists.is_none()
            && self.gt.is_none()
            && self.gte.is_none()
            && self.lt.is_none()
            && self.lte.is_none()
            && self.one_of.is_none()
            && self.not_in.is_none()
            && self.like.is_none();
        match (only_eq, self.eq) {
            (true, Some(value)) => value.serialize(serializer),
            _ => Serialize::serialize(self, serializer),
        }
    }
}

/// A plain value or an operator object.
#[derive(Deserialize)]
#[serde(untagged, bound(deserialize = "T: DeserializeOwned"))]
enum Wire<T> {
    Plain(T),
    Ops(WireOps<T>),
}

impl<T: DeserializeOwned> WireOps<T> {
    /// Decodes a filter's JSON: a plain value is an equality.
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Wire::deserialize(deserializer)? {
            Wire::Plain(value) => WireOps {
                eq: Some(value),
                neq: None,
                exists: None,
                gt: None,
                gte: None,
                lt: None,
                lte: None,
                one_of: None,
                not_in: None,
                like: None,
            },
            Wire::Ops(ops) => ops,
        })
    }

    /// The first operator set here that `allowed` (field names) does not list: the filter
    /// that decodes this has no place for it, so it must not be dropped silently.
    fn unsupported(&self, allowed: &[&str]) -> Option<&'static str> {
        [
            ("eq", "$eq", self.eq.is_some()),
            ("neq", "$neq", self.neq.is_some()),
            ("exists", "$exists", self.exists.is_some()),
            ("gt", "$gt", self.gt.is_some()),
            ("gte", "$gte", self.gte.is_some()),
            ("lt", "$lt", self.lt.is_some()),
            ("lte", "$lte", self.lte.is_some()),
            ("one_of", "$in", self.one_of.is_some()),
            ("not_in", "$notIn", self.not_in.is_some()),
            ("like", "$like", self.like.is_some()),
        ]
        .into_iter()
        .find(|(field, _, set)| *set && !allowed.contains(field))
        .map(|(_, operator, _)| operator)
    }
}

/// Implements `Default` (every operator unset), `Serialize` and `Deserialize` for a filter
/// whose fields are the named operators of [`WireOps`], all of them `Option`s.
macro_rules! filter_serde {
    ($name:ident $(<$param:ident>)?, $value:ty, [$($field:ident),+]) => {
        impl$(<$param>)? Default for $name$(<$param>)? {
            fn default() -> Self {
                Self {
                    $($field: None,)+
                }
            }
        }

        impl$(<$param: Serialize>)? Serialize for $name$(<$param>)? {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                WireRef {
                    $($field: self.$field.as_ref(),)+
                    ..WireRef::default()
                }
                .write(serializer)
            }
        }

        impl<'de $(, $param: DeserializeOwned)?> Deserialize<'de> for $name$(<$param>)? {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let ops = WireOps::<$value>::decode(deserializer)?;
                if let Some(operator) = ops.unsupported(&[$(stringify!($field)),+]) {
                    return Err(serde::de::Error::custom(format!(
                        "the operator `{operator}` does not apply to a {}",
                        stringify!($name)
                    )));
                }
                Ok(Self {
                    $($field: ops.$field,)+
                })
            }
        }
    };
}

/// Defines the constructors and `and_*` setters of one operator.
macro_rules! op {
    ($ctor:ident, $and:ident, $field:ident, $value:ty, $into:ty, $op:literal) => {
        #[doc = concat!("A filter with `", $op, "` set to `value`.")]
        #[must_use]
        pub fn $ctor(value: impl Into<$into>) -> Self {
            Self::default().$and(value)
        }

        #[doc = concat!("This filter with `", $op, "` set to `value` as well.")]
        #[must_use]
        pub fn $and(mut self, value: impl Into<$into>) -> Self {
            self.$field = Some(value.into());
            self
        }
    };
}

/// Defines the constructors and `and_*` setters of one operator on a generic value (taken as
/// it is, so that the filter's type parameter is inferred from it).
macro_rules! exact_op {
    ($ctor:ident, $and:ident, $field:ident, $ty:ty, $op:literal) => {
        #[doc = concat!("A filter with `", $op, "` set to `value`.")]
        #[must_use]
        pub fn $ctor(value: $ty) -> Self {
            Self::default().$and(value)
        }

        #[doc = concat!("This filter with `", $op, "` set to `value` as well.")]
        #[must_use]
        pub fn $and(mut self, value: $ty) -> Self {
            self.$field = Some(value);
            self
        }
    };
}

/// Defines the list operators on a generic value.
macro_rules! exact_list_op {
    ($ctor:ident, $and:ident, $field:ident, $ty:ty, $op:literal) => {
        #[doc = concat!("A filter with `", $op, "` set to `values`.")]
        #[must_use]
        pub fn $ctor(values: impl IntoIterator<Item = $ty>) -> Self {
            Self::default().$and(values)
        }

        #[doc = concat!("This filter with `", $op, "` set to `values` as well.")]
        #[must_use]
        pub fn $and(mut self, values: impl IntoIterator<Item = $ty>) -> Self {
            self.$field = Some(values.into_iter().collect());
            self
        }
    };
}

/// Defines the list operators (`$in`, `$notIn`).
macro_rules! list_op {
    ($ctor:ident, $and:ident, $field:ident, $into:ty, $op:literal) => {
        #[doc = concat!("A filter with `", $op, "` set to `values`.")]
        #[must_use]
        pub fn $ctor<V: Into<$into>>(values: impl IntoIterator<Item = V>) -> Self {
            Self::default().$and(values)
        }

        #[doc = concat!("This filter with `", $op, "` set to `values` as well.")]
        #[must_use]
        pub fn $and<V: Into<$into>>(mut self, values: impl IntoIterator<Item = V>) -> Self {
            self.$field = Some(values.into_iter().map(Into::into).collect());
            self
        }
    };
}

/// `exists` and `and_exists`.
macro_rules! exists_op {
    () => {
        /// A filter on whether the property is set (`$exists`).
        #[must_use]
        pub fn exists(exists: bool) -> Self {
            Self::default().and_exists(exists)
        }

        /// This filter with `$exists` as well.
        #[must_use]
        pub fn and_exists(mut self, exists: bool) -> Self {
            self.exists = Some(exists);
            self
        }
    };
}

/// A filter on a string property (`StringFilterProperty`): `$eq` (sent as the plain value when
/// alone), `$neq`, `$exists`, `$in`, `$notIn` and `$like` (wildcards `*` and `?`, escaped with
/// a backslash).
///
/// ```
/// use serde_json::json;
/// use tasklist_api::v2::models::StringFilter;
///
/// assert_eq!(serde_json::to_value(StringFilter::eq("demo"))?, json!("demo"));
/// assert_eq!(serde_json::to_value(StringFilter::like("acc*"))?, json!({"$like": "acc*"}));
/// assert_eq!(
///     serde_json::to_value(StringFilter::not_in(["a"]).and_exists(true))?,
///     json!({"$exists": true, "$notIn": ["a"]})
/// );
/// let decoded: StringFilter = serde_json::from_value(json!({"$neq": "x"}))?;
/// assert_eq!(decoded, StringFilter::neq("x"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct StringFilter {
    /// `$eq`: equal to.
    pub eq: Option<String>,
    /// `$neq`: not equal to.
    pub neq: Option<String>,
    /// `$exists`: the property is set (or not).
    pub exists: Option<bool>,
    /// `$in`: equal to one of.
    pub one_of: Option<Vec<String>>,
    /// `$notIn`: equal to none of.
    pub not_in: Option<Vec<String>>,
    /// `$like`: matches the pattern (`*` any run of characters, `?` one character).
    pub like: Option<String>,
}

impl StringFilter {
    op!(eq, and_eq, eq, String, String, "$eq");
    op!(neq, and_neq, neq, String, String, "$neq");
    op!(like, and_like, like, String, String, "$like");
    exists_op!();
    list_op!(one_of, and_one_of, one_of, String, "$in");
    list_op!(not_in, and_not_in, not_in, String, "$notIn");
}

filter_serde!(
    StringFilter,
    String,
    [eq, neq, exists, one_of, not_in, like]
);

impl From<&str> for StringFilter {
    /// An equality filter.
    fn from(value: &str) -> Self {
        Self::eq(value)
    }
}

impl From<String> for StringFilter {
    /// An equality filter.
    fn from(value: String) -> Self {
        Self::eq(value)
    }
}

/// Defines a filter with comparisons (`IntegerFilterProperty`, `DateTimeFilterProperty`).
macro_rules! ordered_filter {
    ($(#[$meta:meta])* $name:ident, $value:ty) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub struct $name {
            /// `$eq`: equal to.
            pub eq: Option<$value>,
            /// `$neq`: not equal to.
            pub neq: Option<$value>,
            /// `$exists`: the property is set (or not).
            pub exists: Option<bool>,
            /// `$gt`: greater than.
            pub gt: Option<$value>,
            /// `$gte`: greater than or equal to.
            pub gte: Option<$value>,
            /// `$lt`: less than.
            pub lt: Option<$value>,
            /// `$lte`: less than or equal to.
            pub lte: Option<$value>,
            /// `$in`: equal to one of.
            pub one_of: Option<Vec<$value>>,
        }

        impl $name {
            op!(eq, and_eq, eq, $value, $value, "$eq");
            op!(neq, and_neq, neq, $value, $value, "$neq");
            op!(gt, and_gt, gt, $value, $value, "$gt");
            op!(gte, and_gte, gte, $value, $value, "$gte");
            op!(lt, and_lt, lt, $value, $value, "$lt");
            op!(lte, and_lte, lte, $value, $value, "$lte");
            exists_op!();
            list_op!(one_of, and_one_of, one_of, $value, "$in");

            /// `$gte from` and `$lt to`: the half-open range from `from` (included) to `to`
            /// (excluded).
            #[must_use]
            pub fn between(from: impl Into<$value>, to: impl Into<$value>) -> Self {
                Self::gte(from).and_lt(to)
            }
        }

        filter_serde!($name, $value, [eq, neq, exists, gt, gte, lt, lte, one_of]);
    };
}

ordered_filter!(
    /// A filter on an integer property (`IntegerFilterProperty`, int32): `$eq` (sent as the
    /// plain value when alone), `$neq`, `$exists`, `$gt`, `$gte`, `$lt`, `$lte` and `$in`.
    ///
    /// ```
    /// use serde_json::json;
    /// use tasklist_api::v2::models::IntegerFilter;
    ///
    /// assert_eq!(serde_json::to_value(IntegerFilter::eq(50))?, json!(50));
    /// assert_eq!(
    ///     serde_json::to_value(IntegerFilter::between(50, 80))?,
    ///     json!({"$gte": 50, "$lt": 80})
    /// );
    /// assert_eq!(serde_json::to_value(IntegerFilter::one_of([1, 2]))?, json!({"$in": [1, 2]}));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    IntegerFilter,
    i32
);

ordered_filter!(
    /// A filter on a date-time property (`DateTimeFilterProperty`): `$eq` (sent as the plain
    /// value when alone), `$neq`, `$exists`, `$gt`, `$gte`, `$lt`, `$lte` and `$in`.
    ///
    /// [`after`](Self::after) and [`before`](Self::before) are the strict comparisons;
    /// [`between`](Self::between) is a half-open range.
    ///
    /// ```
    /// use serde_json::json;
    /// use tasklist_api::Timestamp;
    /// use tasklist_api::v2::models::DateTimeFilter;
    ///
    /// let from: Timestamp = "2025-10-01T00:00:00Z".parse()?;
    /// let to: Timestamp = "2025-11-01T00:00:00Z".parse()?;
    /// assert_eq!(
    ///     serde_json::to_value(DateTimeFilter::between(from.clone(), to))?,
    ///     json!({"$gte": "2025-10-01T00:00:00Z", "$lt": "2025-11-01T00:00:00Z"})
    /// );
    /// assert_eq!(
    ///     serde_json::to_value(DateTimeFilter::after(from))?,
    ///     json!({"$gt": "2025-10-01T00:00:00Z"})
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    DateTimeFilter,
    Timestamp
);

impl DateTimeFilter {
    /// Strictly after `instant` (`$gt`).
    #[must_use]
    pub fn after(instant: impl Into<Timestamp>) -> Self {
        Self::gt(instant)
    }

    /// Strictly before `instant` (`$lt`).
    #[must_use]
    pub fn before(instant: impl Into<Timestamp>) -> Self {
        Self::lt(instant)
    }
}

/// A filter on a key property (`ProcessInstanceKeyFilterProperty`, …): `$eq` (sent as the plain
/// key when alone), `$neq`, `$exists`, `$in` and `$notIn`.
///
/// ```
/// use serde_json::json;
/// use tasklist_api::v2::models::{KeyFilter, ProcessInstanceKey};
///
/// let a = ProcessInstanceKey::new("2251799813690746")?;
/// let b = ProcessInstanceKey::new("2251799813690747")?;
/// assert_eq!(serde_json::to_value(KeyFilter::eq(a.clone()))?, json!("2251799813690746"));
/// assert_eq!(
///     serde_json::to_value(KeyFilter::one_of([a, b]))?,
///     json!({"$in": ["2251799813690746", "2251799813690747"]})
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct KeyFilter<K> {
    /// `$eq`: equal to.
    pub eq: Option<K>,
    /// `$neq`: not equal to.
    pub neq: Option<K>,
    /// `$exists`: the property is set (or not).
    pub exists: Option<bool>,
    /// `$in`: equal to one of.
    pub one_of: Option<Vec<K>>,
    /// `$notIn`: equal to none of.
    pub not_in: Option<Vec<K>>,
}

impl<K> KeyFilter<K> {
    exact_op!(eq, and_eq, eq, K, "$eq");
    exact_op!(neq, and_neq, neq, K, "$neq");
    exists_op!();
    exact_list_op!(one_of, and_one_of, one_of, K, "$in");
    exact_list_op!(not_in, and_not_in, not_in, K, "$notIn");
}

filter_serde!(KeyFilter<K>, K, [eq, neq, exists, one_of, not_in]);

/// A filter on an enum property (`UserTaskStateFilterProperty`, the audit log's
/// `OperationTypeFilterProperty`, …): `$eq` (sent as the plain value when alone), `$neq`,
/// `$exists`, `$in` and `$like` (a pattern on the value's text).
///
/// ```
/// use serde_json::json;
/// use tasklist_api::v2::models::{EnumFilter, UserTaskState};
///
/// assert_eq!(serde_json::to_value(EnumFilter::eq(UserTaskState::Created))?, json!("CREATED"));
/// assert_eq!(
///     serde_json::to_value(EnumFilter::one_of([UserTaskState::Created, UserTaskState::Assigning]))?,
///     json!({"$in": ["CREATED", "ASSIGNING"]})
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct EnumFilter<E> {
    /// `$eq`: equal to.
    pub eq: Option<E>,
    /// `$neq`: not equal to.
    pub neq: Option<E>,
    /// `$exists`: the property is set (or not).
    pub exists: Option<bool>,
    /// `$in`: equal to one of.
    pub one_of: Option<Vec<E>>,
    /// `$like`: the value's text matches the pattern (`*` any run, `?` one character).
    pub like: Option<String>,
}

impl<E> EnumFilter<E> {
    exact_op!(eq, and_eq, eq, E, "$eq");
    exact_op!(neq, and_neq, neq, E, "$neq");
    op!(like, and_like, like, String, String, "$like");
    exists_op!();
    exact_list_op!(one_of, and_one_of, one_of, E, "$in");
}

filter_serde!(EnumFilter<E>, E, [eq, neq, exists, one_of, like]);

/// A sort criterion of a search: a field (such as
/// [`UserTaskSortField`](super::UserTaskSortField)) and an optional order (the server's
/// default is ascending).
///
/// ```
/// use serde_json::json;
/// use tasklist_api::v2::models::{Sort, UserTaskSortField};
///
/// assert_eq!(
///     serde_json::to_value([Sort::desc(UserTaskSortField::CreationDate)])?,
///     json!([{"field": "creationDate", "order": "DESC"}])
/// );
/// assert_eq!(
///     serde_json::to_value(Sort::new(UserTaskSortField::Priority))?,
///     json!({"field": "priority"})
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Sort<F> {
    /// The field to sort by.
    pub field: F,
    /// The direction; `None` leaves it to the server (ascending).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<SortOrder>,
}

impl<F> Sort<F> {
    /// By `field`, in the server's default order.
    #[must_use]
    pub fn new(field: F) -> Self {
        Self { field, order: None }
    }

    /// By `field`, ascending.
    #[must_use]
    pub fn asc(field: F) -> Self {
        Self {
            field,
            order: Some(SortOrder::Asc),
        }
    }

    /// By `field`, descending.
    #[must_use]
    pub fn desc(field: F) -> Self {
        Self {
            field,
            order: Some(SortOrder::Desc),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use serde_json::json;

    use super::super::{ProcessInstanceKey, UserTaskState};
    use super::*;

    #[test]
    fn string_filters() {
        let cases = [
            (StringFilter::eq("x"), json!("x")),
            (
                StringFilter::eq("x").and_neq("y"),
                json!({"$eq": "x", "$neq": "y"}),
            ),
            (StringFilter::neq("y"), json!({"$neq": "y"})),
            (StringFilter::exists(false), json!({"$exists": false})),
            (StringFilter::one_of(["a", "b"]), json!({"$in": ["a", "b"]})),
            (StringFilter::not_in(["a"]), json!({"$notIn": ["a"]})),
            (StringFilter::like("a*"), json!({"$like": "a*"})),
            (StringFilter::default(), json!({})),
        ];
        for (filter, wire) in cases {
            assert_eq!(serde_json::to_value(&filter).unwrap(), wire);
            assert_eq!(
                serde_json::from_value::<StringFilter>(wire).unwrap(),
                filter
            );
        }
    }

    #[test]
    fn operators_a_filter_has_no_place_for_are_refused_not_dropped() {
        let error = serde_json::from_value::<StringFilter>(json!({"$gt": "a"})).unwrap_err();
        assert!(error.to_string().contains("`$gt`"), "{error}");
        assert!(serde_json::from_value::<IntegerFilter>(json!({"$like": "1*"})).is_err());
        assert!(
            serde_json::from_value::<KeyFilter<ProcessInstanceKey>>(json!({"$lt": "1"})).is_err()
        );
        assert!(
            serde_json::from_value::<EnumFilter<UserTaskState>>(json!({"$notIn": []})).is_err()
        );
        assert!(serde_json::from_value::<StringFilter>(json!({"$regex": "a"})).is_err());
    }

    #[test]
    fn ordered_filters() {
        assert_eq!(
            serde_json::to_value(IntegerFilter::gt(1).and_lte(5).and_neq(3)).unwrap(),
            json!({"$gt": 1, "$lte": 5, "$neq": 3})
        );
        let t: Timestamp = "2025-01-01T00:00:00Z".parse().unwrap();
        assert_eq!(
            serde_json::to_value(DateTimeFilter::eq(t.clone())).unwrap(),
            json!("2025-01-01T00:00:00Z")
        );
        assert_eq!(
            serde_json::to_value(DateTimeFilter::before(t.clone()).and_exists(true)).unwrap(),
            json!({"$exists": true, "$lt": "2025-01-01T00:00:00Z"})
        );
        let decoded: DateTimeFilter =
            serde_json::from_value(json!({"$in": ["2025-01-01T00:00:00Z"]})).unwrap();
        assert_eq!(decoded, DateTimeFilter::one_of([t]));
        assert_eq!(
            serde_json::from_value::<IntegerFilter>(json!(7)).unwrap(),
            IntegerFilter::eq(7)
        );
    }

    #[test]
    fn key_and_enum_filters() {
        let key = ProcessInstanceKey::from(1);
        assert_eq!(
            serde_json::to_value(KeyFilter::eq(key.clone()).and_not_in([key.clone()])).unwrap(),
            json!({"$eq": "1", "$notIn": ["1"]})
        );
        assert_eq!(
            serde_json::from_value::<KeyFilter<ProcessInstanceKey>>(json!("1")).unwrap(),
            KeyFilter::eq(key)
        );
        assert!(serde_json::from_value::<KeyFilter<ProcessInstanceKey>>(json!("x")).is_err());
        assert_eq!(
            serde_json::to_value(EnumFilter::<UserTaskState>::like("COMPL*")).unwrap(),
            json!({"$like": "COMPL*"})
        );
        let decoded: EnumFilter<UserTaskState> =
            serde_json::from_value(json!({"$neq": "PAUSED"})).unwrap();
        assert_eq!(
            decoded,
            EnumFilter::neq(UserTaskState::Unknown("PAUSED".into()))
        );
    }
}
