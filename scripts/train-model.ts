/**
 * Trains the clause model (src/engine/model.ts) on the labelled corpus and the rules' own examples, and writes
 * rules/model.json:
 *   node scripts/run-ts.mjs scripts/train-model.ts [corpusDir] [out]      (npm run train)
 *
 * A clause is positive for the detector when it overlaps a marked span of a risky note, and positive for each
 * category of the spans it overlaps; clauses of clean notes are negative. Logistic regression by stochastic gradient
 * descent (seeded shuffle, so the same corpus gives the same model), the detector on every clause, the category
 * outputs on the positive clauses only.
 *
 * The threshold is chosen on the corpus itself, never on test/corpus-heldout: a first model is trained without the
 * validation batches (VALIDATION) and the threshold is the lowest at which the clauses it would report on their clean
 * notes — clauses no rule finding overlaps, as in the engine — alarm at most MAX_ADDED_ALARMS of those notes. Then the
 * model is trained again on every batch and written with that threshold. Both steps' figures are printed.
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"

import { compileEngine } from "../src/engine/engine"
import { detectorScores, encode, forEachDetectorFeature, forEachFeature, loadModel, type ClauseModel, type ModelData } from "../src/engine/model"
import { buildT2sTable, type T2sTable } from "../src/engine/normalize"
import { CATEGORIES, type Category, type Note } from "../src/engine/types"
import { buildBundle, loadPackFiles } from "../src/rules/load"
import { corpusDigest, readCorpusNotes, spanOf, type CorpusNote } from "../test/eval/notes"
import { exampleNotes, noteClauses, overlappedCategories, seededRandom, shuffle, type NoteClause } from "./model-clauses"

const [corpusDir = "test/corpus", out = "rules/model.json"] = process.argv.slice(2)
/**
 * The batches held back to choose the threshold: the 36 most recent by authors with the ordinary brief, YA–YF, WA–WF,
 * VA–VF, UA–UF, TA–TF and the clean-only C5–C12 (written 27 November 2026, 12:30–16:05 UTC): 3,380 clean notes, so that
 * the threshold's 0.5 % is 17 notes rather than 4.
 */
const VALIDATION = new Set(
  ["y", "w", "v", "u", "t"].flatMap((letter) => ["a", "b", "c", "d", "e", "f"].map((k) => letter + k)).concat(["c5", "c6", "c7", "c8", "c9", "c10", "c11", "c12"])
)
const MAX_ADDED_ALARMS = 0.005
const EPOCHS = 8
/**
 * log2 of the number of hash buckets: 2^19 int8 detector weights (512 KB), read for every clause of every note. Chosen
 * on the validation batches: 2^16 / 2^18 / 2^19 / 2^20 buckets found 46 / 61 / 66 / 64 % of their spans (model alone,
 * at 1 % clean alarms); 2^18 and 2^19 score a note equally fast.
 */
const BITS = 19
const MASK = (1 << BITS) - 1
/**
 * Clauses on each side the detector reads as context. Chosen with scripts/model-variants.ts on validation batches
 * (model alone, span recall at 1 % / 3 % of their clean notes alarmed), ZM–ZR and ZG–ZL each held out in turn: none
 * 46 / 67 and 61 / 79 %, one 62 / 79 and 77 / 83 %, two 71 / 83 and 77 / 85 %, three 74 / 82 and 75 / 87 %.
 */
const CONTEXT = 2
/*
 * Tried and not kept (scripts/model-variants.ts MLP, validation YA–YF, WA–WF, C5, C6, rule examples in): a non-linear
 * detector, an 8- or 16-wide ReLU layer over the same hashed features' embeddings, found 79.0–83.1 % of spans at 1 % of
 * clean notes alarmed and 86.7–90.2 % at 3 % across learning rates, against 84.3 / 88.8 % for this linear one — no gain
 * for 8–16 times the weights and the per-keystroke work.
 */
