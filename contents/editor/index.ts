/**
 * Redline content script: underlines risky phrases in the Xiaohongshu creator editor.
 * One entry (Plasmo makes every file directly in contents/ a content script, and of a sub-folder only index.*).
 */
import type { PlasmoCSConfig } from "plasmo"
import { Overlay } from "./overlay"

export const config: PlasmoCSConfig = {
  matches: ["https://creator.xiaohongshu.com/publish/*"],
  run_at: "document_idle",
  all_frames: false
}

const TAKEOVER = "redline:takeover"

function boot(): void {
  // A newer copy of this script (extension reloaded/updated) takes over from an orphaned one.
  document.dispatchEvent(new CustomEvent(TAKEOVER))
  const overlay = new Overlay()
  document.addEventListener(TAKEOVER, () => overlay.stop(), { once: true })
  overlay.start().catch(() => overlay.stop())
}

boot()
