/**
 * The clause model: a linear model over the character 1–3-grams of a clause, learned from the labelled corpus
 * (scripts/train-model.ts writes rules/model.json). Rules say exactly what they look for and miss what they were
 * not written for; the model scores every clause the rules left alone and, above its threshold, reports the clause
 * under the category it leans to most, with that category's explanation (the `learned/*` rules). Pure functions,
 * shared by the trainer and the engine (detectorScore repeats forEachFeature's hashing inline, and a unit test holds
 * the two to the same scores). The n-grams are of UTF-16 code units (an astral character counts as two).
 *
 * A clause is a run of the compact view (normalize.ts: simplified, case-folded, separators and emoji dropped) between
 * the punctuation it keeps (, 。 ! ? ; and line breaks). Features are n-grams with digits folded to 0, hashed into
 * 2^bits buckets (the hashing trick: colliding n-grams share a weight, in training as in use), counted with repeats.
 * The model has a detector output (risky or not), stored densely so that scoring every clause of a note is one array
 * read per n-gram and no branch, and one output per category (which kind of risk), stored for the strongest buckets
 * only and read just for the few clauses the detector reports.
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
  /** log2 of the number of buckets. */
  bits: number
  bias: number[]
  /** Per output, the factor that turns its int8 weights back into numbers. */
  scale: number[]
  /** The detector's int8 weight of every bucket (base64 of an Int8Array of 2^bits). */
  detector: string
  /**
   * The buckets with category weights (base64 of an Int32Array, little-endian, ascending) and those weights (base64
   * of an Int8Array, one per category per bucket).
   */
  keys: string
  weights: string
}

export interface ClauseModel {
  categories: Category[]
  threshold: number
  /** 1 + the number of categories. */
  outputs: number
  mask: number
  bias: Float32Array
  scale: Float32Array
  detector: Int8Array
  /** Open addressing over the category buckets, (bucket + 1, row) pairs side by side; 0: empty. */
  table: Int32Array
  tableMask: number
  /** Per category bucket, its weights for each category, `outputs - 1` apart. */
  weights: Int8Array
}

/** Whether a compact-view unit ends a clause: , 。 ! ? ; or a line break (the compact view folds ，！？； to these). */
export function endsClause(c: number): boolean {
  return c === 0x2c || c === 0x3002 || c === 0x21 || c === 0x3f || c === 0x3b || c === 0x0a
}

/** Calls `fn(from, to)` for each clause of a compact-view text (non-empty runs between clause punctuation). */
export function forEachClause(text: string, fn: (from: number, to: number) => void): void {
  let from = 0
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || endsClause(text.charCodeAt(i))) {
      if (i > from) fn(from, i)
      from = i + 1
    }
  }
}

const SEED = 0x2545f491

function mix(h: number, unit: number): number {
  h = Math.imul(h ^ unit, 0x9e3779b1)
  return h ^ (h >>> 15)
}

const fold = (c: number) => (c >= 48 && c <= 57 ? 48 : c)

/** Calls `fn(bucket)` for each 1-, 2- and 3-gram of text[from, to), hashed into `mask + 1` buckets. */
export function forEachFeature(text: string, from: number, to: number, mask: number, fn: (bucket: number) => void): void {
  for (let i = from; i < to; i++) {
    let h = mix(SEED, fold(text.charCodeAt(i)))
    fn(h & mask)
    if (i + 1 < to) {
      h = mix(h, fold(text.charCodeAt(i + 1)))
      fn(h & mask)
      if (i + 2 < to) {
        h = mix(h, fold(text.charCodeAt(i + 2)))
        fn(h & mask)
      }
    }
  }
}

function decode(field: string, base64: string): Uint8Array {
  let binary: string
  try {
    binary = atob(base64)
  } catch {
    throw new Error(`${field}: not valid base64`)
  }
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
  if (!Number.isInteger(data.bits) || data.bits < 8 || data.bits > 24) throw new Error(`bits: ${data.bits} is not a whole number from 8 to 24`)
  const detector = new Int8Array(decode("detector", data.detector).buffer)
  if (detector.length !== 1 << data.bits) throw new Error(`detector: ${detector.length} bytes for ${1 << data.bits} buckets`)
  const keyBytes = decode("keys", data.keys)
  if (keyBytes.length % 4 !== 0) throw new Error("keys: not a whole number of 32-bit buckets")
  const keys = new Int32Array(keyBytes.buffer, keyBytes.byteOffset, keyBytes.length / 4)
  const weights = new Int8Array(decode("weights", data.weights).buffer)
  if (weights.length !== keys.length * (outputs - 1)) throw new Error(`weights: ${weights.length} bytes for ${keys.length} buckets × ${outputs - 1} categories`)
  let bits = 1
  while (1 << bits < 2 * keys.length) bits++
  const tableMask = (1 << bits) - 1
  const table = new Int32Array(2 * (tableMask + 1))
  for (let k = 0; k < keys.length; k++) {
    if (keys[k] < 0 || keys[k] >= 1 << data.bits) throw new Error(`keys: bucket ${keys[k]} outside 0…${(1 << data.bits) - 1}`)
    let slot = keys[k] & tableMask
    while (table[2 * slot] !== 0) slot = (slot + 1) & tableMask
    table[2 * slot] = keys[k] + 1
    table[2 * slot + 1] = k * (outputs - 1)
  }
  return {
    categories: data.categories,
    threshold: data.threshold,
    outputs,
    mask: (1 << data.bits) - 1,
    bias: Float32Array.from(data.bias),
    scale: Float32Array.from(data.scale),
    detector,
    table,
    tableMask,
    weights
  }
}

/** The detector's score of text[from, to) (scoreClause's scores[0]), with the n-grams hashed inline: it runs on every clause. */
export function detectorScore(model: ClauseModel, text: string, from: number, to: number): number {
  const { detector, mask } = model
  let z = 0
  for (let i = from; i < to; i++) {
    let h = mix(SEED, fold(text.charCodeAt(i)))
    z += detector[h & mask]
    if (i + 1 >= to) continue
    h = mix(h, fold(text.charCodeAt(i + 1)))
    z += detector[h & mask]
    if (i + 2 >= to) continue
    h = mix(h, fold(text.charCodeAt(i + 2)))
    z += detector[h & mask]
  }
  return model.bias[0] + z * model.scale[0]
}

/** Scores text[from, to) into `scores` (one per output: detector first, then the categories). */
export function scoreClause(model: ClauseModel, text: string, from: number, to: number, scores: Float32Array): void {
  const { outputs, table, tableMask, weights, detector } = model
  const categories = outputs - 1
  for (let o = 0; o < outputs; o++) scores[o] = 0
  forEachFeature(text, from, to, model.mask, (bucket) => {
    scores[0] += detector[bucket]
    for (let slot = bucket & tableMask; ; slot = (slot + 1) & tableMask) {
      const key = table[2 * slot]
      if (key === 0) return
      if (key === bucket + 1) {
        const row = table[2 * slot + 1]
        for (let o = 0; o < categories; o++) scores[1 + o] += weights[row + o]
        return
      }
    }
  })
  for (let o = 0; o < outputs; o++) scores[o] = model.bias[o] + scores[o] * model.scale[o]
}
