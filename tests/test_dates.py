"""French dates normalised to the xsd type the text supports, never guessed."""
from __future__ import annotations

import pytest

from kg.extract.dates import (add_duration, find_dates, find_duration, find_period, find_valid_from, weekday_date)
from kg.models import DateValue


@pytest.mark.parametrize("text, published, expected", [
    ("signé le 9 janvier à Hanoi", None, ("--01-09", "gMonthDay")),
    ("signé le 9 janvier 2020 à Hanoi", None, ("2020-01-09", "date")),
    ("signé lundi 1er juillet à Tokyo", "2019-07", ("2019-07-01", "date")),
    ("signé le 3 mars", "2021-05-20", ("2021-03-03", "date")),
    ("signé le 30 décembre", "2021-01-02", ("--12-30", "gMonthDay")),  # the year is not certain: kept unknown
    ("signé le 1er février dernier", None, ("--02-01", "gMonthDay")),
    ("inaugurée en septembre 2020", None, ("2020-09", "gYearMonth")),
    ("conclu en 2017 entre les deux pays", None, ("2017", "gYear")),
    ("signé mercredi à Osaka", "2023-11-24", ("2023-11-22", "date")),
    ("signé le 9 de ce mois à Tokyo", "2024-05-20", ("2024-05-09", "date")),
    ("prévu le 3 courant", "2024-05", ("2024-05-03", "date")),
])
def test_find_dates(text, published, expected):
    found = find_dates(text, published)
    assert (found[0].value.lexical, found[0].value.datatype) == expected


@pytest.mark.parametrize("text, published", [
    ("signé lundi à Hanoi", None),
    ("signé lundi à Hanoi", "2019-07"),  # a month is not enough to place a weekday
    ("signé le 31 février", None),
    ("signé le 9 de ce mois", None),  # no publication date: which month is unknown
])
def test_unknown_stays_unknown(text, published):
    assert find_dates(text, published) == []


def test_weekday_contradicting_the_date_is_dropped():
    assert find_dates("signé mardi 1er juillet", "2019-07") == []  # 1 July 2019 was a Monday


def test_weekday_date_goes_back_to_the_last_such_day():
    assert weekday_date(4, "2024-03-04") == DateValue("2024-03-01", "date")  # a Friday


@pytest.mark.parametrize("text, expected", [
    ("devrait être réalisée dans la période 2020-2023.", ("2020", "2023")),
    ("pour la période 2021 – 2025", ("2021", "2025")),
    ("un plan de 2016 à 2020", ("2016", "2020")),
])
def test_periods(text, expected):
    start, end = find_period(text)
    assert (start.lexical, end.lexical) == expected and start.datatype == "gYear"


@pytest.mark.parametrize("text, expected", [
    ("d’une durée de 2 ans", "P2Y"),
    ("pour une durée de trois ans", "P3Y"),
    ("valable cinq ans", "P5Y"),
    ("d'une durée de 18 mois", "P18M"),
    ("la durée du voyage", None),
])
def test_durations(text, expected):
    assert find_duration(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("sera effective à partir de septembre 2017.", DateValue("2017-09", "gYearMonth")),
    ("entrera en vigueur dès le 1er janvier 2021", DateValue("2021-01-01", "date")),
    ("applicable à compter de 2024", DateValue("2024", "gYear")),
    ("à partir de la semaine prochaine", None),
])
def test_valid_from(text, expected):
    assert find_valid_from(text) == expected


@pytest.mark.parametrize("start, duration, expected", [
    (DateValue("2017-09", "gYearMonth"), "P2Y", DateValue("2019-09", "gYearMonth")),
    (DateValue("2020-11-15", "date"), "P18M", DateValue("2022-05-15", "date")),
    (DateValue("2020", "gYear"), "P3Y", DateValue("2023", "gYear")),
    (DateValue("2020", "gYear"), "P6M", None),
])
def test_add_duration(start, duration, expected):
    assert add_duration(start, duration) == expected
