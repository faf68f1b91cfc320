"""Jinja rendering: autoescaped, strict, and errors that name the template line."""

from __future__ import annotations

import os
import posixpath
import types
import weakref

import jinja2
import jinja2.sandbox
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from jinja2.loaders import split_template_path
from markupsafe import Markup, escape

from .errors import ContentError, Position
from .files import TOOL_ROOT, UnreadableFile, inside, read_bytes
from .i18n import MARKUP_MESSAGES, Interface
from .pages.views import Output

BUILTIN_TEMPLATES = os.path.join(TOOL_ROOT, "templates")
MAX_TEMPLATE_BYTES = 2 * 1024 * 1024
# What a template's arithmetic may build: `{{ 10 ** 10 ** 10 }}` or `"x" * 10 ** 12`
# would hold the build for ever or fill its memory.
MAX_EXPONENT = 4096
MAX_REPEAT = 1_000_000


class TemplateFailed(Exception):
    def __init__(self, error: ContentError) -> None:
        super().__init__(str(error))
        self.error = error


class UnsafeTemplate(jinja2.TemplateError):
    """A template file the build must not read: a link out of its site, a FIFO, too large."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path


class SiteLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, held to the folder each template folder belongs to.

    An archive's templates/ may not reach outside the site (a link to
    /etc/passwd was published as robots.txt), and a FIFO or device named
    like a template must not hang the build: files are read through the
    shared reader, and their real paths must stay inside the folder that
    holds the template folder (the site for templates/, this tool for its own).
    """

    def get_source(self, environment, template):
        pieces = split_template_path(template)
        for searchpath in self.searchpath:
            path = posixpath.join(searchpath, *pieces)
            if not os.path.lexists(path):
                continue
            home = os.path.realpath(os.path.dirname(os.path.abspath(searchpath)))
            if not inside(os.path.realpath(path), home):
                raise UnsafeTemplate(
                    path,
                    "this template is a link to something outside the site's folder: replace it with the file itself",
                )
            try:
                data = read_bytes(path, MAX_TEMPLATE_BYTES)
            except UnreadableFile as exc:
                if str(exc) == "does not exist":  # a dangling link
                    raise UnsafeTemplate(
                        path, "this template is a link to nothing: replace it with the file itself"
                    ) from None
                raise UnsafeTemplate(path, f"this template {exc}: a template must be a text file") from None
            mtime = os.path.getmtime(path)
            return (
                data.decode("utf-8"),
                os.path.normpath(path),
                lambda path=path, mtime=mtime: os.path.getmtime(path) == mtime,
            )
        raise jinja2.TemplateNotFound(template)


class SiteSandbox(jinja2.sandbox.SandboxedEnvironment):
    """Templates cannot reach Python: no `_` attributes, no frames or globals, no unsafe methods.

    An archive's templates come from contributors' pull requests and are
    rendered in CI beside its secrets; `cycler.__init__.__globals__.os`
    must lead nowhere. Powers and repetition are bounded (see MAX_EXPONENT).
    """

    intercepted_binops = frozenset({"**", "*"})
    # Objects Jinja judges only by the attribute's name (everything but functions,
    # methods, classes, frames, code and generators): for them a name not starting
    # with '_' is safe. Said once per type, it halves the sandbox's cost per page.
    _special = (
        types.FunctionType,
        types.MethodType,
        type,
        types.CodeType,
        types.TracebackType,
        types.FrameType,
        types.GeneratorType,
        types.CoroutineType,
        types.AsyncGeneratorType,
    )

    _methods = (types.MethodType, types.BuiltinMethodType)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._plain: dict[type, bool] = {}

    def getattr(self, obj, attribute):
        kind = type(obj)
        plain = self._plain.get(kind)
        if plain is None:
            plain = self._plain[kind] = not issubclass(kind, self._special)
        if plain and not attribute.startswith("_"):
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                return super().getattr(obj, attribute)
            if type(value) in self._methods:  # str.format and format_map are checked as Jinja does
                return self.wrap_str_format(value) or value
            return value
        return super().getattr(obj, attribute)

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT and left not in (0, 1, -1):
            raise OverflowError(f"{left!r} ** {right} is too large a number (exponents go up to {MAX_EXPONENT})")
        if operator == "*":
            count, item = (right, left) if isinstance(right, int) else (left, right)
            if (
                isinstance(count, int)
                and isinstance(item, (str, list, tuple))
                and count * max(len(item), 1) > MAX_REPEAT
            ):
                raise OverflowError(
                    f"repeating {type(item).__name__} {count} times is too large (at most {MAX_REPEAT} items)"
                )
        return super().call_binop(context, operator, left, right)


