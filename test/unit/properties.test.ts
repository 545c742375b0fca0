/** Property tests: arbitrary Unicode never throws and every finding keeps the offset invariants. */
import fc from "fast-check"
import { describe, expect, it } from "vitest"

import { compileEngine } from "../../src/engine/engine"
import type { Finding, Note } from "../../src/engine/types"
import { buildBundle } from "../../src/rules/load"

const bundle = buildBundle("rules")
const engine = compileEngine(bundle, { packs: Object.fromEntries(bundle.packs.map((p) => [p.id, true])) })

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff

function assertInvariants(note: Note, findings: Finding[]): void {
  let previous: Finding | undefined
  for (const f of findings) {
    const field = note[f.field]
    expect(f.start).toBeGreaterThanOrEqual(0)
    expect(f.end).toBeGreaterThan(f.start)
    expect(f.end).toBeLessThanOrEqual(field.length)
    expect(field.slice(f.start, f.end)).toBe(f.text)
    // never split a surrogate pair
    if (f.start > 0) expect(isHigh(field.charCodeAt(f.start - 1)) && isLow(field.charCodeAt(f.start))).toBe(false)
    if (f.end < field.length) expect(isHigh(field.charCodeAt(f.end - 1)) && isLow(field.charCodeAt(f.end))).toBe(false)
    if (previous) {
      const order = (x: Finding) => (x.field === "title" ? 0 : 1)
      expect(order(previous) < order(f) || (order(previous) === order(f) && previous.start <= f.start)).toBe(true)
    }
    previous = f
  }
}

// Risky fragments spliced into random text so findings actually occur.
const fragments = ["微信", "ｖｘ", "V❤X", "vx：abc_123456", "淘宝搜", "亲测7天瘦10斤", "年化15%", "3天美白", "最好用", "QQ群123456789", "微\u200b信", "138 1234 5678", "一三八一二三四五六七八", "全网最低", "第一", "最近", "保过", "👩‍👩‍👧", "e\u0301", "\u202e", "\ud800", "\udc00", "#话题 ", "https://t.cn/x", "￥AbC123￥", "絕對", "QQ", "V领"]
const text = fc.array(fc.oneof(fc.string({ unit: "binary", maxLength: 12 }), fc.constantFrom(...fragments)), { maxLength: 40 }).map((parts) => parts.join(""))

describe("engine properties", () => {
  it("never throws and keeps offsets on arbitrary Unicode", () => {
    fc.assert(
      fc.property(text, text, (title, body) => {
        const note = { title, body }
        assertInvariants(note, engine.check(note))
      }),
      { numRuns: 400 }
    )
  })
  it("finds the same with and without the regex prefilter and windows", () => {
    fc.assert(
      fc.property(text, (body) => {
        const note = { title: "", body }
        expect(engine.check(note)).toEqual(engine.check(note, { exhaustive: true }))
      }),
      { numRuns: 300 }
    )
  })
  it("handles a 100,000-character note", () => {
    const unit = "今天去了国家博物馆，最近很喜欢这家店。加我 v❤x：abc12345 全网最低价！👩‍👩‍👧 "
    const body = unit.repeat(Math.ceil(100000 / unit.length)).slice(0, 100000)
    const note = { title: "", body }
    const findings = engine.check(note)
    assertInvariants(note, findings)
    expect(findings.length).toBeGreaterThan(0)
  })
})
