//! Jackson's messages: how it describes a character, a source and a string, and the databind
//! message for a value that cannot bind to its Java type ([`type_check`]).

use super::types::{JavaType, Token};

/// Jackson's description of a source whose content it does not print (2.16+).
pub(super) const SOURCE: &str =
    "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)";

/// What Jackson expects in a `String`-less `Unrecognized token` or bad value.
pub(super) const VALID_VALUES: &str =
    "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

/// `ParserMinimalBase._getCharDesc`.
pub(super) fn char_desc(c: char) -> String {
    let code = u32::from(c);
    if c.is_control() {
        format!("(CTRL-CHAR, code {code})")
    } else if code > 255 {
        format!("'{c}' (code {code} / 0x{code:x})")
    } else {
        format!("'{c}' (code {code})")
    }
}

/// `Unexpected character (...)`, with Jackson's comment.
pub(super) fn unexpected(c: char, comment: &str) -> String {
    format!("Unexpected character ({}): {comment}", char_desc(c))
}

/// A string as Jackson quotes it in a message (`_quotedString`: longer than 500 characters, its
/// first 490 and last 10 around `]...[`).
fn quoted(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() > 500 {
        let head: String = chars[..490].iter().collect();
        let tail: String = chars[chars.len() - 10..].iter().collect();
        format!("\"{head}]...[{tail}\"")
    } else {
        format!("\"{text}\"")
    }
}

/// Whether a value starting with `token` (with text `text` for scalars) may bind to `ty`;
/// `Err` is the databind message.
pub(super) fn type_check(ty: Option<&JavaType>, token: Token, text: &str) -> Result<(), String> {
    let Some(ty) = ty else {
        return Ok(());
    };
    if let JavaType::Generic(full, inner) = ty {
        // A shape mismatch names the full type; a failed construction the raw class.
        let shape = format!("Cannot deserialize value of type `{}` from", inner.name());
        return type_check(Some(inner), token, text).map_err(|message| {
            match message.strip_prefix(&shape) {
                Some(rest) => format!("Cannot deserialize value of type `{full}` from{rest}"),
                None => message,
            }
        });
    }
    let name = ty.name();
    let generic = || {
        format!(
            "Cannot deserialize value of type `{name}` from {}",
            token.describe()
        )
    };
    match (ty, token) {
        (_, Token::Null) | (JavaType::Object, _) => Ok(()),
        (JavaType::String, Token::StartArray | Token::StartObject) => Err(generic()),
        (JavaType::String, _) => Ok(()),
        (JavaType::Int | JavaType::Integer | JavaType::Long, Token::Int) => {
            let (range, low, high) = if matches!(ty, JavaType::Long) {
                ("long", i64::MIN, i64::MAX)
            } else {
                ("int", i64::from(i32::MIN), i64::from(i32::MAX))
            };
            match text.parse::<i64>() {
                Ok(n) if (low..=high).contains(&n) => Ok(()),
                _ => Err(format!(
                    "Numeric value ({text}) out of range of {range} ({low} - {high})"
                )),
            }
        }
        (JavaType::Int | JavaType::Integer | JavaType::Long, Token::Float) => Ok(()),
        (JavaType::Int | JavaType::Integer | JavaType::Long, Token::String) => {
            let trimmed = text.trim();
            if trimmed.is_empty() || trimmed.parse::<i64>().is_ok() {
                Ok(())
            } else {
                Err(format!(
                    "Cannot deserialize value of type `{name}` from String {}: not a valid \
                     `{name}` value",
                    quoted(text)
                ))
            }
        }
        (JavaType::Boolean | JavaType::PrimitiveBoolean, Token::True | Token::False) => Ok(()),
        (JavaType::Boolean | JavaType::PrimitiveBoolean, Token::Int) => Ok(()),
        (JavaType::Boolean | JavaType::PrimitiveBoolean, Token::String) => match text.trim() {
            "true" | "True" | "TRUE" | "false" | "False" | "FALSE" | "" | "null" => Ok(()),
            _ => Err(format!(
                "Cannot deserialize value of type `{name}` from String {}: only \"true\" \
                     or \"false\" recognized",
                quoted(text)
            )),
        },
        (JavaType::DateTime, Token::String | Token::Int | Token::Float) => Ok(()),
        (JavaType::Enum(_, values), Token::String) => {
            if values.contains(&text) {
                Ok(())
            } else if text.is_empty() {
                Err(format!(
                    "Cannot coerce empty String (\"\") to `{name}` value (but could if \
                     coercion was enabled using `CoercionConfig`)"
                ))
            } else {
                Err(format!(
                    "Cannot deserialize value of type `{name}` from String {}: not one of \
                     the values accepted for Enum class: [{}]",
                    quoted(text),
                    values.join(", ")
                ))
            }
        }
        (JavaType::Enum(_, values), Token::Int) => match text.parse::<usize>() {
            Ok(n) if n < values.len() => Ok(()),
            _ => Err(format!(
                "Cannot deserialize value of type `{name}` from number {text}: index value \
                 outside legal index range [0..{}]",
                values.len().saturating_sub(1)
            )),
        },
        (JavaType::Array(..) | JavaType::List(..), Token::StartArray) => Ok(()),
        (JavaType::Bean(..), Token::StartObject) => Ok(()),
        (JavaType::Bean(..), Token::String) => Err(if text.is_empty() {
            format!(
                "Cannot coerce empty String (\"\") to `{name}` value (but could if coercion \
                 was enabled using `CoercionConfig`)"
            )
        } else {
            format!(
                "Cannot construct instance of `{name}` (although at least one Creator \
                 exists): no String-argument constructor/factory method to deserialize from \
                 String value ('{text}')"
            )
        }),
        (JavaType::Bean(..), Token::Int) => {
            let kind = if text.parse::<i32>().is_ok() {
                "int/Int"
            } else {
                "long/Long"
            };
            Err(format!(
                "Cannot construct instance of `{name}` (although at least one Creator \
                 exists): no {kind}-argument constructor/factory method to deserialize from \
                 Number value ({text})"
            ))
        }
        (JavaType::Bean(..), Token::Float) => Err(format!(
            "Cannot construct instance of `{name}` (although at least one Creator exists): \
             no double/Double-argument constructor/factory method to deserialize from Number \
             value ({text})"
        )),
        (JavaType::Bean(..), Token::True | Token::False) => {
            let value = token == Token::True;
            Err(format!(
                "Cannot construct instance of `{name}` (although at least one Creator \
                 exists): no boolean/Boolean-argument constructor/factory method to \
                 deserialize from boolean value ({value})"
            ))
        }
        _ => Err(generic()),
    }
}
