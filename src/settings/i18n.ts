/**
 * User-facing strings of the popup and options pages, Chinese first. The language follows the `language` setting
 * (switchable at runtime); chrome.i18n (`locales/`) only carries the manifest's name and description.
 */
import type { Localized } from "../engine/types"

const zh = {
  appName: "红线",
  appTagline: "发布前标出小红书违规表达",
  openOptions: "设置",
  languageSwitch: "EN",
  languageSwitchTitle: "Switch to English",
  loading: "读取中…",

  tabTitle: "当前页面",
  tabNotEditor: "红线只在小红书创作者中心的发布页工作：",
  tabNotEditorHint: "打开发布页写笔记，风险表达会被直接划线标出。",
  tabClean: "没有发现风险表达。",
  tabEmptyNote: "还没有检查内容：在标题或正文里输入文字即可。",
  tabMore: "还有 {n} 条，请在页面里查看",
  tabFocusHint: "点击一条，跳到页面中的位置",

  checklistTitle: "账号资质清单",
  checklistIntro: "选择你的账号类型，看看还缺哪些资质。违规词检查看不到这些，但它们决定账号能不能发、能不能推广。",
  checklistPick: "选择一个或多个行业，显示对应的资质要求。",
  checklistNone: "所选行业暂时没有资质条目（规则包数据里没有）。",
  checklistProgress: "{done} / {total} 已完成",
  checklistCritical: "关键",
  checklistWhy: "为什么",
  checklistWhere: "在哪里办",
  checklistSource: "依据",
  checklistAllDone: "全部完成 ✓",
  quickPack: "检查{name}规则",
  quickPackRules: "{n} 条规则",

  appealTitle: "被限流或封号了？申诉指南",
  appealSteps: [
    "打开小红书 App：我 → 右上角 ≡ → 帮助与客服 → 账号申诉，按提示提交说明和材料。",
    "在帮助与客服的对话框里连续发送三次「人工客服」，可以转接人工。",
    "处罚通知里写了期限（如「禁言 7 天」）的到期自动解除；没有写期限的，通常意味着永久处罚，要尽快申诉。",
    "申诉时写清楚：哪篇笔记、为什么不违规或已经改正；先删改其他有风险的旧笔记，避免再次触发。"
  ],

  optionsTitle: "红线 · 设置",
  navPacks: "规则包",
  navTerms: "自定义词",
  navAllow: "白名单",
  navCheck: "检查与发布拦截",
  navBackup: "备份与恢复",

  packsIntro: "开启与你账号相关的规则包。展开一个规则包可以单独关闭某条规则或调整它的级别。",
  packsCore: "核心规则包",
  packsIndustry: "行业规则包",
  packRules: "{n} 条规则",
  packExpand: "展开规则",
  packCollapse: "收起",
  packChanged: "{n} 条已调整",
  noPacks: "没有找到规则包数据。",
  ruleDefault: "默认",

  termsIntro: "你自己的敏感词：出现在笔记里就会被标出。",
  termTerm: "词语",
  termCategory: "类别",
  termSeverity: "级别",
  termMessage: "提示语",
  termMessagePlaceholder: "为什么要改（可选）",
  termAdd: "添加",
  termRemove: "删除",
  termsEmpty: "还没有自定义词。",

  allowIntro: "白名单里的短语永远不会被标出。编辑器卡片里的「总是允许」也会加到这里。",
  allowPlaceholder: "输入短语，如：微信支付",
  allowAdd: "加入白名单",
  allowEmpty: "白名单是空的。",

  gateLabel: "发布拦截",
  gateHelp: "笔记里有高风险表达时，点「发布」先弹出确认框。",
  delayLabel: "检查延迟",
  delayHelp: "停止输入多久后开始检查（100–2000 毫秒）。",
  ms: "毫秒",

  exportLabel: "导出设置",
  exportHelp: "把规则包、规则调整、自定义词、白名单和资质清单保存为一个 JSON 文件，发给同事即可复现同样的设置。",
  importLabel: "导入设置",
  importHelp: "从 JSON 文件导入（上限 1 MB）。文件无效时不会改动当前设置。",
  importOk: "已导入「{file}」。",
  resetLabel: "恢复默认设置",
  resetHelp: "清除所有调整、自定义词、白名单和资质清单。",
  resetConfirm: "确定要恢复默认设置吗？此操作无法撤销（可先导出备份）。",
  resetYes: "确定恢复",
  resetNo: "取消",
  resetDone: "已恢复默认设置。",
  saved: "已自动保存"
}

