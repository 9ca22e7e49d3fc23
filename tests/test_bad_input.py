"""Bad input: each case is reported in one line naming the file, and nothing else is lost."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from kg.errors import ArticleError, KgError
from kg.graph import load_graph
from kg.pipeline import build

HTML = """<!doctype html><html><head><title>Le Japon et le Vietnam signent un accord sur l'hydrogène</title>
<script>var tracker = "ne pas lire";</script></head><body>
<nav><a href="/">Accueil</a> | <a href="/monde">Monde</a></nav>
<article><h1>Le Japon et le Vietnam signent un accord sur l'hydrogène</h1>
<p>Un accord sur l'hydrogène a été signé jeudi à Osaka entre le Vietnam et le Japon, a annoncé l'agence.</p>
<p>Le ministre vietnamien de l'Industrie et du Commerce, Nguyễn Hồng Diên, a salué ce document.</p></article>
<footer>© Tous droits réservés</footer></body></html>"""

NO_HEADLINE = ("Hanoï (VNA) - Le Vietnam et le Japon ont signé lundi un accord sur la formation des infirmiers, "
               "qui permettra d'envoyer des stagiaires au Japon pendant trois ans, selon le ministère vietnamien "
               "de la Santé qui a précisé que les deux parties coopéreront aussi dans la recherche médicale et "
               "l'échange d'experts dans les années à venir, avec un premier groupe de cent stagiaires.\n\nSuite.")


def write(folder: Path, name: str, content: bytes | str) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    (folder / name).write_bytes(data)


CASES = {
    # name: (files to add, expected line, kind of line)
    "empty": ({"x.txt": b""}, "x.txt: is empty; add the article's text or remove the file", "skipped"),
    "whitespace": ({"x.txt": b"  \n\t \n"}, "x.txt: is empty; add the article's text or remove the file", "skipped"),
    "pdf": ({"rapport.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"},
            "rapport.pdf: is a PDF file, not a text article; save its text as UTF-8 .txt or remove it", "skipped"),
    "png": ({"photo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
            "photo.png: is a PNG image, not a text article; save its text as UTF-8 .txt or remove it", "skipped"),
    "other suffix": ({"liste.csv": b"nom,pays\nJICA,Japon\n"},
                     "liste.csv: is not an article file (.csv); kg reads .txt, .md and .html: rename or remove it", "skipped"),
    "latin-1": ({"x.txt": "Titre\nCafé à Hanoï".encode("latin-1")},
                "x.txt: is not valid UTF-8 at byte 9 (it looks like Latin-1 or Windows-1252); re-save it as UTF-8",
                "skipped"),
    "utf-16": ({"x.txt": "Titre\nHanoï".encode("utf-16")},
               "x.txt: is UTF-16 (it starts with a byte-order mark); re-save it as UTF-8", "skipped"),
    "duplicate": ({"zz_copie.txt": None}, "zz_copie.txt: same text as 000_c0f335d2a1b346a0.txt; skipped as a duplicate, "
                                          "remove one of the two", "skipped"),
    "malformed sidecar": ({"y.txt": "Accord rail\n\nLa JICA finance le rail.", "y.meta.json": b"{\"url\": "},
                          "y.txt: its metadata y.meta.json is not valid JSON (Expecting value: line 1 column 9 (char 8)); "
                          "read without it, fix or delete it", "warning"),
    "same article IRI": ({"Accord Rail.txt": "Rail\n\nUn accord sur le rail a été signé à Hanoï.",
                          "accord-rail.txt": "Train\n\nUn accord sur le train a été signé à Tokyo."},
                         "accord-rail.txt: would have the same IRI as Accord Rail.txt "
                         "(https://w3id.org/vjkg/resource/article/accord-rail); rename one of the two", "skipped"),
    "not a language tag": ({"z.txt": "Accord rail\n\nLa JICA finance le rail.", "z.meta.json": b'{"language": "fr FR!"}'},
                           "z.txt: its metadata gives the language 'fr FR!', which is no language tag (fr, en, fr-FR ...); "
                           "the language is taken from the text", "warning"),
    "no headline": ({"sans-titre.txt": NO_HEADLINE},
                    "sans-titre.txt: has no headline line (its first line is a 375-character paragraph); "
                    "its first sentence is used as the headline", "warning"),
}


@pytest.fixture
def seeds_copy(repo: Path, tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(repo / "seeds", src)
    return src


def built_triples(built: Path) -> set:
    return set(load_graph(built / "kg.ttl"))


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_reported_and_the_other_articles_are_all_there(case: str, seeds_copy: Path, tmp_path: Path,
                                                                     built: Path):
    files, expected, kind = CASES[case]
    for name, content in files.items():
        if content is None:  # a copy of a seed under another name
            content = (seeds_copy / "000_c0f335d2a1b346a0.txt").read_bytes()
        write(seeds_copy, name, content)
    report = build([seeds_copy], tmp_path / "out")
    lines = report.skipped if kind == "skipped" else report.warnings
    assert lines == [expected]
    graph = load_graph(tmp_path / "out" / "kg.ttl")
    assert built_triples(built) <= set(graph), "every fact of the seeds is still in the graph"
    with pytest.raises(KgError) as info:
        build([seeds_copy], tmp_path / "strict", strict=True)
    assert str(info.value) == expected
    assert not (tmp_path / "strict" / "kg.ttl").exists()


def test_article_with_a_broken_sidecar_keeps_its_facts(seeds_copy: Path, tmp_path: Path):
    write(seeds_copy, "y.txt", "Accord rail\n\nUn accord sur le rail a été signé à Hanoï entre le Vietnam et la JICA.")
    write(seeds_copy, "y.meta.json", b"[1, 2")
    build([seeds_copy], tmp_path / "out")
    g = load_graph(tmp_path / "out" / "kg.ttl")
    assert any("rail" in str(o) for o in g.objects(None, None))


def test_huge_file(seeds_copy: Path, tmp_path: Path, built: Path):
    with (seeds_copy / "enorme.txt").open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # 50 MB, without writing them
    report = build([seeds_copy], tmp_path / "out")
    assert report.skipped == ["enorme.txt: is 52,428,800 bytes, over the 5,000,000-byte limit for one article; split it"]
    assert built_triples(built) <= set(load_graph(tmp_path / "out" / "kg.ttl"))


def test_unreadable_file(seeds_copy: Path, tmp_path: Path, built: Path, monkeypatch: pytest.MonkeyPatch):
    write(seeds_copy, "secret.txt", "Titre\nCorps.")
    original = Path.read_bytes

    def read_bytes(self: Path) -> bytes:  # chmod 000 does not stop root, so the refusal is simulated
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    report = build([seeds_copy], tmp_path / "out")
    assert report.skipped == ["secret.txt: cannot be read (Permission denied); check the file's permissions"]
    assert built_triples(built) <= set(load_graph(tmp_path / "out" / "kg.ttl"))


def test_symlink_loop(seeds_copy: Path, tmp_path: Path, built: Path):
    (seeds_copy / "archives").mkdir()
    os.symlink(seeds_copy, seeds_copy / "archives" / "boucle")
    report = build([seeds_copy], tmp_path / "out")
    assert report.skipped == ["archives/boucle: symbolic link loop (it leads back to src/); skipped, remove the link"]
    assert built_triples(built) <= set(load_graph(tmp_path / "out" / "kg.ttl"))


def test_linked_folder_is_read(seeds_copy: Path, tmp_path: Path):
    other = tmp_path / "ailleurs"
    other.mkdir()
    write(other, "rail.txt", "Accord rail\n\nLa JICA finance le rail.")
    os.symlink(other, seeds_copy / "lien")
    report = build([seeds_copy], tmp_path / "out")
    assert report.articles == 3 and report.skipped == []


def test_html_article_main_text_only(seeds_copy: Path, tmp_path: Path):
    write(seeds_copy, "hydrogene.html", HTML)
    report = build([seeds_copy], tmp_path / "out")
    assert report.articles == 3 and report.skipped == [] and report.warnings == []
    g: Graph = load_graph(tmp_path / "out" / "kg.ttl")
    text = g.serialize(format="turtle")
    assert "Nguyễn Hồng Diên" in text and "Osaka" in text
    assert "ne pas lire" not in text and "Tous droits" not in text and "Accueil" not in text


def test_an_article_whose_extraction_fails_is_reported_and_the_others_are_built(tmp_path, monkeypatch):
    import pickle

    import kg.runner
    from kg.errors import ArticleError
    from kg.pipeline import build

    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("Rail\n\nLa JICA finance un pont à Hanoï.", encoding="utf-8")
    (src / "b.txt").write_text("Santé\n\nLe Japon aide le Vietnam.", encoding="utf-8")
    real = kg.runner.extract

    def failing(article, parsed, gazetteer):
        if article.source == "b.txt":
            raise IndexError("a rule met a text it did not foresee")
        return real(article, parsed, gazetteer)

    monkeypatch.setattr(kg.runner, "extract", failing)
    report = build([src], tmp_path / "out")
    (line,) = report.skipped
    assert line.startswith("b.txt: could not be extracted (IndexError: a rule met a text")
    assert (tmp_path / "out" / "kg.ttl").read_text(encoding="utf-8").count("schema:NewsArticle") == 1
    with pytest.raises(ArticleError, match="b.txt"):
        build([src], tmp_path / "strict", strict=True)
    assert not (tmp_path / "strict" / "kg.ttl").exists()
    error = pickle.loads(pickle.dumps(ArticleError("b.txt", "why")))  # as a worker process sends it back
    assert (error.path, error.reason, str(error)) == ("b.txt", "why", "b.txt: why")


def test_files_that_used_to_stop_the_build_are_read(seeds_copy: Path, tmp_path: Path, built: Path):
    """A locale for a language, a file name that is not UTF-8, a field closed by a place."""
    write(seeds_copy, "locale.txt", "Accord\n\nUn accord sur l'eau a été signé à Hué entre le Vietnam et le Japon.")
    write(seeds_copy, "locale.meta.json", b'{"language": "fr_FR"}')
    (seeds_copy / os.fsdecode(b"nom-\xff\xfe.txt")).write_text("Nom\n\nUn mémorandum sur la pêche a été signé.")
    write(seeds_copy, "sante.txt", "Santé\n\nLe Japon et le Vietnam ont signé un accord sur la santé à Tokyo.")
    report = build([seeds_copy], tmp_path / "out")
    assert report.skipped == [] and report.warnings == []
    graph = load_graph(tmp_path / "out" / "kg.ttl")
    assert built_triples(built) <= set(graph)
    text = (tmp_path / "out" / "kg.ttl").read_text(encoding="utf-8")
    assert '"fr-FR"' in text and "nom-\\\\xff\\\\xfe.txt" in text and "santé" in text


def test_a_paragraph_longer_than_the_model_takes_is_read_in_pieces(seeds_copy: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch):
    from kg import nlp

    monkeypatch.setattr(nlp.load(), "max_length", 30_000)  # as 1,000,000 is for the real model, without the wait
    paragraph = "Le Japon aide le Vietnam. " * 2_000 + "Un accord sur le riz a été signé à Hué entre le Vietnam et le Japon."
    write(seeds_copy, "long.txt", "Long\n\n" + paragraph)
    report = build([seeds_copy], tmp_path / "out")
    assert report.skipped == []
    assert "Accord sur le riz" in (tmp_path / "out" / "kg.ttl").read_text(encoding="utf-8")


def test_two_builds_into_one_folder_take_turns(repo: Path, tmp_path: Path, built: Path):
    import subprocess
    import sys

    command = [sys.executable, "-m", "kg.cli", "build", str(repo / "seeds"), "--out", str(tmp_path / "out")]
    runs = [subprocess.Popen(command, cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    results = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results
    assert not any("Traceback" in err for _, err in results)
    assert (tmp_path / "out" / "kg.ttl").read_bytes() == (built / "kg.ttl").read_bytes()
    assert list((tmp_path / "out" / ".cache").iterdir()), "the cache holds the seeds' extractions"
    assert not list((tmp_path / "out").glob(".kg.*.tmp"))


def test_an_output_folder_that_cannot_be_written_is_one_line(seeds_copy: Path, tmp_path: Path):
    (tmp_path / "file").write_text("")
    with pytest.raises(KgError) as info:
        build([seeds_copy], tmp_path / "file" / "out")
    assert str(info.value).startswith(f"{tmp_path / 'file' / 'out'}: cannot write there")


def test_every_export_writes_text_with_control_characters(seeds_copy: Path, tmp_path: Path):
    import networkx as nx

    from kg.export import FORMATS, export

    write(seeds_copy, "ctrl.txt", "Contrôle\n\nUn accord sur la pêche\x07 a été signé à Hanoï entre le Vietnam et le Japon.")
    build([seeds_copy], tmp_path / "out")
    graph = load_graph(tmp_path / "out" / "kg.ttl")
    texts = {fmt: export(graph, fmt) for fmt in FORMATS}
    assert "\\u0007" in texts["nt"] and "\\u0007" in texts["graphml"] and "\\u0007" in texts["gexf"]
    (tmp_path / "kg.graphml").write_text(texts["graphml"], encoding="utf-8")
    labels = nx.get_node_attributes(nx.read_graphml(tmp_path / "kg.graphml"), "label").values()
    assert any("pêche\\u0007" in label for label in labels)


def test_an_article_the_model_cannot_read_is_reported_and_the_others_are_built(tmp_path, monkeypatch):
    from kg import nlp

    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("Rail\n\nLa JICA finance un pont à Hanoï.", encoding="utf-8")
    (src / "b.txt").write_text("Santé\n\nLe Japon aide le Vietnam. ILLISIBLE", encoding="utf-8")
    real = nlp.tokenize

    def failing(model, text):
        if "ILLISIBLE" in text:
            raise ValueError("the model met a text it could not take")
        return real(model, text)

    monkeypatch.setattr(nlp, "tokenize", failing)
    report = build([src], tmp_path / "out")
    assert report.skipped == ["b.txt: could not be parsed (ValueError: the model met a text it could not take); "
                              "skipped, please report it with the file"]
    assert (tmp_path / "out" / "kg.ttl").read_text(encoding="utf-8").count("schema:NewsArticle") == 1


VIETNAMESE = ("Bản ghi nhớ\n\nBộ trưởng Bộ Tài chính và Đại sứ Hàn Quốc đã ký bản ghi nhớ hợp tác trong lĩnh vực "
              "tài chính tại Đà Nẵng ngày 3 tháng 5. Hai bên sẽ tăng cường hợp tác trong các lĩnh vực như ngân "
              "hàng, bảo hiểm và chuyển đổi số của hai nước trong những năm tới.\n")
JAPANESE = "覚書\n\n韓国とラオスは火曜日、ビエンチャンで農業分野の協力覚書に署名した。両国は灌漑の分野でも協力する。\n"


def test_articles_in_a_language_without_rules_are_reported_and_skipped(seeds_copy: Path, tmp_path: Path,
                                                                       built: Path):
    write(seeds_copy, "vi.txt", VIETNAMESE)
    write(seeds_copy, "ja.txt", JAPANESE)
    report = build([seeds_copy], tmp_path / "out")
    assert report.skipped == ["ja.txt: is in Japanese (ja), a language kg has no rules for; skipped",
                              "vi.txt: is in Vietnamese (vi), a language kg has no rules for; skipped"]
    assert dict(report.languages) == {"fr": 2}
    assert built_triples(built) <= set(load_graph(tmp_path / "out" / "kg.ttl"))
    with pytest.raises(KgError, match="ja.txt: is in Japanese"):
        build([seeds_copy], tmp_path / "strict", strict=True)


def test_the_language_of_an_article_without_a_sidecar_comes_from_its_text(tmp_path: Path):
    from kg.articles import read_article

    english = ("Rail deal\n\nJapan and Laos signed on Monday a memorandum of cooperation on railways, the ministry "
               "said, adding that the two sides would also work together in the field of urban transport and "
               "that a first group of engineers would be trained in Osaka.\n")
    for name, text, language in (("en.txt", english, "en"), ("vi.txt", VIETNAMESE, "vi"), ("ja.txt", JAPANESE, "ja")):
        write(tmp_path, name, text)
        assert read_article(tmp_path / name, tmp_path).meta.language == language
    write(tmp_path, "en.meta.json", b'{"language": "fr"}')  # a sidecar's word wins
    assert read_article(tmp_path / "en.txt", tmp_path).meta.language == "fr"


def test_an_article_whose_facts_cannot_be_written_is_reported_and_the_others_are_built(seeds_copy: Path,
                                                                                        tmp_path: Path, built: Path,
                                                                                        monkeypatch):
    import kg.graph

    write(seeds_copy, "b.txt", "Santé\n\nUn accord sur la santé a été signé à Hanoï entre le Vietnam et le Japon.")
    real = kg.graph.Builder.facts

    def failing(self, extraction):
        if extraction.article.source == "b.txt":
            raise ValueError("a value no triple can hold")
        return real(self, extraction)

    monkeypatch.setattr(kg.graph.Builder, "facts", failing)
    report = build([seeds_copy], tmp_path / "out", use_cache=False)
    assert report.skipped == ["b.txt: its facts cannot be written (ValueError: a value no triple can hold); "
                              "skipped, please report it with the file"]
    assert set(load_graph(tmp_path / "out" / "kg.ttl")) == built_triples(built)
    with pytest.raises(ArticleError, match="b.txt: its facts cannot be written"):
        build([seeds_copy], tmp_path / "strict", strict=True)
