//! Text for the cell grid: cleaning engine text and word-wrapping with a
//! hanging indent.

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
