"""Which script a text is written in, to catch exports that label an Arabic text `en`.

Only the script is read off the text, never the language: Arabic script may
be Arabic, Dari, Pashto or Urdu, so a contradiction is reported and the claim
is marked with the script alone (`und-Arab`), never with a guessed language.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

# The first word of a character's Unicode name → ISO 15924 code.
_NAME_SCRIPTS = {
    "LATIN": "Latn",
    "ARABIC": "Arab",
    "HEBREW": "Hebr",
    "CYRILLIC": "Cyrl",
    "GREEK": "Grek",
    "CJK": "Hani",
    "HIRAGANA": "Jpan",
    "KATAKANA": "Jpan",
    "HANGUL": "Kore",
    "DEVANAGARI": "Deva",
    "BENGALI": "Beng",
    "THAI": "Thai",
    "ETHIOPIC": "Ethi",
    "GEORGIAN": "Geor",
    "ARMENIAN": "Armn",
    "TAMIL": "Taml",
    "TELUGU": "Telu",
    "GUJARATI": "Gujr",
    "GURMUKHI": "Guru",
    "KANNADA": "Knda",
    "MALAYALAM": "Mlym",
    "SINHALA": "Sinh",
    "KHMER": "Khmr",
    "LAO": "Laoo",
    "MYANMAR": "Mymr",
    "THAANA": "Thaa",
    "SYRIAC": "Syrc",
    "TIBETAN": "Tibt",
}

# Languages and the script they are written in (where one script is the rule).
LANGUAGE_SCRIPTS = {
    **dict.fromkeys("ar fa prs ps ur ckb sd ug ks".split(), "Arab"),
    **dict.fromkeys("he yi".split(), "Hebr"),
    **dict.fromkeys("ru uk be bg mk kk ky tg mn".split(), "Cyrl"),
    "el": "Grek",
    "zh": "Hani",
    "ja": "Jpan",
    "ko": "Kore",
    **dict.fromkeys("hi mr ne".split(), "Deva"),
    "bn": "Beng",
    "th": "Thai",
    "am": "Ethi",
    "ti": "Ethi",
    "ka": "Geor",
    "hy": "Armn",
    "ta": "Taml",
    "te": "Telu",
    "gu": "Gujr",
    "kn": "Knda",
    "ml": "Mlym",
    "si": "Sinh",
    "km": "Khmr",
    "lo": "Laoo",
    "my": "Mymr",
    "dv": "Thaa",
    **dict.fromkeys(
        (
            "en fr es pt de it nl sv da nb nn no fi is et lv lt pl cs sk sl hr bs sq ro hu tr az "
            "id ms tl fil vi sw ha yo ig zu xh af so eu ca gl ga cy mt lb rw uz tk"
        ).split(),
        "Latn",
    ),
}
SCRIPT_NAMES = {
    "Latn": "Latin",
    "Arab": "Arabic",
    "Hebr": "Hebrew",
    "Cyrl": "Cyrillic",
    "Grek": "Greek",
    "Hani": "Chinese (Han)",
    "Jpan": "Japanese",
    "Kore": "Korean (Hangul)",
    "Deva": "Devanagari",
}


def script_of(text: str) -> str | None:
    """The script most of the text's letters are in; None for a text with few letters."""
    if text.isascii():
        return "Latn" if sum(1 for c in text if c.isalpha()) >= 3 else None
    counts: Counter = Counter()
    for char in text:
        if not char.isalpha():
            continue
        if char.isascii():
            counts["Latn"] += 1
            continue
        name = unicodedata.name(char, "")
        script = _NAME_SCRIPTS.get(name.split(" ", 1)[0])
        if script:
            counts[script] += 1
    if sum(counts.values()) < 3:
        return None
    script, count = counts.most_common(1)[0]
    if script == "Hani" and counts["Jpan"]:
        script = "Jpan"  # Japanese mixes kanji with kana
    return script if count * 2 > sum(counts.values()) else None


def language_script(language: str) -> str | None:
    parts = language.split("-")
    if len(parts) > 1 and len(parts[1]) == 4:
        return parts[1].capitalize()
    return LANGUAGE_SCRIPTS.get(parts[0].lower())


def script_name(script: str) -> str:
    return SCRIPT_NAMES.get(script, script)


def agrees(language_script_code: str | None, text_script: str | None) -> bool:
    if language_script_code is None or text_script is None:
        return True
    if language_script_code == "Jpan":
        return text_script in ("Jpan", "Hani")
    if language_script_code in ("Hans", "Hant"):
        return text_script == "Hani"
    return language_script_code == text_script
