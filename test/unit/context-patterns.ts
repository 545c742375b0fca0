/** What the context-pattern tests (literal.test.ts, alternatives.test.ts) check against: the packs' patterns and corpus text. */
import fc from "fast-check"

import type { RuleBundle } from "../../src/rules/schema"
import { readCorpusNotes } from "../eval/notes"

/** Every distinct before/after/notBefore/notAfter source of the bundle's rules. */
export function contextSources(bundle: RuleBundle): string[] {
  return [...new Set(bundle.packs.flatMap((p) => p.rules.flatMap((r) => [r.before, r.after, r.notBefore, r.notAfter])))].filter(
    (s): s is string => s !== undefined
  )
}

/** The bodies of every note in test/corpus (risky, then clean; files in name order). */
function corpusBodies(): string[] {
  return ["risky", "clean"].flatMap((half) => readCorpusNotes(`test/corpus/${half}`).map((note) => note.body))
}

/** `count` of the corpus' note bodies, evenly spaced: a sample whose size (and test time) does not grow with the corpus. */
export function corpusSample(count: number): string[] {
  const bodies = corpusBodies()
  const step = Math.max(1, bodies.length / count)
  return Array.from({ length: Math.min(count, bodies.length) }, (_, k) => bodies[Math.floor(k * step)])
}

/**
 * A window [from, to) of an arbitrary text of up to 30 units drawn from `units`, lone surrogates and an astral
 * character: what a context test is asked about, including text a regex counts differently from code units.
 */
export function arbitraryWindow(units: string): fc.Arbitrary<{ text: string; from: number; to: number }> {
  const alphabet = fc.constantFrom(...units.split(""), "\ud800", "\udc00", "𠀀")
  return fc.tuple(fc.array(alphabet, { maxLength: 30 }), fc.nat(), fc.nat()).map(([chars, a, b]) => {
    const text = chars.join("")
    const from = a % (text.length + 1)
    return { text, from, to: from + (b % (text.length - from + 1)) }
  })
}
