/**
 * The in-editor overlay end to end: the built extension in headless Chromium, the publish-page replica served at
 * the real URL. Expected findings come from the same engine and rule bundle the extension ships (computed here in
 * Node), so the tests check the overlay (text map, offsets, drawing, card, gate), not the rule content.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Finding } from '../../src/engine/types';
import { loadPackFiles } from '../../src/rules/load';
import { artifactsDir, clickPublishButton, extensionDir, launchBrowser, openEditor, SELECTORS, type Launched } from './harness';
import {
  bundle,
  clearSettings,
  expectedFindings,
  expectedRanges,
  overlayState,
  readHighlights,
  readStoredRaw,
  ruleWithReplacement,
  setSettings,
  sortDrawn,
} from './overlay-helpers';

/** A term of our own (settings.customTerms), so gate tests do not depend on the rule packs' wording. */
const CUSTOM = { term: '红线测试词', category: 'prohibited-service', severity: 'error', message: '测试用的自定义高风险词' } as const;

let browser: Launched;

beforeAll(async () => {
  browser = await launchBrowser({ extension: true });
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  await clearSettings(browser.context);
  for (const p of browser.context.pages()) await p.close();
});

/** expect.poll with room for a busy 2-core machine (the check delay alone is 300 ms). */
function poll<T>(fn: () => Promise<T> | T, opts: { timeout?: number } = {}) {
  return expect.poll(fn, { timeout: opts.timeout ?? 5000, interval: 50 });
}

async function fixture<T>(page: Page, expr: string): Promise<T> {
  return page.evaluate((e) => {
    const f = (window as unknown as { __fixture: Record<string, unknown> }).__fixture;
    return e.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], f);
  }, expr) as Promise<T>;
}

async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector).click();
  await page.keyboard.type(text);
}

/** Wait until the highlights drawn for the body equal the engine's findings for `note`. */
async function expectBodyHighlights(page: Page, selector: string, findings: Finding[]): Promise<void> {
  const expected = expectedRanges(findings, 'body');
  await poll(async () => {
      const drawn = await readHighlights(page, selector);
      return sortDrawn({ error: drawn.error, warning: drawn.warning, info: drawn.info });
    })
    .toEqual(expected);
}

async function overlayQuery<T>(page: Page, fn: (root: ShadowRoot) => T): Promise<T> {
  return page.evaluate(`(${fn.toString()})(document.querySelector('redline-overlay').shadowRoot)`) as Promise<T>;
}

