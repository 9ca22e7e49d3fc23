"""`kg evaluate`: scoring a graph against gold annotations (kg/evaluate.py and the CLI).

Every graph, gold file and article here is written for the test in tmp_path; only the
comparison with the shared scorer (eval/score.py) reads ../shared, and only where it exists.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import EvaluationError, GraphFileError
from kg.evaluate import CATEGORIES, Scores, Tally, check_fail_under, evaluate, format_scores, load_graphs, normalized
from kg.vocab import DCTERMS, KG, KGR, OA, ORG, PROV, RDF, RDFS, SDO, XSD

ARTICLE = "a.txt"
TEXT = ("Le Vietnam et le Japon signent un mémorandum\n"
        "Le Vietnam et le Japon ont signé le 9 janvier 2020 à Hanoï un mémorandum sur la 5G et les villes "
        "intelligentes. Le ministre Nguyễn Mạnh Hùng l'a signé pour le ministère de l'Information et de la "
        "Communication.\n")
AGREEMENT_QUOTE = "ont signé le 9 janvier 2020 à Hanoï un mémorandum"
MEMBERSHIP_QUOTE = "Le ministre Nguyễn Mạnh Hùng"

ART = KGR["article/a"]
VIETNAM, JAPAN, HANOI = KGR["country/vietnam"], KGR["country/japon"], KGR["place/hanoi"]
HUNG, MIC = KGR["person/nguyen-manh-hung"], KGR["organization/mic"]
MEMO, FIVE_G, SMART = KGR["agreement/memo"], KGR["technology/5g"], KGR["technology/villes-intelligentes"]
MEMBERSHIP = KGR["membership/hung-mic"]

SHARED = Path(__file__).resolve().parents[2] / "shared"  # beside the repository; CI has none
SCORER = SHARED / "eval" / "score.py"


# --- test data -------------------------------------------------------------------------

def add_evidence(g: Graph, fact: URIRef, quote: str) -> None:
    """An oa:Annotation on `fact` quoting `quote` from the article."""
    ann, target = URIRef(f"{fact}#ann"), URIRef(f"{fact}#target")
    pos, exact = URIRef(f"{fact}#pos"), URIRef(f"{fact}#quote")
    start = TEXT.index(quote)
    g.add((ann, RDF.type, OA.Annotation))
    g.add((ann, OA.hasBody, fact))
    g.add((ann, OA.hasTarget, target))
    g.add((target, OA.hasSource, ART))
    g.add((target, OA.hasSelector, pos))
    g.add((target, OA.hasSelector, exact))
    g.add((pos, OA.start, Literal(start)))
    g.add((pos, OA.end, Literal(start + len(quote))))
    g.add((exact, OA.exact, Literal(quote)))


def add_node(g: Graph, node: URIRef, cls: URIRef, label: str) -> None:
    g.add((node, RDF.type, cls))
    g.add((node, RDFS.label, Literal(label, lang="fr")))
    g.add((node, PROV.wasDerivedFrom, ART))


def make_graph() -> Graph:
    """What a perfect extractor would build from TEXT."""
    g = Graph()
    g.add((ART, RDF.type, SDO.NewsArticle))
    g.add((ART, DCTERMS.source, Literal(ARTICLE)))
    add_node(g, VIETNAM, SDO.Country, "Vietnam")
    add_node(g, JAPAN, SDO.Country, "Japon")
    add_node(g, HANOI, SDO.City, "Hanoï")
    add_node(g, HUNG, SDO.Person, "Nguyễn Mạnh Hùng")
    add_node(g, MIC, SDO.GovernmentOrganization, "Ministère de l'Information et de la Communication")
    add_node(g, FIVE_G, KG.Technology, "5G")
    add_node(g, SMART, KG.Technology, "villes intelligentes")
    add_node(g, MEMO, KG.Agreement, "Mémorandum sur la 5G")  # the extractor's wording, not the gold's
    for party in (VIETNAM, JAPAN):
        g.add((MEMO, KG.party, party))
    g.add((MEMO, KG.signatory, HUNG))
    g.add((MEMO, KG.signedAt, HANOI))
    g.add((MEMO, KG.signedOn, Literal("2020-01-09", datatype=XSD.date)))
    g.add((MEMO, KG.topic, FIVE_G))
    g.add((MEMO, KG.topic, SMART))
    g.add((MEMBERSHIP, RDF.type, ORG.Membership))
    g.add((MEMBERSHIP, ORG.member, HUNG))
    g.add((MEMBERSHIP, ORG.organization, MIC))
    g.add((MEMBERSHIP, PROV.wasDerivedFrom, ART))
    add_evidence(g, MEMO, AGREEMENT_QUOTE)
    add_evidence(g, MEMBERSHIP, MEMBERSHIP_QUOTE)
    return g


def make_gold() -> dict[str, Any]:
    """The annotation of TEXT, in the contract's gold format."""
    return {
        "article": ARTICLE, "language": "fr", "published": None,
        "entities": [
            {"type": "Country", "label": "Vietnam", "aliases": ["Viet Nam"]},
            {"type": "Country", "label": "Japon", "aliases": ["Japan"]},
            {"type": "Place", "label": "Hanoi", "aliases": ["Hà Nội"]},
            {"type": "Person", "label": "Nguyen Manh Hung"},
            {"type": "Organization", "label": "Ministère de l'Information et de la Communication"},
            {"type": "Technology", "label": "5G"},
            {"type": "Technology", "label": "ville intelligente", "aliases": ["villes intelligentes"]},
            {"type": "Agreement", "label": "Mémorandum de coopération"},
        ],
        "agreements": [{
            "label": "Mémorandum de coopération", "kind": "memorandum",
            "parties": [["Vietnam"], ["Japon", "Japan"]],
            "signatories": [["Nguyễn Mạnh Hùng"]],
            "place": [["Hanoi", "Hanoï"]],
            "topics": [["5G"], ["villes intelligentes"]],
            "date": ["2020-01-09", "--01-09"],
        }],
        "roles": [{"person": ["Nguyễn Mạnh Hùng"], "role": "ministre",
                   "organization": [["Ministère de l'Information et de la Communication"]], "country": "Vietnam"}],
    }


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / ARTICLE).write_text(TEXT, encoding="utf-8")
    return folder


