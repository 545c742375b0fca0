/**
 * Variants of the clause model's detector, for choosing how scripts/train-model.ts trains it (not part of the build).
 * Trains a float detector without the validation batches (VAL) and prints, aggregates only:
 * - the model alone on the validation batches: span recall at the score where it alarms 1 % / 3 % of their clean notes;
 * - as an addition to the rules on a development set (DEV, e.g. a held-out directory): spans it adds and clean notes it
 *   newly alarms at the trainer's threshold rule, and the same at 1, 2, 4… added alarms;
 * - a gate experiment: warnings (of rules whose id starts with one of GATE, all if empty) kept only where the detector
 *   scores their clause at least v; what that does to DEV's alarms and to DEV's and VAL's recall.
 *   node scripts/run-ts.mjs scripts/model-variants.ts
 * env: NGRAM (own n-gram size, 3) CTX (context sides: 1 before, 2 after, 3 both; 3) CTXN (context n-gram size, 2)
 *      CTXW (context clauses per side, 2) NOTE (the note's other clauses' 1-grams, 0) EPOCHS RATE L2 BITS POSW
 *      FRACTION (share of the fitting batches kept) VAL=zm,zn,… DEV=test/corpus-heldout GATE=rule-prefix-or-category[:bar],…
 *      GATE_EACH=category,… (each gated alone, on top of GATE's bars) VS=bar,bar,… EXAMPLES (the rules' examples, 1)
 *      GATE_ERRORS MLP=hidden-width (a non-linear detector)
 * Results are printed, not asserted: what was chosen and why is in train-model.ts's comments and the README.
 */
import { join } from "node:path"

import { compileEngine } from "../src/engine/engine"
import { forEachGram, GRAM_SEEDS } from "../src/engine/model"
import { buildT2sTable, type T2sTable } from "../src/engine/normalize"
import type { Field, Note } from "../src/engine/types"
import { buildBundle, loadPackFiles } from "../src/rules/load"
import { readCorpusNotes, spanOf, type CorpusNote } from "../test/eval/notes"
import { exampleNotes, noteClauses, overlappedCategories, seededRandom, shuffle, type NoteClause } from "./model-clauses"

const env = (k: string, d: string) => process.env[k] ?? d
const num = (k: string, d: number) => Number(env(k, String(d)))
const [NGRAM, CTX, CTXN, CTXW, NOTE] = [num("NGRAM", 3), num("CTX", 3), num("CTXN", 2), num("CTXW", 2), num("NOTE", 0)]
const [EPOCHS, RATE, L2, BITS, FRACTION, POSW] = [num("EPOCHS", 8), num("RATE", 0.05), num("L2", 1e-4), num("BITS", 19), num("FRACTION", 1), num("POSW", 1)]
const VAL = new Set(env("VAL", "zm,zn,zo,zp,zq,zr").split(","))
const DEV = env("DEV", "")
/** GATE_ERRORS=1: the gate applies to the gated rules' errors too (softening never does). */
const GATE_ERRORS = num("GATE_ERRORS", 0)
const MASK = (1 << BITS) - 1
/** The seed of the NOTE features (any clause of the note but the scored one). */
const NOTE_SEED = 0x3333

/** Pushes the 1- to n-grams of text[from, to) hashed from `seed`: the model's own hashing (forEachGram). */
function grams(text: string, from: number, to: number, seed: number, n: number, out: number[]): void {
  forEachGram(text, from, to, seed, n, MASK, (bucket) => out.push(bucket))
}

interface FeaturedClause extends NoteClause {
  features: Int32Array
}

/** The note's clauses with this run's detector features (own n-grams, context, extras as the env asks). */
function featuredClauses(note: CorpusNote, t2s: T2sTable): FeaturedClause[] {
  return noteClauses(note, t2s).map((c) => {
    const { text, bounds, index: k } = c
    const count = bounds.length / 2
    const f: number[] = []
    grams(text, c.from, c.to, GRAM_SEEDS.own, NGRAM, f)
    if (CTX) {
      for (let d = 1; d <= CTXW; d++) {
        if (k - d >= 0 && CTX & 1) grams(text, bounds[2 * (k - d)], bounds[2 * (k - d) + 1], GRAM_SEEDS.before, CTXN, f)
        if (k + d < count && CTX & 2) grams(text, bounds[2 * (k + d)], bounds[2 * (k + d) + 1], GRAM_SEEDS.after, CTXN, f)
      }
    }
    if (NOTE) for (let j = 0; j < count; j++) if (j !== k) grams(text, bounds[2 * j], bounds[2 * j + 1], NOTE_SEED, 1, f)
    return { ...c, features: Int32Array.from(f) }
  })
}

