// The energy & sustainability lab, used as a person would: open it from the home page, set the
// lecture's example and read its total, change the coefficient set, run the consolidation
// experiment until a host is switched off, share the inputs and open the link elsewhere, and
// look at it light and dark, wide and narrow. Every page must stay free of console errors and
// foreign requests, and pass axe.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { assertAxeClean, screenshot, startSite, waitForHeading } from './helpers.mjs';

let site;

before(async () => {
  site = await startSite();
});

after(async () => {
  await site?.close();
});

const total = (page) => page.locator('#energy-total strong');

async function openLab(page, hash = '#/lab/energy') {
  await page.goto(site.url + hash);
  await waitForHeading(page, 'Energy & sustainability');
  await total(page).waitFor();
}

/** Moves a slider as a person dragging it would: the value changes and an input event fires. */
async function setRange(page, selector, value) {
  await page.locator(selector).evaluate((el, v) => {
    el.value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, String(value));
}

/** The values of every input the share link must carry. */
async function readInputs(page) {
  const ids = [
    'energy-grid', 'energy-size', 'energy-minutes', 'energy-views', 'energy-coefficients', 'energy-pue',
    'energy-country', 'energy-frequency', 'energy-static', 'energy-policy', 'energy-host-model',
    'energy-vms', 'energy-hosts', 'energy-slots', 'energy-seed',
  ];
  const out = {};
  for (const id of ids) out[id] = await page.locator(`#${id}`).inputValue();
  return out;
}

test('from the home page: the lecture example, another coefficient set, and the sources', async () => {
  const { page, watch } = await site.open();
  await page.goto(site.url);
  await waitForHeading(page, 'Continuum');
  await page.getByRole('main').getByRole('link', { name: 'Energy & sustainability' }).click();
  await waitForHeading(page, 'Energy & sustainability');
  assert.equal(await page.title(), 'Energy & sustainability lab · Continuum');

  // Start from other numbers, then press the preset.
  await page.getByLabel('Video size (MB)').fill('500');
  await page.getByLabel('Views', { exact: true }).fill('1000');
  assert.doesNotMatch(await total(page).innerText(), /51\.15 GWh/);
  await page.getByRole('button', { name: /Lecture example/ }).click();
  assert.equal(await page.getByLabel('Video size (MB)').inputValue(), '70');
  assert.equal(await total(page).innerText(), '51,150,000 kWh (51.15 GWh)');
  const steps = page.locator('#energy-steps');
  assert.match(await steps.innerText(), /Energy per view\s+0\.0004 \+ 0\.0007 \+ 0\.002 kWh\s+0\.0031\s+kWh/);
  assert.match(await page.locator('.energy-results').first().innerText(), /2\.5 times Kiribati's yearly electricity/);

  // Another coefficient set: IEA's whole-chain 0.077 kWh per hour.
  await page.getByLabel('Coefficient set').selectOption('iea-2020');
  assert.equal(await total(page).innerText(), '42,350,000 kWh (42.35 GWh)');
  const sources = page.locator('#energy-sources');
  assert.match(await sources.innerText(), /Kamiya/);
  assert.match(await sources.innerText(), /2020/);

  // The grid is shared: the carbon sentence and the consolidation table follow it.
  await page.getByLabel(/Electricity grid/).selectOption('NOR');
  assert.match(await page.locator('.energy-results').first().innerText(), /At the Norway grid \(30 gCO₂e\/kWh in 2023\)/);

  // A bad value is shown at its field; the results keep the last valid inputs.
  await page.getByLabel('Minutes watched per view').fill('-2');
  const minutes = page.getByLabel('Minutes watched per view');
  assert.equal(await minutes.getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#energy-minutes-error').innerText(), /must be above 0/);
  assert.equal(await total(page).innerText(), '42,350,000 kWh (42.35 GWh)');
  await assertAxeClean(page, 'energy lab with a problem');
  await minutes.fill('2');
  assert.equal(await minutes.getAttribute('aria-invalid'), null);

  // DVFS: the slider moves power, time and energy, and the verdict turns.
  const verdict = page.locator('#energy-verdict');
  assert.match(await verdict.innerText(), /Running slowly wins/);
  await page.getByLabel('Static power (W)').fill('30');
  assert.match(await verdict.innerText(), /Race to idle wins/);
  await setRange(page, '#energy-frequency', 1600);
  assert.match(await page.locator('label[for="energy-frequency"] output').innerText(), /1600 MHz/);
  assert.match(await page.locator('#energy-dvfs-figures').innerText(), /0\.625 s/);

  await assertAxeClean(page, 'energy lab');
  watch.assertClean();
});

test('the consolidation experiment plays, and packing switches a host off', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  await page.getByLabel('Policy', { exact: true }).selectOption('spread');
  assert.equal(await page.locator('.energy-hosts [data-state="off"]').count(), 0, 'spreading keeps every host on');
  await page.getByLabel('Policy', { exact: true }).selectOption('ffd-off');
  const slot = page.locator('#energy-slot');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('#energy-slot')?.dataset.slot !== '0');
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('button', { name: 'Reset' }).click();
  assert.equal(await slot.getAttribute('data-slot'), '0');
  // Step through the hour until a host is switched off.
  let off = 0;
  for (let i = 0; i < 12 && off === 0; i += 1) {
    off = await page.locator('.energy-hosts [data-state="off"]').count();
    if (off === 0) await page.getByRole('button', { name: 'Step', exact: true }).click();
  }
  assert.ok(off > 0, 'a host is switched off');
  const drawing = page.getByRole('img', { name: /Hosts under pack \+ switch off/ });
  assert.match(await drawing.getAttribute('aria-label'), /host \d+ off with 0 VMs/);
  assert.match(await page.locator('.energy-hosts [data-state="off"]').first().textContent(), /OFF/);
  assert.match(await page.locator('#energy-hosts-caption').innerText(), /switched off/);
  const table = await page.locator('#energy-comparison').innerText();
  assert.match(table, /pack \+ switch off \(shown\)/);
  assert.match(table, /spread\s+[\d.,]+ kWh\s+0 %/);

  // Too few hosts: the problem says what to do, and the drawing keeps the last valid run.
  await page.getByLabel('Hosts', { exact: true }).fill('2');
  assert.match(await page.locator('#energy-hosts-error').innerText(), /add hosts or remove VMs/);
  await page.getByLabel('Hosts', { exact: true }).fill('8');
  await page.getByRole('button', { name: /Play/ }).click();
  await page.waitForFunction(() => document.querySelector('#energy-slot')?.dataset.slot === '11', null, { timeout: 20_000 });
  await page.getByRole('button', { name: 'Play again' }).waitFor();
  assert.match(await slot.innerText(), /Slot 12 of 12/);
  await assertAxeClean(page, 'consolidation at the end');
  watch.assertClean();
});

test('share the inputs and open the link in a fresh page: the same inputs', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  await page.getByLabel('Video size (MB)').fill('1234.5');
  await page.getByLabel('Coefficient set').selectOption('lecture-eu-mobile-2020');
  await page.getByLabel('Data-centre PUE').selectOption('uptime-2023');
  await page.getByLabel(/Electricity grid/).selectOption('FRA');
  await setRange(page, '#energy-frequency', 1400);
  await page.getByLabel('Policy', { exact: true }).selectOption('ffd');
  await page.getByLabel('VMs', { exact: true }).fill('12');
  await page.getByLabel('Workload seed').fill('7');
  const mine = await readInputs(page);
  const myTotal = await total(page).innerText();
  const myTable = await page.locator('#energy-comparison').innerText();

  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const link = await page.locator('#lab-share-link').inputValue();
  assert.match(link, /#s=1\.[A-Za-z0-9_-]+&lab=energy$/);
  assert.equal(page.url(), link, 'the address bar holds the link');

  const { page: other, watch: otherWatch } = await site.open();
  await other.goto(link);
  await waitForHeading(other, 'Energy & sustainability');
  await total(other).waitFor();
  assert.equal(await other.locator('.lab-alert').count(), 0, 'no error banner');
  assert.deepEqual(await readInputs(other), mine);
  assert.equal(await total(other).innerText(), myTotal);
  assert.equal(await other.locator('#energy-comparison').innerText(), myTable);
  assert.equal(await other.title(), 'Energy & sustainability lab · Continuum');

  watch.assertClean();
  otherWatch.assertClean();
});

test('consolidation: step back, scrub the slots, and a link to a slot opens on that slot', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  const slot = page.locator('#energy-slot');
  const back = page.getByRole('button', { name: 'Step back' });
  assert.equal(await back.isDisabled(), true, 'nothing before the first slot');
  for (let i = 0; i < 4; i += 1) await page.getByRole('button', { name: 'Step', exact: true }).click();
  assert.equal(await slot.getAttribute('data-slot'), '4');
  await back.click();
  assert.equal(await slot.getAttribute('data-slot'), '3');
  await setRange(page, '#energy-slot-range', 8);
  assert.equal(await slot.getAttribute('data-slot'), '7');
  assert.match(await slot.innerText(), /Slot 8 of 12/);
  const hosts = await page.locator('.energy-hosts').innerHTML();

  await page.getByLabel(/Link to this consolidation slot \(slot 8\)/).check();
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const link = await page.locator('#lab-share-link').inputValue();
  assert.match(link, /&t=\d+/);
  const { page: other, watch: otherWatch } = await site.open();
  await other.goto(link);
  await waitForHeading(other, 'Energy & sustainability');
  await other.locator('#energy-slot[data-slot="7"]').waitFor();
  assert.equal(await other.locator('.energy-hosts').innerHTML(), hosts, 'the same hosts at that slot');
  await assertAxeClean(other, 'energy lab opened at a slot');
  watch.assertClean();
  otherWatch.assertClean();
});

