"""Dates, periods and durations, normalised to the xsd type the text supports.

Nothing is guessed: a day without a year stays a gMonthDay unless the publication
date fixes the year; a weekday ("lundi") becomes a date only when the article's full
publication date is known.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import regex

from ..gazetteer import default_lexicon
from ..models import DateValue, published_parts
from .patterns import alternation, spaced



class Words:
    """The date patterns of one language, built from its lexicon (months, weekdays, numbers,
    and the words that open a year, a period, a duration or a validity)."""

    def __init__(self, lex: dict):
        self.months: dict[str, int] = lex["months"]
        self.weekdays: dict[str, int] = lex["weekdays"]
        self.numbers: dict[str, int] = lex["numbers"]
        self.units: dict[str, str] = lex["duration_units"]
        month = alternation(self.months)
        weekday = alternation(self.weekdays)
        number = alternation(self.numbers)
        unit = alternation(self.units)
        ordinal = f"(?:{alternation(lex['ordinal_suffixes'])})"  # "1er", "9th"
        articles = spaced(lex["articles"])
        year = r"(?P<year>(?:19|20)\d\d)\b"
        # "lundi 1er juillet 2019", "le 9 janvier", "9 January 2020": day, month, optional year.
        self.day_month = regex.compile(
            rf"\b(?:(?P<weekday>{weekday}),?\s+)?(?P<day>[0-3]?\d){ordinal}?\s+(?P<month>{month})\b\.?"
            rf"(?:,?\s+{year})?", regex.IGNORECASE)
        # "Thursday, January 9, 2020", "Sept 29": month, day, optional year.
        self.month_day = regex.compile(
            rf"\b(?:(?P<weekday>{weekday}),?\s+)?(?P<month>{month})\b\.?\s+(?P<day>[0-3]?\d){ordinal}?\b(?![.,]\d)"
            rf"(?:,?\s+{year})?", regex.IGNORECASE)
        # "en septembre 2017", "in November 2017" (no day before it).
        self.month_year = regex.compile(rf"(?<!\d\s)(?<!\d{ordinal}\s)\b(?P<month>{month})\b\.?,?\s+{year}", regex.IGNORECASE)
        # "le 9 de ce mois", "le 9 courant": a day of the publication month.
        self.this_month = regex.compile(rf"\b{articles}?(?P<day>[0-3]?\d){ordinal}?\s+(?:{alternation(lex['this_month'])})\b",
                                        regex.IGNORECASE) if lex["this_month"] else None
        self.weekday = regex.compile(rf"\b(?P<weekday>{weekday})\b(?!,?\s+[0-3]?\d)(?!,?\s+(?:{month})\b)", regex.IGNORECASE)
        self.year = regex.compile(rf"\b(?:{alternation(lex['in_year'])})\s+{year}")
        # "dans la période 2020-2023", "pour la période 2021 - 2025", "de 2020 à 2023".
        self.period = regex.compile(
            rf"\b(?:{alternation(lex['period_openers'])})\s+(?P<from>(?:19|20)\d\d)\s*(?:[-–—]|{alternation(lex['range_joiners'])})"
            r"\s*(?P<until>(?:19|20)\d\d)\b", regex.IGNORECASE)
        # "(septembre 2017 - septembre 2019)": a period from one month to another, in brackets
        # after the validity it spells out (not "de novembre 2013 à novembre 2014", a past event).
        self.month_period = regex.compile(
            rf"\(\s*(?P<m1>{month})\.?\s+(?P<from>(?:19|20)\d\d)\s*(?:[-–—]|{alternation(lex['range_joiners'])})\s*"
            rf"(?P<m2>{month})\.?\s+(?P<until>(?:19|20)\d\d)\b", regex.IGNORECASE)
        # "d'une durée de 2 ans", "pour une durée de deux ans", "valable cinq ans", "for two years".
        self.duration = regex.compile(
            rf"\b(?:{alternation(lex['duration_openers'])})\s+(?P<n>\d{{1,3}}|{number})\s+(?P<unit>{unit})\b", regex.IGNORECASE)
        # "effective à partir de septembre 2017", "entrera en vigueur en janvier 2021".
        self.valid_from = regex.compile(rf"\b(?:{alternation(lex['validity_openers'])})\s+", regex.IGNORECASE)
        self.the = regex.compile(f"{articles}?")  # "à compter du", "dès le", "dès l'"
        # "Hanoï, 12 juin 2024 (VNA) -": a dateline that dates the story.
        self.dateline = regex.compile(
            rf"^[\p{{Lu}}][\p{{L}}\p{{M}}'’\- ]{{1,40}},\s*(?P<day>[0-3]?\d){ordinal}?\s+(?P<month>{month})\s+{year}\s*"
            rf"(?:\([^)]{{1,20}}\))?\s*[-–—]", regex.IGNORECASE | regex.MULTILINE)

    def month(self, word: str) -> int:
        return self.months[word.lower().rstrip(".")]

    def weekday_number(self, word: str) -> int:
        return self.weekdays[word.lower()]


@lru_cache(maxsize=None)
def words(language: str = "fr") -> Words:
    return Words(default_lexicon(language))


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


def day_month(day: int, month: int, year: int | None, weekday: int | None, published: str | None) -> DateValue | None:
    """Normalise a day and month, fixing the year only where the text or publication date does.

    >>> day_month(9, 1, None, None, None)
    DateValue(lexical='--01-09', datatype='gMonthDay')
    >>> day_month(1, 7, None, 0, "2019-07")
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
            if dt.date.fromisoformat(value.lexical).weekday() != weekday:
                return None  # the text contradicts itself: keep nothing
        return value
    if not 1 <= month <= 12 or not 1 <= day <= 31 or _date(2000, month, day) is None:
        return None
    return DateValue(f"--{month:02d}-{day:02d}", "gMonthDay")


