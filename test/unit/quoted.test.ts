/**
 * Quoted findings: a rule's words in quotation marks on their line are someone else's (a flyer, a salesman's line, a
 * quoted ad in a scam warning), shown as `info` and marked `quoted` — unless they are contact details.
 */
import { describe, expect, it } from "vitest"

import { compileEngine, isQuoted } from "../../src/engine/engine"
import { buildBundle } from "../../src/rules/load"
import { readCorpusNotes, spanOf } from "../eval/notes"

const bundle = buildBundle("rules")
const engine = compileEngine(bundle, { packs: Object.fromEntries(bundle.packs.map((p) => [p.id, true])) })

/** isQuoted on the first occurrence of `word` in `text`. */
const quoted = (text: string, word: string) => {
  const at = text.indexOf(word)
  if (at < 0) throw new Error(`${word} not in ${text}`)
  return isQuoted(text, at, at + word.length)
}

describe("isQuoted", () => {
  it("finds words inside each kind of quotation mark on their line", () => {
    expect(quoted("牌子上写着「无痛无副作用」，别信", "无副作用")).toBe(true)
    expect(quoted("销售说“十年包租”，我没买", "包租")).toBe(true)
    expect(quoted("传单上『祖传秘方』四个大字", "秘方")).toBe(true)
    expect(quoted("他们说‘保过’而已", "保过")).toBe(true)
    expect(quoted('广告词是"稳赚不赔"，笑死', "稳赚")).toBe(true)
    expect(quoted("「根治」", "根治")).toBe(true)
  })

  it("does not reach across a line break, past a closing mark, or beyond a short quotation", () => {
    expect(quoted("「标题\n保证根治」", "根治")).toBe(false)
    expect(quoted("「别信」保证根治", "根治")).toBe(false)
    expect(quoted("保证根治」", "根治")).toBe(false)
    expect(quoted("「保证根治", "根治")).toBe(false)
    expect(quoted(`「${"很".repeat(45)}根治」`, "根治")).toBe(false)
    expect(quoted("保证根治", "根治")).toBe(false)
  })

  it("pairs ASCII double quotes by their count on the line", () => {
    expect(quoted('"好用" 保证根治 "真的"', "根治")).toBe(false)
    expect(quoted('"好用" "保证根治"', "根治")).toBe(true)
  })
})

describe("quoted findings", () => {
  it("shows a quoted claim as info, marked quoted, and the same words unquoted as they were", () => {
    const inQuotes = engine.check({ title: "", body: "海报上印着“十年包租，每年返租8%”，看着挺诱人" })
    const leaseback = inQuotes.filter((f) => f.ruleId === "real-estate/leaseback")
    expect(leaseback.length).toBeGreaterThan(0)
    for (const f of leaseback) expect([f.severity, f.quoted]).toEqual(["info", true])
    const plain = engine.check({ title: "", body: "海报上印着十年包租，每年返租8%，看着挺诱人" }).filter((f) => f.ruleId === "real-estate/leaseback")
    expect(plain.length).toBeGreaterThan(0)
    for (const f of plain) {
      expect(f.severity).not.toBe("info")
      expect(f.quoted).toBeUndefined()
    }
  })

  it("never demotes contact details: a quoted WeChat id is still an error", () => {
    const findings = engine.check({ title: "", body: "想要的姐妹「加我vx：tang_1234」" }).filter((f) => f.category === "trade-diversion")
    expect(findings.length).toBeGreaterThan(0)
    for (const f of findings) {
      expect(f.severity).toBe("error")
      expect(f.quoted).toBeUndefined()
    }
  })

  it("costs no recall on the labelled corpus: no marked span there stands in quotation marks", () => {
    const inQuotes: string[] = []
    let spans = 0
    for (const note of readCorpusNotes("test/corpus/risky")) {
      for (const e of note.expect ?? []) {
        spans++
        const [start, end] = spanOf(note, e)
        if (isQuoted(note[e.field], start, end)) inQuotes.push(`${note.id} 「${e.text}」`)
      }
    }
    expect(spans).toBeGreaterThan(10000)
    expect(inQuotes).toEqual([])
  })
})
