"""Hostile input, shared by tests/test_properties.py and benchmarks/fuzz.py: Hypothesis
strategies, and the checks of what the reader and the date parser give back.

- `unicode_text()`: any Unicode text but surrogates, with the characters that break naive
  code drawn often: RTL and zero-width marks, BOMs, combining marks, line separators.
- `news_text()`: French news-like text built from fragments of real articles (titles,
  names with diacritics, signing sentences, dates, captions, "Voir plus" blocks), mixed with
  quotes, backslashes, markup, Turtle/SPARQL specials and random text.
- `published()`: what a sidecar's "published" may hold: ISO dates, year-months, years,
  out-of-range dates and garbage.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from hypothesis import strategies as st

# Characters that break code which assumes "one visible character, one code point, one line".
SPECIAL_CHARS = (
    "\u200f", "\u200e", "\u202e", "\u2066", "\u2069",  # RTL / LTR marks, overrides and isolates
    "\u200b", "\u200c", "\u200d", "\ufeff", "\u2060",  # zero-width characters, BOM, word joiner
    "\u0301", "\u0300", "\u0303", "\u0323", "\u0309", "\u0302",  # combining accents (Vietnamese)
    "\u00a0", "\u202f", "\u2009", "\u3000",  # no-break, narrow and ideographic spaces
    "\n", "\r", "\t", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029",  # line breaks
    "\x00", "\x01", "\x7f", "\ufffd", "\ufffe", "\uffff", "\U0010ffff",  # controls and noncharacters
    "İ", "ß", "ﬁ", "ǅ", "Σ", "ς",  # characters whose case mapping changes the length
    "٢", "０", "²", "½",  # non-ASCII digits and numbers
    "\"", "'", "’", "«", "»", "\\", "<", ">", "{", "}", ";", ".", "@", "#", "^",
)

unicode_chars = st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from(SPECIAL_CHARS))


def unicode_text(max_size: int = 200) -> st.SearchStrategy[str]:
    """Arbitrary Unicode text (no surrogates: they cannot be written as UTF-8)."""
    return st.text(unicode_chars, max_size=max_size)


TITLES = (
    "le ministre vietnamien de l'Information et de la Communication",
    "le ministre vietnamien de l’Information et de la Communication",
    "la ministre japonaise de l’Intérieur, de l’Information et de la Communication",
    "le vice-ministre vietnamien des Finances",
    "le Premier ministre japonais",
    "son homologue japonais",
    "le président du Centre spatial national du Vietnam (VNSC)",
    "l'ambassadeur du Japon au Vietnam",
    "le directeur général de l'agence japonaise d'exploration spatiale (JAXA)",
)
NAMES = (
    "Nguyễn Mạnh Hùng", "Nguyên Manh Hùng", "Nguyen Manh Hung", "Takaichi Sanae", "Saka Takaichi",
    "Hồ Đức Phớc", "Phạm Minh Chính", "Kishida Fumio", "Trần Thị Ánh", "Đặng Quốc Khánh",
    "N\u0301guye\u0302\u0303n", "Nguyễn\u200bMạnh", "\u200fTakaichi\u200f", "Lê Văn Thành (VNA)",
)
ORGS = (
    "le Vietnam", "le Japon", "la JICA", "la JAXA", "le VNSC", "le ministère de l'Industrie et du Commerce",
    "l’agence japonaise d’exploration spatiale (JAXA)",
    "le Centre spatial national du Vietnam (VNSC - Vietnam National Space Center)",
    "le ministère vietnamien de la Santé", "l'Académie des Sciences et des Technologies du Vietnam",
)
KINDS = (
    "un mémorandum de coopération", "une convention de coopération", "un accord de prêt",
    "un protocole d'accord", "une lettre d'intention", "deux accords de prêt", "un mémorandum d'entente",
)
PLACES = ("Hanoï", "Hanoi", "Tokyo", "Osaka", "Hô Chi Minh-Ville", "Đà Nẵng")
DATES = (
    "le 9 janvier", "le 9 janvier 2020", "lundi", "lundi 1er juillet 2019", "le 3 courant", "le 9 de ce mois",
    "en septembre 2017", "septembre 2017", "en 2017", "le 31 février", "le 0 mars", "le 39 décembre",
    "le 29 février 2100", "dans la période 2020-2023", "de 2023 à 2020", "pendant 3 ans",
    "pendant deux semaines", "d'une durée de 6 mois", "valable 90 jours", "pour une période de 1 semaine",
    "d'une durée de deux ans", "valable 0 an", "à partir de septembre 2017", "à compter du 1er mai",
    "en vigueur dès 2021", "dès l'an prochain", "en 20٢٠", "le ٩ janvier", "le 1\u0301 mars",
)


@st.composite
def sentence(draw: st.DrawFn) -> str:
    """One line of a news page: a signing, a role, a dateline, a caption, a teaser header or markup noise."""
    pick = lambda xs: draw(st.sampled_from(xs))  # noqa: E731
    shapes = (
        lambda: f"{pick(KINDS).capitalize()} a été signé {pick(DATES)} à {pick(PLACES)} entre {pick(ORGS)} et {pick(ORGS)}.",
        lambda: f"{pick(KINDS).capitalize()} dans le domaine de la 5G a été signé {pick(DATES)} à {pick(PLACES)} "
                f"par {pick(TITLES)}, {pick(NAMES)}, et {pick(TITLES)}, {pick(NAMES)}.",
        lambda: f"{pick(ORGS).capitalize()} et {pick(ORGS)} ont signé {pick(DATES)} à {pick(PLACES)} {pick(KINDS)}, "
                f"en présence de {pick(TITLES)} {pick(NAMES)}.",
        lambda: f"{pick(TITLES).capitalize()}, {pick(NAMES)}, a reçu {pick(DATES)} {pick(TITLES)} {pick(NAMES)}.",
        lambda: f"{pick(NAMES)}, {pick(TITLES).split(' ', 1)[1]}, a déclaré : « Cette convention, {pick(DATES)}, "
                f"sera effective {pick(DATES)}. »",
        lambda: f"{pick(PLACES)}, 12 juin 2024 (VNA) - {pick(ORGS).capitalize()} a signé {pick(KINDS)}.",
        lambda: f"{pick(PLACES)} (VNA) - Ce document {pick(DATES)} couvre la période 2020-2023.",
        lambda: f"Cérémonie de signature à {pick(PLACES)}. Photo : VNA",
        lambda: f"Le ministre lors de la rencontre. (Photo: Nhân Dân) ảnh {draw(st.integers(0, 12))}",
        lambda: pick(("Voir plus", "Voir aussi :", "Lire aussi", "Related news", "-VNA", "– VNA", "(VNA)")),
        lambda: pick(('"', "'", '"""', "«", "»", "\\", "\\n", "\\u0022", "<script>alert(1)</script>",
                      "</script>", "]]>", "{ } ; . @ ^^ < > #", "<http://x/>", "_:b0", "@prefix x: <y> .",
                      '"x"^^xsd:date', "SELECT * WHERE { ?s ?p ?o }", "'''", "\"\"\"a\"\"\"", "\\\\", "%00")),
    )
    return draw(st.sampled_from(shapes))()


