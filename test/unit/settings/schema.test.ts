import { describe, expect, it } from "vitest"
import {
  DEFAULT_SETTINGS,
  SETTINGS_STORAGE_KEY,
  SettingsSchema,
  readStoredSettings,
  toStoredValue,
  type Settings
} from "../../../src/settings/schema"

const custom: Settings = {
  ...DEFAULT_SETTINGS,
  packs: { education: true, "trade-diversion": false },
  rules: { "trade-diversion/wechat": { severity: "warning" } },
  customTerms: [{ term: "秒杀", category: "low-quality", severity: "warning", message: "自定义" }],
  allowlist: ["微信支付"],
  gate: false,
  checkDelayMs: 800,
  language: "en",
  industries: ["education"],
  checklist: { "education/school-licence": true }
}

describe("SettingsSchema", () => {
  it("accepts the defaults and a fully customised object", () => {
    expect(SettingsSchema.safeParse(DEFAULT_SETTINGS).success).toBe(true)
    expect(SettingsSchema.safeParse(custom).success).toBe(true)
  })

  it("defaults are the documented ones", () => {
    expect(DEFAULT_SETTINGS).toMatchObject({ version: 1, gate: true, checkDelayMs: 300, language: "zh" })
    expect(Object.isFrozen(DEFAULT_SETTINGS)).toBe(true)
  })

  it.each([
    [{ checkDelayMs: 50 }, "checkDelayMs"],
    [{ checkDelayMs: 2500 }, "checkDelayMs"],
    [{ checkDelayMs: 300.5 }, "checkDelayMs"],
    [{ language: "fr" }, "language"],
    [{ gate: "yes" }, "gate"],
    [{ packs: { education: "on" } }, "packs.education"],
    [{ rules: { "trade-diversion/wechat": { severity: "fatal" } } }, "rules.trade-diversion/wechat.severity"],
    [{ customTerms: [{ term: "", category: "format", severity: "info", message: "" }] }, "customTerms.0.term"],
    [{ customTerms: [{ term: "x", category: "nope", severity: "info", message: "" }] }, "customTerms.0.category"],
    [{ industries: ["astrology"] }, "industries.0"],
    [{ version: 2 }, "version"]
  ])("rejects %j at %s", (patch, path) => {
    const r = SettingsSchema.safeParse({ ...custom, ...patch })
    expect(r.success).toBe(false)
    if (!r.success) expect(r.error.issues[0].path.map(String).join(".")).toBe(path)
  })

  it("rejects unknown top-level fields", () => {
    expect(SettingsSchema.safeParse({ ...custom, extra: 1 }).success).toBe(false)
  })
})

describe("readStoredSettings", () => {
  it("returns the defaults for missing or unreadable values", () => {
    for (const raw of [undefined, null, 42, "not json", [], "[]", true]) {
      expect(readStoredSettings(raw)).toEqual(DEFAULT_SETTINGS)
    }
  })

  it("reads the persist shape, a JSON string of it, and a whole storage.get result", () => {
    const stored = toStoredValue(custom)
    expect(readStoredSettings(stored)).toEqual(custom)
    expect(readStoredSettings(JSON.stringify(stored))).toEqual(custom)
    expect(readStoredSettings({ [SETTINGS_STORAGE_KEY]: stored })).toEqual(custom)
  })

  it("keeps valid fields and defaults invalid ones, field by field", () => {
    const stored = { state: { ...custom, checkDelayMs: -1, language: 7, allowlist: "x" }, version: 1 }
    const s = readStoredSettings(stored)
    expect(s.checkDelayMs).toBe(DEFAULT_SETTINGS.checkDelayMs)
    expect(s.language).toBe(DEFAULT_SETTINGS.language)
    expect(s.allowlist).toEqual(DEFAULT_SETTINGS.allowlist)
    expect(s.packs).toEqual(custom.packs)
    expect(s.customTerms).toEqual(custom.customTerms)
    expect(SettingsSchema.safeParse(s).success).toBe(true)
  })

  it("returns a copy that does not share structure with the defaults", () => {
    const s = readStoredSettings(undefined)
    s.allowlist.push("x")
    expect(DEFAULT_SETTINGS.allowlist).toEqual([])
  })
})
