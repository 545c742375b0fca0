/**
 * The clause model: a linear model over the character n-grams of a clause and of its neighbours, learned from the
 * labelled corpus (scripts/train-model.ts writes rules/model.json). Rules say exactly what they look for and miss what
 * they were not written for; the model scores every clause the rules left alone and, above its threshold, reports the
 * clause under the category it leans to most, with that category's explanation (the `learned/*` rules). Pure
 * functions, shared by the trainer and the engine (detectorScores repeats forEachDetectorFeature's hashing inline, and
 * a unit test holds the two to the same scores). The n-grams are of UTF-16 code units (an astral character counts as two).
 *
 * A clause is a run of the compact view (normalize.ts: simplified, case-folded, separators and emoji dropped) between
 * the punctuation it keeps (, 。 ! ? ; and line breaks). Features are n-grams with digits folded to 0, hashed into
 * 2^bits buckets (the hashing trick: colliding n-grams share a weight, in training as in use), counted with repeats.
 * The model has a detector output (risky or not) and one output per category (which kind of risk).
 * - The detector reads the clause's 1–3-grams and, as context, the 1–2-grams of up to `context` clauses of the same
 *   field on each side, hashed apart by side (加我 before a clause is not the clause saying 加我). Its weights are stored
 *   densely, so that scoring every clause of a note is one array read per n-gram and no branch.
 * - The categories read the clause's own 1–3-grams only; their weights are stored for the strongest buckets and read
 *   just for the few clauses the detector reports.
 */
import { CATEGORIES, type Category } from "./types"

