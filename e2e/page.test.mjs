// End-to-end tests of the safetygap page: a real `safetygap serve` and
// Debian's headless Chromium driven by playwright-core.
//
//   cargo build -p safetygap && (cd e2e && npm ci && npm test)
//
// SAFETYGAP_BIN overrides the binary (default ../target/debug/safetygap),
// CHROMIUM the browser (default /usr/bin/chromium). Screenshots go to
// e2e/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const BIN = process.env.SAFETYGAP_BIN || resolve(here, '../target/debug/safetygap');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = join(here, 'screenshots');

let server, base, browser, context, page, dir;
const problems = [];

function watch(p) {
  p.on('pageerror', (e) => problems.push('page error: ' + e.message));
  p.on('console', (m) => {
    if (m.type() === 'error' && !/status of (4\d\d|5\d\d)/.test(m.text())) problems.push('console: ' + m.text());
  });
  p.on('dialog', (d) => { problems.push('dialog opened: ' + d.message()); d.dismiss(); });
}

async function startServer() {
  dir = mkdtempSync(join(tmpdir(), 'safetygap-e2e-'));
  const env = { ...process.env };
  delete env.SAFETYGAP_TOKEN; // writes open, as on a loopback server without a token
  server = spawn(BIN, ['serve', '--addr', '127.0.0.1:0', '--db', join(dir, 'plans.db')], { stdio: ['ignore', 'ignore', 'pipe'], env });
  return new Promise((ok, fail) => {
    let err = '';
    const timer = setTimeout(() => fail(new Error('server did not start: ' + err)), 20000);
    server.stderr.on('data', (d) => {
      err += d;
      const m = /listening on (http:\/\/[^/\s]+)\//.exec(err);
      if (m && !base) { base = m[1]; clearTimeout(timer); ok(); }
    });
    server.on('exit', (code) => fail(new Error('server exited with ' + code + ': ' + err)));
  });
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await startServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  context.setDefaultTimeout(10000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  page = await context.newPage();
  watch(page);
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const card = (p, id) => p.locator('#card-' + id).textContent();

/** Waits until the plan has been recomputed after an edit: the link holds `part` and the plan is not busy. */
async function settled(p, part) {
  if (part) await p.waitForFunction((x) => location.hash.includes(x), part);
  await p.waitForFunction(() => document.getElementById('plan').getAttribute('aria-busy') === 'false');
}

test('search with the keyboard and see the plan', async () => {
  await page.goto(base + '/');
  await page.keyboard.press('Tab'); // skip link
  await page.keyboard.press('Tab'); // brand
  await page.keyboard.press('Tab'); // API link
  await page.keyboard.press('Tab'); // the search box
  assert.equal(await page.evaluate(() => document.activeElement.id), 'place');
  await page.keyboard.type('oakland, ca');
  await page.locator('#suggestions li').first().waitFor();
  assert.equal(await page.getAttribute('#place', 'aria-expanded'), 'true');
  await page.keyboard.press('ArrowDown');
  await page.screenshot({ path: join(SHOTS, 'search-1280.png'), clip: { x: 0, y: 0, width: 1280, height: 640 } });
  const active = await page.getAttribute('#place', 'aria-activedescendant');
  assert.equal(await page.getAttribute('#' + active, 'aria-selected'), 'true');
  assert.match(await page.textContent('#' + active), /Oakland, CA/);
  await page.keyboard.press('Enter');
  await page.locator('#plan-title').filter({ hasText: 'Oakland, CA' }).waitFor();
  await settled(page, 'geoid=0653000');
  assert.match(await card(page, 'annual'), /^\$[\d.]+[KMB]$/);
  // Nothing counted yet: coverage is not a number, and the card says why.
  assert.equal(await card(page, 'coverage'), '—');
  assert.match(await card(page, 'coverage-sub'), /no inventory given/);
  // Focus moved to the plan's heading, for screen readers and keyboards.
  assert.equal(await page.evaluate(() => document.activeElement.id), 'plan-title');
  // Tables for the four gap areas, and the charts.
  assert.equal(await page.locator('#areas section.area').count(), 4);
  // Oakland's homicides: its own FBI count, with source and vintage.
  const homicides = await page.locator('#drivers-table tr', { has: page.locator('input[data-driver="homicides"]') }).textContent();
  assert.match(homicides, /given/);
  assert.match(homicides, /Table 8 \(Offenses Known to Law Enforcement by City\): Oakland police/);
  assert.match(homicides, /\(2018\)/);
  await page.waitForFunction(() => document.getElementById('chart-need').naturalWidth > 0 && document.getElementById('chart-area').naturalWidth > 0);
});

test('edit what exists and a driver figure; the plan recomputes', async () => {
  const before = await card(page, 'annual');
  const beds = page.locator('input[data-program="dv_shelter_bed"]');
  await beds.fill('40');
  await settled(page, 'i.dv_shelter_bed=40');
  const after = await card(page, 'annual');
  assert.notEqual(after, before, 'annual cost changed after adding 40 existing beds');
  // Once something is counted, coverage is a share, over the counted lines.
  assert.match(await card(page, 'coverage'), /%$/);
  assert.match(await card(page, 'coverage-sub'), /over lines with an inventory/);
  assert.match(await page.textContent('#announce'), /a year to close the gap/);

  const releases = page.locator('input[data-driver="prison_releases"]');
  await releases.fill('2,500');
  await releases.press('Tab');
  await settled(page, 'd.prison_releases=2500');
  const basis = await page.locator('#drivers-table tr', { has: releases }).textContent();
  assert.match(basis, /your figure/);
  assert.notEqual(await card(page, 'annual'), after);

  // Every line says how it was computed.
  const how = page.getByRole('button', { name: 'How is Trauma Recovery Center computed?' });
  await how.click();
  assert.equal(await how.getAttribute('aria-expanded'), 'true');
  await page.locator('#explain-trauma_recovery_center').filter({ hasText: 'need = population' }).waitFor();

  // A bad figure is flagged on the field and not sent.
  await releases.fill('-5');
  assert.equal(await releases.getAttribute('aria-invalid'), 'true');
  await releases.fill('2500');
  await settled(page);
});

test('switch on simulation', async () => {
  await page.check('#simulate');
  await settled(page, 'sim=2000');
  await page.waitForFunction(() => /90% of simulated outcomes/.test(document.getElementById('card-annual-sub').textContent));
  assert.match(await page.locator('#areas td[data-label="Annual cost to close"] .sub').first().textContent(), /^90%: /);
  await page.screenshot({ path: join(SHOTS, 'plan-1280.png'), fullPage: true });
  await page.uncheck('#simulate');
  await settled(page);
});

test('county map and ranking for the state', async () => {
  await page.click('#map-btn');
  await page.waitForFunction(() => document.getElementById('map-img').naturalWidth > 0);
  assert.match(await page.getAttribute('#map-img', 'alt'), /counties of California/);
  await page.locator('#rank-table tbody tr').first().waitFor();
  assert.equal(await page.locator('#rank-table tbody tr').count(), 10);
});

test('save, reload, reopen', async () => {
  await page.fill('#save-name', 'E2E Oakland plan');
  await page.click('#save-btn');
  await page.locator('#saved-list li', { hasText: 'E2E Oakland plan' }).waitFor();
  const hash = await page.evaluate(() => location.hash);

  await page.reload();
  await page.locator('#plan-title').filter({ hasText: 'Oakland, CA' }).waitFor();
  await settled(page);
  assert.equal(await page.evaluate(() => location.hash), hash, 'the scenario survives a reload');
  assert.equal(await page.inputValue('input[data-program="dv_shelter_bed"]'), '40');
  assert.equal(await page.inputValue('input[data-driver="prison_releases"]'), '2,500');

  // Open the saved plan from a fresh page on another place.
  await page.goto(base + '/#geoid=06');
  await page.locator('#plan-title').filter({ hasText: 'California' }).waitFor();
  const item = page.locator('#saved-list li', { hasText: 'E2E Oakland plan' });
  await item.getByRole('button', { name: /^Open saved plan/ }).click();
  await page.locator('#plan-title').filter({ hasText: 'Oakland, CA' }).waitFor();
  await settled(page);
  assert.equal(await page.inputValue('input[data-program="dv_shelter_bed"]'), '40');
  assert.equal(await page.isVisible('#update-btn'), true);

  // Change and save over it.
  await page.locator('input[data-program="trauma_recovery_center"]').fill('1');
  await settled(page, 'i.trauma_recovery_center=1');
  await page.click('#update-btn');
  await page.waitForFunction(() => /Saved changes/.test(document.getElementById('status').textContent));
});

test('export CSV, Excel and HTML', async () => {
  for (const [format, check] of [
    ['csv', (b) => assert.match(b.toString('utf8'), /dv_shelter_bed/)],
    ['xlsx', (b) => assert.equal(b.subarray(0, 2).toString('latin1'), 'PK')],
    ['html', (b) => assert.match(b.toString('utf8'), /<!DOCTYPE html>/i)],
  ]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`.exports button[data-format="${format}"]`)]);
    assert.match(download.suggestedFilename(), new RegExp('^safetygap-oakland-ca\\.' + format + '$'));
    const path = await download.path();
    check(readFileSync(path));
  }
  const [json] = await Promise.all([page.waitForEvent('download'), page.click('.exports button[data-format="json"]')]);
  const plan = JSON.parse(readFileSync(await json.path(), 'utf8'));
  assert.equal(plan.schema, 'safetygap.plan/1');
  assert.equal(plan.programs.find((p) => p.id === 'dv_shelter_bed').existing, 40);
});

