/**
 * Context patterns that are only anchored literals: every top-level alternative is `^G L` or `L G$`, where L stands
 * for a few fixed strings (literal characters, `(?:a|b)` groups of such, small classes like `[里内]`, `?`) and G is
 * an optional gap `[^…]{0,n}` / `[^…]*` of characters other than a few. Such a pattern matches a window exactly
 * when, at the window's start (or end), up to n characters outside the class are followed (preceded) by one of the
 * strings, so the engine checks those strings at the window's edges and runs no regular expression for it.
 *
 * Conservative: anything else (other escapes, quantifiers, lookarounds, negated classes, ranges, flags-sensitive
 * syntax, characters outside the BMP) makes the pattern "not literal" (null), and the engine runs it as a regex.
 */

/** One top-level alternative: strings at a window edge, possibly behind a gap. */
export interface LiteralBranch {
  strings: string[]
  /** The characters the gap may not contain ("" and max 0 when there is no gap). */
  exclude: string
  /** Most characters (code points) in the gap; null: no limit. */
  max: number | null
}

/** The alternatives of a literal context pattern, by the edge they are anchored to. */
export interface AnchoredLiterals {
  /** `^G L`: the window starts with a gap, then one of the strings. */
  start: LiteralBranch[]
  /** `L G$`: one of the strings, then a gap that ends the window. */
  end: LiteralBranch[]
}

/** Most strings one pattern may expand to; more and it stays a regex. */
const MAX_STRINGS = 4096

/** Characters with a meaning of their own in a pattern: not literals when unescaped. */
const SYNTAX = new Set(Array.from("\\^$.|?*+()[]{}/"))
/** Escapes that stand for the character itself in `u` mode. */
const IDENTITY_ESCAPES = new Set(Array.from("\\^$.|?*+()[]{}/-"))

class Failure extends Error {}

class LiteralParser {
  i = 0
  constructor(readonly source: string) {}

  fail(): never {
    throw new Failure()
  }

  peek(): string {
    return this.source[this.i]
  }

  /** An alternation of sequences (inside a group, or a top-level alternative's body). */
  alternation(): string[] {
    const strings = new Set<string>()
    for (;;) {
      for (const s of this.sequence()) strings.add(s)
      if (strings.size > MAX_STRINGS) this.fail()
      if (this.peek() !== "|") return [...strings]
      this.i++
    }
  }

  /** Concatenated items up to `|`, `)`, `$` or the end. */
  sequence(): string[] {
    let strings = [""]
    while (this.i < this.source.length) {
      const c = this.peek()
      if (c === "|" || c === ")" || c === "$" || this.atGap()) break
      let item = this.item()
      if (this.peek() === "?") {
        this.i++
        item = item.includes("") ? item : ["", ...item]
      }
      const c2 = this.peek()
      if (c2 === "*" || c2 === "+" || c2 === "{" || c2 === "?") this.fail()
      if (strings.length * item.length > MAX_STRINGS) this.fail()
      const next: string[] = []
      for (const a of strings) for (const b of item) next.push(a + b)
      strings = next
    }
    return strings
  }

  item(): string[] {
    const c = this.peek()
    if (c === "(") {
      if (!this.source.startsWith("(?:", this.i)) this.fail()
      this.i += 3
      const inner = this.alternation()
      if (this.peek() !== ")") this.fail()
      this.i++
      return inner
    }
    if (c === "[") return this.charClass()
    if (c === "\\") return [this.escape()]
    if (SYNTAX.has(c)) this.fail()
    this.i++
    return [this.literalChar(c)]
  }

  /** At a negated class (the start of a gap). */
  atGap(): boolean {
    return this.peek() === "[" && this.source[this.i + 1] === "^"
  }

  /** `[^…]` followed by `*`, `{0,n}` (either possibly lazy): the gap's excluded characters and its most length. */
  gap(): { exclude: string; max: number | null } {
    this.i += 2
    const chars = this.classChars(true)
    let max: number | null
    if (this.peek() === "*") {
      this.i++
      max = null
    } else {
      const m = /^\{0,(\d{1,3})\}/.exec(this.source.slice(this.i))
      if (!m) this.fail()
      this.i += m[0].length
      max = Number(m[1])
    }
    if (this.peek() === "?") this.i++
    const next = this.peek()
    if (next === "*" || next === "+" || next === "{" || next === "?") this.fail()
    return { exclude: [...chars].join(""), max }
  }

  charClass(): string[] {
    this.i++
    if (this.peek() === "^") this.fail()
    const chars = this.classChars(false)
    return [...chars]
  }

  /** The characters of a class body up to and past its `]` (no ranges, no nested classes; `\d` only in a gap). */
  classChars(digits: boolean): Set<string> {
    const chars = new Set<string>()
    while (this.i < this.source.length && this.peek() !== "]") {
      const c = this.peek()
      if (digits && c === "\\" && this.source[this.i + 1] === "d") {
        this.i += 2
        for (const d of "0123456789") chars.add(d)
      } else if (c === "\\") chars.add(this.escape())
      else if (c === "-" || c === "[") this.fail()
      else {
        this.i++
        chars.add(this.literalChar(c))
      }
    }
    if (this.peek() !== "]" || chars.size === 0) this.fail()
    this.i++
    return chars
  }

  escape(): string {
    const c = this.source[this.i + 1]
    this.i += 2
    if (c === "n") return "\n"
    if (c !== undefined && IDENTITY_ESCAPES.has(c)) return c
    return this.fail()
  }

  literalChar(c: string): string {
    const code = c.charCodeAt(0)
    if (code >= 0xd800 && code <= 0xdfff) this.fail()
    return c
  }
}

/**
 * The anchored literals `source` stands for, or null when it is not only anchored literals (see the module comment).
 * A pattern that accepts the empty string at an anchor matches every window: its list then holds "".
 */
export function anchoredLiterals(source: string): AnchoredLiterals | null {
  const parser = new LiteralParser(source)
  const start: LiteralBranch[] = []
  const end: LiteralBranch[] = []
  let total = 0
  const noGap = { exclude: "", max: 0 }
  try {
    for (;;) {
      if (parser.peek() === "^") {
        parser.i++
        const gap = parser.atGap() ? parser.gap() : noGap
        const strings = parser.sequence()
        if (parser.peek() === "$" || parser.atGap()) parser.fail() // ^…$: the whole window, not an edge
        start.push({ strings, ...gap })
        total += strings.length
      } else {
        const strings = parser.sequence()
        const gap = parser.atGap() ? parser.gap() : noGap
        if (parser.peek() !== "$") parser.fail()
        parser.i++
        end.push({ strings, ...gap })
        total += strings.length
      }
      if (total > MAX_STRINGS) parser.fail()
      if (parser.i >= source.length) break
      if (parser.peek() !== "|") parser.fail()
      parser.i++
    }
  } catch (e) {
    if (e instanceof Failure) return null
    throw e
  }
  return { start, end }
}
