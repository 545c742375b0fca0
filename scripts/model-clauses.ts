/**
 * A labelled note's clauses as the engine cuts them, for the trainer (scripts/train-model.ts) and the experiments
 * (scripts/model-variants.ts).
 */
import { forEachClause } from "../src/engine/model"
import { endOf, normalizeField, type T2sTable } from "../src/engine/normalize"
import { FIELDS, type Category, type Field } from "../src/engine/types"
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
