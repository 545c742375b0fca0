/**
 * The popup and options pages of the built extension in headless Chromium:
 * packs toggle into chrome.storage, own terms, import errors leave settings untouched, export → import round trip,
 * the checklist, live propagation between pages, persistence across a browser restart; screenshots into artifacts/.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { chromium, type BrowserContext, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { BundleView } from "../../src/settings/packs"
import { checklistFor } from "../../src/settings/packs"
import { DEFAULT_SETTINGS, SETTINGS_STORAGE_KEY, readStoredSettings, type Settings } from "../../src/settings/schema"
import { compileEngine } from "../../src/engine/engine"
import type { Severity } from "../../src/engine/types"
import { loadPackFiles } from "../../src/rules/load"
import type { RuleBundle as EngineBundle } from "../../src/rules/schema"
import { artifactsDir, CHROMIUM_PATH, extensionDir, launchBrowser, openEditor, repoRoot } from "./harness"

const ARTIFACTS = artifactsDir()
const BUNDLE = JSON.parse(readFileSync(join(repoRoot, "src/generated/rules.json"), "utf8")) as BundleView

let context: BrowserContext
let extensionId: string
let closeBrowser: () => Promise<void>
const pageUrl = (name: string) => `chrome-extension://${extensionId}/${name}.html`

async function openPage(name: "popup" | "options", viewport = { width: 1100, height: 900 }): Promise<Page> {
  const page = await context.newPage()
  await page.setViewportSize(viewport)
  await page.goto(pageUrl(name))
  await page.locator("[data-ready=true]").waitFor()
  return page
}

async function storedSettings(page: Page): Promise<Settings> {
  const raw = await page.evaluate(async (key) => (await chrome.storage.local.get(key))[key], SETTINGS_STORAGE_KEY)
  return readStoredSettings(raw)
}

async function rawStored(page: Page): Promise<unknown> {
  return page.evaluate(async (key) => (await chrome.storage.local.get(key))[key], SETTINGS_STORAGE_KEY)
}

async function waitForStored(page: Page, predicate: (s: Settings) => boolean): Promise<Settings> {
  await expect.poll(async () => predicate(await storedSettings(page)), { timeout: 5000 }).toBe(true)
  return storedSettings(page)
}

/** The pack to toggle: an industry pack (education first) when the bundle has one, else a core pack. */
const industryPack = BUNDLE.packs.find((p) => p.industry === "education") ?? BUNDLE.packs.find((p) => p.industry)
const corePack = BUNDLE.packs.find((p) => !p.industry)
const togglePack = industryPack ?? corePack

beforeAll(async () => {
  const launched = await launchBrowser({ extension: true })
  context = launched.context
  extensionId = launched.extensionId!
  closeBrowser = launched.close
})

afterAll(async () => {
  await closeBrowser?.()
})

