//! Any bytes as a token file in the disk cache (a file another process, a crash, a bad disk or
//! a hostile user wrote), as a process with no token of its own reads it.
//!
//! Properties: it never panics (an expiry or a lifetime past what the clocks hold is a file to
//! replace, not an overflow); a usable file holds a non-empty token; a token served from it is
//! served at most a year, renewed no later than a year from now, and expires within a year.

#![no_main]

use std::time::{Duration, SystemTime};

use libfuzzer_sys::fuzz_target;

const YEAR: Duration = Duration::from_secs(365 * 24 * 60 * 60);

fuzz_target!(|data: &[u8]| {
    let before = SystemTime::now();
    let outcome = tasklist_auth::fuzzing::disk_entry(data);
    if let Some(token) = &outcome.token {
        assert!(!token.is_empty());
    }
    if let Some(served) = &outcome.served {
        assert!(outcome.token.is_some(), "served without a token: {outcome:?}");
        assert!(served.usable_for <= YEAR, "{outcome:?}");
        assert!(served.renew_in <= YEAR, "{outcome:?}");
        assert!(served.expires_at <= before + YEAR + Duration::from_secs(60), "{outcome:?}");
        // Served means it has more than its skew and a second left.
        assert!(served.usable_for > Duration::ZERO, "{outcome:?}");
    }
});
