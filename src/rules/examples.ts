/** Runs every rule's bad/good examples against the engine, as ESLint's RuleTester does. */
import { compileEngine } from "../engine/engine"
import type { Note } from "../engine/types"
import type { LoadedPack } from "./load"
import type { Example, RuleBundle } from "./schema"

export interface ExampleCase {
  ruleId: string
  kind: "bad" | "good"
  note: Note
  /** The rule is a learned one (its examples run with its pack alone). */
  learned: boolean
}

export function exampleNote(example: Example): Note {
  return typeof example === "string" ? { title: "", body: example } : example
}

export function exampleCases(packs: LoadedPack[]): ExampleCase[] {
  return packs.flatMap(({ data }) =>
    data.rules.flatMap((rule) => {
      const ruleId = `${data.pack.id}/${rule.id}`
      const learned = rule.learned === true
      return [
        ...rule.examples.bad.map((e) => ({ ruleId, kind: "bad" as const, note: exampleNote(e), learned })),
        ...rule.examples.good.map((e) => ({ ruleId, kind: "good" as const, note: exampleNote(e), learned }))
      ]
    })
  )
}

/** A checker with every pack of the bundle on, for running examples. */
export function allPacksEngine(bundle: RuleBundle) {
  return compileEngine(bundle, { packs: Object.fromEntries(bundle.packs.map((p) => [p.id, true])) })
}
