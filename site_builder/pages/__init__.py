"""Every output of a site, planned from the library: the page families, the site-wide pages, the data files.

A family (claim.py, source.py, person.py, topic.py, staff.py) declares a
record kind's pages once; FAMILIES lists them, and the plans, the output
paths, the navigation, the indexes, the feeds, the sitemap, the search
index's glob and the pages a rebuild renders again all derive from it.
Adding a kind of page is a record in model.py, its schema in schema.py, a
family module, a line here, and its template.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable

from .. import brand, cms, images, model
from ..dataset import DATASET_PATH, dataset_files
from ..library import Library
from ..text import direction
from ..urls import Urls
from . import claim, person, site, source, staff, topic, views
from .family import Family, Key
from .views import Link, Output, Plan, SiteView, Views

FAMILIES: tuple[Family, ...] = (claim.FAMILY, source.FAMILY, person.FAMILY, topic.FAMILY, staff.FAMILY)
BY_KIND = {family.kind: family for family in FAMILIES}
# Where the templates' contracts are declared, for docs/templates.md.
MODULES = (views, *(sys.modules[type(family).__module__] for family in FAMILIES), site)

# Each built-in template, the context it receives as `page`, and what it writes
# (docs/templates.md is generated from this).
TEMPLATES: dict[str, tuple[type, str]] = {
    **{family.template: (family.contract, family.writes) for family in FAMILIES},
    **{name: entry for family in FAMILIES for name, entry in family.index_templates.items()},
    **site.TEMPLATES,
}
BRAND_STYLESHEET = "assets/brand.css"
_VERDICTS_NAV = 50  # the verdict scale's place among the families' indexes in the navigation


class SitePages:
    """Plans every output of one library: record pages (built where they are rendered), site-wide pages, data files."""

    def __init__(self, library: Library, urls: Urls, image_cache: str | None = None) -> None:
        self.lib = library
        self.urls = urls
        self.ui = library.ui
        self.image_cache = image_cache  # v2: where resized images are kept between builds; None: not kept
        self.views = Views(library, urls, image_cache)
        self.site_view = _site_view(library, urls)

    def plans(self) -> list[Plan]:
        """Every page of the site; record pages are built only when rendered."""
        return self.record_plans(self.record_keys()) + [Plan.ready(output) for output in self.site_wide()]

    def record_keys(self) -> list[Key]:
        return [(family.kind, slug) for family in FAMILIES for slug in family.records(self.lib)]

    def record_plans(self, keys: Iterable[Key]) -> list[Plan]:
        plans = []
        for kind, slug in keys:
            family = BY_KIND[kind]
            origin = family.records(self.lib)[slug].pos
            for number, path in enumerate(family.outputs(self.lib, slug), start=1):
                plans.append(
                    Plan(path, family.template, origin, functools.partial(self.record_page, kind, slug, number))
                )
        return plans

    def record_page(self, kind: str, slug: str, number: int = 1) -> Output:
        family = BY_KIND[kind]
        return family.page(self.views, family.records(self.lib)[slug], number)

    def site_wide(self) -> list[Output]:
        """The archive's own pages, then the pages that show the whole archive; the claims' aliases last,
        so that a clash names the alias rather than the page it would hide."""
        views = self.views
        return site.text_pages(views) + site.site_wide_pages(views, FAMILIES) + claim.FAMILY.aliases(views)

    def attachments(self, key: Key) -> list[tuple[str, bytes]]:
        kind, slug = key
        return BY_KIND[kind].attachments(self.views, slug)

    def archived_files(self) -> list[tuple[str, str]]:
        return source.archived_files(self.lib)

    def figures(self) -> list[model.Figure]:
        """v2: every image the published site shows."""
        lib = self.lib
        texts = (
            [c.analysis for c in lib.claims.values()]
            + [p.body for p in lib.pages.values()]
            + [s.bio for s in lib.staff.values() if s.bio]
        )
        own = [r.image for r in (*lib.claims.values(), *lib.staff.values(), *lib.pages.values()) if r.image]
        return own + [f for text in texts for f in text.images]

    def data_files(self) -> list[tuple[str, Callable[[], Iterable[bytes]]]]:
        """Outputs that are not rendered from a template: (path in the output, what makes its bytes, in pieces).

        In pieces, because the dataset of a large archive is larger than
        everything else the build holds in memory.
        """
        site_ = self.lib.site
        files = dataset_files(self.lib, self.urls)
        if site_.accent_color:
            dark = site_.accent_color_dark or brand.dark_variant(site_.accent_color)
            stylesheet = brand.brand_stylesheet(site_.accent_color, dark)
            files.append((BRAND_STYLESHEET, lambda: [stylesheet]))
        if site_.logo:
            files.append((logo_path(site_.logo), lambda: [site_.logo.data]))
        stylesheets = [self.urls.page("assets/site.css")] + (
            [self.urls.page(BRAND_STYLESHEET)] if site_.accent_color else []
        )
        files += cms.admin_files(site_, stylesheets)
        written = {}
        for figure in self.figures():  # v2: the same file used twice is written once
            for version in images.versions(figure.file):
                written.setdefault(version.path, (figure.file, version))
        files += [
            (path, functools.partial(_image_bytes, image, version, self.image_cache))
            for path, (image, version) in sorted(written.items())
        ]
        return files


def dependent_pages(lib: Library, key: Key) -> set[Key]:
    """The record pages that show something of record `key`, its own included: what a rebuild renders again.

    Each family says which of its pages show a record; one rule holds across
    them: every claim card names its claimant (Views.card), so a person's
    edit reaches every page that shows one of their claims.
    """
    kind, slug = key
    pages = {key}
    if kind == "person":
        for claim_slug in lib.claims_by_claimant.get(slug, ()):
            pages |= dependent_pages(lib, ("claim", claim_slug))
    for family in FAMILIES:
        pages |= {(family.kind, shown) for shown in family.shows(lib, key)}
    return pages


def searched_folders() -> list[str]:
    """The folders whose record pages the search index holds."""
    return [family.folder for family in FAMILIES if family.searched]


def logo_path(logo: model.Image) -> str:
    return f"assets/logo{logo.extension}"


def _image_bytes(image: model.ContentImage, version, cache: str | None) -> list[bytes]:
    return [images.render(image, version, cache)]


def _site_view(library: Library, urls: Urls) -> SiteView:
    site_, ui = library.site, library.ui
    nav = [
        (family.nav[0], Link(urls.page(f"{family.folder}/"), ui.gettext(family.nav[1])))
        for family in FAMILIES
        if family.nav and family.in_nav(library)
    ]
    nav.append((_VERDICTS_NAV, Link(urls.page("verdicts/"), ui.gettext("Verdicts"))))
    return SiteView(
        title=site_.title,
        description=site_.description,
        lang=site_.language,
        dir=direction(site_.language),
        base_path=urls.base_path,
        base_url=urls.base_url,
        publisher=Link(site_.publisher.url, site_.publisher.name),
        # The archive's own pages follow the built-in items, which stay where readers of any archive find them.
        nav=(
            *(link for _, link in sorted(nav, key=lambda entry: entry[0])),
            *(
                Link(urls.page(f"{p.slug}/"), p.title)
                for p in sorted((p for p in library.pages.values() if p.nav is not None), key=lambda p: (p.nav, p.slug))
            ),
        ),
        home_url=urls.page(),
        stylesheet_url=urls.page("assets/site.css"),
        brand_stylesheet_url=urls.page(BRAND_STYLESHEET) if site_.accent_color else None,
        logo_url=urls.page(logo_path(site_.logo)) if site_.logo else None,
        footer=site_.footer,
        social=tuple(Link(link.url, link.name) for link in site_.social),
        icon_url=urls.page("assets/favicon.svg"),
        feed_url=urls.page("feed.xml"),
        verdicts_url=urls.page("verdicts/"),
        search_url=urls.page("search/"),
        claims_url=urls.page("claims/"),
        corrections_url=urls.page("corrections/"),
        dataset_url=urls.page(DATASET_PATH),
        tips_url=site_.tips_url,
    )
