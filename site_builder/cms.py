"""The editors' interface at /admin/: Decap CMS, its forms read off the schema.

Switched on by site.yaml's `cms` key. Like the JSON Schemas, the CMS's
configuration (admin/config.yml) is made from the declarations in schema.py,
so a key added there gets its form field here: one collection per content
folder, a widget per field type, required keys required, limits and help text
from the schema. What only the archive knows (its verdict scale, repository
and branch) comes from site.yaml, so the file is written by each build.

The CMS's JavaScript is Decap CMS from npm (package.json pins it; `make build`
installs it when site.yaml switches the CMS on), copied into the built site:
nothing at /admin/ loads from another host except the Git host's own API.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable

import yaml

from . import model, schema
from .errors import BuildFailed, ContentError
from .files import TOOL_ROOT

PACKAGE = "decap-cms"
BUNDLE_DIR = os.path.join(TOOL_ROOT, "node_modules", PACKAGE, "dist")
ADMIN = "admin"
PREVIEW_JS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cms-preview.js")
DEFAULT_LOCAL_PORT = 8081
MEDIA_FOLDER = "static/media"

# The Git hosts' APIs the CMS talks to from the editor's browser.
_BACKEND_HOSTS = {"github": ("https://api.github.com",), "gitlab": ("https://gitlab.com",), "git-gateway": ()}
_BACKEND_IMAGES = {
    "github": ("https://avatars.githubusercontent.com",),
    "gitlab": ("https://gitlab.com",),
    "git-gateway": (),
}
# Decap's own bundle and the chunks it loads on demand (editor modes, the
# image tools' WebAssembly); the source maps stay out of the site.
_BUNDLE_FILE = re.compile(r"^(?:decap-cms\.js|\d+\.decap-cms\.js|[0-9a-f]+\.wasm|decap-cms\.js\.LICENSE\.txt)$")


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _collections_of_schema() -> list[tuple[str, str, schema.Record, str]]:
    """(folder, kind, record, format) for every content folder the schema declares."""
    found = [(folder, kind, record, "yaml") for folder, (kind, record) in schema.FOLDERS.items()]
    return found + [(schema.PAGES_FOLDER, "page", schema.PAGE, "frontmatter")]


def _identifier(record: schema.Record) -> str:
    """The field whose text names an entry in lists and makes its file name: the first text field."""
    return next(f.key for f in record.fields if type(f.type) is schema.Text)


def _folder_of(kind: str) -> str:
    return next(folder for folder, (k, _) in schema.FOLDERS.items() if k == kind)


def _relation(kind: str) -> dict:
    folder = _folder_of(kind)
    shown = _identifier(schema.FOLDERS[folder][1])
    return {
        "widget": "relation",
        "collection": folder,
        "value_field": "{{slug}}",
        "search_fields": [shown],
        "display_fields": [shown],
        "options_length": 50,
    }


def _text_limit(field_type: schema.Text) -> dict:
    # Decap has no length option; a pattern shows the limit's message under the field when the editor saves.
    line = "[^\\n]" if field_type.single_line else "[\\s\\S]"
    words = "on one line, " if field_type.single_line else ""
    return {"pattern": [f"^{line}{{0,{field_type.max_chars}}}$", f"{words}at most {field_type.max_chars:,} characters"]}


def widget(field_type: schema.FieldType, verdicts: Iterable[model.Verdict]) -> dict:
    """The Decap widget and options that write what `field_type` reads."""
    t = field_type
    if isinstance(t, schema.MarkdownText):
        return {
            "widget": "markdown",
            "buttons": [
                "bold",
                "italic",
                "link",
                "heading-two",
                "heading-three",
                "quote",
                "bulleted-list",
                "numbered-list",
            ],
            "editor_components": [],
            "modes": ["rich_text", "raw"],
        }
    if isinstance(t, schema.Text):
        return {"widget": "string" if t.single_line else "text", **_text_limit(t)}
    if isinstance(t, schema.Date):
        return {
            "widget": "datetime",
            "format": "YYYY-MM-DD",
            "date_format": "YYYY-MM-DD",
            "time_format": False,
            "picker_utc": True,
        }
    if isinstance(t, schema.Reference):
        if t.kind == "verdict":
            return {"widget": "select", "options": [{"label": v.label, "value": v.id} for v in verdicts]}
        return _relation(t.kind)
    if isinstance(t, schema.QuoteReference):
        return {"widget": "quote-reference", "collection": "sources"}
    if isinstance(t, schema.DateTime):
        return {"widget": "datetime", "format": "YYYY-MM-DDTHH:mm:ss[Z]", "picker_utc": True}
    if isinstance(
        t, (schema.Url, schema.Slug, schema.Language, schema.Color, schema.Sha256, schema.AliasPath, schema.ContactUrl)
    ):
        # Written to a pattern: the JSON Schema's own, with the words it shows when one fails.
        written = t.json_schema()
        return {"widget": "string", "pattern": [written["pattern"], written["patternErrorMessage"]]}
    if isinstance(t, schema.Choice):
        return {"widget": "select", "options": list(t.choices)}
    if isinstance(t, schema.Integer):
        return {"widget": "number", "value_type": "int", "min": t.minimum, "max": t.maximum}
    if isinstance(t, (schema.ImageFile, schema.ContentImageFile)):
        return {"widget": "image", "choose_url": False}
    if isinstance(t, schema.TextFile):
        return {"widget": "string"}
    if isinstance(t, schema.ListOf):
        item = widget(t.item, verdicts)
        if item["widget"] == "relation":  # one picker that takes several, rather than a list of pickers
            return {**item, "multiple": True}
        if isinstance(t.item, schema.Record):
            # Without the empty default, Decap starts every new entry with one blank item.
            return {"widget": "list", "fields": [_field(f, verdicts) for f in t.item.fields], "default": [], **_min(t)}
        return {
            "widget": "list",
            "field": {"label": _ITEM_LABELS.get(type(t.item), "Item"), "name": "item", **item},
            "default": [],
            **_min(t),
        }
    if isinstance(t, schema.Record):
        return {"widget": "object", "fields": [_field(f, verdicts) for f in t.fields]}
    raise TypeError(f"no CMS widget for the field type {type(t).__name__}: add one in cms.widget")


# What one item of a list is called in its form, by the item's type.
_ITEM_LABELS = {schema.QuoteReference: "Quote", schema.Url: "Web address", schema.AliasPath: "Old address"}


def _min(t: schema.ListOf) -> dict:
    return {"min": t.min_items} if t.min_items else {}


def _field(spec: schema.Field, verdicts) -> dict:
    field = {
        "label": _label(spec.key),
        "name": spec.key,
        **widget(spec.type, verdicts),
        "required": spec.required,
        "hint": spec.doc,
    }
    if isinstance(spec.default, str) and spec.default:
        field["default"] = spec.default
    if field["widget"] == "object" and not spec.required:
        # v2: an optional image left empty must not block saving: Decap checks an object's
        # required keys even when the object itself is left out. The build still requires them.
        field["fields"] = [{**inner, "required": False} for inner in field["fields"]]
    return field


def collection(folder: str, kind: str, record: schema.Record, file_format: str, verdicts) -> dict:
    fields = [_field(f, verdicts) for f in record.fields]
    if file_format == "frontmatter":
        fields.append(
            {
                "label": "Body",
                "name": "body",
                "widget": "markdown",
                "required": True,
                "hint": "the page's text, in Markdown",
            }
        )
    shown = _identifier(record)
    return {
        "name": folder,
        "label": _label(folder),
        "label_singular": _label(kind),
        "description": record.doc,
        "folder": f"content/{folder}",
        "extension": "md" if file_format == "frontmatter" else "yaml",
        "format": file_format,
        "create": True,
        "delete": False,  # a record others link to is removed with git, where check runs first
        "identifier_field": shown,
        # The file name is the permanent URL: at most SLUG_MAX characters of the title, in a-z, 0-9 and '-'.
        "slug": f"{{{{slug | truncate({schema.SLUG_MAX - 1}, ' ')}}}}",
        "summary": f"{{{{{shown}}}}}",
        "sortable_fields": [shown],
        "fields": fields,
    }


def config(site: model.Site) -> dict:
    """Decap CMS's configuration for this archive."""
    cms = site.cms
    backend = {"name": cms.backend, "repo": cms.repo, "branch": cms.branch}
    if cms.auth_url:
        backend["base_url"] = cms.auth_url
    result = {"backend": backend}
    if cms.workflow == "editorial":
        result["publish_mode"] = "editorial_workflow"
    result |= {
        # Used only when /admin/ is opened on localhost, with decap-server running beside the archive.
        "local_backend": {"url": f"{local_backend_origin(cms)}/api/v1"},
        "site_url": site.base_url,
        "display_url": site.base_url,
        "locale": "en",
        "load_config_file": False,
        "media_folder": MEDIA_FOLDER,
        # Image keys hold a path relative to the folder that holds content/, as written in the file.
        "public_folder": MEDIA_FOLDER,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [collection(*c, verdicts=site.verdicts) for c in _collections_of_schema()],
    }
    return result


