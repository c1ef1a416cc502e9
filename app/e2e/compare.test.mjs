// Fork and compare (network, CRDT and edge labs), and plots as files: fork a run with one
// change, watch both runs move under one time cursor, read the difference table, leave compare
// mode; download plots as PNG and SVG in every lab page. Every page must stay free of console errors and pass axe.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  assertAxeClean,
  frameRoundTrip,
  labStatus as status,
  readStatus,
  runToEnd,
  screenshot,
  startSite,
  waitForHeading,
} from './helpers.mjs';

let site;

before(async () => {
  site = await startSite();
});

after(async () => {
  await site?.close();
});

const forkFigure = (page) => page.locator('#fork-figure');
const forkTime = async (page) => Number(await forkFigure(page).getAttribute('data-sim-time-ns'));

/** Waits until the fork's clock equals the original's (the fork catches up over frames). */
async function inLockstep(page) {
  await page.waitForFunction(() => {
    const original = document.querySelector('#lab-status')?.dataset.simTimeNs;
    const fork = document.querySelector('#fork-figure')?.dataset.simTimeNs;
    return original !== undefined && original === fork;
  });
  const s = await readStatus(page);
  assert.equal(await forkTime(page), s.timeNs, 'both runs at the shared time');
  return s.timeNs;
}