interface Item {
  note: CorpusNote
  clauses: FeaturedClause[]
  labels: number[]
}

/** 1 for a clause overlapping a marked span, else 0. */
function label(note: CorpusNote, clauses: FeaturedClause[]): number[] {
  return overlappedCategories(note, clauses).map((categories) => (categories.length > 0 ? 1 : 0))
}

function train(items: Item[]): { w: Float32Array; b: number } {
  const random = seededRandom()
  const w = new Float32Array(1 << BITS)
  let b = 0
  const ex = items.flatMap((it) => it.clauses.map((c, k) => ({ f: c.features, y: it.labels[k] })))
  const order = ex.map((_, i) => i)
  let rate = RATE
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    shuffle(order, random)
    for (const idx of order) {
      const { f, y } = ex[idx]
      let z = b
      for (const x of f) z += w[x]
      const p = 1 / (1 + Math.exp(-Math.max(-30, Math.min(30, z))))
      const g = (p - y) * (y ? POSW : 1)
      b -= rate * g * 0.1
      for (const x of f) w[x] -= rate * (g + L2 * w[x])
    }
    rate *= 0.7
  }
  return { w, b }
}

const score = (m: { w: Float32Array; b: number; mlp?: Mlp }, c: FeaturedClause) => {
  if (m.mlp) return mlpScore(m.mlp, c.features)
  let z = m.b
  for (const x of c.features) z += m.w[x]
  return z
}

/**
 * MLP=h: a non-linear detector instead, for comparison: each bucket an h-wide embedding, summed over the clause's
 * features, through a ReLU layer, to one logit (the same features, the same SGD schedule).
 */
const MLP = num("MLP", 0)
interface Mlp {
  e: Float32Array
  b1: Float32Array
  w2: Float32Array
  b2: number
  h: Float32Array
}
function mlpScore(m: Mlp, f: Int32Array): number {
  const H = MLP
  m.h.set(m.b1)
  for (const x of f) for (let j = 0; j < H; j++) m.h[j] += m.e[x * H + j]
  let z = m.b2
  for (let j = 0; j < H; j++) if (m.h[j] > 0) z += m.w2[j] * m.h[j]
  return z
}
function trainMlp(items: Item[]): Mlp {
  const H = MLP
  const random = seededRandom()
  const m: Mlp = { e: new Float32Array((1 << BITS) * H), b1: new Float32Array(H), w2: new Float32Array(H), b2: -2, h: new Float32Array(H) }
  for (let j = 0; j < H; j++) {
    m.w2[j] = (random() - 0.5) * 0.5
    m.b1[j] = 0.1
  }
  for (let i = 0; i < m.e.length; i++) m.e[i] = (random() - 0.5) * 0.02
  const ex = items.flatMap((it) => it.clauses.map((c, k) => ({ f: c.features, y: it.labels[k] })))
  const order = ex.map((_, i) => i)
  let rate = RATE
  const gh = new Float32Array(H)
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    shuffle(order, random)
    for (const idx of order) {
      const { f, y } = ex[idx]
      const z = mlpScore(m, f)
      const g = 1 / (1 + Math.exp(-Math.max(-30, Math.min(30, z)))) - y
      for (let j = 0; j < H; j++) {
        gh[j] = m.h[j] > 0 ? g * m.w2[j] : 0
        if (m.h[j] > 0) m.w2[j] -= rate * 0.1 * g * m.h[j]
        m.b1[j] -= rate * 0.1 * gh[j]
      }
      m.b2 -= rate * 0.1 * g
      for (const x of f) for (let j = 0; j < H; j++) m.e[x * H + j] -= rate * (gh[j] + L2 * m.e[x * H + j])
    }
    rate *= 0.7
  }
  return m
}

