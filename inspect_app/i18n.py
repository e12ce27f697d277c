"""Messages that follow the user's language, without Qt: errors, flags, blockers, labels of the core.

A message is written in Chinese (the users' language) and that text is its key; ``{name}`` placeholders are
filled by name::

    raise UserError(Msg("未知的行业：{sector}", sector=key), code="E_SECTOR_UNKNOWN")

``Msg`` keeps the key and the values and renders when it is shown, in the *current language*: the window sets
it when the user switches (``set_language``), the command line from ``INSPECT_APP_LANG`` or the locale
(``language_from_environment``). English comes from ``resources/i18n/messages_en.json`` (Chinese key → English
text with the same placeholders); a message without English is shown in Chinese, and
``tests/test_i18n.py`` fails while any ``Msg("…")`` in the code lacks English. A value may itself be a ``Msg``
(or a ``join`` of them): it renders in the same language.

What is printed in the acceptance opinion stays Chinese whatever the language: render with ``.zh``.
Error codes (``E_…``) never depend on the language; ``--json`` output carries them unchanged.
"""

from __future__ import annotations

import json
import os
import string
import threading
from collections.abc import Iterable, Mapping
from typing import Any

CHINESE = "zh_CN"
ENGLISH = "en"
LANGUAGES = (CHINESE, ENGLISH)
ENV_LANGUAGE = "INSPECT_APP_LANG"
CATALOGUE_FILE = "messages_en.json"

_state = {"language": CHINESE}
_catalogue_lock = threading.Lock()
_catalogue: dict[str, str] | None = None


def normalise_language(language: str | None) -> str:
    """Return ``en`` for any English locale name (``en``, ``en_US.UTF-8`` …), else ``zh_CN``."""
    return ENGLISH if (language or "").strip().lower().startswith("en") else CHINESE


def set_language(language: str | None) -> str:
    """Make ``language`` the language messages render in (process-wide); return the code in effect."""
    code = normalise_language(language)
    _state["language"] = code
    return code


def current_language() -> str:
    """Return the language messages render in now: ``zh_CN`` or ``en``."""
    return _state["language"]


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """Return the language the command line should speak: ``INSPECT_APP_LANG``, else the locale, else Chinese.

    A ``C``/``POSIX`` locale (servers, containers) means no preference: Chinese, the users' language.
    """
    env = os.environ if environ is None else environ
    chosen = env.get(ENV_LANGUAGE, "").strip()
    if chosen:
        return normalise_language(chosen)
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(name, "").strip()
        if value and value.split(".")[0] not in ("C", "POSIX"):
            return normalise_language(value.split(":")[0])
    return CHINESE


def catalogue() -> dict[str, str]:
    """Return the English catalogue (Chinese key → English), loaded once from ``resources/i18n``."""
    global _catalogue
    if _catalogue is None:
        with _catalogue_lock:
            if _catalogue is None:
                from inspect_app.resources import resource_path

                with resource_path("i18n", CATALOGUE_FILE).open(encoding="utf-8") as fh:
                    loaded = json.load(fh)
                _catalogue = {str(k): str(v) for k, v in loaded.items() if not str(k).startswith("//")}
    return _catalogue


def placeholders(text: str) -> set[str]:
    """Return the names of the ``{name}`` placeholders of a message text."""
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def translate(text: str, language: str | None = None) -> str:
    """Return a fixed Chinese label (a conclusion, a stage …) in ``language`` (default: the current one)."""
    if normalise_language(language or current_language()) == CHINESE:
        return text
    return catalogue().get(text, text)


class Text:
    """Something that renders in a language: a ``Msg`` or a ``join`` of them."""

    __slots__ = ()

    def render(self, language: str | None = None) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def zh(self) -> str:
        """The Chinese text (what the printed opinion and the stored records carry)."""
        return self.render(CHINESE)

    def __str__(self) -> str:
        return self.render()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Text):
            return self.render(CHINESE) == other.render(CHINESE)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.render(CHINESE))


def _value(value: Any, language: str) -> Any:
    return value.render(language) if isinstance(value, Text) else value


class Msg(Text):
    """A message: its Chinese text is the key, ``{name}`` placeholders take the keyword values."""

    __slots__ = ("args", "key")

    def __init__(self, key: str, /, **args: Any) -> None:
        self.key = key
        self.args = args

    def render(self, language: str | None = None) -> str:
        code = normalise_language(language or current_language())
        text = self.key if code == CHINESE else catalogue().get(self.key, self.key)
        values = {name: _value(value, code) for name, value in self.args.items()}
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):  # a catalogue entry that lost a placeholder: say it in Chinese
            return self.key.format(**values)

    def to_json(self) -> dict[str, Any]:
        """Return the message as JSON-able data (stored beside a rendered Chinese text, e.g. in photo flags)."""
        return {"key": self.key, "args": {k: (v.to_json() if isinstance(v, Msg) else _plain(v))
                                          for k, v in self.args.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Msg:
        """Rebuild a message stored with ``to_json``."""
        args = {str(k): (cls.from_json(v) if isinstance(v, dict) and "key" in v else v)
                for k, v in dict(data.get("args") or {}).items()}
        return cls(str(data["key"]), **args)

    def __repr__(self) -> str:
        return f"Msg({self.key!r}, **{self.args!r})"

    def __reduce__(self) -> tuple[Any, ...]:  # keyword arguments survive pickling (worker processes)
        return (_rebuild, (self.key, self.args))


def _rebuild(key: str, args: dict[str, Any]) -> Msg:
    return Msg(key, **args)


def _plain(value: Any) -> Any:
    if isinstance(value, Text):
        return value.render(CHINESE)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


class Joined(Text):
    """Several texts with a separator between them, each rendered in the same language."""

    __slots__ = ("parts", "separator")

    def __init__(self, separator: str, parts: Iterable[Text | str]) -> None:
        self.separator = separator
        self.parts = tuple(parts)

    def render(self, language: str | None = None) -> str:
        code = normalise_language(language or current_language())
        return self.separator.join(str(_value(p, code)) for p in self.parts)

    def __repr__(self) -> str:
        return f"join({self.separator!r}, {list(self.parts)!r})"


class Label(Text):
    """A fixed Chinese label of the core (a status, a card colour, a stage) shown in the current language."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def render(self, language: str | None = None) -> str:
        return translate(self.text, language)

    def __repr__(self) -> str:
        return f"Label({self.text!r})"


class Plain(Text):
    """Text already in the user's language (the window translates its own with Qt's ``tr``); only ``ui/`` uses it."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def render(self, language: str | None = None) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Plain({self.text!r})"


def join(separator: str, parts: Iterable[Text | str]) -> Joined:
    """Return ``parts`` joined by ``separator``, rendered lazily in the language of the message around it."""
    return Joined(separator, parts)


def stored_text(record: Mapping[str, Any], language: str | None = None) -> str:
    """Render a stored record's message: its ``text`` (a ``Msg.to_json``) when present, else its ``message``."""
    data = record.get("text")
    if isinstance(data, dict) and "key" in data:
        return Msg.from_json(data).render(language)
    return str(record.get("message") or record.get("code") or "")


__all__ = [
    "CHINESE",
    "ENGLISH",
    "ENV_LANGUAGE",
    "LANGUAGES",
    "Joined",
    "Label",
    "Msg",
    "Plain",
    "Text",
    "catalogue",
    "current_language",
    "join",
    "language_from_environment",
    "normalise_language",
    "placeholders",
    "set_language",
    "stored_text",
    "translate",
]
