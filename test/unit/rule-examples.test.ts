/** Every rule's bad examples must produce a finding of that rule, its good examples none (as ESLint's RuleTester). */
import { describe, expect, it } from "vitest"

import { compileEngine } from "../../src/engine/engine"
import { allPacksEngine, exampleCases } from "../../src/rules/examples"
import { loadModelFile, loadPackFiles, toPackSpec } from "../../src/rules/load"
import { t2sPairs } from "../../src/rules/t2s"

const t2s = t2sPairs()

for (const dir of ["rules", "test/fixtures/packs"]) {
  const packs = loadPackFiles(dir)
  const model = loadModelFile(dir)
  const bundle = { version: 1 as const, t2s, packs: packs.map(toPackSpec), ...(model ? { model } : {}) }
  const engine = allPacksEngine(bundle)
  // A learned rule reports only clauses no other rule covers, and the packs keep growing: its examples are run with
  // its own pack alone (the model's judgement, whatever the rules of the day cover).
  const learnedOnly = compileEngine(bundle, { packs: Object.fromEntries(bundle.packs.map((p) => [p.id, p.rules.some((r) => r.learned)])) })
  describe(`${dir}: rule examples`, () => {
    const cases = exampleCases(packs)
    it("has examples", () => expect(cases.length).toBeGreaterThan(0))
    it.each(cases.map((c) => [`${c.ruleId} ${c.kind}: ${(c.note.title ? c.note.title + " / " : "") + c.note.body.slice(0, 40)}`, c] as const))(
      "%s",
      (_name, c) => {
        const checker = c.learned ? learnedOnly : engine
        const hits = checker.check(c.note, { keepShadowed: true }).filter((f) => f.ruleId === c.ruleId)
        if (c.kind === "bad") expect(hits.length, `expected a finding of ${c.ruleId}`).toBeGreaterThan(0)
        else expect(hits.map((f) => f.text), `expected no finding of ${c.ruleId}`).toEqual([])
      }
    )
  })
}
