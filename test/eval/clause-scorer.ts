/**
 * An experiment, not part of the product: would a learned clause scorer find what the rules miss on unseen notes?
 *
 *   node scripts/run-ts.mjs test/eval/clause-scorer.ts [testDir] [trainDir …]
 *
 * Trains a logistic regression over character 1–3-grams of clauses (split at punctuation and line breaks; digits
 * folded to 0) on the labelled notes of the training directories (default test/corpus): a clause is positive when it
 * overlaps a marked span. Then, on the test directory (default test/corpus-heldout), prints for a range of score
 * thresholds: span recall and clean-note alarms of the scorer alone, of the rules alone (every pack on, error and
 * warning findings, as `npm run eval` counts them), and of both together. Deterministic (seeded shuffle).
 */
import { join } from "node:path"

import { compileEngine } from "../../src/engine/engine"
import type { Field } from "../../src/engine/types"
import { buildBundle } from "../../src/rules/load"
import { readCorpusNotes, spanOf, type CorpusNote } from "./notes"

const [testDir = "test/corpus-heldout", ...trainArgs] = process.argv.slice(2)
const trainDirs = trainArgs.length ? trainArgs : ["test/corpus"]
const FIELDS: Field[] = ["title", "body"]

const CLAUSE_END = /[。！？!?\n；;，,～~…]+/g
function clauses(text: string): [number, number][] {
  const out: [number, number][] = []
  let from = 0
  for (const m of text.matchAll(CLAUSE_END)) {
    if (m.index! > from) out.push([from, m.index!])
    from = m.index! + m[0].length
  }
  if (from < text.length) out.push([from, text.length])
  return out
}

function features(clause: string): string[] {
  const s = clause.toLowerCase().replace(/[0-9０-９]/g, "0")
  const out = new Set<string>()
  for (let n = 1; n <= 3; n++) for (let i = 0; i + n <= s.length; i++) out.add(s.slice(i, i + n))
  return [...out]
}

// Training set: every clause of every training note, labelled by overlap with a marked span.
const examples: { features: string[]; positive: boolean }[] = []
for (const dir of trainDirs) {
  for (const note of readCorpusNotes(join(dir, "risky"))) {
    for (const field of FIELDS) {
      const spans = (note.expect ?? []).filter((e) => e.field === field).map((e) => spanOf(note, e))
      for (const [a, b] of clauses(note[field] ?? "")) {
        examples.push({ features: features(note[field].slice(a, b)), positive: spans.some(([s, e]) => s < b && e > a) })
      }
    }
  }
  for (const note of readCorpusNotes(join(dir, "clean"))) {
    for (const field of FIELDS) for (const [a, b] of clauses(note[field] ?? "")) examples.push({ features: features(note[field].slice(a, b)), positive: false })
  }
}

// Logistic regression by stochastic gradient descent, L2-regularised, seeded shuffle.
let seed = 1
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
const weights = new Map<string, number>()
let bias = 0
let rate = 0.2
for (let epoch = 0; epoch < 8; epoch++) {
  for (let i = examples.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[examples[i], examples[j]] = [examples[j], examples[i]]
  }
  for (const { features: fs, positive } of examples) {
    let z = bias
    for (const f of fs) z += weights.get(f) ?? 0
    const p = 1 / (1 + Math.exp(-Math.max(-30, Math.min(30, z))))
    const g = p - (positive ? 1 : 0)
    bias -= rate * g * 0.1
    for (const f of fs) {
      const w = weights.get(f) ?? 0
      weights.set(f, w - rate * (g + 1e-5 * w))
    }
  }
  rate *= 0.7
}
const score = (clause: string) => features(clause).reduce((z, f) => z + (weights.get(f) ?? 0), bias)

// Test set: the scorer's clause scores and the rules' findings per note.
const bundle = buildBundle("rules")
const engine = compileEngine(bundle, { packs: Object.fromEntries(bundle.packs.map((p) => [p.id, true])) })
const risky = readCorpusNotes(join(testDir, "risky"))
const clean = readCorpusNotes(join(testDir, "clean"))
type Scored = { field: Field; start: number; end: number; score: number }
const scored = (note: CorpusNote): Scored[] =>
  FIELDS.flatMap((field) => clauses(note[field] ?? "").map(([start, end]) => ({ field, start, end, score: score(note[field].slice(start, end)) })))

const spans = risky.flatMap((note) => {
  const findings = engine.check(note).filter((f) => f.severity !== "info")
  const clauseScores = scored(note)
  return (note.expect ?? []).map((e) => {
    const [start, end] = spanOf(note, e)
    const overlaps = (x: { field: Field; start: number; end: number }) => x.field === e.field && x.start < end && x.end > start
    return { byRules: findings.some(overlaps), best: Math.max(-Infinity, ...clauseScores.filter(overlaps).map((c) => c.score)) }
  })
})
const cleanNotes = clean.map((note) => ({
  byRules: engine.check(note).some((f) => f.severity !== "info"),
  best: Math.max(-Infinity, ...scored(note).map((c) => c.score)),
}))

const pct = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(1)} % (${n}/${d})`
console.log(`Clause scorer experiment: trained on ${trainDirs.join(", ")} (${examples.length} clauses, ${examples.filter((x) => x.positive).length} positive); tested on ${testDir} (${spans.length} spans, ${clean.length} clean notes)`)
console.log(`rules alone: recall ${pct(spans.filter((s) => s.byRules).length, spans.length)}, clean notes alarmed ${pct(cleanNotes.filter((n) => n.byRules).length, clean.length)}`)
console.log("threshold | scorer alone: recall, clean alarmed | rules + scorer: recall, clean alarmed")
for (const t of [0, 0.5, 1, 1.5, 2, 2.5, 3]) {
  const alone = [spans.filter((s) => s.best > t).length, cleanNotes.filter((n) => n.best > t).length]
  const both = [spans.filter((s) => s.byRules || s.best > t).length, cleanNotes.filter((n) => n.byRules || n.best > t).length]
  console.log(`${t.toFixed(1).padStart(9)} | ${pct(alone[0], spans.length)}, ${pct(alone[1], clean.length)} | ${pct(both[0], spans.length)}, ${pct(both[1], clean.length)}`)
}

// The other way round: the scorer as a veto on the rules — a finding stands only when a clause it overlaps scores
// above the threshold.
const vetoed = (note: CorpusNote, t: number) => {
  const clauseScores = scored(note)
  return engine
    .check(note)
    .filter((f) => f.severity !== "info")
    .filter((f) => clauseScores.some((c) => c.field === f.field && c.start < f.end && c.end > f.start && c.score > t))
}
console.log("threshold | rules vetoed by the scorer: recall, clean alarmed")
for (const t of [-6, -5, -4, -3, -2.5, -2, -1.5]) {
  let found = 0
  for (const note of risky) {
    const findings = vetoed(note, t)
    for (const e of note.expect ?? []) {
      const [start, end] = spanOf(note, e)
      if (findings.some((f) => f.field === e.field && f.start < end && f.end > start)) found++
    }
  }
  const alarmed = clean.filter((note) => vetoed(note, t).length > 0).length
  console.log(`${t.toFixed(1).padStart(9)} | ${pct(found, spans.length)}, ${pct(alarmed, clean.length)}`)
}
