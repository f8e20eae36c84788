// A scenario as a share link (#geoid=…&d.homicides=…&tier=goal&dy=2020&inv=state&payer=city)
// and back, and as the API takes it. Pure: no DOM, tested by tests/link.test.mjs.

import { parseNum } from './format.js';

// ------------------------------------------------------------ scenario <-> link

export function b64url(text) {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
export function unb64url(s) {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}
const valueOf = (v) => (typeof v === 'number' ? v : v && typeof v === 'object' ? (v.value !== undefined ? v.value : v.quantity) : NaN);

export function toHash(s) {
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
  if (s.tier) p.set('tier', s.tier);
  if (s.dollar_year !== undefined) p.set('dy', String(s.dollar_year));
  if (s.inventory_defaults) p.set('inv', s.inventory_defaults);
  if (s.payer) p.set('payer', s.payer);
  return '#' + p.toString();
}

/** The tiers a scenario may ask for (the server refuses others). */
export const TIERS = ['floor', 'standard', 'goal'];

export function fromHash(hash) {
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
    else if (k === 'tier') { if (TIERS.includes(v)) s.tier = v; }
    else if (k === 'dy') { const y = num(v); if (Number.isInteger(y)) s.dollar_year = y; }
    else if (k === 'inv') { if (v === 'state') s.inventory_defaults = v; }
    else if (k === 'payer') { if (/^[a-z][a-z_]*$/.test(v)) s.payer = v; }
    else if (k.startsWith('d.')) { const n = num(v); if (n !== undefined) s.drivers[k.slice(2)] = n; }
    else if (k.startsWith('i.')) { const n = num(v); if (n !== undefined) s.inventory[k.slice(2)] = n; }
  }
  if (s.simulate && s.simulate.seed === undefined) s.simulate.seed = 1;
  return s.geoid || s.population !== undefined ? s : null;
}

/** The scenario as the API takes it, without empty members. */
export function clean(s) {
  const out = {};
  if (s.geoid) out.geoid = s.geoid;
  if (s.population !== undefined && s.population !== null) out.population = s.population;
  if (s.name) out.name = s.name;
  if (s.drivers && Object.keys(s.drivers).length) out.drivers = s.drivers;
  if (s.inventory && Object.keys(s.inventory).length) out.inventory = s.inventory;
  if (s.catalog) out.catalog = s.catalog;
  if (s.simulate) out.simulate = s.simulate;
  if (s.tier) out.tier = s.tier;
  if (s.dollar_year !== undefined && s.dollar_year !== null) out.dollar_year = s.dollar_year;
  if (s.inventory_defaults) out.inventory_defaults = s.inventory_defaults;
  if (s.payer) out.payer = s.payer;
  return out;
}
