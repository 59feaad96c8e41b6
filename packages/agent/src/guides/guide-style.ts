/** The guides' own styles, inside their shadow roots: the page's CSS neither reaches in nor leaks out. */
export const guideStyle =
  ":host{all:initial}" +
  ".bd{position:fixed;inset:0;background:rgba(15,20,30,.5);z-index:2147483000}" +
  ".g{position:fixed;z-index:2147483001;box-sizing:border-box;background:#fff;color:#1f2430;" +
  "font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;padding:20px 24px;border-radius:8px;" +
  "box-shadow:0 8px 28px rgba(0,0,0,.25);max-width:calc(100vw - 32px);text-align:left}" +
  ".lightbox{top:50%;left:50%;transform:translate(-50%,-50%);width:420px;max-height:calc(100vh - 32px);overflow:auto}" +
  ".tooltip{width:320px}" +
  ".tooltip::before{content:'';position:absolute;left:var(--ax,50%);margin-left:-8px;border:8px solid transparent}" +
  ".below::before{top:-16px;border-bottom-color:#fff}.above::before{bottom:-16px;border-top-color:#fff}" +
  ".banner{top:0;left:0;right:0;max-width:none;border-radius:0;padding:12px 48px 12px 24px;" +
  "display:flex;flex-wrap:wrap;align-items:center;gap:4px 16px}" +
  ".g.banner>*{margin:0}" +
  "h1,h2,h3{margin:0 28px 8px 0;font-weight:650;line-height:1.25}h1{font-size:22px}h2{font-size:19px}h3{font-size:16px}" +
  "p{margin:0 0 12px;white-space:pre-line}" +
  "img{display:block;max-width:100%;height:auto;margin:0 0 12px;border-radius:4px}" +
  ".a{display:flex;gap:8px;flex-wrap:wrap;justify-content:flex-end;margin-top:4px}" +
  "button,input,textarea{font:inherit;color:inherit}" +
  ".b{padding:8px 16px;border:0;border-radius:6px;background:#2857d6;color:#fff;cursor:pointer;font-weight:600}" +
  ".b:hover{background:#1e46b3}.b.s{background:#e9ecf3;color:#1f2430}.b.s:hover{background:#dde1ea}" +
  ".x{position:absolute;top:8px;right:8px;width:30px;height:30px;border:0;border-radius:6px;background:none;" +
  "font-size:22px;line-height:1;color:#5b6270;cursor:pointer}.x:hover{background:#eef0f4}" +
  ":focus{outline:none}:focus-visible{outline:3px solid #f0a202;outline-offset:2px}" +
  "fieldset{border:0;padding:0;margin:0 0 12px;min-width:0}legend{padding:0;margin:0 0 8px;font-weight:600}" +
  ".o{display:flex;flex-wrap:wrap;gap:6px}" +
  ".o label{display:inline-flex;align-items:center;gap:6px;padding:6px 10px;border:1px solid #cfd4de;" +
  "border-radius:6px;cursor:pointer}.o label:has(input:checked){border-color:#2857d6;background:#eef3ff}" +
  ".nps label{min-width:22px;justify-content:center;padding:6px}.nps input{position:absolute;opacity:0;width:1px;height:1px}" +
  ".nps label:has(input:focus-visible){outline:3px solid #f0a202;outline-offset:2px}" +
  "textarea{box-sizing:border-box;width:100%;min-height:72px;padding:8px;border:1px solid #cfd4de;border-radius:6px}" +
  ".badge{position:fixed;z-index:2147482999;width:24px;height:24px;padding:0;border:2px solid #fff;border-radius:50%;" +
  "background:#2857d6;color:#fff;font:700 13px/20px system-ui,sans-serif;cursor:pointer;box-shadow:0 1px 4px rgba(0,0,0,.3)}";
