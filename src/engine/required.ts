/**
 * Required literals of a regular expression: sets of strings such that every match contains at least one string of
 * every set (a conjunction of alternatives: `(?:用|吃)…(?:就|马上)…(?:瘦|白)` needs one of each). The engine feeds
 * them to the automaton it already runs, and skips a pattern unless every set was seen — most patterns of a pack
 * never get to scan a note at all. `null` means "no requirement found": always run.
 *
 * A small parser for the JavaScript `u`-mode syntax the packs use. It only has to be conservative: when unsure it
 * returns null, which costs speed, never a finding.
 */

type Requirement = string[] | null

/** Characters frequent enough in notes that requiring one of them filters almost nothing. */
const FREQUENT = new Set(Array.from("的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会家可下而过天去能对小多然于心学么之都好看起发当没成只如事把还用第样道想作种开美总从无情己面最女但现前些所同日手又行意动方期它头经长儿回位分爱老因很给名法间知世什两次使身者被高已亲其进此话常与活正感月周0123456789，。！？、：；\n"))

/** A rough cost of a candidate set: longer strings are rare, frequent single characters are common. */
function expectedFrequency(set: string[]): number {
  let cost = 0
  for (const s of set) cost += s.length >= 3 ? 0.05 : s.length === 2 ? 0.3 : FREQUENT.has(s) ? 10 : 1
  return cost
}

interface Atom {
  /** A single literal character, when the atom is one (joins neighbouring literals into longer strings). */
  literal?: string
  /** A group's own requirements (all of them). */
  conjunction?: string[][] | null
  /** A group that can only match one of a few fixed strings: those strings, in the automaton's view. */
  exact?: string[] | null
  /** A character class of a few known characters: one position, so it can extend a run too. */
  singleChars?: boolean
  requirement: Requirement
  /** Zero-width (anchors, lookarounds): neither requires nor breaks anything. */
  zeroWidth?: boolean
  /** Most UTF-16 units one occurrence can span (Infinity when unknown). */
  max: number
}

interface Parsed {
  sets: string[][] | null
  max: number
  /** Every string this part can match, in the automaton's view, when they are few (≤ MAX_RUN) and known; else null. */
  exact: string[] | null
}

/** Most strings a run of adjacent fixed parts may stand for before it is cut. */
const MAX_RUN = 32

/** Every concatenation of a string of `a` and one of `b`, or null when there would be more than MAX_RUN. */
function product(a: string[], b: string[]): string[] | null {
  if (a.length * b.length > MAX_RUN) return null
  const joined: string[] = []
  for (const x of a) {
    for (const y of b) if (!joined.includes(x + y)) joined.push(x + y)
  }
  return joined
}

/**
 * The same requirement with redundant strings left out: an occurrence of a string that contains another string of
 * the set is an occurrence of that one too (搜索 contains 搜), so only the shortest ones need looking for.
 */
function minimal(set: string[]): string[] {
  const unique = [...new Set(set)]
  if (unique.length < 2) return unique
  // Look each string's substrings up (strings here are short), not every pair of strings (sets can be long).
  const members = new Set(unique)
  return unique.filter((x) => {
    if (x.length > 16) return !unique.some((y) => y !== x && x.includes(y))
    for (let from = 0; from < x.length; from++) {
      for (let to = from + 1; to <= x.length; to++) if (to - from < x.length && members.has(x.slice(from, to))) return false
    }
    return true
  })
}

class Parser {
  i = 0
  /** Uses ^, $, \b or \B, whose meaning changes when the text is cut into windows. */
  anchored = false
  /** Most UTF-16 units all lookarounds together can look beyond the match. */
  lookaroundExtent = 0
  /** Capturing groups seen so far, and the most units each closed one can match (a backreference matches no more). */
  groupCount = 0
  readonly groupMax: number[] = []
  readonly groupNames = new Map<string, number>()
  constructor(
    readonly s: string,
    /** Maps one character of the regex's view to the automaton's view: "" when that view drops it. */
    readonly translate: (ch: string) => string
  ) {}

