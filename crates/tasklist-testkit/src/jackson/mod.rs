//! The messages Jackson 2.17 (the JSON library of Tasklist 8.7, Operate and Camunda 8.8) puts
//! in a request-body parse error, so that a `400` reads exactly like the real server's.
//!
//! Spring turns every Jackson failure while reading a `@RequestBody` into an
//! `HttpMessageNotReadableException` whose message is `JSON parse error: ` followed by
//! Jackson's *original* message (`AbstractJackson2HttpMessageConverter.readJavaType`:
//! `"JSON parse error: " + ex.getOriginalMessage()`), which carries no trailing location; only
//! the end-of-input message names the start marker of the unclosed object or array. The
//! messages below are those of `jackson-core`'s `UTF8StreamJsonParser` and `ParserMinimalBase`
//! (syntax) and of `jackson-databind`'s `DeserializationContext` and `StdDeserializer`
//! (types), in the 2.16+ form (`[Source: REDACTED ...]` locations, `Integer value` shapes,
//! `java.lang.String[]` array names). Examples:
//!
//! - `Unexpected end-of-input: expected close marker for Object (start marker at [Source:
//!   REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column:
//!   1])`
//! - `Unexpected character ('}' (code 125)): expected a value`
//! - `Unrecognized token 'abc': was expecting (JSON String, Number, Array, Object or token
//!   'null', 'true' or 'false')`
//! - `Cannot deserialize value of type `java.lang.String` from Array value (token
//!   `JsonToken.START_ARRAY`)`
//!
//! [`check`] reads a body the way Jackson's streaming parser and a bean deserializer read it:
//! front to back, stopping at the first problem, syntax or type, whichever comes first; what
//! follows the first JSON value is never read (`FAIL_ON_TRAILING_TOKENS` is off), unknown
//! properties are skipped (but still tokenized). Differences, on purpose: the list of accepted
//! names in an unknown-enum message is in declaration order (Jackson lists them in its hash
//! table's order); numbers are not checked against `StreamReadConstraints` lengths.

mod de;
mod messages;
mod reader;
mod types;

pub(crate) use self::de::{de_boolean, de_string, de_strings};
pub(crate) use self::reader::{check, check_text};
pub(crate) use self::types::JavaType;

#[cfg(test)]
mod tests;
