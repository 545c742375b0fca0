/**
 * The publish-page replica itself, in headless Chromium WITHOUT the extension:
 * proves the page the overlay is tested against behaves like the reference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  artifactsDir,
  clickPublishButton,
  launchBrowser,
  openEditor,
  ORIGIN,
  SELECTORS,
  uploadAgain,
  type Launched,
} from './harness';

let browser: Launched;

beforeAll(async () => {
  browser = await launchBrowser({ extension: false });
});

afterAll(async () => {
  await browser?.close();
});

interface FixtureView {
  published: number;
  savedDraft: number;
  mounts: number;
  kind: string | null;
  events: Array<{ action: string; isTrusted: boolean; title: string; body: string }>;
}

function fixtureState(page: Page): Promise<FixtureView> {
  return page.evaluate(() => {
    const f = (window as unknown as { __fixture: FixtureView }).__fixture;
    return { published: f.published, savedDraft: f.savedDraft, mounts: f.mounts, kind: f.kind, events: f.events };
  });
}

function bodyText(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as { __fixture: { getText(): string } }).__fixture.getText());
}

describe('publish-page replica', () => {
  it('serves the SPA at the real URL and mounts the Tiptap editor only after the fake upload', async () => {
    const { page, body, title } = await openEditor(browser.context, {}, { upload: false });
    expect(page.url()).toMatch(/^https:\/\/creator\.xiaohongshu\.com\/publish\/publish\?source=official&target=image$/);
    await expect(page.locator('#publish-container div.upload-content div.creator-tab').allTextContents()).resolves.toEqual([
      '上传视频',
      '上传图文',
      '写长文',
    ]);
    expect(await body.count()).toBe(0);
    expect(await title.count()).toBe(0);

    await page.locator(SELECTORS.uploadButton).click();
    await body.waitFor({ state: 'visible' });
    const attrs = await body.evaluate((el) => ({
      cls: el.className,
      role: el.getAttribute('role'),
      translate: el.getAttribute('translate'),
      html: el.innerHTML,
      placeholder: el.querySelector('p')?.getAttribute('data-placeholder'),
    }));
    expect(attrs.cls.split(' ')).toEqual(expect.arrayContaining(['tiptap', 'ProseMirror']));
    expect(attrs.role).toBe('textbox');
    expect(attrs.translate).toBe('no');
    expect(attrs.placeholder).toBe('输入正文描述…');
    expect(await title.getAttribute('placeholder')).toBe('填写标题会有更多赞哦～');
    expect(await page.locator('#publish-container .img-preview-area img').count()).toBeGreaterThan(0);
    expect(await page.locator(`${SELECTORS.live} ${SELECTORS.publishButton}`).count()).toBe(1);
    await page.close();
  });

  it('mounts by itself with ?autoupload=1, or after files are set on input.upload-input', async () => {
    const auto = await openEditor(browser.context, { autoupload: '1' });
    expect(await auto.body.count()).toBe(1);
    await auto.page.close();

    const { page, body } = await openEditor(browser.context, {}, { upload: false });
    await page.locator('#publish-container input.upload-input').setInputFiles({ name: 'a.png', mimeType: 'image/png', buffer: Buffer.from('x') });
    await body.waitFor({ state: 'visible' });
    expect((await fixtureState(page)).mounts).toBe(1);
    await page.close();
  });

  it('types into the Tiptap body with the keyboard, one <p> per paragraph, and Ctrl+Z undoes', async () => {
    const { page, body } = await openEditor(browser.context);
    await body.click();
    await page.keyboard.type('今天分享一套穿搭');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Hello 😀 小红书');
    expect(await bodyText(page)).toBe('今天分享一套穿搭\nHello 😀 小红书');
    const paragraphs = await body.locator('p').allTextContents();
    expect(paragraphs).toEqual(['今天分享一套穿搭', 'Hello 😀 小红书']);

    // Undo everything typed so far (one history group), then redo it.
    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => (window as unknown as { __fixture: { getText(): string } }).__fixture.getText() === '');
    await page.keyboard.press('Control+Shift+z');
    expect(await bodyText(page)).toBe('今天分享一套穿搭\nHello 😀 小红书');
    await page.close();
  });

  it('typing # opens the topic list; picking an item inserts the exact topic markup', async () => {
    const { page, body } = await openEditor(browser.context);
    await body.click();
    await page.keyboard.type('周末出门 #穿');
    const list = page.locator(SELECTORS.topicList);
    await list.waitFor({ state: 'visible' });
    const names = await list.locator('.item .name').allTextContents();
    expect(names).toContain('#穿搭');
    await list.locator('.item', { hasText: /^#穿搭\d/ }).first().click();
    await list.waitFor({ state: 'hidden' });

    const topic = body.locator('a.tiptap-topic');
    expect(await topic.count()).toBe(1);
    const shape = await topic.evaluate((a) => ({
      attrNames: a.getAttributeNames(),
      cls: a.getAttribute('class'),
      editable: a.getAttribute('contenteditable'),
      data: JSON.parse(a.getAttribute('data-topic') ?? 'null') as Record<string, string>,
      children: [...a.childNodes].map((n) =>
        n.nodeType === Node.TEXT_NODE ? `text:${n.textContent}` : `${(n as Element).tagName.toLowerCase()}.${(n as Element).className}:${n.textContent}`,
      ),
      textContent: a.textContent,
      innerText: (a as HTMLElement).innerText,
      hiddenOpacity: getComputedStyle(a.querySelector('.content-hide')!).opacity,
      hiddenWidth: a.querySelector('.content-hide')!.getBoundingClientRect().width,
      paragraph: a.parentElement?.tagName,
    }));
    expect(shape.attrNames).toEqual(['class', 'data-topic', 'contenteditable']);
    expect(shape.cls).toBe('tiptap-topic');
    expect(shape.editable).toBe('false');
    expect(Object.keys(shape.data)).toEqual(['id', 'name', 'link']);
    expect(shape.data.name).toBe('穿搭');
    expect(shape.data.id).toMatch(/^[0-9a-f]{24}$/);
    expect(shape.data.link).toContain(shape.data.id);
    expect(shape.children).toEqual(['text:#穿搭', 'span.content-hide:[话题]#']);
    expect(shape.textContent).toBe('#穿搭[话题]#');
    expect(shape.innerText).toContain('[话题]#'); // present in innerText, as the reference says
    expect(shape.hiddenOpacity).toBe('0');
    expect(shape.hiddenWidth).toBe(0);
    expect(shape.paragraph).toBe('P');
    // The query text "#穿" was replaced by the node, followed by a space.
    expect(await bodyText(page)).toBe('周末出门 #穿搭 ');

    // #topicBtn opens the list too; window.__fixture.insertTopic inserts directly.
    await page.locator(SELECTORS.topicButton).click();
    await list.waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'hidden' });
    await page.keyboard.press('Backspace'); // remove the '#' the button typed
    await page.evaluate(() => (window as unknown as { __fixture: { insertTopic(n: string): void } }).__fixture.insertTopic('好物分享'));
    expect(await body.locator('a.tiptap-topic').count()).toBe(2);
    expect(await bodyText(page)).toBe('周末出门 #穿搭 #好物分享 ');

    // Ctrl+Z takes the inserted topic out again (the editor's own history; ProseMirror
    // groups changes made within 500 ms, so earlier input may go with it).
    await page.keyboard.press('Control+z');
    expect(await body.locator('a.tiptap-topic').count()).toBeLessThan(2);
    expect(await bodyText(page)).not.toContain('#好物分享');
    await page.close();
  });

  it('shows the title counter over 20 characters and the body counter over 1000', async () => {
    const { page, title } = await openEditor(browser.context);
    const counter = page.locator(SELECTORS.titleCounter);
    await title.fill('一二三四五六七八九十一二三四五六七八九十');
    expect(await counter.isVisible()).toBe(false);
    await title.press('End');
    await title.pressSequentially('多');
    expect(await counter.isVisible()).toBe(true);
    expect(await counter.textContent()).toBe('21/20');

    const bodyCounter = page.locator(SELECTORS.bodyCounter);
    expect(await bodyCounter.isVisible()).toBe(false);
    await page.evaluate(() =>
      (window as unknown as { __fixture: { setContent(h: string): void } }).__fixture.setContent(`<p>${'字'.repeat(1001)}</p>`),
    );
    expect(await bodyCounter.isVisible()).toBe(true);
    expect(await bodyCounter.textContent()).toBe('1001/1000');
    await page.close();
  });

  it('records clicks inside the closed shadow root of xhs-publish-btn, then goes to /publish/success', async () => {
    const { page, body } = await openEditor(browser.context);
    const host = page.locator(`${SELECTORS.live} xhs-publish-btn`);
    expect(await host.getAttribute('is-publish')).toBe('true');
    expect(await host.getAttribute('submit-text')).toBe('发布');
    expect(await host.getAttribute('save-text')).toBe('暂存离开');
    expect(await host.evaluate((el) => el.shadowRoot)).toBeNull(); // closed

    await body.click();
    await page.keyboard.type('正文内容');
    const publishEvent = page.evaluate(
      () => new Promise<boolean>((resolve) => document.addEventListener('publish', (e) => resolve(e instanceof CustomEvent), { once: true })),
    );
    await clickPublishButton(page, 'save');
    expect((await fixtureState(page)).savedDraft).toBe(1);
    expect((await fixtureState(page)).published).toBe(0);

    await clickPublishButton(page, 'publish');
    expect(await publishEvent).toBe(true);
    const state = await fixtureState(page);
    expect(state.published).toBe(1);
    expect(state.events.map((e) => [e.action, e.isTrusted, e.body])).toEqual([
      ['save', true, '正文内容'],
      ['publish', true, '正文内容'],
    ]);
    await page.waitForURL(`${ORIGIN}/publish/success?source=official`);
    await page.locator('.success-container').waitFor();
    expect(await page.locator('div.tiptap.ProseMirror').count()).toBe(0); // editor unmounted, offscreen copy too
    expect((await fixtureState(page)).kind).toBeNull();
    await page.close();
  });

  it('has the older publish button with ?variant=legacy-button', async () => {
    const { page } = await openEditor(browser.context, { variant: 'legacy-button', stay: '1' });
    const btn = page.locator(SELECTORS.legacyPublishButton);
    expect(await btn.textContent()).toBe('发布');
    expect(await page.locator('xhs-publish-btn').count()).toBe(0);
    await btn.click();
    expect((await fixtureState(page)).published).toBe(1);
    expect(page.url()).toContain('/publish/publish'); // stay=1
    await page.close();
  });

  it('uses a real Quill 2 editor with ?variant=quill', async () => {
    const { page, body, kind } = await openEditor(browser.context, { variant: 'quill' });
    expect(kind).toBe('quill');
    expect(await page.locator(`${SELECTORS.live} div.tiptap`).count()).toBe(0);
    await body.click();
    await page.keyboard.type('旧版编辑器');
    await page.keyboard.press('Enter');
    await page.keyboard.type('第二行');
    expect(await bodyText(page)).toBe('旧版编辑器\n第二行');
    expect(await body.locator('p').allTextContents()).toEqual(['旧版编辑器', '第二行']);
    expect(await page.evaluate(() => (window as unknown as { Quill?: unknown }).Quill === undefined)).toBe(true);
    const isQuill = await page.evaluate(() => {
      const q = (window as unknown as { __fixture: { editor: { root?: Element; getContents?: unknown } } }).__fixture.editor;
      return typeof q.getContents === 'function' && q.root?.classList.contains('ql-editor') === true;
    });
    expect(isQuill).toBe(true);
    await page.keyboard.press('Control+z');
    expect((await bodyText(page)).length).toBeLessThan('旧版编辑器\n第二行'.length);
    await page.close();
  });

  it('shows the long-article editor with a textarea title on 写长文', async () => {
    const { page } = await openEditor(browser.context, {}, { upload: false });
    await page.locator('div.creator-tab', { hasText: '写长文' }).click();
    await page.waitForURL(/target=article/);
    await page.locator(SELECTORS.uploadButton).click();
    const title = page.locator(SELECTORS.articleTitle);
    await title.waitFor({ state: 'visible' });
    await title.fill('长文标题');
    expect(await page.locator(SELECTORS.tiptap).isVisible()).toBe(true);
    expect(await page.locator(SELECTORS.title).count()).toBe(0);
    await page.close();
  });

  it('replaces the editor element on an SPA route change without reloading', async () => {
    const { page, body } = await openEditor(browser.context);
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    const first = await body.elementHandle();
    expect(first).not.toBeNull();

    await page.locator('aside a.btn-publish').click(); // 发布笔记: pushState to /publish/publish?…&from=menu
    await page.waitForURL(/from=menu/);
    expect(await first!.evaluate((el) => el.isConnected)).toBe(false);
    expect(await page.locator(SELECTORS.tiptap).count()).toBe(0);
    await uploadAgain(page);
    const second = await page.locator(SELECTORS.tiptap).elementHandle();
    expect(await second!.evaluate((el, old) => el !== old && el.isConnected, first)).toBe(true);
    expect((await fixtureState(page)).mounts).toBe(2);

    await page.goBack(); // popstate re-renders the previous route
    await page.waitForURL(/target=image$/);
    expect(await second!.evaluate((el) => el.isConnected)).toBe(false);
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await page.close();
  });

  it('__fixture.remount() replaces the body element in place, keeping the text and the URL', async () => {
    const { page, body } = await openEditor(browser.context);
    await body.click();
    await page.keyboard.type('重新渲染前的正文');
    const before = await body.elementHandle();
    const url = page.url();
    await page.evaluate(() => (window as unknown as { __fixture: { remount(): void } }).__fixture.remount());
    expect(await before!.evaluate((el) => el.isConnected)).toBe(false);
    expect(await body.count()).toBe(1);
    expect(await bodyText(page)).toBe('重新渲染前的正文');
    expect(page.url()).toBe(url);
    expect((await fixtureState(page)).mounts).toBe(2);
    await page.close();
  });

  it('keeps an offscreen copy of the editor and title that is not visible', async () => {
    const { page } = await openEditor(browser.context);
    const copy = page.locator(SELECTORS.offscreen);
    expect(await copy.locator('div.tiptap.ProseMirror[contenteditable="true"]').count()).toBe(1);
    expect(await copy.locator('input.d-text').count()).toBe(1);
    // A naive document.querySelector finds the copy first.
    const naiveIsCopy = await page.evaluate(() => !!document.querySelector('div.tiptap.ProseMirror')?.closest('[data-fixture="offscreen"]'));
    expect(naiveIsCopy).toBe(true);
    const rect = await copy.evaluate((el) => {
      const r = el.querySelector('div.tiptap')!.getBoundingClientRect();
      return { right: r.right, left: r.left, vw: innerWidth };
    });
    expect(rect.right).toBeLessThan(0); // entirely left of the viewport
    expect(await copy.locator('div.tiptap').textContent()).toContain('加我微信');
    await page.close();
  });

  it('looks like the publish page (screenshot in artifacts/)', async () => {
    const { page, body, title } = await openEditor(browser.context);
    await title.fill('秋冬通勤穿搭｜一周不重样');
    await body.click();
    await page.keyboard.type('分享一下最近的通勤穿搭，羊毛大衣配阔腿裤，温柔又显高。');
    await page.keyboard.press('Enter');
    await page.keyboard.type('链接在评论区，欢迎交流～ ');
    await page.evaluate(() => (window as unknown as { __fixture: { insertTopic(n: string): void } }).__fixture.insertTopic('穿搭'));
    await page.keyboard.type('#日常');
    await page.locator(SELECTORS.topicList).waitFor({ state: 'visible' });
    const file = join(artifactsDir(), 'fixture-publish-page.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(await page.evaluate(() => document.fonts.check('16px "Noto Sans CJK SC"'))).toBe(true);
    await page.close();
  });
});

/**
 * The harness's extension path, proven with a throwaway MV3 extension written to a
 * temporary directory (the real build is exercised by the overlay's own e2e tests):
 * the service worker is found, the content script is injected by the real match
 * pattern on the intercepted URL, messaging works, and chrome.dom can open the
 * closed shadow root of xhs-publish-btn.
 */
