import fc from "fast-check"
import { describe, expect, test } from "vitest"
import { carryFindings } from "../../../contents/editor/adjust"

type F = { start: number; end: number; text: string; id: number }

const finding = (s: string, start: number, end: number, id = 0): F => ({ start, end, text: s.slice(start, end), id })

describe("carryFindings", () => {
  test("keeps findings before the edit, shifts those after, drops the ones the edit touches", () => {
    const before = "加我微信，全网第一，买它"
    const after = "加我微信呀，全网第一，买它" // "呀" inserted at 4
    const fs = [finding(before, 2, 4, 1), finding(before, 5, 9, 2)]
    expect(carryFindings(before, after, fs)).toEqual([
      { start: 2, end: 4, text: "微信", id: 1 },
      { start: 6, end: 10, text: "全网第一", id: 2 }
    ])
    const edited = "加我微x信，全网第一，买它" // inside the first finding
    expect(carryFindings(before, edited, fs).map((f) => f.id)).toEqual([2])
  })

  test("emoji (surrogate pairs) before a finding shift it by two code units", () => {
    const before = "今天全网第一"
    const after = "今天😀全网第一"
    expect(carryFindings(before, after, [finding(before, 2, 6)])).toEqual([{ start: 4, end: 8, text: "全网第一", id: 0 }])
  })

  test("property: whatever the edit, every carried finding still reads its text", () => {
    const alphabet = fc.constantFrom("a", "b", "微", "信", "第", "一", "😀", "\n", " ")
    const str = (max: number) => fc.array(alphabet, { maxLength: max }).map((a) => a.join(""))
    fc.assert(
      fc.property(str(40), fc.nat(), fc.nat(), str(6), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 6 }), (text, a, b, insert, spans) => {
        const from = a % (text.length + 1)
        const to = from + (b % (text.length - from + 1))
        const next = text.slice(0, from) + insert + text.slice(to)
        const carried = carryFindings(text, next, spansOf(text, spans))
        for (const f of carried) expect(next.slice(f.start, f.end)).toBe(f.text)
      }),
      { numRuns: 500 }
    )
  })

  test("property: typing a new character keeps every finding that does not contain the caret", () => {
    const alphabet = fc.constantFrom("a", "b", "微", "信", "😀", "\n")
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 30 }).map((x) => x.join("")), fc.nat(), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 6 }), (text, a, spans) => {
        const at = a % (text.length + 1)
        const next = text.slice(0, at) + "Ω" + text.slice(at)
        const fs = spansOf(text, spans)
        const carried = carryFindings(text, next, fs)
        for (const f of fs) {
          const kept = carried.find((c) => c.id === f.id)
          if (f.end <= at) expect(kept).toEqual(f)
          else if (f.start >= at) expect(kept).toEqual({ ...f, start: f.start + 1, end: f.end + 1 })
          else expect(kept).toBeUndefined()
        }
      }),
      { numRuns: 500 }
    )
  })
})

/** Findings over `text` from arbitrary number pairs (non-empty, inside the text). */
function spansOf(text: string, spans: [number, number][]): F[] {
  if (!text.length) return []
  return spans.map(([x, y], i) => {
    const s = x % text.length
    return finding(text, s, s + 1 + (y % (text.length - s)), i)
  })
}
