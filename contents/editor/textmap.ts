/**
 * Text map: the body editor's visible text as one string (paragraphs joined by "\n"), with a map from
 * UTF-16 offsets back to DOM positions and from DOM positions to offsets. Read-only: never touches the DOM.
 *
 * - Each block (p, li, h1…) is one line; lines are joined with "\n" (the separator has no DOM segment).
 * - `<br>` is one character ("\n"), except a trailing break that only keeps an empty block open
 *   (ProseMirror's `br.ProseMirror-trailingBreak`, Quill's `<p><br></p>`).
 * - Topic nodes (`a.tiptap-topic`) contribute their visible `#name`, never the hidden `.content-hide` text.
 * - Other `contenteditable="false"` islands (mentions, widgets) are skipped.
 */

export interface Segment {
  /** Offset of the first character in the map's text. */
  start: number
  end: number
  /** A Text node (its whole data) or a `<br>` element (one "\n"). */
  node: Text | HTMLBRElement
}

export interface TextMap {
  root: HTMLElement
  text: string
  segments: Segment[]
}

const BLOCK_TAGS = new Set([
  "P", "DIV", "LI", "UL", "OL", "H1", "H2", "H3", "H4", "H5", "H6", "BLOCKQUOTE", "PRE",
  "TABLE", "TBODY", "THEAD", "TR", "TD", "TH", "SECTION", "ARTICLE", "HR", "FIGURE", "DL", "DT", "DD"
])
const SKIP_TAGS = new Set(["SCRIPT", "STYLE", "TEMPLATE", "IMG", "SVG", "svg", "VIDEO", "AUDIO", "CANVAS", "IFRAME", "INPUT", "TEXTAREA", "BUTTON", "SELECT"])

const isBlock = (el: Element): boolean => BLOCK_TAGS.has(el.tagName)

export function isTopic(el: Element): boolean {
  return el.tagName === "A" && el.classList.contains("tiptap-topic")
}

function skipElement(el: Element): boolean {
  if (SKIP_TAGS.has(el.tagName)) return true
  if (el.classList.contains("content-hide")) return true
  if (el.classList.contains("ProseMirror-separator")) return true
  if (el.getAttribute("contenteditable") === "false" && !isTopic(el)) return true
  return false
}

function isTrailingBreak(br: Element): boolean {
  if (br.classList.contains("ProseMirror-trailingBreak")) return true
  let n = br.nextSibling
  while (n && n.nodeType === Node.TEXT_NODE && (n as Text).data === "") n = n.nextSibling
  if (n) return false
  const parent = br.parentElement
  return parent !== null && isBlock(parent)
}

export function buildTextMap(root: HTMLElement): TextMap {
  const segments: Segment[] = []
  let text = ""
  let lines = 0
  let lineOpen = false

  const startLine = (): void => {
    if (lines > 0) text += "\n"
    lines++
    lineOpen = true
  }

  const visit = (parent: Node): void => {
    for (let child = parent.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === Node.TEXT_NODE) {
        const t = child as Text
        if (t.data.length === 0) continue
        if (!lineOpen) startLine()
        segments.push({ start: text.length, end: text.length + t.data.length, node: t })
        text += t.data
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        const el = child as Element
        if (skipElement(el)) continue
        if (el.tagName === "BR") {
          if (!lineOpen) startLine()
          if (isTrailingBreak(el)) continue
          segments.push({ start: text.length, end: text.length + 1, node: el as HTMLBRElement })
          text += "\n"
        } else if (isBlock(el)) {
          lineOpen = false
          const before = lines
          visit(el)
          if (lines === before) startLine() // an empty block is still a line
          lineOpen = false
        } else {
          visit(el)
        }
      }
    }
  }

  visit(root)
  return { root, text, segments }
}

/** Index of the first segment whose end is > offset (binary search). */
function segmentAfter(segments: Segment[], offset: number): number {
  let lo = 0
  let hi = segments.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (segments[mid].end <= offset) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** DOM boundary points of a span: node + offset each side (a `<br>` is addressed through its parent). */
export interface Points {
  startNode: Node
  startOffset: number
  endNode: Node
  endOffset: number
}

function indexInParent(node: Node): number {
  let i = 0
  for (let n = node.previousSibling; n; n = n.previousSibling) i++
  return i
}

/** Boundary points of text[start, end), or null when the span has no DOM text (e.g. only separators). */
export function pointsFor(map: TextMap, start: number, end: number): Points | null {
  if (end <= start || start < 0 || end > map.text.length) return null
  const segs = map.segments
  const i = segmentAfter(segs, start)
  if (i >= segs.length) return null
  const first = segs[i]
  // last segment whose start < end
  let j = segmentAfter(segs, end - 1)
  if (j >= segs.length) j = segs.length - 1
  while (j > i && segs[j].start >= end) j--
  const last = segs[j]
  if (last.start >= end || first.start >= end) return null
  const s = Math.max(start, first.start)
  const e = Math.min(end, last.end)
  const textStart = first.node.nodeType === Node.TEXT_NODE
  const textEnd = last.node.nodeType === Node.TEXT_NODE
  return {
    startNode: textStart ? first.node : first.node.parentNode!,
    startOffset: textStart ? s - first.start : indexInParent(first.node),
    endNode: textEnd ? last.node : last.node.parentNode!,
    endOffset: textEnd ? e - last.start : indexInParent(last.node) + 1
  }
}

export function samePoints(r: AbstractRange, p: Points): boolean {
  return r.startContainer === p.startNode && r.startOffset === p.startOffset && r.endContainer === p.endNode && r.endOffset === p.endOffset
}

/** A DOM Range over text[start, end), or null when the span has no DOM text (e.g. only separators). */
export function rangeFor(map: TextMap, start: number, end: number): Range | null {
  const p = pointsFor(map, start, end)
  if (!p) return null
  const range = document.createRange()
  range.setStart(p.startNode, p.startOffset)
  range.setEnd(p.endNode, p.endOffset)
  return range
}

/** The text offset of a DOM position (node, offset) inside the map's root; clamps to the nearest text. */
export function offsetAt(map: TextMap, node: Node, offset: number): number {
  for (const seg of map.segments) {
    if (seg.node === node && node.nodeType === Node.TEXT_NODE) return seg.start + Math.min(offset, seg.end - seg.start)
  }
  // An element position (or a node outside the segments): first segment at or after the point.
  const point = document.createRange()
  try {
    point.setStart(node, offset)
  } catch {
    return map.text.length
  }
  for (const seg of map.segments) {
    const segRange = document.createRange()
    segRange.selectNode(seg.node)
    // segment starts at/after the point?
    if (point.compareBoundaryPoints(Range.START_TO_START, segRange) <= 0) return seg.start
    // point inside a <br> segment boundary is handled by the above; inside a text node handled earlier
  }
  return map.text.length
}
