import { describe, expect, it } from "vitest"
import {
  DEFAULT_SETTINGS,
  MAX_IMPORT_BYTES,
  exportSettingsJson,
  parseImportedSettings,
  toStoredValue,
  type Settings
} from "../../../src/settings/schema"
import { PACK_IDS, RULE_IDS } from "./fixtures/bundle"

const custom: Settings = {
  ...DEFAULT_SETTINGS,
  packs: { education: true, "trade-diversion": false },
  rules: { "education/guarantee": { severity: "warning" }, "trade-diversion/phone": { enabled: false } },
  customTerms: [{ term: "秒杀", category: "low-quality", severity: "warning", message: "自定义 · custom" }],
  allowlist: ["微信支付"],
  gate: false,
  checkDelayMs: 650,
  language: "en",
  industries: ["education", "merchant"],
  checklist: { "education/school-licence": true, "trade-diversion/shop-only": true }
}

function importText(text: string, name = "team.json") {
  return parseImportedSettings(text, name, PACK_IDS, RULE_IDS)
}

function expectError(text: string, ...needles: string[]) {
  const r = importText(text)
  expect(r.ok).toBe(false)
  if (!r.ok) {
    expect(r.error).toContain("team.json")
    expect(r.error).toMatch(/[\u4e00-\u9fff]/) // Chinese
    expect(r.error).toMatch(/Invalid settings file/) // English
    for (const n of needles) expect(r.error).toContain(n)
  }
  return r
}

describe("export → import", () => {
  it("round-trips every field", () => {
    const text = exportSettingsJson(custom)
    const r = importText(text)
    expect(r).toEqual({ ok: true, settings: custom })
  })

  it("round-trips the defaults", () => {
    expect(importText(exportSettingsJson(DEFAULT_SETTINGS))).toEqual({ ok: true, settings: DEFAULT_SETTINGS })
  })

  it("exports only settings fields, even from a store state with functions", () => {
    const withActions = { ...custom, setGate: () => {} } as unknown as Settings
    expect(Object.keys(JSON.parse(exportSettingsJson(withActions))).sort()).toEqual(Object.keys(custom).sort())
  })

  it("accepts the stored { state, version } shape and fills missing fields with defaults", () => {
    expect(importText(JSON.stringify(toStoredValue(custom)))).toEqual({ ok: true, settings: custom })
    const r = importText(JSON.stringify({ version: 1, allowlist: ["第一次"] }))
    expect(r).toEqual({ ok: true, settings: { ...DEFAULT_SETTINGS, allowlist: ["第一次"] } })
  })

  it("migrates a version-0 file", () => {
    const r = importText(JSON.stringify({ version: 0, enabledPacks: ["education"], allow: ["第一次"] }))
    expect(r.ok).toBe(true)
    if (r.ok) {
      expect(r.settings.packs).toEqual({ education: true })
      expect(r.settings.allowlist).toEqual(["第一次"])
    }
  })
})

describe("malformed imports", () => {
  it("not JSON", () => {
    expectError("{ version: 1, packs: ", "JSON")
    expectError("", "JSON")
    expectError("\u0000\u0001binary", "JSON")
  })

  it("JSON that is not an object", () => {
    for (const t of ["[]", "null", "42", '"settings"']) expectError(t, "object")
  })

  it("missing or wrong version", () => {
    expectError("{}", "version")
    expectError('{"version":"1"}', "version")
    expectError('{"version":2}', "version", "newer")
  })

  it("wrong types name the field", () => {
    expectError(JSON.stringify({ ...custom, gate: "yes" }), "gate")
    expectError(JSON.stringify({ ...custom, checkDelayMs: 10 }), "checkDelayMs")
    expectError(JSON.stringify({ ...custom, packs: { education: 1 } }), "packs.education")
    expectError(JSON.stringify({ ...custom, allowlist: "微信支付" }), "allowlist")
    expectError(JSON.stringify({ ...custom, customTerms: [{ term: "x", category: "x", severity: "error", message: "" }] }), "customTerms[0].category")
    expectError(JSON.stringify({ ...custom, rules: { "education/guarantee": { severity: "high" } } }), "rules.education/guarantee.severity")
    expectError(JSON.stringify({ ...custom, extraField: true }), "extraField")
  })

  it("unknown pack ids", () => {
    expectError(JSON.stringify({ ...custom, packs: { astrology: true } }), "packs.astrology", "unknown pack")
    expectError(JSON.stringify({ ...custom, checklist: { "astrology/x": true } }), "checklist.astrology/x")
  })

  it("unknown rule ids", () => {
    expectError(JSON.stringify({ ...custom, rules: { "education/nope": { enabled: false } } }), "rules.education/nope", "unknown rule")
  })

  it("huge files are rejected before parsing", () => {
    const big = JSON.stringify({ ...custom, allowlist: Array.from({ length: 90000 }, (_, i) => `phrase-${i}`) })
    expect(big.length).toBeGreaterThan(MAX_IMPORT_BYTES)
    expectError(big, "1 MB")
    // multi-byte text: under 1 M characters but over 1 MB of UTF-8
    const cjk = JSON.stringify({ version: 1, allowlist: ["中".repeat(200)], pad: "汉".repeat(400000) })
    expect(cjk.length).toBeLessThan(MAX_IMPORT_BYTES)
    expectError(cjk, "1 MB")
  })
})
