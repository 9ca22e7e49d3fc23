"""`kg evaluate`: scoring a graph against gold annotations (kg/evaluate.py and the CLI).

Every graph, gold file and article here is written for the test in tmp_path; only the
last test uses the shared scorer, and only where it exists.
"""
from __future__ import annotations

import json
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
from kg.evaluate import CATEGORIES, Scores, Tally, check_fail_under, evaluate, format_scores, load_graphs
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

SCORER = Path("/work/shared/eval/score.py")


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


# --- the scores ------------------------------------------------------------------------

def test_the_test_data_quotes_the_article() -> None:
    assert AGREEMENT_QUOTE in TEXT and MEMBERSHIP_QUOTE in TEXT


def test_perfect_match(tmp_path: Path, sources: Path) -> None:
    scores = score(tmp_path, make_graph(), make_gold(), sources)
    assert counts(scores.entities) == (8, 8, 8, 8)
    assert counts(scores.agreements) == (7, 7, 7, 7)  # 2 parties, signatory, place, 2 topics, date
    assert counts(scores.roles) == (1, 1, 1, 1)
    assert counts(scores.evidence) == (2, 2, 2, 2)
    for _, t in scores.items():
        assert (t.precision, t.recall, t.f1) == (1.0, 1.0, 1.0)
        assert not t.misses and not t.extras
    assert scores.articles_without_node == []
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
    assert counts(scores.entities) == (8, 8, 8, 9)
    assert scores.entities.precision == 1.0
    assert scores.entities.recall == pytest.approx(8 / 9)
    assert scores.entities.misses == ["Person: Takaichi Sanae"]
    assert "    miss  Person: Takaichi Sanae" in format_scores(scores, verbose=True).splitlines()
    assert "miss" not in format_scores(scores, verbose=False)


def test_an_extra_entity_lowers_precision(tmp_path: Path) -> None:
    g = make_graph()
    add_node(g, KGR["person/abe-shinzo"], SDO.Person, "Abe Shinzō")
    scores = score(tmp_path, g, make_gold())
    assert counts(scores.entities) == (8, 9, 8, 8)
    assert scores.entities.precision == pytest.approx(8 / 9)
    assert scores.entities.recall == 1.0
    assert scores.entities.extras == ["Person: ['abe shinzo']"]


def test_a_node_of_the_wrong_type_is_an_extra_and_says_so(tmp_path: Path) -> None:
    g = make_graph()
    g.remove((HANOI, RDF.type, SDO.City))
    g.add((HANOI, RDF.type, SDO.Organization))
    scores = score(tmp_path, g, make_gold())
    assert scores.entities.extras == ["Organization: ['hanoi'] (gold says Place)"]
    assert scores.entities.misses == ["Place: Hanoi"]


def test_a_subclass_in_the_graph_gives_its_category(tmp_path: Path) -> None:
    g = make_graph()
    ministry = URIRef("https://example.org/Ministry")
    g.add((ministry, RDFS.subClassOf, SDO.GovernmentOrganization))
    g.remove((MIC, RDF.type, SDO.GovernmentOrganization))
    g.add((MIC, RDF.type, ministry))
    assert counts(score(tmp_path, g, make_gold()).entities) == (8, 8, 8, 8)


def test_a_duplicate_node_is_an_extra(tmp_path: Path) -> None:
    g = make_graph()
    add_node(g, KGR["person/nguyen-manh-hung-2"], SDO.Person, "Nguyen Manh Hung")
    scores = score(tmp_path, g, make_gold())
    assert counts(scores.entities) == (8, 9, 8, 8)
    assert "duplicate node for 'Nguyen Manh Hung'" in scores.entities.extras[0]


@pytest.mark.parametrize("in_graph", [True, False])
def test_an_optional_entity_is_neither_required_nor_penalised(tmp_path: Path, in_graph: bool) -> None:
    gold = make_gold()
    gold["entities"].append({"type": "Person", "label": "Abe Shinzo", "optional": True})
    g = make_graph()
    if in_graph:
        add_node(g, KGR["person/abe-shinzo"], SDO.Person, "Abe Shinzō")
    scores = score(tmp_path, g, gold)
    assert counts(scores.entities) == ((9, 9, 8, 8) if in_graph else (8, 8, 8, 8))
    assert scores.entities.f1 == 1.0


# --- agreements ------------------------------------------------------------------------

def test_a_missing_party_is_a_missed_slot(tmp_path: Path) -> None:
    g = make_graph()
    g.remove((MEMO, KG.party, JAPAN))
    scores = score(tmp_path, g, make_gold())
    assert counts(scores.agreements) == (6, 6, 6, 7)
    assert scores.agreements.misses == ["party: ['Japon', 'Japan']"]


