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
  ViewBuffer,
  type FieldBuffers,
  type NormalizedField,
  type T2sTable,
  type View
} from "./normalize"
import { analyzePattern } from "./required"
import type { Category, Field, Finding, Localized, Note, Severity } from "./types"

/** The part of the user's settings the engine needs (src/settings' Settings satisfies it). */
export interface EngineSettings {
  packs?: Record<string, boolean>
  rules?: Record<string, { enabled?: boolean; severity?: Severity }>
  customTerms?: { term: string; category: Category; severity: Severity; message: string }[]
  allowlist?: string[]
}

interface CompiledRule {
  spec: RuleSpec
  severity: Severity
  /** FIELD_BIT of each field the rule applies to. */
  fieldMask: number
  exceptions: string[]
  near: string[]
  window: number
  before?: RegExp
  after?: RegExp
  notBefore?: RegExp
  notAfter?: RegExp
  unlessNote: string[]
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

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 }
const FIELD_ORDER: Field[] = ["title", "body"]
const FIELD_BIT: Record<Field, number> = { title: 1, body: 2 }

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

  const rules: CompiledRule[] = specs.map((spec) => ({
    spec,
    severity: settings.rules?.[spec.id]?.severity ?? spec.severity,
    fieldMask: (spec.fields ?? FIELD_ORDER).reduce((mask, field) => mask | FIELD_BIT[field], 0),
    exceptions: (spec.exceptions ?? []).map(compact).filter(Boolean),
    near: (spec.near ?? []).map(compact).filter(Boolean),
    window: spec.window ?? 8,
    before: spec.before ? new RegExp(spec.before, "u") : undefined,
    after: spec.after ? new RegExp(spec.after, "u") : undefined,
    notBefore: spec.notBefore ? new RegExp(spec.notBefore, "u") : undefined,
    notAfter: spec.notAfter ? new RegExp(spec.notAfter, "u") : undefined,
    unlessNote: (spec.unlessNote ?? []).map(compact).filter(Boolean)
  }))

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
  rules.forEach((rule, r) => {
    const sources = [
      ...(rule.spec.patterns ?? []).map((source) => ({ source, view: "compact" as const })),
      ...(rule.spec.textPatterns ?? []).map((source) => ({ source, view: "text" as const }))
    ]
    for (const { source, view } of sources) {
      const index = regexes.length
      // Triggers are looked up in the compact view: a text-view pattern can only use strings compaction leaves as they are.
      const { sets, reach } = analyzePattern(source, view === "text" ? compact : undefined)
      regexes.push({
        rule: r,
        re: new RegExp(source, "gu"),
        view,
        needed: sets ? (1 << sets.length) - 1 : 0,
        reach: sets ? reach : Infinity
      })
      sets?.forEach((set, bit) => {
        for (const t of set) triggerEntries[indexOf(t)].push(index, 1 << bit)
      })
    }
  })

  const automaton: Automaton = buildAutomaton(strings)
  for (let i = 0; i < strings.length; i++) exceptionEntries[i] ??= []
  const noteChecks = rules.filter((r) => r.spec.check)
  const hitBuffer = new HitBuffer()
  const scratch = new Scratch(rules.length, regexes.length)
  const buffers: Record<Field, FieldBuffers> = {
    title: { text: new ViewBuffer(), compact: new ViewBuffer() },
    body: { text: new ViewBuffer(), compact: new ViewBuffer() }
  }

  return {
    ruleCount: rules.length,
    termCount,
    check(note, options) {
      return checkNote(note, options ?? {}, { t2s, rules, automaton, termEntries, triggerEntries, regexes, exceptionEntries, noteChecks, buffers, hitBuffer, scratch })
    }
  }
}

/** A regular expression of a rule; it runs only when a literal of each of its required sets was seen. */
interface CompiledRegex {
  rule: number
  re: RegExp
  view: "compact" | "text"
  /** Bit mask of the required sets (0: none known, always run). */
  needed: number
  /** Finite: the regex runs only on windows this far around each occurrence of its first required set. */
  reach: number
}

