// The CRDT convergence lab, used as a person would: open it from the home page, run a preset
// and see the replicas converge, act on chosen replicas (add, remove, type into a text),
// partition and heal, edit the scenario, share the run and open the link elsewhere, and run
// 1,000 replicas while the page keeps answering. Every page must stay free of console errors
// and foreign requests, and pass axe.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  assertAxeClean,
  currentLabInMenu,
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

async function openLab(page, hash = '#/lab/crdt') {
  await page.goto(site.url + hash);
  await waitForHeading(page, 'CRDT convergence');
  await status(page).waitFor();
}

/** Plays in real time (1×) and pauses once the clock has passed `ms`. */
async function playUntil(page, ms) {
  await page.getByLabel(/^Speed/).fill('200');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction((ns) => Number(document.querySelector('#lab-status').dataset.simTimeNs) >= ns, ms * 1e6, {
    timeout: 60_000,
  });
  await page.getByRole('button', { name: 'Pause' }).click();
}

/** The value shown on every replica panel. */
async function replicaValues(page) {
  return page.locator('.replica-card .replica-value').allInnerTexts();
}

test('from the home page to the lab: the default preset converges, add wins', async () => {
  const { page, watch } = await site.open();
  await page.goto(site.url);
  await waitForHeading(page, 'Continuum');
  await page.getByRole('main').getByRole('link', { name: 'CRDT convergence' }).click();
  await waitForHeading(page, 'CRDT convergence');
  const canvas = page.getByRole('img', { name: /Live view of the replicas/ });
  await canvas.waitFor();
  assert.match(await canvas.getAttribute('aria-label'), /5 replicas in 1 distinct state/);
  assert.equal(await page.locator('.replica-card').count(), 5);
  assert.equal(await page.getByLabel('Type', { exact: true }).inputValue(), 'or-set');

  // Step by keyboard: a moment at a time (the five replicas start together), then run to the end.
  await page.locator('body').press('.');
  const first = await readStatus(page);
  assert.ok(first.events >= 5, `the five starts at 0 ms in one step (${first.events} events)`);
  await page.locator('body').press('.');
  assert.ok((await readStatus(page)).timeNs > first.timeNs, 'the next step moves the clock');
  await runToEnd(page);
  assert.equal(await page.locator('#crdt-distinct').innerText(), '1');
  for (const v of await replicaValues(page)) assert.equal(v, '{"milk"}');
  // Every sync mode converged on the same updates, and the table says how fast and at what cost.
  const rows = page.locator('.mode-table tbody tr');
  assert.equal(await rows.count(), 3);
  for (let i = 0; i < 3; i += 1) assert.doesNotMatch(await rows.nth(i).innerText(), /not yet/);
  assert.match(await page.locator('.explainer').innerText(), /add wins/i);
  // The energy ledger: five replicas idling 4 s at 3.8 W are 76 J, their network lines 4 s at
  // 4.5 W each are 90 J (Malmodin 2020's fixed line power), plus their messages' bits (nJ).
  assert.match(await page.locator('#lab-energy-total').innerText(), /^166(\.\d+)? J$/);
  const world = await page.locator('#lab-energy-carbon').innerText();
  await page.getByLabel('Electricity grid').selectOption({ index: 0 });
  const norway = await page.locator('#lab-energy-carbon').innerText();
  assert.notEqual(norway, world, 'the grid changes the carbon');
  await assertAxeClean(page, 'crdt lab (light)');
  watch.assertClean();
});

test('act on chosen replicas, partition and heal: the updates converge everywhere', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  await playUntil(page, 1_000);
  await page.getByRole('button', { name: 'Replica 3', exact: true }).click();
  await page.getByRole('heading', { name: 'Act on r3' }).waitFor();
  await page.getByRole('button', { name: 'Split in halves' }).click();
  await page.getByLabel('Element', { exact: true }).fill('figs');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  assert.match(await page.locator('.lab-actions [role="status"]').innerText(), /r3: add “figs”/);
  // Step until the partitioned replicas hold two different states.
  await playUntil(page, 1_600);
  assert.notEqual(await page.locator('#crdt-distinct').innerText(), '1');
  await page.getByRole('button', { name: 'Heal' }).click();
  await runToEnd(page);
  assert.equal(await page.locator('#crdt-distinct').innerText(), '1');
  for (const v of await replicaValues(page)) assert.match(v, /"figs"/);
  watch.assertClean();
});

test('type into a replica of the collaborative text: every replica ends with the same text', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  await page.getByLabel('Preset').selectOption({ label: 'Collaborative text' });
  await playUntil(page, 1_000);
  await page.getByRole('button', { name: 'Replica 2', exact: true }).click();
  const box = page.getByLabel('Text at r2');
  const before = await box.inputValue();
  assert.match(before, /^Hello/);
  await box.focus();
  await page.keyboard.press('End');
  await page.keyboard.type(' there');
  await runToEnd(page);
  const values = await replicaValues(page);
  assert.equal(new Set(values).size, 1, values.join(' | '));
  assert.match(values[0], /there/);
  await assertAxeClean(page, 'crdt text');
  watch.assertClean();
});

