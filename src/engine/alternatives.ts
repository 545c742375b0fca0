/**
 * A context pattern as the alternatives it is a union of. Context patterns only answer "does this window match?"
 * (RegExp.test), and a window matches `A|B` exactly when it matches `A` or matches `B`, so a long pattern can be run
 * as its alternatives, each behind its own required-literal prefilter (required.ts): most alternatives of a
 * 1,500-character `notAfter` list lack their literal in a 24-unit window and never run.
 *
 * Besides the top-level `|`, two shapes distribute over an inner alternation:
 * - `$(?<=A|B)` (the whole pattern one lookbehind at the end) is `$(?<=A)|$(?<=B)`;
 * - `P(?:A|B)` (a final non-capturing group, no quantifier after it) is `P(?:A)|P(?:B)`.
 * Conservative: a pattern with backreferences or named groups is not split (null).
 */

/** Most alternatives one pattern is split into; past that it is run whole. */
const MAX_PARTS = 96

/** Index just past the group or class opening at `i` (`(` or `[`), honouring escapes (a class ends at its first unescaped `]`: no `v` flag). */
function closingOf(source: string, i: number): number {
  if (source[i] === "[") {
    let j = i + 1
    while (j < source.length && source[j] !== "]") j += source[j] === "\\" ? 2 : 1
    if (j >= source.length) throw new Error("unclosed class")
    return j + 1
  }
  let depth = 0
  for (let j = i; j < source.length; ) {
    const c = source[j]
    if (c === "\\") j += 2
    else if (c === "[") j = closingOf(source, j)
    else {
      if (c === "(") depth++
      else if (c === ")" && --depth === 0) return j + 1
      j++
    }
  }
  throw new Error("unclosed group")
}

/** The top-level alternatives of `source` (itself, alone, when it has no top-level `|`). */
export function topLevelAlternatives(source: string): string[] {
  const parts: string[] = []
  let start = 0
  for (let i = 0; i < source.length; ) {
    const c = source[i]
    if (c === "\\") i += 2
    else if (c === "(" || c === "[") i = closingOf(source, i)
    else {
      if (c === "|") {
        parts.push(source.slice(start, i))
        start = i + 1
      }
      i++
    }
  }
  parts.push(source.slice(start))
  return parts
}

/** Where the last top-level atom of `alternative` starts, when it is a group ending the alternative; else -1. */
function finalGroupStart(alternative: string): number {
  let last = -1
  for (let i = 0; i < alternative.length; ) {
    const c = alternative[i]
    if (c === "\\") {
      last = -1
      i += 2
    } else if (c === "(" || c === "[") {
      const end = closingOf(alternative, i)
      last = c === "(" && end === alternative.length ? i : -1
      i = end
    } else {
      last = -1
      i++
    }
  }
  return last
}

/** Appends the alternatives of `source` to `out`, distributing inner alternations while the total stays ≤ `budget`. */
function expand(source: string, out: string[], budget: number): void {
  const alternatives = topLevelAlternatives(source)
  if (out.length + alternatives.length > budget) throw new Error("too many parts")
  alternatives.forEach((alternative, i) => {
    // What the alternatives after this one need at least (one each), so the distribution leaves room for them.
    const room = budget - (alternatives.length - 1 - i)
    const g = finalGroupStart(alternative)
    const inner = g < 0 ? null : alternative.slice(g + 1, -1)
    const inside: string[] = []
    let wrap: ((b: string) => string) | null = null
    try {
      if (inner !== null && alternative.slice(0, g) === "$" && inner.startsWith("?<=")) {
        expand(inner.slice(3), inside, room - out.length)
        wrap = (b) => `$(?<=${b})`
      } else if (inner !== null && inner.startsWith("?:") && topLevelAlternatives(inner.slice(2)).length > 1) {
        expand(inner.slice(2), inside, room - out.length)
        const prefix = alternative.slice(0, g)
        wrap = (b) => `${prefix}(?:${b})`
      }
    } catch {
      wrap = null // too many: this alternative stays whole
    }
    if (wrap === null) out.push(alternative)
    else for (const b of inside) out.push(wrap(b))
  })
}

/**
 * The alternatives a context pattern can be run as (see above), or null when it is one alternative, would split into
 * more than MAX_PARTS, or has backreferences.
 */
export function contextAlternatives(source: string): string[] | null {
  // Backreferences would change meaning when group numbers shift; named groups would be repeated across the parts
  // joined into one regex (a duplicate name is an error in Node 20).
  if (/\\[1-9]|\\k<|\(\?<[A-Za-z_$]/.test(source)) return null
  try {
    const parts: string[] = []
    expand(source, parts, MAX_PARTS)
    return parts.length > 1 ? parts : null
  } catch {
    return null
  }
}
