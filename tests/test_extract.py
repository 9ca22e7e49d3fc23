"""Extraction rules on French sentences written for the tests (not copied from any article)."""
from __future__ import annotations

import pytest

from kg.models import COUNTRY, EVENT, FIELD, ORGANIZATION, PERSON, PLACE, TECHNOLOGY

from .extraction import label_of, labels, run, texts


def roles(extraction) -> set[tuple[str, str, str]]:
    return {(label_of(extraction, m.person), m.role, label_of(extraction, m.organization)) for m in extraction.memberships}


@pytest.mark.parametrize("sentence, expected", [
    ("Titre\n\nLe ministre vietnamien des Finances, Hồ Đức Phớc, a reçu une délégation à Hanoï.",
     ("Hồ Đức Phớc", "ministre des Finances", "Ministère des Finances")),
    ("Titre\n\nLa ministre japonaise de la Justice, Kamikawa Yoko, était présente lors de la réunion.",
     ("Kamikawa Yoko", "ministre de la Justice", "Ministère de la Justice du Japon")),
    ("Titre\n\nLe vice-ministre vietnamien de l'Industrie et du Commerce Nguyễn Sinh Nhật Tân a affirmé son soutien.",
     ("Nguyễn Sinh Nhật Tân", "vice-ministre de l'Industrie et du Commerce", "Ministère de l'Industrie et du Commerce")),
    ("Titre\n\nDao Ngoc Dung, ministre du Travail, des Invalides et des Affaires sociales, a salué l'initiative.",
     ("Dao Ngoc Dung", "ministre du Travail, des Invalides et des Affaires sociales",
      "Ministère du Travail, des Invalides et des Affaires sociales")),
    ("Titre\n\nLe ministre japonais de l'Environnement, Asao Keiichiro, a visité l'usine.",
     ("Asao Keiichiro", "ministre de l'Environnement", "Ministère de l'Environnement")),
    ("Titre\n\nLe Premier ministre japonais Ishiba Shigeru a reçu la délégation.",
     ("Ishiba Shigeru", "Premier ministre", "Gouvernement du Japon")),
    # a portfolio written in lower case, an honorific before the name
    ("Titre\n\nLe ministre vietnamien de la santé, M. Tran Van Thuan, a ouvert la conférence.",
     ("Tran Van Thuan", "ministre de la santé", "Ministère de la Santé")),  # the gazetteer's label
])
def test_person_with_role(sentence, expected):
    assert expected in roles(run(sentence))


def test_ministry_country_from_the_nationality():
    ex = run("Titre\n\nLe ministre japonais de l'Environnement, Asao Keiichiro, a visité l'usine.")
    org = next(m for m in ex.mentions if m.type == ORGANIZATION)
    assert org.country == "japan" and org.government


def test_counterpart_takes_the_role_of_the_first_person_with_the_new_country():
    ex = run("Titre\n\nLe Premier ministre vietnamien Phạm Minh Chính a reçu son homologue japonais Kishida Fumio à Hanoï.")
    assert roles(ex) == {("Phạm Minh Chính", "Premier ministre", "Gouvernement du Vietnam"),
                         ("Kishida Fumio", "Premier ministre", "Gouvernement du Japon")}


def test_title_without_organization_gives_a_person_but_no_membership():
    ex = run("Titre\n\nLe secrétaire général Nguyễn Văn Bình a prononcé un discours.")
    assert "Nguyễn Văn Bình" in labels(ex, PERSON)
    assert ex.memberships == ()


@pytest.mark.parametrize("sentence, org, acronym", [
    ("Titre\n\nL'Institut de recherche sur les télécommunications (TRI) a présenté ses travaux.",
     "Institut de recherche sur les télécommunications", "TRI"),
    ("Titre\n\nLe Centre de développement des logiciels (CDL - Software Development Centre) a ouvert à Da Nang.",
     "Centre de développement des logiciels", "CDL"),
    ("Titre\n\nl'agence vietnamienne de l'énergie atomique (VAEA) coopère avec le Japon.",
     "Agence vietnamienne de l'énergie atomique", "VAEA"),
])
def test_organization_defined_with_its_acronym(sentence, org, acronym):
    ex = run(sentence + f" Plus tard, le {acronym} a signé un contrat.")
    mentions = [m for m in ex.mentions if m.type == ORGANIZATION and m.label == org]
    assert mentions and acronym in mentions[0].aliases
    assert any(m.text == acronym and m.ref == mentions[0].ref for m in ex.mentions), "the acronym alone refers back"


