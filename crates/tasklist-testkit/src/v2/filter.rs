//! The filter properties of the v2 searches (origin: FACTS §3.1, the specs' `filters.yaml`).
//!
//! - `StringFilterProperty`: an exact string, or `{$eq, $neq, $exists, $in, $notIn, $like}`;
//!   `$like` wildcards are `*` (any run) and `?` (one character), escaped with a backslash.
//! - `IntegerFilterProperty` and `DateTimeFilterProperty`: an exact value, or
//!   `{$eq, $neq, $exists, $gt, $gte, $lt, $lte, $in}`.
//! - The state filter: a `UserTaskStateEnum` or `{$eq, $neq, $exists, $in, $like}`.
//!
//! An operator the property does not have, or a value of the wrong type, is a 400. There is no
//! `$or`. A multi-valued field (candidate groups) matches when any of its values does; `$neq`
//! and `$notIn` then need every value to pass, and `$exists` asks for at least one value.
//! `$neq` and `$notIn` match a task without the value too, as the `must_not` queries the
//! search builds do.

use jiff::Timestamp;
use serde_json::{Map, Value};

use super::problems::Problem;

/// Which operators a property accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ops {
    /// `$eq $neq $exists $in $notIn $like`.
    String,
    /// `$eq $neq $exists $in $like` (the state filter).
    State,
    /// `$eq $neq $exists $in $notIn` (8.10's key filters).
    Key,
    /// `$eq $neq $exists $gt $gte $lt $lte $in`.
    Ordered,
}

impl Ops {
    fn allows(self, op: &str) -> bool {
        let list: &[&str] = match self {
            Ops::String => &["$eq", "$neq", "$exists", "$in", "$notIn", "$like"],
            Ops::State => &["$eq", "$neq", "$exists", "$in", "$like"],
            Ops::Key => &["$eq", "$neq", "$exists", "$in", "$notIn"],
            Ops::Ordered => &[
                "$eq", "$neq", "$exists", "$gt", "$gte", "$lt", "$lte", "$in",
            ],
        };
        list.contains(&op)
    }
}

/// A filter value for comparison: text, a number or a date.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
pub(crate) enum Scalar {
    /// Text (also keys and enum names).
    Text(String),
    /// An integer.
    Int(i64),
    /// A date-time.
    Date(Timestamp),
}

fn bad(field: &str, value: &Value) -> Problem {
    Problem::unreadable(format!(
        "Request property [filter.{field}] cannot be parsed: {value}"
    ))
}

/// Reads one operand of `field` in the form `like` has (the field's own type).
fn scalar(field: &str, value: &Value, like: &Scalar) -> Result<Scalar, Problem> {
    match (like, value) {
        (Scalar::Text(_), Value::String(s)) => Ok(Scalar::Text(s.clone())),
        (Scalar::Int(_), Value::Number(n)) => {
            n.as_i64().map(Scalar::Int).ok_or_else(|| bad(field, value))
        }
        (Scalar::Date(_), Value::String(s)) => {
            s.parse::<Timestamp>().map(Scalar::Date).map_err(|_| {
                Problem::invalid(format!(
                    "The provided {field} '{s}' cannot be parsed as a date according to RFC 3339, \
                     section 5.6."
                ))
            })
        }
        _ => Err(bad(field, value)),
    }
}

/// Whether `pattern` (`*`, `?`, backslash escapes) matches all of `text`.
pub(crate) fn like(pattern: &str, text: &str) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum Token {
        Any,
        One,
        Char(char),
    }
    let mut tokens = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        tokens.push(match c {
            '\\' => Token::Char(chars.next().unwrap_or('\\')),
            '*' => Token::Any,
            '?' => Token::One,
            c => Token::Char(c),
        });
    }
    let text: Vec<char> = text.chars().collect();
    // Dynamic programming over (token, character) positions: `reachable[i]` tells whether the
    // tokens so far can match the first `i` characters. Linear per token, so a long pattern of
    // `*` against a long value stays cheap.
    let mut reachable = vec![false; text.len() + 1];
    reachable[0] = true;
    for token in tokens {
        let mut next = vec![false; text.len() + 1];
        match token {
            Token::Any => {
                // Every position from the first reachable one on.
                if let Some(first) = reachable.iter().position(|&r| r) {
                    next[first..].fill(true);
                }
            }
            Token::One | Token::Char(_) => {
                for (i, &c) in text.iter().enumerate() {
                    if reachable[i] && (token == Token::One || token == Token::Char(c)) {
                        next[i + 1] = true;
                    }
                }
            }
        }
        reachable = next;
    }
    reachable[text.len()]
}