describe("options page", () => {
  it("lists the packs grouped core / industry and toggling one changes chrome.storage", async () => {
    expect(togglePack, "the bundle has a pack").toBeDefined()
    const page = await openPage("options")
    expect(await page.locator("li.pack").count()).toBe(BUNDLE.packs.length)
    const toggle = page.getByTestId(`pack-toggle-${togglePack!.id}`)
    expect(await toggle.isChecked()).toBe(togglePack!.enabledByDefault)
    await toggle.click({ force: true })
    const after = await waitForStored(page, (s) => s.packs[togglePack!.id] === !togglePack!.enabledByDefault)
    expect(after.packs[togglePack!.id]).toBe(!togglePack!.enabledByDefault)
    // stored as an object in the zustand persist shape, not a JSON string
    expect(typeof (await rawStored(page))).toBe("object")
    if (togglePack!.enabledByDefault) {
      // turned a default pack off: turn it back on so its rules can be edited
      await toggle.click({ force: true })
      await waitForStored(page, (s) => s.packs[togglePack!.id] === true)
    }

    // expand the pack: one row per rule; turn the first rule off and change the severity of the last
    await page.getByTestId(`pack-expand-${togglePack!.id}`).click()
    const rows = page.locator(`li[data-pack="${togglePack!.id}"] tr[data-rule]`)
    expect(await rows.count()).toBe(togglePack!.rules.length)
    const first = togglePack!.rules[0]
    await rows.first().locator("input[type=checkbox]").uncheck()
    await waitForStored(page, (s) => s.rules[first.id]?.enabled === false)
    const last = togglePack!.rules[togglePack!.rules.length - 1]
    const otherSeverity = last.severity === "info" ? "warning" : "info"
    if (last.id !== first.id) {
      await rows.last().locator("select").selectOption(otherSeverity)
      await waitForStored(page, (s) => s.rules[last.id]?.severity === otherSeverity)
    }
    await page.close()
  })

  it("adds an own term and an allowlist phrase", async () => {
    const page = await openPage("options")
    const form = page.getByTestId("term-form")
    await form.locator("input").first().fill("私信领取")
    await form.locator("select").first().selectOption("trade-diversion")
    await form.locator("select").nth(1).selectOption("error")
    await form.locator("input").nth(1).fill("引导私信属于导流")
    await form.getByRole("button").click()
    await expect.poll(() => page.getByTestId("terms").innerText()).toContain("私信领取")
    const s = await waitForStored(page, (x) => x.customTerms.length === 1)
    expect(s.customTerms[0]).toEqual({ term: "私信领取", category: "trade-diversion", severity: "error", message: "引导私信属于导流" })

    await page.locator(".allow-form input").fill("微信支付")
    await page.locator(".allow-form button").click()
    await waitForStored(page, (x) => x.allowlist.includes("微信支付"))
    await page.close()
  })

  it("rejects a broken import with a message naming the file and field, leaving settings untouched", async () => {
    const page = await openPage("options")
    const before = await rawStored(page)
    const cases: [string, string, string[]][] = [
      ["broken.json", "{ this is not json", ["broken.json", "JSON"]],
      ["wrong-type.json", JSON.stringify({ ...DEFAULT_SETTINGS, gate: "yes" }), ["wrong-type.json", "gate"]],
      ["unknown-pack.json", JSON.stringify({ ...DEFAULT_SETTINGS, packs: { "no-such-pack": true } }), ["unknown-pack.json", "packs.no-such-pack"]]
    ]
    for (const [name, text, needles] of cases) {
      await page.getByTestId("import-file").setInputFiles({ name, mimeType: "application/json", buffer: Buffer.from(text) })
      const error = page.getByTestId("import-error")
      await error.waitFor()
      await expect.poll(() => error.innerText()).toContain(name)
      const msg = await error.innerText()
      for (const n of needles) expect(msg).toContain(n)
      expect(await rawStored(page)).toEqual(before)
    }
    await page.screenshot({ path: join(ARTIFACTS, "options-import-error.png"), fullPage: true })
    await page.close()
  })

  it("exports a file that re-imports to the same settings", async () => {
    const page = await openPage("options")
    const exported = await storedSettings(page)
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export").click()])
    expect(download.suggestedFilename()).toMatch(/^redline-settings-\d{4}-\d{2}-\d{2}\.json$/)
    const file = join(ARTIFACTS, "exported-settings.json")
    await download.saveAs(file)
    const text = readFileSync(file, "utf8")
    expect(JSON.parse(text)).toEqual(exported)

    // reset (with confirmation), then import the exported file
    await page.getByTestId("reset").click()
    await page.getByTestId("reset-confirm").click()
    await waitForStored(page, (s) => JSON.stringify(s) === JSON.stringify(DEFAULT_SETTINGS))
    await page.getByTestId("import-file").setInputFiles(file)
    await page.getByTestId("import-ok").waitFor()
    expect(await waitForStored(page, (s) => s.customTerms.length === exported.customTerms.length)).toEqual(exported)
    // the UI shows the re-imported state
    await expect.poll(() => page.getByTestId("terms").innerText()).toContain("私信领取")
    await page.close()
  })
})

