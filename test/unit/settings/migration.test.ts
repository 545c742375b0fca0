import { describe, expect, it } from "vitest"
import { DEFAULT_SETTINGS, SETTINGS_STORAGE_KEY, SettingsSchema, migrate, readStoredSettings } from "../../../src/settings/schema"
import { createMemoryStorageArea } from "../../../src/settings/storage"
import { createSettingsStore, whenHydrated } from "../../../src/settings/store"

const v0 = {
  enabledPacks: ["education"],
  disabledPacks: ["trade-diversion"],
  disabledRules: ["trade-diversion/wechat"],
  allow: ["微信支付", "第一次"],
  words: ["秒杀", "  ", "限时"],
  gateOn: false,
  delay: 5000,
  lang: "en-US"
}

describe("migration from version 0", () => {
  it("maps every v0 field onto v1", () => {
    const s = migrate(v0, 0)
    expect(SettingsSchema.safeParse(s).success).toBe(true)
    expect(s.packs).toEqual({ education: true, "trade-diversion": false })
    expect(s.rules).toEqual({ "trade-diversion/wechat": { enabled: false } })
    expect(s.allowlist).toEqual(["微信支付", "第一次"])
    expect(s.customTerms.map((t) => t.term)).toEqual(["秒杀", "限时"])
    expect(s.gate).toBe(false)
    expect(s.checkDelayMs).toBe(2000)
    expect(s.language).toBe("en")
    expect(s.industries).toEqual([])
  })

  it("reads a flat v0 object stored under the key (no version field)", () => {
    expect(readStoredSettings(v0)).toEqual(migrate(v0, 0))
    expect(readStoredSettings({ state: v0, version: 0 })).toEqual(migrate(v0, 0))
  })

  it("survives a v0 object with wrong types", () => {
    const s = migrate({ enabledPacks: "education", allow: [1, "ok"], delay: "fast", gateOn: 1 }, 0)
    expect(s.packs).toEqual({})
    expect(s.allowlist).toEqual(["ok"])
    expect(s.checkDelayMs).toBe(DEFAULT_SETTINGS.checkDelayMs)
    expect(s.gate).toBe(true)
  })

  it("the store migrates a stored v0 object and writes back version 1", async () => {
    const area = createMemoryStorageArea({ [SETTINGS_STORAGE_KEY]: { state: v0, version: 0 } })
    const store = createSettingsStore(area)
    await whenHydrated(store)
    expect(store.getState().packs).toEqual({ education: true, "trade-diversion": false })
    expect(store.getState().allowlist).toEqual(["微信支付", "第一次"])
    const written = area.data.get(SETTINGS_STORAGE_KEY) as { state: unknown; version: number }
    expect(written.version).toBe(1)
    expect(readStoredSettings(written)).toEqual(migrate(v0, 0))
  })
})
