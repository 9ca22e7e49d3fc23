"""English articles: read by capitals and marker words, on sentences written for these tests
(names and wordings unlike the development corpus)."""
from __future__ import annotations

from pathlib import Path

from kg.extract import extract
from kg.gazetteer import default_gazetteer
from kg.models import PERSON, Article, DateValue, Meta
from kg.nlp import parse_many
from kg.articles import headline, segment
from kg.graph import as_graph, build_graph, load_graph
from kg.pipeline import build
from kg.resolve import resolve
from kg.vocab import ORG, PROV, RDFS

from .extraction import label_of


def english(text: str, published: str | None = None, source: str = "en.txt"):
    a = Article(source=source, text=text, headline=headline(text), segments=segment(text),
                meta=Meta(published=published, language="en"))
    return extract(a, parse_many([a])[0], default_gazetteer())


def roles(extraction) -> set[tuple[str, str]]:
    return {(label_of(extraction, ms.person), label_of(extraction, ms.organization)) for ms in extraction.memberships}


def test_a_title_before_a_name_gives_the_ministry_of_its_portfolio() -> None:
    x = english("Talks\n\nOn Monday, Deputy Minister of Health Tran Van Khoa received a delegation from Osaka.\n")
    assert ("Tran Van Khoa", "Ministère de la Santé") in roles(x)  # the gazetteer's ministry, labelled in French first


def test_a_body_before_a_title_and_a_name_after_a_comma() -> None:
    x = english("Visit\n\nThe Japan Bank for International Cooperation (JBIC) sent a mission. JBIC Senior Director "
                "Kenji Sato met Hoang Thi Mai, Chairwoman of the Vietnam Chamber of Commerce and Industry, in Hue.\n")
    found = roles(x)
    assert ("Kenji Sato", "Banque japonaise pour la coopération internationale") in found
    assert any(person == "Hoang Thi Mai" and org.startswith("Vietnam Chamber of Commerce") for person, org in found)


def test_a_head_of_government_belongs_to_the_government_his_nationality_names() -> None:
    x = english("Summit\n\nJapanese Prime Minister Taro Yamada arrived in Hanoi on Tuesday.\n")
    assert ("Taro Yamada", "Gouvernement du Japon") in roles(x)


def test_a_title_with_no_body_the_text_gives_makes_no_role() -> None:
    x = english("Summit\n\nPrime Minister Taro Yamada arrived in Hanoi on Tuesday.\n")
    assert not x.memberships
    assert "Taro Yamada" in {m.label for m in x.mentions if m.type == PERSON}


def test_a_signing_sentence_gives_parties_topic_place_and_date() -> None:
    x = english("Labour deal\n\nThe Ministry of Labour, Invalids and Social Affairs (MoLISA) and Japan's Aichi Bank "
                "Association signed a memorandum of understanding (MoU) on cooperation in nursing care in Da Nang "
                "on March 3.\nThe MoU will run for three years.\n", published="2021-03-05")
    [ag] = x.agreements
    labels = {label_of(x, p) for p in ag.parties}
    assert "Ministère du Travail, des Invalides et des Affaires sociales" in labels
    assert any("Aichi Bank Association" in label for label in labels)
    assert ag.kind == "memorandum" and ag.signed_on == DateValue("2021-03-03", "date")
    assert label_of(x, ag.signed_at) in ("Da Nang", "Đà Nẵng")
    assert any("nursing care" in label_of(x, t) for t in ag.topics)
    assert len(ag.evidence) == 2  # the signing, and the sentence that refers back to it


def test_witnesses_are_not_signatories_and_a_planned_signing_is_no_agreement() -> None:
    x = english("Rail\n\nDirector General Le Van Hai and Director Akira Mori signed the agreement in the presence of "
                "Deputy Prime Minister Vo Thanh Son.\n", published="2022-06-10")
    [ag] = x.agreements
    people = {label_of(x, p) for p in ag.signatories}
    assert "Vo Thanh Son" not in people
    planned = english("Rail\n\nThe two sides will sign a loan agreement on railways next month.\n")
    assert not planned.agreements


def test_a_weekday_is_dated_only_against_a_day_precise_publication_date() -> None:
    text = "Deal\n\nThe Vietnam Oil Corporation signed an agreement on Thursday with the Kansai Gas Company.\n"
    assert english(text, published="2023-05-13").agreements[0].signed_on == DateValue("2023-05-11", "date")
    assert english(text, published="2023-05").agreements[0].signed_on is None


def test_a_folder_of_french_and_english_reports_gives_one_node_per_body_and_person(tmp_path: Path) -> None:
    sources = tmp_path / "articles"
    sources.mkdir()
    (sources / "fr.txt").write_text(
        "Coopération\n\nLe ministre de l'Information et de la Communication, Nguyễn Mạnh Hùng, a reçu à Hanoï "
        "une délégation de l'Agence japonaise de coopération internationale (JICA).\n", encoding="utf-8")
    (sources / "en.txt").write_text(
        "Cooperation\n\nMinister of Information and Communications Nguyen Manh Hung met a delegation of the Japan "
        "International Cooperation Agency (JICA) in Hanoi.\n", encoding="utf-8")
    report = build([sources], tmp_path / "out")
    assert dict(report.languages) == {"fr": 1, "en": 1}
    graph = load_graph(tmp_path / "out" / "kg.ttl")
    members = {graph.value(m, ORG.member) for m in graph.subjects(predicate=ORG.member)}
    bodies = {graph.value(m, ORG.organization) for m in graph.subjects(predicate=ORG.member)}
    assert len(members) == 1 and len(bodies) == 1  # one Hùng, one ministry, from both articles
    jica = [s for s in set(graph.subjects()) if str(s).endswith("/jica")]
    assert len(jica) == 1
    assert {o.language for o in graph.objects(jica[0], RDFS.label)} >= {"fr", "en"}
    sources_of_hung = set(graph.objects(next(iter(members)), PROV.wasDerivedFrom))
    assert len(sources_of_hung) == 2


def test_labels_of_an_english_article_are_tagged_english() -> None:
    text = ("Visit\n\nThe Kobe Nursing Education Association (KNEA) signed a memorandum with the Hue Medical "
            "College. KNEA Director General Yuki Abe attended.\n")
    a = Article(source="en.txt", text=text, headline=headline(text), segments=segment(text), meta=Meta(language="en"))
    extractions = [extract(a, parse_many([a])[0], default_gazetteer())]
    graph = as_graph(build_graph(extractions, resolve(extractions, default_gazetteer()), default_gazetteer()))
    labels = {str(o): o.language for o in graph.objects(None, RDFS.label)}
    assert labels["Kobe Nursing Education Association"] == "en"
    assert labels["KNEA Director General"] == "en"  # the role's label, in the article's language