test('a share link reopens the same scenario', async () => {
  await page.click('#share-btn');
  await page.waitForFunction(() => /copied|copy the link/.test(document.getElementById('status').textContent));
  const url = await page.inputValue('#share-url');
  assert.ok(url.startsWith(base + '/#'), url);
  const total = await card(page, 'annual');
  const other = await context.newPage();
  watch(other);
  await other.goto(url);
  await other.locator('#plan-title').filter({ hasText: 'Oakland, CA' }).waitFor();
  await settled(other);
  assert.equal(await card(other, 'annual'), total);
  assert.equal(await other.inputValue('input[data-program="trauma_recovery_center"]'), '1');
  await other.close();
});

test('custom area; user text is shown as text', async () => {
  await page.goto(base + '/');
  await page.click('#custom summary');
  await page.fill('#custom-name', '<img src=x onerror=alert(1)>Town');
  await page.fill('#custom-pop', '120,000');
  await page.click('#custom-form button');
  await page.locator('#plan-title').filter({ hasText: '<img src=x onerror=alert(1)>Town' }).waitFor();
  await settled(page);
  assert.equal(await page.locator('#plan img[src="x"]').count(), 0);
  assert.equal(await page.isVisible('#map-btn'), false, 'no map for a custom area');
});

test('tier, dollar year, state defaults and payer: chosen on the page, kept in links and saved plans', async () => {
  // An old link (before these options): the defaults, and each line's overall grade.
  await page.goto(base + '/#geoid=06001&i.dv_shelter_bed=40');
  await page.locator('#plan-title').filter({ hasText: 'Alameda County, CA' }).waitFor();
  await settled(page);
  assert.equal(await page.inputValue('#tier'), 'standard');
  assert.equal(await page.inputValue('#dollar-year'), '');
  assert.equal(await page.inputValue('#payer'), '');
  assert.equal(await page.isChecked('#inv-defaults'), false);
  const meta = await page.textContent('#plan-meta');
  assert.match(meta, /standard tier/);
  assert.match(meta, /costs in \d{4} dollars \(CPI-U\)/);
  assert.match(await page.locator('tr', { has: page.locator('input[data-program="mobile_crisis_unit"]') }).locator('th').textContent(), /grade: assumption \(ratio: published\)/);
  assert.equal(await page.locator('input[data-program="civil_legal_aid_attorney"]').count(), 0, 'a goal line is not applied at the standard tier');
  // Who pays: the cost by payer, and no payer view yet.
  assert.ok(await page.locator('#payers-table tbody tr').count() > 1);
  assert.equal(await page.isVisible('#payer-view'), false);
  assert.equal(await page.isVisible('#card-payer'), false);

  await page.selectOption('#tier', 'goal');
  await settled(page, 'tier=goal');
  await page.locator('input[data-program="civil_legal_aid_attorney"]').waitFor();
  assert.match(await page.textContent('#plan-meta'), /goal tier/);

  await page.selectOption('#dollar-year', '2020');
  await settled(page, 'dy=2020');
  assert.match(await page.textContent('#plan-meta'), /costs in 2020 dollars/);

  const before = await page.inputValue('input[data-program="psychiatric_bed"]');
  await page.check('#inv-defaults');
  await settled(page, 'inv=state');
  await page.waitForFunction(() => document.querySelector('input[data-program="psychiatric_bed"]').value !== '');
  assert.notEqual(await page.inputValue('input[data-program="psychiatric_bed"]'), before);
  assert.match(await page.locator('td', { has: page.locator('input[data-program="psychiatric_bed"]') }).textContent(), /state default/);
  // The local count replaces the default.
  assert.equal(await page.inputValue('input[data-program="dv_shelter_bed"]'), '40');

  await page.selectOption('#payer', 'city');
  await settled(page, 'payer=city');
  await page.locator('#payer-view').filter({ hasText: 'City or county general fund' }).waitFor();
  assert.match(await page.textContent('#payer-view'), /split unknown/);
  assert.equal(await page.isVisible('#card-payer'), true);
  assert.match(await card(page, 'payer'), /^\$/);
  assert.match(await page.textContent('#announce'), /own budget/);
  await page.locator('#plan-meta').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'options-1280.png'), fullPage: true });

  // The exports carry the options.
  const [md] = await Promise.all([page.waitForEvent('download'), page.click('.exports button[data-format="markdown"]')]);
  const text = readFileSync(await md.path(), 'utf8');
  assert.match(text, /2020 dollars/);
  assert.match(text, /Goal tier/);
  assert.match(text, /On the city's own budget/);

  // A reload (the link) keeps every choice.
  await page.reload();
  await page.locator('#plan-title').filter({ hasText: 'Alameda County, CA' }).waitFor();
  await settled(page);
  assert.equal(await page.inputValue('#tier'), 'goal');
  assert.equal(await page.inputValue('#dollar-year'), '2020');
  assert.equal(await page.inputValue('#payer'), 'city');
  assert.equal(await page.isChecked('#inv-defaults'), true);

  // Saved and reopened from another place, the choices come back.
  await page.fill('#save-name', 'E2E options plan');
  await page.click('#save-btn');
  const item = page.locator('#saved-list li', { hasText: 'E2E options plan' });
  await item.waitFor();
  await page.goto(base + '/#geoid=06');
  await page.locator('#plan-title').filter({ hasText: 'California' }).waitFor();
  await settled(page);
  assert.equal(await page.inputValue('#tier'), 'standard');
  await item.getByRole('button', { name: /^Open saved plan/ }).click();
  await page.locator('#plan-title').filter({ hasText: 'Alameda County, CA' }).waitFor();
  await settled(page, 'payer=city');
  assert.equal(await page.inputValue('#tier'), 'goal');
  assert.equal(await page.inputValue('#payer'), 'city');
  assert.equal(await page.isChecked('#inv-defaults'), true);
  await item.getByRole('button', { name: /^Delete saved plan/ }).click();
  await item.waitFor({ state: 'detached' });

  // Back to the whole plan: the payer view goes away.
  await page.selectOption('#payer', '');
  await page.waitForFunction(() => !location.hash.includes('payer='));
  await settled(page);
  assert.equal(await page.isVisible('#payer-view'), false);

  // A custom area has no state whose defaults it could use.
  await page.goto(base + '/#pop=50000');
  await page.locator('#plan-title').filter({ hasText: 'Custom area' }).waitFor();
  await settled(page);
  assert.equal(await page.isDisabled('#inv-defaults'), true);
});

