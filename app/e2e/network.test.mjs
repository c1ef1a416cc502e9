// The network & broadcast lab, used as a person would: open it from the home page, play, pause,
// step, change the scenario, share a run and open the link elsewhere, open broken links, and run
// the 10,000-node preset while the page keeps answering. Every page must stay free of console
// errors and foreign requests, and pass axe.

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

async function openLab(page, hash = '#/lab/network') {
  await page.goto(site.url + hash);
  await waitForHeading(page, 'Network & broadcast');
  await status(page).waitFor();
}

test('from the home page to the lab: play, pause, step, reset', async () => {
  const { page, watch } = await site.open();
  await page.goto(site.url);
  await waitForHeading(page, 'Continuum');
  await page.getByRole('main').getByRole('link', { name: 'Network & broadcast' }).click();
  await waitForHeading(page, 'Network & broadcast');

  const canvas = page.getByRole('img', { name: /Live view of the network/ });
  await canvas.waitFor();
  assert.match(await canvas.getAttribute('aria-label'), /25 nodes/);
  const start = await readStatus(page);
  assert.equal(start.timeNs, 0);
  assert.equal(start.mode, 'paused');

  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => Number(document.querySelector('#lab-status').dataset.simTimeNs) > 0);
  await page.getByRole('button', { name: 'Pause' }).click();
  const paused = await readStatus(page);
  assert.equal(paused.mode, 'paused');
  await frameRoundTrip(page);
  assert.equal((await readStatus(page)).timeNs, paused.timeNs, 'time stands still while paused');

  await page.getByRole('button', { name: 'Step', exact: true }).click();
  const stepped = await readStatus(page);
  assert.ok(stepped.events > paused.events, 'a step processes the next moment');

  // Keyboard: "." steps, Space plays and pauses, "r" resets.
  await page.locator('body').press('.');
  assert.ok((await readStatus(page)).events > stepped.events);
  await page.keyboard.press('r');
  assert.equal((await readStatus(page)).timeNs, 0);

  // Clicking the middle of the 5×5 grid selects node 12; the inspector shows it.
  const box = await canvas.boundingBox();
  await canvas.click({ position: { x: box.width / 2, y: box.height / 2 } });
  await page.waitForFunction(() => document.querySelector('#lab-node').value === '12');
  assert.match(await page.locator('.inspector').innerText(), /Neighbours \(4\)/);
  assert.ok(await page.getByRole('button', { name: 'Broadcast from n12' }).isEnabled());
  // Neighbours are buttons: walk the graph from the keyboard.
  await page.getByRole('button', { name: 'Select n13' }).click();
  await page.waitForFunction(() => document.querySelector('#lab-node').value === '13');
  await page.getByRole('button', { name: 'Select n12' }).click();
  await page.waitForFunction(() => document.querySelector('#lab-node').value === '12');

  // "?" lists the shortcuts in a dialog; Escape closes it.
  await page.locator('body').press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /Space\s+Play or pause/);
  await assertAxeClean(page, 'shortcuts dialog');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });

  await assertAxeClean(page, 'lab (light)');
  watch.assertClean();
});

test('screenshots of the lab, light and dark, wide and narrow', async () => {
  for (const [width, height] of [
    [1400, 900],
    [800, 900],
  ]) {
    // A fresh page per width: the narrow layout folds the editor when it opens narrow.
    const { page, watch } = await site.open({ viewport: { width, height } });
    await openLab(page);
    // Somewhere interesting: the first update half-way across the grid (five moments of
    // 10 ms links), node 12 selected.
    await page.locator('#lab-node').fill('12');
    await page.locator('#lab-node').press('Enter');
    for (let i = 0; i < 5; i += 1) await page.getByRole('button', { name: 'Step', exact: true }).click();
    await frameRoundTrip(page);
    for (const colorScheme of ['light', 'dark']) {
      await screenshot(page, `lab-${colorScheme}-${width}x${height}`, { width, height, colorScheme });
    }
    await assertAxeClean(page, `lab (dark, ${width} px)`);
    watch.assertClean();
  }
});

test('the first Step at time zero shows a change: the whole moment runs, and Step back undoes it', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  const step = page.getByRole('button', { name: 'Step', exact: true });
  const inFlight = async () => {
    const caption = await page.locator('.lab-caption').first().innerText();
    return Number(caption.match(/([\d,]+) messages in flight/)[1].replace(/,/g, ''));
  };
  assert.equal(await inFlight(), 0);
  await step.click();
  const first = await readStatus(page);
  assert.equal(first.timeNs, 0, 'still at 0 ms');
  assert.ok(first.events > 1, `every event at 0 ms ran (${first.events})`);
  assert.ok((await inFlight()) > 0, 'messages are on their way after one press');
  await step.click();
  const second = await readStatus(page);
  assert.ok(second.timeNs > 0, 'the next press moves the clock');
  await page.getByRole('button', { name: 'Step back' }).click();
  assert.deepEqual(await readStatus(page), first, 'Step back undoes exactly one step');
  watch.assertClean();
});

