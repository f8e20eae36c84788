//! The legend under a map and its wrapped note.

use super::classes::NO_DATA;
use super::{ValueFormat, CANVAS_W};
use crate::svg::esc;
use std::fmt::Write as _;

/// Characters per line of the note (12 px text across the 975 px canvas).
pub(super) const NOTE_CHARS: usize = 140;
/// Height of one line of the note.
pub(super) const NOTE_LINE_H: f64 = 16.0;

/// Splits text into lines of at most `width` characters at spaces (a longer
/// word gets a line of its own).
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for para in text.lines() {
        let mut line = String::new();
        for word in para.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

pub(super) fn legend(s: &mut String, edges: &[f64], colors: &[&str], values: &[f64], has_no_data: bool, fmt: ValueFormat, y: f64) {
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut items: Vec<(String, &str)> = Vec::new();
    if !values.is_empty() {
        for (i, c) in colors.iter().enumerate() {
            let lo = if i == 0 { None } else { edges.get(i - 1).copied() };
            let hi = edges.get(i).copied();
            let text = match (lo, hi) {
                (None, None) => {
                    if min == max {
                        fmt.format(min)
                    } else {
                        format!("{} – {}", fmt.format(min), fmt.format(max))
                    }
                }
                (None, Some(h)) => {
                    if min < h {
                        format!("{} – under {}", fmt.format(min), fmt.format(h))
                    } else {
                        format!("under {}", fmt.format(h))
                    }
                }
                (Some(l), Some(h)) => format!("{} – under {}", fmt.format(l), fmt.format(h)),
                (Some(l), None) => {
                    if max > l {
                        format!("{} – {}", fmt.format(l), fmt.format(max))
                    } else {
                        format!("{} or more", fmt.format(l))
                    }
                }
            };
            items.push((text, c));
        }
    }
    if has_no_data {
        items.push(("no data".into(), NO_DATA));
    }
    if items.is_empty() {
        return;
    }
    let slot = ((CANVAS_W - 4.0) / items.len() as f64).min(190.0);
    let _ = write!(s, r##"<g font-size="14" fill="#1d2733">"##);
    for (i, (text, color)) in items.iter().enumerate() {
        let x = 2.0 + i as f64 * slot;
        let _ = write!(
            s,
            r##"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="14" fill="{color}" stroke="#9aa5b1" stroke-width="0.5" /><text x="{x:.1}" y="{:.1}">{}</text>"##,
            slot - 8.0,
            y + 32.0,
            esc(text)
        );
    }
    s.push_str("</g>");
}