test('a 390px phone with every option chosen: nothing overflows', async () => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const p = await phone.newPage();
  watch(p);
  await p.goto(base + '/#geoid=06001&tier=goal&dy=2020&inv=state&payer=city');
  await p.locator('#plan-title').filter({ hasText: 'Alameda County, CA' }).waitFor();
  await settled(p);
  await p.locator('#payer-view').filter({ hasText: 'City or county general fund' }).waitFor();
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, 'page is ' + overflow + 'px wider than the screen');
  await p.screenshot({ path: join(SHOTS, 'options-390-top.png') });
  await p.locator('#payers-h').scrollIntoViewIfNeeded();
  await p.screenshot({ path: join(SHOTS, 'payers-390.png') });
  await p.screenshot({ path: join(SHOTS, 'options-390.png'), fullPage: true });
  const box = await p.locator('#tier').boundingBox();
  assert.ok(box.height >= 40 && box.width >= 200, JSON.stringify(box));
  await phone.close();
});

test('errors are shown in words', async () => {
  await page.goto(base + '/#geoid=99999999');
  await page.locator('#error').filter({ hasText: 'GEOID' }).waitFor();
  await page.fill('#place', 'zzzzqqq');
  await page.click('#search-form button[type=submit]');
  await page.locator('#error').filter({ hasText: 'No place matches' }).waitFor();
});

