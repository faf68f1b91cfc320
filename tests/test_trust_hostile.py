"""Hostile text: nothing a content file holds may run in a reader's browser.

Every payload goes into every text field of every kind of record (site.yaml,
claims, sources and their quotes and archived texts, people, topics, pages)
and every URL payload into every URL field and every kind of Markdown link.
Either the build refuses it with an error at its place (URL fields take
http(s) only), or the output holds none of it in executable form: each page
is parsed with lxml and must have no script but JSON-LD and our own, no on*
attribute, no link with a foreign scheme, and a Content-Security-Policy that
forbids inline script; the JSON-LD, the feed and the dataset give the hostile
text back exactly, as text.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from built_site import html_pages
from lxml import etree
from playwright.sync_api import expect
from sites import Site
from test_site import build_site
from tools import read_dataset
from trust import (
    ERROR_LINE,
    assert_positioned_errors_only,
    executable_problems,
    json_ld,
    site_problems,
    visible_text,
    yaml_str,
)

BASE_URL = "https://checks.example.net/"

# Each at most 55 characters, so that with its field's tag it fits the
# shortest field (60); none holds a backtick (it is also shown in a code
# span) or an omission mark (quotes are matched around those).
TEXT_PAYLOADS = [
    "<script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "</SCRIPT ><script >alert(1)</script >",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "<img src=x:x onerror=alert(1)//",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<iframe src="data:text/html,<script>1</script>">',
    "<body onload=alert(1)>",
    '" onmouseover="alert(1)" x="',
    "' onfocus='alert(1)' autofocus x='",
    "{{ 7*7 }} {% if true %}ok{% endif %} {# c #}",
    "{{ self.__init__.__globals__ }}{{ config }}",
    "<!-- x --><![CDATA[ ]]>",
    "<![CDATA[<script>alert(1)</script>]]>",
    "]]><script>alert(1)</script>",
    "<style>*{display:none}</style>",
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:">',
    '<form action="javascript:alert(1)"><button>x</button>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "</title><script>alert(1)</script>",
    "</textarea></noscript></style><script>1</script>",
    '<noscript><p title="</noscript><img src=x onerror=1>">',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "${alert(1)} #{alert(1)} %{alert(1)}",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "\u202eevil\u202c \u200b\u200d\u2060\ufeff \u2066isolate\u2069",
    "line\u2028separator\u2029paragraph",
    "e\u0301 \u00e9 \U0001f600 \u0627\u0644\u0639\u0631\u0628\u064a\u0629",
]
assert all(len(p) <= 55 and "`" not in p and "..." not in p and "…" not in p for p in TEXT_PAYLOADS)

# Fields where text is shown as text: (tag, page showing it). The tag makes
# each field's value unique, so that each is found where it belongs.
PLAIN_FIELDS = {
    "site-title": "index.html",
    "site-description": "index.html",
    "site-footer": "index.html",
    "publisher-name": "index.html",
    "social-name": "index.html",
    "rated-label": "verdicts/index.html",
    "rated-description": "verdicts/index.html",
    "unrated-label": "verdicts/index.html",
    "unrated-description": "verdicts/index.html",
    "person-name": "people/mallory/index.html",
    "person-description": "people/mallory/index.html",
    "org-name": "people/mallory-org/index.html",
    "org-description": "people/mallory-org/index.html",
    "source-title": "sources/post/index.html",
    "source-publisher": "sources/post/index.html",
    "quote-text": "sources/post/index.html",
    "quote-context": "sources/post/index.html",
    "archived-text": "sources/post/index.html",
    "topic-title": "topics/evil/index.html",
    "topic-description": "topics/evil/index.html",
    "claim-claim": "claims/evil/index.html",
    "claim-summary": "claims/evil/index.html",
    "claim-correction": "claims/evil/index.html",
    "counter-claim": "claims/evil-too/index.html",
    "counter-summary": "claims/evil-too/index.html",
    "page-title": "about/index.html",
}
# Markdown fields: the payload in a code span, where it must come back as
# text, then as Markdown (whose raw HTML is sanitised, not kept; an unclosed
# tag takes the rest of the text as raw HTML, hence the code span first).
MARKDOWN_FIELDS = {
    "claim-analysis": "claims/evil/index.html",
    "counter-analysis": "claims/evil-too/index.html",
    "page-body": "about/index.html",
}
# Shown only in attributes (meta description): must come back exactly there.
ATTRIBUTE_FIELDS = {"page-description": "about/index.html"}
TEXT_FIELDS = {**PLAIN_FIELDS, **MARKDOWN_FIELDS, **ATTRIBUTE_FIELDS}


TAGS = {tag: f"F{number:02d}" for number, tag in enumerate(TEXT_FIELDS)}


def tagged(payload: str, tag: str) -> str:
    return f"{payload} ~{TAGS[tag]}"


def hostile_archive(payload: str) -> dict[str, str]:
    """A valid archive with `payload` (tagged) in every text field."""
    v = {tag: tagged(payload, tag) for tag in TEXT_FIELDS}
    q = {tag: yaml_str(value) for tag, value in v.items()}

    def markdown(tag: str) -> str:
        return yaml_str(f"In code: `{v[tag]}`\n\n{v[tag]}\n")

    return {
        "content/site.yaml": f"""\
