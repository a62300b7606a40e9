//! The one time formatter: RFC 3339 in UTC, whole seconds.

use time::OffsetDateTime;

/// Formats a time as RFC 3339 (UTC, whole seconds), e.g.
/// `2026-11-30T01:40:35Z`; the Unix timestamp if formatting fails.
pub fn rfc3339(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    t.replace_nanosecond(0)
        .unwrap_or(t)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}
