//! The Java types a request body binds to ([`JavaType`]) and the JSON tokens that start a value
//! ([`Token`]), as far as Jackson's messages name them.

/// The Java type a JSON value is bound to, as far as the messages need it.
#[derive(Debug)]
pub(crate) enum JavaType {
    /// `java.lang.String`: any scalar (numbers and booleans as their text), `null`.
    String,
    /// `int`: numbers (fractions cut off), numeric strings, `null` as 0.
    Int,
    /// `java.lang.Integer`.
    Integer,
    /// `java.lang.Long`.
    Long,
    /// `java.lang.Boolean`: `true`, `false`, their strings, integers (0 is false), `null`.
    Boolean,
    /// `boolean`.
    PrimitiveBoolean,
    /// `java.time.OffsetDateTime`: strings (checked by the caller) and epoch numbers.
    DateTime,
    /// `java.lang.Object`: anything.
    Object,
    /// An enum: its class name and constants, in declaration order.
    Enum(&'static str, &'static [&'static str]),
    /// An array: its type as Jackson names it (`java.lang.String[]`) and its element type.
    Array(&'static str, &'static JavaType),
    /// A `List`, which Jackson reads as an `ArrayList`: its type as Jackson names it
    /// (`java.util.ArrayList<java.lang.String>`) and its element type.
    List(&'static str, &'static JavaType),
    /// A bean with a default constructor: its class name and properties; others are ignored.
    Bean(&'static str, &'static [(&'static str, JavaType)]),
    /// A generic bean: its full type (`...Query<...ProcessDefinition>`, which Jackson names
    /// when the value has the wrong shape) around the bean (named by its raw class when Jackson
    /// cannot construct it).
    Generic(&'static str, &'static JavaType),
}

impl JavaType {
    /// The type's name in a message, without the backticks.
    pub(super) fn name(&self) -> &'static str {
        match self {
            JavaType::String => "java.lang.String",
            JavaType::Int => "int",
            JavaType::Integer => "java.lang.Integer",
            JavaType::Long => "java.lang.Long",
            JavaType::Boolean => "java.lang.Boolean",
            JavaType::PrimitiveBoolean => "boolean",
            JavaType::DateTime => "java.time.OffsetDateTime",
            JavaType::Object => "java.lang.Object",
            JavaType::Enum(name, _)
            | JavaType::Array(name, _)
            | JavaType::List(name, _)
            | JavaType::Bean(name, _)
            | JavaType::Generic(name, _) => name,
        }
    }

    /// The type without its generic wrapper.
    pub(super) fn raw(&self) -> &JavaType {
        match self {
            JavaType::Generic(_, inner) => inner.raw(),
            other => other,
        }
    }
}

/// A token that starts a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Token {
    StartObject,
    StartArray,
    String,
    Int,
    Float,
    True,
    False,
    Null,
}

impl Token {
    /// `JsonToken.valueDescFor` plus the token name, as `handleUnexpectedToken` writes them.
    pub(super) fn describe(self) -> &'static str {
        match self {
            Token::StartObject => "Object value (token `JsonToken.START_OBJECT`)",
            Token::StartArray => "Array value (token `JsonToken.START_ARRAY`)",
            Token::String => "String value (token `JsonToken.VALUE_STRING`)",
            Token::Int => "Integer value (token `JsonToken.VALUE_NUMBER_INT`)",
            Token::Float => "Floating-point value (token `JsonToken.VALUE_NUMBER_FLOAT`)",
            Token::True => "Boolean value (token `JsonToken.VALUE_TRUE`)",
            Token::False => "Boolean value (token `JsonToken.VALUE_FALSE`)",
            Token::Null => "Null value (token `JsonToken.VALUE_NULL`)",
        }
    }

    /// The `JsonToken` name Jackson prints for its current token in some end-of-input messages.
    pub(super) fn json_token(self) -> &'static str {
        match self {
            Token::StartObject => "START_OBJECT",
            Token::StartArray => "START_ARRAY",
            Token::String => "VALUE_STRING",
            Token::Int => "VALUE_NUMBER_INT",
            Token::Float => "VALUE_NUMBER_FLOAT",
            Token::True => "VALUE_TRUE",
            Token::False => "VALUE_FALSE",
            Token::Null => "VALUE_NULL",
        }
    }
}
