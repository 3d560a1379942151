//! What every command gets: the settings, where the results go, and what error hints may
//! refer to.

use crate::config::Settings;
use crate::connect::{self, Connection, Purpose};
use crate::error::{CliError, HintContext};
use crate::output::Output;

/// What every command gets.
pub(crate) struct Context {
    /// The resolved settings.
    pub(crate) settings: Settings,
    /// Where results go.
    pub(crate) out: Output,
    /// What error hints may refer to.
    pub(crate) hints: HintContext,
}

impl Context {
    /// Builds the client for an API call.
    pub(crate) fn connect(&self, purpose: Purpose) -> Result<Connection, CliError> {
        connect::connect(&self.settings, purpose)
    }

    /// The error of a failed API call.
    pub(crate) fn api_error(
        &self,
        what: impl std::fmt::Display,
        error: tasklist_api::Error,
    ) -> CliError {
        CliError::api(what, error, &self.hints)
    }
}