/**
 * Softening (see ModelData.soften): per pack, the score below which the model turns its warnings into info. Chosen
 * with scripts/model-variants.ts (GATE, GATE_EACH, VS), with a model trained without the validation batches, on batches
 * no rule had been written from, by the rule: one more spared clean note is worth at most as many spans as weigh the
 * same percentage points of the two targets.
 * - After pass 16, on ZS–ZX and XA–XP (1,540 clean notes alarmed 62 times, 4,084 spans, ~2.7 spans per note):
 *   absolute-claim at -3 (spares 16 notes for 9 spans; -4: 14 for 5; -2: 18 for 23), false-marketing at -4 (9 for 18;
 *   -3: 11 for 32). Qualification (-3: 2 for 8), low quality (1 for 28 at -4) and the other packs spared almost none.
 * - After pass 17, on YA–YF, WA–WF, C5 and C6 (1,160 clean notes alarmed 45 times, 2,310 spans, ~2 spans per note):
 *   absolute-claim -3 spares 9 notes for 3 spans (-2: 10 for 13), false-marketing -4 10 for 4 (-5: 9 for 0; -3: 11
 *   for 13); and now qualification at -5 (3 for 1; -6: 3 for 0; -3: 4 for 3), ad-disclosure at -5 (4 for 0; -2: 4 for
 *   4) and finance at -4 (1 for 0 at any bar up to 0). Trade diversion, prohibited services, medical, beauty,
 *   education and real estate spare none; low quality costs 24 spans at -6 and spares none.
 *   Together: 45 → 19 alarmed notes for 8 spans (the first two alone: 45 → 26 for 7).
 * - After pass 18, on VA–VF, UA–UF, TA–TF and C7–C12 (2,220 clean notes, 3,022 spans; model trained without them):
 *   with the five bars above, the rules' warnings alarm 36 notes for 2,777 spans; softening trade-diversion warnings
 *   (私聊, 看简介, 挂闲鱼 — never its errors: contact details, QR codes, named destinations) at -3 spares 5 for 3 spans
 *   (-4: 2 for 1; -2: 5 for 5). Raising the others' bars did not pay: absolute-claim -2 spares 4 more for 8 spans,
 *   false-marketing -3 2 for 5, qualification -3 1 for 5, ad-disclosure -3 1 for 0, finance none; prohibited
 *   services, medical, beauty, education, real estate and low quality still spare none.
 * - Errors stay errors. Tried there (GATE_ERRORS, with the examples-trained model): softening trade-diversion errors
 *   too would spare 2 notes for 1 span at −3, prohibited services 1 for 1 at −6 — not worth hiding a real contact
 *   detail or an illegal service, the findings a creator can least afford to miss.
 */
const SOFTEN: Record<string, number> = { "absolute-claim": -3, "false-marketing": -4, qualification: -5, "ad-disclosure": -5, finance: -4, "trade-diversion": -3 }
/** Buckets whose category weights are kept in the written model, the strongest first. */
const MAX_FEATURES = 20000
/** The category outputs: every category but `format` (note-level limits, not phrasing). */
const MODEL_CATEGORIES: Category[] = CATEGORIES.filter((c) => c !== "format")
const OUTPUTS = 1 + MODEL_CATEGORIES.length
/** L2 regularisation; with the first learning rate (0.05, × 0.7 each epoch) chosen by the validation batches' model-alone recall. */
const L2 = 1e-4

interface Clause {
  /** The detector's features (the clause's n-grams and its neighbours'), and the categories' (the clause's own). */
  features: Int32Array
  own: Int32Array
  /** Bit 0: risky; bit 1 + k: a span of MODEL_CATEGORIES[k]. */
  labels: number
}
interface NoteClauses {
  note: CorpusNote
  clauses: Clause[]
}

function ownFeatures(text: string, from: number, to: number): Int32Array {
  const list: number[] = []
  forEachFeature(text, from, to, MASK, (bucket) => list.push(bucket))
  return Int32Array.from(list)
}

function detectorFeatures(text: string, bounds: number[], k: number): Int32Array {
  const list: number[] = []
  forEachDetectorFeature(text, bounds, k, CONTEXT, MASK, (bucket) => list.push(bucket))
  return Int32Array.from(list)
}

function clausesOf(note: CorpusNote, t2s: T2sTable): Clause[] {
  const clauses = noteClauses(note, t2s)
  const overlapped = overlappedCategories(note, clauses)
  return clauses.map(({ text, from, to, bounds, index }, n) => {
    let labels = 0
    for (const category of overlapped[n]) {
      labels |= 1
      const k = MODEL_CATEGORIES.indexOf(category)
      if (k >= 0) labels |= 1 << (1 + k)
    }
    return { features: detectorFeatures(text, bounds, index), own: ownFeatures(text, from, to), labels }
  })
}

interface Trained {
  weights: Map<number, Float32Array>
  bias: Float32Array
}

