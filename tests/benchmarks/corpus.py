"""The generated zh/en posts of the benchmarks, and the sites written from them.

Two corpora share one vocabulary (Chinese and English topic words, filler words, categories,
tags), so that :func:`contains` tells for any post which topics it holds:

- :func:`make_search_site` writes the **search corpus**: short posts (a few hundred words),
  exactly as the search benchmark has always generated them. The search benchmark keeps it,
  so its recall and download figures (published in ``docs/guide/search.md``) keep their meaning.
- :func:`build_posts` generates the **build corpus** of issue 11: posts of about 1,500 words,
  every one mixing both languages and half of them mainly Chinese, each with inline and display
  math, a callout, a code block, a table, an image (a small generated PNG beside the article),
  links to three other posts, tags and categories. The topic words appear in its sentences as
  in the search corpus, so a search over it has known answers too.

A :class:`SiteWriter` writes the build corpus as one kind of site: :class:`KbWriter` as a
sphinx-kb site, :class:`FloorWriter` as plain Sphinx + MyST (the floor the build benchmark
compares against), :class:`HugoWriter` as a Hugo site with minimal layouts. The same
:class:`Post` values go to each, so the three sites hold the same text.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
import struct
import zlib
from abc import ABC, abstractmethod
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

# The shared vocabulary ---------------------------------------------------------------------

WORDS = [
    "gradient",
    "descent",
    "converges",
    "linearly",
    "when",
    "the",
    "objective",
    "is",
    "strongly",
    "convex",
    "and",
    "smooth",
]

# Each post is about three Chinese and three English topics, which appear in its sentences,
# so every search query has a known set of posts that contain it.

#: Chinese topic words, written inside sentences with no space around them.
ZH_TOPICS = ["方差", "外推", "显存", "分词", "词表", "缓存", "扩容", "梯度", "论文", "量化", "注意力", "调度"]
ZH_FILLERS = ["我们", "这里", "因此", "然后", "可以", "需要", "发现", "使用", "比较", "结果", "模型", "数据", "实验"]
ZH_PARTICLES = ["的", "了", "和", "在", "是", "", ""]
#: English topics and the forms they are written in.
EN_TOPICS = {
    "balance": ["balance", "balances", "balanced", "balancing"],
    "converge": ["converge", "converges", "converged", "converging", "convergence"],
    "estimate": ["estimate", "estimates", "estimated", "estimating", "estimation"],
    "cache": ["cache", "caches", "cached", "caching"],
    "quantize": ["quantize", "quantized", "quantizing", "quantization"],
    "shard": ["shard", "shards", "sharded", "sharding"],
    "sample": ["sample", "samples", "sampled", "sampling"],
    "normalize": ["normalize", "normalizes", "normalized", "normalizing", "normalization"],
    "compress": ["compress", "compresses", "compressed", "compressing", "compression"],
    "schedule": ["schedule", "schedules", "scheduled", "scheduling"],
}
EN_FILLERS = [
    *(w for w in WORDS if w != "converges"),
    "model",
    "layer",
    "memory",
    "we",
    "with",
    "for",
    "each",
    "batch",
    "token",
    "step",
    "run",
]
CATEGORIES = ["Machine Learning", "Systems", "Mathematics", "随笔"]
TAGS = [f"tag{i:02d}" for i in range(30)]


def _zh_sentence(rng: random.Random, topics: list[str]) -> str:
    words = [rng.choice(topics) if rng.random() < 0.3 else rng.choice(ZH_FILLERS) for _ in range(rng.randint(6, 10))]
    return "".join(word + rng.choice(ZH_PARTICLES) for word in words).rstrip("的了和在是") + "。"


def _en_sentence(rng: random.Random, topics: list[str]) -> str:
    words = [
        rng.choice(EN_TOPICS[rng.choice(topics)]) if rng.random() < 0.2 else rng.choice(EN_FILLERS)
        for _ in range(rng.randint(8, 14))
    ]
    return " ".join(words).capitalize() + "."


def contains(text: str, topic: str) -> bool:
    """Whether *text* holds *topic*: a Chinese word anywhere, an English topic in any of its forms."""
    if topic in EN_TOPICS:
        return any(re.search(rf"\b{form}\b", text, re.IGNORECASE) for form in EN_TOPICS[topic])
    return topic in text


_LATIN_WORD = re.compile(r"[A-Za-z]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def word_count(text: str) -> int:
    """Words in *text*: Latin words, and Chinese counted as one word per two characters (the
    topic and filler words are two or three characters long)."""
    return len(_LATIN_WORD.findall(text)) + len(_HAN.findall(text)) // 2


# The search corpus -------------------------------------------------------------------------

#: The ``conf.py`` of a sphinx-kb site (both corpora): the theme and sidebars of a real site.
CONF = """
project = "Bench"
author = "Bench"
extensions = ["sphinx_kb", "sphinx_design", "sphinx_copybutton"]
html_theme = "furo"
html_baseurl = "https://bench.example.org/"
html_sidebars = {"**": ["sidebar/brand.html", "sidebar/search.html", "sidebar/scroll-start.html",
                        "sidebar/navigation.html", "kb/sidebar/browse.html", "sidebar/scroll-end.html"]}
