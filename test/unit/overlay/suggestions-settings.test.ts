import { describe, expect, test } from "vitest"
import { overlaySettingsFrom } from "../../../contents/editor/settings"
import { classifySuggestion } from "../../../contents/editor/suggestions"
import { defaultSettings, toStoredValue } from "../../../src/settings/schema"

describe("classifySuggestion", () => {
  const f = { text: "最好", category: "absolute-claim" as const }
  test("short wording replaces the phrase", () => {
    expect(classifySuggestion("很好用", f)).toEqual({ kind: "replace", text: "很好用", label: "很好用" })
  })
  test("改为「…」 replaces with the quoted text", () => {
    expect(classifySuggestion("改成“身边朋友反馈不错”", f)).toMatchObject({ kind: "replace", text: "身边朋友反馈不错" })
  })
  test("advice is not a replacement", () => {
    for (const s of ["在小红书私信沟通", "使用官方留资组件", "写出具体的上市时间", "把标题精简到 20 字以内", "长期保修请写明年限", "用平台的担保交易"]) {
      expect(classifySuggestion(s, f).kind, s).toBe("advice")
    }
  })
  test("删除X deletes the phrase; format findings only get advice", () => {
    expect(classifySuggestion("删除链接", f)).toEqual({ kind: "replace", text: "", label: "删除链接" })
    expect(classifySuggestion("精简", { text: "x", category: "format" }).kind).toBe("advice")
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