function train(examples: Clause[]): Trained {
  const random = seededRandom()
  const weights = new Map<number, Float32Array>()
  const bias = new Float32Array(OUTPUTS)
  const order = examples.map((_, i) => i)
  let rate = 0.05
  const z = new Float32Array(OUTPUTS)
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    shuffle(order, random)
    for (const index of order) {
      const { features, own, labels } = examples[index]
      // The category outputs learn from risky clauses only: which kind of risk, given that there is one. The detector
      // reads the clause and its context; the categories the clause alone.
      const outputs = labels & 1 ? OUTPUTS : 1
      for (let o = 0; o < outputs; o++) {
        const input = o === 0 ? features : own
        z[o] = bias[o]
        for (const f of input) z[o] += weights.get(f)?.[o] ?? 0
      }
      for (let o = 0; o < outputs; o++) {
        const input = o === 0 ? features : own
        const p = 1 / (1 + Math.exp(-Math.max(-30, Math.min(30, z[o]))))
        const g = p - ((labels >> o) & 1)
        bias[o] -= rate * g * 0.1
        for (const f of input) {
          let w = weights.get(f)
          if (!w) weights.set(f, (w = new Float32Array(OUTPUTS)))
          w[o] -= rate * (g + L2 * w[o])
        }
      }
    }
    rate *= 0.7
  }
  return { weights, bias }
}

/** The model as stored in rules/model.json: every bucket's detector weight, the strongest buckets' category weights, int8-quantised per output. */
function toData(trained: Trained, threshold: number, trainedOn: string): ModelData {
  const all = [...trained.weights.entries()]
  const scale = Array.from({ length: OUTPUTS }, (_, o) => all.reduce((m, [, w]) => Math.max(m, Math.abs(w[o])), 1e-6) / 127)
  const quantise = (x: number, o: number) => Math.max(-127, Math.min(127, Math.round(x / scale[o])))
  const detector = new Int8Array(1 << BITS)
  for (const [bucket, w] of all) detector[bucket] = quantise(w[0], 0)
  const strength = (w: Float32Array) => w.reduce((m, x, o) => (o === 0 ? m : Math.max(m, Math.abs(x))), 0)
  const kept = all.sort((a, b) => strength(b[1]) - strength(a[1]) || a[0] - b[0]).slice(0, MAX_FEATURES)
  kept.sort((a, b) => a[0] - b[0])
  const keys = Int32Array.from(kept.map(([k]) => k))
  const weights = new Int8Array(kept.length * (OUTPUTS - 1))
  kept.forEach(([, w], k) => {
    for (let o = 1; o < OUTPUTS; o++) weights[k * (OUTPUTS - 1) + o - 1] = quantise(w[o], o)
  })
  return {
    version: 2,
    trainedOn,
    categories: MODEL_CATEGORIES,
    threshold,
    context: CONTEXT,
    soften: SOFTEN,
    bits: BITS,
    bias: Array.from(trained.bias, (b) => Number(b.toFixed(6))),
    scale: scale.map((s) => Number(s.toPrecision(8))),
    detector: encode(new Uint8Array(detector.buffer)),
    keys: encode(new Uint8Array(keys.buffer)),
    weights: encode(new Uint8Array(weights.buffer))
  }
}

/** The detector's score of each of the note's clauses (in noteClauses' order), as the engine computes them. */
function clauseScores(model: ClauseModel, clauses: NoteClause[]): number[] {
  const out: number[] = []
  for (let k = 0; k < clauses.length; ) {
    const { bounds, text } = clauses[k]
    const count = bounds.length / 2
    const scores = new Float64Array(count)
    detectorScores(model, text, Int32Array.from(bounds), count, new Float64Array(3 * count), scores)
    out.push(...scores)
    k += count
  }
  return out
}

/** Per note, the best detector score among the clauses no rule finding overlaps (what the engine would report). */
function bestUncovered(data: ModelData, t2s: T2sTable, notes: CorpusNote[], engine: ReturnType<typeof compileEngine>): number[] {
  const model = loadModel(data)
  return notes.map((note) => {
    const findings = engine.check(note as Note)
    let best = -Infinity
    const clauses = noteClauses(note, t2s)
    const scores = clauseScores(model, clauses)
    clauses.forEach((c, k) => {
      if (!findings.some((f) => f.field === c.field && f.start < c.end && f.end > c.start)) best = Math.max(best, scores[k])
    })
    return best
  })
}

