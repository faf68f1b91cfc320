"""JSON Schemas of the content files, for editors' IDEs.

They are read off the declarations the validator uses (schema.py), written to
schemas/<kind>.schema.json by `build.py generate` and committed, so VS Code's
YAML extension completes keys, explains them on hover and underlines mistakes
while an editor types. The build never reads them: `check` stays the judge,
and also checks what a schema cannot say (references, quotes, file names).

Only keywords that draft 7 and draft 2020-12 share are used, so language
servers that know only the older draft read them the same way.
"""

from __future__ import annotations

import json

from .schema import FOLDERS, PAGE, SITE, Record

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = "schemas"

# Kind of content file → its declaration; `site` is content/site.yaml.
CONTENT_KINDS: dict[str, Record] = {"site": SITE, **dict(FOLDERS.values())}
# Every schema written: also a page's front matter, for tools that read it
# out of the Markdown file (VS Code's YAML extension does not).
SCHEMA_KINDS: dict[str, Record] = {**CONTENT_KINDS, "page": PAGE}


def schema_path(kind: str) -> str:
    """Where a kind's schema is committed, relative to the repository root."""
    return f"{SCHEMA_DIR}/{kind}.schema.json"


def content_schema(kind: str) -> dict:
    record = SCHEMA_KINDS[kind]
    return {"$schema": DIALECT, "title": f"{kind} file of a fact-check archive", **record.json_schema()}


def schema_files() -> dict[str, str]:
    """Every schema file's text, by path relative to the repository root."""
    return {
        schema_path(kind): json.dumps(content_schema(kind), indent=2, ensure_ascii=False) + "\n"
        for kind in SCHEMA_KINDS
    }