def weekday_date(weekday: int, published: str | None) -> DateValue | None:
    """The last `weekday` (0 is Monday) on or before a full publication date; None without one.

    >>> weekday_date(0, "2017-08-30")
    DateValue(lexical='2017-08-28', datatype='date')
    >>> weekday_date(0, "2019-07") is None
    True
    """
    year, month, day = published_parts(published)
    if year is None or month is None or day is None:
        return None
    try:
        pub = dt.date(year, month, day)
        delta = (pub.weekday() - weekday) % 7
        return DateValue((pub - dt.timedelta(days=delta)).isoformat(), "date")
    except (ValueError, OverflowError):  # no such publication date ("2019-13-45"), or before year 1
        return None


def find_dates(text: str, published: str | None = None, language: str = "fr") -> list[Found]:
    """Every point in time the text names, in order.

    >>> [f.value.lexical for f in find_dates("signé le 9 janvier à Hanoi, puis en septembre 2020")]
    ['--01-09', '2020-09']
    >>> [f.value.lexical for f in find_dates("On January 9, 2020 and in November 2017", None, "en")]
    ['2020-01-09', '2017-11']
    """
    w = words(language)
    found: list[Found] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for pattern in (w.day_month, w.month_day):
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            weekday = w.weekday_number(m["weekday"]) if m["weekday"] else None
            value = day_month(int(m["day"]), w.month(m["month"]), int(m["year"]) if m["year"] else None,
                              weekday, published)
            taken.append((m.start(), m.end()))
            if value is not None:
                found.append(Found(m.start(), m.end(), value))
    for m in w.this_month.finditer(text) if w.this_month else ():
        year, month, _ = published_parts(published)
        taken.append((m.start(), m.end()))
        if year is not None and month is not None:
            value = _date(year, month, int(m["day"]))
            if value is not None:
                found.append(Found(m.start(), m.end(), value))
    for m in w.month_year.finditer(text):
        if free(m.start(), m.end()):
            taken.append((m.start(), m.end()))
            found.append(Found(m.start(), m.end(), DateValue(f"{_year(m['year'])}-{w.month(m['month']):02d}", "gYearMonth")))
    for m in w.weekday.finditer(text):
        if free(m.start(), m.end()):
            value = weekday_date(w.weekday_number(m["weekday"]), published)
            if value is not None:
                found.append(Found(m.start(), m.end(), value))
    for m in w.year.finditer(text):
        if free(m.start(), m.end()):
            found.append(Found(m.start(), m.end(), DateValue(_year(m["year"]), "gYear")))
    return sorted(found, key=lambda f: f.start)


