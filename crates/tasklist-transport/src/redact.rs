//! The secret values this process knows, and the one step that removes them from any text a
//! server sent before that text reaches an error, a log line or a trace.
//!
//! A server can echo what it was sent: a token endpoint that quotes the form it received (the
//! client secret), a login page that repeats the password, an API error that quotes the
//! `Authorization` header. The SDK's crates therefore register every secret they hold here
//! ([`register_secret`] for configured credentials, [`register_session_value`] for tokens,
//! cookies and CSRF tokens a server handed out) and pass every server-provided text through
//! [`redact`] before it goes into an error message or a log field.
//!
//! [`scrub`] and the [`Redacting`] writer are a last net under text that is not the server's
//! (a whole error line, a whole log line): they remove only values of 8 characters or more. A
//! short secret (`demo`, `secret`) is also an ordinary word; blanking it out of the client's
//! own wording (`--client-secret-file`) would garble the message and show the secret by where
//! the blanks fall. Server text gets [`redact`], which removes every value.
//!
//! Each secret is looked for as it is and in the forms an echo would take: form- and
//! percent-encoded, JSON-escaped and HTML-escaped. Longer values are replaced first, so a
//! secret that contains another is removed whole.

use std::borrow::Cow;
use std::io;
use std::sync::{PoisonError, RwLock};

use secrecy::{ExposeSecret, SecretString};

/// What [`redact`] puts where a secret was.
pub const REDACTED: &str = "<redacted>";

/// How many values handed out by servers are remembered; older ones are forgotten first.
const SESSION_VALUES: usize = 64;

/// Values handed out by servers shorter than this are not secrets worth the name (a cookie
/// `lang=en`), and replacing them would garble ordinary words. [`scrub`] leaves configured
/// secrets shorter than this alone too.
const MIN_SESSION_VALUE: usize = 8;

/// Who registered a form, which decides how long it stays.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A configured credential: kept for the life of the process.
    Configured,
    /// A value a server handed out, with its registration number.
    Session(u64),
}

struct Form {
    text: SecretString,
    kind: Kind,
    /// Whether the value this is a form of is long enough for [`scrub`].
    long: bool,
}

struct Registry {
    /// Every form of every known value, longest first.
    forms: Vec<Form>,
    /// Registration numbers of the session values held, oldest first.
    sessions: std::collections::VecDeque<u64>,
    next: u64,
}

static REGISTRY: RwLock<Registry> = RwLock::new(Registry {
    forms: Vec::new(),
    sessions: std::collections::VecDeque::new(),
    next: 0,
});

/// Registers a configured secret (a client secret, a password, a static token, the value of
/// a Basic `Authorization` header): from now on, for the life of the process, [`redact`]
/// removes it. Registering the same value again does nothing; an empty value is ignored.
///
/// ```
/// use tasklist_transport::redact::{redact, register_secret};
///
/// register_secret("cs-doc-example-1");
/// assert_eq!(redact("client_secret=cs-doc-example-1"), "client_secret=<redacted>");
/// ```
pub fn register_secret(secret: &str) {
    register(secret, None);
}

/// Registers a value a server handed out (an access token, a session cookie's value, a CSRF
/// token): [`redact`] removes it until it is among the oldest once 64 more have been
/// registered. Values shorter than 8 characters are ignored.
///
/// ```
/// use tasklist_transport::redact::{redact, register_session_value};
///
/// register_session_value("session-doc-value-2");
/// assert_eq!(redact("TASKLIST-SESSION=session-doc-value-2"), "TASKLIST-SESSION=<redacted>");
/// register_session_value("en");
/// assert_eq!(redact("lang=en"), "lang=en");
/// ```
pub fn register_session_value(value: &str) {
    if value.chars().count() >= MIN_SESSION_VALUE {
        register(value, Some(()));
    }
}

