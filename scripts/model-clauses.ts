/**
 * A labelled note's clauses as the engine cuts them, for the trainer (scripts/train-model.ts) and the experiments
 * (scripts/model-variants.ts).
 */
import type { Engine } from "../src/engine/engine"
import { forEachClause } from "../src/engine/model"
import { endOf, normalizeField, type T2sTable } from "../src/engine/normalize"
import { FIELDS, type Category, type Field } from "../src/engine/types"
import { exampleCases } from "../src/rules/examples"
import type { LoadedPack } from "../src/rules/load"
import { spanOf, type CorpusNote } from "../test/eval/notes"

/**
 * A clause of a note: its field, the field's compact text, the clause there [from, to), and in the original
 * [start, end); the field's clauses as (from, to) pairs and its index among them.
 */
export interface NoteClause {
  field: Field
  text: string
  from: number
  to: number
  start: number
  end: number
  bounds: number[]
  index: number
}

/** The note's clauses, as the engine cuts them (forEachClause over each field's compact view). */
export function noteClauses(note: CorpusNote, t2s: T2sTable): NoteClause[] {
  const out: NoteClause[] = []
  for (const field of FIELDS) {
    const original = note[field] ?? ""
    const compact = normalizeField(original, t2s).compact
    const bounds: number[] = []
    forEachClause(compact.text, (from, to) => {
      out.push({ field, text: compact.text, from, to, start: compact.starts[from], end: endOf(compact, original, to - 1), bounds, index: bounds.length / 2 })
      bounds.push(from, to)
    })
  }
  return out
}

/** Per clause (noteClauses' order), the categories of the note's marked spans it overlaps; none for a clean note's. */
export function overlappedCategories(note: CorpusNote, clauses: NoteClause[]): Category[][] {
  const spans = (note.expect ?? []).map((e) => ({ field: e.field, range: spanOf(note, e), category: e.category }))
  return clauses.map((c) => spans.filter((s) => s.field === c.field && s.range[0] < c.end && s.range[1] > c.start).map((s) => s.category))
}

/**
 * The rules' own examples as labelled notes (batch `examples`), for the detector to learn the rules' words both ways:
 * a bad example marked where its rule flags it (error or warning; skipped if it does not), a good one — the nearest
 * innocent sentence a rule writer could think of — as a clean note when no rule alarms on it. The learned pack's
 * examples are the model's own and stay out. `engine`: the rules with every pack on and no model.
 */
export function exampleNotes(engine: Engine, packs: LoadedPack[]): CorpusNote[] {
  const out: CorpusNote[] = []
  for (const [i, c] of exampleCases(packs).entries()) {
    if (c.learned) continue
    const findings = engine.check(c.note).filter((f) => f.severity !== "info")
    const note: CorpusNote = { ...c.note, id: `example-${i}`, batch: "examples" }
    if (c.kind === "bad") {
      const own = findings.filter((f) => f.ruleId === c.ruleId)
      if (own.length === 0) continue
      note.expect = own.map((f) => {
        // Which appearance of the flagged text (spanOf counts them from the field's start).
        let occurrence = 1
        for (let at = note[f.field].indexOf(f.text); at >= 0 && at < f.start; at = note[f.field].indexOf(f.text, at + 1)) occurrence++
        return { field: f.field, text: f.text, category: f.category, occurrence }
      })
    } else if (findings.length) continue
    out.push(note)
  }
  return out
}

/** The trainers' seeded generator, uniform in [0, 1): the same corpus gives the same model. */
export function seededRandom(seed = 20261127): () => number {
  return () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296
}

/** Shuffles `order` in place (Fisher–Yates) with `random`. */
export function shuffle(order: number[], random: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[order[i], order[j]] = [order[j], order[i]]
  }
}