/** Picks a change, types or chooses its value, and presses Fork here. */
async function tryFork(page, kind, value) {
  await page.getByLabel('Change', { exact: true }).selectOption(kind);
  const field = page.locator('#fork-value');
  if (value !== undefined) {
    if ((await field.evaluate((e) => e.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
  await page.locator('#fork-here').click();
}

/** Forks with a change and waits for the fork's view. */
async function forkWith(page, kind, value) {
  await tryFork(page, kind, value);
  await forkFigure(page).waitFor({ state: 'visible' });
}

/** The difference table's row for a measure: its sign and verdict words. */
async function row(page, metric) {
  const r = page.locator(`#fork-table tr[data-metric="${metric}"]`);
  return {
    sign: await r.getAttribute('data-sign'),
    verdict: await r.getAttribute('data-verdict'),
    text: await r.innerText(),
  };
}

test('network lab: fork with 30 % loss, both runs under one cursor, differences with the expected signs', async () => {
  const { page, watch } = await site.open();
  await page.goto(site.url + '#/lab/network');
  await waitForHeading(page, 'Network & broadcast');
  await status(page).waitFor();

  // Go to a moment, then fork there with 30 % loss (the preset has none).
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => Number(document.querySelector('#lab-status').dataset.simTimeNs) > 50e6);
  await page.getByRole('button', { name: 'Pause' }).click();
  const at = (await readStatus(page)).timeNs;
  assert.equal(await forkFigure(page).isVisible(), false, 'one view before forking');
  await forkWith(page, 'loss', '30');
  assert.match(await forkFigure(page).innerText(), /Fork: loss 30 %/);
  await page.locator('#compare-original-label', { hasText: 'Original' }).waitFor();
  assert.match(await page.locator('#fork-how').innerText(), /replays from 0 ms/);
  assert.equal(await inLockstep(page), at, 'the fork catches up to the fork moment');

  // The transport drives both: play, pause, step, step back, the timeline.
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction((t) => Number(document.querySelector('#lab-status').dataset.simTimeNs) > t + 50e6, at);
  await page.getByRole('button', { name: 'Pause' }).click();
  await inLockstep(page);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await inLockstep(page);
  await page.getByRole('button', { name: 'Step back' }).click();
  await inLockstep(page);
  await page.locator('#lab-timeline').fill('30');
  await page.waitForFunction(() => document.querySelector('#lab-status').dataset.mode === 'paused');
  assert.equal(await inLockstep(page), 30e6, 'scrubbing back moves both');

  await runToEnd(page);
  await inLockstep(page);
  const dropped = await row(page, 'Messages dropped');
  assert.equal(dropped.sign, 'up', 'loss drops messages');
  assert.equal(dropped.verdict, 'original');
  assert.match(dropped.text, /original better/);
  const delivered = await row(page, 'Messages delivered');
  assert.equal(delivered.sign, 'down', 'loss delivers fewer messages');
  const reach = await row(page, 'Reach (node, update) pairs');
  assert.ok(['down', 'equal'].includes(reach.sign), `reach never grows with loss (${reach.sign})`);

  await assertAxeClean(page, 'network lab, comparing');
  await screenshot(page, 'compare-network-wide');
  await screenshot(page, 'compare-network-narrow', { width: 400, height: 900 });
  const narrow = await page.evaluate(() => {
    const a = document.querySelector('.compare-views .lab-figure').getBoundingClientRect();
    const b = document.querySelector('#fork-figure').getBoundingClientRect();
    return b.top >= a.bottom - 1;
  });
  assert.ok(narrow, 'narrow widths stack the two views');
  await screenshot(page, 'compare-network-dark', { colorScheme: 'dark' });
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.emulateMedia({ colorScheme: 'light' });
  const wide = await page.evaluate(() => {
    const a = document.querySelector('.compare-views .lab-figure').getBoundingClientRect();
    const b = document.querySelector('#fork-figure').getBoundingClientRect();
    return Math.abs(a.top - b.top) < 2 && b.left > a.left;
  });
  assert.ok(wide, 'wide widths show the views side by side');

  // Leaving compare mode returns to the single run, where it was.
  const before = await readStatus(page);
  await page.locator('#fork-leave').click();
  await page.locator('#fork-here').waitFor();
  assert.equal(await forkFigure(page).isVisible(), false);
  assert.equal((await readStatus(page)).hash, before.hash);
  await frameRoundTrip(page);
  watch.assertClean();
});

test('CRDT lab: fork with a crash here shares the past, and a bad value is explained', async () => {
  const { page, watch } = await site.open();
  await page.goto(site.url + '#/lab/crdt');
  await waitForHeading(page, 'CRDT convergence');
  await status(page).waitFor();
  for (let i = 0; i < 40; i += 1) await page.getByRole('button', { name: 'Step', exact: true }).click();
  const here = await readStatus(page);

  await tryFork(page, 'crash', 'zero');
  await page.locator('#fork-status', { hasText: 'number' }).waitFor();
  assert.equal(await forkFigure(page).isVisible(), false, 'no fork from a bad value');

  await forkWith(page, 'crash', '1');
  assert.match(await page.locator('#fork-how').innerText(), /same up to/);
  assert.equal(await forkTime(page), here.timeNs);
  assert.equal(await forkFigure(page).getAttribute('data-trace-hash'), here.hash, 'same past');
  await runToEnd(page);
  await inLockstep(page);
  assert.ok((await page.locator('#fork-table tbody tr').count()) >= 6);
  await assertAxeClean(page, 'CRDT lab, comparing');
  await screenshot(page, 'compare-crdt-wide');
  watch.assertClean();
});

test('edge lab: fork to cloud-only, both runs under one cursor, the cloud is slower', async () => {
  const { page, watch } = await site.open();
  await page.goto(site.url + '#/lab/edge');
  await waitForHeading(page, 'Edge–cloud continuum');
  await status(page).waitFor();
  // Only the changes an edge run has: no link loss or crashes here.
  const kinds = await page.getByLabel('Change', { exact: true }).locator('option').evaluateAll((o) => o.map((e) => e.value));
  assert.deepEqual(kinds, ['policy', 'seed']);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => Number(document.querySelector('#lab-status').dataset.simTimeNs) > 2e9);
  await page.getByRole('button', { name: 'Pause' }).click();
  const at = (await readStatus(page)).timeNs;
  await forkWith(page, 'policy', 'cloud-only');
  assert.match(await forkFigure(page).innerText(), /Fork: policy cloud only/);
  assert.match(await page.locator('#fork-how').innerText(), /replays from 0 ms/);
  assert.equal(await inLockstep(page), at, 'the fork catches up to the fork moment');
  await runToEnd(page);
  await inLockstep(page);
  const latency = await row(page, 'Mean latency');
  assert.equal(latency.sign, 'up', 'tasks sent to the cloud take longer at low load');
  assert.equal(latency.verdict, 'original');
  assert.ok((await page.locator('#fork-table tbody tr').count()) >= 6);
  // The fork is drawn like the original: the tier view, on its own canvas.
  const painted = await page.evaluate(() => {
    const c = document.querySelector('#fork-figure canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) ink += 1;
    return ink;
  });
  assert.ok(painted > 1000, `the fork's view is painted (${painted} pixels)`);
  await assertAxeClean(page, 'edge lab, comparing');
  await screenshot(page, 'compare-edge-wide');
  await screenshot(page, 'compare-edge-narrow-dark', { width: 400, height: 900, colorScheme: 'dark' });
  watch.assertClean();
});

/** Downloads a plot through the button `name` inside `scope`; resolves to the file's bytes. */
async function download(page, scope, name) {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    scope.getByRole('button', { name }).click(),
  ]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function assertPlotFiles(page, figure, stem) {
  await figure.scrollIntoViewIfNeeded();
  const png = await download(page, figure, 'Download PNG');
  assert.equal(png.name, `${stem}.png`);
  assert.ok(png.bytes.subarray(0, 8).equals(PNG_SIGNATURE), 'a PNG signature');
  assert.ok(png.bytes.length > 1_000, `a PNG with pixels (${stem}: ${png.bytes.length} bytes)`);
  const svg = await download(page, figure, 'Download SVG');
  assert.equal(svg.name, `${stem}.svg`);
  const text = svg.bytes.toString('utf8');
  assert.match(text, /^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/, 'an <svg> root');
  assert.match(text, /<\/svg>\s*$/);
  assert.match(text, /<polyline/, 'curves drawn');
  const parsed = await page.evaluate((doc) => {
    const d = new DOMParser().parseFromString(doc, 'image/svg+xml');
    return { root: d.documentElement.nodeName, error: d.getElementsByTagName('parsererror').length };
  }, text);
  assert.deepEqual(parsed, { root: 'svg', error: 0 }, 'the browser parses the SVG');
}

test('every lab page offers its plots as PNG and SVG', async () => {
  const { page, watch } = await site.open();
  await page.goto(site.url + '#/lab/network');
  await waitForHeading(page, 'Network & broadcast');
  await runToEnd(page);
  await assertPlotFiles(page, page.locator('figure.plot'), 'continuum-spread');

  await page.goto(site.url + '#/lab/crdt');
  await waitForHeading(page, 'CRDT convergence');
  await runToEnd(page);
  const plots = page.locator('.crdt-plots figure');
  assert.equal(await plots.count(), 3);
  await assertPlotFiles(page, plots.nth(0), 'continuum-crdt-divergence');
  await assertPlotFiles(page, plots.nth(1), 'continuum-crdt-bytes');
  await assertPlotFiles(page, plots.nth(2), 'continuum-crdt-metadata');

  await page.goto(site.url + '#/lab/energy');
  await waitForHeading(page, 'Energy');
  const group = page.getByRole('group', { name: 'Download the power curves plot' });
  await assertPlotFiles(page, group, 'continuum-power-curves');
  assert.ok((await page.locator('.plot-files').count()) >= 2, 'every energy chart has downloads');
  await assertAxeClean(page, 'energy lab with plot downloads');
  watch.assertClean();
});

test("the lossy spanning tree's advice holds: a flooding fork reaches more nodes", async () => {
  const { page, watch } = await site.open();
  await page.goto(site.url + '#/lab/network');
  await waitForHeading(page, 'Network & broadcast');
  await status(page).waitFor();
  await page.getByLabel('Preset').selectOption({ label: 'Lossy spanning tree' });
  assert.match(await page.locator('#lab-preset-description').innerText(), /Switch the protocol to flooding/);
  await forkWith(page, 'protocol', 'flood');
  await runToEnd(page);
  await inLockstep(page);
  const reach = await row(page, 'Reach (node, update) pairs');
  assert.equal(reach.sign, 'up', `flooding reaches more: ${reach.text}`);
  assert.equal(reach.verdict, 'fork');
  const sent = await row(page, 'Messages delivered');
  assert.equal(sent.sign, 'up', `and costs more messages: ${sent.text}`);
  watch.assertClean();
});
