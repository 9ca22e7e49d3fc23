"""French dates, periods and durations, normalised to the xsd type the text supports.

Nothing is guessed: a day without a year stays a gMonthDay unless the publication
date fixes the year; a weekday ("lundi") becomes a date only when the article's full
publication date is known.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import regex

from ..gazetteer import default_lexicon
from ..models import DateValue, published_parts
from .patterns import alternation, spaced

_LEX = default_lexicon()
MONTHS: dict[str, int] = _LEX["months"]
WEEKDAYS: dict[str, int] = _LEX["weekdays"]
NUMBERS: dict[str, int] = _LEX["numbers"]
UNITS: dict[str, str] = _LEX["duration_units"]

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(WEEKDAYS)
_NUMBER = "|".join(sorted(NUMBERS, key=len, reverse=True))
_UNIT = "|".join(sorted(UNITS, key=len, reverse=True))
_ORDINAL = f"(?:{alternation(_LEX['ordinal_suffixes'])})"  # "1er"

# "lundi 1er juillet 2019", "le 9 janvier", "9 janvier 2020": day, month, optional year.
DAY_MONTH = regex.compile(
    rf"\b(?:(?P<weekday>{_WEEKDAY})\s+)?(?P<day>[0-3]?\d){_ORDINAL}?\s+(?P<month>{_MONTH})\b(?:\s+(?P<year>(?:19|20)\d\d)\b)?",
    regex.IGNORECASE)
# "en septembre 2017", "septembre 2017" (no day before it).
MONTH_YEAR = regex.compile(rf"(?<!\d\s)(?<!\d{_ORDINAL}\s)\b(?P<month>{_MONTH})\s+(?P<year>(?:19|20)\d\d)\b", regex.IGNORECASE)
# "le 9 de ce mois", "le 9 courant": a day of the publication month.
THIS_MONTH = regex.compile(rf"\b{spaced(_LEX['articles'])}?(?P<day>[0-3]?\d){_ORDINAL}?\s+(?:{alternation(_LEX['this_month'])})\b",
                           regex.IGNORECASE)
WEEKDAY = regex.compile(rf"\b(?P<weekday>{_WEEKDAY})\b(?!\s+[0-3]?\d)", regex.IGNORECASE)
YEAR = regex.compile(rf"\b(?:{alternation(_LEX['in_year'])})\s+(?P<year>(?:19|20)\d\d)\b")
# "dans la période 2020-2023", "pour la période 2021 - 2025", "de 2020 à 2023".
PERIOD = regex.compile(
    rf"\b(?:{alternation(_LEX['period_openers'])})\s+(?P<from>(?:19|20)\d\d)\s*(?:[-–—]|{alternation(_LEX['range_joiners'])})"
    r"\s*(?P<until>(?:19|20)\d\d)\b",
    regex.IGNORECASE)
# "d'une durée de 2 ans", "pour une durée de deux ans", "valable cinq ans".
DURATION = regex.compile(
    rf"\b(?:{alternation(_LEX['duration_openers'])})\s+(?P<n>\d{{1,3}}|{_NUMBER})\s+(?P<unit>{_UNIT})\b",
    regex.IGNORECASE)
# "effective à partir de septembre 2017", "entrera en vigueur en janvier 2021".
VALID_FROM = regex.compile(
    rf"\b(?:{alternation(_LEX['validity_openers'])})\s+", regex.IGNORECASE)
THE = regex.compile(f"{spaced(_LEX['articles'])}?")  # "à compter du", "dès le", "dès l'"
YEAR_ONLY = regex.compile(r"((?:19|20)\d\d)\b")
YEARS_OR_MONTHS = regex.compile(r"P(\d+)([YM])")


@dataclass(frozen=True)
class Found:
    """A date expression in a text: where it is and what it means."""

    start: int
    end: int
    value: DateValue


def _year(digits: str) -> str:
    """The xsd lexical form of a year the patterns matched: `\\d` also matches other scripts' digits.

    >>> _year("20٢٠")
    '2020'
    """
    return f"{int(digits):04d}"


def _date(year: int, month: int, day: int) -> DateValue | None:
    try:
        return DateValue(dt.date(year, month, day).isoformat(), "date")
    except ValueError:
        return None


def day_month(day: int, month: int, year: int | None, weekday: str | None, published: str | None) -> DateValue | None:
    """Normalise a day and month, fixing the year only where the text or publication date does.

    >>> day_month(9, 1, None, None, None)
    DateValue(lexical='--01-09', datatype='gMonthDay')
    >>> day_month(1, 7, None, "lundi", "2019-07")
    DateValue(lexical='2019-07-01', datatype='date')
    >>> day_month(1, 12, None, None, "2019-07") is None or day_month(1, 12, None, None, "2019-07").datatype
    'gMonthDay'
    """
    if year is not None:
        return _date(year, month, day)
    pub_year, pub_month, _ = published_parts(published)
    if pub_year is not None and pub_month is not None and month <= pub_month:
        value = _date(pub_year, month, day)
        if value is not None and weekday is not None:
            if dt.date.fromisoformat(value.lexical).weekday() != WEEKDAYS[weekday.lower()]:
                return None  # the text contradicts itself: keep nothing
        return value
    if not 1 <= month <= 12 or not 1 <= day <= 31 or _date(2000, month, day) is None:
        return None
    return DateValue(f"--{month:02d}-{day:02d}", "gMonthDay")


def weekday_date(weekday: str, published: str | None) -> DateValue | None:
    """The last `weekday` on or before a full publication date; None without one.

    >>> weekday_date("lundi", "2017-08-30")
    DateValue(lexical='2017-08-28', datatype='date')
    >>> weekday_date("lundi", "2019-07") is None
    True
    """
    year, month, day = published_parts(published)
    if year is None or month is None or day is None:
        return None
    try:
        pub = dt.date(year, month, day)
        delta = (pub.weekday() - WEEKDAYS[weekday.lower()]) % 7
        return DateValue((pub - dt.timedelta(days=delta)).isoformat(), "date")
    except (ValueError, OverflowError):  # no such publication date ("2019-13-45"), or before year 1
        return None


def find_dates(text: str, published: str | None = None) -> list[Found]:
    """Every point in time the text names, in order.

    >>> [f.value.lexical for f in find_dates("signé le 9 janvier à Hanoi, puis en septembre 2020")]
    ['--01-09', '2020-09']
    """
    found: list[Found] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for m in DAY_MONTH.finditer(text):
        value = day_month(int(m["day"]), MONTHS[m["month"].lower()], int(m["year"]) if m["year"] else None,
                          m["weekday"], published)
        taken.append((m.start(), m.end()))
        if value is not None:
            found.append(Found(m.start(), m.end(), value))
    for m in THIS_MONTH.finditer(text):
        year, month, _ = published_parts(published)
        taken.append((m.start(), m.end()))
        if year is not None and month is not None:
            value = _date(year, month, int(m["day"]))
            if value is not None:
                found.append(Found(m.start(), m.end(), value))
    for m in MONTH_YEAR.finditer(text):
        if free(m.start(), m.end()):
            taken.append((m.start(), m.end()))
            found.append(Found(m.start(), m.end(), DateValue(f"{_year(m['year'])}-{MONTHS[m['month'].lower()]:02d}", "gYearMonth")))
    for m in WEEKDAY.finditer(text):
        if free(m.start(), m.end()):
            value = weekday_date(m["weekday"], published)
            if value is not None:
                found.append(Found(m.start(), m.end(), value))
    for m in YEAR.finditer(text):
        if free(m.start(), m.end()):
            found.append(Found(m.start(), m.end(), DateValue(_year(m["year"]), "gYear")))
    return sorted(found, key=lambda f: f.start)


def find_period(text: str) -> tuple[DateValue, DateValue] | None:
    """ "dans la période 2020-2023" -> (2020, 2023) as gYears.

    >>> find_period("réalisée dans la période 2020-2023.")
    (DateValue(lexical='2020', datatype='gYear'), DateValue(lexical='2023', datatype='gYear'))
    """
    m = PERIOD.search(text)
    if not m or int(m["from"]) > int(m["until"]):
        return None
    return DateValue(_year(m["from"]), "gYear"), DateValue(_year(m["until"]), "gYear")


def find_duration(text: str) -> str | None:
    """ "d'une durée de 2 ans" -> "P2Y".

    >>> find_duration("Cette convention, d’une durée de deux ans, sera effective")
    'P2Y'
    >>> find_duration("valable pendant deux semaines")
    'P14D'
    """
    m = DURATION.search(text)
    if not m:
        return None
    n = int(m["n"]) if m["n"].isdigit() else NUMBERS[m["n"].lower()]
    unit = UNITS[m["unit"].lower()]
    if unit == "W":  # xsd:duration has no weeks: "P2W" is not a valid lexical form
        n, unit = n * 7, "D"
    return f"P{n}{unit}" if n > 0 else None


def find_valid_from(text: str, published: str | None = None) -> DateValue | None:
    """The date after "à partir de", "à compter du", "en vigueur dès" ...

    >>> find_valid_from("sera effective à  partir de septembre 2017.")
    DateValue(lexical='2017-09', datatype='gYearMonth')
    """
    for m in VALID_FROM.finditer(text):
        rest = text[m.end():m.end() + 40]
        lead = THE.match(rest).end()
        dates = [f for f in find_dates(rest[lead:], published) if f.start == 0]
        if dates:
            return dates[0].value
        year = YEAR_ONLY.match(rest[lead:])
        if year:
            return DateValue(_year(year[1]), "gYear")
    return None


def add_duration(start: DateValue, duration: str) -> DateValue | None:
    """The end of a validity period, at the precision of its start.

    >>> add_duration(DateValue("2017-09", "gYearMonth"), "P2Y")
    DateValue(lexical='2019-09', datatype='gYearMonth')
    >>> add_duration(DateValue("2020", "gYear"), "P6M") is None
    True
    """
    m = YEARS_OR_MONTHS.fullmatch(duration)
    if not m:
        return None
    n, unit = int(m[1]), m[2]
    months = n * 12 if unit == "Y" else n
    if start.datatype == "gYear":
        return DateValue(str(int(start.lexical) + months // 12), "gYear") if months % 12 == 0 else None
    if start.datatype == "gYearMonth":
        year, month = map(int, start.lexical.split("-"))
        total = year * 12 + (month - 1) + months
        return DateValue(f"{total // 12}-{total % 12 + 1:02d}", "gYearMonth")
    if start.datatype == "date":
        d = dt.date.fromisoformat(start.lexical)
        total = d.year * 12 + (d.month - 1) + months
        return _date(total // 12, total % 12 + 1, d.day)
    return None


# "Hanoï, 12 juin 2024 (VNA) -": a dateline that dates the story.
DATELINE_DATE = regex.compile(
    rf"^[\p{{Lu}}][\p{{L}}\p{{M}}'’\- ]{{1,40}},\s*(?P<day>[0-3]?\d){_ORDINAL}?\s+(?P<month>{_MONTH})\s+(?P<year>(?:19|20)\d\d)\s*"
    rf"(?:\([^)]{{1,20}}\))?\s*[-–—]", regex.IGNORECASE | regex.MULTILINE)


def dateline_date(text: str) -> str | None:
    """The ISO date a dateline gives, if any.

    >>> dateline_date("Titre\\nHanoï, 12 juin 2024 (VNA) - Le Vietnam ...")
    '2024-06-12'
    >>> dateline_date("Hanoï (VNA) - Le Vietnam ...") is None
    True
    """
    m = DATELINE_DATE.search(text[:2000])
    if not m:
        return None
    value = _date(int(m["year"]), MONTHS[m["month"].lower()], int(m["day"]))
    return value.lexical if value else None