  /** `wantExact`: whether the caller uses `exact` (only groups do; working it out for a whole pattern is wasted). */
  parseAlternation(wantExact: boolean): Parsed {
    const branches = [this.parseSequence(wantExact)]
    while (this.s[this.i] === "|") {
      this.i++
      branches.push(this.parseSequence(wantExact))
    }
    const max = Math.max(...branches.map((b) => b.max))
    if (branches.length === 1) return branches[0]
    let size = 0
    for (const b of branches) size += b.exact ? b.exact.length : Infinity
    const exact = size <= MAX_RUN ? [...new Set(branches.flatMap((b) => b.exact!))] : null
    if (branches.some((b) => b.sets === null)) return { sets: null, max, exact }
    // Any branch may match: one set, the union of each branch's most selective set.
    return { sets: [minimal(branches.flatMap((b) => b.sets![0]))], max, exact }
  }

  parseSequence(wantExact: boolean): Parsed {
    const candidates: string[][] = []
    let max = 0
    // Every string the whole sequence can match, while it is made of fixed parts only.
    let exact: string[] | null = wantExact ? [""] : null
    // The current run of adjacent fixed parts (single characters, small classes, groups of a few fixed strings,
    // optionally followed by `?`), as every string it can be: a small class or group multiplies it.
    let run: string[] = []
    const flush = () => {
      if (run.length) candidates.push(minimal(run))
      run = []
    }
    const extend = (options: string[]) => {
      const joined = product(run.length ? run : [""], options)
      if (joined) run = joined
      else {
        flush()
        run = [...options]
      }
    }
    while (this.i < this.s.length && this.s[this.i] !== "|" && this.s[this.i] !== ")") {
      const atom = this.parseAtom()
      const { min, max: times, quantified } = this.parseQuantifier()
      max += atom.max === 0 || times === 0 ? 0 : atom.max * times
      if (atom.zeroWidth) {
        if (atom.conjunction) candidates.push(...atom.conjunction)
        continue
      }
      const single = atom.literal !== undefined || atom.singleChars === true
      // In the automaton's view: a character that view drops can't be looked for, so it ends the run.
      const translated = atom.requirement && single ? atom.requirement.map((ch) => this.translate(ch)) : null
      const droppable = translated !== null && translated.some((ch) => ch === "")
      const fixed = single ? (translated && !droppable ? translated : null) : (atom.exact ?? null)
      // Once, or at most once (`?` adds the empty string); any other repeat is not a fixed string.
      const optional = quantified && min === 0 && times === 1
      const options = fixed && (!quantified || optional) ? (optional ? [...fixed, ""] : fixed) : null
      exact = exact && options ? product(exact, options) : null
      if (options) {
        extend(options)
        continue
      }
      flush()
      // One occurrence is certain; a repeat breaks the run after it.
      if (min >= 1 && fixed) candidates.push(minimal(fixed))
      if (min >= 1 && atom.conjunction) candidates.push(...atom.conjunction)
    }
    flush()
    const keys = new Set<string>()
    const usable = candidates.filter((c) => {
      const key = c.join("\u0000")
      if (keys.has(key) || !c.every((x) => x.length > 0)) return false
      keys.add(key)
      return true
    })
    if (usable.length === 0) return { sets: null, max, exact }
    // Most selective first: the least likely to occur in ordinary text.
    usable.sort((a, b) => expectedFrequency(a) - expectedFrequency(b))
    return { sets: usable, max, exact }
  }