test('export the inputs as a scenario file and open edited and broken files', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download scenario (JSON)' }).click(),
  ]);
  const scenario = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.ok(scenario.lab.Energy, 'an energy scenario');
  const open = (name, text) =>
    page.getByLabel('Open a scenario file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  const status = page.locator('#energy-import-status');
  scenario.seed = 9;
  await open('seed9.json', JSON.stringify(scenario));
  await status.filter({ hasText: 'was opened' }).waitFor();
  assert.equal(await page.getByLabel('Workload seed').inputValue(), '9');
  await open('broken.json', '{"seed": 1,');
  await status.filter({ hasText: 'not a Continuum scenario file' }).waitFor();
  assert.equal(await page.getByLabel('Workload seed').inputValue(), '9', 'the inputs are kept');
  await assertAxeClean(page, 'energy lab after imports');
  watch.assertClean();
});

test('screenshots of the energy lab, light and dark, wide and narrow', async () => {
  for (const [width, height] of [
    [1400, 900],
    [800, 900],
  ]) {
    const { page, watch } = await site.open({ viewport: { width, height } });
    await openLab(page);
    // Somewhere interesting: a slot with hosts switched off and booting.
    for (let i = 0; i < 6; i += 1) await page.getByRole('button', { name: 'Step', exact: true }).click();
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      // The charts follow the theme within a quarter of a second.
      await page.waitForTimeout(600);
      await screenshot(page, `energy-${colorScheme}-${width}x${height}`, { width, height, colorScheme });
      await assertAxeClean(page, `energy lab (${colorScheme}, ${width} px)`);
    }
    watch.assertClean();
  }
});

