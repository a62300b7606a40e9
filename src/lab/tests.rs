//! Tests of the lab server driven by a raw TCP/TLS client on loopback.