title: {q["site-title"]}
base_url: {BASE_URL}
description: {q["site-description"]}
footer: {q["site-footer"]}
publisher:
  name: {q["publisher-name"]}
  url: https://checks.example.net/about/
social:
  - name: {q["social-name"]}
    url: https://social.example/@checks
verdicts:
  - id: rated
    label: {q["rated-label"]}
    rating: 1
    description: {q["rated-description"]}
  - id: unrated
    label: {q["unrated-label"]}
    description: {q["unrated-description"]}
""",
        "content/people/mallory.yaml": f"""\
name: {q["person-name"]}
description: {q["person-description"]}
affiliation: mallory-org
""",
        "content/people/mallory-org.yaml": f"""\
name: {q["org-name"]}
kind: organization
description: {q["org-description"]}
""",
        "content/sources/post.yaml": f"""\
title: {q["source-title"]}
kind: social-post
publisher: {q["source-publisher"]}
url: https://social.example.org/post
text: archive/post.txt
quotes:
  - id: q
    speaker: mallory
    text: {q["quote-text"]}
    context: {q["quote-context"]}
""",
        "archive/post.txt": f"Before the quote: {v['quote-text']} After the quote.\n\n{v['archived-text']}\n",
        "content/topics/evil.yaml": f"""\
title: {q["topic-title"]}
description: {q["topic-description"]}
""",
        "content/claims/evil.yaml": f"""\
claim: {q["claim-claim"]}
claimant: mallory
date: 2021-01-01
verdict: rated
summary: {q["claim-summary"]}
analysis: {markdown("claim-analysis")}
reviewed: 2021-01-02
quotes:
  - post#q
appearances:
  - post
topics:
  - evil
counterclaims:
  - evil-too
corrections:
  - date: 2021-01-03
    note: {q["claim-correction"]}
""",
        "content/claims/evil-too.yaml": f"""\
claim: {q["counter-claim"]}
claimant: mallory-org
date: 2021-01-01
verdict: unrated
summary: {q["counter-summary"]}
analysis: {markdown("counter-analysis")}
reviewed: 2021-01-02
""",
        "content/pages/about.md": f"""\
---
title: {q["page-title"]}
description: {q["page-description"]}
nav: 1
---
In code: `{v["page-body"]}`

