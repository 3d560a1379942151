//! The reader: a recursive-descent pass over one JSON document with the rules of Jackson's
//! streaming parser and a bean deserializer, stopping at the first problem with Jackson's
//! message ([`check`] for request bodies, [`check_text`] for JSON text values).

use super::messages::{SOURCE, VALID_VALUES, char_desc, type_check, unexpected};
use super::types::{JavaType, Token};

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
                type_check(ty, Token::StartObject, "")?;
                return self.object(ty);
            }
            b'[' => {
                self.bump();
                type_check(ty, Token::StartArray, "")?;
                return self.array(ty);
            }
            b'"' => {
                self.bump();
                let text = self.string(false)?;
                self.last = Some(Token::String);
                return type_check(ty, Token::String, &text);
            }
            b'-' | b'0'..=b'9' => {
                let (token, text) = self.number(place)?;
                self.last = Some(token);
                return type_check(ty, token, &text);
            }
            b't' => self.literal("true", Token::True)?,
            b'f' => self.literal("false", Token::False)?,
            b'n' => self.literal("null", Token::Null)?,
            _ => return Err(self.unexpected_value(place)),
        };
        self.last = Some(token);
        type_check(ty, token, "")
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