describe('underlines', () => {
  test('risky body text is underlined at the engine’s offsets; clean text and the offscreen copy are not', async () => {
    await setSettings(browser.context, { customTerms: [CUSTOM] });
    const { page, selectors } = await openEditor(browser.context);
    const body = `这款面霜真的好用，${CUSTOM.term}，加我微信详聊，全网第一。`;
    await typeInto(page, selectors.body, body);
    const findings = expectedFindings({ title: '', body }, { customTerms: [CUSTOM] });
    expect(findings.some((f) => f.text === CUSTOM.term && f.severity === 'error')).toBe(true);
    await expectBodyHighlights(page, selectors.body, findings);
    const drawn = await readHighlights(page, selectors.body);
    expect(drawn.registered).toEqual(['error', 'warning', 'info']);
    for (const r of [...drawn.error, ...drawn.warning, ...drawn.info]) expect(r.inEditor).toBe(true);
    // the replica's offscreen copy holds risky text too: nothing of it is highlighted
    const offscreenText = await page.locator(`${SELECTORS.offscreen} .tiptap`).textContent();
    expect(offscreenText).toMatch(/微信/);
    await page.screenshot({ path: join(artifactsDir(), 'overlay-underlines.png') });

    // select all and type a clean sentence: every underline goes
    const clean = '今天去公园散步，天气很好，拍了几张照片。';
    expect(expectedFindings({ title: '', body: clean }, { customTerms: [CUSTOM] })).toEqual([]);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(clean);
    await expectBodyHighlights(page, selectors.body, []);
    await poll(() => overlayQuery(page, (r) => r.querySelector('[data-redline-summary] .pill')?.textContent ?? '')).toContain('未发现风险');
  });

  test('offsets stay right with emoji and a topic mid-paragraph (hidden topic text never counted)', async () => {
    await setSettings(browser.context, { customTerms: [CUSTOM] });
    const { page, selectors } = await openEditor(browser.context);
    await typeInto(page, selectors.body, '今天😀去了');
    await page.evaluate(() => (window as unknown as { __fixture: { insertTopic(n: string): void } }).__fixture.insertTopic('穿搭'));
    await page.keyboard.type(`看到👍🏻${CUSTOM.term}啦`);
    const text = await page.locator(selectors.body).evaluate((el) => {
      const clone = el.cloneNode(true) as HTMLElement;
      clone.querySelectorAll('.content-hide').forEach((n) => n.remove());
      return clone.textContent ?? '';
    });
    expect(text).toContain('#穿搭');
    expect(text).not.toContain('[话题]');
    const findings = expectedFindings({ title: '', body: text }, { customTerms: [CUSTOM] });
    const custom = findings.find((f) => f.text === CUSTOM.term);
    expect(custom?.start).toBe(text.indexOf(CUSTOM.term));
    await expectBodyHighlights(page, selectors.body, findings);
  });

  test('the title is underlined through a mirror overlay placed over the input', async () => {
    await setSettings(browser.context, { customTerms: [CUSTOM] });
    const { page, selectors } = await openEditor(browser.context);
    const title = `春季${CUSTOM.term}分享`;
    await typeInto(page, selectors.title, title);
    const findings = expectedFindings({ title, body: '' }, { customTerms: [CUSTOM] }).filter((f) => f.field === 'title');
    expect(findings.length).toBeGreaterThan(0);
    await poll(() => overlayQuery(page, (r) => Array.from(r.querySelectorAll('.title-mirror .u')).map((s) => s.textContent)))
      .toEqual(findings.map((f) => f.text));
    const geometry = await page.evaluate((sel) => {
      const input = document.querySelector(sel)!.getBoundingClientRect();
      const host = document.querySelector('redline-overlay')!;
      const span = host.shadowRoot!.querySelector('.title-mirror .u.error')!.getBoundingClientRect();
      // where the phrase really is inside the input: measure with a canvas in the input's font
      const inputEl = document.querySelector(sel) as HTMLInputElement;
      const cs = getComputedStyle(inputEl);
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      const before = inputEl.value.slice(0, inputEl.value.indexOf('红线测试词'));
      const x = input.left + parseFloat(cs.borderLeftWidth) + parseFloat(cs.paddingLeft) + ctx.measureText(before).width;
      return {
        input: { left: input.left, right: input.right, top: input.top, bottom: input.bottom },
        span: { left: span.left, right: span.right, top: span.top, bottom: span.bottom },
        expectedLeft: x,
        hostInEditor: !!document.querySelector('[data-fixture="live"]')?.contains(host),
        pointerEvents: getComputedStyle(host.shadowRoot!.querySelector('.title-mirror')!).pointerEvents,
      };
    }, selectors.title);
    expect(geometry.hostInEditor).toBe(false);
    expect(geometry.pointerEvents).toBe('none');
    expect(geometry.span.left).toBeGreaterThanOrEqual(geometry.input.left);
    expect(geometry.span.right).toBeLessThanOrEqual(geometry.input.right);
    expect(geometry.span.top).toBeGreaterThanOrEqual(geometry.input.top);
    expect(geometry.span.bottom).toBeLessThanOrEqual(geometry.input.bottom);
    expect(Math.abs(geometry.span.left - geometry.expectedLeft)).toBeLessThan(2);
    const { input } = geometry;
    await page.screenshot({
      path: join(artifactsDir(), 'overlay-title.png'),
      clip: { x: input.left - 24, y: input.top - 16, width: input.right - input.left + 48, height: input.bottom - input.top + 32 },
    });
  });

  test('the title mirror follows scrolling within a frame', async () => {
    await setSettings(browser.context, { customTerms: [CUSTOM] });
    const { page, selectors } = await openEditor(browser.context);
    await typeInto(page, selectors.title, `春季${CUSTOM.term}分享`);
    await poll(() => overlayQuery(page, (r) => r.querySelectorAll('.title-mirror .u').length)).toBe(1);
    const offsets = await page.evaluate(async (sel) => {
      const span = () => document.querySelector('redline-overlay')!.shadowRoot!.querySelector('.title-mirror .u')!.getBoundingClientRect();
      const input = () => document.querySelector(sel)!.getBoundingClientRect();
      const frame = () => new Promise((r) => requestAnimationFrame(() => r(null)));
      const before = { span: span().top - input().top, inputTop: input().top };
      window.scrollBy(0, 150);
      await frame();
      await frame();
      return { before, after: { span: span().top - input().top, inputTop: input().top } };
    }, selectors.title);
    expect(offsets.after.inputTop).toBeLessThan(offsets.before.inputTop); // the page did scroll
    expect(Math.abs(offsets.after.span - offsets.before.span)).toBeLessThan(1);
  });

  test('the long-article textarea title is underlined too', async () => {
    await setSettings(browser.context, { customTerms: [CUSTOM] });
    const { page, selectors } = await openEditor(browser.context, { target: 'article' });
    const title = `长文标题里有${CUSTOM.term}`;
    await typeInto(page, selectors.title, title);
    const findings = expectedFindings({ title, body: '' }, { customTerms: [CUSTOM] }).filter((f) => f.field === 'title');
    expect(findings.length).toBeGreaterThan(0);
    await poll(() => overlayQuery(page, (r) => Array.from(r.querySelectorAll('.title-mirror .u')).map((u) => u.textContent))).toEqual(findings.map((f) => f.text));
    const inside = await page.evaluate((sel) => {
      const t = document.querySelector(sel)!.getBoundingClientRect();
      const u = document.querySelector('redline-overlay')!.shadowRoot!.querySelector('.title-mirror .u')!.getBoundingClientRect();
      return u.left >= t.left && u.right <= t.right && u.top >= t.top && u.bottom <= t.bottom;
    }, selectors.title);
    expect(inside).toBe(true);
  });

  test('edits move underlines along and drop those on changed text in the same frame, before any re-check', async () => {
    await setSettings(browser.context, { customTerms: [CUSTOM], checkDelayMs: 1500 }); // no re-check can sneak in
    const { page, selectors } = await openEditor(browser.context);
    await typeInto(page, selectors.body, `前面的话${CUSTOM.term}后面的话`);
    await poll(async () => (await readHighlights(page, selectors.body)).error.length).toBe(1);
    await page.waitForTimeout(400);
    const requestsBefore = (await overlayState(page))!.requests;
    // typing before the phrase moves its underline along, without a check
    const shifted = await page.evaluate(async () => {
      const first = document.querySelector('[data-fixture="live"] .ProseMirror p')!.firstChild as Text;
      window.getSelection()!.setBaseAndExtent(first, 0, first, 0);
      await new Promise((r) => setTimeout(r, 50));
      document.execCommand('insertText', false, '开头');
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null))));
      return [...(CSS.highlights.get('redline-error') as unknown as Set<Range>)].map((r) => r.toString());
    });
    expect(shifted).toEqual([CUSTOM.term]);
    expect((await readHighlights(page, selectors.body)).error.map((r) => r.start)).toEqual([`开头前面的话`.length]);
    const result = await page.evaluate(async (term) => {
      const range = [...(CSS.highlights.get('redline-error') as unknown as Set<Range>)][0];
      const text = range.startContainer as Text;
      const mid = range.startOffset + Math.floor(term.length / 2);
      const sel = window.getSelection()!;
      sel.setBaseAndExtent(text, mid, text, mid);
      await new Promise((r) => setTimeout(r, 50)); // let ProseMirror read the selection
      document.execCommand('insertText', false, '啊');
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null))));
      const h = CSS.highlights.get('redline-error') as unknown as Set<Range>;
      return { drawn: [...h].map((r) => r.toString()), requests: Number(document.querySelector('redline-overlay')!.getAttribute('data-requests')) };
    }, CUSTOM.term);
    expect(result.requests).toBe(requestsBefore); // no check has run yet
    expect(result.drawn).toEqual([]);
    const split = CUSTOM.term.slice(0, 2) + '啊' + CUSTOM.term.slice(2);
    expect(await page.locator(selectors.body).textContent()).toBe(`开头前面的话${split}后面的话`);
  });

  test('typing elsewhere leaves the drawn ranges alone; Enter inside an underlined phrase drops it in the same frame', async () => {
    await setSettings(browser.context, { customTerms: [CUSTOM], checkDelayMs: 1500 }); // no re-check can sneak in
    const { page, selectors } = await openEditor(browser.context);
    await typeInto(page, selectors.body, `前面的话${CUSTOM.term}后面的话`);
    await page.keyboard.press('Enter');
    await page.keyboard.type('第二段');
    await poll(async () => (await readHighlights(page, selectors.body)).error.length).toBe(1);
    await page.waitForTimeout(1800);
    const requestsBefore = (await overlayState(page))!.requests;
    // keystrokes in the second paragraph: the very same live Range stays registered (nothing re-set per keystroke)
    const kept = await page.evaluate(async () => {
      const w = window as unknown as { __kept: Range };
      w.__kept = [...(CSS.highlights.get('redline-error') as unknown as Set<Range>)][0];
      const p = document.querySelectorAll('[data-fixture="live"] .ProseMirror p')[1].firstChild as Text;
      window.getSelection()!.setBaseAndExtent(p, p.length, p, p.length);
      await new Promise((r) => setTimeout(r, 50));
      for (const ch of '今天天气很好') {
        document.execCommand('insertText', false, ch);
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null))));
      }
      const now = [...(CSS.highlights.get('redline-error') as unknown as Set<Range>)];
      return { same: now.length === 1 && now[0] === w.__kept, text: now.map((r) => r.toString()) };
    });
    expect(kept).toEqual({ same: true, text: [CUSTOM.term] });
    // Enter in the middle of the phrase splits its paragraph: the underline goes in the same frame, before any check
    const split = await page.evaluate(async (term) => {
      const range = [...(CSS.highlights.get('redline-error') as unknown as Set<Range>)][0];
      const text = range.startContainer as Text;
      const mid = range.startOffset + Math.floor(term.length / 2);
      window.getSelection()!.setBaseAndExtent(text, mid, text, mid);
      await new Promise((r) => setTimeout(r, 50)); // let ProseMirror read the selection
      return mid;
    }, CUSTOM.term);
    expect(split).toBeGreaterThan(0);
    await page.keyboard.press('Enter');
    const after = await page.evaluate(async () => {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null))));
      const h = CSS.highlights.get('redline-error') as unknown as Set<Range>;
      return {
        drawn: [...h].map((r) => r.toString()),
        paragraphs: document.querySelectorAll('[data-fixture="live"] .ProseMirror p').length,
        requests: Number(document.querySelector('redline-overlay')!.getAttribute('data-requests')),
      };
    });
    expect(after.paragraphs).toBe(3);
    expect(after.requests).toBe(requestsBefore); // no check has run yet
    expect(after.drawn).toEqual([]);
  });

  test('after publishing, on /publish/success, the overlay lets go: no ranges, no summary', async () => {
    await setSettings(browser.context, { customTerms: [CUSTOM], gate: false });
    const { page, selectors } = await openEditor(browser.context);
    await typeInto(page, selectors.body, `今天分享${CUSTOM.term}`);
    await poll(async () => (await readHighlights(page, selectors.body)).error.length).toBe(1);
    await clickPublishButton(page, 'publish');
    await page.waitForURL(/\/publish\/success/);
    await poll(() => page.evaluate(() => (CSS.highlights.get('redline-error') as unknown as Set<Range> | undefined)?.size ?? 0)).toBe(0);
    await poll(() => overlayQuery(page, (r) => (r.querySelector('[data-redline-summary]') as HTMLElement).style.display)).toBe('none');
  });

  test('the content script runs on /publish/* only', async () => {
    const manifest = JSON.parse(readFileSync(join(extensionDir(), 'manifest.json'), 'utf8')) as { content_scripts: { matches: string[] }[] };
    expect(manifest.content_scripts.map((c) => c.matches)).toEqual([['https://creator.xiaohongshu.com/publish/*']]);
    const page = await browser.context.newPage();
    await page.goto('https://creator.xiaohongshu.com/new/home');
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => !!document.querySelector('redline-overlay') || !!CSS.highlights.get('redline-error'))).toBe(false);
  });

  test('the Quill body is underlined too', async () => {
    await setSettings(browser.context, { customTerms: [CUSTOM] });
    const { page, selectors } = await openEditor(browser.context, { variant: 'quill' });
    const body = `第一段正常\n第二段有${CUSTOM.term}`;
    await page.locator(selectors.body).click();
    await page.keyboard.type('第一段正常');
    await page.keyboard.press('Enter');
    await page.keyboard.type(`第二段有${CUSTOM.term}`);
    const findings = expectedFindings({ title: '', body }, { customTerms: [CUSTOM] });
    expect(findings.length).toBeGreaterThan(0);
    await expectBodyHighlights(page, selectors.body, findings);
  });

  test('after an SPA route change the new editor is found and the old one let go', async () => {
    await setSettings(browser.context, { customTerms: [CUSTOM] });
    const { page, selectors } = await openEditor(browser.context);
    await typeInto(page, selectors.body, CUSTOM.term);
    await expectBodyHighlights(page, selectors.body, expectedFindings({ title: '', body: CUSTOM.term }, { customTerms: [CUSTOM] }));
    const mountsBefore = await fixture<number>(page, 'mounts');
    await page.evaluate(() => (window as unknown as { __fixture: { navigate(u: string): void } }).__fixture.navigate('/publish/publish?source=official&target=video'));
    await page.locator(SELECTORS.uploadButton).click();
    await page.locator(selectors.body).waitFor({ state: 'visible' });
    expect(await fixture<number>(page, 'mounts')).toBeGreaterThan(mountsBefore);
    await expectBodyHighlights(page, selectors.body, []);
    const body = `新的编辑器里${CUSTOM.term}`;
    await typeInto(page, selectors.body, body);
    await expectBodyHighlights(page, selectors.body, expectedFindings({ title: '', body }, { customTerms: [CUSTOM] }));
  });
});

