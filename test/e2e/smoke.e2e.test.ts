/** Smoke test of the built extension in real Chromium: it loads, asks for minimal permissions, and answers `check`. */
import { existsSync } from "node:fs"
import { join } from "node:path"

import { afterAll, beforeAll, describe, expect, it } from "vitest"

import { extensionDir, launchBrowser, type Launched } from "./harness"

let browser: Launched

beforeAll(async () => {
  browser = await launchBrowser({ extension: true })
})
afterAll(async () => {
  await browser?.close()
})

describe("built extension", () => {
  it("loads with minimal permissions and no remote code", async () => {
    const manifest = (await browser.serviceWorker!.evaluate(() => chrome.runtime.getManifest())) as chrome.runtime.ManifestV3
    expect(manifest.manifest_version).toBe(3)
    expect(manifest.permissions ?? []).toEqual(["storage"])
    expect(manifest.host_permissions).toEqual(["https://creator.xiaohongshu.com/*"])
    const matches = (manifest.content_scripts ?? []).flatMap((c) => c.matches ?? [])
    for (const m of matches) expect(m.startsWith("https://creator.xiaohongshu.com/")).toBe(true)
    expect(JSON.stringify(manifest)).not.toMatch(/<all_urls>|localhost|127\.0\.0\.1/)
  })

  it("answers a check message from an extension page with the engine's findings", async () => {
    const page = await browser.context.newPage()
    const pageName = ["popup.html", "options.html"].find((p) => existsSync(join(extensionDir(), p)))
    expect(pageName, "the build has an extension page to send from").toBeDefined()
    await page.goto(`chrome-extension://${browser.extensionId}/${pageName}`)
    const body = "有事加我微信，或者打 138 1234 5678"
    const reply = await page.evaluate(
      (note) => chrome.runtime.sendMessage({ type: "check", id: 7, hash: "h", note }),
      { title: "超长的标题超长的标题超长的标题超长的标题超长", body }
    )
    expect(reply.id).toBe(7)
    expect(reply.hash).toBe("h")
    const ruleIds = reply.findings.map((f: { ruleId: string }) => f.ruleId)
    expect(ruleIds).toContain("format/title-length")
    for (const f of reply.findings) {
      const field = f.field === "title" ? "超长的标题超长的标题超长的标题超长的标题超长" : body
      expect(field.slice(f.start, f.end)).toBe(f.text)
    }
    await page.close()
  })
})