def test_expansion_after_the_acronym_is_an_alias():
    ex = run("Titre\n\nLe Centre de développement des logiciels (CDL - Software Development Centre) a ouvert.")
    assert "Software Development Centre" in next(m for m in ex.mentions if m.type == ORGANIZATION).aliases


def test_organization_closed_by_a_country_name():
    ex = run("Titre\n\nLa Chambre de commerce et d'industrie du Vietnam a organisé un forum.")
    assert "Chambre de commerce et d'industrie du Vietnam" in labels(ex, ORGANIZATION)
    assert next(m for m in ex.mentions if m.type == ORGANIZATION).country == "vietnam"


def test_unconfirmed_phrase_is_not_an_organization():
    ex = run("Titre\n\nLe service de la surveillance des forêts fonctionne bien au Vietnam.")
    assert labels(ex, ORGANIZATION) == set()


def test_parent_organization():
    ex = run("Titre\n\nL'Institut de physique (IOP) de l'Académie des Sciences et des Technologies du Vietnam a reçu des chercheurs.")
    child = next(m for m in ex.mentions if m.label == "Institut de physique")
    assert child.parent == "gaz:vast"


def test_two_mics_stay_two_organizations():
    ex = run("Titre\n\nLe ministre vietnamien de l'Information et de la Communication, Lê Nam Thắng, "
             "et la ministre japonaise de l'Intérieur et des Communications, Noda Seiko, se sont rencontrés.")
    orgs = {m.ref for m in ex.mentions if m.type == ORGANIZATION}
    assert orgs == {"gaz:vn-mic", "gaz:jp-mic"}


def agreement(text, published=None):
    ex = run(text, published)
    assert len(ex.agreements) == 1, ex.agreements
    ag = ex.agreements[0]
    name = {m.ref: m.label for m in ex.mentions}
    return ex, ag, name


def test_loan_agreement_with_parties_date_and_place():
    _, ag, name = agreement(
        "Prêt japonais pour la santé\n\nLe ministère vietnamien de la Santé et l'Agence japonaise de coopération "
        "internationale (JICA) ont signé mardi 12 mars 2024 à Hô Chi Minh-Ville un accord de prêt de 10 milliards de yens.")
    assert ag.kind == "loan agreement"
    assert {name[p] for p in ag.parties} == {"Ministère de la Santé", "Agence japonaise de coopération internationale"}
    assert (ag.signed_on.lexical, ag.signed_on.datatype) == ("2024-03-12", "date")
    assert name[ag.signed_at] == "Hô Chi Minh-Ville"


def test_memorandum_between_countries_with_a_witness_who_is_not_a_signatory():
    _, ag, name = agreement(
        "Semi-conducteurs\n\nUn mémorandum d'entente sur les semi-conducteurs a été signé le 5 octobre à Tokyo entre "
        "le Vietnam et le Japon, en présence du Premier ministre Phạm Minh Chính.")
    assert ag.kind == "memorandum"
    assert {name[p] for p in ag.parties} == {"Vietnam", "Japon"}
    assert ag.signatories == ()
    assert ag.signed_on.lexical == "--10-05"
    assert name[ag.signed_at] == "Tokyo"
    assert "semi-conducteurs" in {name[t] for t in ag.topics}


def test_signatories_after_par_and_their_roles():
    ex, ag, name = agreement(
        "Énergie propre\n\nLa lettre d'intention a été signée par le vice-ministre vietnamien du Plan et de "
        "l'Investissement, Trần Quốc Phương, et le président de la JICA, Tanaka Akihiko.")
    assert {name[s] for s in ag.signatories} == {"Trần Quốc Phương", "Tanaka Akihiko"}
    assert ("Tanaka Akihiko", "président de la JICA", "Agence japonaise de coopération internationale") in roles(ex)
    assert ag.kind == "letter of intent"


