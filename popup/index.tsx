import { useEffect, useMemo, useState } from "react"
import browser from "webextension-polyfill"
import { SEVERITIES, SEVERITY_NAMES, type Finding, type Severity } from "~src/engine/types"
import type { FindingsRequest, FindingsResponse, FocusRequest } from "~src/protocol"
import { usePage, useSettings } from "~src/settings/browser"
import { PACKS } from "~src/settings/bundle"
import { fmt, pick, type Strings } from "~src/settings/i18n"
import { checklistFor, checklistProgress, INDUSTRIES, INDUSTRY_NAMES, isPackEnabled } from "~src/settings/packs"
import iconUrl from "url:~assets/icon.png"
import "~src/settings/page.css"
import "./popup.css"

const EDITOR_URL = "https://creator.xiaohongshu.com/publish/publish"
const SHOWN_FINDINGS = 5

type TabState =
  | { kind: "loading" }
  | { kind: "elsewhere" }
  | { kind: "editor"; tabId: number; response: FindingsResponse }

function useTabState(): TabState {
  const [state, setState] = useState<TabState>({ kind: "loading" })
  useEffect(() => {
    let cancelled = false
    ;(async () => {
      try {
        // popup.html?tab=<id> shows that tab (the popup opened as a page, e.g. in tests); else the active tab
        const param = Number(new URLSearchParams(location.search).get("tab") ?? NaN)
        const tabId = Number.isInteger(param)
          ? param
          : (await browser.tabs.query({ active: true, currentWindow: true }))[0]?.id
        if (tabId === undefined) throw new Error("no active tab")
        const request: FindingsRequest = { type: "findings" }
        const response = (await browser.tabs.sendMessage(tabId, request)) as FindingsResponse | undefined
        if (!response || !Array.isArray(response.findings)) throw new Error("no Redline content script in this tab")
        if (!cancelled) setState({ kind: "editor", tabId, response })
      } catch {
        if (!cancelled) setState({ kind: "elsewhere" })
      }
    })()
    return () => {
      cancelled = true
    }
  }, [])
  return state
}

function TabSection({ t, lang }: { t: Strings; lang: "zh" | "en" }) {
  const state = useTabState()
  if (state.kind === "loading") {
    return (
      <section className="card" data-testid="tab-state" data-state="loading">
        <p className="muted">{t.loading}</p>
      </section>
    )
  }
  if (state.kind === "elsewhere") {
    return (
      <section className="card elsewhere" data-testid="tab-state" data-state="elsewhere">
        <p>{t.tabNotEditor}</p>
        <a className="url" href={EDITOR_URL} target="_blank" rel="noreferrer">
          creator.xiaohongshu.com/publish …
        </a>
        <p className="muted small">{t.tabNotEditorHint}</p>
      </section>
    )
  }
  const { findings } = state.response
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>
  for (const f of findings) counts[f.severity]++
  const focus = async (index: number) => {
    const request: FocusRequest = { type: "focus", index }
    try {
      await browser.tabs.sendMessage(state.tabId, request)
      window.close()
    } catch {
      /* the tab went away; nothing to focus */
    }
  }
  return (
    <section className="card" data-testid="tab-state" data-state="editor">
      <div className="counts">
        {SEVERITIES.map((s) => (
          <div key={s} className={`count sev-${s}`} data-testid={`count-${s}`}>
            <span className="n">{counts[s]}</span>
            <span className="label">{pick(SEVERITY_NAMES[s], lang)}</span>
          </div>
        ))}
      </div>
      {findings.length === 0 ? (
        <p className="muted small">{t.tabClean}</p>
      ) : (
        <>
          <ul className="findings">
            {findings.slice(0, SHOWN_FINDINGS).map((f: Finding, i) => (
              <li key={`${f.field}:${f.start}:${f.ruleId}`}>
                <button className="finding" onClick={() => focus(i)} title={t.tabFocusHint}>
                  <span className={`dot sev-${f.severity}`} />
                  <span className="phrase">「{f.text}」</span>
                  <span className="message">{pick(f.message, lang)}</span>
                </button>
              </li>
            ))}
          </ul>
          {findings.length > SHOWN_FINDINGS && (
            <p className="muted small">{fmt(t.tabMore, { n: findings.length - SHOWN_FINDINGS })}</p>
          )}
        </>
      )}
    </section>
  )
}

