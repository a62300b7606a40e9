//! The `popscope` binary (being wired).
fn main() {}