def test_validity_from_a_later_sentence_referring_back():
    _, ag, _ = agreement(
        "Hydrogène\n\nLe Vietnam et le Japon ont signé jeudi une convention sur l'hydrogène. "
        "Cette convention, d'une durée de cinq ans, entrera en vigueur à partir de janvier 2025.")
    assert ag.duration == "P5Y"
    assert ag.valid_from.lexical == "2025-01" and ag.valid_until.lexical == "2030-01"
    assert ag.signed_on is None, "a weekday without a publication date stays unknown"


def test_weekday_resolved_with_the_publication_date():
    _, ag, _ = agreement("Titre\n\nLe Vietnam et le Japon ont signé jeudi un accord de coopération.",
                         published="2024-06-15")
    assert ag.signed_on.lexical == "2024-06-13"


def test_caption_repeating_the_story_does_not_create_a_second_agreement():
    _, ag, _ = agreement(
        "Titre\n\nUne convention a été signée lundi à Hanoï entre le Vietnam et le Japon.\n"
        "Signature de la convention à Hanoï. Photo : VNA\n"
        "Signature de la convention à Hanoï. Photo : VNA")
    assert all(e.exact.startswith("Une convention") for e in ag.evidence)


def test_teaser_facts_stay_in_the_teaser():
    ex = run("Accord sur le rail\n\nUn accord sur le rail a été signé à Hanoï entre le Vietnam et le Japon. -VNA\n\n"
             "Voir plus\n\nLe Premier ministre japonais Kishida Fumio a visité Osaka le 3 mai 2023.")
    ag = ex.agreements[0]
    name = {m.ref: m.label for m in ex.mentions}
    assert name[ag.signed_at] == "Hanoï" and ag.signed_on is None
    assert "Kishida Fumio" not in {name[p] for p in ag.signatories + ag.parties}
    kishida = next(m for m in ex.mentions if m.label == "Kishida Fumio")
    assert kishida.sentence.story > 0, "kept, with its own evidence in the teaser"


def test_no_agreement_without_signing():
    ex = run("Titre\n\nLes deux pays envisagent un accord sur le commerce.")
    assert ex.agreements == ()


def test_event_with_date_and_place():
    ex = run("Titre\n\nLe Japon participera au salon Vietnam Expo 2024 en avril 2024 à Hanoï.")
    event = next(m for m in ex.mentions if m.type == EVENT)
    assert event.label == "Vietnam Expo 2024"
    facts = ex.events[0]
    assert facts.start_date.lexical == "2024-04" and facts.location == "gaz:hanoi"


@pytest.mark.parametrize("sentence, name", [
    ("Titre\n\nLes deux parties testeront la technologie LiDAR dans les mines.", "LiDAR"),
    ("Titre\n\nLe satellite MicroDragon a été lancé par la JAXA.", "MicroDragon"),
    ("Titre\n\nLe programme SATREPS finance la recherche.", "SATREPS"),
])
def test_named_technologies(sentence, name):
    assert name in labels(run(sentence), TECHNOLOGY)


def test_gazetteer_entities_with_accent_and_spelling_variants():
    ex = run("Titre\n\nÀ Ha Noi, la JAXA et le VNSC parlent de 5G et du Nhat Ban.")
    assert {"Hanoï"} <= labels(ex, PLACE)
    assert {"Agence japonaise d'exploration aérospatiale", "Centre spatial national du Vietnam"} <= labels(ex, ORGANIZATION)
    assert "Japon" in labels(ex, COUNTRY)


def test_dateline_gives_place_and_agency():
    ex = run("Titre\n\nTokyo (VNA) - Les entreprises se sont réunies.")
    assert "Tokyo" in texts(ex, PLACE)
    assert "gaz:vna" in {m.ref for m in ex.mentions}


def test_every_evidence_quotes_the_text_exactly():
    text = ("Titre\n\nLe ministre vietnamien des Finances, Hồ Đức Phớc, et la JICA ont signé un accord de prêt à Hanoï. "
            "Cet accord, d’une durée de 2 ans, sera effectif à partir de mai 2024.")
    ex = run(text)
    evidence = [ms.evidence for ms in ex.memberships] + [e for ag in ex.agreements for e in ag.evidence]
    assert evidence
    assert all(text[e.start:e.end] == e.exact for e in evidence)


