/**
 * Runtime messaging that survives the MV3 worker being stopped (retry once) and goes quiet when the
 * extension was reloaded under us (orphaned content script: no "Extension context invalidated" thrown
 * into the page).
 */
import browser from "webextension-polyfill"

import { overlaySettingsFrom, SETTINGS_KEY, type OverlaySettings } from "./settings"

export class Orphaned extends Error {
  constructor() {
    super("redline: extension context gone")
  }
}

/** False once the extension was reloaded/updated/removed: chrome.runtime.id disappears. */
export function extensionAlive(): boolean {
  try {
    return typeof chrome !== "undefined" && !!chrome.runtime && !!chrome.runtime.id
  } catch {
    return false
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

export function isContextInvalidated(e: unknown): boolean {
  return /context invalidated|extension context|Extension has been reloaded/i.test(messageOf(e))
}

function isNoReceiver(e: unknown): boolean {
  return /Receiving end does not exist|Could not establish connection|message port closed|message channel closed/i.test(messageOf(e))
}

/** Sends a runtime message; retries once when the worker was gone; throws Orphaned when the extension is gone. */
export async function send<T>(message: unknown): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    if (!extensionAlive()) throw new Orphaned()
    try {
      return (await browser.runtime.sendMessage(message)) as T
    } catch (e) {
      if (!extensionAlive() || isContextInvalidated(e)) throw new Orphaned()
      if (attempt === 0 && isNoReceiver(e)) {
        await new Promise((r) => setTimeout(r, 50))
        continue
      }
      throw e
    }
  }
}

export async function loadOverlaySettings(): Promise<OverlaySettings> {
  const got = await browser.storage.local.get(SETTINGS_KEY)
  return overlaySettingsFrom(got[SETTINGS_KEY])
}

/** Calls back when the stored settings change; returns an unsubscribe function. */
export function onSettingsChanged(cb: (s: OverlaySettings) => void): () => void {
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string): void => {
    if (area === "local" && SETTINGS_KEY in changes) cb(overlaySettingsFrom(changes[SETTINGS_KEY].newValue))
  }
  browser.storage.onChanged.addListener(listener)
  return () => {
    try {
      browser.storage.onChanged.removeListener(listener)
    } catch {
      /* orphaned */
    }
  }
}
