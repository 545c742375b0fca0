/**
 * A fingerprint of everything the engine finds, to show that a performance change finds exactly the same:
 *   node scripts/run-ts.mjs test/bench/digest.ts [rulesDir] [corpusDir…]
 * Checks every note of the corpus directories (risky/ and clean/, default test/corpus and test/corpus-heldout) and the
 * 2,000 bench notes (test/bench/notes.ts), with every pack on and with the default packs, with and without
 * shadowed findings, and prints a SHA-256 of the findings per group. Run it with the engine before and after a change,
 * on the same rules: the lines must be identical.
 */
import { createHash } from "node:crypto"
import { join } from "node:path"

import { compileEngine } from "../../src/engine/engine"
import type { Note } from "../../src/engine/types"
import { buildBundle } from "../../src/rules/load"
import { readCorpusNotes } from "../eval/notes"
import { generateNotes } from "./notes"

const [rulesDir = "rules", ...dirs] = process.argv.slice(2)
const corpusDirs = dirs.length ? dirs : ["test/corpus", "test/corpus-heldout"]
const bundle = buildBundle(rulesDir)

const readNotes = (dir: string): Note[] =>
  ["risky", "clean"].flatMap((half) => readCorpusNotes(join(dir, half)).map((n) => ({ title: n.title ?? "", body: n.body })))

const groups: [string, Note[]][] = corpusDirs.map((d) => [d, readNotes(d)])
groups.push(["bench notes", generateNotes(2000, 1000).map((body) => ({ title: "", body }))])
// The bench notes again with a title (the first 30 characters of another note), so title findings are covered too.
groups.push(["bench notes with titles", generateNotes(600, 1000).map((body, i, all) => ({ title: all[(i + 7) % all.length].slice(0, 30), body }))])

const engines: [string, ReturnType<typeof compileEngine>][] = [
  ["all packs", compileEngine(bundle, { packs: Object.fromEntries(bundle.packs.map((p) => [p.id, true])) })],
  ["default packs", compileEngine(bundle)]
]
for (const [group, notes] of groups) {
  for (const [name, engine] of engines) {
    for (const keepShadowed of [false, true]) {
      const hash = createHash("sha256")
      let count = 0
      for (const note of notes) {
        const findings = engine.check(note, { keepShadowed })
        count += findings.length
        hash.update(JSON.stringify(findings.map((f) => [f.ruleId, f.field, f.start, f.end, f.text, f.severity, f.category])) + "\n")
      }
      console.log(`${group} (${notes.length} notes), ${name}${keepShadowed ? ", keepShadowed" : ""}: ${count} findings ${hash.digest("hex").slice(0, 16)}`)
    }
  }
}
