//! Unit tests of the Jackson reader and its messages.

use super::de::string_of_raw;
use super::messages::{SOURCE, VALID_VALUES};
use super::*;

static STRINGS: JavaType = JavaType::Array("java.lang.String[]", &JavaType::String);
static ORDER: JavaType = JavaType::Enum("x.Sort", &["ASC", "DESC"]);
static BEAN: JavaType = JavaType::Bean(
    "x.Request",
    &[
        ("name", JavaType::String),
        ("size", JavaType::Int),
        (
            "names",
            JavaType::Array("java.lang.String[]", &JavaType::String),
        ),
        ("order", JavaType::Enum("x.Sort", &["ASC", "DESC"])),
        ("flag", JavaType::Boolean),
    ],
);

fn err(body: &str) -> String {
    check(body.as_bytes(), &BEAN).err().unwrap_or_default()
}

fn eof(column: usize, what: &str) -> String {
    format!(
        "Unexpected end-of-input: expected close marker for {what} (start marker at {SOURCE}; \
             line: 1, column: {column}])"
    )
}

#[test]
fn valid_documents_pass() {
    for body in [
        "{}",
        " null ",
        r#"{"name": 1.50, "size": "7", "names": ["a", 1, true, null], "x": {"y": [1, {}]}}"#,
        r#"{"order": "DESC", "flag": "true"} trailing } garbage"#,
        "{\"name\": \"caf\u{e9} \\u00e9 \\n\"}",
    ] {
        assert_eq!(check(body.as_bytes(), &BEAN), Ok(()), "{body}");
    }
    assert_eq!(check(b"[\"a\"]", &STRINGS), Ok(()));
    assert_eq!(check(b"\"ASC\"", &ORDER), Ok(()));
}

#[test]
fn end_of_input_names_the_open_marker() {
    assert_eq!(err("{"), eof(1, "Object"));
    assert_eq!(err("  {\"x\": 1"), eof(3, "Object"));
    assert_eq!(err("{\"x\": ["), eof(7, "Array"));
    assert_eq!(
        err("{\n  \"x\": [1"),
        format!(
            "Unexpected end-of-input: expected close marker for Array (start marker at \
                 {SOURCE}; line: 2, column: 8])"
        )
    );
    assert_eq!(
        err("{\"x\":"),
        "Unexpected end-of-input within/between Object entries"
    );
    assert_eq!(
        err("{\"x\""),
        "Unexpected end-of-input within/between Object entries"
    );
    assert_eq!(
        err("{\"x\":1,"),
        "Unexpected end-of-input within/between Object entries"
    );
    assert_eq!(
        err("{\"x\":\"ab"),
        "Unexpected end-of-input: was expecting closing quote for a string value"
    );
    assert_eq!(
        err("{\""),
        "Unexpected end-of-input: was expecting closing '\"' for name"
    );
    assert_eq!(err("{\"ab"), "Unexpected end-of-input in field name");
    assert_eq!(err(" \n "), "No content to map due to end-of-input");
}

#[test]
fn unexpected_characters_read_like_jackson() {
    assert_eq!(
        err("{\"x\": }"),
        "Unexpected character ('}' (code 125)): expected a value"
    );
    assert_eq!(
        err("{\"x\": [1,]}"),
        "Unexpected character (']' (code 93)): expected a value"
    );
    assert_eq!(
        err("{\"x\": 1 \"y\": 2}"),
        "Unexpected character ('\"' (code 34)): was expecting comma to separate Object \
             entries"
    );
    assert_eq!(
        err("{\"x\" 1}"),
        "Unexpected character ('1' (code 49)): was expecting a colon to separate field name \
             and value"
    );
    assert_eq!(
        err("{x: 1}"),
        "Unexpected character ('x' (code 120)): was expecting double-quote to start field \
             name"
    );
    assert_eq!(
        err("{\"x\": 1,}"),
        "Unexpected character ('}' (code 125)): was expecting double-quote to start field \
             name"
    );
    assert_eq!(
        err("{\"x\": abc}"),
        format!("Unrecognized token 'abc': was expecting {VALID_VALUES}")
    );
    assert_eq!(
        err("{\"x\": tru}"),
        format!("Unrecognized token 'tru': was expecting {VALID_VALUES}")
    );
    assert_eq!(
        err("{\"x\": nullx}"),
        format!("Unrecognized token 'nullx': was expecting {VALID_VALUES}")
    );
    assert_eq!(
        err("{\"x\": 'a'}"),
        format!("Unexpected character (''' (code 39)): expected a valid value {VALID_VALUES}")
    );
    assert_eq!(
        err("\u{0}"),
        "Illegal character ((CTRL-CHAR, code 0)): only regular white space (\\r, \\n, \\t) \
             is allowed between tokens"
    );
    assert_eq!(
        err("{\"x\": \"a\tb\"}"),
        "Illegal unquoted character ((CTRL-CHAR, code 9)): has to be escaped using \
             backslash to be included in string value"
    );
    assert_eq!(
        err("{\"x\": \"\\q\"}"),
        "Unrecognized character escape 'q' (code 113)"
    );
    assert_eq!(
        err("{\"x\": [1}"),
        format!(
            "Unexpected close marker '}}': expected ']' (for Array starting at {SOURCE}; \
                 line: 1, column: 7])"
        )
    );
    assert_eq!(
        err("{\"x\": 01}"),
        "Invalid numeric value: Leading zeroes not allowed"
    );
    assert_eq!(
        err("{\"x\": -a}"),
        "Unexpected character ('a' (code 97)) in numeric value: expected digit (0-9) to \
             follow minus sign, for valid numeric value"
    );
    assert_eq!(
        err("{\"x\": 1.}"),
        "Unexpected character ('}' (code 125)) in numeric value: Decimal point not followed \
             by a digit"
    );
    assert_eq!(
        err("{\"x\": NaN}"),
        "Non-standard token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to \
             allow"
    );
    assert_eq!(
        err("{\"x\": 1} // c"),
        "",
        "what follows the first value is never read"
    );
    assert!(err("// c").contains("ALLOW_COMMENTS"));
}