def test_a_count_before_the_agreement_stays_in_its_label():
    _, ag, _ = agreement("Titre\n\nDeux accords de prêt pour le métro ont été signés vendredi à Hanoï entre la JICA et le Vietnam.")
    assert ag.label == "Deux accords de prêt pour le métro"
    assert ag.kind == "loan agreement"


@pytest.mark.parametrize("sentence, expected", [
    ("Titre\n\nL'ambassadeur du Japon au Vietnam, Yamada Takio, a salué l'accord.",
     ("Yamada Takio", "ambassadeur du Japon au Vietnam", "Ambassade du Japon au Vietnam")),
    ("Titre\n\nIl a reçu l'ambassadeur du Japon auVietnam Ito Naoki, arrivé la veille.",  # a space lost by the page
     ("Ito Naoki", "ambassadeur du Japon au Vietnam", "Ambassade du Japon au Vietnam")),
    ("Titre\n\nLa Banque d'État du Vietnam et sa gouverneure Nguyễn Thị Hồng ont reçu la délégation.",
     ("Nguyễn Thị Hồng", "gouverneure", "Banque d'État du Vietnam")),
    ("Titre\n\nUn accord a été signé avec le Bureau du gouvernement du Vietnam, en présence de sonprésident, "
     "le ministre Mai Tiến Dũng.",
     ("Mai Tiến Dũng", "président", "Bureau du gouvernement du Vietnam")),
])
def test_roles_of_envoys_and_of_the_organization_just_named(sentence, expected):
    assert expected in roles(run(sentence))


@pytest.mark.parametrize("sentence, field", [
    ("Titre\n\nLe Vietnam et le Japon ont signé un mémorandum sur la formation des infirmiers.",
     "formation des infirmiers"),
    ("Titre\n\nUne convention dans le domaine de l'Agriculture et du Développement rural a été signée à Tokyo.",
     "agriculture et développement rural"),
    ("Titre\n\nUn protocole d'accord concernant l'accueil de stagiaires techniques a été signé mardi.",
     "accueil de stagiaires techniques"),
])
def test_the_field_an_agreement_names_becomes_its_topic(sentence, field):
    ex, ag, name = agreement(sentence)
    assert field in {name[t] for t in ag.topics}


@pytest.mark.parametrize("sentence", [
    "Titre\n\nUn mémorandum sur le programme de cette coopération a été signé à Hanoï.",  # points back, names nothing
    "Titre\n\nUne convention sur les semi-conducteurs a été signée à Tokyo.",  # a known technology is the topic
])
def test_no_field_topic_where_the_name_points_back_or_names_a_technology(sentence):
    ex, ag, name = agreement(sentence)
    assert ag.topics and not [m for m in ex.mentions if m.type == FIELD] if "semi" in sentence else not ag.topics


def test_loan_agreement_projects_sentence_refers_back():
    _, ag, _ = agreement("Titre\n\nDeux accords de prêt ont été signés lundi à Hanoï entre le Vietnam et la JICA. "
                         "Ces fonds seront affectés à la 5G dans les zones rurales.")
    assert "gaz:5g" in ag.topics


def test_dateline_dates_the_story_for_weekdays():
    ex, ag, _ = agreement("Titre\n\nTokyo, 14 juin 2024 (VNA) - Le Vietnam et le Japon ont signé mercredi une convention "
                          "sur l'hydrogène.")
    assert ag.signed_on.lexical == "2024-06-12"
    assert ex.article.meta.published == "2024-06-14"


def test_a_province_and_a_prefecture_are_places_not_people():
    ex = run("Coopération\n\nLa province de Lai Châu et la préfecture de Shizuoka ont renforcé leurs échanges, "
             "a indiqué le gouverneur à Hanoï.")
    places = labels(ex, "Place")
    assert {"Lai Châu", "Shizuoka"} <= places
    assert not {"Lai Châu", "Shizuoka"} & labels(ex, "Person")