def write_gold(tmp_path: Path, gold: dict[str, Any], name: str = "a.json") -> Path:
    path = tmp_path / "gold" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return path


def score(tmp_path: Path, graph: Graph, gold: dict[str, Any], sources: Path | None = None) -> Scores:
    return evaluate(graph, [write_gold(tmp_path, gold)], sources)


def counts(t: Tally) -> tuple[int, int, int, int]:
    return t.tp_pred, t.n_pred, t.tp_gold, t.n_gold


def entities(scores: Scores) -> Tally:
    return scores.tallies["entities"]


def agreements(scores: Scores) -> Tally:
    return scores.tallies["agreements"]


def roles(scores: Scores) -> Tally:
    return scores.tallies["roles"]


def evidence(scores: Scores) -> Tally:
    return scores.tallies["evidence"]


# --- the scores ------------------------------------------------------------------------

def test_the_test_data_quotes_the_article() -> None:
    assert AGREEMENT_QUOTE in TEXT and MEMBERSHIP_QUOTE in TEXT


@pytest.mark.parametrize(("labels", "forms"), [
    ("Nguyễn Mạnh Hùng", {"nguyen manh hung"}),  # one label, or a list of them
    (["Ministère de l'Information,  et de la Communication", "Đà Nẵng"],
     {"ministere de l information et de la communication", "da nang"}),
    (["JICA", "jica", "(JICA)"], {"jica"}),
    (["", "?!", "–"], set()),
])
def test_labels_are_compared_without_case_accents_or_punctuation(labels: Any, forms: set[str]) -> None:
    assert normalized(labels) == forms


def test_perfect_match(tmp_path: Path, sources: Path) -> None:
    scores = score(tmp_path, make_graph(), make_gold(), sources)
    assert counts(entities(scores)) == (8, 8, 8, 8)
    assert counts(agreements(scores)) == (7, 7, 7, 7)  # 2 parties, signatory, place, 2 topics, date
    assert counts(roles(scores)) == (1, 1, 1, 1)
    assert counts(evidence(scores)) == (2, 2, 2, 2)
    assert list(scores.tallies) == list(CATEGORIES)
    for t in scores.tallies.values():
        assert t.prf() == (1.0, 1.0, 1.0)
        assert not t.misses and not t.extras
    assert scores.articles_without_node == ()
    assert format_scores(scores).splitlines() == [
        "entities    precision 1.000  recall 1.000  F1 1.000   (pred 8/8, gold 8/8)",
        "agreements  precision 1.000  recall 1.000  F1 1.000   (pred 7/7, gold 7/7)",
        "roles       precision 1.000  recall 1.000  F1 1.000   (pred 1/1, gold 1/1)",
        "evidence    precision 1.000  recall 1.000  F1 1.000   (pred 2/2, gold 2/2)",
    ]


def test_a_missing_entity_lowers_recall(tmp_path: Path) -> None:
    gold = make_gold()
    gold["entities"].append({"type": "Person", "label": "Takaichi Sanae"})
    scores = score(tmp_path, make_graph(), gold)
    assert counts(entities(scores)) == (8, 8, 8, 9)
    assert entities(scores).prf() == pytest.approx((1.0, 8 / 9, 16 / 17))
    assert entities(scores).misses == ("Person: Takaichi Sanae",)
    assert "    miss  Person: Takaichi Sanae" in format_scores(scores, verbose=True).splitlines()
    assert "miss" not in format_scores(scores, verbose=False)


