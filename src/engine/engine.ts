/**
 * The rule engine: compile the enabled packs once (per settings), then check notes.
 * Pure functions, no browser APIs: the same code runs in the MV3 worker, the CLI and the tests.
 */
import type { NoteCheck, RuleBundle, RuleSpec } from "../rules/schema"
import { buildAutomaton, HitBuffer, type Automaton } from "./automaton"
import {
  buildT2sTable,
  compactOf,
  endOf,
  normalizeField,
  partialTextView,
  textUnitsBack,
  textUnitsForward,
  ViewBuffer,
  type FieldBuffers,
  type NormalizedField,
  type T2sTable,
  type View
} from "./normalize"
import { contextAlternatives } from "./alternatives"
import { detectorScores, endsClause, loadModel, scoreCategories, type ClauseModel, type ModelData } from "./model"
import { anchoredLiterals, type AnchoredLiterals, type LiteralBranch } from "./literal"
import { analyzeCompactPattern, analyzeContextPattern, analyzeTextPattern, fromJson, type BundleAnalysis, type CompactAnalysis, type ContextAnalysis, type TextAnalysis } from "./analysis"
import { CATEGORIES, SEVERITIES, type Category, type Field, type Finding, type Localized, type Note, type Severity } from "./types"

/** The part of the user's settings the engine needs (src/settings' Settings satisfies it). */
export interface EngineSettings {
  packs?: Record<string, boolean>
  rules?: Record<string, { enabled?: boolean; severity?: Severity }>
  customTerms?: { term: string; category: Category; severity: Severity; message: string }[]
  allowlist?: string[]
}

interface CompiledRule {
  spec: RuleSpec
  /** The spec's category and the effective severity as the string constants of types.ts (see `canonical`). */
  category: Category
  severity: Severity
  /** FIELD_BIT of each field the rule applies to. */
  fieldMask: number
  exceptions: string[]
  near: string[]
  /** The near phrases by first code unit, for nearWindowHas (null when the rule has none). */
  nearIndex: NearIndex | null
  window: number
  before?: ContextTest
  after?: ContextTest
  notBefore?: ContextTest
  notAfter?: ContextTest
  unlessNote: string[]
  /** Automaton string indices of the unlessNote phrases (filled once the automaton's strings are known). */
  unlessStrings: number[]
}

/** One automaton entry: a compact term and the rule it belongs to. */
interface TermEntry {
  rule: number
  /** The rule's fieldMask, copied here so the hit loop reads one object. */
  fieldMask: number
  /** Latin letters or digits at the edges need a word boundary in the original text. */
  leftClass: CharClass
  rightClass: CharClass
}

const enum CharClass {
  Other = 0,
  Letter = 1,
  Digit = 2
}

export interface CheckOptions {
  /** Keep findings that lie inside a finding of the same category (rule-example tests want every rule's own). */
  keepShadowed?: boolean
  /** Run every regex over the whole field, ignoring required literals and windows (to test that they change nothing). */
  exhaustive?: boolean
}

export interface Engine {
  check(note: Note, options?: CheckOptions): Finding[]
  /** Enabled rules, with their effective severity. */
  readonly ruleCount: number
  /** Distinct literal terms compiled into the automaton. */
  readonly termCount: number
}

const NO_OPTIONS: CheckOptions = {}
const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 }
const FIELD_ORDER: Field[] = ["title", "body"]
const FIELD_BIT: Record<Field, number> = { title: 1, body: 2 }

/**
 * The constant from `list` equal to `value`. Strings parsed from JSON are separate copies, and comparing two copies
 * compares their characters; findings carry the constants instead, so the shadowing step's comparisons of equal
 * categories are identity checks.
 */
function canonical<T extends string>(list: readonly T[], value: T): T {
  return list.find((x) => x === value) ?? value
}

function classOf(code: number): CharClass {
  if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 0xff21 && code <= 0xff3a) || (code >= 0xff41 && code <= 0xff5a)) return CharClass.Letter
  if ((code >= 48 && code <= 57) || (code >= 0xff10 && code <= 0xff19)) return CharClass.Digit
  return CharClass.Other
}

function customRule(term: EngineSettings["customTerms"] extends (infer T)[] | undefined ? T : never, index: number): RuleSpec {
  const text = term.message.trim()
  return {
    id: `custom/${index + 1}`,
    pack: "custom",
    category: term.category,
    severity: term.severity,
    terms: [term.term],
    message: text ? { zh: text, en: text } : { zh: `自定义词条「${term.term}」。`, en: `Your own term "${term.term}".` },
    suggestions: [],
    source: "自定义词条 · Custom term"
  }
}

