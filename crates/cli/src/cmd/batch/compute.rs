//! Computing a batch's plans: in parallel chunks, each county's needs once
//! for its places, results handed on in order.

use super::*;

/// One jurisdiction's plan.
pub(super) fn compute(catalog: &Catalog, g: &Gazetteer, j: &Jurisdiction) -> Result<Plan> {
    safetygap_core::compute(catalog, &plan_input(g, j)).with_context(|| j.display_name().to_string())
}

/// Plans of a batch. A place's plan shares units with its county's, so
/// each county's input and needs are made once, on first use, for all its
/// places (computing the county's plan again for every place was half a
/// batch of every place's CPU time; building its input again, which the
/// place's input hash covers, a fifth of the rest).
pub(super) struct Plans<'a> {
    pub(super) catalog: &'a Catalog,
    pub(super) g: &'a Gazetteer,
    pub(super) data: &'a StoredData,
    /// What the plans say in words: every batch output but CSV and Parquet
    /// prints the drivers' explanations.
    pub(super) texts: Texts,
    /// County GEOID → its input and needs (no needs when its plan fails:
    /// the place's plan is then computed whole, which reports the error).
    /// Counties of states already written are let go ([`Plans::written`]):
    /// kept for every county, their inputs were 10 MB of the batch's peak.
    hosts: Mutex<HashMap<&'a str, Arc<Host>>>,
}

/// A county's input and needs, as its places' plans use them.
pub(super) struct Host {
    input: Box<PlanInput>,
    needs: Option<HostNeeds>,
}

impl<'a> Plans<'a> {
    pub(super) fn new(catalog: &'a Catalog, g: &'a Gazetteer, texts: Texts) -> Plans<'a> {
        Plans { catalog, g, data: safetygap_data::store::default_data(), texts, hosts: Mutex::default() }
    }

    fn hosts(&self) -> std::sync::MutexGuard<'_, HashMap<&'a str, Arc<Host>>> {
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
    pub(super) fn plan(&self, j: &Jurisdiction) -> Result<Plan> {
        let mut input = own_plan_input(self.data, self.g, j);
        let host = host_of(self.g, j).map(|county| self.host(county));
        let mut needs = None;
        if let Some(h) = &host {
            let Some(n) = &h.needs else { return compute(self.catalog, self.g, j) };
            input.host = Some(h.input.clone());
            needs = Some(n);
        }
        compute_with(self.catalog, &input, needs, self.texts).with_context(|| j.display_name().to_string())
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
/// and place to CSV: 85-88 MB peak in all, of which about 62 MB is the
/// process with its gazetteer; 90-99 MB with 256, 132 MB with 1,024), large
/// enough to keep every core busy.
pub(super) const CHUNK: usize = 128;

/// Plans rendered one after another into one buffer by one worker: enough
/// to make a task worth scheduling, few enough to spread a chunk over the
/// cores.
pub(super) const RUN: usize = 16;

/// Runs `produce` over `list` in chunks of `chunk` jurisdictions, each
/// chunk in parallel in runs of [`RUN`], and hands each chunk's results in
/// order to `consume` while the next chunk is produced.
pub(super) fn pipeline<'j, T: Send>(
    list: &'j [&'j Jurisdiction],
    chunk: usize,
    produce: impl Fn(&[&Jurisdiction]) -> Result<T> + Sync,
    mut consume: impl FnMut(Vec<T>, &'j [&'j Jurisdiction]) -> Result<()> + Send,
) -> Result<()> {
    let make = |c: &[&Jurisdiction]| -> Result<Vec<T>> { c.par_chunks(RUN).map(&produce).collect() };
    let mut chunks = list.chunks(chunk);
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

/// Workbook and map: plans are computed a chunk at a time (in parallel,
/// while the previous chunk is written) and dropped once written, so memory
/// stays flat however many jurisdictions there are.
pub(super) fn stream(
    catalog: &Catalog,
    list: &[&Jurisdiction],
    g: &Gazetteer,
    bar: &ProgressBar,
    mut book: Option<(&Path, BatchWorkbook)>,
    map_value: Option<MapValue>,
) -> Result<MapValues> {
    // The workbook and the map print figures, none of the drivers' texts.
    let plans = Plans::new(catalog, g, Texts::Figures);
    let mut values = MapValues::new();
    pipeline(
        list,
        CHUNK,
        |run| run.iter().map(|j| plans.plan(j)).collect::<Result<Vec<Plan>>>(),
        |runs, chunk| {
            for (p, j) in runs.into_iter().flatten().zip(chunk) {
                if let Some((_, b)) = &mut book {
                    b.add(&p, j.state_abbr.as_deref()).context("cannot build the workbook")?;
                }
                if let Some(v) = map_value.and_then(|v| v.of(&p)) {
                    values.insert(p.jurisdiction.id.clone(), v);
                }
            }
            plans.written(chunk);
            bar.inc(chunk.len() as u64);
            Ok(())
        },
    )?;
    if let Some((out, b)) = book {
        let n = b.jurisdictions();
        safetygap_data::atomic::replace_with(out, |tmp| b.save(tmp).map_err(anyhow::Error::new))
            .with_context(|| format!("cannot write the workbook {}", out.display()))?;
        eprintln!("wrote {n} plans to {}", out.display());
    }
    Ok(values)
}
