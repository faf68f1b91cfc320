"""The share picture (Open Graph image) of a claim: its PNG, colours, directions and scripts."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageFont

from site_builder import cache, share_image
from site_builder.share_image import BADGE_TOP, CLAIM_TOP, HEIGHT, MARGIN, TONES, WIDTH

TITLE = "Afghanistan Fact Check Archive"
DARI_TITLE = "آرشیف راستی‌آزمایی"
DARI_CLAIM = "وزارت گفت که پل جدید دو ماه زودتر از موعد تکمیل شد"
DARI = dict(direction="rtl", language="fa")
DARI_SITE = dict(site_direction="rtl", site_language="fa")
# Every Arabic-script letter a Dari, Pashto or Arabic claim needs, with Persian digits and punctuation.
LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیءآأؤإئةكيټډړږښځڅګڼېۍ۰۱۲۳۴۵۶۷۸۹،؛؟"
LONG = (
    "The minister said that the new bridge would be finished two months early and cost less than half of what "
    "was budgeted, according to official figures released by the governor's office; critics disputed every "
    "part of it and pointed to delays at three other sites in Herat, Kandahar and Mazar-i-Sharif. "
) * 3


def _clear_caches():
    for cached in (share_image._font, share_image._length, share_image._header, share_image._palette):
        cached.cache_clear()


@pytest.fixture
def basic_layout(monkeypatch):
    """share_image as on a machine whose Pillow has no raqm (no FriBiDi)."""
    _clear_caches()
    monkeypatch.setattr(share_image, "RAQM", False)
    yield
    monkeypatch.undo()
    _clear_caches()


def picture(*args, **kwargs) -> Image.Image:
    with Image.open(io.BytesIO(share_image.render(*args, **kwargs))) as image:
        assert image.format == "PNG"
        return image.convert("RGB")


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def ink_box(image: Image.Image, box: tuple[int, int, int, int]) -> tuple[int, int, int, int] | None:
    """The bounding box, in the picture's coordinates, of what is not white inside `box`."""
    inverted = Image.eval(image.crop(box).convert("L"), lambda v: 255 - v)
    found = inverted.point(lambda v: 255 if v > 40 else 0).getbbox()
    return found and (found[0] + box[0], found[1] + box[1], found[2] + box[0], found[3] + box[1])


CLAIM_AREA = (0, CLAIM_TOP - 30, WIDTH, BADGE_TOP - 5)


def test_png_decodes_at_1200_by_630_as_a_palette_image():
    with Image.open(io.BytesIO(share_image.render(TITLE, "Schools reopened.", "False", "scale-1"))) as image:
        assert image.format == "PNG" and image.size == (WIDTH, HEIGHT) == (1200, 630)
        assert image.mode == "P"
        image.load()


def test_png_is_4_bits_a_pixel_with_16_colours_and_small():
    """One picture per claim: its bytes count in a 10,000-claim site. Five full lines took 36 KB
    (Latin) and 25 KB (Dari) with 64-step ramps at 8 bits; 18 and 13 with Pillow's zlib at level
    4; 15.2 and 10.6 unfiltered and deflated by libdeflate at level 9; now 16.0 and 11.2 at level 6,
    which draws a picture in half the time (share_image.COMPRESS_LEVEL)."""
    data = share_image.render(TITLE, LONG, "Mostly false", "scale-2")
    with Image.open(io.BytesIO(data)) as image:
        assert image.mode == "P" and len(image.getpalette()) == 3 * 16
        assert data[24] == 4  # IHDR's bit depth
    assert len(data) < 16_500, len(data)
    dari = share_image.render(DARI_TITLE, DARI_CLAIM * 3, "نادرست", "scale-1", **DARI, **DARI_SITE)
    assert len(dari) < 11_700, len(dari)


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        assert struct.unpack(">I", data[at + 8 + length : at + 12 + length])[0] == zlib.crc32(kind + body)
        chunks.append((kind, body))
        at += 12 + length
    return chunks


