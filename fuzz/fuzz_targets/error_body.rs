//! `ApiError::from_response` on any status and any body, as a server or a proxy might answer.
//!
//! Input: two bytes of status (taken into 100..=999, the statuses `http` accepts), then the
//! body. Properties: it never panics; the variant is the one the status (and, for 403, the
//! mention of CSRF) selects; the status is kept; the message is bounded, empty exactly when
//! the body format is `Empty`; every `Display` is non-empty and names the status; parsing is
//! deterministic.

#![no_main]

use http::StatusCode;
use libfuzzer_sys::fuzz_target;
use tasklist_api::{ApiError, BodyFormat, Error, MAX_EXCERPT_BYTES};

fuzz_target!(|data: &[u8]| {
    let Some((head, body)) = data.split_first_chunk::<2>() else {
        return;
    };
    let code = 100 + u16::from_be_bytes(*head) % 900;
    let Ok(status) = StatusCode::from_u16(code) else {
        panic!("{code} is a valid status");
    };

    let error = ApiError::from_response(status, body);

    // The variant follows the status.
    let csrf = body.windows(4).any(|w| w.eq_ignore_ascii_case(b"csrf"));
    let variant_ok = match code {
        401 => matches!(error, Error::Unauthorized(_)),
        403 if csrf => matches!(error, Error::Csrf(_)),
        403 => matches!(error, Error::Forbidden(_)),
        404 => matches!(error, Error::NotFound(_)),
        400 | 409 | 422 => matches!(error, Error::InvalidRequest(_)),
        500..=599 => matches!(error, Error::Server(_)),
        _ => matches!(error, Error::UnexpectedStatus(_)),
    };
    assert!(variant_ok, "{code}: {error:?}");
    assert_eq!(error.status(), Some(status));
    assert_eq!(error.is_not_found(), code == 404);
    assert_eq!(error.is_csrf(), code == 403 && csrf);

    let Some(api) = error.api_error() else {
        panic!("an error response keeps its details: {error:?}");
    };
    assert_eq!(api.status(), status);

    // Bounded, and empty exactly when there was nothing to read.
    let message = api.message();
    assert!(
        message.len() <= MAX_EXCERPT_BYTES,
        "{} bytes",
        message.len()
    );
    for part in [api.title(), api.instance(), api.problem_type()]
        .into_iter()
        .flatten()
    {
        assert!(
            part.len() <= MAX_EXCERPT_BYTES && !part.trim().is_empty(),
            "{part:?}"
        );
    }
    assert_eq!(
        message.is_empty(),
        api.format() == BodyFormat::Empty,
        "{:?}: {message:?}",
        api.format()
    );
    assert_eq!(error.server_message().is_none(), message.is_empty());
    assert_eq!(api.detail().is_empty(), message.is_empty());
    if body.iter().all(u8::is_ascii_whitespace) {
        assert_eq!(api.format(), BodyFormat::Empty);
    }

    // Every Display says something, starting with the status.
    let shown = api.to_string();
    assert!(shown.starts_with(&code.to_string()), "{shown:?}");
    let whole = error.to_string();
    assert!(
        !whole.is_empty() && whole.contains(&shown),
        "{whole:?} / {shown:?}"
    );
    if !message.is_empty() && api.title().is_none() {
        assert!(whole.contains(api.detail()), "{whole:?}");
    }

    // Deterministic.
    let again = ApiError::from_response(status, body);
    assert_eq!(again.api_error(), Some(api));
});
