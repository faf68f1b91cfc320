"""The test toolchain itself works: serving, chromium, axe-core and the Nu checker.

Each tool is shown both to pass a good page and to fail a bad one, so a tool
that silently reports nothing cannot pass these tests.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest
from tools import axe_violations, vnu_errors

GOOD_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Good page</title></head>
<body>
<main>
<h1>Hello</h1>
<p>A small page with <a href="sub/">a link</a>.</p>
</main>
</body>
</html>
"""

# Same page with an image lacking alt: both axe (image-alt) and the Nu checker object.
IMAGE_WITHOUT_ALT = GOOD_PAGE.replace("</h1>", '</h1>\n<img src="photo.png">')

# A stray end tag: a parse error for the Nu checker.
BAD_MARKUP = GOOD_PAGE.replace("</main>", "</span></main>")


def write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def fetch(url):
    """(status, final URL, body) without raising on an HTTP error."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.url, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, url, ""


def test_chromium_opens_a_served_page(tmp_path, serve_dir, page):
    write(tmp_path, "index.html", GOOD_PAGE)
    base = serve_dir(tmp_path)
    page.goto(base)
    assert page.title() == "Good page"
    assert page.locator("h1").inner_text() == "Hello"


def test_axe_passes_an_accessible_page(tmp_path, serve_dir, page):
    write(tmp_path, "index.html", GOOD_PAGE)
    page.goto(serve_dir(tmp_path))
    assert axe_violations(page) == []


def test_axe_reports_an_image_without_alt(tmp_path, serve_dir, page):
    write(tmp_path, "index.html", IMAGE_WITHOUT_ALT)
    page.goto(serve_dir(tmp_path))
    violations = {v[0]: v for v in axe_violations(page)}
    assert "image-alt" in violations
    rule_id, impact, nodes, help_text = violations["image-alt"]
    assert (impact, nodes) == ("critical", 1)
    assert "alternative text" in help_text


def test_axe_runs_despite_a_strict_content_security_policy(tmp_path, serve_dir, page):
    csp = """<meta http-equiv="Content-Security-Policy" content="default-src 'self'">"""
    write(tmp_path, "index.html", IMAGE_WITHOUT_ALT.replace("<head>", "<head>" + csp))
    page.goto(serve_dir(tmp_path))
    assert "image-alt" in {v[0] for v in axe_violations(page)}


def test_vnu_passes_a_valid_page(tmp_path):
    assert vnu_errors(write(tmp_path, "good.html", GOOD_PAGE)) == []


def test_vnu_reports_invalid_pages_in_a_folder(tmp_path):
    write(tmp_path, "good.html", GOOD_PAGE)
    write(tmp_path, "deep/no-alt.html", IMAGE_WITHOUT_ALT)
    write(tmp_path, "bad.html", BAD_MARKUP)
    # Not HTML: vnu would parse it as HTML and report errors unless skipped.
    write(tmp_path, "style.css", "body { color: red }")
    errors = vnu_errors(tmp_path)
    files = {re.match(r'"file:(.*?)":', line)[1] for line in errors}
    assert files == {str(tmp_path / "deep/no-alt.html"), str(tmp_path / "bad.html")}, errors
    assert all(": error: " in line for line in errors), errors
    assert any("alt" in line for line in errors if "no-alt.html" in line)
    assert any("Stray end tag" in line for line in errors if "bad.html" in line)


def test_vnu_refuses_paths_that_would_check_nothing(tmp_path):
    # vnu itself exits 0 for these, which would pass a wrong path as valid.
    with pytest.raises(FileNotFoundError):
        vnu_errors(tmp_path / "nowhere.html")
    write(tmp_path, "style.css", "body { color: red }")
    with pytest.raises(FileNotFoundError):
        vnu_errors(tmp_path)


def test_serving_under_a_prefix(tmp_path, serve_dir, page):
    write(tmp_path, "index.html", GOOD_PAGE)
    write(tmp_path, "sub/index.html", GOOD_PAGE.replace("Good page", "Sub page"))
    base = serve_dir(tmp_path, "/archive/")
    assert base.endswith("/archive/")
    root = base.removesuffix("archive/")

    assert fetch(base)[0] == 200
    assert fetch(base + "sub/index.html")[0] == 200
    # Directory redirects keep the prefix, as a real host serving a base path would.
    assert fetch(base.rstrip("/"))[:2] == (200, base)
    assert fetch(base + "sub")[:2] == (200, base + "sub/")
    # Nothing is served outside the prefix, so a link that forgets it fails.
    assert fetch(root + "index.html")[0] == 404
    assert fetch(root + "sub/")[0] == 404

    page.goto(base)
    page.click("text=a link")
    page.wait_for_url(base + "sub/")
    assert page.title() == "Sub page"