export function compileEngine(bundle: RuleBundle, settings: EngineSettings = {}): Engine {
  const t2s = buildT2sTable(bundle.t2s)
  const compact = (s: string) => compactOf(s, t2s)
  const specs: RuleSpec[] = []
  for (const pack of bundle.packs) {
    if (!(settings.packs?.[pack.id] ?? pack.enabledByDefault)) continue
    for (const rule of pack.rules) if (settings.rules?.[rule.id]?.enabled !== false) specs.push(rule)
  }
  ;(settings.customTerms ?? []).forEach((term, i) => {
    if (term.term.trim()) specs.push(customRule(term, i))
  })

  const analysis: BundleAnalysis = bundle.analysis ?? { compact: {}, text: {}, context: {} }
  const contexts = new Map<string, ContextTest>()
  const rules: CompiledRule[] = specs.map((spec) => ({
    spec,
    category: canonical(CATEGORIES, spec.category),
    severity: canonical(SEVERITIES, settings.rules?.[spec.id]?.severity ?? spec.severity),
    fieldMask: (spec.fields ?? FIELD_ORDER).reduce((mask, field) => mask | FIELD_BIT[field], 0),
    exceptions: (spec.exceptions ?? []).map(compact).filter(Boolean),
    near: (spec.near ?? []).map(compact).filter(Boolean),
    nearIndex: null,
    window: spec.window ?? 8,
    before: spec.before ? contextTest(spec.before, contexts, analysis) : undefined,
    after: spec.after ? contextTest(spec.after, contexts, analysis) : undefined,
    notBefore: spec.notBefore ? contextTest(spec.notBefore, contexts, analysis) : undefined,
    notAfter: spec.notAfter ? contextTest(spec.notAfter, contexts, analysis) : undefined,
    unlessNote: (spec.unlessNote ?? []).map(compact).filter(Boolean),
    unlessStrings: []
  }))

  for (const rule of rules) if (rule.near.length) rule.nearIndex = indexNear(rule.near)

  // One automaton holds every literal term and every regex's required literals (its triggers).
  const strings: string[] = []
  const termEntries: TermEntry[][] = []
  /** Per automaton string: the (regex index, set bit) pairs it triggers, flattened. */
  const triggerEntries: number[][] = []
  const stringIndex = new Map<string, number>()
  const indexOf = (s: string): number => {
    let index = stringIndex.get(s)
    if (index === undefined) {
      index = strings.length
      stringIndex.set(s, index)
      strings.push(s)
      termEntries.push([])
      triggerEntries.push([])
    }
    return index
  }
  // Exceptions and the allowlist are automaton strings too: their occurrences come out of the same pass.
  /** Per automaton string: the rules it is an exception of (-1: the user's allowlist). */
  const exceptionEntries: number[][] = []
  const addException = (phrase: string, rule: number) => {
    const index = indexOf(phrase)
    exceptionEntries[index] ??= []
    if (!exceptionEntries[index].includes(rule)) exceptionEntries[index].push(rule)
  }
  rules.forEach((rule, r) => rule.exceptions.forEach((x) => addException(x, r)))
  for (const phrase of (settings.allowlist ?? []).map(compact).filter(Boolean)) addException(phrase, -1)

  // unlessNote phrases too: whether the note contains one is then known from the automaton passes over its fields.
  // A phrase with a line break could span the title and the body in the joined note, so it is searched for instead.
  const phraseStrings = new Set<number>()
  for (const rule of rules) {
    for (const phrase of rule.unlessNote) {
      if (phrase.includes("\n")) continue
      const index = indexOf(phrase)
      rule.unlessStrings.push(index)
      phraseStrings.add(index)
    }
  }

  let termCount = 0
  rules.forEach((rule, r) => {
    for (const raw of rule.spec.terms ?? []) {
      const term = compact(raw)
      if (!term) continue
      const entries = termEntries[indexOf(term)]
      if (entries.some((e) => e.rule === r)) continue
      if (entries.length === 0) termCount++
      entries.push({ rule: r, fieldMask: rule.fieldMask, leftClass: classOf(term.charCodeAt(0)), rightClass: classOf(term.charCodeAt(term.length - 1)) })
    }
  })

  const regexes: CompiledRegex[] = []
  // Characters the compact view drops that text-view patterns require (quotes, dots): the compact pass lists their
  // occurrences (see ViewBuffer.watch), which then gate and anchor those patterns as the automaton's triggers do.
  const watch = new Uint8Array(65536)
  const watchers = new Map<number, number[]>()
  rules.forEach((rule, r) => {
    const sources = [
      ...(rule.spec.patterns ?? []).map((source) => ({ source, view: "compact" as const })),
      ...(rule.spec.textPatterns ?? []).map((source) => ({ source, view: "text" as const }))
    ]
    for (const { source, view } of sources) {
      const index = regexes.length
      const { sets, reach, dropped: droppedSet, droppedReach }: Partial<TextAnalysis> & CompactAnalysis =
        view === "text"
          ? Object.hasOwn(analysis.text, source)
            ? analysis.text[source]
            : analyzeTextPattern(source, t2s)
          : Object.hasOwn(analysis.compact, source)
            ? analysis.compact[source]
            : analyzeCompactPattern(source)
      const regex: CompiledRegex = {
        rule: r,
        re: new RegExp(source, "gu"),
        view,
        needed: sets ? (1 << sets.length) - 1 : 0,
        reach: sets ? fromJson(reach) : Infinity
      }
      if (droppedSet) {
        regex.needed |= DROPPED_SET
        regex.reach = fromJson(droppedReach ?? null)
        for (const ch of droppedSet) {
          watch[ch.charCodeAt(0)] = 1
          const list = watchers.get(ch.charCodeAt(0))
          if (list === undefined) watchers.set(ch.charCodeAt(0), [index])
          else if (!list.includes(index)) list.push(index)
        }
      }
      regexes.push(regex)
      sets?.forEach((set, bit) => {
        for (const t of set) triggerEntries[indexOf(t)].push(index, 1 << bit)
      })
    }
  })

  const automaton: Automaton = buildAutomaton(strings)
  const { actionStart, actions } = flattenActions(strings.length, exceptionEntries, triggerEntries, termEntries, regexes)
  const alwaysRun = regexes.flatMap((regex, i) => (regex.needed === 0 ? [i] : []))
  const noteChecks = rules.filter((r) => r.spec.check)
  const isPhrase = new Uint8Array(strings.length)
  for (const index of phraseStrings) isPhrase[index] = 1
  const hitBuffers: Record<Field, HitBuffer> = { title: new HitBuffer(), body: new HitBuffer() }
  const scratch = new Scratch(rules.length, regexes.length, strings.length)
  const buffers: Record<Field, FieldBuffers> = {
    title: { text: new ViewBuffer(), compact: new ViewBuffer() },
    body: { text: new ViewBuffer(), compact: new ViewBuffer() }
  }
  if (watchers.size) buffers.title.compact.watch = buffers.body.compact.watch = watch

  // The learned rules (one per category) and the clause model that reports for them.
  let learned: Learned | null = null
  const learnedRules = rules.flatMap((rule, r) => (rule.spec.learned ? [r] : []))
  if (bundle.model && learnedRules.length) {
    const model = modelOf(bundle.model)
    const byOutput = model.categories.map((category) => learnedRules.find((r) => rules[r].category === category) ?? -1)
    // Categories with a learned rule in the bundle, on or off (off: the clause is left alone, not relabelled).
    const inBundle = model.categories.map((category) => bundle.packs.some((p) => p.rules.some((r) => r.learned && r.category === category)))
    if (byOutput.some((r) => r >= 0)) learned = { model, byOutput, inBundle, scores: new Float32Array(model.outputs - 1), bounds: new Int32Array(128), sums: new Float64Array(192), detected: new Float64Array(64) }
  }

  const compiled: Compiled = { t2s, rules, automaton, actionStart, actions, regexes, alwaysRun, watchers, noteChecks, learned, buffers, hitBuffers, isPhrase, scratch }
  return {
    ruleCount: rules.length,
    termCount,
    check(note, options) {
      return checkNote(note, options ?? NO_OPTIONS, compiled)
    }
  }
}

/** A regular expression of a rule; it runs only when a literal of each of its required sets was seen. */
interface CompiledRegex {
  rule: number
  re: RegExp
  view: "compact" | "text"
  /** Bit mask of the required sets: 1, 2, 4 for the automaton's, DROPPED_SET for watched characters (0: always run). */
  needed: number
  /**
   * Finite: the regex runs only on windows this far around each occurrence of its first required set (or, for a
   * text-view regex, of its watched characters when those are fewer).
   */
  reach: number
}

/** The bit of `needed` and `seen` for a text-view regex's set of characters the compact view drops. */
const DROPPED_SET = 8

/** Kinds of action an automaton string's occurrence triggers (see flattenActions). */
const EXCEPTION = 0
const TRIGGER = 1
const TERM = 2
/** In a TRIGGER action: the occurrence is an anchor of the regex's windows. */
const ANCHOR = 8

/**
 * Per automaton string, what an occurrence does, as (kind, a, b) triples in one typed array: actions of string p run
 * from actionStart[p] to actionStart[p + 1]. One contiguous array instead of three arrays of arrays (or objects) per
 * string: the hit loop reads consecutive memory.
 * - EXCEPTION: a = rule + 1 (0: the allowlist), b unused
 * - TRIGGER: a = regex, b = its set bit, | ANCHOR when this set anchors the regex's windows
 * - TERM: a = rule, b = field mask | left class << 2 | right class << 4
 */
function flattenActions(
  stringCount: number,
  exceptionEntries: number[][],
  triggerEntries: number[][],
  termEntries: TermEntry[][],
  regexes: CompiledRegex[]
): { actionStart: Int32Array; actions: Int32Array } {
  const list: number[] = []
  const actionStart = new Int32Array(stringCount + 1)
  for (let p = 0; p < stringCount; p++) {
    actionStart[p] = list.length / 3
    for (const rule of exceptionEntries[p] ?? []) list.push(EXCEPTION, rule + 1, 0)
    const triggers = triggerEntries[p]
    for (let k = 0; k < triggers.length; k += 2) {
      const regex = triggers[k]
      const bit = triggers[k + 1]
      list.push(TRIGGER, regex, bit === 1 && regexes[regex].reach !== Infinity ? bit | ANCHOR : bit)
    }
    for (const e of termEntries[p]) list.push(TERM, e.rule, e.fieldMask | (e.leftClass << 2) | (e.rightClass << 4))
  }
  actionStart[stringCount] = list.length / 3
  for (let p = 0; p <= stringCount; p++) actionStart[p] *= 3
  return { actionStart, actions: Int32Array.from(list) }
}

/**
 * The ready model of a bundle's model data, decoded once per bundle: settings changes recompile the engine with the
 * same bundle, and the model (immutable once loaded) is half a megabyte of base64 to decode.
 */
const loadedModels = new WeakMap<ModelData, ClauseModel>()
function modelOf(data: ModelData): ClauseModel {
  let model = loadedModels.get(data)
  if (model === undefined) {
    model = loadModel(data)
    loadedModels.set(data, model)
  }
  return model
}

/** The clause model and, per category output, the learned rule reporting for it (-1: none enabled). */
interface Learned {
  model: ClauseModel
  byOutput: number[]
  /** Per category output: whether the bundle has a learned rule for it (the candidates for a clause's category). */
  inBundle: boolean[]
  /** One score per category, for the clause being reported. */
  scores: Float32Array
  /** A field's clauses as (from, to) pairs, their n-gram sums (three per clause) and detector scores: grown as fields need. */
  bounds: Int32Array
  sums: Float64Array
  detected: Float64Array
}

interface Compiled {
  learned: Learned | null
  t2s: T2sTable
  rules: CompiledRule[]
  automaton: Automaton
  actionStart: Int32Array
  actions: Int32Array
  regexes: CompiledRegex[]
  /** Regexes without required literals: they run on every field. */
  alwaysRun: number[]
  /** Per watched character (see ViewBuffer.watch): the text-view regexes that require one of their set of them. */
  watchers: Map<number, number[]>
  noteChecks: CompiledRule[]
  /** Scratch space for the views and the automaton's hits, reused by every check of this engine. */
  buffers: Record<Field, FieldBuffers>
  /** Per field: the automaton's hits, reused by every check. */
  hitBuffers: Record<Field, HitBuffer>
  /** Per automaton string: 1 if it is an unlessNote phrase. */
  isPhrase: Uint8Array
  scratch: Scratch
}