#[test]
fn type_mismatches_name_the_java_type() {
    assert_eq!(
        err("[1]"),
        "Cannot deserialize value of type `x.Request` from Array value (token \
             `JsonToken.START_ARRAY`)"
    );
    assert_eq!(
        err("\"text\""),
        "Cannot construct instance of `x.Request` (although at least one Creator exists): \
             no String-argument constructor/factory method to deserialize from String value \
             ('text')"
    );
    assert!(err("7").contains("no int/Int-argument constructor"));
    assert!(err("true").contains("from boolean value (true)"));
    assert_eq!(
        err("{\"name\": []}"),
        "Cannot deserialize value of type `java.lang.String` from Array value (token \
             `JsonToken.START_ARRAY`)"
    );
    assert_eq!(
        err("{\"size\": \"x\"}"),
        "Cannot deserialize value of type `int` from String \"x\": not a valid `int` value"
    );
    assert_eq!(
        err("{\"size\": true}"),
        "Cannot deserialize value of type `int` from Boolean value (token \
             `JsonToken.VALUE_TRUE`)"
    );
    assert_eq!(
        err("{\"size\": 3000000000}"),
        "Numeric value (3000000000) out of range of int (-2147483648 - 2147483647)"
    );
    assert_eq!(
        err("{\"names\": 7}"),
        "Cannot deserialize value of type `java.lang.String[]` from Integer value (token \
             `JsonToken.VALUE_NUMBER_INT`)"
    );
    assert_eq!(
        err("{\"order\": \"UP\"}"),
        "Cannot deserialize value of type `x.Sort` from String \"UP\": not one of the values \
             accepted for Enum class: [ASC, DESC]"
    );
    assert_eq!(
        err("{\"flag\": \"yes\"}"),
        "Cannot deserialize value of type `java.lang.Boolean` from String \"yes\": only \
             \"true\" or \"false\" recognized"
    );
    // The first problem wins, whichever its kind.
    assert!(err("{\"name\": [], \"x\": }").starts_with("Cannot deserialize"));
    assert!(err("{\"x\": }, \"name\": []").starts_with("Unexpected character"));
}

#[test]
fn generic_beans_name_their_full_type_for_shapes_and_their_class_for_construction() {
    static QUERY: JavaType = JavaType::Generic(
        "x.Query<x.Item>",
        &JavaType::Bean("x.Query", &[("size", JavaType::Int)]),
    );
    let err = |body: &str| check(body.as_bytes(), &QUERY).err().unwrap_or_default();
    assert_eq!(
        err("[]"),
        "Cannot deserialize value of type `x.Query<x.Item>` from Array value (token \
             `JsonToken.START_ARRAY`)"
    );
    assert!(err("\"a\"").starts_with("Cannot construct instance of `x.Query` "));
    assert!(err("{\"size\": \"x\"}").contains("`int` from String \"x\""));
}

#[test]
fn raw_scalars_keep_their_text() {
    let raw = |s: &str| serde_json::from_str::<Box<serde_json::value::RawValue>>(s).ok();
    let text = |s: &str| raw(s).map(|r| string_of_raw(&r));
    assert_eq!(text("1.50"), Some(Ok(Some("1.50".to_owned()))));
    assert_eq!(text("1E+2"), Some(Ok(Some("1E+2".to_owned()))));
    assert_eq!(text("\"a\\\"b\""), Some(Ok(Some("a\"b".to_owned()))));
    assert_eq!(text("true"), Some(Ok(Some("true".to_owned()))));
    assert_eq!(text("null"), Some(Ok(None)));
    assert!(text("[1]").is_some_and(|r| r.is_err()));
}
