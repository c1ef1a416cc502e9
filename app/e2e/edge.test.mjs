// The edge–cloud continuum lab, used as a person would: open it from the home page, run the
// default preset and see tasks complete, switch the policy, compare every policy across seeds
// and open a run from the scatter, run the Melbourne CBD preset for its ten simulated minutes
// while the page keeps answering, share a run and reopen it. Every page must stay free of
// console errors and foreign requests, and pass axe.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
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

async function openLab(page, hash = '#/lab/edge') {
  await page.goto(site.url + hash);
  await waitForHeading(page, 'Edge–cloud continuum');
  await status(page).waitFor();
}

const count = async (page, id) => Number((await page.locator(`#${id}`).innerText()).replace(/[^0-9]/g, ''));

test('from the home page to the lab: the low-load preset completes its tasks, none lost', async () => {
  const { page, watch } = await site.open();
  await page.goto(site.url);
  await waitForHeading(page, 'Continuum');
  await page.getByRole('main').getByRole('link', { name: 'Edge–cloud continuum' }).click();
  await waitForHeading(page, 'Edge–cloud continuum');
  await status(page).waitFor();
  await assertAxeClean(page, 'edge lab');
  await runToEnd(page);
  const created = await count(page, 'edge-created');
  const completed = await count(page, 'edge-completed');
  const inProgress = await count(page, 'edge-in-progress');
  const dropped = Number((await page.locator('#edge-dropped').innerText()).split(' ')[0].replace(/[^0-9]/g, ''));
  assert.ok(created > 100, `tasks were created: ${created}`);
  assert.equal(completed + dropped + inProgress, created, 'every task is completed, dropped or in progress');
  assert.match(await page.locator('#edge-latency').innerText(), /ms, .* ms, .* ms/);
  await assertAxeClean(page, 'edge lab finished');
  watch.assertClean();
});

test('switch the policy: cloud-only is slower than nearest-edge at low load', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  await runToEnd(page);
  const meanOf = async () => Number((await page.locator('#edge-latency').innerText()).split(' ')[0]);
  const nearest = await meanOf();
  await page.getByLabel('Placement policy').selectOption('cloud-only');
  await page.waitForFunction(() => document.querySelector('#lab-status')?.dataset.simTimeNs === '0');
  await runToEnd(page);
  const cloud = await meanOf();
  assert.ok(cloud > nearest * 1.5, `median latency: cloud-only ${cloud} ms vs nearest-edge ${nearest} ms`);
  await assertAxeClean(page, 'edge lab, cloud only');
  watch.assertClean();
});

test('compare every policy across seeds; a point of the scatter opens its run', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  await page.getByLabel('Duration (s)').fill('10');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByLabel('Seeds').fill('3');
  await page.getByRole('button', { name: 'Run comparison' }).click();
  await page.getByLabel('Comparison progress').waitFor();
  for (let i = 0; i < 5; i += 1) assert.equal(await frameRoundTrip(page), true);
  await page.locator('.edge-compare-table').waitFor({ timeout: 120_000 });
  const rows = page.locator('.edge-compare-table tbody tr');
  assert.equal(await rows.count(), 9);
  assert.ok((await page.locator('.edge-compare-table tr.pareto').count()) >= 1, 'a Pareto front');
  assert.match(await page.locator('.edge-compare-table tbody').innerText(), /±/);
  await screenshot(page, 'edge-compare-light-1400x900');
  await screenshot(page, 'edge-compare-dark-1400x900', { colorScheme: 'dark' });
  await assertAxeClean(page, 'edge compare');
  const point = page.getByRole('button', { name: /^cloud-only: Cloud only, .*Open this run/ });
  await point.focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.getByLabel('Placement policy').inputValue(), 'cloud-only');
  watch.assertClean();
});

