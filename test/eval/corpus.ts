/**
 * `npm run eval`: measures the rules on the labelled corpus (test/corpus/, or a directory given as argument), every
 * pack on. Span recall on risky notes (a marked span counts as found when an error or warning finding overlaps it),
 * the share of clean notes with any error or warning finding, and every miss and false alarm by rule.
 * Exits 1 below the targets (recall ≥ 95 %, clean false alarms ≤ 2 %), so CI fails on a regression.
 *   npm run eval [dir] [--off pack,pack…]   (e.g. `--off learned`: the rules alone, without the clause model)
 */
import { join } from "node:path"

import { compileEngine } from "../../src/engine/engine"
import type { Finding } from "../../src/engine/types"
import { buildBundle } from "../../src/rules/load"
import { readCorpusNotes, spanOf, type CorpusNote } from "./notes"

const args = process.argv.slice(2)
const offAt = args.indexOf("--off")
const off = offAt >= 0 ? (args.splice(offAt, 2)[1] ?? "").split(",").filter(Boolean) : []
const corpusDir = args[0] ?? "test/corpus"
const RECALL_TARGET = 0.95
const FALSE_ALARM_TARGET = 0.02

const bundle = buildBundle("rules")
for (const id of off) {
  if (!bundle.packs.some((p) => p.id === id)) {
    console.error(`--off: no pack "${id}" (packs: ${bundle.packs.map((p) => p.id).join(", ")})`)
    process.exit(2)
  }
}
const engine = compileEngine(bundle, { packs: Object.fromEntries(bundle.packs.map((p) => [p.id, !off.includes(p.id)])) })
const flags = (f: Finding) => f.severity !== "info"

const risky = readCorpusNotes(join(corpusDir, "risky"))
const clean = readCorpusNotes(join(corpusDir, "clean"))

let spans = 0
let found = 0
const byCategory = new Map<string, { spans: number; found: number }>()
const byBatch = new Map<string, { spans: number; found: number; clean: number; flagged: number }>()
const batchOf = (note: CorpusNote) => {
  const b = byBatch.get(note.batch) ?? { spans: 0, found: 0, clean: 0, flagged: 0 }
  byBatch.set(note.batch, b)
  return b
}
const misses: string[] = []
for (const note of risky) {
  const findings = engine.check(note).filter(flags)
  for (const e of note.expect ?? []) {
    const field = note[e.field]
    const [start, end] = spanOf(note, e)
    const hit = findings.some((f) => f.field === e.field && f.start < end && f.end > start)
    spans++
    const c = byCategory.get(e.category) ?? { spans: 0, found: 0 }
    const b = batchOf(note)
    c.spans++
    b.spans++
    if (hit) {
      found++
      c.found++
      b.found++
    } else {
      const context = field.slice(Math.max(0, start - 12), end + 12).replace(/\n/g, " ")
      misses.push(`  ${note.id.padEnd(22)} ${e.category.padEnd(18)} 「${e.text}」  …${context}…`)
    }
    byCategory.set(e.category, c)
  }
}

const falseAlarms = new Map<string, string[]>()
let cleanFlagged = 0
for (const note of clean) {
  const findings = engine.check(note).filter(flags)
  const b = batchOf(note)
  b.clean++
  if (findings.length) {
    cleanFlagged++
    b.flagged++
  }
  for (const f of findings) {
    const list = falseAlarms.get(f.ruleId) ?? []
    list.push(`${note.id} 「${f.text}」 (${f.severity})`)
    falseAlarms.set(f.ruleId, list)
  }
}

const recall = spans ? found / spans : 0
const falseAlarmRate = clean.length ? cleanFlagged / clean.length : 0
const pct = (x: number) => (x * 100).toFixed(1) + " %"
console.log(`Redline corpus evaluation — ${corpusDir}: ${risky.length} risky notes (${spans} marked spans), ${clean.length} clean notes; ${off.length ? `every pack on but ${off.join(", ")}` : "every pack on"}`)
console.log("")
console.log(`span recall (error/warning findings):   ${pct(recall)}  (${found}/${spans}; target ≥ ${pct(RECALL_TARGET)})`)
console.log(`clean notes with an error/warning:      ${pct(falseAlarmRate)}  (${cleanFlagged}/${clean.length}; target ≤ ${pct(FALSE_ALARM_TARGET)})`)
console.log("")
console.log("recall by category:")
for (const [category, c] of [...byCategory].sort()) console.log(`  ${category.padEnd(20)} ${pct(c.found / c.spans).padStart(8)}  (${c.found}/${c.spans})`)
if (byBatch.size > 1) {
  console.log("")
  console.log("by batch (file-name suffix; a = none):   recall                 clean notes alarmed")
  for (const [batch, b] of [...byBatch].sort()) {
    const r = `${pct(b.spans ? b.found / b.spans : 1)} (${b.found}/${b.spans})`
    console.log(`  ${batch.padEnd(40)}${r.padEnd(24)} ${pct(b.clean ? b.flagged / b.clean : 0)} (${b.flagged}/${b.clean})`)
  }
}
console.log("")
console.log(`misses (${misses.length}):`)
console.log(misses.join("\n") || "  none")
console.log("")
console.log(`false alarms on clean notes, by rule (${[...falseAlarms.values()].reduce((n, l) => n + l.length, 0)}):`)
if (falseAlarms.size === 0) console.log("  none")
for (const [rule, list] of [...falseAlarms].sort((a, b) => b[1].length - a[1].length)) {
  console.log(`  ${rule} (${list.length})`)
  for (const item of list) console.log(`    ${item}`)
}
if (recall < RECALL_TARGET || falseAlarmRate > FALSE_ALARM_TARGET) {
  console.log("\nFAIL: below target")
  process.exitCode = 1
} else console.log("\nOK: targets met")
