"""Language facts the pages need: the direction of a language's script."""

from __future__ import annotations


# Primary language subtags written right to left (Dari is fa-AF or prs; Pashto is ps).
RTL_LANGUAGES = {"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ku", "prs", "ps", "sd", "ug", "ur", "yi"}


def direction(language: str) -> str:
    primary = language.split("-")[0].lower()
    return "rtl" if primary in RTL_LANGUAGES else "ltr"

