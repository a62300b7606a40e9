//! Text for the cell grid: cleaning engine text, word-wrapping with a
//! hanging indent, and durations in plain words.

use std::time::Duration;

use ratatui::style::Style;
use ratatui::text::Line as TLine;

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
