// The plan view: headline cards, one table per gap area, the figures the plan
// scales with, the map and ranking; built once per structure, updated in place.

import { $, el, fill } from './dom.js';
import { int, count, money, pct, range, interval90, inputNumber } from './format.js';
import { api } from './api.js';
import { state } from './state.js';
import { setStatus, showError } from './status.js';
import { clean } from './link.js';
import { writeHash, edited, flush, resetDriver } from './plan.js';

function population(plan) {
  const d = plan.drivers.find((x) => x.id === 'population');
  return d ? d.value.mid : 0;
}

export function announce(plan) {
  const t = plan.totals;
  $('announce').textContent = 'Plan for ' + plan.jurisdiction.name + ': ' + money(t.annual_cost.mid) +
    ' a year to close the gap, ' + pct(t.coverage) + ' of need met now' +
    (plan.payer_view ? '; ' + money(plan.payer_view.annual_cost.mid) + ' of it on ' + plan.payer_view.name + '’s own budget.' : '.');
}

// ------------------------------------------------------------ building the plan view

export function build(plan) {
  $('plan').hidden = false;
  $('plan-title').textContent = plan.jurisdiction.name;
  buildCards();
  buildAreas(plan);
  buildDrivers(plan);
  buildMap(plan);
  if (!state.saved) $('save-name').value = plan.jurisdiction.name;
  $('update-btn').hidden = !state.saved;
}

function card(id, label) {
  return el('div', { className: 'card' },
    el('p', { className: 'k', text: label }),
    el('p', { className: 'v', id: 'card-' + id }),
    el('p', { className: 's', id: 'card-' + id + '-sub' }));
}

function buildCards() {
  $('headline').replaceChildren(
    card('annual', 'Annual cost to close the gap'),
    card('startup', 'One-off start-up cost'),
    card('resident', 'Per resident, a year'),
    card('coverage', 'Share of need met now'),
    card('payer', 'On one payer’s own budget'));
  $('card-payer').parentElement.hidden = true;
}

const AREA_COLUMNS = ['Need', 'Exists', 'Gap', 'Coverage', 'Annual cost to close'];

function buildAreas(plan) {
  state.rows.clear();
  state.areaRows.clear();
  const box = $('areas');
  box.replaceChildren();
  for (const a of plan.gap_areas) {
    const title = state.gapTitles[a.gap_area] || a.gap_area.replace(/_/g, ' ');
    const hid = 'area-' + a.gap_area;
    const tbody = el('tbody');
    const table = el('table', { className: 'data stack' },
      el('thead', null, el('tr', null, el('th', { scope: 'col', text: 'Program' }),
        ...AREA_COLUMNS.map((c, i) => el('th', { scope: 'col', className: i === 3 ? null : 'n', text: c })))),
      tbody);
    for (const p of plan.programs.filter((x) => x.gap_area === a.gap_area)) tbody.append(...programRow(p));
    const sum = {
      need: el('td', { className: 'n', 'data-label': 'Need cost a year' }),
      exists: el('td', { className: 'n', 'data-label': 'Exists (value a year)' }),
      gap: el('td', { className: 'n empty', 'data-label': 'Gap' }),
      cov: el('td', { 'data-label': 'Coverage' }),
      cost: el('td', { className: 'n wide', 'data-label': 'Annual cost to close' }),
    };
    tbody.append(el('tr', { className: 'sum' }, el('th', { scope: 'row', text: 'Subtotal, ' + title }), sum.need, sum.exists, sum.gap, sum.cov, sum.cost));
    sum.text = el('p', { className: 'area-sum' });
    state.areaRows.set(a.gap_area, sum);
    box.append(el('section', { className: 'area', 'aria-labelledby': hid },
      el('h4', { id: hid }, el('span', { className: 'swatch ' + a.gap_area, 'aria-hidden': 'true' }), title),
      sum.text,
      el('div', { className: 'scroll', role: 'region', 'aria-labelledby': hid, tabindex: '0' }, table)));
  }
}