def local_backend_origin(cms: model.Cms) -> str:
    return f"http://127.0.0.1:{cms.local_port or DEFAULT_LOCAL_PORT}"


def config_yaml(site: model.Site) -> str:
    body = dict(config(site))
    body.pop("load_config_file")  # an option of CMS.init, not of the file
    header = "# Made by build.py from site_builder/schema.py and site.yaml: edit those, not this file.\n"
    return header + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=100)


def content_security_policy(cms: model.Cms) -> str:
    local = local_backend_origin(cms)
    connect = " ".join(("'self'", *_BACKEND_HOSTS[cms.backend], *((cms.auth_url,) if cms.auth_url else ()), local))
    images = " ".join(("'self'", "data:", "blob:", *_BACKEND_IMAGES[cms.backend]))
    # Decap compiles its config validator at run time ('unsafe-eval') and its
    # styling library writes <style> elements ('unsafe-inline'); both stay
    # confined to /admin/, whose scripts are all served from this site.
    return (
        f"default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
        f"img-src {images}; connect-src {connect}; font-src 'self' data:; frame-src 'self' blob:; "
        f"worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'none'"
    )


def index_html(site: model.Site) -> str:
    title = f"Editing · {site.title}"
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex, nofollow">
<meta http-equiv="Content-Security-Policy" content="{content_security_policy(site.cms)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_escape(title)}</title>
<link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body data-pagefind-ignore="all">
<script src="decap-cms.js"></script>
<script src="cms-preview.js"></script>
</body>
</html>
"""


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def bundle_files() -> list[str]:
    """The names of Decap's files copied into admin/."""
    return sorted(name for name in os.listdir(BUNDLE_DIR) if _BUNDLE_FILE.match(name))