def test_a_wrong_party_is_an_extra_slot_value(tmp_path: Path) -> None:
    g = make_graph()
    g.add((MEMO, KG.party, MIC))
    scores = score(tmp_path, g, make_gold())
    assert counts(scores.agreements) == (7, 8, 7, 7)
    assert scores.agreements.extras == ["party: ['ministere de l information et de la communication']"]


def test_an_optional_party_is_not_penalised(tmp_path: Path) -> None:
    g = make_graph()
    g.add((MEMO, KG.party, MIC))
    gold = make_gold()
    gold["agreements"][0]["optional_parties"] = [["Ministère de l'Information et de la Communication"]]
    assert counts(score(tmp_path, g, gold).agreements) == (8, 8, 7, 7)


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
        assert counts(scores.agreements) == (7, 7, 7, 7)
    else:
        assert counts(scores.agreements) == (6, 7, 6, 7)
        assert scores.agreements.misses == ["signedOn: ['--01-09', '2020-01-09']"]
        assert scores.agreements.extras == [f"signedOn: [{value!r}]"]


def test_a_date_only_optional_in_the_gold_counts_as_right(tmp_path: Path) -> None:
    gold = make_gold()
    gold["agreements"][0]["date_optional"] = gold["agreements"][0].pop("date")
    assert counts(score(tmp_path, make_graph(), gold).agreements) == (7, 7, 6, 6)


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
    agreements = score(tmp_path, g, make_gold()).agreements
    assert counts(agreements) == ((7, 7, 7, 7) if right else (6, 7, 6, 7))


def test_short_topic_words_do_not_match_loosely(tmp_path: Path) -> None:
    # "5g" has no word of four letters or more: only an equal phrase matches it
    g = make_graph()
    g.set((FIVE_G, RDFS.label, Literal("réseaux 5G", lang="fr")))
    assert counts(score(tmp_path, g, make_gold()).agreements) == (6, 7, 6, 7)


def test_parties_do_not_match_loosely(tmp_path: Path) -> None:
    g = make_graph()
    g.set((JAPAN, RDFS.label, Literal("Japon et ses partenaires", lang="fr")))
    assert counts(score(tmp_path, g, make_gold()).agreements) == (6, 7, 6, 7)


def test_the_agreement_sharing_most_with_the_gold_is_aligned(tmp_path: Path) -> None:
    g = make_graph()
    other = KGR["agreement/other"]
    add_node(g, other, KG.Agreement, "Accord de prêt")
    g.add((other, KG.party, JAPAN))
    g.add((other, KG.signedOn, Literal("2019", datatype=XSD.gYear)))
    add_evidence(g, other, AGREEMENT_QUOTE)
    scores = score(tmp_path, g, make_gold())
    assert counts(scores.agreements) == (7, 9, 7, 7)  # the other agreement's 2 values are extras
    assert scores.agreements.extras == ["agreement not in gold: ['accord de pret'] (2 values)"]
    # the aligned agreement takes the gold's label; the other is an extra entity
    assert counts(scores.entities) == (8, 9, 8, 8)


def test_an_agreement_not_found_misses_all_its_slots(tmp_path: Path) -> None:
    g = make_graph()
    for prop in (KG.party, KG.signatory, KG.signedAt, KG.topic, KG.signedOn):
        g.remove((MEMO, prop, None))
    g.set((MEMO, RDFS.label, Literal("Accord de prêt", lang="fr")))
    scores = score(tmp_path, g, make_gold())
    assert counts(scores.agreements) == (0, 0, 0, 7)
    assert scores.agreements.misses == ["agreement not found: Mémorandum de coopération"]


def test_an_optional_agreement_requires_nothing(tmp_path: Path) -> None:
    gold = make_gold()
    gold["agreements"][0]["optional"] = True
    g = make_graph()
    g.remove((MEMO, KG.party, JAPAN))
    assert counts(score(tmp_path, g, gold).agreements) == (6, 6, 0, 0)


# --- roles -----------------------------------------------------------------------------

def test_a_role_without_organization_matches_any_membership_of_the_person(tmp_path: Path) -> None:
    g = make_graph()
    embassy = KGR["organization/embassy"]
    add_node(g, embassy, SDO.GovernmentOrganization, "Ambassade du Vietnam")
    g.set((MEMBERSHIP, ORG.organization, embassy))
    gold = make_gold()
    assert counts(score(tmp_path, g, gold).roles) == (0, 1, 0, 1)  # the gold names another ministry
    gold["roles"][0]["organization"] = []
    assert counts(score(tmp_path, g, gold).roles) == (1, 1, 1, 1)


