"""Turtle writing benchmark: kg/turtle.py vs pyoxigraph's serializer vs rdflib's.

    python benchmarks/turtle_benchmark.py [--triples 1000000] [--repeat 5] [--rdflib]
        [--articles N | --ttl FILE]

Builds a synthetic graph of about --triples triples shaped like kg build's output (the
generator of benchmarks/query_benchmark.py: articles, people, organizations, agreements,
memberships, evidence annotations with offsets and quotes; 65% of its triples describe
evidence, against 87% in kg build's output), or takes kg build's own output: the kg.ttl of a
build of --articles synthetic articles (benchmarks/corpus.py, generated and built once, then
cached under benchmarks/.corpus/; 2,500 articles give about a million triples), or the first
--triples triples of a Turtle file (--ttl: a kg.ttl that kg build wrote). Triples are parsed with
pyoxigraph, turned into rdflib terms (a new term object per occurrence, as rdflib's parser
makes them) and added to an rdflib Graph made by kg.graph.new_graph(). Then prints the median
wall time of:

  list -> text   kg.turtle.write_turtle(list of rdflib triples)
                 vs pyoxigraph.serialize(list of pyoxigraph triples, TURTLE)
                 the same triples in the same order (the graph's iteration order), each list
                 of term objects made in that order;
  build order    "".join(kg.turtle.turtle_chunks(kg.triples.Triples)), what kg build runs
                 (it streams the pieces to the file): the triples held as kg build holds them,
                 each evidence annotation as one record (kg/triples.py) and the other triples
                 in the order kg build adds them, one subject's after another (here: the
                 document's order); a new term object per occurrence, where kg build holds
                 about one per IRI (its vocabulary's constants, a subject's term shared by its
                 triples), a new one per literal: held that way, on both sides, the ratio
                 was the same (2.72x against 2.67x, 2026-11-24; docs/scale.md)
                 vs pyoxigraph.serialize of the same triples, in the order a Triples iterates;
  graph -> text  kg.graph.to_turtle(the rdflib Graph)
                 vs pyoxigraph Store.dump(TURTLE) of a Store holding the same triples
                 vs rdflib Graph.serialize(format="turtle"), once, with --rdflib (it is slow).

Timed: the writing only, from terms already in memory to one str (or bytes for pyoxigraph),
as wall time and as this process's CPU time (steadier when other jobs share the machine).
Not timed, for both sides alike: generating and parsing the synthetic Turtle, converting to
rdflib or pyoxigraph terms, building the Graph and the Store. The same prefixes are given to
every writer. Each output is read back with pyoxigraph and checked to hold the graph's triples.
pyoxigraph writes triples as they come (it groups consecutive ones only) and does not sort;
kg/turtle.py sorts subjects, predicates and objects. Not a test: figures depend on the machine.
"""
from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections import defaultdict
from itertools import islice
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from kg.graph import new_graph, to_turtle  # noqa: E402
from kg.triples import ANNOTATION_TRIPLES, PARTS, Annotation, Triples, part  # noqa: E402
from kg.turtle import turtle_chunks, write_turtle  # noqa: E402
from kg.vocab import OA, PREFIXES, RDF  # noqa: E402
from query_benchmark import HEADER, fixed, iris, unit  # noqa: E402

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
PER_UNIT = 123  # triples in one unit() of query_benchmark


