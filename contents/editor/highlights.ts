/**
 * Body underlines with the CSS Custom Highlight API: three registered highlights holding DOM Ranges.
 * Nothing is inserted into the editor; the only node we add is one <style> in <head> (::highlight rules
 * must live in a document-level stylesheet).
 */
import type { Severity } from "../../src/engine/types"

export const HIGHLIGHT_NAMES: Record<Severity, string> = {
  error: "redline-error",
  warning: "redline-warning",
  info: "redline-info"
}

export const SEVERITY_COLORS: Record<Severity, string> = {
  error: "#e5484d",
  warning: "#f08c00",
  info: "#3b82f6"
}

const BACKGROUNDS: Record<Severity, string> = {
  error: "rgba(229, 72, 77, 0.12)",
  warning: "rgba(240, 140, 0, 0.12)",
  info: "rgba(59, 130, 246, 0.10)"
}

const PRIORITY: Record<Severity, number> = { error: 3, warning: 2, info: 1 }
const STYLE_ID = "redline-highlight-style"

export function highlightsSupported(): boolean {
  return typeof CSS !== "undefined" && "highlights" in CSS && typeof Highlight === "function"
}

function css(): string {
  return (Object.keys(HIGHLIGHT_NAMES) as Severity[])
    .map(
      (s) =>
        `::highlight(${HIGHLIGHT_NAMES[s]}){text-decoration-line:underline;text-decoration-style:wavy;` +
        `text-decoration-color:${SEVERITY_COLORS[s]};text-decoration-thickness:1.5px;text-underline-offset:3px;` +
        `text-decoration-skip-ink:none;background-color:${BACKGROUNDS[s]}}`
    )
    .join("\n")
}

function sameRanges(a: Range[], b: Range[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    const x = a[i]
    const y = b[i]
    if (x.startContainer !== y.startContainer || x.startOffset !== y.startOffset || x.endContainer !== y.endContainer || x.endOffset !== y.endOffset) return false
  }
  return true
}

export class Highlights {
  private readonly highlights = new Map<Severity, Highlight>()
  private style: HTMLStyleElement | null = null

  install(): void {
    if (!highlightsSupported()) return
    if (!this.style || !this.style.isConnected) {
      const existing = document.getElementById(STYLE_ID)
      if (existing) existing.remove()
      const style = document.createElement("style")
      style.id = STYLE_ID
      style.textContent = css()
      ;(document.head ?? document.documentElement).appendChild(style)
      this.style = style
    }
    for (const s of Object.keys(HIGHLIGHT_NAMES) as Severity[]) {
      let h = this.highlights.get(s)
      if (!h) {
        h = new Highlight()
        h.priority = PRIORITY[s]
        this.highlights.set(s, h)
      }
      if (CSS.highlights.get(HIGHLIGHT_NAMES[s]) !== h) CSS.highlights.set(HIGHLIGHT_NAMES[s], h)
    }
  }

  private current: Record<Severity, Range[]> = { error: [], warning: [], info: [] }

  /**
   * Replace the ranges of every severity at once. A highlight whose ranges did not move is left alone (the ranges
   * it holds are live and already follow the edit), so typing does not repaint every underline.
   */
  set(ranges: Record<Severity, Range[]>): void {
    if (!highlightsSupported()) return
    this.install()
    for (const s of Object.keys(HIGHLIGHT_NAMES) as Severity[]) {
      const h = this.highlights.get(s)!
      const next = ranges[s]
      if (h.size === next.length && sameRanges(this.current[s], next)) continue
      h.clear()
      for (const r of next) h.add(r)
      this.current[s] = next
    }
  }

  clear(): void {
    for (const h of this.highlights.values()) h.clear()
    this.current = { error: [], warning: [], info: [] }
  }

  uninstall(): void {
    if (highlightsSupported()) {
      for (const [s, h] of this.highlights) {
        if (CSS.highlights.get(HIGHLIGHT_NAMES[s]) === h) CSS.highlights.delete(HIGHLIGHT_NAMES[s])
      }
    }
    this.highlights.clear()
    this.style?.remove()
    this.style = null
  }
}
