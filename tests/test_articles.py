"""Reading articles and telling the story from page noise."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.articles import find_articles, headline, read_article, segment
from kg.errors import ArticleError
from kg.models import Zone

PAGE = """Le Japon et le Vietnam signent un accord sur l'énergie

Hanoï (VNA) - Le ministère vietnamien de l'Industrie et du Commerce a signé mardi un accord avec la JETRO.
Le Japon et le Vietnam signent un accord sur l'énergie ảnh 1La cérémonie de signature. Photo : VNA
La cérémonie de signature. Photo : VNA
Les deux parties vont coopérer dans l'hydrogène. -VNA

Voir plus

Un autre sujet sans rapport. Photo : VNA

Le Premier ministre visite une usine

Le Premier ministre japonais Kishida Fumio a visité une usine à Osaka.
"""


def zones(text: str) -> list[tuple[str, str, int]]:
    return [(text[s.start:s.end][:25], s.zone.value, s.story) for s in segment(text)]


def test_headline_body_and_captions():
    got = zones(PAGE)
    assert got[0] == ("Le Japon et le Vietnam si", "headline", 0)
    assert got[1] == ("Hanoï (VNA) - Le ministèr", "body", 0)
    assert got[2][1:] == ("caption", 0)  # headline repeated with the "ảnh 1" image mark
    assert got[3][1:] == ("caption", 0)  # "Photo : VNA" credit
    assert got[4] == ("Les deux parties vont coo", "body", 0)


def test_teasers_after_voir_plus_are_stories_of_their_own():
    got = zones(PAGE)
    teasers = [g for g in got if g[1] == "teaser"]
    assert [t[0] for t in teasers] == ["Le Premier ministre visit", "Le Premier ministre japon"]
    assert all(story > 0 for _, _, story in got[5:])
    assert len({story for _, zone, story in got if zone == "teaser"}) == 2


def test_closing_byline_ends_the_story_without_voir_plus():
    text = "Titre\n\nLe corps de l'article. -AVI\nClôture de l'Exposition nationale\nUn texte sans rapport."
    got = zones(text)
    assert [z for _, z, _ in got] == ["headline", "body", "teaser", "teaser"]
    assert got[2][2] != 0 and got[3][2] != got[2][2]


@pytest.mark.parametrize("line", [
    "Cérémonie de signature à Tokyo. Photo : VNA",
    "Le ministre lors de la rencontre. (Photo: Nhân Dân)",
    "Vue de la conférence. Source: VGP",
    "Titre repris ảnh 2 La légende",
])
def test_caption_lines(line):
    assert segment(f"Titre\n{line}\nCorps de l'article.")[1].zone is Zone.CAPTION


def test_read_article_with_sidecar(tmp_path: Path):
    (tmp_path / "a.txt").write_text("\n  Titre du jour \nCorps.", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(json.dumps({"url": "https://x.vn/a", "publisher": "VNA",
                                                      "published": "2019-07", "language": "fr"}), encoding="utf-8")
    article = read_article(tmp_path / "a.txt", tmp_path)
    assert article.headline == "Titre du jour"
    assert article.source == "a.txt"
    assert article.meta.published == "2019-07"
    assert article.meta.publisher == "VNA"


@pytest.mark.parametrize("content, reason", [
    (b"", "is empty"),
    (b"   \n\t\n", "is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a PNG image, not a text article"),
    (b"\x00\x01\x02binary", "looks binary"),
    ("Titre\nCafé à Hanoï".encode("latin-1"), "is not valid UTF-8"),
])
def test_bad_articles_raise_a_clear_error(tmp_path: Path, content: bytes, reason: str):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleError) as info:
        read_article(path, tmp_path)
    assert str(info.value).startswith("bad.txt: " + reason)


def test_malformed_sidecar_is_reported_and_the_article_still_read(tmp_path: Path):
    (tmp_path / "a.txt").write_text("Titre\nCorps.", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text("{not json", encoding="utf-8")
    article = read_article(tmp_path / "a.txt", tmp_path)
    assert article.headline == "Titre" and article.meta.published is None
    assert article.notes[0].startswith("a.txt: its metadata a.meta.json is not valid JSON")


def test_find_articles_is_sorted_and_relative(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    for name in ("sub/b.txt", "a.md", "c.txt", "c.meta.json", ".hidden.txt"):
        (tmp_path / name).write_text("Titre\nCorps", encoding="utf-8")
    pairs, problems = find_articles([tmp_path])
    found = [p.relative_to(root).as_posix() for p, root in pairs]
    assert problems == []
    assert found == ["a.md", "c.txt", "sub/b.txt"]


def test_a_hard_wrapped_paragraph_is_one_segment_and_not_a_headline():
    text = "Le 3 mars, le ministre\njaponais des Finances, M. Ito Jun, a signé\nun accord à Hanoï.\nFin de l'article."
    segments = segment(text)
    assert [(text[s.start:s.end], s.zone) for s in segments] == [
        ("Le 3 mars, le ministre\njaponais des Finances, M. Ito Jun, a signé\nun accord à Hanoï.", Zone.BODY),
        ("Fin de l'article.", Zone.BODY)]


def test_captions_and_credits_before_the_headline_are_captions():
    text = "Lors de la cérémonie (Photo: AVI)\n• Jiji\nHanoï et Osaka signent un accord\nCorps de l'article."
    assert [s.zone for s in segment(text)] == [Zone.CAPTION, Zone.CAPTION, Zone.HEADLINE, Zone.BODY]
    assert headline(text) == "Hanoï et Osaka signent un accord"