def test_an_extra_entity_lowers_precision(tmp_path: Path) -> None:
    g = make_graph()
    add_node(g, KGR["person/abe-shinzo"], SDO.Person, "Abe Shinzō")
    scores = score(tmp_path, g, make_gold())
    assert counts(entities(scores)) == (8, 9, 8, 8)
    assert entities(scores).prf() == pytest.approx((8 / 9, 1.0, 16 / 17))
    assert entities(scores).extras == ("Person: ['abe shinzo']",)


def test_a_node_of_the_wrong_type_is_an_extra_and_says_so(tmp_path: Path) -> None:
    g = make_graph()
    g.remove((HANOI, RDF.type, SDO.City))
    g.add((HANOI, RDF.type, SDO.Organization))
    scores = score(tmp_path, g, make_gold())
    assert entities(scores).extras == ("Organization: ['hanoi'] (gold says Place)",)
    assert entities(scores).misses == ("Place: Hanoi",)


def test_a_subclass_in_the_graph_gives_its_category(tmp_path: Path) -> None:
    g = make_graph()
    ministry = URIRef("https://example.org/Ministry")
    g.add((ministry, RDFS.subClassOf, SDO.GovernmentOrganization))
    g.remove((MIC, RDF.type, SDO.GovernmentOrganization))
    g.add((MIC, RDF.type, ministry))
    assert counts(entities(score(tmp_path, g, make_gold()))) == (8, 8, 8, 8)


def test_a_duplicate_node_is_an_extra(tmp_path: Path) -> None:
    g = make_graph()
    add_node(g, KGR["person/nguyen-manh-hung-2"], SDO.Person, "Nguyen Manh Hung")
    scores = score(tmp_path, g, make_gold())
    assert counts(entities(scores)) == (8, 9, 8, 8)
    assert "duplicate node for 'Nguyen Manh Hung'" in entities(scores).extras[0]


@pytest.mark.parametrize("in_graph", [True, False])
def test_an_optional_entity_is_neither_required_nor_penalised(tmp_path: Path, in_graph: bool) -> None:
    gold = make_gold()
    gold["entities"].append({"type": "Person", "label": "Abe Shinzo", "optional": True})
    g = make_graph()
    if in_graph:
        add_node(g, KGR["person/abe-shinzo"], SDO.Person, "Abe Shinzō")
    scores = score(tmp_path, g, gold)
    assert counts(entities(scores)) == ((9, 9, 8, 8) if in_graph else (8, 8, 8, 8))
    assert entities(scores).prf()[2] == 1.0


# --- agreements ------------------------------------------------------------------------

def test_a_missing_party_is_a_missed_slot(tmp_path: Path) -> None:
    g = make_graph()
    g.remove((MEMO, KG.party, JAPAN))
    scores = score(tmp_path, g, make_gold())
    assert counts(agreements(scores)) == (6, 6, 6, 7)
    assert agreements(scores).misses == ("party: ['Japon', 'Japan']",)


def test_a_wrong_party_is_an_extra_slot_value(tmp_path: Path) -> None:
    g = make_graph()
    g.add((MEMO, KG.party, MIC))
    scores = score(tmp_path, g, make_gold())
    assert counts(agreements(scores)) == (7, 8, 7, 7)
    assert agreements(scores).extras == ("party: ['ministere de l information et de la communication']",)


def test_an_optional_party_is_not_penalised(tmp_path: Path) -> None:
    g = make_graph()
    g.add((MEMO, KG.party, MIC))
    gold = make_gold()
    gold["agreements"][0]["optional_parties"] = [["Ministère de l'Information et de la Communication"]]
    assert counts(agreements(score(tmp_path, g, gold))) == (8, 8, 7, 7)


@pytest.mark.parametrize(("value", "datatype", "right"), [
    ("2020-01-09", XSD.date, True),
    ("--01-09", XSD.gMonthDay, True),  # the gold accepts the day without a year
    ("2020-01-10", XSD.date, False),
    ("2020", XSD.gYear, False),
])
def test_the_date_is_compared_as_its_xsd_lexical_form(tmp_path: Path, value: str, datatype: URIRef,
                                                     right: bool) -> None:
    g = make_graph()
    g.set((MEMO, KG.signedOn, Literal(value, datatype=datatype)))
    scores = score(tmp_path, g, make_gold())
    if right:
        assert counts(agreements(scores)) == (7, 7, 7, 7)
    else:
        assert counts(agreements(scores)) == (6, 7, 6, 7)
        assert agreements(scores).misses == ("signedOn: ['--01-09', '2020-01-09']",)
        assert agreements(scores).extras == (f"signedOn: [{value!r}]",)


def test_a_date_only_optional_in_the_gold_counts_as_right(tmp_path: Path) -> None:
    gold = make_gold()
    gold["agreements"][0]["date_optional"] = gold["agreements"][0].pop("date")
    assert counts(agreements(score(tmp_path, make_graph(), gold))) == (7, 7, 6, 6)


