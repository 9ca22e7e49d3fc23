"""Read articles (text plus optional sidecar metadata) and tell the story from the noise.

A news page copied as text holds the article and its furniture: photo captions
(often twice), credits ("Photo : VNA"), a byline closing the story ("-VNA"), stray
words left by images ("ảnh 1") and a block of teasers for other stories ("Voir plus").
`segment()` labels every paragraph with its zone and story so that extractors never
join facts across stories.
"""
from __future__ import annotations

import json
from pathlib import Path

import regex

from .errors import ArticleError
from .models import Article, Meta, Segment, Zone

SUFFIXES = (".txt", ".md")
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
CLOSING_BYLINE = regex.compile(r"[-–—]\s*\p{Lu}{2,6}(?:/\p{Lu}{2,6})?\s*\.?\s*$")


def read_article(path: Path, root: Path) -> Article:
    """Read one article file; raises ArticleError with a reason a user can act on."""
    source = path.relative_to(root).as_posix() if path != root else path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleError(source, f"cannot be read ({exc.strerror or exc}); check the file's permissions") from exc
    if len(raw) > MAX_BYTES:
        raise ArticleError(source, f"is {len(raw):,} bytes, over the {MAX_BYTES:,}-byte limit for one article; split it")
    if b"\x00" in raw[:4096]:
        raise ArticleError(source, "looks binary (NUL bytes), not a text article; remove it from the sources")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(source, f"is not valid UTF-8 (byte {exc.start}); re-save it as UTF-8") from exc
    if not text.strip():
        raise ArticleError(source, "is empty; add the article's text or remove the file")
    return Article(source=source, text=text, headline=headline(text), segments=segment(text),
                   meta=read_meta(path, source))


def read_meta(path: Path, source: str) -> Meta:
    """The optional sidecar NAME.meta.json: url, publisher, published, language."""
    sidecar = path.with_name(path.name.rsplit(".", 1)[0] + ".meta.json")
    if not sidecar.is_file():
        return Meta()
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArticleError(source, f"its metadata {sidecar.name} is not valid JSON ({exc}); fix or delete it") from exc
    if not isinstance(data, dict):
        raise ArticleError(source, f"its metadata {sidecar.name} must be a JSON object")

    def text_field(name: str) -> str | None:
        value = data.get(name)
        return value.strip() or None if isinstance(value, str) else None

    return Meta(url=text_field("url"), publisher=text_field("publisher"),
                published=text_field("published"), language=text_field("language") or "fr")


def find_articles(sources: list[Path]) -> list[tuple[Path, Path]]:
    """(file, root) pairs for every article under `sources`, in a stable order."""
    found: dict[Path, tuple[Path, Path]] = {}
    for root in sources:
        if root.is_file():
            found.setdefault(root.resolve(), (root, root.parent))
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix.lower() in SUFFIXES and not path.name.startswith("."):
                found.setdefault(path.resolve(), (path, root))
    return sorted(found.values(), key=lambda pair: pair[0].relative_to(pair[1]).as_posix())


def headline(text: str) -> str:
    """The first non-empty line.

    >>> headline("\\n\\n  Le Vietnam et le Japon  \\nCorps")
    'Le Vietnam et le Japon'
    """
    return next(line.strip() for line in text.splitlines() if line.strip())


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


def segment(text: str) -> tuple[Segment, ...]:
    """Label each line: headline, body, caption or teaser, with its story number."""
    spans = lines(text)
    if not spans:
        return ()
    head = text[spans[0][0]:spans[0][1]]
    segments = [Segment(*spans[0], Zone.HEADLINE, 0)]
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