@st.composite
def news_text(draw: st.DrawFn, max_parts: int = 10) -> str:
    """French news-like text: a headline, then sentences, captions and noise joined by spaces and line breaks."""
    headlines = st.sampled_from(("Le Vietnam et le Japon signent un accord", "Vietnam et Japon : coopération dans la 5G"))
    parts = [draw(st.one_of(headlines, sentence(), unicode_text(40)))]
    for _ in range(draw(st.integers(0, max_parts))):
        parts.append(draw(st.one_of(sentence(), sentence(), unicode_text(30), st.sampled_from(SPECIAL_CHARS))))
    seps = st.sampled_from(("\n\n", "\n", " ", "", "\r\n", "\u2028", " \u200b", "\t"))
    return "".join(p + draw(seps) for p in parts)


def published() -> st.SearchStrategy[str | None]:
    """Publication dates as a sidecar may give them, valid or not."""
    iso = st.dates().map(lambda d: d.isoformat())
    parts = st.integers(0, 9999).flatmap(
        lambda y: st.sampled_from((f"{y:04d}", f"{y:04d}-{y % 14:02d}", f"{y:04d}-{y % 14:02d}-{y % 33:02d}")))
    return st.one_of(
        st.none(), iso, iso.map(lambda s: s[:7]), iso.map(lambda s: s[:4]), parts,
        st.sampled_from(("", " ", "2019-13-45", "0000-00-00", "0001-01-01", "9999-12-31", "2019-02-29",
                         "2020-02-29T10:00:00Z", "2019/07/01", "juillet 2019", "２０１９-０７-０１", "٢٠١٩-٠٧")),
        unicode_text(20),
    )


