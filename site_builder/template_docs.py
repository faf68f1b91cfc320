"""docs/templates.md, written from the typed page contexts.

An archive may override any built-in template; to do so safely its author
needs to know what each template receives. That is read here off the page families (site_builder/pages/)
(and feeds.py): TEMPLATES says which context each template gets, and each
dataclass's docstring and the comment after each field say what it means.
`build.py generate` rewrites the file and a test fails while it is stale.
"""

from __future__ import annotations

import ast
import io
import os
import re
import tokenize
from dataclasses import dataclass

from . import feeds, pages
from .render import BUILTIN_TEMPLATES

TEMPLATES_MD = "docs/templates.md"
_MACRO_RE = re.compile(r"(?:\{#(?P<doc>(?:(?!#\}).)*)#\}\s*)?\{%-?\s*macro\s+(?P<signature>\w+\([^)]*\))", re.S)


@dataclass(frozen=True)
class Member:
    name: str
    annotation: str
    meaning: str


@dataclass(frozen=True)
class Described:
    name: str
    doc: str
    members: tuple[Member, ...]


def described_classes(*modules) -> dict[str, Described]:
    """Every class of the modules, with its docstring and each field's and property's meaning."""
    found = {}
    for module in modules:
        with open(module.__file__, encoding="utf-8") as f:
            source = f.read()
        comments = {
            token.start[0]: token.string.lstrip("# ").strip()
            for token in tokenize.generate_tokens(io.StringIO(source).readline)
            if token.type == tokenize.COMMENT
        }
        for node in ast.parse(source).body:
            if isinstance(node, ast.ClassDef):
                found[node.name] = Described(node.name, ast.get_docstring(node) or "", tuple(_members(node, comments)))
    return found


def _members(node: ast.ClassDef, comments: dict[int, str]):
    for item in node.body:
        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            # The formatter may wrap a long annotation: its comment then follows the closing bracket.
            lines = range(item.lineno, (item.end_lineno or item.lineno) + 1)
            yield Member(
                item.target.id, ast.unparse(item.annotation), next((comments[n] for n in lines if n in comments), "")
            )
        elif isinstance(item, ast.FunctionDef) and any(_is_property(d) for d in item.decorator_list):
            doc = (ast.get_docstring(item) or "").split("\n\n")[0].replace("\n", " ")
            yield Member(item.name, ast.unparse(item.returns) if item.returns else "", doc)


def _is_property(decorator: ast.expr) -> bool:
    return isinstance(decorator, ast.Name) and decorator.id == "property"


def _referenced(annotation: str, known: dict[str, Described]) -> list[str]:
    return [name for name in re.findall(r"[A-Za-z_]\w*", annotation) if name in known]


def _reachable(roots: list[str], known: dict[str, Described]) -> list[str]:
    """The roots and every class their fields name, depth first, each once."""
    order: list[str] = []

    def visit(name: str) -> None:
        if name in order:
            return
        order.append(name)
        for member in known[name].members:
            for inner in _referenced(member.annotation, known):
                visit(inner)

    for root in roots:
        visit(root)
    return order


def _type_cell(annotation: str, known: dict[str, Described]) -> str:
    text = annotation.replace("|", "or")
    for name in set(_referenced(annotation, known)):
        text = re.sub(rf"\b{name}\b", f"[{name}](#{name.lower()})", text)
    return text


def _cell(text: str) -> str:
    """Markdown-safe: `|` would end the cell, `<mark>` would vanish as an HTML tag."""
    return text.replace("|", "\\|").replace("<", "&lt;")


def _macros() -> list[tuple[str, str]]:
    with open(os.path.join(BUILTIN_TEMPLATES, "macros.html"), encoding="utf-8") as f:
        text = f.read()
    return [(m["signature"], " ".join((m["doc"] or "").split())) for m in _MACRO_RE.finditer(text)]


def templates_reference() -> str:
    known = described_classes(*pages.MODULES, feeds)
    rows = ["| template | what it writes | `page` is |", "| --- | --- | --- |"]
    for name, (contract, writes) in pages.TEMPLATES.items():
        rows.append(f"| `{name}` | {writes} | [{contract.__name__}](#{contract.__name__.lower()}) |")
    macros = "\n".join(f"- `{signature}`" + (f": {doc}" if doc else "") for signature, doc in _macros())
    roots = ["SiteView", *(contract.__name__ for contract, _ in pages.TEMPLATES.values())]
    sections = []
    for name in _reachable(roots, known):
        described = known[name]
        table = ["| name | type | meaning |", "| --- | --- | --- |"]
        table += [f"| `{m.name}` | {_type_cell(m.annotation, known)} | {_cell(m.meaning)} |" for m in described.members]
        doc = _cell(" ".join(described.doc.split()))
        sections.append(f"### {name}\n\n" + (f"{doc}\n\n" if doc else "") + "\n".join(table))
    return _INTRO + "\n".join(rows) + "\n\n" + _LAYOUT.format(macros=macros) + "\n\n".join(sections) + "\n"


_INTRO = """\
# Templates: what each one receives

<!-- Generated from site_builder/pages/ by `python build.py generate`. Do not edit by hand. -->

The site is rendered with [Jinja](https://jinja.palletsprojects.com/) from the
templates in `templates/`. An archive can replace any of them without changing
the generator: a file of the same name in a `templates/` folder beside its
`content/` folder is used instead of the built-in one (the rest stay
built-in). Start from a copy of the built-in file.

Every template receives two names:

- `site`, a [SiteView](#siteview): the site's title, navigation, branding and
  the addresses of its site-wide pages;
- `page`, the context of the page being written, from the table below.

Nothing else is there: a name that is not in these tables (a misspelt field,
a field of another page kind) stops the build with the template's file and
line, rather than leaving a blank on the page. Values are escaped for HTML
unless their type is `Markup` (Markdown already converted and sanitized).
URLs are paths under the site's base path, ready for `href`.

Words that are the template's own, not the archive's, go through the
interface's catalogue, so the page follows `site.yaml`'s `language`:
`{{ _("Our verdict") }}`, `{{ _("Claimed by %(name)s", name=...) }}`
(values are escaped), `{{ ngettext("%(num)d claim", "%(num)d claims", n) }}`.
Dates in the contexts (`DateView.text`) are already written in that language.
A message that no catalogue has is shown in English; see docs/translating.md.

## The templates

"""

_LAYOUT = """\
Two more templates are not written out on their own:

- `base.html`: the layout every page `extends`: the head (title, metadata,
  stylesheets), the header with the navigation and the search form, the
  footer. Pages fill its blocks `head` and `main`. It uses `site` and
  `page.meta` (a [PageMeta](#pagemeta)), which every page context has, except
  the feed, the sitemap and robots.txt, which do not extend it.
- `macros.html`: pieces that several pages show the same way, imported with
  `{{% import "macros.html" as m %}}`:

{macros}

## The contexts

Each page's context, then the values they are made of.

"""
