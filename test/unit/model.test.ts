/**
 * The clause model (src/engine/model.ts, rules/model.json) and the learned rules it reports for.
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

import { describe, expect, it } from "vitest"

import { compileEngine } from "../../src/engine/engine"
import { detectorScore, forEachClause, loadModel, scoreClause, type ModelData } from "../../src/engine/model"
import { buildT2sTable, normalizeField } from "../../src/engine/normalize"
import { buildBundle, loadModelFile, RulePackError } from "../../src/rules/load"
import { corpusDigest, readCorpusNotes } from "../eval/notes"

const bundle = buildBundle("rules")
const data = bundle.model!
const model = loadModel(data)
const t2s = buildT2sTable(bundle.t2s)
const allOn = { packs: Object.fromEntries(bundle.packs.map((p) => [p.id, true])) }

describe("clauses and scores", () => {
  it("splits the compact view at the punctuation it keeps", () => {
    const text = normalizeField("先说结论，这个真的好用！！链接在评论区\n#好物", t2s).compact.text
    const clauses: string[] = []
    forEachClause(text, (a, b) => clauses.push(text.slice(a, b)))
    expect(clauses).toEqual(["先说结论", "这个真的好用", "链接在评论区", "#好物"])
  })

  it("scores the detector inline exactly as the general scorer does", () => {
    const scores = new Float32Array(model.outputs)
    let compared = 0
    for (const note of readCorpusNotes("test/corpus/risky").filter((_, i) => i % 25 === 0)) {
      const text = normalizeField(note.body, t2s).compact.text
      forEachClause(text, (a, b) => {
        scoreClause(model, text, a, b, scores)
        expect(detectorScore(model, text, a, b)).toBeCloseTo(scores[0], 4)
        compared++
      })
    }
    expect(compared).toBeGreaterThan(200)
  })

  it("was trained on the corpus as it is now (run npm run train after changing test/corpus)", () => {
    expect(data.trainedOn).toContain(`corpus ${corpusDigest("test/corpus")}`)
  })
})

describe("learned findings", () => {
  const engine = compileEngine(bundle, allOn)

  it("reports a clause no rule covers under the learned rule of its category, with that rule's explanation", () => {
    // The corpus' risky notes: whatever the model reports there.
    const found = new Set<string>()
    for (const note of readCorpusNotes("test/corpus/risky")) {
      for (const f of engine.check({ title: note.title, body: note.body })) {
        if (!f.ruleId.startsWith("learned/")) continue
        found.add(f.category)
        expect(f.ruleId).toBe(`learned/${f.category}`)
        expect(f.message.zh.length).toBeGreaterThan(10)
        expect(f.suggestions.length).toBeGreaterThan(0)
        expect(note[f.field].slice(f.start, f.end)).toBe(f.text)
      }
    }
    expect(found.size).toBeGreaterThanOrEqual(3)
  })

  it("never reports a clause a rule finding already overlaps", () => {
    for (const note of readCorpusNotes("test/corpus/risky").slice(0, 400)) {
      const findings = engine.check({ title: note.title, body: note.body })
      for (const f of findings.filter((x) => x.ruleId.startsWith("learned/"))) {
        const others = findings.filter((g) => !g.ruleId.startsWith("learned/") && g.field === f.field)
        expect(others.some((g) => g.start < f.end && g.end > f.start)).toBe(false)
      }
    }
  })

  it("lets a clause pass that is mostly a phrase on the user's allowlist", () => {
    const note = { title: "", body: "再不看就删了" }
    expect(engine.check(note).map((f) => f.ruleId)).toContain("learned/low-quality")
    expect(compileEngine(bundle, { ...allOn, allowlist: ["不看就删了"] }).check(note).map((f) => f.ruleId)).not.toContain("learned/low-quality")
  })

  it("leaves alone clauses a note-level finding covers (a title over 20 characters, topics past the limit)", () => {
    const title = "今天去公园散步，有需要的宝子评论区扣个想要"
    const findings = engine.check({ title, body: "" })
    expect(findings.map((f) => f.ruleId)).toContain("format/title-length")
    const length = findings.find((f) => f.ruleId === "format/title-length")!
    for (const f of findings.filter((x) => x.ruleId.startsWith("learned/"))) expect(f.end <= length.start || f.start >= length.end).toBe(true)
  })

  it("silences, not relabels, a clause whose learned rule is turned off", () => {
    const note = { title: "", body: "再不看就删了" }
    const off = compileEngine(bundle, { ...allOn, rules: { "learned/low-quality": { enabled: false } } })
    expect(off.check(note).filter((f) => f.ruleId.startsWith("learned/"))).toEqual([])
  })

  it("lets a clause pass that an allowed phrase covers", () => {
    const note = { title: "", body: "再不看就删了，哈哈哈" }
    expect(engine.check(note).map((f) => f.ruleId)).toContain("learned/low-quality")
    expect(compileEngine(bundle, { ...allOn, allowlist: ["再不看就删了，哈哈哈"] }).check(note).map((f) => f.ruleId)).not.toContain("learned/low-quality")
    expect(compileEngine(bundle, { ...allOn, allowlist: ["删了"] }).check(note).map((f) => f.ruleId)).toContain("learned/low-quality")
  })

  it("stays silent when the learned pack is off", () => {
    const off = compileEngine(bundle, { ...allOn, packs: { ...allOn.packs, learned: false } })
    for (const note of readCorpusNotes("test/corpus/risky").slice(0, 300)) {
      expect(off.check({ title: note.title, body: note.body }).some((f) => f.ruleId.startsWith("learned/"))).toBe(false)
    }
  })
})

describe("rules/model.json validation", () => {
  const dirWith = (content: string) => {
    const dir = mkdtempSync(join(tmpdir(), "redline-model-"))
    writeFileSync(join(dir, "model.json"), content)
    return dir
  }
  const broken = (patch: Partial<ModelData>) => JSON.stringify({ ...data, ...patch })

  it("names the file and the field of a malformed model, and accepts the real one", () => {
    expect(loadModelFile("rules")).toEqual(data)
    const cases: [string, RegExp][] = [
      ["{", /model\.json: not valid JSON/],
      [broken({ threshold: "high" as unknown as number }), /model\.json.*threshold/],
      [broken({ keys: "not base64!" }), /model\.json.*keys/],
      [broken({ bias: [0, 1] }), /model\.json.*bias/],
      [broken({ weights: data.weights.slice(0, 8) }), /model\.json.*weights/],
      [broken({ detector: data.detector.slice(0, 16) }), /model\.json.*detector/],
      [broken({ bits: 40 }), /model\.json.*bits/],
      [broken({ keys: "AB==" + data.keys.slice(4) }), /model\.json.*keys/],
      [broken({ detector: "A" }), /model\.json.*detector/]
    ]
    for (const [content, message] of cases) {
      const dir = dirWith(content)
      expect(() => loadModelFile(dir)).toThrow(RulePackError)
      expect(() => loadModelFile(dir)).toThrow(message)
    }
  })
})
