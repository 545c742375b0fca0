import { useEffect, useRef, useState, type FormEvent } from "react"
import { CATEGORIES, CATEGORY_NAMES, SEVERITIES, SEVERITY_NAMES, type Category, type Severity } from "~src/engine/types"
import { getSettingsStore, usePage, useSettings } from "~src/settings/browser"
import { PACKS } from "~src/settings/bundle"
import { fmt, pick, type Strings } from "~src/settings/i18n"
import { allRuleIds, groupPacks, INDUSTRY_NAMES, isPackEnabled, type Industry, type PackInfo } from "~src/settings/packs"
import {
  CHECK_DELAY_MAX,
  CHECK_DELAY_MIN,
  exportSettingsJson,
  MAX_IMPORT_BYTES,
  oversizeImportError,
  parseImportedSettings,
  pickSettings
} from "~src/settings/schema"
import iconUrl from "url:~assets/icon.png"
import "~src/settings/page.css"
import "./options.css"

type Lang = "zh" | "en"

function Switch({ checked, onChange, label, testId }: { checked: boolean; onChange: (v: boolean) => void; label: string; testId?: string }) {
  return (
    <label className="switch" title={label}>
      <input type="checkbox" role="switch" aria-label={label} checked={checked} data-testid={testId} onChange={(e) => onChange(e.target.checked)} />
      <span className="track" aria-hidden />
    </label>
  )
}