function ChecklistSection({ t, lang }: { t: Strings; lang: "zh" | "en" }) {
  const industries = useSettings((s) => s.industries)
  const checklist = useSettings((s) => s.checklist)
  const toggleIndustry = useSettings((s) => s.toggleIndustry)
  const setItem = useSettings((s) => s.setChecklistItem)
  const packs = useSettings((s) => s.packs)
  const setPackEnabled = useSettings((s) => s.setPackEnabled)
  const entries = useMemo(() => checklistFor(PACKS, industries), [industries])
  const industryPacks = PACKS.filter((p) => p.industry && industries.includes(p.industry))
  const { done, total } = checklistProgress(entries, checklist)
  const [open, setOpen] = useState<Set<string>>(new Set())
  const toggleOpen = (key: string) =>
    setOpen((cur) => {
      const next = new Set(cur)
      if (!next.delete(key)) next.add(key)
      return next
    })
  return (
    <section className="card" data-testid="checklist">
      <div className="section-head">
        <h2>{t.checklistTitle}</h2>
        {total > 0 && (
          <span className={`progress ${done === total ? "complete" : ""}`} data-testid="checklist-progress">
            {done === total ? t.checklistAllDone : fmt(t.checklistProgress, { done, total })}
          </span>
        )}
      </div>
      <p className="muted small">{t.checklistIntro}</p>
      <div className="chips" role="group" aria-label={t.checklistTitle}>
        {INDUSTRIES.map((ind) => (
          <button
            key={ind}
            className={`chip ${industries.includes(ind) ? "on" : ""}`}
            aria-pressed={industries.includes(ind)}
            data-industry={ind}
            onClick={() => toggleIndustry(ind)}>
            {pick(INDUSTRY_NAMES[ind], lang)}
          </button>
        ))}
      </div>
      {industryPacks.length > 0 && (
        <ul className="quick-packs" data-testid="quick-packs">
          {industryPacks.map((p) => (
            <li key={p.id}>
              <label>
                <input
                  type="checkbox"
                  data-testid={`quick-pack-${p.id}`}
                  checked={isPackEnabled({ packs }, p)}
                  onChange={(e) => setPackEnabled(p.id, e.target.checked)}
                />
                <span>{fmt(t.quickPack, { name: pick(p.name, lang) })}</span>
              </label>
              <span className="muted small">{fmt(t.quickPackRules, { n: p.rules.length })}</span>
            </li>
          ))}
        </ul>
      )}
      {total > 0 && (
        <div className="bar" aria-hidden>
          <div style={{ width: `${(done / total) * 100}%` }} />
        </div>
      )}
      {industries.length === 0 ? (
        <p className="muted small">{t.checklistPick}</p>
      ) : entries.length === 0 ? (
        <p className="muted small">{t.checklistNone}</p>
      ) : (
        <ul className="items">
          {entries.map(({ key, item }) => {
            const checked = checklist[key] === true
            const missing = item.critical && !checked
            const isOpen = open.has(key)
            return (
              <li key={key} className={`item ${missing ? "missing" : ""} ${checked ? "done" : ""}`} data-key={key}>
                <div className="item-head">
                  <input
                    type="checkbox"
                    checked={checked}
                    aria-label={pick(item.title, lang)}
                    onChange={(e) => setItem(key, e.target.checked)}
                  />
                  <button className="item-title" aria-expanded={isOpen} onClick={() => toggleOpen(key)}>
                    <span className="caret" aria-hidden>
                      {isOpen ? "▾" : "▸"}
                    </span>
                    {pick(item.title, lang)}
                  </button>
                  {item.critical && <span className="badge">{t.checklistCritical}</span>}
                </div>
                {isOpen && (
                  <div className="item-body">
                    <dl>
                      <dt>{t.checklistWhy}</dt>
                      <dd>{pick(item.why, lang)}</dd>
                      <dt>{t.checklistWhere}</dt>
                      <dd>{pick(item.where, lang)}</dd>
                    </dl>
                    {item.source && (
                      <p className="source">
                        {t.checklistSource}：{item.source}
                      </p>
                    )}
                  </div>
                )}
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}

function AppealSection({ t }: { t: Strings }) {
  return (
    <section className="card">
      <details data-testid="appeal">
        <summary>{t.appealTitle}</summary>
        <ol>
          {t.appealSteps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
      </details>
    </section>
  )
}

const pageTitle = (t: Strings) => t.appName

function Popup() {
  const { ready, lang, setLanguage, t } = usePage(pageTitle)
  return (
    <main className="popup" data-ready={ready}>
      <header>
        <div className="brand">
          <img className="mark" src={iconUrl} alt="" />
          <div>
            <h1>{t.appName}</h1>
            <p className="tagline">{t.appTagline}</p>
          </div>
        </div>
        <div className="actions">
          <button
            className="ghost"
            data-testid="language"
            title={t.languageSwitchTitle}
            disabled={!ready}
            onClick={() => setLanguage(lang === "zh" ? "en" : "zh")}>
            {t.languageSwitch}
          </button>
          <button className="ghost" data-testid="open-options" onClick={() => void browser.runtime.openOptionsPage()}>
            {t.openOptions}
          </button>
        </div>
      </header>
      <TabSection t={t} lang={lang} />
      {ready ? <ChecklistSection t={t} lang={lang} /> : <p className="muted small">{t.loading}</p>}
      <AppealSection t={t} />
    </main>
  )
}

export default Popup
