/**
 * Background worker: `check` messages in, the shared engine's findings out, the tab's error count on the badge.
 * Stateless apart from the compiled engine, cached per settings (Chrome may stop this worker at any time).
 */
import browser from "webextension-polyfill"

import { compileEngine, type Engine, type EngineSettings } from "./src/engine/engine"
import bundleJson from "./src/generated/rules.json"
import { isCheckRequest, type CheckResponse } from "./src/protocol"
import type { RuleBundle } from "./src/rules/schema"

const bundle = bundleJson as unknown as RuleBundle
const SETTINGS_KEY = "settings"

let cache: { key: string; engine: Engine } | null = null

/** The engine-relevant part of the stored settings (zustand persist stores `{ state, version }`). */
function engineSettings(stored: unknown): EngineSettings {
  const raw = (stored as { state?: unknown } | undefined)?.state ?? stored
  if (typeof raw !== "object" || raw === null) return {}
  const s = raw as EngineSettings
  return { packs: s.packs, rules: s.rules, customTerms: s.customTerms, allowlist: s.allowlist }
}

async function currentEngine(): Promise<Engine> {
  const stored = await browser.storage.local.get(SETTINGS_KEY)
  const settings = engineSettings(stored[SETTINGS_KEY])
  const key = JSON.stringify(settings)
  if (cache?.key !== key) cache = { key, engine: compileEngine(bundle, settings) }
  return cache.engine
}

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
  if (!isCheckRequest(message)) return undefined
  return (async (): Promise<CheckResponse> => {
    const engine = await currentEngine()
    const findings = engine.check(message.note)
    const tabId = sender.tab?.id
    if (tabId !== undefined) {
      const errors = findings.filter((f) => f.severity === "error").length
      await browser.action.setBadgeBackgroundColor({ tabId, color: "#e5243b" }).catch(() => {})
      await browser.action.setBadgeText({ tabId, text: errors ? String(errors) : "" }).catch(() => {})
    }
    return { id: message.id, hash: message.hash, findings }
  })()
})
