//! The request and response bodies of the v2 user-task API.
