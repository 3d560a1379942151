//! Typed models of the Camunda 8 Tasklist REST API and the client that calls it.
//!
//! This crate is being built. It runs over any [`tasklist_transport::Transport`], so it does
//! not depend on how the caller authenticates.
//!
//! # Dependencies
//!
//! - `tasklist-transport`: the HTTP layer every call goes through.
