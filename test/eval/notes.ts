/** Reading the labelled corpora (test/corpus/, test/corpus-heldout/, held-out batches): shared by the evaluations and the digest. */
import { createHash } from "node:crypto"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"

import type { Category, Field } from "../../src/engine/types"

export interface Expected {
  field: Field
  text: string
  category: Category
  occurrence?: number
}
export interface CorpusNote {
  id: string
  domain?: string
  title: string
  body: string
  expect?: Expected[]
  /** The batch (author) it belongs to: the file name's suffix (`beauty-c.json` → c, `beauty-c1.json` → c1, `beauty-c10.json` → c10), or a for `beauty.json`. */
  batch: string
}

/** The notes of one half of a corpus (`<dir>/risky` or `<dir>/clean`), files in name order; none if it is missing. */
export function readCorpusNotes(dir: string): CorpusNote[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .flatMap((f) => {
      const value = JSON.parse(readFileSync(join(dir, f), "utf8")) as CorpusNote[]
      if (!Array.isArray(value)) throw new Error(`${join(dir, f)}: expected an array of notes`)
      const batch = /-([a-z][a-z0-9]?|c[0-9]{2})\.json$/.exec(f)?.[1] ?? "a"
      return value.map((note) => ({ ...note, batch }))
    })
}

/** Where a marked span stands in its field, `[start, end)` (its `occurrence`-th appearance); throws if it is not there. */
export function spanOf(note: CorpusNote, e: Expected): [number, number] {
  const field = note[e.field]
  let start = -1
  for (let k = 0, from = 0; k < (e.occurrence ?? 1); k++, from = start + 1) start = field.indexOf(e.text, from)
  if (start < 0) throw new Error(`${note.id}: marked text "${e.text}" not found in ${e.field}`)
  return [start, start + e.text.length]
}

/** A short SHA-256 of a corpus directory's notes (risky/ and clean/, files in name order): what a model was trained on. */
export function corpusDigest(dir: string): string {
  const hash = createHash("sha256")
  for (const half of ["risky", "clean"]) {
    const path = join(dir, half)
    if (!existsSync(path)) continue
    for (const f of readdirSync(path).filter((name) => name.endsWith(".json")).sort()) hash.update(`${half}/${f}\n`).update(readFileSync(join(path, f)))
  }
  return hash.digest("hex").slice(0, 16)
}