test('share a run with recorded actions and open it in a fresh page: the same run', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  const step = page.getByRole('button', { name: 'Step', exact: true });
  for (let i = 0; i < 3; i += 1) await step.click();
  await page.locator('#lab-node').fill('7');
  await page.locator('#lab-node').press('Enter');
  await page.getByRole('button', { name: 'Broadcast from n7' }).click();
  await page.getByRole('button', { name: 'Split in halves' }).click();
  for (let i = 0; i < 2; i += 1) await step.click();
  const before = await readStatus(page);

  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const link = await page.locator('#lab-share-link').inputValue();
  assert.match(link, /#s=1\.[A-Za-z0-9_-]+&lab=network$/);
  assert.equal(page.url(), link, 'the address bar holds the link');
  assert.deepEqual(await readStatus(page), before, 'sharing does not reset the run');

  const { page: other, watch: otherWatch } = await site.open();
  await other.goto(link);
  await waitForHeading(other, 'Network & broadcast');
  await status(other).waitFor();
  assert.equal(await other.locator('.lab-alert').count(), 0, 'no error banner');
  assert.equal((await readStatus(other)).timeNs, 0, 'a link without t= opens at time zero');

  await runToEnd(page);
  await runToEnd(other);
  const [mine, theirs] = [await readStatus(page), await readStatus(other)];
  assert.equal(theirs.hash, mine.hash, 'same trace hash at the end');
  assert.equal(theirs.events, mine.events);

  // The recorded actions are part of the shared run: without them the trace differs.
  const { page: plain, watch: plainWatch } = await site.open();
  await openLab(plain);
  await runToEnd(plain);
  assert.notEqual((await readStatus(plain)).hash, mine.hash);

  for (const w of [watch, otherWatch, plainWatch]) w.assertClean();
});

test('a link to a moment opens paused at that moment', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  const step = page.getByRole('button', { name: 'Step', exact: true });
  // Six moments: the update half-way across the grid.
  for (let i = 0; i < 6; i += 1) await step.click();
  const here = await readStatus(page);
  await page.getByLabel(/Link to this moment/).check();
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const link = await page.locator('#lab-share-link').inputValue();
  assert.match(link, new RegExp(`&t=${here.timeNs}&lab=network$`));

  const { page: other, watch: otherWatch } = await site.open();
  await other.goto(link);
  await waitForHeading(other, 'Network & broadcast');
  await other.waitForFunction(
    (t) => {
      const s = document.querySelector('#lab-status');
      return s?.dataset.mode === 'paused' && s.dataset.simTimeNs === String(t);
    },
    here.timeNs,
  );
  await assertAxeClean(other, 'lab opened at a moment');
  watch.assertClean();
  otherWatch.assertClean();
});

test('broken links show a polite message and load the default scenario', async () => {
  const { page: maker } = await site.open();
  await openLab(maker);
  await maker.getByRole('button', { name: 'Share', exact: true }).click();
  const good = new URL(await maker.locator('#lab-share-link').inputValue()).hash.slice(1);
  const payload = good.slice('s=1.'.length);
  const { deflateSync } = await import('node:zlib');
  const bomb = deflateSync(Buffer.alloc(4 * 1024 * 1024)).toString('base64url');
  const cases = {
    truncated: good.slice(0, Math.floor(good.length / 2)),
    tampered: `s=1.${payload.slice(0, 10)}${payload[10] === 'A' ? 'B' : 'A'}${payload.slice(11)}`,
    'random bytes': 's=1.q8Zx0Pt3mLw9VbRk2YsHc4uJn7Ea',
    'unknown version': `s=99.${payload}`,
    'decompression bomb': `s=1.${bomb}`,
    'moment after the end': `${good}&t=999000000000`,
    'not base64': 's=1.<script>alert(1)</script>',
  };
  for (const [name, fragment] of Object.entries(cases)) {
    const { page, watch } = await site.open();
    await page.goto(`${site.url}#${fragment}`);
    await waitForHeading(page, 'Network & broadcast');
    const alert = page.getByRole('alert').filter({ hasText: 'could not be opened' });
    await alert.waitFor({ timeout: 10_000 });
    const text = await alert.innerText();
    assert.match(text, /could not be opened/, `${name}: ${text}`);
    assert.match(text, /The default scenario was loaded instead\./, `${name}: ${text}`);
    const label = await page.getByRole('img', { name: /Live view/ }).getAttribute('aria-label');
    assert.match(label, /25 nodes/, `${name}: the default scenario runs`);
    if (name === 'truncated') {
      await assertAxeClean(page, 'broken link');
      await screenshot(page, 'lab-broken-link-light-1400x900');
    }
    watch.assertClean();
    await page.close();
  }
});

