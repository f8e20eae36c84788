// Unit tests of format.js (run by .ci/run: `node --test crates/server/assets/tests/`).
// Expected strings are written from the rules in the page's design (counts
// to three significant places, money in K/M/B, a true minus sign), not taken
// from the code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { count, money, pct, range, parseNum, inputNumber, interval90 } from '../format.js';

test('a missing or non-finite figure is a dash', () => {
  for (const f of [count, money, pct]) {
    for (const v of [null, undefined, NaN, Infinity]) assert.equal(f(v), '—', `${f.name}(${v})`);
  }
});

test('counts keep about three significant places', () => {
  assert.equal(count(1234.6), '1,235');
  assert.equal(count(100), '100');
  assert.equal(count(12.34), '12.3');
  assert.equal(count(1.234), '1.23');
  assert.equal(count(0), '0');
});

test('money is in dollars, thousands, millions or billions', () => {
  assert.equal(money(19_900_000), '$19.9M');
  assert.equal(money(2_500_000_000), '$2.5B');
  assert.equal(money(45_600), '$46K');
  assert.equal(money(9_999), '$9,999');
  assert.equal(money(12.345), '$12.35');
  assert.equal(money(-1_500_000), '−$1.5M');
});

test('shares are whole percents, with one decimal under 10%', () => {
  assert.equal(pct(0.5), '50%');
  assert.equal(pct(0.054), '5.4%');
  assert.equal(pct(0), '0%');
  assert.equal(pct(1.25), '125%');
});

test('a range shows only when it has a spread', () => {
  assert.equal(range({ low: 1, high: 2 }, count), '1–2');
  assert.equal(range({ low: 3, high: 3 }, count), '');
});

test('typed numbers allow separators and reject junk', () => {
  assert.equal(parseNum('250,000'), 250000);
  assert.equal(parseNum(' 1_000.5 '), 1000.5);
  assert.equal(parseNum('1e3'), 1000);
  assert.equal(parseNum('-.5'), -0.5);
  assert.equal(parseNum(''), null);
  assert.ok(Number.isNaN(parseNum('12 apples')));
  assert.ok(Number.isNaN(parseNum('1.2.3')));
});

test('input fields show up to six significant digits with separators', () => {
  assert.equal(inputNumber(238005), '238,005');
  assert.equal(inputNumber(1234.5678), '1,234.57');
  assert.equal(inputNumber(0.123456), '0.1235');
  // What the field shows reads back as the same number.
  assert.equal(parseNum(inputNumber(238005)), 238005);
});

test('a simulated interval is shown only when it has a spread', () => {
  assert.equal(interval90({ p5: 1e6, p95: 2.5e6 }), '90%: $1M–$2.5M');
  assert.equal(interval90({ p5: 5, p95: 5 }), '');
});
