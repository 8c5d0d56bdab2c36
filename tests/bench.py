"""Build-time benchmark: generated sites of several sizes, clean and no-change builds.

Run with ``nox -s bench`` (or ``python tests/bench.py --sizes 100 400 --repeat 3``). It prints
the median of each measurement and the time per post, so that growth in the number of posts
shows as a ratio measured in one run (these machines are shared: compare within a run).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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

BODY = """
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


def make_site(root: Path, posts: int) -> None:
    """Write a site of *posts* generated posts into *root*."""
    rng = random.Random(posts)
    (root / "conf.py").write_text(CONF)
    (root / "index.md").write_text(INDEX)
    (root / "guide.md").write_text("# Guide\n\nA page in the navigation.\n")
    categories = ["Machine Learning", "Systems", "Mathematics", "随笔"]
    tags = [f"tag{i}" for i in range(30)]
    for n in range(posts):
        bundle = root / "posts" / f"post-{n:04d}"
        bundle.mkdir(parents=True)
        text = " ".join(rng.choice(WORDS) for _ in range(300))
        front = (
            f"---\ntitle: Post {n}\ndate: {2020 + n % 6}-{1 + n % 12:02d}-{1 + n % 28:02d} 10:00:00+0800\n"
            f"categories: [{categories[n % 4]}]\ntags: [{', '.join(rng.sample(tags, 3))}]\n---\n"
        )
        (bundle / "article.md").write_text(front + BODY.format(n=n, text=text))


def sphinx_build(source: Path, out: Path) -> float:
    """Run sphinx-build once and return the wall time in seconds."""
    command = [sys.executable, "-m", "sphinx", "-b", "dirhtml", "-q", str(source), str(out)]
    start = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - start


def measure(posts: int, repeat: int) -> dict[str, float]:
    """Median clean, no-change and one-post-changed build times for a site of *posts* posts."""
    clean, unchanged, one_changed = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder, "src")
        source.mkdir()
        make_site(source, posts)
        out = Path(folder, "out")
        for _ in range(repeat):
            shutil.rmtree(out, ignore_errors=True)
            clean.append(sphinx_build(source, out))
            unchanged.append(sphinx_build(source, out))
            article = source / "posts" / "post-0000" / "article.md"
            article.write_text(article.read_text() + "\nOne more line.\n")
            one_changed.append(sphinx_build(source, out))
    return {
        "clean": statistics.median(clean),
        "no change": statistics.median(unchanged),
        "one post changed": statistics.median(one_changed),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results = {posts: measure(posts, args.repeat) for posts in args.sizes}
    print(f"median of {args.repeat} run(s), seconds")
    print(f"{'posts':>6} {'clean':>8} {'per post':>9} {'no change':>10} {'one changed':>12}")
    for posts, times in results.items():
        print(
            f"{posts:>6} {times['clean']:>8.2f} {times['clean'] / posts:>9.3f}"
            f" {times['no change']:>10.2f} {times['one post changed']:>12.2f}"
        )
    smallest, largest = min(results), max(results)
    if smallest != largest:
        growth = (results[largest]["clean"] / largest) / (results[smallest]["clean"] / smallest)
        print(f"clean time per post, {largest} posts vs {smallest}: x{growth:.2f} (1.0 = linear)")


if __name__ == "__main__":
    main()