test('the 10,000-node preset plays and the page keeps answering', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  await page.getByLabel('Preset').selectOption({ label: '10,000 nodes, push gossip' });
  const canvas = page.getByRole('img', { name: /Live view/ });
  await page.waitForFunction(() => /10,000 nodes/.test(document.querySelector('.lab-canvas')?.getAttribute('aria-label') ?? ''));
  assert.match(await page.locator('.lab-caption').first().innerText(), /10,000 nodes: showing node states, not individual messages/);
  await page.getByRole('button', { name: 'Play' }).click();
  // Fastest speed: the simulation works as hard as the frame budget allows.
  await page.getByLabel(/^Speed/).fill('400');
  for (let i = 0; i < 10; i += 1) assert.equal(await frameRoundTrip(page), true);
  await page.waitForFunction(() => Number(document.querySelector('#lab-status').dataset.simTimeNs) > 50_000_000, null, {
    timeout: 60_000,
  });
  assert.equal(await frameRoundTrip(page), true);
  // Clicking still works while it runs.
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('button', { name: 'Play' }).waitFor();
  assert.match(await canvas.getAttribute('aria-label'), /10,000 nodes: \d[\d,]* know the latest update/);
  await screenshot(page, 'lab-10k-light-1400x900');
  await screenshot(page, 'lab-10k-dark-1400x900', { colorScheme: 'dark' });
  watch.assertClean();
});

test('edit the scenario: apply a change, and see every problem next to its field', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  const editor = page.locator('.editor');
  // Switching between presets with as many actions shows the new preset's actions.
  await page.getByLabel('Preset').selectOption({ label: 'Push gossip, 200 nodes' });
  await page.getByLabel('Preset').selectOption({ label: 'Lossy spanning tree' });
  assert.equal(await editor.getByLabel('Action 2: time in ms').inputValue(), '200');
  assert.equal(await editor.getByLabel('Nodes', { exact: true }).inputValue(), '63');
  await page.getByLabel('Preset').selectOption({ label: 'Flooding on a 5×5 grid' });
  await editor.getByLabel('Nodes', { exact: true }).fill('36');
  await editor.getByLabel('Protocol', { exact: true }).selectOption('push');
  await editor.getByLabel('Fanout (peers per round)').fill('2');
  await editor.getByRole('button', { name: 'Apply' }).click();
  const canvas = page.getByRole('img', { name: /Live view/ });
  await page.waitForFunction(() => /36 nodes/.test(document.querySelector('.lab-canvas').getAttribute('aria-label')));
  assert.equal(await page.getByLabel('Preset').inputValue(), '', 'no preset matches an edited scenario');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => Number(document.querySelector('#lab-status').dataset.simTimeNs) > 0);
  await page.getByRole('button', { name: 'Pause' }).click();
  const running = await readStatus(page);

  // Invalid values: every problem is listed and shown at its field; the run is kept.
  await editor.getByLabel('Nodes', { exact: true }).fill('0');
  await editor.getByLabel('Loss (%)').fill('150');
  await editor.getByLabel('Duration (ms)').fill('soon');
  await editor.getByRole('button', { name: 'Apply' }).click();
  const summary = editor.locator('.problem-summary');
  await summary.waitFor();
  const text = await summary.innerText();
  assert.match(text, /3 problems/);
  assert.match(text, /Loss must be between 0 % and 100 %, but it is 150 %\./);
  const loss = editor.getByLabel('Loss (%)');
  assert.equal(await loss.getAttribute('aria-invalid'), 'true');
  const describedBy = await loss.getAttribute('aria-describedby');
  assert.match(await page.locator(`#${describedBy.split(' ').pop()}`).innerText(), /150 %/);
  assert.deepEqual(await readStatus(page), running, 'the previous run is kept');
  assert.match(await canvas.getAttribute('aria-label'), /36 nodes/);

  // The scenario's own limits: more nodes than a complete graph may have.
  await editor.getByLabel('Nodes', { exact: true }).fill('3000');
  await editor.getByLabel('Loss (%)').fill('0');
  await editor.getByLabel('Duration (ms)').fill('1000');
  await editor.getByLabel('Topology', { exact: true }).selectOption('complete');
  await editor.getByRole('button', { name: 'Apply' }).click();
  await page.waitForFunction(() => /1 problem/.test(document.querySelector('.problem-summary')?.innerText ?? ''));
  assert.match(await summary.innerText(), /at most 2,000/);
  await assertAxeClean(page, 'editor with problems');
  await screenshot(page, 'lab-editor-problems-light-1400x900');

  // Actions: add a crash of node 5 at 20 ms and apply.
  await editor.getByRole('button', { name: 'Revert' }).click();
  await editor.getByRole('button', { name: 'Add action' }).click();
  const rows = editor.locator('.action-row');
  const last = rows.last();
  await last.getByLabel(/: what$/).selectOption('crash');
  await last.getByLabel(/: node$/).fill('5');
  await last.getByLabel(/: time in ms$/).fill('20');
  await editor.getByRole('button', { name: 'Apply' }).click();
  await runToEnd(page);
  await page.locator('#lab-node').fill('5');
  await page.locator('#lab-node').press('Enter');
  assert.match(await page.locator('.inspector').innerText(), /State\s+crashed/);
  watch.assertClean();
});