function programRow(p) {
  const r = {};
  const flag = p.assumptions && p.assumptions.length
    ? el('span', { className: 'flag', title: 'Rests on an assumption' }, ' ⚠', el('span', { className: 'visually-hidden', text: ' (rests on an assumption)' }))
    : null;
  const expId = 'explain-' + p.id;
  r.how = el('button', {
    type: 'button', className: 'link how', text: 'How is this computed?', 'aria-expanded': 'false', 'aria-controls': expId,
    'aria-label': 'How is ' + p.name + ' computed?',
  });
  r.how.addEventListener('click', () => toggleExplain(p.id, r));
  r.head = el('th', { scope: 'row' }, p.name, flag,
    el('span', { className: 'sub', text: (p.kind === 'addon' ? 'share of other programs’ cost' : p.unit) + ' · grade: ' + (p.grade || p.evidence) + (p.grade && p.grade !== p.evidence ? ' (ratio: ' + p.evidence + ')' : '') }),
    r.how);
  r.explainCell = el('td', { colspan: '6', className: 'explain-cell' });
  r.explainRow = el('tr', { className: 'explain', id: expId, hidden: true }, r.explainCell);
  r.need = el('td', { className: 'n', 'data-label': 'Need' });
  r.exists = el('td', { className: 'n', 'data-label': 'Exists' });
  if (p.kind === 'benchmark') {
    r.input = el('input', {
      type: 'text', inputmode: 'decimal', className: 'num', autocomplete: 'off',
      'data-program': p.id, 'aria-label': 'Existing ' + p.unit + ': ' + p.name,
    });
    r.input.addEventListener('input', () => edited(r.input, 'inventory', p.id));
    r.input.addEventListener('change', () => flush());
    r.existsNote = el('span', { className: 'sub' });
    r.exists.append(el('span', { className: 'val' }, r.input, r.existsNote));
  } else {
    r.existsText = el('span');
    r.exists.append(el('span', { className: 'val' }, r.existsText));
  }
  r.gap = el('td', { className: 'n', 'data-label': 'Gap' });
  r.cov = el('td', { 'data-label': 'Coverage' });
  r.cost = el('td', { className: 'n wide', 'data-label': 'Annual cost to close' });
  state.rows.set(p.id, r);
  return [el('tr', null, r.head, r.need, r.exists, r.gap, r.cov, r.cost), r.explainRow];
}

async function showExplain(id, r) {
  try {
    const e = await api('POST', '/api/explain/' + encodeURIComponent(id), clean(state.scenario));
    r.explainCell.replaceChildren(...e.sections.map((sec) => el('div', { className: 'explain-sec' },
      el('p', { className: 'explain-title', text: sec.title }),
      el('ul', null, ...sec.lines.map((line) => el('li', { text: line }))))));
  } catch (err) {
    r.explainCell.replaceChildren(el('p', { text: 'The explanation could not be loaded: ' + err.message }));
  }
}

function toggleExplain(id, r) {
  const open = r.explainRow.hidden;
  r.explainRow.hidden = !open;
  r.how.setAttribute('aria-expanded', String(open));
  r.how.textContent = open ? 'Hide the computation' : 'How is this computed?';
  if (open) {
    r.explainCell.replaceChildren(el('p', { text: 'Loading…' }));
    showExplain(id, r);
  }
}

function buildDrivers(plan) {
  state.driverRows.clear();
  const tbody = $('drivers-table').querySelector('tbody');
  tbody.replaceChildren();
  $('drivers-table').classList.add('stack');
  for (const d of plan.drivers) {
    const r = {};
    r.input = el('input', {
      type: 'text', inputmode: 'decimal', className: 'num', autocomplete: 'off',
      'data-driver': d.id, 'aria-label': d.name + ' (' + d.unit + ')',
    });
    r.input.addEventListener('input', () => edited(r.input, 'drivers', d.id));
    r.input.addEventListener('change', () => flush());
    r.basis = el('td', { className: 'basis wide', 'data-label': 'Source' });
    tbody.append(el('tr', null,
      el('th', { scope: 'row' }, d.name, el('span', { className: 'sub', text: d.unit })),
      el('td', { className: 'n', 'data-label': 'Value' }, el('span', { className: 'val' }, r.input)),
      r.basis));
    state.driverRows.set(d.id, r);
  }
}

function mapTarget(plan) {
  const j = plan.jurisdiction;
  if (j.kind === 'nation') return { fips: 'US', level: 'state', what: 'the states', highlight: '' };
  const p = state.place;
  const fips = j.kind === 'state' ? j.id : j.kind === 'county' ? j.id.slice(0, 2) : p && p.state_fips;
  if (!fips) return null;
  const stateName = j.kind === 'state' ? j.name : (p && p.parents.find((x) => x.kind === 'state') || {}).name || 'its state';
  const county = j.kind === 'county' ? j.id : p && p.parents.find((x) => x.kind === 'county') ? p.parents.find((x) => x.kind === 'county').geoid : '';
  return { fips, level: 'county', what: 'the counties of ' + stateName, highlight: county };
}

