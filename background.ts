/**
 * Background worker: `check` messages in, the shared engine's findings out, the tab's error count on the badge.
 * Stateless apart from the compiled engine, cached per settings (Chrome may stop this worker at any time).
 */
import browser from "webextension-polyfill"

import { compileEngine, type Engine, type EngineSettings } from "./src/engine/engine"
import bundleJson from "./src/generated/rules.json"
import { isCheckRequest, isOverlayMessage, type CheckResponse, type OverlayMessage } from "./src/protocol"
import type { RuleBundle } from "./src/rules/schema"
import { readStoredSettings, SETTINGS_STORAGE_KEY } from "./src/settings/schema"

const bundle = bundleJson as unknown as RuleBundle
let cache: { key: string; engine: Engine } | null = null

async function currentEngine(): Promise<Engine> {
  const stored = await browser.storage.local.get(SETTINGS_STORAGE_KEY)
  const { packs, rules, customTerms, allowlist } = readStoredSettings(stored[SETTINGS_STORAGE_KEY])
  const settings: EngineSettings = { packs, rules, customTerms, allowlist }
  const key = JSON.stringify(settings)
  if (cache?.key !== key) cache = { key, engine: compileEngine(bundle, settings) }
  return cache.engine
}

async function setBadge(tabId: number, errors: number): Promise<void> {
  await browser.action.setBadgeBackgroundColor({ tabId, color: "#e5243b" }).catch(() => {})
  await browser.action.setBadgeText({ tabId, text: errors ? String(errors) : "" }).catch(() => {})
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v)
}

/**
 * Read-modify-write of the stored settings for the card's two actions. Deliberately without src/settings' zod
 * schema: Parcel's bundle of zod 4 breaks at load (`z.string is not a function`), which killed the worker. Readers
 * (readStoredSettings) coerce field by field, so a partial state is valid; the old flat v0 shape is edited in place.
 */
async function updateStoredSettings(change: { allow?: string; disableRule?: string }): Promise<boolean> {
  const got = await browser.storage.local.get(SETTINGS_KEY)
  let raw: unknown = got[SETTINGS_KEY]
  if (typeof raw === "string") {
    try {
      raw = JSON.parse(raw)
    } catch {
      raw = undefined
    }
  }
  let stored: Record<string, unknown>
  let state: Record<string, unknown>
  if (isRecord(raw) && isRecord(raw.state)) {
    stored = { ...raw, state: { ...raw.state } }
    state = stored.state as Record<string, unknown>
  } else if (isRecord(raw) && typeof raw.version !== "number") {
    // v0 (before zustand): { allow: [], disabledRules: [] }, migrated by the settings store on next read
    stored = { ...raw }
    const list = (key: string) => (Array.isArray(stored[key]) ? (stored[key] as unknown[]).filter((x) => typeof x === "string") : [])
    if (change.allow !== undefined && !list("allow").includes(change.allow)) stored.allow = [...list("allow"), change.allow]
    else if (change.disableRule !== undefined && !list("disabledRules").includes(change.disableRule)) stored.disabledRules = [...list("disabledRules"), change.disableRule]
    else return false
    await browser.storage.local.set({ [SETTINGS_KEY]: stored })
    return true
  } else {
    state = isRecord(raw) ? { ...raw } : { version: 1 }
    stored = { state, version: 1 }
  }
  if (change.allow !== undefined) {
    const allowlist = Array.isArray(state.allowlist) ? state.allowlist.filter((x): x is string => typeof x === "string") : []
    if (allowlist.includes(change.allow)) return false
    state.allowlist = [...allowlist, change.allow]
  }
  if (change.disableRule !== undefined) {
    const rules = isRecord(state.rules) ? state.rules : {}
    const current = isRecord(rules[change.disableRule]) ? (rules[change.disableRule] as Record<string, unknown>) : {}
    state.rules = { ...rules, [change.disableRule]: { ...current, enabled: false } }
  }
  await browser.storage.local.set({ [SETTINGS_KEY]: stored })
  return true
}

/** Messages from the overlay: badge counts after the creator's ignores, and the card's settings actions. */
async function handleOverlay(message: OverlayMessage, tabId: number | undefined): Promise<{ ok: boolean }> {
  switch (message.type) {
    case "badge":
      if (tabId !== undefined) await setBadge(tabId, message.errors)
      return { ok: true }
    case "allow-phrase": {
      const phrase = message.phrase.trim()
      if (!phrase || phrase.length > 200) return { ok: false }
      return { ok: await updateStoredSettings({ allow: phrase }) }
    }
    case "disable-rule": {
      const id = message.ruleId
      if (!/^[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) return { ok: false }
      return { ok: await updateStoredSettings({ disableRule: id }) }
    }
  }
}

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
  if (isOverlayMessage(message)) return handleOverlay(message, sender.tab?.id)
  if (!isCheckRequest(message)) return undefined
  return (async (): Promise<CheckResponse> => {
    const engine = await currentEngine()
    const findings = engine.check(message.note)
    const tabId = sender.tab?.id
    if (tabId !== undefined) {
      await setBadge(tabId, findings.filter((f) => f.severity === "error").length)
    }
    return { id: message.id, hash: message.hash, findings }
  })()
})
