"""kg/turtle.py: the Turtle writer reads back as the same triples (rdflib and pyoxigraph), the
same graph gives the same bytes whatever the order and the hash seed, names are prefixed only
where that is safe, and what it cannot write it refuses."""
from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from kg.graph import load_graph, new_graph, to_turtle
from kg.triples import Annotation, Triples
from kg.turtle import _Writer, _store_index, escape, turtle_chunks, write_turtle
from kg.vocab import KG, PREFIXES, RDF, RDFS, SDO, XSD

from .hostile import SPECIAL_CHARS, unicode_text

EX = Namespace("http://example.org/")
PFX = {"ex": str(EX), "xsd": str(XSD), "rdf": str(RDF), "rdfs": str(RDFS)}
PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
pytestmark = pytest.mark.filterwarnings("ignore:Parsing weird boolean")  # ill-typed xsd:boolean literals, on purpose

XSD_STRING = str(XSD.string)
CONTROLS = "".join(map(chr, range(0x20))) + "\x7f"
HOSTILE_TEXTS = [
    "", " ", '"', "'", '"""', "'''", '""', "\\", "x\\", "\\\\", '\\"', "\\u0022", "\\n", "\n", "\r", "\r\n", "\t",
    "a\"b\"\"\"c'''d", 'ends with a quote"', "'lone apostrophe", "l'Information", "aujourd’hui",
    CONTROLS, *CONTROLS, "\x85", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff",
    "\u200f\u05e9\u05dc\u05d5\u05dd\u200f", "\u202eevil\u202c", "zero\u200bwidth\u200c\u200djoin", "\u2066iso\u2069",
    "😀", "👩‍👩‍👧", "🇻🇳🇯🇵", "\U0010ffff", "Nguyễn Mạnh Hùng", "N\u0301guye\u0302\u0303n", "高市早苗", "ベトナム",
    "<http://x/>", "_:b0", "@prefix x: <y> .", '"x"^^xsd:date', "# not a comment", "a ; b , c .", "ex:a",
    "{ } | ^ ` ~", "multi\nline\n\"\"\"\nquote", "trailing newline\n", "x" * 5000,
    *SPECIAL_CHARS,
]
TYPED = [  # every datatype the graph uses, and a few it does not
    ("2024-01-09", XSD.date), ("2017-09", XSD.gYearMonth), ("2017", XSD.gYear), ("--01-09", XSD.gMonthDay),
    ("P2Y", XSD.duration), ("P1Y6M", XSD.duration), ("0", XSD.nonNegativeInteger), ("12345", XSD.nonNegativeInteger),
    ("https://example.org/a b?c=\"d\"&e=<f>", XSD.anyURI), ("plain as xsd:string", XSD.string),
    ("-5", XSD.integer), ("true", XSD.boolean), ("1.5", XSD.decimal), ("not a date", XSD.date),
    ("x\ny", URIRef("http://example.org/datatype/custom")), ("z", URIRef("urn:x-dt:1")),
]
LANGS = ["fr", "en-US", "vi", "ja", "zh-Hant-TW", "de-CH-1996", "FR"]
IRIS = [
    EX.a, EX["b"], EX["é"], EX["a.b"], EX["a/b"], EX["1st"], EX["-x"], EX["_x"], EX["x-y_z9"], EX["x."],
    EX["frag#part"], EX["%20pct"], EX["a'b(c)!$&*+,;=:@~"], URIRef("urn:isbn:0451450523"), URIRef("mailto:a@b.c"),
    URIRef("http://example.org/"), URIRef("https://w3id.org/vjkg/resource/person/nguyen-manh-hung"),
    URIRef("http://例え.jp/パス?q=ü#frag"),
]


def hostile_triples() -> list[tuple]:
    triples = []
    for i, text in enumerate(HOSTILE_TEXTS):
        s = EX[f"text{i}"]
        triples.append((s, RDF.type, EX.Text))
        triples.append((s, RDFS.label, Literal(text)))
        triples.append((s, EX.tagged, Literal(text, lang=LANGS[i % len(LANGS)])))
        triples.append((s, EX.typed, Literal(text, datatype=TYPED[i % len(TYPED)][1])))
    for i, (lexical, datatype) in enumerate(TYPED):
        triples.append((EX[f"typed{i}"], EX.value, Literal(lexical, datatype=datatype)))
    for i, iri in enumerate(IRIS):
        triples.append((iri, EX.link, IRIS[(i + 1) % len(IRIS)]))
        triples.append((EX.hub, EX.points, iri))
    for lang in LANGS:
        triples.append((EX.multi, RDFS.label, Literal("same text", lang=lang)))
    triples.append((EX.multi, RDFS.label, Literal("same text")))
    triples.append((EX.multi, RDFS.label, EX["same text".replace(" ", "-")]))
    return triples


