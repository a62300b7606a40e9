//! Time formatting shared by the probe and the reports: RFC 3339 in UTC.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Formats `t` as RFC 3339 in UTC with whole seconds, e.g.
/// `2025-01-31T12:00:00Z`. Falls back to the Unix timestamp in the
/// (unreachable for real certificate dates) case the year cannot be
/// written in RFC 3339.
pub fn rfc3339(t: OffsetDateTime) -> String {
    let utc = t.to_offset(time::UtcOffset::UTC);
    let utc = utc.replace_nanosecond(0).unwrap_or(utc);
    utc.format(&Rfc3339)
        .unwrap_or_else(|_| utc.unix_timestamp().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_whole_seconds() {
        let t = OffsetDateTime::from_unix_timestamp_nanos(1_700_000_000_123_456_789)
            .unwrap()
            .to_offset(time::UtcOffset::from_hms(2, 0, 0).unwrap());
        assert_eq!(rfc3339(t), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn out_of_range_year_falls_back_to_unix_seconds() {
        let t = OffsetDateTime::from_unix_timestamp(-62_198_755_200 - 86_400).unwrap();
        assert_eq!(rfc3339(t), "-62198841600");
    }
}
