"""The shipped queries (queries/*.rq) on the graph built from seeds/, checked against the articles."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import QueryError
from kg.sparql import execute, load_store, named_queries, run, table_of
from kg.workers import Job

MEMO = "Mémorandum de coopération dans le domaine de l'Information et de la Communication"
CONV = "Convention de coopération sur le partage des données satellitaires"
HUNG = "Nguyễn Mạnh Hùng"
TAKAICHI = "Takaichi Sanae"
SEEDS = {"000_c0f335d2a1b346a0.txt", "003_3c35ac1535cd0762.txt"}
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def store(built: Path) -> ox.Store:
    return load_store(built / "kg.ttl")


def rows(store: ox.Store, query: str, **bindings: str) -> list[dict[str, str]]:
    table = table_of(execute(store, Job(query, tuple(bindings.items())))[1])
    return [dict(zip(table.variables, row)) for row in table.rows]


def serialize(store: ox.Store, query: str, fmt: str) -> str:
    """The query's results in a W3C results format, as `kg query --format` writes them."""
    return execute(store, Job(query, results_format=fmt))[1].decode("utf-8")


SHIPPED = {"signatories", "agreements", "agreements-by-topic", "roles", "evidence"}


def test_shipped_queries() -> None:
    assert {p.stem for p in named_queries()} == SHIPPED


def test_signatories(store: ox.Store) -> None:
    # "signé le 9 janvier à Hanoi par le ministre [...] Nguyên Manh Hùng, et la ministre [...] Takaichi Sanae"
    assert rows(store, "signatories") == [
        {"agreement": MEMO, "signatory": HUNG, "signedOn": "--01-09", "place": "Hanoï"},
        {"agreement": MEMO, "signatory": TAKAICHI, "signedOn": "--01-09", "place": "Hanoï"},
    ]


def test_signed_on_is_a_day_without_a_year(store: ox.Store) -> None:
    dates = {solution["signedOn"] for solution in run(store, "signatories")}
    assert dates == {ox.Literal("--01-09", datatype=ox.NamedNode(XSD + "gMonthDay"))}


def test_agreements(store: ox.Store) -> None:
    found = rows(store, "agreements")
    for row in found:
        row["parties"] = set(row["parties"].split(" | "))
    assert found == [
        {"agreement": CONV, "kind": "convention",
         "parties": {"Centre spatial national du Vietnam", "Agence japonaise d'exploration aérospatiale",
                     "Vietnam", "Japon"},
         # "ont signé lundi à Hanoï" (no date); "d'une durée de 2 ans, sera effective à partir de septembre 2017"
         "signedOn": "", "place": "Hanoï", "validFrom": "2017-09", "validUntil": "2019-09", "duration": "P2Y"},
        {"agreement": MEMO, "kind": "memorandum",
         "parties": {"Ministère de l'Information et de la Communication",
                     "Ministère de l'Intérieur et des Communications", "Vietnam", "Japon"},
         # "signé le 9 janvier à Hanoi"; "réalisée dans la période 2020-2023"
         "signedOn": "--01-09", "place": "Hanoï", "validFrom": "2020", "validUntil": "2023", "duration": ""},
    ]


def test_roles(store: ox.Store) -> None:
    assert rows(store, "roles") == [
        {"person": HUNG, "role": "ministre de l'Information et de la Communication",
         "organization": "Ministère de l'Information et de la Communication", "country": "Vietnam"},
        # the teaser in 003: "Le ministre des Sciences et des Technologies, Nguyên Manh Hung, a souligné"
        {"person": HUNG, "role": "ministre des Sciences et des Technologies",
         "organization": "Ministère des Sciences et des Technologies", "country": "Vietnam"},
        {"person": TAKAICHI, "role": "ministre de l'Intérieur, de l'Information et de la Communication",
         "organization": "Ministère de l'Intérieur et des Communications", "country": "Japon"},
    ]


def test_agreements_by_topic_follow_broader_concepts(store: ox.Store) -> None:
    pairs = {(row["topicLabel"], row["agreement"]) for row in rows(store, "agreements-by-topic")}
    memo_topics = {topic for topic, agreement in pairs if agreement == MEMO}
    conv_topics = {topic for topic, agreement in pairs if agreement == CONV}
    # "l'e-gouvernement, la ville intelligente, les applications informatiques, la transformation
    # numérique, la radiodiffusion, [...] du secteur postal" and the headline's "technologie 5G"
    assert {"5G", "e-gouvernement", "ville intelligente", "applications informatiques",
            "transformation numérique", "radiodiffusion", "secteur postal"} <= memo_topics
    assert "télécommunications" in memo_topics  # only through 5G's skos:broader
    assert {"données satellitaires", "observation de la Terre", "ALOS-2", "ScanSAR", "DataCube"} <= conv_topics
    assert "télécommunications" not in conv_topics and "5G" not in conv_topics
    assert "données satellitaires" not in memo_topics


def test_agreements_by_topic_with_a_bound_topic(store: ox.Store) -> None:
    found = rows(store, "agreements-by-topic", topic="télécommunications")
    assert {row["agreement"] for row in found} == {MEMO}
    assert {row["topicLabel"] for row in found} == {"télécommunications"}


@pytest.fixture(scope="module")
def evidence(store: ox.Store) -> list[dict[str, str]]:
    return rows(store, "evidence", label="Nguyen Manh Hung")


