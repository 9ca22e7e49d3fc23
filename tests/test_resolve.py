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


# Articles whose entities meet across them: a countryless ministry that joins its one
# same-named ministry or not (two exist), people spelt with and without diacritics, a
# country met in one article and not another.
MEETING = {
    "a.txt": "Coopération\n\nLe ministère de l'Information et des Communications (MIC) a reçu une délégation. "
             "Le ministre Nguyễn Mạnh Hùng a salué la JICA.",
    "b.txt": "Télécoms\n\nLe ministère vietnamien de l'Information et des Communications a signé un mémorandum "
             "avec le MIC japonais à Tokyo. Le ministre Nguyen Manh Hung était présent.",
    "c.txt": "Espace\n\nLa JAXA et le Centre spatial national du Vietnam (VNSC) ont signé un accord sur ALOS-2 "
             "le 3 mars 2023 à Hanoï.",
    "d.txt": "Santé\n\nLa ministre japonaise de la Santé, Fukuoka Takamaro, et le ministre vietnamien de la Santé, "
             "Đào Hồng Lan, ont signé un mémorandum.",
    "e.txt": "Agriculture\n\nLe ministère de l'Agriculture et du Développement rural a accueilli Lê Minh Hoan, "
             "ministre de l'Agriculture. La santé était aussi au menu avec le ministère de la Santé.",
    "f.txt": "Santé\n\nLe ministre vietnamien de la Santé, Dao Hong Lan, a reçu son homologue.",
    "g.txt": "Agriculture\n\nLe ministre vietnamien de l'Agriculture, Lê Minh Hoan, a visité le ministère "
             "japonais de l'Agriculture.",
    # Labels proposed more or less often, countries and parent organizations that disagree: the first met wins.
    "h.txt": "Santé\n\nLe ministère vietnamien de la Sante a parlé. Le ministère vietnamien de la Sante a écouté. "
             "Le ministère vietnamien de la Sante a signé.",
    "i.txt": "Visite\n\nLe ministre japonais des Finances, Tanaka Kenji, est arrivé.",
    "j.txt": "Visite\n\nLe ministre vietnamien des Finances, Tanaka Kenji, est reparti.",
    "k.txt": "Physique\n\nL'Institut de physique (IOP) a reçu des chercheurs de la JAXA.",
    "l.txt": "Physique\n\nL'Institut de physique (IOP) de l'Académie des Sciences et des Technologies du Vietnam "
             "a reçu des chercheurs.",
    "m.txt": "Physique\n\nL'Institut de physique (IOP) de la JAXA a reçu des chercheurs.",
}


def test_resolution_does_not_depend_on_the_order_the_articles_come_in():
    from kg.gazetteer import default_gazetteer
    from kg.resolve import resolve

    extractions, resolved, _ = run_many(MEETING)
    again = resolve(extractions[::-1], default_gazetteer())
    assert again.alias == resolved.alias
    assert again.entities == resolved.entities
