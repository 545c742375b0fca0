/**
 * A small storage adapter: zustand's persist middleware over an extension-style storage area
 * (`browser.storage.local` from webextension-polyfill in the extension, an in-memory area in tests).
 * The persisted value is stored as an object `{ state, version }`, not as a JSON string.
 */
import type { PersistStorage, StorageValue } from "zustand/middleware"
import { readStoredSettings, SETTINGS_STORAGE_KEY, toStoredValue, type Settings, unwrapStored } from "./schema"

/** The subset of `browser.storage.local` used here. */
export interface StorageAreaLike {
  get(keys: string): Promise<Record<string, unknown>>
  set(items: Record<string, unknown>): Promise<void>
  remove(keys: string): Promise<void>
}

/** Calls back with the new raw value whenever `key` changes in the area (from any page or worker). */
export type ChangeSubscriber = (key: string, callback: (newValue: unknown) => void) => () => void

export function createPersistStorage(area: StorageAreaLike): PersistStorage<Settings> {
  return {
    async getItem(name) {
      const got = await area.get(name)
      const unwrapped = unwrapStored(got[name])
      // version 0 or an older version makes zustand call the store's migrate()
      return unwrapped ? ({ state: unwrapped.state, version: unwrapped.version } as StorageValue<Settings>) : null
    },
    async setItem(name, value) {
      await area.set({ [name]: structuredClone({ state: value.state, version: value.version }) })
    },
    async removeItem(name) {
      await area.remove(name)
    }
  }
}

/** An in-memory storage area with change events, shaped like `browser.storage.local` (tests, the CLI). */
export function createMemoryStorageArea(initial: Record<string, unknown> = {}): StorageAreaLike & {
  data: Map<string, unknown>
  subscribe: ChangeSubscriber
} {
  const data = new Map<string, unknown>(Object.entries(initial))
  const listeners = new Set<(key: string, value: unknown) => void>()
  const emit = (key: string, value: unknown) => listeners.forEach((l) => l(key, value))
  return {
    data,
    async get(key) {
      return data.has(key) ? { [key]: structuredClone(data.get(key)) } : {}
    },
    async set(items) {
      for (const [k, v] of Object.entries(items)) {
        data.set(k, structuredClone(v))
        emit(k, structuredClone(v))
      }
    },
    async remove(key) {
      data.delete(key)
      emit(key, undefined)
    },
    subscribe(key, callback) {
      const l = (k: string, v: unknown) => {
        if (k === key) callback(v)
      }
      listeners.add(l)
      return () => listeners.delete(l)
    }
  }
}

/** Change subscriber over `browser.storage.onChanged` (area "local"). */
export function storageOnChangedSubscriber(onChanged: {
  addListener(cb: (changes: Record<string, { newValue?: unknown }>, areaName: string) => void): void
  removeListener(cb: (changes: Record<string, { newValue?: unknown }>, areaName: string) => void): void
}): ChangeSubscriber {
  return (key, callback) => {
    const listener = (changes: Record<string, { newValue?: unknown }>, areaName: string) => {
      if (areaName === "local" && key in changes) callback(changes[key].newValue)
    }
    onChanged.addListener(listener)
    return () => onChanged.removeListener(listener)
  }
}

/**
 * Read–modify–write of the stored settings for code outside the store (the content script's "always allow" and
 * "turn this rule off" actions): reads and migrates what is stored, applies `update`, writes the persist shape.
 * Open popup/options pages pick the change up through storage.onChanged.
 */
export async function updateStoredSettings(area: StorageAreaLike, update: (settings: Settings) => Settings | void): Promise<Settings> {
  const got = await area.get(SETTINGS_STORAGE_KEY)
  const current = readStoredSettings(got[SETTINGS_STORAGE_KEY])
  const next = readStoredSettings(toStoredValue(update(current) ?? current))
  await area.set({ [SETTINGS_STORAGE_KEY]: toStoredValue(next) })
  return next
}

export { SETTINGS_STORAGE_KEY }