def test_a_membership_of_another_person_is_an_extra(tmp_path: Path) -> None:
    g = make_graph()
    g.set((MEMBERSHIP, ORG.member, VIETNAM))
    roles = score(tmp_path, g, make_gold()).roles
    assert counts(roles) == (0, 1, 0, 1)
    assert roles.misses == ["role: Nguyễn Mạnh Hùng / ministre"]
    assert roles.extras == ["membership: [['vietnam']] in [['ministere de l information et de la communication']]"]


# --- evidence --------------------------------------------------------------------------

def test_evidence_is_checked_against_the_article_offsets(tmp_path: Path, sources: Path) -> None:
    g = make_graph()
    pos, start = URIRef(f"{MEMBERSHIP}#pos"), TEXT.index(MEMBERSHIP_QUOTE) + 1  # one character off
    g.set((pos, OA.start, Literal(start)))
    g.set((pos, OA.end, Literal(start + len(MEMBERSHIP_QUOTE))))
    scores = score(tmp_path, g, make_gold(), sources)
    assert counts(scores.evidence) == (1, 2, 1, 2)
    assert scores.evidence.misses == [f"no exact evidence for {MEMBERSHIP}"]
    # without the articles, an annotation with offsets and a quote is enough
    assert counts(score(tmp_path, g, make_gold(), None).evidence) == (2, 2, 2, 2)


def test_a_fact_without_annotation_has_no_evidence(tmp_path: Path) -> None:
    g = make_graph()
    g.remove((None, OA.hasBody, MEMO))
    assert counts(score(tmp_path, g, make_gold()).evidence) == (1, 2, 1, 2)


# --- files and articles ----------------------------------------------------------------

def test_a_gold_article_missing_from_the_graph_is_reported(tmp_path: Path) -> None:
    gold = make_gold()
    gold["article"] = "b.txt"
    scores = score(tmp_path, make_graph(), gold)
    assert scores.articles_without_node == ["b.txt"]
    assert counts(scores.entities) == (0, 0, 0, 8)
    assert format_scores(scores).splitlines()[-1] == "articles with no schema:NewsArticle node: ['b.txt']"


def test_a_gold_folder_is_read_in_name_order(tmp_path: Path) -> None:
    second = make_gold()
    second["article"] = "b.txt"
    write_gold(tmp_path, second, "b.json")
    write_gold(tmp_path, make_gold(), "a.json")
    scores = evaluate(make_graph(), [tmp_path / "gold"], None)
    assert counts(scores.entities) == (8, 8, 8, 16)
    assert scores.articles_without_node == ["b.txt"]


@pytest.mark.parametrize(("content", "words"), [
    ("{not json", "not valid JSON"),
    ('{"entities": [], "agreements": []}', "missing 'article'"),
    ('{"article": "a.txt", "agreements": []}', "missing 'entities'"),
    ('{"article": "a.txt", "entities": [{"type": "Persn", "label": "X"}], "agreements": []}', "unknown type 'Persn'"),
    ('{"article": "a.txt", "entities": [], "agreements": [{"label": "A", "parties": "Japon"}]}',
     "expected a list of items"),
    ('{"article": "a.txt", "entities": [], "agreements": [], "roles": [{"person": ["X"], "role": "r"}]}',
     "missing 'organization'"),
])
def test_a_bad_gold_file_is_one_clear_error(tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvaluationError, match=words) as info:
        evaluate(make_graph(), [path], None)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("make", [lambda p: p / "missing.json", lambda p: p])  # no file; a folder with no .json
def test_missing_gold_is_an_error(tmp_path: Path, make) -> None:
    with pytest.raises(EvaluationError, match="gold"):
        evaluate(make_graph(), [make(tmp_path)], None)


def test_no_gold_is_an_error() -> None:
    with pytest.raises(EvaluationError, match="--gold"):
        evaluate(make_graph(), [], None)


def test_load_graphs_merges_extra_files_and_reports_bad_ones(tmp_path: Path) -> None:
    main, extra = tmp_path / "g.ttl", tmp_path / "onto.ttl"
    make_graph().serialize(main, format="turtle")
    extra.write_text("<https://example.org/M> <http://www.w3.org/2000/01/rdf-schema#subClassOf> "
                     "<https://schema.org/Organization> .\n", encoding="utf-8")
    assert len(load_graphs(main, [extra])) == len(make_graph()) + 1
    with pytest.raises(GraphFileError, match="no such graph file"):
        load_graphs(tmp_path / "none.ttl")
    (tmp_path / "bad.ttl").write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(GraphFileError, match="not valid Turtle"):
        load_graphs(tmp_path / "bad.ttl")


