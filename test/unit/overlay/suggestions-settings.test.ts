import { describe, expect, test } from "vitest"
import { overlaySettingsFrom } from "../../../contents/editor/settings"
import { classifySuggestion } from "../../../contents/editor/suggestions"
import { defaultSettings, toStoredValue } from "../../../src/settings/schema"

describe("classifySuggestion", () => {
  const f = { text: "最好", category: "absolute-claim" as const }
  test("改为「…」 (and 改成“…”, 换成『…』) replaces with the quoted text", () => {
    expect(classifySuggestion("改为「很好用」", f)).toEqual({ kind: "replace", text: "很好用", label: "改为「很好用」" })
    expect(classifySuggestion("改成“身边朋友反馈不错”", f)).toMatchObject({ kind: "replace", text: "身边朋友反馈不错" })
    expect(classifySuggestion("换成『口碑不错』", f)).toMatchObject({ kind: "replace", text: "口碑不错" })
  })
  test("anything not marked is advice, never a button that changes the text", () => {
    for (const s of ["很好用", "在小红书私信沟通", "使用官方留资组件", "提示投资风险", "完成医疗从业者身份认证", "选择持牌机构的正规产品", "改成自己的使用感受", "把标题精简到 20 字以内"]) {
      expect(classifySuggestion(s, f).kind, s).toBe("advice")
    }
  })
  test("删除X deletes the phrase; format findings only get advice", () => {
    expect(classifySuggestion("删除链接", f)).toEqual({ kind: "replace", text: "", label: "删除链接" })
    expect(classifySuggestion("改为「精简」", { category: "format" }).kind).toBe("advice")
  })
})

describe("overlaySettingsFrom", () => {
  test("defaults when nothing is stored", () => {
    expect(overlaySettingsFrom(undefined)).toEqual({ gate: true, checkDelayMs: 300 })
  })
  test("reads the settings store's persisted shape", () => {
    const stored = toStoredValue({ ...defaultSettings(), gate: false, checkDelayMs: 800 })
    expect(overlaySettingsFrom(stored)).toEqual({ gate: false, checkDelayMs: 800 })
    expect(overlaySettingsFrom(JSON.stringify(stored))).toEqual({ gate: false, checkDelayMs: 800 })
  })
  test("reads the old flat v0 shape and clamps the delay", () => {
    expect(overlaySettingsFrom({ gateOn: false, delay: 5 })).toEqual({ gate: false, checkDelayMs: 100 })
  })
  test("ignores mistyped fields", () => {
    expect(overlaySettingsFrom({ state: { gate: "no", checkDelayMs: "fast" }, version: 1 })).toEqual({ gate: true, checkDelayMs: 300 })
  })
})
