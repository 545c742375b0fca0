/** Malformed rule packs fail with the file, the rule id and the field named. */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

import { describe, expect, it } from "vitest"

import { checkRegex, loadPackFiles, RulePackError } from "../../src/rules/load"

const goodRule = `
  - id: wechat
    category: trade-diversion
    severity: error
    terms: [微信]
    message: { zh: 留微信属于导流。, en: WeChat is diversion. }
    suggestions: [私信沟通]
    source: 小红书《交易导流违规管理细则》
    examples: { bad: [加我微信], good: [微信支付] }`

function packDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "redline-packs-"))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

function header(id: string): string {
  return `pack:\n  id: ${id}\n  name: { zh: 测试, en: Test }\n  description: { zh: 测试, en: Test }\n  enabledByDefault: true\nrules:`
}

function errorsOf(files: Record<string, string>): string[] {
  try {
    loadPackFiles(packDir(files))
  } catch (e) {
    if (e instanceof RulePackError) return e.errors
    throw e
  }
  return []
}

describe("rule pack validation", () => {
  it("accepts a valid pack", () => {
    expect(errorsOf({ "t.yaml": header("t") + goodRule })).toEqual([])
  })
  it("names the file, rule and field of a schema error", () => {
    const [error] = errorsOf({ "t.yaml": header("t") + goodRule.replace("severity: error", "severity: fatal") })
    expect(error).toMatch(/t\.yaml: rule "wechat" field "severity"/)
  })
  it("rejects a rule without examples", () => {
    const errors = errorsOf({ "t.yaml": header("t") + goodRule.replace("examples: { bad: [加我微信], good: [微信支付] }", "examples: { bad: [], good: [微信支付] }") })
    expect(errors.join("\n")).toMatch(/rule "wechat" field "examples\.bad": every rule needs at least one bad example/)
  })
  it("rejects unknown fields, duplicate ids, a pack id that is not the file name", () => {
    expect(errorsOf({ "t.yaml": header("t") + goodRule.replace("source:", "colour: red\n    source:") }).join("\n")).toMatch(/colour/)
    expect(errorsOf({ "t.yaml": header("t") + goodRule + goodRule }).join("\n")).toMatch(/rule "wechat" field "id": duplicate rule id/)
    expect(errorsOf({ "x.yaml": header("t") + goodRule }).join("\n")).toMatch(/field "pack\.id": "t" must equal the file name "x"/)
  })
  it("rejects invalid and catastrophic regular expressions", () => {
    const bad = goodRule.replace("terms: [微信]", "patterns: ['(a+)+b', '[unclosed']")
    const errors = errorsOf({ "t.yaml": header("t") + bad }).join("\n")
    expect(errors).toMatch(/rule "wechat" field "patterns\.0": nested quantifier/)
    expect(errors).toMatch(/rule "wechat" field "patterns\.1": invalid regular expression/)
    expect(checkRegex("(?<!\\d)1[3-9]\\d{9}(?!\\d)")).toBeNull()
    // Context patterns that match the empty string are probed too, without looping on the empty match.
    expect(checkRegex("^(?=[^得])", { mayMatchEmpty: true })).toBeNull()
    expect(checkRegex("(?:好)?", { mayMatchEmpty: true })).toBeNull()
  })
  it("rejects context fields on a learned rule, naming the field", () => {
    const learned = goodRule.replace("terms: [微信]", "learned: true\n    notAfter: '^了'")
    expect(errorsOf({ "t.yaml": header("t") + learned }).join("\n")).toMatch(/rule "wechat" field "notAfter": a learned rule does not use context fields/)
  })
  it("reports YAML syntax errors with the file name", () => {
    expect(errorsOf({ "t.yaml": "pack: [unclosed" })[0]).toMatch(/t\.yaml: not valid YAML/)
  })
  it("reports every broken file, not just the first", () => {
    const errors = errorsOf({ "a.yaml": "pack: [", "b.yaml": header("b") + goodRule.replace("category: trade-diversion", "category: spam") })
    expect(errors.some((e) => e.includes("a.yaml"))).toBe(true)
    expect(errors.some((e) => e.includes('b.yaml: rule "wechat" field "category"'))).toBe(true)
  })
})
