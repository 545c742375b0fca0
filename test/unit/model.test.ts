/**
 * The clause model (src/engine/model.ts, rules/model.json) and the learned rules it reports for.
 */
import { cpSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

import { describe, expect, it } from "vitest"

import { compileEngine } from "../../src/engine/engine"
import { detectorScores, forEachClause, forEachDetectorFeature, loadModel, type ModelData } from "../../src/engine/model"
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

  it("scores the detector inline exactly as the sum of its features' weights, the neighbours' included", () => {
    let compared = 0
    let withContext = 0
    for (const note of readCorpusNotes("test/corpus/risky").filter((_, i) => i % 25 === 0)) {
      const text = normalizeField(note.body, t2s).compact.text
      const bounds: number[] = []
      forEachClause(text, (a, b) => bounds.push(a, b))
      const count = bounds.length / 2
      const scores = new Float64Array(count)
      detectorScores(model, text, Int32Array.from(bounds), count, new Float64Array(3 * count), scores)
      for (let k = 0; k < count; k++) {
        let z = 0
        forEachDetectorFeature(text, bounds, k, model.context, model.mask, (bucket) => (z += model.detector[bucket]))
        expect(scores[k]).toBeCloseTo(model.bias[0] + z * model.scale[0], 4)
        let alone = 0
        forEachDetectorFeature(text, bounds, k, 0, model.mask, (bucket) => (alone += model.detector[bucket]))
        if (alone !== z) withContext++
        compared++
      }
    }
    expect(compared).toBeGreaterThan(200)
    // The neighbours do count: most clauses with neighbours score differently with them than alone.
    expect(model.context).toBeGreaterThan(0)
    expect(withContext).toBeGreaterThan(compared / 2)
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
    const note = { title: "", body: "删了就找不到了" }
    expect(engine.check(note).map((f) => f.ruleId)).toContain("learned/low-quality")
    expect(compileEngine(bundle, { ...allOn, allowlist: ["了就找不到了"] }).check(note).map((f) => f.ruleId)).not.toContain("learned/low-quality")
  })

  it("leaves alone clauses a note-level finding covers (a title over 20 characters, topics past the limit)", () => {
    const title = "今天去公园散步，有需要的宝子评论区扣个想要"
    const findings = engine.check({ title, body: "" })
    expect(findings.map((f) => f.ruleId)).toContain("format/title-length")
    const length = findings.find((f) => f.ruleId === "format/title-length")!
    for (const f of findings.filter((x) => x.ruleId.startsWith("learned/"))) expect(f.end <= length.start || f.start >= length.end).toBe(true)
  })

  it("silences, not relabels, a clause whose learned rule is turned off", () => {
    const note = { title: "", body: "删了就找不到了" }
    const off = compileEngine(bundle, { ...allOn, rules: { "learned/low-quality": { enabled: false } } })
    expect(off.check(note).filter((f) => f.ruleId.startsWith("learned/"))).toEqual([])
  })

  it("lets a clause pass that an allowed phrase covers", () => {
    const note = { title: "", body: "删了就找不到了，姐妹们" }
    expect(engine.check(note).map((f) => f.ruleId)).toContain("learned/low-quality")
    expect(compileEngine(bundle, { ...allOn, allowlist: ["删了就找不到了，姐妹们"] }).check(note).map((f) => f.ruleId)).not.toContain("learned/low-quality")
    expect(compileEngine(bundle, { ...allOn, allowlist: ["删了"] }).check(note).map((f) => f.ruleId)).toContain("learned/low-quality")
  })

  it("stays silent when the learned pack is off", () => {
    const off = compileEngine(bundle, { ...allOn, packs: { ...allOn.packs, learned: false } })
    for (const note of readCorpusNotes("test/corpus/risky").slice(0, 300)) {
      expect(off.check({ title: note.title, body: note.body }).some((f) => f.ruleId.startsWith("learned/"))).toBe(false)
    }
  })
})