const bundle = buildBundle("rules", { withModel: false })
const t2s = buildT2sTable(bundle.t2s)
const engine = compileEngine(bundle, { packs: Object.fromEntries(bundle.packs.map((p) => [p.id, true])) })
const load = (dir: string) =>
  ["risky", "clean"].flatMap((half) => readCorpusNotes(join(dir, half))).map((note) => {
    const clauses = featuredClauses(note, t2s)
    return { note, clauses, labels: label(note, clauses) }
  })
const t0 = Date.now()
const corpus = load("test/corpus")
let fitting = corpus.filter((it) => !VAL.has(it.note.batch))
if (FRACTION < 1) {
  const batches = [...new Set(fitting.map((it) => it.note.batch))].sort()
  const keep = new Set(batches.filter((_, i) => (i * 7919) % 100 < FRACTION * 100))
  fitting = fitting.filter((it) => keep.has(it.note.batch))
}
// EXAMPLES=0: without the rules' own examples (exampleNotes), which the trainer fits on too.
if (num("EXAMPLES", 1)) {
  const examples = exampleNotes(engine, loadPackFiles("rules"))
  for (const note of examples) {
    const clauses = featuredClauses(note, t2s)
    fitting.push({ note, clauses, labels: label(note, clauses) })
  }
  console.log(`examples: ${examples.filter((n) => n.expect).length} bad and ${examples.filter((n) => !n.expect).length} good joined the fitting notes`)
}
const validation = corpus.filter((it) => VAL.has(it.note.batch))
const model = MLP ? { w: new Float32Array(0), b: 0, mlp: trainMlp(fitting) } : train(fitting)

// Model alone on validation: recall at 1 % / 3 % clean-note alarms.
const vClean = validation.filter((it) => !it.note.expect)
const cleanMax = vClean.map((it) => Math.max(-Infinity, ...it.clauses.map((c) => score(model, c)))).sort((a, b) => b - a)
const spanScores = validation
  .filter((it) => it.note.expect)
  .flatMap((it) =>
    it.note.expect!.map((e) => {
      const [a, z] = spanOf(it.note, e)
      return Math.max(-Infinity, ...it.clauses.filter((c) => c.field === e.field && c.start < z && c.end > a).map((c) => score(model, c)))
    })
  )
const at = (q: number) => {
  const t = cleanMax[Math.floor(q * cleanMax.length)]
  return ((100 * spanScores.filter((x) => x > t).length) / spanScores.length).toFixed(1)
}

// As an addition to the rules: threshold = lowest adding alarms to ≤ 0.5 % of validation clean notes (uncovered clauses).
const uncoveredBest = (it: Item) => {
  const findings = engine.check(it.note as Note)
  let best = -Infinity
  for (const c of it.clauses) {
    if (findings.some((f) => f.field === c.field && f.start < c.end && f.end > c.start)) continue
    best = Math.max(best, score(model, c))
  }
  return best
}
const vBest = vClean.map(uncoveredBest)
const threshold = Array.from({ length: 200 }, (_, i) => i * 0.05).find((t) => vBest.filter((s) => s > t).length <= 0.005 * vClean.length) ?? 10
const dev = DEV ? load(DEV).filter((it) => !/^c\d$/.test(it.note.batch)) : []
let spans = 0
let ruleFound = 0
let added = 0
for (const it of dev.filter((x) => x.note.expect)) {
  const findings = engine.check(it.note as Note).filter((f) => f.severity !== "info")
  for (const e of it.note.expect!) {
    const [a, z] = spanOf(it.note, e)
    spans++
    if (findings.some((f) => f.field === e.field && f.start < z && f.end > a)) ruleFound++
    else if (it.clauses.some((c) => c.field === e.field && c.start < z && c.end > a && !findings.some((f) => f.field === c.field && f.start < c.end && f.end > c.start) && score(model, c) > threshold)) added++
  }
}
const devClean = dev.filter((x) => !x.note.expect)
const addedAlarms = devClean.filter((it) => {
  const findings = engine.check(it.note as Note).filter((f) => f.severity !== "info")
  return findings.length === 0 && uncoveredBest(it) > threshold
}).length
console.log(
  `NGRAM=${NGRAM} CTX=${CTX} CTXN=${CTXN} CTXW=${CTXW} NOTE=${NOTE} EPOCHS=${EPOCHS} RATE=${RATE} L2=${L2} BITS=${BITS} FRACTION=${FRACTION} POSW=${POSW} | fit ${fitting.length} notes | ` +
    `alone@1% ${at(0.01)} @3% ${at(0.03)} | thr ${threshold.toFixed(2)} dev: rules ${ruleFound}/${spans} +model ${added} spans, +${addedAlarms}/${devClean.length} alarms | ${((Date.now() - t0) / 1000).toFixed(0)} s`
)