{v["page-body"]}
""",
    }


def write_archive(root: Path, files: dict[str, str | bytes]) -> Site:
    site = Site(root)
    for relpath, text in files.items():
        site.write(relpath, text)
    return site


@pytest.mark.parametrize("payload", TEXT_PAYLOADS, ids=range(len(TEXT_PAYLOADS)))
def test_hostile_text_in_every_text_field_comes_out_as_inert_text(tmp_path, payload):
    write_archive(tmp_path, hostile_archive(payload))
    site = build_site(tmp_path / "content", tmp_path / "public")
    assert site_problems(site) == []
    pages = html_pages(site)
    value = {tag: tagged(payload, tag) for tag in TEXT_FIELDS}

    # Escaped, not dropped: each field reads back as the same text where it is shown.
    for tag, relpath in PLAIN_FIELDS.items():
        shown = unicodedata.normalize("NFC", value[tag]) if tag == "archived-text" else value[tag]  # stored NFC
        assert shown in visible_text(pages[relpath]), (tag, relpath)
    for tag, relpath in MARKDOWN_FIELDS.items():
        assert value[tag] in pages[relpath].xpath("//main//code/text()"), (tag, relpath)
    for tag, relpath in ATTRIBUTE_FIELDS.items():
        assert pages[relpath].xpath("//meta[@name='description']/@content") == [value[tag]], tag
    assert pages["index.html"].findtext(".//title") == value["site-title"]

    # JSON-LD gives the text back exactly.
    [review] = json_ld(pages["claims/evil/index.html"])
    assert review["claimReviewed"] == value["claim-claim"]
    assert review["author"]["name"] == value["publisher-name"]
    assert review["reviewRating"]["alternateName"] == value["rated-label"]
    assert review["itemReviewed"]["author"]["name"] == value["person-name"]
    assert review["itemReviewed"]["author"]["affiliation"]["name"] == value["org-name"]
    assert review["itemReviewed"]["appearance"][0]["name"] == value["source-title"]
    [counter] = json_ld(pages["claims/evil-too/index.html"])
    assert counter["claimReviewed"] == value["counter-claim"]
    assert counter["itemReviewed"]["author"]["name"] == value["org-name"]

    # So do the feed and the dataset.
    feed = etree.parse(str(site / "feed.xml")).getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.findtext(f"{atom}title") == value["site-title"]
    assert feed.findtext(f"{atom}author/{atom}name") == value["publisher-name"]
    assert sorted(e.findtext(f"{atom}title") for e in feed.iter(f"{atom}entry")) == sorted(
        [value["claim-claim"], value["counter-claim"]]
    )
    assert value["topic-title"] in [c.get("term") for c in feed.iter(f"{atom}category")]
    dataset = read_dataset(site)
    claims = {c["slug"]: c for c in dataset["claims"]}
    assert claims["evil"]["claim"] == value["claim-claim"]
    assert claims["evil"]["summary"] == value["claim-summary"]
    assert claims["evil"]["corrections"][0]["note"] == value["claim-correction"]
    assert dataset["sources"][0]["quotes"][0]["text"] == value["quote-text"]


# -- URL fields ---------------------------------------------------------------

# None of these is an http(s) address; every URL field must refuse each.
URL_PAYLOADS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "JAVASCRIPT:alert(document.domain)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "&#106;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "\u0001javascript:alert(1)",
    "\u202ejavascript:alert(1)",
    "javascript://example.org/%0Aalert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:text/html,<script>alert(1)</script>",
    "DATA:text/html,x",
    "vbscript:msgbox(1)",
    "VbScRiPt:msgbox(1)",
    "//evil.example/x",
    "/relative/path",
    "ftp://example.org/",
    "file:///etc/passwd",
    "http:javascript:alert(1)",
    "https:\\\\evil.example\\",
    'https://example.org/"onmouseover="alert(1)',
    "https://example.org/'><script>alert(1)</script>",
    "https://example.org/<img src=x onerror=alert(1)>",
    "https://",
]
# Where a URL can be written in YAML: field -> (file, line, column of the value).
YAML_URL_FIELDS = {
    "base_url": ("content/site.yaml", 2, 11),
    "publisher.url": ("content/site.yaml", 5, 8),
    "social.url": ("content/site.yaml", 8, 10),
    "person.url": ("content/people/mallory.yaml", 2, 6),
    "person.same_as": ("content/people/mallory.yaml", 4, 5),
    "source.url": ("content/sources/post.yaml", 3, 6),
    "source.archive_url": ("content/sources/post.yaml", 4, 14),
}
# And in Markdown, in an analysis and in a page's text: each form in a file of
# its own (claims/md-<form>.yaml, pages/md-<form>.md), so an error names it.
MARKDOWN_URL_FORMS = {
    "link": "[a link]({})",
    "angle-link": "[a link](<{}>)",
    "titled-link": '[a link]({} "title")',
    "image": "![an image]({})",
    "reference": "[a reference][r]\n\n[r]: {}",
    "autolink": "<{}>",
    "raw-html-link": '<a href="{}">raw</a>',
}
MARKDOWN_URL_FIELDS = [f"{where}.{form}" for where in ("analysis", "page") for form in MARKDOWN_URL_FORMS]
ANALYSIS_LINE = 9  # `analysis: |` in claims/md-<form>.yaml (a target Markdown rewrote is placed there)
PAGE_TEXT_LINE = 4  # the first line of the text in pages/md-<form>.md


def url_archive(url: str, markdown_forms=MARKDOWN_URL_FORMS, yaml_urls: bool = True) -> dict[str, str]:
    """An archive with `url` in every YAML URL field (else good ones) and in each Markdown form given."""

    def field(good: str) -> str:
        return yaml_str(url) if yaml_urls else good

    files = {
        "content/site.yaml": f"""\
