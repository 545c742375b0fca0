/**
 * The overlay controller: watches the page for the visible editor, checks the note through the background worker,
 * and draws findings (body highlights, title mirror), the card, the summary and the publish gate.
 */
import browser from "webextension-polyfill"
import type { Finding, Note, Severity } from "../../src/engine/types"
import { hashNote, type CheckRequest, type CheckResponse, type FindingsResponse } from "../../src/protocol"
import { carryFindings } from "./adjust"
import { Card } from "./card"
import { Gate } from "./gate"
import { Highlights } from "./highlights"
import { locate, type TitleElement } from "./locate"
import { extensionAlive, loadOverlaySettings, onSettingsChanged, Orphaned, send } from "./messaging"
import { DEFAULT_OVERLAY_SETTINGS, type OverlaySettings } from "./settings"
import { Summary } from "./summary"
import { buildTextMap, pointsFor, samePoints, type TextMap } from "./textmap"
import { TitleOverlay } from "./title-overlay"
import { createUiHost, type UiHost } from "./ui"

/** A finding as drawn now: offsets in the current text, with its DOM range (body) and a stable key. */
interface Shown {
  finding: Finding
  key: string
  range: Range | null
  /** The range's text (`Range.toString()`) when it was drawn: an edit inside the range changes it. */
  drawn: string
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 }
const HOVER_OPEN_MS = 250
const HOVER_CLOSE_MS = 350
const LOCATE_DELAY_MS = 120
const ALIVE_CHECK_MS = 3000
const WATCH_POLL_MS = 1000
/** After an edit that left every underline on its own text, the full redraw waits for this pause in typing. */
const SETTLE_MS = 100
const WATCHED_ATTRIBUTES = ["style", "class", "hidden"]

export class Overlay {
  private settings: OverlaySettings = { ...DEFAULT_OVERLAY_SETTINGS }
  private readonly ui: UiHost
  private readonly highlights = new Highlights()
  private readonly titleOverlay: TitleOverlay
  private readonly card: Card
  private readonly summary: Summary
  private readonly gate: Gate

  private body: HTMLElement | null = null
  private title: TitleElement | null = null
  private attachment: AbortController | null = null
  private bodyObserver: MutationObserver | null = null
  private resizeObserver: ResizeObserver | null = null
  private map: TextMap | null = null
  private mapDirty = true

  private checked: { note: Note; hash: string; findings: Finding[] } | null = null
  private shown: Shown[] = []
  /** The live Range of each body occurrence drawn, by key. */
  private ranges = new Map<string, Range>()
  private readonly ignored = new Set<string>()
  private readonly allowedLocally = new Set<string>()
  private readonly rulesOffLocally = new Set<string>()

  private requestId = 0
  private latest: { id: number; hash: string } | null = null
  private inflight: Promise<void> | null = null
  private timer: ReturnType<typeof setTimeout> | undefined
  private composing = false
  private frame = 0
  private layoutDirty = true
  /** The next frame must redraw fully: something other than an edit inside the body asked for it. */
  private fullFrame = false
  /** `shown` (offsets, keys, the summary's list) lags behind body edits that left every underline in place. */
  private shownStale = false
  /** Nodes were added or removed in the body since the last full redraw (a paragraph split or joined, a paste). */
  private bodyStructureChanged = false
  private settleTimer: ReturnType<typeof setTimeout> | undefined
  private pollIdle = 0
  private renderTotalMs = 0
  private renders = 0
  private locateTimer: ReturnType<typeof setTimeout> | undefined
  private aliveTimer: ReturnType<typeof setInterval> | undefined
  private hoverTimer: ReturnType<typeof setTimeout> | undefined
  private hoverKey: string | null = null
  private pointer = { x: -1, y: -1 }
  private pointerFrame = 0
  private stopped = false
  private readonly global = new AbortController()
  private docObserver: MutationObserver | null = null
  private watchTimer: ReturnType<typeof setInterval> | undefined
  private unsubscribeSettings: () => void = () => {}


