/** The panel's styles, scoped by its shadow root. */
export const panelStyle = `
.p{position:fixed;right:16px;bottom:64px;z-index:2147483001;width:340px;max-width:calc(100vw - 32px);
max-height:calc(100vh - 96px);overflow:auto;box-sizing:border-box;padding:16px;border-radius:10px;
background:#fff;color:#1d2733;font:14px/1.4 system-ui,sans-serif;box-shadow:0 6px 24px rgba(0,0,0,.25)}
.p[hidden]{display:none}
.h{display:flex;justify-content:space-between;align-items:center;margin:0 0 12px}
.h h2{font-size:16px;margin:0}
.x{border:0;background:none;font-size:20px;cursor:pointer;color:inherit}
label{display:block;font-weight:600;margin:8px 0 4px}
input,textarea{width:100%;box-sizing:border-box;padding:6px 8px;border:1px solid #b8c2cc;border-radius:6px;font:inherit}
textarea{min-height:72px;resize:vertical}
.s{margin-top:10px;padding:8px 14px;border:0;border-radius:6px;background:#2d3e50;color:#fff;font:inherit;cursor:pointer}
.s:disabled{opacity:.6;cursor:default}
.m{min-height:1.4em;margin:8px 0}.m.e{color:#b3261e}
h3{font-size:14px;margin:16px 0 6px}
ul{list-style:none;margin:0;padding:0}
li{display:flex;gap:8px;align-items:center;padding:6px 0;border-top:1px solid #e6eaee}
li .t{flex:1;overflow-wrap:anywhere}
li .st{font-size:12px;color:#5c6b7a}
.v{min-width:48px;padding:4px 8px;border:1px solid #2d3e50;border-radius:6px;background:#fff;color:#2d3e50;cursor:pointer;font:inherit}
.v[aria-pressed=true]{background:#2d3e50;color:#fff}
`;
