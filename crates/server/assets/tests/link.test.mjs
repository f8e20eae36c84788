// Unit tests of link.js, the share link (run by .ci/run:
// `node --test crates/server/assets/tests/`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { b64url, unb64url, toHash, fromHash, clean } from '../link.js';

test('a scenario survives the link and back', () => {
  const s = {
    geoid: '0653000',
    name: 'Oakland, CA',
    drivers: { homicides: 50, youth_population: 12000.5 },
    inventory: { dv_shelter_bed: 12 },
    simulate: { draws: 500, seed: 7 },
    catalog: '[[benchmark]]\nid = "x"  # café ✓',
  };
  assert.deepEqual(fromHash(toHash(s)), s);
});

test('the link has the documented keys', () => {
  const h = toHash({ population: 238005, drivers: { homicides: 50 }, inventory: {}, simulate: { draws: 2000, seed: 1 } });
  // Written by hand from the key list: pop, d.<driver>, i.<program>, sim, seed (only when not 1), cat.
  assert.equal(h, '#pop=238005&d.homicides=50&sim=2000');
});

test('inventory and drivers given as objects keep their value', () => {
  const h = toHash({ geoid: '06', drivers: { homicides: { value: 9 } }, inventory: { trc: { quantity: 2, source: 'count' } } });
  assert.equal(h, '#geoid=06&d.homicides=9&i.trc=2');
});

test('a link without a place or a population opens nothing', () => {
  assert.equal(fromHash(''), null);
  assert.equal(fromHash('#d.homicides=5'), null);
});

test('damaged values in a link are dropped, not guessed', () => {
  const s = fromHash('#pop=abc&geoid=06&d.homicides=x&i.trc=3&cat=%%%');
  assert.equal(s.population, undefined);
  assert.equal(s.catalog, undefined);
  assert.deepEqual(s.drivers, {});
  assert.deepEqual(s.inventory, { trc: 3 });
});

test('a seed without draws simulates with 2000 draws', () => {
  assert.deepEqual(fromHash('#geoid=06&seed=9').simulate, { draws: 2000, seed: 9 });
  assert.deepEqual(fromHash('#geoid=06&sim=100').simulate, { draws: 100, seed: 1 });
});

test('base64url text has no padding or +/ and round-trips UTF-8', () => {
  // "ü?>" is 0xC3 0xBC 0x3F 0x3E; base64 "w7w/Pg==" (RFC 4648 table) -> url-safe, unpadded "w7w_Pg".
  assert.equal(b64url('ü?>'), 'w7w_Pg');
  assert.equal(unb64url('w7w_Pg'), 'ü?>');
});

test('the API scenario leaves out empty members', () => {
  assert.deepEqual(clean({ geoid: '06', name: '', drivers: {}, inventory: { a: 1 }, population: null }), { geoid: '06', inventory: { a: 1 } });
});

test('tier, dollar year, state defaults and payer survive the link', () => {
  const s = { geoid: '06001', drivers: {}, inventory: { dv_shelter_bed: 0 }, tier: 'goal', dollar_year: 2020, inventory_defaults: 'state', payer: 'city' };
  // Written by hand from the key list: tier, dy, inv, payer.
  assert.equal(toHash(s), '#geoid=06001&i.dv_shelter_bed=0&tier=goal&dy=2020&inv=state&payer=city');
  assert.deepEqual(fromHash(toHash(s)), s);
  assert.deepEqual(clean(s), { geoid: '06001', inventory: { dv_shelter_bed: 0 }, tier: 'goal', dollar_year: 2020, inventory_defaults: 'state', payer: 'city' });
});

test('an old link without the options opens the defaults', () => {
  const s = fromHash('#geoid=06001&i.dv_shelter_bed=40&sim=2000');
  for (const k of ['tier', 'dollar_year', 'inventory_defaults', 'payer']) assert.equal(s[k], undefined, k);
  assert.deepEqual(clean(s), { geoid: '06001', inventory: { dv_shelter_bed: 40 }, simulate: { draws: 2000, seed: 1 } });
});

test('damaged options in a link are dropped, not guessed', () => {
  const s = fromHash('#geoid=06&tier=gold&dy=20x0&inv=county&payer=Mayor%20Office');
  for (const k of ['tier', 'dollar_year', 'inventory_defaults', 'payer']) assert.equal(s[k], undefined, k);
  assert.equal(fromHash('#geoid=06&dy=2019.5').dollar_year, undefined);
});
