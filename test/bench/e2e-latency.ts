/**
 * `npm run bench:e2e`: the overlay's cost in headless Chromium on the Tiptap replica with a 1,000-character note.
 *   1. check triggered → highlights set (p50/p95 over EDITS edits), measured inside the content script (it includes
 *      the round trip to the MV3 worker and the engine); also edit → underline as the page sees it (adds the
 *      300 ms debounce).
 *   2. per-keystroke cost over a 200-character typing burst (40 ms apart), with and without the extension: the
 *      renderer's main-thread busy time per keystroke (CDP Performance TaskDuration; robust), and beforeinput →
 *      the frame after it, measured in the page (frame-aligned, so noisy: compare with AA=1).
 *   3. the content script's size in build/chrome-mv3-prod, raw and gzipped.
 * Prints figures; asserts nothing (timings depend on the machine). Needs `npm run build` first (the npm script
 * does it). Environment: EDITS (default 60; 0 skips part 1), ROUNDS (bursts per side, default 4), NOFINDINGS=1 (all
 * packs off: the overlay's cost without any underline), AA=1 (both sides without the extension: the noise floor of the
 * comparison), TRACE=1 (record a Chromium trace of each burst and print the renderer's time per keystroke by phase:
 * style, layout, pre-paint, paint, commit, script; with − without), HLCSS='css' (put this CSS into the page on both
 * sides, e.g. other ::highlight styles, to compare their cost), REDLINE_EXTENSION_DIR (another build to measure, e.g.
 * an older one kept aside, to compare two versions in interleaved runs), RULESOFF=pack/rule,… (turn these rules off,
 * e.g. to see what one long underline costs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { generateNotes } from './notes';
import { expectedFindings } from '../e2e/overlay-helpers';
import { artifactsDir, extensionDir, launchBrowser, openEditor } from '../e2e/harness';

const EDITS = Number(process.env.EDITS ?? 60);
const ROUNDS = Number(process.env.ROUNDS ?? 4);
const BURST = 200;
const TYPE_DELAY_MS = 40;

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i];
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(2).padStart(8) : '     n/a');

function stats(label: string, values: number[]): string {
  return `${label.padEnd(52)} n=${String(values.length).padStart(3)}  p50 ${fmt(percentile(values, 50))} ms  p95 ${fmt(percentile(values, 95))} ms  max ${fmt(Math.max(...values))} ms`;
}

/** A 1,000-character note assembled from the labelled corpus (test/bench/notes.ts), as Tiptap paragraphs. */
function noteHtml(): { html: string; text: string } {
  const text = generateNotes(1, 1000)[0];
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return { html: text.split('\n').map((p) => `<p>${escape(p)}</p>`).join(''), text };
}

async function setNote(page: Page, html: string): Promise<void> {
  await page.evaluate((h) => (window as unknown as { __fixture: { setContent(h: string): void } }).__fixture.setContent(h), html);
}

async function checksDone(page: Page): Promise<number> {
  return page.evaluate(() => Number(document.querySelector('redline-overlay')?.getAttribute('data-checks') ?? 0));
}

/** Put the caret at a pseudo-random place of the Tiptap document (deterministic). */
async function caretAt(page: Page, i: number): Promise<void> {
  await page.evaluate((k) => {
    const editor = (window as unknown as { __fixture: { editor: { state: { doc: { content: { size: number } } }; commands: { setTextSelection(p: number): void; focus(): void } } } }).__fixture.editor;
    const size = editor.state.doc.content.size;
    const pos = 1 + ((k * 7919) % Math.max(1, size - 2));
    editor.commands.focus();
    editor.commands.setTextSelection(pos);
  }, i);
}