test('the Melbourne CBD preset runs its ten minutes with progress shown, and the page keeps answering', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  await page.getByLabel('Preset').selectOption({ label: 'Melbourne CBD' });
  await page.waitForFunction(() => /Melbourne/.test(document.querySelector('.edge-canvas')?.getAttribute('aria-label') ?? ''));
  assert.match(await page.locator('.edge-canvas').getAttribute('aria-label'), /816 devices/);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.getByLabel(/^Speed/).fill('400');
  for (let i = 0; i < 5; i += 1) assert.equal(await frameRoundTrip(page), true);
  await screenshot(page, 'edge-melbourne-light-1400x900');
  await runToEnd(page, 600_000);
  assert.equal(await page.getByLabel('Run progress').getAttribute('value'), '1');
  assert.ok((await count(page, 'edge-completed')) > 10_000);
  await screenshot(page, 'edge-melbourne-dark-1400x900', { colorScheme: 'dark' });
  await screenshot(page, 'edge-melbourne-light-420x900', { width: 420, height: 900 });
  watch.assertClean();
});

test('share a run and open it in a fresh page: the same run', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  await page.getByLabel('Placement policy').selectOption('deadline-aware');
  await runToEnd(page);
  const here = await readStatus(page);
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const link = await page.locator('#lab-share-link').inputValue();
  assert.match(link, /&lab=edge$/);
  const { page: other, watch: otherWatch } = await site.open();
  await other.goto(link);
  await waitForHeading(other, 'Edge–cloud continuum');
  assert.equal(await other.getByLabel('Placement policy').inputValue(), 'deadline-aware');
  await runToEnd(other);
  assert.equal((await readStatus(other)).hash, here.hash);
  await assertAxeClean(other, 'edge lab from a link');
  watch.assertClean();
  otherWatch.assertClean();
});

test('editor problems sit at their fields, in red, in the field unit, with limits shown', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  const editor = page.locator('.editor');
  const running = await readStatus(page);
  const edges = editor.getByLabel('Edge servers');
  assert.match(await page.locator('#edge-edges-hint').innerText(), /^1 – 1,000$/);
  // At most 20,000 nodes in all: the cloud, the fog and the edge servers count too.
  assert.match(await page.locator('#edge-devices-hint').innerText(), /^1 – 19,994$/);
  assert.match(await page.locator('#edge-report-hint').innerText(), /10 ms – 600,000 ms/);

  await edges.fill('0');
  await editor.getByLabel('Devices (users)').fill('0');
  await editor.getByLabel('Load report interval (ms)').fill('0');
  await editor.getByLabel('Duration (s)').fill('0');
  await editor.getByRole('button', { name: 'Apply' }).click();
  await editor.locator('.problem-summary').waitFor();
  const summary = await editor.locator('.problem-summary').innerText();
  assert.match(summary, /4 problems: fix them/);
  assert.match(summary, /Load report interval: The report interval must be between 10 ms and 600,000 ms, but it is 0 ms\./);
  assert.match(summary, /Duration: The duration must be above 0 s and at most 3,600 s, but it is 0 s\./);
  assert.doesNotMatch(summary, /\bns\b/, 'no unit the fields do not use');

  // Each problem is under its own field, which is outlined and points to it.
  for (const [label, pattern] of [
    ['Edge servers', /between 1 and 1,000, but it is 0/],
    ['Devices (users)', /with no devices there are no tasks/],
    ['Load report interval (ms)', /but it is 0 ms/],
    ['Duration (s)', /but it is 0 s/],
  ]) {
    const field = editor.getByLabel(label);
    assert.equal(await field.getAttribute('aria-invalid'), 'true', label);
    const ids = (await field.getAttribute('aria-describedby')).split(' ');
    const error = page.locator(`#${ids[ids.length - 1]}`);
    assert.match(await error.innerText(), pattern, label);
    assert.equal(await error.getAttribute('class'), 'field-error', label);
    const [colour, danger] = await error.evaluate((e) => [
      getComputedStyle(e).color,
      getComputedStyle(document.querySelector('.problem-summary')).color,
    ]);
    assert.equal(colour, danger, `${label}: the problem is in the danger colour`);
  }
  assert.deepEqual(await readStatus(page), running, 'the previous run is kept');
  await assertAxeClean(page, 'edge editor with problems');
  await screenshot(page, 'edge-editor-problems-light-1400x900');

  await edges.fill('4');
  await editor.getByLabel('Devices (users)').fill('40');
  await editor.getByLabel('Load report interval (ms)').fill('1000');
  await editor.getByLabel('Duration (s)').fill('60');
  await editor.getByRole('button', { name: 'Apply' }).click();
  await page.waitForFunction(() => !document.querySelector('.editor .problem-summary'));
  watch.assertClean();
});