exclude_patterns = ["_build"]
"""

INDEX = "# Bench\n\n```{posts}\n```\n\n```{toctree}\n:hidden:\n\nguide\n```\n"

SEARCH_BODY = """
## Setting

Let $x \\in \\mathbb{{R}}^n$ and consider the loss $L(x) = \\|Ax - b\\|^2$ for post {n}.

$$
\\begin{{aligned}} \\nabla L &= 2A^T(Ax - b) \\\\ x_{{t+1}} &= x_t - \\eta \\nabla L \\end{{aligned}}
$$

> [!tip] Step size
> Take $\\eta < 1 / \\lambda_{{\\max}}(A^T A)$.

```python
def step(x, grad, lr):
    return x - lr * grad(x)
```

| n | loss |
|---|------|
| 1 | 0.5  |
| 2 | 0.25 |

## Discussion

{text}
"""


def make_search_site(root: Path, posts: int, conf: str = "") -> dict[str, str]:
    """Write the search corpus of *posts* posts as a sphinx-kb site into *root*, with *conf*
    added to its ``conf.py``; return the searchable text (title, description, body) of each
    post, by slug. The same *posts* always gives the same site."""
    rng = random.Random(posts)
    (root / "conf.py").write_text(CONF + conf)
    (root / "index.md").write_text(INDEX)
    (root / "guide.md").write_text("# Guide\n\nA page in the navigation.\n")
    texts = {}
    for n in range(posts):
        slug = f"post-{n:04d}"
        bundle = root / "posts" / slug
        bundle.mkdir(parents=True)
        zh_topics, en_topics = rng.sample(ZH_TOPICS, 3), rng.sample(sorted(EN_TOPICS), 3)
        chinese = n % 2 == 0
        zh = [_zh_sentence(rng, zh_topics) for _ in range(rng.randint(6, 12) if chinese else rng.randint(2, 4))]
        en = [_en_sentence(rng, en_topics) for _ in range(rng.randint(2, 4) if chinese else rng.randint(6, 12))]
        paragraphs = ["".join(zh[i : i + 3]) for i in range(0, len(zh), 3)] + [
            " ".join(en[i : i + 3]) for i in range(0, len(en), 3)
        ]
        rng.shuffle(paragraphs)
        title = f"{zh_topics[0]}笔记 {n}" if chinese else f"Notes on {EN_TOPICS[en_topics[0]][0]} {n}"
        description = f"关于{zh_topics[1]}的笔记" if n % 3 == 0 else ""
        front = (
            f"---\ntitle: {title}\ndate: {2020 + n % 6}-{1 + n % 12:02d}-{1 + n % 28:02d} 10:00:00+0800\n"
            f"categories: [{CATEGORIES[n % 4]}]\ntags: [{', '.join(rng.sample(TAGS, 3))}]\n"
            + (f"description: {description}\n" if description else "")
            + ("lang: zh-CN\n" if chinese else "")
            + "---\n"
        )
        text = "\n\n".join(paragraphs)
        (bundle / "article.md").write_text(front + SEARCH_BODY.format(n=n, text=text), encoding="utf-8")
        texts[slug] = "\n".join((title, description, text))
    return texts


# The build corpus --------------------------------------------------------------------------

#: Words of prose per post; the math, code, table and lists add about a hundred more.
PROSE_WORDS = 1_400
#: Share of the prose paragraphs in a post's main language.
MAIN_LANGUAGE = 0.85
#: Posts each post links to.
LINKS = 3
#: How a link to another post is written in :attr:`Post.body`; each writer turns it into its own.
_LINK = re.compile(r"\]\(@(post-\d{4})\)")

_MATH = """\
Let $x \\in \\mathbb{{R}}^n$ and consider the loss $L(x) = \\|Ax - b\\|^2$ for post {n}, with step
size $\\eta > 0$ and $\\lambda_{{\\max}}$ the largest eigenvalue of $A^T A$.