def _escaped_gettext(translations):
    """Jinja's new-style gettext, the translation escaped: a catalogue is text, like any value.

    Jinja marks a translation safe (Markup) and only the values put into it
    are escaped; an archive's catalogue could then put a <meta refresh> on
    every page. Only messages in MARKUP_MESSAGES, written as HTML by the
    shipped templates, keep their markup.
    """

    def translated(message: str, text: str, autoescape: bool):
        if not autoescape:
            return text
        return Markup(text) if message in MARKUP_MESSAGES else escape(text)

    @jinja2.pass_context
    def gettext(context, message: str, **variables):
        return translated(message, translations.gettext(message), context.eval_ctx.autoescape) % variables

    @jinja2.pass_context
    def ngettext(context, singular: str, plural: str, num: int, **variables):
        variables.setdefault("num", num)
        text = translations.ngettext(singular, plural, num)
        return translated(singular, text, context.eval_ctx.autoescape) % variables

    return gettext, ngettext


class _CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per process and catalogue, keyed by name, file and source checksum (Jinja checks it).

    Each build makes a new Renderer; a preview's rebuild would otherwise
    compile every template again (about 0.1 s of its reload). The compiled
    code holds the words TranslatedOnce folded in, so each catalogue (and
    environment class) has its own.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


# translations -> environment class -> _CompiledTemplates (a sandbox compiles its calls differently)
_COMPILED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class Renderer:
    def __init__(self, site_view, ui: Interface, template_dirs: list[str] | None = None) -> None:
        self.env = SiteSandbox(
            bytecode_cache=_COMPILED.setdefault(ui.translations, {}).setdefault(SiteSandbox, _CompiledTemplates()),
            loader=SiteLoader(template_dirs or [BUILTIN_TEMPLATES]),
            autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
            cache_size=-1,
            extensions=["jinja2.ext.i18n", TranslatedOnce],
        )
        # New-style gettext: `_("%(name)s's claims", name=...)` escapes its values like any other output,
        # and (unlike Jinja's own) the translation too.
        gettext, ngettext = _escaped_gettext(ui.translations)
        self.env.globals.update(gettext=gettext, _=gettext, ngettext=ngettext)
        self.env.newstyle_gettext = True  # type: ignore[attr-defined]
        self.env.extend(translate_once=ui.translations.gettext)
        self.env.globals["site"] = site_view

    def render(self, page: Output) -> bytes:
        try:
            template = self.env.get_template(page.template)
            return template.render(page=page.context).encode("utf-8")
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateFailed(
                ContentError(
                    Position(exc.filename or page.template, exc.lineno or 1, 1),
                    f"template syntax error: {exc.message}",
                )
            ) from None
        except UnsafeTemplate as exc:
            raise TemplateFailed(ContentError(Position(exc.path, 1, 1), exc.message)) from None
        except jinja2.TemplateNotFound as exc:
            raise TemplateFailed(
                ContentError(
                    _template_position(exc, page.template),
                    f"template '{exc.name}' not found in {self.env.loader.searchpath}",
                )
            ) from None
        except (jinja2.TemplateError, TypeError, AttributeError, ValueError, KeyError) as exc:
            raise TemplateFailed(
                ContentError(
                    _template_position(exc, page.template),
                    f"template failed while rendering {page.path}: {exc}",
                )
            ) from None
        except Exception as exc:  # noqa: BLE001 (sorted below: the archive's template or our bug)
            # `{{ 1 // 0 }}`, a macro calling itself, a float overflow: when an
            # archive's own template is on the way, the error is that template's.
            where = _template_position(exc, page.template)
            if not os.path.isabs(where.path) or inside(
                os.path.realpath(where.path), os.path.realpath(BUILTIN_TEMPLATES)
            ):
                raise
            reason = (
                "it calls itself without end" if isinstance(exc, RecursionError) else f"{type(exc).__name__}: {exc}"
            )
            raise TemplateFailed(
                ContentError(where, f"template failed while rendering {page.path} ({reason})")
            ) from None


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
        return (
            name.type == "name"
            and name.value == "_"
            and opening.type == "lparen"
            and message.type == "string"
            and "%" not in message.value
            and closing.type == "rparen"
        )


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
