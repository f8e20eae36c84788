//! Incident-level open data (a city's shootings or crimes file): distinct
//! incidents per year, streamed in bounded memory on every core.
//!
//! A file has one row per incident, or (like NYPD's shootings file) one row
//! per victim × suspect pair, so incidents are counted by their distinct key
//! within each year. Columns are found from the header (date, incident key,
//! a fatal/murder flag or an offense type) or named with [`Mapping`].
//!
//! Reading: one thread reads 8 MiB blocks and cuts each after the last line
//! break outside quotes; worker threads (one per core) parse the blocks
//! and keep, per year, the set of incident keys (64-bit: the number itself
//! for numeric keys, else a hash) and whether any row of the incident was a
//! homicide. Memory is bounded by the number of distinct incidents, not by
//! the file's size: at most a few blocks are in flight.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Read;
use std::path::Path;
use std::sync::mpsc;

/// Which column holds what (0-based indexes into the header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// The date the incident occurred.
    pub date: usize,
    /// The incident's key (one incident may span several rows).
    pub key: usize,
    /// How homicides are recognised, if at all.
    pub fatal: Fatal,
}

/// How a row says the incident was a homicide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fatal {
    /// A true/false (Y/N, 1/0) flag column: rows flagged true are homicides,
    /// the others non-fatal (a shootings file).
    Flag(usize),
    /// An offense-type column: values naming murder or homicide are
    /// homicides; the file is not only shootings, so no non-fatal count.
    Offense(usize),
    /// Nothing: only incidents are counted.
    None,
}

/// Column names given by the user (`--map date=OCCUR_DATE,key=INCIDENT_KEY,fatal=STATISTICAL_MURDER_FLAG`);
/// anything left `None` is detected from the header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapping {
    /// Date column name.
    pub date: Option<String>,
    /// Incident key column name.
    pub key: Option<String>,
    /// Fatal-flag column name.
    pub fatal: Option<String>,
    /// Offense-type column name.
    pub offense: Option<String>,
}

impl Mapping {
    /// Parses `date=COL,key=COL,fatal=COL,offense=COL` (any subset).
    pub fn parse(s: &str) -> Result<Mapping, String> {
        let mut m = Mapping::default();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').ok_or_else(|| format!("`{part}` is not ROLE=COLUMN (e.g. date=OCCUR_DATE)"))?;
            let v = Some(v.trim().to_string());
            match k.trim() {
                "date" => m.date = v,
                "key" => m.key = v,
                "fatal" => m.fatal = v,
                "offense" => m.offense = v,
                other => return Err(format!("unknown role `{other}`: use date, key, fatal or offense")),
            }
        }
        Ok(m)
    }
}

/// Counts for one year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct YearCount {
    /// Distinct incidents.
    pub incidents: u64,
    /// Distinct incidents with a homicide (`None` without a fatal column).
    pub homicides: Option<u64>,
    /// The latest month (1-12) with an incident, to tell a complete year.
    pub last_month: u8,
}

/// What a file holds.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentCounts {
    /// The header's column names.
    pub header: Vec<String>,
    /// The columns used.
    pub columns: Columns,
    /// Per year.
    pub years: BTreeMap<u16, YearCount>,
    /// Data rows read.
    pub rows: u64,
    /// Earliest and latest date, as `YYYY-MM-DD`.
    pub first: String,
    /// Latest date.
    pub last: String,
    /// True when the file is a shootings file (a fatal flag column), so the
    /// non-fatal incidents are non-fatal shootings.
    pub shootings: bool,
    /// SHA-256 of the file's bytes (hex).
    pub sha256: String,
}

/// Why an incident file cannot be used. Every message names the file and,
/// where there is one, the line.
#[derive(Debug)]
pub enum IncidentError {
    /// The file could not be read.
    Io(String, std::io::Error),
    /// Empty, binary or otherwise not a CSV file.
    NotCsv(String, String),
    /// A column could not be found.
    Column(String, String),
    /// A bad row.
    Row {
        /// File.
        file: String,
        /// 1-based line as an editor numbers it.
        line: u64,
        /// What is wrong and how to fix it.
        problem: String,
    },
}