interface Compiled {
  t2s: T2sTable
  rules: CompiledRule[]
  automaton: Automaton
  termEntries: TermEntry[][]
  triggerEntries: number[][]
  regexes: CompiledRegex[]
  exceptionEntries: number[][]
  noteChecks: CompiledRule[]
  /** Scratch space for the views and the automaton's hits, reused by every check of this engine. */
  buffers: Record<Field, FieldBuffers>
  hitBuffer: HitBuffer
  scratch: Scratch
}

/** The view a hit's offsets index, as stored in the flat hit lists. */
const COMPACT = 0
const TEXT = 1

/**
 * Scratch space of one engine, reused by every check (a check runs to completion before the next starts), so the
 * hot path allocates no maps and no object per hit. Lists keyed by rule or regex are emptied lazily: a list whose
 * generation stamp is not the current field's is stale and treated as empty.
 */
class Scratch {
  /** Hits before context checks: (rule, start, end, view) quadruples, start and end indexing that view. */
  readonly hits: number[] = []
  /** Hits that passed the context checks: (rule, start, end) triples in original offsets. */
  readonly accepted: number[] = []
  /** Indices into `accepted` (in triples), sorted for merging. */
  readonly order: number[] = []
  /** Per regex: bits of the required sets seen in this field. */
  readonly seen: Uint8Array
  /** Per regex with a finite reach: [start, end…] of its first set's occurrences in the compact view. */
  readonly anchors: number[][]
  readonly anchorStamps: Int32Array
  /** Per rule at index rule + 1 (0: the user's allowlist): [start, end…] of its exceptions' occurrences. */
  readonly exceptions: number[][]
  readonly exceptionStamps: Int32Array
  /** Current generation: one per field checked. */
  stamp = 0
  constructor(ruleCount: number, regexCount: number) {
    this.seen = new Uint8Array(regexCount)
    this.anchors = Array.from({ length: regexCount }, () => [])
    this.anchorStamps = new Int32Array(regexCount)
    this.exceptions = Array.from({ length: ruleCount + 1 }, () => [])
    this.exceptionStamps = new Int32Array(ruleCount + 1)
  }
}

/** Appends [start, end] to lists[key], emptying it first if it is left over from an earlier field. */
function pushRange(lists: number[][], stamps: Int32Array, stamp: number, key: number, start: number, end: number): void {
  const list = lists[key]
  if (stamps[key] !== stamp) {
    stamps[key] = stamp
    list.length = 0
  }
  list.push(start, end)
}

/** True when one of the [start, end, start, end…] ranges of lists[key] (if current) covers [start, end). */
function coveredBy(lists: number[][], stamps: Int32Array, stamp: number, key: number, start: number, end: number): boolean {
  if (stamps[key] !== stamp) return false
  const ranges = lists[key]
  for (let k = 0; k < ranges.length; k += 2) if (ranges[k] <= start && end <= ranges[k + 1]) return true
  return false
}

