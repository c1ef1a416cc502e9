// The space-time diagram and the trace exports, in every lab with a run: the diagram shows lanes and
// arrows; clicking an event moves the time cursor there and shows its causal past and future
// with its vector clock; the ShiViz download parses with ShiViz's default expression (its first
// line) exactly as ShiViz applies it; the JSON-lines download is one JSON object per line.
// Screenshots of the diagram (light, dark, narrow) go to $SHOTS (default /tmp/shots-trace).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { assertAxeClean, labStatus as status, readStatus, startSite, waitForHeading } from './helpers.mjs';

const SHOTS = process.env.SHOTS ?? '/tmp/shots-trace';
let site;

before(async () => {
  site = await startSite();
  await mkdir(SHOTS, { recursive: true });
});

after(async () => {
  await site?.close();
});

async function openLab(page, hash, heading) {
  await page.goto(site.url + hash);
  await waitForHeading(page, heading);
  await status(page).waitFor();
}

/** Plays until the run's clock passes `ns`, then pauses. */
async function playUntil(page, ns) {
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction((t) => Number(document.querySelector('#lab-status').dataset.simTimeNs) > t, ns);
  await page.getByRole('button', { name: 'Pause' }).click();
}

async function download(page, name) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
  return readFile(await file.path(), 'utf8');
}

/** Parses a ShiViz file as ShiViz's upload does: line 1 the parser, line 2 the delimiter. */
function parseShiviz(text) {
  const [parser, delimiter] = text.split('\n', 2);
  assert.equal(parser, '(?<event>.*)\\n(?<host>\\S*) (?<clock>{.*})', "ShiViz's default parser");
  assert.equal(delimiter, '', 'one execution');
  const log = text.slice(text.indexOf('\n', text.indexOf('\n') + 1) + 1).trim();
  const re = new RegExp(parser, 'gm');
  const events = [];
  for (const m of log.matchAll(re)) {
    const clock = JSON.parse(m.groups.clock);
    events.push({ event: m.groups.event, host: m.groups.host, clock });
  }
  return events;
}

function checkShiviz(events) {
  assert.ok(events.length > 20, `${events.length} events`);
  const own = new Map();
  for (const { event, host, clock } of events) {
    assert.match(host, /^n\d+$/);
    assert.ok(event.length > 0);
    const n = (own.get(host) ?? 0) + 1;
    own.set(host, n);
    assert.equal(clock[host], n, `the clock of ${host} counts its events: ${event}`);
  }
}

async function checkDiagramAndClick(page, label) {
  const figure = page.locator('figure.spacetime');
  await figure.scrollIntoViewIfNeeded();
  const lanes = await figure.locator('.st-lane').count();
  assert.ok(lanes >= 3 && lanes <= 12, `${lanes} lanes`);
  assert.ok((await figure.locator('line.st-arrow').count()) > 0, 'arrows from send to delivery');
  const events = figure.locator('g.st-event');
  const count = await events.count();
  assert.ok(count > 10, `${count} events drawn`);
  const before = await readStatus(page);
  // An event from the first half (earlier than now, so the cursor moves back) that no other
  // glyph covers, so a real click lands on it.
  const index = await page.evaluate(() => {
    const all = [...document.querySelectorAll('figure.spacetime g.st-event')];
    for (let i = Math.floor(all.length / 3); i < all.length; i++) {
      const box = all[i].getBoundingClientRect();
      const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
      if (hit?.closest('g.st-event') === all[i]) return i;
    }
    return -1;
  });
  assert.ok(index >= 0, 'an uncovered event');
  const target = events.nth(index);
  const seq = await target.getAttribute('data-seq');
  const title = await target.locator('title').textContent();
  await target.click();
  await page.waitForFunction(() => document.querySelector('#lab-status')?.dataset.mode === 'paused');
  await page.waitForFunction(
    (s) => document.querySelector('figure.spacetime g.st-event.rel-chosen')?.dataset.seq === s,
    seq,
  );
  const after = await readStatus(page);
  assert.ok(after.timeNs <= before.timeNs, `${label}: the cursor moved back (${before.timeNs} → ${after.timeNs})`);
  const related = await figure.locator('g.st-event.rel-past, g.st-event.rel-future').count();
  assert.ok(related > 0, `${label}: causal past or future highlighted`);
  const chosenText = await figure.locator('.spacetime-chosen').innerText();
  assert.ok(chosenText.includes(title.trim()), chosenText);
  assert.match(await figure.locator('.spacetime-clock').innerText(), /[nr]\d+:\d+/);
  // The buttons walk the events from the keyboard.
  await figure.getByRole('button', { name: 'Later event ▶' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    (s) => {
      const c = document.querySelector('figure.spacetime g.st-event.rel-chosen');
      return c && c.dataset.seq !== s;
    },
    seq,
  );
  // Lamport layout draws the same events.
  await figure.getByLabel('Lamport time').check();
  assert.ok((await figure.locator('g.st-event').count()) > 10);
  await figure.getByLabel('simulated time').check();
}

async function shots(page, name) {
  const figure = page.locator('figure.spacetime');
  for (const [suffix, width, scheme] of [
    ['light', 1400, 'light'],
    ['dark', 1400, 'dark'],
    ['narrow', 400, 'light'],
  ]) {
    await page.setViewportSize({ width, height: 900 });
    await page.emulateMedia({ colorScheme: scheme });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await figure.scrollIntoViewIfNeeded();
    await figure.screenshot({ path: path.join(SHOTS, `${name}-${suffix}.png`) });
  }
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.emulateMedia({ colorScheme: 'light' });
}

test('network lab: diagram, causal highlight, ShiViz and JSON-lines downloads', async () => {
  const { page, watch } = await site.open();
  await openLab(page, '#/lab/network', 'Network & broadcast');
  await playUntil(page, 250_000_000);
  await checkDiagramAndClick(page, 'network');
  checkShiviz(parseShiviz(await download(page, 'Trace (ShiViz)')));
  const lines = (await download(page, 'Trace (JSON lines)')).trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines[0].format, 'continuum-trace');
  assert.equal(lines.length - 1, lines[0].events);
  assert.ok(lines.slice(1).every((e) => typeof e.seq === 'number' && typeof e.event === 'string'));
  await assertAxeClean(page, 'network lab with a chosen event');
  await shots(page, 'network-diagram');
  watch.assertClean();
});