describe("popup", () => {
  it("chrome.i18n messages come from locales/ (zh_CN default, en)", async () => {
    const page = await openPage("popup", { width: 380, height: 600 })
    const got = await page.evaluate(() => ({
      name: chrome.i18n.getMessage("extensionName"),
      description: chrome.i18n.getMessage("extensionDescription"),
      manifestLocale: chrome.runtime.getManifest().default_locale,
      // the locale Chrome picked the message bundle for (headless Chromium runs with its own UI locale)
      locale: chrome.i18n.getMessage("@@ui_locale")
    }))
    expect(got.manifestLocale).toBe("zh_CN")
    const expectedLocale = got.locale.startsWith("zh") ? "zh_CN" : got.locale.startsWith("en") ? "en" : "zh_CN"
    const messages = JSON.parse(readFileSync(join(repoRoot, `locales/${expectedLocale}/messages.json`), "utf8"))
    expect(got.name).toBe(messages.extensionName.message)
    expect(got.description).toBe(messages.extensionDescription.message)
    // both bundles ship, with the same keys
    const zh = JSON.parse(readFileSync(join(extensionDir(), "_locales/zh_CN/messages.json"), "utf8"))
    const en = JSON.parse(readFileSync(join(extensionDir(), "_locales/en/messages.json"), "utf8"))
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort())
    expect(zh.extensionName.message).toMatch(/红线/)
    await page.close()
  })

  it("says where Redline works when the tab is not a creator editor", async () => {
    const page = await openPage("popup", { width: 380, height: 600 })
    const state = page.getByTestId("tab-state")
    await expect.poll(() => state.getAttribute("data-state")).toBe("elsewhere")
    expect(await state.innerText()).toContain("creator.xiaohongshu.com/publish")
    await page.close()
  })

  it("shows the checklist for the picked industries and records progress", async () => {
    const industries = ["education", "merchant"]
    const expected = checklistFor(BUNDLE.packs, industries)
    const page = await openPage("popup", { width: 380, height: 600 })
    for (const ind of industries) await page.locator(`[data-industry="${ind}"]`).click()
    await waitForStored(page, (s) => industries.every((i) => s.industries.includes(i)))
    const items = page.locator("[data-testid=checklist] li.item")
    expect(await items.count()).toBe(expected.length)
    if (expected.length > 0) {
      const progress = page.getByTestId("checklist-progress")
      expect(await progress.innerText()).toBe(`0 / ${expected.length} 已完成`)
      // unchecked critical items are highlighted
      const critical = expected.filter((e) => e.item.critical).length
      expect(await page.locator("li.item.missing").count()).toBe(critical)
      // each item opens to say why and where
      const firstItem = page.locator(`li.item[data-key="${expected[0].key}"]`)
      await firstItem.locator("button.item-title").click()
      const details = await firstItem.innerText()
      expect(details).toContain(expected[0].item.why.zh)
      expect(details).toContain(expected[0].item.where.zh)
      const firstKey = expected[0].key
      await page.locator(`li.item[data-key="${firstKey}"] input`).check()
      await waitForStored(page, (s) => s.checklist[firstKey] === true)
      expect(await progress.innerText()).toBe(expected.length === 1 ? "全部完成 ✓" : `1 / ${expected.length} 已完成`)
    } else {
      // the rule packs carry no qualification items for these industries yet
      expect(await page.getByTestId("checklist").innerText()).toContain("暂时没有资质条目")
    }
    // the picked industries' packs can be switched from the popup
    const quick = BUNDLE.packs.filter((p) => p.industry && industries.includes(p.industry))
    expect(await page.locator("[data-testid^=quick-pack-]").count()).toBe(quick.length)
    if (quick.length > 0) {
      const box = page.getByTestId(`quick-pack-${quick[0].id}`)
      const was = await box.isChecked()
      await box.click()
      await waitForStored(page, (s) => s.packs[quick[0].id] === !was)
      await box.click()
      await waitForStored(page, (s) => s.packs[quick[0].id] === was)
    }
    await page.locator("[data-testid=appeal] summary").click()
    expect(await page.getByTestId("appeal").innerText()).toContain("人工客服")
    await page.screenshot({ path: join(ARTIFACTS, "popup.png"), fullPage: true })
    await page.close()
  })

  it("a language switch in the popup reaches an open options page live", async () => {
    const options = await openPage("options")
    const popup = await openPage("popup", { width: 380, height: 600 })
    expect(await options.locator("h2").first().innerText()).toBe("规则包")
    await popup.getByTestId("language").click()
    await expect.poll(() => options.locator("h2").first().innerText(), { timeout: 5000 }).toBe("Rule packs")
    await popup.screenshot({ path: join(ARTIFACTS, "popup-en.png"), fullPage: true })
    await popup.getByTestId("language").click()
    await expect.poll(() => options.locator("h2").first().innerText(), { timeout: 5000 }).toBe("规则包")
    await options.screenshot({ path: join(ARTIFACTS, "options.png"), fullPage: true })
    // one pack opened to its rules (uBlock-style list), the packs panel only
    await options.getByTestId(`pack-expand-${togglePack!.id}`).click()
    await options.locator("#packs").screenshot({ path: join(ARTIFACTS, "options-pack-rules.png") })
    await popup.close()
    await options.close()
  })
})