test('100,000 nodes: building says so, and playing runs slowly but never freezes the page', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  await page.getByLabel('Preset').selectOption({ label: '10,000 nodes, push gossip' });
  const editor = page.locator('.editor');
  await editor.getByLabel('Nodes', { exact: true }).fill('100000');
  await editor.getByRole('button', { name: 'Apply' }).click();
  await page.waitForFunction(
    () => /100,000 nodes/.test(document.querySelector('.lab-canvas').getAttribute('aria-label')),
    null,
    { timeout: 60_000 },
  );
  await page.getByRole('button', { name: 'Play' }).click();
  await page.getByLabel(/^Speed/).fill('400');
  for (let i = 0; i < 10; i += 1) assert.equal(await frameRoundTrip(page), true);
  await page.waitForFunction(() => Number(document.querySelector('#lab-status').dataset.simTimeNs) > 0, null, {
    timeout: 60_000,
  });
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('button', { name: 'Play' }).waitFor();
  assert.match(await page.locator('.lab-caption').first().innerText(), /100,000 nodes: showing node states/);
  watch.assertClean();
});

test('go back in time: undo a step, and scrub the timeline back and forth', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  const step = page.getByRole('button', { name: 'Step', exact: true });
  for (let i = 0; i < 3; i += 1) await step.click();
  const at30 = await readStatus(page);
  assert.equal(at30.mode, 'paused', 'three moments in, the run goes on');
  await step.click();
  await page.getByRole('button', { name: 'Step back' }).click();
  assert.deepEqual(await readStatus(page), at30, 'one step back is exactly the state before the step');
  await page.locator('body').press('.');
  await page.locator('body').press(',');
  assert.deepEqual(await readStatus(page), at30, 'the "," key steps back too');

  // Scrub forward to 600 ms, then back to 150 ms: the same moment as scrubbing there directly.
  const timeline = page.getByLabel('Time', { exact: true });
  const pausedAt = (ms) =>
    page.waitForFunction(
      (ns) => {
        const s = document.querySelector('#lab-status');
        return s?.dataset.mode === 'paused' && s.dataset.simTimeNs === String(ns);
      },
      ms * 1e6,
    );
  await timeline.fill('600');
  await pausedAt(600);
  await timeline.fill('150');
  await pausedAt(150);
  const back = await readStatus(page);

  const { page: other, watch: otherWatch } = await site.open();
  await openLab(other);
  await other.getByLabel('Time', { exact: true }).fill('150');
  await other.waitForFunction(() => document.querySelector('#lab-status')?.dataset.simTimeNs === '150000000');
  await other.waitForFunction(() => document.querySelector('#lab-status')?.dataset.mode === 'paused');
  assert.deepEqual(await readStatus(other), back);
  await assertAxeClean(page, 'lab after scrubbing');
  watch.assertClean();
  otherWatch.assertClean();
});

test('problems speak the field unit, and one cause is said once', async () => {
  const { page, watch } = await site.open();
  await openLab(page);
  const editor = page.locator('.editor');
  const summary = editor.locator('.problem-summary');
  await editor.getByLabel('Duration (ms)').fill('0');
  await editor.getByRole('button', { name: 'Apply' }).click();
  await summary.waitFor();
  let text = await summary.innerText();
  assert.match(text, /1 problem: fix it and press Apply again/);
  assert.match(text, /Duration: The duration must be above 0 ms and at most 3,600,000 ms, but it is 0 ms\./);
  assert.doesNotMatch(text, /\bns\b|Action/, 'no other unit, and the actions are not blamed');

  await editor.getByLabel('Duration (ms)').fill('1000');
  await editor.getByLabel('Nodes', { exact: true }).fill('0');
  await editor.getByRole('button', { name: 'Apply' }).click();
  await page.waitForFunction(() => /Nodes:/.test(document.querySelector('.problem-summary')?.innerText ?? ''));
  text = await summary.innerText();
  assert.match(text, /1 problem: fix it/);
  assert.doesNotMatch(text, /Broadcasts from/, 'the broadcasts are not blamed for the missing nodes');
  watch.assertClean();
});
