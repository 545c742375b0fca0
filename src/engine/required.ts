/**
 * Required literals of a regular expression: a set of strings such that every match contains at least one of them.
 * The engine feeds them to the automaton it already runs, and skips a pattern whose required literals are absent —
 * most patterns of a pack never get to scan a note at all. `null` means "no requirement found": always run.
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
  requirement: Requirement
  /** Zero-width (anchors, lookarounds): neither requires nor breaks anything. */
  zeroWidth?: boolean
}

class Parser {
  i = 0
  constructor(readonly s: string) {}

  parseAlternation(): Requirement {
    const branches: Requirement[] = [this.parseSequence()]
    while (this.s[this.i] === "|") {
      this.i++
      branches.push(this.parseSequence())
    }
    if (branches.some((b) => b === null)) return null
    return [...new Set(branches.flat() as string[])]
  }

  parseSequence(): Requirement {
    const candidates: string[][] = []
    let run = ""
    const flush = () => {
      if (run) candidates.push([run])
      run = ""
    }
    while (this.i < this.s.length && this.s[this.i] !== "|" && this.s[this.i] !== ")") {
      const atom = this.parseAtom()
      const { min, quantified } = this.parseQuantifier()
      if (atom.zeroWidth) continue
      if (!quantified && atom.literal !== undefined) {
        run += atom.literal
        continue
      }
      flush()
      if (min >= 1 && atom.requirement) {
        if (atom.literal !== undefined) run = atom.literal // one occurrence is certain; a repeat breaks the run after it
        else candidates.push(atom.requirement)
        flush()
      }
    }
    flush()
    if (candidates.length === 0) return null
    // The most selective candidate: the one least likely to occur in ordinary text.
    candidates.sort((a, b) => expectedFrequency(a) - expectedFrequency(b))
    return candidates[0]
  }

  parseQuantifier(): { min: number; quantified: boolean } {
    const c = this.s[this.i]
    let min = 1
    if (c === "*" || c === "?") min = 0
    else if (c === "+") min = 1
    else if (c === "{") {
      const m = /^\{(\d+)(,\d*)?\}/.exec(this.s.slice(this.i))
      if (!m) return { min: 1, quantified: false }
      this.i += m[0].length
      if (this.s[this.i] === "?") this.i++
      return { min: Number(m[1]), quantified: true }
    } else return { min: 1, quantified: false }
    this.i++
    if (this.s[this.i] === "?") this.i++
    return { min, quantified: true }
  }

  parseAtom(): Atom {
    const c = this.s[this.i]
    if (c === "(") return this.parseGroup()
    if (c === "[") return { requirement: this.parseClass() }
    if (c === "\\") return this.parseEscape()
    if (c === ".") {
      this.i++
      return { requirement: null }
    }
    if (c === "^" || c === "$") {
      this.i++
      return { requirement: null, zeroWidth: true }
    }
    const cp = this.s.codePointAt(this.i)!
    const ch = String.fromCodePoint(cp)
    this.i += ch.length
    return { literal: ch, requirement: [ch] }
  }

  parseGroup(): Atom {
    this.i++ // (
    let lookaround = false
    if (this.s.startsWith("?:", this.i)) this.i += 2
    else if (this.s.startsWith("?=", this.i) || this.s.startsWith("?!", this.i)) {
      this.i += 2
      lookaround = true
    } else if (this.s.startsWith("?<=", this.i) || this.s.startsWith("?<!", this.i)) {
      this.i += 3
      lookaround = true
    } else if (this.s.startsWith("?<", this.i)) {
      const end = this.s.indexOf(">", this.i)
      this.i = end + 1
    }
    const requirement = this.parseAlternation()
    if (this.s[this.i] !== ")") throw new Error("unbalanced group")
    this.i++
    return lookaround ? { requirement: null, zeroWidth: true } : { requirement }
  }

  parseClass(): Requirement {
    this.i++ // [
    const negated = this.s[this.i] === "^"
    if (negated) this.i++
    const chars: string[] = []
    let known = !negated
    while (this.i < this.s.length && this.s[this.i] !== "]") {
      let ch: string | null
      if (this.s[this.i] === "\\") {
        const atom = this.parseEscape()
        ch = atom.literal ?? null
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
        if (b - a > 16) known = false
        else for (let x = a; x <= b; x++) chars.push(String.fromCodePoint(x))
        continue
      }
      chars.push(ch)
    }
    this.i++ // ]
    if (!known || chars.length === 0 || chars.length > 24) return null
    return [...new Set(chars)]
  }

  parseEscape(): Atom {
    this.i++ // backslash
    const c = this.s[this.i]
    this.i++
    const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", f: "\f", v: "\v", "0": "\0" }
    if (c in simple) return { literal: simple[c], requirement: [simple[c]] }
    if (c === "b" || c === "B") return { requirement: null, zeroWidth: true }
    if ("dDwWsS".includes(c)) return { requirement: null }
    if (c === "p" || c === "P") {
      const end = this.s.indexOf("}", this.i)
      this.i = end + 1
      return { requirement: null }
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
      return { literal: ch, requirement: [ch] }
    }
    if (c === "x") {
      const ch = String.fromCharCode(parseInt(this.s.slice(this.i, this.i + 2), 16))
      this.i += 2
      return { literal: ch, requirement: [ch] }
    }
    if (c === "k") {
      const end = this.s.indexOf(">", this.i)
      this.i = end + 1
      return { requirement: null }
    }
    if (/[1-9]/.test(c)) {
      while (/[0-9]/.test(this.s[this.i] ?? "")) this.i++
      return { requirement: null }
    }
    if (c === "c") {
      this.i++
      return { requirement: null }
    }
    return { literal: c, requirement: [c] }
  }
}

export function requiredLiterals(source: string): string[] | null {
  try {
    const parser = new Parser(source)
    const requirement = parser.parseAlternation()
    if (parser.i !== source.length) return null
    if (!requirement || requirement.length === 0 || requirement.some((s) => s.length === 0)) return null
    return requirement
  } catch {
    return null
  }
}