describe('card', () => {
  test('hovering an underline opens the card (Chinese first) without taking focus; Esc closes it', async () => {
    await setSettings(browser.context, { customTerms: [CUSTOM] });
    const { page, selectors } = await openEditor(browser.context);
    await typeInto(page, selectors.body, `这次分享一个${CUSTOM.term}，大家看看`);
    await poll(async () => (await readHighlights(page, selectors.body)).error.length).toBe(1);
    const box = await page.evaluate(() => {
      const r = [...(CSS.highlights.get('redline-error') as unknown as Set<Range>)][0].getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    });
    await page.mouse.move(box.x, box.y);
    await poll(() => overlayQuery(page, (r) => r.querySelector('.card.open')?.textContent ?? '')).toContain(CUSTOM.message);
    const card = await overlayQuery(page, (r) => {
      const c = r.querySelector('.card.open')!;
      return { text: c.textContent ?? '', rect: c.getBoundingClientRect().toJSON() as DOMRect };
    });
    expect(card.text.indexOf('高风险')).toBeLessThan(card.text.indexOf('Error'));
    expect(card.text).toContain('违禁服务');
    expect(card.rect.top).toBeGreaterThan(box.y); // below the phrase
    expect(await page.evaluate(() => document.activeElement?.classList.contains('ProseMirror'))).toBe(true);
    await page.screenshot({ path: join(artifactsDir(), 'overlay-card.png') });
    // typing goes on into the editor while the card is open
    await page.keyboard.type('吧');
    await poll(() => page.locator(selectors.body).textContent()).toBe(`这次分享一个${CUSTOM.term}，大家看看吧`);
    await page.keyboard.press('Escape');
    await poll(() => overlayQuery(page, (r) => !!r.querySelector('.card.open'))).toBe(false);
  });

  test('a learned hint underlines a whole clause, and its card says it is the on-device model\'s reading', async () => {
    // The learned pack alone, and the first of its rules' bad examples its model reports (the rule-example tests make
    // sure they all are).
    const packs = Object.fromEntries(bundle.packs.map((p) => [p.id, p.id === 'learned']));
    const examples = loadPackFiles('rules')
      .flatMap(({ data }) => (data.pack.id === 'learned' ? data.rules.flatMap((r) => r.examples.bad) : []))
      .filter((e): e is string => typeof e === 'string');
    const sentence = examples.find((e) => expectedFindings({ title: '', body: e }, { packs }).some((f) => f.ruleId.startsWith('learned/')))!;
    expect(sentence).toBeTruthy();
    const [expected] = expectedFindings({ title: '', body: sentence }, { packs });
    await setSettings(browser.context, { packs });
    const { page, selectors } = await openEditor(browser.context);
    await typeInto(page, selectors.body, sentence);
    await poll(async () => (await readHighlights(page, selectors.body))[expected.severity].map((d) => d.text)).toContain(expected.text);
    const box = await page.evaluate((name) => {
      const r = [...(CSS.highlights.get(name) as unknown as Set<Range>)][0].getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }, `redline-${expected.severity}`);
    await page.mouse.move(box.x, box.y);
    await poll(() => overlayQuery(page, (r) => r.querySelector('.card.open')?.textContent ?? '')).toContain('模型提示');
    const text = await overlayQuery(page, (r) => r.querySelector('.card.open')?.textContent ?? '');
    expect(text).toContain(expected.message.zh);
    expect(text).not.toContain('点击替换');
    await page.screenshot({ path: join(artifactsDir(), 'overlay-card-learned.png') });
  });

  /** Hovers the first info underline and returns its card's text once the card shows `marker`. */
  async function openFirstInfoCard(page: Page, marker: string): Promise<string> {
    const box = await page.evaluate(() => {
      const r = [...(CSS.highlights.get('redline-info') as unknown as Set<Range>)][0].getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    });
    await page.mouse.move(box.x, box.y);
    await poll(() => overlayQuery(page, (r) => r.querySelector('.card.open')?.textContent ?? '')).toContain(marker);
    return overlayQuery(page, (r) => r.querySelector('.card.open')?.textContent ?? '');
  }

  /**
   * Types `sentence` with only `packs` on and waits for the finding `pick` chooses (expected to be `info`) to be
   * underlined as a hint with no warning beside it; returns the page and that finding.
   */
  async function typeHint(packs: Record<string, boolean>, sentence: string, pick: (f: Finding) => boolean | undefined) {
    const finding = expectedFindings({ title: '', body: sentence }, { packs }).find(pick);
    expect(finding?.severity).toBe('info');
    await setSettings(browser.context, { packs });
    const { page, selectors } = await openEditor(browser.context);
    await typeInto(page, selectors.body, sentence);
    await poll(async () => (await readHighlights(page, selectors.body)).info.map((d) => d.text)).toContain(finding!.text);
    expect((await readHighlights(page, selectors.body)).warning).toEqual([]);
    return { page, selectors, finding: finding! };
  }

  test('a warning the model softens is underlined as a hint, and its card says why', async () => {
    // The sentence of the softening unit test (test/unit/model.test.ts): someone's own day, 顶级 about the view.
    const packs = Object.fromEntries(bundle.packs.map((p) => [p.id, p.id === 'learned' || p.id === 'absolute-claim']));
    const { page, finding } = await typeHint(packs, '周末和闺蜜去爬山，山顶的云海真的是顶级，累但值得，下次还想去', (f) => f.softened);
    expect(await openFirstInfoCard(page, '已降为提示')).toContain(finding.message.zh);
    await page.screenshot({ path: join(artifactsDir(), 'overlay-card-softened.png') });
  });

  test('a claim in quotation marks is underlined as a hint, and its card says it reads as quoted', async () => {
    // The sentence of test/unit/quoted.test.ts: a poster's line, quoted.
    const packs = Object.fromEntries(bundle.packs.map((p) => [p.id, p.id === 'real-estate']));
    const { page, selectors, finding } = await typeHint(packs, '海报上印着“十年包租，每年返租8%”，看着挺诱人', (f) => f.quoted);
    expect((await readHighlights(page, selectors.body)).error).toEqual([]);
    expect(await openFirstInfoCard(page, '在引号里')).toContain(finding.message.zh);
  });

  const bodyRule = ruleWithReplacement('body');
  test.skipIf(!bodyRule)('applying a suggestion edits through the editor (Tiptap) and Ctrl+Z restores it', async () => {
    const { rule, ruleId, term, replacement } = bodyRule!;
    const { page, selectors } = await openEditor(browser.context);
    const body = `我觉得这个${term}。`;
    const findings = expectedFindings({ title: '', body });
    const target = findings.find((f) => f.ruleId === ruleId && f.text === term);
    expect(target, `engine flags "${term}" (${rule.id})`).toBeDefined();
    await typeInto(page, selectors.body, body);
    await expectBodyHighlights(page, selectors.body, findings);
    const box = await page.evaluate(([sev, text]) => {
      const h = CSS.highlights.get(`redline-${sev}`) as unknown as Set<Range>;
      const r = [...h].find((x) => x.toString() === text)!.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }, [target!.severity, target!.text] as const);
    await page.mouse.click(box.x, box.y);
    await poll(() => overlayQuery(page, (r) => r.querySelector('.card.open')?.textContent ?? '')).toContain(target!.message.zh);
    await page.screenshot({ path: join(artifactsDir(), 'overlay-card-suggestion.png') });
    const before = await page.locator(selectors.body).innerHTML();
    // a creator reads the card first; ProseMirror groups edits less than 500 ms apart into one undo step
    await page.waitForTimeout(600);
    await page.evaluate((s) => {
      const root = document.querySelector('redline-overlay')!.shadowRoot!;
      root.querySelector<HTMLButtonElement>(`.card.open button.sug[data-replacement="${s}"]`)!.click();
    }, replacement);
    const expectedText = body.slice(0, target!.start) + replacement + body.slice(target!.end);
    await poll(() => page.locator(selectors.body).textContent()).toBe(expectedText);
    await page.keyboard.press('Control+z');
    await poll(() => page.locator(selectors.body).textContent()).toBe(body);
    expect(await page.locator(selectors.body).innerHTML()).toBe(before);
  });

  test.skipIf(!bodyRule)('applying a suggestion in the Quill body is undone with Ctrl+Z too', async () => {
    const { ruleId, term, replacement } = bodyRule!;
    const { page, selectors } = await openEditor(browser.context, { variant: 'quill' });
    const body = `我觉得这个${term}。`;
    const target = expectedFindings({ title: '', body }).find((f) => f.ruleId === ruleId && f.text === term);
    expect(target).toBeDefined();
    await typeInto(page, selectors.body, body);
    await poll(async () => {
      const d = await readHighlights(page, selectors.body);
      return [...d.error, ...d.warning, ...d.info].some((r) => r.text === target!.text);
    }).toBe(true);
    const box = await page.evaluate((text) => {
      for (const n of ['redline-error', 'redline-warning', 'redline-info']) {
        const r = [...(CSS.highlights.get(n) as unknown as Set<Range>)].find((x) => x.toString() === text);
        if (r) {
          const b = r.getBoundingClientRect();
          return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
        }
      }
      return null;
    }, target!.text);
    await page.mouse.click(box!.x, box!.y);
    await poll(() => overlayQuery(page, (r) => !!r.querySelector('.card.open'))).toBe(true);
    await page.waitForTimeout(1100); // Quill's history groups edits less than 1 s apart
    await page.evaluate((s) => {
      const root = document.querySelector('redline-overlay')!.shadowRoot!;
      root.querySelector<HTMLButtonElement>(`.card.open button.sug[data-replacement="${s}"]`)!.click();
    }, replacement);
    await poll(() => page.locator(selectors.body).textContent()).toBe(body.slice(0, target!.start) + replacement + body.slice(target!.end));
    await page.keyboard.press('Control+z');
    await poll(() => page.locator(selectors.body).textContent()).toBe(body);
  });

  const titleRule = ruleWithReplacement('title');
  test.skipIf(!titleRule)('a title suggestion is applied in the input and undone with Ctrl+Z', async () => {
    const { ruleId, term, replacement } = titleRule!;
    const { page, selectors } = await openEditor(browser.context);
    const title = `这个${term}哦`;
    const target = expectedFindings({ title, body: '' }).find((f) => f.field === 'title' && f.ruleId === ruleId && f.text === term);
    expect(target).toBeDefined();
    await typeInto(page, selectors.title, title);
    await poll(() => overlayQuery(page, (r) => r.querySelectorAll('.title-mirror .u').length)).toBeGreaterThan(0);
    const box = await overlayQuery(page, (r) => {
      const b = r.querySelector('.title-mirror .u')!.getBoundingClientRect();
      return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
    });
    await page.mouse.click(box.x, box.y);
    await poll(() => overlayQuery(page, (r) => !!r.querySelector('.card.open'))).toBe(true);
    await page.waitForTimeout(600);
    await page.evaluate((s) => {
      const root = document.querySelector('redline-overlay')!.shadowRoot!;
      root.querySelector<HTMLButtonElement>(`.card.open button.sug[data-replacement="${s}"]`)!.click();
    }, replacement);
    await poll(() => page.locator(selectors.title).inputValue()).toBe(title.slice(0, target!.start) + replacement + title.slice(target!.end));
    await page.keyboard.press('Control+z');
    await poll(() => page.locator(selectors.title).inputValue()).toBe(title);
  });

  test('ignore hides one occurrence; always allow and turn rule off are saved to settings', async () => {
    await setSettings(browser.context, { customTerms: [CUSTOM] });
    const { page, selectors } = await openEditor(browser.context);
    const body = `${CUSTOM.term}，再说一次${CUSTOM.term}`;
    await typeInto(page, selectors.body, body);
    await poll(async () => (await readHighlights(page, selectors.body)).error.length).toBe(2);
    const openCardAt = async (index: number) => {
      const box = await page.evaluate((i) => {
        const h = CSS.highlights.get('redline-error') as unknown as Set<Range>;
        const r = [...h].sort((a, b) => a.compareBoundaryPoints(Range.START_TO_START, b))[i].getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      }, index);
      await page.mouse.click(box.x, box.y);
      await poll(() => overlayQuery(page, (r) => !!r.querySelector('.card.open'))).toBe(true);
    };
    const action = (name: string) =>
      page.evaluate((n) => document.querySelector('redline-overlay')!.shadowRoot!.querySelector<HTMLButtonElement>(`.card.open [data-action="${n}"]`)!.click(), name);

    await openCardAt(1);
    await action('ignore');
    await poll(async () => (await readHighlights(page, selectors.body)).error.map((r) => r.start)).toEqual([0]);

    await openCardAt(0);
    // a custom term is the creator's own: its card offers no "turn rule off" (they remove it in options)
    expect(await overlayQuery(page, (r) => !!r.querySelector('.card.open [data-action="disable"]'))).toBe(false);
    await action('allow');
    await poll(async () => (await readHighlights(page, selectors.body)).error.length).toBe(0);
    await poll(async () => JSON.stringify(await readStoredRaw(browser.context))).toContain(`"allowlist":["${CUSTOM.term}"]`);

    // rule off, on a pack rule: the title-length rule of the format pack
    const title = '这是一个非常非常长的标题超过了二十个字的限制';
    const overflow = expectedFindings({ title, body: '' }).find((f) => f.field === 'title' && f.category === 'format');
    expect(overflow).toBeDefined();
    await typeInto(page, selectors.title, title);
    await poll(() => overlayQuery(page, (r) => Array.from(r.querySelectorAll('.title-mirror .u')).map((u) => u.textContent))).toEqual([overflow!.text]);
    const box = await overlayQuery(page, (r) => {
      const b = r.querySelector('.title-mirror .u')!.getBoundingClientRect();
      return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
    });
    await page.mouse.click(box.x, box.y);
    await poll(() => overlayQuery(page, (r) => r.querySelector('.card.open')?.getAttribute('data-rule'))).toBe(overflow!.ruleId);
    await action('disable');
    await poll(() => overlayQuery(page, (r) => r.querySelectorAll('.title-mirror .u').length)).toBe(0);
    await poll(async () => ((await readStoredRaw(browser.context)) as { state: { rules: Record<string, unknown> } }).state.rules).toEqual({
      [overflow!.ruleId]: { enabled: false },
    });
    // and it stays off after the re-check that the settings change triggers
    await page.keyboard.type('哦');
    await page.waitForTimeout(800);
    expect(await overlayQuery(page, (r) => r.querySelectorAll('.title-mirror .u').length)).toBe(0);
  });

  test('the summary lists findings; clicking one selects it; the popup can ask for findings and focus', async () => {
    await setSettings(browser.context, { customTerms: [CUSTOM] });
    const { page, selectors } = await openEditor(browser.context);
    const body = `开头一句话。${CUSTOM.term}在这里。`;
    await typeInto(page, selectors.body, body);
    const findings = expectedFindings({ title: '', body }, { customTerms: [CUSTOM] });
    await expectBodyHighlights(page, selectors.body, findings);
    await page.keyboard.press('Home');
    await page.evaluate(() => {
      const root = document.querySelector('redline-overlay')!.shadowRoot!;
      root.querySelector<HTMLButtonElement>('[data-redline-summary] .pill')!.click();
    });
    const index = await overlayQuery(page, (r) => Array.from(r.querySelectorAll('[data-redline-summary] li')).findIndex((li) => li.textContent?.includes('红线测试词')));
    expect(index).toBeGreaterThanOrEqual(0);
    await page.evaluate((i) => document.querySelector('redline-overlay')!.shadowRoot!.querySelectorAll<HTMLElement>('[data-redline-summary] li')[i].click(), index);
    await poll(() => page.evaluate(() => window.getSelection()?.toString())).toBe(CUSTOM.term);

    // popup messages (tabs.sendMessage from the extension)
    const sw = browser.serviceWorker!;
    const reply = (await sw.evaluate(async () => {
      const [tab] = await chrome.tabs.query({ url: 'https://creator.xiaohongshu.com/*' });
      return chrome.tabs.sendMessage(tab.id!, { type: 'findings' });
    })) as { url: string; findings: Finding[] };
    expect(reply.url).toMatch(/^https:\/\/creator\.xiaohongshu\.com\/publish\//);
    expect(reply.findings.map((f) => [f.ruleId, f.start, f.end])).toEqual(findings.map((f) => [f.ruleId, f.start, f.end]));
    // the toolbar badge shows the tab's error count
    const errors = findings.filter((f) => f.severity === 'error').length;
    expect(errors).toBeGreaterThan(0);
    await poll(() =>
      sw.evaluate(async () => {
        const [tab] = await chrome.tabs.query({ url: 'https://creator.xiaohongshu.com/*' });
        return chrome.action.getBadgeText({ tabId: tab.id! });
      }),
    ).toBe(String(errors));
    await page.keyboard.press('End');
    const focusIndex = reply.findings.findIndex((f) => f.text === CUSTOM.term);
    await sw.evaluate(async (i) => {
      const [tab] = await chrome.tabs.query({ url: 'https://creator.xiaohongshu.com/*' });
      return chrome.tabs.sendMessage(tab.id!, { type: 'focus', index: i });
    }, focusIndex);
    await poll(() => page.evaluate(() => window.getSelection()?.toString())).toBe(CUSTOM.term);
  });
});

describe('publish gate', () => {
  const gateDialog = (page: Page) => overlayQuery(page, (r) => r.querySelector('[data-redline-gate]')?.textContent ?? null);

  test('errors: 发布 is held with a dialog (返回修改 focused); 仍然发布 lets it through', async () => {
    await setSettings(browser.context, { customTerms: [CUSTOM] });
    const { page, selectors } = await openEditor(browser.context, { stay: '1' });
    await typeInto(page, selectors.body, `今天分享${CUSTOM.term}`);
    await poll(async () => (await readHighlights(page, selectors.body)).error.length).toBe(1);
    await clickPublishButton(page, 'publish');
    await poll(() => gateDialog(page)).toContain(CUSTOM.term);
    expect(await fixture<number>(page, 'published')).toBe(0);
    expect(await overlayQuery(page, (r) => (r.activeElement as HTMLElement | null)?.dataset.action)).toBe('back');
    await page.screenshot({ path: join(artifactsDir(), 'overlay-gate.png') });
    await page.keyboard.press('Enter'); // 返回修改
    await poll(() => gateDialog(page)).toBeNull();
    expect(await fixture<number>(page, 'published')).toBe(0);

    await clickPublishButton(page, 'publish');
    await poll(() => gateDialog(page)).not.toBeNull();
    await page.evaluate(() => document.querySelector('redline-overlay')!.shadowRoot!.querySelector<HTMLButtonElement>('[data-action="publish-anyway"]')!.click());
    await poll(() => fixture<number>(page, 'published')).toBe(1);
  });

  test('暂存离开 is never blocked, even with errors', async () => {
    await setSettings(browser.context, { customTerms: [CUSTOM] });
    const { page, selectors } = await openEditor(browser.context, { stay: '1' });
    await typeInto(page, selectors.body, `今天分享${CUSTOM.term}`);
    await poll(async () => (await readHighlights(page, selectors.body)).error.length).toBe(1);
    await clickPublishButton(page, 'save');
    await poll(() => fixture<number>(page, 'savedDraft')).toBe(1);
    expect(await gateDialog(page)).toBeNull();
    expect(await fixture<number>(page, 'published')).toBe(0);
  });

  test('no errors: 发布 passes at once; a click right after typing (before the check) is checked first', async () => {
    const { page, selectors } = await openEditor(browser.context, { stay: '1' });
    const clean = '今天去公园散步，天气很好。';
    expect(expectedFindings({ title: '', body: clean }).filter((f) => f.severity === 'error')).toEqual([]);
    await typeInto(page, selectors.body, clean);
    await clickPublishButton(page, 'publish'); // within the 300 ms check delay
    await poll(() => fixture<number>(page, 'published')).toBe(1);
    expect(await gateDialog(page)).toBeNull();

    // and errors typed just before the click are still caught
    await setSettings(browser.context, { customTerms: [CUSTOM] });
    await page.locator(selectors.body).click();
    await page.keyboard.press('End');
    await page.keyboard.type(CUSTOM.term);
    await clickPublishButton(page, 'publish');
    await poll(() => gateDialog(page)).toContain(CUSTOM.term);
    expect(await fixture<number>(page, 'published')).toBe(1);
  });

  test('gate off in settings: 发布 passes with errors', async () => {
    await setSettings(browser.context, { customTerms: [CUSTOM], gate: false });
    const { page, selectors } = await openEditor(browser.context, { stay: '1' });
    await typeInto(page, selectors.body, `今天分享${CUSTOM.term}`);
    await poll(async () => (await readHighlights(page, selectors.body)).error.length).toBe(1);
    await clickPublishButton(page, 'publish');
    await poll(() => fixture<number>(page, 'published')).toBe(1);
    expect(await gateDialog(page)).toBeNull();
  });

  test('the older plain 发布 button is gated too, and its 暂存离开 is not', async () => {
    await setSettings(browser.context, { customTerms: [CUSTOM] });
    const { page, selectors } = await openEditor(browser.context, { stay: '1', variant: 'legacy-button' });
    await typeInto(page, selectors.body, `今天分享${CUSTOM.term}`);
    await poll(async () => (await readHighlights(page, selectors.body)).error.length).toBe(1);
    await page.locator(`${SELECTORS.live} .publish-page-publish-btn button.bg-white`).click();
    await poll(() => fixture<number>(page, 'savedDraft')).toBe(1);
    await page.locator(`${SELECTORS.live} ${SELECTORS.legacyPublishButton}`).click();
    await poll(() => gateDialog(page)).toContain(CUSTOM.term);
    expect(await fixture<number>(page, 'published')).toBe(0);
    await page.keyboard.press('Escape');
    await poll(() => gateDialog(page)).toBeNull();
    expect(await fixture<number>(page, 'published')).toBe(0);
  });
});

describe('the editor is left alone', () => {
  test('IME composition is not interrupted and no check runs during it', async () => {
    await setSettings(browser.context, { customTerms: [CUSTOM] });
    const { page, selectors } = await openEditor(browser.context);
    await typeInto(page, selectors.body, '开始');
    await poll(async () => (await overlayState(page))?.checks ?? 0).toBeGreaterThan(0);
    const cdp = await browser.context.newCDPSession(page);
    const before = (await overlayState(page))!.requests;
    for (const step of ['h', 'ho', 'hon', 'hong', 'hongx', 'hongxi', 'hongxian']) {
      await cdp.send('Input.imeSetComposition', { text: step, selectionStart: step.length, selectionEnd: step.length });
      await page.waitForTimeout(120);
    }
    await page.waitForTimeout(500); // longer than the check delay
    expect((await overlayState(page))!.requests).toBe(before);
    await cdp.send('Input.insertText', { text: '红线' }); // commit
    await page.keyboard.type('测试词');
    await poll(() => page.locator(selectors.body).textContent()).toBe(`开始${CUSTOM.term}`);
    await expectBodyHighlights(page, selectors.body, expectedFindings({ title: '', body: `开始${CUSTOM.term}` }, { customTerms: [CUSTOM] }));
    expect((await overlayState(page))!.requests).toBeGreaterThan(before);
  });

  test('typing, paste and undo leave the same editor HTML with and without the extension', async () => {
    const sequence = async (page: Page, selector: string, waitForOverlay: boolean) => {
      await page.locator(selector).click();
      await page.keyboard.type('这款面霜是全网第一，');
      await page.waitForTimeout(700);
      await page.evaluate((sel) => {
        const el = document.querySelector(sel)!;
        const data = new DataTransfer();
        data.setData('text/plain', '加我微信详聊，最好用的面霜');
        el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      }, selector);
      await page.waitForTimeout(700);
      await page.keyboard.type('真的');
      await page.waitForTimeout(700);
      await page.keyboard.press('Control+z');
      await page.waitForTimeout(700);
      await page.evaluate(() => (window as unknown as { __fixture: { insertTopic(n: string): void } }).__fixture.insertTopic('护肤'));
      await page.keyboard.press('Enter');
      await page.keyboard.type('第二段');
      await page.waitForTimeout(700);
      if (waitForOverlay) expect((await overlayState(page))!.checks).toBeGreaterThan(0);
      return {
        html: await page.locator(selector).innerHTML(),
        model: await page.evaluate(() => (window as unknown as { __fixture: { getHTML(): string } }).__fixture.getHTML()),
      };
    };
    await setSettings(browser.context, { customTerms: [CUSTOM] });
    const withExt = await openEditor(browser.context);
    const a = await sequence(withExt.page, withExt.selectors.body, true);
    const plain = await launchBrowser({ extension: false });
    try {
      const without = await openEditor(plain.context);
      const b = await sequence(without.page, without.selectors.body, false);
      expect(a.html).toBe(b.html);
      expect(a.model).toBe(b.model);
      expect(a.html).not.toMatch(/redline/);
    } finally {
      await plain.close();
    }
  });
});
