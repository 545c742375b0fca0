/**
 * The clause model: a linear model over the character 1–3-grams of a clause, learned from the labelled corpus
 * (scripts/train-model.ts writes rules/model.json). Rules say exactly what they look for and miss what they were
 * not written for; the model scores every clause the rules left alone and, above its threshold, reports the clause
 * under the category it leans to most, with that category's explanation (the `learned/*` rules). Pure functions; the
 * same code trains the model and runs it.
 *
 * A clause is a run of the compact view (normalize.ts: simplified, case-folded, separators and emoji dropped) between
 * the punctuation it keeps (, 。 ! ? ; and line breaks). Features are hashed n-grams with digits folded to 0, counted
 * with repeats; the model has a detector output (risky or not) and one output per category (which kind of risk).
 */
import { CATEGORIES, type Category } from "./types"

/** rules/model.json as stored. */
export interface ModelData {
  version: 1
  /** What it was trained on and how (for the README and the curious). */
  trainedOn: string
  /** Output 0 is the detector; outputs 1… are these categories. */
  categories: Category[]
  /** A clause is reported when the detector's score is above this. */
  threshold: number
  bias: number[]
  /** Per output, the factor that turns its int8 weights back into numbers. */
  scale: number[]
  /** The features' hashes (base64 of an Int32Array, little-endian) and their weights (base64 of an Int8Array, one per output per feature). */
  keys: string
  weights: string
}

export interface ClauseModel {
  categories: Category[]
  threshold: number
  outputs: number
  bias: Float32Array
  scale: Float32Array
  /**
   * Open addressing by hash, (key, feature) pairs side by side so one probe reads one cache line; key 0: empty.
   * Every clause of a note is scored for the detector, so that path reads only this table and `detector`.
   */
  table: Int32Array
  mask: number
  /** Per feature, its detector weight. */
  detector: Float32Array
  /** Per code unit (digits folded), the detector weight of its 1-gram: read directly, no hashing. */
  unigrams: Float32Array
  /** Per feature, its int8 weights for every output (detector first), `outputs` apart. */
  weights: Int8Array
}

const CLAUSE_END = new Set([0x2c, 0x3002, 0x21, 0x3f, 0x3b, 0x0a])

/** Calls `fn(from, to)` for each clause of a compact-view text (non-empty runs between clause punctuation). */
export function forEachClause(text: string, fn: (from: number, to: number) => void): void {
  let from = 0
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || CLAUSE_END.has(text.charCodeAt(i))) {
      if (i > from) fn(from, i)
      from = i + 1
    }
  }
}

function mix(h: number, unit: number): number {
  h = Math.imul(h ^ unit, 0x9e3779b1)
  return h ^ (h >>> 15)
}

const SEED = 0x2545f491

const fold = (c: number) => (c >= 48 && c <= 57 ? 48 : c)

/** Calls `fn(hash)` for each 1-, 2- and 3-gram of text[from, to) (never 0). */
export function forEachFeature(text: string, from: number, to: number, fn: (hash: number) => void): void {
  for (let i = from; i < to; i++) {
    let h = mix(SEED, fold(text.charCodeAt(i)))
    fn(h || 1)
    if (i + 1 < to) {
      h = mix(h, fold(text.charCodeAt(i + 1)))
      fn(h || 1)
      if (i + 2 < to) {
        h = mix(h, fold(text.charCodeAt(i + 2)))
        fn(h || 1)
      }
    }
  }
}

function decode(base64: string): Uint8Array {
  const binary = atob(base64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

export function encode(bytes: Uint8Array): string {
  let binary = ""
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/** The model ready to score; throws (naming the field) when the data do not fit together. */
export function loadModel(data: ModelData): ClauseModel {
  const outputs = 1 + data.categories.length
  for (const category of data.categories) if (!CATEGORIES.includes(category)) throw new Error(`categories: unknown category "${category}"`)
  if (data.bias.length !== outputs) throw new Error(`bias: ${data.bias.length} numbers for ${outputs} outputs`)
  if (data.scale.length !== outputs) throw new Error(`scale: ${data.scale.length} numbers for ${outputs} outputs`)
  const keyBytes = decode(data.keys)
  if (keyBytes.length % 4 !== 0) throw new Error("keys: not a whole number of 32-bit hashes")
  const keys = new Int32Array(keyBytes.buffer, keyBytes.byteOffset, keyBytes.length / 4)
  const weights = new Int8Array(decode(data.weights).buffer)
  if (weights.length !== keys.length * outputs) throw new Error(`weights: ${weights.length} bytes for ${keys.length} features × ${outputs} outputs`)
  // Load factor at most 1/2: most probes look for n-grams the model lacks, and those end at the first empty slot
  // (measured: 0.8 was slower, 1/4 no faster beyond noise).
  let bits = 1
  while (1 << bits < 2 * keys.length) bits++
  const mask = (1 << bits) - 1
  const table = new Int32Array(2 * (mask + 1))
  const detector = new Float32Array(keys.length)
  for (let k = 0; k < keys.length; k++) {
    if (keys[k] === 0) throw new Error("keys: a hash of 0 (reserved for empty slots)")
    let slot = keys[k] & mask
    while (table[2 * slot] !== 0) slot = (slot + 1) & mask
    table[2 * slot] = keys[k]
    table[2 * slot + 1] = k
    detector[k] = weights[k * outputs] * data.scale[0]
  }
  const unigrams = new Float32Array(65536)
  for (let c = 0; c < 65536; c++) {
    const f = featureOf(table, mask, mix(SEED, fold(c)) || 1)
    if (f >= 0) unigrams[c] = detector[f]
  }
  return {
    categories: data.categories,
    threshold: data.threshold,
    outputs,
    bias: Float32Array.from(data.bias),
    scale: Float32Array.from(data.scale),
    table,
    mask,
    detector,
    unigrams,
    weights
  }
}

/** The feature index of `hash` in the model, or -1. */
function featureOf(table: Int32Array, mask: number, hash: number): number {
  for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
    const key = table[2 * slot]
    if (key === hash) return table[2 * slot + 1]
    if (key === 0) return -1
  }
}

/**
 * The detector's score of text[from, to): what scoreClause puts in scores[0], computed with the features hashed
 * inline (this runs on every clause of every note checked).
 */
export function detectorScore(model: ClauseModel, text: string, from: number, to: number): number {
  const { table, mask, detector, unigrams } = model
  let z = 0
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i)
    z += unigrams[c]
    if (i + 1 >= to) continue
    let h = mix(SEED, fold(c))
    let f: number
    h = mix(h, fold(text.charCodeAt(i + 1)))
    f = featureOf(table, mask, h || 1)
    if (f >= 0) z += detector[f]
    if (i + 2 >= to) continue
    h = mix(h, fold(text.charCodeAt(i + 2)))
    f = featureOf(table, mask, h || 1)
    if (f >= 0) z += detector[f]
  }
  return model.bias[0] + z
}

/** Scores text[from, to) into `scores` (one per output: detector first, then the categories). */
export function scoreClause(model: ClauseModel, text: string, from: number, to: number, scores: Float32Array): void {
  const { outputs, table, mask, weights } = model
  for (let o = 0; o < outputs; o++) scores[o] = 0
  forEachFeature(text, from, to, (hash) => {
    const f = featureOf(table, mask, hash)
    if (f < 0) return
    for (let o = 0; o < outputs; o++) scores[o] += weights[f * outputs + o]
  })
  for (let o = 0; o < outputs; o++) scores[o] = model.bias[o] + scores[o] * model.scale[o]
}