async function triggerToHighlights(): Promise<{ inner: number[]; outer: number[] }> {
  const launched = await launchBrowser({ extension: true });
  try {
    const { page } = await openEditor(launched.context);
    const { html } = noteHtml();
    await setNote(page, html);
    await page.waitForFunction(() => Number(document.querySelector('redline-overlay')?.getAttribute('data-checks') ?? 0) > 0);
    await page.waitForTimeout(500);
    // page-side clock for edit → underline: a MutationObserver on our host's data-checks attribute
    await page.evaluate(() => {
      const w = window as unknown as { __done: number[] };
      w.__done = [];
      new MutationObserver(() => w.__done.push(performance.now())).observe(document.querySelector('redline-overlay')!, {
        attributes: true,
        attributeFilter: ['data-checks'],
      });
    });
    const inner: number[] = [];
    const outer: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      const before = await checksDone(page);
      await caretAt(page, i);
      const t0 = await page.evaluate(() => performance.now());
      // alternate: insert a risky phrase, then an ordinary one (every edit changes the text, so every edit checks)
      await page.keyboard.insertText(i % 2 === 0 ? '加我微信' : '今天');
      await page.waitForFunction((b) => Number(document.querySelector('redline-overlay')?.getAttribute('data-checks') ?? 0) > b, before, { timeout: 10_000 });
      const { latency, done } = await page.evaluate(() => ({
        latency: Number(document.querySelector('redline-overlay')!.getAttribute('data-last-latency')),
        done: (window as unknown as { __done: number[] }).__done.at(-1) ?? NaN,
      }));
      inner.push(latency);
      outer.push(done - t0);
    }
    return { inner, outer };
  } finally {
    await launched.close();
  }
}

/** Main-thread (and raster) time per keystroke by trace event, from a Chromium trace of the burst (TRACE=1). */
type TraceFigures = Record<string, number>;

const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'blink',
  'cc',
  'v8.execute',
].join(',');

/** Event names summed per keystroke (only top-level instances on their thread are counted, so nesting adds nothing twice). */
const TRACE_EVENTS = new Set([
  'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'UpdateLayer', 'PaintImage',
  'HitTest', 'FunctionCall', 'RunMicrotasks', 'FireAnimationFrame', 'TimerFire', 'EventDispatch', 'V8.Execute',
  'ProxyMain::BeginMainFrame', 'ThreadProxy::BeginMainFrame', 'WebFrameWidgetImpl::BeginMainFrame', 'LocalFrameView::RunPostLifecycleSteps',
  'HighlightRegistry::ValidateHighlightMarkers', 'DocumentMarkerController::AddMarker',
  'RasterTask', 'TileManager::AssignGpuMemoryToTiles', 'LayerTreeHostImpl::PrepareToDraw', 'Graphics.Pipeline',
  'ThreadControllerImpl::RunTask', 'ThreadPool_RunTask', 'ScheduledAction::execute', 'ParseHTML', 'FrameCommittedInBrowser',
]);

interface TraceEvent { name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: { name?: string; data?: { url?: string } } }

async function collectTrace(cdp: import('playwright-core').CDPSession, run: () => Promise<void>): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => {
    events.push(...(e.value as unknown as TraceEvent[]));
  });
  const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
  await cdp.send('Tracing.start', { categories: TRACE_CATEGORIES, transferMode: 'ReportEvents' });
  await run();
  await cdp.send('Tracing.end');
  await done;
  return events;
}

/**
 * Sums per keystroke, per thread kind: the renderer main thread of the page (the CrRendererMain with the most Paint
 * events), its compositor thread and its raster workers. Top-level only: an event inside another counted event of
 * the same thread is not added again, except that each name is also summed on its own (`self:` rows are exclusive).
 */
