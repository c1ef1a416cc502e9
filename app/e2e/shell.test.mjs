// The site shell: loads from a sub-path, navigates by hash routes, survives reloads, stays
// self-contained, error-free and accessible, in light and dark, wide and narrow.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertAxeClean,
  currentLabInMenu,
  openLabFromMenu,
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

test('home page loads from a sub-path, with the wasm served as application/wasm', async () => {
  const { page, watch } = await site.open();
  await page.goto(site.url);
  await waitForHeading(page, 'Continuum');
  assert.equal(await page.title(), 'Continuum');
  assert.match(await page.locator('main').innerText(), /distributed-systems playground/);

  const wasm = watch.responses.filter((response) => response.url().endsWith('.wasm'));
  assert.equal(wasm.length, 1, `one wasm file expected, got ${wasm.map((r) => r.url())}`);
  assert.equal(wasm[0].headers()['content-type'], 'application/wasm');
  assert.ok(wasm[0].url().startsWith(site.url), `wasm loaded from ${wasm[0].url()}`);

  await assertAxeClean(page, 'home (light)');
  await page.emulateMedia({ colorScheme: 'dark' });
  await assertAxeClean(page, 'home (dark)');

  for (const colorScheme of ['light', 'dark']) {
    for (const [width, height] of [
      [1400, 900],
      [800, 900],
    ]) {
      await screenshot(page, `home-${colorScheme}-${width}x${height}`, { width, height, colorScheme });
    }
  }
  watch.assertClean();
});

test("each lab's code is downloaded when its route first opens, and only once", async () => {
  const { page, watch } = await site.open();
  const wasmFiles = () =>
    watch.requests.filter((url) => url.endsWith('.wasm')).map((url) => url.slice(url.lastIndexOf('/') + 1));
  await page.goto(site.url);
  await waitForHeading(page, 'Continuum');
  assert.deepEqual(
    wasmFiles().map((file) => file.replace(/-[0-9a-f]+_bg/, '_bg')),
    ['app_bg.wasm'],
    'the home page loads the shell only',
  );

  await openLabFromMenu(page, 'Energy & sustainability');
  await waitForHeading(page, 'Energy');
  const afterEnergy = wasmFiles();
  assert.ok(afterEnergy.some((file) => file.startsWith('split_energy_page_')), `${afterEnergy}`);
  for (const other of ['network', 'crdt', 'edge']) {
    assert.ok(!afterEnergy.some((file) => file.startsWith(`split_${other}_page_`)), `no ${other} lab: ${afterEnergy}`);
  }

  await openLabFromMenu(page, 'Network & broadcast');
  await waitForHeading(page, 'Network & broadcast');
  assert.ok(wasmFiles().some((file) => file.startsWith('split_network_page_')));
  const before = wasmFiles().length;
  await openLabFromMenu(page, 'Energy & sustainability');
  await waitForHeading(page, 'Energy');
  assert.equal(wasmFiles().length, before, 'a lab opened before is not downloaded again');
  watch.assertClean();
});

test('header navigation, back and forward, and reload on a route', async () => {
  const { page, watch } = await site.open();
  await page.goto(site.url);
  await waitForHeading(page, 'Continuum');
  const nav = page.getByRole('navigation', { name: 'Main' });

  await nav.getByRole('link', { name: 'About' }).click();
  await waitForHeading(page, 'About Continuum');
  assert.equal(new URL(page.url()).hash, '#/about');
  assert.equal(new URL(page.url()).pathname, '/sub/path/');
  assert.equal(await page.title(), 'About · Continuum');
  assert.equal(await nav.getByRole('link', { name: 'About' }).getAttribute('aria-current'), 'page');
  await assertAxeClean(page, 'about');
  await screenshot(page, 'about-light-1400x900');

  await page.goBack();
  await waitForHeading(page, 'Continuum');
  assert.equal(await nav.getByRole('link', { name: 'About' }).getAttribute('aria-current'), null);

  await page.goForward();
  await waitForHeading(page, 'About Continuum');

  await page.reload();
  await waitForHeading(page, 'About Continuum');

  await openLabFromMenu(page, 'Network & broadcast');
  assert.equal(new URL(page.url()).hash, '#/lab/network');
  await assertAxeClean(page, 'network lab');

  await page.getByRole('banner').getByRole('link', { name: 'Continuum' }).click();
  await waitForHeading(page, 'Continuum');
  assert.equal(new URL(page.url()).hash, '#/');
  watch.assertClean();
});