@pytest.mark.parametrize("text, people", [
    ("Visite\n\nLe projet a été présenté par Kenji Watanabe lors de la réunion tenue à Hanoï.", {"Kenji Watanabe"}),
    ("Visite\n\nLa délégation était conduite par M. Takeshi Onoda, qui a salué les progrès.", {"Takeshi Onoda"}),
])
def test_a_full_name_the_model_finds_is_a_person(text, people):
    assert people <= labels(run(text), PERSON)


def test_places_named_after_a_place_noun_are_not_people():
    ex = run("Transports\n\nLes fonds iront aux aéroports de Cat Bi et de Lien Khuong, ainsi qu'à la centrale "
             "de Vung Ang.")
    assert not {"Cat Bi", "Lien Khuong", "Vung Ang"} & labels(ex, PERSON)


def test_the_given_names_alone_are_the_person_named_in_full_before():
    ex = run("Entretien\n\nLe vice-ministre vietnamien des Finances Tran Quoc Khanh a reçu la délégation. "
             "Quoc Khanh a souligné l'importance des prêts.")
    people = [m for m in ex.mentions if m.type == PERSON]
    assert {m.text for m in people} >= {"Tran Quoc Khanh", "Quoc Khanh"}
    assert len({m.ref for m in people}) == 1


@pytest.mark.parametrize("text, organizations", [
    ("Coopération\n\nL'Université de Kanazawa et l'Université de Hué ont signé un mémorandum de coopération.",
     {"Université de Kanazawa", "Université de Hué"}),
    ("Coopération\n\nLe Comité populaire de Ba Ria-Vung Tau a reçu une délégation japonaise.",
     {"Comité populaire de Ba Ria-Vung Tau"}),
    ("Coopération\n\nL'Institut de technologie de Ho Chi Minh-Ville (HCMUT) a accueilli des chercheurs.",
     {"Institut de technologie de Ho Chi Minh-Ville"}),
])
def test_an_organization_named_after_a_place_or_a_person(text, organizations):
    assert organizations <= labels(run(text), ORGANIZATION)


def test_a_place_the_agreement_is_about_is_not_where_it_was_signed():
    _, ag, name = agreement("Défense\n\nLe 3 mai, le ministre a signé avec son homologue un accord autorisant "
                            "les escales à Hai Phong, dans un contexte de confiance entre les deux pays.")
    assert ag.signed_at is None


def test_entre_opens_a_list_of_parties_only_when_they_follow_it():
    _, ag, name = agreement("Défense\n\nLe ministère vietnamien de la Défense a signé un accord, dans un contexte de "
                            "communion de vue entre les deux pays sur la liberté de navigation en mer de Chine.")
    assert "gaz:china" not in ag.parties
    _, ag, name = agreement("Santé\n\nUn mémorandum a été signé entre le Japon et le Vietnam le 2 juin.")
    assert {"gaz:japan", "gaz:vietnam"} <= set(ag.parties)


def test_an_exchange_of_notes_is_an_agreement_and_its_field_stops_at_the_body_named():
    _, ag, name = agreement("Aide\n\nLe Vietnam et le Japon ont signé le 4 avril à Hanoï une note d'échange sur "
                            "l'aide non remboursable de la JICA d'une valeur de 2 milliards de yens.")
    assert ag.kind == "exchange of notes"
    assert "aide non remboursable" in {name[t] for t in ag.topics}


def test_dans_introduces_a_field_but_not_dans_le_cadre():
    _, ag, name = agreement("Université\n\nL'Université de Kyushu et l'Université de Can Tho ont signé un "
                            "mémorandum de coopération dans la recherche agricole.")
    assert "recherche agricole" in {name[t] for t in ag.topics}
    _, ag, name = agreement("Visite\n\nLe Japon et le Vietnam ont signé un mémorandum dans le cadre de la visite.")
    assert not {name[t] for t in ag.topics} & {"cadre de la visite", "cadre"}


