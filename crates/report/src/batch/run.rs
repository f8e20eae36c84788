//! Running a batch: the jurisdictions' plans, computed in parallel chunks
//! (each county's input and needs once for its places) and handed on in
//! order while the next chunk is computed; the workbook and map writer.

use super::{BatchError, BatchWorkbook, MapValue};
use rayon::prelude::*;
use safetygap_core::drivers::Texts;
use safetygap_core::plan::compute_with;
use safetygap_core::{Catalog, HostNeeds, Plan, PlanInput};
use safetygap_data::embedded::{Gazetteer, Jurisdiction};
use safetygap_data::inputs::{host_of, own_plan_input, plan_input, plan_input_with};
use safetygap_data::store::StoredData;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

/// What a batch tells its caller while it runs.
pub trait Progress: Sync {
    /// `n` more jurisdictions are done.
    fn advance(&self, n: u64);
    /// A step worth telling a person watching ("simulating …").
    fn status(&self, message: &str);
    /// Something the user should know about the output (jurisdictions left
    /// off a map, written without a geometry).
    fn warn(&self, message: &str);
}

/// A [`Progress`] that tells nothing.
pub struct Quiet;

impl Progress for Quiet {
    fn advance(&self, _: u64) {}
    fn status(&self, _: &str) {}
    fn warn(&self, _: &str) {}
}

/// What every batch writer runs: the catalog, the jurisdictions in order
/// (GEOID order within each level), the progress and the figure a map
/// shows, if any.
#[derive(Clone, Copy)]
pub struct Job<'a> {
    /// The catalog the plans are computed with.
    pub catalog: &'a Catalog,
    /// The jurisdictions, in the order they are written.
    pub list: &'a [&'a Jurisdiction],
    /// Where they come from.
    pub g: &'a Gazetteer,
    /// Told of each chunk written.
    pub progress: &'a dyn Progress,
    /// The figure a map shows, collected for every jurisdiction.
    pub map_value: Option<MapValue>,
}

/// The figure a map shows, per GEOID.
pub type MapValues = BTreeMap<String, f64>;

/// A plan's entry in the map's values, when a map was asked for and the
/// plan has that figure: every writer records it the same way.
pub(super) fn map_entry(map_value: Option<MapValue>, p: &Plan) -> Option<(String, f64)> {
    Some((p.jurisdiction.id.clone(), map_value?.of(p)?))
}

/// Map figures of a run of plans, in order.
pub(super) type Pairs = Vec<(String, f64)>;

/// One jurisdiction's plan, its input made from the embedded and imported
/// data ([`plan_input`]).
pub fn compute(catalog: &Catalog, g: &Gazetteer, j: &Jurisdiction) -> Result<Plan, BatchError> {
    safetygap_core::compute(catalog, &plan_input(g, j)).map_err(|source| BatchError::Plan { jurisdiction: j.display_name(), source })
}

/// Plans of a batch. A place's plan shares units with its county's, so
/// each county's input and needs are made once, on first use, for all its
/// places (computing the county's plan again for every place was half a
/// batch of every place's CPU time; building its input again, which the
/// place's input hash covers, a fifth of the rest).
pub(super) struct Plans<'a> {
    catalog: &'a Catalog,
    g: &'a Gazetteer,
    data: &'a StoredData,
    /// What the plans say in words: of the batch outputs only JSON Lines
    /// prints the drivers' explanations.
    texts: Texts,
    /// County GEOID → its input and needs (no needs when its plan fails:
    /// the place's plan is then computed whole, which reports the error).
    /// Counties of states already written are let go ([`Plans::written`]):
    /// kept for every county, their inputs were 10 MB of the batch's peak.
    hosts: Mutex<HashMap<&'a str, Arc<Host>>>,
}

/// A county's input and needs, as its places' plans use them.
struct Host {
    input: Box<PlanInput>,
    needs: Option<HostNeeds>,
}