  constructor() {
    this.ui = createUiHost()
    this.titleOverlay = new TitleOverlay(this.ui.layer)
    this.card = new Card(this.ui.layer)
    this.summary = new Summary(this.ui.layer, (i) => this.focus(i))
    this.gate = new Gate(this.ui, {
      decide: () => this.gateDecision(),
      checkNow: async () => {
        // check until the reply matches the text as it is now (the creator may still be typing), at most 3 times
        for (let i = 0; i < 3; i++) {
          await this.checkNow(true)
          if (this.checked?.hash === hashNote(this.currentNote())) break
        }
        // decide on what is drawn: a failed check leaves the last findings carried over, never invents errors
        this.computeShown()
        return this.settings.gate && this.shown.some((s) => s.finding.severity === "error") ? "block" : "pass"
      },
      errors: () => this.shown.filter((s) => s.finding.severity === "error").map((s) => s.finding),
      focusFirstError: () => {
        const i = this.shown.findIndex((s) => s.finding.severity === "error")
        if (i >= 0) this.focus(i)
      }
    })
  }

  async start(): Promise<void> {
    const signal = this.global.signal
    try {
      this.settings = await loadOverlaySettings()
      this.unsubscribeSettings = onSettingsChanged((s) => {
        this.settings = s
        this.allowedLocally.clear()
        this.rulesOffLocally.clear()
        void this.checkNow(true)
      })
    } catch (e) {
      if (!extensionAlive()) return this.stop()
    }
    if (this.stopped) return
    // ProseMirror re-sets the editor's `class` attribute (to the same value) on every transaction, i.e. every
    // keystroke: an attribute "change" that changes nothing must not send us looking for the editor again (a locate
    // reads layout; measured 0.4 ms, every 120 ms while typing, with `TRACE=1 npm run bench:e2e`).
    this.docObserver = new MutationObserver((records) => {
      if (records.some((r) => r.type !== "attributes" || r.oldValue !== (r.target as Element).getAttribute(r.attributeName ?? ""))) this.scheduleLocate()
    })
    this.watchPage()
    const reposition = (): void => this.scheduleRender(true)
    window.addEventListener("scroll", reposition, { capture: true, passive: true, signal })
    window.addEventListener("resize", reposition, { passive: true, signal })
    document.addEventListener("pointermove", (e) => this.onPointerMove(e), { passive: true, signal })
    document.addEventListener("click", (e) => this.onClick(e), { capture: true, signal })
    document.addEventListener("keydown", (e) => this.onKeyDown(e), { capture: true, signal })
    window.addEventListener("popstate", () => this.scheduleLocate(), { signal })
    browser.runtime.onMessage.addListener(this.onRuntimeMessage)
    // An extension reload orphans this script; notice it even if the creator does not type, and go quietly.
    this.aliveTimer = setInterval(() => {
      if (!extensionAlive()) this.stop()
    }, ALIVE_CHECK_MS)
    this.relocate()
  }

  /** Tear everything down: listeners, observers, highlights, our host. Safe to call twice. */
  stop(): void {
    if (this.stopped) return
    this.stopped = true
    clearTimeout(this.timer)
    clearTimeout(this.hoverTimer)
    cancelAnimationFrame(this.frame)
    clearTimeout(this.settleTimer)
    cancelIdleCallback(this.pollIdle)
    clearTimeout(this.locateTimer)
    clearInterval(this.aliveTimer)
    cancelAnimationFrame(this.pointerFrame)
    this.global.abort()
    this.detach()
    this.docObserver?.disconnect()
    clearInterval(this.watchTimer)
    this.unsubscribeSettings()
    try {
      browser.runtime.onMessage.removeListener(this.onRuntimeMessage)
    } catch {
      /* orphaned */
    }
    this.gate.destroy()
    this.highlights.uninstall()
    this.ui.destroy()
  }