@pytest.mark.parametrize(("label", "right"), [
    ("villes intelligentes", True),
    ("projets de villes intelligentes japonaises", True),  # contains the gold's words
    ("intelligentes", True),                              # contained in the gold's phrase
    ("villes", True),
    ("intelligentes villes", False),                      # the words, but not in their order
    ("villes-intelligentes", True),                       # punctuation does not count
    ("intelligence artificielle", False),
])
def test_topics_match_loosely(tmp_path: Path, label: str, right: bool) -> None:
    g = make_graph()
    g.set((SMART, RDFS.label, Literal(label, lang="fr")))
    assert counts(agreements(score(tmp_path, g, make_gold()))) == ((7, 7, 7, 7) if right else (6, 7, 6, 7))


def test_short_topic_words_do_not_match_loosely(tmp_path: Path) -> None:
    # "5g" has no word of four letters or more: only an equal phrase matches it
    g = make_graph()
    g.set((FIVE_G, RDFS.label, Literal("réseaux 5G", lang="fr")))
    assert counts(agreements(score(tmp_path, g, make_gold()))) == (6, 7, 6, 7)


def test_parties_do_not_match_loosely(tmp_path: Path) -> None:
    g = make_graph()
    g.set((JAPAN, RDFS.label, Literal("Japon et ses partenaires", lang="fr")))
    assert counts(agreements(score(tmp_path, g, make_gold()))) == (6, 7, 6, 7)


def test_the_agreement_sharing_most_with_the_gold_is_aligned(tmp_path: Path) -> None:
    g = make_graph()
    other = KGR["agreement/other"]
    add_node(g, other, KG.Agreement, "Accord de prêt")
    g.add((other, KG.party, JAPAN))
    g.add((other, KG.signedOn, Literal("2019", datatype=XSD.gYear)))
    add_evidence(g, other, AGREEMENT_QUOTE)
    scores = score(tmp_path, g, make_gold())
    assert counts(agreements(scores)) == (7, 9, 7, 7)  # the other agreement's 2 values are extras
    assert agreements(scores).extras == ("agreement not in gold: ['accord de pret'] (2 values)",)
    # the aligned agreement takes the gold's label; the other is an extra entity
    assert counts(entities(scores)) == (8, 9, 8, 8)


def relabelled_without_slots(g: Graph, label: str) -> Graph:
    """`g` whose memorandum has `label` and none of its parties, signatories, place, topics or date."""
    for prop in (KG.party, KG.signatory, KG.signedAt, KG.topic, KG.signedOn):
        g.remove((MEMO, prop, None))
    g.set((MEMO, RDFS.label, Literal(label, lang="fr")))
    return g


def test_an_agreement_not_found_misses_all_its_slots(tmp_path: Path) -> None:
    g = relabelled_without_slots(make_graph(), "Accord de prêt")
    scores = score(tmp_path, g, make_gold())
    assert counts(agreements(scores)) == (0, 0, 0, 7)
    assert agreements(scores).misses == ("agreement not found: Mémorandum de coopération",)


def test_an_optional_agreement_requires_nothing(tmp_path: Path) -> None:
    gold = make_gold()
    gold["agreements"][0]["optional"] = True
    g = make_graph()
    g.remove((MEMO, KG.party, JAPAN))
    assert counts(agreements(score(tmp_path, g, gold))) == (6, 6, 0, 0)
    scores = score(tmp_path, relabelled_without_slots(g, "Accord de prêt"), gold)  # not found: no miss
    assert counts(agreements(scores)) == (0, 0, 0, 0)
    assert agreements(scores).misses == ()


def test_an_agreement_whose_label_holds_the_golds_words_is_aligned(tmp_path: Path) -> None:
    # no slot in common: the label alone, loosely overlapping, aligns it (the gold's words, in a row)
    g = relabelled_without_slots(make_graph(), "Mémorandum de coopération sur les villes intelligentes")
    scores = score(tmp_path, g, make_gold())
    assert counts(agreements(scores)) == (0, 0, 0, 7)
    assert agreements(scores).misses == (
        "party: ['Vietnam']", "party: ['Japon', 'Japan']", "signatory: ['Nguyễn Mạnh Hùng']",
        "place: ['Hanoi', 'Hanoï']", "topic: ['5G']", "topic: ['villes intelligentes']",
        "signedOn: ['--01-09', '2020-01-09']")
    assert counts(entities(scores)) == (8, 8, 8, 8)  # the aligned agreement bears the gold's label