def file_bytes() -> st.SearchStrategy[bytes]:
    """What a file in the sources may hold: anything, UTF-8 text, news text, or text behind a BOM, NULs or magic."""
    return st.one_of(
        st.binary(max_size=300),
        unicode_text().map(lambda t: t.encode("utf-8")),
        news_text().map(lambda t: t.encode("utf-8")),
        st.tuples(st.sampled_from((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00", b"%PDF",
                                   b"\x89PNG", b"PK\x03\x04", b"<html><body><p>", b"")),
                  st.one_of(st.binary(max_size=80), news_text().map(lambda t: t.encode("utf-8"))))
        .map(b"".join),
    )


# --- what comes out: xsd lexical forms (ASCII digits only: Python's \d also accepts "٢") -----------

DATE = re.compile(r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}")
YEAR_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
MONTH_DAY = re.compile(r"--(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])")
YEAR = re.compile(r"[0-9]{4}")
DURATION = re.compile(r"P[0-9]+[YMD]")  # xsd:duration has no weeks


def valid_xsd(value) -> bool:
    """A DateValue whose lexical form is valid for its xsd type (date, gYearMonth, gMonthDay, gYear)."""
    lexical = value.lexical
    if value.datatype == "date":
        if not DATE.fullmatch(lexical):
            return False
        try:
            dt.date.fromisoformat(lexical)  # 2019-02-30 is no date
        except ValueError:
            return False
        return True
    if value.datatype == "gYearMonth":
        return YEAR_MONTH.fullmatch(lexical) is not None
    if value.datatype == "gMonthDay":
        if MONTH_DAY.fullmatch(lexical) is None:
            return False
        try:
            dt.date(2000, int(lexical[2:4]), int(lexical[5:7]))  # a leap year: --02-29 is valid
        except ValueError:
            return False
        return True
    if value.datatype == "gYear":
        return YEAR.fullmatch(lexical) is not None
    return False


def check_segments(text: str, segments) -> None:
    """Segments are in order, non-overlapping, within the text, each non-empty, stripped, and
    made of whole lines (a line, or the lines of a hard-wrapped paragraph)."""
    lines = {line.strip() for line in text.splitlines()}
    previous_end = 0
    for seg in segments:
        assert previous_end <= seg.start < seg.end <= len(text), seg
        piece = text[seg.start:seg.end]
        assert piece and piece == piece.strip() and all(line.strip() in lines for line in piece.splitlines()), seg
        previous_end = seg.end


def check_dates(text: str, published: str | None) -> None:
    """Every date function on `text`: no exception, values xsd-valid, offsets within the text."""
    from kg.extract.dates import dateline_date, find_dates, find_duration, find_period, find_valid_from
    from kg.models import DateValue

    found = find_dates(text, published)
    assert [f.start for f in found] == sorted(f.start for f in found), found
    for f in found:
        assert 0 <= f.start < f.end <= len(text), f
        assert valid_xsd(f.value), f
    period = find_period(text)
    if period is not None:
        start, until = period
        assert valid_xsd(start) and valid_xsd(until) and start.lexical <= until.lexical, period
    duration = find_duration(text)
    assert duration is None or DURATION.fullmatch(duration), duration
    valid_from = find_valid_from(text, published)
    assert valid_from is None or valid_xsd(valid_from), valid_from
    dated = dateline_date(text)
    assert dated is None or valid_xsd(DateValue(dated, "date")), dated


