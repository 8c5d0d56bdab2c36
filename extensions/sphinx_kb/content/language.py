"""A post's language and reading time, from the tag its author gave or from its text.

This module knows nothing of Sphinx. It checks language tags, counts the characters and words of
a text, and from those counts guesses the text's language and its reading time.

Counting: CJK characters (Chinese characters, Japanese kana, Korean hangul) are counted one by
one, since these scripts put no space between words; every other run of letters and digits is a
word (``don't``, ``GPT-4`` and ``2025`` are one word each).

Guessing the language (:func:`detect`) looks only at the script, so it can tell Chinese, Japanese
and Korean apart but not English from French:

- more CJK characters than other words: a CJK language. Chinese (``zh``) unless a fifth of those
  characters are kana (``ja``) or most are hangul (``ko``). Counting characters against words,
  not letters against letters, keeps a Chinese post full of English terms Chinese (an English
  word has six letters on average, and a Chinese word two characters);
- otherwise, on a site whose language is a CJK one, English (``en``): a post in Latin letters on a
  Chinese site is taken to be English;
- otherwise (or for an empty text) nothing: the site's language.

Reading time (:func:`reading_minutes`): CJK characters at one rate, words at another, added and
rounded to the nearest whole minute (1 at least).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

#: A language tag as BCP 47 spells one, loosely: a 2-3 letter language, then subtags of 2-8
#: letters or digits (``en``, ``zh-CN``, ``zh-Hans``, ``zh-Hant-TW``); ``_`` is read as ``-``.
_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
#: The primary languages whose texts are written in CJK scripts.
CJK_LANGUAGES = frozenset({"zh", "ja", "ko", "yue", "wuu", "cmn"})

#: Chinese characters (CJK Unified Ideographs and extensions, compatibility ideographs).
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
#: Japanese hiragana and katakana.
_KANA = "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9d"
#: Korean hangul syllables and letters.
_HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
_CJK = re.compile(f"[{_HAN}{_KANA}{_HANGUL}]")
_KANA_CHAR = re.compile(f"[{_KANA}]")
_HANGUL_CHAR = re.compile(f"[{_HANGUL}]")
#: A word: letters and digits that are not CJK, joined by an apostrophe or a hyphen.
_LETTER = rf"[^\W_{_HAN}{_KANA}{_HANGUL}]"
_WORD = re.compile(rf"{_LETTER}+(?:['’\-]{_LETTER}+)*")


def normalize_tag(value: object) -> str:
    """*value* as a language tag in its usual case (``zh-cn`` -> ``zh-CN``, ``zh_hans`` -> ``zh-Hans``).

    :raises ValueError: if *value* is not text shaped like a language tag.
    """
    text = value.strip() if isinstance(value, str) else None
    if not text or not _TAG.fullmatch(text):
        raise ValueError(f"{value!r} is not a language tag such as 'en' or 'zh-CN'")
    language, *subtags = re.split("[-_]", text)
    cased = [language.lower()]
    for subtag in subtags:
        if len(subtag) == 4 and subtag.isalpha():
            cased.append(subtag.title())  # script: Hans
        elif (len(subtag) == 2 and subtag.isalpha()) or (len(subtag) == 3 and subtag.isdigit()):
            cased.append(subtag.upper())  # region: CN, 419
        else:
            cased.append(subtag.lower())
    return "-".join(cased)


def primary(tag: str) -> str:
    """The language of *tag* without script or region: ``zh-Hant-TW`` -> ``zh``."""
    return re.split("[-_]", tag, maxsplit=1)[0].lower()


@dataclass(frozen=True)
class TextCounts:
    """How much text there is, by kind."""

    #: CJK characters: Chinese characters, kana and hangul.
    cjk: int = 0
    #: Words of other scripts.
    words: int = 0
    #: Of :attr:`cjk`, the kana and the hangul.
    kana: int = 0
    hangul: int = 0


def count(text: str) -> TextCounts:
    """The CJK characters and the other words of *text*."""
    return TextCounts(
        cjk=len(_CJK.findall(text)),
        words=len(_WORD.findall(text)),
        kana=len(_KANA_CHAR.findall(text)),
        hangul=len(_HANGUL_CHAR.findall(text)),
    )


def detect(counts: TextCounts, site_language: str) -> str | None:
    """The language of a text with *counts*, as far as its script tells; ``None``: the site's."""
    if counts.cjk > counts.words:
        if counts.kana * 5 >= counts.cjk:
            found = "ja"
        elif counts.hangul * 2 > counts.cjk:
            found = "ko"
        else:
            found = "zh"
    elif counts.words and primary(site_language) in CJK_LANGUAGES:
        found = "en"
    else:
        return None
    # The site's own tag when it is the same language: `zh-CN` rather than `zh`.
    return None if found == primary(site_language) else found


def reading_minutes(counts: TextCounts, cjk_per_minute: int, words_per_minute: int) -> int:
    """Minutes to read a text with *counts*: CJK characters and words each at their own rate."""
    minutes = counts.cjk / cjk_per_minute + counts.words / words_per_minute
    return max(1, math.floor(minutes + 0.5))