$$
\\begin{{aligned}} \\nabla L &= 2A^T(Ax - b) \\\\ x_{{t+1}} &= x_t - \\eta \\nabla L \\end{{aligned}}
$$

$$
\\|x_t - x^\\star\\| \\le \\left(1 - \\frac{{\\mu}}{{L}}\\right)^t \\|x_0 - x^\\star\\|
$$
"""

_CALLOUT = """\
> [!tip] Step size
> Take $\\eta < 1 / \\lambda_{{\\max}}(A^T A)$ for post {n}.
"""

_CODE = """\
```python
def step(x, grad, lr):
    \"\"\"One step of gradient descent for post {n}.\"\"\"
    return x - lr * grad(x)


def run(x, grad, lr=0.1, steps=100):
    for _ in range(steps):
        x = step(x, grad, lr)
    return x
```
"""

_TABLE = """\
| step | loss | 方差 |
|------|------|------|
| 1 | {a:.3f} | {b:.3f} |
| 10 | {c:.3f} | {d:.3f} |
| 100 | {e:.3f} | {f:.3f} |
"""


@dataclass(frozen=True)
class Post:
    """One post of the build corpus, independent of the kind of site it is written to."""

    slug: str
    title: str
    date: dt.datetime
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    #: Mainly Chinese (``lang: zh-CN``), else mainly English.
    chinese: bool
    description: str
    #: Markdown; a link to another post is written ``[text](@post-0001)``.
    body: str
    #: The PNG written beside the article as ``figure.png``.
    image: bytes

    def with_body_edit(self, mark: str) -> Post:
        """This post with one more paragraph at the end of its body (the summary stays as it was)."""
        return replace(self, body=f"{self.body}\nOne more paragraph, written for the body edit {mark}.\n")

    def with_tag_edit(self) -> Post:
        """This post with its first tag replaced by one of the site's tags it did not have."""
        other = next(tag for tag in TAGS if tag not in self.tags)
        return replace(self, tags=(other, *self.tags[1:]))


def png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    """A small valid PNG image of one colour fading to white."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = []
    for y in range(height):
        fade = y / max(height - 1, 1)
        pixel = bytes(int(c + (255 - c) * fade) for c in colour)
        rows.append(b"\x00" + pixel * width)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


def _paragraphs(rng: random.Random, chinese: bool, zh_topics: list[str], en_topics: list[str]) -> list[str]:
    """Paragraphs of 3 to 5 sentences, together about :data:`PROSE_WORDS` words, most of them in
    the post's main language."""
    paragraphs: list[str] = []
    words = 0
    while words < PROSE_WORDS:
        in_chinese = (rng.random() < MAIN_LANGUAGE) == chinese
        count = rng.randint(3, 5)
        if in_chinese:
            paragraph = "".join(_zh_sentence(rng, zh_topics) for _ in range(count))
        else:
            paragraph = " ".join(_en_sentence(rng, en_topics) for _ in range(count))
        paragraphs.append(paragraph)
        words += word_count(paragraph)
    return paragraphs