test('CRDT lab: diagram, causal highlight and ShiViz download', async () => {
  const { page, watch } = await site.open();
  await openLab(page, '#/lab/crdt', 'CRDT convergence');
  await playUntil(page, 1_500_000_000);
  // Replicas are r0, r1, … here as everywhere in the lab: typed lanes, labels and titles.
  const figure = page.locator('figure.spacetime');
  assert.match(await figure.locator('#spacetime-lanes-help').innerText(), /like r0, r3/);
  const lanesField = figure.getByLabel('Lanes (nodes)');
  await lanesField.fill('r2, r0');
  await lanesField.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('figure.spacetime .st-lane').length === 2);
  assert.deepEqual(await figure.locator('.st-lane-label').allTextContents(), ['r2', 'r0']);
  assert.equal(await lanesField.getAttribute('aria-invalid'), 'false');
  await lanesField.fill('r9');
  await lanesField.press('Enter');
  await figure.locator('#spacetime-lanes-help.field-error', { hasText: 'r9 is not in this run: its nodes are r0 to r4' }).waitFor();
  await lanesField.fill('');
  await lanesField.press('Enter');
  await checkDiagramAndClick(page, 'crdt');
  checkShiviz(parseShiviz(await download(page, 'Trace (ShiViz)')));
  await assertAxeClean(page, 'CRDT lab with a chosen event');
  await shots(page, 'crdt-diagram');
  watch.assertClean();
});

test('edge lab: diagram on typed lanes, causal highlight, ShiViz download', async () => {
  const { page, watch } = await site.open();
  await openLab(page, '#/lab/edge', 'Edge–cloud continuum');
  await playUntil(page, 3_000_000_000);
  const figure = page.locator('figure.spacetime');
  const lanesField = figure.getByLabel('Lanes (nodes)');
  // A mistake is explained beside the field, and the automatic lanes stay drawn.
  await lanesField.fill('n0, x9');
  await lanesField.press('Enter');
  await figure.locator('#spacetime-lanes-help.field-error', { hasText: '“x9” is not a node' }).waitFor();
  assert.equal(await lanesField.getAttribute('aria-invalid'), 'true');
  assert.ok((await figure.locator('.st-lane').count()) >= 3);
  // The cloud, the fog and the edge servers (the first ids), as typed.
  await lanesField.fill('0-5');
  await lanesField.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('figure.spacetime .st-lane').length === 6);
  assert.equal(await lanesField.getAttribute('aria-invalid'), 'false');
  await checkDiagramAndClick(page, 'edge');
  checkShiviz(parseShiviz(await download(page, 'Trace (ShiViz)')));
  await assertAxeClean(page, 'edge lab with a chosen event');
  await shots(page, 'edge-diagram');
  watch.assertClean();
});
