/** Finding the visible title field and body editor on the publish page (the app keeps offscreen copies). */

export type TitleElement = HTMLInputElement | HTMLTextAreaElement

export interface EditorTargets {
  body: HTMLElement | null
  title: TitleElement | null
}

/** Tiptap (ProseMirror) first, then the older Quill editor. */
const BODY_SELECTORS = [
  'div.tiptap.ProseMirror[contenteditable="true"]',
  '.ProseMirror[contenteditable="true"]',
  '.ql-editor[contenteditable="true"]'
]

const TITLE_SELECTORS = [
  'input[placeholder*="填写标题"]',
  ".title-container input.d-text",
  ".titleInput input.d-text",
  'textarea[placeholder*="输入标题"]',
  "textarea.d-text",
  "div.d-input input.d-text",
  "input.d-text"
]

/** Rendered, not hidden, and at least partly inside the horizontal extent of the page (not at left:-9999px). */
export function isVisible(el: Element): boolean {
  if (!el.isConnected) return false
  const anyEl = el as Element & { checkVisibility?: (o?: object) => boolean }
  if (typeof anyEl.checkVisibility === "function" && !anyEl.checkVisibility({ visibilityProperty: true, opacityProperty: true })) return false
  const r = el.getBoundingClientRect()
  if (r.width === 0 && r.height === 0) return false
  const docWidth = Math.max(document.documentElement.scrollWidth, window.innerWidth)
  const left = r.left + window.scrollX
  const top = r.top + window.scrollY
  if (left + r.width <= 0 || left >= docWidth) return false
  if (top + r.height <= 0) return false
  return true
}

function firstVisible<T extends Element>(selector: string): T | null {
  let best: T | null = null
  let bestArea = -1
  for (const el of document.querySelectorAll<T>(selector)) {
    if (!isVisible(el)) continue
    const r = el.getBoundingClientRect()
    const area = r.width * Math.max(r.height, 1)
    if (area > bestArea) {
      best = el
      bestArea = area
    }
  }
  return best
}

export function locate(): EditorTargets {
  let body: HTMLElement | null = null
  for (const sel of BODY_SELECTORS) {
    body = firstVisible<HTMLElement>(sel)
    if (body) break
  }
  let title: TitleElement | null = null
  for (const sel of TITLE_SELECTORS) {
    const el = firstVisible<TitleElement>(sel)
    if (el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA") && !(body && body.contains(el))) {
      title = el
      break
    }
  }
  return { body, title }
}