const bundle = buildBundle("rules", { withModel: false })
const t2s = buildT2sTable(bundle.t2s)
// The rules alone (the bundle has no model, so the learned rules report nothing): the threshold is about what the
// model adds to them.
const engine = compileEngine(bundle, { packs: Object.fromEntries(bundle.packs.map((p) => [p.id, true])) })
const corpusNotes = ["risky", "clean"].flatMap((half) => readCorpusNotes(join(corpusDir, half)))
// The rules' own bad and good examples join the corpus (never as validation): the innocent neighbours their writers
// wrote next to each term teach the detector what the rules' words look like when they are harmless. Chosen with
// scripts/model-variants.ts (EXAMPLES) on YA–YF, WA–WF, C5, C6: model alone 87.6 → 89.5 % of spans at 3 % of clean
// notes alarmed (82.3 → 82.5 % at 1 %); softening all five packs at −2 spares the same notes for 18 fewer spans lost.
const examples = exampleNotes(engine, loadPackFiles("rules"))
const notes: NoteClauses[] = [...corpusNotes, ...examples].map((note) => ({ note, clauses: clausesOf(note, t2s) }))
const isValidation = (n: NoteClauses) => VALIDATION.has(n.note.batch)
const count = (xs: NoteClauses[]) => xs.reduce((s, n) => s + n.clauses.length, 0)

// 1. The threshold, on the validation batches.
const fitting = notes.filter((n) => !isValidation(n))
const validation = notes.filter(isValidation)
const first = toData(train(fitting.flatMap((n) => n.clauses)), 0, "")
const validationClean = validation.filter((n) => !n.note.expect).map((n) => n.note)
const cleanBest = bestUncovered(first, t2s, validationClean, engine)
const grid = Array.from({ length: 33 }, (_, i) => i * 0.25)
const found = grid.find((t) => cleanBest.filter((s) => s > t).length <= MAX_ADDED_ALARMS * validationClean.length)
if (found === undefined) console.log(`no threshold up to ${grid[grid.length - 1]} keeps the added alarms within ${MAX_ADDED_ALARMS * 100} %: using the highest`)
const threshold = found ?? grid[grid.length - 1]
console.log(`validation: trained on ${count(fitting)} clauses of ${fitting.length} notes; ${validationClean.length} clean notes of batches ${[...VALIDATION].join(", ")}`)
for (const t of [0, 0.5, 1, 1.5, 2, 2.5, 3]) {
  console.log(`  threshold ${t.toFixed(2)}: clean notes the model would add an alarm to ${cleanBest.filter((s) => s > t).length}/${validationClean.length}`)
}
console.log(`threshold: ${threshold} (the lowest adding alarms to at most ${MAX_ADDED_ALARMS * 100} % of those clean notes)`)
// The model alone on the validation batches (rules aside), to compare ways of training: span recall at the threshold
// where it alarms 1 % of their clean notes.
{
  const model = loadModel(first)
  const noteScores = (note: CorpusNote) => {
    const clauses = noteClauses(note, t2s)
    const scores = clauseScores(model, clauses)
    return clauses.map((c, k) => ({ ...c, score: scores[k] }))
  }
  const cleanMax = validationClean.map((note) => Math.max(-Infinity, ...noteScores(note).map((c) => c.score))).sort((a, b) => b - a)
  const t1 = cleanMax[Math.floor(0.01 * cleanMax.length)]
  const spans = validation.filter((n) => n.note.expect).flatMap(({ note }) => {
    const scored = noteScores(note)
    return note.expect!.map((e) => {
      const [a, b] = spanOf(note, e)
      return Math.max(-Infinity, ...scored.filter((c) => c.field === e.field && c.start < b && c.end > a).map((c) => c.score))
    })
  })
  console.log(`model alone on the validation batches: span recall ${((100 * spans.filter((x) => x > t1).length) / spans.length).toFixed(1)} % at the threshold (${t1.toFixed(2)}) alarming 1 % of their clean notes`)
}

// 2. The model, on every batch.
const all = notes.flatMap((n) => n.clauses)
const trainedOn = `${corpusDir} and ${examples.length} rule examples: ${all.length} clauses of ${notes.length} notes (${all.filter((c) => c.labels & 1).length} risky clauses), corpus ${corpusDigest(corpusDir)}`
const data = toData(train(all), threshold, trainedOn)
writeFileSync(out, JSON.stringify(data, null, 1) + "\n")
console.log(`wrote ${out}: ${trainedOn}; ${1 << BITS} buckets, ${Buffer.from(data.keys, "base64").length / 4} with category weights`)