def test_alignment_matches_topics_strictly(tmp_path: Path) -> None:
    # scored, topics match loosely; to align an agreement, only an equal label counts
    g = make_graph()
    for prop in (KG.party, KG.signatory, KG.signedAt, KG.signedOn):
        g.remove((MEMO, prop, None))
    g.remove((MEMO, KG.topic, FIVE_G))
    g.set((MEMO, RDFS.label, Literal("Accord de prêt", lang="fr")))
    g.set((SMART, RDFS.label, Literal("projets de villes intelligentes", lang="fr")))
    scores = score(tmp_path, g, make_gold())
    assert agreements(scores).misses == ("agreement not found: Mémorandum de coopération",)
    assert agreements(scores).extras == ("agreement not in gold: ['accord de pret'] (1 values)",)
    g.set((SMART, RDFS.label, Literal("villes intelligentes", lang="fr")))
    assert counts(agreements(score(tmp_path, g, make_gold()))) == (1, 1, 1, 7)


def test_an_agreement_typed_as_an_event_too_is_an_agreement(tmp_path: Path) -> None:
    g = make_graph()
    g.add((MEMO, RDF.type, SDO.Event))
    scores = score(tmp_path, g, make_gold())
    assert counts(entities(scores)) == (8, 8, 8, 8)
    assert counts(agreements(scores)) == (7, 7, 7, 7)


# --- roles -----------------------------------------------------------------------------

def test_a_role_without_organization_matches_any_membership_of_the_person(tmp_path: Path) -> None:
    g = make_graph()
    embassy = KGR["organization/embassy"]
    add_node(g, embassy, SDO.GovernmentOrganization, "Ambassade du Vietnam")
    g.set((MEMBERSHIP, ORG.organization, embassy))
    gold = make_gold()
    assert counts(roles(score(tmp_path, g, gold))) == (0, 1, 0, 1)  # the gold names another ministry
    gold["roles"][0]["organization"] = []
    assert counts(roles(score(tmp_path, g, gold))) == (1, 1, 1, 1)
    del gold["roles"][0]["organization"]  # a role that names no organization, without the empty list
    assert counts(roles(score(tmp_path, g, gold))) == (1, 1, 1, 1)


def test_an_optional_role_is_neither_required_nor_penalised(tmp_path: Path) -> None:
    gold = make_gold()
    gold["roles"][0]["optional"] = True
    assert counts(roles(score(tmp_path, make_graph(), gold))) == (1, 1, 0, 0)
    g = make_graph()
    g.remove((MEMBERSHIP, None, None))
    assert counts(roles(score(tmp_path, g, gold))) == (0, 0, 0, 0)


def test_a_membership_of_another_person_is_an_extra(tmp_path: Path) -> None:
    g = make_graph()
    g.set((MEMBERSHIP, ORG.member, VIETNAM))
    tally = roles(score(tmp_path, g, make_gold()))
    assert counts(tally) == (0, 1, 0, 1)
    assert tally.misses == ("role: Nguyễn Mạnh Hùng / ministre",)
    assert tally.extras == ("membership: [['vietnam']] in [['ministere de l information et de la communication']]",)


# --- evidence --------------------------------------------------------------------------

def test_evidence_is_checked_against_the_article_offsets(tmp_path: Path, sources: Path) -> None:
    g = make_graph()
    pos, start = URIRef(f"{MEMBERSHIP}#pos"), TEXT.index(MEMBERSHIP_QUOTE) + 1  # one character off
    g.set((pos, OA.start, Literal(start)))
    g.set((pos, OA.end, Literal(start + len(MEMBERSHIP_QUOTE))))
    scores = score(tmp_path, g, make_gold(), sources)
    assert counts(evidence(scores)) == (1, 2, 1, 2)
    assert evidence(scores).misses == (f"no exact evidence for {MEMBERSHIP}",)
    # without the articles, an annotation with offsets and a quote is enough
    assert counts(evidence(score(tmp_path, g, make_gold(), None))) == (2, 2, 2, 2)


def test_a_fact_without_annotation_has_no_evidence(tmp_path: Path) -> None:
    g = make_graph()
    g.remove((None, OA.hasBody, MEMO))
    assert counts(evidence(score(tmp_path, g, make_gold()))) == (1, 2, 1, 2)


# --- files and articles ----------------------------------------------------------------

def test_a_gold_article_missing_from_the_graph_is_reported(tmp_path: Path) -> None:
    gold = make_gold()
    gold["article"] = "b.txt"
    scores = score(tmp_path, make_graph(), gold)
    assert scores.articles_without_node == ("b.txt",)
    assert counts(entities(scores)) == (0, 0, 0, 8)
    assert format_scores(scores).splitlines()[-1] == "articles with no schema:NewsArticle node: ['b.txt']"


def test_a_gold_folder_is_read_in_name_order(tmp_path: Path) -> None:
    second = make_gold()
    second["article"] = "b.txt"
    write_gold(tmp_path, second, "b.json")
    write_gold(tmp_path, make_gold(), "a.json")
    scores = evaluate(make_graph(), [tmp_path / "gold"], None)
    assert counts(entities(scores)) == (8, 8, 8, 16)
    assert scores.articles_without_node == ("b.txt",)