test('share a run with recorded updates and open it in a fresh page: the same run', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  await page.getByLabel('Preset').selectOption({ label: 'Partition, then heal' });
  await playUntil(page, 800);
  await page.getByRole('button', { name: 'Replica 5', exact: true }).click();
  await page.getByLabel('Amount').fill('7');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const link = await page.locator('#lab-share-link').inputValue();
  assert.match(link, /#s=1\.[A-Za-z0-9_-]+&lab=crdt$/);

  const { page: other, watch: otherWatch } = await site.open();
  await other.goto(link);
  await waitForHeading(other, 'CRDT convergence');
  assert.equal(await other.locator('.lab-alert').count(), 0, 'no error banner');
  assert.equal(await currentLabInMenu(other), 'CRDT convergence', 'the Labs menu marks the CRDT lab');
  await runToEnd(page);
  await runToEnd(other);
  const [mine, theirs] = [await readStatus(page), await readStatus(other)];
  assert.equal(theirs.hash, mine.hash, 'same trace hash at the end');
  assert.deepEqual(await replicaValues(other), await replicaValues(page));
  // The partition preset's total (7) plus the 7 added live.
  for (const v of await replicaValues(other)) assert.equal(v, '14');
  watch.assertClean();
  otherWatch.assertClean();
});

test('edit the scenario: switch type and mode, and see problems next to their fields', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  const editor = page.locator('.editor');
  await editor.getByLabel('Type', { exact: true }).selectOption('g-counter');
  await editor.getByRole('button', { name: 'Apply' }).click();
  await page.waitForFunction(() => /were dropped/.test(document.querySelector('.editor [role="status"]')?.innerText ?? ''));
  assert.equal(await page.locator('.replica-card .replica-value').first().innerText(), '0');

  await editor.getByLabel('Fanout').fill('0');
  await editor.getByLabel('Replicas').fill('2000');
  await editor.getByRole('button', { name: 'Apply' }).click();
  const summary = editor.locator('.problem-summary');
  await summary.waitFor();
  const text = await summary.innerText();
  assert.match(text, /between 1 and 1,000, but it is 2,000/);
  assert.match(text, /between 1 and 64, but it is 0/);
  assert.equal(await editor.getByLabel('Fanout').getAttribute('aria-invalid'), 'true');
  await assertAxeClean(page, 'crdt editor with problems');

  await editor.getByLabel('Fanout').fill('2');
  await editor.getByLabel('Replicas').fill('12');
  await editor.getByLabel('Sync mode').selectOption('op');
  await editor.getByRole('button', { name: 'Apply' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.replica-card').length === 12);
  assert.match(await page.locator('.mode-table tr.chosen').innerText(), /op \(shown\)/);
  watch.assertClean();
});

test('1,000 replicas play as aggregates and the page keeps answering', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  await page.getByLabel('Preset').selectOption({ label: '1,000 replicas' });
  await page.waitForFunction(() => /1,000 replicas/.test(document.querySelector('.crdt-canvas')?.getAttribute('aria-label') ?? ''));
  assert.match(await page.locator('.lab-caption').first().innerText(), /too many to follow one by one/);
  assert.equal(await page.locator('.replica-card').count(), 1, 'only the selected replica is shown');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.getByLabel(/^Speed/).fill('400');
  for (let i = 0; i < 10; i += 1) assert.equal(await frameRoundTrip(page), true);
  await page.waitForFunction(() => Number(document.querySelector('#lab-status').dataset.simTimeNs) > 300_000_000, null, {
    timeout: 90_000,
  });
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('button', { name: 'Play' }).waitFor();
  await screenshot(page, 'crdt-1000-light-1400x900');
  watch.assertClean();
});

test('screenshots of the CRDT lab, light and dark, wide and narrow', async () => {
  for (const [width, height] of [
    [1400, 1000],
    [800, 1000],
  ]) {
    const { page, watch } = await site.open({ viewport: { width, height } });
    await openLab(page);
    await page.getByLabel('Preset').selectOption({ label: 'Partition, then heal' });
    await playUntil(page, 2_000);
    await frameRoundTrip(page);
    for (const colorScheme of ['light', 'dark']) {
      await screenshot(page, `crdt-${colorScheme}-${width}x${height}`, { width, height, colorScheme });
    }
    await assertAxeClean(page, `crdt lab (dark, ${width} px)`);
    watch.assertClean();
  }
});

test('export the scenario and the curves, import scenario files and see their problems', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  const fetchDownload = async (name) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
    return readFile(await download.path(), 'utf8');
  };
  const scenario = JSON.parse(await fetchDownload('Download scenario (JSON)'));
  assert.equal(scenario.lab.Crdt.replicas, 5);
  await runToEnd(page);
  const csv = await fetchDownload('Download curves (CSV)');
  assert.match(csv, /^time_ms,distinct_states,/);
  assert.ok(csv.trim().split('\n').length > 100, 'one row per sample');

  const open = (name, text) =>
    page.getByLabel('Open a scenario file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  const importStatus = page.locator('#lab-import-status');
  scenario.lab.Crdt.replicas = 7;
  await open('seven.json', JSON.stringify(scenario));
  await page.waitForFunction(() => document.querySelectorAll('.replica-card').length === 7);
  assert.match(await importStatus.innerText(), /was opened/);

  await open('broken.json', '{"seed": 1,');
  await page.waitForFunction(() => /not a Continuum scenario file/.test(document.querySelector('#lab-import-status').innerText));
  scenario.lab.Crdt.replicas = 0;
  scenario.lab.Crdt.sync.Delta.fanout = 0;
  await open('invalid.json', JSON.stringify(scenario));
  await page.waitForFunction(() => /cannot run/.test(document.querySelector('#lab-import-status').innerText));
  const said = await importStatus.innerText();
  assert.match(said, /nodes/);
  assert.match(said, /fanout/);
  assert.equal(await page.locator('.replica-card').count(), 7, 'the run is kept');

  // A network scenario opens in the network lab.
  await page.goto(site.url + '#/lab/network');
  await waitForHeading(page, 'Network & broadcast');
  const network = await fetchDownload('Download scenario (JSON)');
  await openLab(page);
  await open('network.json', network);
  await waitForHeading(page, 'Network & broadcast');
  await assertAxeClean(page, 'network lab opened from a file');
  watch.assertClean();
});