def hostile_graph() -> Graph:
    g = new_graph()
    for t in hostile_triples():
        g.add(t)
    return g


def to_ox(term) -> ox.NamedNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD_STRING)))


def same_as_rdflib(expected, ttl: str | Path) -> None:
    g = Graph().parse(ttl, format="turtle") if isinstance(ttl, Path) else Graph().parse(data=ttl, format="turtle")
    want = {(s, p, Literal(str(o), lang=o.language) if isinstance(o, Literal) and o.datatype == XSD.string else o)
            for s, p, o in expected}
    assert set(g) == want


def same_as_pyoxigraph(expected, ttl: str | Path) -> None:
    parsed = ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE) if isinstance(ttl, Path) else ox.parse(ttl, format=ox.RdfFormat.TURTLE)
    got = {(t.subject, t.predicate, t.object) for t in parsed}
    assert got == {(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in expected}


# --- round trips -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seeds(built: Path) -> Graph:
    return load_graph(built / "kg.ttl")


def test_seeds_graph_round_trips_through_rdflib_and_pyoxigraph(seeds: Graph, built: Path) -> None:
    ttl = write_turtle(seeds)
    assert isomorphic(Graph().parse(data=ttl, format="turtle"), seeds)
    same_as_pyoxigraph(seeds, ttl)
    # `kg build` writes with to_turtle: reading its file and writing it again gives the same bytes.
    assert ttl == to_turtle(seeds) == (built / "kg.ttl").read_text(encoding="utf-8")


def test_hostile_literals_and_iris_round_trip(tmp_path: Path) -> None:
    triples = hostile_triples()
    ttl = write_turtle(triples, PFX)
    same_as_rdflib(triples, ttl)
    same_as_pyoxigraph(triples, ttl)
    # ... and from a file, as UTF-8 bytes.
    path = tmp_path / "hostile.ttl"
    path.write_bytes(ttl.encode("utf-8"))
    same_as_rdflib(triples, path)
    same_as_pyoxigraph(triples, path)


def test_every_code_point_round_trips() -> None:
    """One literal per code point of the BMP (surrogates aside) and a few astral ones, inside text and alone."""
    code_points = [*range(0xD800), *range(0xE000, 0x10000), 0x1F600, 0x1F1FB, 0xE0001, 0x10FFFF]
    triples = [(EX[f"c{cp:06X}"], EX.v, Literal(f"a{chr(cp)}b{chr(cp)}")) for cp in code_points]
    triples += [(EX[f"c{cp:06X}"], EX.w, Literal(chr(cp))) for cp in code_points]
    ttl = write_turtle(triples, PFX)
    same_as_rdflib(triples, ttl)
    same_as_pyoxigraph(triples, ttl)


def test_escapes_exactly_what_the_grammar_needs() -> None:
    assert escape('a"b\\c') == 'a\\"b\\\\c'
    assert escape("\n\r\t") == "\\n\\r\\t"
    assert escape("\x00\x01\x08\x0b\x0c\x1f\x7f") == "\\u0000\\u0001\\u0008\\u000B\\u000C\\u001F\\u007F"
    kept = "é ü 😀 \u200f \u2028 \x85 \ufeff ' < > { } @ # ; ,"
    assert escape(kept) == kept
    line = write_turtle([(EX.s, EX.p, Literal('"""\n'))], PFX).splitlines()[-1]
    assert line == 'ex:s ex:p "\\"\\"\\"\\n" .'


# --- determinism -------------------------------------------------------------------------

def test_same_bytes_whatever_the_insertion_order(seeds: Graph) -> None:
    for triples in (list(seeds), hostile_triples()):
        shuffled = triples[:]
        random.Random(7).shuffle(shuffled)
        first, second = new_graph(), new_graph()
        for t in triples:
            first.add(t)
        for t in reversed(shuffled):
            second.add(t)
        out = write_turtle(first, PFX)
        assert write_turtle(second, PFX) == out
        assert write_turtle(shuffled, PFX) == out == write_turtle(triples + shuffled, PFX)  # duplicates once


def test_same_bytes_whatever_the_hash_seed(tmp_path: Path, built: Path) -> None:
    """Parse, then write, in fresh interpreters with different PYTHONHASHSEEDs: sets and dicts iterate differently."""
    hostile = tmp_path / "hostile.nt"
    hostile.write_text(ox.serialize([ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in hostile_triples()],
                                    format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), encoding="utf-8")
    script = (
        "import hashlib, sys\n"
        "from rdflib import Graph\n"
        "from kg.turtle import write_turtle\n"
        "from kg.vocab import PREFIXES\n"
        "for path, fmt in ((sys.argv[1], 'turtle'), (sys.argv[2], 'nt')):\n"
        "    text = write_turtle(Graph().parse(path, format=fmt), PREFIXES)\n"
        "    print(hashlib.sha256(text.encode('utf-8')).hexdigest())\n"
    )
    outputs = set()
    for seed in ("0", "1", "4242", "random"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-c", script, str(built / "kg.ttl"), str(hostile)],
                                env=env, capture_output=True, text=True, check=True)
        outputs.add(result.stdout)
    expected = "".join(hashlib.sha256(write_turtle(g, PREFIXES).encode("utf-8")).hexdigest() + "\n"
                       for g in (load_graph(built / "kg.ttl"), Graph().parse(hostile, format="nt")))
    assert outputs == {expected}


@PROPERTY
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3), st.integers(0, 11)), min_size=1, max_size=40),
       st.randoms(use_true_random=False))