test('the consolidation player takes the run keys, and the DVFS advice follows the outcome', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  const slot = page.locator('#energy-slot');
  await page.locator('body').focus();
  await page.keyboard.press('.');
  await page.keyboard.press('.');
  assert.equal(await slot.getAttribute('data-slot'), '2', '. steps');
  await page.keyboard.press(',');
  assert.equal(await slot.getAttribute('data-slot'), '1', ', steps back');
  await page.keyboard.press('e');
  assert.match(await slot.innerText(), /Slot 12 of 12/, 'e goes to the last slot');
  await page.keyboard.press('r');
  assert.equal(await slot.getAttribute('data-slot'), '0', 'r goes back to the first slot');
  await page.keyboard.press(' ');
  await page.waitForFunction(() => document.querySelector('#energy-slot')?.dataset.playing === 'true');
  await page.keyboard.press(' ');
  await page.waitForFunction(() => document.querySelector('#energy-slot')?.dataset.playing === 'false');
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /Play or pause the slots/);
  await page.keyboard.press('Escape');

  // Slow wins at the preset's 2 W; with 20 W of leakage racing wins, and the advice turns.
  const verdict = page.locator('#energy-verdict');
  assert.match(await verdict.innerText(), /Raise the static power/);
  await page.getByLabel('Static power (W)').fill('20');
  await page.waitForFunction(() => /Race to idle wins/.test(document.body.innerText));
  const text = await verdict.innerText();
  assert.doesNotMatch(text, /Raise the static power/, text);
  assert.match(text, /Lower the static power/);
  assert.match(await page.locator('#energy-static-hint').innerText(), /preset's 2 W/);
  watch.assertClean();
});
