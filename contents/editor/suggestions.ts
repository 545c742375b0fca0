/**
 * Rule packs mix two kinds of suggestions: replacement wording ("很好", "改为「很好」") and advice ("把标题精简到
 * 20 字以内", "在小红书私信沟通"). Only the first may replace the phrase; advice is shown as text.
 */
import type { Finding } from "../../src/engine/types"

/** `replace` with text "" deletes the phrase. */
export type Suggestion = { kind: "replace"; text: string; label: string } | { kind: "advice"; text: string }

const EXPLICIT = /^(?:改为|改成|换成|替换为|可改为|可以改为|建议改为)[:：]?\s*[「“"『]?(.+?)[」”"』]?$/
/** "删除链接", "删除号码": delete the flagged phrase. */
const DELETE = /^删除.{1,4}$/
const ADVICE_ANYWHERE = /请|建议|代替|应该|需要/
const ADVICE_START =
  /^(把|将|在|使用|改用|删|拆|只|移|补|标注|注明|去掉|去除|避免|不要|别|请|如|若|建议|通过|走|联系|保留|减少|控制|精简|写|说明|说清|加上|添加|提供|取得|持有|展示|上传|申请|开通|前往|到|确认|核实|咨询|引导|附上|换个|分开|拆分|删减|例如|比如|标题|用具体|让|抽奖|直接|分享|介绍|推荐|以|自己|具体效果|有资质)/

export function classifySuggestion(s: string, f: Pick<Finding, "text" | "category">): Suggestion {
  const text = s.trim()
  const explicit = EXPLICIT.exec(text)
  if (explicit && explicit[1].length <= 20) return { kind: "replace", text: explicit[1], label: text }
  if (f.category === "format") return { kind: "advice", text }
  if (DELETE.test(text)) return { kind: "replace", text: "", label: text }
  if (ADVICE_START.test(text) || ADVICE_ANYWHERE.test(text) || /^用/.test(text)) return { kind: "advice", text }
  if (text.length > Math.max(12, f.text.length * 3)) return { kind: "advice", text }
  return { kind: "replace", text, label: text }
}
