/**
 * The thin browser adapter: the settings store over `browser.storage.local` (webextension-polyfill),
 * kept live through `browser.storage.onChanged`, and a React hook for the popup and options pages.
 */
import browser from "webextension-polyfill"
import { useStore } from "zustand"
import { storageOnChangedSubscriber } from "./storage"
import { bindLiveUpdates, createSettingsStore, type SettingsState, type SettingsStore } from "./store"

let store: SettingsStore | null = null

export function getSettingsStore(): SettingsStore {
  if (!store) {
    store = createSettingsStore(browser.storage.local)
    bindLiveUpdates(store, storageOnChangedSubscriber(browser.storage.onChanged))
  }
  return store
}

export function useSettings<T>(selector: (state: SettingsState) => T): T {
  return useStore(getSettingsStore(), selector)
}
