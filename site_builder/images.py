"""Images of the content (v2): screenshots of claims, staff portraits, pictures in Markdown.

Each image is written in two or three widths, as WebP and in its own format,
with every metadata chunk left behind (a screenshot's EXIF may say where and
with which phone it was taken). Resizing is the costly part, so each version
is cached by the hash of the original and of everything that shapes the
result in `.cache/images/` beside content/: deleting the cache changes
nothing but the time the next build takes, since a version is a function of
those inputs alone.
"""

from __future__ import annotations

import hashlib
import html
import io
import os
import tempfile
from dataclasses import dataclass

import PIL
from PIL import Image

from . import cache, model

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 8000 x 5000 screenshot; beyond that it is a bomb, not a picture
WIDTHS = (480, 960, 1600)  # a phone, a column, a wide screen at twice its pixels
FORMATS = {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp"}
OUTPUT_FOLDER = "media"
CACHE_FOLDER = os.path.join(".cache", "images")
# The column the images sit in (site.css --measure) and the screen below it.
SIZES = "(min-width: 44rem) 42rem, 100vw"
# Part of every cache key: a change to how versions are made must not reuse old ones.
_RECIPE = f"v1 pillow {PIL.__version__} q80/85 lanczos"


def inspect(data: bytes) -> tuple[str, int, int] | str:
    """(format, width, height) of an image file, or why it cannot be used, in an editor's words."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            if kind not in FORMATS:
                return f"is a {kind or 'unknown'} image; use PNG, JPEG or WebP"
            if width * height > MAX_PIXELS:
                return f"is {width} x {height} pixels; the limit is {MAX_PIXELS // 1_000_000} million pixels: save it smaller"
            image.verify()
    except Image.DecompressionBombError:
        return "has more pixels than any screenshot needs: save it smaller"
    except Exception:  # noqa: BLE001 (Pillow raises many kinds on broken files)
        return "is not a PNG, JPEG or WebP image Pillow can read: save it again"
    return kind, width, height


def widths(width: int) -> tuple[int, ...]:
    """The widths written for an image `width` pixels wide: never wider than the original."""
    return tuple(sorted({min(w, width) for w in WIDTHS}))


@dataclass(frozen=True, slots=True)
class Version:
    path: str  # in the output
    width: int
    height: int
    format: str  # PNG, JPEG or WEBP


def versions(image: model.ContentImage) -> list[Version]:
    """Every file written for `image`: each width as WebP and in its own format."""
    stem = f"{OUTPUT_FOLDER}/{image.digest[:16]}"
    found = []
    for width in widths(image.width):
        height = max(1, round(image.height * width / image.width))
        for kind in dict.fromkeys(("WEBP", image.format)):
            found.append(Version(f"{stem}-{width}{FORMATS[kind]}", width, height, kind))
    return found


def render(image: model.ContentImage, version: Version, cache_dir: str | None) -> bytes:
    """The bytes of one version, from the cache when it has them."""
    key = hashlib.sha256(f"{image.digest} {version.width} {version.format} {_RECIPE}".encode()).hexdigest()
    cached = os.path.join(cache_dir, key) if cache_dir else None
    if cached and os.path.isfile(cached):
        cache.note("images", key)  # used by this build: cache.prune keeps it
        with open(cached, "rb") as f:
            return f.read()
    data = _resize(image.data, version)
    if cached:
        _store(cached, data)
        cache.note("images", key)
    return data


def _resize(data: bytes, version: Version) -> bytes:
    with Image.open(io.BytesIO(data)) as original:
        original.load()
        # A fresh image of the pixels alone: EXIF, GPS, XMP, ICC and text chunks stay behind.
        pixels = original.convert("RGBA" if _has_alpha(original) else "RGB")
    if pixels.width != version.width:
        pixels = pixels.resize((version.width, version.height), Image.LANCZOS)
    out = io.BytesIO()
    if version.format == "JPEG":
        pixels.convert("RGB").save(out, "JPEG", quality=85, optimize=True, progressive=True)
    elif version.format == "WEBP":
        pixels.save(out, "WEBP", quality=80, method=4)
    else:
        pixels.save(out, "PNG", optimize=True)
    return out.getvalue()


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _store(path: str, data: bytes) -> None:
    """Written aside and renamed, so that two builds at once never leave half a file; a cache that cannot be written is no error."""
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".part-")
        with os.fdopen(handle, "wb") as f:
            f.write(data)
        os.replace(temporary, path)
    except OSError:
        pass


def picture_html(figure: model.Figure, urls, lazy: bool, inline: bool = False) -> str:
    """A <figure> with a <picture>: WebP first, the original format as fallback, width and height against layout shift."""
    all_versions = versions(figure.file)
    webp = [v for v in all_versions if v.format == "WEBP"]
    own = [v for v in all_versions if v.format == figure.file.format] or webp
    largest = own[-1]

    def srcset(found):
        return ", ".join(f"{urls.page(v.path)} {v.width}w" for v in found)

    source = f'<source type="image/webp" srcset="{srcset(webp)}" sizes="{SIZES}">' if own is not webp else ""
    loading = ' loading="lazy"' if lazy else ""
    img = (
        f'<img src="{urls.page(largest.path)}" srcset="{srcset(own)}" sizes="{SIZES}" width="{largest.width}" '
        f'height="{largest.height}" alt="{html.escape(figure.alt)}"{loading} decoding="async">'
    )
    if inline:  # inside a paragraph of Markdown, where a <figure> may not stand
        return f'<picture class="inline-picture">{source}{img}</picture>'
    caption = ""
    if figure.caption or figure.credit:
        credit = f' <span class="credit">{html.escape(figure.credit)}</span>' if figure.credit else ""
        caption = f"<figcaption>{html.escape(figure.caption or '')}{credit}</figcaption>"
    return f'<figure class="figure"><picture>{source}{img}</picture>{caption}</figure>'