@pytest.mark.parametrize(("content", "words"), [
    ("{not json", "as UTF-8 JSON (Expecting property name"),
    ("[]", "expected a JSON object whose 'article'"),
    ('{"entities": [], "agreements": []}', "'article' is the article's file name"),
    ('{"article": "a.txt", "agreements": []}', "'entities' should be a list of objects"),
    ('{"article": "a.txt", "entities": [], "agreements": [], "roles": {}}', "'roles' should be a list of objects"),
    ('{"article": "a.txt", "entities": [{"label": "X"}], "agreements": []}', "entities[0]: 'type' is missing"),
    ('{"article": "a.txt", "entities": [{"type": "Persn", "label": "X"}], "agreements": []}',
     "entities[0]: unknown type 'Persn'; use one of Agreement, Event, Person"),
    ('{"article": "a.txt", "entities": [{"type": "Person", "label": "X", "aliases": "Y"}], "agreements": []}',
     "entities[0]: 'aliases' should be a list"),
    ('{"article": "a.txt", "entities": [], "agreements": [{"parties": []}]}', "agreements[0]: 'label' is missing"),
    ('{"article": "a.txt", "entities": [], "agreements": [{"label": "A", "parties": "Japon"}]}',
     "agreements[0]: 'parties' should be a list"),
    ('{"article": "a.txt", "entities": [], "agreements": [{"label": "A", "date": "2020-01-09"}]}',
     "agreements[0]: 'date' should be a list"),
    ('{"article": "a.txt", "entities": [], "agreements": [], "roles": [{"person": [], "role": "r"}]}',
     "roles[0]: 'person' is missing or empty"),
    ('{"article": "a.txt", "entities": [], "agreements": [], "roles": [{"person": ["X"], "role": "r", '
     '"organization": "MIC"}]}', "roles[0]: 'organization' should be a list"),
])
def test_a_bad_gold_file_is_one_clear_error(tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvaluationError, match=re.escape(words)) as info:
        evaluate(make_graph(), [path], None)
    assert str(info.value).startswith(f"{path}: ") and "\n" not in str(info.value)


def test_a_gold_file_not_in_utf8_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(json.dumps(make_gold(), ensure_ascii=False).encode("latin-1", errors="replace"))
    with pytest.raises(EvaluationError, match="as UTF-8 JSON"):
        evaluate(make_graph(), [path], None)


@pytest.mark.parametrize(("make", "words"), [
    (lambda p: p / "missing.json", "cannot read this gold file"),
    (lambda p: p, "no gold annotations"),  # a folder with no .json
])
def test_missing_gold_is_an_error(tmp_path: Path, make, words: str) -> None:
    with pytest.raises(EvaluationError, match=words):
        evaluate(make_graph(), [make(tmp_path)], None)


def test_no_gold_is_an_error() -> None:
    with pytest.raises(EvaluationError, match="--gold"):
        evaluate(make_graph(), [], None)


def test_a_missing_sources_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="no such sources folder"):
        score(tmp_path, make_graph(), make_gold(), tmp_path / "none")


def test_load_graphs_merges_extra_files_and_reports_bad_ones(tmp_path: Path) -> None:
    main, extra = tmp_path / "g.ttl", tmp_path / "onto.ttl"
    make_graph().serialize(main, format="turtle")
    extra.write_text("<https://example.org/M> <http://www.w3.org/2000/01/rdf-schema#subClassOf> "
                     "<https://schema.org/Organization> .\n", encoding="utf-8")
    assert len(load_graphs(main, [extra])) == len(make_graph()) + 1
    with pytest.raises(GraphFileError, match="no such graph file"):
        load_graphs(tmp_path / "none.ttl")
    (tmp_path / "bad.ttl").write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(GraphFileError, match="not valid Turtle") as info:
        load_graphs(tmp_path / "bad.ttl")
    assert "\n" not in str(info.value)


# --- tallies and fail-under ------------------------------------------------------------

def test_a_tally_adds_up_and_gives_precision_recall_and_f1() -> None:
    assert Tally().prf() == (1.0, 1.0, 1.0)  # nothing predicted, nothing required
    assert Tally(n_gold=2).prf() == (0.0, 0.0, 0.0)  # nothing predicted, something required
    assert Tally(tp_pred=1, n_pred=2).prf() == pytest.approx((0.5, 1.0, 2 / 3))
    total = Tally(1, 2, 3, 4, ("m1",), ("e1",)) + Tally(1, 1, 0, 1, ("m2",))
    assert total == Tally(2, 3, 3, 5, ("m1", "m2"), ("e1",))


def test_check_fail_under() -> None:
    scores = Scores(dict.fromkeys(CATEGORIES, Tally()) | {"entities": Tally(tp_pred=8, n_pred=9, tp_gold=8, n_gold=8)})
    assert check_fail_under(scores, "") == []
    assert check_fail_under(scores, "entities=0.9,agreements=1,roles=1,evidence=1") == []
    assert check_fail_under(scores, "entities=0.95,evidence=1") == ["entities F1 0.941 < 0.95"]
    assert check_fail_under(scores, " entities = 0.95 , ") == ["entities F1 0.941 < 0.95"]
    for spec in ("entity=0.9", "entities", "entities=high", "entities=-1", "=0.9"):
        with pytest.raises(EvaluationError, match="CATEGORY=NUMBER"):
            check_fail_under(scores, spec)


