//! JSON renderer (`popscope.report/v1`, documented in docs/json.md).

use super::{Exporter, Report};

/// Pretty-printed JSON, one object, newline-terminated.
#[derive(Debug, Default, Clone, Copy)]
pub struct Json;

impl Exporter for Json {
    fn render(&self, report: &Report) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(report).unwrap_or_else(|e| {
            format!("{{\"schema\":\"{}\",\"error\":\"{e}\"}}", super::SCHEMA).into_bytes()
        });
        v.push(b'\n');
        v
    }
}
