"""The ``kb_*`` settings: one located warning per bad value, the default used, and the guide's tables."""

from __future__ import annotations

import dataclasses as dc
import pickle
import re

import pytest
from sphinx.config import Config

from conftest import BASE_CONF, post
from sphinx_kb.config import KbConfig, _from_config, kb_config
from sphinx_kb.warnings_ import KbWarning

#: A site whose pages show the effect of each setting.
FILES = {"posts/a/article.md": post("A", date="2025-12-11 09:00", body="One two three four five six.\n")}

#: (the line in conf.py, what the warning says about it).
BAD = [
    ('kb_posts_dir = "../elsewhere"', "expected a folder inside the source folder"),
    ('kb_posts_dir = ""', "expected a folder inside the source folder"),
    ("kb_posts_dir = 3", "expected a folder name as text, got int"),
    ("kb_article_names = []", "expected at least one file name"),
    ('kb_article_names = ["posts/article"]', "'posts/article' is not a plain file name"),
    ('kb_article_names = "article"', "expected a list of file names, got str"),
    ('kb_timezone = "Mars/Olympus"', "unknown time zone 'Mars/Olympus'"),
    ('kb_timezone = "+25:00"', "'+25:00' is not an offset from UTC"),
    ('kb_show_drafts = "yes"', "expected True or False, got str"),
    ("kb_summary_length = 0", "expected a number above 0, got 0"),
    ('kb_summary_length = "200"', "expected a whole number, got str"),
    ("kb_summary_length = True", "expected a whole number, got bool"),
    ('kb_date_format = "Y-m-d"', "the format shows no part of the date"),
    ("kb_reading_speed_cjk = 0", "expected a number above 0, got 0"),
    ('kb_reading_speed_words = "fast"', "expected a whole number, got str"),
    ('kb_git_dates = "yes"', "expected True or False, got str"),
    ('kb_date_format = "%Y-%Q"', "'%Q' is not a strftime directive"),
    ("kb_feed_length = -1", "expected a number above 0, got -1"),
    ("kb_feed_subtitle = None", "expected text, got None"),
    ('kb_social_image = "https://cdn.example/card.png"', "is not a file of the site such as '_static/card.png'"),
    ('kb_social_image = "../card.png"', "is not a file of the site such as '_static/card.png'"),
    ('kb_sitemap = "no"', "expected True or False, got str"),
    ('kb_old_urls = ["/p/:name/"]', "':name' in '/p/:name/' is not a permalink token sphinx-kb knows"),
    ('kb_old_origins = ["old-site.example"]', "'old-site.example' is not an origin such as 'https://old-site.example'"),
    ("kb_related_posts = -1", "expected 0 or more, got -1"),
    ('kb_link_previews = "no"', "expected True or False, got str"),
    ('kb_search = "no"', "expected True or False, got str"),
]

#: Every setting and its default as the guide shows it.
DEFAULTS = {
    "kb_posts_dir": '"posts"',
    "kb_article_names": '["article", "index"]',
    "kb_timezone": '"UTC"',
    "kb_show_drafts": "False",
    "kb_embeds_dir": '"assets/embeds"',
    "kb_summary_length": "200",
    "kb_date_format": '"%Y-%m-%d"',
    "kb_reading_speed_cjk": "300",
    "kb_reading_speed_words": "220",
    "kb_git_dates": "True",
    "kb_feed_length": "None",
    "kb_feed_subtitle": '""',
    "kb_feed_content": '"summary"',
    "kb_hugo_feeds": '""',
    "kb_site_description": '""',
    "kb_social_image": '""',
    "kb_twitter_site": '""',
    "kb_sitemap": "True",
    "kb_llms_txt": "True",
    "kb_not_found_page": "True",
    "kb_old_urls": "[]",
    "kb_old_origins": "[]",
    "kb_related_posts": "5",
    "kb_link_previews": "True",
    "kb_search": "True",
}


def warning_lines(site) -> list[str]:
    return [line for line in site.warnings.splitlines() if "WARNING" in line]


