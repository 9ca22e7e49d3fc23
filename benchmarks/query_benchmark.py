"""Query benchmark: the project's query path vs raw pyoxigraph vs plain rdflib.

    python benchmarks/query_benchmark.py [--triples 1000000] [--repeat 5] [--rdflib-repeat 1]

Generates a synthetic graph shaped like kg build's output (articles, people, organizations,
agreements with parties, signatories, topics and dates, memberships, evidence annotations),
writes it as Turtle, then prints for the load and for each shipped query in queries/ the
median latency of: `kg query`'s path (kg.sparql.load_store + kg.sparql.run), raw pyoxigraph
(Store.load + Store.query), and rdflib's default memory store; with the ratios.
Not a test: figures depend on the machine.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kg import sparql as kq  # noqa: E402
from kg.vocab import PREFIXES  # noqa: E402

HEADER = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
TECHS = 300
BINDINGS = {"agreements-by-topic": {"topic": "télécommunications"}, "evidence": {"label": "Person 17"}}


def unit(i: int) -> str:
    """About 100 triples: one article with its people, organizations, agreement, roles and evidence."""
    a, p1, p2, o1, o2 = f"kgr:article/a{i}", f"kgr:person/p{i}a", f"kgr:person/p{i}b", f"kgr:organization/o{i % 5000}a", f"kgr:organization/o{i % 5000}b"
    ag, m1, m2 = f"kgr:agreement/g{i}", f"kgr:membership/m{i}a", f"kgr:membership/m{i}b"
    t1, t2 = f"kgr:technology/t{i % TECHS}", f"kgr:technology/t{(i * 7) % TECHS}"
    year = 2000 + i % 25
    out = [
        f'{a} a schema:NewsArticle ; schema:headline "Headline {i}" ; dcterms:source "a{i}.txt" ; schema:inLanguage "fr" ; schema:publisher "Publisher {i % 7}" .',
        f'{p1} a schema:Person ; rdfs:label "Person {i}" ; skos:altLabel "Personne {i}" ; prov:wasDerivedFrom {a} ; schema:nationality kgr:country/vietnam .',
        f'{p2} a schema:Person ; rdfs:label "Person {i + 1}x" ; prov:wasDerivedFrom {a} ; schema:nationality kgr:country/japan .',
        f'{o1} a schema:Organization, schema:GovernmentOrganization ; rdfs:label "Organisation {i % 5000} A"@fr ; prov:wasDerivedFrom {a} ; schema:location kgr:country/vietnam .',
        f'{o2} a schema:Organization ; rdfs:label "Organisation {i % 5000} B"@fr ; prov:wasDerivedFrom {a} ; schema:location kgr:country/japan .',
        f'{ag} a kg:Agreement ; rdfs:label "Mémorandum {i}"@fr ; kg:agreementKind "memorandum" ; kg:party {o1}, {o2} ; kg:signatory {p1}, {p2} ; '
        f'kg:topic {t1}, {t2} ; kg:signedOn "{year}-0{1 + i % 9}-1{i % 9}"^^xsd:date ; kg:signedAt kgr:place/hanoi ; prov:wasDerivedFrom {a} .',
        f'{m1} a org:Membership ; org:member {p1} ; org:organization {o1} ; org:role kgr:role/r{i % 50} ; prov:wasDerivedFrom {a} .',
        f'{m2} a org:Membership ; org:member {p2} ; org:organization {o2} ; org:role kgr:role/r{(i + 1) % 50} ; prov:wasDerivedFrom {a} .',
    ]
    for k, body in enumerate((ag, m1, m2, p1, p2, o1)):  # evidence, as kg build writes it
        n = f"<https://w3id.org/vjkg/resource/annotation/n{i}x{k}"
        start, end = f'"{k * 100}"^^xsd:nonNegativeInteger', f'"{k * 100 + 90}"^^xsd:nonNegativeInteger'
        out.append(f'{n}> a oa:Annotation ; oa:hasBody {body} ; oa:motivatedBy oa:describing ; oa:hasTarget {n}#target> .')
        out.append(f'{n}#target> a oa:SpecificResource ; oa:hasSource {a} ; oa:hasSelector {n}#position>, {n}#quote> .')
        out.append(f'{n}#position> a oa:TextPositionSelector ; oa:start {start} ; oa:end {end} .')
        out.append(f'{n}#quote> a oa:TextQuoteSelector ; oa:exact "Person {i} a signé le mémorandum {i}." .')
    return "\n".join(out)


def fixed() -> str:
    lines = ['kgr:country/vietnam a schema:Country ; rdfs:label "Vietnam"@fr .',
             'kgr:country/japan a schema:Country ; rdfs:label "Japon"@fr .',
             'kgr:place/hanoi a schema:Place ; rdfs:label "Hanoï"@fr .',
             'kgr:technology/telecom a skos:Concept ; skos:prefLabel "télécommunications"@fr .']
    for t in range(TECHS):
        broader = " ; skos:broader kgr:technology/telecom" if t % 3 == 0 else ""
        lines.append(f'kgr:technology/t{t} a kg:Technology, skos:Concept ; rdfs:label "Technologie {t}"@fr{broader} .')
    for r in range(50):
        lines.append(f'kgr:role/r{r} a org:Role ; rdfs:label "rôle {r}"@fr .')
    return "\n".join(lines)


def iris(text: str) -> str:
    """kgr:kind/name -> full IRI (a '/' cannot stand in a Turtle prefixed name)."""
    return re.sub(r"kgr:([\w/]+)", r"<https://w3id.org/vjkg/resource/\1>", text)


def generate(path: Path, triples: int) -> None:
    units = max(1, triples // 100)
    with path.open("w", encoding="utf-8") as f:
        f.write(HEADER + iris(fixed()) + "\n")
        for i in range(units):
            f.write(iris(unit(i)) + "\n")


def median_time(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def consume(results) -> int:
    if isinstance(results, (bool, ox.QueryBoolean)):
        return 1
    return sum(1 for _ in results)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rdflib-repeat", type=int, default=1)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        ttl = Path(tmp) / "synthetic.ttl"
        generate(ttl, args.triples)
        prefixes = {p: str(ns) for p, ns in PREFIXES.items()}

        def raw_load() -> ox.Store:
            store = ox.Store()
            store.load(path=str(ttl), format=ox.RdfFormat.TURTLE)
            return store

        def rdflib_load() -> Graph:
            return Graph().parse(ttl, format="turtle")

        t_project, store = median_time(lambda: kq.load_store(ttl), args.repeat)
        t_raw, raw = median_time(raw_load, args.repeat)
        t_rdflib, graph = median_time(rdflib_load, args.rdflib_repeat)
        print(f"graph: {len(store):,} triples ({ttl.stat().st_size / 1e6:.1f} MB of Turtle)")
        print(f"{'step':<22}{'project s':>11}{'pyoxigraph s':>14}{'rdflib s':>10}{'project/raw':>13}{'rdflib/project':>16}  rows")
        print(f"{'load':<22}{t_project:>11.3f}{t_raw:>14.3f}{t_rdflib:>10.3f}{t_project / t_raw:>13.2f}{t_rdflib / t_project:>16.1f}")
        worst = t_project / t_raw
        for path in kq.named_queries():
            name = path.stem
            text = path.read_text(encoding="utf-8")
            binds = BINDINGS.get(name, {})
            subs = {ox.Variable(k): ox.Literal(v) for k, v in binds.items()}
            t_p, rows = median_time(lambda: consume(kq.run(store, name, binds)), args.repeat)
            t_r, raw_rows = median_time(lambda: consume(raw.query(text, prefixes=prefixes, substitutions=subs or None)), args.repeat)
            from rdflib import Literal as RLiteral, Variable as RVariable
            t_l, lib_rows = median_time(lambda: consume(graph.query(text, initBindings={RVariable(k): RLiteral(v) for k, v in binds.items()})),
                                        args.rdflib_repeat)
            worst = max(worst, t_p / t_r)
            print(f"{name:<22}{t_p:>11.3f}{t_r:>14.3f}{t_l:>10.3f}{t_p / t_r:>13.2f}{t_l / t_p:>16.1f}  {rows}/{raw_rows}/{lib_rows}")
        print(f"worst project/raw ratio: {worst:.2f} (goal <= 1.5): {'PASS' if worst <= 1.5 else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