function buildMap(plan) {
  const t = mapTarget(plan);
  const section = $('map-h').parentElement;
  section.hidden = !t;
  $('map-figure').hidden = true;
  $('rank-wrap').hidden = true;
  $('map-img').removeAttribute('src');
  if (!t) return;
  $('map-note').textContent = 'Rank ' + t.what + ' by the annual cost to close the gap per resident, from each area’s own data and the shipped benchmarks (your edits above are not applied to them).';
  $('map-btn').textContent = t.level === 'state' ? 'Show the states on a map' : 'Show ' + t.what + ' on a map';
  $('map-btn').hidden = false;
}

export async function showMap() {
  const t = state.plan && mapTarget(state.plan);
  if (!t) return;
  const img = $('map-img');
  const q = new URLSearchParams({ measure: 'gap_per_resident' });
  if (t.highlight) q.set('highlight', t.highlight);
  img.alt = 'Map of ' + t.what + ', coloured by annual cost to close the gap per resident' +
    (t.highlight ? '; ' + (state.place && state.place.parents.find((x) => x.geoid === t.highlight) ? state.place.parents.find((x) => x.geoid === t.highlight).display : state.plan.jurisdiction.name) + ' is outlined' : '') +
    '. The table below ranks them.';
  setStatus('Drawing the map…');
  img.src = '/api/map/' + encodeURIComponent(t.fips) + '?' + q.toString();
  $('map-caption').textContent = 'Annual cost to close the gap per resident; darker is larger. ' +
    (t.highlight ? 'Outlined: this plan’s county.' : '');
  $('map-figure').hidden = false;
  $('map-btn').hidden = true;
  try {
    const r = await api('GET', '/api/compare?' + new URLSearchParams({ level: t.level, state: t.fips === 'US' ? '' : t.fips, sort: 'gap_per_resident', limit: '10' }));
    const tbody = $('rank-table').querySelector('tbody');
    tbody.replaceChildren(...r.rows.map((row) => el('tr', null,
      el('th', { scope: 'row' }, row.rank + '. ', el('a', { href: '#geoid=' + encodeURIComponent(row.geoid), text: row.name })),
      el('td', { className: 'n', 'data-label': 'Population', text: int.format(row.population) }),
      el('td', { className: 'n', 'data-label': 'Gap a year', text: money(row.annual_gap_cost.mid) }),
      el('td', { className: 'n', 'data-label': 'Per resident', text: money(row.gap_per_resident) }),
      el('td', { className: 'n', 'data-label': 'Coverage', text: pct(row.coverage) }))));
    $('rank-caption').textContent = 'Largest gap per resident among ' + t.what + ' (top ' + r.rows.length + ' of ' + r.total + ')';
    $('rank-table').classList.add('stack');
    $('rank-wrap').hidden = false;
    setStatus('');
  } catch (e) {
    showError(e);
  }
}

// ------------------------------------------------------------ updating figures in place

function setInput(input, value) {
  if (document.activeElement === input) return;
  input.value = value;
}

