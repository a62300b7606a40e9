//! The POP3 protocol, usable without sockets: reading replies, parsing them,
//! CAPA, the session, authentication, and the teaching prose about it all.

pub mod auth;
pub mod capa;
pub mod explain;
pub mod reader;
pub mod response;
pub mod session;
