"""The pictures' colours and stylesheet: light (default), dark (Material's slate scheme) and print.

Colours come from CSS classes (`pictures_css()`), with light-mode colours repeated as
presentation attributes so that a picture is still legible where the stylesheet is missing.
Meaning never rests on colour alone: stances carry their word or letter, attendance uses
shapes, approximate dates are dashed.
"""

from __future__ import annotations

# Light-mode colours, repeated as presentation attributes (CSS classes override them).
_MEETING_COLOUR = "#1f5fa8"
_EVENT_COLOUR = "#b4441c"
_DOCUMENT_COLOUR = "#5b3d99"
_PRESENT_COLOUR = "#1f5fa8"
_ABSENT_COLOUR = "#b4441c"
_LIGHT = {
    "favor": "#8cc5e3",
    "against": "#f2a07b",
    "mixed": "#d4b9da",
    "neutral": "#e3e3e3",
    "unclear": "#ffffff",
}
_STANCE_FILL: dict[str, str] = {**_LIGHT, "none": "none"}
# Dark enough for the text (Material's slate foreground) to read on them at 4.5:1 or more.
_DARK = {
    "favor": "#1a5273",
    "against": "#7a3216",
    "mixed": "#5c4370",
    "neutral": "#464a54",
    "unclear": "transparent",
}
# Grayscale, distinct in lightness; the word or letter on every cell carries the meaning.
_PRINT = {
    "favor": "#ffffff",
    "against": "#9a9a9a",
    "mixed": "#c6c6c6",
    "neutral": "#e6e6e6",
    "unclear": "#ffffff",
}


def pictures_css() -> str:
    """Styles for the pictures: light (default), dark (Material's slate scheme) and print."""
    slate = '[data-md-color-scheme="slate"]'
    out = [
        ".bp-figure{margin:1em 0;overflow-x:auto}",
        ".bp-pic{display:block;height:auto;color:inherit;font-family:inherit;overflow:visible}",
        # The theme colours a focused link; in a picture it keeps the text's colour, which the ring takes.
        ".bp-pic a,.bp-pic a:hover,.bp-pic a:focus{color:inherit;text-decoration:none}",
        ".bp-pic a:hover text,.bp-pic a:focus-visible text{text-decoration:underline}",
        ".bp-pic a:focus-visible{outline:2px solid currentColor;outline-offset:2px}",
        ".bp-pic text{fill:currentColor}",
        ".bp-grid{stroke:currentColor;stroke-opacity:.15}",
        ".bp-rule,.bp-asof{stroke:currentColor}",
        f".bp-mark-meeting{{fill:{_MEETING_COLOUR};stroke:{_MEETING_COLOUR}}}",
        f".bp-mark-event{{fill:{_EVENT_COLOUR};stroke:{_EVENT_COLOUR}}}",
        f".bp-mark-document{{fill:{_DOCUMENT_COLOUR};stroke:{_DOCUMENT_COLOUR}}}",
        ".bp-imprecise{fill-opacity:.25;stroke-dasharray:3 2}",
        ".bp-lane-count,.bp-tick{fill-opacity:.75}",
        ".bp-empty{fill-opacity:.7}",  # a dash, but text: kept at a readable contrast
        ".bp-fill,.bp-seg{stroke:#8a8a8a}",
        ".bp-stance-none{fill:none;stroke:currentColor;stroke-opacity:.3}",
        ".bp-stance-unclear{stroke-dasharray:3 2}",
        f".bp-att-in-person{{fill:{_PRESENT_COLOUR};stroke:{_PRESENT_COLOUR}}}",
        f".bp-att-remote,.bp-att-observer{{fill:none;stroke:{_PRESENT_COLOUR}}}",
        f".bp-att-delegate circle{{stroke:{_PRESENT_COLOUR}}}",
        f".bp-att-delegate circle+circle{{fill:{_PRESENT_COLOUR}}}",
        f".bp-att-absent{{fill:none;stroke:{_ABSENT_COLOUR}}}",
        ".bp-band{fill:currentColor;fill-opacity:.06}",
    ]
    out += [f".bp-stance-{s}{{fill:{c}}}" for s, c in _LIGHT.items()]
    out += [
        f"{slate} .bp-mark-meeting{{fill:#7fb2f0;stroke:#7fb2f0}}",
        f"{slate} .bp-mark-event{{fill:#f0905f;stroke:#f0905f}}",
        f"{slate} .bp-mark-document{{fill:#b9a2f0;stroke:#b9a2f0}}",
        f"{slate} .bp-att-in-person{{fill:#7fb2f0;stroke:#7fb2f0}}",
        f"{slate} .bp-att-remote,{slate} .bp-att-observer{{stroke:#7fb2f0}}",
        f"{slate} .bp-att-delegate circle{{stroke:#7fb2f0}}",
        f"{slate} .bp-att-delegate circle+circle{{fill:#7fb2f0}}",
        f"{slate} .bp-att-absent{{stroke:#f0905f}}",
        f"{slate} .bp-fill,{slate} .bp-seg{{stroke:#9aa0ad}}",
    ]
    out += [f"{slate} .bp-stance-{s}{{fill:{c}}}" for s, c in _DARK.items()]
    printed = [
        # On paper a picture wider than the sheet is scaled to fit it, as the sheet cannot scroll.
        ".bp-pic,{s} .bp-pic{{color:#000;max-width:100%!important;height:auto;"
        "-webkit-print-color-adjust:exact;print-color-adjust:exact}}",
        ".bp-mark-meeting,{s} .bp-mark-meeting,.bp-mark-event,{s} .bp-mark-event,.bp-mark-document,"
        "{s} .bp-mark-document{{fill:#000;stroke:#000}}",
        ".bp-imprecise,{s} .bp-imprecise{{fill-opacity:.15}}",
        ".bp-att-in-person,{s} .bp-att-in-person{{fill:#000;stroke:#000}}",
        ".bp-att-remote,{s} .bp-att-remote,.bp-att-observer,{s} .bp-att-observer,.bp-att-absent,"
        "{s} .bp-att-absent,.bp-att-delegate circle,{s} .bp-att-delegate circle{{stroke:#000}}",
        ".bp-att-delegate circle+circle,{s} .bp-att-delegate circle+circle{{fill:#000}}",
        ".bp-fill,{s} .bp-fill,.bp-seg,{s} .bp-seg{{stroke:#000}}",
        ".bp-stance-against,{s} .bp-stance-against{{stroke-width:2}}",
        ".bp-figure,{s} .bp-figure{{overflow:visible}}",
    ]
    printed += [f".bp-stance-{st},{{s}} .bp-stance-{st}{{{{fill:{c}}}}}" for st, c in _PRINT.items()]
    out.append("@media print{" + "".join(rule.format(s=slate) for rule in printed) + "}")
    return "\n".join(out) + "\n"
