/**
 * Context patterns run as their alternatives (src/engine/alternatives.ts, partsOf/partsPass in the engine) must answer
 * exactly what the whole pattern answers.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"

import { contextAlternatives, topLevelAlternatives } from "../../src/engine/alternatives"
import { contextPartsAnalysis } from "../../src/engine/analysis"
import { partsOf, partsPass } from "../../src/engine/engine"
import { anchoredLiterals } from "../../src/engine/literal"
import { buildT2sTable, normalizeField } from "../../src/engine/normalize"
import { buildBundle } from "../../src/rules/load"
import { arbitraryWindow, contextSources as contextPatternSources, corpusSample } from "./context-patterns"

const bundle = buildBundle("rules")
const t2s = buildT2sTable(bundle.t2s)
const contextSources = contextPatternSources(bundle)
const splitSources = contextSources.filter((s) => contextAlternatives(s) !== null)


describe("contextAlternatives", () => {
  it("splits at top-level bars only, not inside groups, classes or escapes", () => {
    expect(topLevelAlternatives("^a(?:b|c)|[|x]d|e\\|f")).toEqual(["^a(?:b|c)", "[|x]d", "e\\|f"])
    expect(topLevelAlternatives("[\\]|]|g")).toEqual(["[\\]|]", "g"])
  })

  it("distributes a final lookbehind or non-capturing group over its alternatives", () => {
    expect(contextAlternatives("$(?<=我|你说)")).toEqual(["$(?<=我)", "$(?<=你说)"])
    expect(contextAlternatives("^[^。]{0,4}(?:好|坏(?:了|掉))")).toEqual(["^[^。]{0,4}(?:好)", "^[^。]{0,4}(?:坏(?:了))", "^[^。]{0,4}(?:坏(?:掉))"])
    expect(contextAlternatives("^x|$(?<=(?:a|b)c)")).toEqual(["^x", "$(?<=(?:a|b)c)"])
    expect(contextAlternatives("^x|$(?<=y(?:a|b))")).toEqual(["^x", "$(?<=y(?:a))", "$(?<=y(?:b))"])
  })

  it("leaves alone what is not a union: quantified groups, negative or capturing groups, backreferences", () => {
    expect(contextAlternatives("^(?:a|b)+")).toBeNull()
    expect(contextAlternatives("$(?<!a|b)")).toBeNull()
    expect(contextAlternatives("^x(a|b)")).toBeNull()
    expect(contextAlternatives("^(?:a|b)(?=c|d)")).toBeNull()
    expect(contextAlternatives("(a)\\1|b")).toBeNull()
    expect(contextAlternatives("^(?<d>.)(?:.|\\d|好)")).toBeNull()
    expect(contextAlternatives("$(?<=(?<x>.)(?:\\d|好的))")).toBeNull()
    expect(contextAlternatives("好")).toBeNull()
  })

  it("keeps an alternative whole when distributing it would exceed the budget", () => {
    const wide = `^(?:${Array.from({ length: 200 }, (_, i) => `x${i}`).join("|")})`
    expect(contextAlternatives(`^a|${wide}`)).toEqual(["^a", wide])
  })

  it("splits many of the packs' context patterns, and the bundle stores their alternatives' analysis", () => {
    expect(splitSources.length).toBeGreaterThan(100)
    const stored = bundle.analysis!.contextParts!
    for (const source of contextSources.filter((s) => anchoredLiterals(s) === null)) {
      expect(stored[source]).toEqual(contextPartsAnalysis(source) ?? [])
    }
  })
})

describe("context patterns run as alternatives", () => {
  const texts = corpusSample(240).map((body) => normalizeField(body, t2s).compact.text)
  const parts = new Map(splitSources.map((s) => [s, partsOf(s, bundle.analysis!.contextParts![s])]))
  const regexes = new Map(splitSources.map((s) => [s, new RegExp(s, "u")]))

  // Many regexes over many windows: well under a minute alone, but slower on a loaded 2-core machine, hence its own timeout.
  it("answer as the whole regex on windows of corpus notes", () => {
    let compared = 0
    let matched = 0
    const mismatches: string[] = []
    for (const source of splitSources) {
      const p = parts.get(source)
      if (!p) continue
      const re = regexes.get(source)!
      for (const text of texts) {
        for (let at = 0; at <= text.length; at += 4) {
          // The windows the engine asks about: 12 units before a hit, 24 after.
          for (const [from, to] of [
            [Math.max(0, at - 12), at],
            [at, Math.min(text.length, at + 24)]
          ]) {
            const expected = re.test(text.slice(from, to))
            if (partsPass(p, text, from, to) !== expected) mismatches.push(`${source.slice(0, 60)} on ${JSON.stringify(text.slice(from, to))}`)
            compared++
            if (expected) matched++
          }
        }
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([])
    expect(compared).toBeGreaterThan(100000)
    expect(matched).toBeGreaterThan(1000)
  }, 120000)

  it("answer as the whole regex on arbitrary windows, astral characters and lone surrogates included", () => {
    const sources = splitSources.filter((s) => parts.get(s))
    fc.assert(
      fc.property(fc.constantFrom(...sources), arbitraryWindow("我的是说最好第一了吗？?，,。!\n1234买私信加vx不别骗"), (source, { text, from, to }) => {
        expect(partsPass(parts.get(source)!, text, from, to)).toBe(regexes.get(source)!.test(text.slice(from, to)))
      }),
      { numRuns: 3000 }
    )
  })
})
