"""Jinja rendering: autoescaped, strict, and errors that name the template line."""

from __future__ import annotations

import os

import jinja2
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream

from .context import Page
from .errors import ContentError, Position
from .i18n import Interface

BUILTIN_TEMPLATES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "templates")


class TemplateFailed(Exception):
    def __init__(self, error: ContentError) -> None:
        super().__init__(str(error))
        self.error = error


class Renderer:
    def __init__(self, site_view, ui: Interface, template_dirs: list[str] | None = None) -> None:
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(template_dirs or [BUILTIN_TEMPLATES]),
            autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
            cache_size=-1,
            extensions=["jinja2.ext.i18n", TranslatedOnce],
        )
        # New-style gettext: `_("%(name)s's claims", name=...)` escapes its values like any other output.
        self.env.install_gettext_callables(ui.translations.gettext, ui.translations.ngettext, newstyle=True)
        self.env.extend(translate_once=ui.translations.gettext)
        self.env.globals["site"] = site_view

    def render(self, page: Page) -> bytes:
        try:
            template = self.env.get_template(page.template)
            return template.render(page=page.context).encode("utf-8")
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateFailed(ContentError(
                Position(exc.filename or page.template, exc.lineno or 1, 1),
                f"template syntax error: {exc.message}",
            )) from None
        except jinja2.TemplateNotFound as exc:
            raise TemplateFailed(ContentError(
                Position(page.template, 1, 1), f"template '{exc.name}' not found in {self.env.loader.searchpath}",
            )) from None
        except (jinja2.TemplateError, TypeError, AttributeError, ValueError, KeyError) as exc:
            raise TemplateFailed(ContentError(
                _template_position(exc, page.template),
                f"template failed while rendering {page.output}: {exc}",
            )) from None


class TranslatedOnce(Extension):
    """`_("words")` with no values becomes the translated words when the template compiles.

    A page says dozens of them and Jinja's gettext call costs about 15 µs
    each: a tenth of rendering time at 10,000 claims. The folded words are a
    plain string, so they are escaped like any other text (a catalogue holds
    no markup). Messages with `%` keep the call, which unescapes `%%`.
    """

    def filter_stream(self, stream: TokenStream):
        window: list[Token] = []
        for token in stream:
            window.append(token)
            if len(window) == 4 and self._folds(window):
                yield Token(window[0].lineno, "string", self.environment.translate_once(window[2].value))
                window.clear()
            elif len(window) == 4:
                yield window.pop(0)
        yield from window

    @staticmethod
    def _folds(window: list[Token]) -> bool:
        name, opening, message, closing = window
        return (name.type == "name" and name.value == "_" and opening.type == "lparen"
                and message.type == "string" and "%" not in message.value and closing.type == "rparen")


def _template_position(exc: BaseException, fallback: str) -> Position:
    """The innermost template line in the traceback: Jinja maps frames to templates."""
    found = Position(fallback, 1, 1)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt", ".json")):
            found = Position(filename, tb.tb_lineno, 1)
        tb = tb.tb_next
    return found
