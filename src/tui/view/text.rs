//! Text for the cell grid: cleaning engine text, word-wrapping with a
//! hanging indent, and durations in plain words.

use std::time::Duration;

use ratatui::style::Style;
use ratatui::text::{Line as TLine, Span};

use crate::transcript::sanitize_str;

/// Makes engine text safe and single-line for a cell grid: sanitised again
/// (defence in depth), tabs as spaces.
pub fn clean(s: &str) -> String {
    sanitize_str(s).replace('\t', " ")
}

/// Appends `text` word-wrapped to `width` columns, every line indented by
/// `indent` spaces; words longer than a line are split hard.
pub(super) fn wrap_into(
    out: &mut Vec<TLine<'static>>,
    text: &str,
    width: usize,
    indent: usize,
    style: Style,
) {
    let width = width.max(indent + 8);
    let avail = width - indent;
    let pad = " ".repeat(indent);
    for para in text.split('\n') {
        let para = clean(para);
        let mut cur = String::new();
        let mut cur_len = 0usize;
        for word in para.split(' ') {
            let wl = word.chars().count();
            if cur_len > 0 && cur_len + 1 + wl > avail {
                out.push(TLine::styled(format!("{pad}{cur}"), style));
                cur.clear();
                cur_len = 0;
            }
            if wl > avail {
                // hard-split long words (hex, base64, URLs)
                let chars: Vec<char> = word.chars().collect();
                for chunk in chars.chunks(avail) {
                    if cur_len > 0 {
                        out.push(TLine::styled(format!("{pad}{cur}"), style));
                        cur.clear();
                    }
                    cur = chunk.iter().collect();
                    cur_len = chunk.len();
                }
                continue;
            }
            if cur_len > 0 {
                cur.push(' ');
                cur_len += 1;
            }
            cur.push_str(word);
            cur_len += wl;
        }
        out.push(TLine::styled(format!("{pad}{cur}"), style));
    }
}

/// Appends `text` word-wrapped to `width` columns behind `prefix` (spans
/// `indent` columns wide) on its first line; later lines are indented by
/// `indent` spaces.
pub(super) fn wrap_prefixed(
    out: &mut Vec<TLine<'static>>,
    prefix: Vec<Span<'static>>,
    indent: usize,
    text: &str,
    width: usize,
    style: Style,
) {
    let mut wrapped = Vec::new();
    wrap_into(&mut wrapped, text, width, indent, style);
    for (i, l) in wrapped.into_iter().enumerate() {
        let full: String = l.spans.iter().map(|s| s.content.to_string()).collect();
        // the indent is ASCII spaces, so byte slicing is safe
        let body = full[indent.min(full.len())..].to_string();
        let lead = if i == 0 {
            prefix.clone()
        } else {
            vec![Span::raw(" ".repeat(indent))]
        };
        let mut spans = lead;
        spans.push(Span::styled(body, style));
        out.push(TLine::from(spans));
    }
}

/// `s` cut to `width` columns, with `…` as its last column when cut.
pub(super) fn truncate(s: &str, width: usize) -> String {
    if TLine::raw(s).width() <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    for c in s.chars() {
        let next = format!("{out}{c}");
        if TLine::raw(next.as_str()).width() + 1 > width {
            break;
        }
        out = next;
    }
    out.push('…');
    out
}

/// A certificate fingerprint as mail clients show it: upper-case hex pairs
/// separated by colons (`5F:1B:...`). Text that is not an even number of hex
/// digits is returned cleaned, as it is.
pub fn fingerprint(hex: &str) -> String {
    let hex = hex.trim();
    if hex.is_empty() || !hex.len().is_multiple_of(2) || !hex.chars().all(|c| c.is_ascii_hexdigit())
    {
        return clean(hex);
    }
    fingerprint_pairs(hex).join(":")
}

/// The upper-case hex pairs of a valid hex string.
fn fingerprint_pairs(hex: &str) -> Vec<String> {
    hex.as_bytes()
        .chunks(2)
        .map(|p| String::from_utf8_lossy(p).to_ascii_uppercase())
        .collect()
}

