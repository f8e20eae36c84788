// The status line and the error box (with the inputs an error points at).

import { $, el } from './dom.js';

// ------------------------------------------------------------ status and errors

export function setStatus(text) { $('status').textContent = text; }

export function clearError() {
  const box = $('error');
  box.hidden = true;
  box.replaceChildren();
  for (const i of document.querySelectorAll('[aria-invalid=true]')) i.removeAttribute('aria-invalid');
}

export function showError(e) {
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
