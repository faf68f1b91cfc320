"""The picture a link preview shows for a claim: site title, the claim, its verdict.

Drawn with Pillow in IBM Plex Sans Arabic (site_builder/fonts/, SIL Open Font License), one font
with both Latin and Arabic-script letters (Arabic, Persian/Dari, Pashto, Urdu), so a machine with
only the pip packages draws the same bytes; the PNG carries no timestamp. Right-to-left text is
shaped by libraqm (bundled with Pillow's wheels; it needs the system's FriBiDi) and set from the
right; without raqm it falls back to Pillow's basic layout rather than failing.

Cheap by construction: the picture is drawn in mode "L" whose values are indices, not greys. Each
run of text is drawn over one flat colour with a ramp of indices from that colour to the text's
colour, so Pillow's antialiasing blends the index numerically along the ramp; the image is then
reinterpreted as mode "P" with a palette for the verdict's tone. The header, which is the same on
every claim's picture, is drawn once.

Small by construction too, since a large archive publishes one per claim: each ramp has five steps
(ground, three shades, ink) and the claim's and the header's ramps share their ink, so the whole
palette is 16 colours and the PNG stores 4 bits a pixel, its rows unfiltered and deflated by
libdeflate. On the benchmark's claims that is about 9 KB a picture instead of 22 KB with 64-step ramps
and Pillow's zlib; five steps still antialias the letters, Latin
and Arabic alike, at the size a link preview shows them.

A build keeps every picture in `.cache/share-images/` beside content/ under the hash of all that
shapes it (`cache_key`), so a rebuild copies instead of drawing; cache.prune drops what the last
full build did not use. The cache is safe to delete and never changes a byte of the output: an entry
carries the digest of its bytes and one that does not match is drawn again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import struct
import unicodedata
import warnings
import zlib
from importlib.metadata import version
from pathlib import Path

import deflate
import PIL
from PIL import Image, ImageDraw, ImageFont, features

from . import cache, images

WIDTH, HEIGHT = 1200, 630
MARGIN = 64
CLAIM_LINES = 5
FONT_FILE = Path(__file__).with_name("fonts") / "IBMPlexSansArabic-Regular.ttf"
RAQM = features.check_feature("raqm")

# The light theme's tone colours from templates/assets/site.css: background, text, edge.
TONES = {
    "scale-5": ("#e1f3e6", "#0b5326", "#1d7a3b"),
    "scale-4": ("#ecf5da", "#35520a", "#5f8a1c"),
    "scale-3": ("#fdf1d2", "#634300", "#b07d00"),
    "scale-2": ("#fde5d6", "#7f3206", "#c4581b"),
    "scale-1": ("#fbe0e0", "#97151a", "#c62828"),
    "unrated-1": ("#ebebeb", "#333333", "#6f6f6f"),
    "unrated-2": ("#eee5f8", "#532681", "#7b4bb0"),
    "unrated-3": ("#e2edf9", "#1b4a80", "#3d6fae"),
}
TEXT, SURFACE, BORDER = "#1b1b1b", "#f4f4f1", "#cfcfca"

# Palette indices. A ramp runs from its ground to its ink, one index a step; the header's runs
# downwards so that it ends on the claim's ink (both are TEXT): 16 indices in all, 4 bits a pixel.
STEPS = 5
PAGE, PAGE_INK = 0, STEPS - 1  # white to TEXT: the claim
HEAD, HEAD_INK = 2 * STEPS - 2, STEPS - 1  # SURFACE to TEXT: the site title on the header band
BADGE, BADGE_INK = 2 * STEPS - 1, 3 * STEPS - 2  # the tone's background to its text: the verdict
RULE, EDGE = 3 * STEPS - 1, 3 * STEPS  # BORDER under the header; the tone's edge round the badge
COLOURS = EDGE + 1
# libdeflate's level, on rows left unfiltered (_png). On 40 of the bench's pictures (CPU ms a picture):
# Pillow's zlib 4 with its adaptive filters 10.3 KB (3.3 ms with decoding it again); unfiltered, zlib 6
# 9.5 KB (2.0), zlib 9 8.9 KB (13.2), libdeflate 9 8.7 KB (2.7), 10 8.1 KB (13.8), 12 7.8 KB (57); oxipng's
# best at level 2, 8.1 KB (74 ms wall, on every core). Past 9 a cold build's time rises fivefold.
# Whole pictures, drawing included, on 400 of the 10,000-claim bench's (CPU ms, mean KB): level 9 5.35
# and 9.08, 7 2.60 and 9.54, 6 2.29 and 9.66, 5 2.19 and 9.81. Level 6 draws a 10,000-claim archive's
# pictures in about 30 s less CPU than 9; the site grew by 5.3 MB, 1 %.
COMPRESS_LEVEL = 6

HEADER = 96
CLAIM_TOP = 140
BADGE_TOP, BADGE_BOTTOM = HEIGHT - 130, HEIGHT - 50
TITLE_SIZE, BADGE_SIZE = 34, 44


def render(
    site_title: str,
    claim: str,
    verdict: str,
    tone: str,
    *,
    direction: str = "ltr",
    language: str | None = None,
    site_direction: str = "ltr",
    site_language: str | None = None,
) -> bytes:
    """The PNG's bytes: WIDTH × HEIGHT, the same bytes for the same arguments.

    `direction` ("ltr" or "rtl") and `language` (a BCP 47 tag such as "fa", "ps", "ar") are the
    claim's; `site_direction` and `site_language` are the site title's and the verdict label's.
    Right-to-left text is set flush right and wraps from the right; the badge moves to the right
    when the site is right-to-left.
    """
    background, foreground, edge = TONES.get(tone, TONES["unrated-1"])
    if not RAQM and "rtl" in (direction, site_direction):
        warnings.warn(
            "Pillow has no raqm here (is libfribidi0 installed?): share images draw right-to-left "
            "text unshaped, its letters apart and in the wrong order",
            RuntimeWarning,
            stacklevel=2,
        )
    image = _header(site_title, site_direction, site_language).copy()
    draw = ImageDraw.Draw(image)
    size, lines = claim_lines(claim, direction, language)
    rtl = _rtl(direction)
    x, anchor = (WIDTH - MARGIN, "rs") if rtl else (MARGIN, "ls")
    baseline = CLAIM_TOP + size - 1
    for line in lines:
        draw.text((x, baseline), line, font=_font(size), fill=PAGE_INK, anchor=anchor, **_shaping(direction, language))
        baseline += int(size * 1.3)
    _badge(draw, verdict, site_direction, site_language)
    return _png(image, _palette(background, foreground, edge))


def claim_lines(claim: str, direction: str = "ltr", language: str | None = None) -> tuple[int, list[str]]:
    """The claim's font size and its lines, at most CLAIM_LINES, the last ending in "…" if cut."""
    size = 54 if len(claim) < 120 else 44
    return size, _wrap(_clean(claim), size, WIDTH - 2 * MARGIN, CLAIM_LINES, direction, language)


