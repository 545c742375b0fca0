/**
 * The few settings the overlay needs, read defensively from chrome.storage.local without pulling the zod
 * schema into the content script. Writes (allowlist, rule off) go through the background worker, which owns
 * validation (src/settings).
 */
import browser from "webextension-polyfill"

/** Same key as src/settings/schema.ts SETTINGS_STORAGE_KEY (kept literal so zod stays out of this bundle). */
export const SETTINGS_KEY = "settings"

export interface OverlaySettings {
  gate: boolean
  checkDelayMs: number
}

export const DEFAULT_OVERLAY_SETTINGS: OverlaySettings = { gate: true, checkDelayMs: 300 }

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v)
}

/** Stored value (zustand persist `{state, version}`, a JSON string of it, or a flat object) → overlay settings. */
export function overlaySettingsFrom(raw: unknown): OverlaySettings {
  let v: unknown = raw
  if (typeof v === "string") {
    try {
      v = JSON.parse(v)
    } catch {
      v = null
    }
  }
  if (isRecord(v) && isRecord(v.state)) v = v.state
  const out = { ...DEFAULT_OVERLAY_SETTINGS }
  if (!isRecord(v)) return out
  if (typeof v.gate === "boolean") out.gate = v.gate
  else if (typeof v.gateOn === "boolean") out.gate = v.gateOn
  const delay = typeof v.checkDelayMs === "number" ? v.checkDelayMs : typeof v.delay === "number" ? v.delay : NaN
  if (Number.isFinite(delay)) out.checkDelayMs = Math.min(2000, Math.max(100, Math.round(delay)))
  return out
}

export async function loadOverlaySettings(): Promise<OverlaySettings> {
  const got = await browser.storage.local.get(SETTINGS_KEY)
  return overlaySettingsFrom(got[SETTINGS_KEY])
}

/** Calls back when the stored settings change; returns an unsubscribe function. */
export function onSettingsChanged(cb: (s: OverlaySettings) => void): () => void {
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string): void => {
    if (area === "local" && SETTINGS_KEY in changes) cb(overlaySettingsFrom(changes[SETTINGS_KEY].newValue))
  }
  browser.storage.onChanged.addListener(listener)
  return () => {
    try {
      browser.storage.onChanged.removeListener(listener)
    } catch {
      /* orphaned */
    }
  }
}