title: Checks
base_url: {field(BASE_URL)}
publisher:
  name: Checkers
  url: {field("https://checks.example.net/about/")}
social:
  - name: Elsewhere
    url: {field("https://social.example/@checks")}
""",
        "content/people/mallory.yaml": f"""\
name: Mallory
url: {field("https://mallory.example/")}
same_as:
  - {field("https://www.wikidata.org/wiki/Q1")}
""",
        "content/sources/post.yaml": f"""\
title: A post
kind: social-post
url: {field("https://social.example/post/1")}
archive_url: {field("https://archive.example/post/1")}
""",
        "content/claims/evil.yaml": claim_with_analysis("Nothing to see."),
    }
    for form in markdown_forms:
        markdown = MARKDOWN_URL_FORMS[form].format(url)
        files[f"content/claims/md-{form}.yaml"] = claim_with_analysis(markdown)
        files[f"content/pages/md-{form}.md"] = f"---\ntitle: About {form}\n---\n{markdown}\n"
    return files


def claim_with_analysis(markdown: str) -> str:
    indented = "\n".join("  " + line if line else "" for line in markdown.split("\n"))
    return f"""\
claim: Something was said.
claimant: mallory
date: 2021-01-01
verdict: "false"
summary: It was not.
reviewed: 2021-01-02
appearances:
  - post
