"""The one way pages are written: every value escaped, one style sheet, one self-contained file.

Learner records and standards are untrusted: a name such as ``<script>alert(1)</script>`` must
show as text. So nothing here takes markup from outside: :func:`esc` escapes every value (controls
and bidi overrides shown as escapes first, then ``& < > " '`` as entities), and the helpers that
build elements escape their text and attribute values themselves; only markup built by these
helpers is passed on as :class:`Markup`.

A page has no script, loads nothing (no CDN, no web font, no image file: pictures are inline SVG),
and carries a Content-Security-Policy that forbids scripts and every fetch, so even a page opened
from a shared folder runs nothing and reaches no server. ``@media print`` makes it print to PDF
cleanly from the browser.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from ..messages import text
from ..safe_text import escape_controls


class Markup(str):
    """HTML built by this module's helpers (its parts already escaped): never escaped again."""


def esc(value: object) -> Markup:
    """Any value as HTML text: controls shown as escapes, then every special character an entity."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(escape_controls(str(value)), quote=True))


def t(key: str, lang: str, **values: object) -> Markup:
    """A sentence of the catalogue in ``lang``, values filled in, escaped as a whole."""
    return esc(text(key, lang, **values))


def join(parts: Iterable[object], sep: str = "") -> Markup:
    return Markup(esc(sep).join(esc(p) for p in parts))


def el(tag: str, *children: object, **attrs: object) -> Markup:
    """``<tag attrs>children</tag>``; attribute names ending in ``_`` lose it (``class_``)."""
    shown = "".join(f' {name.rstrip("_").replace("_", "-")}="{esc(value)}"'
                    for name, value in attrs.items() if value is not None and value is not False)
    return Markup(f"<{tag}{shown}>{join(children)}</{tag}>")


def table(head: Sequence[object], rows: Iterable[Sequence[object]], numeric: Iterable[int] = (),
          class_: str | None = None) -> Markup:
    """A table; the columns in ``numeric`` are right-aligned."""
    right = set(numeric)
    head_row = el("tr", *(el("th", cell, class_="num" if i in right else None) for i, cell in enumerate(head)))
    body = [el("tr", *(el("td", cell, class_="num" if i in right else None) for i, cell in enumerate(row)))
            for row in rows]
    return el("table", el("thead", head_row), el("tbody", *body), class_=class_)


def bar(done: float, total: float, label: str) -> Markup:
    """A progress bar drawn with CSS (a share of ``total``), with its words for screen readers."""
    share = 0.0 if total <= 0 else max(0.0, min(1.0, done / total))
    return el("div", el("div", class_="fill", style=f"width:{share * 100:.1f}%"), class_="bar", role="img",
              aria_label=label)


CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'none'; base-uri 'none'; " \
      "form-action 'none'"

STYLE = """
:root { --ink: #1d2733; --muted: #5b6675; --line: #d5dbe3; --accent: #1f5fa8; --good: #1d7a46; --bad: #a33b2b;
        --soft: #f3f6fa; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
       "WenQuanYi Micro Hei", "Helvetica Neue", Arial, sans-serif; color: var(--ink); margin: 0; background: #fff;
       line-height: 1.5; font-size: 15px; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.5rem 3rem; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
p.lead { color: var(--muted); margin: 0 0 1rem; }
.summary { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1rem 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .9rem; min-width: 9rem;
        background: var(--soft); }
.card .big { font-size: 1.5rem; font-weight: 700; display: block; }
.card .small { color: var(--muted); font-size: .85rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .92rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--line); }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
ul.items { list-style: none; padding: 0; margin: 0; }
ul.items li { border-left: 4px solid var(--line); padding: .4rem .8rem; margin: .5rem 0; background: #fff; }
ul.items li.ok { border-color: var(--good); }
ul.items li.no { border-color: var(--bad); }
.why { color: var(--muted); font-size: .9rem; }
.mark-ok { color: var(--good); font-weight: 700; }
.mark-no { color: var(--bad); font-weight: 700; }
.bar { height: .7rem; background: var(--soft); border: 1px solid var(--line); border-radius: 4px; overflow: hidden;
       min-width: 8rem; }
.bar .fill { height: 100%; background: var(--accent); }
.gain { color: var(--good); font-weight: 600; }
.loss { color: var(--bad); font-weight: 600; }
code, .id { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .88em; }
.stamp { font-size: .85rem; color: var(--muted); border-top: 1px solid var(--line); margin-top: 2rem;
         padding-top: .6rem; }
.box { border: 1px solid var(--line); border-radius: 6px; padding: .8rem 1rem; background: var(--soft); }
figure { margin: .5rem 0 1rem; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
figure.graph svg { max-width: none; }
figcaption { color: var(--muted); font-size: .85rem; }
.sev-error { color: var(--bad); font-weight: 600; }
.sev-warning { color: #8a5a00; font-weight: 600; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  li, tr, figure, .card { break-inside: avoid; }
  figure.graph svg { max-width: 100%; }
  .bar { border-color: #888; }
  .bar .fill { background: #555; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
  @page { size: A4; margin: 16mm 14mm; }
}
"""


def page(title: str, lang: str, body: Iterable[object], footer: object = "") -> str:
    """A whole HTML document: one file, no script, nothing fetched."""
    doc_lang = "zh-CN" if lang == "zh" else "en"
    head = (f'<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="referrer" content="no-referrer">\n'
            f"<title>{esc(title)}</title>\n<style>{STYLE}</style>")
    footer_html = el("p", footer, class_="stamp") if footer else ""
    return (f'<!DOCTYPE html>\n<html lang="{doc_lang}">\n<head>\n{head}\n</head>\n<body>\n<main>\n'
            f"{join(body, '')}\n{footer_html}\n</main>\n</body>\n</html>\n")


def generated_by(lang: str, engine: str) -> Markup:
    return t("page_generated", lang, engine=engine)
