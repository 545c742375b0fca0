import { describe, expect, it } from "vitest"

import { buildAutomaton } from "../../src/engine/automaton"
import { compileEngine } from "../../src/engine/engine"
import { buildT2sTable, endOf, normalizeField } from "../../src/engine/normalize"
import type { Finding } from "../../src/engine/types"
import { buildBundle } from "../../src/rules/load"
import { t2sPairs } from "../../src/rules/t2s"

const bundle = buildBundle("test/fixtures/packs")
const engine = compileEngine(bundle)
const t2s = buildT2sTable(t2sPairs())
const body = (text: string): Finding[] => engine.check({ title: "", body: text })
const ruleIds = (fs: Finding[]) => fs.map((f) => f.ruleId)

describe("automaton", () => {
  it("reports every occurrence of every pattern, overlapping ones included", () => {
    const a = buildAutomaton(["he", "she", "his", "hers", "微信", "信"])
    const hits: string[] = []
    const text = "ushers 加微信"
    a.scan(text, (p, s, e) => hits.push(`${p}:${text.slice(s, e)}@${s}`))
    expect(hits.sort()).toEqual(["0:he@2", "1:she@1", "3:hers@2", "4:微信@8", "5:信@9"].sort())
  })
  it("handles duplicate patterns and a pattern that is a suffix of another", () => {
    const a = buildAutomaton(["ab", "ab", "b"])
    const hits: string[] = []
    a.scan("xab", (p, s, e) => hits.push(`${p}:${s}-${e}`))
    expect(hits.sort()).toEqual(["0:1-3", "1:1-3", "2:2-3"])
  })
})

describe("normalisation", () => {
  it("maps full-width, case, traditional, separators and emoji with offsets back to the original", () => {
    const nf = normalizeField("加我 Ｖ❤️Ｘ：微 信 絕對", t2s)
    expect(nf.text.text).toBe("加我 v❤x:微 信 绝对")
    expect(nf.compact.text).toBe("加我vx:微信绝对")
    const vStart = nf.compact.text.indexOf("vx")
    expect(nf.original.slice(nf.compact.starts[vStart], endOf(nf.compact, nf.original, vStart + 1))).toBe("Ｖ❤️Ｘ")
  })
  it("reads Chinese, capital and circled numerals as digits in the compact view only", () => {
    expect(normalizeField("壹叁捌", t2s).compact.text).toBe("138")
    const nf = normalizeField("一三八 ①③⑧ 幺", t2s)
    expect(nf.compact.text).toBe("1381381")
    expect(nf.text.text).toBe("一三八 138 幺")
  })
  it("reads the enclosed digits NFKC leaves alone (❶ ⓵ ➀ ➊ ⓫ ⓿ 🄋) as digits, with offsets back to them", () => {
    const nf = normalizeField("❶❸❽ ⓵⓷⓼ ➀➂➇ ➊➌➑ ⓫⓴ ⓿🄋 ❿", t2s)
    expect(nf.compact.text).toBe(["138", "138", "138", "138", "11", "20", "0", "0", "10"].join(""))
    const at = nf.compact.text.indexOf("1120")
    expect(nf.original.slice(nf.compact.starts[at], endOf(nf.compact, nf.original, at + 3))).toBe("⓫⓴")
    const surrogate = nf.compact.text.length - 3 // 🄋 (a surrogate pair) → "0", then ❿ → "10"
    expect(nf.original.slice(nf.compact.starts[surrogate], endOf(nf.compact, nf.original, surrogate))).toBe("🄋")
  })
  it("keeps surrogate pairs whole", () => {
    const nf = normalizeField("a😀b", t2s)
    expect(nf.text.starts[1]).toBe(1)
    expect(endOf(nf.text, nf.original, 1)).toBe(3)
    expect(nf.compact.text).toBe("ab")
  })
})

