"""The Jinja environment pages are rendered in: our templates under a site's overrides, the
filters and functions they call, and the caches that keep compiling them out of a rebuild."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import types
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateNotFound,
)
from jinja2.bccache import Bucket
from jinja2.ext import Extension
from jinja2.lexer import (
    TOKEN_DOT,
    TOKEN_LPAREN,
    TOKEN_NAME,
    TOKEN_PIPE,
    TOKEN_RPAREN,
    TOKEN_STRING,
    Token,
    TokenStream,
)
from jinja2.loaders import split_template_path
from jinja2.runtime import Context
from jinja2.utils import _PassArg, internalcode

from . import i18n, parts
from .escape import attr, css_string, md, web_url
from .kinds import KINDS
from .words import BOOK_INTROS, CHOICE_WORDS, KIND_COUNTS, PARTICIPATION_LABELS, STANCE_LABELS, format_date

PACKAGED = Path(__file__).parent / "templates"


def copy_of_ours(name: str, site: Path) -> bool:
    """Whether the site's template file `site`, `name` under its templates folder, holds exactly
    what our template of that name does: a copy saved unchanged overrides nothing. One that cannot
    be read is the site's own (and its error is reported where a page uses it)."""
    ours = PACKAGED.joinpath(*split_template_path(name))
    try:
        return ours.is_file() and site.is_file() and ours.read_bytes() == site.read_bytes()
    except OSError:
        return False


def make_env(templates_dir: Path | None = None, language: str = i18n.DEFAULT) -> Environment:
    """An environment kept while the templates are unchanged, so `mkdocs serve` rebuilds without
    recompiling them. A template added, removed or edited, the site's or ours, gives a new one.
    (Jinja's own reload check would miss an added override, and costs two system calls a page.)
    One per language: its templates are compiled with their words in it (`Translated`)."""
    code = i18n.shipped(language) or i18n.DEFAULT
    return _env(templates_dir, _signature(templates_dir) + _signature(PACKAGED), code)


def _words(code: str, words: Mapping[str, str]) -> dict[str, str]:
    """A vocabulary in the environment's language, as a plain dict for templates to read."""
    with i18n.language(code):
        return dict(words.items())


def _fmt(message: str, /, **values: Any) -> str:
    """`_("…").format(…)` as `Translated` compiles it (a placeholder may be named anything)."""
    return message.format(**values)


class Translated(Extension):
    """`_("…")` of a literal, translated once, when the template is compiled: the environment's
    language's words are in the compiled template, as if written there (a page has dozens, and a
    call from a template costs a tenth of a page's time). `_()` of anything else, and
    `ngettext()`, are called as they come."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        code = str(self.environment.globals["language"])
        tokens = list(stream)
        i = 0
        while i < len(tokens):
            t = tokens[i]
            if (
                t.type == TOKEN_NAME
                and t.value == "_"
                and (i == 0 or tokens[i - 1].type != TOKEN_DOT)
                and i + 3 < len(tokens)
                and [x.type for x in tokens[i + 1 : i + 4]] == [TOKEN_LPAREN, TOKEN_STRING, TOKEN_RPAREN]
            ):
                with i18n.language(code):
                    yield Token(t.lineno, TOKEN_STRING, i18n._(tokens[i + 2].value))
                i += 4
                # `.format(…)` after it: the `fmt` filter, which Jinja calls directly (a method
                # goes through an attribute lookup and `Context.call`).
                if [(x.type, x.value) for x in tokens[i : i + 3]] == [
                    (TOKEN_DOT, "."),
                    (TOKEN_NAME, "format"),
                    (TOKEN_LPAREN, "("),
                ]:
                    yield Token(t.lineno, TOKEN_PIPE, "|")
                    yield Token(t.lineno, TOKEN_NAME, "fmt")
                    i += 2
                continue
            yield t
            i += 1


def _signature(folder: Path | None) -> tuple[tuple[str, int], ...]:
    if folder is None or not folder.is_dir():
        return ()
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()))


class _SiteLoader(FileSystemLoader):
    """A site's templates folder, less its unchanged copies of ours: such a copy loads as ours,
    whose compiled form Jinja's cache keeps (a site's own templates compile on every build)."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if copy_of_ours(template, Path(filename)):
            raise TemplateNotFound(template)  # the next loader, ours, has it
        return source, filename, uptodate


class _TemplateCache(FileSystemBytecodeCache):
    """Our own templates only: a site's few overrides compile in no time, and keeping them would
    leave a file behind for every project folder they were ever in. A cache that cannot be
    written to (a full disk, a folder cleaned away) costs a compile, never the build."""

    def __init__(self, pattern: str) -> None:
        super().__init__(pattern=pattern)
        self.elsewhere: set[str] = set()  # keys of templates that are not ours

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        key = super().get_cache_key(name, filename)
        if filename is None or not Path(filename).resolve().is_relative_to(PACKAGED.resolve()):
            self.elsewhere.add(key)
        return key

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key not in self.elsewhere:
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.key not in self.elsewhere:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)


