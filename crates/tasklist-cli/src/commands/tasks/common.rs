//! What the `tasks` commands share: checks of their arguments, the task API in use, and the
//! error of a feature that API lacks.

use comfy_table::Cell;
use tasklist_api::Api;
use tasklist_api::models::Timestamp;

use crate::connect::Connection;
use crate::error::CliError;
use crate::exit::Exit;
use crate::output::cell;

/// A table cell of an optional text: empty when there is none.
pub(super) fn text(value: Option<&str>) -> Cell {
    cell(value.unwrap_or(""))
}

/// An RFC 3339 date-time flag, checked before anything is sent.
pub(super) fn date(flag: &str, value: &Option<String>) -> Result<Option<Timestamp>, CliError> {
    value
        .as_deref()
        .map(|text| {
            text.parse::<Timestamp>().map_err(|e| {
                CliError::usage(format!("{flag} {text}: not a date-time ({e})"))
                    .hint("write an RFC 3339 date-time, e.g. 2025-01-31T00:00:00Z")
            })
        })
        .transpose()
}

/// Refuses a priority outside 0..=100 before anything is sent.
pub(super) fn check_priority(flag: &str, value: Option<i32>) -> Result<(), CliError> {
    match value {
        Some(n) if !(0..=100).contains(&n) => Err(CliError::usage(format!(
            "{flag} {n}: a priority is between 0 and 100"
        ))),
        _ => Ok(()),
    }
}

/// The error of a feature the task API in use lacks: a usage error, nothing was sent.
pub(super) fn unsupported(feature: &str, api: Api, hint: &str) -> CliError {
    CliError::new(
        Exit::Usage,
        format!("{feature} is not supported on API {api}: {hint}"),
    )
    .hint(format!(
        "the task API in use is {api} (--api v1|v2 pins one, where the server has it); nothing \
         was sent"
    ))
}

/// The API the connection uses (no request when pinned, cached or asked before).
pub(super) async fn api_of(connection: &Connection) -> Result<Api, CliError> {
    Ok(connection.api().await?.detected.api)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked() {
        assert!(date("--due-date-from", &Some("2025-01-31T00:00:00Z".into())).is_ok());
        let err = date("--due-date-from", &Some("tomorrow".into())).unwrap_err();
        assert!(err.line().contains("--due-date-from tomorrow"));
    }
}