export function update(plan) {
  const j = plan.jurisdiction;
  const pop = population(plan);
  $('plan-title').textContent = j.name;
  const kind = j.kind === 'custom' ? 'custom area' : j.kind;
  const extra = plan.goal_tier_annual_cost ? plan.goal_tier_annual_cost.mid - plan.totals.annual_cost.mid : 0;
  $('plan-meta').textContent = kind + ' · ' + int.format(pop) + ' residents · costs in ' +
    (plan.dollar_year ? plan.dollar_year + ' dollars (CPI-U)'
      : (plan.cost_years[0] === plan.cost_years[1] ? plan.cost_years[0] : plan.cost_years[0] + '–' + plan.cost_years[1]) + ' dollars') +
    (plan.tier ? ' · ' + plan.tier + ' tier' + (extra > 0 ? ' (the goal tier adds ' + money(extra) + ' a year)' : '') : '') +
    ' · catalog ' + plan.catalog_version;

  const sim = plan.simulation;
  const t = plan.totals;
  const interval = (q, f) => (q.p95 > q.p5 ? '90% of simulated outcomes: ' + f(q.p5) + '–' + f(q.p95) : 'no spread in the simulation');
  $('card-annual').textContent = money(t.annual_cost.mid);
  $('card-annual-sub').textContent = sim ? interval(sim.totals.annual_cost, money) : (range(t.annual_cost, money) ? 'range ' + range(t.annual_cost, money) : '');
  $('card-startup').textContent = money(t.startup_cost.mid);
  $('card-startup-sub').textContent = sim ? interval(sim.totals.startup_cost, money) : (range(t.startup_cost, money) ? 'range ' + range(t.startup_cost, money) : '');
  $('card-resident').textContent = money(t.annual_cost_per_resident.mid);
  $('card-resident-sub').textContent = sim ? interval(sim.totals.annual_cost_per_resident, money) : (range(t.annual_cost_per_resident, money) ? 'range ' + range(t.annual_cost_per_resident, money) : '');
  $('card-coverage').textContent = pct(t.coverage);
  $('card-coverage-sub').textContent = t.lines_with_inventory === 0
    ? 'existing not counted: no inventory given'
    : 'of the need’s annual cost, over lines with an inventory' + (t.lines && t.lines_with_inventory !== t.lines ? ' (' + t.lines_with_inventory + ' of ' + t.lines + ')' : '');

  const q = plan.quality;
  if (q && q.label) {
    $('quality').hidden = false;
    $('quality').replaceChildren(el('strong', { text: 'Data quality: ' + q.label + '.' }),
      el('ul', null, ...(q.reasons || []).map((x) => el('li', {
        text: x.replace(/ with --set\b/, ' in “Figures the plan scales with” below')
          .replace(/ \(--inventory-defaults state\)/, ' (“Existing capacity: start from state defaults”)')
          .replace(/^./, (c) => c.toUpperCase()) + (/[.!?]$/.test(x) ? '' : '.'),
      }))));
  } else {
    $('quality').hidden = true;
  }

  for (const p of plan.programs) {
    const r = state.rows.get(p.id);
    if (!r) continue;
    const simLine = sim && (sim.programs || []).find((x) => x.id === p.id);
    if (p.kind === 'addon') {
      fill(r.need, money(p.need.mid), el('span', { className: 'sub', text: 'a year' }));
      r.existsText.textContent = money(p.existing);
      fill(r.gap, money(p.gap.mid));
    } else {
      const whole = p.need_whole !== null && p.need_whole !== undefined;
      const needSub = whole ? 'exact ' + count(p.need.mid) + (range(p.need, count) ? ' (' + range(p.need, count) + ')' : '') : range(p.need, count);
      fill(r.need, whole ? int.format(p.need_whole) : count(p.need.mid), needSub ? el('span', { className: 'sub', text: needSub }) : '');
      setInput(r.input, p.existing ? inputNumber(p.existing) : '');
      r.input.placeholder = p.existing_counted === false ? 'not counted' : '0';
      r.existsNote.textContent = p.existing_default ? 'state default' : '';
      r.input.title = p.existing_default && p.existing_source ? p.existing_source : '';
      fill(r.gap, p.gap_whole !== null && p.gap_whole !== undefined ? int.format(p.gap_whole) : count(p.gap.mid));
    }
    const c = p.coverage;
    fill(r.cov, pct(c), el('span', { className: 'cov', 'aria-hidden': 'true' }, covBar(c)));
    const costSub = simLine ? interval90(simLine.annual_cost) : range(p.annual_cost, money) ? 'range ' + range(p.annual_cost, money) : '';
    fill(r.cost, money(p.annual_cost.mid), costSub ? el('span', { className: 'sub', text: costSub }) : '');
    r.head.title = p.assumptions && p.assumptions.length ? p.assumptions.join('\n') : '';
  }

  for (const [id, r] of state.rows) {
    if (!r.explainRow.hidden) showExplain(id, r);
  }

  updatePayers(plan);

  for (const a of plan.gap_areas) {
    const s = state.areaRows.get(a.gap_area);
    if (!s) continue;
    fill(s.need, money(a.need_cost.mid), el('span', { className: 'sub', text: 'need cost a year' }));
    fill(s.exists, money(a.need_cost.mid - a.annual_cost.mid));
    const simArea = sim && (sim.gap_areas || []).find((x) => x.gap_area === a.gap_area);
    fill(s.cov, pct(a.coverage), el('span', { className: 'cov', 'aria-hidden': 'true' }, covBar(a.coverage)));
    const areaSub = simArea ? interval90(simArea.annual_cost) : range(a.annual_cost, money) ? 'range ' + range(a.annual_cost, money) : '';
    fill(s.cost, money(a.annual_cost.mid), areaSub ? el('span', { className: 'sub', text: areaSub }) : '');
    const title = state.gapTitles[a.gap_area] || a.gap_area;
    s.text.textContent = title + ': ' + money(a.annual_cost.mid) + ' a year to close the gap (' +
      money(a.annual_cost_per_resident.mid) + ' per resident); ' + money(a.startup_cost.mid) + ' to start up.';
  }

  const local = new Set(Object.keys(state.scenario.drivers || {}));
  if (state.scenario.population !== undefined) local.add('population');
  for (const d of plan.drivers) {
    const r = state.driverRows.get(d.id);
    if (!r) continue;
    setInput(r.input, inputNumber(d.value.mid));
    const tag = local.has(d.id) ? 'local' : d.basis;
    const words = { local: 'your figure', given: 'given', estimated: 'estimated' }[tag] || tag;
    const source = d.source.replace(/^estimated: /, '') + (d.vintage ? ' (' + d.vintage + ')' : '');
    const parts = [el('span', { className: 'tag ' + tag, text: words }), source];
    if (d.value.high > d.value.low) parts.push(el('span', { className: 'sub', text: 'range ' + count(d.value.low) + '–' + count(d.value.high) }));
    if (local.has(d.id)) {
      const reset = el('button', { type: 'button', className: 'link', text: 'Use the default', 'aria-label': 'Use the default for ' + d.name });
      reset.addEventListener('click', () => resetDriver(d.id));
      parts.push(' ', reset);
    }
    r.basis.replaceChildren(...parts);
  }
  writeHash();
}