/**
 * A list of numbers reused across checks: emptied by resetting `n`, never by shrinking the array (setting an array's
 * length to 0 drops its backing store, so the next pushes would allocate it again).
 */
class IntList {
  a: number[] = []
  n = 0
  push(x: number): void {
    this.a[this.n++] = x
  }
  push3(x: number, y: number, z: number): void {
    const a = this.a
    const n = this.n
    a[n] = x
    a[n + 1] = y
    a[n + 2] = z
    this.n = n + 3
  }
  push5(x: number, y: number, z: number, u: number, v: number): void {
    const a = this.a
    const n = this.n
    a[n] = x
    a[n + 1] = y
    a[n + 2] = z
    a[n + 3] = u
    a[n + 4] = v
    this.n = n + 5
  }
}

/**
 * Scratch space of one engine, reused by every check (a check runs to completion before the next starts), so the
 * hot path allocates no maps and no object per hit. Lists keyed by rule or regex are emptied lazily: a list whose
 * generation stamp is not the current field's is stale and treated as empty.
 */
class Scratch {
  /**
   * Hits before context checks: (rule, start, end, original start, original end) tuples, start and end in the
   * compact view; the original offsets are -1 for compact-view hits (read off the compact view when needed).
   */
  readonly hits = new IntList()
  /** Hits that passed the context checks: (rule, start, end) triples in original offsets. */
  readonly accepted = new IntList()
  /** Indices into `accepted` (in triples), sorted for merging. */
  readonly order = new IntList()
  /** Regexes with a required set seen in this field. */
  readonly triggered = new IntList()
  /** Per regex: bits of the required sets seen in this field. */
  readonly seen: Uint8Array
  /** Per regex with a finite reach: [start, end…] of its first set's occurrences in the compact view. */
  readonly anchors: IntList[]
  readonly anchorStamps: Int32Array
  /** Per text-view regex with watched characters: original [start, end…] of their occurrences. */
  readonly droppedAnchors: IntList[]
  readonly droppedAnchorStamps: Int32Array
  /** Per rule at index rule + 1 (0: the user's allowlist): [start, end…] of its exceptions' occurrences. */
  readonly exceptions: IntList[]
  readonly exceptionStamps: Int32Array
  /** The partial text views built for text-view patterns' windows. */
  readonly partialText = new ViewBuffer()
  /** Current generation: one per field checked. */
  stamp = 0
  /** Per automaton string: the note stamp of the last note it occurred in (for unlessNote phrases). */
  readonly phraseStamps: Int32Array
  noteStamp = 0
  constructor(ruleCount: number, regexCount: number, stringCount: number) {
    this.phraseStamps = new Int32Array(stringCount)
    this.seen = new Uint8Array(regexCount)
    this.anchors = Array.from({ length: regexCount }, () => new IntList())
    this.anchorStamps = new Int32Array(regexCount)
    this.droppedAnchors = Array.from({ length: regexCount }, () => new IntList())
    this.droppedAnchorStamps = new Int32Array(regexCount)
    this.exceptions = Array.from({ length: ruleCount + 1 }, () => new IntList())
    this.exceptionStamps = new Int32Array(ruleCount + 1)

  }
}

/** Appends [start, end] to lists[key], emptying it first if it is left over from an earlier field. */
function pushRange(lists: IntList[], stamps: Int32Array, stamp: number, key: number, start: number, end: number): void {
  const list = lists[key]
  if (stamps[key] !== stamp) {
    stamps[key] = stamp
    list.n = 0
  }
  list.push(start)
  list.push(end)
}

/** True when one of the [start, end, start, end…] ranges of lists[key] (if current) covers [start, end). */
function coveredBy(lists: IntList[], stamps: Int32Array, stamp: number, key: number, start: number, end: number): boolean {
  if (stamps[key] !== stamp) return false
  const ranges = lists[key].a
  const n = lists[key].n
  for (let k = 0; k < n; k += 2) if (ranges[k] <= start && end <= ranges[k + 1]) return true
  return false
}

/**
 * Whether the user's allowlist (the current ranges of its phrases' occurrences) lets the hit [start, end) pass: an
 * allowed phrase covers it, or lies inside it and is at least half of it (allowing a phone number silences
 * 电话 138 1234 5678 as well, where a pattern takes in the word before the number).
 */
function allowedBy(list: IntList, current: boolean, start: number, end: number): boolean {
  if (!current) return false
  const ranges = list.a
  for (let k = 0; k < list.n; k += 2) {
    const from = ranges[k]
    const to = ranges[k + 1]
    if (from <= start && end <= to) return true
    if (start <= from && to <= end && 2 * (to - from) >= end - start) return true
  }
  return false
}

/**
 * A before/after context pattern, one per distinct source (rules share them), with a filter of what any match must
 * contain and the last answer it gave.
 */
interface ContextTest {
  source: string
  re: RegExp
  /**
   * The pattern's required literal sets (see required.ts), indexed by first code unit: a piece of text lacking a
   * literal of any one set can't match. Most hits of a common term are rejected by their context patterns, and this
   * settles most of those tests without running one. null when it has none. Worked out on the test's first use
   * (undefined until then): most context patterns never run in a check, and analysing hundreds of them at compile
   * time would double it.
   */
  required?: NearIndex[] | null
  /** The pattern's required sets from the bundle's analysis (undefined: not there, worked out on first use). */
  sets: ContextAnalysis | undefined
  /**
   * The pattern as anchored literals (literal.ts), checked without running it; null when it is not one. Indexed on
   * the test's first use (`literals` until then): most context patterns never run in a check.
   */
  literal: LiteralTest | null
  literals: AnchoredLiterals | null
  /** The pattern as alternatives behind their own prefilters (see alternatives.ts); null: run whole. On first run. */
  parts?: ContextParts | null
  /** The bundle's required sets of those alternatives, if it has them. */
  partSets: ContextAnalysis[] | undefined
  /** The last test's field stamp, window and answer: rules sharing a term and a context ask the same question. */
  stamp: number
  from: number
  to: number
  result: boolean
}

/** The context test for `source`, shared by every rule using that source. */
function contextTest(source: string, cache: Map<string, ContextTest>, analysis: BundleAnalysis): ContextTest {
  let test = cache.get(source)
  if (test === undefined) {
    const sets = Object.hasOwn(analysis.context, source) ? analysis.context[source] : undefined
    const literals = analysis.contextLiterals === undefined ? anchoredLiterals(source) : Object.hasOwn(analysis.contextLiterals, source) ? analysis.contextLiterals[source] : null
    const partSets = analysis.contextParts !== undefined && Object.hasOwn(analysis.contextParts, source) ? analysis.contextParts[source] : undefined
    test = { source, re: new RegExp(source, "u"), sets, literal: null, literals, partSets, stamp: -1, from: 0, to: 0, result: false }
    cache.set(source, test)
  }
  return test
}

function requiredOf(test: ContextTest): NearIndex[] | null {
  const sets = test.sets === undefined ? analyzeContextPattern(test.source) : test.sets
  return sets ? sets.map((set) => indexNear(set)) : null
}

/** Whether the test's pattern matches text.slice(from, to); `stamp` identifies `text` (the field being checked). */
function passes(test: ContextTest, text: string, from: number, to: number, stamp: number): boolean {
  if (test.stamp === stamp && test.from === from && test.to === to) return test.result
  if (test.literals !== null) {
    test.literal = literalTest(test.literals)
    test.literals = null
  }
  const literal = test.literal === null ? UNKNOWN : literalPasses(test.literal, text, from, to)
  let result = literal === MATCH
  if (literal === UNKNOWN) {
    if (test.required === undefined) test.required = requiredOf(test)
    const required = test.required
    result = true
    if (required !== null) {
      for (let k = 0; k < required.length && result; k++) result = nearWindowHas(required[k], text, from, to)
    }
    if (result) {
      if (test.parts === undefined) test.parts = partsOf(test.source, test.partSets)
      result = test.parts === null ? test.re.test(text.slice(from, to)) : partsPass(test.parts, text, from, to)
    }
  }
  test.stamp = stamp
  test.from = from
  test.to = to
  test.result = result
  return result
}

