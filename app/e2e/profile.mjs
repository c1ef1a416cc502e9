// Where a lab's main-thread time goes: opens a lab on the built site, optionally picks a preset
// and a speed, plays for a while under Chromium's sampling profiler, and prints the long tasks
// and the functions by self and by inclusive time. Not a test (no `.test.mjs`): a tool.
//
//   CONTINUUM_WASM_NAMES=1 cargo xtask dist        # keep function names in the wasm
//   node app/e2e/profile.mjs '#/lab/crdt' 'CRDT convergence' '1,000 replicas' - 6
//
// Arguments: route, the page's heading, preset label (or -), speed (or -), seconds of play.
import { startSite, waitForHeading } from './helpers.mjs';
const [route, heading, preset, speed, seconds] = process.argv.slice(2);
const site = await startSite();
const { page } = await site.open();
await page.addInitScript(() => {
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
});
await page.goto(site.url + route);
await waitForHeading(page, heading);
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await cdp.send('Profiler.start');
if (preset !== '-') await page.getByLabel('Preset').selectOption({ label: preset });
await page.getByRole('button', { name: 'Play', exact: true }).click();
if (speed !== '-') await page.getByLabel(/^Speed/).fill(speed);
await page.waitForTimeout(Number(seconds) * 1000);
const { profile } = await cdp.send('Profiler.stop');
const tasks = await page.evaluate(() => window.__longTasks);
console.log('long tasks', JSON.stringify(tasks.map(([s, d]) => [Math.round(s), Math.round(d)])));
// self time per function
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
profile.samples.forEach((id, i) => {
  const n = byId.get(id);
  const name = n.callFrame.functionName || '(anon)';
  self.set(name, (self.get(name) ?? 0) + (dt[i] ?? 0) / 1000);
});
const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40);
for (const [name, ms] of top) console.log(ms.toFixed(0).padStart(7), name.slice(0, 160));
// inclusive time per function
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map();
profile.samples.forEach((id, i) => {
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const name = byId.get(cur).callFrame.functionName || '(anon)';
    if (seen.has(name)) continue;
    seen.add(name);
    incl.set(name, (incl.get(name) ?? 0) + (dt[i] ?? 0) / 1000);
  }
});
console.log('--- inclusive');
for (const [name, ms] of [...incl.entries()].sort((a, b) => b[1] - a[1]).slice(0, 60)) console.log(ms.toFixed(0).padStart(7), name.slice(0, 160));
// Each stretch of at least 50 ms without an idle sample (a long task, roughly), with the
// functions that took the most of it, inclusive.
const stacks = profile.samples.map((id) => {
  const names = [];
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) names.push(byId.get(cur).callFrame.functionName || '(anon)');
  return names;
});
let start = null;
let busy = 0;
const stretches = [];
profile.samples.forEach((id, i) => {
  const idle = byId.get(id).callFrame.functionName === '(idle)';
  if (!idle && start === null) {
    start = i;
    busy = 0;
  }
  if (!idle) busy += (dt[i] ?? 0) / 1000;
  if (idle && start !== null) {
    if (busy >= 50) stretches.push([start, i, busy]);
    start = null;
  }
});
for (const [from, to, ms] of stretches) {
  const acc = new Map();
  for (let i = from; i < to; i += 1) {
    for (const name of new Set(stacks[i])) acc.set(name, (acc.get(name) ?? 0) + (dt[i] ?? 0) / 1000);
  }
  console.log(`--- busy stretch of ${ms.toFixed(0)} ms`);
  for (const [name, t] of [...acc.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(t.toFixed(0).padStart(7), name.slice(0, 150));
}
await site.close();
