"""One node per real agreement: the reports of the same signing in several articles (in any
language) are merged, from what the texts say once their entities are resolved.

Two reports from different articles are one agreement when nothing they say disagrees and
two things tie them:

- they share a party that is no country (nearly every agreement here has Vietnam and Japan
  for parties) or a signatory, and
- they share a signatory, or a place, technology, field or event named in the sentences
  that report the signing (the place of signature among them), or a date to the month.

What keeps two reports apart, whatever ties them:

- kinds that differ, unless one of them is the generic "agreement";
- signing dates that differ at the precision both give ("2020-01-09" and "--01-09" agree;
  "2017-09-18" and "2017-11" do not); a report without a date does not block;
- places of signature that differ, or places named in the signing sentences of which each
  report names one the other does not ("with Aichi prefecture" and "with Nagano prefecture");
- bodies that differ: each report names a party the other does not (a body and the one it
  is part of count as one: "VNSC" and "VAST" agree);
- two reports of one article: an article that reports two agreements reports two.

Reports are merged into groups in a fixed order (by article, then position), a report joining
a group only when it agrees with every report already in it: the same reports give the same
groups whatever the order of the files or the number of processes.
"""
from __future__ import annotations

from dataclasses import dataclass

from .models import COUNTRY, EVENT, FIELD, PLACE, TECHNOLOGY, DateValue, Extraction
from .resolve import Resolved

GENERIC = "agreement"
CONTEXT = (PLACE, TECHNOLOGY, FIELD, EVENT)


@dataclass(frozen=True)
class Report:
    """One article's report of an agreement, its entities resolved."""

    source: str
    index: int  # its place among its article's agreements
    start: int  # where its first evidence sentence starts
    kind: str
    parties: frozenset[str]  # the bodies among them: countries tie nothing
    sides: frozenset[str]  # the same bodies, each as the body it is part of (VNSC -> VAST)
    signatories: frozenset[str]
    context: frozenset[str]  # places, technologies, fields and events of its sentences
    places: frozenset[str]  # the places among them
    date: DateValue | None
    place: str | None

    @property
    def key(self) -> tuple[str, int]:
        return self.source, self.index


def reports(extraction: Extraction, resolved: Resolved) -> list[Report]:
    out = []
    for index, ag in enumerate(extraction.agreements):
        spans = [(ev.start, ev.end) for ev in ag.evidence]
        inside = [m for m in extraction.mentions if m.type in CONTEXT and any(a <= m.start < b for a, b in spans)]
        named = {resolved.ref(m.ref) for m in inside}
        places = {resolved.ref(m.ref) for m in inside if m.type == PLACE}
        place = resolved.ref(ag.signed_at) if ag.signed_at else None
        signed_at = {place} if place else set()
        bodies = frozenset(r for r in map(resolved.ref, ag.parties) if not country(resolved, r))
        out.append(Report(extraction.article.source, index, ag.evidence[0].start if ag.evidence else 0, ag.kind,
                          bodies, frozenset(top(resolved, r) for r in bodies), frozenset(map(resolved.ref, ag.signatories)),
                          frozenset(named | set(map(resolved.ref, ag.topics)) | signed_at),
                          frozenset(places | signed_at), ag.signed_on, place))
    return out


def top(resolved: Resolved, ref: str) -> str:
    """The body `ref` is part of, and so on up."""
    seen = {ref}
    while (entity := resolved.entities.get(ref)) is not None and entity.parent:
        ref = resolved.ref(entity.parent)
        if ref in seen:
            break
        seen.add(ref)
    return ref


def country(resolved: Resolved, ref: str) -> bool:
    entity = resolved.entities.get(ref)
    return entity is not None and entity.type == COUNTRY


def date_parts(value: DateValue) -> tuple[str | None, str | None, str | None]:
    """(year, month, day) as far as the value gives them.

    >>> date_parts(DateValue("--01-09", "gMonthDay")), date_parts(DateValue("2017-11", "gYearMonth"))
    ((None, '01', '09'), ('2017', '11', None))
    """
    lexical = value.lexical
    if value.datatype == "gMonthDay":
        return None, lexical[2:4], lexical[5:7]
    parts = lexical.split("-")
    return parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None


def dates_agree(a: DateValue | None, b: DateValue | None) -> bool:
    if a is None or b is None:
        return True
    return all(x is None or y is None or x == y for x, y in zip(date_parts(a), date_parts(b)))


def dates_tie(a: DateValue | None, b: DateValue | None) -> bool:
    """Both dates give the same month at least (with the year or the day)."""
    if a is None or b is None:
        return False
    (ya, ma, da), (yb, mb, db) = date_parts(a), date_parts(b)
    return ma is not None and ma == mb and ((ya is not None and ya == yb) or (da is not None and da == db))


def agree(a: Report, b: Report) -> bool:
    """Nothing the two reports say disagrees."""
    return a.source != b.source and (a.kind == b.kind or GENERIC in (a.kind, b.kind)) \
        and dates_agree(a.date, b.date) and (a.place is None or b.place is None or a.place == b.place) \
        and (a.sides <= b.sides or b.sides <= a.sides) and (a.places <= b.places or b.places <= a.places)


def tied(a: Report, b: Report) -> bool:
    """The two reports name the same agreement."""
    who = (a.parties | a.signatories) & (b.parties | b.signatories)
    return bool(who) and bool(a.signatories & b.signatories or a.context & b.context or dates_tie(a.date, b.date))


def groups(all_reports: list[Report]) -> dict[tuple[str, int], tuple[str, int]]:
    """Each report's key -> the key of the first report of its group."""
    ordered = sorted(all_reports, key=lambda r: (r.source, r.start, r.index))
    found: list[list[Report]] = []
    for report in ordered:
        home = next((g for g in found if any(tied(report, other) for other in g)
                     and all(agree(report, other) for other in g)), None)
        if home is None:
            found.append([report])
        else:
            home.append(report)
    return {r.key: g[0].key for g in found for r in g}


def merged(extractions: list[Extraction], resolved: Resolved) -> dict[tuple[str, int], tuple[str, int]]:
    """For every agreement report (article, its index there), the report whose node it shares."""
    return groups([r for ex in extractions for r in reports(ex, resolved)])