impl fmt::Display for IncidentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IncidentError::Io(file, e) => write!(f, "{file}: the file could not be read ({e}); check the path"),
            IncidentError::NotCsv(file, why) => write!(f, "{file}: not an incident CSV file: {why}"),
            IncidentError::Column(file, why) => write!(f, "{file} line 1: {why}"),
            IncidentError::Row { file, line, problem } => write!(f, "{file}:{line}: {problem}"),
        }
    }
}

impl std::error::Error for IncidentError {}

fn norm(h: &str) -> String {
    h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase().replace([' ', '-'], "_")
}

/// Finds the columns from the header and the user's mapping.
pub fn detect(file: &str, header: &[String], map: &Mapping) -> Result<Columns, IncidentError> {
    let names: Vec<String> = header.iter().map(|h| norm(h)).collect();
    let find_named = |role: &str, name: &str| -> Result<usize, IncidentError> {
        names.iter().position(|n| *n == norm(name)).ok_or_else(|| {
            IncidentError::Column(file.into(), format!("--map {role}={name}: no such column; the header reads {}", header.join(",")))
        })
    };
    let guess = |cands: &[&str]| cands.iter().find_map(|c| names.iter().position(|n| n == c));
    let date = match &map.date {
        Some(n) => find_named("date", n)?,
        None => guess(&["occur_date", "occurred_date", "incident_date", "date", "date_occurred", "occurred_on", "cmplnt_fr_dt", "offense_date", "reported_date"])
            .ok_or_else(|| IncidentError::Column(file.into(), format!("no date column found (looked for OCCUR_DATE, Date, incident_date, ...); the header reads {}; name it with --map date=COLUMN", header.join(","))))?,
    };
    let key = match &map.key {
        Some(n) => find_named("key", n)?,
        None => guess(&["incident_key", "incident_id", "incident_number", "case_number", "cmplnt_num", "id", "incident_num", "event_id"])
            .ok_or_else(|| IncidentError::Column(file.into(), format!("no incident key column found (looked for INCIDENT_KEY, incident_id, Case Number, ID, ...); the header reads {}; name it with --map key=COLUMN", header.join(","))))?,
    };
    let fatal = match (&map.fatal, &map.offense) {
        (Some(n), _) => Fatal::Flag(find_named("fatal", n)?),
        (None, Some(n)) => Fatal::Offense(find_named("offense", n)?),
        (None, None) => match guess(&["statistical_murder_flag", "murder_flag", "fatal", "is_fatal", "victim_died", "homicide"]) {
            Some(i) => Fatal::Flag(i),
            None => {
                match guess(&["ofns_desc", "primary_type", "offense", "offense_type", "crime_type", "offense_description", "ucr_category"])
                {
                    Some(i) => Fatal::Offense(i),
                    None => Fatal::None,
                }
            }
        },
    };
    if date == key {
        return Err(IncidentError::Column(file.into(), "the date and key columns are the same column; check --map".into()));
    }
    Ok(Columns { date, key, fatal })
}

/// Parses `MM/DD/YYYY` (optionally followed by a time) or `YYYY-MM-DD...`
/// into (year, month, day).
fn parse_date(b: &[u8]) -> Option<(u16, u8, u8)> {
    let b = trim(b);
    let num = |s: &[u8]| -> Option<u32> {
        if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(s.iter().fold(0u32, |a, &d| a * 10 + u32::from(d - b'0')))
    };
    let (y, m, d) = if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        (num(&b[0..4])?, num(&b[5..7])?, num(&b[8..10])?)
    } else {
        let end = b.iter().position(|&c| c == b' ' || c == b'T').unwrap_or(b.len());
        let mut it = b[..end].split(|&c| c == b'/');
        let m = num(it.next()?)?;
        let d = num(it.next()?)?;
        let y = num(it.next()?)?;
        if it.next().is_some() {
            return None;
        }
        (y, m, d)
    };
    ((1900..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y as u16, m as u8, d as u8))
}

