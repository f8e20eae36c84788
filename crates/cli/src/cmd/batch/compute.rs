//! Computing a batch's plans: in parallel chunks, each county's needs once
//! for its places, results handed on in order.

use super::*;

/// One jurisdiction's plan.
pub(super) fn compute(catalog: &Catalog, g: &Gazetteer, j: &Jurisdiction) -> Result<Plan> {
    safetygap_core::compute(catalog, &plan_input(g, j)).with_context(|| j.display_name().to_string())
}

/// Plans of a batch. A place's plan shares units with its county's, so
/// each county's needs are computed once, on first use, for all its places
/// (computing the county's plan again for every place was half a batch of
/// every place's CPU time).
pub(super) struct Plans<'a> {
    pub(super) catalog: &'a Catalog,
    pub(super) g: &'a Gazetteer,
    pub(super) data: &'a StoredData,
    /// County GEOID → its needs (`None` when its plan fails: the place's
    /// plan is then computed whole, which reports the error).
    pub(super) hosts: HashMap<&'a str, OnceLock<Option<HostNeeds>>>,
}

impl<'a> Plans<'a> {
    pub(super) fn new(catalog: &'a Catalog, g: &'a Gazetteer) -> Plans<'a> {
        let hosts = g.counties(None).map(|c| (c.geoid.as_str(), OnceLock::new())).collect();
        Plans { catalog, g, data: safetygap_data::store::default_data(), hosts }
    }

    /// One jurisdiction's plan: the same as [`compute`].
    pub(super) fn plan(&self, j: &Jurisdiction) -> Result<Plan> {
        let cell = match j.kind {
            Kind::Place => j.county_geoid.as_deref().and_then(|c| self.hosts.get(c)),
            _ => None,
        };
        let host = cell.map(|cell| {
            cell.get_or_init(|| {
                let county = self.g.get(j.county_geoid.as_deref()?)?;
                let plan = safetygap_core::compute(self.catalog, &plan_input_with(self.data, self.g, county)).ok()?;
                Some(HostNeeds::of(&plan))
            })
        });
        match host {
            Some(None) => compute(self.catalog, self.g, j),
            Some(Some(h)) => self.hosted(j, Some(h)),
            None => self.hosted(j, None),
        }
    }

    pub(super) fn hosted(&self, j: &Jurisdiction, host: Option<&HostNeeds>) -> Result<Plan> {
        let input = plan_input_with(self.data, self.g, j);
        safetygap_core::compute_hosted(self.catalog, &input, host).with_context(|| j.display_name().to_string())
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
    let plans = Plans::new(catalog, g);
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