analysis: |
{indented}
"""


@pytest.mark.parametrize("url", URL_PAYLOADS, ids=range(len(URL_PAYLOADS)))
def test_a_url_that_is_not_http_is_refused_in_every_url_field_and_inert_in_markdown(tmp_path, url):
    result = write_archive(tmp_path / "all", url_archive(url)).run("build")
    assert result.code == 1, result.err
    assert not any("Traceback" in line for line in result.err)
    places = [ERROR_LINE.match(line) for line in result.errors]
    assert all(places), result.err
    reported = {(m["path"], int(m["line"]), int(m["column"])) for m in places}
    for field, place in YAML_URL_FIELDS.items():
        assert place in reported, f"{field} took {url!r}:\n" + "\n".join(result.err)

    # Each Markdown form is refused where it is written, or else comes out inert.
    refused = set()
    for m in places:
        form = re.fullmatch(r"content/(?:claims/md-(.+)\.yaml|pages/md-(.+)\.md)", m["path"])
        if form is None:
            assert (m["path"], int(m["line"]), int(m["column"])) in YAML_URL_FIELDS.values(), result.err
            continue
        first_line = ANALYSIS_LINE if form[1] else PAGE_TEXT_LINE
        assert int(m["line"]) >= first_line, m.group(0)
        refused.add(form[1] or form[2])
    kept = [form for form in MARKDOWN_URL_FORMS if form not in refused]
    if kept:
        write_archive(tmp_path / "kept", url_archive(url, kept, yaml_urls=False))
        site = build_site(tmp_path / "kept" / "content", tmp_path / "kept" / "public")
        assert site_problems(site) == []


# Odd but http(s): accepted, and each comes out as that address, nothing else.
ODD_HTTP_URLS = [
    "https://evil.example/?a=1&b=2&lt;script&gt;",
    "https://evil.example/#javascript:alert(1)",
    "https://evil.example/%22onmouseover=%22alert(1)",
    "https://evil.example/\u202eexe.txt",
    "http://xn--80ak6aa92e.example/",
    "https://user:pass@evil.example:8443/path;p?q#f",
]


@pytest.mark.parametrize("url", ODD_HTTP_URLS, ids=range(len(ODD_HTTP_URLS)))
def test_an_odd_but_http_url_comes_out_as_that_address(tmp_path, url):
    files = url_archive(url, ["link", "titled-link", "reference"])
    files["content/site.yaml"] = files["content/site.yaml"].replace(
        f"base_url: {yaml_str(url)}", f"base_url: {BASE_URL}"
    )
    write_archive(tmp_path, files)
    site = build_site(tmp_path / "content", tmp_path / "public")
    assert site_problems(site) == []
    pages = html_pages(site)
    person = pages["people/mallory/index.html"]
    assert url in person.xpath("//main//a/@href")
    assert pages["sources/post/index.html"].xpath("//main//a[@class='url']/@href") == [url, url]
    [review] = json_ld(pages["claims/evil/index.html"])
    assert review["itemReviewed"]["author"]["url"] == url and review["itemReviewed"]["author"]["sameAs"] == [url]


@pytest.mark.parametrize(
    "base_url", ["javascript:alert(1)//", "data:text/html,x/", "//evil.example/", "ftp://example.org/"]
)
def test_a_base_url_given_on_the_command_line_must_be_http_too(tmp_path, base_url):
    site = write_archive(tmp_path, url_archive("https://ok.example/", [], yaml_urls=False))
    result = site.run("build", "--base-url", base_url)
    assert result.code == 2, f"--base-url {base_url!r} gave exit {result.code}"
    assert not (tmp_path / "public").exists()
    assert not any("Traceback" in line for line in result.err)


# -- other ways in ------------------------------------------------------------


def test_a_control_character_in_text_is_refused_or_left_out_so_feeds_stay_well_formed(tmp_path):
    """YAML lets `"\\u0001"` be written; XML 1.0 and HTML forbid the character."""
    files = url_archive("https://ok.example/", [], yaml_urls=False)
    files["content/site.yaml"] = files["content/site.yaml"].replace(
        "title: Checks", 'title: "Checks\\u0001\\u001b\\uffff"'
    )
    files["content/claims/evil.yaml"] = files["content/claims/evil.yaml"].replace(
        "claim: Something was said.", 'claim: "Something\\u0008 was\\u007f said.\\ufffe"'
    )
    result = write_archive(tmp_path, files).run("build")
    if result.code == 1:
        assert [m.group("path", "line") for m in map(ERROR_LINE.match, result.errors)] == [
            ("content/claims/evil.yaml", "1"),
            ("content/site.yaml", "1"),
        ], result.err
        return
    assert result.code == 0, result.err
    site = tmp_path / "public"
    assert site_problems(site) == []
    for relpath in ("feed.xml", "sitemap.xml"):
        etree.parse(str(site / relpath))
    for path in site.rglob("*.html"):
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]", path.read_text(encoding="utf-8")), path


SVG_LOGOS = {
    "script": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "onload": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>',
    "link": (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<a xlink:href="javascript:alert(1)"><rect width="9" height="9"/></a></svg>'
    ),
    "foreign-object": (
        '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><body xmlns="http://www.w3.org/1999/xhtml">'
        '<img src="x" onerror="alert(1)"/></body></foreignObject></svg>'
    ),
    "animate": (
        '<svg xmlns="http://www.w3.org/2000/svg"><a><animate attributeName="href" values="javascript:alert(1)"/>'
        '<text y="9">x</text></a></svg>'
    ),
}


@pytest.mark.parametrize("kind", SVG_LOGOS)
def test_an_svg_logo_with_script_is_refused_or_made_inert(tmp_path, kind):
    """The logo is published as a file of its own: opened directly, an SVG runs its scripts on the site's origin."""
    files = url_archive("https://ok.example/", [], yaml_urls=False)
    files["content/site.yaml"] += "logo: images/logo.svg\n"
    files["images/logo.svg"] = SVG_LOGOS[kind]
    result = write_archive(tmp_path, files).run("build")
    if result.code == 1:
        assert [line.split(": error: ")[0] for line in result.errors] == ["content/site.yaml:9:7"], result.err
        return
    assert result.code == 0, result.err
    published = [
        p
        for p in (tmp_path / "public").rglob("*.svg")
        if p.read_bytes() != (tmp_path / "public/assets/favicon.svg").read_bytes()
    ]
    assert published, "the logo was not published"
    for path in published:
        svg = etree.fromstring(path.read_bytes())
        assert executable_problems(svg, path.name) == []