test('a 375px and a 360px phone: nothing overflows', async () => {
  const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const p = await phone.newPage();
  watch(p);
  await p.goto(base + '/#geoid=06001&i.dv_shelter_bed=12');
  await p.locator('#plan-title').filter({ hasText: 'Alameda County, CA' }).waitFor();
  await settled(p);
  await p.waitForFunction(() => document.getElementById('chart-need').naturalWidth > 0);
  await p.click('#map-btn');
  await p.waitForFunction(() => document.getElementById('map-img').naturalWidth > 0);
  await p.locator('#rank-table tbody tr').first().waitFor();
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, 'page is ' + overflow + 'px wider than the screen');
  await p.screenshot({ path: join(SHOTS, 'plan-375.png'), fullPage: true });
  await p.screenshot({ path: join(SHOTS, 'plan-375-top.png') });
  // Down to 360px.
  await p.setViewportSize({ width: 360, height: 740 });
  const overflow360 = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow360 <= 0, 'at 360px the page is ' + overflow360 + 'px wider than the screen');
  await p.screenshot({ path: join(SHOTS, 'plan-360-top.png') });
  // Inputs keep a usable size.
  const box = await p.locator('input[data-program="dv_shelter_bed"]').boundingBox();
  assert.ok(box.height >= 36 && box.width >= 80, JSON.stringify(box));
  await phone.close();
});

test('delete the saved plan', async () => {
  await page.goto(base + '/');
  const item = page.locator('#saved-list li', { hasText: 'E2E Oakland plan' });
  await item.getByRole('button', { name: /^Delete saved plan/ }).click();
  await page.locator('#saved-empty').waitFor({ state: 'visible' });
  await page.screenshot({ path: join(SHOTS, 'home-1280.png') });
});

test('the API reference page renders', async () => {
  await page.goto(base + '/api/docs');
  await page.locator('#op-plan_post').waitFor();
  await page.locator('#problem-invalid').waitFor();
  await page.locator('#schema-Scenario').waitFor();
  await page.screenshot({ path: join(SHOTS, 'api-docs-1280.png') });
});

test('no script errors and no Content-Security-Policy violations', () => {
  assert.deepEqual(problems, []);
});