@functools.lru_cache(maxsize=8)
def _header(site_title: str, direction: str, language: str | None) -> Image.Image:
    """The picture with its header drawn: white below, the band with the title above."""
    image = Image.new("L", (WIDTH, HEIGHT), PAGE)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, HEADER), fill=HEAD)
    draw.line((0, HEADER, WIDTH, HEADER), fill=RULE, width=2)
    title = _fit(_clean(site_title), TITLE_SIZE, WIDTH - 2 * MARGIN, direction, language)
    x, anchor = (WIDTH - MARGIN, "rs") if _rtl(direction) else (MARGIN, "ls")
    draw.text((x, 60), title, font=_font(TITLE_SIZE), fill=HEAD_INK, anchor=anchor, **_shaping(direction, language))
    return image


def _badge(draw: ImageDraw.ImageDraw, verdict: str, direction: str, language: str | None) -> None:
    """The verdict's label in a rounded box with a bar of the tone's edge colour on its leading side."""
    label = _fit(_clean(verdict), BADGE_SIZE, WIDTH - 2 * MARGIN - 60, direction, language)
    width = _length(label, BADGE_SIZE, direction, language)
    if _rtl(direction):
        box = (WIDTH - MARGIN - width - 60, BADGE_TOP, WIDTH - MARGIN, BADGE_BOTTOM)
        bar, x, anchor = (box[2] - 10, box[1], box[2], box[3]), box[2] - 36, "rs"
    else:
        box = (MARGIN, BADGE_TOP, MARGIN + width + 60, BADGE_BOTTOM)
        bar, x, anchor = (box[0], box[1], box[0] + 10, box[3]), box[0] + 36, "ls"
    draw.rounded_rectangle(box, radius=8, fill=BADGE, outline=EDGE, width=3)
    draw.rectangle(bar, fill=EDGE)
    draw.text((x, 556), label, font=_font(BADGE_SIZE), fill=BADGE_INK, anchor=anchor, **_shaping(direction, language))


