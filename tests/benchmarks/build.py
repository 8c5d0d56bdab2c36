"""The build benchmark of issue 11: build scenarios on the build corpus, against a floor and Hugo.

For each size of ``--sizes`` the build corpus (:func:`benchmarks.corpus.build_posts`: posts of
about 1,500 words, zh/en, math, code, a table, an image, links, a callout, tags, categories) is
written once for each system and built by it:

- **sphinx-kb**: the site as an author has it (``dirhtml``, furo, sphinx-kb with its defaults,
  Pagefind search included);
- **floor**: plain Sphinx + MyST on the same bundles (``html`` builder, ``basic`` theme, math
  parsed by dollarmath/amsmath, the title from the front matter, a glob toctree, no blog and
  Sphinx's own search index): what any Sphinx site of these posts costs;
- **Hugo** (when ``hugo`` is on PATH): the same posts as a Hugo site with layouts that show what
  sphinx-kb's pages show (:data:`benchmarks.corpus.HUGO_LAYOUTS`), built with ``hugo --quiet``.
  Hugo always builds the whole site, so each of its rows is a whole build after the same change;
- **Hugo + Pagefind**: the same Hugo build followed by Pagefind with sphinx-kb's options over
  its output, as a Hugo site with search runs it: the comparison that includes the search
  index, given as context beside the targets (which are set against Hugo alone).

The scenarios, in this order on each site: a clean build (serial), a clean build with ``-j
auto`` (N = the number of processors Sphinx sees; Hugo runs the same command, it is always
parallel), and after it a rebuild with nothing changed, an edit of one post's body (a paragraph
added at its end), a tag edit (one post's first tag replaced), a new post, and that new post
deleted again. After each round the edited posts are written back, so every round starts from
the same corpus. When N is not 2, a clean build with ``-j 2`` is added (the target of issue 11
is about ``-j 2``).

The measurements of each build (:mod:`benchmarks.measure` runs it in a wrapper process):

- **wall** and **CPU** seconds (user + system of the build and all its child processes);
- **peak memory**: the largest resident set of one process of the build (MiB); with ``-j``,
  the largest of the parent and its forked workers, not their sum;
- **documents read**: what Sphinx says it read (its line ``updating environment: A added,
  C changed, R removed``: A + C; in a serial build the ``reading sources...`` lines, one per
  document, when they count more); Hugo says nothing of it (``-``);
- **files written**: files of the output folder that are new or whose modification time
  changed in the build; Sphinx's pickled doctrees (``.doctrees/``) are not output and are not
  counted. Files the build removed are counted apart (``files_removed`` in the JSON).

Builds take turns: round after round, size after size, scenario after scenario, each system
in turn, so a busy minute on a shared machine slows all systems alike. Each figure is the
median of the rounds, and each sphinx-kb figure is also given as a ratio to the floor's and
Hugo's figure for the same scenario. The targets of issue 11 (item 2) are printed with
met / MISSED; everything is also written as JSON.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sphinx_kb.output import search as kb_search

from .corpus import FloorWriter, HugoWriter, KbWriter, Post, SiteWriter, build_posts, extra_post

#: The wrapper that measures one build.
MEASURE = Path(__file__).with_name("measure.py")
#: Sizes at which issue 11 sets its targets.
TARGET_SIZE, MEMORY_SIZE = 500, 1000
#: Peak memory must stay below this at :data:`MEMORY_SIZE` posts (1 GB, as MiB).
MEMORY_LIMIT_MIB = 1024
#: Clean builds count as linear in posts when the time per added post between the two largest
#: sizes is at most this many times the time per added post between the two smallest.
LINEAR_LIMIT = 1.25


@dataclass(frozen=True)
class System:
    """One way of building the corpus."""

    key: str
    label: str
    writer: SiteWriter
    #: The Sphinx builder; ``None`` for Hugo.
    builder: str | None
    #: The Hugo executable, for Hugo.
    hugo: str | None = None
    #: Pagefind's executable, to index Hugo's output after each build (as a Hugo site with search
    #: does), with the same options as sphinx-kb's index.
    pagefind: str | None = None

    def command(self, source: Path, out: Path, jobs: str | None) -> list[str]:
        """The command that builds *source* into *out*, with ``-j jobs`` for Sphinx."""
        if self.builder is None:
            hugo = [self.hugo or "hugo", "--quiet", "--source", str(source), "--destination", str(out)]
            if self.pagefind is None:
                return hugo
            index = [
                self.pagefind,
                "--site",
                str(out),
                "--output-subdir",
                kb_search.INDEX_FOLDER,
                "--force-language",
                kb_search.INDEX_LANGUAGE,
            ]
            return ["sh", "-c", f"{shlex.join(hugo)} && {shlex.join(index)} --silent"]
        parallel = ["-j", jobs] if jobs else []
        return [sys.executable, "-m", "sphinx", "-b", self.builder, *parallel, str(source), str(out)]

    def clean(self, source: Path, out: Path) -> None:
        """Remove all a previous build left (the output; Sphinx keeps its doctrees in it)."""
        shutil.rmtree(out, ignore_errors=True)
        if self.builder is None:
            shutil.rmtree(source / "resources", ignore_errors=True)


def systems(names: list[str]) -> list[System]:
    """The systems of *names* (``kb``, ``floor``, ``hugo``); Hugo only when it is on PATH."""
    hugo = shutil.which("hugo")
    known = {
        "kb": System("kb", "sphinx-kb", KbWriter(), "dirhtml"),
        "floor": System("floor", "Sphinx + MyST (floor)", FloorWriter(), "html"),
        "hugo": System("hugo", "Hugo", HugoWriter(), None, hugo),
    }
    if hugo:
        known["hugo-pagefind"] = System("hugo-pagefind", "Hugo + Pagefind", HugoWriter(), None, hugo, _pagefind())
    chosen = [known[name] for name in names if name in known]
    if any(name.startswith("hugo") for name in names) and not hugo:
        print("hugo is not on PATH: no Hugo figures", flush=True)
    return chosen


def _pagefind() -> str | None:
    """The Pagefind binary sphinx-kb runs (``pagefind[extended]``)."""
    from pagefind.service import get_executable

    binary = get_executable()
    return str(binary) if binary else None


@dataclass(frozen=True)
class Scenario:
    """One build of the sequence run on each site."""

    key: str
    label: str
    #: Remove the previous output first.
    clean: bool = False
    #: Sphinx's ``-j`` value.
    jobs: str | None = None


def scenarios(cores: int) -> list[Scenario]:
    """The scenarios in the order they run; ``cores`` is what ``-j auto`` means here."""
    sequence = [
        Scenario("clean", "clean, serial", clean=True),
        Scenario("clean-j", f"clean, -j auto (N={cores})", clean=True, jobs="auto"),
    ]
    if cores != 2:
        sequence.append(Scenario("clean-j2", "clean, -j 2", clean=True, jobs="2"))
    return [
        *sequence,
        Scenario("no-change", "no change"),
        Scenario("body-edit", "one post's body edited"),
        Scenario("tag-edit", "one post's tags edited"),
        Scenario("new-post", "new post"),
        Scenario("deleted-post", "that post deleted"),
    ]


@dataclass
class Site:
    """One system's copy of the corpus of one size, and the posts the scenarios change."""

    system: System
    source: Path
    out: Path
    posts: list[Post]
    extra: Post

    def prepare(self, scenario: Scenario, round_: int) -> None:
        """Change the source (or remove the output) as *scenario* asks."""
        writer = self.system.writer
        if scenario.clean:
            self.system.clean(self.source, self.out)
        elif scenario.key == "body-edit":
            writer.write_post(self.source, self.posts[1].with_body_edit(f"of round {round_ + 1}"))
        elif scenario.key == "tag-edit":
            writer.write_post(self.source, self.posts[2].with_tag_edit())
        elif scenario.key == "new-post":
            writer.write_post(self.source, self.extra)
        elif scenario.key == "deleted-post":
            writer.remove_post(self.source, self.extra.slug)

    def restore(self) -> None:
        """Write back the posts the scenarios changed, so the next round starts from the corpus."""
        for post in self.posts[1:3]:
            self.system.writer.write_post(self.source, post)
        if self.system.writer.bundle(self.source, self.extra.slug).exists():
            self.system.writer.remove_post(self.source, self.extra.slug)