def test_signed_with_gives_the_other_signatory_not_what_the_agreement_is_about():
    _, ag, name = agreement("Défense\n\nLe 2 juin, le ministre japonais de la Défense Kishi Nobuo a signé avec le général "
                            "Lê Văn Cường un accord sur la coopération navale en mer de Chine.")
    assert "Lê Văn Cường" in {name[s] for s in ag.signatories}
    assert "gaz:china" not in ag.parties


@pytest.mark.parametrize("sentence, expected", [
    ("Titre\n\nLe directeur adjoint de l'Agence japonaise de coopération internationale (JICA), Ito Kenji, a salué "
     "le projet.", ("Ito Kenji", "directeur adjoint de l'Agence japonaise de coopération internationale",
                    "Agence japonaise de coopération internationale")),
    ("Titre\n\nLe secrétaire général du Parti communiste vietnamien, Tô Lâm, a reçu la délégation.",
     ("Tô Lâm", "secrétaire général du Parti communiste vietnamien", "Parti communiste vietnamien")),
])
def test_a_title_of_any_body_set_apart_by_commas(sentence, expected):
    assert expected in roles(run(sentence))


def test_a_nationality_names_its_country_but_is_not_a_party():
    ex = run("Travail\n\nLes stagiaires vietnamiens seront accueillis au Japon. La partie japonaise a signé un "
             "mémorandum avec le ministère vietnamien du Travail.")
    assert "gaz:vietnam" in {m.ref for m in ex.mentions if m.type == COUNTRY}
    for ag in ex.agreements:
        assert "gaz:japan" not in ag.parties


@pytest.mark.parametrize("text", [
    "Projet\n\nL'accord avec le gouvernement vietnamien pourrait être signé au mois de juin 2027.",
    "Projet\n\nLe Japon et le Vietnam signeront un mémorandum sur la santé la semaine prochaine à Osaka.",
])
def test_a_signing_to_come_is_no_signed_agreement(text):
    assert run(text).agreements == ()


def test_a_signed_agreement_to_be_carried_out_later_is_one():
    ex = run("Santé\n\nLe mémorandum sur la santé signé le 3 mai à Osaka entre le Japon et le Vietnam sera "
             "mis en œuvre dès 2027.")
    assert len(ex.agreements) == 1 and ex.agreements[0].signed_on is not None


def test_the_people_who_sign_as_subjects_are_signatories_not_the_witnesses():
    _, ag, name = agreement("Tourisme\n\nEn présence du ministre Tran Van Son, le gouverneur de la préfecture de Gifu, "
                            "Sato Ken, et le vice-président du Comité populaire de Da Nang, Nguyen Van Hung, ont signé "
                            "un mémorandum sur le tourisme.")
    assert {name[s] for s in ag.signatories} == {"Sato Ken", "Nguyen Van Hung"}
    assert "Comité populaire de Da Nang" in {name[p] for p in ag.parties}


@pytest.mark.parametrize("text, topic, place", [
    ("Santé\n\nLe Japon et le Vietnam ont signé un accord sur la santé à Tokyo.", "santé", "Tokyo"),
    ("Agriculture\n\nLe Japon et le Vietnam ont signé un mémorandum sur l'agriculture à Hanoï.", "agriculture", "Hanoï"),
])
def test_a_field_stops_at_the_place_of_signing(text, topic, place):
    ex, ag, name = agreement(text)
    assert topic in {name[t] for t in ag.topics}
    assert name[ag.signed_at] == place
    assert set(ag.topics) <= {m.ref for m in ex.mentions}  # every topic is an entity of the graph


def test_several_agreements_of_a_plural_kind_concluded_on_a_weekday():
    _, ag, name = agreement("Santé\n\nLe Vietnam et le Japon ont conclu mardi trois protocoles d'accord, portant "
                            "notamment sur la formation des infirmiers.", published="2025-06-12")
    assert ag.label == "Trois protocoles d'accord" and ag.kind == "memorandum"
    assert {"gaz:japan", "gaz:vietnam"} <= set(ag.parties)
    assert "formation des infirmiers" in {name[t] for t in ag.topics}
    assert ag.signed_on.lexical == "2025-06-10"


