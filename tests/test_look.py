"""What a reader sees on a phone, on paper and in dark mode, in a real headless Chromium: wide
maths and tables scroll in their own box with a shadow at the edge, equation numbers and tags stay
clear of their formula, embeds fit the width; printing leaves out the navigation and opens what
is folded; images keep a light backdrop in dark mode unless the author gave a dark variant.

Screenshots of each page at 390 px are saved under the test's tmp folder (``shots/``)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest

from conftest import NEEDS_BROWSER, png, post, served

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = NEEDS_BROWSER

PHONE = {"width": 390, "height": 844}

WIDE = r"""
Some text before.

$$
\mathcal{L}(\theta) = -\frac{1}{N}\sum_{i=1}^{N}\left[y_i \log \sigma(\theta^\top x_i)
+ (1-y_i)\log\left(1-\sigma(\theta^\top x_i)\right)\right] + \lambda \lVert \theta \rVert_2^2
$$ (loss)

\begin{equation}
a = b + c
\end{equation}

$$
\begin{align}
f_i &= \frac{1}{T} \sum_{x \in \mathcal{B}} \mathbb{1}\{\operatorname{argmax}_j p_j(x) = i\}
  + \frac{1}{T} \sum_{x \in \mathcal{B}} p_i(x) \tag{1.1} \\
P_i &= \frac{1}{T} \sum_{x \in \mathcal{B}} p_i(x) \tag{1.2}
\end{align}
$$

$$
E = mc^2 \tag{A}
$$

| Column one | Column two | Column three | Column four | Column five | Column six | Column seven |
| --- | --- | --- | --- | --- | --- | --- |
| a fairly long cell | another long cell | yet another one | and one more | still going | nearly there | done at last |

:::{html-embed} chart.html
:title: A chart
:::
"""

PRINTED = """
Read [the paper](https://example.org/paper), the address <https://example.org/bare> and
[the section below](#later).

:::{dropdown} Proof sketch
Hidden proof body.
:::

> [!tip]- Folded
> Hidden until opened.

::::{tab-set}
:::{tab-item} PyTorch
Torch panel text.
:::
:::{tab-item} JAX
Jax panel text.
:::
::::

```python
x = some_function_with_a_very_long_name(argument_one, argument_two, argument_three, argument_four, argument_five)
```

(later)=
## Later

The end.
"""

IMAGES = """
![A diagram](diagram.png)

![Light plot](plot.png){.only-light}
![Dark plot](plot-dark.png){.only-dark}

![A photo](photo.png){.kb-no-backdrop}

```{figure} plot-dark.png
:figclass: only-dark
:alt: Dark figure

A figure for dark pages.
```
"""


@pytest.fixture
def site(build):
    return build(
        {
            "posts/wide/article.md": post("Wide things", date="2025-12-11", body=WIDE),
            "posts/wide/chart.html": "<!doctype html><body style='margin:0'><div style='height:80px'>chart</div>",
            "posts/printed/article.md": post("Printed", date="2025-12-12", body=PRINTED),
            "posts/images/article.md": post("Images", date="2025-12-13", body=IMAGES),
            "posts/images/diagram.png": png(40, 30),
            "posts/images/plot.png": png(40, 30),
            "posts/images/plot-dark.png": png(40, 30),
            "posts/images/photo.png": png(40, 30),
        }
    )


@contextmanager
def phone(chromium, root: str, path: str, scheme: str = "light", media: str = "screen") -> Iterator[object]:
    """The page at *path* in a 390 px wide viewport, with its maths typeset."""
    context = chromium.new_context(viewport=PHONE, color_scheme=scheme)
    page = context.new_page()
    page.emulate_media(media=media)
    page.goto(root + path, wait_until="networkidle")
    # MathJax is loaded (deferred, before "networkidle") on pages with maths only.
    page.evaluate("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    try:
        yield page
    finally:
        context.close()


def box(locator) -> dict[str, float]:
    """The element's box in page coordinates."""
    return locator.evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; }"
    )


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def shot(page, tmp_path: Path, name: str) -> None:
    folder = tmp_path / "shots"
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_wide_maths_scroll_in_their_box_with_a_cue(site, chromium, tmp_path, scheme):
    with served(site.outdir) as root, phone(chromium, root, "posts/wide/", scheme) as page:
        shot(page, tmp_path, f"wide-{scheme}")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page itself scrolls"
        displays = page.locator("article mjx-container[display='true']")
        assert displays.count() == 4
        for index in (0, 2):  # the long loss and the wide tagged align
            display = displays.nth(index)
            style = display.evaluate(
                "e => ({sw: e.scrollWidth, cw: e.clientWidth, overflow: getComputedStyle(e).overflowX,"
                " background: getComputedStyle(e).backgroundImage})"
            )
            assert style["sw"] > style["cw"], index
            assert style["overflow"] == "auto"
            assert style["background"].count("gradient") == 4, "no scroll shadow"
            assert box(display)["right"] <= PHONE["width"]
        short = displays.nth(1).evaluate("e => e.scrollWidth <= e.clientWidth")
        assert short, "a short formula should not scroll"