# -- raw HTML's attributes in Markdown ----------------------------------------

# Markup an analysis may hold: kept, but only in the forms the layout cannot be
# mistaken for. Each line of the analysis is line 10 + its index of claims/markup.yaml.
KEPT_MARKUP = [
    "Tips: <tips@example.org> or <mailto:desk@example.org>.",
    "",
    '<div class="verdict verdict-false badge footnote">False</div>',
    "",
    "<table><tr>",
    '<td style="text-align: expression(alert(1))">a</td>',
    '<td style="text-align: url(&quot;https://evil.example/x.png&quot;)">b</td>',
    '<td style="text-align:left;background:url(https://evil.example/)">c</td>',
    '<td style="TEXT-ALIGN: Center">d</td>',
    "</tr></table>",
    "",
    "| left | right |",
    "|:--|--:|",
    "| 1 | 2 |",
    "",
    '<h3 id="section-method">Method</h3> <a href="#section-method">see</a> <a href="claim:evil">raw</a>',
]
# Refused, each at its own line of claims/refused.yaml (or pages/refused.md):
# markup -> (where on the line the error points, what the message names).
REFUSED_MARKUP = {
    '<h2 id="main">Main</h2>': ('id="main"', "id 'main'"),
    '<p>Ask <a href="//evil.example/x">there</a>.</p>': ("//evil.example/x", "'//evil.example/x'"),
    '<h3 id="site-search-q">Find</h3>': ('id="site-search-q"', "id 'site-search-q'"),
    '<a href="/\\evil.example/">back</a>': ("/\\evil.example/", "'/\\evil.example/'"),
    "[a link](//evil.example/y)": ("//evil.example/y", "'//evil.example/y'"),
}


def markup_archive(lines: list[str], name: str) -> dict[str, str]:
    files = url_archive("https://ok.example/", [], yaml_urls=False)
    text = "\n\n".join(lines) if isinstance(lines, dict) else "\n".join(lines)
    files[f"content/claims/{name}.yaml"] = claim_with_analysis(text)
    files[f"content/pages/{name}.md"] = f"---\ntitle: About {name}\n---\n{text}\n"
    return files


def test_markup_in_markdown_keeps_only_footnote_classes_alignment_and_mail_links(tmp_path):
    write_archive(tmp_path, markup_archive(KEPT_MARKUP, "markup"))
    site = build_site(tmp_path / "content", tmp_path / "public")
    assert site_problems(site) == []
    pages = html_pages(site)
    for relpath in ("claims/markup/index.html", "markup/index.html"):
        main = pages[relpath].xpath("//main")[0]
        # Mail autolinks are links to the address (not a garbled target, not an error).
        assert main.xpath(".//a[starts-with(@href, 'mailto:')]/@href") == [
            "mailto:tips@example.org",
            "mailto:desk@example.org",
        ], relpath
        assert "tips@example.org" in visible_text(main)
        # No class but the footnotes' own: an analysis cannot draw a verdict badge.
        classes = {c for value in main.xpath(".//div[text()='False']/@class") for c in value.split()}
        assert classes <= {"footnote"}, (relpath, classes)
        # Alignment: a keyword, as a class (the pages' policy refuses style attributes); nothing else survives.
        assert main.xpath(".//@style") == []
        aligned = main.xpath(".//td/@class | .//th/@class")
        # The tables extension's two columns twice, and the one raw cell with nothing but an alignment.
        assert sorted(aligned) == ["align-center", "align-left", "align-left", "align-right", "align-right"], aligned
        assert "evil.example" not in etree.tostring(main, encoding="unicode")
        # Raw HTML's ids and links follow Markdown's rules: prefixed ids and archive links work.
        assert main.xpath(".//h3/@id") == ["section-method"]
        assert main.xpath(".//a[text()='raw']/@href") == ["/claims/evil/"]


