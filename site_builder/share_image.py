"""The picture a link preview shows for a claim: site title, the claim, its verdict.

Drawn with Pillow in the font Pillow itself ships (Aileron, through
ImageFont.load_default, which needs FreeType), so a machine with only the pip packages draws the
same bytes; PNG output carries no timestamp.
"""

from __future__ import annotations

import functools
import io

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 64
CLAIM_LINES = 5

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


@functools.lru_cache(maxsize=None)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def render(site_title: str, claim: str, verdict: str, tone: str) -> bytes:
    """The PNG's bytes: WIDTH × HEIGHT."""
    background, foreground, edge = TONES.get(tone, TONES["unrated-1"])
    image = Image.new("RGB", (WIDTH, HEIGHT), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 96), fill=SURFACE)
    draw.line((0, 96, WIDTH, 96), fill=BORDER, width=2)
    draw.text((MARGIN, 48), _fit(draw, site_title, _font(34), WIDTH - 2 * MARGIN), font=_font(34), fill=TEXT, anchor="lm")
    size = 54 if len(claim) < 120 else 44
    lines = _wrap(draw, claim, _font(size), WIDTH - 2 * MARGIN, CLAIM_LINES)
    y = 140
    for line in lines:
        draw.text((MARGIN, y), line, font=_font(size), fill=TEXT)
        y += int(size * 1.3)
    label = _fit(draw, verdict, _font(44), WIDTH - 2 * MARGIN - 60)
    label_width = draw.textlength(label, font=_font(44))
    box = (MARGIN, HEIGHT - 130, MARGIN + label_width + 60, HEIGHT - 50)
    draw.rounded_rectangle(box, radius=8, fill=background, outline=edge, width=3)
    draw.rectangle((box[0], box[1], box[0] + 10, box[3]), fill=edge)
    draw.text((box[0] + 36, (box[1] + box[3]) / 2), label, font=_font(44), fill=foreground, anchor="lm")
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int, max_lines: int) -> list[str]:
    """Greedy word wrap; the last line ends in an ellipsis if the text does not fit."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        attempt = f"{current} {word}".strip()
        if draw.textlength(attempt, font=font) <= width or not current:
            current = attempt
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _fit(draw, lines[-1] + " …", font, width, force=True)
    return [_fit(draw, line, font, width) for line in lines]


def _fit(draw: ImageDraw.ImageDraw, text: str, font, width: int, force: bool = False) -> str:
    """The text cut with an ellipsis to `width` pixels; `force` keeps a trailing ellipsis."""
    if not force and draw.textlength(text, font=font) <= width:
        return text
    body = text.removesuffix(" …")
    while body and draw.textlength(body + "…", font=font) > width:
        body = body[:-1]
    return body.rstrip() + "…"