# --- the command -----------------------------------------------------------------------

@pytest.fixture
def files(tmp_path: Path, sources: Path) -> dict[str, Path]:
    """A graph with one extra person, its gold file and its article, on disk."""
    g = make_graph()
    add_node(g, KGR["person/abe-shinzo"], SDO.Person, "Abe Shinzō")
    graph = tmp_path / "kg.ttl"
    g.serialize(graph, format="turtle")
    return {"graph": graph, "gold": write_gold(tmp_path, make_gold()), "sources": sources}


def run(*args: str | Path):
    return CliRunner().invoke(app, ["evaluate", *map(str, args)], env={"COLUMNS": "80"})


def test_evaluate_prints_the_scores(files: dict[str, Path]) -> None:
    result = run("--graph", files["graph"], "--gold", files["gold"], "--sources", files["sources"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "entities    precision 0.889  recall 1.000  F1 0.941   (pred 8/9, gold 8/8)",
        "agreements  precision 1.000  recall 1.000  F1 1.000   (pred 7/7, gold 7/7)",
        "roles       precision 1.000  recall 1.000  F1 1.000   (pred 1/1, gold 1/1)",
        "evidence    precision 1.000  recall 1.000  F1 1.000   (pred 2/2, gold 2/2)",
    ]
    verbose = run("--graph", files["graph"], "--gold", files["gold"].parent, "-v")
    assert verbose.exit_code == 0
    assert verbose.stdout.splitlines()[1] == "    extra Person: ['abe shinzo']"


def test_evaluate_takes_several_gold_files_after_one_option(files: dict[str, Path], tmp_path: Path) -> None:
    other = make_gold()
    other["article"] = "b.txt"
    second = write_gold(tmp_path, other, "b.json")
    result = run("--graph", files["graph"], "--gold", files["gold"], second)
    assert result.exit_code == 0, result.output
    assert "gold 8/16" in result.stdout.splitlines()[0]
    assert result.stdout.splitlines()[-1] == "articles with no schema:NewsArticle node: ['b.txt']"


def test_evaluate_merges_an_ontology_first(files: dict[str, Path], tmp_path: Path) -> None:
    g = make_graph()
    ministry = URIRef("https://example.org/Ministry")
    g.remove((MIC, RDF.type, SDO.GovernmentOrganization))
    g.add((MIC, RDF.type, ministry))
    graph, ontology = tmp_path / "ministry.ttl", tmp_path / "onto.ttl"
    g.serialize(graph, format="turtle")
    ontology.write_text(f"<{ministry}> <{RDFS.subClassOf}> <{SDO.GovernmentOrganization}> .\n", encoding="utf-8")
    without = run("--graph", graph, "--gold", files["gold"])
    assert "(pred 7/7, gold 7/8)" in without.stdout.splitlines()[0]  # the ministry has no category
    with_ontology = run("--graph", graph, "--gold", files["gold"], "--ontology", ontology)
    assert with_ontology.exit_code == 0, with_ontology.output
    assert "(pred 8/8, gold 8/8)" in with_ontology.stdout.splitlines()[0]


@pytest.mark.parametrize(("spec", "code"), [
    ("", 0),
    ("entities=0.9,agreements=0.8,roles=0.8,evidence=1", 0),
    ("entities=0.95", 1),
    ("entities=0.95,evidence=1,roles=1.01", 1),
])
def test_evaluate_fail_under(files: dict[str, Path], spec: str, code: int) -> None:
    result = run("--graph", files["graph"], "--gold", files["gold"], "--sources", files["sources"],
                 "--fail-under", spec)
    assert result.exit_code == code, result.output
    fail_lines = [line for line in result.stdout.splitlines() if line.startswith("FAIL")]
    if code:
        assert fail_lines == ["FAIL: entities F1 0.941 < 0.95" + ("; roles F1 1.000 < 1.01" if "roles" in spec else "")]
    else:
        assert fail_lines == []


def test_evaluate_json(files: dict[str, Path]) -> None:
    result = run("--graph", files["graph"], "--gold", files["gold"], "--json", "--fail-under", "entities=0.95")
    assert result.exit_code == 1
    report = json.loads(result.stdout)  # the FAIL line goes to stderr, the JSON stays parseable
    assert "FAIL: entities F1 0.941 < 0.95" in result.stderr
    assert list(report) == [*CATEGORIES, "articles_without_node"]
    assert report["entities"] == {"precision": 0.889, "recall": 1.0, "f1": 0.941,
                                  "tp_pred": 8, "n_pred": 9, "tp_gold": 8, "n_gold": 8}
    assert report["articles_without_node"] == []
    verbose = json.loads(run("--graph", files["graph"], "--gold", files["gold"], "--json", "-v").stdout)
    assert verbose["entities"]["extras"] == ["Person: ['abe shinzo']"]
    assert verbose["entities"]["misses"] == []


@pytest.mark.parametrize(("args", "words"), [
    (("--graph", "{tmp}/none.ttl", "--gold", "{gold}"), "no such graph file"),
    (("--graph", "{gold}", "--gold", "{gold}"), "not valid Turtle"),
    (("--graph", "{graph}", "--ontology", "{gold}", "--gold", "{gold}"), "not valid Turtle"),
    (("--graph", "{graph}", "--gold", "{tmp}/none.json"), "No such file or directory"),
    (("--graph", "{graph}",), "no gold annotations"),
    (("--graph", "{graph}", "--gold", "{graph}"), "as UTF-8 JSON"),
    (("--graph", "{graph}", "--gold", "{gold}", "--sources", "{tmp}/none"), "no such sources folder"),
    (("--graph", "{graph}", "--gold", "{gold}", "--fail-under", "entity=1"), "CATEGORY=NUMBER"),
])
def test_evaluate_bad_input_is_one_line(files: dict[str, Path], tmp_path: Path, args: tuple[str, ...],
                                        words: str) -> None:
    values = {"tmp": tmp_path, "gold": files["gold"], "graph": files["graph"]}
    result = run(*(a.format(**values) for a in args))
    assert result.exit_code == 1
    message = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(message) == 1 and message[0].startswith("error:") and words in message[0], result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output


def test_evaluate_help() -> None:
    result = CliRunner().invoke(app, ["evaluate", "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    for words in ("Usage", "gold annotations", "--gold", "--graph", "--sources", "--ontology", "--json", "--verbose",
                  "--fail-under"):
        assert words in result.stdout


# --- the same lines as the shared scorer -----------------------------------------------

STRICT = "entities=0.99,agreements=0.99,roles=0.99,evidence=1"


@pytest.mark.skipif(not SCORER.is_file(), reason="no shared scorer beside the repository (CI has none)")
@pytest.mark.parametrize("corpus", ["seeds", "fr", "en"])
def test_the_same_output_as_the_shared_scorer(corpus: str, repo: Path, built: Path, tmp_path: Path) -> None:
    """Every gold set of ../shared, scored by `kg evaluate` and by eval/score.py: the same lines, the same exit."""
    if corpus == "seeds":
        gold, sources = SHARED / "eval" / "gold", repo / "seeds"
        committed = tmp_path / "committed.ttl"  # a copy of graphs/kg.ttl: someone may rebuild it meanwhile
        shutil.copyfile(repo / "graphs" / "kg.ttl", committed)
        graphs = [built / "kg.ttl", committed]
    else:
        from kg.pipeline import build

        gold, sources = SHARED / "corpus" / corpus / "gold", SHARED / "corpus" / corpus / "articles"
        build([sources], tmp_path / corpus)
        graphs = [tmp_path / corpus / "kg.ttl"]
    runs = [["--sources", str(sources), *extra] for extra in ([], ["-v"], ["--fail-under", STRICT],
                                                              ["-v", "--fail-under", STRICT])]
    runs += [["-v"], ["-v", "--ontology", str(repo / "ontology" / "kg.ttl")]]  # no articles; a class hierarchy
    for graph in graphs:
        for extra in runs:
            args = ["--graph", str(graph), "--gold", str(gold), *extra]
            theirs = subprocess.run([sys.executable, str(SCORER), *args], capture_output=True, text=True, check=False)
            assert theirs.returncode in (0, 1), theirs.stderr
            ours = CliRunner().invoke(app, ["evaluate", *args])
            assert ours.stdout == theirs.stdout, (args, ours.stdout, theirs.stdout)
            assert ours.exit_code == theirs.returncode, args
        args = ["--graph", str(graph), "--gold", str(gold), "--sources", str(sources), "--json"]
        theirs = json.loads(subprocess.run([sys.executable, str(SCORER), *args], capture_output=True, text=True,
                                           check=True).stdout)
        ours = json.loads(CliRunner().invoke(app, ["evaluate", *args]).stdout)
        assert {key: ours[key] if key == "articles_without_node" else {k: ours[key][k] for k in value}
                for key, value in theirs.items()} == theirs


def test_the_readme_example_scores_the_seeds_from_a_plain_clone(repo: Path, built: Path) -> None:
    from typer.testing import CliRunner

    from kg.cli import app
    result = CliRunner().invoke(app, ["evaluate", "--graph", str(built / "kg.ttl"), "--gold", str(repo / "tests" / "gold"),
                                      "--sources", str(repo / "seeds")])
    assert result.exit_code == 0, result.output
    assert [line.split()[6] for line in result.stdout.splitlines() if "F1" in line] == ["1.000"] * 4
