import type { Finding } from "../../src/engine/types"

/**
 * Carry findings computed on `checked` over to `current` text without re-checking: findings before the
 * changed span keep their offsets, findings after it shift, findings touching it are dropped (their text
 * changed since it was checked, so no underline may be drawn on it).
 */
export function carryFindings<F extends Pick<Finding, "start" | "end" | "text">>(checked: string, current: string, findings: F[]): F[] {
  if (checked === current) return findings
  const min = Math.min(checked.length, current.length)
  let p = 0
  while (p < min && checked.charCodeAt(p) === current.charCodeAt(p)) p++
  let s = 0
  while (s < min - p && checked.charCodeAt(checked.length - 1 - s) === current.charCodeAt(current.length - 1 - s)) s++
  const changedEnd = checked.length - s
  const delta = current.length - checked.length
  const out: F[] = []
  for (const f of findings) {
    if (f.end <= p) {
      out.push(f)
    } else if (f.start >= changedEnd) {
      out.push({ ...f, start: f.start + delta, end: f.end + delta })
    }
  }
  // Safety net: never keep a finding whose text is not at its offsets any more.
  return out.filter((f) => current.slice(f.start, f.end) === f.text)
}