fn register(value: &str, session: Option<()>) {
    if value.is_empty() {
        return;
    }
    let mut registry = REGISTRY.write().unwrap_or_else(PoisonError::into_inner);
    let kind = match session {
        Some(()) => {
            let seq = registry.next;
            registry.next += 1;
            Kind::Session(seq)
        }
        None => Kind::Configured,
    };
    let known = registry
        .forms
        .iter()
        .find(|f| f.text.expose_secret() == value)
        .map(|f| f.kind);
    let long = value.chars().count() >= MIN_SESSION_VALUE;
    match known {
        // Configured values stay for good.
        Some(Kind::Configured) => return,
        // A session value seen again becomes the newest, or configured when configured.
        Some(Kind::Session(old)) => {
            registry.sessions.retain(|s| *s != old);
            for form in &mut registry.forms {
                if form.kind == Kind::Session(old) {
                    form.kind = kind;
                }
            }
        }
        None => {
            for text in forms_of(value) {
                registry.forms.push(Form {
                    text: SecretString::from(text),
                    kind,
                    long,
                });
            }
            registry
                .forms
                .sort_by_key(|f| std::cmp::Reverse(f.text.expose_secret().len()));
        }
    }
    if let Kind::Session(seq) = kind {
        registry.sessions.push_back(seq);
    }
    while registry.sessions.len() > SESSION_VALUES {
        if let Some(oldest) = registry.sessions.pop_front() {
            registry.forms.retain(|f| f.kind != Kind::Session(oldest));
        }
    }
}

/// `value` as it is and as an echo would spell it, without repeats.
fn forms_of(value: &str) -> Vec<String> {
    let mut forms = vec![value.to_owned()];
    let form_encoded: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
    let percent_encoded = form_encoded.replace('+', "%20");
    for form in [
        form_encoded,
        percent_encoded,
        json_escaped(value),
        html_escaped(value),
    ] {
        if !forms.contains(&form) {
            forms.push(form);
        }
    }
    forms
}

fn json_escaped(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn html_escaped(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `text` with every registered secret, in any of the forms an echo would take, replaced by
/// [`REDACTED`]. Borrows `text` when there is nothing to replace.
///
/// ```
/// use tasklist_transport::redact::{redact, register_secret};
///
/// register_secret("pw doc&3");
/// assert_eq!(
///     redact(r#"{"form":"username=ann&password=pw+doc%263","raw":"pw doc&3"}"#),
///     r#"{"form":"username=ann&password=<redacted>","raw":"<redacted>"}"#
/// );
/// assert!(matches!(redact("nothing here"), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn redact(text: &str) -> Cow<'_, str> {
    replace(text, false)
}

/// `text` with every registered value of 8 characters or more replaced by [`REDACTED`]: the
/// net under text that mixes the client's own words with what servers said (a whole error
/// line). Server text itself gets [`redact`].
///
/// ```
/// use tasklist_transport::redact::{register_secret, scrub};
///
/// register_secret("demo");
/// register_secret("long-doc-secret-5");
/// assert_eq!(
///     scrub("the demo user; token long-doc-secret-5"),
///     "the demo user; token <redacted>"
/// );
/// ```
pub fn scrub(text: &str) -> Cow<'_, str> {
    replace(text, true)
}

fn replace(text: &str, long_only: bool) -> Cow<'_, str> {
    let registry = REGISTRY.read().unwrap_or_else(PoisonError::into_inner);
    let mut out = Cow::Borrowed(text);
    for form in registry.forms.iter().filter(|f| f.long || !long_only) {
        let secret = form.text.expose_secret();
        if out.contains(secret) {
            out = Cow::Owned(out.replace(secret, REDACTED));
        }
    }
    out
}

