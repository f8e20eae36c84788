// safetygap page: search a place, see and edit its plan, save, export, share.
//
// Plain JavaScript modules, no build step, no third-party code. Every string
// that comes from the user or the server is put on the page with textContent
// or setAttribute, never as markup. This file is the entry point: export and
// share, the custom-area form, and wiring the page up; the rest is in
// dom.js, format.js, api.js, state.js, status.js, link.js, plan.js,
// views.js, search.js and saved.js.

import { $, el } from './dom.js';
import { parseNum } from './format.js';
import { api } from './api.js';
import { state } from './state.js';
import { setStatus, showError } from './status.js';
import { fromHash, clean } from './link.js';
import { shareUrl, writeHash, open, recompute, flush } from './plan.js';
import { showMap } from './views.js';
import { startSearch } from './search.js';
import { loadSaved, save, saveChanges } from './saved.js';

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
  startSearch();
  $('custom-form').addEventListener('submit', openCustom);
  $('simulate').addEventListener('change', () => {
    if ($('simulate').checked) state.scenario.simulate = { draws: 2000, seed: 1 }; else delete state.scenario.simulate;
    writeHash();
    recompute();
  });
  // The plan's options, as the CLI's --tier, --dollar-year, --inventory-defaults and --payer.
  const option = (id, key, read) => $(id).addEventListener('change', () => {
    if (!state.scenario) return;
    const v = read($(id));
    if (v === undefined) delete state.scenario[key]; else state.scenario[key] = v;
    writeHash();
    recompute();
  });
  option('tier', 'tier', (e) => (e.value === 'standard' ? undefined : e.value));
  option('dollar-year', 'dollar_year', (e) => (e.value === '' ? undefined : Number(e.value)));
  option('payer', 'payer', (e) => e.value || undefined);
  option('inv-defaults', 'inventory_defaults', (e) => (e.checked ? 'state' : undefined));
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
  if (catalog) {
    for (const g of catalog.gap_areas) state.gapTitles[g.id] = g.title;
    for (const p of catalog.payers || []) {
      state.payerNames[p.id] = p.name;
      $('payer').append(new Option(p.name, p.id));
    }
    const years = catalog.dollar_years;
    if (years) {
      state.dollarYears = years;
      $('dollar-year').append(new Option('Latest: ' + years.last, ''));
      for (let y = years.last - 1; y >= years.first; y--) $('dollar-year').append(new Option(String(y), String(y)));
    }
  }
  if (health && health.writes_need_token) {
    state.writesNeedToken = true;
    $('token-field').hidden = false;
    $('token').value = sessionStorage.getItem('safetygap-token') || '';
  }
  loadSaved();
  fromLocation();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