/**
 * A context pattern split into its alternatives (alternatives.ts): the alternatives with required literals run only
 * when their literals are in the window, the rest as one regex. One pass over the window finds which alternatives'
 * first sets occur (`first`: every first-set phrase, with the alternatives it belongs to).
 */
export interface ContextParts {
  always: RegExp | null
  guarded: GuardedPart[]
  first: NearIndex
  /** Per phrase of `first` (in its order): the guarded alternatives, owners[ownerStart[k] .. ownerStart[k + 1]). */
  ownerStart: Int32Array
  owners: Int32Array
  /** Per guarded alternative: the call that last marked it (see partsPass). */
  marks: Int32Array
  call: number
}
interface GuardedPart {
  re: RegExp
  /** Its other required sets (after the first). */
  rest: NearIndex[]
}

export function partsOf(source: string, stored: ContextAnalysis[] | undefined): ContextParts | null {
  const alternatives = contextAlternatives(source)
  if (alternatives === null) return null
  // The bundle's analysis of the alternatives (an empty list: the build found none), else worked out here.
  const analyses = stored !== undefined && stored.length === alternatives.length ? stored : alternatives.map(analyzeContextPattern)
  const always: string[] = []
  const guarded: GuardedPart[] = []
  const ownersOf = new Map<string, number[]>()
  for (let a = 0; a < alternatives.length; a++) {
    const alternative = alternatives[a]
    const sets = analyses[a]
    if (sets === null) {
      always.push(alternative)
      continue
    }
    for (const phrase of sets[0]) {
      const list = ownersOf.get(phrase)
      if (list === undefined) ownersOf.set(phrase, [guarded.length])
      else if (list[list.length - 1] !== guarded.length) list.push(guarded.length)
    }
    guarded.push({ re: new RegExp(alternative, "u"), rest: sets.slice(1).map((set) => indexNear(set)) })
  }
  // Nothing to gain when every alternative would run anyway.
  if (guarded.length === 0) return null
  const first = indexNear([...ownersOf.keys()])
  const ownerStart = new Int32Array(first.phrases.length + 1)
  const owners: number[] = []
  first.phrases.forEach((phrase, k) => {
    owners.push(...ownersOf.get(phrase)!)
    ownerStart[k + 1] = owners.length
  })
  return {
    always: always.length ? new RegExp(always.join("|"), "u") : null,
    guarded,
    first,
    ownerStart,
    owners: Int32Array.from(owners),
    marks: new Int32Array(guarded.length),
    call: 0
  }
}

export function partsPass(parts: ContextParts, text: string, from: number, to: number): boolean {
  let window: string | undefined
  if (parts.always !== null && parts.always.test((window = text.slice(from, to)))) return true
  const call = ++parts.call
  const first = parts.first
  for (let pos = from; pos < to; pos++) {
    const slot = slotOf(first, text.charCodeAt(pos))
    if (slot < 0) continue
    for (let k = first.table[3 * slot + 1], end = first.table[3 * slot + 2]; k < end; k++) {
      if (!phraseAt(first, k, text, pos, to)) continue
      for (let o = parts.ownerStart[k]; o < parts.ownerStart[k + 1]; o++) {
        const p = parts.owners[o]
        if (parts.marks[p] === call) continue
        parts.marks[p] = call
        const part = parts.guarded[p]
        let ok = true
        for (let r = 0; r < part.rest.length && ok; r++) ok = nearWindowHas(part.rest[r], text, from, to)
        if (ok && part.re.test((window ??= text.slice(from, to)))) return true
      }
    }
  }
  return false
}

/** A literal context pattern (literal.ts) ready to check: its alternatives' strings indexed by their edge unit. */
interface LiteralTest {
  start: LiteralCheck[]
  end: LiteralCheck[]
}
interface LiteralCheck {
  /** The (non-empty) strings, indexed by their first (start) or last (end) code unit. */
  strings: NearIndex
  /** One of the strings is empty: the alternative matches every window. */
  empty: boolean
  /** The units the gap may not contain, with a 4,096-bit filter of them (bit c & 4095). */
  exclude: number[]
  excludeFilter: Int32Array
  max: number
}

export function literalTest(literals: AnchoredLiterals): LiteralTest {
  const check = (branch: LiteralBranch, atEnd: boolean): LiteralCheck => {
    const strings = indexNear(branch.strings.filter(Boolean), atEnd)
    const exclude = Array.from(branch.exclude, (ch) => ch.charCodeAt(0))
    const excludeFilter = new Int32Array(128)
    for (const c of exclude) excludeFilter[(c >> 5) & 127] |= 1 << (c & 31)
    return { strings, empty: branch.strings.includes(""), exclude, excludeFilter, max: branch.max ?? Infinity }
  }
  return { start: literals.start.map((b) => check(b, false)), end: literals.end.map((b) => check(b, true)) }
}

const NO_MATCH = 0
const MATCH = 1
/** A gap ran into a surrogate (where the pattern counts code points, not units): the regex decides. */
const UNKNOWN = 2

function excluded(check: LiteralCheck, c: number): boolean {
  if ((check.excludeFilter[(c >> 5) & 127] & (1 << (c & 31))) === 0) return false
  return check.exclude.includes(c)
}

/** The first phrase and the end of the phrases of `index` keyed by `c` (see NearIndex), as `slot` in its table; -1: none. */
function slotOf(index: NearIndex, c: number): number {
  if ((index.filter[(c >> 5) & 127] & (1 << (c & 31))) === 0) return -1
  const table = index.table
  for (let slot = Math.imul(c, 0x9e3779b1) >>> index.shift; ; slot = (slot + 1) & index.mask) {
    const code = table[3 * slot]
    if (code === -1) return -1
    if (code === c) return slot
  }
}

/** Whether phrase `k` of `index` (indexed by first unit, which text[q] is) occurs at `q` and ends by `to`. */
function phraseAt(index: NearIndex, k: number, text: string, q: number, to: number): boolean {
  const { starts, units } = index
  const start = starts[k]
  const length = starts[k + 1] - start
  if (q + length > to) return false
  let j = 1
  while (j < length && text.charCodeAt(q + j) === units[start + j]) j++
  return j === length
}

/** Whether a phrase of `index` (keyed by first unit `c` = text[q]) starts at `q` and ends by `to`. */
function startsAt(index: NearIndex, c: number, text: string, q: number, to: number): boolean {
  const slot = slotOf(index, c)
  if (slot < 0) return false
  for (let k = index.table[3 * slot + 1], end = index.table[3 * slot + 2]; k < end; k++) if (phraseAt(index, k, text, q, to)) return true
  return false
}

/** Whether a phrase of `index` (keyed by last unit `c` = text[p - 1]) ends at `p` and starts at or after `from`. */
function endsAt(index: NearIndex, c: number, text: string, from: number, p: number): boolean {
  const slot = slotOf(index, c)
  if (slot < 0) return false
  const { table, starts, units } = index
  for (let k = table[3 * slot + 1], end = table[3 * slot + 2]; k < end; k++) {
    const start = starts[k]
    const length = starts[k + 1] - start
    const at = p - length
    if (at < from) continue
    let j = 0
    while (j < length - 1 && text.charCodeAt(at + j) === units[start + j]) j++
    if (j === length - 1) return true
  }
  return false
}

/**
 * Whether text.slice(from, to) matches a literal context pattern: MATCH, NO_MATCH, or UNKNOWN when a gap would
 * have to cross a surrogate unit (then the regex is run instead).
 */
export function literalPasses(test: LiteralTest, text: string, from: number, to: number): number {
  let unknown = false
  for (let b = 0; b < test.end.length; b++) {
    const check = test.end[b]
    if (check.empty) return MATCH
    // `p`: where the string must end; the gap [p, to) grows one unit at a time.
    for (let p = to, k = 0; p > from; k++) {
      const c = text.charCodeAt(p - 1)
      if (endsAt(check.strings, c, text, from, p)) return MATCH
      if (k >= check.max) break
      if (c >= 0xd800 && c <= 0xdfff) {
        unknown = true
        break
      }
      if (excluded(check, c)) break
      p--
    }
  }
  for (let b = 0; b < test.start.length; b++) {
    const check = test.start[b]
    if (check.empty) return MATCH
    // `q`: where the string must start; the gap [from, q) grows one unit at a time.
    for (let q = from, k = 0; q < to; k++) {
      const c = text.charCodeAt(q)
      if (startsAt(check.strings, c, text, q, to)) return MATCH
      if (k >= check.max) break
      if (c >= 0xd800 && c <= 0xdfff) {
        unknown = true
        break
      }
      if (excluded(check, c)) break
      q++
    }
  }
  return unknown ? UNKNOWN : NO_MATCH
}

