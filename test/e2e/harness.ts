/**
 * End-to-end harness: drives Debian's Chromium through playwright-core, optionally
 * with the built Redline extension loaded, and serves the publish-page replica
 * (test/fixtures/publish) at the real creator-centre URL by request interception,
 * so the production manifest's match pattern is what gets exercised.
 *
 *   const { context, close } = await launchBrowser({ extension: true });
 *   await serveReplica(context);
 *   const { page, body, title } = await openEditor(context);
 *   await body.click(); await page.keyboard.type('加我微信');
 *
 * No vitest imports here: benchmarks may reuse this module.
 */
import { chromium, type BrowserContext, type Locator, type Page, type Worker } from 'playwright-core';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFixture, fixturePaths } from '../fixtures/publish/build';

/** Repository root (two levels above this file). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Debian's real Chromium binary (`/usr/bin/chromium` is a wrapper script). */
export const CHROMIUM_PATH = process.env.REDLINE_CHROMIUM ?? '/usr/lib/chromium/chromium';

/** The creator centre's origin; the replica is served here and nowhere else. */
export const ORIGIN = 'https://creator.xiaohongshu.com';

/** The publish page URL the creator lands on from the menu. */
export const PUBLISH_URL = `${ORIGIN}/publish/publish?source=official`;

/** Selectors for the live (visible) editor of the replica; the offscreen copies are excluded. */
export const SELECTORS = {
  /** Wrapper of the live editor section (a fixture hook, not on the real page). */
  live: '[data-fixture="live"]',
  /** Wrapper of the offscreen copy kept at left:-9999px (a fixture hook). */
  offscreen: '[data-fixture="offscreen"]',
  tiptap: '[data-fixture="live"] div.tiptap.ProseMirror[contenteditable="true"]',
  quill: '[data-fixture="live"] div.ql-editor[contenteditable="true"]',
  /** Title of the image/video note editor. */
  title: '[data-fixture="live"] div.plugin.title-container div.d-input input.d-text',
  /** Title of the long-article editor. */
  articleTitle: '[data-fixture="live"] textarea.d-text[placeholder="输入标题"]',
  titleCounter: '[data-fixture="live"] div.title-container div.max_suffix',
  bodyCounter: '[data-fixture="live"] div.edit-container div.length-error',
  topicButton: '#topicBtn',
  topicList: '#creator-editor-topic-container',
  publishButton: 'xhs-publish-btn',
  legacyPublishButton: '.publish-page-publish-btn button.bg-red',
  uploadButton: '#publish-container .upload-button',
} as const;

/** Path of the built extension: `REDLINE_EXTENSION_DIR` or `build/chrome-mv3-prod`. */
export function extensionDir(): string {
  return resolve(repoRoot, process.env.REDLINE_EXTENSION_DIR ?? 'build/chrome-mv3-prod');
}

/** `artifacts/` at the repository root (gitignored), created on demand, for screenshots. */
export function artifactsDir(): string {
  const dir = join(repoRoot, 'artifacts');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface LaunchOptions {
  /** Load the built extension (default false). */
  extension?: boolean;
  /** Load this unpacked extension directory instead of `extensionDir()` (implies `extension`). */
  extensionPath?: string;
  /** Viewport of new pages (default 1280×900). */
  viewport?: { width: number; height: number };
  /** Extra Chromium flags. */
  args?: string[];
}

export interface Launched {
  context: BrowserContext;
  /** The extension's id (the host of its chrome-extension:// URLs), when loaded. */
  extensionId?: string;
  /** The extension's MV3 service worker, when loaded. */
  serviceWorker?: Worker;
  /** Close the browser and delete its temporary profile. */
  close: () => Promise<void>;
}

const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Launch headless Chromium with a fresh temporary profile (a persistent context, the
 * only kind that can load an unpacked extension). With `extension: true`, loads the
 * built extension, waits for its MV3 service worker and returns it with the extension
 * id; throws if the build directory is missing. playwright-core's `headless: true`
 * runs Chromium's new headless mode (plain `--headless`), which supports extensions.
 */
export async function launchBrowser(opts: LaunchOptions = {}): Promise<Launched> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium package (apt-get install chromium fonts-noto-cjk)`);
  }
  const args = [...BASE_ARGS, ...(opts.args ?? [])];
  const withExtension = opts.extension === true || opts.extensionPath !== undefined;
  const dir = opts.extensionPath ? resolve(opts.extensionPath) : extensionDir();
  if (withExtension) {
    if (!existsSync(join(dir, 'manifest.json'))) {
      throw new Error(`Redline extension build not found at ${dir} (no manifest.json): run \`npm run build\` first, or set REDLINE_EXTENSION_DIR`);
    }
    args.push(`--disable-extensions-except=${dir}`, `--load-extension=${dir}`);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'redline-e2e-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      ignoreDefaultArgs: ['--disable-extensions'],
      args,
      viewport: opts.viewport ?? { width: 1280, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
  } catch (err) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
  const close = async () => {
    await context.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
  };
  if (!withExtension) return { context, close };

  try {
    const serviceWorker = await findServiceWorker(context, dir);
    const extensionId = new URL(serviceWorker.url()).host;
    return { context, extensionId, serviceWorker, close };
  } catch (err) {
    await close();
    throw err;
  }
}

async function findServiceWorker(context: BrowserContext, dir = extensionDir(), timeout = 15_000): Promise<Worker> {
  const isExt = (w: Worker) => w.url().startsWith('chrome-extension://');
  const existing = context.serviceWorkers().find(isExt);
  if (existing) return existing;
  try {
    return await context.waitForEvent('serviceworker', { predicate: isExt, timeout });
  } catch {
    throw new Error(
      `the extension's service worker did not start within ${timeout} ms (is the manifest's background.service_worker valid? dir: ${dir})`,
    );
  }
}

