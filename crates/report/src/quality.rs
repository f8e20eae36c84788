//! The plan's data-quality grade and reasons, for the table and Markdown.

use crate::markdown::esc;
use safetygap_core::plan::Plan;

pub(crate) fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line = indent.to_string();
        } else if !line.is_empty() && line != indent {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// "DATA QUALITY: 2 of 3 — use with care" and one bullet per reason, for
/// the terminal table (fits 80 columns).
pub fn table_block(plan: &Plan) -> String {
    let q = &plan.quality;
    if q.grade == 0 {
        return String::new();
    }
    let mut out = format!("\nDATA QUALITY: {} of 3 — {}\n(1 fine, 2 use with care, 3 do not act on this alone)\n", q.grade, q.label);
    for r in &q.reasons {
        out.push_str(&wrap(&format!("- {r}"), 79, "  "));
    }
    out
}

/// A "Data quality" section for the Markdown memo.
pub fn markdown_block(plan: &Plan) -> String {
    let q = &plan.quality;
    if q.grade == 0 {
        return String::new();
    }
    let mut o = format!("\n## Data quality: {} — {}\n\nGrades: 1 fine, 2 use with care, 3 do not act on this alone.\n\n", q.grade, q.label);
    for r in &q.reasons {
        o.push_str(&format!("- {}\n", esc(r)));
    }
    o
}