  parseQuantifier(): { min: number; max: number; quantified: boolean } {
    const c = this.s[this.i]
    let min = 1
    let max = 1
    if (c === "*") [min, max] = [0, Infinity]
    else if (c === "?") [min, max] = [0, 1]
    else if (c === "+") [min, max] = [1, Infinity]
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.s.slice(this.i))
      if (!m) return { min: 1, max: 1, quantified: false }
      this.i += m[0].length
      if (this.s[this.i] === "?") this.i++
      const upper = m[2] === undefined ? Number(m[1]) : m[3] ? Number(m[3]) : Infinity
      return { min: Number(m[1]), max: upper, quantified: true }
    } else return { min: 1, max: 1, quantified: false }
    this.i++
    if (this.s[this.i] === "?") this.i++
    return { min, max, quantified: true }
  }

  parseAtom(): Atom {
    const c = this.s[this.i]
    if (c === "(") return this.parseGroup()
    if (c === "[") {
      const { requirement, max } = this.parseClass()
      return { requirement, singleChars: requirement !== null, max }
    }
    if (c === "\\") return this.parseEscape()
    if (c === ".") {
      this.i++
      return { requirement: null, max: 2 }
    }
    if (c === "^" || c === "$") {
      this.i++
      this.anchored = true
      return { requirement: null, zeroWidth: true, max: 0 }
    }
    const cp = this.s.codePointAt(this.i)!
    const ch = String.fromCodePoint(cp)
    this.i += ch.length
    return { literal: ch, requirement: [ch], max: ch.length }
  }

  parseGroup(): Atom {
    this.i++ // (
    let lookaround = false
    let positive = false
    const capturing = this.s[this.i] !== "?" || (this.s.startsWith("?<", this.i) && !this.s.startsWith("?<=", this.i) && !this.s.startsWith("?<!", this.i))
    const number = capturing ? ++this.groupCount : 0
    if (this.s.startsWith("?:", this.i)) this.i += 2
    else if (this.s.startsWith("?=", this.i) || this.s.startsWith("?!", this.i)) {
      positive = this.s[this.i + 1] === "="
      this.i += 2
      lookaround = true
    } else if (this.s.startsWith("?<=", this.i) || this.s.startsWith("?<!", this.i)) {
      positive = this.s[this.i + 2] === "="
      this.i += 3
      lookaround = true
    } else if (this.s.startsWith("?<", this.i)) {
      const end = this.s.indexOf(">", this.i)
      this.groupNames.set(this.s.slice(this.i + 2, end), number)
      this.i = end + 1
    }
    const inner = this.parseAlternation(!lookaround)
    if (this.s[this.i] !== ")") throw new Error("unbalanced group")
    this.i++
    if (capturing) this.groupMax[number] = inner.max
    if (lookaround) {
      this.lookaroundExtent += inner.max
      // What a positive lookaround looks for is in the text too, within the reach of the match.
      return { requirement: null, zeroWidth: true, conjunction: positive ? inner.sets : null, max: 0 }
    }
    return { requirement: null, conjunction: inner.sets, exact: inner.exact, max: inner.max }
  }

  /**
   * A class's few known characters (null: too many, or unknown), and how many UTF-16 units it matches at most: 1 when
   * every member is in the BMP (in `u` mode a class matches one code point), else 2.
   */
  parseClass(): { requirement: Requirement; max: number } {
    this.i++ // [
    const negated = this.s[this.i] === "^"
    if (negated) this.i++
    const chars: string[] = []
    let known = !negated
    let bmpOnly = !negated
    while (this.i < this.s.length && this.s[this.i] !== "]") {
      let ch: string | null
      if (this.s[this.i] === "\\") {
        const atom = this.parseEscape()
        ch = atom.literal ?? null
        if (ch === null && atom.max !== 1) bmpOnly = false
      } else {
        const cp = this.s.codePointAt(this.i)!
        ch = String.fromCodePoint(cp)
        this.i += ch.length
      }
      if (ch === null) {
        known = false
        continue
      }
      if (this.s[this.i] === "-" && this.s[this.i + 1] !== "]") {
        this.i++
        let to: string | null
        if (this.s[this.i] === "\\") to = this.parseEscape().literal ?? null
        else {
          const cp = this.s.codePointAt(this.i)!
          to = String.fromCodePoint(cp)
          this.i += to.length
        }
        if (to === null) {
          known = false
          continue
        }
        const a = ch.codePointAt(0)!
        const b = to.codePointAt(0)!
        if (b > 0xffff || (b >= 0xd800 && a <= 0xdfff)) bmpOnly = false
        if (b - a > 16) known = false
        else for (let x = a; x <= b; x++) chars.push(String.fromCodePoint(x))
        continue
      }
      // An astral member, or half of one written as \uD83D\uDE00: the class can match two units.
      if (ch.length > 1 || (ch.charCodeAt(0) & 0xf800) === 0xd800) bmpOnly = false
      chars.push(ch)
    }
    this.i++ // ]
    const max = bmpOnly ? 1 : 2
    if (!known || chars.length === 0 || chars.length > 24) return { requirement: null, max }
    return { requirement: [...new Set(chars)], max }
  }

  parseEscape(): Atom {
    this.i++ // backslash
    const c = this.s[this.i]
    this.i++
    const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", f: "\f", v: "\v", "0": "\0" }
    if (c in simple) return { literal: simple[c], requirement: [simple[c]], max: 1 }
    if (c === "b" || c === "B") {
      this.anchored = true
      return { requirement: null, zeroWidth: true, max: 0 }
    }
    // \d, \w and \s match one BMP character; their complements may match an astral one (two units).
    if ("dws".includes(c)) return { requirement: null, max: 1 }
    if ("DWS".includes(c)) return { requirement: null, max: 2 }
    if (c === "p" || c === "P") {
      const end = this.s.indexOf("}", this.i)
      this.i = end + 1
      return { requirement: null, max: 2 }
    }
    if (c === "u") {
      let cp: number
      if (this.s[this.i] === "{") {
        const end = this.s.indexOf("}", this.i)
        cp = parseInt(this.s.slice(this.i + 1, end), 16)
        this.i = end + 1
      } else {
        cp = parseInt(this.s.slice(this.i, this.i + 4), 16)
        this.i += 4
      }
      const ch = String.fromCodePoint(cp)
      return { literal: ch, requirement: [ch], max: ch.length }
    }
    if (c === "x") {
      const ch = String.fromCharCode(parseInt(this.s.slice(this.i, this.i + 2), 16))
      this.i += 2
      return { literal: ch, requirement: [ch], max: 1 }
    }
    // A backreference matches what its group captured: at most the group's length, once the group is closed.
    if (c === "k") {
      const end = this.s.indexOf(">", this.i)
      const group = this.groupNames.get(this.s.slice(this.i + 1, end))
      this.i = end + 1
      return { requirement: null, max: (group !== undefined ? this.groupMax[group] : undefined) ?? Infinity }
    }
    if (/[1-9]/.test(c)) {
      const start = this.i - 1
      while (/[0-9]/.test(this.s[this.i] ?? "")) this.i++
      return { requirement: null, max: this.groupMax[Number(this.s.slice(start, this.i))] ?? Infinity }
    }
    if (c === "c") {
      this.i++
      return { requirement: null, max: 1 }
    }
    return { literal: c, requirement: [c], max: c.length }
  }
}

