/**
 * Context patterns checked as anchored literals (src/engine/literal.ts) must answer exactly what their regex answers.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"

import { literalPasses, literalTest } from "../../src/engine/engine"
import { anchoredLiterals } from "../../src/engine/literal"
import { buildT2sTable, normalizeField } from "../../src/engine/normalize"
import { buildBundle } from "../../src/rules/load"
import { arbitraryWindow, contextSources as contextPatternSources, corpusSample } from "./context-patterns"

const bundle = buildBundle("rules")
const t2s = buildT2sTable(bundle.t2s)
const contextSources = contextPatternSources(bundle)
const literalSources = contextSources.filter((s) => anchoredLiterals(s) !== null)


const checks = new Map(literalSources.map((s) => [s, literalTest(anchoredLiterals(s)!)]))
const regexes = new Map(literalSources.map((s) => [s, new RegExp(s, "u")]))

/** The literal check's answer, or "unknown" where it leaves the window to the regex. */
function literalAnswer(source: string, text: string, from: number, to: number): boolean | "unknown" {
  const r = literalPasses(checks.get(source)!, text, from, to)
  return r === 2 ? "unknown" : r === 1
}

describe("anchoredLiterals", () => {
  it("reads literal alternatives anchored at either edge, with optional gaps", () => {
    expect(anchoredLiterals("(?:我|个人)的?$")).toEqual({ start: [], end: [{ strings: ["我", "我的", "个人", "个人的"], exclude: "", max: 0 }] })
    expect(anchoredLiterals("^[里内](?:是)?|(?:说|讲)[^,，\\n]{0,3}$")).toEqual({
      start: [{ strings: ["里", "里是", "内", "内是"], exclude: "", max: 0 }],
      end: [{ strings: ["说", "讲"], exclude: ",，\n", max: 3 }]
    })
    expect(anchoredLiterals("^[^。!?\\d]{0,12}?(?:吗|[?？])")).toEqual({
      start: [{ strings: ["吗", "?", "？"], exclude: "。!?0123456789", max: 12 }],
      end: []
    })
    expect(anchoredLiterals("(?:我|自己)[^,，。]*$")?.end[0].max).toBeNull()
  })

  it("leaves everything else to the regex", () => {
    for (const source of [
      "(?:我(?!们))$",
      "^\\d{3}",
      "(?:我|你).{0,3}$",
      "我[^,]{0,3}说$",
      "^(?:好)$",
      "(?:好|坏)+$",
      "^[a-z]",
      "好(?<=很好)$",
      "^\\p{Script=Han}",
      "(?:好|坏)",
      "^好|坏",
      "^𠀀"
    ]) {
      expect(anchoredLiterals(source), source).toBeNull()
    }
  })

  it("covers many of the packs' context patterns", () => {
    expect(literalSources.length).toBeGreaterThan(50)
  })

  it("is stored in the bundle for exactly those sources", () => {
    const stored = bundle.analysis!.contextLiterals!
    expect(Object.keys(stored).sort()).toEqual([...literalSources].sort())
    for (const source of literalSources) expect(stored[source]).toEqual(anchoredLiterals(source))
  })
})

describe("literal context checks", () => {
  // A sample of the corpus' notes, in the compact view the context patterns see.
  const texts = corpusSample(350).map((body) => normalizeField(body, t2s).compact.text)

  // Many regexes over many windows: well under a minute alone, but slower on a loaded 2-core machine, hence its own timeout.
  it("agree with the regex on windows of corpus notes", () => {
    let compared = 0
    const mismatches: string[] = []
    for (const source of literalSources) {
      const re = regexes.get(source)!
      for (const text of texts) {
        for (let from = 0; from <= text.length; from += 3) {
          for (const width of [0, 3, 12, 24]) {
            const to = Math.min(text.length, from + width)
            const answer = literalAnswer(source, text, from, to)
            if (answer === "unknown") continue
            if (answer !== re.test(text.slice(from, to))) mismatches.push(`${source} on ${JSON.stringify(text.slice(from, to))}`)
            compared++
          }
        }
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([])
    expect(compared).toBeGreaterThan(100000)
  }, 120000)

  it("agree with the regex on arbitrary windows, astral characters and lone surrogates included", () => {
    fc.assert(
      fc.property(fc.constantFrom(...literalSources), arbitraryWindow("我的是说全国第一好坏，,。!?？\n里内1吗"), (source, { text, from, to }) => {
        const answer = literalAnswer(source, text, from, to)
        if (answer !== "unknown") expect(answer).toBe(regexes.get(source)!.test(text.slice(from, to)))
      }),
      { numRuns: 3000 }
    )
  })
})
