"""What the tests share, each thing in one place; a module may import the ones listed before it.

- `paths`: the repository, the interpreter's scripts (`briefing`, `mkdocs`) and the folders tests read.
- `cli`: one way to run a command (the `briefing` CLI, `mkdocs`, `./run`, git): exit code, stdout, stderr.
- `data`: tiny briefings written to a folder, loaded and validated.
- `project`: throwaway site projects (mkdocs.yml, docs/, templates/, briefings/) to build.
- `built`: a built site's pages, read with BeautifulSoup.
- `hostile`: the hostile briefing (markup, script and template code in every free-text field).
- `server`: a built site served as GitHub Pages serves a project site.
- `browser`: Debian's Chromium and the print tools.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def skip_or_fail(reason: str) -> NoReturn:
    """Skip a test that lacks something from outside the project (a browser, a tool, the stored
    sources); where BRIEFING_REQUIRE_BROWSER=1 (CI, which has them all), fail it instead."""
    if os.environ.get("BRIEFING_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (BRIEFING_REQUIRE_BROWSER=1: this is mandatory here)", pytrace=False)
    pytest.skip(reason)
