/**
 * Rule packs mix two kinds of suggestions: replacement wording ("很好", "改为「很好」") and advice ("把标题精简到
 * 20 字以内", "在小红书私信沟通"). Only the first may replace the phrase; advice is shown as text.
 */
import type { Finding } from "../../src/engine/types"

export type Suggestion = { kind: "replace"; text: string; label: string } | { kind: "advice"; text: string }

const EXPLICIT = /^(?:改为|改成|换成|替换为|可改为|可以改为|建议改为|用)[:：]?\s*[「“"『]?(.+?)[」”"』]?$/
const ADVICE_START =
  /^(把|将|在|使用|改用|删|拆|只|移|补|标注|注明|去掉|去除|避免|不要|别|请|如|若|建议|通过|走|联系|保留|减少|控制|精简|写明|说明|加上|添加|提供|取得|持有|展示|上传|申请|开通|前往|到|确认|核实|咨询|引导|附上|换个|分开|拆分|删减)/

export function classifySuggestion(s: string, f: Pick<Finding, "text" | "category">): Suggestion {
  const text = s.trim()
  const explicit = EXPLICIT.exec(text)
  if (explicit && explicit[1].length <= 20) return { kind: "replace", text: explicit[1], label: text }
  if (f.category === "format") return { kind: "advice", text }
  if (text.length > 4 && ADVICE_START.test(text)) return { kind: "advice", text }
  if (text.length > Math.max(12, f.text.length * 3)) return { kind: "advice", text }
  return { kind: "replace", text, label: text }
}
