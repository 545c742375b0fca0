/**
 * The regex analysis the build stores in the bundle (src/engine/analysis.ts) must be exactly what the engine would
 * work out at run time, and using it must change no finding.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"

import fc from "fast-check"
import { describe, expect, it } from "vitest"

import { analyzeBundle } from "../../src/engine/analysis"
import { compileEngine } from "../../src/engine/engine"
import { buildT2sTable, compactOf, normalizeField } from "../../src/engine/normalize"
import { analyzePattern, requiredCharSet } from "../../src/engine/required"
import { buildBundle } from "../../src/rules/load"
import type { RuleBundle } from "../../src/rules/schema"

const bundle = buildBundle("rules")
const t2s = buildT2sTable(bundle.t2s)
const rules = bundle.packs.flatMap((p) => p.rules)
const json = (reach: number) => (reach === Infinity ? null : reach)

function corpusNotes(): { title: string; body: string }[] {
  const notes: { title: string; body: string }[] = []
  for (const half of ["risky", "clean"]) {
    const dir = join("test/corpus", half)
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) notes.push(...JSON.parse(readFileSync(join(dir, file), "utf8")))
  }
  return notes
}

describe("precomputed regex analysis", () => {
  it("stores, for every regex of every pack, what required.ts works out for it", () => {
    const analysis = bundle.analysis!
    const droppable = (ch: string) => ch.length === 1 && (ch.charCodeAt(0) & 0xf800) !== 0xd800 && compactOf(ch, t2s) === ""
    let checked = 0
    for (const rule of rules) {
      for (const source of rule.patterns ?? []) {
        const { sets, reach } = analyzePattern(source)
        expect(analysis.compact[source], `${rule.id} pattern ${source}`).toEqual({ sets, reach: json(reach) })
        checked++
      }
      for (const source of rule.textPatterns ?? []) {
        const { sets, reach } = analyzePattern(source, (ch) => compactOf(ch, t2s))
        const dropped = requiredCharSet(source, droppable)
        expect(analysis.text[source], `${rule.id} textPattern ${source}`).toEqual({ sets, reach: json(reach), dropped: dropped.set, droppedReach: json(dropped.reach) })
        checked++
      }
      for (const source of [rule.before, rule.after, rule.notBefore, rule.notAfter]) {
        if (source === undefined) continue
        expect(analysis.context[source], `${rule.id} context ${source}`).toEqual(analyzePattern(source).sets)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(100)
    // Nothing stored that no rule uses.
    const sources = new Set(rules.flatMap((r) => [...(r.patterns ?? []), ...(r.textPatterns ?? []), r.before, r.after, r.notBefore, r.notAfter]))
    for (const view of ["compact", "text", "context"] as const) for (const source of Object.keys(analysis[view])) expect(sources.has(source)).toBe(true)
  })

  it("survives the JSON round trip of the built bundle (src/generated/rules.json)", () => {
    const shipped: RuleBundle = JSON.parse(JSON.stringify(bundle))
    expect(shipped.analysis).toEqual(analyzeBundle(shipped))
    expect(Object.keys(shipped.analysis!.context).length).toBeGreaterThan(10)
  })

  it("changes no finding: an engine given the bundle without it finds the same", () => {
    const { analysis: _analysis, ...bare } = bundle
    const allOn = { packs: Object.fromEntries(bundle.packs.map((p) => [p.id, true])) }
    const withAnalysis = compileEngine(bundle, allOn)
    const without = compileEngine(bare, allOn)
    let findings = 0
    for (const note of corpusNotes()) {
      const expected = without.check(note, { keepShadowed: true })
      expect(withAnalysis.check(note, { keepShadowed: true })).toEqual(expected)
      findings += expected.length
    }
    expect(findings).toBeGreaterThan(100)
  })
})

describe("compactOf", () => {
  it("equals the compact view of the same string (its shortcut for strings already compact changes nothing)", () => {
    const chars = fc.constantFrom(..."abcXYZ019 .-_，。最第一保包能們說國體萬０Ａｂ①😀\u200b\n".split(""), ..."最第一".split(""))
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 12 }), (parts) => {
        const s = parts.join("")
        expect(compactOf(s, t2s)).toBe(normalizeField(s, t2s).compact.text)
      }),
      { numRuns: 2000 }
    )
    for (const rule of rules) for (const term of rule.terms ?? []) expect(compactOf(term, t2s)).toBe(normalizeField(term, t2s).compact.text)
  })
})