/**
 * A set of phrases (a rule's near phrases, or one required set of a context pattern) for window scans, all in typed
 * arrays: these are read for ~100 windows per note, scattered over hundreds of indices, so what one look-up touches
 * is kept to a few cache lines (no Map, no string objects).
 * - `filter`: 4,096 bits of the phrases' first code units (bit c & 4095);
 * - `table`: open addressing by first code unit, (code, first phrase, end phrase) triples, -1 for an empty slot;
 * - the phrases of one first code unit are consecutive: phrase k is units[starts[k] .. starts[k + 1]).
 * Built `byLast`, it is keyed by the phrases' last code units instead (literal checks at a window's end).
 */
interface NearIndex {
  filter: Int32Array
  table: Int32Array
  shift: number
  mask: number
  starts: Int32Array
  units: Uint16Array
  /** The phrases, in the order of `starts`. */
  phrases: string[]
}

function indexNear(phrases: string[], byLast = false): NearIndex {
  const filter = new Int32Array(128)
  const byFirst = new Map<number, string[]>()
  for (const phrase of phrases) {
    const c = phrase.charCodeAt(byLast ? phrase.length - 1 : 0)
    filter[(c >> 5) & 127] |= 1 << (c & 31)
    const list = byFirst.get(c)
    if (list === undefined) byFirst.set(c, [phrase])
    else list.push(phrase)
  }
  let bits = 1
  while (1 << bits < 2 * byFirst.size) bits++
  const mask = (1 << bits) - 1
  const shift = 32 - bits
  const table = new Int32Array(3 * (mask + 1)).fill(-1)
  const ordered = [...byFirst.values()].flat()
  const starts = new Int32Array(ordered.length + 1)
  for (let k = 0; k < ordered.length; k++) starts[k + 1] = starts[k] + ordered[k].length
  const units = new Uint16Array(starts[ordered.length])
  ordered.forEach((phrase, k) => {
    for (let j = 0; j < phrase.length; j++) units[starts[k] + j] = phrase.charCodeAt(j)
  })
  let first = 0
  for (const [c, list] of byFirst) {
    let slot = Math.imul(c, 0x9e3779b1) >>> shift
    while (table[3 * slot] !== -1) slot = (slot + 1) & mask
    table[3 * slot] = c
    table[3 * slot + 1] = first
    table[3 * slot + 2] = first + list.length
    first += list.length
  }
  return { filter, table, shift, mask, starts, units, phrases: ordered }
}

/**
 * Whether text.slice(from, to) contains one of the indexed phrases. One pass over the window's code units, looking
 * only where a phrase can start; near phrases are not automaton strings: many are single common characters, and
 * reporting their every occurrence costs more than these short windows.
 */
function nearWindowHas(index: NearIndex, text: string, from: number, to: number): boolean {
  const filter = index.filter
  for (let pos = from; pos < to; pos++) {
    const c = text.charCodeAt(pos)
    if ((filter[(c >> 5) & 127] & (1 << (c & 31))) === 0) continue
    const table = index.table
    for (let slot = Math.imul(c, 0x9e3779b1) >>> index.shift; ; slot = (slot + 1) & index.mask) {
      const code = table[3 * slot]
      if (code === -1) break
      if (code !== c) continue
      const starts = index.starts
      const units = index.units
      for (let k = table[3 * slot + 1], end = table[3 * slot + 2]; k < end; k++) {
        const start = starts[k]
        const length = starts[k + 1] - start
        if (pos + length > to) continue
        let j = 1
        while (j < length && text.charCodeAt(pos + j) === units[start + j]) j++
        if (j === length) return true
      }
      break
    }
  }
  return false
}

