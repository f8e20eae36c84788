// safetygap page: search a place, see and edit its plan, save, export, share.
//
// Plain JavaScript, no build step, no third-party code. Every string that
// comes from the user or the server is put on the page with textContent or
// setAttribute, never as markup.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);

  /** Creates an element: el('td', {className: 'n', text: '12', 'data-label': 'Need'}, child, ...). */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') e.textContent = String(v);
      else if (k === 'className') e.className = v;
      else if (k === 'hidden') e.hidden = true;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      e.append(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return e;
  }

  /** Puts a cell's content in one wrapper, so a stacked (phone) layout keeps value and note together. */
  function fill(td, ...parts) {
    td.replaceChildren(el('span', { className: 'val' }, ...parts));
  }

  const state = {
    scenario: null,
    plan: null,
    place: null,          // /api/jurisdictions/{geoid} for the plan's place
    gapTitles: {},        // gap area id -> title
    builtKey: '',         // structure the tables were built for
    rows: new Map(),      // program id -> {need, exists, gap, cov, cost, ...}
    areaRows: new Map(),  // gap area id -> cells
    driverRows: new Map(),
    saved: null,          // {id, revision, name} of the open saved plan
    writesNeedToken: false,
    seq: 0,
    chartSeq: 0,
    lastHash: '',
    urls: {},
  };

  // ------------------------------------------------------------ formatting

  const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  const one = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
  const two = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

  function count(v) {
    if (v === null || v === undefined || !isFinite(v)) return '—';
    const a = Math.abs(v);
    return a >= 100 ? int.format(v) : a >= 10 ? one.format(v) : two.format(v);
  }
  function money(v) {
    if (v === null || v === undefined || !isFinite(v)) return '—';
    const a = Math.abs(v);
    const sign = v < 0 ? '−' : '';
    if (a >= 1e9) return sign + '$' + one.format(a / 1e9) + 'B';
    if (a >= 1e6) return sign + '$' + one.format(a / 1e6) + 'M';
    if (a >= 1e4) return sign + '$' + int.format(a / 1e3) + 'K';
    if (a >= 100) return sign + '$' + int.format(a);
    return sign + '$' + two.format(a);
  }
  function pct(v) {
    if (v === null || v === undefined || !isFinite(v)) return '—';
    const p = v * 100;
    return (p > 0 && p < 10 ? one.format(p) : int.format(p)) + '%';
  }
  function range(r, f) {
    return r.high > r.low ? f(r.low) + '–' + f(r.high) : '';
  }
  /** Parses a typed number: commas, spaces and underscores allowed. '' -> null, junk -> NaN. */
  function parseNum(s) {
    const t = String(s).replace(/[\s,_]/g, '');
    if (t === '') return null;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return NaN;
    return Number(t);
  }

  // ------------------------------------------------------------ API

  class ApiError extends Error {
    constructor(problem, status) {
      super(problem.detail || problem.title || 'Request failed');
      this.problem = problem;
      this.status = status;
    }
  }

  async function api(method, path, body, opts) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    // Saved plans need the token for reads too on a server that has one.
    if (path.startsWith('/api/saved-plans')) {
      const t = sessionStorage.getItem('safetygap-token');
      if (t) headers.Authorization = 'Bearer ' + t;
    }
    Object.assign(headers, (opts && opts.headers) || {});
    let res;
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new ApiError({ title: 'The server cannot be reached', detail: 'Check that safetygap serve is still running, then try again.' }, 0);
    }
    if (!res.ok) {
      let p;
      try { p = await res.json(); } catch (e) { p = { title: res.statusText || 'Error', detail: '' }; }
      throw new ApiError(p, res.status);
    }
    if (opts && opts.raw) return res;
    return res.status === 204 ? null : res.json();
  }

  // ------------------------------------------------------------ status and errors

  function setStatus(text) { $('status').textContent = text; }

  function clearError() {
    const box = $('error');
    box.hidden = true;
    box.replaceChildren();
    for (const i of document.querySelectorAll('[aria-invalid=true]')) i.removeAttribute('aria-invalid');
  }

  function showError(e) {
    const p = e.problem || { title: 'Something went wrong', detail: String(e.message || e) };
    const box = $('error');
    box.replaceChildren(el('strong', { text: p.title || 'Error' }), el('span', { text: p.detail || '' }));
    const list = (p.errors || []).filter((x) => x.detail && x.detail !== p.detail);
    if (list.length) {
      box.append(el('ul', null, ...list.map((x) => el('li', {
        text: [x.file, x.line ? 'line ' + x.line : null, x.field].filter(Boolean).join(', ') + (x.file || x.field ? ': ' : '') + x.detail,
      }))));
    }
    box.hidden = false;
    setStatus('');
    for (const x of p.errors || []) {
      const input = inputFor(x.pointer);
      if (input) input.setAttribute('aria-invalid', 'true');
    }
  }

  function inputFor(pointer) {
    if (!pointer) return null;
    const m = /^\/(?:scenario\/)?(inventory|drivers|population|catalog)(?:\/([^/]+))?/.exec(pointer);
    if (!m) return null;
    if (m[1] === 'population') return document.querySelector('input[data-driver="population"]');
    if (m[1] === 'catalog') return $('catalog-text');
    const sel = m[1] === 'inventory' ? 'input[data-program]' : 'input[data-driver]';
    for (const i of document.querySelectorAll(sel)) {
      if ((i.dataset.program || i.dataset.driver) === m[2]) return i;
    }
    return null;
  }

  // ------------------------------------------------------------ scenario <-> link

  function b64url(text) {
    const bytes = new TextEncoder().encode(text);
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function unb64url(s) {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  }
  const valueOf = (v) => (typeof v === 'number' ? v : v && typeof v === 'object' ? (v.value !== undefined ? v.value : v.quantity) : NaN);

  function toHash(s) {
    const p = new URLSearchParams();
    if (s.geoid) p.set('geoid', s.geoid);
    if (s.name) p.set('name', s.name);
    if (s.population !== undefined) p.set('pop', String(s.population));
    for (const [k, v] of Object.entries(s.drivers || {})) p.set('d.' + k, String(valueOf(v)));
    for (const [k, v] of Object.entries(s.inventory || {})) p.set('i.' + k, String(valueOf(v)));
    if (s.simulate) {
      p.set('sim', String(s.simulate.draws));
      if (s.simulate.seed !== undefined && s.simulate.seed !== 1) p.set('seed', String(s.simulate.seed));
    }
    if (s.catalog) p.set('cat', b64url(s.catalog));
    return '#' + p.toString();
  }

  function fromHash(hash) {
    const p = new URLSearchParams(hash.replace(/^#/, ''));
    const s = { drivers: {}, inventory: {} };
    const num = (v) => { const n = parseNum(v); return n === null || isNaN(n) ? undefined : n; };
    for (const [k, v] of p) {
      if (k === 'geoid') s.geoid = v;
      else if (k === 'name') s.name = v;
      else if (k === 'pop') s.population = num(v);
      else if (k === 'sim') { const d = num(v); if (d) s.simulate = Object.assign(s.simulate || {}, { draws: d }); }
      else if (k === 'seed') { const d = num(v); if (d !== undefined) s.simulate = Object.assign(s.simulate || { draws: 2000 }, { seed: d }); }
      else if (k === 'cat') { try { s.catalog = unb64url(v); } catch (e) { /* a damaged link: ignore the override */ } }
      else if (k.startsWith('d.')) { const n = num(v); if (n !== undefined) s.drivers[k.slice(2)] = n; }
      else if (k.startsWith('i.')) { const n = num(v); if (n !== undefined) s.inventory[k.slice(2)] = n; }
    }
    if (s.simulate && s.simulate.seed === undefined) s.simulate.seed = 1;
    return s.geoid || s.population !== undefined ? s : null;
  }

  /** The scenario as the API takes it, without empty members. */
  function clean(s) {
    const out = {};
    if (s.geoid) out.geoid = s.geoid;
    if (s.population !== undefined && s.population !== null) out.population = s.population;
    if (s.name) out.name = s.name;
    if (s.drivers && Object.keys(s.drivers).length) out.drivers = s.drivers;
    if (s.inventory && Object.keys(s.inventory).length) out.inventory = s.inventory;
    if (s.catalog) out.catalog = s.catalog;
    if (s.simulate) out.simulate = s.simulate;
    return out;
  }

  function shareUrl() {
    return location.origin + location.pathname + toHash(state.scenario);
  }

  function writeHash() {
    const h = toHash(state.scenario);
    state.lastHash = h;
    if (location.hash !== h) history.replaceState(null, '', h);
    $('share-url').value = shareUrl();
  }

  // ------------------------------------------------------------ computing

  async function open(scenario, opts) {
    state.scenario = Object.assign({ drivers: {}, inventory: {} }, scenario);
    state.builtKey = '';
    $('simulate').checked = !!state.scenario.simulate;
    $('catalog-text').value = state.scenario.catalog || '';
    writeHash();
    await recompute(Object.assign({ focus: true }, opts));
  }

  function structureKey(plan) {
    return [plan.jurisdiction.id, plan.catalog_version.split('+')[0], plan.programs.map((p) => p.id).join(','), plan.drivers.map((d) => d.id).join(',')].join('|');
  }

  async function recompute(opts) {
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

  function population(plan) {
    const d = plan.drivers.find((x) => x.id === 'population');
    return d ? d.value.mid : 0;
  }

  function announce(plan) {
    const t = plan.totals;
    $('announce').textContent = 'Plan for ' + plan.jurisdiction.name + ': ' + money(t.annual_cost.mid) +
      ' a year to close the gap, ' + pct(t.coverage) + ' of need met now.';
  }

  // ------------------------------------------------------------ building the plan view

  function build(plan) {
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
      card('coverage', 'Share of need met now'));
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
      r.exists.append(el('span', { className: 'val' }, r.input));
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

  async function showMap() {
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

  function update(plan) {
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
          text: x.replace(/ with --set\b/, ' in “Figures the plan scales with” below').replace(/^./, (c) => c.toUpperCase()) + (/[.!?]$/.test(x) ? '' : '.'),
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

  function interval90(q) {
    return q.p95 > q.p5 ? '90%: ' + money(q.p5) + '–' + money(q.p95) : '';
  }

  /** A number for an input field: thousands separators, up to six significant digits. */
  function inputNumber(v) {
    const digits = Math.abs(v) >= 1e5 ? 0 : Math.max(0, 5 - Math.floor(Math.log10(Math.max(Math.abs(v), 1e-9))));
    return new Intl.NumberFormat('en-US', { maximumFractionDigits: Math.min(digits, 4) }).format(v);
  }

  function covBar(c) {
    const w = c === null || c === undefined ? 0 : Math.max(0, Math.min(1, c)) * 100;
    const s = el('span');
    s.style.width = w.toFixed(1) + '%';
    return s;
  }

  // ------------------------------------------------------------ edits

  let editTimer = null;
  const pending = new Map();

  function edited(input, kind, id) {
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

  function flush() {
    clearTimeout(editTimer);
    if (!pending.size) return;
    const s = state.scenario;
    for (const { kind, id, v } of pending.values()) {
      if (kind === 'inventory') {
        if (v === null || v === 0) delete s.inventory[id]; else s.inventory[id] = v;
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

  function resetDriver(id) {
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

  async function refreshCharts() {
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

  // ------------------------------------------------------------ search

  const search = { hits: [], active: -1, seq: 0, timer: null };

  function closeList() {
    $('suggestions').hidden = true;
    $('place').setAttribute('aria-expanded', 'false');
    $('place').removeAttribute('aria-activedescendant');
    search.active = -1;
  }

  function renderList() {
    const list = $('suggestions');
    list.replaceChildren(...search.hits.map((h, i) => {
      const li = el('li', { role: 'option', id: 'opt-' + i, 'aria-selected': 'false' },
        el('span', { text: h.display }),
        el('span', { className: 'what', text: h.kind + (h.county ? ' in ' + h.county : '') + ' · ' + int.format(h.population) }));
      li.addEventListener('mousedown', (e) => e.preventDefault());
      li.addEventListener('click', () => choose(i));
      return li;
    }));
    const n = search.hits.length;
    list.hidden = n === 0;
    $('place').setAttribute('aria-expanded', String(n > 0));
    $('suggest-status').textContent = n ? n + (n === 1 ? ' suggestion' : ' suggestions') + '; use the up and down arrows to choose.' : 'No place matches.';
    search.active = -1;
  }

  function highlight(i) {
    const items = $('suggestions').children;
    for (const li of items) li.setAttribute('aria-selected', 'false');
    search.active = i;
    if (i >= 0 && items[i]) {
      items[i].setAttribute('aria-selected', 'true');
      $('place').setAttribute('aria-activedescendant', items[i].id);
      items[i].scrollIntoView({ block: 'nearest' });
    } else {
      $('place').removeAttribute('aria-activedescendant');
    }
  }

  async function suggest() {
    const q = $('place').value.trim();
    if (q.length < 2) { search.hits = []; closeList(); return; }
    const seq = ++search.seq;
    try {
      const hits = await api('GET', '/api/search?' + new URLSearchParams({ q, limit: '8' }));
      if (seq !== search.seq) return;
      search.hits = hits;
      renderList();
    } catch (e) {
      closeList();
    }
  }

  function choose(i) {
    const h = search.hits[i];
    if (!h) return;
    $('place').value = h.display;
    closeList();
    state.saved = null;
    open({ geoid: h.geoid });
  }

  function onSearchKey(e) {
    const n = search.hits.length;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if ($('suggestions').hidden && n) { $('suggestions').hidden = false; $('place').setAttribute('aria-expanded', 'true'); }
      if (n) highlight((search.active + 1) % n);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (n) highlight(search.active <= 0 ? n - 1 : search.active - 1);
    } else if (e.key === 'Enter' && search.active >= 0 && !$('suggestions').hidden) {
      e.preventDefault();
      choose(search.active);
    } else if (e.key === 'Escape') {
      if (!$('suggestions').hidden) { e.preventDefault(); closeList(); }
    }
  }

  async function onSearchSubmit(e) {
    e.preventDefault();
    if (search.active >= 0 && !$('suggestions').hidden) { choose(search.active); return; }
    const q = $('place').value.trim();
    if (!q) { showError({ problem: { title: 'No place given', detail: 'Type a state, county or city, e.g. Oakland, CA.' } }); $('place').focus(); return; }
    try {
      const hits = await api('GET', '/api/search?' + new URLSearchParams({ q, limit: '8' }));
      if (!hits.length) {
        showError({ problem: { title: 'No place matches “' + q + '”', detail: 'Try part of the name, or add the state: “Springfield, IL”.' } });
        return;
      }
      search.hits = hits;
      choose(0);
    } catch (err) {
      showError(err);
    }
  }

  // ------------------------------------------------------------ saved plans

  async function loadSaved() {
    try {
      const list = await api('GET', '/api/saved-plans');
      $('saved-empty').hidden = list.length > 0;
      $('saved-list').replaceChildren(...list.map((p) => {
        const openBtn = el('button', { type: 'button', text: 'Open', 'aria-label': 'Open saved plan ' + p.name });
        openBtn.addEventListener('click', () => openSaved(p.id));
        const delBtn = el('button', { type: 'button', text: 'Delete', 'aria-label': 'Delete saved plan ' + p.name });
        delBtn.addEventListener('click', () => deleteSaved(p));
        return el('li', { 'data-id': p.id },
          el('span', { className: 'name', text: p.name }),
          el('span', { className: 'when', text: 'saved ' + new Date(p.updated).toLocaleString() }),
          el('span', { className: 'buttons' }, openBtn, delBtn));
      }));
    } catch (e) {
      $('saved-empty').textContent = 'Saved plans cannot be listed: ' + e.message;
    }
  }

  async function openSaved(id) {
    try {
      const p = await api('GET', '/api/saved-plans/' + id);
      state.saved = { id: p.id, revision: p.revision, name: p.name };
      $('save-name').value = p.name;
      await open(p.scenario);
      $('update-btn').hidden = false;
      setStatus('Opened saved plan “' + p.name + '”.');
    } catch (e) {
      showError(e);
    }
  }

  async function deleteSaved(p) {
    try {
      await api('DELETE', '/api/saved-plans/' + p.id);
      if (state.saved && state.saved.id === p.id) { state.saved = null; $('update-btn').hidden = true; }
      setStatus('Deleted saved plan “' + p.name + '”.');
      await loadSaved();
      $('saved-h').focus();
    } catch (e) {
      showError(e);
    }
  }

  function tokenReady() {
    if (!state.writesNeedToken) return true;
    const t = $('token').value.trim();
    if (t) sessionStorage.setItem('safetygap-token', t);
    if (!sessionStorage.getItem('safetygap-token')) {
      $('token').setAttribute('aria-invalid', 'true');
      $('token').focus();
      showError({ problem: { title: 'An access token is needed', detail: 'This server needs the operator’s token to save plans; type it in the Access token field.' } });
      return false;
    }
    return true;
  }

  async function save(e) {
    e.preventDefault();
    flush();
    const name = $('save-name').value.trim();
    if (!name) {
      $('save-name').setAttribute('aria-invalid', 'true');
      $('save-name').focus();
      showError({ problem: { title: 'The plan needs a name', detail: 'Type a name to save the plan under.' } });
      return;
    }
    if (!tokenReady()) return;
    try {
      const p = await api('POST', '/api/saved-plans', { name, scenario: clean(state.scenario) });
      state.saved = { id: p.id, revision: p.revision, name: p.name };
      $('update-btn').hidden = false;
      clearError();
      setStatus('Saved as “' + p.name + '”.');
      await loadSaved();
    } catch (err) {
      showError(err);
    }
  }

  async function saveChanges() {
    flush();
    if (!state.saved || !tokenReady()) return;
    const name = $('save-name').value.trim() || state.saved.name;
    try {
      const p = await api('PUT', '/api/saved-plans/' + state.saved.id, { name, scenario: clean(state.scenario) },
        { headers: { 'If-Match': '"r' + state.saved.revision + '"' } });
      state.saved = { id: p.id, revision: p.revision, name: p.name };
      clearError();
      setStatus('Saved changes to “' + p.name + '”.');
      await loadSaved();
    } catch (err) {
      showError(err);
    }
  }

  // ------------------------------------------------------------ export and share

  async function exportAs(format, button) {
    flush();
    button.disabled = true;
    setStatus('Preparing the ' + button.textContent + ' file…');
    try {
      const res = await api('POST', '/api/export/' + format, clean(state.scenario), { raw: true });
      const blob = await res.blob();
      const m = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
      const a = el('a', { href: URL.createObjectURL(blob), download: m ? m[1] : 'safetygap-plan.' + format, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
      setStatus('Downloaded ' + a.download + '.');
    } catch (e) {
      showError(e);
    } finally {
      button.disabled = false;
    }
  }

  async function copyLink() {
    flush();
    const url = shareUrl();
    $('share-url').value = url;
    try {
      await navigator.clipboard.writeText(url);
      setStatus('Share link copied.');
    } catch (e) {
      $('share-url').select();
      setStatus('Select and copy the link above (press Ctrl+C or ⌘C).');
    }
  }

  // ------------------------------------------------------------ start

  function openCustom(e) {
    e.preventDefault();
    const pop = parseNum($('custom-pop').value);
    if (!pop || pop <= 0 || Number.isNaN(pop)) {
      $('custom-pop').setAttribute('aria-invalid', 'true');
      $('custom-pop').focus();
      showError({ problem: { title: 'Give the population', detail: 'Type the number of residents, e.g. 250,000.' } });
      return;
    }
    $('custom-pop').removeAttribute('aria-invalid');
    state.saved = null;
    const name = $('custom-name').value.trim();
    open(Object.assign({ population: pop }, name ? { name } : {}));
  }

  function fromLocation() {
    if (location.hash === state.lastHash) return;
    const s = fromHash(location.hash);
    if (s) { state.saved = null; open(s); }
  }

  async function start() {
    $('search-form').addEventListener('submit', onSearchSubmit);
    $('place').addEventListener('input', () => { clearTimeout(search.timer); search.timer = setTimeout(suggest, 150); });
    $('place').addEventListener('keydown', onSearchKey);
    $('place').addEventListener('blur', () => setTimeout(closeList, 150));
    $('custom-form').addEventListener('submit', openCustom);
    $('simulate').addEventListener('change', () => {
      if ($('simulate').checked) state.scenario.simulate = { draws: 2000, seed: 1 }; else delete state.scenario.simulate;
      writeHash();
      recompute();
    });
    $('map-btn').addEventListener('click', showMap);
    $('map-img').addEventListener('load', () => setStatus(''));
    $('save-form').addEventListener('submit', save);
    $('update-btn').addEventListener('click', saveChanges);
    $('save-name').addEventListener('input', () => $('save-name').removeAttribute('aria-invalid'));
    for (const b of document.querySelectorAll('.exports button')) b.addEventListener('click', () => exportAs(b.dataset.format, b));
    $('share-btn').addEventListener('click', copyLink);
    $('share-url').addEventListener('focus', () => $('share-url').select());
    $('catalog-apply').addEventListener('click', () => {
      const t = $('catalog-text').value;
      if (t.trim()) state.scenario.catalog = t; else delete state.scenario.catalog;
      writeHash();
      recompute();
    });
    $('catalog-clear').addEventListener('click', () => {
      $('catalog-text').value = '';
      delete state.scenario.catalog;
      writeHash();
      recompute();
    });
    $('saved-h').setAttribute('tabindex', '-1');
    window.addEventListener('hashchange', fromLocation);

    const [health, catalog] = await Promise.all([
      api('GET', '/api/health').catch(() => null),
      api('GET', '/api/catalog').catch(() => null),
    ]);
    if (catalog) for (const g of catalog.gap_areas) state.gapTitles[g.id] = g.title;
    if (health && health.writes_need_token) {
      state.writesNeedToken = true;
      $('token-field').hidden = false;
      $('token').value = sessionStorage.getItem('safetygap-token') || '';
    }
    loadSaved();
    fromLocation();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