/** Texts of every range in the three redline highlights of the page (read from the main world). */
async function highlighted(page: Page): Promise<Record<Severity, string[]>> {
  return page.evaluate(() => {
    const out: Record<string, string[]> = {}
    for (const sev of ["error", "warning", "info"]) {
      const h = CSS.highlights.get(`redline-${sev}`) as unknown as Set<Range> | undefined
      out[sev] = h ? [...h].map((r) => r.toString()) : []
    }
    return out as Record<Severity, string[]>
  })
}

/**
 * A bad example of the toggled pack (from rules/<pack>.yaml) that the engine flags only when the pack is on:
 * with the stored settings plus the pack off it has no finding at all, with the pack on it has one of the pack.
 */
function phraseOfPack(packId: string, settings: Settings): { body: string; text: string } | null {
  const pack = loadPackFiles(join(repoRoot, "rules")).find((p) => p.data.pack.id === packId)
  const engineBundle = BUNDLE as unknown as EngineBundle
  const on = compileEngine(engineBundle, { ...settings, packs: { ...settings.packs, [packId]: true } })
  const off = compileEngine(engineBundle, { ...settings, packs: { ...settings.packs, [packId]: false } })
  for (const rule of pack?.data.rules ?? []) {
    for (const ex of rule.examples.bad) {
      if (typeof ex !== "string" || ex.includes("\n")) continue
      const note = { title: "", body: ex }
      const found = on.check(note).filter((f) => f.pack === packId && f.field === "body")
      if (found.length > 0 && off.check(note).length === 0) return { body: ex, text: found[0].text }
    }
  }
  return null
}

