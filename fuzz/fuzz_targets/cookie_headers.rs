//! The `Set-Cookie` and `X-CSRF-TOKEN` headers of a response to a cookie session, as a server
//! (or anyone answering for it) might send them, through the session's cookie jar, its CSRF
//! capture and its session file.
//!
//! Input: the bytes split at NUL: first the request's path below `http://tasklist.example`,
//! then the CSRF header's value, then any number of `Set-Cookie` values. Properties: it never
//! panics; what the session would send back (the pairs of the `Cookie` header, whose order
//! does not matter) is the same after the session goes through its file and back; a CSRF token
//! taken is not empty and has no surrounding white space.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|b| *b == 0);
    let path = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let csrf = parts.next().unwrap_or_default();
    let set_cookies: Vec<Vec<u8>> = parts.take(16).map(<[u8]>::to_vec).collect();
    let url = format!("http://tasklist.example/{}", path.trim_start_matches('/'));
    let Some(outcome) = tasklist_auth::fuzzing::cookie_headers(&set_cookies, csrf, &url) else {
        return;
    };
    let pairs = |header: &Option<Vec<u8>>| {
        let mut pairs: Vec<Vec<u8>> = header
            .as_deref()
            .unwrap_or_default()
            .split(|b| *b == b';')
            .map(|pair| pair.trim_ascii().to_vec())
            .filter(|pair| !pair.is_empty())
            .collect();
        pairs.sort();
        pairs
    };
    assert_eq!(
        pairs(&outcome.after_round_trip),
        pairs(&outcome.cookie_header),
        "{outcome:?}"
    );
    if let Some(token) = &outcome.csrf_token {
        assert!(!token.is_empty());
        assert_eq!(token.trim(), token);
    }
});
