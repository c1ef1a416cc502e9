// The site shell: loads from a sub-path, navigates by hash routes, survives reloads, stays
// self-contained, error-free and accessible, in light and dark, wide and narrow.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAxeClean, screenshot, startSite, waitForHeading } from './helpers.mjs';

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

  await nav.getByRole('link', { name: 'Network lab' }).click();
  await waitForHeading(page, 'Network & broadcast');
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