describe("options reach the editor overlay", () => {
  it("toggling a pack underlines its phrase in the editor replica, and then not", async () => {
    expect(togglePack).toBeDefined()
    const options = await openPage("options")
    const settings = await storedSettings(options)
    const phrase = phraseOfPack(togglePack!.id, settings)
    expect(phrase, `a bad example of ${togglePack!.id} flagged only by it`).not.toBeNull()
    // start with the pack off
    const toggle = options.getByTestId(`pack-toggle-${togglePack!.id}`)
    if (await toggle.isChecked()) await toggle.click({ force: true })
    await waitForStored(options, (s) => s.packs[togglePack!.id] === false)

    const { page, body } = await openEditor(context)
    await body.click()
    await page.keyboard.insertText(phrase!.body)
    const all = async () => Object.values(await highlighted(page)).flat()
    // the pack is off: the overlay has checked (it registers its highlights) and drawn nothing
    await expect.poll(() => page.evaluate(() => ["error", "warning", "info"].filter((s) => CSS.highlights.has(`redline-${s}`)).length), { timeout: 5000 }).toBe(3)
    await expect.poll(all, { timeout: 3000 }).toEqual([])

    await options.bringToFront()
    await toggle.click({ force: true })
    await expect.poll(all, { timeout: 5000 }).toContain(phrase!.text)
    await page.bringToFront()
    await page.screenshot({ path: join(ARTIFACTS, "editor-pack-on.png") })

    await options.bringToFront()
    await toggle.click({ force: true })
    await expect.poll(all, { timeout: 5000 }).toEqual([])
    await page.close()
    await options.close()
  })

  it("an own term added in options is flagged in the editor at its severity", async () => {
    const options = await openPage("options")
    const term = "红线自测词"
    const form = options.getByTestId("term-form")
    await form.locator("input").first().fill(term)
    await form.locator("select").nth(1).selectOption("warning")
    await form.getByRole("button").click()
    await waitForStored(options, (s) => s.customTerms.some((t) => t.term === term))

    const { page, body } = await openEditor(context)
    await body.click()
    await page.keyboard.insertText(`今天分享一个${term}，大家看看`)
    await expect.poll(async () => (await highlighted(page)).warning, { timeout: 5000 }).toContain(term)

    // removing it in options clears the underline
    await options.bringToFront()
    const row = options.getByTestId("terms").locator("tr", { hasText: term })
    await row.getByRole("button").click()
    await waitForStored(options, (s) => !s.customTerms.some((t) => t.term === term))
    await expect.poll(async () => (await highlighted(page)).warning, { timeout: 5000 }).not.toContain(term)
    await page.close()
    await options.close()
  })

  it("the popup shows the editor tab's findings and focuses one on click", async () => {
    const { page, body } = await openEditor(context)
    await body.click()
    const options = await openPage("options")
    const settings = await storedSettings(options)
    await options.close()
    const note = { title: "", body: "加我微信详聊，全网最低价" }
    const expected = compileEngine(BUNDLE as unknown as EngineBundle, settings).check(note)
    expect(expected.length).toBeGreaterThan(0)
    await page.keyboard.insertText(note.body)
    await expect.poll(async () => Object.values(await highlighted(page)).flat().length, { timeout: 5000 }).toBeGreaterThan(0)

    const popup = await context.newPage()
    await popup.setViewportSize({ width: 380, height: 600 })
    // the popup normally reads the active tab; as a page it is told which tab to show
    await popup.goto(pageUrl("popup"))
    const ids = await popup.evaluate(async () => (await chrome.tabs.query({ url: "https://creator.xiaohongshu.com/*" })).map((t) => t.id))
    expect(ids.length).toBe(1)
    await popup.goto(`${pageUrl("popup")}?tab=${ids[0]}`)
    const state = popup.getByTestId("tab-state")
    await expect.poll(() => state.getAttribute("data-state"), { timeout: 5000 }).toBe("editor")
    for (const sev of ["error", "warning", "info"] as const) {
      expect(await popup.getByTestId(`count-${sev}`).locator(".n").innerText()).toBe(String(expected.filter((f) => f.severity === sev).length))
    }
    const shown = popup.locator("button.finding")
    expect(await shown.count()).toBe(Math.min(5, expected.length))
    expect(await shown.first().innerText()).toContain(expected[0].text)
    await popup.screenshot({ path: join(ARTIFACTS, "popup-editor.png"), fullPage: true })

    await shown.first().click().catch(() => {}) // the popup closes itself after asking the tab to focus
    await expect
      .poll(() => page.evaluate(() => window.getSelection()?.toString() ?? ""), { timeout: 5000 })
      .toBe(expected[0].text)
    await page.close()
  })
})

describe("persistence", () => {
  it("settings survive a browser restart", async () => {
    // The harness profile is deleted on close, so this test keeps its own profile across two launches.
    const dir = extensionDir()
    const profile = mkdtempSync(join(tmpdir(), "redline-restart-"))
    const launch = () =>
      chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM_PATH,
        headless: true,
        locale: "zh-CN",
        ignoreDefaultArgs: ["--disable-extensions"],
        args: [`--disable-extensions-except=${dir}`, `--load-extension=${dir}`, "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"]
      })
    try {
      let ctx = await launch()
      const open = async () => {
        const page = await ctx.newPage()
        await page.goto(pageUrl("options"))
        await page.locator("[data-ready=true]").waitFor()
        return page
      }
      let page = await open()
      await page.getByTestId(`pack-toggle-${togglePack!.id}`).click({ force: true })
      await page.locator(".allow-form input").fill("重启之后还在")
      await page.locator(".allow-form button").click()
      const before = await waitForStored(page, (s) => s.allowlist.includes("重启之后还在"))
      expect(before.packs[togglePack!.id]).toBe(!togglePack!.enabledByDefault)
      await ctx.close()
      ctx = await launch()
      page = await open()
      expect(await storedSettings(page)).toEqual(before)
      expect(await page.getByTestId(`pack-toggle-${togglePack!.id}`).isChecked()).toBe(!togglePack!.enabledByDefault)
      expect(await page.getByTestId("allowlist").innerText()).toContain("重启之后还在")
      await ctx.close()
    } finally {
      rmSync(profile, { recursive: true, force: true })
    }
  })
})
