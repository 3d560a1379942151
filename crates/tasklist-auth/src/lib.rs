//! Authentication for Camunda 8 components (Tasklist, Operate, Optimize, Zeebe and the
//! Orchestration Cluster REST API).
//!
//! This crate is being built: it will hold the [`Authenticator`] implementations for OAuth 2.0
//! client credentials, cookie sessions, HTTP Basic, static bearer tokens and no
//! authentication. Each plugs into the transport stack of [`tasklist_transport`] through
//! [`TransportExt::with_authenticator`].
//!
//! [`Authenticator`]: tasklist_transport::Authenticator
//! [`TransportExt::with_authenticator`]: tasklist_transport::TransportExt::with_authenticator
//!
//! # Dependencies
//!
//! - `tasklist-transport`: the HTTP layer and its signing hook.