/// Whether the values of a field (none, one, or several) pass `filter`. `like` gives the type
/// of the field's values (for parsing the operands).
pub(crate) fn matches(
    field: &str,
    filter: &Value,
    ops: Ops,
    like_value: &Scalar,
    values: &[Scalar],
) -> Result<bool, Problem> {
    let object: &Map<String, Value> = match filter {
        Value::Object(object) => object,
        Value::Null => return Ok(true),
        exact => {
            let wanted = scalar(field, exact, like_value)?;
            return Ok(values.contains(&wanted));
        }
    };
    let mut ok = true;
    for (op, operand) in object {
        if !ops.allows(op) {
            return Err(Problem::invalid(format!(
                "Request property [filter.{field}.{op}] is not supported"
            )));
        }
        let pass = match op.as_str() {
            "$exists" => {
                let wanted = operand.as_bool().ok_or_else(|| bad(field, operand))?;
                wanted != values.is_empty()
            }
            "$in" | "$notIn" => {
                let list = operand.as_array().ok_or_else(|| bad(field, operand))?;
                let list = list
                    .iter()
                    .map(|v| scalar(field, v, like_value))
                    .collect::<Result<Vec<_>, _>>()?;
                let any = values.iter().any(|v| list.contains(v));
                if op == "$in" { any } else { !any }
            }
            "$like" => {
                let pattern = operand.as_str().ok_or_else(|| bad(field, operand))?;
                values.iter().any(|v| match v {
                    Scalar::Text(text) => like(pattern, text),
                    _ => false,
                })
            }
            _ => {
                let operand = scalar(field, operand, like_value)?;
                match op.as_str() {
                    "$eq" => values.contains(&operand),
                    "$neq" => !values.contains(&operand),
                    "$gt" => values.iter().any(|v| v > &operand),
                    "$gte" => values.iter().any(|v| v >= &operand),
                    "$lt" => values.iter().any(|v| v < &operand),
                    _ => values.iter().any(|v| v <= &operand),
                }
            }
        };
        ok &= pass;
    }
    Ok(ok)
}

/// [`matches`] for a text field with the string filter's operators (`StringFilterProperty`).
pub(crate) fn strings<'a>(
    field: &str,
    filter: &Value,
    values: impl IntoIterator<Item = &'a str>,
) -> Result<bool, Problem> {
    matches(field, filter, Ops::String, &text_kind(), &texts(values))
}

/// A text field's values for [`matches`].
pub(crate) fn texts<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<Scalar> {
    values
        .into_iter()
        .map(|s| Scalar::Text(s.to_owned()))
        .collect()
}

/// The operand type marker of text fields.
pub(crate) fn text_kind() -> Scalar {
    Scalar::Text(String::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn like_wildcards_and_escapes() {
        assert!(like("a*", "abc"));
        assert!(like("a?c", "abc"));
        assert!(!like("a?c", "abbc"));
        assert!(like("*", ""));
        assert!(like("a\\*", "a*"));
        assert!(!like("a\\*", "ab"));
        let stars = "*".repeat(5_000);
        assert!(like(&stars, &"x".repeat(5_000)));
        assert!(!like(&format!("{stars}y"), &"x".repeat(5_000)));
    }

    #[test]
    fn operators_combine() {
        let values = texts(["demo"]);
        let t = text_kind();
        let check = |f: Value| matches("assignee", &f, Ops::String, &t, &values);
        assert_eq!(check(json!("demo")), Ok(true));
        assert_eq!(check(json!({"$neq": "demo"})), Ok(false));
        assert_eq!(
            check(json!({"$in": ["x", "demo"], "$like": "d*"})),
            Ok(true)
        );
        assert_eq!(check(json!({"$notIn": ["demo"]})), Ok(false));
        assert_eq!(check(json!({"$exists": false})), Ok(false));
        assert!(check(json!({"$gt": "a"})).is_err());
        assert!(check(json!({"$or": []})).is_err());
        let ints = [Scalar::Int(60)];
        let int = Scalar::Int(0);
        let check = |f: Value| matches("priority", &f, Ops::Ordered, &int, &ints);
        assert_eq!(check(json!({"$gte": 60, "$lt": 61})), Ok(true));
        assert_eq!(check(json!({"$gt": 60})), Ok(false));
        assert!(check(json!("60")).is_err());
    }
}