@pytest.mark.parametrize("claim, layout", [(LONG, {}), (DARI_CLAIM * 3, {**DARI, **DARI_SITE})], ids=["latin", "dari"])
def test_png_is_the_picture_pillow_writes_in_fewer_bytes_than_pillows_best(claim, layout):
    # Our own PNG writer (every row unfiltered, libdeflate): the same pixels as Pillow's own
    # encoder at its smallest, zlib level 9 with its filters chosen row by row, in fewer bytes.
    data = share_image.render(TITLE, claim, "Mostly false", "scale-2", **layout)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks = _chunks(data)  # every chunk's CRC checked
    assert [kind for kind, _ in chunks] == [b"IHDR", b"PLTE", b"IDAT", b"IEND"]
    rows = zlib.decompress(chunks[2][1])
    stride = WIDTH // 2 + 1
    assert len(rows) == stride * HEIGHT and set(rows[::stride]) == {0}  # filter "none" on every row
    with Image.open(io.BytesIO(data)) as ours:
        ours.load()
        pillows = io.BytesIO()
        ours.save(pillows, "PNG", compress_level=9, bits=4)
    with Image.open(io.BytesIO(pillows.getvalue())) as theirs:
        assert theirs.convert("RGB").tobytes() == ours.convert("RGB").tobytes()
        assert theirs.getpalette() == ours.getpalette()
    # 5 % fewer at libdeflate 9; 3 to 4 % at 6, which draws in half the time (COMPRESS_LEVEL).
    assert len(data) < 0.98 * len(pillows.getvalue()), (len(data), len(pillows.getvalue()))


def test_header_title_is_antialiased_from_its_band_to_the_text_colour():
    """The header's ramp runs downwards to the claim's ink: its shades lie between SURFACE and TEXT."""
    image = picture(TITLE, "A claim.", "True", "scale-5")
    surface, text = rgb(share_image.SURFACE), rgb(share_image.TEXT)
    colours = {colour for _, colour in image.crop((0, 0, WIDTH, share_image.HEADER - 2)).getcolors(1 << 16)}
    assert surface in colours and text in colours and len(colours) == share_image.STEPS
    for colour in colours:
        t = (surface[0] - colour[0]) / (surface[0] - text[0])
        assert all(abs(c - (s + (k - s) * t)) <= 1.5 for c, s, k in zip(colour, surface, text)), colour


def test_the_same_input_gives_the_same_bytes_and_other_input_other_bytes():
    first = share_image.render(TITLE, DARI_CLAIM, "نادرست", "scale-2", **DARI)
    _clear_caches()  # drawn afresh, not from the cached header
    assert share_image.render(TITLE, DARI_CLAIM, "نادرست", "scale-2", **DARI) == first
    assert share_image.render(TITLE, DARI_CLAIM, "نادرست", "scale-2", **DARI) == first
    assert share_image.render(TITLE, DARI_CLAIM + ".", "نادرست", "scale-2", **DARI) != first
    assert b"tIME" not in first


@pytest.mark.parametrize("tone", sorted(TONES))
def test_the_badge_has_its_tones_background_and_edge(tone):
    background, _, edge = TONES[tone]
    image = picture(TITLE, "A claim.", "Mostly false", tone)
    assert image.getpixel((MARGIN + 20, BADGE_TOP + 8)) == rgb(background)
    assert image.getpixel((MARGIN + 5, BADGE_TOP + 40)) == rgb(edge)


def test_different_tones_give_different_badge_colours():
    seen = {picture(TITLE, "A claim.", "Verdict", tone).getpixel((MARGIN + 20, BADGE_TOP + 8)) for tone in TONES}
    assert len(seen) == len(TONES)


