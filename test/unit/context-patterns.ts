/** What the context-pattern tests (literal.test.ts, alternatives.test.ts) check against: the packs' patterns and corpus text. */
import type { RuleBundle } from "../../src/rules/schema"
import { readCorpusNotes } from "../eval/notes"

/** Every distinct before/after/notBefore/notAfter source of the bundle's rules. */
export function contextSources(bundle: RuleBundle): string[] {
  return [...new Set(bundle.packs.flatMap((p) => p.rules.flatMap((r) => [r.before, r.after, r.notBefore, r.notAfter])))].filter(
    (s): s is string => s !== undefined
  )
}

/** The bodies of every note in test/corpus (risky, then clean; files in name order). */
export function corpusBodies(): string[] {
  return ["risky", "clean"].flatMap((half) => readCorpusNotes(`test/corpus/${half}`).map((note) => note.body))
}
