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

/// Jackson's description of a source whose content it does not print (2.16+).
const SOURCE: &str = "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)";

/// What Jackson expects in a `String`-less `Unrecognized token` or bad value.
const VALID_VALUES: &str =
    "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

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
    fn name(&self) -> &'static str {
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
    fn raw(&self) -> &JavaType {
        match self {
            JavaType::Generic(_, inner) => inner.raw(),
            other => other,
        }
    }
}

/// A token that starts a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
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
    fn describe(self) -> &'static str {
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
    fn json_token(self) -> &'static str {
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

/// Checks `body` against `root` as Jackson reads a request body into it; `Err` carries
/// Jackson's original message for the first problem. A body of white space only is Jackson's
/// `No content to map due to end-of-input` (an empty body is Spring's business, not this).
///
/// A body that passes may still fail the caller's own reading (a date that does not parse, a
/// value Jackson would coerce that the test server does not).
pub(crate) fn check(body: &[u8], root: &JavaType) -> Result<(), String> {
    let mut parser = Parser {
        s: body,
        i: 0,
        line: 1,
        line_start: 0,
        contexts: Vec::new(),
        last: None,
    };
    match parser.skip_ws()? {
        None => Err("No content to map due to end-of-input".to_owned()),
        Some(_) => parser.value(Some(root), Place::Root),
    }
}

/// Where a value sits: what Jackson does around it differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// The document's first value.
    Root,
    /// An array element.
    Array,
    /// An object property's value.
    Object,
}

/// An open object or array: its kind and where its start marker is (line, 1-based column).
#[derive(Debug, Clone, Copy)]
struct Context {
    array: bool,
    line: usize,
    column: usize,
}

impl Context {
    /// Jackson's `typeDesc()`.
    fn desc(self) -> &'static str {
        if self.array { "Array" } else { "Object" }
    }

    /// Jackson's `startLocation(...)` text.
    fn location(self) -> String {
        format!("{SOURCE}; line: {}, column: {}]", self.line, self.column)
    }
}

/// A recursive-descent reader of one JSON document with Jackson's rules and messages.
struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    line: usize,
    line_start: usize,
    contexts: Vec<Context>,
    /// The last token read (Jackson names it in a few end-of-input messages).
    last: Option<Token>,
}