# --- fail-under ------------------------------------------------------------------------

def test_check_fail_under() -> None:
    scores = Scores(entities=Tally(tp_pred=8, n_pred=9, tp_gold=8, n_gold=8))
    assert check_fail_under(scores, "") == []
    assert check_fail_under(scores, "entities=0.9,agreements=1,roles=1,evidence=1") == []
    assert check_fail_under(scores, "entities=0.95,evidence=1") == ["entities F1 0.941 < 0.95"]
    for spec, words in (("entity=0.9", "CATEGORY=BOUND"), ("entities", "CATEGORY=BOUND"),
                        ("entities=high", "not a number")):
        with pytest.raises(EvaluationError, match=words):
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
    assert set(report) == {*CATEGORIES, "articles_without_node"}
    assert report["entities"] == {"precision": 0.889, "recall": 1.0, "f1": 0.941,
                                  "tp_pred": 8, "n_pred": 9, "tp_gold": 8, "n_gold": 8}
    assert report["articles_without_node"] == []
    verbose = json.loads(run("--graph", files["graph"], "--gold", files["gold"], "--json", "-v").stdout)
    assert verbose["entities"]["extras"] == ["Person: ['abe shinzo']"]
    assert verbose["entities"]["misses"] == []


@pytest.mark.parametrize(("args", "words"), [
    (("--graph", "{tmp}/none.ttl", "--gold", "{gold}"), "no such graph file"),
    (("--graph", "{gold}", "--gold", "{gold}"), "not valid Turtle"),
    (("--graph", "{graph}", "--gold", "{tmp}/none.json"), "no such gold file"),
    (("--graph", "{graph}",), "no gold annotations"),
    (("--graph", "{graph}", "--gold", "{graph}"), "not valid JSON"),
    (("--graph", "{graph}", "--gold", "{gold}", "--sources", "{tmp}/none"), "no such sources folder"),
    (("--graph", "{graph}", "--gold", "{gold}", "--fail-under", "entity=1"), "CATEGORY=BOUND"),
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


# --- the same lines as the shared scorer -----------------------------------------------

@pytest.mark.skipif(not SCORER.is_file(), reason="the shared scorer is not here (CI has no /work/shared)")
def test_the_same_output_as_the_shared_scorer(repo: Path, built: Path, tmp_path: Path) -> None:
    shared = SCORER.parent.parent
    fr_graph = tmp_path / "fr"
    from kg.pipeline import build

    build([shared / "corpus" / "fr" / "articles"], fr_graph)
    seeds_graph = tmp_path / "seeds.ttl"  # a copy: someone may rebuild graphs/ meanwhile
    shutil.copyfile(repo / "graphs" / "kg.ttl", seeds_graph)
    cases = [
        (seeds_graph, shared / "eval" / "gold", repo / "seeds"),
        (built / "kg.ttl", shared / "eval" / "gold", repo / "seeds"),
        (fr_graph / "kg.ttl", shared / "corpus" / "fr" / "gold", shared / "corpus" / "fr" / "articles"),
    ]
    strict = "entities=0.99,agreements=0.99,roles=0.99,evidence=1"
    compared = 0
    for graph, gold, sources in cases:
        for extra in ([], ["-v"], ["--fail-under", strict], ["-v", "--fail-under", strict]):
            args = ["--graph", str(graph), "--gold", str(gold), "--sources", str(sources), *extra]
            theirs = subprocess.run([sys.executable, str(SCORER), *args], capture_output=True, text=True, check=False)
            ours = CliRunner().invoke(app, ["evaluate", *args])
            assert ours.stdout == theirs.stdout, (args, ours.stdout, theirs.stdout)
            assert ours.exit_code == theirs.returncode, args
            compared += 1
        without_sources = ["--graph", str(graph), "--gold", str(gold), "-v"]
        theirs = subprocess.run([sys.executable, str(SCORER), *without_sources], capture_output=True, text=True,
                                check=False)
        assert CliRunner().invoke(app, ["evaluate", *without_sources]).stdout == theirs.stdout
    assert compared == 12


def test_evaluate_help() -> None:
    result = CliRunner().invoke(app, ["evaluate", "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    for words in ("Usage", "gold annotations", "--gold", "--graph", "--sources", "--json", "--verbose", "--fail-under"):
        assert words in result.stdout