def test_text_is_antialiased_along_its_own_colours_only():
    """The indexed drawing keeps antialiasing: shades between white and the text colour, and only those."""
    image = picture(TITLE, "Girls' schools in Herat reopened in March.", "True", "scale-5")
    colours = {colour for _, colour in image.crop(CLAIM_AREA).getcolors(1 << 16)}
    assert len(colours) == share_image.STEPS == 5  # white, three shades, the text's colour
    white, text = (255, 255, 255), rgb(share_image.TEXT)
    for colour in colours:
        t = (255 - colour[0]) / (255 - text[0])
        assert all(abs(c - (w + (k - w) * t)) <= 1.5 for c, w, k in zip(colour, white, text)), colour


def test_ltr_claim_starts_at_the_left_margin():
    left, _, right, _ = ink_box(picture(TITLE, "Schools reopened.", "False", "scale-1"), CLAIM_AREA)
    assert MARGIN - 2 <= left <= MARGIN + 8 and right < WIDTH / 2


@pytest.mark.parametrize("language", ["fa", "ps", "ar"])
def test_rtl_claim_is_set_flush_right(language):
    image = picture(TITLE, "پل جدید تکمیل شد", "False", "scale-1", direction="rtl", language=language)
    left, _, right, _ = ink_box(image, CLAIM_AREA)
    assert left > WIDTH / 2
    assert WIDTH - MARGIN - 8 <= right <= WIDTH - MARGIN + 2


def test_rtl_claim_wraps_from_the_right():
    """Its first words are on the first line, at the right; every line ends at the right margin."""
    size, lines = share_image.claim_lines(DARI_CLAIM * 2, **DARI)
    assert len(lines) > 1 and lines[0].startswith("وزارت گفت")
    image = picture(TITLE, DARI_CLAIM * 2, "نادرست", "scale-1", **DARI)
    step = int(size * 1.3)
    for row in range(len(lines)):
        top = CLAIM_TOP + row * step
        _, _, right, _ = ink_box(image, (0, top + 10, WIDTH, top + size - 2))
        assert WIDTH - MARGIN - 8 <= right <= WIDTH - MARGIN + 2


@pytest.mark.skipif(not share_image.RAQM, reason="bidirectional order needs raqm")
def test_rtl_claim_opening_with_a_latin_word_puts_that_word_at_the_right():
    """ "WHO claimed": the paragraph is right-to-left even though its first letter is Latin, so
    "WHO" comes first, at the right, and the alef of ادعا stands on its left."""
    image = picture(TITLE, "WHO ادعا کرد", "True", "scale-5", direction="rtl", language="fa").convert("L")
    band = {x for x in range(WIDTH) if any(image.getpixel((x, y)) < 160 for y in range(CLAIM_TOP, CLAIM_TOP + 54))}
    right = max(band)
    run = right - max(x for x in range(right) if x not in band)
    assert run > 20  # the "O" of WHO, not the thin alef


def test_rtl_site_puts_title_and_badge_on_the_right():
    image = picture(DARI_TITLE, DARI_CLAIM, "نادرست", "scale-1", **DARI, **DARI_SITE)
    title_left, _, title_right, _ = ink_box(image, (0, 0, WIDTH, share_image.HEADER - 2))
    assert title_left > WIDTH / 2 and title_right >= WIDTH - MARGIN - 8
    background, _, edge = TONES["scale-1"]
    assert image.getpixel((WIDTH - MARGIN - 5, BADGE_TOP + 40)) == rgb(edge)
    assert image.getpixel((WIDTH - MARGIN - 20, BADGE_TOP + 8)) == rgb(background)
    assert image.getpixel((MARGIN + 20, BADGE_TOP + 8)) == (255, 255, 255)


def test_the_font_has_a_glyph_for_every_arabic_script_letter():
    font = share_image._font(54)

    def mask(text):
        drawn = font.getmask(text)
        return drawn.size, bytes(drawn)

    notdef = mask("\U0010fffd")  # a private-use character no font has: its box
    assert notdef[0] != (0, 0)
    assert [letter for letter in LETTERS if mask(letter) == notdef] == []