def _bytecode_cache(code: str) -> BytecodeCache | None:
    """Jinja's cache of compiled templates, in the system's temporary folder (keyed by each
    template's path, checked against its text): a build after the first skips compiling them.
    What a template compiles to also depends on the environment and filters set up here, so the
    cache's file names carry a digest of this module and of those whose functions the templates
    call (Jinja decides at compile time how to call a filter, and may fold one with constant
    arguments)."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("environment.py", "parts.py", "words.py", "i18n.py", "escape.py", "kinds.py"):
        digest.update((here / name).read_bytes())
    # A template compiles to its language's words (`Translated`): the language and its catalog too.
    digest.update(code.encode())
    digest.update((here / "locale" / code / "LC_MESSAGES" / f"{i18n.DOMAIN}.po").read_bytes())
    tag = digest.hexdigest()[:16]
    try:
        return _TemplateCache(pattern=f"__briefing_{tag}_%s.cache")
    except (OSError, RuntimeError):  # no private folder to be had there: compile every time
        return None


# Callables whose `__call__` cannot carry `pass_context`: Jinja's `Context.call` asks each one anyway.
_PLAIN_CALLABLES = (types.FunctionType, types.MethodType, types.BuiltinFunctionType)


class _Context(Context):
    """Jinja's context, with a shorter way to call a function from a template (`anchor('quote',
    q.id)`, `ix.prev_next(mt)`): a page makes a dozen such calls, and `Context.call`'s checks
    for every kind of callable cost four times the call. Anything but a plain function or method,
    and a function taking the eval context or environment, goes Jinja's way."""

    @internalcode
    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if type(__obj) not in _PLAIN_CALLABLES:
            return super().call(__obj, *args, **kwargs)
        passed = getattr(__obj, "jinja_pass_arg", None)
        if passed is _PassArg.context:
            # As Jinja does: the variables set in loops and blocks seen, the context left as it is.
            if kwargs.get("_loop_vars"):
                __self = __self.derived(kwargs["_loop_vars"])  # type: ignore[assignment]
            if kwargs.get("_block_vars"):
                __self = __self.derived(kwargs["_block_vars"])  # type: ignore[assignment]
            args = (__self, *args)
        elif passed is not None:
            return super().call(__obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


class _Environment(Environment):
    """Jinja's environment, with each template's globals in one plain dict.

    Jinja keeps them as a `ChainMap` over the environment's, so that globals added after a
    template is loaded still show; ours are all set before (`_env`). Every page, include and
    import copies them into its context, and copying a `ChainMap` looks each name up in turn,
    missing in the template's own first: a KeyError per name, three times a page."""

    context_class = _Context

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


_BOTH = ("actor", "source", "sources", "sourced", "stance", "when", "span")  # filters and functions


@functools.lru_cache(maxsize=16)
def _env(templates_dir: Path | None, signature: tuple[tuple[str, int], ...], code: str) -> Environment:
    loaders: list[Any] = []
    if templates_dir is not None:
        loaders.append(_SiteLoader(templates_dir))
    loaders.append(PackageLoader("generator", "templates"))
    env = _Environment(
        loader=ChoiceLoader(loaders),
        extensions=["jinja2.ext.i18n", Translated],
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # make_env's signature does it
        cache_size=-1,  # every template kept, in a plain dict: a few dozen, looked up on every page
        bytecode_cache=_bytecode_cache(code),
    )
    env.globals["language"] = code  # before any template is compiled: `Translated` reads it
    # `_("…")` and `ngettext("…", "…", n)` in templates: the catalog of the briefing being rendered.
    env.install_gettext_callables(i18n._, i18n.ngettext, newstyle=False)  # type: ignore[attr-defined]
    env.filters.update(
        # Jinja's lowercases the rest, which German nouns and proper names cannot take.
        capitalize=lambda text: text[:1].upper() + text[1:],
        fmt=_fmt,
        md=md,
        attr=attr,
        web_url=web_url,
        css=css_string,
        date=format_date,
        word=_words(code, CHOICE_WORDS).__getitem__,
        tojson=parts.front_str,
        link=parts.link_to,
        grouped=parts.grouped,
        timeline_label=parts.timeline_label,
        kind_name=parts.kind_name,
        label=parts.label,
        upto=parts.upto,
        unshown=parts.unshown,
        entries=parts.entries,
        and_other_kinds=parts.and_other_kinds,
        others_only=parts.others_only,
        **{name: getattr(parts, name) for name in _BOTH},
    )
    env.globals.update(
        stance_labels=_words(code, STANCE_LABELS),
        book_intros=_words(code, BOOK_INTROS),
        kind_counts=KIND_COUNTS,
        participation_labels=_words(code, PARTICIPATION_LABELS),
        caption=parts.caption,
        href=parts.href,
        anchor=parts.anchor,
        was_capped=parts.was_capped,
        rel=parts.rel,
        print_margins=parts.print_margins,
        related=parts.related,
        entry_line=parts.entry_line,
        kinds=KINDS,
        **{name: getattr(parts, name) for name in ("front", "quote", "date_note", "link", *_BOTH)},
    )
    return env
