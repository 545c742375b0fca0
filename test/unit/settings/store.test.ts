import { describe, expect, it } from "vitest"
import { DEFAULT_SETTINGS, SETTINGS_STORAGE_KEY, readStoredSettings, type Settings } from "../../../src/settings/schema"
import { checklistFor, checklistProgress, enabledPackIds, groupPacks, isRuleEnabled, ruleSeverity } from "../../../src/settings/packs"
import { createMemoryStorageArea, updateStoredSettings } from "../../../src/settings/storage"
import { bindLiveUpdates, createSettingsStore, whenHydrated } from "../../../src/settings/store"
import { FIXTURE_BUNDLE } from "./fixtures/bundle"

async function freshStore(initial: Record<string, unknown> = {}) {
  const area = createMemoryStorageArea(initial)
  const store = createSettingsStore(area)
  await whenHydrated(store)
  return { area, store }
}

function stored(area: ReturnType<typeof createMemoryStorageArea>): Settings {
  return readStoredSettings(area.data.get(SETTINGS_STORAGE_KEY))
}

/** Waits until pending storage promises settle (no timers involved). */
const flush = () => new Promise<void>((r) => setImmediate(r))

describe("settings store", () => {
  it("starts from the defaults and writes an object (not a string) in the persist shape", async () => {
    const { area, store } = await freshStore()
    expect(store.getState().gate).toBe(true)
    store.getState().setGate(false)
    await flush()
    const raw = area.data.get(SETTINGS_STORAGE_KEY) as { state: Settings; version: number }
    expect(typeof raw).toBe("object")
    expect(raw.version).toBe(1)
    expect(raw.state.gate).toBe(false)
    expect(Object.values(raw.state).some((v) => typeof v === "function")).toBe(false)
  })

  it("hydrates from what is stored", async () => {
    const { store } = await freshStore({
      [SETTINGS_STORAGE_KEY]: { state: { ...DEFAULT_SETTINGS, allowlist: ["第一次"], language: "en" }, version: 1 }
    })
    expect(store.getState().allowlist).toEqual(["第一次"])
    expect(store.getState().language).toBe("en")
  })

  it("pack and rule overrides", async () => {
    const { area, store } = await freshStore()
    const s = store.getState()
    s.setPackEnabled("education", true)
    s.setPackEnabled("trade-diversion", false)
    expect(enabledPackIds(store.getState(), FIXTURE_BUNDLE.packs)).toEqual(["education"])
    s.setRuleEnabled("education/guarantee", false)
    s.setRuleSeverity("education/guarantee", "info")
    const rule = FIXTURE_BUNDLE.packs[1].rules[0]
    expect(isRuleEnabled(store.getState(), rule)).toBe(false)
    expect(ruleSeverity(store.getState(), rule)).toBe("info")
    s.setRuleEnabled("education/guarantee", true)
    expect(store.getState().rules).toEqual({ "education/guarantee": { severity: "info" } })
    s.setRuleSeverity("education/guarantee", undefined)
    expect(store.getState().rules).toEqual({})
    expect(ruleSeverity(store.getState(), rule)).toBe("error")
    await flush()
    expect(stored(area).packs).toEqual({ education: true, "trade-diversion": false })
  })

  it("own terms are validated and deduplicated", async () => {
    const { store } = await freshStore()
    const s = store.getState()
    expect(s.addCustomTerm({ term: " 秒杀 ", category: "low-quality", severity: "warning", message: "m" })).toBeNull()
    expect(s.addCustomTerm({ term: "秒杀", category: "low-quality", severity: "warning", message: "m" })).toMatch(/已存在/)
    expect(s.addCustomTerm({ term: "", category: "low-quality", severity: "warning", message: "m" })).toMatch(/term/)
    expect(store.getState().customTerms).toEqual([{ term: "秒杀", category: "low-quality", severity: "warning", message: "m" }])
    s.removeCustomTerm(0)
    expect(store.getState().customTerms).toEqual([])
  })

  it("allowlist, gate, delay clamp, language", async () => {
    const { store } = await freshStore()
    const s = store.getState()
    expect(s.addAllow(" 微信支付 ")).toBe(true)
    expect(s.addAllow("微信支付")).toBe(false)
    expect(s.addAllow("   ")).toBe(false)
    expect(store.getState().allowlist).toEqual(["微信支付"])
    s.removeAllow("微信支付")
    expect(store.getState().allowlist).toEqual([])
    s.setCheckDelay(5)
    expect(store.getState().checkDelayMs).toBe(100)
    s.setCheckDelay(99999)
    expect(store.getState().checkDelayMs).toBe(2000)
    s.setCheckDelay(Number.NaN)
    expect(store.getState().checkDelayMs).toBe(2000)
    s.setLanguage("en")
    expect(store.getState().language).toBe("en")
  })

  it("checklist: industries pick the items, progress counts the done ones", async () => {
    const { store } = await freshStore()
    const s = store.getState()
    s.toggleIndustry("education")
    const entries = checklistFor(FIXTURE_BUNDLE.packs, store.getState().industries)
    expect(entries.map((e) => e.key).sort()).toEqual(
      ["education/course-shop", "education/school-licence", "trade-diversion/shop-only"].sort()
    )
    expect(entries.filter((e) => e.item.critical).length).toBe(2)
    expect(entries[entries.length - 1].item.critical).toBe(false) // critical items first
    s.setChecklistItem("education/school-licence", true)
    expect(checklistProgress(entries, store.getState().checklist)).toEqual({ done: 1, total: 3 })
    s.setChecklistItem("education/school-licence", false)
    expect(store.getState().checklist).toEqual({})
    s.toggleIndustry("education")
    s.toggleIndustry("medical")
    expect(checklistFor(FIXTURE_BUNDLE.packs, store.getState().industries)).toEqual([])
  })

  it("groups packs into core and industry", () => {
    const g = groupPacks(FIXTURE_BUNDLE.packs)
    expect(g.core.map((p) => p.id)).toEqual(["trade-diversion"])
    expect(g.industry.map((p) => p.id)).toEqual(["education"])
  })

  it("replace (import) and reset", async () => {
    const { area, store } = await freshStore()
    const imported: Settings = { ...DEFAULT_SETTINGS, gate: false, allowlist: ["a"], packs: { education: true } }
    store.getState().replaceSettings(imported)
    await flush()
    expect(stored(area)).toEqual(imported)
    store.getState().resetToDefaults()
    await flush()
    expect(stored(area)).toEqual(DEFAULT_SETTINGS)
    expect(typeof store.getState().setGate).toBe("function")
  })

  it("a change made by one page reaches another page's store live", async () => {
    const area = createMemoryStorageArea()
    const options = createSettingsStore(area)
    const popup = createSettingsStore(area)
    await Promise.all([whenHydrated(options), whenHydrated(popup)])
    const off = bindLiveUpdates(popup, area.subscribe)
    options.getState().setPackEnabled("education", true)
    options.getState().addAllow("第一次")
    await flush()
    await flush()
    expect(popup.getState().packs).toEqual({ education: true })
    expect(popup.getState().allowlist).toEqual(["第一次"])
    // a writer outside the stores (e.g. the content script's "always allow")
    await area.set({ [SETTINGS_STORAGE_KEY]: { state: { ...stored(area), allowlist: ["第一次", "微信支付"] }, version: 1 } })
    await flush()
    await flush()
    expect(popup.getState().allowlist).toEqual(["第一次", "微信支付"])
    off()
  })

  it("updateStoredSettings (the content script's allow / rule-off actions) reaches a live store", async () => {
    const area = createMemoryStorageArea()
    const options = createSettingsStore(area)
    await whenHydrated(options)
    const off = bindLiveUpdates(options, area.subscribe)
    options.getState().setGate(false)
    await flush()
    const next = await updateStoredSettings(area, (s) => {
      s.allowlist.push("微信支付")
      s.rules["trade-diversion/wechat"] = { enabled: false }
    })
    expect(next.gate).toBe(false) // earlier changes kept
    await flush()
    await flush()
    expect(options.getState().allowlist).toEqual(["微信支付"])
    expect(options.getState().rules).toEqual({ "trade-diversion/wechat": { enabled: false } })
    // an update producing invalid settings is coerced back to valid ones, never stored broken
    const coerced = await updateStoredSettings(area, (s) => ({ ...s, checkDelayMs: -5 }))
    expect(coerced.checkDelayMs).toBe(DEFAULT_SETTINGS.checkDelayMs)
    off()
  })
})

describe("stableStringify", () => {
  it("ignores key order at every depth but not array order", async () => {
    const { stableStringify } = await import("../../../src/settings/store")
    expect(stableStringify({ b: 1, a: { d: [2, 1], c: null } })).toBe(stableStringify({ a: { c: null, d: [2, 1] }, b: 1 }))
    expect(stableStringify({ a: [1, 2] })).not.toBe(stableStringify({ a: [2, 1] }))
  })
})

describe("bindLiveUpdates", () => {
  it("re-reads storage for changes made elsewhere, not for the store's own writes", async () => {
    const { vi } = await import("vitest")
    const area = createMemoryStorageArea()
    const a = createSettingsStore(area)
    const b = createSettingsStore(area)
    await Promise.all([whenHydrated(a), whenHydrated(b)])
    const spy = vi.spyOn(a.persist, "rehydrate")
    const off = bindLiveUpdates(a, area.subscribe)
    a.getState().setGate(false)
    a.getState().addAllow("第一次")
    await flush()
    expect(spy).not.toHaveBeenCalled()
    b.getState().setCheckDelay(900)
    await flush()
    await flush()
    expect(spy).toHaveBeenCalledTimes(1)
    expect(a.getState().checkDelayMs).toBe(900)
    off()
  })
})