SUFFIXES = (".txt", ".md", ".html", ".csv", "")


def check_read(folder: Path, raw: bytes, suffix: str = ".txt") -> str:
    """read_article on a file holding `raw`: an Article whose segments are sound, or an ArticleError.

    Returns "article" or "error" (anything else raised propagates: that is the crash).
    """
    from kg.articles import read_article
    from kg.errors import ArticleError
    from kg.models import Article

    path = folder / f"article{suffix}"
    path.write_bytes(raw)
    try:
        art = read_article(path, folder)
    except ArticleError as exc:
        assert exc.path == path.name and exc.reason, exc
        return "error"
    finally:
        path.unlink()
    assert isinstance(art, Article) and art.headline and art.segments, art
    check_segments(art.text, art.segments)
    return "article"


# --- queries ------------------------------------------------------------------------------

TERMS = ("?s", "?p", "?o", "?x", "$y", "kg:party", "rdfs:label", "<https://w3id.org/vjkg/resource/person/x>", "a",
         "schema:Person", '"Hà Nội"@fr', "42", "true", '"""long"""', "_:b", "()", "[]")
FUNCTIONS = ("STR", "LANG", "STRLEN", "UCASE", "REGEX", "CONTAINS", "CONCAT", "COALESCE", "IF", "BOUND", "isIRI",
             "SUBSTR", "REPLACE", "ENCODE_FOR_URI", "MD5", "NOW", "RAND", "IRI", "BNODE", "STRDT", "sameTerm")


@st.composite
def group(draw: st.DrawFn, depth: int = 0) -> str:
    """A graph pattern: triples, nested groups, OPTIONAL, UNION, FILTER, BIND, VALUES, MINUS, SERVICE."""
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.integers(0, 9 if depth < 6 else 2))
        if kind <= 2:
            parts.append(" ".join(draw(st.sampled_from(TERMS)) for _ in range(3)) + " .")
        elif kind == 3:
            parts.append("OPTIONAL " + draw(group(depth + 1)))
        elif kind == 4:
            parts.append(draw(group(depth + 1)) + " UNION " + draw(group(depth + 1)))
        elif kind == 5:
            args = ", ".join(draw(st.sampled_from(TERMS)) for _ in range(draw(st.integers(0, 3))))
            parts.append(f"FILTER({draw(st.sampled_from(FUNCTIONS))}({args}))")
        elif kind == 6:
            parts.append(f"BIND({draw(st.sampled_from(FUNCTIONS))}({draw(st.sampled_from(TERMS))}) AS ?b{depth})")
        elif kind == 7:
            parts.append("MINUS " + draw(group(depth + 1)))
        elif kind == 8:
            parts.append(f"VALUES ?v {{ {' '.join(draw(st.sampled_from(TERMS)) for _ in range(2))} }}")
        else:
            parts.append(f"SERVICE <http://127.0.0.1:{draw(st.integers(1, 65535))}/> " + draw(group(depth + 1)))
    return "{ " + " ".join(parts) + " }"