#: One bad value of each setting, each with what its warning says.
ONE_OF_EACH = [
    ('kb_posts_dir = "../elsewhere"', "expected a folder inside the source folder"),
    ('kb_article_names = ["posts/article"]', "'posts/article' is not a plain file name"),
    ('kb_timezone = "Mars/Olympus"', "unknown time zone 'Mars/Olympus'"),
    ('kb_show_drafts = "yes"', "expected True or False, got str"),
    ("kb_summary_length = 0", "expected a number above 0, got 0"),
    ('kb_date_format = "Y-m-d"', "the format shows no part of the date"),
    ("kb_feed_length = -1", "expected a number above 0, got -1"),
    ("kb_feed_subtitle = None", "expected text, got None"),
    ('kb_old_urls = ["/p/:name/"]', "':name' in '/p/:name/' is not a permalink token sphinx-kb knows"),
    ('kb_old_origins = ["old-site.example"]', "'old-site.example' is not an origin such as 'https://old-site.example'"),
    ("kb_related_posts = -1", "expected 0 or more, got -1"),
    ('kb_link_previews = "no"', "expected True or False, got str"),
    ('kb_search = "no"', "expected True or False, got str"),
]


def test_each_bad_value_gives_one_located_warning_and_the_default_is_used(build):
    conf = "# sphinx-kb\nkb_feed_subtitle = 'Notes'\n" + "".join(line + "\n" for line, _ in ONE_OF_EACH)
    site = build(FILES, conf=conf)
    lines = (BASE_CONF + conf).splitlines()
    warnings = warning_lines(site)
    assert len(warnings) == len(ONE_OF_EACH), warnings
    for (line, message), warning in zip(ONE_OF_EACH, warnings, strict=True):
        name = line.split(" = ")[0]
        assert f"{site.srcdir / 'conf.py'}:{lines.index(line) + 1}: WARNING: {name} = " in warning
        assert message in warning
        assert warning.endswith("is used [kb.config]")
    assert kb_config(site.app) == KbConfig()
    # Code still reading the raw values sees the defaults too.
    assert KbConfig(**{f.name: site.app.config[f"kb_{f.name}"] for f in dc.fields(KbConfig)}) == KbConfig()
    # The site is built as with the defaults: the post, its date in UTC, shown as %Y-%m-%d.
    time = site.article("posts/a").select_one(".kb-post-header .kb-date time")
    assert (time["datetime"], time.get_text()) == ("2025-12-11T09:00:00+00:00", "2025-12-11")


@pytest.mark.parametrize(("line", "message"), BAD, ids=[line for line, _ in BAD])
def test_bad_values_fall_back_to_the_default(line, message):
    name, _, code = line.partition(" = ")
    config = Config({name: eval(code)})  # the values are the literals above
    for field in dc.fields(KbConfig):
        config.add(f"kb_{field.name}", field.default, field.metadata["rebuild"], field.metadata["types"])
    reported = []
    settings = _from_config(config, lambda field, value, error: reported.append((field.name, value, str(error))))
    [(field, value, error)] = reported
    assert (f"kb_{field}", value) == (name, eval(code))
    assert message in error
    assert settings == KbConfig()


def test_good_values_are_used_without_warning(build):
    conf = (
        'kb_posts_dir = "/notes/"\n'
        'kb_article_names = ("index.en", "article")\n'
        'kb_timezone = "+08:00"\n'
        'kb_date_format = "%-d %B %Y"\n'
        "kb_feed_length = 1\n"
    )
    site = build({"notes/a/article.md": FILES["posts/a/article.md"]}, conf=conf)
    assert warning_lines(site) == []
    settings = kb_config(site.app)
    assert (settings.posts_dir, settings.article_names, settings.feed_length) == ("notes", ("index.en", "article"), 1)
    time = site.article("notes/a").select_one(".kb-post-header .kb-date time")
    assert (time["datetime"], time.get_text()) == ("2025-12-11T09:00:00+08:00", "11 December 2025")


def test_the_last_assignment_is_the_one_named(build):
    conf = "kb_summary_length = 100\nif True:\n    kb_summary_length: int = 0\n"
    site = build(FILES, conf=conf)
    [warning] = warning_lines(site)
    number = (BASE_CONF + conf).splitlines().index("    kb_summary_length: int = 0") + 1
    assert f"conf.py:{number}: WARNING: kb_summary_length = 0:" in warning