export type Strings = typeof zh

const en: Strings = {
  appName: "Redline",
  appTagline: "Flags risky Xiaohongshu phrases before you publish",
  openOptions: "Settings",
  languageSwitch: "中文",
  languageSwitchTitle: "切换到中文",
  loading: "Loading…",

  tabTitle: "This page",
  tabNotEditor: "Redline works on the Xiaohongshu creator centre's publish page:",
  tabNotEditorHint: "Write a note there and risky phrases are underlined as you type.",
  tabClean: "No risky phrases found.",
  tabEmptyNote: "Nothing checked yet: type in the title or body.",
  tabMore: "{n} more — see the page",
  tabFocusHint: "Click one to jump to it in the page",

  checklistTitle: "Account checklist",
  checklistIntro:
    "Pick your account type to see which qualifications you still lack. No phrase check sees these, yet they decide whether the account may post and promote.",
  checklistPick: "Pick one or more industries to see their requirements.",
  checklistNone: "No checklist items for these industries in the rule packs.",
  checklistProgress: "{done} / {total} done",
  checklistCritical: "Critical",
  checklistWhy: "Why",
  checklistWhere: "Where",
  checklistSource: "Source",
  checklistAllDone: "All done ✓",
  quickPack: "Check the {name} rules",
  quickPackRules: "{n} rules",

  appealTitle: "Throttled or banned? How to appeal",
  appealSteps: [
    "In the Xiaohongshu app: Me → ≡ (top right) → 帮助与客服 (Help & support) → 账号申诉 (Account appeal), and submit your explanation and evidence.",
    "In the support chat, send 「人工客服」 three times in a row to reach a human agent.",
    "A penalty notice with a duration (e.g. muted for 7 days) lifts by itself; one without a duration usually means a permanent penalty — appeal quickly.",
    "Say which note, why it does not break the rules or how you fixed it; fix or delete other risky old notes first so it does not happen again."
  ],

  optionsTitle: "Redline · Settings",
  navPacks: "Rule packs",
  navTerms: "Own terms",
  navAllow: "Allowlist",
  navCheck: "Checking & publish gate",
  navBackup: "Backup & restore",

  packsIntro: "Turn on the packs that match your account. Expand a pack to turn single rules off or change their severity.",
  packsCore: "Core packs",
  packsIndustry: "Industry packs",
  packRules: "{n} rules",
  packExpand: "Show rules",
  packCollapse: "Hide",
  packChanged: "{n} changed",
  noPacks: "No rule pack data found.",
  ruleDefault: "default",

  termsIntro: "Your own sensitive terms: flagged wherever they appear in a note.",
  termTerm: "Term",
  termCategory: "Category",
  termSeverity: "Severity",
  termMessage: "Message",
  termMessagePlaceholder: "Why to change it (optional)",
  termAdd: "Add",
  termRemove: "Remove",
  termsEmpty: "No own terms yet.",

  allowIntro: "Phrases on the allowlist are never flagged. The editor card's “always allow” adds here too.",
  allowPlaceholder: "A phrase, e.g. 微信支付",
  allowAdd: "Allow",
  allowEmpty: "The allowlist is empty.",

  gateLabel: "Publish gate",
  gateHelp: "Ask before 发布 (publish) when the note has error findings.",
  delayLabel: "Check delay",
  delayHelp: "How long after you stop typing the check runs (100–2000 ms).",
  ms: "ms",

  exportLabel: "Export settings",
  exportHelp: "Save packs, rule overrides, own terms, the allowlist and the checklist to one JSON file a colleague can import.",
  importLabel: "Import settings",
  importHelp: "Import a JSON file (up to 1 MB). An invalid file leaves the current settings untouched.",
  importOk: "Imported “{file}”.",
  resetLabel: "Reset to defaults",
  resetHelp: "Clears every override, own term, allowlist entry and checklist tick.",
  resetConfirm: "Reset all settings to their defaults? This cannot be undone (export a backup first).",
  resetYes: "Reset",
  resetNo: "Cancel",
  resetDone: "Settings reset to defaults.",
  saved: "Saved automatically"
}

export const STRINGS: Record<"zh" | "en", Strings> = { zh, en }

export function strings(language: "zh" | "en"): Strings {
  return STRINGS[language] ?? zh
}

/** "{n} rules" + {n: 3} → "3 rules". */
export function fmt(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m))
}

export function pick(text: Localized, language: "zh" | "en"): string {
  return text[language] || text.zh
}