function checkNote(note: Note, options: CheckOptions, c: Compiled): Finding[] {
  const findings: Finding[] = []
  const normalized: Record<Field, NormalizedField> = {
    title: normalizeField(note.title, c.t2s, c.buffers.title),
    body: normalizeField(note.body, c.t2s, c.buffers.body)
  }
  const scratch = c.scratch
  // Every field's automaton pass first: a rule's unlessNote phrase may be in the other field.
  const hitCounts: Record<Field, number> = {
    title: c.automaton.collect(normalized.title.compact.text, c.hitBuffers.title),
    body: c.automaton.collect(normalized.body.compact.text, c.hitBuffers.body)
  }
  const noteStamp = ++scratch.noteStamp
  let phrasesStamped = false
  let noteCompact: string | undefined
  /** Whether the note (title and body) contains one of the rule's unlessNote phrases. */
  const noteContains = (rule: CompiledRule) => {
    if (!phrasesStamped) {
      // The phrases' occurrences, from both fields' automaton passes: stamped on the first question (few notes ask).
      phrasesStamped = true
      for (const field of FIELD_ORDER) {
        const found = c.hitBuffers[field].data
        const text = normalized[field].compact.text
        for (let h = 0; h < 3 * hitCounts[field]; h += 3) {
          if (c.isPhrase[found[h]] === 1 && !negatedBefore(text, found[h + 1])) scratch.phraseStamps[found[h]] = noteStamp
        }
      }
    }
    for (let k = 0; k < rule.unlessStrings.length; k++) if (scratch.phraseStamps[rule.unlessStrings[k]] === noteStamp) return true
    if (rule.unlessStrings.length === rule.unlessNote.length) return false
    noteCompact ??= normalized.title.compact.text + "\n" + normalized.body.compact.text
    return rule.unlessNote.some((p) => p.includes("\n") && noteCompact!.includes(p))
  }

  // Note-level checks first: the clause model (at the end of each field) leaves the clauses they cover alone.
  for (const rule of c.noteChecks) {
    const finding = runNoteCheck(rule, note)
    if (finding) findings.push(finding)
  }

  for (const field of FIELD_ORDER) {
    const fieldBit = FIELD_BIT[field]
    const nf = normalized[field]
    const original = nf.original
    const compactText = nf.compact.text
    const compactStarts = nf.compact.starts
    const stamp = ++scratch.stamp
    const fieldFirst = findings.length
    const hits = scratch.hits
    hits.n = 0
    const seen = scratch.seen
    seen.fill(0)
    /** Regexes with some required set seen in this field, in order of first sight. */
    const triggered = scratch.triggered
    triggered.n = 0
    const count = hitCounts[field]
    const found = c.hitBuffers[field].data
    const actions = c.actions
    for (let h = 0; h < 3 * count; h += 3) {
      const pattern = found[h]
      const start = found[h + 1]
      const end = found[h + 2]
      for (let a = c.actionStart[pattern], last = c.actionStart[pattern + 1]; a < last; a += 3) {
        const kind = actions[a]
        const x = actions[a + 1]
        const y = actions[a + 2]
        if (kind === EXCEPTION) {
          pushRange(scratch.exceptions, scratch.exceptionStamps, stamp, x, start, end)
        } else if (kind === TRIGGER) {
          if (seen[x] === 0) triggered.push(x)
          seen[x] |= y & 7
          if ((y & ANCHOR) !== 0) pushRange(scratch.anchors, scratch.anchorStamps, stamp, x, start, end)
        } else {
          if ((y & fieldBit) === 0) continue
          const leftClass = (y >> 2) & 3
          const rightClass = (y >> 4) & 3
          if (leftClass !== CharClass.Other) {
            const before = compactStarts[start] - 1
            if (before >= 0 && classOf(original.charCodeAt(before)) === leftClass) continue
          }
          if (rightClass !== CharClass.Other) {
            const after = endOf(nf.compact, original, end - 1)
            if (after < original.length && classOf(original.charCodeAt(after)) === rightClass) continue
          }
          hits.push5(x, start, end, -1, -1)
        }
      }
    }
    // The watched characters the compact view dropped, as triggers too (anchors in original offsets).
    const dropped = c.buffers[field].compact.dropped
    for (let k = 0; k < dropped.length; k += 3) {
      const regexes = c.watchers.get(dropped[k])
      if (regexes === undefined) continue
      for (const x of regexes) {
        if (seen[x] === 0) triggered.push(x)
        seen[x] |= DROPPED_SET
        if (c.regexes[x].reach !== Infinity) pushRange(scratch.droppedAnchors, scratch.droppedAnchorStamps, stamp, x, dropped[k + 1], dropped[k + 2])
      }
    }
    if (options.exhaustive) {
      for (const regex of c.regexes) {
        if ((c.rules[regex.rule].fieldMask & fieldBit) === 0) continue
        if (regex.view === "compact") collectRegex(regex.re, compactText, 0, regex.rule, hits, nf, null)
        else collectRegex(regex.re, nf.text.text, 0, regex.rule, hits, nf, nf.text)
      }
    } else {
      // Only regexes without requirements and those whose every required set was seen (hit order doesn't matter:
      // hits are sorted before they merge).
      for (const i of c.alwaysRun) runRegex(c.regexes[i], i, nf, fieldBit, hits, c)
      for (let k = 0; k < triggered.n; k++) {
        const i = triggered.a[k]
        if (seen[i] === c.regexes[i].needed) runRegex(c.regexes[i], i, nf, fieldBit, hits, c)
      }
    }

    const accepted = scratch.accepted
    accepted.n = 0
    const hitList = hits.a
    for (let h = 0; h < hits.n; h += 5) {
      const ruleIndex = hitList[h]
      // Context is judged on the compact view (text-view hits were mapped onto it through the original offsets).
      const start = hitList[h + 1]
      const end = hitList[h + 2]
      const compactHit = hitList[h + 3] < 0
      const origStart = compactHit ? compactStarts[start] : hitList[h + 3]
      const origEnd = compactHit ? endOf(nf.compact, original, end - 1) : hitList[h + 4]
      if (coveredBy(scratch.exceptions, scratch.exceptionStamps, stamp, ruleIndex + 1, start, end)) continue
      if (allowedBy(scratch.exceptions[0], scratch.exceptionStamps[0] === stamp, start, end)) continue
      const rule = c.rules[ruleIndex]
      // The cheap checks first (all must pass, so their order changes nothing but the time).
      if (!(origEnd > origStart)) continue
      if (rule.unlessNote.length && noteContains(rule)) continue
      // The 12 compact units before the hit and the 24 after it, as slices only for tests whose prefilter passes.
      const beforeFrom = Math.max(0, start - 12)
      const afterTo = Math.min(compactText.length, end + 24)
      // What must be there first (it usually isn't: its literal prefilter settles most of these), then what must not
      // (usually isn't either, so those tests mostly pass and run their regex).
      if (rule.before && !passes(rule.before, compactText, beforeFrom, start, stamp)) continue
      if (rule.after && !passes(rule.after, compactText, end, afterTo, stamp)) continue
      if (rule.nearIndex && !nearWindowHas(rule.nearIndex, compactText, Math.max(0, start - rule.window), Math.min(compactText.length, end + rule.window))) continue
      if (rule.notBefore && passes(rule.notBefore, compactText, beforeFrom, start, stamp)) continue
      if (rule.notAfter && passes(rule.notAfter, compactText, end, afterTo, stamp)) continue
      accepted.push3(ruleIndex, origStart, origEnd)
    }

    // Within one rule, overlapping hits merge into one finding (加v + v信 → 加v信).
    const order = scratch.order
    order.n = 0
    for (let k = 0; k < accepted.n; k += 3) order.push(k)
    const acc = accepted.a
    const ord = order.a
    const orderCount = order.n
    // Insertion sort by (rule, start, longer first): stable, and a field has a few dozen accepted hits at most.
    for (let k = 1; k < orderCount; k++) {
      const x = ord[k]
      let j = k - 1
      while (j >= 0 && (acc[ord[j]] - acc[x] || acc[ord[j] + 1] - acc[x + 1] || acc[x + 2] - acc[ord[j] + 2]) > 0) {
        ord[j + 1] = ord[j]
        j--
      }
      ord[j + 1] = x
    }
    for (let i = 0; i < orderCount; ) {
      const rule = acc[ord[i]]
      const start = acc[ord[i] + 1]
      let end = acc[ord[i] + 2]
      let j = i + 1
      while (j < orderCount && acc[ord[j]] === rule && acc[ord[j] + 1] < end) {
        end = Math.max(end, acc[ord[j] + 2])
        j++
      }
      findings.push(makeFinding(c.rules[rule], field, original, start, end))
      i = j
    }

    // Words in quotation marks are someone else's (a quoted ad, a salesman's line) unless they are contact details.
    // Most fields have no quotation mark at all: one scan settles them.
    if (findings.length > fieldFirst && OPENING_QUOTE.test(original)) for (let n = fieldFirst; n < findings.length; n++) {
      const f = findings[n]
      if (f.severity !== "info" && f.category !== "trade-diversion" && isQuoted(original, f.start, f.end)) {
        f.severity = "info"
        f.quoted = true
      }
    }

    // Last in the field: the model scores only the clauses no finding (the note checks' included) covers.
    if (c.learned !== null) addLearned(c, c.learned, nf, field, findings, scratch.exceptionStamps[0] === stamp ? scratch.exceptions[0] : null)
  }

  sortSmall(findings, compareFindings)
  return options.keepShadowed ? findings : withoutShadowed(findings)
}

/**
 * The clause model's findings in one field: the detector scores every clause (its neighbours count as context), and
 * each clause no finding overlaps yet and scoring above the threshold is reported under the learned rule of the
 * category it scores highest on. `allowed`: the field's occurrences of the user's allowlist (the automaton's, as for
 * rule hits), or null when there are none.
 */
function addLearned(c: Compiled, learned: Learned, nf: NormalizedField, field: Field, findings: Finding[], allowed: IntList | null): void {
  const ruleCount = findings.length
  const text = nf.compact.text
  // The clauses (as forEachClause gives them), in a plain loop: this runs over every unit of every note.
  let count = 0
  for (let from = 0, i = 0; i <= text.length; i++) {
    if (i < text.length && !endsClause(text.charCodeAt(i))) continue
    if (i > from) {
      if (2 * count + 2 > learned.bounds.length) {
        const grown = new Int32Array(2 * learned.bounds.length)
        grown.set(learned.bounds)
        learned.bounds = grown
      }
      learned.bounds[2 * count] = from
      learned.bounds[2 * count + 1] = i
      count++
    }
    from = i + 1
  }
  if (count === 0) return
  if (learned.detected.length < count) {
    learned.detected = new Float64Array(2 * count)
    learned.sums = new Float64Array(6 * count)
  }
  detectorScores(learned.model, text, learned.bounds, count, learned.sums, learned.detected)
  soften(learned, nf, field, findings, ruleCount, count)
  for (let k = 0; k < count; k++) {
    if (learned.detected[k] > learned.model.threshold) learnedClause(c, learned, nf, field, learned.bounds[2 * k], learned.bounds[2 * k + 1], findings, ruleCount, allowed)
  }
}

