/**
 * The few settings the overlay needs, read defensively from what is stored in chrome.storage.local, without pulling
 * the zod schema into the content script. Pure (unit-tested); storage access is in messaging.ts. Writes (allowlist,
 * rule off) go through the background worker, which owns validation (src/settings).
 */
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