// ------------------------------------------------------------ who pays

function programNames(plan, ids) {
  return ids.map((id) => (plan.programs.find((p) => p.id === id) || { name: id }).name);
}

/** What falls on the chosen payer's budget, in the words of the brief's "Who pays". */
function payerView(plan, v) {
  const own = el('li', { text: v.name + ': ' + money(v.annual_cost.mid) + ' a year of the plan’s ' + money(v.plan_annual_cost.mid) +
    ' falls on its own budget by the catalog’s payer shares and lists' +
    (v.lines.length ? ' (' + v.lines.map((l) => programNames(plan, [l[0]])[0] + ' ' + money(l[1].mid)).join('; ') + ').' : ' (no line is paid by it alone).') });
  const items = [own];
  if (v.unknown_lines.length) {
    const n = v.unknown_lines.length;
    items.push(el('li', null, 'Up to ' + money(v.shared_unknown.mid) + ' more is shared with other payers in proportions no source gives (split unknown). ' +
      'None of it is counted as this payer’s; ask each funder what it will pay.',
    el('details', { className: 'shared-lines' },
      el('summary', { text: 'The ' + n + ' shared line' + (n === 1 ? '' : 's') }),
      el('ul', null, ...v.unknown_lines.map((l) => el('li', { text: programNames(plan, [l[0]])[0] + ': ' + money(l[1].mid) + ' a year, shared with ' + l[2].map((id) => state.payerNames[id] || id).join(', ') }))))));
  }
  return el('ul', null, ...items);
}

function updatePayers(plan) {
  const rows = plan.cost_by_payer || [];
  $('payers-block').hidden = rows.length === 0;
  const total = plan.totals.annual_cost.mid;
  $('payers-table').querySelector('tbody').replaceChildren(...rows.map((t) => el('tr', { className: t.payers.length > 1 ? 'shared' : null },
    el('th', { scope: 'row', text: t.label }),
    el('td', { className: 'n', 'data-label': 'Annual cost' }, money(t.annual_cost.mid),
      range(t.annual_cost, money) ? el('span', { className: 'sub', text: 'range ' + range(t.annual_cost, money) }) : null),
    el('td', { className: 'n', 'data-label': 'Share', text: total > 0 ? pct(t.annual_cost.mid / total) : '—' }),
    el('td', { className: 'wide', 'data-label': 'Programs', text: programNames(plan, t.lines).join(', ') }))));
  const v = plan.payer_view;
  const box = $('payer-view');
  const cardBox = $('card-payer').parentElement;
  box.hidden = !v;
  cardBox.hidden = !v;
  $('headline').classList.toggle('five', !!v);
  if (!v) { box.replaceChildren(); return; }
  const openLines = box.querySelector('details[open]') !== null;
  box.replaceChildren(el('p', null, el('strong', { text: 'On ' + v.name + '’s own budget' })), payerView(plan, v));
  if (openLines && box.querySelector('details')) box.querySelector('details').open = true;
  cardBox.querySelector('.k').textContent = v.name + ': its own budget, a year';
  $('card-payer').textContent = money(v.annual_cost.mid);
  $('card-payer-sub').textContent = v.unknown_lines.length
    ? 'plus up to ' + money(v.shared_unknown.mid) + ' shared with other payers, split unknown'
    : 'no line shared with other payers';
}

function covBar(c) {
  const w = c === null || c === undefined ? 0 : Math.max(0, Math.min(1, c)) * 100;
  const s = el('span');
  s.style.width = w.toFixed(1) + '%';
  return s;
}