@st.composite
def sparql_query(draw: st.DrawFn) -> str:
    """Random text, SPARQL-shaped queries, deep nesting and huge literals."""
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return draw(unicode_text(300))
    if kind == 1:
        depth = draw(st.one_of(st.integers(0, 100), st.integers(100, 5000)))
        opening = draw(st.sampled_from(["{", "(", "[", "{ OPTIONAL {"]))
        closing = {"{": "}", "(": ")", "[": "]", "{ OPTIONAL {": "} }"}[opening]
        return "SELECT * WHERE { ?s ?p " + opening * depth + " ?o " + closing * depth + " }"
    if kind == 2:
        return f'SELECT * WHERE {{ ?s ?p "{"x" * draw(st.integers(0, 200_000))}" }}'
    head = draw(st.sampled_from(["SELECT *", "SELECT ?s (COUNT(*) AS ?n)", "ASK", "CONSTRUCT { ?s ?p ?o }",
                                 "DESCRIBE ?s", "SELECT DISTINCT ?s"]))
    tail = draw(st.sampled_from(["", " LIMIT 5", " ORDER BY ?s", " GROUP BY ?s", " OFFSET 3 LIMIT 1"]))
    noise = draw(st.sampled_from(["", "#", "\x00", "}", "{", "'", '"', "<", "\\"])) if kind == 3 else ""
    return f"{head} WHERE {draw(group())}{tail}{noise}"


def check_query(workers, query: str) -> str:
    """A query is refused before it runs, answered, or ends in a QueryError; its worker never dies.

    Returns "refused", "answered" or "error" (anything else raised propagates: that is the crash).
    """
    from kg.errors import QueryError
    from kg.guard import QueryRefused, check
    from kg.workers import Job

    try:
        check(query)
    except QueryRefused as exc:
        assert exc.status in (400, 403, 413) and str(exc), exc
        return "refused"
    try:
        workers.run(Job(query))
    except QueryRefused as exc:
        assert "stopped its worker" not in str(exc), f"the engine died on a query the guard let through: {exc}"
        return "error"
    except QueryError:
        return "error"
    return "answered"


# --- sidecars and file names -------------------------------------------------------------------

@st.composite
def sidecar(draw: st.DrawFn) -> bytes:
    """A .meta.json: a valid object with odd values, or JSON that is not one, or not JSON."""
    values = st.one_of(st.none(), st.booleans(), st.integers(), unicode_text(30), st.lists(st.integers(), max_size=3),
                       st.sampled_from(["fr", "fr_FR", "en-US", "vi", "ja", "français", "", "x" * 300, "fr FR",
                                        "2019-07", "2019-13-45", "http://a b", "javascript:alert(1)"]))
    keys = st.sampled_from(["language", "published", "url", "publisher", "title", "other"])
    kind = draw(st.integers(0, 3))
    if kind == 0:
        import json
        return json.dumps(draw(st.dictionaries(keys, values, max_size=5)), ensure_ascii=draw(st.booleans())).encode()
    if kind == 1:
        return draw(st.sampled_from([b"[1, 2]", b'"text"', b"null", b"{", b"\xff\xfe{}", b"{\"language\": 1}"]))
    return draw(st.binary(max_size=100))


file_names = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="/\x00"), min_size=1, max_size=40),
    st.binary(min_size=1, max_size=40).filter(lambda b: b"/" not in b and b"\x00" not in b and b not in (b".", b".."))
    .map(lambda b: __import__("os").fsdecode(b)),
)


def check_read_with_sidecar(folder: Path, name: str, meta: bytes) -> str:
    """An article under any file name, with any sidecar: read, or refused with an ArticleError;
    what it gives can be written as RDF (its source and its language make valid literals)."""
    import pyoxigraph as ox

    from kg.articles import read_article
    from kg.errors import ArticleError

    stem = name.rsplit(".", 1)[0] or "x"
    path = folder / f"{stem}.txt"
    try:
        path.write_text("Titre\n\nLe Japon et le Vietnam ont signé un accord à Hanoï.\n", encoding="utf-8")
        (folder / f"{stem}.meta.json").write_bytes(meta)
    except OSError:  # a name the file system refuses (too long)
        return "no file"
    try:
        art = read_article(path, folder)
    except ArticleError:
        return "error"
    finally:
        path.unlink(missing_ok=True)
        (folder / f"{stem}.meta.json").unlink(missing_ok=True)
    ox.Literal(art.source)
    ox.Literal(art.headline, language=art.meta.language)
    return "article"
