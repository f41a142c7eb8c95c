"""`briefing new SLUG`: a briefing folder with one example of each kind (`examples/`), valid as written."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from .kinds import COLLECTIONS
from .model import SLUG_RE, Briefing

EXAMPLES = Path(__file__).parent / "examples"  # `<kind's plural>.yaml`, and `briefing.yaml`


def examples() -> dict[str, str]:
    """One example file per kind, in the registry's order, each valid as written."""
    return {
        name: (EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8") for name in ("briefing", *COLLECTIONS)
    }


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


def new_briefing(root: Path, slug: str, schema_dir: Path) -> Path:
    """Create `root/slug` whole, or nothing; never overwrite."""
    if not re.match(SLUG_RE, slug):
        raise ScaffoldError(f"'{slug}' is not a valid slug: use lowercase letters, digits and hyphens")
    target = root / slug
    if target.exists() or target.is_symlink():
        raise ScaffoldError(f"{target} already exists; nothing was written")
    root.mkdir(parents=True, exist_ok=True)
    rel = os.path.relpath(schema_dir, target).replace(os.sep, "/")
    tmp = Path(tempfile.mkdtemp(dir=root, prefix=f".{slug}."))
    try:
        for kind, body in examples().items():
            (tmp / f"{kind}.yaml").write_text(schema_line(kind, rel) + body, encoding="utf-8")
        os.rename(tmp, target)  # fails rather than replaces if target appeared meanwhile
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ScaffoldError(f"could not create {target}: {e.strerror}") from None
    if not schema_dir.exists():
        write_schemas(schema_dir)
    return target