def test_a_value_set_elsewhere_names_conf_py(build):
    site = build(FILES, conf='globals()["kb_summary_length"] = -5\n')
    [warning] = warning_lines(site)
    # Sphinx's own form of a file without a line.
    assert f"{site.srcdir / 'conf.py'}:: WARNING: kb_summary_length = -5:" in warning


def test_command_line_values(build):
    site = build(FILES, confoverrides={"kb_feed_length": "1", "kb_article_names": "index,article"})
    assert warning_lines(site) == []
    assert (kb_config(site.app).feed_length, kb_config(site.app).article_names) == (1, ("index", "article"))
    # Code still reading the raw value gets the number, not the text of -D.
    assert site.app.config.kb_feed_length == 1


def test_a_bad_command_line_value_is_named_as_such(build):
    site = build(FILES, confoverrides={"kb_feed_length": "ten"})
    [warning] = warning_lines(site)
    assert "WARNING: kb_feed_length = 'ten' (given with -D): expected a whole number or None" in warning
    assert kb_config(site.app).feed_length is None


def test_a_bad_value_fails_a_strict_build(build):
    site = build(FILES, conf="kb_summary_length = 0\n", warningiserror=True)
    assert site.app.statuscode == 1
    assert site.file("posts/a")


def test_the_settings_survive_pickling(build):
    site = build(FILES, conf='kb_timezone = "Asia/Shanghai"\nkb_summary_length = 0\n')
    config = pickle.loads(pickle.dumps(site.app.config))
    assert kb_config(config) == kb_config(site.app) == KbConfig(timezone="Asia/Shanghai")
    assert kb_config(site.app.env) is kb_config(site.app)


def test_the_config_table_lists_every_setting_with_its_default(build):
    site = build({"index.md": "# Settings\n\n```{kb-config-table}\n```\n"})
    assert warning_lines(site) == []
    table = site.article("").select_one("table.kb-config-table")
    assert [th.get_text(strip=True) for th in table.select("thead th")] == ["Setting", "Type", "Default", "Meaning"]
    rows = [[td.get_text() for td in tr.select("td")] for tr in table.select("tbody tr")]
    assert {row[0]: row[2] for row in rows} == DEFAULTS
    assert {row[0]: row[1] for row in rows}["kb_feed_length"] == "int or None"
    help_ = {row[0]: row[3] for row in rows}
    assert help_["kb_feed_length"] == "At most this many posts in each feed; None means all."
    # Code in help texts is code; markup-like text stays text.
    row = next(tr for tr in table.select("tbody tr") if tr.select("td")[0].get_text() == "kb_feed_subtitle")
    cell = row.select("td")[-1]
    assert cell.select_one("code").get_text() == "<subtitle>"


def test_the_warnings_table_lists_every_subtype(build):
    site = build({"index.md": "# Warnings\n\n```{kb-warnings-table}\n```\n"})
    assert warning_lines(site) == []
    rows = site.article("").select("table.kb-warnings-table tbody tr")
    described = {tr.select("td")[0].get_text(): tr.select("td")[1] for tr in rows}
    assert list(described) == [f"kb.{member.value}" for member in KbWarning]
    assert "kb.front_matter" in described
    assert all(cell.get_text(strip=True) for cell in described.values())
    expected = "A URL whose scheme is not http(s), mailto or relative (javascript: could run script): text."
    assert described["kb.url"].get_text() == expected
    assert described["kb.url"].select_one("code").get_text() == "javascript:"


def test_the_guide_lists_every_setting():
    """The guide's page uses the directive, so a new field shows up there."""
    from pathlib import Path

    page = (Path(__file__).parents[1] / "docs/guide/configuration.md").read_text(encoding="utf-8")
    assert "```{kb-config-table}" in page
    assert "```{kb-warnings-table}" in page
    assert not re.search(r"^\| `kb_", page, flags=re.MULTILINE), "a hand-written row of kb_* settings"
