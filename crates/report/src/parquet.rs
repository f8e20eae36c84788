//! Parquet (`batch --out FILE.parquet`, Cargo feature `parquet`): the CSV's
//! table — one row per program line, subtotal and total of every
//! jurisdiction, the same columns (see [`crate::csv_out`] and docs/CSV.md) —
//! typed and compressed. Text columns are UTF-8 strings (dictionary-encoded:
//! names, programs and flags repeat), figures are `DOUBLE` at full
//! precision (the CSV rounds them to cents), `cost_year` and
//! `quality_grade` are `INT32`; a field the CSV leaves empty is null. Pages
//! are compressed with Zstandard.
//!
//! Rows are buffered and written as a row group every [`ROW_GROUP`] rows, so
//! memory stays flat however many jurisdictions a batch has.

use crate::csv_out::{program_row, subtotal_row, Field};
use parquet::basic::{Compression, ZstdLevel};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use safetygap_core::plan::Plan;
use std::io::Write;
use std::sync::Arc;

/// Rows per row group (about a thousand jurisdictions).
pub const ROW_GROUP: usize = 32 * 1024;

/// The Parquet schema, column for column the CSV's header.
pub const SCHEMA: &str = "message safetygap_plan_rows {
  required binary jurisdiction_id (STRING);
  required binary jurisdiction_name (STRING);
  required binary row_kind (STRING);
  optional binary gap_area (STRING);
  optional binary program_id (STRING);
  optional binary program_name (STRING);
  optional binary unit (STRING);
  optional binary evidence (STRING);
  optional binary cost_evidence (STRING);
  optional double need_low;
  optional double need_mid;
  optional double need_high;
  optional double need_whole;
  optional double existing;
  optional double gap_low;
  optional double gap_mid;
  optional double gap_high;
  optional double coverage;
  required double annual_cost_low;
  required double annual_cost_mid;
  required double annual_cost_high;
  required double startup_cost_low;
  required double startup_cost_mid;
  required double startup_cost_high;
  optional int32 cost_year;
  optional binary assumptions (STRING);
  required binary catalog_version (STRING);
  required int32 quality_grade;
  optional binary quality_flags (STRING);
  optional binary grade (STRING);
  optional binary payers (STRING);
}";

/// One column's buffered values: optional ones keep their definition levels.
enum Col {
    Text(Vec<ByteArray>, Vec<i16>),
    Num(Vec<f64>, Vec<i16>),
    Int(Vec<i32>, Vec<i16>),
}

impl Col {
    fn text(&mut self, v: Option<&str>) {
        if let Col::Text(vals, defs) = self {
            defs.push(i16::from(v.is_some()));
            if let Some(v) = v {
                vals.push(ByteArray::from(v.as_bytes().to_vec()));
            }
        }
    }
    fn num(&mut self, v: Option<f64>) {
        if let Col::Num(vals, defs) = self {
            defs.push(i16::from(v.is_some()));
            vals.extend(v);
        }
    }
    fn int(&mut self, v: Option<i32>) {
        if let Col::Int(vals, defs) = self {
            defs.push(i16::from(v.is_some()));
            vals.extend(v);
        }
    }
}

/// A Parquet file being written.
pub struct ParquetTable<W: Write + Send> {
    writer: SerializedFileWriter<W>,
    cols: Vec<Col>,
    required: Vec<bool>,
    rows: usize,
    total_rows: usize,
}

/// Errors come from the parquet crate.
pub type Error = parquet::errors::ParquetError;

impl<W: Write + Send> ParquetTable<W> {
    /// Starts a file. `metadata` goes into the footer's key-value metadata
    /// (title, sources, generator).
    pub fn new(out: W, metadata: Vec<(String, String)>) -> Result<Self, Error> {
        let schema = Arc::new(parse_message_type(SCHEMA)?);
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::try_new(3)?))
            .set_created_by(format!("safetygap {}", env!("CARGO_PKG_VERSION")))
            .set_key_value_metadata(Some(metadata.into_iter().map(|(k, v)| KeyValue::new(k, v)).collect()))
            .build();
        let mut cols = Vec::new();
        let mut required = Vec::new();
        for f in schema.get_fields() {
            let info = f.get_basic_info();
            required.push(info.repetition() == parquet::basic::Repetition::REQUIRED);
            cols.push(match f.get_physical_type() {
                parquet::basic::Type::DOUBLE => Col::Num(Vec::new(), Vec::new()),
                parquet::basic::Type::INT32 => Col::Int(Vec::new(), Vec::new()),
                _ => Col::Text(Vec::new(), Vec::new()),
            });
        }
        Ok(ParquetTable { writer: SerializedFileWriter::new(out, schema, Arc::new(props))?, cols, required, rows: 0, total_rows: 0 })
    }

    /// Rows written or buffered so far.
    pub fn rows(&self) -> usize {
        self.total_rows + self.rows
    }

    /// Appends a plan's rows: its program lines, gap-area subtotals and total.
    pub fn add(&mut self, p: &Plan) -> Result<(), Error> {
        for l in &p.programs {
            self.push(&program_row(p, l));
        }
        for a in &p.gap_areas {
            self.push(&subtotal_row(p, "subtotal", Some(a.gap_area.as_str()), &a.totals));
        }
        self.push(&subtotal_row(p, "total", None, &p.totals));
        if self.rows >= ROW_GROUP {
            self.flush()?;
        }
        Ok(())
    }

    /// Buffers one row of the CSV's layout.
    fn push(&mut self, row: &[Field<'_>]) {
        for (col, f) in self.cols.iter_mut().zip(row) {
            match *f {
                Field::Text(t) => col.text(t),
                Field::Num(v) | Field::Share(v) => col.num(v),
                Field::Int(v) => col.int(v),
                Field::List(l) => col.text((!l.is_empty()).then(|| l.join("; ")).as_deref()),
                Field::Flags(fl) => {
                    col.text((!fl.is_empty()).then(|| fl.iter().map(|f| f.detail.as_str()).collect::<Vec<_>>().join("; ")).as_deref())
                }
                Field::Payers(b) => col.text(
                    (!b.is_empty())
                        .then(|| {
                            let mut s = String::new();
                            crate::csv_out::push_payers(&mut s, b);
                            s
                        })
                        .as_deref(),
                ),
            }
        }
        self.rows += 1;
    }

    /// Writes the buffered rows as one row group.
    fn flush(&mut self) -> Result<(), Error> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut rg = self.writer.next_row_group()?;
        for (col, &req) in self.cols.iter_mut().zip(&self.required) {
            let mut w = rg.next_column()?.ok_or_else(|| parquet::errors::ParquetError::General("schema has fewer columns".into()))?;
            match col {
                Col::Text(v, d) => {
                    w.typed::<ByteArrayType>().write_batch(v, (!req).then_some(d.as_slice()), None)?;
                    v.clear();
                    d.clear();
                }
                Col::Num(v, d) => {
                    w.typed::<DoubleType>().write_batch(v, (!req).then_some(d.as_slice()), None)?;
                    v.clear();
                    d.clear();
                }
                Col::Int(v, d) => {
                    w.typed::<Int32Type>().write_batch(v, (!req).then_some(d.as_slice()), None)?;
                    v.clear();
                    d.clear();
                }
            }
            w.close()?;
        }
        rg.close()?;
        self.total_rows += self.rows;
        self.rows = 0;
        Ok(())
    }

    /// Writes the last row group and the footer; returns the rows written.
    pub fn finish(mut self) -> Result<usize, Error> {
        self.flush()?;
        self.writer.close()?;
        Ok(self.total_rows)
    }
}
