"""BibTeX files as real bibliographies are: a key defined twice, a month pybtex does not know.

Every entry stays usable, and each problem is one warning at its file and line.
"""

from __future__ import annotations

from conftest import post

CONF = 'bibtex_bibfiles = ["refs.bib"]\n'

#: A duplicate key in the middle, an undefined month macro, and entries after both.
BIB = """\
@article{first2019,
  title = {The First},
  author = {Alpha, Ann},
  year = {2019},
  journal = {J}
}

@article{first2019,
  title = {A Second Definition},
  author = {Beta, Bob},
  year = {1999},
  journal = {J}
}

@article{late2021,
  title = {After The Duplicate},
  author = {Gamma, Gil},
  year = {2021},
  journal = {J}
}

@inproceedings{sept2022,
  title = {Written In September},
  author = {Delta, Dora},
  year = {2022},
  month = Sept,
  booktitle = {Proc}
}

@book{last2023,
  title = {The Very Last},
  author = {Epsilon, Eve},
  year = {2023},
  publisher = {P}
}
"""


def test_entries_after_a_duplicate_key_and_an_undefined_string_are_cited(build):
    body = "Early [@first2019], after [@late2021], September [@sept2022], last [@last2023].\n"
    site = build({"posts/note/article.md": post("Note", body, date="2024-01-01"), "refs.bib": BIB}, conf=CONF)
    bib = site.srcdir / "refs.bib"
    warnings = site.warnings
    assert f"{bib}:8: WARNING: BibTeX key 'first2019' is defined again (first in refs.bib, line 1)" in warnings
    assert (
        f"{bib}:26: WARNING: BibTeX string 'Sept' is not defined (no @string gives it); "
        "the field is left empty and the entry is kept [kb.citation]"
    ) in warnings
    # pybtex's own report of the duplicate (no line) is not repeated.
    assert "repeated bibliography entry" not in warnings
    assert "bibliography data error" not in warnings
    assert warnings.count("WARNING") == 2, warnings
    article = site.article("posts/note")
    text = article.get_text().lower()
    assert "[@" not in text
    # Each citation links to its own entry in the list, which names that entry's author.
    links = article.select("p a[href^='#']")
    cited = {link.get_text(): article.find(id=link["href"][1:]) for link in links}
    assert sorted(cited) == ["Alpha, 2019", "Delta, 2022", "Epsilon, 2023", "Gamma, 2021"], cited
    for text, entry in cited.items():
        assert entry is not None and text.split(",")[0] in entry.get_text(), text
    references = article.select_one("section#references")
    assert references is not None
    listed = references.get_text(" ")
    # The first definition wins; every entry after the problems is in the list.
    assert "the first" in listed.lower() and "second definition" not in listed.lower()
    for title in ("after the duplicate", "written in september", "the very last"):
        assert title in listed.lower()


def test_a_broken_entry_is_skipped_at_its_line_and_the_next_is_kept(build):
    bib = "@article{broken2020,\n  title = ,\n  year = {2020}\n}\n\n" + BIB.split("\n\n", 2)[2]
    article = post("Note", "See [@late2021].\n", date="2024-01-01")
    site = build({"posts/note/article.md": article, "refs.bib": bib}, conf=CONF)
    path = site.srcdir / "refs.bib"
    assert f"{path}:2: WARNING: BibTeX syntax error: field value expected; the entry is skipped" in site.warnings
    assert "after the duplicate" in site.article("posts/note").select_one("section#references").get_text().lower()
