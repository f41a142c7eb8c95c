"""What `mkdocs serve` adds to the pages it serves, and a build never does: after a save the
checker refused, the reasons across the top of every page, over the last good version."""

from __future__ import annotations

import re
from html import escape

_BODY = re.compile(r"<body\b[^>]*>")
_BANNER_STYLE = (
    "position:sticky;top:0;z-index:10000;margin:0;padding:.8rem 1.2rem;background:#8b0000;color:#fff;"
    "font:14px/1.45 system-ui,sans-serif;box-shadow:0 2px 6px rgba(0,0,0,.4)"
)


def serve_banner(html: str, problems: list[str]) -> str:
    """`html` with the reasons the last save was refused across its top: while serving, someone
    watching only the browser sees at once that the page is the last good version, not the save."""
    return insert_banner(html, banner_html(problems))


def banner_html(problems: list[str]) -> str:
    shown = problems[:20]
    more = f"<li>… and {len(problems) - 20} more: see the terminal</li>" if len(problems) > 20 else ""
    items = "".join(f'<li><code style="color:inherit;background:none">{escape(p)}</code></li>' for p in shown)
    return (
        f'<div class="bp-serve-errors" role="alert" style="{_BANNER_STYLE}">'
        "<strong>The last save was not taken: this is the last good version.</strong> "
        f'Fix the data and save again.<ul style="margin:.4rem 0 0 1.2rem">{items}{more}</ul></div>'
    )


def insert_banner(html: str, banner: str) -> str:
    found = _BODY.search(html)
    return html[: found.end()] + banner + html[found.end() :] if found else banner + html
