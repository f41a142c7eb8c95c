"""`briefing new SLUG`: a briefing folder with one example of each kind (`examples/`), valid as written."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from .i18n import DEFAULT, parse
from .kinds import COLLECTIONS
from .model import SLUG_RE, Briefing

EXAMPLES = Path(__file__).parent / "examples"  # `<kind's plural>.yaml`, and `briefing.yaml`


def examples(code: str = DEFAULT) -> dict[str, str]:
    """One example file per kind, in the registry's order, each valid as written; for another
    language than English, `briefing.yaml` says so (`language: fr`). The examples carry no
    comments, so no words of the generator's; their data is the analyst's to replace."""
    out = {
        name: (EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8") for name in ("briefing", *COLLECTIONS)
    }
    if code == DEFAULT:
        return out
    briefing, said = re.subn(r"^language:.*$", f"language: {code}", out["briefing"], flags=re.M)
    out["briefing"] = briefing if said else briefing.rstrip("\n") + f"\nlanguage: {code}\n"
    return out


def schemas() -> dict[str, dict[str, Any]]:
    """JSON Schema for each file kind, from the model classes."""
    out: dict[str, dict[str, Any]] = {"briefing": Briefing.model_json_schema()}
    for name, cls in COLLECTIONS.items():
        item = cls.model_json_schema()
        defs = item.pop("$defs", {})
        out[name] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": name.capitalize(),
            "type": "array",
            "items": item,
            **({"$defs": defs} if defs else {}),
        }
    out["briefing"]["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return out


def schema_line(kind: str, schema_dir: str) -> str:
    return f"# yaml-language-server: $schema={schema_dir}/{kind}.schema.json\n"


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, schema in schemas().items():
        path = folder / f"{kind}.schema.json"
        path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    return written


class ScaffoldError(Exception):
    pass


def new_briefing(root: Path, slug: str, schema_dir: Path, code: str = DEFAULT) -> Path:
    """Create `root/slug` whole, or nothing; never overwrite. With `code`, a briefing in that
    language (`language: fr`), the examples' comments in it."""
    if not re.match(SLUG_RE, slug):
        raise ScaffoldError(f"'{slug}' is not a valid slug: use lowercase letters, digits and hyphens")
    if parse(code) is None:
        raise ScaffoldError(f"'{code}' is not a language code: use one such as en, fr, es, ru, ar, zh, de")
    target = root / slug
    if target.exists() or target.is_symlink():
        raise ScaffoldError(f"{target} already exists; nothing was written")
    root.mkdir(parents=True, exist_ok=True)
    rel = os.path.relpath(schema_dir, target).replace(os.sep, "/")
    tmp = Path(tempfile.mkdtemp(dir=root, prefix=f".{slug}."))
    try:
        for kind, body in examples(code).items():
            (tmp / f"{kind}.yaml").write_text(schema_line(kind, rel) + body, encoding="utf-8")
        os.rename(tmp, target)  # fails rather than replaces if target appeared meanwhile
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ScaffoldError(f"could not create {target}: {e.strerror}") from None
    if not schema_dir.exists():
        write_schemas(schema_dir)
    return target
