/** Messages between the content script, the popup and the background worker (webextension-polyfill runtime messages). */
import type { Finding, Note } from "./engine/types"

/** Content script → background: check this note. `id` increases per tab; `hash` identifies the text checked. */
export interface CheckRequest {
  type: "check"
  id: number
  hash: string
  note: Note
}

/** Background → content script. A reply whose id/hash is not the latest request is stale and dropped. */
export interface CheckResponse {
  id: number
  hash: string
  findings: Finding[]
}

/** Popup → content script (tabs.sendMessage): what does this editor show right now? */
export interface FindingsRequest {
  type: "findings"
}

/** Content script → popup. `findings` are those of the latest check (empty before the first). */
export interface FindingsResponse {
  url: string
  findings: Finding[]
}

/** Popup → content script: scroll to and select the finding at this index of the latest FindingsResponse. */
export interface FocusRequest {
  type: "focus"
  index: number
}

export type RedlineMessage = CheckRequest | FindingsRequest | FocusRequest

/** Cheap, stable text hash (FNV-1a over UTF-16 code units) used to drop stale replies. */
export function hashNote(note: Note): string {
  let h = 0x811c9dc5
  const s = note.title + "\u0000" + note.body
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0).toString(36) + ":" + s.length.toString(36)
}

export function isCheckRequest(value: unknown): value is CheckRequest {
  if (typeof value !== "object" || value === null) return false
  const v = value as Record<string, unknown>
  const note = v.note as Record<string, unknown> | undefined
  return (
    v.type === "check" &&
    typeof v.id === "number" &&
    typeof v.hash === "string" &&
    typeof note === "object" &&
    note !== null &&
    typeof note.title === "string" &&
    typeof note.body === "string"
  )
}

/** Content script → background: the tab's counts after the creator's ignores, for the toolbar badge. */
export interface BadgeRequest {
  type: "badge"
  errors: number
  warnings: number
  infos: number
}

/** Content script → background, from the card: always allow this phrase (appended to settings.allowlist). */
export interface AllowPhraseRequest {
  type: "allow-phrase"
  phrase: string
}

/** Content script → background, from the card: turn this rule off (settings.rules[ruleId].enabled = false). */
export interface DisableRuleRequest {
  type: "disable-rule"
  ruleId: string
}

export type OverlayMessage = BadgeRequest | AllowPhraseRequest | DisableRuleRequest

export function isOverlayMessage(value: unknown): value is OverlayMessage {
  if (typeof value !== "object" || value === null) return false
  const v = value as Record<string, unknown>
  switch (v.type) {
    case "badge":
      return typeof v.errors === "number" && typeof v.warnings === "number" && typeof v.infos === "number"
    case "allow-phrase":
      return typeof v.phrase === "string"
    case "disable-rule":
      return typeof v.ruleId === "string"
    default:
      return false
  }
}
