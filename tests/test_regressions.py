"""Minimal failing examples found by the property tests and the fuzzer, kept as plain tests.

Each test names the property that found it (tests/test_properties.py or `make fuzz`).
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from kg.articles import read_article
from kg.errors import ArticleError
from kg.extract.dates import find_dates, find_duration, find_period, find_valid_from, published_parts
from kg.gazetteer import default_gazetteer
from kg.graph import Builder
from kg.vocab import SDO

from .extraction import article, run


# Found by test_find_dates_gives_xsd_valid_values_within_the_text: the patterns' \d matches any
# script's digits, and the matched text was used as the lexical form ("200٠"^^xsd:gYear).
@pytest.mark.parametrize("text, expected", [
    ("en 200٠", ("2000", "gYear")),
    ("en 20٢٠ à Hanoi", ("2020", "gYear")),
    ("en septembre 20٢٠", ("2020-09", "gYearMonth")),
])
def test_a_year_in_other_digits_gives_an_ascii_lexical_form(text, expected):
    (found,) = find_dates(text)
    assert (found.value.lexical, found.value.datatype) == expected


def test_a_period_and_a_start_in_other_digits_give_ascii_years():
    start, until = find_period("dans la période 20٢٠-2023")
    assert (start.lexical, until.lexical) == ("2020", "2023")
    assert find_valid_from("en vigueur à partir de 20٢١.").lexical == "2021"


def test_an_agreement_dated_in_other_digits_has_a_valid_date():
    # Found by test_extraction_offsets_quote_the_text_and_the_graph_round_trips.
    (agreement,) = run("Titre\n\nUn mémorandum a été signé en 200٠.").agreements
    assert (agreement.signed_on.lexical, agreement.signed_on.datatype) == ("2000", "gYear")


# Found by test_find_dates_gives_xsd_valid_values_within_the_text: a weekday with a
# publication date that does not exist, or whose week starts before year 1, crashed
# weekday_date() with ValueError / OverflowError.
@pytest.mark.parametrize("published", ["2019-13-45", "2019-02-30", "0000-01-01", "0001-01-01"])
def test_a_weekday_with_an_impossible_publication_date_is_not_a_date(published):
    assert find_dates("signé dimanche à Hanoï", published) == []


# Found by test_periods_durations_validity_and_datelines_are_xsd_valid: weeks gave "P2W",
# which is not an xsd:duration (Oxigraph reads it as an invalid literal).
@pytest.mark.parametrize("text, expected", [
    ("PENDANT DEUX SEMAINE", "P14D"),
    ("valable 1 semaine", "P7D"),
    ("pendant 3 semaines", "P21D"),
])
def test_a_duration_in_weeks_is_given_in_days(text, expected):
    assert find_duration(text) == expected


def test_an_agreement_valid_for_weeks_has_a_valid_duration():
    # Found by test_several_articles_resolve_into_one_valid_graph.
    text = ("Le Vietnam et le Japon signent un accord\n\nUn mémorandum de coopération a été signé pendant "
            "deux semaines à Hanoï entre le Vietnam et le Vietnam.\n\n")
    durations = {ag.label: ag.duration for ag in run(text).agreements}
    assert durations["Mémorandum de coopération"] == "P14D"


# Found by test_read_article_returns_an_article_or_raises_article_error: a file holding only
# a UTF-8 byte-order mark passed the emptiness check, then headline() (which drops the
# mark) found no line and raised StopIteration.
@pytest.mark.parametrize("raw", [b"\xef\xbb\xbf", b"\xef\xbb\xbf\n  \xef\xbb\xbf\n", b" \xef\xbb\xbf\xef\xbb\xbf\t"])
def test_a_file_of_byte_order_marks_is_empty(tmp_path: Path, raw: bytes):
    path = tmp_path / "bom.txt"
    path.write_bytes(raw)
    with pytest.raises(ArticleError, match="is empty"):
        read_article(path, tmp_path)


# A sidecar's impossible "published" date: published_parts() gave its parts as they were,
# so graph.py wrote "2019-13-45"^^xsd:date (ill-typed, Oxigraph reads it as invalid) and
# day_month() trusted the year of a month that does not exist.
@pytest.mark.parametrize("published, parts, literal, ninth_of_january", [
    ("2019-13-45", (2019, None, None), ("2019", "gYear"), "--01-09"),
    ("2019-02-30", (2019, 2, None), ("2019-02", "gYearMonth"), "2019-01-09"),
    ("0000-01-01", (None, None, None), None, "--01-09"),
])
def test_an_impossible_publication_date_keeps_only_its_valid_parts(published, parts, literal, ninth_of_january):
    assert published_parts(published) == parts
    assert date_published(published) == ([literal] if literal else [])
    assert find_dates("signé le 9 janvier", published)[0].value.lexical == ninth_of_january


def test_a_publication_year_before_1000_is_written_with_four_digits():
    assert date_published("0999-01-01") == [("0999-01-01", "date")]


def date_published(published: str) -> list[tuple[str, str]]:
    builder = Builder(default_gazetteer())
    builder.article(article("Titre\n\nCorps.", published))
    literals = [t[2] for t in builder.g if t[1].value == str(SDO.datePublished)]
    for lit in literals:
        pyoxigraph_value(lit)
    return [(lit.value, lit.datatype.value.split("#")[1]) for lit in literals]


def pyoxigraph_value(lit: pyoxigraph.Literal) -> None:
    """Raises AssertionError when Oxigraph does not read the literal as a valid value of its datatype."""
    store = pyoxigraph.Store()
    (row,) = store.query(f'SELECT (STR(<{lit.datatype.value}>("{lit.value}")) AS ?v) WHERE {{}}')
    assert row["v"] is not None, f"{lit!r} is not a valid {lit.datatype}"


# A sidecar's language "AA-0" had a tag's shape, so it was kept, and Oxigraph then refused it
# as a literal's language (a one-character subtag opens an extension): found by Hypothesis.
@pytest.mark.parametrize("tag", ["AA-0", "en-a", "aa-BY1a"])
def test_a_language_tag_rdf_refuses_is_reported_and_taken_from_the_text(tmp_path: Path, tag: str):
    (tmp_path / "x.txt").write_text("Titre\n\nLe Japon et le Vietnam ont signé un accord à Hanoï.\n", encoding="utf-8")
    (tmp_path / "x.meta.json").write_text(f'{{"language": "{tag}"}}', encoding="utf-8")
    art = read_article(tmp_path / "x.txt", tmp_path)
    assert art.meta.language == "fr" and any("no language tag" in note for note in art.notes)
    pyoxigraph.Literal(art.headline, language=art.meta.language)
