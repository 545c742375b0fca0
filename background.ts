/**
 * Background worker: `check` messages in, the shared engine's findings out, the tab's error count on the badge.
 * Stateless apart from the compiled engine, cached per settings (Chrome may stop this worker at any time).
 */
import browser from "webextension-polyfill"

import { compileEngine, type Engine, type EngineSettings } from "./src/engine/engine"
import bundleJson from "./src/generated/rules.json"
import { isCheckRequest, isOverlayMessage, type CheckResponse, type OverlayMessage } from "./src/protocol"
import type { RuleBundle } from "./src/rules/schema"
import { readStoredSettings, SETTINGS_STORAGE_KEY, toStoredValue, type Settings } from "./src/settings/schema"

const bundle = bundleJson as unknown as RuleBundle
let cache: { key: string; engine: Engine } | null = null
/** Whether `cache` still reflects the stored settings; storage.onChanged clears it, so a check reads storage only then. */
let cacheCurrent = false

browser.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && SETTINGS_STORAGE_KEY in changes) cacheCurrent = false
})

async function currentEngine(): Promise<Engine> {
  if (cache && cacheCurrent) return cache.engine
  cacheCurrent = true
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

/** Read-modify-write of the stored settings through src/settings (migrated, validated, same stored shape). */
async function updateSettings(change: (s: Settings) => Settings | null): Promise<boolean> {
  const got = await browser.storage.local.get(SETTINGS_STORAGE_KEY)
  const next = change(readStoredSettings(got[SETTINGS_STORAGE_KEY]))
  if (!next) return false
  await browser.storage.local.set({ [SETTINGS_STORAGE_KEY]: toStoredValue(next) })
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
      return { ok: await updateSettings((s) => (s.allowlist.includes(phrase) ? null : { ...s, allowlist: [...s.allowlist, phrase] })) }
    }
    case "disable-rule": {
      const id = message.ruleId
      if (!/^[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) return { ok: false }
      return { ok: await updateSettings((s) => ({ ...s, rules: { ...s.rules, [id]: { ...s.rules[id], enabled: false } } })) }
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