@pytest.mark.skipif(not share_image.RAQM, reason="shaping needs raqm")
def test_arabic_letters_are_joined():
    """Shaped, five behs are one connected stroke; drawn unshaped, five separate letters."""

    def gaps(font, **kwargs):
        drawn = font.getmask("ببببب", **kwargs)
        width, height = drawn.size
        data = bytes(drawn)
        inked = [x for x in range(width) if any(data[y * width + x] > 128 for y in range(height))]
        return len(set(range(inked[0], inked[-1] + 1)) - set(inked))

    assert gaps(share_image._font(54), direction="rtl", language="fa") == 0
    assert gaps(ImageFont.truetype(share_image.FONT_FILE, 54, layout_engine=ImageFont.Layout.BASIC)) > 0


def test_the_dari_sample_draws_no_box():
    """No character of a Dari title, claim and verdict is drawn as the font's missing-glyph box
    (the zero-width non-joiner in the title is shaped away by raqm, or dropped without it)."""
    font = share_image._font(54)
    notdef = font.getmask("\U0010fffd")
    notdef = (notdef.size, bytes(notdef))
    for text in (DARI_TITLE, DARI_CLAIM, "نادرست"):
        for character in set(share_image._clean(text)) - {" "}:
            drawn = font.getmask(character, **share_image._shaping("rtl", "fa"))
            assert (drawn.size, bytes(drawn)) != notdef, hex(ord(character))


def test_long_claim_is_cut_to_five_lines_ending_in_an_ellipsis():
    size, lines = share_image.claim_lines(LONG)
    assert len(lines) == share_image.CLAIM_LINES == 5
    assert lines[-1].endswith("…") and not any(line.endswith("…") for line in lines[:-1])
    assert all(share_image._font(size).getlength(line) <= WIDTH - 2 * MARGIN for line in lines)
    image = picture(TITLE, LONG, "Mostly false", "scale-2")
    rows = [y for y in range(CLAIM_AREA[1], CLAIM_AREA[3]) if ink_box(image, (0, y, WIDTH, y + 1))]
    bands = 1 + sum(1 for a, b in zip(rows, rows[1:]) if b - a > 1)
    assert bands == 5
    _, _, right, _ = ink_box(image, CLAIM_AREA)
    assert right <= WIDTH - MARGIN + 2


def test_long_rtl_claim_is_cut_to_five_lines_too():
    _, lines = share_image.claim_lines(" ".join([DARI_CLAIM] * 12), **DARI)
    assert len(lines) == 5 and lines[-1].endswith("…")


def test_a_word_wider_than_the_picture_is_cut():
    size, lines = share_image.claim_lines("https://example.org/" + "x" * 200)
    assert len(lines) == 1 and lines[0].endswith("…")
    assert share_image._font(size).getlength(lines[0]) <= WIDTH - 2 * MARGIN


def test_long_site_title_is_cut_inside_the_header():
    image = picture("A very long archive title " * 8, "A claim.", "True", "scale-5")
    _, _, right, bottom = ink_box(image, (0, 0, WIDTH, share_image.HEADER - 2))
    assert right <= WIDTH - MARGIN + 2 and bottom < share_image.HEADER


def test_unknown_direction_is_refused():
    with pytest.raises(ValueError):
        share_image.render(TITLE, "A claim.", "True", "scale-5", direction="auto")


def test_without_raqm_rtl_text_still_draws(basic_layout):
    assert not share_image.RAQM
    with pytest.warns(RuntimeWarning, match="raqm"):
        image = picture(DARI_TITLE, DARI_CLAIM, "نادرست", "scale-1", **DARI, **DARI_SITE)
    assert image.size == (WIDTH, HEIGHT)
    left, _, right, _ = ink_box(image, CLAIM_AREA)
    assert WIDTH - MARGIN - 8 <= right <= WIDTH - MARGIN + 2 and left > MARGIN
    # The ZWNJ in the title is dropped rather than drawn as a box.
    assert "\u200c" not in share_image._clean(DARI_TITLE)