/// A writer that passes everything written through [`scrub`] before handing it on: the last
/// net under a logger. Each `write` is scrubbed on its own, so give it whole records (the
/// `fmt` layer of `tracing-subscriber` writes each event with one call).
///
/// ```
/// use std::io::Write;
/// use tasklist_transport::redact::{register_secret, Redacting};
///
/// register_secret("tok-doc-example-4");
/// let mut out = Redacting::new(Vec::new());
/// out.write_all(b"WARN token tok-doc-example-4 refused\n").unwrap();
/// assert_eq!(out.into_inner(), b"WARN token <redacted> refused\n");
/// ```
#[derive(Debug)]
pub struct Redacting<W> {
    inner: W,
}

impl<W> Redacting<W> {
    /// Wraps `inner`.
    ///
    /// ```
    /// let out = tasklist_transport::redact::Redacting::new(std::io::stderr());
    /// # let _ = out;
    /// ```
    pub fn new(inner: W) -> Self {
        Redacting { inner }
    }

    /// The wrapped writer.
    ///
    /// ```
    /// let out = tasklist_transport::redact::Redacting::new(Vec::<u8>::new());
    /// assert!(out.into_inner().is_empty());
    /// ```
    pub fn into_inner(self) -> W {
        self.inner
    }
}

impl<W: io::Write> io::Write for Redacting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        match scrub(&text) {
            // Nothing to hide: the bytes go on exactly as given, invalid UTF-8 included.
            Cow::Borrowed(_) => self.inner.write_all(buf)?,
            Cow::Owned(clean) => self.inner.write_all(clean.as_bytes())?,
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_a_secret_is_removed() {
        let secret = "unit \"se/cret\"&<1>+%";
        register_secret(secret);
        let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        for text in [
            format!("raw {secret} end"),
            format!("form client_secret={encoded}&x=1"),
            format!("pct {} end", encoded.replace('+', "%20")),
            format!("json {{\"s\":\"{}\"}}", json_escaped(secret)),
            format!("html <b>{}</b>", html_escaped(secret)),
        ] {
            let clean = redact(&text);
            assert!(clean.contains(REDACTED), "{text} -> {clean}");
            assert!(!clean.contains("se/cret"), "{text} -> {clean}");
            assert!(!clean.contains("se%2Fcret"), "{text} -> {clean}");
        }
    }

    #[test]
    fn a_secret_inside_a_longer_one_does_not_leave_the_longer_ones_ends() {
        register_secret("inner-unit-xyz");
        register_session_value("AAAA-inner-unit-xyz-BBBB");
        assert_eq!(
            redact("t=AAAA-inner-unit-xyz-BBBB"),
            format!("t={REDACTED}")
        );
    }

    #[test]
    fn old_session_values_are_forgotten_and_configured_ones_are_not() {
        register_secret("configured-unit-forever");
        register_session_value("session-unit-first-0001");
        for n in 0..SESSION_VALUES {
            register_session_value(&format!("session-unit-filler-{n:04}"));
        }
        assert_eq!(
            redact("session-unit-first-0001"),
            "session-unit-first-0001",
            "the oldest session value is forgotten"
        );
        assert_eq!(
            redact("session-unit-filler-0063 configured-unit-forever"),
            format!("{REDACTED} {REDACTED}")
        );
        let registry = REGISTRY.read().unwrap();
        assert!(registry.sessions.len() <= SESSION_VALUES);
    }

    #[test]
    fn the_net_leaves_short_values_to_the_server_text_step() {
        register_secret("sh0rt");
        assert_eq!(redact("pw=sh0rt"), format!("pw={REDACTED}"));
        assert_eq!(scrub("pw=sh0rt"), "pw=sh0rt");
        register_secret("a-longer-unit-secret");
        assert_eq!(scrub("x a-longer-unit-secret"), format!("x {REDACTED}"));
    }

    #[test]
    fn the_writer_passes_clean_bytes_unchanged() {
        use std::io::Write;
        let mut out = Redacting::new(Vec::new());
        out.write_all(b"plain \xff bytes").unwrap();
        assert_eq!(out.into_inner(), b"plain \xff bytes");
    }
}
