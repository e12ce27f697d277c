"""Rules for the text people type and the names files come with: one rule for every field, wherever it is typed.

* ``clean_text``: each kind of field has one length limit (chosen so the printed opinion never runs off the
  page and the database column always holds it); control characters (ESC, BEL, NUL …) and the bidirectional
  overrides that make text display in another order than it is stored are refused, as are characters that
  are not text at all (undecodable bytes from a command line in another encoding). Single-line fields take
  no line breaks; block fields (body, notes) keep them.
* ``display_name`` / ``raw_name``: a file name that is not valid UTF-8 (a GBK-named file from a Chinese
  Windows USB stick, read on Linux) is kept losslessly: a readable form for people and its exact bytes.
* ``decode_text_file``: a text file in UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from inspect_app.errors import UserError
from inspect_app.i18n import Msg

__all__ = [
    "TEXT_FIELDS",
    "TextField",
    "clean_text",
    "decode_text_file",
    "display_name",
    "raw_name",
]


@dataclass(frozen=True)
class TextField:
    """A kind of text field: its label (for messages), length limit and whether it may span lines."""

    label: Msg
    max_len: int
    block: bool = False


# Limits: at most the database column, and short enough to fit where the opinion PDF prints the field.
TEXT_FIELDS: dict[str, TextField] = {
    "enterprise_name": TextField(Msg("企业名称"), 200),
    "equipment_name": TextField(Msg("设备名称"), 200),
    "model": TextField(Msg("规格型号"), 200),
    "address": TextField(Msg("地址"), 300),
    "contact_name": TextField(Msg("联系人"), 32),
    "contact_phone": TextField(Msg("联系电话"), 32),
    "unit": TextField(Msg("产能单位"), 32),
    "office_name": TextField(Msg("发文机关名称"), 40),
    "number_pattern": TextField(Msg("文号格式"), 60),
    "document_title": TextField(Msg("文件名称"), 120),
    "document_number": TextField(Msg("文号"), 40),
    "region": TextField(Msg("地区"), 32),
    "person_name": TextField(Msg("姓名"), 32),
    "organisation": TextField(Msg("单位"), 64),
    "title": TextField(Msg("职务"), 32),
    "location": TextField(Msg("核查地点"), 300),
    "reason": TextField(Msg("理由"), 500, block=True),
    "basis": TextField(Msg("认定依据"), 1000, block=True),
    "notes": TextField(Msg("备注"), 2000, block=True),
    "check_note": TextField(Msg("核查项备注"), 200),
    "caption": TextField(Msg("照片说明"), 500, block=True),
    "acknowledgement": TextField(Msg("疑点说明"), 1000, block=True),
    "body": TextField(Msg("验收结论正文"), 5000, block=True),
}

# Bidirectional embedding/override/isolate controls: they make text display in an order other than stored.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _bad_character(text: str, *, block: bool) -> str | None:
    for ch in text:
        if block and ch in "\n\t":
            continue
        if ch in _BIDI_CONTROLS or unicodedata.category(ch) == "Cc":
            return ch
    return None


def clean_text(value: object, field: str, *, required: bool = False, required_code: str = "E_TEXT_REQUIRED") -> str:
    """Return ``value`` stripped (block fields: with ``\\n`` line ends), or refuse it with a clear code.

    ``E_TEXT_TOO_LONG`` past the field's limit, ``E_TEXT_CONTROL_CHAR`` for control characters (and line
    breaks in a one-line field), ``E_TEXT_ENCODING`` for undecodable bytes, ``required_code`` when empty and
    ``required``. ``field`` is a key of ``TEXT_FIELDS``.
    """
    spec = TEXT_FIELDS[field]
    text = "" if value is None else str(value)
    if _SURROGATE_RE.search(text):
        raise UserError(Msg("{field}含有无法识别的字符（输入的编码可能不是 UTF-8）", field=spec.label), code="E_TEXT_ENCODING",
                        details={"field": field})
    if spec.block:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.strip()
    bad = _bad_character(text, block=spec.block)
    if bad is not None:
        shown: Msg | str = Msg("换行") if bad in "\n\r" else f"U+{ord(bad):04X}"
        raise UserError(Msg("{field}含有不允许的控制字符（{char}）", field=spec.label, char=shown),
                        code="E_TEXT_CONTROL_CHAR",
                        details={"field": field, "char": f"U+{ord(bad):04X}"})
    if len(text) > spec.max_len:
        raise UserError(Msg("{field}过长：{length} 字，最多 {max} 字", field=spec.label, length=len(text),
                            max=spec.max_len), code="E_TEXT_TOO_LONG",
                        details={"field": field, "length": len(text), "max": spec.max_len})
    if required and not text:
        raise UserError(Msg("{what}不能为空", what=spec.label), code=required_code, details={"field": field})
    return text


# --- file names --------------------------------------------------------------------------------------------


def _name_bytes(name: str) -> bytes | None:
    """Return the bytes behind a name that is not plain UTF-8 text, or None when it is."""
    try:
        name.encode("utf-8")
        return None
    except UnicodeEncodeError:
        pass
    try:
        return name.encode("utf-8", "surrogateescape")  # POSIX: undecodable bytes kept as U+DC80..U+DCFF
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogatepass")  # Windows: a lone surrogate in an NTFS name


def display_name(name: str) -> str:
    """Return a file name (or path) as readable text that can always be printed and stored.

    Valid UTF-8 stays as it is; undecodable bytes are read as GB18030 (GBK) when they are valid there
    (Chinese Windows names), else shown as ``\\xNN`` escapes. Control characters are shown escaped. Each
    part of a path is read on its own: a GBK name often sits in a folder with a UTF-8 name.
    """
    for sep in ("/", "\\"):
        if sep in name and _name_bytes(name) is not None:
            return sep.join(display_name(part) for part in name.split(sep))
    raw = _name_bytes(name)
    if raw is not None:
        try:
            name = raw.decode("gb18030")
        except UnicodeDecodeError:
            name = raw.decode("utf-8", "backslashreplace")
        if _SURROGATE_RE.search(name):  # a lone surrogate that was never bytes
            name = name.encode("utf-8", "surrogatepass").decode("utf-8", "backslashreplace")
    if _bad_character(name, block=False) is not None:
        name = "".join(ch.encode("unicode_escape").decode("ascii") if _bad_character(ch, block=False) else ch
                       for ch in name)
    return name


def raw_name(name: str) -> str | None:
    """Return the exact bytes of a name that ``display_name`` had to change, as hex; None for plain names."""
    raw = _name_bytes(name)
    if raw is None:
        return None if _bad_character(name, block=False) is None else name.encode("utf-8").hex()
    return raw.hex()


# --- text files --------------------------------------------------------------------------------------------


def decode_text_file(data: bytes, label: Msg | None = None) -> str:
    """Decode a text file written in UTF-8 (BOM or not), UTF-16 (with BOM) or GB18030/GBK.

    Refuses with ``E_TEXT_ENCODING`` what is none of these (a binary file, another legacy encoding).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                return text
    raise UserError(Msg("{what}的编码无法识别：请保存为 UTF-8（或 GBK）文本文件", what=label or Msg("文件")),
                    code="E_TEXT_ENCODING")