/// A fingerprint laid out in lines of at most `width` columns, breaking
/// only after a colon (which stays at the end of the line).
pub(super) fn fingerprint_lines(hex: &str, width: usize) -> Vec<String> {
    let fp = fingerprint(hex);
    if !fp.contains(':') {
        return vec![fp];
    }
    let pairs: Vec<&str> = fp.split(':').collect();
    // a full line holds k pairs and k colons (the last one ends the line)
    let k = (width / 3).max(1);
    let chunks: Vec<&[&str]> = pairs.chunks(k).collect();
    let n = chunks.len();
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let mut l = c.join(":");
            if i + 1 < n {
                l.push(':');
            }
            l
        })
        .collect()
}

/// A duration in plain words for the screen: `500 ms`, `10 s`, `1.5 s`,
/// `1 min 30 s`, `2 h 5 min`. Zero parts are left out; below a millisecond
/// it counts microseconds; above a second, precision stops at milliseconds.
pub fn human_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms == 0 {
        return match d.as_micros() {
            0 => "0 s".into(),
            us => format!("{us} µs"),
        };
    }
    if ms < 1000 {
        return format!("{ms} ms");
    }
    let hours = ms / 3_600_000;
    let mins = ms / 60_000 % 60;
    let secs = ms / 1000 % 60;
    let frac = ms % 1000;
    let mut parts = Vec::new();
    if hours > 0 {
        parts.push(format!("{hours} h"));
    }
    if mins > 0 {
        parts.push(format!("{mins} min"));
    }
    if frac > 0 {
        let frac = format!("{frac:03}");
        parts.push(format!("{secs}.{} s", frac.trim_end_matches('0')));
    } else if secs > 0 {
        parts.push(format!("{secs} s"));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_plain_words() {
        let ms = Duration::from_millis;
        let s = Duration::from_secs;
        assert_eq!(human_duration(Duration::ZERO), "0 s");
        assert_eq!(human_duration(Duration::from_micros(250)), "250 µs");
        assert_eq!(human_duration(ms(1)), "1 ms");
        assert_eq!(human_duration(ms(500)), "500 ms");
        assert_eq!(human_duration(ms(999)), "999 ms");
        assert_eq!(human_duration(s(1)), "1 s");
        assert_eq!(human_duration(s(10)), "10 s");
        assert_eq!(human_duration(ms(1500)), "1.5 s");
        assert_eq!(human_duration(ms(1250)), "1.25 s");
        assert_eq!(human_duration(ms(1005)), "1.005 s");
        assert_eq!(human_duration(s(60)), "1 min");
        assert_eq!(human_duration(s(90)), "1 min 30 s");
        assert_eq!(human_duration(ms(90_500)), "1 min 30.5 s");
        assert_eq!(human_duration(s(3600)), "1 h");
        assert_eq!(human_duration(s(3605)), "1 h 5 s");
        assert_eq!(human_duration(s(2 * 3600 + 5 * 60)), "2 h 5 min");
        assert_eq!(human_duration(s(86_400)), "24 h");
    }

    #[test]
    fn fingerprints_read_like_mail_clients_show_them() {
        assert_eq!(fingerprint("5f1b0a"), "5F:1B:0A");
        assert_eq!(fingerprint("not hex"), "not hex");
        assert_eq!(fingerprint("abc"), "abc", "odd length is left as it is");
        let hex = "5f1b7c9e0d2a4b6c8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d";
        let lines = fingerprint_lines(hex, 40);
        assert!(lines.iter().all(|l| l.chars().count() <= 40), "{lines:?}");
        assert_eq!(lines.concat(), fingerprint(hex));
        assert!(lines[0].ends_with(':'));
        assert_eq!(fingerprint(hex).len(), 32 * 3 - 1);
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate("abcdef", 6), "abcdef");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abcdef", 0), "");
    }

    #[test]
    fn sub_millisecond_remainders_are_dropped_above_a_second() {
        assert_eq!(human_duration(Duration::from_micros(10_000_400)), "10 s");
    }

    #[test]
    fn durations_parsed_from_options_read_back() {
        use crate::config::parse_duration;
        for (opt, words) in [
            ("10s", "10 s"),
            ("60s", "1 min"),
            ("500ms", "500 ms"),
            ("2m", "2 min"),
            ("1.5s", "1.5 s"),
            ("1h", "1 h"),
        ] {
            assert_eq!(human_duration(parse_duration(opt).unwrap()), words, "{opt}");
        }
    }
}