function traceFigures(events: TraceEvent[], keys: number): TraceFigures {
  const threadName = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  const paints = new Map<string, number>();
  for (const e of events) {
    const t = `${e.pid}:${e.tid}`;
    if (e.name === 'Paint' && threadName.get(t) === 'CrRendererMain') paints.set(t, (paints.get(t) ?? 0) + 1);
  }
  const main = [...paints].sort((a, b) => b[1] - a[1])[0]?.[0];
  const pid = main?.split(':')[0];
  const kind = (e: TraceEvent): string | null => {
    const t = `${e.pid}:${e.tid}`;
    if (t === main) return 'main';
    if (String(e.pid) !== pid) return null;
    const n = threadName.get(t) ?? '';
    if (n === 'Compositor') return 'compositor';
    if (/CompositorTileWorker|Raster/i.test(n)) return 'raster';
    return null;
  };
  // pair B/E into complete events
  const complete: TraceEvent[] = [];
  const open = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph === 'X' && typeof e.dur === 'number') complete.push(e);
    else if (e.ph === 'B') {
      const k = `${e.pid}:${e.tid}`;
      (open.get(k) ?? open.set(k, []).get(k)!).push(e);
    } else if (e.ph === 'E') {
      const b = open.get(`${e.pid}:${e.tid}`)?.pop();
      if (b) complete.push({ ...b, dur: e.ts - b.ts });
    }
  }
  const out: TraceFigures = {};
  const add = (k: string, v: number) => (out[k] = (out[k] ?? 0) + v / 1000 / keys);
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of complete) {
    const k = kind(e);
    if (!k) continue;
    (byThread.get(`${k}|${e.pid}:${e.tid}`) ?? byThread.set(`${k}|${e.pid}:${e.tid}`, []).get(`${k}|${e.pid}:${e.tid}`)!).push(e);
  }
  for (const [key, list] of byThread) {
    const k = key.split('|')[0];
    list.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    // busy time of the thread: union of its top-level task intervals
    let busyEnd = -Infinity;
    for (const e of list) {
      if (e.name !== 'ThreadControllerImpl::RunTask' && e.name !== 'ThreadPool_RunTask' && e.name !== 'RunTask') continue;
      const end = e.ts + (e.dur ?? 0);
      if (end <= busyEnd) continue;
      add(`${k} busy (tasks)`, end - Math.max(e.ts, busyEnd));
      busyEnd = end;
    }
    if (k !== 'main' && k !== 'compositor') {
      for (const e of list) if (TRACE_EVENTS.has(e.name)) add(`${k} ${e.name}`, e.dur ?? 0);
      continue;
    }
    for (const e of list) {
      if (!TRACE_EVENTS.has(e.name)) continue;
      add(`${k} ${e.name}`, e.dur ?? 0);
      // script of the extension (its content script runs in an isolated world, its URL is chrome-extension://…)
      if (k === 'main' && e.name === 'FunctionCall' && String(e.args?.data?.url ?? '').startsWith('chrome-extension://')) add('main FunctionCall of the extension', e.dur ?? 0);
    }
  }
  return out;
}

interface Burst {
  /** per-keystroke time by trace event (TRACE=1 only) */
  trace?: TraceFigures;
  /** beforeinput → the frame after it, per keystroke (ms) */
  frame: number[];
  /** renderer main-thread busy time over the burst, per keystroke (ms; CDP Performance.getMetrics TaskDuration) */
  taskPerKey: number;
  /** the overlay's own frame work (render) per keystroke (ms), with the extension only */
  renderPerKey: number;
}