describe("softening", () => {
  const withSoften = (soften: ModelData["soften"]) => ({ ...bundle, model: { ...data, soften } })
  const notes = readCorpusNotes("test/corpus/risky").filter((_, i) => i % 7 === 0)
  const plain = (fs: { ruleId: string; severity: string; start: number; end: number; field: string }[]) => fs.map((f) => `${f.ruleId}@${f.field}:${f.start}-${f.end}`)

  it("turns a soften pack's warnings into info, marked softened, when their clauses score below the bar; nothing else", () => {
    const always = compileEngine(withSoften({ "absolute-claim": 1e9, "false-marketing": 1e9 }), allOn)
    const never = compileEngine(withSoften({}), allOn)
    let softened = 0
    for (const note of notes) {
      // Shadowing depends on severities: compare before it.
      const a = always.check({ title: note.title, body: note.body }, { keepShadowed: true })
      const b = never.check({ title: note.title, body: note.body }, { keepShadowed: true })
      expect(b.some((f) => f.softened)).toBe(false)
      // Same findings in the same places (the order of equal spans follows severity); only severities differ, and
      // only where softened says so.
      expect(plain(a).sort()).toEqual(plain(b).sort())
      const before = new Map(b.map((f) => [plain([f])[0], f]))
      for (const f of a) {
        const g = before.get(plain([f])[0])!
        if (f.softened) {
          softened++
          expect(f.severity).toBe("info")
          expect(g.severity).toBe("warning")
          expect(["absolute-claim", "false-marketing"]).toContain(f.pack)
        } else {
          expect(f.severity).toBe(g.severity)
          if (["absolute-claim", "false-marketing"].includes(f.pack)) expect(f.severity).not.toBe("warning")
        }
      }
    }
    expect(softened).toBeGreaterThan(20)
  })

  it("leaves every warning alone when the bar is below every score, and when the learned pack is off", () => {
    const low = compileEngine(withSoften({ "absolute-claim": -1e9, "false-marketing": -1e9, qualification: -1e9 }), allOn)
    const off = compileEngine(withSoften({ "absolute-claim": 1e9, "false-marketing": 1e9, qualification: 1e9 }), { packs: { ...allOn.packs, learned: false } })
    for (const note of notes) {
      expect(low.check({ title: note.title, body: note.body }).some((f) => f.softened)).toBe(false)
      expect(off.check({ title: note.title, body: note.body }).some((f) => f.softened)).toBe(false)
    }
  })

  it("softens a claim read as someone's own life and keeps the same word as a sales claim (the shipped model)", () => {
    // Scores of the model as trained now: a retrained model may move them (then pick sentences that show the same).
    const engine = compileEngine(bundle, allOn)
    const findings = (body: string) => engine.check({ title: "", body }).filter((f) => f.ruleId === "absolute-claim/top-grade")
    const personal = findings("周末和闺蜜去爬山，山顶的云海真的是顶级，累但值得，下次还想去")
    expect(personal.map((f) => [f.severity, f.softened])).toEqual([["info", true]])
    const sales = findings("我们家的面料是顶级的，今天下单立减五十")
    expect(sales.map((f) => [f.severity, f.softened])).toEqual([["warning", undefined]])
  })
})

describe("rules/model.json validation", () => {
  const dirWith = (content: string) => {
    const dir = mkdtempSync(join(tmpdir(), "redline-model-"))
    writeFileSync(join(dir, "model.json"), content)
    return dir
  }
  const broken = (patch: Partial<ModelData>) => JSON.stringify({ ...data, ...patch })

  it("rejects a model that would soften a pack the rules do not have, naming the field", () => {
    const dir = mkdtempSync(join(tmpdir(), "redline-rules-"))
    cpSync("rules", dir, { recursive: true })
    writeFileSync(join(dir, "model.json"), JSON.stringify({ ...data, soften: { "absolute-claim": -3, "no-such-pack": -3 } }))
    expect(() => buildBundle(dir)).toThrow(RulePackError)
    expect(() => buildBundle(dir)).toThrow(/model\.json: field "soften": no pack "no-such-pack"/)
  })

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
      [broken({ context: -1 }), /model\.json.*context/],
      [broken({ soften: { "absolute-claim": "low" } as unknown as ModelData["soften"] }), /model\.json.*soften/],
      [broken({ version: 1 as unknown as 2 }), /model\.json.*version/],
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