def first_date_at(text: str, language: str = "fr") -> int | None:
    """Where the first date expression of a text starts, whether or not it can be resolved.

    >>> first_date_at("on satellite data on Thursday", "en")
    21
    """
    w = words(language)
    starts = [m.start() for p in (w.day_month, w.month_day, w.month_year, w.weekday) for m in [p.search(text)] if m]
    return min(starts, default=None)


def find_period(text: str, language: str = "fr") -> tuple[DateValue, DateValue] | None:
    """ "dans la période 2020-2023" -> (2020, 2023) as gYears.

    >>> find_period("réalisée dans la période 2020-2023.")
    (DateValue(lexical='2020', datatype='gYear'), DateValue(lexical='2023', datatype='gYear'))
    >>> find_period("for two years (September 2017 – September 2019)", "en")[1]
    DateValue(lexical='2019-09', datatype='gYearMonth')
    """
    w = words(language)
    months = w.month_period.search(text)
    if months:
        start = (int(months["from"]), w.month(months["m1"]))
        until = (int(months["until"]), w.month(months["m2"]))
        if start <= until:
            return (DateValue(f"{start[0]:04d}-{start[1]:02d}", "gYearMonth"),
                    DateValue(f"{until[0]:04d}-{until[1]:02d}", "gYearMonth"))
    m = w.period.search(text)
    if not m or int(m["from"]) > int(m["until"]):
        return None
    return DateValue(_year(m["from"]), "gYear"), DateValue(_year(m["until"]), "gYear")


def find_duration(text: str, language: str = "fr") -> str | None:
    """ "d'une durée de 2 ans" -> "P2Y".

    >>> find_duration("Cette convention, d’une durée de deux ans, sera effective")
    'P2Y'
    >>> find_duration("valable pendant deux semaines")
    'P14D'
    """
    w = words(language)
    m = w.duration.search(text)
    if not m:
        return None
    n = int(m["n"]) if m["n"].isdigit() else w.numbers[m["n"].lower()]
    unit = w.units[m["unit"].lower()]
    if unit == "W":  # xsd:duration has no weeks: "P2W" is not a valid lexical form
        n, unit = n * 7, "D"
    return f"P{n}{unit}" if n > 0 else None


def find_valid_from(text: str, published: str | None = None, language: str = "fr") -> DateValue | None:
    """The date after "à partir de", "à compter du", "en vigueur dès" ...

    >>> find_valid_from("sera effective à  partir de septembre 2017.")
    DateValue(lexical='2017-09', datatype='gYearMonth')
    """
    w = words(language)
    for m in w.valid_from.finditer(text):
        rest = text[m.end():m.end() + 40]
        lead = w.the.match(rest).end()
        dates = [f for f in find_dates(rest[lead:], published, language) if f.start == 0]
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


def dateline_date(text: str, language: str = "fr") -> str | None:
    """The ISO date a dateline gives, if any.

    >>> dateline_date("Titre\\nHanoï, 12 juin 2024 (VNA) - Le Vietnam ...")
    '2024-06-12'
    >>> dateline_date("Hanoï (VNA) - Le Vietnam ...") is None
    True
    """
    w = words(language)
    m = w.dateline.search(text[:2000])
    if not m:
        return None
    value = _date(int(m["year"]), w.month(m["month"]), int(m["day"]))
    return value.lexical if value else None
