//! `tasklist tasks …`: `search` (the search), `changes` (assign, unassign, complete,
//! update), `details` (get, history, form, variables, save-draft); `out` is how a task and its
//! variables are printed, `common` what the commands share.

mod changes;
mod common;
mod details;
mod out;
mod search;

pub(crate) use self::changes::{assign, complete, unassign, update};
pub(crate) use self::details::{form, get, history, save_draft, variables};
pub(crate) use self::out::VariableOut;
pub(crate) use self::search::search;
