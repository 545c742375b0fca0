/**
 * The overlay's text map (contents/editor/textmap.ts) on crafted editor DOM, in real Chromium (it needs a DOM and
 * Ranges): paragraphs, empty and trailing breaks, hard breaks, topics with hidden text, non-editable islands,
 * nested blocks, emoji; offsets → Range → offsets round trip in UTF-16 units.
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, repoRoot, type Launched } from './harness';

let browser: Launched;
let page: Page;
let script = '';

beforeAll(async () => {
  const out = await build({
    entryPoints: [join(repoRoot, 'contents/editor/textmap.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: '__textmap',
    target: 'chrome120',
    logLevel: 'silent',
  });
  script = out.outputFiles[0].text;
  browser = await launchBrowser({ extension: false });
  page = await browser.context.newPage();
  await page.setContent('<!doctype html><meta charset="utf-8"><div id="root" contenteditable="true"></div>');
  await page.addScriptTag({ content: script });
});

afterAll(async () => {
  await browser?.close();
});

interface MapReport {
  text: string;
  /** for each offset i with a DOM character: the Range over [i, i+1) as text, and offsetAt(range start) */
  chars: { i: number; char: string; back: number }[];
}

async function mapOf(html: string): Promise<MapReport> {
  return page.evaluate((h) => {
    const tm = (window as unknown as { __textmap: typeof import('../../contents/editor/textmap') }).__textmap;
    const root = document.getElementById('root')!;
    root.innerHTML = h;
    const map = tm.buildTextMap(root);
    const chars: { i: number; char: string; back: number }[] = [];
    for (let i = 0; i < map.text.length; i++) {
      const r = tm.rangeFor(map, i, i + 1);
      if (!r) continue;
      chars.push({ i, char: r.toString() || (r.cloneContents().querySelector('br') ? '\n' : ''), back: tm.offsetAt(map, r.startContainer, r.startOffset) });
    }
    return { text: map.text, chars };
  }, html);
}

describe('text map', () => {
  test.each([
    ['paragraphs join with \\n; an empty paragraph is an empty line', '<p>一</p><p></p><p>二</p>', '一\n\n二'],
    ['ProseMirror trailing break only keeps the empty paragraph open', '<p>甲</p><p><br class="ProseMirror-trailingBreak"></p><p>乙</p>', '甲\n\n乙'],
    ['Quill empty line <p><br></p>', '<p>甲</p><p><br></p>', '甲\n'],
    ['a hard break is one character', '<p>上<br>下</p>', '上\n下'],
    ['a hard break at the end of a paragraph is followed by the trailing break', '<p>上<br><br class="ProseMirror-trailingBreak"></p><p>x</p>', '上\n\nx'],
    [
      'a topic contributes its visible #name, never the hidden text',
      '<p>今天<a class="tiptap-topic" data-topic=\'{"name":"穿搭"}\' contenteditable="false">#穿搭<span class="content-hide">[话题]#</span></a> 出门</p>',
      '今天#穿搭 出门',
    ],
    ['other non-editable islands are skipped', '<p>你好<span class="mention" contenteditable="false">@小红</span>呀</p>', '你好呀'],
    ['nested blocks are one line each', '<ul><li><p>一</p></li><li><p>二</p></li></ul><blockquote><p>三</p></blockquote><p>四</p>', '一\n二\n三\n四'],
    ['emoji are two UTF-16 units', '<p>😀加我微信👍🏻</p>', '😀加我微信👍🏻'],
    ['inline marks do not split the text', '<p>加<strong>我</strong><em>微<s>信</s></em></p>', '加我微信'],
  ])('%s', async (_name, html, expected) => {
    const { text, chars } = await mapOf(html);
    expect(text).toBe(expected);
    // every character that has DOM maps to a Range reading exactly that code unit and back to its offset
    for (const c of chars) {
      expect(c.back, `offset ${c.i}`).toBe(c.i);
      if (c.char.length === 1) expect(c.char).toBe(text[c.i]);
    }
    // every character but a line break has DOM (paragraph separators have none; hard breaks are <br>)
    const mapped = new Set(chars.map((c) => c.i));
    for (let i = 0; i < text.length; i++) if (text[i] !== '\n') expect(mapped.has(i), `offset ${i}`).toBe(true);
  });

  test('a range over a phrase with emoji before it and a topic between reads the phrase', async () => {
    const html = '<p>😀<a class="tiptap-topic" contenteditable="false">#好物<span class="content-hide">[话题]#</span></a>加我微信</p><p>第二段全网第一</p>';
    const got = await page.evaluate((h) => {
      const tm = (window as unknown as { __textmap: typeof import('../../contents/editor/textmap') }).__textmap;
      const root = document.getElementById('root')!;
      root.innerHTML = h;
      const map = tm.buildTextMap(root);
      const find = (s: string) => {
        const i = map.text.indexOf(s);
        return tm.rangeFor(map, i, i + s.length)?.toString();
      };
      return { text: map.text, a: find('加我微信'), b: find('全网第一'), across: tm.rangeFor(map, map.text.indexOf('微信'), map.text.indexOf('第二') + 2)?.toString() };
    }, html);
    expect(got.text).toBe('😀#好物加我微信\n第二段全网第一');
    expect(got.a).toBe('加我微信');
    expect(got.b).toBe('全网第一');
    expect(got.across).toBe('微信第二'); // Range text has no separator; the DOM span covers both paragraphs
  });
});
