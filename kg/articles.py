"""Read articles (text plus optional sidecar metadata) and tell the story from the noise.

A news page copied as text holds the article and its furniture: photo captions
(often twice), credits ("Photo : VNA"), a byline closing the story ("-VNA"), stray
words left by images ("ảnh 1") and a block of teasers for other stories ("Voir plus").
`segment()` labels every paragraph with its zone and story so that extractors never
join facts across stories.
"""
from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import regex

from .errors import ArticleError
from .language import detect
from .models import Article, Meta, Segment, Zone

SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
SIDECAR = ".meta.json"
MAX_BYTES = 5_000_000

# A caption ends with a photo credit, or carries the "ảnh N" mark images leave behind.
CAPTION = regex.compile(
    r"(?:\b(?:Photo|Photos|Ảnh|Source|Crédit)\s*:\s*[^\n]{1,80}$)|(?:\bảnh\s+\d+)",
    regex.IGNORECASE,
)
# The line that opens a block of related stories.
TEASER_HEADER = regex.compile(
    r"^\s*(?:Voir plus|Voir aussi|Lire aussi|À lire aussi|Articles? liés?|Sur le même sujet|"
    r"Read more|Related news|Related)\s*:?\s*$",
    regex.IGNORECASE,
)
# A byline closing the story: "-VNA", "– VNA", "- AVI", "(VNA)".
# A news agency's credit set apart on a line of its own, as pages lay it out: "• Kyodo".
CREDIT = regex.compile(r"[•*·]\s*\S+(?:\s+\S+){0,2}$")
# A line cut short by hard wrapping: it does not end a sentence and the next one goes on in lower case.
WRAPPED = regex.compile(r"[^.!?…:;»”\"')]$")
CONTINUED = regex.compile(r"\p{Ll}")
CLOSING_BYLINE = regex.compile(r"[-–—]\s*\p{Lu}{2,6}(?:/\p{Lu}{2,6})?\s*\.?\s*$")
SENTENCE_STOP = regex.compile(r"[.!?…](?=\s+\p{Lu})")  # a stop before a capital


# What a file that is not a text article starts with.
MAGIC = {b"%PDF": "a PDF file", b"\x89PNG": "a PNG image", b"GIF8": "a GIF image", b"\xff\xd8\xff": "a JPEG image",
         b"PK\x03\x04": "a ZIP archive (or a Word/OpenDocument file)", b"\xd0\xcf\x11\xe0": "an old Office document"}