test('an unknown route shows a page-not-found page that links home', async () => {
  const { page, watch } = await site.open({ viewport: { width: 800, height: 900 }, colorScheme: 'dark' });
  await page.goto(`${site.url}#/no/such/page`);
  await waitForHeading(page, 'Page not found');
  assert.match(await page.locator('main').innerText(), /#\/no\/such\/page/);
  await assertAxeClean(page, 'not found (dark)');
  await screenshot(page, 'not-found-dark-800x900', { width: 800, height: 900, colorScheme: 'dark' });
  await page.getByRole('link', { name: 'Go to the home page' }).click();
  await waitForHeading(page, 'Continuum');
  watch.assertClean();
});

test('the home page is the map of the course: every part, each lab under its part', async () => {
  const { page, watch } = await site.open();
  await page.goto(site.url);
  await waitForHeading(page, 'Continuum');
  const parts = page.locator('main .course-part');
  assert.deepEqual(
    await parts.locator('h3').allInnerTexts(),
    ['Foundations', 'Service orientation', 'System support', 'Trends'],
  );
  const labsOf = (part) =>
    page.locator('main .course-part').filter({ has: page.getByRole('heading', { name: part }) }).locator('.lab-card h4');
  assert.deepEqual(await labsOf('Foundations').allInnerTexts(), ['Network & broadcast', 'Remote calls']);
  assert.deepEqual(await labsOf('Trends').allInnerTexts(), [
    'CRDT convergence',
    'Edge–cloud continuum',
    'Energy & sustainability',
  ]);
  // The whole card is a link: a click on its picture opens the lab.
  // (The title's link covers the card, so a click on the picture lands on the link.)
  await page.locator('.lab-card').filter({ hasText: 'CRDT convergence' }).click({ position: { x: 30, y: 30 } });
  await waitForHeading(page, 'CRDT convergence');
  assert.equal(new URL(page.url()).hash, '#/lab/crdt');
  watch.assertClean();
});

test('the Labs menu works with the keyboard, groups labs by part and marks the current lab', async () => {
  const { page, watch } = await site.open();
  await page.goto(`${site.url}#/about`);
  await waitForHeading(page, 'About Continuum');
  const nav = page.getByRole('navigation', { name: 'Main' });
  const button = nav.getByRole('button', { name: 'Labs' });
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  assert.equal(await nav.getByRole('link', { name: /^CRDT convergence/ }).count(), 0, 'closed: links hidden');

  // Tab from the brand to the menu button, open it with Enter.
  await page.getByRole('banner').getByRole('link', { name: 'Continuum' }).focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Labs▾');
  await page.keyboard.press('Enter');
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  const headings = await nav.locator('#labs-menu-panel h2').allInnerTexts();
  assert.deepEqual(headings.map((h) => h.toLowerCase()), ['foundations', 'trends']);
  await assertAxeClean(page, 'Labs menu open');
  for (const colorScheme of ['light', 'dark']) {
    for (const [width, height] of [
      [1400, 900],
      [390, 844],
    ]) {
      await screenshot(page, `labs-menu-${colorScheme}-${width}x${height}`, { width, height, colorScheme });
    }
  }
  await page.setViewportSize({ width: 1400, height: 900 });

  // Escape closes it and gives focus back to the button.
  await page.keyboard.press('Escape');
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-controls')), 'labs-menu-panel');

  // Open again, Tab into the first lab and follow it with Enter: the menu closes on the new page.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await waitForHeading(page, 'Network & broadcast');
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  assert.equal(await currentLabInMenu(page), 'Network & broadcast');

  // A click outside closes an open menu.
  await button.click();
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  await page.mouse.click(10, 880);
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  watch.assertClean();
});

test('keyboard: Play is three key presses away, the shortcuts list Run to end, and e runs there', async () => {
  for (const [hash, heading] of [
    ['#/lab/network', 'Network & broadcast'],
    ['#/lab/crdt', 'CRDT convergence'],
    ['#/lab/edge', 'Edge–cloud continuum'],
    ['#/lab/energy', 'Energy & sustainability'],
  ]) {
    // A fresh page per lab: the Tab order starts at the top, as for a visitor.
    const { page, watch } = await site.open();
    await page.goto(site.url + hash);
    await waitForHeading(page, heading);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Skip to content', hash);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Skip to the run controls', hash);
    await page.keyboard.press('Enter');
    const focused = await page.evaluate(() => document.activeElement.textContent.trim());
    assert.match(focused, /^Play/, `${hash}: the focus is on Play`);
    assert.equal(new URL(page.url()).hash, hash, 'the route is kept');
    watch.assertClean();
    await page.close();
  }
  // The skip link shows when focused.
  const { page, watch } = await site.open();
  await page.goto(site.url + '#/lab/network');
  await waitForHeading(page, 'Network & broadcast');
  await page.keyboard.press('Tab');
  const box = await page.locator('.skip-link').first().boundingBox();
  assert.ok(box && box.y >= 0, 'the focused skip link is on screen');
  await screenshot(page, 'skip-link-focused-light-1400x900');

  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /e\s+Run to the end/);
  await page.keyboard.press('Escape');
  await page.locator('body').focus();
  await page.keyboard.press('e');
  await page.waitForFunction(() => document.querySelector('#lab-status').dataset.mode === 'finished', null, {
    timeout: 60_000,
  });
  watch.assertClean();
});

test('home pictures are dimmed in dark mode', async () => {
  const { page, watch } = await site.open();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(site.url);
  await waitForHeading(page, 'Continuum');
  const filter = await page.locator('.card-picture').first().evaluate((e) => getComputedStyle(e).filter);
  assert.match(filter, /invert/);
  await screenshot(page, 'home-dark-1400x900', { colorScheme: 'dark' });
  watch.assertClean();
});