def synthetic(triples: int) -> list[ox.Triple]:
    units = max(1, -(-triples // PER_UNIT))
    text = HEADER + iris(fixed()) + "\n" + "\n".join(iris(unit(i)) for i in range(units)) + "\n"
    return list(ox.parse(text, format=ox.RdfFormat.TURTLE))[:triples]


def from_file(path: Path, triples: int | None) -> list[ox.Triple]:
    return list(islice((t.triple for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)), triples))


def built_ttl(articles: int, jobs: int = 2) -> Path:
    """The kg.ttl of a build of `articles` synthetic articles, in the build benchmark's corpus
    folder; the build keeps its cache there, so that a second run only finds nothing changed."""
    from build_benchmark import ensure_corpus

    from kg.pipeline import build

    sources, _ = ensure_corpus(articles, 0)
    out = sources.parent / "build"
    print(f"building {articles:,} articles into {out} (reusing its cache) ...", flush=True)
    build([sources], out, jobs=jobs, use_cache=True)
    return out / "kg.ttl"


def as_built(triples: list[tuple]) -> Triples:
    """The triples as kg.graph.Builder holds them: each evidence annotation that has exactly
    the triples of an Annotation record as that record, every other triple as it is."""
    by_subject: dict = defaultdict(lambda: defaultdict(list))
    for s, p, o in triples:
        by_subject[s][p].append(o)

    def one(s, p):
        values = by_subject.get(s, {}).get(p, ())
        return values[0] if len(values) == 1 else None

    records = []
    for s, props in by_subject.items():
        if OA.Annotation not in props.get(RDF.type, ()):
            continue
        target, position, quote = (URIRef(part(str(s), name)) for name in PARTS)
        values = (one(s, OA.hasBody), one(target, OA.hasSource), one(position, OA.start), one(position, OA.end),
                  one(quote, OA.exact))
        if None in values or not all(str(v).isdigit() for v in values[2:4]):
            continue
        body, source, start, end, exact = values
        records.append(Annotation(str(s), str(body), str(source), int(start), int(end), str(exact)))
    whole = set(triples)
    records = [r for r in records if set(r.triples()) <= whole]
    held = {t for r in records for t in r.triples()}
    built = Triples(t for t in triples if t not in held)
    for record in records:
        built.annotate(record)
    assert set(built) == whole and len(built) == len(whole), "the records must stand for exactly their triples"
    return built


def to_rdflib(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value) if datatype == XSD_STRING else Literal(term.value, datatype=URIRef(datatype))


def to_ox(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD_STRING)))


def median_times(runs: dict, repeat: int) -> dict[str, tuple[float, float, int]]:
    """Each function `repeat` times, interleaved (a busy machine slows them all alike).

    Median wall time, median CPU time of this process, and the size of the output.
    """
    wall: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    sizes: dict[str, int] = {}
    for _ in range(repeat):
        for name, fn in runs.items():
            gc.collect()
            start, start_cpu = time.perf_counter(), time.process_time()
            result = fn()
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
            sizes[name] = len(result)
            del result
    return {name: (statistics.median(wall[name]), statistics.median(cpu[name]), sizes[name]) for name in runs}


