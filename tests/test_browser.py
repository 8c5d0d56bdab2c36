"""In a real headless Chromium: math is typeset from the site's own files, nothing loads from
elsewhere, and folded callouts open."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest

from conftest import NEEDS_BROWSER, png, post, served

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = NEEDS_BROWSER

MATH = r"""
Inline $e^{i\pi} + 1 = 0$ and $\bm{x}$.

$$
\begin{aligned} a &= b + c \\ d &= e \end{aligned}
$$

$$
\begin{align} x &= 1 \tag{1.1} \\ y &= 2 \notag \end{align}
$$

\begin{equation}
f(x) = \begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases}
\end{equation}

$$
M = \begin{bmatrix} 1 & 0 \\ 0 & 1 \end{bmatrix}
$$ (identity)

> [!tip]- Folded
> Hidden until opened.
"""


MDX = """\
import fig from "./fig.png"

<Image src={fig} alt="A figure" caption="Click to zoom." zoomable />

<HtmlEmbed src="./chart.html" title="Chart" height={400} />
"""


@contextmanager
def opened(chromium, root: str, path: str = "") -> Iterator[tuple[object, list[str]]]:
    """The page at *path* of the site served at *root*, and every address it asked for elsewhere."""
    page = chromium.new_page()
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url) if not request.url.startswith(root) else None)
    page.goto(root + path, wait_until="networkidle")
    try:
        yield page, outside
    finally:
        page.close()


@pytest.fixture
def site(build):
    return build(
        {
            "posts/maths/article.md": post("Maths", date="2025-12-11", body=MATH),
            "posts/summary/article.md": post("Summary with math", date="2025-12-12", body="Loss $L = x^2$.\n"),
            "posts/mdx/article.mdx": post("MDX", date="2025-12-13", body=MDX),
            "posts/mdx/fig.png": png(40, 30),
            "posts/mdx/chart.html": "<!doctype html><body style='margin:0'><div style='height:120px'>chart</div>",
        }
    )


def test_math_is_typeset_by_mathjax_from_the_site(site, chromium):
    with served(site.outdir) as root, opened(chromium, root, "posts/maths/") as (page, outside):
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        page.evaluate("() => MathJax.startup.promise")
        formulas = page.locator("mjx-container")
        assert formulas.count() == 6
        assert page.locator("mjx-merror").count() == 0, "MathJax reported a TeX error"
        text = page.locator("article").inner_text()
        assert "(1.1)" in text
        assert "\\begin" not in text and "$" not in text
        assert outside == []


def test_math_in_a_listing_summary_is_typeset(site, chromium):
    with served(site.outdir) as root, opened(chromium, root) as (page, outside):
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        page.evaluate("() => MathJax.startup.promise")
        assert page.locator(".kb-post-card-summary mjx-container").count() == 3
        assert outside == []


def test_folded_callout_opens_on_click(site, chromium):
    with served(site.outdir) as root, opened(chromium, root, "posts/maths/") as (page, _outside):
        details = page.locator("details.admonition")
        assert not details.evaluate("d => d.open")
        assert not page.get_by_text("Hidden until opened.").is_visible()
        details.locator("summary").click()
        assert page.get_by_text("Hidden until opened.").is_visible()


def test_no_page_loads_anything_from_elsewhere(site, chromium):
    with served(site.outdir) as root:
        for path in ("", "posts/maths/", "blog/", "blog/tag/", "blog/2025/", "search/"):
            with opened(chromium, root, path) as (_page, outside):
                assert outside == [], path


def test_zoomable_figure_opens_full_size(site, chromium):
    with served(site.outdir) as root, opened(chromium, root, "posts/mdx/") as (page, _outside):
        assert page.locator("dialog.kb-zoom").count() == 0
        page.locator("figure.kb-zoomable img").click()
        large = page.wait_for_selector("dialog.kb-zoom[open] img")
        assert large.get_attribute("alt") == "A figure"
        large.click()
        page.wait_for_selector("dialog.kb-zoom", state="detached")


def test_embedded_page_fits_its_content(site, chromium):
    with served(site.outdir) as root, opened(chromium, root, "posts/mdx/") as (page, outside):
        frame = page.locator("figure.kb-embed iframe")
        frame.scroll_into_view_if_needed()
        page.wait_for_function("() => document.querySelector('figure.kb-embed iframe').style.height !== '400px'")
        assert 120 <= frame.bounding_box()["height"] <= 130
        assert page.frame_locator("figure.kb-embed iframe").get_by_text("chart").is_visible()
        assert outside == []