def test_evidence_for_a_person(evidence: list[dict[str, str]], repo: Path) -> None:
    assert evidence
    assert {row["label"] for row in evidence} == {"Nguyen Manh Hung"}
    assert {row["article"] for row in evidence} == SEEDS
    assert {"mention", "member", "signatory"} <= {row["relation"] for row in evidence}
    for row in evidence:
        text = (repo / "seeds" / row["article"]).read_bytes().decode("utf-8")
        assert text[int(row["start"]):int(row["end"])] == row["sentence"]
        if row["relation"] in ("mention", "member"):
            assert "Nguyên Manh H" in row["sentence"], row
    # both the 5G story (000) and the teaser in 003 ("Le ministre des Sciences et des Technologies, ...")
    mentions = {row["article"]: row["sentence"] for row in evidence if row["relation"] == "mention"}
    assert mentions["003_3c35ac1535cd0762.txt"].startswith("Le ministre des Sciences et des Technologies, Nguyên")


def test_every_evidence_sentence_names_the_person(evidence: list[dict[str, str]]) -> None:
    assert all("Nguyên Manh H" in row["sentence"] for row in evidence), \
        [row["sentence"] for row in evidence if "Nguyên Manh H" not in row["sentence"]]


def test_evidence_accepts_any_label(store: ox.Store) -> None:
    assert rows(store, "evidence", label=HUNG) and rows(store, "evidence", label="Saka Takaichi")
    assert rows(store, "evidence", label="Personne Inconnue") == []


# --- formats, bindings, errors ---------------------------------------------------------

def test_json_results(store: ox.Store) -> None:
    data = json.loads(serialize(store, "signatories", "json"))
    assert data["head"]["vars"] == ["agreement", "signatory", "signedOn", "place"]
    bindings = data["results"]["bindings"]
    assert [b["signatory"]["value"] for b in bindings] == [HUNG, TAKAICHI]
    assert bindings[0]["signedOn"] == {"type": "literal", "value": "--01-09", "datatype": XSD + "gMonthDay"}
    assert bindings[0]["place"] == {"type": "literal", "value": "Hanoï", "xml:lang": "fr"}


def test_csv_results(store: ox.Store) -> None:
    text = serialize(store, "signatories", "csv")
    assert text.startswith("agreement,signatory,signedOn,place\r\n")
    parsed = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [(r["signatory"], r["signedOn"], r["place"]) for r in parsed] == \
        [(HUNG, "--01-09", "Hanoï"), (TAKAICHI, "--01-09", "Hanoï")]


def test_csv_quotes_values_with_commas(store: ox.Store) -> None:
    parsed = list(csv.DictReader(io.StringIO(serialize(store, "roles", "csv"), newline="")))
    assert parsed[-1]["role"] == "ministre de l'Intérieur, de l'Information et de la Communication"


def test_tsv_results(store: ox.Store) -> None:
    lines = serialize(store, "signatories", "tsv").splitlines()
    assert lines[0] == "?agreement\t?signatory\t?signedOn\t?place"
    assert lines[1].split("\t")[1:] == [f'"{HUNG}"', f'"--01-09"^^<{XSD}gMonthDay>', '"Hanoï"@fr']
    assert len(lines) == 3


def test_xml_results(store: ox.Store) -> None:
    root = ET.fromstring(serialize(store, "signatories", "xml"))
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    assert [v.get("name") for v in root.findall("s:head/s:variable", ns)] == ["agreement", "signatory", "signedOn", "place"]
    assert len(root.findall("s:results/s:result", ns)) == 2


def test_ask_query(store: ox.Store) -> None:
    assert table_of(execute(store, Job("ASK { ?a a kg:Agreement ; kg:signatory ?p }"))[1]).rows == (("true",),)


INJECTIONS = [
    'Nguyen Manh Hung" } ; DROP ALL ; #',
    "x') } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o",
    '"""} ; DROP DEFAULT',
    "<http://example.org/x> } ; DROP ALL",
]


@pytest.mark.parametrize("value", INJECTIONS)
def test_bound_values_are_data_not_query_text(store: ox.Store, value: str) -> None:
    before = len(store)
    assert rows(store, "evidence", label=value) == []
    assert len(store) == before


@pytest.mark.parametrize("query", ["SELECT nonsense", "SELECT ?x WHERE { ?x", "", "PREFIX x <y> ASK {}"])
def test_malformed_query_raises_query_error(store: ox.Store, query: str) -> None:
    with pytest.raises(QueryError, match="does not parse"):
        run(store, query)


@pytest.mark.parametrize("query", ["DROP ALL", "PREFIX ex: <http://x/> INSERT DATA { ex:a ex:b ex:c }",
                                   "# a comment\nclear default"])
def test_an_update_is_refused_the_graph_is_read_only(store: ox.Store, query: str) -> None:
    before = len(store)
    with pytest.raises(QueryError, match="the graph is read-only"):
        run(store, query)
    assert len(store) == before


def test_missing_query_file(store: ox.Store, tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="no such query file"):
        run(store, str(tmp_path / "nope.rq"))


def test_query_by_file_path(store: ox.Store, repo: Path) -> None:
    assert rows(store, str(repo / "queries" / "signatories.rq")) == rows(store, "signatories")