def _png(image: Image.Image, palette: list[int]) -> bytes:
    """The indices as a 4-bit palette PNG: every row unfiltered, deflated by libdeflate.

    Flat ground and letters' edges along a row: filtering each row against the one above (as
    Pillow chooses, row by row) only scatters the indices' runs, so "none" on every row is 2 to 8%
    smaller at any level, and libdeflate finds longer matches than zlib in less time.
    """
    width, height = image.size
    # Packed two indices a byte, the first in the high bits, as PNG packs them: two columns of
    # index 0 before each row become the byte 0 that starts it, filter type "none".
    framed = Image.new("L", (width + 2, height), 0)
    framed.paste(image, (2, 0))
    rows = framed.tobytes("raw", "L;4")

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 4, 3, 0, 0, 0)),  # 4 bits, palette
            chunk(b"PLTE", bytes(palette)),
            chunk(b"IDAT", deflate.zlib_compress(rows, COMPRESS_LEVEL)),
            chunk(b"IEND", b""),
        )
    )


@functools.cache
def _palette(background: str, foreground: str, edge: str) -> list[int]:
    """Red, green, blue for each index: the three ramps, then the rule and the edge."""
    colours: list[list[int]] = [[0, 0, 0]] * COLOURS
    for first, last, ground, ink in (
        (PAGE, PAGE_INK, "#ffffff", TEXT),
        (HEAD, HEAD_INK, SURFACE, TEXT),
        (BADGE, BADGE_INK, background, foreground),
    ):
        start, end, way = _rgb(ground), _rgb(ink), 1 if last > first else -1
        for step in range(STEPS):
            colours[first + way * step] = [round(a + (b - a) * step / (STEPS - 1)) for a, b in zip(start, end)]
    colours[RULE], colours[EDGE] = _rgb(BORDER), _rgb(edge)
    return [value for colour in colours for value in colour]


def _rgb(colour: str) -> list[int]:
    return [int(colour[i : i + 2], 16) for i in (1, 3, 5)]


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.RAQM if RAQM else ImageFont.Layout.BASIC
    return ImageFont.truetype(FONT_FILE, size, layout_engine=engine)


def _rtl(direction: str) -> bool:
    if direction not in ("ltr", "rtl"):
        raise ValueError(f"direction must be 'ltr' or 'rtl', not {direction!r}")
    return direction == "rtl"


def _shaping(direction: str, language: str | None) -> dict:
    """What Pillow's text calls take for the direction and language: nothing without raqm."""
    return {"direction": direction, "language": language or None} if RAQM else {}


def _clean(text: str) -> str:
    """The text on one line; without raqm, also without invisible format characters (ZWNJ, bidi
    marks), which basic layout would draw as boxes."""
    text = " ".join(text.split())
    if not RAQM:
        text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return text


@functools.lru_cache(maxsize=8192)
def _length(text: str, size: int, direction: str, language: str | None) -> float:
    return _font(size).getlength(text, **_shaping(direction, language))


def _wrap(text: str, size: int, width: int, max_lines: int, direction: str, language: str | None) -> list[str]:
    """Greedy word wrap; the last line ends in an ellipsis if the text does not fit.

    A line is measured as the sum of its words and spaces (each word measured once, and cached
    across claims), then the lines are measured whole: if shaping across a space made one too
    wide, the text is wrapped again measuring every attempt whole.
    """
    words = text.split(" ") if text else []
    space = _length(" ", size, direction, language)
    lines, current, used = [], [], 0.0
    for word in words:
        word_width = _length(word, size, direction, language)
        if current and used + space + word_width > width:
            lines.append(" ".join(current))
            current, used = [], 0.0
        used += (space if current else 0) + word_width
        current.append(word)
    if current:
        lines.append(" ".join(current))
    if any(_length(line, size, direction, language) > width for line in lines if " " in line):
        lines = _wrap_exactly(words, size, width, direction, language)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _ellipsis(lines[-1], size, width, direction, language)
    return [_fit(line, size, width, direction, language) for line in lines]