describe("engine", () => {
  it("finds a disguised WeChat and covers exactly the creator's characters", () => {
    const text = "有事加我 Ｖ . X 哦"
    const [f] = body(text)
    expect(f.ruleId).toBe("sample/wechat")
    expect(f.text).toBe("Ｖ . X")
    expect(text.slice(f.start, f.end)).toBe(f.text)
    expect(f.field).toBe("body")
    expect(f.category).toBe("trade-diversion")
  })
  it("honours exceptions and word boundaries", () => {
    expect(body("我用微信支付付的款")).toEqual([])
    expect(body("这件V领毛衣")).toEqual([])
    expect(body("devx tools")).toEqual([])
    expect(ruleIds(body("vx123456"))).toEqual(["sample/wechat"])
  })
  it("drops a shorter hit of the same rule inside a longer one", () => {
    expect(body("加v信").map((f) => f.text)).toEqual(["加v信"])
  })
  it("applies after/near context to disguised terms", () => {
    expect(ruleIds(body("加我薇信abc12345"))).toEqual(["sample/disguised-wechat"])
    expect(body("他在村里很有威信")).toEqual([])
  })
  it("finds phone numbers split by spaces, emoji or written in numerals", () => {
    for (const text of ["电话 138 1234 5678", "138🌟1234🌟5678", "一三八一二三四五六七八"]) {
      const fs = body(text)
      expect(ruleIds(fs)).toEqual(["sample/phone"])
      expect(text.slice(fs[0].start, fs[0].end)).toBe(fs[0].text)
    }
    expect(body("人均88元，营业到22点")).toEqual([])
  })
  it("runs text patterns on the spaced view", () => {
    const fs = body("戳这里 https://t.cn/abc 领取")
    expect(fs.map((f) => f.text)).toEqual(["https://t.cn/abc"])
  })
  it("suppresses unlessNote rules when the note is disclosed", () => {
    expect(ruleIds(engine.check({ title: "", body: "优惠码 ABC" }))).toEqual(["sample/buy-link"])
    expect(engine.check({ title: "品牌合作", body: "优惠码 ABC" })).toEqual([])
  })
  it("does not take a negated disclosure (无合作, 不是合作, 没有合作) for one", () => {
    for (const title of ["无合作", "不是合作", "没有合作，纯分享", "绝非合作"]) {
      expect(ruleIds(engine.check({ title, body: "优惠码 ABC" })), title).toEqual(["sample/buy-link"])
    }
    // a real label elsewhere in the note still counts
    expect(engine.check({ title: "不是合作", body: "品牌合作 优惠码 ABC" })).toEqual([])
  })
  it("runs note-level checks anchored on the overflow", () => {
    const title = "一二三四五六七八九十一二三四五六七八九十超出"
    const fs = engine.check({ title, body: "#a #b #c #d #e" })
    expect(fs.map((f) => [f.ruleId, f.field, f.text])).toEqual([
      ["sample/title-length", "title", "超出"],
      ["sample/topic-count", "body", "#d"]
    ])
  })
  it("keeps one finding where a same-category finding of at least its severity covers another", () => {
    // sample/wechat (error) covers 微信; sample/disguised-wechat is the same category: 加我薇信abc12345 only once
    const all = body("加我微信，最好")
    expect(all.map((f) => f.ruleId)).toEqual(["sample/wechat", "sample/best"])
    const shadowing = compileEngine(bundle, {
      customTerms: [
        { term: "加我微信", category: "trade-diversion", severity: "error", message: "" },
        { term: "微信", category: "trade-diversion", severity: "warning", message: "" }
      ]
    })
    expect(shadowing.check({ title: "", body: "加我微信" }).map((f) => [f.ruleId, f.text])).toEqual([["custom/1", "加我微信"]])
    expect(shadowing.check({ title: "", body: "加我微信" }, { keepShadowed: true }).length).toBe(3)
  })
  it("sorts findings by field then start", () => {
    const fs = engine.check({ title: "最好的", body: "加微信 然后 最好" })
    expect(fs.map((f) => `${f.field}:${f.start}`)).toEqual(["title:0", "body:1", "body:7"])
  })
  it("applies settings: packs, rule off, severity, allowlist, custom terms", () => {
    expect(compileEngine(bundle, { packs: { sample: false } }).check({ title: "", body: "加微信" })).toEqual([])
    expect(compileEngine(bundle, { rules: { "sample/wechat": { enabled: false } } }).check({ title: "", body: "加微信" })).toEqual([])
    const [f] = compileEngine(bundle, { rules: { "sample/best": { severity: "info" } } }).check({ title: "", body: "最好" })
    expect(f.severity).toBe("info")
    expect(compileEngine(bundle, { allowlist: ["最好吃"] }).check({ title: "", body: "这家最好吃" })).toEqual([])
    // An allowed phrase inside a hit lets it pass when it is at least half of it (a number allowed, 电话 + number found).
    const long = { customTerms: [{ term: "加我微信号", category: "trade-diversion" as const, severity: "error" as const, message: "" }] }
    expect(compileEngine(bundle, { ...long, allowlist: ["微信号"] }).check({ title: "", body: "请加我微信号" })).toEqual([])
    expect(ruleIds(compileEngine(bundle, { ...long, allowlist: ["微信"] }).check({ title: "", body: "请加我微信号" }))).toContain("custom/1")
    const custom = compileEngine(bundle, {
      customTerms: [{ term: "私域", category: "trade-diversion", severity: "error", message: "别提私域" }]
    }).check({ title: "", body: "我的私域群" })
    expect(custom.map((x) => [x.ruleId, x.pack, x.text, x.message.zh])).toEqual([["custom/1", "custom", "私域", "别提私域"]])
  })
})
