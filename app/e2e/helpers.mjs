// Shared helpers for the end-to-end tests (`node --test app/e2e/`, run by `cargo xtask test`).
//
// The built site (dist/, from `cargo xtask dist`) is served by a tiny static server under a
// sub-path, as a static host would, and driven with playwright-core in Debian's Chromium. Every
// opened page is watched: console errors, page errors, failed requests, HTTP errors and requests
// to any other origin are collected, and `assertClean()` fails the test on any of them.

import { createServer } from 'node:http';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const ROOT = path.resolve(HERE, '..', '..');
/** The built site: `$CONTINUUM_DIST`, else `dist/` at the root. */
export const DIST = process.env.CONTINUUM_DIST ?? path.join(ROOT, 'dist');
/** Where screenshots go (gitignored). */
export const SCREENSHOTS = path.join(HERE, 'screenshots');
/** The site is served under this sub-path, to prove it works away from the host's root. */
export const SUB_PATH = '/sub/path/';
/** Debian's Chromium: playwright's own browser download does not work offline. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
};

/** The Content-Type for a file name. */
export function mimeType(file) {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Serves `dir` at `http://127.0.0.1:<free port><base>`; anything outside `base` is a 404.
 * Resolves to `{ origin, url, close() }`.
 */
export async function startServer({ dir = DIST, base = SUB_PATH } = {}) {
  const root = path.resolve(dir);
  try {
    await stat(path.join(root, 'index.html'));
  } catch {
    throw new Error(`no ${path.join(root, 'index.html')}: build the site first (cargo xtask dist)`);
  }
  const server = createServer(async (request, response) => {
    const send = (status, type, body) => {
      response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-cache' });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return send(405, 'text/plain', 'method not allowed\n');
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    } catch {
      return send(400, 'text/plain', 'bad request\n');
    }
    if (pathname === base.slice(0, -1)) {
      response.writeHead(301, { Location: base });
      return response.end();
    }
    if (!pathname.startsWith(base)) return send(404, 'text/plain', 'not found\n');
    let file = path.resolve(root, '.' + path.posix.normalize('/' + pathname.slice(base.length)));
    if (file !== root && !file.startsWith(root + path.sep)) return send(404, 'text/plain', 'not found\n');
    try {
      if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
      send(200, mimeType(file), await readFile(file));
    } catch {
      send(404, 'text/plain', 'not found\n');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: origin + base,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Launches headless Chromium with the flags that work on these machines (root, no GPU). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * Starts the server and the browser. `site.open(options)` gives a watched page (see `watchPage`);
 * `site.close()` stops both.
 */
export async function startSite() {
  const server = await startServer();
  const browser = await launchBrowser();
  const contexts = [];
  return {
    origin: server.origin,
    url: server.url,
    async open({ viewport = { width: 1400, height: 900 }, colorScheme = 'light' } = {}) {
      const context = await browser.newContext({ viewport, colorScheme });
      contexts.push(context);
      const page = await context.newPage();
      return { page, watch: watchPage(page, server.origin) };
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close().catch(() => {});
      await server.close();
    },
  };
}

/**
 * Records what a page does that a test must notice: console errors, uncaught exceptions, failed
 * requests, HTTP errors, and requests leaving `origin` (the site must be fully self-contained).
 */
export function watchPage(page, origin) {
  const problems = [];
  const requests = [];
  const responses = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
  page.on('request', (request) => requests.push(request.url()));
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? 'unknown';
    // A navigation (reload, back) cancels requests still in flight: not a fault of the page.
    if (reason !== 'net::ERR_ABORTED') problems.push(`request failed: ${request.url()} (${reason})`);
  });
  page.on('response', (response) => {
    responses.push(response);
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  const local = (url) => url.startsWith(origin + '/') || /^(data|blob|about):/.test(url);
  return {
    requests,
    responses,
    problems,
    /** Fails if anything went wrong on the page or any request went to another origin. */
    assertClean() {
      const foreign = requests.filter((url) => !local(url));
      const all = [...problems, ...foreign.map((url) => `request to another origin: ${url}`)];
      if (all.length > 0) throw new Error(`the page was not clean:\n  ${all.join('\n  ')}`);
    },
  };
}

/**
 * Waits until the app shows a `<main>` heading with `text` and, on a lab page, until the lab's
 * own code has arrived (its module is loaded on demand; "Loading the lab…" shows meanwhile) and
 * its first frame is painted.
 */
export async function waitForHeading(page, text, timeout = 15_000) {
  await page.locator('main h1', { hasText: text }).waitFor({ state: 'visible', timeout });
  await page.locator('main .lab-loading').waitFor({ state: 'detached', timeout });
  await frameRoundTrip(page);
}

let axeSource;

/**
 * Runs axe-core on the page and fails on any `serious` or `critical` violation, listing them.
 * Returns all violations (including minor ones) for tests that want to look closer.
 */
export async function assertAxeClean(page, label = page.url()) {
  axeSource ??= await readFile(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.addScriptTag({ content: axeSource });
  }
  const violations = await page.evaluate(async () => {
    const results = await window.axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map(({ id, impact, help, helpUrl, nodes }) => ({
      id,
      impact,
      help,
      helpUrl,
      targets: nodes.map((node) => node.target.join(' ')),
    }));
  });
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (blocking.length > 0) {
    const lines = blocking.map(
      (v) => `[${v.impact}] ${v.id}: ${v.help}\n      at ${v.targets.join(', ')}\n      ${v.helpUrl}`,
    );
    throw new Error(`accessibility violations on ${label}:\n  ${lines.join('\n  ')}`);
  }
  return violations;
}

/**
 * Saves `app/e2e/screenshots/<name>.png` at the given viewport and colour scheme.
 * Resolves to the path written.
 */
export async function screenshot(page, name, { width = 1400, height = 900, colorScheme = 'light' } = {}) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.setViewportSize({ width, height });
  await page.emulateMedia({ colorScheme });
  // Let layout and paint settle after the viewport / scheme change.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** A lab's transport status element (`data-*` attributes carry the run's clock and hash). */
export const labStatus = (page) => page.locator('#lab-status');

/** The run's clock, events, trace hash and transport mode, from the lab's status element. */
export async function readStatus(page) {
  const s = labStatus(page);
  return {
    timeNs: Number(await s.getAttribute('data-sim-time-ns')),
    events: Number(await s.getAttribute('data-events')),
    hash: await s.getAttribute('data-trace-hash'),
    mode: await s.getAttribute('data-mode'),
  };
}

/** Resolves after the page has painted two more frames: proof that it still answers. */
export function frameRoundTrip(page) {
  return page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)))));
}

/** Presses a lab's "Run to end" and waits until the run is finished. */
export async function runToEnd(page, timeout = 60_000) {
  await page.getByRole('button', { name: 'Run to end' }).click();
  await page.waitForFunction(
    () => document.querySelector('#lab-status')?.getAttribute('data-mode') === 'finished',
    null,
    { timeout },
  );
}

/** Opens the header's "Labs" menu and follows the link of the lab titled `title`. */
export async function openLabFromMenu(page, title) {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Labs' }).click();
  await nav
    .locator('#labs-menu-panel a')
    .filter({ has: page.locator('.labs-menu-title', { hasText: title }) })
    .click();
  await waitForHeading(page, title);
}

/** The title of the lab the header's "Labs" menu marks as the current page, or null. */
export async function currentLabInMenu(page) {
  const current = page.locator('#labs-menu-panel a[aria-current="page"] .labs-menu-title');
  return (await current.count()) === 0 ? null : current.first().textContent();
}