/** rules/model.json as stored. */
export interface ModelData {
  version: 2
  /** What it was trained on and how (for the README and the curious). */
  trainedOn: string
  /** Output 0 is the detector; outputs 1… are these categories. */
  categories: Category[]
  /** A clause is reported when the detector's score is above this. */
  threshold: number
  /** How many clauses on each side the detector reads as context (0: the clause alone). */
  context: number
  /**
   * Softening, per pack id: a `warning` of a rule in the pack is shown as `info` when every clause it touches scores
   * below the pack's bar (far on the innocent side: the rule's words, used the way people use them about their own lives).
   */
  soften: Record<string, number>
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
  context: number
  /** Per pack id, its softening bar (see ModelData.soften). */
  soften: ReadonlyMap<string, number>
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
/** The seeds of a neighbour's n-grams: a clause before the scored one, a clause after it. */
const BEFORE_SEED = 0x1234567
const AFTER_SEED = 0x7654321
/** The hash seeds of the detector's three kinds of n-gram (for experiments that vary them: scripts/model-variants.ts). */
export const GRAM_SEEDS = { own: SEED, before: BEFORE_SEED, after: AFTER_SEED } as const

function mix(h: number, unit: number): number {
  h = Math.imul(h ^ unit, 0x9e3779b1)
  return h ^ (h >>> 15)
}

const fold = (c: number) => (c >= 48 && c <= 57 ? 48 : c)

/** Calls `fn(bucket)` for each 1- to n-gram of text[from, to), hashed from `seed` into `mask + 1` buckets. */
export function forEachGram(text: string, from: number, to: number, seed: number, n: number, mask: number, fn: (bucket: number) => void): void {
  for (let i = from; i < to; i++) {
    let h = seed
    for (let k = 0; k < n && i + k < to; k++) {
      h = mix(h, fold(text.charCodeAt(i + k)))
      fn(h & mask)
    }
  }
}

/** Calls `fn(bucket)` for each 1-, 2- and 3-gram of text[from, to), hashed into `mask + 1` buckets. */
export function forEachFeature(text: string, from: number, to: number, mask: number, fn: (bucket: number) => void): void {
  forEachGram(text, from, to, SEED, 3, mask, fn)
}

/** Calls `fn(bucket)` for each 1- and 2-gram of text[from, to) read as context: a clause `before` or after the scored one. */
export function forEachContextFeature(text: string, from: number, to: number, before: boolean, mask: number, fn: (bucket: number) => void): void {
  forEachGram(text, from, to, before ? BEFORE_SEED : AFTER_SEED, 2, mask, fn)
}

/**
 * Calls `fn(bucket)` for each detector feature of clause k of a field: its own n-grams, then its neighbours' as
 * context. `bounds` holds the field's clauses as (from, to) pairs, in order.
 */
export function forEachDetectorFeature(text: string, bounds: ArrayLike<number>, k: number, context: number, mask: number, fn: (bucket: number) => void): void {
  const count = bounds.length / 2
  forEachFeature(text, bounds[2 * k], bounds[2 * k + 1], mask, fn)
  for (let d = 1; d <= context; d++) {
    if (k - d >= 0) forEachContextFeature(text, bounds[2 * (k - d)], bounds[2 * (k - d) + 1], true, mask, fn)
    if (k + d < count) forEachContextFeature(text, bounds[2 * (k + d)], bounds[2 * (k + d) + 1], false, mask, fn)
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
  if (!Number.isInteger(data.context) || data.context < 0 || data.context > 8) throw new Error(`context: ${data.context} is not a whole number from 0 to 8`)
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
    context: data.context,
    soften: new Map(Object.entries(data.soften)),
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

/**
 * The detector's scores of a field's `count` clauses (`bounds`: their (from, to) pairs, in order) into `scores`. Each
 * clause's n-grams are summed once in each of its three roles (itself, context before, context after) into `sums`
 * (3 × count), then every score adds its neighbours' context sums. The hashing is forEachDetectorFeature's, inline:
 * this runs over every unit of every note.
 */
export function detectorScores(model: ClauseModel, text: string, bounds: Int32Array, count: number, sums: Float64Array, scores: Float64Array): void {
  const { detector, mask, context } = model
  for (let k = 0; k < count; k++) {
    const from = bounds[2 * k]
    const to = bounds[2 * k + 1]
    let own = 0
    let before = 0
    let after = 0
    for (let i = from; i < to; i++) {
      const c = fold(text.charCodeAt(i))
      let h = mix(SEED, c)
      own += detector[h & mask]
      let b = mix(BEFORE_SEED, c)
      let a = mix(AFTER_SEED, c)
      if (context > 0) {
        before += detector[b & mask]
        after += detector[a & mask]
      }
      if (i + 1 >= to) continue
      const c1 = fold(text.charCodeAt(i + 1))
      h = mix(h, c1)
      own += detector[h & mask]
      if (context > 0) {
        b = mix(b, c1)
        a = mix(a, c1)
        before += detector[b & mask]
        after += detector[a & mask]
      }
      if (i + 2 >= to) continue
      h = mix(h, fold(text.charCodeAt(i + 2)))
      own += detector[h & mask]
    }
    sums[3 * k] = own
    sums[3 * k + 1] = before
    sums[3 * k + 2] = after
  }
  for (let k = 0; k < count; k++) {
    let z = sums[3 * k]
    for (let d = 1; d <= context; d++) {
      if (k - d >= 0) z += sums[3 * (k - d) + 1]
      if (k + d < count) z += sums[3 * (k + d) + 2]
    }
    scores[k] = model.bias[0] + z * model.scale[0]
  }
}

/** The category outputs' scores of text[from, to) into `scores` (one per category, in model.categories' order). */
export function scoreCategories(model: ClauseModel, text: string, from: number, to: number, scores: Float32Array): void {
  const { outputs, table, tableMask, weights } = model
  const categories = outputs - 1
  for (let o = 0; o < categories; o++) scores[o] = 0
  forEachFeature(text, from, to, model.mask, (bucket) => {
    for (let slot = bucket & tableMask; ; slot = (slot + 1) & tableMask) {
      const key = table[2 * slot]
      if (key === 0) return
      if (key === bucket + 1) {
        const row = table[2 * slot + 1]
        for (let o = 0; o < categories; o++) scores[o] += weights[row + o]
        return
      }
    }
  })
  for (let o = 0; o < categories; o++) scores[o] = model.bias[1 + o] + scores[o] * model.scale[1 + o]
}