def make_post(n: int, others: list[int], rng: random.Random) -> Post:
    """Post number *n* of the build corpus, linking to :data:`LINKS` of the posts numbered *others*."""
    zh_topics, en_topics = rng.sample(ZH_TOPICS, 3), rng.sample(sorted(EN_TOPICS), 3)
    chinese = n % 2 == 0
    prose = _paragraphs(rng, chinese, zh_topics, en_topics)
    # Five places for prose: the introduction and after each heading.
    cut = [round(i * len(prose) / 5) for i in range(6)]
    part = ["\n\n".join(prose[cut[i] : cut[i + 1]]) for i in range(5)]
    targets = rng.sample([m for m in others if m != n], min(LINKS, len(others) - (n in others)))
    note = "笔记" if chinese else "note"
    links = ", ".join(f"[{note} {m}](@post-{m:04d})" for m in targets)
    losses = sorted((rng.random() for _ in range(6)), reverse=True)
    headings = ["设定", "方法", "结果", "相关笔记"] if chinese else ["Setting", "Method", "Results", "Related notes"]
    body = "\n".join(
        [
            part[0],
            f"\n## {headings[0]}\n",
            _MATH.format(n=n),
            part[1],
            "",
            _CALLOUT.format(n=n),
            f"## {headings[1]}\n",
            _CODE.format(n=n),
            part[2],
            f"\n## {headings[2]}\n",
            _TABLE.format(a=losses[0], b=losses[1], c=losses[2], d=losses[3], e=losses[4], f=losses[5]),
            f"![{'图' if chinese else 'Figure'} {n}](figure.png)\n",
            part[3],
            f"\n## {headings[3]}\n",
            f"{'另见' if chinese else 'See also'} {links}.\n" if links else "",
            part[4],
            "",
        ]
    )
    title = f"{zh_topics[0]}笔记 {n}" if chinese else f"Notes on {EN_TOPICS[en_topics[0]][0]} {n}"
    return Post(
        slug=f"post-{n:04d}",
        title=title,
        date=dt.datetime(2020 + n % 6, 1 + n % 12, 1 + n % 28, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        categories=(CATEGORIES[n % 4],),
        tags=tuple(rng.sample(TAGS, 3)),
        chinese=chinese,
        description=f"关于{zh_topics[1]}的笔记" if n % 3 == 0 else "",
        body=body,
        image=png(48, 32, (rng.randrange(256), rng.randrange(256), rng.randrange(256))),
    )


def build_posts(count: int) -> list[Post]:
    """The build corpus of *count* posts; the same *count* always gives the same posts."""
    rng = random.Random(f"build-{count}")
    return [make_post(n, list(range(count)), rng) for n in range(count)]


def extra_post(count: int) -> Post:
    """The post the "new post" scenario adds to the corpus of *count* posts (numbered *count*)."""
    return make_post(count, list(range(count)), random.Random(f"new-{count}"))


def searchable_text(post: Post) -> str:
    """The text of *post* a search finds it by (title, description, body), for :func:`contains`."""
    return "\n".join((post.title, post.description, post.body))


# Sites -------------------------------------------------------------------------------------


class SiteWriter(ABC):
    """Writes the posts of the build corpus as one kind of site, and edits them in place."""

    #: The name of the article file inside a post's folder.
    article: ClassVar[str] = "article.md"

    @abstractmethod
    def write_frame(self, root: Path) -> None:
        """Write what the site holds besides its posts (configuration, home page, layouts)."""

    @abstractmethod
    def bundle(self, root: Path, slug: str) -> Path:
        """The folder of the post *slug* in the site at *root*."""

    @abstractmethod
    def link(self, slug: str) -> str:
        """The target of a link from one post to the post *slug*."""

    @abstractmethod
    def front_matter(self, post: Post) -> str:
        """The YAML front matter of *post*, its ``---`` lines included."""

    def render(self, post: Post) -> str:
        """The article file of *post*."""
        body = _LINK.sub(lambda match: f"]({self.link(match[1])})", post.body)
        return self.front_matter(post) + "\n" + body

    def write_site(self, root: Path, posts: list[Post]) -> None:
        """Write a whole site of *posts* into *root*."""
        root.mkdir(parents=True, exist_ok=True)
        self.write_frame(root)
        for post in posts:
            self.write_post(root, post)

    def write_post(self, root: Path, post: Post) -> None:
        """Write (or overwrite) the folder of *post*: its article and its image."""
        folder = self.bundle(root, post.slug)
        folder.mkdir(parents=True, exist_ok=True)
        article = folder / self.article
        text = self.render(post)
        if not article.exists() or article.read_text(encoding="utf-8") != text:
            article.write_text(text, encoding="utf-8")
        image = folder / "figure.png"
        if not image.exists() or image.read_bytes() != post.image:
            image.write_bytes(post.image)

    def remove_post(self, root: Path, slug: str) -> None:
        """Delete the folder of the post *slug*."""
        shutil.rmtree(self.bundle(root, slug))


def _sphinx_front_matter(post: Post) -> str:
    """Front matter as sphinx-kb reads it (Hugo's spelling), also read by MyST in the floor."""
    lines = [
        f"title: {json.dumps(post.title, ensure_ascii=False)}",
        f"date: {post.date.isoformat()}",
        f"categories: {json.dumps(list(post.categories), ensure_ascii=False)}",
        f"tags: {json.dumps(list(post.tags))}",
    ]
    if post.description:
        lines.append(f"description: {json.dumps(post.description, ensure_ascii=False)}")
    if post.chinese:
        lines.append("lang: zh-CN")
    return "---\n" + "\n".join(lines) + "\n---\n"


class KbWriter(SiteWriter):
    """A sphinx-kb site: ``posts/<slug>/article.md`` bundles, the home page lists every post."""

    def write_frame(self, root: Path) -> None:
        (root / "conf.py").write_text(CONF)
        (root / "index.md").write_text(INDEX)
        (root / "guide.md").write_text("# Guide\n\nA page in the navigation.\n")

    def bundle(self, root: Path, slug: str) -> Path:
        return root / "posts" / slug

    def link(self, slug: str) -> str:
        return f"../{slug}/article.md"

    def front_matter(self, post: Post) -> str:
        return _sphinx_front_matter(post)


#: The floor: plain Sphinx and MyST, the basic theme, math parsed, the title taken from the front matter.
FLOOR_CONF = """
project = "Bench"
author = "Bench"
extensions = ["myst_parser"]
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_title_to_header = True
html_theme = "basic"
exclude_patterns = ["_build"]
"""

FLOOR_INDEX = "# Bench\n\n```{toctree}\n:glob:\n:maxdepth: 1\n\nguide\nposts/*/article\n```\n"


class FloorWriter(KbWriter):
    """The same bundles as a plain Sphinx + MyST site: no blog, an index with a glob toctree.
    The front matter is the same; MyST reads it and makes the title the page's heading."""

    def write_frame(self, root: Path) -> None:
        (root / "conf.py").write_text(FLOOR_CONF)
        (root / "index.md").write_text(FLOOR_INDEX)
        (root / "guide.md").write_text("# Guide\n\nA page in the navigation.\n")


HUGO_CONFIG = """\
baseURL = "https://bench.example.org/"
title = "Bench"
languageCode = "en"
hasCJKLanguage = true
disableKinds = []

[markup.tableOfContents]
startLevel = 2
endLevel = 3

[related]
includeNewer = true
threshold = 1
toLower = true
[[related.indices]]
name = "tags"
weight = 100
[[related.indices]]
name = "categories"
weight = 20

[taxonomies]
tag = "tags"
category = "categories"
"""

#: Layouts that show what the sphinx-kb site shows, so that Hugo does comparable work: every
#: page has the sidebar of categories with their counts; a post has its header (date, updated,
#: categories, tags, reading time), its table of contents, its related posts (Hugo's own
#: ``Related``, on tags) and its neighbours; the home page and each term page list their posts
#: with category, date, summary, tags and reading time. The RSS feeds (home, sections, terms) and
#: the sitemap come from Hugo's built-in templates. Not matched: backlinks (Hugo has none) and a
#: search index (a Hugo site runs Pagefind after Hugo).
HUGO_LAYOUTS = {
    "_default/baseof.html": """\
<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<title>{{ .Title }} | {{ .Site.Title }}</title>
<meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ .Summary | plainify }}{{ end }}">
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
</head>
<body>
<nav><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a> <a href="{{ "/tags/" | relURL }}">Tags</a>
<a href="{{ "/categories/" | relURL }}">Categories</a></nav>
<aside><ul>{{ range .Site.Taxonomies.categories.ByCount }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul></aside>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "partials/card.html": """\
<li>{{ range first 1 (.GetTerms "categories") }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}
<a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time>
<span>{{ .ReadingTime }} min</span>
<p>{{ with .Description }}{{ . }}{{ else }}{{ .Summary }}{{ end }}</p>
{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">#{{ .LinkTitle }}</a> {{ end }}</li>
""",
    "_default/single.html": """\
{{ define "main" }}<article data-pagefind-body>
<h1>{{ .Title }}</h1>
<p><time>{{ .Date.Format "2006-01-02" }}</time>
{{ if ne .Lastmod .Date }}<time>{{ .Lastmod.Format "2006-01-02" }}</time>{{ end }}
{{ range .GetTerms "categories" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}
{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">#{{ .LinkTitle }}</a> {{ end }}
<span>{{ .ReadingTime }} min</span></p>
<nav>{{ .TableOfContents }}</nav>
{{ .Content }}
{{ with .Site.RegularPages.Related . | first 5 }}<h2>Related posts</h2>
<ul>{{ range . }}{{ partial "card.html" . }}{{ end }}</ul>{{ end }}
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
</article>{{ end }}
""",
    "_default/list.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range (cond .IsHome .Site.RegularPages .Pages) }}{{ partial "card.html" . }}{{ end }}
</ul>{{ end }}
""",
    "_default/terms.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}
</ul>{{ end }}
""",
}


class HugoWriter(SiteWriter):
    """The same posts as a Hugo site: page bundles ``content/posts/<slug>/index.md`` with their
    image, and the layouts of :data:`HUGO_LAYOUTS`. Hugo renders the math as text (it has no
    math renderer; a site would add one in the browser)."""

    article: ClassVar[str] = "index.md"

    def write_frame(self, root: Path) -> None:
        (root / "config.toml").write_text(HUGO_CONFIG)
        for name, text in HUGO_LAYOUTS.items():
            path = root / "layouts" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        (root / "content").mkdir(exist_ok=True)
        (root / "content" / "guide.md").write_text("---\ntitle: Guide\n---\n\nA page in the navigation.\n")

    def bundle(self, root: Path, slug: str) -> Path:
        return root / "content" / "posts" / slug

    def link(self, slug: str) -> str:
        return f"../{slug}/"

    def front_matter(self, post: Post) -> str:
        front = _sphinx_front_matter(post)
        return front.replace("lang: zh-CN\n", "") if post.chinese else front
