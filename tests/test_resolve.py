"""One node per real entity across articles and spellings."""
from __future__ import annotations

from rdflib import Literal

from kg.vocab import ORG, RDF, RDFS, SDO, SKOS

from .extraction import run_many


def people(graph) -> dict[str, set[str]]:
    """label -> every label and altLabel of each person node."""
    out = {}
    for node in graph.subjects(RDF.type, SDO.Person):
        label = str(graph.value(node, RDFS.label))
        out[label] = {str(o) for o in graph.objects(node, SKOS.altLabel)} | {label}
    return out


def test_same_person_with_and_without_diacritics_across_articles():
    _, _, g = run_many({
        "a.txt": "Titre\n\nLe ministre vietnamien du Plan et de l'Investissement, Trần Quốc Phương, a parlé.",
        "b.txt": "Titre\n\nLe vice-ministre vietnamien du Plan et de l'Investissement, Tran Quoc Phuong, a répondu.",
    })
    found = people(g)
    assert list(found) == ["Trần Quốc Phương"], "the fullest spelling is the canonical label"
    assert {"Tran Quoc Phuong"} <= found["Trần Quốc Phương"]


def test_japanese_name_order_and_a_misspelt_given_name():
    _, _, g = run_many({
        "a.txt": "Titre\n\nLa ministre japonaise des Affaires étrangères, Kamikawa Yoko, est arrivée à Hanoï. "
                 "Plus tard, la ministre Kamikawa Yako a rencontré la presse.",
        "b.txt": "Titre\n\nLa ministre japonaise des Affaires étrangères, Yoko Kamikawa, a signé le texte.",
    })
    found = people(g)
    assert len(found) == 1
    assert {"Kamikawa Yoko", "Yoko Kamikawa", "Kamikawa Yako"} <= next(iter(found.values()))


def test_gazetteer_person_keeps_its_canonical_spelling():
    _, _, g = run_many({"a.txt": "Titre\n\nLe ministre Nguyen Manh Hung a parlé avec la ministre Sanae Takaichi."})
    assert set(people(g)) == {"Nguyễn Mạnh Hùng", "Takaichi Sanae"}


def test_two_ministries_called_mic_stay_two_and_one_person_two_roles_gives_two_memberships():
    _, resolved, g = run_many({
        "a.txt": "Titre\n\nLe ministre vietnamien de l'Information et de la Communication, Lê Văn An, a reçu "
                 "la ministre japonaise de l'Intérieur et des Communications, Noda Seiko.",
        "b.txt": "Titre\n\nLe ministre vietnamien des Sciences et des Technologies, Lê Văn An, a visité Tokyo.",
    })
    mics = {str(g.value(o, RDFS.label, any=True)) for o in g.subjects(SKOS.altLabel, Literal("MIC"))}
    assert len(mics) == 2
    memberships = list(g.subjects(RDF.type, ORG.Membership))
    le_van_an = next(n for n in g.subjects(RDF.type, SDO.Person) if str(g.value(n, RDFS.label)) == "Lê Văn An")
    assert len([m for m in memberships if (m, ORG.member, le_van_an) in g]) == 2


def test_countryless_ministry_joins_the_one_known_same_name():
    _, resolved, g = run_many({
        "a.txt": "Titre\n\nLe ministre japonais de l'Environnement, Asao Keiichiro, est venu.",
        "b.txt": "Titre\n\nAsao Keiichiro, ministre de l'Environnement, a salué l'accord.",
    })
    orgs = {str(g.value(o, RDFS.label, any=True)) for o in g.subjects(RDF.type, SDO.Organization)}
    assert orgs == {"Ministère de l'Environnement"}
    assert len(list(g.subjects(RDF.type, ORG.Membership))) == 1


def test_entity_seen_in_two_articles_is_derived_from_both():
    from kg.vocab import PROV
    _, _, g = run_many({"a.txt": "Titre\n\nLa JICA finance un pont.", "b.txt": "Titre\n\nLa JICA finance une route."})
    jica = next(g.subjects(SKOS.altLabel, Literal("JICA")))
    assert len(list(g.objects(jica, PROV.wasDerivedFrom))) == 2