@dataclass
class Run:
    """The measurements of one build."""

    size: int
    system: str
    scenario: str
    round: int
    wall: float
    cpu: float
    peak_mib: float
    docs_read: int | None
    files_written: int
    files_removed: int
    warnings: int
    #: Sphinx's own count: (added, changed, removed).
    updated: tuple[int, int, int] | None = None


#: The figures of a run that have medians and ratios.
FIGURES = ("wall", "cpu", "peak_mib", "docs_read", "files_written")
#: The figures given as ratios to the floor and Hugo.
RATIO_FIGURES = ("wall", "cpu", "peak_mib")

_UPDATED = re.compile(r"(\d+) added, (\d+) changed, (\d+) removed")
_READING = re.compile(r"^reading sources\.\.\. \[\s*\d+%\] (.*)$", re.MULTILINE)
_WARNING = re.compile(r"WARNING:|ERROR:")


def snapshot(out: Path) -> dict[str, int]:
    """The modification time (ns) of every file under *out*, by path, Sphinx's doctrees left out."""
    files: dict[str, int] = {}
    for folder, dirs, names in os.walk(out):
        if folder == str(out):
            dirs[:] = [d for d in dirs if d != ".doctrees"]
        for name in names:
            path = os.path.join(folder, name)
            files[path] = os.stat(path).st_mtime_ns
    return files