  // ---------------------------------------------------------------- finding the editor

  /**
   * How the page is watched for the editor appearing, moving or going away. No body attached: a MutationObserver on
   * the whole document. Body attached: only the editor's ancestor chain (its removal, or a style/class change that hides
   * it) plus a slow safety poll, because a document-wide subtree observer would also be handed every keystroke's
   * mutations inside the editor (about 1 ms per keystroke, measured with `npm run bench:e2e`).
   */
  private watchPage(): void {
    const observer = this.docObserver
    if (!observer || this.stopped) return
    observer.disconnect()
    clearInterval(this.watchTimer)
    this.watchTimer = undefined
    cancelIdleCallback(this.pollIdle)
    this.pollIdle = 0
    const attached = [this.body, this.title].filter((e): e is HTMLElement => e !== null)
    // typing in a title <input> mutates no DOM: the whole document can stay watched until a body is attached
    if (!this.body) {
      observer.observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeOldValue: true, attributeFilter: WATCHED_ATTRIBUTES })
      return
    }
    const seen = new Set<Node>()
    for (const el of attached) {
      observer.observe(el, { attributes: true, attributeOldValue: true, attributeFilter: WATCHED_ATTRIBUTES })
      for (let a = el.parentElement; a && !seen.has(a); a = a.parentElement) {
        seen.add(a)
        observer.observe(a, { childList: true, attributes: true, attributeOldValue: true, attributeFilter: WATCHED_ATTRIBUTES })
      }
    }
    // The poll runs in idle time: a timer firing between a keystroke and its frame would read layout (visibility)
    // there and delay that frame; after the frame, layout is clean and the reads are cheap.
    this.watchTimer = setInterval(() => {
      if (this.pollIdle) return
      this.pollIdle = requestIdleCallback(() => {
        this.pollIdle = 0
        this.relocate()
      }, { timeout: WATCH_POLL_MS })
    }, WATCH_POLL_MS)
  }

  /**
   * Page changes are coalesced for LOCATE_DELAY_MS: finding the editor reads layout (visibility), and a busy SPA
   * toggles classes all the time; an editor mounting a moment later is found a moment later.
   */
  private scheduleLocate(): void {
    if (this.locateTimer !== undefined || this.stopped) return
    this.locateTimer = setTimeout(() => {
      this.locateTimer = undefined
      this.relocate()
    }, LOCATE_DELAY_MS)
  }

  private relocate(): void {
    if (this.stopped) return
    const found = locate()
    this.gate.scan()
    if (found.body === this.body && found.title === this.title) return
    this.detach()
    this.body = found.body
    this.title = found.title
    this.map = null
    this.mapDirty = true
    this.checked = null
    this.latest = null
    this.ignored.clear()
    this.watchPage()
    if (!this.body && !this.title) {
      this.render()
      this.reportBadge()
      return
    }
    this.attach()
    this.render()
    void this.checkNow(true)
  }

  private attach(): void {
    const ctl = new AbortController()
    this.attachment = ctl
    const signal = ctl.signal
    const onEdit = (): void => this.onTextChanged()
    const onPaste = (): void => {
      // the paste is applied after the event: check right after it lands
      setTimeout(() => this.scheduleCheck(0), 0)
    }
    const onBlur = (): void => this.scheduleCheck(0)
    const onCompStart = (): void => {
      this.composing = true
      clearTimeout(this.timer)
    }
    const onCompEnd = (): void => {
      this.composing = false
      this.scheduleCheck(this.settings.checkDelayMs)
    }
    for (const target of [this.body, this.title]) {
      if (!target) continue
      target.addEventListener("paste", onPaste, { signal })
      target.addEventListener("drop", onPaste, { signal })
      target.addEventListener("focusout", onBlur, { signal })
      target.addEventListener("compositionstart", onCompStart, { signal })
      target.addEventListener("compositionend", onCompEnd, { signal })
    }
    this.title?.addEventListener("input", onEdit, { signal })
    this.title?.addEventListener("scroll", () => this.scheduleRender(true), { signal, passive: true })
    if (this.body) {
      this.bodyObserver = new MutationObserver((records) => {
        this.mapDirty = true
        if (!this.bodyStructureChanged) this.bodyStructureChanged = records.some((r) => r.type === "childList")
        this.onTextChanged(false)
      })
      this.bodyObserver.observe(this.body, { childList: true, subtree: true, characterData: true })
    }
    this.resizeObserver = new ResizeObserver(() => this.scheduleRender(true))
    if (this.body) this.resizeObserver.observe(this.body)
    if (this.title) this.resizeObserver.observe(this.title)
  }

  private detach(): void {
    this.attachment?.abort()
    this.attachment = null
    this.bodyObserver?.disconnect()
    this.bodyObserver = null
    this.resizeObserver?.disconnect()
    this.resizeObserver = null
    this.composing = false
    clearTimeout(this.timer)
    this.card.close()
    this.highlights.clear()
    this.ranges = new Map()
  }

  // ---------------------------------------------------------------- checking

  /** `full`: the title changed (its mirror must be redrawn); a body edit redraws only if it touched an underline. */
  private onTextChanged(full = true): void {
    this.scheduleRender(false, full)
    if (this.composing) return // compositionend schedules the check
    this.scheduleCheck(this.settings.checkDelayMs)
  }

  private scheduleCheck(delay: number): void {
    if (this.stopped) return
    clearTimeout(this.timer)
    if (this.composing) return
    this.timer = setTimeout(() => void this.checkNow(false), delay)
  }

  private currentMap(): TextMap | null {
    if (!this.body) return null
    if (this.mapDirty || !this.map || this.map.root !== this.body) {
      this.map = buildTextMap(this.body)
      this.mapDirty = false
    }
    return this.map
  }

  currentNote(): Note {
    return { title: this.title?.value ?? "", body: this.currentMap()?.text ?? "" }
  }

  /** Check the current note now (unless it is the one already checked); resolves when its reply is applied. */
  async checkNow(force: boolean): Promise<void> {
    clearTimeout(this.timer)
    if (this.stopped || this.composing || (!this.body && !this.title)) return
    const note = this.currentNote()
    const hash = hashNote(note)
    if (!force && this.latest?.hash === hash) return this.inflight ?? undefined
    const id = ++this.requestId
    this.latest = { id, hash }
    const triggered = performance.now()
    this.ui.host.setAttribute("data-requests", String(id))
    const request: CheckRequest = { type: "check", id, hash, note }
    const run = (async () => {
      let reply: CheckResponse | undefined
      try {
        reply = await send<CheckResponse>(request)
      } catch (e) {
        if (e instanceof Orphaned) this.stop()
        return
      }
      if (this.stopped || !reply || reply.id !== this.latest?.id || reply.hash !== hash) return // stale
      this.checked = { note, hash, findings: Array.isArray(reply.findings) ? reply.findings : [] }
      this.render()
      // Check triggered → highlights set, for the e2e benchmark (the page cannot see our isolated world, so the
      // figures are attributes of our own host element, never of the editor).
      this.ui.host.setAttribute("data-last-latency", (performance.now() - triggered).toFixed(2))
      this.ui.host.setAttribute("data-checks", String(id))
      this.reportBadge()
    })()
    this.inflight = run
    await run
    if (this.inflight === run) this.inflight = null
  }

  private gateDecision(): "block" | "wait" | "pass" {
    if (!this.settings.gate || (!this.body && !this.title)) return "pass"
    const note = this.currentNote()
    if (!this.checked || this.checked.hash !== hashNote(note) || this.inflight) return "wait"
    this.computeShown()
    return this.shown.some((s) => s.finding.severity === "error") ? "block" : "pass"
  }

  /** After ignore / allow / rule-off from the card: close it and redraw without that finding at once. */
  private afterCardAction(): void {
    this.card.close()
    this.render()
    this.reportBadge()
  }

  private reportBadge(): void {
    const counts = { error: 0, warning: 0, info: 0 }
    for (const s of this.shown) counts[s.finding.severity]++
    send({ type: "badge", errors: counts.error, warnings: counts.warning, infos: counts.info }).catch((e) => {
      if (e instanceof Orphaned) this.stop()
    })
  }

  // ---------------------------------------------------------------- drawing

  /**
   * `layout`: something moved (scroll, resize), so the title mirror, summary and card must be placed again.
   * `full: false` (an edit inside the body): the frame only checks that every underline still covers the text it was
   * drawn on. The ranges are live, so they already follow the edit; the browser re-validates every highlight range on
   * any DOM change anyway, and re-setting them would add a repaint. Only when an edit touched underlined text (or
   * replaced its nodes) is the frame a full redraw, so no underline ever stays on changed text. Otherwise the rest
   * (offsets, keys, the summary) is redone once typing pauses for SETTLE_MS, off the keystroke's frame.
   */
  private scheduleRender(layout = false, full = true): void {
    if (layout) this.layoutDirty = true
    if (full) this.fullFrame = true
    if (this.frame || this.stopped) return
    this.frame = requestAnimationFrame(() => {
      this.frame = 0
      const started = performance.now()
      if (this.fullFrame || this.layoutDirty || this.card.isOpen || !this.underlinesHold()) {
        this.render()
        return
      }
      this.shownStale = true
      clearTimeout(this.settleTimer)
      this.settleTimer = setTimeout(() => this.refresh(), SETTLE_MS)
      this.renderTotalMs += performance.now() - started
    })
  }

  /**
   * Every body underline drawn still covers exactly the text it was drawn on: only characters changed (no node was
   * added or removed, so no paragraph split or joined), and none inside any underlined range.
   */
  private underlinesHold(): boolean {
    if (this.bodyStructureChanged) return false
    for (const s of this.shown) {
      if (s.finding.field !== "body" || !s.range) continue
      if (s.range.collapsed || s.range.toString() !== s.drawn) return false
    }
    return true
  }

  /** Bring `shown` up to date if body edits left it behind (before hit-testing or acting on a key). */
  private refresh(): void {
    if (this.shownStale) this.render()
  }

  private occurrenceKey(f: Finding, text: string): string {
    return `${f.field}|${f.ruleId}|${text.slice(Math.max(0, f.start - 8), f.start)}|${f.text}|${text.slice(f.end, f.end + 8)}`
  }

  /** Findings of the last check carried over to the current text, minus ignored/allowed/disabled ones. */
  private computeShown(): void {
    const out: Shown[] = []
    const note = this.currentNote()
    const checked = this.checked
    if (checked && (this.body || this.title)) {
      for (const field of ["title", "body"] as const) {
        const own = checked.findings.filter((f) => f.field === field)
        if (own.length === 0) continue
        const carried = carryFindings(checked.note[field], note[field], own)
        for (const f of carried) {
          if (this.allowedLocally.has(f.text) || this.rulesOffLocally.has(f.ruleId)) continue
          const key = this.occurrenceKey(f, note[field])
          if (this.ignored.has(key)) continue
          if (field === "title" && !this.title) continue
          if (field === "body" && !this.body) continue
          out.push({ finding: f, key, range: null, drawn: "" })
        }
      }
    }
    out.sort((a, b) => {
      if (a.finding.field !== b.finding.field) return a.finding.field === "title" ? -1 : 1
      return a.finding.start - b.finding.start || SEVERITY_ORDER[a.finding.severity] - SEVERITY_ORDER[b.finding.severity]
    })
    const map = this.currentMap()
    const ranges = new Map<string, Range>()
    for (const s of out) {
      if (s.finding.field !== "body" || !map) continue
      const points = pointsFor(map, s.finding.start, s.finding.end)
      if (!points) continue
      // Reuse the live Range of the same occurrence when it already sits there (it follows edits by itself):
      // a new Range per finding per keystroke would leave ever more live ranges for every DOM mutation to update.
      let range = this.ranges.get(s.key)
      if (!range || !samePoints(range, points)) {
        range = document.createRange()
        range.setStart(points.startNode, points.startOffset)
        range.setEnd(points.endNode, points.endOffset)
      }
      s.range = range
      s.drawn = range.toString()
      ranges.set(s.key, range)
    }
    this.ranges = ranges
    this.shown = out
  }

  render(): void {
    if (this.stopped) return
    const started = performance.now()
    this.fullFrame = false
    this.shownStale = false
    this.bodyStructureChanged = false
    clearTimeout(this.settleTimer)
    this.computeShown()
    const ranges: Record<Severity, Range[]> = { error: [], warning: [], info: [] }
    for (const s of this.shown) if (s.range) ranges[s.finding.severity].push(s.range)
    this.highlights.set(ranges)
    // Per keystroke only what changed is redone; layout reads (getBoundingClientRect, getComputedStyle) happen
    // when something moved or the content of the mirror/summary changed.
    const layout = this.layoutDirty
    this.layoutDirty = false
    const titleMarks = this.shown
      .filter((s) => s.finding.field === "title")
      .map((s) => ({ start: s.finding.start, end: s.finding.end, severity: s.finding.severity, key: s.key }))
    this.titleOverlay.update(this.title, this.title?.value ?? "", titleMarks, layout)
    const anchorEl = this.body ?? this.title
    if (anchorEl && this.checked) {
      const changed = this.summary.update(this.shown.map((s) => s.finding))
      if (changed || layout || this.summary.node.style.display === "none") this.summary.place(anchorEl.getBoundingClientRect())
    } else this.summary.hide()
    if (this.card.isOpen) {
      const s = this.shown.find((x) => x.key === this.card.key)
      const rect = s && this.rectsOf(s)[0]
      if (!s || !rect) this.card.close()
      else this.card.place(rect)
    }
    this.ui.host.setAttribute("data-findings", String(this.shown.length))
    // cumulative cost of this work, for the e2e benchmark (our own host element, never the editor)
    this.renderTotalMs += performance.now() - started
    this.ui.host.setAttribute("data-render-total-ms", this.renderTotalMs.toFixed(2))
    this.ui.host.setAttribute("data-renders", String(++this.renders))
  }

  private rectsOf(s: Shown): DOMRect[] {
    if (s.finding.field === "title") return this.titleOverlay.rects(s.key)
    return s.range ? Array.from(s.range.getClientRects()) : []
  }

  private hitTest(x: number, y: number): Shown | null {
    for (const s of this.shown) {
      for (const r of this.rectsOf(s)) {
        if (x >= r.left && x <= r.right && y >= r.top - 2 && y <= r.bottom + 3) return s
      }
    }
    return null
  }

  // ---------------------------------------------------------------- card

  private onPointerMove(e: PointerEvent): void {
    this.pointer = { x: e.clientX, y: e.clientY }
    if (this.pointerFrame) return
    this.pointerFrame = requestAnimationFrame(() => {
      this.pointerFrame = 0
      this.hover()
    })
  }

  private hover(): void {
    this.refresh()
    const { x, y } = this.pointer
    if (this.card.contains(x, y)) {
      clearTimeout(this.hoverTimer)
      this.hoverKey = this.card.key
      return
    }
    if (this.shown.length === 0) return
    const hit = this.hitTest(x, y)
    const key = hit?.key ?? null
    if (key === this.hoverKey) return
    this.hoverKey = key
    clearTimeout(this.hoverTimer)
    if (hit) {
      if (this.card.key === hit.key) return
      this.hoverTimer = setTimeout(() => this.openCard(hit.key, false), HOVER_OPEN_MS)
    } else if (this.card.isOpen && !this.card.pinned) {
      this.hoverTimer = setTimeout(() => {
        if (!this.card.contains(this.pointer.x, this.pointer.y)) this.card.close()
      }, HOVER_CLOSE_MS)
    }
  }

  private onClick(e: MouseEvent): void {
    if (e.composedPath().includes(this.ui.host)) return
    this.refresh()
    const hit = this.shown.length ? this.hitTest(e.clientX, e.clientY) : null
    if (hit) this.openCard(hit.key, true)
    else if (this.card.isOpen) this.card.close()
  }

  private onKeyDown(e: KeyboardEvent): void {
    if (e.key !== "Escape") return
    if (this.card.isOpen) {
      this.card.close()
      e.stopPropagation()
    } else if (this.summary.expanded) {
      this.summary.toggle(false)
    }
  }

  openCard(key: string, pinned: boolean): void {
    this.refresh()
    const s = this.shown.find((x) => x.key === key)
    if (!s) return
    const rect = this.rectsOf(s)[0]
    if (!rect) return
    const f = s.finding
    this.card.open(key, f, rect, {
      apply: (text) => this.apply(key, text),
      ignore: () => {
        this.ignored.add(key)
        this.afterCardAction()
      },
      allow: () => {
        this.allowedLocally.add(f.text)
        this.afterCardAction()
        send({ type: "allow-phrase", phrase: f.text }).catch(() => {})
      },
      disableRule: () => {
        this.rulesOffLocally.add(f.ruleId)
        this.afterCardAction()
        send({ type: "disable-rule", ruleId: f.ruleId }).catch(() => {})
      },
      close: () => this.card.close()
    }, pinned)
  }

  /** Select the finding and let the editor replace it itself (undoable with Ctrl+Z). */
  private apply(key: string, replacement: string): void {
    this.computeShown()
    const s = this.shown.find((x) => x.key === key)
    this.card.close()
    if (!s) return
    if (!this.select(s)) return
    if (replacement === "") document.execCommand("delete", false)
    else document.execCommand("insertText", false, replacement)
  }

  /** Focus the field and select the finding's text. */
  private select(s: Shown): boolean {
    const f = s.finding
    if (f.field === "title") {
      const t = this.title
      if (!t) return false
      t.focus({ preventScroll: true })
      t.setSelectionRange(f.start, f.end)
      return true
    }
    if (!this.body || !s.range) return false
    this.body.focus({ preventScroll: true })
    const sel = window.getSelection()
    if (!sel) return false
    sel.removeAllRanges()
    sel.addRange(s.range.cloneRange())
    return true
  }

  /** Scroll to and select the finding at this index of the shown list (summary click, popup focus). */
  focus(index: number): boolean {
    this.computeShown()
    const s = this.shown[index]
    if (!s) return false
    const target = s.finding.field === "title" ? this.title : (s.range?.startContainer.parentElement ?? this.body)
    target?.scrollIntoView({ block: "center", inline: "nearest" })
    const ok = this.select(s)
    this.summary.toggle(false)
    this.scheduleRender()
    return ok
  }

  // ---------------------------------------------------------------- popup

  private readonly onRuntimeMessage = (message: unknown): Promise<unknown> | undefined => {
    if (typeof message !== "object" || message === null) return undefined
    const m = message as { type?: string; index?: number }
    if (m.type === "findings") {
      this.computeShown()
      const res: FindingsResponse = { url: location.href, findings: this.shown.map((s) => s.finding) }
      return Promise.resolve(res)
    }
    if (m.type === "focus" && typeof m.index === "number") {
      return Promise.resolve({ ok: this.focus(m.index) })
    }
    return undefined
  }
}
