/**
 * The publish gate: a capture-phase click interception on 发布 that, when the note has error findings and the
 * gate is on, stops the click and asks first. 暂存离开 (save draft) is never blocked.
 *
 * `xhs-publish-btn` keeps 发布 and 暂存离开 in a closed shadow root: outside it a click only shows the host. A
 * content script can open it with chrome.dom.openOrClosedShadowRoot; a capture listener on that shadow root runs
 * before the inner buttons' own listeners and its composedPath() names the inner button, so we know which one
 * was clicked. Without that API we cannot tell the two apart and never block (blocking a draft save is worse than
 * missing the gate).
 */
import { SEVERITY_NAMES, type Finding } from "../../src/engine/types"
import { el, type UiHost } from "./ui"

export type ClickKind = "publish" | "save" | null

const BUTTONISH = 'button, [role="button"], .d-button, .d-button-content'

function buttonText(e: Element): string {
  return (e.textContent ?? "").replace(/\s+/g, "")
}

/** Classifies the button-like element the path goes through (innermost first). */
export function classifyPath(path: EventTarget[], submitText = "发布", saveText = "暂存离开"): { kind: ClickKind; button: HTMLElement | null } {
  for (const t of path) {
    if (!(t instanceof Element)) continue
    if (t.tagName === "XHS-PUBLISH-BTN") return { kind: null, button: null } // handled inside its shadow root
    if (!t.matches(BUTTONISH)) continue
    const btn = (t.closest("button, [role=button], .d-button") as HTMLElement | null) ?? (t as HTMLElement)
    const text = buttonText(btn)
    if (!text) continue
    if (text.includes("暂存") || text === saveText.replace(/\s+/g, "")) return { kind: "save", button: btn }
    if (text === submitText.replace(/\s+/g, "") || text === "发布") return { kind: "publish", button: btn }
    return { kind: null, button: null }
  }
  return { kind: null, button: null }
}

export function openShadowRoot(host: HTMLElement): ShadowRoot | null {
  if (host.shadowRoot) return host.shadowRoot
  try {
    return typeof chrome !== "undefined" && chrome.dom?.openOrClosedShadowRoot ? chrome.dom.openOrClosedShadowRoot(host) : null
  } catch {
    return null
  }
}

export interface GateHooks {
  /** Should this publish click be held? "block" = show the dialog, "wait" = a check is needed first, "pass" = let it go. */
  decide(): "block" | "wait" | "pass"
  /** Run a check now and resolve with the decision afterwards ("block" or "pass"). */
  checkNow(): Promise<"block" | "pass">
  errors(): Finding[]
  focusFirstError(): void
}

export class Gate {
  private bypass = false
  private destroyed = false
  private dialog: HTMLElement | null = null
  private readonly hooked = new WeakSet<ShadowRoot>()
  private readonly listeners: Array<() => void> = []

  constructor(
    private readonly ui: UiHost,
    private readonly hooks: GateHooks
  ) {
    const onWindowClick = (e: MouseEvent): void => {
      if (this.bypass) return
      const path = e.composedPath()
      if (path.includes(this.ui.host)) return
      const { kind, button } = classifyPath(path)
      if (kind === "publish" && button) this.intercept(e, button)
    }
    window.addEventListener("click", onWindowClick, true)
    this.listeners.push(() => window.removeEventListener("click", onWindowClick, true))
  }

  /** Hook every xhs-publish-btn's shadow root (called when the page changes). */
  scan(): void {
    for (const host of document.querySelectorAll<HTMLElement>("xhs-publish-btn")) {
      const root = openShadowRoot(host)
      if (!root || this.hooked.has(root)) continue
      this.hooked.add(root)
      const onInnerClick = (e: Event): void => {
        if (this.bypass) return
        const submit = host.getAttribute("submit-text") || "发布"
        const save = host.getAttribute("save-text") || "暂存离开"
        const path = e.composedPath()
        const hostAt = path.indexOf(host)
        const inner = hostAt >= 0 ? path.slice(0, hostAt) : path
        const { kind, button } = classifyPath(inner, submit, save)
        if (kind === "publish" && button) this.intercept(e as MouseEvent, button)
      }
      root.addEventListener("click", onInnerClick, true)
      this.listeners.push(() => root.removeEventListener("click", onInnerClick, true))
    }
  }

  private intercept(e: MouseEvent, button: HTMLElement): void {
    if ((button as HTMLButtonElement).disabled) return
    const decision = this.hooks.decide()
    if (decision === "pass") return
    e.preventDefault()
    e.stopImmediatePropagation()
    if (decision === "block") {
      this.show(button)
      return
    }
    void this.hooks.checkNow().then(
      (d) => {
        // torn down meanwhile (extension reloaded): never swallow the creator's click
        if (d === "block" && !this.destroyed) this.show(button)
        else this.release(button)
      },
      () => this.release(button)
    )
  }

  /** Let the original click through: re-dispatch it on the same button, unblocked. */
  private release(button: HTMLElement): void {
    this.bypass = true
    try {
      button.click()
    } finally {
      this.bypass = false
    }
  }

  get isOpen(): boolean {
    return this.dialog !== null
  }

  private show(button: HTMLElement): void {
    this.close()
    const errors = this.hooks.errors()
    const back = el("button", { type: "button", class: "primary", "data-action": "back" }, el("span", {}, "返回修改"), el("small", {}, "Go back and edit"))
    const anyway = el("button", { type: "button", "data-action": "publish-anyway" }, el("span", {}, "仍然发布"), el("small", {}, "Publish anyway"))
    const list = el("ul")
    for (const f of errors.slice(0, 20)) {
      list.append(el("li", {}, el("strong", {}, `「${f.text}」`), ` ${f.message.zh}`))
    }
    if (errors.length > 20) list.append(el("li", {}, `…… 另有 ${errors.length - 20} 处 · ${errors.length - 20} more`))
    const dialog = el(
      "div",
      { class: "dialog", role: "alertdialog", "aria-modal": "true", "aria-labelledby": "redline-gate-title" },
      el("h2", { id: "redline-gate-title" }, `发布前检查：${errors.length} 处${SEVERITY_NAMES.error.zh}表达`),
      el("div", {}, "这些表达可能导致笔记被限流、删除，或账号受到处罚。"),
      el("div", { class: "en" }, `Check before publishing: ${errors.length} high-risk phrase(s) that may get the note limited or removed, or the account penalised.`),
      list,
      el("div", { class: "buttons" }, anyway, back)
    )
    const backdrop = el("div", { class: "backdrop", "data-redline-gate": "" }, dialog)
    backdrop.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.preventDefault()
        e.stopPropagation()
        this.close()
        this.hooks.focusFirstError()
      } else if (e.key === "Tab") {
        // keep focus inside the dialog
        e.preventDefault()
        ;(this.ui.root.activeElement === back ? anyway : back).focus()
      }
    })
    back.addEventListener("click", () => {
      this.close()
      this.hooks.focusFirstError()
    })
    anyway.addEventListener("click", () => {
      this.close()
      this.release(button)
    })
    this.ui.layer.appendChild(backdrop)
    this.dialog = backdrop
    back.focus()
  }

  close(): void {
    this.dialog?.remove()
    this.dialog = null
  }

  destroy(): void {
    this.destroyed = true
    this.close()
    for (const off of this.listeners) off()
    this.listeners.length = 0
  }
}
