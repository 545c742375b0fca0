/** One shadow-root host, outside the editor, for everything the overlay draws (title underlines, card, summary, gate dialog). */
import { SEVERITY_COLORS } from "./highlights"

const HOST_TAG = "redline-overlay"

const STYLE = `
:host{all:initial}
*{box-sizing:border-box}
.layer{position:fixed;inset:0 auto auto 0;width:0;height:0;z-index:2147483646;pointer-events:none;
  font-family:-apple-system,BlinkMacSystemFont,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;font-size:13px;color:#1f2328;line-height:1.5}
.title-mirror{position:fixed;overflow:hidden;pointer-events:none;color:transparent;border-color:transparent!important;background:transparent;margin:0}
.title-mirror .u{text-decoration-line:underline;text-decoration-style:wavy;text-decoration-thickness:1.5px;text-underline-offset:3px;text-decoration-skip-ink:none}
.title-mirror .error{text-decoration-color:${SEVERITY_COLORS.error};background:rgba(229,72,77,.12)}
.title-mirror .warning{text-decoration-color:${SEVERITY_COLORS.warning};background:rgba(240,140,0,.12)}
.title-mirror .info{text-decoration-color:${SEVERITY_COLORS.info};background:rgba(59,130,246,.10)}
.card{position:fixed;pointer-events:auto;width:340px;max-width:calc(100vw - 16px);background:#fff;border:1px solid #e5e7eb;border-radius:10px;
  box-shadow:0 8px 28px rgba(0,0,0,.16);padding:12px 14px;display:none}
.card.open{display:block}
.card .head{display:flex;align-items:center;gap:6px;margin-bottom:6px;flex-wrap:wrap}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;color:#fff;line-height:20px}
.badge.error{background:${SEVERITY_COLORS.error}}.badge.warning{background:${SEVERITY_COLORS.warning}}.badge.info{background:${SEVERITY_COLORS.info}}
.cat{font-size:12px;color:#57606a}
.phrase{font-weight:600}
.msg{margin:4px 0}
.en{color:#6e7781;font-size:12px}
.src{color:#6e7781;font-size:12px;margin-top:6px}
.sugs{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px}
button{font:inherit;cursor:pointer;border-radius:6px;border:1px solid #d0d7de;background:#f6f8fa;color:#1f2328;padding:2px 10px;line-height:22px}
button:hover{background:#eef1f4}
button.sug{border-color:#1f883d;background:#dafbe1;color:#116329}
button.primary{background:#ff2442;border-color:#ff2442;color:#fff}
.advice{margin:4px 0 0;padding-left:18px}
.advice li{margin:2px 0}
.actions{display:flex;gap:6px;margin-top:10px;border-top:1px solid #eaeef2;padding-top:8px}
.actions button{flex:1 1 0;display:flex;flex-direction:column;align-items:center;font-size:12px;line-height:1.25;padding:3px 4px;white-space:nowrap}
.actions button small{font-size:10px;color:#6e7781}
.summary{position:fixed;pointer-events:auto;background:#fff;border:1px solid #e5e7eb;border-radius:16px;box-shadow:0 2px 10px rgba(0,0,0,.12);
  font-size:12px;max-width:360px}
.summary .pill{display:flex;align-items:center;gap:8px;padding:3px 10px;cursor:pointer;border:0;background:transparent;border-radius:16px}
.summary .dot{display:inline-block;width:8px;height:8px;border-radius:50%;margin-right:3px}
.summary .list{display:none;max-height:260px;overflow:auto;border-top:1px solid #eaeef2;padding:4px 0;margin:0;list-style:none}
.summary.expanded{border-radius:10px}
.summary.expanded .list{display:block}
.summary li{padding:4px 10px;cursor:pointer;display:flex;gap:6px;align-items:baseline}
.summary li:hover{background:#f6f8fa}
.summary li .t{font-weight:600;white-space:nowrap;max-width:110px;overflow:hidden;text-overflow:ellipsis}
.summary li .m{color:#57606a;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.summary .empty{padding:4px 10px;color:#57606a}
.backdrop{position:fixed;inset:0;background:rgba(0,0,0,.35);pointer-events:auto;display:flex;align-items:center;justify-content:center;width:100vw;height:100vh}
.dialog{background:#fff;border-radius:12px;padding:18px 20px;width:420px;max-width:calc(100vw - 32px);box-shadow:0 12px 40px rgba(0,0,0,.25)}
.dialog h2{font-size:16px;margin:0 0 6px}
.dialog ul{margin:8px 0;padding-left:18px;max-height:240px;overflow:auto}
.dialog li{margin:3px 0}
.dialog .buttons{display:flex;justify-content:flex-end;gap:8px;margin-top:12px}
.dialog .buttons button{padding:4px 16px;display:flex;flex-direction:column;align-items:center;line-height:1.3;min-width:110px}
.dialog .buttons button small{font-size:11px;opacity:.8}
button.primary:focus-visible,button:focus-visible{outline:2px solid #1f6feb;outline-offset:2px}
`

export interface UiHost {
  host: HTMLElement
  root: ShadowRoot
  layer: HTMLElement
  destroy(): void
}

export function createUiHost(): UiHost {
  const host = document.createElement(HOST_TAG)
  host.setAttribute("data-redline", "")
  host.style.cssText = "position:fixed;top:0;left:0;width:0;height:0;z-index:2147483646;pointer-events:none;"
  const root = host.attachShadow({ mode: "open" })
  const style = document.createElement("style")
  style.textContent = STYLE
  const layer = document.createElement("div")
  layer.className = "layer"
  root.append(style, layer)
  document.documentElement.appendChild(host)
  return {
    host,
    root,
    layer,
    destroy: () => host.remove()
  }
}

/** Small hyperscript helper: el("div", {class: "x"}, "text", child). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v)
  for (const c of children) e.append(c)
  return e
}
