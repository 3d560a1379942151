//! Decoding helpers shared by the generated models of every API version.

/// Decodes a string through `from_wire` (an open enum's), borrowing the string when the format
/// can lend it, so that a known value costs no allocation.
pub(crate) fn decode_wire<'de, D: serde::Deserializer<'de>, T>(
    deserializer: D,
    from_wire: fn(&str) -> T,
) -> Result<T, D::Error> {
    struct Wire<T>(fn(&str) -> T);

    impl<T> serde::de::Visitor<'_> for Wire<T> {
        type Value = T;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            Ok((self.0)(value))
        }
    }

    deserializer.deserialize_str(Wire(from_wire))
}

/// Decodes a string property that an early spec typed as an object (the form `schema` of the
/// first 8.8 releases): a string is kept, any other JSON value becomes its JSON text.
pub(crate) fn json_text<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Ok(
        match <Option<serde_json::Value> as serde::Deserialize>::deserialize(deserializer)? {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(text)) => Some(text),
            Some(other) => Some(other.to_string()),
        },
    )
}

/// How many characters of a value an error message repeats.
const ECHO_CHARS: usize = 40;

/// A value from a server or a caller, as an error message (a refused key's) repeats it: at most 40 characters
/// (cut with `…`), control characters escaped, so that a hostile value can neither flood a
/// log nor drive a terminal.
pub(crate) fn echo(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == ECHO_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::echo;

    #[test]
    fn echoes_are_short_and_inert() {
        assert_eq!(echo("2023-13-45"), "2023-13-45");
        assert_eq!(echo("a\u{1b}[31mb\n"), "a\\u{1b}[31mb\\n");
        let long = "é".repeat(100);
        assert_eq!(echo(&long), format!("{}…", "é".repeat(40)));
    }
}
