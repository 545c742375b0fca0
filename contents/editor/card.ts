/** The explanation card: message, category, source and suggestions of one finding, with its actions. Never takes focus. */
import { CATEGORY_NAMES, SEVERITY_NAMES, type Finding } from "../../src/engine/types"
import { classifySuggestion } from "./suggestions"
import { el } from "./ui"

export interface CardActions {
  apply(suggestion: string): void
  ignore(): void
  allow(): void
  disableRule(): void
  close(): void
}

export class Card {
  readonly node: HTMLDivElement
  /** Key of the finding shown, or null when closed. */
  key: string | null = null
  /** Opened by a click (stays until Esc/click elsewhere) rather than by hovering. */
  pinned = false

  constructor(layer: HTMLElement) {
    this.node = el("div", { class: "card", role: "dialog", "aria-live": "polite" })
    // Buttons must not take focus from the editor: keep the caret where the creator left it.
    this.node.addEventListener("mousedown", (e) => e.preventDefault())
    layer.appendChild(this.node)
  }

  get isOpen(): boolean {
    return this.key !== null
  }

  open(key: string, f: Finding, anchor: DOMRect, actions: CardActions, pinned: boolean): void {
    this.key = key
    this.pinned = pinned
    const n = this.node
    n.textContent = ""
    n.setAttribute("data-rule", f.ruleId)
    n.setAttribute("data-severity", f.severity)
    const cat = CATEGORY_NAMES[f.category]
    const sev = SEVERITY_NAMES[f.severity]
    n.append(
      el(
        "div",
        { class: "head" },
        el("span", { class: `badge ${f.severity}` }, `${sev.zh} · ${sev.en}`),
        el("span", { class: "cat" }, cat ? `${cat.zh} · ${cat.en}` : f.category),
        el("span", { class: "phrase" }, `「${f.text}」`)
      ),
      el("div", { class: "msg" }, f.message.zh)
    )
    if (f.message.en && f.message.en !== f.message.zh) n.append(el("div", { class: "msg en" }, f.message.en))
    // A learned hint is a model's reading of the whole clause, not a rule's: say so, so it is weighed as such.
    if (f.pack === "learned") {
      n.append(el("div", { class: "src learned" }, "模型提示：本机小模型对整句的判断，请结合上下文看 · Learned hint: an on-device model's reading of the whole clause; judge it in context"))
    }
    // A softened warning: the rule matched, but the model reads the sentence as someone's own life, not a sales claim.
    if (f.softened) {
      n.append(el("div", { class: "src softened" }, "已降为提示：上下文读起来像个人经历而不是推销；若是在推广商品或服务，请按上面的说明修改 · Shown as a hint: in context this reads as a personal account, not a sales claim; if you are promoting something, follow the advice above"))
    }
    // A quoted finding: the words sit in quotation marks, someone else's words rather than the creator's claim.
    if (f.quoted) {
      n.append(el("div", { class: "src softened" }, "已降为提示：这几个字在引号里，像是引用或转述别人的话；若这是你自己的宣传语，请按上面的说明修改 · Shown as a hint: these words are in quotation marks, as if quoting someone else; if they are your own promotion, follow the advice above"))
    }
    const kinds = f.suggestions.slice(0, 6).map((s) => classifySuggestion(s, f))
    const replacements = kinds.filter((k) => k.kind === "replace")
    const advice = kinds.filter((k) => k.kind === "advice")
    if (replacements.length > 0) {
      const sugs = el("div", { class: "sugs" })
      for (const r of replacements) {
        const title = r.text === "" ? `${r.label} · Delete "${f.text}"` : `替换为「${r.text}」 · Replace with "${r.text}"`
        const b = el("button", { class: "sug", type: "button", "data-replacement": r.text, title }, r.text === "" ? r.label : r.text)
        b.addEventListener("click", () => actions.apply(r.text))
        sugs.append(b)
      }
      n.append(el("div", { class: "en" }, "点击替换 · Click to replace"), sugs)
    }
    if (advice.length > 0) {
      const list = el("ul", { class: "advice" })
      for (const a of advice) list.append(el("li", {}, a.text))
      n.append(el("div", { class: "en" }, "修改建议 · Suggestions"), list)
    }
    if (f.source) n.append(el("div", { class: "src" }, `依据 · Source：${f.source}`))
    const act = el("div", { class: "actions" })
    const add = (label: string, name: string, fn: () => void): void => {
      const [zh, en] = label.split(" · ")
      const b = el("button", { type: "button", "data-action": name, title: label }, el("span", {}, zh), el("small", {}, en))
      b.addEventListener("click", fn)
      act.append(b)
    }
    add("忽略此处 · Ignore here", "ignore", actions.ignore)
    add("总是允许 · Always allow", "allow", actions.allow)
    // a custom term is the creator's own rule: it is removed in options, not turned off here
    if (f.pack !== "custom") add("关闭规则 · Rule off", "disable", actions.disableRule)
    n.append(act)
    n.classList.add("open")
    this.place(anchor)
  }

  /** Below the phrase when there is room, else above; kept inside the viewport. */
  place(anchor: DOMRect): void {
    const n = this.node
    const w = n.offsetWidth || 320
    const h = n.offsetHeight || 160
    let left = Math.min(Math.max(8, anchor.left), window.innerWidth - w - 8)
    let top = anchor.bottom + 6
    if (top + h > window.innerHeight - 8 && anchor.top - h - 6 > 8) top = anchor.top - h - 6
    left = Math.max(8, left)
    n.style.left = `${left}px`
    n.style.top = `${Math.max(8, top)}px`
  }

  contains(x: number, y: number): boolean {
    if (!this.isOpen) return false
    const r = this.node.getBoundingClientRect()
    return x >= r.left - 4 && x <= r.right + 4 && y >= r.top - 8 && y <= r.bottom + 4
  }

  close(): void {
    this.key = null
    this.pinned = false
    this.node.classList.remove("open")
    this.node.textContent = ""
  }
}
