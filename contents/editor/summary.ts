/** Floating summary near the editor: counts by severity, expands to the list of findings. */
import { SEVERITY_NAMES, type Finding, type Severity } from "../../src/engine/types"
import { SEVERITY_COLORS } from "./highlights"
import { el } from "./ui"

const ORDER: Severity[] = ["error", "warning", "info"]

export class Summary {
  readonly node: HTMLDivElement
  private readonly pill: HTMLButtonElement
  private readonly list: HTMLUListElement
  private lastKey = ""

  constructor(
    layer: HTMLElement,
    private readonly onPick: (index: number) => void
  ) {
    this.pill = el("button", { class: "pill", type: "button", "aria-expanded": "false", title: "红线检查结果 · Redline findings" })
    this.list = el("ul", { class: "list" })
    this.node = el("div", { class: "summary", "data-redline-summary": "" }, this.pill, this.list)
    this.node.style.display = "none"
    this.node.addEventListener("mousedown", (e) => e.preventDefault())
    this.pill.addEventListener("click", () => this.toggle())
    layer.appendChild(this.node)
  }

  get expanded(): boolean {
    return this.node.classList.contains("expanded")
  }

  toggle(force?: boolean): void {
    const on = force ?? !this.expanded
    if (on === this.expanded) return
    this.node.classList.toggle("expanded", on)
    this.pill.setAttribute("aria-expanded", String(on))
    if (this.anchor) this.place(this.anchor)
  }

  /** Returns whether anything shown changed (the summary may have changed size). */
  update(findings: Finding[]): boolean {
    // offsets left out: typing before a finding moves it but changes nothing shown here
    const key = findings.map((f) => `${f.ruleId}:${f.field}:${f.severity}:${f.text}`).join("|")
    if (key === this.lastKey && this.pill.childNodes.length > 0) return false
    this.lastKey = key
    const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 }
    for (const f of findings) counts[f.severity]++
    this.pill.textContent = ""
    this.pill.append(el("strong", {}, "红线"))
    if (findings.length === 0) {
      this.pill.append(el("span", { "data-count": "0" }, "✓ 未发现风险 · No issues"))
    } else {
      for (const s of ORDER) {
        const dot = el("span", { class: "dot" })
        dot.style.background = SEVERITY_COLORS[s]
        this.pill.append(el("span", { "data-severity": s, title: `${SEVERITY_NAMES[s].zh} · ${SEVERITY_NAMES[s].en}` }, dot, `${counts[s]} ${SEVERITY_NAMES[s].zh}`))
      }
    }
    this.list.textContent = ""
    if (findings.length === 0) {
      this.list.append(el("li", { class: "empty" }, "没有需要修改的地方 · Nothing to fix"))
      this.toggle(false)
    }
    findings.forEach((f, i) => {
      const dot = el("span", { class: "dot" })
      dot.style.background = SEVERITY_COLORS[f.severity]
      const li = el("li", { "data-index": String(i), title: f.message.zh }, dot, el("span", { class: "t" }, f.text), el("span", { class: "m" }, f.message.zh))
      li.addEventListener("click", () => this.onPick(i))
      this.list.append(li)
    })
    return true
  }

  /** Just below the editor's bottom-right corner, clamped into the viewport; hidden without an editor. */
  private anchor: DOMRect | null = null

  place(anchor: DOMRect | null): void {
    this.anchor = anchor
    if (!anchor) {
      this.node.style.display = "none"
      return
    }
    this.node.style.display = "block"
    const w = this.node.offsetWidth
    const h = this.node.offsetHeight
    const left = Math.min(Math.max(8, anchor.right - w), window.innerWidth - w - 8)
    const top = Math.min(Math.max(8, anchor.bottom + 6), window.innerHeight - h - 8)
    this.node.style.left = `${left}px`
    this.node.style.top = `${top}px`
  }

  hide(): void {
    this.node.style.display = "none"
  }
}