def check(name: str, text: str | bytes, expected: set) -> None:
    got = {(t.subject, t.predicate, t.object) for t in ox.parse(text, format=ox.RdfFormat.TURTLE)}
    if name == "ox store dump":  # pyoxigraph's Store (0.5.13) reads "1"^^xsd:nonNegativeInteger as 1 (xsd:integer)
        got, expected = ({(s, p, o.value if isinstance(o, ox.Literal) else o) for s, p, o in triples}
                         for triples in (got, expected))
    assert got == expected, (f"{name}: {len(got)} triples read back, {len(expected)} expected; "
                             f"for instance {next(iter(got ^ expected))}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    source = ap.add_mutually_exclusive_group()
    source.add_argument("--articles", type=int, help="take every triple of kg build's output for this many synthetic "
                        "articles (2,500 give about a million triples)")
    source.add_argument("--ttl", type=Path, help="a Turtle file to take the triples from (a kg.ttl written by kg build)")
    ap.add_argument("--rdflib", action="store_true",
                    help="also time rdflib's serializer, once (29.8 s for 100k triples here; a run at 1M triples "
                         "did not end within 30 minutes)")
    args = ap.parse_args(argv)
    prefixes = {name: str(ns) for name, ns in PREFIXES.items()}

    start = time.perf_counter()
    if args.articles:
        parsed = from_file(built_ttl(args.articles), None)
    else:
        parsed = from_file(args.ttl, args.triples) if args.ttl else synthetic(args.triples)
    graph = new_graph()
    graph.addN((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object), graph) for t in parsed)
    # In document order, subject after subject, as kg.graph.Builder adds them; terms made in that order.
    built = as_built([(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in parsed])
    ox_built = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in built]
    del parsed
    # Both lists in the graph's iteration order, each of new term objects made in that order, so
    # that neither side reads objects scattered in memory when the other reads them in a row.
    ox_triples = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph]
    rdflib_triples = [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in ox_triples]
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in ox_triples)
    expected = {(t.subject, t.predicate, t.object) for t in ox_triples}
    setup = time.perf_counter() - start
    start = time.perf_counter()
    list(graph)
    iterate = time.perf_counter() - start
    print(f"graph: {len(graph):,} distinct triples, {len({s for s, _, _ in rdflib_triples}):,} subjects, "
          f"{len(built.annotations):,} evidence annotations ({ANNOTATION_TRIPLES * len(built.annotations) / len(graph):.0%} of the "
          f"triples) (set up in {setup:.0f} s, not timed)")

    runs = {
        "ours list": lambda: write_turtle(rdflib_triples, PREFIXES),
        "ox serialize list": lambda: ox.serialize(ox_triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes),
        "ours built": lambda: "".join(turtle_chunks(built, PREFIXES)),
        "ox serialize built": lambda: ox.serialize(ox_built, format=ox.RdfFormat.TURTLE, prefixes=prefixes),
        "ours graph": lambda: to_turtle(graph),
        "ox store dump": lambda: store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=prefixes),
    }
    timed = median_times(runs, args.repeat)
    outputs = {name: fn() for name, fn in runs.items()}
    for name, text in outputs.items():
        check(name, text, expected)
    assert outputs["ours list"] == outputs["ours graph"] == outputs["ours built"], "every order must give the same bytes"
    del outputs
    rdflib_time = rdflib_cpu = None
    if args.rdflib:
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        text = graph.serialize(format="turtle")
        rdflib_time, rdflib_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        check("rdflib", text, expected)
        del text

    def row(what: str, name: str) -> None:
        seconds, cpu, size = timed[name]
        print(f"  {what:<44}{seconds:>9.3f}{cpu:>9.3f}{size / 1e6:>9.1f}")

    print(f"median of {args.repeat} interleaved runs; writing only (terms to text), conversions and set-up not timed")
    print(f"  {'':<44}{'wall s':>9}{'CPU s':>9}{'MB':>9}")
    print("list -> text (same triples, same order: the graph's iteration order)")
    row("kg.turtle.write_turtle(rdflib triples)", "ours list")
    row("pyoxigraph.serialize(pyoxigraph triples)", "ox serialize list")
    print("build order -> text (as kg build writes: the triples in the order it adds them)")
    row("kg.turtle.turtle_chunks(kg.triples.Triples)", "ours built")
    row("pyoxigraph.serialize(same order)", "ox serialize built")
    print("graph -> text")
    row("kg.graph.to_turtle(rdflib Graph)", "ours graph")
    row("pyoxigraph Store.dump", "ox store dump")
    if rdflib_time is not None:
        print(f"  {'rdflib Graph.serialize (1 run)':<44}{rdflib_time:>9.3f}{rdflib_cpu:>9.3f}")
    print(f"  (iterating the rdflib Graph alone, which to_turtle does not do: {iterate:.3f} s wall)")
    print("ratios (wall / CPU)")
    for label, ours, theirs in (("ours / pyoxigraph, list -> text", "ours list", "ox serialize list"),
                                ("ours / pyoxigraph, build order", "ours built", "ox serialize built"),
                                ("ours / pyoxigraph, graph -> text", "ours graph", "ox store dump")):
        by_wall, by_cpu = timed[ours][0] / timed[theirs][0], timed[ours][1] / timed[theirs][1]
        print(f"  {label:<36}{by_wall:6.2f} /{by_cpu:5.2f}   goal <= 2: {'PASS' if max(by_wall, by_cpu) <= 2 else 'FAIL'}")
    if rdflib_time is not None:
        print(f"  {'rdflib / ours, graph -> text':<36}{rdflib_time / timed['ours graph'][0]:6.1f} /"
              f"{rdflib_cpu / timed['ours graph'][1]:5.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
