//! The POP3 protocol, usable without sockets: codec, session, authentication.

pub mod auth;
pub mod codec;
pub mod session;
