"""Every date form seen in Hugo and Astro front matter, shown and fed as written."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from defusedxml import ElementTree

from conftest import post
from sphinx_kb.content.dates import parse_date, site_timezone

ATOM = "{http://www.w3.org/2005/Atom}"

#: (front-matter line, the ISO date the reader's page carries, the date shown).
FORMS = [
    ("date: 2025-12-11", "2025-12-11T00:00:00+00:00", "2025-12-11"),
    ('date: "2025-12-11"', "2025-12-11T00:00:00+00:00", "2025-12-11"),
    ("date: 2025-12-11 16:09:34+0800", "2025-12-11T16:09:34+08:00", "2025-12-11"),
    ("date: 2025-12-11 16:09:34+08:00", "2025-12-11T16:09:34+08:00", "2025-12-11"),
    ('published: "2026-05-08 18:28:18+08:00"', "2026-05-08T18:28:18+08:00", "2026-05-08"),
    ('published: "2026-01-24 16:32:14+0800"', "2026-01-24T16:32:14+08:00", "2026-01-24"),
    ("date: 2025-12-11T23:30:00Z", "2025-12-11T23:30:00+00:00", "2025-12-11"),
    ("date: 2025-12-11T23:30:00-05:00", "2025-12-11T23:30:00-05:00", "2025-12-11"),
    ('published: "May. 04, 2026"', "2026-05-04T00:00:00+00:00", "2026-05-04"),
    ("published: May 4, 2026", "2026-05-04T00:00:00+00:00", "2026-05-04"),
    ("pubDate: 2026-05-04 08:00", "2026-05-04T08:00:00+00:00", "2026-05-04"),
]


@pytest.mark.parametrize(("line", "iso", "shown"), FORMS, ids=[form[0] for form in FORMS])
def test_date_forms_on_the_page_and_in_the_feed(build, line, iso, shown):
    key, _, value = line.partition(": ")
    site = build({"posts/dated/article.md": post("Dated", **{key: value})})
    assert site.warnings == ""
    time = site.article("posts/dated").select_one(".kb-post-header .kb-date time")
    assert (time["datetime"], time.get_text()) == (iso, shown)
    entry = ElementTree.parse(site.outdir / "blog/atom.xml").getroot().find(f"{ATOM}entry")
    assert dt.datetime.fromisoformat(entry.findtext(f"{ATOM}published")) == dt.datetime.fromisoformat(iso)
    assert entry.findtext(f"{ATOM}published").endswith(iso[-6:])


def test_dates_without_offset_take_the_site_time_zone(build):
    site = build(
        {"posts/dated/article.md": post("Dated", date="2025-12-11 09:00")}, conf='kb_timezone = "Asia/Shanghai"\n'
    )
    time = site.article("posts/dated").select_one(".kb-date time")
    assert time["datetime"] == "2025-12-11T09:00:00+08:00"


def test_pages_do_not_depend_on_the_machine_time_zone(build, monkeypatch):
    import time

    outputs = []
    for zone in ("UTC", "America/Los_Angeles"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        site = build({"posts/dated/article.md": post("Dated", date="2025-12-11 23:30:00+0800")}, freshenv=True)
        outputs.append((site.file("posts/dated").read_text(), (site.outdir / "blog/atom.xml").read_text()))
    monkeypatch.delenv("TZ")
    time.tzset()
    assert outputs[0] == outputs[1]


def test_last_update_is_shown_and_fed(build):
    site = build({"posts/dated/article.md": post("Dated", date="2025-12-11", lastmod="2026-01-02 10:00:00+08:00")})
    updated = site.article("posts/dated").select_one(".kb-updated time")
    assert (updated["datetime"], updated.get_text()) == ("2026-01-02T10:00:00+08:00", "2026-01-02")
    entry = ElementTree.parse(site.outdir / "blog/atom.xml").getroot().find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}updated") == "2026-01-02T10:00:00+08:00"


@pytest.mark.parametrize("key", ["lastmod", "modified", "updated", "updatedDate"])
def test_update_spellings(build, key):
    site = build({"posts/dated/article.md": post("Dated", date="2025-12-11", **{key: "2026-01-02"})})
    assert site.article("posts/dated").select_one(".kb-updated time").get_text() == "2026-01-02"


def test_parse_date_keeps_offsets_and_fills_the_zone():
    shanghai = ZoneInfo("Asia/Shanghai")
    assert parse_date(dt.date(2025, 12, 11), shanghai) == dt.datetime(2025, 12, 11, tzinfo=shanghai)
    aware = parse_date("2025-12-11 16:09:34+0800", dt.UTC)
    assert aware.utcoffset() == dt.timedelta(hours=8)
    assert parse_date("May. 04, 2026", dt.UTC) == dt.datetime(2026, 5, 4, tzinfo=dt.UTC)


@pytest.mark.parametrize("value", ["soon", "next tuesday", "", 2025, ["2025-01-01"], "2025-13-45"])
def test_parse_date_rejects_what_is_not_a_date(value):
    with pytest.raises(ValueError, match=r"not a date|expected a date"):
        parse_date(value, dt.UTC)


def test_site_timezone_names():
    assert site_timezone("UTC") is dt.UTC
    assert site_timezone("Asia/Shanghai") == ZoneInfo("Asia/Shanghai")
    with pytest.raises(ValueError, match="unknown time zone"):
        site_timezone("Mars/Olympus")


@pytest.mark.parametrize(
    ("name", "hours", "minutes"), [("+08:00", 8, 0), ("+0530", 5, 30), ("-05", -5, 0), ("-03:30", -3, -30)]
)
def test_site_timezone_offsets(name, hours, minutes):
    assert site_timezone(name) == dt.timezone(dt.timedelta(hours=hours, minutes=minutes))


@pytest.mark.parametrize("name", ["+24:00", "+08:60", "8", "+8", "UTC+8"])
def test_site_timezone_bad_offsets(name):
    with pytest.raises(ValueError, match=r"not an offset from UTC|unknown time zone"):
        site_timezone(name)
