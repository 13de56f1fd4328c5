// The light sign-in page's few rules, written into the page by the script itself
// (no stylesheet request before the first paint), every rule under .gs-* so nothing
// leaks into the full app. Colours follow the app's antd theme.
const CSS = `
.gs-wrap,.gs-loading{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei",sans-serif;font-size:14px;color:rgba(0,0,0,.88)}
.gs-loading{padding:20vh 0;text-align:center;color:rgba(0,0,0,.45)}
.gs-wrap{max-width:440px;margin:6vh auto;padding:12px;box-sizing:border-box}
.gs-card{background:#fff;border:1px solid #f0f0f0;border-radius:8px;padding:24px}
.gs-head{display:flex;justify-content:space-between;align-items:center;gap:8px}
.gs-head h1{margin:0;font-size:24px;font-weight:600}
.gs-card h2{margin:24px 0 8px;font-size:16px;font-weight:600}
.gs-wrap form{margin-top:16px}
.gs-field{display:block;margin-bottom:20px}
.gs-field span{display:block;padding-bottom:8px}
.gs-field input{box-sizing:border-box;width:100%;padding:4px 11px;height:32px;font:inherit;border:1px solid #d9d9d9;border-radius:6px;outline:none}
.gs-field input:focus{border-color:#b8322a;box-shadow:0 0 0 2px rgba(184,50,42,.1)}
.gs-field input.gs-bad{border-color:#ff4d4f}
.gs-field em{display:block;font-style:normal;color:#ff4d4f;margin-top:4px}
.gs-error{background:#fff2f0;border:1px solid #ffccc7;border-radius:6px;padding:8px 12px;margin-bottom:12px}
.gs-btn{font:inherit;height:32px;padding:0 15px;border-radius:6px;border:1px solid #d9d9d9;background:#fff;cursor:pointer}
.gs-btn:disabled{opacity:.65;cursor:default}
.gs-small{height:24px;padding:0 7px;border-radius:4px}
.gs-primary{display:block;width:100%;background:#b8322a;border-color:#b8322a;color:#fff}
.gs-accounts{list-style:none;margin:0;padding:0}
.gs-accounts li{display:flex;flex-wrap:wrap;align-items:center;gap:8px;padding:8px 0;border-bottom:1px solid #f0f0f0}
.gs-accounts li button{margin-left:auto}
.gs-tag{border:1px solid #d9d9d9;background:#fafafa;border-radius:4px;padding:0 7px;font-size:12px}
.gs-muted{color:rgba(0,0,0,.45)}
.gs-wrap code{background:rgba(150,150,150,.1);border-radius:3px;padding:0 4px}
`;

let done = false;
export function injectStyle(): void {
  if (done) return;
  done = true;
  const s = document.createElement('style');
  s.dataset.guishu = 'sign-in';
  s.textContent = CSS;
  document.head.appendChild(s);
}