/** Any opening quotation mark (the ASCII double quote opens and closes). */
const OPENING_QUOTE = /[「『“‘"]/
/** Closing quotation mark of each opening one, by char code. */
const CLOSING_QUOTE = new Map<number, number>([[0x300c, 0x300d], [0x300e, 0x300f], [0x201c, 0x201d], [0x2018, 0x2019], [0x22, 0x22]])
/** The closing marks that only close (the ASCII double quote aside): one met first means the quotation ended before. */
const ONLY_CLOSING = new Set([...CLOSING_QUOTE.values()].filter((c) => !CLOSING_QUOTE.has(c)))
/** How far (UTF-16 units) a quotation may reach on either side of a finding: a quoted phrase, not a quoted page. */
const QUOTE_REACH = 40

/**
 * Whether original[start, end) sits inside a quotation on its line: an opening mark before it with no closing mark in
 * between, and its closing mark after it, each within QUOTE_REACH and with no line break in the way.
 */
export function isQuoted(original: string, start: number, end: number): boolean {
  for (let i = start - 1; i >= 0 && start - i <= QUOTE_REACH; i--) {
    const c = original.charCodeAt(i)
    if (c === 0x0a) return false
    const close = CLOSING_QUOTE.get(c)
    if (close === undefined) {
      if (ONLY_CLOSING.has(c)) return false
      continue
    }
    // An ASCII quote opens only if an even number of them precede it on the line.
    if (c === 0x22) {
      let before = 0
      for (let k = i - 1; k >= 0 && original.charCodeAt(k) !== 0x0a; k--) if (original.charCodeAt(k) === 0x22) before++
      if (before % 2 === 1) return false
    }
    for (let j = end; j < original.length && j - end <= QUOTE_REACH; j++) {
      const d = original.charCodeAt(j)
      if (d === 0x0a) return false
      if (d === close) return true
    }
    return false
  }
  return false
}

/**
 * Softening: each of the field's rule warnings from a pack the model softens whose clauses (those it overlaps) all
 * score below that pack's bar becomes `info`, marked `softened`. Reads the detector scores addLearned just computed.
 */
function soften(learned: Learned, nf: NormalizedField, field: Field, findings: Finding[], ruleCount: number, count: number): void {
  const bars = learned.model.soften
  if (bars.size === 0) return
  const compact = nf.compact
  for (let n = 0; n < ruleCount; n++) {
    const f = findings[n]
    if (f.field !== field || f.severity !== "warning") continue
    const below = bars.get(f.pack)
    if (below === undefined) continue
    let best = -Infinity
    for (let k = 0; k < count; k++) {
      const start = compact.starts[learned.bounds[2 * k]]
      if (start >= f.end) break
      if (endOf(compact, nf.original, learned.bounds[2 * k + 1] - 1) > f.start) best = Math.max(best, learned.detected[k])
    }
    // A finding on no clause (made only of what the compact view drops) keeps its severity.
    if (best !== -Infinity && best < below) {
      f.severity = "info"
      f.softened = true
    }
  }
}

/** A clause of addLearned the detector reports: compact [from, to) of the field, checked against the first `ruleCount` findings. */
function learnedClause(
  c: Compiled,
  learned: Learned,
  nf: NormalizedField,
  field: Field,
  from: number,
  to: number,
  findings: Finding[],
  ruleCount: number,
  allowed: IntList | null
): void {
  const { model, byOutput, scores } = learned
  const compact = nf.compact
  const start = compact.starts[from]
  const end = endOf(compact, nf.original, to - 1)
  for (let k = 0; k < ruleCount; k++) {
    const f = findings[k]
    if (f.field === field && f.start < end && f.end > start) return
  }
  // As for rule hits: an allowed phrase covering the clause, or inside it and at least half of it.
  if (allowed !== null && allowedBy(allowed, true, from, to)) return
  scoreCategories(model, compact.text, from, to, scores)
  // The category it leans to most among those the bundle has a learned rule for; reported only when that rule is on
  // (its explanation is the one that fits), so turning off learned/x silences the model's x hints rather than
  // relabelling them.
  let best = -1
  for (let k = 0; k < byOutput.length; k++) if (learned.inBundle[k] && (best < 0 || scores[k] > scores[best])) best = k
  const r = best < 0 ? -1 : byOutput[best]
  if (r >= 0 && (c.rules[r].fieldMask & FIELD_BIT[field]) !== 0) findings.push(makeFinding(c.rules[r], field, nf.original, start, end))
}

/**
 * A stable sort. A note has a few dozen hits and findings at most, usually: an insertion sort with the comparison
 * inlined beats the built-in sort's overhead there; longer arrays take the built-in sort.
 */
function sortSmall<T>(xs: T[], compare: (a: T, b: T) => number): void {
  if (xs.length > 32) {
    xs.sort(compare)
    return
  }
  for (let k = 1; k < xs.length; k++) {
    const x = xs[k]
    let j = k - 1
    while (j >= 0 && compare(xs[j], x) > 0) {
      xs[j + 1] = xs[j]
      j--
    }
    xs[j + 1] = x
  }
}

/** Runs a regex whose required sets were all seen: on windows around its anchors when its reach is finite. */
function runRegex(regex: CompiledRegex, i: number, nf: NormalizedField, fieldBit: number, hits: IntList, c: Compiled): void {
  if ((c.rules[regex.rule].fieldMask & fieldBit) === 0) return
  // A finite reach means the first set has anchors here: all sets were seen, its bit included.
  if (regex.reach === Infinity) {
    if (regex.view === "compact") collectRegex(regex.re, nf.compact.text, 0, regex.rule, hits, nf, null)
    else collectRegex(regex.re, nf.text.text, 0, regex.rule, hits, nf, nf.text)
  } else if (regex.view === "compact") {
    const list = c.scratch.anchors[i]
    collectRegexInWindows(regex, nf.compact.text, list.a, list.n, hits, nf, null)
  }
  else {
    // Windows around the occurrences of its first set or of its watched characters, whichever are fewer (every match
    // contains one of each).
    const scratch = c.scratch
    const fromSet = scratch.anchorStamps[i] === scratch.stamp ? scratch.anchors[i].a.slice(0, scratch.anchors[i].n) : null
    const fromWatched = scratch.droppedAnchorStamps[i] === scratch.stamp ? scratch.droppedAnchors[i].a.slice(0, scratch.droppedAnchors[i].n) : null
    const anchors = fromWatched && (!fromSet || fromWatched.length < fromSet.length) ? fromWatched : toOriginalRanges(nf, fromSet!)
    collectTextRegexInWindows(regex, nf, c.t2s, anchors, scratch.partialText, hits)
  }
}

/** Field order, start, end, severity, rule id. */
function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.field === b.field ? 0 : a.field === "title" ? -1 : 1) ||
    a.start - b.start ||
    a.end - b.end ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  )
}

/**
 * Drops a finding that lies inside another finding of the same field and category with at least its severity
 * (加我微信 as contact diversion already covers 微信 as a platform mention): one underline, one reason.
 * `findings` is sorted by field and start.
 */
function withoutShadowed(findings: Finding[]): Finding[] {
  const kept: Finding[] = []
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]
    let shadowed = false
    for (let j = 0; j < findings.length && !shadowed; j++) {
      if (j === i) continue
      const g = findings[j]
      if (g.field !== f.field || g.category !== f.category) continue
      if (g.start > f.start) break
      if (g.end < f.end || SEVERITY_RANK[g.severity] > SEVERITY_RANK[f.severity]) continue
      const same = g.start === f.start && g.end === f.end && g.severity === f.severity
      shadowed = !same || j < i // of identical spans, the first is kept
    }
    if (!shadowed) kept.push(f)
  }
  return kept
}

/**
 * Pushes a hit for every non-empty match of `re` in `s`, a piece of a view starting at `offset`: of the compact view
 * when `textView` is null, else of `textView` (the field's text view or a part of it), mapped onto the compact view.
 */
function collectRegex(re: RegExp, s: string, offset: number, rule: number, hits: IntList, nf: NormalizedField, textView: View | null): void {
  re.lastIndex = 0
  let m: RegExpExecArray | null
  while ((m = re.exec(s)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++
      continue
    }
    const start = offset + m.index
    const end = start + m[0].length
    if (textView === null) hits.push5(rule, start, end, -1, -1)
    else {
      const origStart = textView.starts[start]
      const origEnd = endOf(textView, nf.original, end - 1)
      hits.push5(rule, firstAtOrAfter(nf.compact.starts, origStart), firstAtOrAfter(nf.compact.starts, origEnd), origStart, origEnd)
    }
  }
}

/** Sorts [start, end…] pairs by start in place: an insertion sort, as they are few and arrive almost sorted. */
function sortRanges(ranges: number[], n = ranges.length): void {
  for (let k = 2; k < n; k += 2) {
    const start = ranges[k]
    const end = ranges[k + 1]
    let j = k - 2
    while (j >= 0 && ranges[j] > start) {
      ranges[j + 2] = ranges[j]
      ranges[j + 3] = ranges[j + 1]
      j -= 2
    }
    ranges[j + 2] = start
    ranges[j + 3] = end
  }
}

/**
 * Runs a regex only on the windows `reach` around each occurrence of its first required set, merged where they
 * overlap. Every match contains such an occurrence and, with all its lookaround context, lies within `reach` of it,
 * so the windows find exactly the matches a scan of the whole field would. `anchors`: [start, end…] in the view
 * `s` (the compact view, or `textView`), sorted here in place by start.
 */
function collectRegexInWindows(regex: CompiledRegex, s: string, anchors: number[], n: number, hits: IntList, nf: NormalizedField, textView: View | null): void {
  sortRanges(anchors, n)
  let from = -1
  let to = -1
  for (let k = 0; k <= n; k += 2) {
    const start = k < n ? Math.max(0, anchors[k] - regex.reach) : Infinity
    if (start > to) {
      if (to > from) collectRegex(regex.re, s.slice(from, to), from, regex.rule, hits, nf, textView)
      if (k >= n) break
      from = start
    }
    to = Math.max(to, Math.min(s.length, anchors[k + 1] + regex.reach))
  }
}