function checkNote(note: Note, options: CheckOptions, c: Compiled): Finding[] {
  const findings: Finding[] = []
  const normalized: Record<Field, NormalizedField> = {
    title: normalizeField(note.title, c.t2s, c.buffers.title),
    body: normalizeField(note.body, c.t2s, c.buffers.body)
  }
  let noteCompact: string | undefined
  const noteContains = (phrases: string[]) => {
    noteCompact ??= normalized.title.compact.text + "\n" + normalized.body.compact.text
    return phrases.some((p) => noteCompact!.includes(p))
  }
  const scratch = c.scratch

  for (const field of FIELD_ORDER) {
    const fieldBit = FIELD_BIT[field]
    const nf = normalized[field]
    const original = nf.original
    const compactText = nf.compact.text
    const compactStarts = nf.compact.starts
    const stamp = ++scratch.stamp
    const hits = scratch.hits
    hits.length = 0
    const seen = scratch.seen
    seen.fill(0)
    const count = c.automaton.collect(compactText, c.hitBuffer)
    const found = c.hitBuffer.data
    for (let h = 0; h < 3 * count; h += 3) {
      const pattern = found[h]
      const start = found[h + 1]
      const end = found[h + 2]
      const exceptionOf = c.exceptionEntries[pattern]
      for (let k = 0; k < exceptionOf.length; k++) {
        pushRange(scratch.exceptions, scratch.exceptionStamps, stamp, exceptionOf[k] + 1, start, end)
      }
      const triggers = c.triggerEntries[pattern]
      for (let k = 0; k < triggers.length; k += 2) {
        const regex = triggers[k]
        seen[regex] |= triggers[k + 1]
        if (triggers[k + 1] === 1 && c.regexes[regex].reach !== Infinity) {
          pushRange(scratch.anchors, scratch.anchorStamps, stamp, regex, start, end)
        }
      }
      const entries = c.termEntries[pattern]
      for (let k = 0; k < entries.length; k++) {
        const entry = entries[k]
        if ((entry.fieldMask & fieldBit) === 0) continue
        if (entry.leftClass !== CharClass.Other) {
          const before = compactStarts[start] - 1
          if (before >= 0 && classOf(original.charCodeAt(before)) === entry.leftClass) continue
        }
        if (entry.rightClass !== CharClass.Other) {
          const after = endOf(nf.compact, original, end - 1)
          if (after < original.length && classOf(original.charCodeAt(after)) === entry.rightClass) continue
        }
        hits.push(entry.rule, start, end, COMPACT)
      }
    }
    for (let i = 0; i < c.regexes.length; i++) {
      const regex = c.regexes[i]
      if ((c.rules[regex.rule].fieldMask & fieldBit) === 0) continue
      const view = regex.view === "compact" ? COMPACT : TEXT
      if (options.exhaustive) {
        collectRegex(regex.re, view === COMPACT ? compactText : nf.text.text, 0, regex.rule, view, hits)
        continue
      }
      if (seen[i] !== regex.needed) continue
      // A finite reach means the first set has anchors here: seen[i] === needed includes its bit.
      if (regex.reach === Infinity) collectRegex(regex.re, view === COMPACT ? compactText : nf.text.text, 0, regex.rule, view, hits)
      else if (view === COMPACT) collectRegexInWindows(regex, compactText, scratch.anchors[i], COMPACT, hits)
      else collectRegexInWindows(regex, nf.text.text, toTextRanges(nf, scratch.anchors[i]), TEXT, hits)
    }

    const accepted = scratch.accepted
    accepted.length = 0
    for (let h = 0; h < hits.length; h += 4) {
      const ruleIndex = hits[h]
      const hitStart = hits[h + 1]
      const hitEnd = hits[h + 2]
      const view: View = hits[h + 3] === COMPACT ? nf.compact : nf.text
      const origStart = view.starts[hitStart]
      const origEnd = endOf(view, original, hitEnd - 1)
      // Context is judged on the compact view; text-view hits are mapped onto it through the original offsets.
      const start = view === nf.compact ? hitStart : firstAtOrAfter(compactStarts, origStart)
      const end = view === nf.compact ? hitEnd : firstAtOrAfter(compactStarts, origEnd)
      if (coveredBy(scratch.exceptions, scratch.exceptionStamps, stamp, ruleIndex + 1, start, end)) continue
      if (coveredBy(scratch.exceptions, scratch.exceptionStamps, stamp, 0, start, end)) continue
      const rule = c.rules[ruleIndex]
      if (rule.before || rule.notBefore) {
        const before = compactText.slice(Math.max(0, start - 12), start)
        if (rule.before && !rule.before.test(before)) continue
        if (rule.notBefore && rule.notBefore.test(before)) continue
      }
      if (rule.after || rule.notAfter) {
        const after = compactText.slice(end, end + 24)
        if (rule.after && !rule.after.test(after)) continue
        if (rule.notAfter && rule.notAfter.test(after)) continue
      }
      if (rule.near.length) {
        const window = compactText.slice(Math.max(0, start - rule.window), end + rule.window)
        if (!rule.near.some((n) => window.includes(n))) continue
      }
      if (rule.unlessNote.length && noteContains(rule.unlessNote)) continue
      if (!(origEnd > origStart)) continue
      accepted.push(ruleIndex, origStart, origEnd)
    }

    // Within one rule, overlapping hits merge into one finding (加v + v信 → 加v信).
    const order = scratch.order
    order.length = 0
    for (let k = 0; k < accepted.length; k += 3) order.push(k)
    order.sort((a, b) => accepted[a] - accepted[b] || accepted[a + 1] - accepted[b + 1] || accepted[b + 2] - accepted[a + 2])
    for (let i = 0; i < order.length; ) {
      const rule = accepted[order[i]]
      const start = accepted[order[i] + 1]
      let end = accepted[order[i] + 2]
      let j = i + 1
      while (j < order.length && accepted[order[j]] === rule && accepted[order[j] + 1] < end) {
        end = Math.max(end, accepted[order[j] + 2])
        j++
      }
      findings.push(makeFinding(c.rules[rule], field, original, start, end))
      i = j
    }
  }

  for (const rule of c.noteChecks) {
    const finding = runNoteCheck(rule, note)
    if (finding) findings.push(finding)
  }

  findings.sort(compareFindings)
  return options.keepShadowed ? findings : withoutShadowed(findings)
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

/** Pushes a (rule, start, end, view) hit for every non-empty match of `re` in `s`, offsets shifted by `offset`. */
function collectRegex(re: RegExp, s: string, offset: number, rule: number, view: number, hits: number[]): void {
  re.lastIndex = 0
  let m: RegExpExecArray | null
  while ((m = re.exec(s)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++
      continue
    }
    hits.push(rule, offset + m.index, offset + m.index + m[0].length, view)
  }
}

/**
 * Runs a regex only on the windows `reach` around each occurrence of its first required set, merged where they
 * overlap. Every match contains such an occurrence and, with all its lookaround context, lies within `reach` of it,
 * so the windows find exactly the matches a scan of the whole field would. `anchors`: [start, end…] in the view
 * `s`, sorted here in place by start.
 */
function collectRegexInWindows(regex: CompiledRegex, s: string, anchors: number[], view: number, hits: number[]): void {
  // Insertion sort of the (start, end) pairs: they are few and arrive almost sorted (the automaton reports by end).
  for (let k = 2; k < anchors.length; k += 2) {
    const start = anchors[k]
    const end = anchors[k + 1]
    let j = k - 2
    while (j >= 0 && anchors[j] > start) {
      anchors[j + 2] = anchors[j]
      anchors[j + 3] = anchors[j + 1]
      j -= 2
    }
    anchors[j + 2] = start
    anchors[j + 3] = end
  }
  let from = -1
  let to = -1
  for (let k = 0; k <= anchors.length; k += 2) {
    const start = k < anchors.length ? Math.max(0, anchors[k] - regex.reach) : Infinity
    if (start > to) {
      if (to > from) collectRegex(regex.re, s.slice(from, to), from, regex.rule, view, hits)
      if (k >= anchors.length) break
      from = start
    }
    to = Math.max(to, Math.min(s.length, anchors[k + 1] + regex.reach))
  }
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

/**
 * Maps compact-view ranges [start, end…] to the text-view ranges over the same original characters. A text-view
 * literal and its compact form come from the same original characters, so windows around these ranges cover every
 * text-view match that contains the literal.
 */
function toTextRanges(nf: NormalizedField, compactRanges: number[]): number[] {
  const out: number[] = []
  for (let k = 0; k < compactRanges.length; k += 2) {
    const origStart = nf.compact.starts[compactRanges[k]]
    const origEnd = endOf(nf.compact, nf.original, compactRanges[k + 1] - 1)
    out.push(firstAtOrAfter(nf.text.starts, origStart), firstAtOrAfter(nf.text.starts, origEnd))
  }
  return out
}

function makeFinding(rule: CompiledRule, field: Field, original: string, start: number, end: number): Finding {
  return {
    ruleId: rule.spec.id,
    pack: rule.spec.pack,
    category: rule.spec.category,
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

const TOPIC_RE = /#[^\s#]+/g

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
    const topics = [...note.body.matchAll(TOPIC_RE)]
    if (topics.length <= max) return null
    const first = topics[max]
    const last = topics[topics.length - 1]
    return makeFinding(rule, "body", note.body, first.index!, last.index! + last[0].length)
  }
  return null
}

export type { Localized }
