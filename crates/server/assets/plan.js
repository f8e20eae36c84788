// Computing: opening a scenario, recomputing its plan after edits, the
// address bar's link, and the charts.

import { $ } from './dom.js';
import { parseNum } from './format.js';
import { api } from './api.js';
import { state } from './state.js';
import { setStatus, clearError, showError } from './status.js';
import { toHash, clean } from './link.js';
import { announce, build, update } from './views.js';

export function shareUrl() {
  return location.origin + location.pathname + toHash(state.scenario);
}

export function writeHash() {
  const h = toHash(state.scenario);
  state.lastHash = h;
  if (location.hash !== h) history.replaceState(null, '', h);
  $('share-url').value = shareUrl();
}

// ------------------------------------------------------------ computing

/** Sets the option controls from the scenario (a saved plan or link without them: the defaults). */
export function showOptions() {
  const s = state.scenario;
  $('tier').value = s.tier || 'standard';
  const dy = $('dollar-year');
  if (s.dollar_year !== undefined && ![...dy.options].some((o) => o.value === String(s.dollar_year))) {
    dy.append(new Option(String(s.dollar_year), String(s.dollar_year)));
  }
  dy.value = s.dollar_year !== undefined ? String(s.dollar_year) : '';
  const payer = $('payer');
  if (s.payer && ![...payer.options].some((o) => o.value === s.payer)) payer.append(new Option(s.payer, s.payer));
  payer.value = s.payer || '';
  $('inv-defaults').checked = s.inventory_defaults === 'state';
  // State defaults need a named place.
  $('inv-defaults').disabled = !s.geoid;
  $('simulate').checked = !!s.simulate;
}

export async function open(scenario, opts) {
  state.scenario = Object.assign({ drivers: {}, inventory: {} }, scenario);
  state.builtKey = '';
  showOptions();
  $('catalog-text').value = state.scenario.catalog || '';
  writeHash();
  await recompute(Object.assign({ focus: true }, opts));
}

function structureKey(plan) {
  return [plan.jurisdiction.id, plan.catalog_version.split('+')[0], plan.programs.map((p) => p.id).join(','), plan.drivers.map((d) => d.id).join(',')].join('|');
}

export async function recompute(opts) {
  if (!state.scenario) return;
  const seq = ++state.seq;
  setStatus('Computing the plan…');
  $('plan').setAttribute('aria-busy', 'true');
  try {
    const plan = await api('POST', '/api/plan', clean(state.scenario));
    if (seq !== state.seq) return;
    clearError();
    // A share link or saved plan from an earlier release names a place by
    // GeoNames id (GN…): say what it opens now, and keep the Census id.
    let notice = '';
    const asked = state.scenario.geoid;
    if (asked && /^gn\d+$/i.test(asked) && plan.jurisdiction.id !== asked) {
      try { notice = (await api('GET', '/api/jurisdictions/' + encodeURIComponent(asked))).notice || ''; } catch (e) { notice = ''; }
      if (seq !== state.seq) return;
      state.scenario.geoid = plan.jurisdiction.id;
      writeHash();
    }
    state.plan = plan;
    const key = structureKey(plan);
    if (key !== state.builtKey) {
      await loadPlace(plan);
      if (seq !== state.seq) return;
      build(plan);
      state.builtKey = key;
    }
    update(plan);
    setStatus(notice);
    announce(plan);
    refreshCharts();
    if (opts && opts.focus) $('plan-title').focus();
  } catch (e) {
    if (seq === state.seq) showError(e);
  } finally {
    if (seq === state.seq) $('plan').setAttribute('aria-busy', 'false');
  }
}

async function loadPlace(plan) {
  const id = plan.jurisdiction.id;
  if (plan.jurisdiction.kind === 'custom') { state.place = null; return; }
  if (state.place && state.place.geoid === id) return;
  try { state.place = await api('GET', '/api/jurisdictions/' + encodeURIComponent(id)); } catch (e) { state.place = null; }
}

// ------------------------------------------------------------ edits

let editTimer = null;
const pending = new Map();

export function edited(input, kind, id) {
  const v = parseNum(input.value);
  if (Number.isNaN(v) || (v !== null && v < 0)) {
    input.setAttribute('aria-invalid', 'true');
    setStatus('“' + input.value + '” is not a number of 0 or more.');
    pending.delete(kind + ':' + id);
    return;
  }
  input.removeAttribute('aria-invalid');
  pending.set(kind + ':' + id, { kind, id, v });
  clearTimeout(editTimer);
  editTimer = setTimeout(flush, 350);
}

export function flush() {
  clearTimeout(editTimer);
  if (!pending.size) return;
  const s = state.scenario;
  for (const { kind, id, v } of pending.values()) {
    if (kind === 'inventory') {
      // With state defaults a typed 0 is a count (none exist), not "use the default".
      if (v === null || (v === 0 && !s.inventory_defaults)) delete s.inventory[id]; else s.inventory[id] = v;
    } else if (id === 'population') {
      if (v === null && s.geoid) delete s.population; else if (v !== null) s.population = v;
      delete s.drivers.population;
    } else if (v === null) {
      delete s.drivers[id];
    } else {
      s.drivers[id] = v;
    }
  }
  pending.clear();
  writeHash();
  recompute();
}

export function resetDriver(id) {
  if (id === 'population') delete state.scenario.population; else delete state.scenario.drivers[id];
  const r = state.driverRows.get(id);
  if (r) r.input.value = '';
  writeHash();
  recompute();
}

// ------------------------------------------------------------ charts

async function chart(name, img, alt) {
  const s = clean(state.scenario);
  delete s.simulate;
  const res = await api('POST', '/api/charts/' + name, s, { raw: true });
  const blob = await res.blob();
  return { img, url: URL.createObjectURL(blob), alt };
}

export async function refreshCharts() {
  const seq = ++state.chartSeq;
  const plan = state.plan;
  const n = plan.programs.filter((p) => p.kind === 'benchmark' && p.need.mid > 0).length;
  try {
    const done = await Promise.all([
      chart('need-vs-existing', $('chart-need'), 'Bar chart of what exists against need for ' + n + ' programs in ' + plan.jurisdiction.name + ', as a share of need. The tables below give the same figures.'),
      chart('cost-by-area', $('chart-area'), 'Bar chart of the annual cost to close the gap in each of the four gap areas in ' + plan.jurisdiction.name + '. The subtotals in the tables below give the same figures.'),
    ]);
    if (seq !== state.chartSeq) { for (const d of done) URL.revokeObjectURL(d.url); return; }
    for (const d of done) {
      const old = state.urls[d.img.id];
      d.img.alt = d.alt;
      d.img.src = d.url;
      state.urls[d.img.id] = d.url;
      if (old) setTimeout(() => URL.revokeObjectURL(old), 1000);
    }
  } catch (e) {
    /* Charts are a view of the tables; an error here is shown by the plan request. */
  }
}