fn trim(b: &[u8]) -> &[u8] {
    let s = b.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(b.len());
    let e = b.iter().rposition(|c| !c.is_ascii_whitespace()).map_or(s, |e| e + 1);
    &b[s..e]
}

fn parse_flag(b: &[u8]) -> Option<bool> {
    match trim(b).to_ascii_lowercase().as_slice() {
        b"true" | b"t" | b"y" | b"yes" | b"1" => Some(true),
        b"false" | b"f" | b"n" | b"no" | b"0" => Some(false),
        _ => None,
    }
}

fn is_homicide_offense(b: &[u8]) -> bool {
    let s = b.to_ascii_lowercase();
    s.windows(6).any(|w| w == b"murder") || s.windows(8).any(|w| w == b"homicide")
}

/// 64-bit key: the number itself when the key is all digits (and fits),
/// else an FNV-1a hash of the bytes.
fn key_of(b: &[u8]) -> u64 {
    let b = trim(b);
    if !b.is_empty() && b.len() <= 19 && b.iter().all(u8::is_ascii_digit) {
        return b.iter().fold(0u64, |a, &d| a * 10 + u64::from(d - b'0'));
    }
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in b {
        h ^= u64::from(c);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h | (1 << 63)
}

/// A multiply-shift hasher for u64 keys (keys are numbers or already hashed).
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (n ^ (n >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        self.0 ^= self.0 >> 32;
    }
    fn write_u16(&mut self, n: u16) {
        self.write_u64(u64::from(n));
    }
}

type KeyMap = HashMap<u64, bool, BuildHasherDefault<KeyHasher>>;

#[derive(Default)]
struct Partial {
    years: HashMap<u16, (KeyMap, u8)>,
    rows: u64,
    first: Option<(u16, u8, u8)>,
    last: Option<(u16, u8, u8)>,
}

impl Partial {
    fn merge(&mut self, o: Partial) {
        self.rows += o.rows;
        self.first = match (self.first, o.first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last = self.last.max(o.last);
        for (y, (keys, m)) in o.years {
            let e = self.years.entry(y).or_default();
            e.1 = e.1.max(m);
            if e.0.len() < keys.len() {
                let small = std::mem::replace(&mut e.0, keys);
                for (k, f) in small {
                    *e.0.entry(k).or_insert(false) |= f;
                }
            } else {
                for (k, f) in keys {
                    *e.0.entry(k).or_insert(false) |= f;
                }
            }
        }
    }
}

/// One block of whole records, with the line number of its first line.
struct Block {
    bytes: Vec<u8>,
    first_line: u64,
}

fn parse_block(file: &str, b: &Block, cols: &Columns, width: usize) -> Result<Partial, IncidentError> {
    let mut p = Partial::default();
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(b.bytes.as_slice());
    let mut rec = csv::ByteRecord::new();
    loop {
        let more = rdr.read_byte_record(&mut rec).map_err(|e| IncidentError::Row {
            file: file.into(),
            line: b.first_line + e.position().map_or(0, |p| p.line().saturating_sub(1)),
            problem: format!("unreadable CSV ({e})"),
        })?;
        if !more {
            break;
        }
        let line = b.first_line + rec.position().map_or(0, |p| p.line().saturating_sub(1));
        if rec.len() == 1 && rec.get(0).is_some_and(|f| trim(f).is_empty()) {
            continue; // blank line
        }
        let bad = |problem: String| IncidentError::Row { file: file.into(), line, problem };
        if rec.len() != width {
            return Err(bad(format!(
                "{} fields where the header has {width}: the row is cut short or has an unquoted comma (a truncated file ends like this); fix or remove the line",
                rec.len()
            )));
        }
        let date = rec.get(cols.date).unwrap_or_default();
        let (y, m, d) = parse_date(date).ok_or_else(|| {
            bad(format!(
                "the date \"{}\" is not MM/DD/YYYY or YYYY-MM-DD; fix the cell or name the right column with --map date=COLUMN",
                String::from_utf8_lossy(date)
            ))
        })?;
        let key = rec.get(cols.key).unwrap_or_default();
        if trim(key).is_empty() {
            return Err(bad("the incident key is empty; every row needs its incident's key".into()));
        }
        let fatal = match cols.fatal {
            Fatal::Flag(i) => {
                let v = rec.get(i).unwrap_or_default();
                parse_flag(v)
                    .ok_or_else(|| bad(format!("the fatal flag \"{}\" is not true/false (Y/N, 1/0)", String::from_utf8_lossy(v))))?
            }
            Fatal::Offense(i) => is_homicide_offense(rec.get(i).unwrap_or_default()),
            Fatal::None => false,
        };
        p.rows += 1;
        let dt = Some((y, m, d));
        p.first = match p.first {
            Some(f) => Some(f.min((y, m, d))),
            None => dt,
        };
        p.last = p.last.max(dt);
        let e = p.years.entry(y).or_default();
        e.1 = e.1.max(m);
        *e.0.entry(key_of(key)).or_insert(false) |= fatal;
    }
    Ok(p)
}

const BLOCK: usize = 8 << 20;

/// Counts distinct incidents per year in the file at `path`, streaming it.
/// `threads` parsers run beside the reader (0 = one per core).
pub fn count_path(path: &Path, map: &Mapping, threads: usize) -> Result<IncidentCounts, IncidentError> {
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let f = std::fs::File::open(path).map_err(|e| IncidentError::Io(name.clone(), e))?;
    count_reader(&name, f, map, threads)
}

/// As [`count_path`], from any reader.
pub fn count_reader(file: &str, mut r: impl Read, map: &Mapping, threads: usize) -> Result<IncidentCounts, IncidentError> {
    use sha2::Digest;
    let io = |e| IncidentError::Io(file.to_string(), e);
    let mut sha = sha2::Sha256::new();
    // The header: the first line (header names never hold line breaks here).
    let mut buf: Vec<u8> = Vec::with_capacity(BLOCK);
    let mut eof = false;
    let header_end = loop {
        if let Some(i) = memchr::memchr(b'\n', &buf) {
            break i + 1;
        }
        if eof {
            break buf.len();
        }
        let before = buf.len();
        let n = read_more(&mut r, &mut buf).map_err(io)?;
        sha.update(&buf[before..]);
        eof = n == 0;
        if buf.len() > (1 << 20) && memchr::memchr(b'\n', &buf).is_none() {
            return Err(IncidentError::NotCsv(file.into(), "the first megabyte holds no line break".into()));
        }
    };
    if buf.iter().all(u8::is_ascii_whitespace) {
        return Err(IncidentError::NotCsv(file.into(), "the file is empty".into()));
    }
    let sniff = &buf[..buf.len().min(4096)];
    if sniff.contains(&0) || sniff.starts_with(b"PK\x03\x04") || sniff.starts_with(b"%PDF") {
        return Err(IncidentError::NotCsv(
            file.into(),
            "it holds binary data (a spreadsheet workbook, archive or PDF?); export the sheet as CSV".into(),
        ));
    }
    let header: Vec<String> = {
        let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(&buf[..header_end]);
        let rec = rdr
            .records()
            .next()
            .and_then(Result::ok)
            .ok_or_else(|| IncidentError::NotCsv(file.into(), "the first line is not CSV text".into()))?;
        rec.iter().map(str::to_string).collect()
    };
    let cols = detect(file, &header, map)?;
    let width = header.len();
    buf.drain(..header_end);

    let workers = if threads == 0 { std::thread::available_parallelism().map_or(2, |n| n.get()) } else { threads };
    let result: Result<Partial, IncidentError> = std::thread::scope(|s| {
        let (tx, rx) = mpsc::sync_channel::<Block>(workers * 2);
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let rx = rx.clone();
                let cols = &cols;
                s.spawn(move || -> Result<Partial, IncidentError> {
                    let mut acc = Partial::default();
                    loop {
                        let next = rx.lock().map_err(|_| IncidentError::NotCsv(file.into(), "internal: a worker failed".into()))?.recv();
                        let Ok(block) = next else { break };
                        acc.merge(parse_block(file, &block, cols, width)?);
                    }
                    Ok(acc)
                })
            })
            .collect();
        // Reader: cut blocks after the last line break outside quotes.
        let mut line = 2u64;
        let mut in_quotes = false;
        let mut scanned = 0usize; // bytes of buf whose quote state is known
        let mut last_cut = None::<usize>;
        let send_err = || IncidentError::NotCsv(file.into(), "a parser stopped early".into());
        let mut read_err = None;
        loop {
            // Scan the new bytes for quotes and line breaks.
            let mut i = scanned;
            while let Some(j) = memchr::memchr2(b'"', b'\n', &buf[i..]) {
                let at = i + j;
                if buf[at] == b'"' {
                    in_quotes = !in_quotes;
                } else if !in_quotes {
                    last_cut = Some(at + 1);
                }
                i = at + 1;
            }
            scanned = buf.len();
            if buf.len() >= BLOCK || eof {
                let cut = if eof { buf.len() } else { last_cut.unwrap_or(0) };
                if cut > 0 {
                    let rest = buf.split_off(cut);
                    let bytes = std::mem::replace(&mut buf, rest);
                    let lines = memchr::memchr_iter(b'\n', &bytes).count() as u64;
                    if tx.send(Block { bytes, first_line: line }).is_err() {
                        break;
                    }
                    line += lines;
                    last_cut = None;
                    // Re-scan the remainder's quote state from a record start.
                    in_quotes = false;
                    let mut k = 0;
                    while let Some(j) = memchr::memchr2(b'"', b'\n', &buf[k..]) {
                        let at = k + j;
                        if buf[at] == b'"' {
                            in_quotes = !in_quotes;
                        } else if !in_quotes {
                            last_cut = Some(at + 1);
                        }
                        k = at + 1;
                    }
                    scanned = buf.len();
                }
                if eof {
                    break;
                }
            }
            let before = buf.len();
            match read_more(&mut r, &mut buf) {
                Ok(0) => eof = true,
                Ok(_) => sha.update(&buf[before..]),
                Err(e) => {
                    read_err = Some(e);
                    break;
                }
            }
        }
        drop(tx);
        let mut total = Partial::default();
        let mut first_err = read_err.map(io);
        for h in handles {
            match h.join() {
                Ok(Ok(p)) => total.merge(p),
                Ok(Err(e)) => {
                    // Keep the earliest line's error.
                    let earlier = match (&first_err, &e) {
                        (Some(IncidentError::Row { line: a, .. }), IncidentError::Row { line: b, .. }) => b < a,
                        (None, _) => true,
                        _ => false,
                    };
                    if earlier {
                        first_err = Some(e);
                    }
                }
                Err(_) => first_err = first_err.or_else(|| Some(send_err())),
            }
        }
        match first_err {
            Some(e) => Err(e),
            None => Ok(total),
        }
    });
    let total = result?;
    if total.rows == 0 {
        return Err(IncidentError::NotCsv(file.into(), "the header is followed by no rows".into()));
    }
    let shootings = matches!(cols.fatal, Fatal::Flag(_));
    let years = total
        .years
        .into_iter()
        .map(|(y, (keys, m))| {
            let homicides = (!matches!(cols.fatal, Fatal::None)).then(|| keys.values().filter(|&&f| f).count() as u64);
            (y, YearCount { incidents: keys.len() as u64, homicides, last_month: m })
        })
        .collect();
    let fmt = |d: Option<(u16, u8, u8)>| d.map_or(String::new(), |(y, m, d)| format!("{y:04}-{m:02}-{d:02}"));
    let sha256 = sha.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok(IncidentCounts { header, columns: cols, years, rows: total.rows, first: fmt(total.first), last: fmt(total.last), shootings, sha256 })
}

fn read_more(r: &mut impl Read, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let start = buf.len();
    buf.resize(start + (1 << 20), 0);
    loop {
        match r.read(&mut buf[start..]) {
            Ok(n) => {
                buf.truncate(start + n);
                return Ok(n);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                buf.truncate(start);
                return Err(e);
            }
        }
    }
}

mod prepare;
pub use prepare::prepare;

#[cfg(test)]
mod tests;