def test_a_public_body_in_lower_case_closed_by_its_country_signs_alone():
    _, ag, name = agreement("Aide\n\nL'ambassade du Japon au Vietnam a signé mardi un contrat de don avec le Comité "
                            "populaire de Ha Giang.", published="2024-03-06")
    assert {"Ambassade du Japon", "Comité populaire de Ha Giang"} <= {name[p] for p in ag.parties}
    assert ag.signed_on.lexical == "2024-03-05"


def test_a_field_is_not_a_technology():
    ex, ag, name = agreement("Titre\n\nLe Vietnam et le Japon ont signé un mémorandum sur la gestion des forêts.")
    (topic,) = [m for m in ex.mentions if m.ref in ag.topics]
    assert (topic.type, topic.label) == (FIELD, "gestion des forêts")


def test_each_item_of_a_list_of_fields_is_a_topic():
    """The parser hangs the second item on the verb, as if it were a second object."""
    _, ag, name = agreement("Titre\n\nL'Université de Hué et l'Université d'Okayama ont signé un mémorandum de "
                            "coopération dans la recherche, les échanges de leurs chercheurs, et la formation des "
                            "ingénieurs.")
    assert {"recherche", "échanges de leurs chercheurs", "formation des ingénieurs"} <= {name[t] for t in ag.topics}


def test_a_later_naming_of_the_agreement_gives_its_field():
    _, ag, name = agreement("Titre\n\nLe Vietnam et le Japon ont signé mardi un mémorandum de coopération. "
                            "Il s'agit du premier mémorandum de coopération convenu dans la gestion des déchets.")
    assert "gestion des déchets" in {name[t] for t in ag.topics}


def test_the_signatories_a_copula_lists():
    _, ag, name = agreement("Titre\n\nUn accord de prêt a été signé lundi à Hanoï. Les signataires étaient le "
                            "ministre des Finances, Vo Van Thuong, et l'ambassadeur de Corée au Vietnam, Park Min-ho.")
    assert {name[s] for s in ag.signatories} == {"Vo Van Thuong", "Park Min-ho"}


def test_parties_of_a_list_the_parser_breaks_at_semicolons():
    _, ag, name = agreement("Titre\n\nUn mémorandum a été signé entre le ministère vietnamien de la Santé et deux organes "
                            "japonais – les ministères japonais de l'Éducation ; de l'Environnement et de la Culture.")
    parties = {name[p] for p in ag.parties}
    assert "Ministère de la Santé" in parties and len(parties) >= 3


def test_words_a_page_ran_together_are_read_apart():
    _, ag, name = agreement("Titre\n\nUn accord a été signévendredi à Hanoï entre l'Université de Hué et "
                            "l'Université d'Osaka.")
    assert {name[p] for p in ag.parties} == {"Université de Hué", "Université d'Osaka"}
    assert name[ag.signed_at] == "Hanoï"


def test_a_caption_of_the_signing_names_who_signed():
    ex = run("Titre\n\nUn mémorandum sur la santé a été signé lundi à Hanoï.\n\n"
             "Le ministre vietnamien de la Santé, Dao Hong Lan, et l'ambassadeur du Japon au Vietnam, Ito Naoki, "
             "ont signé le mémorandum. Photo : VNA")
    (ag,) = ex.agreements
    assert {label_of(ex, s) for s in ag.signatories} == {"Dao Hong Lan", "Ito Naoki"}
    assert any("ont signé le mémorandum" in e.exact for e in ag.evidence)


def test_a_counted_naming_after_another_agreement_is_other_agreements():
    ex = run("Titre\n\nLe président du Comité populaire de Da Nang, Tran Trung Chinh, et le gouverneur de la préfecture "
             "japonaise d'Oita, Sato Kazuo, ont signé un mémorandum sur le renforcement de la coopération. Le Japon et "
             "le Laos ont conclu mardi trois protocoles d'entente, portant notamment sur l'énergie solaire.")
    first, second = ex.agreements
    assert {label_of(ex, p) for p in first.parties} == {"Comité populaire de Da Nang"}
    assert {label_of(ex, s) for s in first.signatories} == {"Tran Trung Chinh", "Sato Kazuo"}
    assert {label_of(ex, p) for p in second.parties} == {"Japon", "Laos"} and not second.signatories