def test_wide_table_scrolls_in_its_box(site, chromium, tmp_path):
    with served(site.outdir) as root, phone(chromium, root, "posts/wide/") as page:
        wrapper = page.locator("article .table-wrapper")
        style = wrapper.evaluate(
            "e => ({sw: e.scrollWidth, cw: e.clientWidth, overflow: getComputedStyle(e).overflowX,"
            " background: getComputedStyle(e).backgroundImage})"
        )
        assert style["sw"] > style["cw"] and style["overflow"] == "auto"
        assert style["background"].count("gradient") == 4
        assert box(wrapper)["right"] <= PHONE["width"]


def test_equation_numbers_stay_in_view_beside_their_formula(site, chromium, tmp_path):
    with served(site.outdir) as root, phone(chromium, root, "posts/wide/") as page:
        for display_id in ("equation-loss", "equation-posts-wide-2"):
            math = page.locator(f"div.math#{display_id}")
            number, formula = math.locator("span.eqno"), math.locator("mjx-container")
            assert number.is_visible()
            number_box, formula_box = box(number), box(formula)
            assert number_box["left"] >= 0 and number_box["right"] <= PHONE["width"], display_id
            assert not overlap(number_box, formula_box), display_id
            # The formula's own ink, scrolled or not, never reaches under the number.
            ink = box(formula.locator("mjx-math"))
            assert formula_box["right"] <= number_box["left"] or ink["right"] <= number_box["left"]


def test_tags_sit_beside_their_formula_inside_the_scrolling_box(site, chromium, tmp_path):
    with served(site.outdir) as root, phone(chromium, root, "posts/wide/") as page:
        displays = page.locator("article mjx-container[display='true']")
        wide, short = displays.nth(2), displays.nth(3)
        # The short one: its tag is on screen, right of the formula.
        tag, formula = box(short.locator("mjx-labels mjx-mtd")), box(short.locator("mjx-table"))
        assert tag["left"] >= 0 and tag["right"] <= PHONE["width"]
        assert not overlap(tag, formula)
        # The wide one: its tags are reached by scrolling its box to the end, clear of the formula.
        wide.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
        container = box(wide)
        formula = box(wide.locator("mjx-table"))
        labels = wide.locator("mjx-labels mjx-mtd")
        assert labels.count() == 2
        for index in range(2):
            tag = box(labels.nth(index))
            assert container["left"] <= tag["left"] and tag["right"] <= container["right"] + 1
            assert not overlap(tag, formula)
        shot(page, tmp_path, "wide-scrolled")


def test_embed_fits_the_width(site, chromium, tmp_path):
    with served(site.outdir) as root, phone(chromium, root, "posts/wide/") as page:
        frame = page.locator("figure.kb-embed iframe")
        frame.scroll_into_view_if_needed()
        frame_box = box(frame)
        assert frame_box["right"] <= PHONE["width"] - 16, frame_box
        figure = page.locator("figure.kb-embed")
        assert figure.evaluate("e => e.scrollWidth <= e.clientWidth")


