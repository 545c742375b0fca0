/**
 * Title underlines: an <input>/<textarea> cannot hold highlights, so a transparent mirror of the field
 * (same font, padding, border widths, scroll) sits exactly over it in the shadow-root layer, with the
 * flagged spans underlined. pointer-events: none; the field itself is never touched.
 */
import type { Severity } from "../../src/engine/types"
import type { TitleElement } from "./locate"

export interface TitleMark {
  start: number
  end: number
  severity: Severity
  key: string
}

const COPIED = [
  "font-family", "font-size", "font-weight", "font-style", "font-variant", "font-stretch", "letter-spacing", "word-spacing",
  "text-transform", "text-indent", "text-align", "direction", "tab-size", "font-feature-settings", "font-kerning",
  "padding-top", "padding-right", "padding-bottom", "padding-left",
  "border-top-width", "border-right-width", "border-bottom-width", "border-left-width",
  "border-top-style", "border-right-style", "border-bottom-style", "border-left-style", "box-sizing"
]

const UNDERLINE_ROOM = 8

export class TitleOverlay {
  readonly mirror: HTMLDivElement
  private spans = new Map<string, HTMLSpanElement>()
  private lastValue = ""
  private lastMarksKey = ""

  constructor(layer: HTMLElement) {
    this.mirror = document.createElement("div")
    this.mirror.className = "title-mirror"
    this.mirror.setAttribute("aria-hidden", "true")
    this.mirror.style.display = "none"
    layer.appendChild(this.mirror)
  }

  /** Rebuild content (only when value/marks changed) and position over the field. */
  update(field: TitleElement | null, value: string, marks: TitleMark[], layout = true): void {
    const m = this.mirror
    if (!field || marks.length === 0) {
      m.style.display = "none"
      if (this.spans.size > 0 || m.firstChild) {
        m.textContent = ""
        this.spans.clear()
      }
      this.lastMarksKey = ""
      this.lastValue = ""
      return
    }
    const marksKey = marks.map((k) => `${k.start}-${k.end}-${k.severity}-${k.key}`).join("|")
    const changed = value !== this.lastValue || marksKey !== this.lastMarksKey || m.style.display === "none"
    if (changed) {
      this.lastValue = value
      this.lastMarksKey = marksKey
      this.spans.clear()
      m.textContent = ""
      let pos = 0
      const sorted = [...marks].sort((a, b) => a.start - b.start)
      for (const mark of sorted) {
        if (mark.start < pos) continue
        if (mark.start > pos) m.append(value.slice(pos, mark.start))
        const span = document.createElement("span")
        span.className = `u ${mark.severity}`
        span.textContent = value.slice(mark.start, mark.end)
        m.append(span)
        this.spans.set(mark.key, span)
        pos = mark.end
      }
      m.append(value.slice(pos) + "\u200b")
    }
    if (changed || layout || field.scrollLeft !== m.scrollLeft || field.scrollTop !== m.scrollTop) this.position(field)
  }

  position(field: TitleElement): void {
    const m = this.mirror
    const r = field.getBoundingClientRect()
    if (r.width === 0 && r.height === 0) {
      m.style.display = "none"
      return
    }
    const cs = getComputedStyle(field)
    const st = m.style
    for (const p of COPIED) st.setProperty(p, cs.getPropertyValue(p))
    st.display = "block"
    st.left = `${r.left}px`
    st.top = `${r.top}px`
    // Taller than the field by UNDERLINE_ROOM so the wavy underline below the last line is not clipped; the text
    // stays where the field draws it (same top border and padding, explicit line height).
    st.width = `${r.width}px`
    st.height = `${r.height + UNDERLINE_ROOM}px`
    st.paddingBottom = `${parseFloat(cs.paddingBottom) + UNDERLINE_ROOM}px`
    st.boxSizing = "border-box"
    st.borderColor = "transparent"
    if (field.tagName === "TEXTAREA") {
      st.whiteSpace = "pre-wrap"
      st.overflowWrap = "break-word"
      st.lineHeight = cs.lineHeight
    } else {
      st.whiteSpace = "pre"
      // An <input> centres its single line in the content box.
      const inner = field.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom)
      st.lineHeight = `${Math.max(inner, 0)}px`
    }
    m.scrollLeft = field.scrollLeft
    m.scrollTop = field.scrollTop
  }

  /** Client rects of the underlined span for a mark key (for hit-testing and placing the card). */
  rects(key: string): DOMRect[] {
    const span = this.spans.get(key)
    if (!span || this.mirror.style.display === "none") return []
    return Array.from(span.getClientRects())
  }

  destroy(): void {
    this.mirror.remove()
  }
}