/**
 * collectRegexInWindows for a text-view pattern, on text views of just the original characters its windows can
 * touch: `reach` text units either side of the anchors. Such a part is exactly the slice of the field's whole text
 * view, so the windows (and matches) are the same, shifted; building it costs a fraction of the whole. Anchors far
 * enough apart that their windows can't meet (more than 2 × reach text units) get a part each.
 * `anchors`: original ranges [start, end…], sorted here in place.
 */
function collectTextRegexInWindows(regex: CompiledRegex, nf: NormalizedField, t2s: T2sTable, anchors: number[], buffer: ViewBuffer, hits: IntList): void {
  if (nf.hasText) {
    // Some pattern has built the whole text view already.
    const ranges = toTextRanges(nf.text, anchors)
    collectRegexInWindows(regex, nf.text.text, ranges, ranges.length, hits, nf, nf.text)
    return
  }
  sortRanges(anchors)
  let first = 0
  let high = anchors[1]
  for (let k = 2; k <= anchors.length; k += 2) {
    if (k < anchors.length) {
      // Far apart in code units, and (counting text units, which only invisible characters make fewer) in the view.
      const apart = anchors[k] - high > 2 * regex.reach && textUnitsForward(nf.original, t2s, high, 2 * regex.reach + 1) <= anchors[k]
      if (!apart) {
        high = Math.max(high, anchors[k + 1])
        continue
      }
    }
    collectTextRegexInPart(regex, nf, t2s, anchors.slice(first, k), anchors[first], high, buffer, hits)
    if (k < anchors.length) {
      first = k
      high = anchors[k + 1]
    }
  }
}

/** One part of collectTextRegexInWindows: anchors (original ranges) lying between `low` and `high`. */
function collectTextRegexInPart(
  regex: CompiledRegex,
  nf: NormalizedField,
  t2s: T2sTable,
  anchors: number[],
  low: number,
  high: number,
  buffer: ViewBuffer,
  hits: IntList
): void {
  const original = nf.original
  // First guess: `reach` original code units either side (almost every code unit becomes one text unit), widened
  // by counting text units only when the guess falls short (invisible characters, which the text view drops).
  let from = codePointStart(original, Math.max(0, low - regex.reach))
  let to = codePointEnd(original, Math.min(original.length, high + regex.reach))
  let view = partialTextView(original, t2s, buffer, from, to)
  const short =
    (from > 0 && firstAtOrAfter(view.starts, low) < regex.reach) ||
    (to < original.length && view.starts.length - firstAtOrAfter(view.starts, high) < regex.reach)
  if (short) {
    from = textUnitsBack(original, t2s, low, regex.reach)
    to = textUnitsForward(original, t2s, high, regex.reach)
    view = partialTextView(original, t2s, buffer, from, to)
  }
  const ranges = toTextRanges(view, anchors)
  collectRegexInWindows(regex, view.text, ranges, ranges.length, hits, nf, view)
}

/** `offset`, moved back one unit if it would split a surrogate pair. */
function codePointStart(s: string, offset: number): number {
  return offset > 0 && (s.charCodeAt(offset) & 0xfc00) === 0xdc00 && (s.charCodeAt(offset - 1) & 0xfc00) === 0xd800 ? offset - 1 : offset
}

/** `offset` (an end), moved on one unit if it would split a surrogate pair. */
function codePointEnd(s: string, offset: number): number {
  return offset > 0 && offset < s.length && (s.charCodeAt(offset) & 0xfc00) === 0xdc00 && (s.charCodeAt(offset - 1) & 0xfc00) === 0xd800 ? offset + 1 : offset
}

/** First index of a view whose original offset is ≥ `offset`. */
function firstAtOrAfter(starts: Int32Array, offset: number): number {
  let lo = 0
  let hi = starts.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (starts[mid] < offset) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Maps compact-view ranges [start, end…] to the original ranges [start, end…] of the characters they came from. */
function toOriginalRanges(nf: NormalizedField, compactRanges: number[]): number[] {
  const out: number[] = []
  for (let k = 0; k < compactRanges.length; k += 2) {
    out.push(nf.compact.starts[compactRanges[k]], endOf(nf.compact, nf.original, compactRanges[k + 1] - 1))
  }
  return out
}

/**
 * Maps original ranges [start, end…] to the ranges of `textView` (a text view of the field, or of a part that holds
 * them) over the same characters. A text-view literal and its compact form come from the same original characters
 * (and a watched character's range is the one it came from), so windows around these ranges cover every text-view
 * match that contains the literal.
 */
function toTextRanges(textView: View, originalRanges: number[]): number[] {
  const out: number[] = []
  for (let k = 0; k < originalRanges.length; k += 2) {
    out.push(firstAtOrAfter(textView.starts, originalRanges[k]), firstAtOrAfter(textView.starts, originalRanges[k + 1]))
  }
  return out
}

function makeFinding(rule: CompiledRule, field: Field, original: string, start: number, end: number): Finding {
  return {
    ruleId: rule.spec.id,
    pack: rule.spec.pack,
    category: rule.category,
    severity: rule.severity,
    field,
    start,
    end,
    text: original.slice(start, end),
    message: rule.spec.message,
    suggestions: rule.spec.suggestions,
    source: rule.spec.source
  }
}

/** UTF-16 index of the code point at position `n` (counting code points), or -1 if the string is shorter. */
function codePointOffset(s: string, n: number): number {
  let count = 0
  for (let i = 0; i < s.length; i++) {
    if (count === n) return i
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) i++
    }
    count++
  }
  return -1
}

/** Whether a code unit is whitespace to a JavaScript regular expression (`\s`). */
function isRegExpSpace(c: number): boolean {
  return (
    (c >= 9 && c <= 13) ||
    c === 32 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  )
}

/**
 * Whether the compact text just before `at` negates what follows: 无广告, 非广告, 不是广告, 没有合作, 不接推广… — a note
 * that says it is *not* an ad has not disclosed one, so such an unlessNote phrase does not count.
 */
function negatedBefore(text: string, at: number): boolean {
  const one = text.charCodeAt(at - 1)
  if (one === 0x65e0 /* 无 */ || one === 0x975e /* 非 */ || one === 0x6ca1 /* 没 */) return true
  const two = text.slice(Math.max(0, at - 2), at)
  return two === "不是" || two === "没有" || two === "不接" || two === "不打" || two === "不含" || two === "拒绝" || two === "并非"
}

/** Punctuation that ends a topic as a space does (，。！？、；：,.!?;:), so the underline stays on the topic itself. */
const TOPIC_END = new Set(Array.from("，。！？、；：,.!?;:", (ch) => ch.charCodeAt(0)))

function runNoteCheck(rule: CompiledRule, note: Note): Finding | null {
  const max = rule.spec.max ?? Infinity
  const kind: NoteCheck | undefined = rule.spec.check
  if (kind === "title-length" || kind === "body-length") {
    const field: Field = kind === "title-length" ? "title" : "body"
    const s = note[field]
    if (s.length <= max) return null // fewer UTF-16 units than the limit: fewer code points too
    const overflow = codePointOffset(s, max)
    if (overflow < 0 || overflow >= s.length) return null
    return makeFinding(rule, field, s, overflow, s.length)
  }
  if (kind === "topic-count") {
    let hashes = 0
    for (let i = note.body.indexOf("#"); i >= 0 && hashes <= max; i = note.body.indexOf("#", i + 1)) hashes++
    if (hashes <= max) return null
    // The first topic past the limit: the (max+1)-th match of /#[^\s#]+/g, scanned by hand (a '#' followed by at least
    // one character that is neither whitespace nor '#'). Only that topic is underlined: a range from it to the last
    // topic would cover every paragraph in between, and the browser repaints all text under a highlight on each edit.
    const body = note.body
    let topics = 0
    for (let i = body.indexOf("#"); i >= 0; ) {
      let j = i + 1
      while (j < body.length && body.charCodeAt(j) !== 35 && !isRegExpSpace(body.charCodeAt(j)) && !TOPIC_END.has(body.charCodeAt(j))) j++
      if (j > i + 1 && topics++ === max) return makeFinding(rule, "body", body, i, j)
      i = body.indexOf("#", j > i + 1 ? j : i + 1)
    }
    return null
  }
  return null
}

export type { Localized }
