/**
 * The thin browser adapter: the settings store over `browser.storage.local` (webextension-polyfill),
 * kept live through `browser.storage.onChanged`, and a React hook for the popup and options pages.
 */
import { useEffect, useState } from "react"
import browser from "webextension-polyfill"
import { useStore } from "zustand"
import { strings, type Strings } from "./i18n"
import { storageOnChangedSubscriber } from "./storage"
import { bindLiveUpdates, createSettingsStore, whenHydrated, type SettingsState, type SettingsStore } from "./store"

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

/**
 * What both extension pages need first: whether the stored settings have loaded, the language and its strings, and
 * the document's language and title kept in step with it.
 */
export function usePage(title: (t: Strings) => string): {
  ready: boolean
  lang: SettingsState["language"]
  setLanguage: SettingsState["setLanguage"]
  t: Strings
} {
  const [ready, setReady] = useState(false)
  useEffect(() => {
    void whenHydrated(getSettingsStore()).then(() => setReady(true))
  }, [])
  const lang = useSettings((s) => s.language)
  const setLanguage = useSettings((s) => s.setLanguage)
  const t = strings(lang)
  useEffect(() => {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en"
    document.title = title(t)
  }, [lang, t, title])
  return { ready, lang, setLanguage, t }
}
