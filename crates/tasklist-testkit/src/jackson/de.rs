//! Serde deserializers that read `String`, `String[]` and `Boolean` properties the way Jackson
//! coerces JSON scalars into them.

use super::types::Token;

/// Deserializes a `String` property as Jackson does: a string, or a number or boolean as its
/// exact text (see [`string_of_raw`]); `null` is `None`.
pub(crate) fn de_string<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    use serde::Deserialize as _;
    match Option::<Box<serde_json::value::RawValue>>::deserialize(deserializer)? {
        None => Ok(None),
        Some(raw) => string_of_raw(&raw).map_err(serde::de::Error::custom),
    }
}

/// Deserializes a `String[]` or `List<String>` property as Jackson does: each element as
/// [`de_string`] reads it; `null` elements are left out (the server's queries ignore them).
pub(crate) fn de_strings<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<String>>, D::Error> {
    use serde::Deserialize as _;
    let Some(items) = Option::<Vec<Box<serde_json::value::RawValue>>>::deserialize(deserializer)?
    else {
        return Ok(None);
    };
    let mut out = Vec::with_capacity(items.len());
    for raw in &items {
        if let Some(text) = string_of_raw(raw).map_err(serde::de::Error::custom)? {
            out.push(text);
        }
    }
    Ok(Some(out))
}

/// Deserializes a `Boolean` property as Jackson coerces one: `true`/`false`, an integer (0 is
/// false), the strings `"true"`/`"false"` in any of Java's spellings; `null` (and an empty
/// string) is `None`.
pub(crate) fn de_boolean<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<bool>, D::Error> {
    use serde::Deserialize as _;
    let Some(raw) = Option::<Box<serde_json::value::RawValue>>::deserialize(deserializer)? else {
        return Ok(None);
    };
    let text = raw.get().trim();
    let value = match text {
        "true" | "\"true\"" | "\"True\"" | "\"TRUE\"" => Some(true),
        "false" | "\"false\"" | "\"False\"" | "\"FALSE\"" => Some(false),
        "\"\"" | "\"null\"" => None,
        number if number.parse::<i64>().is_ok() => Some(number != "0"),
        _ => {
            return Err(serde::de::Error::custom(format!(
                "Cannot deserialize value of type `java.lang.Boolean` from {text}"
            )));
        }
    };
    Ok(value)
}

/// The text Jackson gives a `String` property for a raw JSON scalar (`p.getText()` /
/// `getValueAsString()`): a string's content, a number's exact text as sent (`1.50`, `1E+2`),
/// `true` or `false`; `None` for `null`. `Err` for an array or object, with Jackson's message.
pub(crate) fn string_of_raw(raw: &serde_json::value::RawValue) -> Result<Option<String>, String> {
    let text = raw.get().trim();
    match text.as_bytes().first() {
        Some(b'"') => serde_json::from_str::<String>(text)
            .map(Some)
            .map_err(|e| e.to_string()),
        Some(b'[') => Err(format!(
            "Cannot deserialize value of type `java.lang.String` from {}",
            Token::StartArray.describe()
        )),
        Some(b'{') => Err(format!(
            "Cannot deserialize value of type `java.lang.String` from {}",
            Token::StartObject.describe()
        )),
        _ if text == "null" => Ok(None),
        _ => Ok(Some(text.to_owned())),
    }
}