def test_any_order_and_any_duplicates_give_the_same_bytes(picks, rng) -> None:
    objects = [EX.a, EX.b, Literal("a"), Literal("a", lang="fr"), Literal("a", lang="EN"), Literal("a", datatype=XSD.string),
               Literal("1", datatype=XSD.nonNegativeInteger), Literal("1", datatype=XSD.integer), Literal("b"), Literal(""),
               Literal("b", lang="en"), RDF.type]
    predicates = [RDF.type, EX.p, RDFS.label, EX.q]
    triples = [(EX[f"s{s}"], predicates[p], objects[o]) for s, p, o in picks]
    shuffled = triples[:]
    rng.shuffle(shuffled)
    out = write_turtle(triples, PFX)
    assert write_turtle(shuffled + triples[: len(triples) // 2], PFX) == out
    same_as_pyoxigraph(triples, out)


# --- layout and names --------------------------------------------------------------------

def test_layout_and_order() -> None:
    triples = [
        (EX.s, EX.p, Literal("b")), (EX.s, EX.p, Literal("a", lang="fr")), (EX.s, EX.p, Literal("a")),
        (EX.s, EX.p, EX.z), (EX.s, EX.p, Literal("a", datatype=XSD.string)), (EX.s, EX.p, Literal("1", datatype=XSD.integer)),
        (EX.s, EX.p, EX["a/b"]), (EX.s, RDF.type, EX.B), (EX.s, RDF.type, EX.A), (EX.s, EX.a, RDF.type),
        (EX.r, RDFS.label, Literal("r", lang="en-US")), (URIRef("http://a.example/x"), EX.p, EX.s),
    ]
    assert write_turtle(triples, PFX) == (
        "@prefix ex: <http://example.org/> .\n"
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "\n"
        "<http://a.example/x> ex:p ex:s .\n"
        "\n"
        "ex:r rdfs:label \"r\"@en-us .\n"
        "\n"
        "ex:s a ex:A,\n"
        "        ex:B ;\n"
        "    ex:a rdf:type ;\n"
        "    ex:p <http://example.org/a/b>,\n"
        "        ex:z,\n"
        "        \"1\"^^xsd:integer,\n"
        "        \"a\",\n"
        "        \"a\"@fr,\n"
        "        \"b\" .\n"
    )


@pytest.mark.parametrize(("iri", "text"), [
    ("http://example.org/abc", "ex:abc"),
    ("http://example.org/_a-b_9", "ex:_a-b_9"),
    ("http://example.org/path/x", "deep:x"),          # the longest namespace that fits
    ("http://example.org/prefix", "pre:fix"),         # a namespace that does not end in / or #
    ("http://example.org/pre", "ex:pre"),
    ("http://example.org/a/b", "<http://example.org/a/b>"),  # '/' in the local part
    ("http://example.org/a.b", "<http://example.org/a.b>"),
    ("http://example.org/x.", "<http://example.org/x.>"),
    ("http://example.org/1st", "<http://example.org/1st>"),
    ("http://example.org/-x", "<http://example.org/-x>"),
    ("http://example.org/é", "<http://example.org/é>"),
    ("http://example.org/a%20b", "<http://example.org/a%20b>"),
    ("http://example.org/a~b", "<http://example.org/a~b>"),
    ("http://example.org/a#b", "<http://example.org/a#b>"),
    ("http://example.org/", "<http://example.org/>"),
    ("http://other.example/abc", "<http://other.example/abc>"),
])
def test_prefixed_names_only_where_the_local_part_is_safe(iri: str, text: str) -> None:
    prefixes = {"ex": "http://example.org/", "deep": "http://example.org/path/", "pre": "http://example.org/pre"}
    out = write_turtle([(EX.s, EX.p, URIRef(iri))], prefixes)
    assert out.splitlines()[-1] == f"ex:s ex:p {text} ."
    assert {t.object.value for t in ox.parse(out, format=ox.RdfFormat.TURTLE)} == {iri}


def test_seeds_graph_uses_prefixes_for_the_vocabulary(seeds: Graph) -> None:
    ttl = write_turtle(seeds)
    assert "@prefix kg: <https://w3id.org/vjkg/ontology#> ." in ttl
    assert " a kg:Agreement ;" in ttl and "    oa:hasSelector <https://w3id.org/vjkg/resource/annotation/" in ttl
    header, body = ttl.split("\n\n", 1)
    assert "rdf:type" not in body and "@prefix rdf:" not in header  # rdf:type is only ever a predicate: 'a'
    assert "<https://schema.org/" not in body and "<http://www.w3.org/ns/oa#" not in body
    assert "<https://w3id.org/vjkg/resource/person/nguyen-manh-hung> a schema:Person ;" in ttl


# --- what it refuses ---------------------------------------------------------------------

@pytest.mark.parametrize("triple", [
    (BNode(), EX.p, EX.o), (EX.s, EX.p, BNode()), (Literal("x"), EX.p, EX.o), (EX.s, Literal("p"), EX.o),
    (EX.s, EX.p, "a plain str"), (URIRef("relative/iri"), EX.p, EX.o), (EX["a b"], EX.p, EX.o),
    (EX.s, EX.p, URIRef("http://example.org/<x>")), (EX.s, EX.p, URIRef('http://example.org/"')),
    (EX.s, EX.p, URIRef("http://example.org/{x}")), (EX.s, EX.p, URIRef("http://example.org/a\\b")),
    (EX.s, EX.p, URIRef("http://example.org/\n")), (EX.s, EX.p, URIRef("http://example.org/a\nhttp://example.org/b")),
    (EX.s, EX.p, URIRef("http://example.org/\r")), (EX.s, EX.p, URIRef("")), (URIRef("#frag"), EX.p, EX.o), (EX.s, EX.p, Literal("lone \ud800 surrogate")),
    (EX.s, EX.p, Literal("x", datatype=URIRef("not an iri"))),
])
def test_what_turtle_cannot_carry_raises_value_error(triple) -> None:
    with pytest.raises(ValueError):
        write_turtle([triple], PFX)
    with pytest.raises(ValueError):  # streamed: refused before the first piece is given out
        next(turtle_chunks([(EX.a, EX.p, EX.b), triple], PFX))
    if not isinstance(triple[2], str):  # rdflib's Graph takes any other node: the writer must refuse it there too
        g = Graph()
        g.add(triple)
        with pytest.raises(ValueError):
            write_turtle(g, PFX)


def test_an_annotation_record_whose_iri_has_a_fragment_raises_value_error() -> None:
    graph = Triples([(EX.article, RDF.type, EX.Article)])
    graph.annotate(Annotation(str(EX.record) + "#quote", str(EX.body), str(EX.article), 0, 4, "text"))
    with pytest.raises(ValueError, match="two '#'"):  # its parts would be <...#quote#target> and so on
        write_turtle(graph, PFX)


def test_an_annotation_that_is_not_a_record_raises_type_error() -> None:
    record = Annotation(str(EX.record), str(EX.body), str(EX.article), 0, 4, "text")
    with pytest.raises(TypeError, match="'not a record'"):
        next(_Writer(PFX).chunks([(EX.article, RDF.type, EX.Article)], [record, ("not a record",)]))


@pytest.mark.parametrize("prefixes", [{"1x": "http://x/"}, {"a.": "http://x/"}, {"a b": "http://x/"}, {"x": "relative/"},
                                      {"x": "http://x/ y"}])
def test_bad_prefixes_raise_value_error(prefixes) -> None:
    with pytest.raises(ValueError):
        write_turtle([(EX.s, EX.p, EX.o)], prefixes)


# --- the graph fast path -----------------------------------------------------------------

def test_graph_index_gives_the_same_bytes_as_its_triples(seeds: Graph) -> None:
    g = hostile_graph()
    assert _store_index(g) is not None and _store_index(seeds) is not None  # new_graph() graphs take the fast path
    for graph in (g, seeds):
        assert write_turtle(graph, PFX) == write_turtle(list(graph), PFX)
    # Removed triples leave empty dicts in the index: they must not show.
    for t in list(g.triples((None, EX.tagged, None))):
        g.remove(t)
    g.remove((EX.multi, None, None))
    assert write_turtle(g, PFX) == write_turtle(list(g), PFX)
    assert "ex:tagged" not in write_turtle(g, PFX) and "ex:multi" not in write_turtle(g, PFX)
    # A term Turtle cannot carry, once its triples are removed, is not in the graph any more.
    for gone in [(BNode(), EX.p, EX.o), (EX.s, Literal("p"), EX.o)]:
        g.add(gone)
        g.remove(gone)
    assert write_turtle(g, PFX) == write_turtle(list(g), PFX)
    assert write_turtle(new_graph()) == write_turtle([]) == ""


def test_terms_of_one_iri_are_one_subject_in_a_graph_as_in_a_list() -> None:
    class Named(URIRef):  # rdflib keeps it apart from a URIRef of the same IRI
        pass

    g = new_graph()
    g.add((EX.s, EX.p, Literal("as a URIRef")))
    g.add((Named(str(EX.s)), EX.p, Literal("as a subclass")))
    assert len(g) == 2 and _store_index(g) is not None
    ttl = write_turtle(g, PFX)
    assert ttl == write_turtle(list(g), PFX) and ttl.count("ex:s ") == 1


def test_graphs_sharing_a_store_are_written_alone() -> None:
    ds = Dataset()
    one, two = ds.graph(EX.g1), ds.graph(EX.g2)
    one.add((EX.s, EX.p, Literal("one")))
    two.add((EX.s, EX.p, Literal("two")))
    assert type(one) is Graph and _store_index(one) is None
    assert write_turtle(one, PFX) == write_turtle([(EX.s, EX.p, Literal("one"))], PFX)


def test_to_turtle_is_the_writer_with_the_project_prefixes(seeds: Graph) -> None:
    g = new_graph()
    g.add((URIRef("https://w3id.org/vjkg/resource/agreement/x"), RDF.type, KG.Agreement))
    g.add((URIRef("https://w3id.org/vjkg/resource/agreement/x"), SDO.name, Literal("x")))
    assert to_turtle(g) == write_turtle(g, PREFIXES) == (
        "@prefix kg: <https://w3id.org/vjkg/ontology#> .\n@prefix schema: <https://schema.org/> .\n\n"
        "<https://w3id.org/vjkg/resource/agreement/x> a kg:Agreement ;\n    schema:name \"x\" .\n")


# --- property: any text ------------------------------------------------------------------

@PROPERTY
@given(text=st.one_of(unicode_text(), st.text()), lang=st.sampled_from(LANGS), datatype=st.sampled_from([d for _, d in TYPED]))
def test_any_text_round_trips_exactly_through_pyoxigraph(text: str, lang: str, datatype: URIRef) -> None:
    literals = {EX.plain: Literal(text), EX.tagged: Literal(text, lang=lang), EX.typed: Literal(text, datatype=datatype)}
    ttl = write_turtle([(EX.s, p, o) for p, o in literals.items()], PFX)
    got = {t.predicate.value: t.object for t in ox.parse(ttl, format=ox.RdfFormat.TURTLE)}
    assert got == {str(p): to_ox(o) for p, o in literals.items()}
    assert got[str(EX.plain)].value == got[str(EX.tagged)].value == text
    same_as_rdflib([(EX.s, p, o) for p, o in literals.items()], ttl)


@pytest.mark.parametrize("size", [1, 2, 7, 4096])
def test_pieces_join_to_the_same_document(seeds: Graph, size: int) -> None:
    """kg build streams its Turtle to the file piece by piece: the file is the same bytes."""
    triples = list(seeds) + list(seeds)[:50]  # duplicates too
    whole = write_turtle(seeds, PREFIXES)
    pieces = list(_Writer(PREFIXES).chunks(triples, size=size))
    assert "".join(pieces) == whole == "".join(turtle_chunks(triples))
    assert len(pieces) >= min(len(set(s for s, _, _ in seeds)) // (2 * size), 3)
    assert list(turtle_chunks([])) == [] and write_turtle([]) == ""