describe('harness with an unpacked extension', () => {
  let stubDir: string;
  let launched: Launched | undefined;

  beforeAll(() => {
    stubDir = mkdtempSync(join(tmpdir(), 'redline-stub-ext-'));
    writeFileSync(
      join(stubDir, 'manifest.json'),
      JSON.stringify({
        manifest_version: 3,
        name: 'stub',
        version: '0.0.1',
        background: { service_worker: 'sw.js' },
        host_permissions: ['https://creator.xiaohongshu.com/*'],
        content_scripts: [{ matches: ['https://creator.xiaohongshu.com/publish/*'], js: ['cs.js'], run_at: 'document_idle' }],
      }),
    );
    writeFileSync(
      join(stubDir, 'sw.js'),
      `chrome.runtime.onMessage.addListener((msg, sender, reply) => { reply({ echo: msg.text, tab: !!sender.tab }); });`,
    );
    writeFileSync(
      join(stubDir, 'cs.js'),
      `const root = document.documentElement;
root.dataset.stubLoaded = location.pathname;
chrome.runtime.sendMessage({ text: '你好' }).then((r) => { root.dataset.stubReply = JSON.stringify(r); });
new MutationObserver(() => {
  const host = document.querySelector('[data-fixture="live"] xhs-publish-btn');
  if (!host || root.dataset.stubShadow) return;
  const sr = chrome.dom.openOrClosedShadowRoot(host);
  root.dataset.stubShadow = JSON.stringify([...(sr ? sr.querySelectorAll('button') : [])].map((b) => b.textContent));
}).observe(document, { childList: true, subtree: true });`,
    );
  });

  afterAll(async () => {
    await launched?.close();
    rmSync(stubDir, { recursive: true, force: true });
  });

  it('finds the service worker and runs the content script on the served replica', async () => {
    launched = await launchBrowser({ extensionPath: stubDir });
    expect(launched.extensionId).toMatch(/^[a-p]{32}$/);
    expect(launched.serviceWorker?.url()).toBe(`chrome-extension://${launched.extensionId}/sw.js`);

    const { page } = await openEditor(launched.context);
    const root = page.locator('html');
    await page.waitForFunction(() => document.documentElement.dataset.stubReply && document.documentElement.dataset.stubShadow);
    expect(await root.getAttribute('data-stub-loaded')).toBe('/publish/publish');
    expect(JSON.parse((await root.getAttribute('data-stub-reply'))!)).toEqual({ echo: '你好', tab: true });
    expect(JSON.parse((await root.getAttribute('data-stub-shadow'))!)).toEqual(['发布', '暂存离开']);
    // The page itself cannot open the closed root.
    expect(await page.locator('xhs-publish-btn').first().evaluate((el) => el.shadowRoot)).toBeNull();
    await page.close();
  });

  it('explains how to build when the extension directory is missing', async () => {
    await expect(launchBrowser({ extensionPath: join(stubDir, 'missing') })).rejects.toThrow(/npm run build/);
  });
});