async function keystrokeBurst(extension: boolean): Promise<Burst> {
  const launched = await launchBrowser({ extension });
  try {
    if (extension && (process.env.NOFINDINGS || process.env.RULESOFF)) {
      const { setSettings, bundle } = await import('../e2e/overlay-helpers');
      await setSettings(launched.context, {
        ...(process.env.NOFINDINGS ? { packs: Object.fromEntries(bundle.packs.map((p) => [p.id, false])) } : {}),
        ...(process.env.RULESOFF ? { rules: Object.fromEntries(process.env.RULESOFF.split(',').map((id) => [id, { enabled: false }])) } : {}),
      });
    }
    const { page, selectors } = await openEditor(launched.context);
    await setNote(page, noteHtml().html);
    if (extension) await page.waitForFunction(() => Number(document.querySelector('redline-overlay')?.getAttribute('data-checks') ?? 0) > 0);
    await page.waitForTimeout(500);
    await page.evaluate((sel) => {
      const w = window as unknown as { __lat: number[] };
      w.__lat = [];
      document.querySelector(sel)!.addEventListener(
        'beforeinput',
        (e) => {
          const t0 = e.timeStamp;
          requestAnimationFrame(() => {
            const ch = new MessageChannel();
            ch.port1.onmessage = () => w.__lat.push(performance.now() - t0);
            ch.port2.postMessage(0);
          });
        },
        true,
      );
    }, selectors.body);
    const renderState = () =>
      page.evaluate(() => Number(document.querySelector('redline-overlay')?.getAttribute('data-render-total-ms') ?? 0));
    const cdp = await launched.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const taskDuration = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN) * 1000;
    };
    // HLCSS: extra CSS put into the page on both sides (e.g. other ::highlight styles, to compare their cost)
    if (process.env.HLCSS) {
      await page.evaluate((css) => {
        const style = document.createElement('style');
        style.textContent = css;
        document.head.appendChild(style);
      }, process.env.HLCSS);
    }
    await caretAt(page, 3);
    if (extension && process.env.TRACE) {
      const where = await page.evaluate(() => {
        const a = window.getSelection()?.anchorNode;
        const p = (a instanceof Element ? a : a?.parentElement)?.closest('p');
        if (!p) return { inPara: -1, all: -1, len: -1 };
        let inPara = 0;
        let all = 0;
        for (const [, h] of CSS.highlights) {
          for (const r of h as unknown as Iterable<Range>) {
            all++;
            if (r.intersectsNode(p)) inPara++;
          }
        }
        return { inPara, all, len: p.textContent!.length };
      });
      console.error(`(burst paragraph: ${where.len} chars, ${where.inPara} of ${where.all} highlight ranges touch it)`);
    }
    const text = '今天去公园散步天气很好拍了几张照片分享给大家'.repeat(10).slice(0, BURST);
    const render0 = await renderState();
    const task0 = await taskDuration();
    const typing = async () => {
      await page.keyboard.type(text, { delay: TYPE_DELAY_MS });
      await page.waitForTimeout(120); // the last frame, not the check that follows 300 ms later
    };
    const events = process.env.TRACE ? await collectTrace(cdp, typing) : (await typing(), []);
    const task1 = await taskDuration();
    const render1 = await renderState();
    await page.waitForTimeout(300);
    return {
      trace: process.env.TRACE ? traceFigures(events, BURST) : undefined,
      frame: await page.evaluate(() => (window as unknown as { __lat: number[] }).__lat),
      taskPerKey: (task1 - task0) / BURST,
      renderPerKey: (render1 - render0) / BURST,
    };
  } finally {
    await launched.close();
  }
}

/** The machine is shared: if a browser dies under a measurement (killed from outside), run it again, twice at most. */
async function retry<T>(label: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= 3 || !/closed|crash|Target/i.test(String(e))) throw e;
      console.error(`(${label}: the browser went away, running it again)`);
    }
  }
}

function bundleSize(): { file: string; raw: number; gzip: number } {
  const dir = extensionDir();
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { content_scripts?: { js?: string[] }[] };
  const files = (manifest.content_scripts ?? []).flatMap((c) => c.js ?? []);
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const data = readFileSync(join(dir, f));
    raw += data.length;
    gzip += gzipSync(data, { level: 9 }).length;
  }
  return { file: files.join(', '), raw, gzip };
}

const size = bundleSize();
const sample = noteHtml().text;
const sampleFindings = expectedFindings({ title: '', body: sample });
console.log(`note: ${sample.length} UTF-16 units, ${sample.split('\n').length} paragraphs, ${sampleFindings.length} findings under default settings`);
console.log(`content script ${size.file}: ${(size.raw / 1024).toFixed(1)} KB raw, ${(size.gzip / 1024).toFixed(1)} KB gzipped (target ≤ 30 KB)`);

