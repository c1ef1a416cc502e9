// The remote-calls lab, the template lab written only through the kit, used as a person
// would: open it from the home page's map, run the lossless default (balance = believed), pick
// the lossy at-least-once preset and see double deposits, fork it with exactly-once and see
// them go, get every problem of a bad form at its field, and reopen a shared run. No console
// errors, no foreign requests, axe clean; screenshots wide and narrow, light and dark.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertAxeClean,
  readStatus,
  runToEnd,
  screenshot,
  startSite,
  waitForHeading,
  labStatus as status,
} from './helpers.mjs';

let site;

before(async () => {
  site = await startSite();
});

after(async () => {
  await site?.close();
});

const TITLE = 'Remote calls';

async function openLab(page, hash = '#/lab/rpc') {
  await page.goto(site.url + hash);
  await waitForHeading(page, TITLE);
  await status(page).waitFor();
}

/** A row of the measurements table, as a number. */
async function measure(page, name) {
  const cell = page.locator('#rpc-measurements tr', { has: page.locator('th', { hasText: name }) }).locator('td');
  return Number((await cell.first().innerText()).split(' ')[0].replace(/[^0-9]/g, ''));
}

test('from the course map: the lossless default executes every call once', async () => {
  const { page, watch } = await site.open();
  await page.goto(site.url);
  await waitForHeading(page, 'Continuum');
  const foundations = page.getByRole('region', { name: 'Foundations' });
  await foundations.getByRole('link', { name: TITLE }).click();
  await waitForHeading(page, TITLE);
  await status(page).waitFor();
  await assertAxeClean(page, 'rpc lab');
  await runToEnd(page);
  const started = await measure(page, 'Calls started');
  const completed = await measure(page, 'Completed');
  assert.ok(started > 100, `calls were made: ${started}`);
  assert.equal(await measure(page, 'Duplicate executions'), 0);
  assert.equal(await measure(page, 'Server balance'), completed, 'the balance is what the clients believe');
  await page.locator('.explainer').getByText('equals the deposits the clients believe').waitFor();
  await screenshot(page, 'rpc-default-wide-light');
  await screenshot(page, 'rpc-default-narrow-dark', { width: 390, height: 844, colorScheme: 'dark' });
  await assertAxeClean(page, 'rpc lab finished');
  watch.assertClean();
});

test('lossy at-least-once deposits twice; a fork with exactly-once does not', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  await page.getByLabel('Preset').selectOption({ label: 'Lossy link, at-least-once: double deposits' });
  await runToEnd(page);
  const duplicates = await measure(page, 'Duplicate executions');
  assert.ok(duplicates > 0, `duplicates: ${duplicates}`);
  assert.ok((await measure(page, 'Server balance')) > (await measure(page, 'Believed by the clients')));
  await page.getByLabel('Change', { exact: true }).selectOption('variant');
  await page.locator('#fork-value').selectOption('exactly-once');
  await page.locator('#fork-here').click();
  await page.locator('#fork-table').waitFor();
  const row = page.locator('#fork-table tr', { has: page.locator('th', { hasText: 'Duplicate executions' }) });
  const cells = await row.locator('td').allInnerTexts();
  assert.equal(Number(cells[0].replace(/[^0-9]/g, '')), duplicates, `original: ${cells}`);
  assert.equal(Number(cells[1].replace(/[^0-9]/g, '')), 0, `fork: ${cells}`);
  await screenshot(page, 'rpc-fork-wide-dark', { colorScheme: 'dark' });
  await assertAxeClean(page, 'rpc fork');
  watch.assertClean();
});

test('a bad form shows every problem at its field and keeps the run; a share link reopens it', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  const before = await readStatus(page);
  await page.getByLabel('Clients', { exact: true }).fill('0');
  await page.getByLabel('Timeout per attempt (ms)').fill('soon');
  await page.getByLabel('Message loss (%)').fill('140');
  await page.getByRole('button', { name: 'Apply' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'problems' });
  await summary.waitFor();
  assert.match(await summary.innerText(), /3 problems/);
  for (const label of ['Clients', 'Timeout per attempt (ms)', 'Message loss (%)']) {
    assert.equal(await page.getByLabel(label, { exact: true }).getAttribute('aria-invalid'), 'true', label);
  }
  assert.equal((await readStatus(page)).hash, before.hash, 'the previous run is kept');
  await screenshot(page, 'rpc-editor-problems-narrow-light', { width: 390, height: 844 });
  // Share: the link opens the same run in a fresh page.
  await page.getByLabel('Preset').selectOption({ label: 'Server crash loses the reply cache' });
  await runToEnd(page);
  const ran = await readStatus(page);
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const link = await page.locator('#lab-share-link').inputValue();
  assert.match(link, /&lab=rpc$/);
  const { page: other, watch: otherWatch } = await site.open();
  await other.goto(link);
  await waitForHeading(other, TITLE);
  await runToEnd(other);
  assert.equal((await readStatus(other)).hash, ran.hash, 'the shared run is the same run');
  watch.assertClean();
  otherWatch.assertClean();
});