def test_a_post_prints_without_navigation_and_with_everything_open(site, chromium, tmp_path):
    with served(site.outdir) as root, phone(chromium, root, "posts/printed/", media="print") as page:
        shot(page, tmp_path, "printed")
        for selector in (
            ".skip-to-content",
            ".mobile-header",
            ".sidebar-drawer",
            ".toc-drawer",
            ".back-to-top",
            ".theme-toggle-container",
            "#searchbox",
        ):
            hidden = page.locator(selector).evaluate_all("all => all.every(e => e.getClientRects().length === 0)")
            assert hidden, selector
        text = page.locator("article").inner_text()
        assert "Skip to content" not in page.locator("body").inner_text()
        for hidden in ("Hidden proof body.", "Hidden until opened.", "Torch panel text.", "Jax panel text."):
            assert page.get_by_text(hidden).is_visible(), hidden
        # Each tab's label is printed above its own panel.
        labels = page.locator(".sd-tab-set > label")
        panels = page.locator(".sd-tab-set > .sd-tab-content")
        for index in range(2):
            assert labels.nth(index).is_visible()
            assert box(labels.nth(index))["bottom"] <= box(panels.nth(index))["top"] + 1
        assert box(panels.nth(0))["bottom"] <= box(labels.nth(1))["top"] + 1
        # External links show their address; a bare address and an in-page link do not repeat it.
        after = "e => getComputedStyle(e, '::after').content"
        assert page.get_by_role("link", name="the paper").evaluate(after) == '" <https://example.org/paper>"'
        assert page.get_by_role("link", name="https://example.org/bare").evaluate(after) == "none"
        assert page.get_by_role("link", name="the section below").evaluate(after) == "none"
        assert "Later" in text
        # The long line of code wraps instead of being cut.
        code = page.locator("div.highlight pre")
        assert code.evaluate("e => e.scrollWidth <= e.clientWidth")
        assert code.evaluate("e => getComputedStyle(e).whiteSpace") == "pre-wrap"


def test_a_post_prints_open_on_screen_until_printed(site, chromium):
    """On a screen the dropdowns stay folded; the print rules apply to paper only."""
    with served(site.outdir) as root, phone(chromium, root, "posts/printed/") as page:
        assert not page.get_by_text("Hidden proof body.").is_visible()
        assert not page.get_by_text("Jax panel text.").is_visible()
        assert "<https://example.org/paper>" not in page.locator("article").inner_text()
        assert page.locator(".mobile-header").is_visible()


def backdrop(page, alt: str) -> str:
    return page.locator(f"img[alt='{alt}']").evaluate("e => getComputedStyle(e).backgroundColor")


WHITE = "rgb(255, 255, 255)"
NONE = "rgba(0, 0, 0, 0)"


@pytest.mark.parametrize("how", ["prefers-color-scheme", "data-theme"])
def test_dark_mode_gives_images_a_light_backdrop_or_their_dark_variant(site, chromium, tmp_path, how):
    scheme = "dark" if how == "prefers-color-scheme" else "light"
    with served(site.outdir) as root, phone(chromium, root, "posts/images/", scheme) as page:
        if how == "data-theme":
            page.evaluate("document.body.dataset.theme = 'dark'")
        shot(page, tmp_path, f"images-dark-{how}")
        assert backdrop(page, "A diagram") == WHITE
        assert not page.locator("img[alt='Light plot']").is_visible()
        assert page.locator("img[alt='Dark plot']").is_visible()
        assert backdrop(page, "Dark plot") == NONE
        assert backdrop(page, "A photo") == NONE
        assert page.get_by_text("A figure for dark pages.").is_visible()
        assert backdrop(page, "Dark figure") == NONE


def test_light_mode_leaves_images_alone(site, chromium):
    with served(site.outdir) as root, phone(chromium, root, "posts/images/", "light") as page:
        assert backdrop(page, "A diagram") == NONE
        assert page.locator("img[alt='Light plot']").is_visible()
        assert not page.locator("img[alt='Dark plot']").is_visible()
        assert not page.get_by_text("A figure for dark pages.").is_visible()
    with served(site.outdir) as root, phone(chromium, root, "posts/images/", "dark") as page:
        page.evaluate("document.body.dataset.theme = 'light'")
        assert backdrop(page, "A diagram") == NONE