def _wrap_exactly(words: list[str], size: int, width: int, direction: str, language: str | None) -> list[str]:
    lines, current = [], ""
    for word in words:
        attempt = f"{current} {word}" if current else word
        if current and _length(attempt, size, direction, language) > width:
            lines.append(current)
            current = word
        else:
            current = attempt
    return lines + [current] if current else lines


def _ellipsis(line: str, size: int, width: int, direction: str, language: str | None) -> str:
    """The line, shortened by whole words while it has more than one, with "…" after it."""
    words = line.split(" ")
    while len(words) > 1 and _length(" ".join(words) + "…", size, direction, language) > width:
        words.pop()
    return _fit(" ".join(words) + "…", size, width, direction, language)


def _fit(text: str, size: int, width: int, direction: str, language: str | None) -> str:
    """The text, cut by characters and ended with "…" if it is wider than `width` pixels."""
    if _length(text, size, direction, language) <= width:
        return text
    body = text.removesuffix("…")
    low, high = 0, len(body)  # the longest prefix that fits with "…": found by bisection
    while low < high:
        middle = (low + high + 1) // 2
        if _length(body[:middle].rstrip() + "…", size, direction, language) <= width:
            low = middle
        else:
            high = middle - 1
    return body[:low].rstrip() + "…"


# What the pictures' looks depend on besides their arguments: this file (layout, colours,
# encoding), the font, and the libraries that rasterise and shape the text.
@functools.cache
def _renderer() -> str:
    versions = [features.version(name) for name in ("freetype2", "raqm", "fribidi", "harfbuzz")]
    return hashlib.sha256(
        b"\0".join(
            [
                Path(__file__).read_bytes(),
                FONT_FILE.read_bytes(),
                json.dumps([PIL.__version__, RAQM, versions, version("deflate")]).encode(),
            ]
        )
    ).hexdigest()


def cache_key(
    site_title: str,
    claim: str,
    verdict: str,
    tone: str,
    *,
    direction: str = "ltr",
    language: str | None = None,
    site_direction: str = "ltr",
    site_language: str | None = None,
) -> str:
    """The hash of everything that shapes the picture `render` draws for these arguments."""
    inputs = [_renderer(), site_title, claim, verdict, tone, direction, language, site_direction, site_language]
    return hashlib.sha256(json.dumps(inputs, ensure_ascii=False).encode("utf-8")).hexdigest()


def cache_dir(image_cache: str | None) -> str | None:
    """The share pictures' cache, beside the resized images' (`.cache/images`)."""
    return os.path.join(os.path.dirname(image_cache), "share-images") if image_cache else None


_DIGEST = 16  # an entry is the blake2b digest of the PNG, then the PNG


def render_cached(folder: str | None, site_title: str, claim: str, verdict: str, tone: str, **layout) -> bytes:
    """`render`'s bytes, copied from the cache in `folder` when it holds them (None: no cache)."""
    if folder is None:
        return render(site_title, claim, verdict, tone, **layout)
    path = os.path.join(folder, cache_key(site_title, claim, verdict, tone, **layout) + ".png")
    try:
        with open(path, "rb") as f:
            entry = f.read()
        data = entry[_DIGEST:]
        if entry[:_DIGEST] == hashlib.blake2b(data, digest_size=_DIGEST).digest():
            cache.note("share-images", os.path.basename(path))  # used by this build: prune keeps it
            return data
    except OSError:
        pass
    data = render(site_title, claim, verdict, tone, **layout)
    images._store(path, hashlib.blake2b(data, digest_size=_DIGEST).digest() + data)  # aside, then renamed
    cache.note("share-images", os.path.basename(path))
    return data