export interface PatternAnalysis {
  /** Up to 3 sets of literals, most selective first; every match contains a string of each. null: none known. */
  sets: string[][] | null
  /**
   * How far from a required literal a match, with everything its lookarounds look at, can reach (UTF-16 units):
   * cutting the text to that window around each literal finds the same matches. Infinity: unbounded or anchored.
   */
  reach: number
}

/**
 * `translate` maps a character of the view the regex runs on to the view the literals are looked for in ("" when
 * that view drops it); literals are returned in the latter. The default is the identity.
 */
export function analyzePattern(source: string, translate: (ch: string) => string = (ch) => ch): PatternAnalysis {
  try {
    const parser = new Parser(source, translate)
    const parsed = parser.parseAlternation(false)
    if (parser.i !== source.length || !parsed.sets) return { sets: null, reach: Infinity }
    const sets = parsed.sets.filter((set) => set.length > 0 && set.every((x) => x.length > 0))
    const reach = parser.anchored ? Infinity : parsed.max + parser.lookaroundExtent
    if (!sets.length) return { sets: null, reach: Infinity }
    // The rarest set, plus up to two more that are rare enough to be worth looking for: a set of frequent
    // characters (天|周|月) would cost an automaton report at nearly every position and filter almost nothing.
    return { sets: [sets[0], ...sets.slice(1).filter((set) => expectedFrequency(set) < 5).slice(0, 2)], reach }
  } catch {
    return { sets: null, reach: Infinity }
  }
}

/**
 * The smallest set of single characters, each accepted by `keep`, such that every match contains one of them (or
 * needs one in a positive lookaround); null if there is none. `reach` as in analyzePattern, found even without a set.
 * The engine asks for characters the compact view drops (quotes, dots): a text-view pattern's requirement the
 * automaton can't see.
 */
export function requiredCharSet(source: string, keep: (ch: string) => boolean): { set: string[] | null; reach: number } {
  try {
    const parser = new Parser(source, (ch) => (keep(ch) ? ch : ""))
    const parsed = parser.parseAlternation(false)
    if (parser.i !== source.length) return { set: null, reach: Infinity }
    const reach = parser.anchored ? Infinity : parsed.max + parser.lookaroundExtent
    // An element of several kept units (the "->" of (?:→|->)) is required through any of its units: its first stands for it.
    const sets = (parsed.sets ?? [])
      .filter((set) => set.length > 0 && set.every((x) => x.length > 0 && Array.from(x).every(keep)))
      .map((set) => [...new Set(set.map((x) => x[0]))])
    sets.sort((a, b) => a.length - b.length)
    return { set: sets[0] ?? null, reach }
  } catch {
    return { set: null, reach: Infinity }
  }
}

/** The required literal sets of a pattern (see analyzePattern). */
export function requiredLiterals(source: string, translate?: (ch: string) => string): string[][] | null {
  return analyzePattern(source, translate).sets
}