// Residual curve on dev: spans the rules miss that the model finds, against clean dev notes the model would newly alarm.
{
  const residual: number[] = []
  for (const it of dev.filter((x) => x.note.expect)) {
    const findings = engine.check(it.note as Note).filter((f) => f.severity !== "info")
    for (const e of it.note.expect!) {
      const [a, z] = spanOf(it.note, e)
      if (findings.some((f) => f.field === e.field && f.start < z && f.end > a)) continue
      residual.push(Math.max(-Infinity, ...it.clauses.filter((c) => c.field === e.field && c.start < z && c.end > a && !findings.some((f) => f.field === c.field && f.start < c.end && f.end > c.start)).map((c) => score(model, c))))
    }
  }
  const quiet = devClean.filter((it) => engine.check(it.note as Note).every((f) => f.severity === "info")).map(uncoveredBest).sort((a, b) => b - a)
  const parts = [1, 2, 4, 8, 12, 20].map((k) => {
    const t = quiet[k - 1] ?? -Infinity
    return `+${k} alarms: ${residual.filter((x) => x > t).length}`
  })
  if (DEV) console.log(`  residual ${residual.length} spans; ${parts.join(", ")}`)
}

// Gate: warnings of the gated rules kept only where the detector scores their clause at least v. On VAL (the model did
// not see them; rules written from them would make this meaningless) and on DEV: spans found and clean notes alarmed.
{
  const clauseScore = (it: Item, f: { field: Field; start: number; end: number }) =>
    Math.max(-Infinity, ...it.clauses.filter((c) => c.field === f.field && c.start < f.end && c.end > f.start).map((c) => score(model, c)))
  // GATE entries: a rule-id prefix or a category, optionally with its own bar (`absolute-claim/:-3`).
  const gate = (process.env.GATE ?? "").split(",").filter(Boolean).map((g) => {
    const [prefix, bar] = g.split(":")
    return { prefix, bar: bar === undefined ? null : Number(bar) }
  })
  const barOf = (f: { ruleId: string; category: string }, v: number): number | null => {
    if (gate.length === 0) return v
    const g = gate.find((x) => f.ruleId.startsWith(x.prefix) || f.category === x.prefix)
    return g === undefined ? null : (g.bar ?? v)
  }
  const measure = (items: Item[], v: number) => {
    const keep = (it: Item, f: { ruleId: string; category: string; severity: string; field: Field; start: number; end: number }) => {
      const bar = barOf(f, v)
      if (f.severity === "error" && !GATE_ERRORS) return true
      return f.severity !== "info" && (bar === null || clauseScore(it, f) >= bar)
    }
    let found = 0
    let total = 0
    let alarmed = 0
    let clean = 0
    for (const it of items) {
      const findings = engine.check(it.note as Note).filter((f) => keep(it, f))
      if (!it.note.expect) {
        clean++
        if (findings.length) alarmed++
        continue
      }
      for (const e of it.note.expect) {
        const [a, z] = spanOf(it.note, e)
        total++
        if (findings.some((f) => f.field === e.field && f.start < z && f.end > a)) found++
      }
    }
    return `${found}/${total} spans, ${alarmed}/${clean} clean alarmed`
  }
  // GATE_EACH=a,b,…: the same grid for each entry gated alone (after GATE's fixed bars, if any).
  const fixed = [...gate]
  for (const each of (process.env.GATE_EACH ?? "").split(",").filter(Boolean).concat(process.env.GATE_EACH ? [] : [""])) {
    gate.length = 0
    gate.push(...fixed)
    if (each) gate.push({ prefix: each, bar: null })
    const name = [process.env.GATE, each].filter(Boolean).join(" + ") || "all"
    for (const v of (process.env.VS ?? "-Infinity,-2,-1,0,1").split(",").map(Number)) console.log(`  gate ${name} v ${v}: val ${measure(validation, v)}` + (DEV ? `; dev ${measure(dev, v)}` : ""))
  }
}
