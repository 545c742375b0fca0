/**
 * A rule's suggestions are advice ("在小红书私信沟通", "提示投资风险") unless the rule pack marks one as a wording that
 * may replace the phrase: 改为「很好」 (also 改成“…”, 换成『…』) replaces it with the quoted text, and 删除X (删除链接,
 * 删除号码) deletes it. Only those become buttons that change the creator's text; everything else is shown as advice.
 * The marking lives in the rule data (rules/README.md), so the card never guesses.
 */
import type { Finding } from "../../src/engine/types"

/** `replace` with text "" deletes the phrase. */
export type Suggestion = { kind: "replace"; text: string; label: string } | { kind: "advice"; text: string }

/** 改为「…」 and its variants: the quoted text (at most 20 characters) replaces the phrase. */
const EXPLICIT = /^(?:改为|改成|换成|替换为|可改为|可以改为|建议改为)[:：]?\s*(?:「([^」]{1,20})」|“([^”]{1,20})”|『([^』]{1,20})』|"([^"]{1,20})")$/
/** "删除链接", "删除号码": delete the flagged phrase. */
const DELETE = /^删除.{1,4}$/

export function classifySuggestion(s: string, f: Pick<Finding, "category">): Suggestion {
  const text = s.trim()
  // note-level findings (title too long, too many topics) anchor on a span that no wording can replace
  if (f.category === "format") return { kind: "advice", text }
  const explicit = EXPLICIT.exec(text)
  if (explicit) return { kind: "replace", text: explicit[1] ?? explicit[2] ?? explicit[3] ?? explicit[4], label: text }
  if (DELETE.test(text)) return { kind: "replace", text: "", label: text }
  return { kind: "advice", text }
}
