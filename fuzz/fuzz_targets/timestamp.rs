//! The `Timestamp` model: any text as a date-time field.
//!
//! Properties: decoding a JSON string never fails and keeps the text, and serialising writes
//! exactly that string back (byte for byte the JSON `serde_json` writes for the text);
//! `FromStr` succeeds exactly when `to_jiff` does, on the same instant; `Display` is the text;
//! an instant formatted by `From<jiff::Timestamp>` parses back to itself, through JSON too;
//! a failure names the text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use tasklist_api::models::Timestamp;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };

    // Decoding keeps the text; encoding writes it back exactly.
    let decoded: Timestamp = match serde_json::from_value(Value::String(text.to_owned())) {
        Ok(decoded) => decoded,
        Err(e) => panic!("decoding a JSON string never fails: {e}"),
    };
    assert_eq!(decoded.as_str(), text);
    assert_eq!(decoded.to_string(), text);
    let (Ok(written), Ok(expected)) =
        (serde_json::to_string(&decoded), serde_json::to_string(text))
    else {
        panic!("strings serialise");
    };
    assert_eq!(written, expected);
    let again: Timestamp = match serde_json::from_str(&written) {
        Ok(again) => again,
        Err(e) => panic!("what was written reads back: {e}"),
    };
    assert_eq!(again, decoded);

    // Parsing agrees with decoding.
    let instant = decoded.to_jiff();
    match (text.parse::<Timestamp>(), &instant) {
        (Ok(parsed), Ok(instant)) => {
            assert_eq!(parsed.as_str(), text);
            assert_eq!(parsed.to_jiff().ok(), Some(*instant));
            assert_eq!(parsed, decoded);
        }
        (Err(parse_error), Err(error)) => {
            assert_eq!(parse_error.text(), text);
            assert_eq!(error.text(), text);
            let shown = error.to_string();
            assert!(!shown.is_empty() && shown.contains(text), "{shown:?}");
        }
        (parsed, instant) => panic!("parse says {parsed:?}, to_jiff says {instant:?}"),
    }

    // An instant, formatted by the crate, reads back as itself.
    if let Ok(instant) = instant {
        let formatted = Timestamp::from(instant);
        assert_eq!(formatted.as_str(), instant.to_string());
        assert_eq!(formatted.to_jiff().ok(), Some(instant));
        let reparsed = formatted.as_str().parse::<Timestamp>();
        assert_eq!(reparsed.ok().and_then(|t| t.to_jiff().ok()), Some(instant));
        let Ok(json) = serde_json::to_string(&formatted) else {
            panic!("a timestamp serialises");
        };
        let back: Result<Timestamp, _> = serde_json::from_str(&json);
        assert_eq!(back.ok().and_then(|t| t.to_jiff().ok()), Some(instant));
    }
});
