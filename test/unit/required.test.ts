/** The regex prefilter must never skip a pattern that would have matched. */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"

import { describe, expect, it } from "vitest"

import { compileEngine } from "../../src/engine/engine"
import { buildT2sTable, compactOf, normalizeField } from "../../src/engine/normalize"
import { analyzePattern, requiredCharSet, requiredLiterals } from "../../src/engine/required"
import { exampleCases } from "../../src/rules/examples"
import { buildBundle, loadPackFiles } from "../../src/rules/load"


// Every pattern over every example and corpus note (~25,000 texts): tens of seconds on a busy 2-core machine, and it
// grows with the corpus, so these two get more than the default 30 s.
const CORPUS_WIDE_TIMEOUT = 300_000
describe("requiredLiterals", () => {
  it("finds literals, alternations and small classes, skipping optional parts and lookarounds", () => {
    expect(requiredLiterals("加我微信")).toEqual([["加我微信"]])
    expect(requiredLiterals("(?:淘宝|拼多多)(?:搜|找)")).toEqual([["淘宝搜", "淘宝找", "拼多多搜", "拼多多找"]])
    expect(requiredLiterals("(?<!我)最[好佳]")).toEqual([["最好", "最佳"]])
    expect(requiredLiterals("https?://[a-z]+")).toEqual([["https://", "http://"]])
    expect(requiredLiterals("(?<![\\d])1[3-9]\\d{9}")).not.toBeNull()
    expect(requiredLiterals("[a-z0-9._-]{1,64}@[a-z]{2,}")).toEqual([["@"]])
    expect(requiredLiterals("(?:vx)?\\d{5,}")).toBeNull()
    expect(requiredLiterals("a|\\d+")).toBeNull()
    expect(requiredLiterals("(ab)?c*")).toBeNull()
    expect(requiredLiterals("([¥$])[a-z]{6}\\1")).toEqual([["¥", "$"]])
    expect(requiredLiterals("(?<!\\d)0[1-3]\\d{7}")).toEqual([["01", "02", "03"]])
    expect(requiredLiterals("[a-z]{2,9}\\.(?:com|cn)", (ch) => (ch === "." ? "" : ch))).toEqual([["com", "cn"]])
    expect(requiredLiterals("www\\.[a-z]+\\.com", (ch) => (ch === "." ? "" : ch))).toEqual([["www"], ["com"]])
    expect(requiredLiterals("搜一搜", (ch) => (ch === "一" ? "1" : ch))).toEqual([["搜1搜"]])
    // Groups of a few fixed strings, optional ones included, join into one run of every string they can spell.
    const spelled = requiredLiterals("(?:用|吃)(?:了)?(?:就|马上)(?:瘦|白)")
    expect(spelled).toHaveLength(1)
    expect([...spelled![0]].sort()).toEqual(
      ["用", "吃"].flatMap((a) => ["", "了"].flatMap((b) => ["就", "马上"].flatMap((c) => ["瘦", "白"].map((d) => a + b + c + d)))).sort()
    )
    // What a positive lookaround looks for is required too (it lies within the reach of the match); a negative one is not.
    expect(requiredLiterals("号(?<=(?:抖音|快手)号)")).toEqual([["抖音号", "快手号"], ["号"]])
    expect(requiredLiterals("号(?<!(?:抖音|快手)号)")).toEqual([["号"]])
    // Strings that contain another string of the set are left out: 搜一搜x and 直接搜x contain 搜x.
    expect(requiredLiterals("(?:搜索?|搜一搜|搜一下|直接搜)x")).toEqual([["搜索x", "搜x", "搜一下x"]])
  })

  it("is sound on every pack pattern over every example and corpus note", () => {
    const bundle = buildBundle("rules")
    const t2s = buildT2sTable(bundle.t2s)
    const texts: string[] = []
    for (const dir of ["rules", "test/fixtures/packs"]) for (const c of exampleCases(loadPackFiles(dir))) texts.push(c.note.title, c.note.body)
    for (const half of ["risky", "clean"]) {
      const folder = join("test/corpus", half)
      for (const f of readdirSync(folder)) for (const n of JSON.parse(readFileSync(join(folder, f), "utf8"))) texts.push(n.title, n.body)
    }
    const views = texts.map((t) => normalizeField(t, t2s))
    let checked = 0
    for (const pack of bundle.packs) {
      for (const rule of pack.rules) {
        // Context patterns too: the engine skips one whose required literals' first units are absent.
        const context = [rule.before, rule.after, rule.notBefore, rule.notAfter].filter((s): s is string => Boolean(s))
        const sources = [
          ...[...(rule.patterns ?? []), ...context].map((s) => [s, "compact"] as const),
          ...(rule.textPatterns ?? []).map((s) => [s, "text"] as const)
        ]
        for (const [source, view] of sources) {
          const required = requiredLiterals(source, view === "text" ? (ch) => compactOf(ch, t2s) : undefined)
          if (!required) continue
          const re = new RegExp(source, "u")
          for (const v of views) {
            if (!re.test(view === "compact" ? v.compact.text : v.text.text)) continue
            checked++
            for (const set of required) {
              expect(set.some((r) => v.compact.text.includes(r)), `${rule.id}: ${source} matched without ${set.join("|")}`).toBe(true)
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100)
  }, CORPUS_WIDE_TIMEOUT)
})

describe("analyzePattern reach", () => {
  it("counts one unit for classes of BMP characters and \\d, two where an astral character can match", () => {
    expect(analyzePattern("a[a-z]b").reach).toBe(3)
    expect(analyzePattern("a\\db").reach).toBe(3)
    expect(analyzePattern("a[^a]b").reach).toBe(4)
    expect(analyzePattern("a.b").reach).toBe(4)
    expect(analyzePattern("a[😀x]b").reach).toBe(4)
    expect(analyzePattern("a[\\uD83D\\uDE00x]b").reach).toBe(4)
    // A backreference matches no more than its group; one to a group not closed yet is unbounded.
    expect(analyzePattern("([¥$])[a-z]{6}\\1").reach).toBe(8)
    expect(analyzePattern("(?<q>[ab])x\\k<q>").reach).toBe(3)
    expect(analyzePattern("\\1(a)").reach).toBe(Infinity)
  })
})

describe("requiredCharSet", () => {
  it("finds the smallest set of single kept characters every match needs, and the reach", () => {
    const quote = (ch: string) => "“\"「.".includes(ch)
    expect(requiredCharSet('(?:搜|找)\\s{0,2}[“"「][^”]{1,4}', quote)).toEqual({ set: ["“", '"', "「"], reach: 1 + 2 + 1 + 8 })
    expect(requiredCharSet("[a-z]+\\.(?:com|cn)", quote).set).toEqual(["."])
    expect(requiredCharSet("(?:搜|找)[“\"]?x", quote).set).toBeNull()
  })
  it("stands a kept element of several units for its first (the \"->\" of an arrow)", () => {
    const arrow = (ch: string) => "→->=".includes(ch)
    expect(requiredCharSet("(?:→|->|=>)\\s?\\d{1,4}万", arrow).set).toEqual(["→", "-", "="])
    expect(requiredCharSet("(?:→|-x>)\\d", arrow).set).toEqual(["→", "-"])
    // An alternative with no kept unit leaves no set.
    expect(requiredCharSet("(?:→|到)\\d", arrow).set).toBeNull()
  })
})

describe("prefilter and windows", () => {
  it("find exactly what running every regex over the whole field finds, on every example and corpus note", () => {
    const bundle = buildBundle("rules")
    const engine = compileEngine(bundle, { packs: Object.fromEntries(bundle.packs.map((p) => [p.id, true])) })
    const notes = []
    for (const dir of ["rules", "test/fixtures/packs"]) for (const c of exampleCases(loadPackFiles(dir))) notes.push(c.note)
    for (const half of ["risky", "clean"]) {
      const folder = join("test/corpus", half)
      for (const f of readdirSync(folder)) notes.push(...JSON.parse(readFileSync(join(folder, f), "utf8")))
    }
    // Whole notes glued together too, so windows meet, overlap and merge.
    for (let i = 0; i + 3 < notes.length; i += 3) notes.push({ title: "", body: notes.slice(i, i + 3).map((n) => n.title + n.body).join("") })
    let findings = 0
    for (const note of notes) {
      const fast = engine.check(note, { keepShadowed: true })
      expect(fast).toEqual(engine.check(note, { keepShadowed: true, exhaustive: true }))
      findings += fast.length
    }
    expect(findings).toBeGreaterThan(500)
  }, CORPUS_WIDE_TIMEOUT)
})
