//! popscope's in-process integration tests: the real `popscope` binary run
//! against servers the tests start themselves on loopback (the built-in lab,
//! an in-process DNS server, tiny hostile TCP servers).
//!
//! One test binary, ripgrep style: every module lives under `tests/cli/`.
//! Nothing here touches an address other than 127.0.0.1 / ::1, and no test
//! asks the system resolver.

mod architecture;
mod cli;
mod servers;