def test_markup_that_could_pass_for_the_layout_or_leave_the_site_is_refused_at_its_line(tmp_path):
    result = write_archive(tmp_path, markup_archive(REFUSED_MARKUP, "refused")).run("build")
    assert result.code == 1, result.err
    assert_positioned_errors_only(result.err)
    # Each refusal at its own line: analysis text from line 10, page text from
    # line 4, a blank line between items; and the column of what is refused.
    expected = []
    for path, first in (("content/claims/refused.yaml", 10), ("content/pages/refused.md", 4)):
        for n, (markup, (needle, named)) in enumerate(REFUSED_MARKUP.items()):
            line = first + 2 * n
            column = markup.index(needle) + (3 if path.endswith(".yaml") else 1)
            expected.append((path, line, named))
            assert f"{path}:{line}:{column}" in result.places, (path, line, column, result.err)
    got = sorted((m["path"], int(m["line"])) for m in map(ERROR_LINE.match, result.errors))
    assert got == sorted((p, line) for p, line, _ in expected), result.err
    for path, line, named in expected:
        [message] = [e for e in result.errors if e.startswith(f"{path}:{line}:")]
        assert named in message, message
        assert "\x02" not in message and "amp\x03" not in message


def test_no_layout_id_takes_a_prefix_markdown_ids_may_use():
    """Markdown's ids (headings, footnotes, raw HTML) all start so; the layout's must not."""
    templates = Path(__file__).resolve().parent.parent / "templates"
    ids = [
        m[1]
        for path in templates.rglob("*.html")
        for m in re.finditer(r'\bid="([^"]*)"', path.read_text(encoding="utf-8"))
    ]
    assert "main" in ids and "site-search-q" in ids
    assert not [i for i in ids if re.match(r"(section-|fn:|fnref\d*:)", i)]


# -- in a real browser -----------------------------------------------------------


def browser_archive() -> dict[str, str]:
    """One claim, person and source per payload, all found by searching 'bridge'."""
    files = url_archive("https://ok.example/", [], yaml_urls=False)
    for n, payload in enumerate(TEXT_PAYLOADS):
        files[f"content/claims/hostile-{n}.yaml"] = f"""\
claim: {yaml_str(payload + " bridge")}
claimant: mallory
date: 2021-01-01
verdict: "false"
summary: {yaml_str("bridge " + payload)}
analysis: {yaml_str(payload + " bridge")}
reviewed: 2021-01-02
"""
    return files


WATCH_FOR_SCRIPT = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def test_search_results_and_pages_run_nothing_hostile_in_chromium(tmp_path, chromium_browser, serve_dir):
    write_archive(tmp_path, browser_archive())
    site = build_site(tmp_path / "content", tmp_path / "public", search=True)
    base = serve_dir(site)
    context = chromium_browser.new_context()
    dialogs = []
    try:
        page = context.new_page()
        page.add_init_script(WATCH_FOR_SCRIPT)
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(base + "search/?q=bridge")
        page.wait_for_selector(".pagefind-ui__result")
        more = page.locator("button.pagefind-ui__button")  # the results come five at a time
        while more.count() and more.is_visible():
            shown = page.locator(".pagefind-ui__result").count()
            more.click()
            expect(page.locator(".pagefind-ui__result")).not_to_have_count(shown)
        assert page.locator(".pagefind-ui__result").count() >= len(TEXT_PAYLOADS)
        injected = page.evaluate("""() => {
            const area = document.querySelector('.pagefind-ui__results-area') || document.body;
            const found = [];
            for (const el of area.querySelectorAll('*')) {
                const tag = el.tagName.toLowerCase();
                if (['script', 'iframe', 'object', 'embed', 'svg', 'math', 'style', 'base', 'form'].includes(tag)) found.push(tag);
                if (tag === 'img' && !el.src.startsWith(location.origin)) found.push('img ' + el.getAttribute('src'));
                for (const attr of el.attributes) {
                    if (attr.name.startsWith('on')) found.push(tag + ' ' + attr.name);
                    if (/^\\s*(javascript|data|vbscript):/i.test(attr.value) && ['href', 'src', 'action'].includes(attr.name)) found.push(tag + ' ' + attr.name + '=' + attr.value);
                }
            }
            return found;
        }""")
        assert injected == []
        assert page.evaluate("window.__violations") == []
        for path in ("claims/hostile-0/", "claims/hostile-3/", "people/mallory/", "claims/"):
            page.goto(base + path)
            page.wait_for_load_state("load")
            assert page.evaluate("window.__violations") == [], path
        assert dialogs == []
    finally:
        context.close()
