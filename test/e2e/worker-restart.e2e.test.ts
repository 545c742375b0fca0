/**
 * Chrome stops an idle MV3 service worker at will (after ~30 s without events, or under memory pressure). The
 * overlay must keep checking across that: the next check wakes a new worker (or retries once when the message
 * raced the shutdown) and the underlines follow the creator's text. Stopped here through the DevTools protocol.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import { launchBrowser, openEditor, type Launched } from './harness';
import { readHighlights, setSettings } from './overlay-helpers';

const FIRST = { term: '红线测试词', category: 'prohibited-service', severity: 'error', message: '测试用的自定义高风险词' } as const;
const SECOND = { term: '重启后测试词', category: 'prohibited-service', severity: 'error', message: '测试用的第二个自定义词' } as const;

interface WorkerVersion {
  versionId: string;
  scriptURL: string;
  runningStatus: 'stopped' | 'starting' | 'running' | 'stopping';
}

/**
 * Watches the extension's service-worker versions through CDP; `stop()` stops the running one and waits until CDP
 * reports it stopped. The wait looks at every status reported since the stop, not only the latest: Chrome may start
 * the same version again at once (a check message from the page), so a poll of the current status can miss it.
 */
async function watchWorker(cdp: CDPSession): Promise<{ status: () => string | undefined; stop: () => Promise<void> }> {
  const latest = new Map<string, WorkerVersion>();
  const seen: { versionId: string; runningStatus: string }[] = [];
  cdp.on('ServiceWorker.workerVersionUpdated', (e: { versions: WorkerVersion[] }) => {
    for (const v of e.versions) {
      if (!v.scriptURL.startsWith('chrome-extension://')) continue;
      latest.set(v.versionId, v);
      seen.push({ versionId: v.versionId, runningStatus: v.runningStatus });
    }
  });
  await cdp.send('ServiceWorker.enable');
  await expect.poll(() => latest.size, { timeout: 5000 }).toBeGreaterThan(0);
  const running = () => [...latest.values()].find((v) => v.runningStatus === 'running');
  return {
    status: () => running()?.runningStatus ?? [...latest.values()].at(-1)?.runningStatus,
    stop: async () => {
      const v = running();
      if (!v) throw new Error('no running extension service worker to stop');
      const from = seen.length;
      await cdp.send('ServiceWorker.stopWorker', { versionId: v.versionId });
      await expect
        .poll(() => seen.slice(from).some((u) => u.versionId === v.versionId && u.runningStatus === 'stopped'), { timeout: 10000 })
        .toBe(true);
    },
  };
}

let browser: Launched;
beforeEach(async () => {
  browser = await launchBrowser({ extension: true });
});
afterEach(async () => {
  await browser?.close();
});

/** The replica with both test terms on, the worker watched, the caret in the body. */
async function openWatchedEditor() {
  await setSettings(browser.context, { customTerms: [FIRST, SECOND] });
  const { page, selectors } = await openEditor(browser.context);
  const worker = await watchWorker(await browser.context.newCDPSession(page));
  await page.locator(selectors.body).click();
  return { page, selectors, worker };
}

/** The error-underlined texts in the body, once they equal `expected`. */
function pollErrors(page: Page, body: string, expected: string[], timeout: number) {
  return expect.poll(async () => (await readHighlights(page, body)).error.map((r) => r.text), { timeout }).toEqual(expected);
}

test('after the service worker is stopped, the next keystrokes are still checked and underlined', async () => {
  const { page, selectors, worker } = await openWatchedEditor();
  await page.keyboard.type(FIRST.term);
  await pollErrors(page, selectors.body, [FIRST.term], 5000);

  await worker.stop();
  await page.keyboard.type(`，还有${SECOND.term}`);
  await pollErrors(page, selectors.body, [FIRST.term, SECOND.term], 8000);
  // a new worker answered, and the creator's text is exactly what was typed
  expect(worker.status()).toBe('running');
  expect(await page.locator(selectors.body).innerText()).toBe(`${FIRST.term}，还有${SECOND.term}`);
});

test('a worker stopped twice in a row during typing loses no check and no keystroke', async () => {
  const { page, selectors, worker } = await openWatchedEditor();
  await page.keyboard.type('今天分享');
  await worker.stop();
  await page.keyboard.type(FIRST.term);
  await pollErrors(page, selectors.body, [FIRST.term], 8000);
  await worker.stop();
  await page.keyboard.press('Backspace');
  await expect.poll(async () => (await readHighlights(page, selectors.body)).error.length, { timeout: 8000 }).toBe(0);
  expect(await page.locator(selectors.body).innerText()).toBe(`今天分享${FIRST.term.slice(0, -1)}`);
});
