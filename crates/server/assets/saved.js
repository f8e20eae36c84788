// Saved plans: list, open, save, update (with If-Match), delete.

import { $, el } from './dom.js';
import { api } from './api.js';
import { state } from './state.js';
import { setStatus, clearError, showError } from './status.js';
import { clean } from './link.js';
import { open, flush } from './plan.js';

// ------------------------------------------------------------ saved plans

export async function loadSaved() {
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

export async function save(e) {
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

export async function saveChanges() {
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
