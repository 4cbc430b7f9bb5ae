"""Length-preserving normalisation: traditional -> simplified, full width -> half width.

The normalised text has exactly as many characters as the original, so an offset
into one is an offset into the other; that is what lets matching run on the
normalised text while every offset still points into :attr:`Document.text`.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

# Full-width forms that become ASCII: digits, Latin letters and the punctuation
# that appears inside numbers, dates, percentages, codes and brackets.
_FULL_TO_HALF_ASCII = (
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    + "%+-()/.:@&_#=*<>~[]{}|$^`\\'\""
)

# Chinese punctuation is kept as it is (it carries meaning for splitting and for
# extractors): ，。、；“”‘’《》！？ are not in the table.  The full-width colon ：
# does become ":" -- it is listed among the ASCII forms, and the seed pages (and
# so the extractors' patterns) use the half-width one.


_SURROGATE = re.compile(r"[\ud800-\udfff]")  # (escapes read by re)


@cache
def _width_table() -> dict[int, int]:
    table = {ord(ch) + 0xFEE0: ord(ch) for ch in _FULL_TO_HALF_ASCII}
    table[0x3000] = 0x20  # ideographic space
    table[0x00A0] = 0x20  # no-break space
    table[0x2212] = ord("-")  # minus sign
    return table


@cache
def _converter() -> Any:
    import opencc  # imported on first use: no import-time work

    return opencc.OpenCC("t2s")


@cache
def _t2s_char(ch: str) -> str:
    out: str = _converter().convert(ch)
    return out if len(out) == 1 else ch


def _has_non_ascii(text: str) -> bool:
    return not text.isascii()


def to_simplified(text: str) -> str:
    """Traditional -> simplified characters, keeping the length.

    ``opencc``'s ``t2s`` converts whole phrases; when a phrase conversion would
    change the length, the text is converted character by character instead.

    >>> to_simplified("臺灣省總工會")
    '台湾省总工会'
    """
    if not _has_non_ascii(text):
        return text
    try:
        out: str = _converter().convert(text)
    except UnicodeEncodeError:  # only lone surrogates cannot be encoded for opencc
        if not _SURROGATE.search(text):
            raise
        # convert around them
        safe = to_simplified(_SURROGATE.sub("\ufffd", text))
        return "".join(t if _SURROGATE.match(t) else o for o, t in zip(safe, text, strict=True))
    if len(out) == len(text):
        return out
    return "".join(_t2s_char(ch) if ord(ch) > 0x2E7F else ch for ch in text)


def to_half_width(text: str) -> str:
    """Full-width ASCII (digits, letters, ``%+-()/.:`` …) and U+3000 -> half width.

    >>> to_half_width("２０２５年（上）：ＡＩ　１０％")
    '2025年(上):AI 10%'
    """
    wide = _wide()
    if wide.search(text) is None:  # most pages: nothing to change, one fast scan
        return text
    table = _width_chars()
    return wide.sub(lambda m: table[m.group()], text)


@cache
def _wide() -> re.Pattern[str]:
    """The characters of :func:`_width_table` (a character class: scanning a page for
    them is ~20x faster than ``str.translate`` over every character)."""
    return re.compile("[" + "".join(re.escape(chr(k)) for k in sorted(_width_table())) + "]")


@cache
def _width_chars() -> dict[str, str]:
    return {chr(k): chr(v) for k, v in _width_table().items()}


def normalize(text: str) -> str:
    """The normalised form of ``text``: same length, character for character.

    Traditional characters become simplified (opencc ``t2s``), full-width ASCII
    digits, Latin letters and ``%+-()/.:`` become half width, the ideographic
    space becomes a space.  Chinese punctuation ``，。、；“”‘’《》！？`` is kept.

    >>> normalize("臺灣省總工會（１２３）")
    '台湾省总工会(123)'
    >>> len(normalize("發展，ＡＢＣ。")) == len("發展，ＡＢＣ。")
    True
    """
    if not text:
        return text
    return to_half_width(to_simplified(text))


def is_han(ch: str) -> bool:
    """Whether ``ch`` is a Han character (the basic block or extension A)."""
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"
