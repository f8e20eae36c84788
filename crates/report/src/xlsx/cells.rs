//! Cell writing for the workbooks (this plan's and `batch`'s): number
//! formats, column widths sized to contents, and helpers that write a cell
//! and note its width.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Formula, Worksheet, XlsxError};
use safetygap_core::Range3;

/// Column letters for a 0-based index (0 → A, 27 → AB).
pub fn col_name(mut c: u16) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Excel's cell limit is 32,767 characters.
pub(crate) const MAX_CELL_CHARS: usize = 32_000;

pub(crate) struct Formats {
    pub(crate) title: Format,
    pub(crate) header: Format,
    pub(crate) bold: Format,
    pub(crate) money: Format,
    pub(crate) money_bold: Format,
    pub(crate) money_cents: Format,
    pub(crate) money_cents_bold: Format,
    pub(crate) count: Format,
    /// Whole numbers with separators (population).
    pub(crate) whole: Format,
    /// Whole numbers without separators (grades, counts of lines).
    pub(crate) integer: Format,
    pub(crate) percent: Format,
    pub(crate) percent_bold: Format,
    pub(crate) wrap: Format,
    pub(crate) warn: Format,
    pub(crate) note: Format,
}

impl Formats {
    pub(crate) fn new() -> Self {
        let header = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_background_color(Color::RGB(0xE8ECF0))
            .set_border_bottom(FormatBorder::Thin);
        Formats {
            title: Format::new().set_bold().set_font_size(16),
            header,
            bold: Format::new().set_bold(),
            money: Format::new().set_num_format("$#,##0"),
            money_bold: Format::new().set_num_format("$#,##0").set_bold(),
            money_cents: Format::new().set_num_format("$#,##0.00"),
            money_cents_bold: Format::new().set_num_format("$#,##0.00").set_bold(),
            count: Format::new().set_num_format("#,##0.0#"),
            whole: Format::new().set_num_format("#,##0"),
            integer: Format::new().set_num_format("0"),
            percent: Format::new().set_num_format("0%"),
            percent_bold: Format::new().set_num_format("0%").set_bold(),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            warn: Format::new().set_text_wrap().set_align(FormatAlign::Top).set_font_color(Color::RGB(0x9A5B00)),
            note: Format::new().set_italic().set_font_color(Color::RGB(0x5B6773)),
        }
    }
}

/// Tracks the widest text per column to size columns at the end.
pub(crate) struct Widths(pub(crate) Vec<f64>);

impl Widths {
    pub(crate) fn new() -> Self {
        Widths(Vec::new())
    }
    pub(crate) fn see(&mut self, col: u16, text_len: usize) {
        let c = col as usize;
        if self.0.len() <= c {
            self.0.resize(c + 1, 0.0);
        }
        self.0[c] = self.0[c].max(text_len as f64);
    }
    pub(crate) fn apply(&self, ws: &mut Worksheet, min: f64, max: f64) -> Result<(), XlsxError> {
        for (c, w) in self.0.iter().enumerate() {
            ws.set_column_width(c as u16, (w * 1.1 + 2.0).clamp(min, max))?;
        }
        Ok(())
    }
    /// Sets one column's width from its widest text (`default` when
    /// nothing was written there).
    pub(crate) fn fit(&self, ws: &mut Worksheet, col: u16, default: f64, width: impl Fn(f64) -> f64) -> Result<(), XlsxError> {
        ws.set_column_width(col, self.0.get(col as usize).map_or(default, |&x| width(x)))?;
        Ok(())
    }
}

/// Digits a number shows with its format, for column widths.
pub(crate) fn shown_len(v: f64) -> usize {
    crate::fmt::thousands(v).len() + 3
}

/// Writes a finite number (nothing otherwise); `width` is the width it shows
/// with its format.
pub(crate) fn write_number(
    ws: &mut Worksheet,
    w: &mut Widths,
    row: u32,
    col: u16,
    v: f64,
    f: &Format,
    width: fn(f64) -> usize,
) -> Result<(), XlsxError> {
    if v.is_finite() {
        ws.write_number_with_format(row, col, v, f)?;
        w.see(col, width(v));
    }
    Ok(())
}

/// Writes a string as it is (the caller keeps it under Excel's limit).
pub(crate) fn write_text(ws: &mut Worksheet, w: &mut Widths, row: u32, col: u16, s: &str, f: Option<&Format>) -> Result<(), XlsxError> {
    match f {
        Some(f) => ws.write_string_with_format(row, col, s, f)?,
        None => ws.write_string(row, col, s)?,
    };
    w.see(col, s.chars().count());
    Ok(())
}

/// The first [`MAX_CELL_CHARS`] characters of `s`.
pub(crate) fn clip(s: &str) -> String {
    s.chars().take(MAX_CELL_CHARS).collect()
}

/// A sheet's title in A1.
pub(crate) fn title(ws: &mut Worksheet, s: &str, f: &Formats) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, clip(s), &f.title)?;
    Ok(())
}

pub(crate) fn num(ws: &mut Worksheet, w: &mut Widths, row: u32, col: u16, v: f64, f: &Format) -> Result<(), XlsxError> {
    write_number(ws, w, row, col, v, f, shown_len)
}

/// How a writer puts a string in a cell.
pub(crate) type PutText = fn(&mut Worksheet, &mut Widths, u32, u16, &str, Option<&Format>) -> Result<(), XlsxError>;

pub(crate) fn text(ws: &mut Worksheet, w: &mut Widths, row: u32, col: u16, s: &str, f: Option<&Format>) -> Result<(), XlsxError> {
    write_text(ws, w, row, col, &clip(s), f)
}

pub(crate) fn formula(ws: &mut Worksheet, w: &mut Widths, row: u32, col: u16, f: &str, result: f64, fmt: &Format) -> Result<(), XlsxError> {
    let result = if result.is_finite() { result } else { 0.0 };
    ws.write_formula_with_format(row, col, Formula::new(f).set_result(format!("{result}")), fmt)?;
    w.see(col, shown_len(result));
    Ok(())
}

pub(crate) fn headers(ws: &mut Worksheet, w: &mut Widths, row: u32, names: &[&str], f: &Format) -> Result<(), XlsxError> {
    for (c, h) in names.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, f)?;
        // Headers wrap: count their longest word, not the whole label.
        w.see(c as u16, h.split_whitespace().map(|x| x.chars().count()).max().unwrap_or(0).max(h.chars().count() / 2));
    }
    Ok(())
}

/// A header row (`height` points tall, if given) frozen with the rows
/// above it and the first `cols` columns.
pub(crate) fn frozen_headers(
    ws: &mut Worksheet,
    w: &mut Widths,
    row: u32,
    names: &[&str],
    f: &Formats,
    height: Option<u16>,
    cols: u16,
) -> Result<(), XlsxError> {
    headers(ws, w, row, names, &f.header)?;
    if let Some(h) = height {
        ws.set_row_height(row, h)?;
    }
    ws.set_freeze_panes(row + 1, cols)?;
    Ok(())
}

/// Low, mid and high.
pub(crate) fn ends(r3: Range3) -> [f64; 3] {
    [r3.low, r3.mid, r3.high]
}

pub(crate) fn cell(col: u16, row: u32) -> String {
    format!("{}{}", col_name(col), row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names() {
        assert_eq!(col_name(0), "A");
        assert_eq!(col_name(25), "Z");
        assert_eq!(col_name(26), "AA");
        assert_eq!(col_name(29), "AD");
        assert_eq!(col_name(701), "ZZ");
        assert_eq!(col_name(702), "AAA");
    }
}
