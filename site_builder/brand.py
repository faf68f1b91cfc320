"""The archive's accent colour: checked for contrast, then set in a small stylesheet.

Links, focus rings and the search button take their colour from the CSS
custom property `--accent` (templates/assets/site.css); an archive with an
`accent_color` gets assets/brand.css, which sets it. No inline style: the
pages' Content Security Policy allows stylesheets from the site only.

One colour cannot be readable text on both a white and a near-black page
(the best any colour does against #ffffff and #141414 at once is 4.29:1), so
the dark theme uses `accent_color_dark` when given, and otherwise the accent
made lighter, keeping its hue, until it reads well there.
"""

from __future__ import annotations

import colorsys
import math

AA_TEXT = 4.5  # WCAG 2 AA, normal text: links are text
# The dark variant aims higher than the minimum, as the built-in dark link colour does.
DARK_VARIANT_TARGET = 7.0

# The backgrounds links sit on in each theme, as templates/assets/site.css sets
# them (a test keeps the two in step). The accent is also the search button's
# background under text of the page's background colour, which is the same pair.
THEMES = {
    "light": {
        "page background": "#ffffff",
        "header and footer background": "#f4f4f1",
        "highlighted quote background": "#fff8d6",
    },
    "dark": {
        "page background": "#141414",
        "header and footer background": "#202020",
        "highlighted quote background": "#332c0c",
    },
}


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str) -> float:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2's contrast ratio of two #rrggbb colours, from 1 to 21."""
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def shown_ratio(ratio: float) -> str:
    """Rounded down, so a colour just short of 4.5:1 never reads as 4.50:1."""
    return f"{math.floor(ratio * 100) / 100:.2f}:1"


def weakest_contrast(color: str, theme: str) -> tuple[float, str, str]:
    """(ratio, what the background is, its colour) for the background `color` contrasts least with."""
    return min((contrast_ratio(color, background), name, background) for name, background in THEMES[theme].items())


def dark_variant(color: str) -> str:
    """`color` lightened, hue and saturation kept, until it reads well on the dark theme."""
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    candidate = color
    for step in range(101):
        lighter = lightness + (1 - lightness) * step / 100
        candidate = "#" + "".join(f"{round(c * 255):02x}" for c in colorsys.hls_to_rgb(hue, lighter, saturation))
        if weakest_contrast(candidate, "dark")[0] >= DARK_VARIANT_TARGET:
            break
    return candidate


def brand_stylesheet(light: str, dark: str) -> bytes:
    """assets/brand.css, loaded after site.css: the accent for each theme, and what it colours."""
    return (
        "/* Generated from content/site.yaml's accent_color: links, focus rings and the search button. */\n"
        f":root {{ --accent: {light}; --link-visited: var(--accent); --focus: var(--accent); --button: var(--accent); }}\n"
        f"@media (prefers-color-scheme: dark) {{\n  :root {{ --accent: {dark}; }}\n}}\n"
        "@media print {\n  :root { --accent: #000; }\n}\n"
    ).encode()
