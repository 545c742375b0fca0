/**
 * Helpers for the overlay e2e tests and the e2e benchmark: read CSS.highlights from the page, compute the
 * expected findings with the same engine and rule bundle the extension ships, write settings into the
 * extension's storage. No vitest imports (the benchmark reuses this module).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { compileEngine, type EngineSettings } from '../../src/engine/engine';
import type { Finding, Note, Severity } from '../../src/engine/types';
import bundleJson from '../../src/generated/rules.json';
import type { RuleBundle, RuleSpec } from '../../src/rules/schema';
import { defaultSettings, SETTINGS_STORAGE_KEY, toStoredValue, type Settings } from '../../src/settings/schema';
import { classifySuggestion } from '../../contents/editor/suggestions';
import { currentServiceWorker } from './harness';

export const bundle = bundleJson as unknown as RuleBundle;

/** What the extension's engine finds in this note under these settings (same code and bundle as the worker). */
export function expectedFindings(note: Note, settings: EngineSettings = {}): Finding[] {
  return compileEngine(bundle, settings).check(note);
}

export interface DrawnRange {
  text: string;
  /** UTF-16 offset into the visible body text (paragraphs joined by "\n", hidden topic text left out). */
  start: number;
  end: number;
  /** The range lies inside the live editor (not an offscreen copy). */
  inEditor: boolean;
}

export type Drawn = Record<Severity, DrawnRange[]>;

/**
 * The ranges of the three registered highlights, with their offsets in the body's visible text, computed in the
 * page by an independent walk (paragraph = child block, text nodes under `.content-hide` skipped).
 */
export async function readHighlights(page: Page, bodySelector: string): Promise<Drawn & { registered: string[] }> {
  return page.evaluate((sel) => {
    const root = document.querySelector(sel) as HTMLElement | null;
    const visibleTexts = (block: Node): Text[] => {
      const out: Text[] = [];
      const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      for (let t = walker.nextNode() as Text | null; t; t = walker.nextNode() as Text | null) {
        if (t.parentElement?.closest('.content-hide')) continue;
        out.push(t);
      }
      return out;
    };
    const offsetOf = (node: Node, off: number): number => {
      if (!root) return -1;
      let total = 0;
      for (const block of Array.from(root.children)) {
        const texts = visibleTexts(block);
        if (block.contains(node)) {
          for (const t of texts) {
            if (t === node) return total + off;
            total += t.data.length;
          }
          return -1;
        }
        total += texts.reduce((n, t) => n + t.data.length, 0) + 1;
      }
      return -1;
    };
    const out: Record<string, unknown> = { registered: [] as string[] };
    for (const sev of ['error', 'warning', 'info']) {
      const h = CSS.highlights.get(`redline-${sev}`);
      if (h) (out.registered as string[]).push(sev);
      out[sev] = h
        ? [...(h as unknown as Set<Range>)].map((r) => ({
            text: r.toString(),
            start: offsetOf(r.startContainer, r.startOffset),
            end: offsetOf(r.endContainer, r.endOffset),
            inEditor: !!root && root.contains(r.commonAncestorContainer),
          }))
        : [];
    }
    return out as unknown as Drawn & { registered: string[] };
  }, bodySelector);
}

/** Expected body ranges by severity, sorted, from engine findings. */
export function expectedRanges(findings: Finding[], field: 'body' | 'title' = 'body'): Drawn {
  const out: Drawn = { error: [], warning: [], info: [] };
  for (const f of findings) {
    if (f.field !== field) continue;
    out[f.severity].push({ text: f.text, start: f.start, end: f.end, inEditor: true });
  }
  for (const s of Object.keys(out) as Severity[]) out[s].sort((a, b) => a.start - b.start || a.end - b.end);
  return out;
}

export function sortDrawn(d: Drawn): Drawn {
  const out: Drawn = { error: [...d.error], warning: [...d.warning], info: [...d.info] };
  for (const s of Object.keys(out) as Severity[]) out[s].sort((a, b) => a.start - b.start || a.end - b.end);
  return out;
}

/** Write settings (defaults + patch) into the extension's chrome.storage.local, as the options page would. */
export async function setSettings(context: BrowserContext, patch: Partial<Settings>): Promise<Settings> {
  const settings: Settings = { ...defaultSettings(), ...patch };
  const sw = await currentServiceWorker(context);
  await sw.evaluate(
    ([key, value]) => chrome.storage.local.set({ [key as string]: value }),
    [SETTINGS_STORAGE_KEY, toStoredValue(settings)] as const,
  );
  return settings;
}

export async function clearSettings(context: BrowserContext): Promise<void> {
  const sw = await currentServiceWorker(context);
  await sw.evaluate(() => chrome.storage.local.clear());
}

export async function readStoredRaw(context: BrowserContext): Promise<unknown> {
  const sw = await currentServiceWorker(context);
  return sw.evaluate((key) => chrome.storage.local.get(key).then((r) => r[key]), SETTINGS_STORAGE_KEY);
}

/**
 * A rule of the shipped bundle that flags a plain literal term in a short sentence (`我觉得这个<term>。` in the body,
 * `这个<term>哦` in the title — checked with the engine here) and offers a replacement, not just advice, with the
 * replacement the card will offer. Null while the bundle has no such rule.
 */
export function ruleWithReplacement(field: 'title' | 'body' = 'body'): { rule: RuleSpec; ruleId: string; term: string; replacement: string } | null {
  for (const pack of bundle.packs) {
    if (!pack.enabledByDefault) continue;
    for (const rule of pack.rules) {
      if (rule.check || !rule.terms?.length || rule.suggestions.length === 0) continue;
      if (rule.fields && !rule.fields.includes(field)) continue;
      for (const term of rule.terms.filter((t) => /^[\u4e00-\u9fff]{2,6}$/.test(t))) {
        const text = field === 'body' ? `我觉得这个${term}。` : `这个${term}哦`;
        const note = field === 'body' ? { title: '', body: text } : { title: text, body: '' };
        const hit = expectedFindings(note).find((f) => f.field === field && f.text === term && f.suggestions.length > 0);
        if (!hit) continue;
        const replacement = hit.suggestions.map((s) => classifySuggestion(s, hit)).find((k) => k.kind === 'replace' && k.text !== '');
        if (replacement) return { rule, ruleId: hit.ruleId, term, replacement: replacement.text };
      }
    }
  }
  return null;
}

/** Overlay state the content script exposes on its host element (a test/benchmark hook, read-only). */
export async function overlayState(page: Page): Promise<{ requests: number; checks: number; findings: number; latency: number } | null> {
  return page.evaluate(() => {
    const host = document.querySelector('redline-overlay');
    if (!host) return null;
    return {
      requests: Number(host.getAttribute('data-requests') ?? 0),
      checks: Number(host.getAttribute('data-checks') ?? 0),
      findings: Number(host.getAttribute('data-findings') ?? 0),
      latency: Number(host.getAttribute('data-last-latency') ?? NaN),
    };
  });
}
