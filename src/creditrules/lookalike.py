"""Characters that look like others, or like nothing: naming them, and seeing past them.

A code pasted from a web page or a word processor may carry a Cyrillic ``А`` for a
Latin ``A``, a zero-width space, a soft hyphen, a byte-order mark or a Unicode minus
``−`` for ``-``. On screen the code looks right and still matches nothing. Messages
name such characters and where they stand ("U+200B ZERO WIDTH SPACE at position 4"),
and "did you mean" compares codes by :func:`skeleton`, which folds letter case, drops
invisible characters and reads look-alike letters and dashes as the ASCII they imitate.
"""

from __future__ import annotations

import unicodedata

# letters of other scripts that are drawn like Latin letters (Unicode confusables, the common ones)
_CONFUSABLE = {
    **dict(zip("АВСЕНІЈКМОРЅТХУаеіјорсхуѕԁһԛԝ", "ABCEHIJKMOPSTXYaeijopcxysdhqw")),
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧαοιν", "ABEZHIKMNOPTYXaoiv")),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
}


def _invisible(char: str) -> bool:
    return unicodedata.category(char) in ("Cf", "Cc", "Zl", "Zp") or char in "\u00ad\u034f\u115f\u1160\u3164"


def unusual_characters(text: str) -> list[tuple[str, int]]:
    """Each character outside printable ASCII, named, with its position (1-based):
    ``[("U+200B ZERO WIDTH SPACE", 4)]``. Codes are ASCII, so any of these is a mistake."""
    found = []
    for position, char in enumerate(text, start=1):
        if " " <= char < "\x7f":
            continue
        name = unicodedata.name(char, "")
        if not name:
            name = "CONTROL CHARACTER" if unicodedata.category(char) == "Cc" else "UNNAMED CHARACTER"
        found.append((f"U+{ord(char):04X} {name}", position))
    return found


def unusual_note(text: str, lang: str = "en", limit: int = 3) -> str:
    """'; it contains U+200B ZERO WIDTH SPACE at position 4' (or its Chinese) for a code with
    unusual characters, or ''."""
    found = unusual_characters(text)
    if not found:
        return ""
    if lang == "zh":
        more = f"等 {len(found)} 个字符" if len(found) > limit else ""
        return "；其中含有" + "、".join(f"第 {at} 个字符 {name}" for name, at in found[:limit]) + more
    more = f" and {len(found) - limit} more" if len(found) > limit else ""
    return "; it contains " + ", ".join(f"{name} at position {at}" for name, at in found[:limit]) + more


def skeleton(text: str) -> str:
    """``text`` as a reader sees it: NFKC, case folded, invisible characters dropped, look-alike
    letters and dashes read as ASCII. Two codes with one skeleton look the same on screen."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(_CONFUSABLE.get(ch, ch) for ch in folded if not _invisible(ch)).casefold().strip()