def _read(path: str) -> Callable[[], Iterable[bytes]]:
    def produce():
        with open(path, "rb") as f:
            yield f.read()

    return produce


def _bundle_version() -> str:
    with open(os.path.join(TOOL_ROOT, "node_modules", PACKAGE, "package.json"), encoding="utf-8") as f:
        return json.load(f)["version"]


def admin_files(site: model.Site, stylesheets: Iterable[str]) -> list[tuple[str, Callable[[], Iterable[bytes]]]]:
    """The files of /admin/, (path in the output, what makes its bytes); none when the CMS is off.

    `stylesheets` are the site's own (URL paths), for the preview pane.
    """
    if site.cms is None:
        return []
    if not os.path.isfile(os.path.join(BUNDLE_DIR, "decap-cms.js")):
        pos = site.cms.pos
        raise BuildFailed(
            [
                ContentError(
                    pos,
                    f"'cms' is switched on but the CMS's JavaScript ({PACKAGE} from npm) is not "
                    "installed: run `make build`, which installs it, or remove 'cms' to build no /admin/",
                )
            ]
        )
    version = _bundle_version()
    preview_settings = json.dumps({"stylesheets": list(stylesheets)})
    files = [
        (f"{ADMIN}/index.html", lambda: [index_html(site).encode("utf-8")]),
        (f"{ADMIN}/config.yml", lambda: [config_yaml(site).encode("utf-8")]),
        (
            f"{ADMIN}/cms-preview.js",
            lambda: [f"var SITE_PREVIEW = {preview_settings};\n".encode(), *_read(PREVIEW_JS)()],
        ),
        (f"{ADMIN}/LICENSE.txt", lambda: [_licence_note(version).encode("utf-8")]),
    ]
    files += [(f"{ADMIN}/{name}", _read(os.path.join(BUNDLE_DIR, name))) for name in bundle_files()]
    return files


def _licence_note(version: str) -> str:
    return (
        f"The files decap-cms.js, *.decap-cms.js and *.wasm in this folder are Decap CMS {version}\n"
        "(https://github.com/decaporg/decap-cms), MIT License, Copyright (c) 2016 Netlify, Inc. and\n"
        "the Decap CMS contributors. The licences of the libraries bundled in it are in\n"
        "decap-cms.js.LICENSE.txt.\n\n"
        "Permission is hereby granted, free of charge, to any person obtaining a copy of this software\n"
        'and associated documentation files (the "Software"), to deal in the Software without\n'
        "restriction, including without limitation the rights to use, copy, modify, merge, publish,\n"
        "distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the\n"
        "Software is furnished to do so, subject to the following conditions:\n\n"
        "The above copyright notice and this permission notice shall be included in all copies or\n"
        "substantial portions of the Software.\n\n"
        'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING\n'
        "BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND\n"
        "NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,\n"
        "DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,\n"
        "OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n"
    )