/**
 * The extension's service worker, re-found if Chrome stopped and restarted it
 * (MV3 workers are stopped at will).
 */
export async function currentServiceWorker(context: BrowserContext): Promise<Worker> {
  return findServiceWorker(context);
}

const served = new WeakSet<BrowserContext>();

/**
 * Serve the replica at https://creator.xiaohongshu.com for this context (idempotent):
 * every `/publish/*` path returns the SPA's index.html, `/fixture-assets/app.js|app.css`
 * the bundle (built once by `buildFixture()`); any other creator.xiaohongshu.com path
 * is a 404; every other http(s)/ws request is aborted, so nothing leaves the machine.
 * chrome-extension:// and data: URLs are not intercepted.
 */
export async function serveReplica(context: BrowserContext): Promise<void> {
  if (served.has(context)) return;
  served.add(context);
  await buildFixture();
  const html = readFileSync(fixturePaths.html);
  const assets: Record<string, { file: string; type: string }> = {
    '/fixture-assets/app.js': { file: fixturePaths.js, type: 'text/javascript; charset=utf-8' },
    '/fixture-assets/app.css': { file: fixturePaths.css, type: 'text/css; charset=utf-8' },
  };
  await context.route(
    (url) => /^(https?|wss?):$/.test(url.protocol) && url.origin !== ORIGIN,
    (route) => route.abort('blockedbyclient'),
  );
  await context.route(`${ORIGIN}/**`, async (route) => {
    const { pathname } = new URL(route.request().url());
    if (pathname === '/publish' || pathname.startsWith('/publish/')) {
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    }
    const asset = assets[pathname];
    if (asset) {
      return route.fulfill({ status: 200, contentType: asset.type, body: readFileSync(asset.file), headers: { 'cache-control': 'no-store' } });
    }
    return route.fulfill({ status: 404, contentType: 'text/plain; charset=utf-8', body: 'not found' });
  });
}

export interface OpenEditorOptions {
  /** Leave the page at the upload step (no fake upload). */
  upload?: boolean;
  /** Use this page instead of opening a new one. */
  page?: Page;
}

export interface OpenedEditor {
  page: Page;
  url: string;
  /** 'tiptap' | 'quill', from the URL's variant. */
  kind: 'tiptap' | 'quill';
  /** CSS selectors of the live fields (body, title). */
  selectors: { body: string; title: string };
  /** The live body editor (contenteditable). */
  body: Locator;
  /** The live title field (`input.d-text`, or the long article's `textarea.d-text`). */
  title: Locator;
}

/**
 * Open the publish page at `https://creator.xiaohongshu.com/publish/publish?source=official&<query>`
 * (serving the replica if not done yet), perform the fake upload and wait until the live
 * editor is mounted. `query` is appended as is (string) or as parameters (object); the tab
 * defaults to `target=image`. Other parameters: `variant=quill`, `variant=legacy-button`,
 * `target=article`, `stay=1` (no navigation to /publish/success after 发布).
 */
export async function openEditor(
  context: BrowserContext,
  query: string | Record<string, string> = {},
  opts: OpenEditorOptions = {},
): Promise<OpenedEditor> {
  await serveReplica(context);
  const params = new URLSearchParams(typeof query === 'string' ? query.replace(/^[?&]/, '') : query);
  if (!params.has('target')) params.set('target', 'image');
  const url = `${PUBLISH_URL}&${params.toString()}`;
  const page = opts.page ?? (await context.newPage());
  await page.goto(url);
  const variants = params.getAll('variant').flatMap((v) => v.split(','));
  const kind: 'tiptap' | 'quill' = variants.includes('quill') ? 'quill' : 'tiptap';
  const selectors = {
    body: kind === 'quill' ? SELECTORS.quill : SELECTORS.tiptap,
    title: params.get('target') === 'article' ? SELECTORS.articleTitle : SELECTORS.title,
  };
  const body = page.locator(selectors.body);
  const title = page.locator(selectors.title);
  if (opts.upload !== false) {
    if (params.get('autoupload') !== '1') await page.locator(SELECTORS.uploadButton).click();
    await body.waitFor({ state: 'visible' });
  }
  return { page, url, kind, selectors, body, title };
}

/** Mount the editor again after an SPA route change (clicks the fake upload). */
export async function uploadAgain(page: Page, kind: 'tiptap' | 'quill' = 'tiptap'): Promise<Locator> {
  await page.locator(SELECTORS.uploadButton).click();
  const body = page.locator(kind === 'quill' ? SELECTORS.quill : SELECTORS.tiptap);
  await body.waitFor({ state: 'visible' });
  return body;
}

/**
 * Click 发布 ('publish') or 暂存离开 ('save') inside the closed shadow root of
 * `xhs-publish-btn` with a real mouse click at the button's position (selectors cannot
 * reach into a closed root: 发布 is the left button, 暂存离开 the right one).
 */
export async function clickPublishButton(page: Page, which: 'publish' | 'save' = 'publish'): Promise<void> {
  const host = page.locator(`${SELECTORS.live} ${SELECTORS.publishButton}`);
  await host.scrollIntoViewIfNeeded();
  const box = await host.boundingBox();
  if (!box) throw new Error('xhs-publish-btn is not visible');
  const x = which === 'publish' ? box.x + 24 : box.x + box.width - 24;
  await page.mouse.click(x, box.y + box.height / 2);
}
