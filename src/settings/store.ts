/**
 * The settings store (zustand + persist). The same store serves the popup and the options page; the storage area
 * is injected, so tests run it over an in-memory area and the extension over `browser.storage.local`.
 */
import { persist } from "zustand/middleware"
import { createStore, type StoreApi } from "zustand/vanilla"
import type { Severity } from "../engine/types"
import {
  CHECK_DELAY_MAX,
  CHECK_DELAY_MIN,
  coerceSettings,
  CustomTermSchema,
  defaultSettings,
  migrate,
  pickSettings,
  SETTINGS_STORAGE_KEY,
  SETTINGS_VERSION,
  toStoredValue,
  type CustomTerm,
  type Settings
} from "./schema"
import { createPersistStorage, type ChangeSubscriber, type StorageAreaLike } from "./storage"

export interface SettingsActions {
  setPackEnabled(packId: string, enabled: boolean): void
  /** Turn a rule on/off; `true` removes the override (rules are on by default). */
  setRuleEnabled(ruleId: string, enabled: boolean): void
  /** Override a rule's severity; `undefined` goes back to the pack's severity. */
  setRuleSeverity(ruleId: string, severity: Severity | undefined): void
  resetRule(ruleId: string): void
  /** Adds a term (validated, duplicates by term rejected). Returns an error text (zh · en) or null. */
  addCustomTerm(term: CustomTerm): string | null
  removeCustomTerm(index: number): void
  /** Adds a phrase to the allowlist (trimmed, no duplicates). Returns false when nothing was added. */
  addAllow(phrase: string): boolean
  removeAllow(phrase: string): void
  setGate(on: boolean): void
  setCheckDelay(ms: number): void
  setLanguage(language: Settings["language"]): void
  toggleIndustry(industry: string): void
  setChecklistItem(key: string, done: boolean): void
  /** Replace everything (a validated import). */
  replaceSettings(settings: Settings): void
  resetToDefaults(): void
}

export type SettingsState = Settings & SettingsActions
export type SettingsStore = StoreApi<SettingsState> & {
  persist: {
    rehydrate(): Promise<void>
    hasHydrated(): boolean
    onFinishHydration(cb: (state: SettingsState) => void): () => void
  }
}

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _drop, ...rest } = record
  return rest
}

export function createSettingsStore(area: StorageAreaLike): SettingsStore {
  const store = createStore<SettingsState>()(
    persist(
      (set, get) => {
        const updateRule = (ruleId: string, change: (o: Settings["rules"][string]) => Settings["rules"][string]) => {
          const next = change({ ...(get().rules[ruleId] ?? {}) })
          const clean = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined))
          set({ rules: Object.keys(clean).length ? { ...get().rules, [ruleId]: clean } : withoutKey(get().rules, ruleId) })
        }
        return {
          ...defaultSettings(),
          setPackEnabled: (packId, enabled) => set({ packs: { ...get().packs, [packId]: enabled } }),
          setRuleEnabled: (ruleId, enabled) => updateRule(ruleId, (o) => ({ ...o, enabled: enabled ? undefined : false })),
          setRuleSeverity: (ruleId, severity) => updateRule(ruleId, (o) => ({ ...o, severity })),
          resetRule: (ruleId) => set({ rules: withoutKey(get().rules, ruleId) }),
          addCustomTerm: (term) => {
            const parsed = CustomTermSchema.safeParse(term)
            if (!parsed.success) {
              const field = String(parsed.error.issues[0]?.path[0] ?? "term")
              return `「${field}」无效 · invalid ${field}`
            }
            if (get().customTerms.some((t) => t.term === parsed.data.term)) {
              return `「${parsed.data.term}」已存在 · already in the list`
            }
            set({ customTerms: [...get().customTerms, parsed.data] })
            return null
          },
          removeCustomTerm: (index) => set({ customTerms: get().customTerms.filter((_, i) => i !== index) }),
          addAllow: (phrase) => {
            const p = phrase.trim()
            if (!p || p.length > 200 || get().allowlist.includes(p)) return false
            set({ allowlist: [...get().allowlist, p] })
            return true
          },
          removeAllow: (phrase) => set({ allowlist: get().allowlist.filter((p) => p !== phrase) }),
          setGate: (on) => set({ gate: on }),
          setCheckDelay: (ms) => {
            if (!Number.isFinite(ms)) return
            set({ checkDelayMs: Math.min(CHECK_DELAY_MAX, Math.max(CHECK_DELAY_MIN, Math.round(ms))) })
          },
          setLanguage: (language) => set({ language }),
          toggleIndustry: (industry) => {
            const cur = get().industries
            set({ industries: cur.includes(industry) ? cur.filter((i) => i !== industry) : [...cur, industry] })
          },
          setChecklistItem: (key, done) =>
            set({ checklist: done ? { ...get().checklist, [key]: true } : withoutKey(get().checklist, key) }),
          replaceSettings: (settings) => set(coerceSettings(settings)),
          resetToDefaults: () => set(defaultSettings())
        }
      },
      {
        name: SETTINGS_STORAGE_KEY,
        version: SETTINGS_VERSION,
        storage: createPersistStorage(area),
        partialize: (state) => pickSettings(state) as unknown as SettingsState,
        migrate: (persisted, version) => migrate(persisted, version) as unknown as SettingsState,
        merge: (persisted, current) => ({ ...current, ...coerceSettings(persisted) })
      }
    )
  )
  return store as SettingsStore
}

/** Resolves once the store has read storage (writes before that would overwrite the stored settings). */
export function whenHydrated(store: SettingsStore): Promise<void> {
  if (store.persist.hasHydrated()) return Promise.resolve()
  return new Promise((resolve) => {
    const off = store.persist.onFinishHydration(() => {
      off()
      resolve()
    })
  })
}

/**
 * Keeps the store in step with changes made elsewhere (another page, the content script's allow/ignore actions,
 * an import in the options page) by re-reading storage when the key changes to something other than our state.
 */
export function bindLiveUpdates(store: SettingsStore, subscribe: ChangeSubscriber): () => void {
  return subscribe(SETTINGS_STORAGE_KEY, (newValue) => {
    if (newValue === undefined) {
      store.setState(defaultSettings())
      return
    }
    // Our own writes come back here too (chrome.storage may reorder keys, hence the stable comparison).
    const mine = stableStringify(toStoredValue(pickSettings(store.getState())))
    if (stableStringify(newValue) === mine) return
    void store.persist.rehydrate()
  })
}

/** JSON with object keys sorted, for comparing values regardless of key order. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v
  )
}
