"""Language facts the pages need: direction of a script, dates for people."""

from __future__ import annotations

import datetime as dt

# Primary language subtags written right to left (Dari is fa-AF or prs; Pashto is ps).
RTL_LANGUAGES = {"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ku", "prs", "ps", "sd", "ug", "ur", "yi"}


def direction(language: str) -> str:
    primary = language.split("-")[0].lower()
    return "rtl" if primary in RTL_LANGUAGES else "ltr"


_MONTHS = ("January", "February", "March", "April", "May", "June", "July",
           "August", "September", "October", "November", "December")


def human_date(value: dt.date) -> str:
    """English dates spelled out; not strftime, whose month names follow the locale."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