/// `ParserMinimalBase._getCharDesc`.
fn char_desc(c: char) -> String {
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
fn unexpected(c: char, comment: &str) -> String {
    format!("Unexpected character ({}): {comment}", char_desc(c))
}

/// Java's `Character.isJavaIdentifierPart`, near enough.
fn identifier_part(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

impl Parser<'_> {
    /// The byte at the cursor.
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    /// Consumes and returns the byte at the cursor, counting lines.
    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.i += 1;
        if b == b'\n' {
            self.line += 1;
            self.line_start = self.i;
        }
        Some(b)
    }

    /// The 1-based column of the byte just consumed.
    fn column(&self) -> usize {
        self.i - self.line_start
    }

    /// The character starting at byte `at` (decoded for an error message; an invalid sequence
    /// reads as its first byte in Latin-1, as Jackson's `_decodeCharForError` falls back to).
    fn char_at(&self, at: usize) -> char {
        let end = (at + 4).min(self.s.len());
        let bytes = &self.s[at.min(end)..end];
        match std::str::from_utf8(bytes) {
            Ok(text) => text.chars().next(),
            Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()])
                .ok()
                .and_then(|t| t.chars().next()),
        }
        .unwrap_or_else(|| char::from(self.s.get(at).copied().unwrap_or(0)))
    }

    /// Skips white space; `None` at the end of input. A control character is refused
    /// (`_throwInvalidSpace`), so is a comment (`ALLOW_COMMENTS` is off).
    fn skip_ws(&mut self) -> Result<Option<u8>, String> {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' => {
                    self.bump();
                }
                b'/' | b'#' => {
                    return Err(unexpected(
                        char::from(b),
                        "maybe a (non-standard) comment? (not recognized as one since Feature \
                         'ALLOW_COMMENTS' not enabled for parser)",
                    ));
                }
                b if b < 0x20 => {
                    return Err(format!(
                        "Illegal character ({}): only regular white space (\\r, \\n, \\t) is \
                         allowed between tokens",
                        char_desc(char::from(b))
                    ));
                }
                _ => return Ok(Some(b)),
            }
        }
        Ok(None)
    }

    /// The end-of-input failure where a value or a close marker was due (`_handleEOF`).
    fn eof_in_context(&self) -> String {
        match self.contexts.last() {
            Some(ctx) => format!(
                "Unexpected end-of-input: expected close marker for {} (start marker at {})",
                ctx.desc(),
                ctx.location()
            ),
            None => "No content to map due to end-of-input".to_owned(),
        }
    }

    /// The end-of-input failure after a comma or a property name (`_skipWS`, `_skipColon`).
    fn eof_between(&self) -> String {
        let desc = self.contexts.last().map_or("root", |c| c.desc());
        format!("Unexpected end-of-input within/between {desc} entries")
    }

    /// Reads one value expected to bind to `ty` (`None`: an ignored property, skipped).
    fn value(&mut self, ty: Option<&JavaType>, place: Place) -> Result<(), String> {
        let Some(b) = self.skip_ws()? else {
            return Err(match place {
                Place::Object => self.eof_between(),
                _ => self.eof_in_context(),
            });
        };
        let token = match b {
            b'{' => {
                self.bump();
                self.type_check(ty, Token::StartObject, "")?;
                return self.object(ty);
            }
            b'[' => {
                self.bump();
                self.type_check(ty, Token::StartArray, "")?;
                return self.array(ty);
            }
            b'"' => {
                self.bump();
                let text = self.string(false)?;
                self.last = Some(Token::String);
                return self.type_check(ty, Token::String, &text);
            }
            b'-' | b'0'..=b'9' => {
                let (token, text) = self.number(place)?;
                self.last = Some(token);
                return self.type_check(ty, token, &text);
            }
            b't' => self.literal("true", Token::True)?,
            b'f' => self.literal("false", Token::False)?,
            b'n' => self.literal("null", Token::Null)?,
            _ => return Err(self.unexpected_value(place)),
        };
        self.last = Some(token);
        self.type_check(ty, token, "")
    }

    /// `_handleUnexpectedValue`: what Jackson says about a value that cannot start here.
    fn unexpected_value(&mut self, place: Place) -> String {
        let at = self.i;
        let c = self.char_at(at);
        match c {
            // At the root a close marker closes nothing (`_closeScope`).
            '}' | ']' if place == Place::Root => format!(
                "Unexpected close marker '{c}': expected '{}' (for root starting at {SOURCE}; \
                 line: 1, column: 0])",
                if c == '}' { ']' } else { '}' }
            ),
            ']' if place == Place::Array => unexpected(c, "expected a value"),
            ',' | '}' => unexpected(c, "expected a value"),
            '+' => format!(
                "Unexpected character ({}) in numeric value: JSON spec does not allow numbers to \
                 have plus signs: enable `JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS` \
                 to allow",
                char_desc('+')
            ),
            'N' | 'I' => {
                let token = self.identifier(at);
                if token == "NaN" || token == "Infinity" {
                    format!(
                        "Non-standard token '{token}': enable \
                         `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"
                    )
                } else {
                    format!("Unrecognized token '{token}': was expecting {VALID_VALUES}")
                }
            }
            c if c.is_alphabetic() || c == '_' || c == '$' => {
                // The first byte is read as a Latin-1 character, the rest decoded.
                let first = char::from(self.s[at]);
                let rest = self.identifier(at + 1);
                format!("Unrecognized token '{first}{rest}': was expecting {VALID_VALUES}")
            }
            c => unexpected(c, &format!("expected a valid value {VALID_VALUES}")),
        }
    }

    /// The identifier-like characters from byte `from` on, at most 256 (then `...`), as
    /// `_reportInvalidToken` collects them.
    fn identifier(&self, from: usize) -> String {
        let text = String::from_utf8_lossy(self.s.get(from..).unwrap_or_default());
        let mut out = String::new();
        for (n, c) in text.chars().take_while(|c| identifier_part(*c)).enumerate() {
            if n >= 256 {
                out.push_str("...");
                break;
            }
            out.push(c);
        }
        out
    }

    /// `true`, `false` or `null` (`_matchToken`): anything else that starts like one is an
    /// unrecognized token, and so is one followed by more identifier characters.
    fn literal(&mut self, word: &str, token: Token) -> Result<Token, String> {
        let start = self.i;
        let matches = self.s.get(start..start + word.len()) == Some(word.as_bytes());
        let followed = matches && {
            let next = start + word.len();
            next < self.s.len() && identifier_part(self.char_at(next))
        };
        if !matches || followed {
            let mut prefix = String::new();
            for (k, expected) in word.bytes().enumerate() {
                match self.s.get(start + k) {
                    Some(&b) if b == expected => prefix.push(char::from(b)),
                    _ => {
                        let rest = self.identifier(start + k);
                        return Err(format!(
                            "Unrecognized token '{prefix}{rest}': was expecting {VALID_VALUES}"
                        ));
                    }
                }
            }
            let rest = self.identifier(start + word.len());
            return Err(format!(
                "Unrecognized token '{prefix}{rest}': was expecting {VALID_VALUES}"
            ));
        }
        self.i += word.len();
        Ok(token)
    }

    /// A number (`_parsePosNumber`, `_parseNegNumber`, `_parseFloat`); returns its token and
    /// its text.
    fn number(&mut self, place: Place) -> Result<(Token, String), String> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.bump();
            match self.peek() {
                Some(b'0'..=b'9') => {}
                Some(_) => {
                    let c = self.char_at(self.i);
                    return Err(format!(
                        "Unexpected character ({}) in numeric value: expected digit (0-9) to \
                         follow minus sign, for valid numeric value",
                        char_desc(c)
                    ));
                }
                None => {
                    let in_token = self.last.map_or("null", Token::json_token);
                    let in_token = if place == Place::Object {
                        "FIELD_NAME"
                    } else {
                        in_token
                    };
                    return Err(format!("Unexpected end-of-input in {in_token}"));
                }
            }
        }
        let int_start = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.bump();
        }
        if self.i - int_start > 1 && self.s[int_start] == b'0' {
            return Err("Invalid numeric value: Leading zeroes not allowed".to_owned());
        }
        let mut float = false;
        if self.peek() == Some(b'.') {
            float = true;
            self.bump();
            let fraction = self.i;
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.bump();
            }
            if self.i == fraction {
                let c = self.peek().map_or('.', |_| self.char_at(self.i));
                return Err(format!(
                    "Unexpected character ({}) in numeric value: Decimal point not followed by \
                     a digit",
                    char_desc(c)
                ));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            float = true;
            self.bump();
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.bump();
            }
            let exponent = self.i;
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.bump();
            }
            if self.i == exponent {
                let c = match self.peek() {
                    Some(_) => self.char_at(self.i),
                    None => char::from(self.s[self.i - 1]),
                };
                return Err(format!(
                    "Unexpected character ({}) in numeric value: Exponent indicator not \
                     followed by a digit",
                    char_desc(c)
                ));
            }
        }
        if place == Place::Root
            && let Some(b) = self.peek()
            && !matches!(b, b' ' | b'\t' | b'\n' | b'\r')
        {
            return Err(unexpected(
                self.char_at(self.i),
                "Expected space separating root-level values",
            ));
        }
        let text = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
        Ok((if float { Token::Float } else { Token::Int }, text))
    }

    /// The rest of a string after its opening quote (`name`: a property name); returns its
    /// decoded text.
    fn string(&mut self, name: bool) -> Result<String, String> {
        let what = if name { "name" } else { "string value" };
        let opened = self.i;
        let mut out = Vec::new();
        loop {
            let Some(b) = self.bump() else {
                return Err(if !name {
                    "Unexpected end-of-input: was expecting closing quote for a string value"
                        .to_owned()
                } else if self.i == opened {
                    "Unexpected end-of-input: was expecting closing '\"' for name".to_owned()
                } else {
                    "Unexpected end-of-input in field name".to_owned()
                });
            };
            match b {
                b'"' => break,
                b'\\' => {
                    let Some(e) = self.bump() else {
                        return Err(
                            "Unexpected end-of-input in character escape sequence".to_owned()
                        );
                    };
                    match e {
                        b'"' => out.push(b'"'),
                        b'\\' => out.push(b'\\'),
                        b'/' => out.push(b'/'),
                        b'b' => out.push(0x08),
                        b'f' => out.push(0x0c),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let mut code = 0u32;
                            for _ in 0..4 {
                                let Some(h) = self.bump() else {
                                    return Err("Unexpected end-of-input in character escape \
                                                sequence"
                                        .to_owned());
                                };
                                let Some(digit) = char::from(h).to_digit(16) else {
                                    return Err(unexpected(
                                        self.char_at(self.i - 1),
                                        "expected a hex-digit for character escape sequence",
                                    ));
                                };
                                code = code * 16 + digit;
                            }
                            let c = char::from_u32(code).unwrap_or('\u{fffd}');
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        }
                        _ => {
                            return Err(format!(
                                "Unrecognized character escape {}",
                                char_desc(self.char_at(self.i - 1))
                            ));
                        }
                    }
                }
                b if b < 0x20 => {
                    return Err(format!(
                        "Illegal unquoted character ({}): has to be escaped using backslash to \
                         be included in {what}",
                        char_desc(char::from(b))
                    ));
                }
                b if b < 0x80 => out.push(b),
                b => {
                    let len = match b {
                        0xc0..=0xdf => 2,
                        0xe0..=0xef => 3,
                        0xf0..=0xf7 => 4,
                        _ => return Err(format!("Invalid UTF-8 start byte 0x{b:x}")),
                    };
                    out.push(b);
                    for _ in 1..len {
                        match self.peek() {
                            Some(m) if m & 0xc0 == 0x80 => {
                                self.bump();
                                out.push(m);
                            }
                            Some(m) => return Err(format!("Invalid UTF-8 middle byte 0x{m:x}")),
                            None => {
                                return Err(
                                    "Unexpected end-of-input: was expecting closing quote for \
                                     a string value"
                                        .to_owned(),
                                );
                            }
                        }
                    }
                }
            }
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    /// The members of an object after its `{`, bound to `ty` (a bean's properties, or skipped).
    fn object(&mut self, ty: Option<&JavaType>) -> Result<(), String> {
        self.contexts.push(Context {
            array: false,
            line: self.line,
            column: self.column(),
        });
        self.last = Some(Token::StartObject);
        let fields = match ty.map(JavaType::raw) {
            Some(JavaType::Bean(_, fields)) => Some(*fields),
            _ => None,
        };
        let mut first = true;
        loop {
            if self.next_entry(first, "Object")? {
                return Ok(());
            }
            first = false;
            let Some(b) = self.skip_ws()? else {
                return Err(self.eof_between());
            };
            if b != b'"' {
                return Err(unexpected(
                    self.char_at(self.i),
                    "was expecting double-quote to start field name",
                ));
            }
            self.bump();
            let name = self.string(true)?;
            match self.skip_ws()? {
                None => return Err(self.eof_between()),
                Some(b':') => {
                    self.bump();
                }
                Some(_) => {
                    return Err(unexpected(
                        self.char_at(self.i),
                        "was expecting a colon to separate field name and value",
                    ));
                }
            }
            let field = fields.and_then(|f| f.iter().find(|(n, _)| *n == name).map(|(_, t)| t));
            self.value(field, Place::Object)?;
        }
    }

    /// Reads up to the next entry of an object or array (`kind`: `Object` or `Array`): `true`
    /// when its end came instead (the context closed), otherwise past the `,` that separates
    /// entries (none before the first).
    fn next_entry(&mut self, first: bool, kind: &str) -> Result<bool, String> {
        let Some(b) = self.skip_ws()? else {
            return Err(self.eof_in_context());
        };
        if b == b'}' || b == b']' {
            self.bump();
            self.close(b)?;
            return Ok(true);
        }
        if !first {
            if b != b',' {
                self.bump();
                return Err(unexpected(
                    self.char_at(self.i - 1),
                    &format!("was expecting comma to separate {kind} entries"),
                ));
            }
            self.bump();
            if self.skip_ws()?.is_none() {
                return Err(self.eof_between());
            }
        }
        Ok(false)
    }

    /// The elements of an array after its `[`, bound to `ty`'s element type (or skipped).
    fn array(&mut self, ty: Option<&JavaType>) -> Result<(), String> {
        self.contexts.push(Context {
            array: true,
            line: self.line,
            column: self.column(),
        });
        self.last = Some(Token::StartArray);
        let item = match ty.map(JavaType::raw) {
            Some(JavaType::Array(_, item) | JavaType::List(_, item)) => Some(*item),
            _ => None,
        };
        let mut first = true;
        loop {
            if self.next_entry(first, "Array")? {
                return Ok(());
            }
            first = false;
            self.value(item, Place::Array)?;
        }
    }

    /// A close marker `b` for the innermost context (`_closeScope`).
    fn close(&mut self, b: u8) -> Result<(), String> {
        let Some(ctx) = self.contexts.pop() else {
            return Ok(());
        };
        let expected = if ctx.array { ']' } else { '}' };
        if char::from(b) != expected {
            return Err(format!(
                "Unexpected close marker '{}': expected '{expected}' (for {} starting at {})",
                char::from(b),
                ctx.desc(),
                ctx.location()
            ));
        }
        self.last = Some(if ctx.array {
            Token::StartArray
        } else {
            Token::StartObject
        });
        Ok(())
    }

    /// Whether a value starting with `token` (with text `text` for scalars) may bind to `ty`;
    /// `Err` is the databind message.
    fn type_check(&self, ty: Option<&JavaType>, token: Token, text: &str) -> Result<(), String> {
        let Some(ty) = ty else {
            return Ok(());
        };
        if let JavaType::Generic(full, inner) = ty {
            // A shape mismatch names the full type; a failed construction the raw class.
            let shape = format!("Cannot deserialize value of type `{}` from", inner.name());
            return self
                .type_check(Some(inner), token, text)
                .map_err(|message| match message.strip_prefix(&shape) {
                    Some(rest) => format!("Cannot deserialize value of type `{full}` from{rest}"),
                    None => message,
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
}

/// Checks a JSON text value as Tasklist reads it with `objectMapper.readValue(value,
/// Object.class)` (completion and draft variables); `Err` carries the exception's full message,
/// which (unlike a request body's) ends with the parser's current location:
/// `...\n at [Source: REDACTED (...); line: 1, column: 4]`. The column is counted in
/// characters, as the `String` parser counts it; it is exact for the common failures
/// (unrecognized tokens, end of input, unexpected characters) and close for the others.
pub(crate) fn check_text(text: &str) -> Result<(), String> {
    let mut parser = Parser {
        s: text.as_bytes(),
        i: 0,
        line: 1,
        line_start: 0,
        contexts: Vec::new(),
        last: None,
    };
    let result = match parser.skip_ws() {
        Ok(None) => {
            // An empty text has no location (`MismatchedInputException` at its start).
            return Err(format!(
                "No content to map due to end-of-input\n at {SOURCE}; line: 1, column: 1]"
            ));
        }
        Ok(Some(_)) => parser.value(Some(&JavaType::Object), Place::Root),
        Err(e) => Err(e),
    };
    result.map_err(|message| {
        let len = parser.s.len();
        // Where Jackson's reader stands after the failure: past the offending character, past
        // an unrecognized token and the character that ended it.
        let at = match message.strip_prefix("Unrecognized token '") {
            Some(rest) => {
                let token = rest.split('\'').next().unwrap_or_default();
                (parser.i + token.len() + 1).min(len)
            }
            None if message.contains("end-of-input") => len,
            None => (parser.i + 1).min(len),
        };
        let start = parser.line_start.min(at);
        let column = String::from_utf8_lossy(&parser.s[start..at])
            .chars()
            .count()
            + 1;
        format!(
            "{message}\n at {SOURCE}; line: {}, column: {column}]",
            parser.line
        )
    })
}

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

#[cfg(test)]
mod tests {
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
}
