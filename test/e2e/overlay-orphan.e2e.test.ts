/**
 * After the extension is reloaded (or updated), the content script left in an open tab is orphaned: its runtime is
 * gone. It must stop quietly: no "Extension context invalidated" in the creator's console, underlines removed.
 * Its own browser, since the reload takes the extension's worker away from the other tests.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { clickPublishButton, launchBrowser, openEditor, type Launched } from './harness';
import { readHighlights, setSettings } from './overlay-helpers';

const CUSTOM = { term: '红线测试词', category: 'prohibited-service', severity: 'error', message: '测试用的自定义高风险词' } as const;

let browser: Launched;
beforeEach(async () => {
  browser = await launchBrowser({ extension: true });
});
afterEach(async () => {
  await browser?.close();
});

test('an orphaned content script goes quiet: no errors in any console world, its overlay removed', async () => {
  await setSettings(browser.context, { customTerms: [CUSTOM] });
  const { page, selectors } = await openEditor(browser.context);
  // CDP's Runtime domain reports every execution context, the content script's isolated world included
  const cdp = await browser.context.newCDPSession(page);
  const messages: string[] = [];
  cdp.on('Runtime.exceptionThrown', (e) => messages.push(`exception: ${e.exceptionDetails.exception?.description ?? e.exceptionDetails.text}`));
  cdp.on('Runtime.consoleAPICalled', (e) => messages.push(`${e.type}: ${e.args.map((a) => a.value ?? a.description).join(' ')}`));
  cdp.on('Log.entryAdded', (e) => messages.push(`log ${e.entry.level}: ${e.entry.text}`));
  await cdp.send('Runtime.enable');
  await cdp.send('Log.enable');

  await page.locator(selectors.body).click();
  await page.keyboard.type(CUSTOM.term);
  await expect.poll(async () => (await readHighlights(page, selectors.body)).error.length, { timeout: 5000 }).toBe(1);

  await browser.serviceWorker!.evaluate(() => setTimeout(() => chrome.runtime.reload(), 10)).catch(() => {});
  await page.waitForTimeout(1000);
  // typing, blur and the popup-less paths all reach for the runtime: each must fail silently
  await page.keyboard.type('，继续输入一些文字');
  await page.waitForTimeout(800);
  await page.locator(selectors.title).click();
  await page.keyboard.type('标题');
  await page.waitForTimeout(800);

  expect(messages.filter((m) => /context invalidated|redline|Receiving end/i.test(m))).toEqual([]);
  await expect.poll(() => page.evaluate(() => !!document.querySelector('redline-overlay')), { timeout: 5000 }).toBe(false);
  const drawn = await readHighlights(page, selectors.body);
  expect(drawn.registered).toEqual([]);
  // the editor kept working throughout
  expect(await page.locator(selectors.body).textContent()).toBe(`${CUSTOM.term}，继续输入一些文字`);
});

test('untouched after the reload, the orphan still lets go within seconds, and 发布 is not swallowed', async () => {
  await setSettings(browser.context, { customTerms: [CUSTOM] });
  const { page, selectors } = await openEditor(browser.context, { stay: '1' });
  await page.locator(selectors.body).click();
  await page.keyboard.type(CUSTOM.term);
  await expect.poll(async () => (await readHighlights(page, selectors.body)).error.length, { timeout: 5000 }).toBe(1);
  await browser.serviceWorker!.evaluate(() => setTimeout(() => chrome.runtime.reload(), 10)).catch(() => {});
  await expect.poll(() => page.evaluate(() => !!document.querySelector('redline-overlay')), { timeout: 8000 }).toBe(false);
  await clickPublishButton(page, 'publish');
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __fixture: { published: number } }).__fixture.published), { timeout: 5000 })
    .toBe(1);
});
