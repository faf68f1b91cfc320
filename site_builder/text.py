"""Language facts the pages need: the direction of a language's script."""

from __future__ import annotations

# Primary language subtags written right to left (Dari is fa-AF or prs; Pashto is ps).
RTL_LANGUAGES = {"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ku", "prs", "ps", "sd", "ug", "ur", "yi"}


# Script subtags written right to left: `und-Arab` is a text in Arabic script whose language is not known.
RTL_SCRIPTS = {"adlm", "arab", "hebr", "nkoo", "rohg", "syrc", "thaa"}


def direction(language: str) -> str:
    parts = language.lower().split("-")
    if len(parts) > 1 and len(parts[1]) == 4:
        return "rtl" if parts[1] in RTL_SCRIPTS else "ltr"
    return "rtl" if parts[0] in RTL_LANGUAGES else "ltr"