function PackRow({ pack, t, lang }: { pack: PackInfo; t: Strings; lang: Lang }) {
  const [open, setOpen] = useState(false)
  const enabled = useSettings((s) => isPackEnabled(s, pack))
  const overrides = useSettings((s) => s.rules)
  const setPackEnabled = useSettings((s) => s.setPackEnabled)
  const setRuleEnabled = useSettings((s) => s.setRuleEnabled)
  const setRuleSeverity = useSettings((s) => s.setRuleSeverity)
  const changed = pack.rules.filter((r) => overrides[r.id]).length
  const industryName = pack.industry ? INDUSTRY_NAMES[pack.industry as Industry] : undefined
  return (
    <li className={`pack ${enabled ? "on" : "off"}`} data-pack={pack.id}>
      <div className="pack-row">
        <Switch checked={enabled} onChange={(v) => setPackEnabled(pack.id, v)} label={pick(pack.name, lang)} testId={`pack-toggle-${pack.id}`} />
        <div className="pack-main">
          <div className="pack-name">
            <strong>{pick(pack.name, lang)}</strong>
            {industryName && <span className="tag">{pick(industryName, lang)}</span>}
            <span className="meta">{fmt(t.packRules, { n: pack.rules.length })}</span>
            {changed > 0 && <span className="meta changed">· {fmt(t.packChanged, { n: changed })}</span>}
          </div>
          <div className="pack-desc">{pick(pack.description, lang)}</div>
        </div>
        <button className="link" aria-expanded={open} data-testid={`pack-expand-${pack.id}`} onClick={() => setOpen(!open)}>
          {open ? `▾ ${t.packCollapse}` : `▸ ${t.packExpand}`}
        </button>
      </div>
      {open && (
        <table className="rules">
          <tbody>
            {pack.rules.map((rule) => {
              const o = overrides[rule.id] ?? {}
              const ruleOn = o.enabled ?? true
              return (
                <tr key={rule.id} className={ruleOn ? "" : "rule-off"} data-rule={rule.id}>
                  <td className="c-check">
                    <input type="checkbox" checked={ruleOn} aria-label={rule.id} disabled={!enabled} onChange={(e) => setRuleEnabled(rule.id, e.target.checked)} />
                  </td>
                  <td className="c-rule">
                    <div className="rule-message">{pick(rule.message, lang)}</div>
                    <div className="rule-meta">
                      <code>{rule.id}</code> · {pick(CATEGORY_NAMES[rule.category] ?? { zh: rule.category, en: rule.category }, lang)}
                    </div>
                  </td>
                  <td className="c-sev">
                    <select
                      value={o.severity ?? ""}
                      disabled={!enabled || !ruleOn}
                      className={`sev-${o.severity ?? rule.severity}`}
                      aria-label={`${rule.id} severity`}
                      onChange={(e) => setRuleSeverity(rule.id, (e.target.value || undefined) as Severity | undefined)}>
                      <option value="">
                        {t.ruleDefault}（{pick(SEVERITY_NAMES[rule.severity], lang)}）
                      </option>
                      {SEVERITIES.map((s) => (
                        <option key={s} value={s}>
                          {pick(SEVERITY_NAMES[s], lang)}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </li>
  )
}

function PacksSection({ t, lang }: { t: Strings; lang: Lang }) {
  const { core, industry } = groupPacks(PACKS)
  return (
    <section id="packs" className="panel">
      <h2>{t.navPacks}</h2>
      <p className="intro">{t.packsIntro}</p>
      {PACKS.length === 0 && <p className="empty">{t.noPacks}</p>}
      {[
        [t.packsCore, core],
        [t.packsIndustry, industry]
      ].map(([title, packs]) =>
        (packs as PackInfo[]).length ? (
          <div key={title as string} className="group">
            <h3>{title as string}</h3>
            <ul className="packs">
              {(packs as PackInfo[]).map((p) => (
                <PackRow key={p.id} pack={p} t={t} lang={lang} />
              ))}
            </ul>
          </div>
        ) : null
      )}
    </section>
  )
}

function TermsSection({ t, lang }: { t: Strings; lang: Lang }) {
  const terms = useSettings((s) => s.customTerms)
  const addCustomTerm = useSettings((s) => s.addCustomTerm)
  const removeCustomTerm = useSettings((s) => s.removeCustomTerm)
  const [term, setTerm] = useState("")
  const [category, setCategory] = useState<Category>("low-quality")
  const [severity, setSeverity] = useState<Severity>("warning")
  const [message, setMessage] = useState("")
  const [error, setError] = useState<string | null>(null)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const err = addCustomTerm({ term, category, severity, message })
    setError(err)
    if (!err) {
      setTerm("")
      setMessage("")
    }
  }
  return (
    <section id="terms" className="panel">
      <h2>{t.navTerms}</h2>
      <p className="intro">{t.termsIntro}</p>
      <form className="term-form" onSubmit={submit} data-testid="term-form">
        <input value={term} onChange={(e) => setTerm(e.target.value)} placeholder={t.termTerm} aria-label={t.termTerm} maxLength={100} required />
        <select value={category} onChange={(e) => setCategory(e.target.value as Category)} aria-label={t.termCategory}>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {pick(CATEGORY_NAMES[c], lang)}
            </option>
          ))}
        </select>
        <select value={severity} onChange={(e) => setSeverity(e.target.value as Severity)} aria-label={t.termSeverity}>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {pick(SEVERITY_NAMES[s], lang)}
            </option>
          ))}
        </select>
        <input className="grow" value={message} onChange={(e) => setMessage(e.target.value)} placeholder={t.termMessagePlaceholder} aria-label={t.termMessage} maxLength={500} />
        <button type="submit" className="primary">
          {t.termAdd}
        </button>
      </form>
      {error && <p className="error">{error}</p>}
      {terms.length === 0 ? (
        <p className="empty">{t.termsEmpty}</p>
      ) : (
        <table className="list" data-testid="terms">
          <thead>
            <tr>
              <th>{t.termTerm}</th>
              <th>{t.termCategory}</th>
              <th>{t.termSeverity}</th>
              <th>{t.termMessage}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {terms.map((x, i) => (
              <tr key={x.term}>
                <td>
                  <strong>{x.term}</strong>
                </td>
                <td>{pick(CATEGORY_NAMES[x.category], lang)}</td>
                <td>
                  <span className={`sev-pill sev-${x.severity}`}>{pick(SEVERITY_NAMES[x.severity], lang)}</span>
                </td>
                <td className="muted">{x.message}</td>
                <td>
                  <button className="link danger" onClick={() => removeCustomTerm(i)}>
                    {t.termRemove}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function AllowSection({ t }: { t: Strings }) {
  const allowlist = useSettings((s) => s.allowlist)
  const addAllow = useSettings((s) => s.addAllow)
  const removeAllow = useSettings((s) => s.removeAllow)
  const [phrase, setPhrase] = useState("")
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (addAllow(phrase)) setPhrase("")
  }
  return (
    <section id="allow" className="panel">
      <h2>{t.navAllow}</h2>
      <p className="intro">{t.allowIntro}</p>
      <form className="allow-form" onSubmit={submit}>
        <input className="grow" value={phrase} onChange={(e) => setPhrase(e.target.value)} placeholder={t.allowPlaceholder} aria-label={t.allowPlaceholder} maxLength={200} />
        <button type="submit" className="primary">
          {t.allowAdd}
        </button>
      </form>
      {allowlist.length === 0 ? (
        <p className="empty">{t.allowEmpty}</p>
      ) : (
        <ul className="allowlist" data-testid="allowlist">
          {allowlist.map((p) => (
            <li key={p}>
              <span>{p}</span>
              <button aria-label={`${t.termRemove} ${p}`} onClick={() => removeAllow(p)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

function CheckSection({ t }: { t: Strings }) {
  const gate = useSettings((s) => s.gate)
  const delay = useSettings((s) => s.checkDelayMs)
  const setGate = useSettings((s) => s.setGate)
  const setCheckDelay = useSettings((s) => s.setCheckDelay)
  const [draft, setDraft] = useState(String(delay))
  useEffect(() => setDraft(String(delay)), [delay])
  return (
    <section id="check" className="panel">
      <h2>{t.navCheck}</h2>
      <div className="setting">
        <div>
          <div className="setting-label">{t.gateLabel}</div>
          <div className="setting-help">{t.gateHelp}</div>
        </div>
        <Switch checked={gate} onChange={setGate} label={t.gateLabel} testId="gate-toggle" />
      </div>
      <div className="setting">
        <div>
          <div className="setting-label">{t.delayLabel}</div>
          <div className="setting-help">{t.delayHelp}</div>
        </div>
        <div className="delay">
          <input type="range" min={CHECK_DELAY_MIN} max={CHECK_DELAY_MAX} step={50} value={delay} aria-label={t.delayLabel} onChange={(e) => setCheckDelay(Number(e.target.value))} />
          <input
            type="number"
            min={CHECK_DELAY_MIN}
            max={CHECK_DELAY_MAX}
            step={50}
            value={draft}
            data-testid="delay-input"
            aria-label={`${t.delayLabel} (${t.ms})`}
            onChange={(e) => setDraft(e.target.value)}
            onBlur={() => {
              setCheckDelay(Number(draft))
              setDraft(String(getSettingsStore().getState().checkDelayMs))
            }}
          />
          <span className="muted">{t.ms}</span>
        </div>
      </div>
    </section>
  )
}

function BackupSection({ t }: { t: Strings }) {
  const replaceSettings = useSettings((s) => s.replaceSettings)
  const resetToDefaults = useSettings((s) => s.resetToDefaults)
  const [status, setStatus] = useState<{ kind: "ok" | "error"; text: string } | null>(null)
  const [confirming, setConfirming] = useState(false)
  const fileInput = useRef<HTMLInputElement>(null)

  const exportFile = () => {
    const text = exportSettingsJson(pickSettings(getSettingsStore().getState()))
    const url = URL.createObjectURL(new Blob([text], { type: "application/json" }))
    const a = document.createElement("a")
    a.href = url
    a.download = `redline-settings-${new Date().toISOString().slice(0, 10)}.json`
    document.body.append(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
  }

  const importFile = async (file: File) => {
    const result =
      file.size > MAX_IMPORT_BYTES
        ? oversizeImportError(file.name, file.size)
        : parseImportedSettings(await file.text(), file.name, PACKS.map((p) => p.id), allRuleIds(PACKS))
    if (result.ok) {
      replaceSettings(result.settings)
      setStatus({ kind: "ok", text: fmt(t.importOk, { file: file.name }) })
    } else {
      setStatus({ kind: "error", text: result.error })
    }
  }

  return (
    <section id="backup" className="panel">
      <h2>{t.navBackup}</h2>
      <div className="setting">
        <div>
          <div className="setting-label">{t.exportLabel}</div>
          <div className="setting-help">{t.exportHelp}</div>
        </div>
        <button className="secondary" data-testid="export" onClick={exportFile}>
          {t.exportLabel}
        </button>
      </div>
      <div className="setting">
        <div>
          <div className="setting-label">{t.importLabel}</div>
          <div className="setting-help">{t.importHelp}</div>
        </div>
        <button className="secondary" onClick={() => fileInput.current?.click()}>
          {t.importLabel}
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="application/json,.json"
          hidden
          data-testid="import-file"
          onChange={(e) => {
            const file = e.target.files?.[0]
            e.target.value = ""
            if (file) void importFile(file)
          }}
        />
      </div>
      {status && (
        <p className={status.kind === "ok" ? "notice ok" : "notice error"} role={status.kind === "error" ? "alert" : "status"} data-testid={`import-${status.kind}`}>
          {status.text}
        </p>
      )}
      <div className="setting">
        <div>
          <div className="setting-label">{t.resetLabel}</div>
          <div className="setting-help">{t.resetHelp}</div>
        </div>
        {!confirming && (
          <button className="secondary danger" data-testid="reset" onClick={() => setConfirming(true)}>
            {t.resetLabel}
          </button>
        )}
      </div>
      {confirming && (
        <div className="confirm" role="alertdialog" aria-label={t.resetLabel}>
          <p>{t.resetConfirm}</p>
          <button
            className="primary danger"
            data-testid="reset-confirm"
            onClick={() => {
              resetToDefaults()
              setConfirming(false)
              setStatus({ kind: "ok", text: t.resetDone })
            }}>
            {t.resetYes}
          </button>
          <button className="secondary" autoFocus onClick={() => setConfirming(false)}>
            {t.resetNo}
          </button>
        </div>
      )}
    </section>
  )
}

const pageTitle = (t: Strings) => t.optionsTitle

function Options() {
  const { ready, lang, setLanguage, t } = usePage(pageTitle)
  const nav: [string, string][] = [
    ["packs", t.navPacks],
    ["terms", t.navTerms],
    ["allow", t.navAllow],
    ["check", t.navCheck],
    ["backup", t.navBackup]
  ]
  return (
    <div className="options" data-ready={ready}>
      <aside>
        <div className="brand">
          <img className="mark" src={iconUrl} alt="" />
          <div>
            <div className="brand-name">{t.appName}</div>
            <div className="tagline">{t.appTagline}</div>
          </div>
        </div>
        <nav>
          {nav.map(([id, label]) => (
            <a key={id} href={`#${id}`}>
              {label}
            </a>
          ))}
        </nav>
        <button className="secondary lang" data-testid="language" title={t.languageSwitchTitle} disabled={!ready} onClick={() => setLanguage(lang === "zh" ? "en" : "zh")}>
          {t.languageSwitch}
        </button>
        <p className="saved">{t.saved}</p>
      </aside>
      <main>
        {ready ? (
          <>
            <PacksSection t={t} lang={lang} />
            <TermsSection t={t} lang={lang} />
            <AllowSection t={t} />
            <CheckSection t={t} />
            <BackupSection t={t} />
          </>
        ) : (
          <p className="empty">{t.loading}</p>
        )}
      </main>
    </div>
  )
}

export default Options