const { inner, outer } = process.env.NOFINDINGS || EDITS === 0 ? { inner: [], outer: [] } : await retry('trigger → highlights', triggerToHighlights);
console.log(stats('check triggered → highlights set (1,000-char note)', inner));
console.log(stats('edit → underline in the page (incl. 300 ms debounce)', outer));

// bursts with and without the extension, alternating which goes first (a second launch in a row tends to run a
// little slower on a shared machine)
const without: Burst[] = [];
const withExt: Burst[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const runWithout = async () => without.push(await retry('burst without extension', () => keystrokeBurst(false)));
  const runWith = async () => withExt.push(await retry('burst with extension', () => keystrokeBurst(!process.env.AA)));
  if (round % 2 === 0) {
    await runWithout();
    await runWith();
  } else {
    await runWith();
    await runWithout();
  }
}
const frames = (b: Burst[]) => b.flatMap((x) => x.frame);
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
console.log(stats(`keystroke → next frame, without extension (${BURST} chars ×${ROUNDS})`, frames(without)));
console.log(stats(`keystroke → next frame, with extension (${BURST} chars ×${ROUNDS})`, frames(withExt)));
const taskWithout = mean(without.map((b) => b.taskPerKey));
const taskWith = mean(withExt.map((b) => b.taskPerKey));
const renderPerKey = mean(withExt.map((b) => b.renderPerKey));
console.log(`main-thread time per keystroke: without ${taskWithout.toFixed(2)} ms, with ${taskWith.toFixed(2)} ms → added ${(taskWith - taskWithout).toFixed(2)} ms (of which the overlay's render ${renderPerKey.toFixed(2)} ms)`);
const added50 = percentile(frames(withExt), 50) - percentile(frames(without), 50);
const added95 = percentile(frames(withExt), 95) - percentile(frames(without), 95);
console.log(`added keystroke → frame latency: p50 ${added50.toFixed(2)} ms, p95 ${added95.toFixed(2)} ms (target ≤ 2 ms; frame-aligned, so noisy)`);

if (process.env.TRACE) {
  const avg = (b: Burst[]) => {
    const sum: TraceFigures = {};
    for (const x of b) for (const [k, v] of Object.entries(x.trace ?? {})) sum[k] = (sum[k] ?? 0) + v / b.length;
    return sum;
  };
  const a = avg(without);
  const w = avg(withExt);
  console.log(`trace, ms per keystroke (mean of ${ROUNDS} bursts per side; nested events are counted in their parent too):`);
  console.log(`${'event'.padEnd(58)} ${'without'.padStart(8)} ${'with'.padStart(8)} ${'added'.padStart(8)}`);
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(w)])].sort()) {
    const x = a[k] ?? 0;
    const y = w[k] ?? 0;
    if (Math.max(x, y) < 0.005) continue;
    console.log(`${k.padEnd(58)} ${x.toFixed(3).padStart(8)} ${y.toFixed(3).padStart(8)} ${(y - x >= 0 ? '+' : '') + (y - x).toFixed(3).padStart(7)}`);
  }
}

const out = join(artifactsDir(), 'bench-e2e.json');
const summary = {
  date: new Date().toISOString(),
  contentScript: size,
  triggerToHighlights: { n: inner.length, p50: percentile(inner, 50), p95: percentile(inner, 95) },
  editToUnderline: { n: outer.length, p50: percentile(outer, 50), p95: percentile(outer, 95) },
  keystroke: {
    without: { n: frames(without).length, p50: percentile(frames(without), 50), p95: percentile(frames(without), 95), taskPerKey: taskWithout },
    with: { n: frames(withExt).length, p50: percentile(frames(withExt), 50), p95: percentile(frames(withExt), 95), taskPerKey: taskWith },
    addedP50: added50,
    addedP95: added95,
    addedTaskPerKey: taskWith - taskWithout,
    renderPerKey,
  },
};
(await import('node:fs')).writeFileSync(out, JSON.stringify(summary, null, 2) + '\n');
console.log(`figures: ${out}`);