# -- the cache ------------------------------------------------------------------------------

CACHED = (TITLE, DARI_CLAIM, "نادرست", "scale-2")


def test_cached_picture_is_the_drawn_one_and_a_warm_call_draws_nothing(tmp_path, monkeypatch):
    drawn = share_image.render(*CACHED, **DARI)
    assert share_image.render_cached(str(tmp_path), *CACHED, **DARI) == drawn
    [entry] = tmp_path.iterdir()
    assert entry.name == share_image.cache_key(*CACHED, **DARI) + ".png"
    monkeypatch.setattr(share_image, "render", lambda *a, **k: pytest.fail("drawn again despite the cache"))
    assert share_image.render_cached(str(tmp_path), *CACHED, **DARI) == drawn


@pytest.mark.parametrize(
    "damage",
    [
        lambda entry: entry[:-100],  # cut short
        lambda entry: entry[:40] + bytes([entry[40] ^ 1]) + entry[41:],  # one bit flipped
        lambda entry: b"",
        lambda entry: share_image.render(TITLE, "Another claim.", "True", "scale-5"),  # someone else's PNG, no digest
    ],
)
def test_a_damaged_entry_is_drawn_again_and_repaired(tmp_path, damage):
    drawn = share_image.render(*CACHED, **DARI)
    share_image.render_cached(str(tmp_path), *CACHED, **DARI)
    [entry] = tmp_path.iterdir()
    entry.write_bytes(damage(entry.read_bytes()))
    assert share_image.render_cached(str(tmp_path), *CACHED, **DARI) == drawn
    assert share_image.render_cached(str(tmp_path), *CACHED, **DARI) == drawn
    assert entry.read_bytes()[16:] == drawn


def test_every_input_and_the_renderer_are_in_the_key(monkeypatch):
    base = share_image.cache_key(*CACHED, **DARI)
    changed = [
        share_image.cache_key(TITLE + ".", *CACHED[1:], **DARI),
        share_image.cache_key(TITLE, DARI_CLAIM + ".", *CACHED[2:], **DARI),
        share_image.cache_key(*CACHED[:2], "درست", "scale-2", **DARI),
        share_image.cache_key(*CACHED[:3], "scale-3", **DARI),
        share_image.cache_key(*CACHED, direction="ltr", language="fa"),
        share_image.cache_key(*CACHED, direction="rtl", language="ps"),
        share_image.cache_key(*CACHED, **DARI, site_direction="rtl"),
        share_image.cache_key(*CACHED, **DARI, site_language="fa"),
    ]
    assert len({base, *changed}) == 1 + len(changed)
    monkeypatch.setattr(share_image, "_renderer", lambda: "another version of the renderer")
    assert share_image.cache_key(*CACHED, **DARI) != base


def test_a_picture_drawn_or_copied_is_kept_by_prune_and_an_unused_one_goes(tmp_path):
    folder = tmp_path / ".cache" / "share-images"
    cache.take_used()
    share_image.render_cached(str(folder), *CACHED, **DARI)  # drawn
    [used] = list(folder.iterdir())
    assert cache.take_used() == {"share-images": {used.name}}
    old = folder / ("0" * 64 + ".png")
    old.write_bytes(b"an edited claim's old picture")
    share_image.render_cached(str(folder), *CACHED, **DARI)  # copied
    with cache.CacheLock(str(tmp_path)):
        assert cache.prune(str(tmp_path), cache.take_used())["share-images"] == 1
    assert list(folder.iterdir()) == [used]


def test_an_unwritable_cache_is_no_error(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_bytes(b"")
    assert share_image.render_cached(str(blocked / "cache"), *CACHED, **DARI) == share_image.render(*CACHED, **DARI)