impl<'a> Plans<'a> {
    pub(super) fn new(catalog: &'a Catalog, g: &'a Gazetteer, texts: Texts) -> Plans<'a> {
        Plans { catalog, g, data: safetygap_data::store::default_data(), texts, hosts: Mutex::default() }
    }

    fn hosts(&self) -> MutexGuard<'_, HashMap<&'a str, Arc<Host>>> {
        self.hosts.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A county's input and needs, made on first use.
    fn host(&self, county: &'a Jurisdiction) -> Arc<Host> {
        if let Some(h) = self.hosts().get(county.geoid.as_str()) {
            return Arc::clone(h);
        }
        // Made outside the lock; two threads may both make it (the same).
        let input = Box::new(plan_input_with(self.data, self.g, county));
        let needs = compute_with(self.catalog, &input, None, Texts::Figures).ok().map(|p| HostNeeds::of(&p));
        let h = Arc::new(Host { input, needs });
        Arc::clone(self.hosts().entry(county.geoid.as_str()).or_insert(h))
    }

    /// One jurisdiction's plan: the same as [`compute`] (without the
    /// drivers' texts when `texts` is [`Texts::Figures`]).
    pub(super) fn plan(&self, j: &Jurisdiction) -> Result<Plan, BatchError> {
        let mut input = own_plan_input(self.data, self.g, j);
        let host = host_of(self.g, j).map(|county| self.host(county));
        let mut needs = None;
        if let Some(h) = &host {
            let Some(n) = &h.needs else { return compute(self.catalog, self.g, j) };
            input.host = Some(h.input.clone());
            needs = Some(n);
        }
        compute_with(self.catalog, &input, needs, self.texts).map_err(|source| BatchError::Plan { jurisdiction: j.display_name(), source })
    }

    /// After `chunk` is written: lets go of the counties of the states
    /// before its last jurisdiction's. Batches run in GEOID order, and a
    /// place's GEOID starts with its state's FIPS code, as its county's
    /// does, so no later place needs them (one that did would make its
    /// county again: slower, not different).
    pub(super) fn written(&self, chunk: &[&Jurisdiction]) {
        let Some(state) = chunk.last().and_then(|j| j.geoid.get(..2)) else { return };
        self.hosts().retain(|county, _| county.get(..2).is_none_or(|s| s >= state));
    }
}

/// Jurisdictions computed at once while the previous chunk is written: small
/// enough that plans and text in flight stay a few megabytes (every county
/// and place to CSV: 81-87 MB peak in all, of which about 62 MB is the
/// process with its gazetteer; 90-99 MB with 256, 132 MB with 1,024), large
/// enough to keep every core busy.
pub(super) const CHUNK: usize = 128;

/// Plans rendered one after another into one buffer by one worker: enough
/// to make a task worth scheduling, few enough to spread a chunk over the
/// cores.
const RUN: usize = 16;

/// Runs `produce` over `list` in chunks of [`CHUNK`] jurisdictions, each
/// chunk in parallel in runs of [`RUN`], and hands each chunk's results in
/// order to `consume` while the next chunk is produced.
pub(super) fn pipeline<'j, T: Send>(
    list: &'j [&'j Jurisdiction],
    produce: impl Fn(&[&Jurisdiction]) -> Result<T, BatchError> + Sync,
    mut consume: impl FnMut(Vec<T>, &'j [&'j Jurisdiction]) -> Result<(), BatchError> + Send,
) -> Result<(), BatchError> {
    let make = |c: &[&Jurisdiction]| -> Result<Vec<T>, BatchError> { c.par_chunks(RUN).map(&produce).collect() };
    let mut chunks = list.chunks(CHUNK);
    if let Some(first) = chunks.next() {
        let mut pending = (make(first)?, first);
        for next in chunks {
            let (made, written) = rayon::join(|| make(next), || consume(std::mem::take(&mut pending.0), pending.1));
            written?;
            pending = (made?, next);
        }
        consume(pending.0, pending.1)?;
    }
    Ok(())
}

/// Adds every plan of `job` to the workbook `book` (if any) and collects
/// the map figures: plans are computed a chunk at a time (in parallel,
/// while the previous chunk is written) and dropped once written, so
/// memory stays flat however many jurisdictions there are. The caller
/// saves the workbook.
pub fn workbook_and_map(job: &Job, mut book: Option<&mut BatchWorkbook>) -> Result<MapValues, BatchError> {
    let Job { catalog, list, g, progress, map_value } = *job;
    // The workbook and the map print figures, none of the drivers' texts.
    let plans = Plans::new(catalog, g, Texts::Figures);
    let mut values = MapValues::new();
    pipeline(
        list,
        |run| run.iter().map(|j| plans.plan(j)).collect::<Result<Vec<Plan>, BatchError>>(),
        |runs, chunk| {
            for (p, j) in runs.into_iter().flatten().zip(chunk) {
                if let Some(b) = book.as_deref_mut() {
                    b.add(&p, j.state_abbr.as_deref())?;
                }
                values.extend(map_entry(map_value, &p));
            }
            plans.written(chunk);
            progress.advance(chunk.len() as u64);
            Ok(())
        },
    )?;
    Ok(values)
}