def documents_read(output: str, serial: bool) -> tuple[int | None, tuple[int, int, int] | None]:
    """How many documents a Sphinx build read, from its *output*, and its (added, changed,
    removed) line; ``(None, None)`` when the output has no such line (Hugo)."""
    found = _UPDATED.search(output)
    if not found:
        return None, None
    added, changed, removed = (int(n) for n in found.groups())
    read = added + changed
    if serial:  # one line per document read, even those an extension adds later
        read = max(read, len(_READING.findall(output)))
    return read, (added, changed, removed)


def run_build(site: Site, scenario: Scenario, size: int, round_: int) -> tuple[Run, str]:
    """Build *site* once as *scenario* (already prepared); return its measurements and output."""
    before = snapshot(site.out)
    command = site.system.command(site.source, site.out, scenario.jobs)
    with tempfile.TemporaryDirectory() as folder:
        result = Path(folder, "costs.json")
        env = {**os.environ, "NO_COLOR": "1"}
        done = subprocess.run(
            [sys.executable, str(MEASURE), str(result), *command],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        output = done.stdout + done.stderr
        if done.returncode != 0:
            tail = "\n".join(output.splitlines()[-30:])
            raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{tail}")
        costs = json.loads(result.read_text())
    after = snapshot(site.out)
    docs, updated = documents_read(output, serial=scenario.jobs is None)
    return Run(
        size=size,
        system=site.system.key,
        scenario=scenario.key,
        round=round_,
        wall=costs["wall"],
        cpu=costs["cpu"],
        peak_mib=costs["maxrss_kib"] / 1024,
        docs_read=docs,
        files_written=sum(1 for path, mtime in after.items() if before.get(path) != mtime),
        files_removed=sum(1 for path in before if path not in after),
        warnings=len(_WARNING.findall(output)),
        updated=updated,
    ), output


def _first_warning(output: str) -> str:
    return next((line for line in output.splitlines() if _WARNING.search(line)), "")


@dataclass
class BuildBenchmark:
    """One run of the build benchmark: its settings, and the runs measured so far."""

    sizes: list[int]
    repeat: int
    systems: list[System]
    scenarios: list[Scenario]
    cores: int
    runs: list[Run] = field(default_factory=list)

    def measure(self, workdir: Path) -> None:
        """Write every site under *workdir*, warm up, then run all builds in turns."""
        self._warm_up(workdir / "warm-up")
        sites: dict[int, list[Site]] = {}
        for size in self.sizes:
            posts, extra = build_posts(size), extra_post(size)
            sites[size] = []
            for system in self.systems:
                source = workdir / f"{size}" / system.key / "src"
                system.writer.write_site(source, posts)
                sites[size].append(Site(system, source, workdir / f"{size}" / system.key / "out", posts, extra))
        total = self.repeat * len(self.sizes) * len(self.scenarios) * len(self.systems)
        start, count = time.perf_counter(), 0
        warned: set[tuple[str, str]] = set()
        for round_ in range(self.repeat):
            for size in self.sizes:
                for scenario in self.scenarios:
                    for site in sites[size]:
                        site.prepare(scenario, round_)
                        run, output = run_build(site, scenario, size, round_)
                        self.runs.append(run)
                        count += 1
                        docs = "-" if run.docs_read is None else run.docs_read
                        print(
                            f"[{count}/{total}, {time.perf_counter() - start:.0f} s] round {round_ + 1}, {size} posts, "
                            f"{site.system.label}, {scenario.label}: {run.wall:.1f} s, CPU {run.cpu:.1f} s, "
                            f"{run.peak_mib:.0f} MiB, read {docs}, wrote {run.files_written}"
                            + (f", {run.warnings} warning(s)" if run.warnings else ""),
                            flush=True,
                        )
                        if run.warnings and (site.system.key, scenario.key) not in warned:
                            warned.add((site.system.key, scenario.key))
                            print(f"    first warning: {_first_warning(output)}", flush=True)
                for site in sites[size]:
                    site.restore()

    def _warm_up(self, folder: Path) -> None:
        """Build a small corpus with each system once, so the first measured build pays for
        nothing the others find ready (imports, file caches)."""
        posts, extra = build_posts(5), extra_post(5)
        for system in self.systems:
            site = Site(system, folder / system.key / "src", folder / system.key / "out", posts, extra)
            system.writer.write_site(site.source, posts)
            run_build(site, self.scenarios[0], 5, -1)

    def median(self, size: int, system: str, scenario: str, figure: str) -> float | None:
        """The median of *figure* over the rounds, ``None`` if it was not measured."""
        values = [
            getattr(run, figure)
            for run in self.runs
            if (run.size, run.system, run.scenario) == (size, system, scenario) and getattr(run, figure) is not None
        ]
        return statistics.median(values) if values else None

    def ratio(self, size: int, scenario: str, figure: str, against: str) -> float | None:
        """sphinx-kb's median *figure* divided by the system *against*'s, for one scenario."""
        mine, theirs = self.median(size, "kb", scenario, figure), self.median(size, against, scenario, figure)
        return mine / theirs if mine is not None and theirs else None

    def medians(self) -> dict[str, Any]:
        """Every median, as ``{size: {system: {scenario: {figure: value}}}}``."""
        return {
            str(size): {
                system.key: {
                    scenario.key: {figure: self.median(size, system.key, scenario.key, figure) for figure in FIGURES}
                    for scenario in self.scenarios
                }
                for system in self.systems
            }
            for size in self.sizes
        }

    def ratios(self) -> dict[str, Any]:
        """sphinx-kb's medians as ratios: ``{size: {scenario: {system: {figure: ratio}}}}``."""
        others = [system.key for system in self.systems if system.key != "kb"]
        return {
            str(size): {
                scenario.key: {
                    other: {figure: self.ratio(size, scenario.key, figure, other) for figure in RATIO_FIGURES}
                    for other in others
                }
                for scenario in self.scenarios
            }
            for size in self.sizes
        }


# Targets -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A target of issue 11, item 2, and what this run measured of it."""

    name: str
    #: ``None``: not measurable in this run (a system or size is missing).
    met: bool | None
    measured: str
    ratio: float | None = None


def _at(sizes: list[int], wanted: int) -> tuple[int, str]:
    """The size to judge a target set at *wanted* posts, and a note if it is another one."""
    if wanted in sizes:
        return wanted, ""
    size = max(sizes)
    return size, f" (measured at {size} posts, not {wanted})"


def targets(bench: BuildBenchmark) -> list[Target]:
    """Judge the targets of issue 11 item 2 on *bench*'s medians."""
    size, note = _at(bench.sizes, TARGET_SIZE)
    found: list[Target] = []

    def against(name: str, scenario: str, other: str, limit: float, label: str) -> None:
        ratio = bench.ratio(size, scenario, "wall", other)
        mine, theirs = bench.median(size, "kb", scenario, "wall"), bench.median(size, other, scenario, "wall")
        if ratio is None or mine is None or theirs is None:
            found.append(Target(name, None, f"no {label} figure{note}"))
            return
        measured = f"{mine:.1f} s vs {label} {theirs:.1f} s = {ratio:.2f}x{note}"
        found.append(Target(name, ratio <= limit, measured, ratio))

    against(f"clean build <= 1.5x the floor at {TARGET_SIZE} posts", "clean", "floor", 1.5, "floor")
    against(f"one-post edit <= 2x Hugo's build at {TARGET_SIZE} posts", "body-edit", "hugo", 2.0, "Hugo")
    against(f"one-post edit <= 1x Hugo's build (moonshot) at {TARGET_SIZE} posts", "body-edit", "hugo", 1.0, "Hugo")
    against(f"no-change rebuild <= 1x Hugo's build at {TARGET_SIZE} posts", "no-change", "hugo", 1.0, "Hugo")
    if any(system.key == "hugo-pagefind" for system in bench.systems):
        # Context, not a target of the issue: Hugo with the search index sphinx-kb builds.
        against(
            f"(context) one-post edit <= 2x Hugo + Pagefind at {TARGET_SIZE} posts",
            "body-edit",
            "hugo-pagefind",
            2.0,
            "Hugo + Pagefind",
        )

    parallel = "clean-j" if bench.cores == 2 else "clean-j2"
    serial_s, parallel_s = bench.median(size, "kb", "clean", "wall"), bench.median(size, "kb", parallel, "wall")
    if serial_s and parallel_s:
        speedup = serial_s / parallel_s
        found.append(
            Target(
                f"-j 2 clean >= 1.4x faster than serial at {TARGET_SIZE} posts",
                speedup >= 1.4,
                f"{serial_s:.1f} s serial / {parallel_s:.1f} s with -j 2 = {speedup:.2f}x{note}",
                speedup,
            )
        )

    memory_size, memory_note = _at(bench.sizes, MEMORY_SIZE)
    peaks = [bench.median(memory_size, "kb", s.key, "peak_mib") for s in bench.scenarios]
    peak = max((p for p in peaks if p is not None), default=None)
    if peak is not None:
        found.append(
            Target(
                f"peak memory < 1 GB at {MEMORY_SIZE} posts",
                peak < MEMORY_LIMIT_MIB,
                f"largest {peak:.0f} MiB of one process (any scenario){memory_note}",
                peak / MEMORY_LIMIT_MIB,
            )
        )
    found.append(linearity(bench))
    return found


def linearity(bench: BuildBenchmark) -> Target:
    """Whether sphinx-kb's clean build grows linearly with the number of posts.

    A fixed cost (start-up, static files) makes the time *per post* fall as sites grow, so the
    test is on the time per *added* post: between the two largest sizes it must be at most
    :data:`LINEAR_LIMIT` times what it is between the two smallest. The least-squares line's R²
    is reported beside it.
    """
    name = "clean time linear in posts"
    points = [(size, bench.median(size, "kb", "clean", "wall")) for size in sorted(bench.sizes)]
    known = [(size, wall) for size, wall in points if wall is not None]
    per_post = ", ".join(f"{wall / size * 1000:.0f} ms/post at {size}" for size, wall in known)
    if len(known) < 3:
        return Target(name, None, f"needs three sizes; {per_post}")
    xs, ys = [float(s) for s, _ in known], [w for _, w in known]
    slope, intercept = statistics.linear_regression(xs, ys)
    mean = statistics.fmean(ys)
    residual = sum((y - (slope * x + intercept)) ** 2 for x, y in zip(xs, ys, strict=True))
    total = sum((y - mean) ** 2 for y in ys)
    r2 = 1 - residual / total if total else 1.0
    first = (ys[1] - ys[0]) / (xs[1] - xs[0])
    last = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
    growth = last / first if first > 0 else float("inf")
    measured = (
        f"{per_post}; per added post {first * 1000:.0f} ms ({known[0][0]}-{known[1][0]}) vs "
        f"{last * 1000:.0f} ms ({known[-2][0]}-{known[-1][0]}) = {growth:.2f}x (limit {LINEAR_LIMIT}x); "
        f"fit R² = {r2:.4f}"
    )
    return Target(name, growth <= LINEAR_LIMIT, measured, growth)


# Report ------------------------------------------------------------------------------------


def _num(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _times(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


#: The systems sphinx-kb is compared with in the report: column name, and name in the sentence.
_COMPARED = {
    "floor": ("floor", "the floor (Sphinx + MyST)"),
    "hugo": ("Hugo", "Hugo"),
    "hugo-pagefind": ("Hugo+Pagefind", "Hugo + Pagefind"),
}


def report(bench: BuildBenchmark) -> list[Target]:
    """Print the tables and the targets as Markdown; return the targets."""
    keys = {system.key for system in bench.systems}
    # The floor and Hugo always have columns (a dash where not measured), Hugo + Pagefind if run.
    compared = ["floor", "hugo", *(["hugo-pagefind"] if "hugo-pagefind" in keys else [])]
    print(f"\n## Build times (median of {bench.repeat} round(s); -j auto = {bench.cores} workers here)")
    for size in bench.sizes:
        med = bench.median
        print(
            f"\n### {size} posts\n\nsphinx-kb (dirhtml, furo), and its ratio to "
            + ", ".join(_COMPARED[key][1] for key in compared)
            + ":\n"
        )
        columns = [f"{figure} x {_COMPARED[key][0]}" for figure in ("wall", "CPU", "peak") for key in compared]
        print("| scenario | wall s | CPU s | peak MiB | docs read | files written | " + " | ".join(columns) + " |")
        print("|---" * (6 + len(columns)) + "|")
        for scenario in bench.scenarios:
            s = scenario.key
            docs = med(size, "kb", s, "docs_read")
            ratios = [
                _times(bench.ratio(size, s, figure, other) if other in keys else None)
                for figure in RATIO_FIGURES
                for other in compared
            ]
            print(
                f"| {scenario.label} | {_num(med(size, 'kb', s, 'wall'))} | {_num(med(size, 'kb', s, 'cpu'))} "
                f"| {_num(med(size, 'kb', s, 'peak_mib'), 0)} | {_num(docs, 0)} "
                f"| {_num(med(size, 'kb', s, 'files_written'), 0)} | " + " | ".join(ratios) + " |"
            )
        others = [system for system in bench.systems if system.key != "kb"]
        if not others:
            continue
        print(f"\n{' and '.join(system.label for system in others)}, the same scenarios:\n")
        header = "| scenario |"
        for system in others:
            short = "floor" if system.key == "floor" else system.label
            header += f" {short} wall s | CPU s | peak MiB | docs read | files written |"
        print(header)
        print("|---" * (1 + 5 * len(others)) + "|")
        for scenario in bench.scenarios:
            row = f"| {scenario.label} |"
            for system in others:
                k, s = system.key, scenario.key
                row += (
                    f" {_num(med(size, k, s, 'wall'))} | {_num(med(size, k, s, 'cpu'))} "
                    f"| {_num(med(size, k, s, 'peak_mib'), 0)} | {_num(med(size, k, s, 'docs_read'), 0)} "
                    f"| {_num(med(size, k, s, 'files_written'), 0)} |"
                )
            print(row)
    found = targets(bench)
    print("\n## Targets of issue 11 (item 2)\n")
    for target in found:
        verdict = "n/a" if target.met is None else ("met" if target.met else "MISSED")
        print(f"- {target.name}: **{verdict}** ({target.measured})")
    return found


def machine(cores: int) -> dict[str, Any]:
    """What the figures were measured on and with."""

    def version(package: str) -> str | None:
        try:
            return importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            return None

    hugo = shutil.which("hugo")
    hugo_version = (
        subprocess.run([hugo, "version"], capture_output=True, text=True, check=False).stdout.strip() if hugo else None
    )
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "j_auto": cores,
        "load_average": os.getloadavg(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sphinx": version("sphinx"),
        "myst_parser": version("myst-parser"),
        "sphinx_kb": version("sphinx-kb"),
        "ablog": version("ablog"),
        "furo": version("furo"),
        "hugo": hugo_version,
    }


def run_benchmark(
    sizes: list[int], repeat: int, names: list[str], json_path: Path, workdir: Path | None
) -> list[Target]:
    """Run the build benchmark, print its tables and targets, write the JSON to *json_path*."""
    import multiprocessing

    cores = multiprocessing.cpu_count()  # what Sphinx's -j auto uses
    bench = BuildBenchmark(sorted(sizes), repeat, systems(names), scenarios(cores), cores)
    info = machine(cores)
    print(f"build benchmark: {sizes} posts, {repeat} round(s), {', '.join(s.label for s in bench.systems)}")
    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="kb-bench-") as folder:
            bench.measure(Path(folder))
    else:
        bench.measure(workdir)
    info["load_average_after"] = os.getloadavg()
    found = report(bench)
    json_path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "machine": info,
        "sizes": bench.sizes,
        "repeat": repeat,
        "systems": {system.key: system.label for system in bench.systems},
        "scenarios": {scenario.key: scenario.label for scenario in bench.scenarios},
        "runs": [asdict(run) for run in bench.runs],
        "medians": bench.medians(),
        "ratios": bench.ratios(),
        "targets": [asdict(target) for target in found],
    }
    json_path.write_text(json.dumps(document, indent=1, ensure_ascii=False))
    print(f"\nwritten to {json_path}")
    return found
