// The place search box: suggestions as a listbox driven by the keyboard.

import { $, el } from './dom.js';
import { int } from './format.js';
import { api } from './api.js';
import { state } from './state.js';
import { showError } from './status.js';
import { open } from './plan.js';

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

/** Wires the search form and box up. */
export function startSearch() {
  $('search-form').addEventListener('submit', onSearchSubmit);
  $('place').addEventListener('input', () => { clearTimeout(search.timer); search.timer = setTimeout(suggest, 150); });
  $('place').addEventListener('keydown', onSearchKey);
  $('place').addEventListener('blur', () => setTimeout(closeList, 150));
}
