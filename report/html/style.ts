/**
 * The report's style sheet: inline in the page (the Content-Security-Policy allows inline style
 * and nothing else), with a print layout.
 *
 * @module
 */

/** The CSS of the HTML report. */
export const REPORT_CSS = `
:root { color-scheme: light; font-family: system-ui, sans-serif; font-size: 14px; color: #1b1b1b; }
body { margin: 2em auto; max-width: 72em; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 2px solid #444; padding-bottom: 0.2em; margin-top: 2em; }
h3 { font-size: 1.05em; margin: 1.2em 0 0.3em; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.5em; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; }
th { background: #eee; }
dl.header { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1em; }
dl.header dt { font-weight: 600; }
dl.header dd { margin: 0; overflow-wrap: anywhere; }
.count { font-size: 1.4em; font-weight: 700; }
.severity-critical, .severity-high { color: #a00000; font-weight: 700; }
.severity-medium { color: #8a5a00; font-weight: 700; }
.status-incomplete, .status-failed, .status-interrupted, .status-abandoned { color: #a00000; }
.detection { border: 1px solid #c44; border-left: 6px solid #c44; padding: 0.5em 1em;
  margin: 1em 0; page-break-inside: avoid; }
code { font-family: ui-monospace, monospace; font-size: 0.95em; }
.none { color: #555; font-style: italic; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { page-break-after: avoid; }
  tr, .detection { page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;
