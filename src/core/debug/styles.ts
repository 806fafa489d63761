// Inline styles for the error pages: no external assets, so they render even when static files don't.

export const debugPageStyles = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f7f9}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
header{background:#8f1d21;color:#fff;padding:24px 32px}
header .kind{margin:0;font-weight:600;opacity:.85;letter-spacing:.02em}
header h1{margin:6px 0 10px;font-size:22px;font-weight:600;white-space:pre-wrap;word-break:break-word}
header .where{margin:0;opacity:.85}
header .where span+span::before{content:" · "}
main{padding:8px 32px 32px;max-width:1200px}
h2{font-size:17px;margin:28px 0 10px;padding-bottom:4px;border-bottom:1px solid #d8dce2}
h3{font-size:15px;margin:18px 0 8px}
.frame{background:#fff;border:1px solid #d8dce2;border-radius:6px;margin:8px 0;overflow:hidden}
.frame-head{padding:6px 12px;background:#eef1f5;display:flex;gap:12px;flex-wrap:wrap}
.frame-head .fn{font-weight:600}
.frame-head .loc{color:#57606a}
.source{margin:0;padding:6px 0;overflow-x:auto}
.source span.line{display:block;padding:0 12px;white-space:pre}
.source span.current{background:#ffe9e9;box-shadow:inset 3px 0 #cf222e}
.source .ln{display:inline-block;min-width:4ch;margin-right:12px;text-align:right;color:#8c959f;user-select:none}
details.library{margin:6px 0;color:#57606a}
details.library summary{cursor:pointer}
details.library ul{margin:6px 0;padding-left:20px}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #d8dce2;margin-bottom:8px}
th,td{text-align:left;vertical-align:top;padding:5px 12px;border-top:1px solid #eaedf1;word-break:break-all}
th{width:28%;font-weight:600;color:#424a53}
.masked{color:#8c959f}
.empty{color:#8c959f;font-style:italic;margin:4px 0}
.cause{border-left:3px solid #d8dce2;padding-left:14px}
.cause .message{white-space:pre-wrap;word-break:break-word}
footer{padding:16px 32px;color:#57606a;border-top:1px solid #d8dce2}
`;

export const errorPageStyles = `
body{margin:0;min-height:100vh;display:grid;place-items:center;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f7f9}
main{text-align:center;padding:32px}
.status{margin:0;font-size:64px;font-weight:700;color:#8c959f;line-height:1}
h1{margin:12px 0 8px;font-size:24px;font-weight:600}
p{margin:0;color:#424a53;max-width:40em;word-break:break-word}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}p{color:#9198a1}}
`;