BOMS = {b"\xff\xfe\x00\x00": "UTF-32", b"\x00\x00\xfe\xff": "UTF-32", b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16"}
LONG_HEADLINE = 300  # a first line longer than this is a paragraph: the article has no headline line


def decode(raw: bytes, source: str) -> str:
    """The text of an article file, or an ArticleError saying what the file is and what to do."""
    for magic, kind in MAGIC.items():
        if raw.startswith(magic):
            raise ArticleError(source, f"is {kind}, not a text article; save its text as UTF-8 .txt or remove it")
    for bom, encoding in BOMS.items():
        if raw.startswith(bom):
            raise ArticleError(source, f"is {encoding} (it starts with a byte-order mark); re-save it as UTF-8")
    if b"\x00" in raw[:4096]:
        raise ArticleError(source, "looks binary (NUL bytes), not a text article; remove it from the sources")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        hint = " (it looks like Latin-1 or Windows-1252)" if _latin1_like(raw) else ""
        raise ArticleError(source, f"is not valid UTF-8 at byte {exc.start}{hint}; re-save it as UTF-8") from exc


def _latin1_like(raw: bytes) -> bool:
    high = [b for b in raw if b >= 0x80]
    return bool(high) and all(0xC0 <= b <= 0xFF or b in (0x92, 0x93, 0x94, 0x96, 0x97, 0x9C) for b in high)


LANGUAGE_TAG = regex.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")  # the shape of a BCP 47 tag; see language_tag


def language_tag(value: str) -> bool:
    """Whether `value` is a BCP 47 tag an RDF literal takes: its shape, then the full grammar as
    Oxigraph checks it ("AA-0" has the shape, but a one-character subtag opens an extension).

    >>> [language_tag(t) for t in ("fr", "fr-FR", "zh-Hant-TW", "AA-0", "fr FR")]
    [True, True, True, False, False]
    """
    import pyoxigraph as ox

    if not LANGUAGE_TAG.fullmatch(value):
        return False
    try:
        ox.Literal("", language=value)
    except ValueError:
        return False
    return True

def printable(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (kept by the file system as surrogates)
    written as \\xNN escapes.

    >>> printable("bad\\udcff.txt"), printable("Hà Nội.txt")
    ('bad\\\\xff.txt', 'Hà Nội.txt')
    """
    return os.fsencode(name).decode("utf-8", errors="backslashreplace")


def read_article(path: Path, root: Path) -> Article:
    """Read one article file; raises ArticleError with a reason a user can act on."""
    source = printable(path.relative_to(root).as_posix() if path != root else path.name)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ArticleError(source, f"is {size:,} bytes, over the {MAX_BYTES:,}-byte limit for one article; split it")
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleError(source, f"cannot be read ({exc.strerror or exc}); check the file's permissions") from exc
    text = decode(raw, source)
    if path.suffix.lower() not in SUFFIXES + HTML_SUFFIXES:
        raise ArticleError(source, f"is not an article file ({path.suffix or 'no suffix'}); "
                                   "kg reads .txt, .md and .html: rename or remove it")
    notes: list[str] = []
    if path.suffix.lower() in HTML_SUFFIXES:
        text = html_text(text, source)
    if not text.replace("\ufeff", "").strip():  # byte-order marks are not text (headline() drops them)
        raise ArticleError(source, "is empty; add the article's text or remove the file")
    meta = read_meta(path, source, notes)
    if meta.language is None:  # no sidecar says: the text does, else French, the seeds' language
        meta = replace(meta, language=detect(text) or meta.language_tag)
    head = headline(text)
    if len(head) > LONG_HEADLINE:
        notes.append(f"{source}: has no headline line (its first line is a {len(head)}-character paragraph); "
                     "its first sentence is used as the headline")
        head = first_sentence(head)
    return Article(source=source, text=text, headline=head, segments=segment(text), meta=meta, notes=tuple(notes))


def html_text(page: str, source: str) -> str:
    """The main text of an HTML page (headline first), without menus, footers or scripts."""
    import trafilatura

    body = trafilatura.extract(page, output_format="txt", include_comments=False, include_tables=False,
                               favor_precision=True, deduplicate=True)
    if not body:
        raise ArticleError(source, "is an HTML page with no article text that could be extracted; "
                                   "save the article's text instead")
    meta = trafilatura.extract_metadata(page)
    title = (meta.title or "").strip() if meta else ""
    first = body.lstrip().split("\n", 1)[0].strip()
    return body if not title or title == first else f"{title}\n\n{body}"


def first_sentence(paragraph: str) -> str:
    """The first sentence of a paragraph, cut short if need be.

    >>> first_sentence("Tokyo (VNA) - Les autorités ont signé un accord. Le texte prévoit ...")
    'Tokyo (VNA) - Les autorités ont signé un accord.'
    """
    m = SENTENCE_STOP.search(paragraph)
    if m and m.end() <= LONG_HEADLINE:
        return paragraph[: m.end()]
    return paragraph[:LONG_HEADLINE].rsplit(" ", 1)[0] + " …"


def sidecar_of(path: Path) -> Path:
    """Where the sidecar of the article at `path` would be: NAME.meta.json beside NAME.txt."""
    return path.with_name(path.name.rsplit(".", 1)[0] + SIDECAR)


def read_meta(path: Path, source: str, notes: list[str]) -> Meta:
    """The optional sidecar NAME.meta.json: url, publisher, published, language. A broken
    sidecar is reported in `notes` and ignored: the article itself is still read."""
    sidecar = sidecar_of(path)
    if not sidecar.is_file():
        return Meta()
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        notes.append(f"{source}: its metadata {sidecar.name} is not valid JSON ({exc}); read without it, fix or delete it")
        return Meta()
    if not isinstance(data, dict):
        notes.append(f"{source}: its metadata {sidecar.name} is not a JSON object; read without it")
        return Meta()

    def text_field(name: str) -> str | None:
        value = data.get(name)
        return value.strip() or None if isinstance(value, str) else None

    language = text_field("language")
    language = language.replace("_", "-") if language else None  # "fr_FR" -> "fr-FR"
    if language is not None and not language_tag(language):
        notes.append(f"{source}: its metadata gives the language {language!r}, which is no language tag (fr, en, "
                     "fr-FR ...); the language is taken from the text")
        language = None
    return Meta(url=text_field("url"), publisher=text_field("publisher"),
                published=text_field("published"), language=language)


def find_articles(sources: list[Path]) -> tuple[list[tuple[Path, Path]], list[str]]:
    """(file, root) pairs for every file under `sources` but sidecars and hidden files (the
    reader says why a file is not an article), in a stable order, and one line
    per folder that could not be walked (a symbolic link looping back, an unreadable folder).
    Linked folders are followed, each real folder once."""
    found: dict[Path, tuple[Path, Path]] = {}
    problems: list[str] = []
    for root in sources:
        if root.is_file():
            found.setdefault(root.resolve(), (root, root.parent))
            continue
        seen: set[Path] = set()

        def walk_error(exc: OSError, root: Path = root) -> None:
            where = Path(exc.filename).relative_to(root).as_posix() if exc.filename else str(root)
            problems.append(f"{where}: folder cannot be read ({exc.strerror}); check its permissions")

        for folder, dirs, files in os.walk(root, followlinks=True, onerror=walk_error):
            real = Path(folder).resolve()
            if real in seen:
                rel = Path(folder).relative_to(root).as_posix()
                problems.append(f"{rel}: symbolic link loop (it leads back to {real.name}/); skipped, remove the link")
                dirs[:] = []
                continue
            seen.add(real)
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                path = Path(folder) / name
                if not name.startswith(".") and not name.endswith(SIDECAR) and path.is_file():
                    found.setdefault(path.resolve(), (path, root))
    pairs = sorted(found.values(), key=lambda pair: pair[0].relative_to(pair[1]).as_posix())
    return pairs, problems


def headline(text: str) -> str:
    """The headline line: the first line that is not a caption or a credit and is not cut short
    by hard wrapping; where there is none, the first paragraph (read_article keeps its first sentence).

    >>> headline("\\n\\n  Le Vietnam et le Japon  \\nCorps")
    'Le Vietnam et le Japon'
    >>> headline("À la cérémonie (Photo: VNA)\\n• Kyodo\\nLe Japon et le Vietnam signent\\nCorps")
    'Le Japon et le Vietnam signent'
    """
    segments = [g for g in segment(text) if text[g.start:g.end].lstrip("\ufeff").strip()]  # not a byte order mark alone
    if not segments:
        return ""
    first = next((g for g in segments if g.zone is Zone.HEADLINE), None) or next(
        (g for g in segments if g.zone is Zone.BODY), segments[0])
    return text[first.start:first.end].lstrip("\ufeff").strip()


def lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, whitespace trimmed."""
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped)
            spans.append((start, start + len(stripped)))
        pos += len(line)
    return spans


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: a line, or the lines of a hard-wrapped paragraph joined
    (one that does not end a sentence, followed by one that goes on in lower case).

    >>> t = "Titre\\nLe ministre\\njaponais est venu.\\nFin."
    >>> [t[s:e] for s, e in paragraphs(t)]
    ['Titre', 'Le ministre\\njaponais est venu.', 'Fin.']
    """
    spans: list[tuple[int, int]] = []
    for start, end in lines(text):
        if spans and WRAPPED.search(text, spans[-1][0], spans[-1][1]) and CONTINUED.match(text, start, end):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def segment(text: str) -> tuple[Segment, ...]:
    """Label each paragraph: headline, body, caption or teaser, with its story number. Captions
    and credits before the headline are captions; a first paragraph of wrapped lines is body,
    the article having no headline line."""
    spans = paragraphs(text)
    segments: list[Segment] = []
    while spans and (CAPTION.search(text, *spans[0]) or CREDIT.match(text, *spans[0])):
        segments.append(Segment(*spans.pop(0), Zone.CAPTION, 0))
    if not spans:
        return tuple(segments)
    head = text[spans[0][0]:spans[0][1]]
    segments.append(Segment(*spans[0], Zone.BODY if len(head.splitlines()) > 1 else Zone.HEADLINE, 0))
    seen = {head}
    in_teasers = False
    story = 0
    for start, end in spans[1:]:
        line = text[start:end]
        if TEASER_HEADER.match(line):
            in_teasers = True
            seen.add(line)
            continue
        repeated = line in seen or line.startswith(head + " ") and CAPTION.search(line) is not None
        seen.add(line)
        if in_teasers:
            zone = Zone.CAPTION if CAPTION.search(line) or repeated else Zone.TEASER
            if zone is Zone.TEASER and not repeated:
                story += 1
            segments.append(Segment(start, end, zone, max(story, 1)))
            continue
        zone = Zone.CAPTION if repeated or CAPTION.search(line) else Zone.BODY
        segments.append(Segment(start, end, zone, 0))
        if zone is Zone.BODY and CLOSING_BYLINE.search(line):
            in_teasers = True
    return tuple(segments)
