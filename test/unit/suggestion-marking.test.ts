/**
 * Which suggestions may change the creator's text is marked in the rule data (改为「…」, 删除X) and read by the card's
 * classifySuggestion. Every marked wording in the packs must come out as a replacement with exactly the quoted text.
 */
import { describe, expect, test } from "vitest"

import { classifySuggestion } from "../../contents/editor/suggestions"
import { buildBundle } from "../../src/rules/load"

const bundle = buildBundle("rules")
const all = bundle.packs.flatMap((p) => p.rules.flatMap((r) => (r.suggestions ?? []).map((s) => ({ rule: r, s }))))

describe("suggestion marking in the rule packs", () => {
  test("every rule offers at least one suggestion", () => {
    for (const p of bundle.packs) for (const r of p.rules) expect((r.suggestions ?? []).length, r.id).toBeGreaterThan(0)
  })
  test("改为「…」 wordings become replacements with their quoted text", () => {
    const marked = all.filter(({ s }) => s.startsWith("改为「"))
    expect(marked.length).toBeGreaterThan(10)
    for (const { rule, s } of marked) {
      const k = classifySuggestion(s, rule)
      expect(k, `${rule.id}: ${s}`).toMatchObject({ kind: "replace", text: s.slice(3, -1) })
    }
  })
})
