//! The server: its builder, the running [`TestServer`] and the [`ServerHandle`] that controls
//! and inspects it.

mod app;
mod builder;
mod client;
mod error;
mod handle;

pub use self::builder::{TestServer, TestServerBuilder};
pub use self::client::Credentials;
pub use self::error::Error;
pub use self::handle::ServerHandle;
