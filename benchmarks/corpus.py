"""A synthetic corpus of French news articles about Vietnam–Japan cooperation, for build benchmarks.

    python benchmarks/corpus.py N OUT_DIR [--seed 0]

`generate(n_articles, out_dir, seed=0)` writes N articles shaped like the ones in seeds/
(about 500 words each on average), built from templates and ontology/gazetteer.jsonl:

- a headline line, then paragraphs; a dateline ("Hanoï (VNA) - ") on about half of them;
- signings of agreements of several kinds (mémorandum de coopération, convention, accord de
  prêt, protocole d'accord, lettre d'intention ...) between organizations and countries,
  signed by people with titles ("le ministre vietnamien de X, NAME", "la ministre japonaise
  de ..., NAME", "NAME, vice-ministre de ..."), with dates ("le 9 janvier", "lundi 1er
  juillet 2019", "en septembre 2020"), places ("à Hanoï") and topics (the gazetteer's
  technologies), validity sentences ("Cette convention, d'une durée de 2 ans, sera effective
  à partir de septembre 2017."), statements and filler about the cooperation;
- photo captions written twice ("... Photo : VNA"), a closing byline ("-VNA") on some, and a
  "Voir plus" block of 2-4 teasers for other stories at the end of some articles;
- people: the gazetteer's, and generated Vietnamese names (family, middle and given names,
  with diacritics or, sometimes, without) and Japanese names (either order); organizations:
  the gazetteer's, and generated ones introduced with an acronym in parentheses
  ("Institut ... (ABC)"). Generated people and organizations recur across articles (a few
  often, most rarely), as in a real news stream;
- a sidecar NAME.meta.json (publisher, url, published date) for about 40 % of them.

Article i depends only on (seed, i): the corpus of 100 articles is the first 100 of the
corpus of 1,000. The same arguments give the same bytes.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

VERSION = 1  # bump when the generated text changes, so cached corpora are regenerated
ROOT = Path(__file__).resolve().parent.parent
GAZETTEER = ROOT / "ontology" / "gazetteer.jsonl"

# --------------------------------------------------------------------------- words

VI_FAMILY = (("Nguyễn", 30), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 4), ("Phan", 4),
             ("Vũ", 4), ("Võ", 3), ("Đặng", 3), ("Bùi", 3), ("Đỗ", 3), ("Hồ", 2), ("Ngô", 2), ("Dương", 2),
             ("Lý", 1), ("Trương", 1), ("Đinh", 1), ("Lâm", 1), ("Đào", 1), ("Lương", 1), ("Trịnh", 1),
             ("Cao", 1), ("Thái", 1), ("Kiều", 1), ("Châu", 1), ("Tạ", 1), ("Đoàn", 1))
VI_MIDDLE_M = ("Văn", "Mạnh", "Đức", "Minh", "Quốc", "Hữu", "Thanh", "Xuân", "Công", "Đình", "Tiến", "Quang",
               "Trọng", "Anh", "Hồng", "Bá", "Gia", "Duy", "Hoàng", "Ngọc", "Chí", "Việt", "Thế", "Kim")
VI_MIDDLE_F = ("Thị", "Thị", "Thị", "Ngọc", "Thanh", "Thu", "Minh", "Kim", "Hồng", "Bích", "Phương", "Thúy")
VI_GIVEN_M = ("Hùng", "Dũng", "Tuấn", "Long", "Khoa", "Phúc", "Sơn", "Hải", "Nam", "Quân", "Thắng", "Cường",
              "Trung", "Hiếu", "Bình", "Tâm", "Huy", "Khánh", "Đạt", "Vinh", "Toàn", "Thành", "Lộc", "Nghĩa",
              "Phong", "Hòa", "Kiên", "Tùng", "Việt", "Quý", "Hưng", "Định", "Chiến", "Lợi", "Tuyên", "Tú")
VI_GIVEN_F = ("Lan", "Hương", "Thảo", "Trang", "Hà", "Linh", "Ngân", "Hạnh", "Huyền", "Nga", "Dung", "Yến",
              "Nhung", "Thủy", "Hoa", "Oanh", "Vân", "Loan", "Phượng", "Mai", "Quyên", "Diệp", "Liên", "Tuyết")
JP_FAMILY = ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi",
             "Kato", "Yoshida", "Yamada", "Sasaki", "Yamaguchi", "Matsumoto", "Inoue", "Kimura", "Hayashi",
             "Shimizu", "Yamazaki", "Mori", "Ikeda", "Hashimoto", "Ishikawa", "Ogawa", "Okada", "Hasegawa",
             "Fujita", "Goto", "Kondo", "Murakami", "Endo", "Aoki", "Sakamoto", "Nishimura", "Fukuda", "Ota",
             "Miura", "Fujii", "Okamoto", "Matsuda", "Nakajima", "Harada", "Ono", "Tamura", "Takeuchi",
             "Kaneko", "Wada", "Nakano", "Ishii", "Ueda", "Morita", "Shibata", "Sakai", "Kudo", "Yokoyama",
             "Miyazaki", "Uchida", "Takagi", "Ando", "Taniguchi", "Maruyama", "Imai", "Fujiwara", "Motegi",
             "Satō", "Itō", "Katō", "Kōno", "Ōta", "Saitō")
JP_GIVEN_M = ("Hiroshi", "Takashi", "Kenji", "Taro", "Akira", "Makoto", "Kazuo", "Satoshi", "Masahiro",
              "Toshihiro", "Naoki", "Daisuke", "Shinji", "Koji", "Ryo", "Haruto", "Kenta", "Takeshi", "Yoshio",
              "Tetsuya", "Noboru", "Hideki", "Katsunobu", "Yoshimasa", "Toshimitsu", "Yasuhiro", "Kōichi",
              "Shunsuke", "Masato", "Hiroki")
JP_GIVEN_F = ("Yui", "Aiko", "Emi", "Yoko", "Keiko", "Naomi", "Yumiko", "Sachiko", "Mariko", "Haruka",
              "Akiko", "Kyoko", "Noriko", "Tomoko", "Megumi", "Yoshiko", "Kumiko", "Junko", "Reiko", "Masako")

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
NUMBER_WORDS = {1: "un", 2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 6: "six", 7: "sept", 8: "huit",
                9: "neuf", 10: "dix", 15: "quinze", 20: "vingt", 30: "trente"}

# Places the gazetteer does not know, as text from the field would also name.
EXTRA_PLACES = ("Nagoya", "Fukuoka", "Sapporo", "Kobe", "Sendai", "Hiroshima", "Bac Ninh", "Quang Ninh",
                "Hai Duong", "Binh Duong", "Dong Nai", "Nghe An", "Thanh Hoa", "Khanh Hoa", "Lam Dong",
                "Vinh Phuc", "Ba Ria-Vung Tau", "Quang Nam", "Thua Thien-Huê", "Long An")
PROVINCES = ("Bac Ninh", "Quang Ninh", "Hai Duong", "Binh Duong", "Dong Nai", "Nghe An", "Thanh Hoa",
             "Khanh Hoa", "Lam Dong", "Vinh Phuc", "Quang Nam", "Long An", "Thai Nguyen", "Ha Nam", "Hung Yen")
PREFECTURES = ("Aichi", "Fukuoka", "Hokkaido", "Hyogo", "Kanagawa", "Osaka", "Saitama", "Shizuoka", "Gunma",
               "Nagano", "Niigata", "Okayama", "Kumamoto", "Miyagi", "Chiba", "Tottori", "Toyama")

# Topics the gazetteer does not know, mixed in with its technologies.
EXTRA_TOPICS = ("la robotique", "l'agriculture intelligente", "la santé numérique", "le métro urbain",
                "la gestion des déchets", "la prévention des catastrophes naturelles", "le changement climatique",
                "la formation professionnelle", "les infrastructures de transport", "l'énergie nucléaire",
                "la chaîne de blocs", "la logistique", "l'économie circulaire", "la biotechnologie",
                "les ressources en eau", "la sécurité alimentaire", "le tourisme", "l'aviation civile",
                "la médecine nucléaire", "les matériaux avancés", "l'industrie automobile", "les véhicules électriques")
# French article for the gazetteer's technology labels and aliases that need one other than "la".
TOPIC_ARTICLES = {
    "télécommunications": "les", "télécoms": "les", "technologies de l'information et de la communication": "les",
    "technologies de l'information": "les", "TIC": "les", "réseaux 5G": "les", "réseau 5G": "le",
    "secteur postal": "le", "services postaux": "les", "technologies numériques": "les", "numérique": "le",
    "e-gouvernement": "l'", "gouvernement électronique": "le", "gouvernement numérique": "le",
    "villes intelligentes": "les", "smart cities": "les", "applications informatiques": "les",
    "application des technologies de l'information": "l'", "intelligence artificielle": "l'", "IA": "l'",
    "AI": "l'", "mégadonnées": "les", "données massives": "les", "big data": "le", "informatique en nuage": "l'",
    "cloud computing": "le", "semi-conducteurs": "les", "semi-conducteur": "le", "puces semi-conductrices": "les",
    "puce semi-conductrice": "la", "semiconducteurs": "les", "technologie 5G": "la", "électronique": "l'", "technologies spatiales": "les",
    "observation de la Terre": "l'", "télédétection": "la", "satellite d'observation de la Terre": "le",
    "données satellitaires": "les", "images satellitaires": "les", "énergies renouvelables": "les",
    "énergie renouvelable": "l'", "énergie": "l'", "secteur de l'énergie": "le", "hydrogène": "l'",
    "aide publique au développement": "l'", "APD": "l'", "ODA": "l'", "transformation numérique": "la",
    "transition numérique": "la", "numérisation": "la", "sécurité des réseaux": "la", "sécurité de l'information": "la",
}
# Named technologies that read as a thing with its kind in front.
NAMED_TECH = {"ALOS": "le satellite ALOS", "ALOS-2": "le satellite ALOS-2", "ScanSAR": "les images ScanSAR",
              "DataCube": "le système DataCube", "Data Cube": "le système Data Cube",
              "Vietnam Data Cube": "le système Vietnam Data Cube", "Open Data Cube": "la plateforme Open Data Cube",
              "Daichi": "le satellite Daichi", "Daichi-2": "le satellite Daichi-2", "ALOS 2": "le satellite ALOS 2",
              "4G": "la 4G", "5G": "la 5G", "6G": "la 6G"}

FEMININE_HEADS = {"Agence", "Académie", "Administration", "Ambassade", "Assemblée", "Association", "Autorité",
                  "Banque", "Chambre", "Commission", "Compagnie", "Confédération", "Corporation", "Direction",
                  "Fédération", "Fondation", "Organisation", "Société", "Union", "Université", "École",
                  "Inspection", "Coopérative", "Entreprise", "Voix"}
SMALL_WORDS = {"de", "du", "des", "la", "le", "les", "l", "d", "en", "sur", "et", "pour", "à", "au", "aux", "un", "une"}
# Acronyms already taken (the gazetteer's, and common words): generated ones avoid them.
RESERVED = {"VNA", "AVI", "NDEL", "VOV", "ONU", "UIT", "BAD", "ADB", "APD", "ODA", "IA", "AI", "TIC", "USA",
            "MIC", "MOST", "MPI", "MOIT", "MOET", "MONRE", "MARD", "VNSC", "VAST", "JAXA", "JICA", "JETRO",
            "JBIC", "MOFA", "METI", "MEXT", "MHLW", "MLIT", "MOLISA", "MTIAS", "TTXVN", "ASEAN", "ANASE", "PDG",
            "PIB", "IDE", "PME", "RAS", "UE", "NQ", "TW"}


def weighted(rng: random.Random, pairs) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def strip_accents(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def elide(word: str) -> bool:
    return strip_accents(word[:1]).lower() in "aeiouyh"


def with_article(article: str, noun: str) -> str:
    """'la' + 'ASEAN' -> "l'ASEAN"; 'le' + 'Japon' -> 'le Japon'."""
    if article in ("le", "la") and elide(noun) and not noun.startswith(("hydro", "Hanoï", "Ho", "Hô", "Hai", "Huế")):
        return "l'" + noun
    if article == "l'":
        return "l'" + noun
    return f"{article} {noun}" if article else noun


def de(np: str) -> str:
    """'le Japon' -> 'du Japon', 'les TIC' -> 'des TIC', "l'IA" -> "de l'IA", 'Singapour' -> 'de Singapour'."""
    if np.startswith("le "):
        return "du " + np[3:]
    if np.startswith("les "):
        return "des " + np[4:]
    if np.startswith(("la ", "l'")):
        return "de " + np
    return ("d'" if elide(np) else "de ") + np


def a(np: str) -> str:
    """à + noun phrase."""
    if np.startswith("le "):
        return "au " + np[3:]
    if np.startswith("les "):
        return "aux " + np[4:]
    return "à " + np


def bare(np: str) -> str:
    """The noun without its article: 'les semi-conducteurs' -> 'semi-conducteurs'."""
    for article in ("le ", "la ", "les ", "l'"):
        if np.startswith(article):
            return np[len(article):]
    return np


def in_matter_of(np: str) -> str:
    """'en matière de semi-conducteurs', "en matière d'intelligence artificielle"."""
    noun = bare(np)
    return f"en matière {'d' + chr(39) if elide(noun) else 'de '}{noun}"


def subject(np: str) -> str:
    """A titled name as a sentence's subject: an apposition is closed by a comma."""
    return np + "," if "," in np else np


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def number(rng: random.Random, n: int) -> str:
    return NUMBER_WORDS[n] if n in NUMBER_WORDS and rng.random() < 0.5 else str(n)


# --------------------------------------------------------------------------- the gazetteer


@dataclass(frozen=True)
class Country:
    label: str
    np: str  # with its article: 'le Japon'
    adj_m: str
    adj_f: str


COUNTRY_FORMS = {
    "vietnam": ("le Vietnam", "vietnamien", "vietnamienne"), "japan": ("le Japon", "japonais", "japonaise"),
    "china": ("la Chine", "chinois", "chinoise"), "south-korea": ("la Corée du Sud", "sud-coréen", "sud-coréenne"),
    "united-states": ("les États-Unis", "américain", "américaine"), "france": ("la France", "français", "française"),
    "laos": ("le Laos", "laotien", "laotienne"), "cambodia": ("le Cambodge", "cambodgien", "cambodgienne"),
    "thailand": ("la Thaïlande", "thaïlandais", "thaïlandaise"), "india": ("l'Inde", "indien", "indienne"),
    "singapore": ("Singapour", "singapourien", "singapourienne"), "australia": ("l'Australie", "australien", "australienne"),
    "germany": ("l'Allemagne", "allemand", "allemande"),
}


@dataclass(frozen=True)
class Org:
    label: str
    acronym: str | None
    country: str | None  # gazetteer id
    feminine: bool
    ministry: bool = False

    def full(self) -> str:
        """First mention, with its article: "l'Agence japonaise de coopération internationale (JICA)"."""
        head = with_article("la" if self.feminine else "le", self.label)
        return f"{head} ({self.acronym})" if self.acronym else head

    def short(self) -> str:
        """A later mention: 'la JICA', or the full name again where there is no acronym."""
        if self.acronym:
            return with_article("la" if self.feminine else "le", self.acronym)
        return self.full()

    def domain(self) -> str:
        """A ministry's field: 'Ministère des Finances' -> 'des Finances' (country names dropped)."""
        rest = self.label.split(" ", 1)[1]
        return re.sub(r" (?:du Japon|du Vietnam)$", "", rest)


MASCULINE_HEADS = {"Ministère", "Centre", "Institut", "Bureau", "Comité", "Conseil", "Groupe", "Département",
                   "Fonds", "Office", "Gouvernement", "Service", "Laboratoire", "Musée", "Parti", "Consulat", "Hôpital"}


@dataclass(frozen=True)
class GazPerson:
    name: str
    country: str
    feminine: bool
    title: str  # with its article, before the name: 'le Premier ministre'


GAZ_PEOPLE_TITLES = {
    "nguyen-manh-hung": ("le ministre de l'Information et de la Communication", False),
    "takaichi-sanae": ("la ministre japonaise de l'Intérieur, de l'Information et de la Communication", True),
    "nguyen-xuan-phuc": ("le Premier ministre", False),
    "pham-minh-chinh": ("le Premier ministre", False),
    "to-lam": ("le secrétaire général", False),
    "nguyen-phu-trong": ("le secrétaire général", False),
    "luong-cuong": ("le président", False),
    "bui-thanh-son": ("le ministre des Affaires étrangères", False),
    "shinzo-abe": ("le Premier ministre japonais", False),
    "kishida-fumio": ("le Premier ministre japonais", False),
    "ishiba-shigeru": ("le Premier ministre japonais", False),
    "suga-yoshihide": ("le Premier ministre japonais", False),
}
PARTY_ORGS = {"Ministère", "Agence", "Centre", "Académie", "Organisation", "Banque"}


class Gaz:
    """What the generator takes from ontology/gazetteer.jsonl."""

    def __init__(self, path: Path = GAZETTEER):
        self.countries: dict[str, Country] = {}
        self.places: list[str] = []
        self.place_country: dict[str, str] = {}
        self.people: list[GazPerson] = []
        self.orgs: list[Org] = []
        self.techs: list[str] = []  # noun phrases with their article
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            e = json.loads(line)
            labels, aliases = e["labels"], e.get("aliases") or []
            label = next(labels[k] for k in ("fr", "en", "vi", "ja") if k in labels)
            kind = e["type"]
            if kind == "Country" and e["id"] in COUNTRY_FORMS:
                np, m, f = COUNTRY_FORMS[e["id"]]
                self.countries[e["id"]] = Country(label, np, m, f)
            elif kind == "Place":
                for name in [label, *aliases[:2]]:
                    self.places.append(name)
                    self.place_country[name] = e.get("country") or ""
            elif kind == "Person":
                title, fem = GAZ_PEOPLE_TITLES.get(e["id"], ("", False))
                for name in [label, *aliases]:
                    self.people.append(GazPerson(name, e.get("country") or "", fem, title))
            elif kind == "Organization":
                head = label.split()[0]
                if head not in PARTY_ORGS or e.get("country") is None and head != "Banque":
                    continue
                acronyms = e.get("acronyms") or []
                acronym = acronyms[0] if acronyms and acronyms[0] != "MIC" else None
                self.orgs.append(Org(label, acronym, e.get("country"), head in FEMININE_HEADS,
                                     ministry=head == "Ministère"))
            elif kind == "Technology":
                for name in [label, *aliases]:
                    if name.startswith("Advanced Land"):
                        continue
                    if name in NAMED_TECH:
                        self.techs.append(NAMED_TECH[name])
                    elif name.isupper() and name not in TOPIC_ARTICLES:
                        continue
                    else:
                        self.techs.append(with_article(TOPIC_ARTICLES.get(name, "la"), name))
        self.ministries = {c: [o for o in self.orgs if o.ministry and o.country == c] for c in ("vietnam", "japan")}
        self.agencies = [o for o in self.orgs if not o.ministry]
        self.topics = self.techs + list(EXTRA_TOPICS)


# --------------------------------------------------------------------------- people and organizations


@dataclass(frozen=True)
class Person:
    name: str  # as first written in an article
    short: str  # as written later: 'Hùng', 'Tanaka'
    country: str  # 'vietnam' or 'japan'
    feminine: bool
    role: str  # "vice-ministre de l'Industrie et du Commerce", "directeur {org}" (no article; {org}: de + the org)
    org: Org | None
    role_adj: str = ""  # 'vietnamien' for "le ministre vietnamien de ..."


def vietnamese_name(rng: random.Random, feminine: bool) -> tuple[str, str]:
    family = weighted(rng, VI_FAMILY)
    middle = rng.choice(VI_MIDDLE_F if feminine else VI_MIDDLE_M)
    given = rng.choice(VI_GIVEN_F if feminine else VI_GIVEN_M)
    parts = [family, middle, given]
    if rng.random() < 0.15:  # two middle names
        parts.insert(2, rng.choice(VI_MIDDLE_F if feminine else VI_MIDDLE_M[1:]))
    if rng.random() < 0.1:  # two-syllable names
        parts = [family, given]
    name = " ".join(parts)
    spelling = rng.random()
    if spelling < 0.2:  # written without diacritics, as many sites do
        name = strip_accents(name)
    elif spelling < 0.27:  # some of them lost ("Nguyên Manh Hùng")
        words = name.split()
        i = rng.randrange(len(words))
        words[i] = strip_accents(words[i])
        name = " ".join(words)
    return name, name.split()[-1]


def japanese_name(rng: random.Random, feminine: bool) -> tuple[str, str]:
    family = rng.choice(JP_FAMILY)
    given = rng.choice(JP_GIVEN_F if feminine else JP_GIVEN_M)
    return (f"{family} {given}" if rng.random() < 0.5 else f"{given} {family}"), family


class World:
    """The people and organizations of the news stream: item k depends only on (seed, k)."""

    def __init__(self, gaz: Gaz, seed: int):
        self.gaz, self.seed = gaz, seed
        self._people: dict[int, Person] = {}
        self._orgs: dict[int, Org] = {}
        self._taken: dict[str, int] = {}

    def rng(self, what: str, k: int) -> random.Random:
        return random.Random(f"vjkg-corpus:{VERSION}:{self.seed}:{what}:{k}")

    def org(self, k: int) -> Org:
        if k not in self._orgs:
            self._orgs[k] = self._make_org(k)
        return self._orgs[k]

    def _make_org(self, k: int) -> Org:
        rng = self.rng("org", k)
        country = "vietnam" if rng.random() < 0.55 else "japan"
        c = self.gaz.countries[country]
        field_ = rng.choice(FIELDS)
        city = rng.choice(("Hanoï", "Hô Chi Minh-Ville", "Da Nang", "Can Tho", "Hai Phong") if country == "vietnam"
                          else ("Tokyo", "Osaka", "Kyoto", "Nagoya", "Fukuoka", "Sendai"))
        templates = (
            ("Institut", f"Institut national de recherche sur {field_}"),
            ("Institut", f"Institut {c.adj_m} {de(field_)}"),
            ("Centre", f"Centre de développement {de(field_)}"),
            ("Centre", f"Centre {c.adj_m} d'innovation en {field_.split(' ', 1)[-1].lstrip('l’')}"),
            ("Université", f"Université {de(field_)} {de(city)}"),
            ("Agence", f"Agence {c.adj_f} pour la promotion {de(field_)}"),
            ("Association", f"Association des entreprises {c.adj_f}s {de(field_)}"),
            ("Fondation", f"Fondation {c.adj_f} pour {field_}"),
            ("Académie", f"Académie {c.adj_f} {de(field_)}"),
            ("Société", f"Société {rng.choice(JP_FAMILY if country == 'japan' else VI_COMPANY)} "
                        f"{rng.choice(COMPANY_SUFFIX)}"),
            ("Groupe", f"Groupe {rng.choice(VI_COMPANY)} {rng.choice(('Tech', 'Telecom', 'Energy', 'Holdings'))}"),
            ("Laboratoire", f"Laboratoire conjoint Vietnam-Japon sur {field_}"),
        )
        head, label = rng.choice(templates)
        acronym = None
        if rng.random() < 0.85:
            acronym = self._acronym(label, k)
        return Org(label, acronym, country, head in FEMININE_HEADS)

    def _acronym(self, label: str, k: int) -> str:
        letters = "".join(strip_accents(w)[0].upper() for w in re.split(r"[\s'’-]+", label)
                          if w and w.lower() not in SMALL_WORDS)
        base = letters[:6] if len(letters) >= 3 else (letters + "X")[:3]
        acronym, n = base, 1
        while acronym in RESERVED or self._taken.get(acronym, k) != k:
            n += 1
            acronym = f"{base}{n}" if n > 2 else base + "V"
        self._taken[acronym] = k
        return acronym

    def person(self, k: int) -> Person:
        if k not in self._people:
            self._people[k] = self._make_person(k)
        return self._people[k]

    def _make_person(self, k: int) -> Person:
        rng = self.rng("person", k)
        country = "vietnam" if rng.random() < 0.55 else "japan"
        feminine = rng.random() < 0.3
        name, short = (vietnamese_name if country == "vietnam" else japanese_name)(rng, feminine)
        c = self.gaz.countries[country]
        adj = c.adj_f if feminine else c.adj_m
        r = rng.random()
        if r < 0.35:
            ministry = rng.choice(self.gaz.ministries[country])
            title = rng.choice(("ministre", "vice-ministre", "vice-ministre"))
            return Person(name, short, country, feminine, f"{title} {ministry.domain()}", ministry, adj)
        if r < 0.75:
            for _ in range(30):
                org = self.org(rng.randrange(0, 40 + k // 3))
                if org.country == country:
                    break
            title = rng.choice(("directrice", "directrice générale", "présidente", "vice-présidente")
                               if feminine else ("directeur", "directeur général", "président", "vice-président",
                                                 "président-directeur général"))
            return Person(name, short, country, feminine, f"{title} {{org}}", org)
        if r < 0.85 and country == "japan":
            wanted = rng.choice(("JICA", "JETRO", "JBIC"))
            agency = next(o for o in self.gaz.agencies if o.acronym == wanted)
            title = "représentante en chef" if feminine else "représentant en chef"
            return Person(name, short, country, feminine, f"{title} {{org}} au Vietnam", agency)
        if r < 0.92:
            title = "ambassadrice" if feminine else "ambassadeur"
            where = "du Japon au Vietnam" if country == "japan" else "du Vietnam au Japon"
            return Person(name, short, country, feminine, f"{title} {where}", None)
        if country == "vietnam":
            title = "vice-présidente" if feminine else rng.choice(("président", "vice-président"))
            return Person(name, short, country, feminine,
                          f"{title} du Comité populaire de la province de {rng.choice(PROVINCES)}", None)
        title = "gouverneure" if feminine else "gouverneur"
        return Person(name, short, country, feminine, f"{title} de la préfecture de {rng.choice(PREFECTURES)}", None)


FIELDS = ("l'énergie atomique", "les technologies de l'information", "l'agriculture durable", "la santé publique",
          "les ressources en eau", "la météorologie", "les matériaux avancés", "la biotechnologie", "la robotique",
          "la logistique", "l'environnement", "les transports urbains", "l'économie numérique", "la mécanique",
          "la sécurité alimentaire", "les sciences spatiales", "l'électronique", "la cybersécurité",
          "les énergies propres", "la médecine tropicale", "l'océanographie", "la construction", "l'aquaculture",
          "l'automatisation", "les semi-conducteurs", "l'intelligence artificielle", "la télédétection")
VI_COMPANY = ("Viettech", "Sao Mai", "Hòa Phát", "Thành Công", "Việt Á", "Rạng Đông", "Sông Hồng", "Trường Sơn",
              "Hồng Hà", "Bình Minh", "VinaSat", "Phương Nam", "An Phát", "Đại Việt")
COMPANY_SUFFIX = ("Electric", "Industries", "Heavy Industries", "Holdings", "Engineering", "Systems", "Corporation",
                  "Trading", "Construction", "Solutions")


# --------------------------------------------------------------------------- dates


def day_word(d: int) -> str:
    return "1er" if d == 1 else str(d)


def date_text(rng: random.Random, d: dt.date) -> str:
    """The signing date as the text gives it, from a day and month alone to a full date with weekday."""
    r = rng.random()
    weekday = WEEKDAYS[d.weekday()]
    month = MONTHS[d.month - 1]
    if r < 0.25:
        return f"le {day_word(d.day)} {month}"
    if r < 0.45:
        return f"le {day_word(d.day)} {month} {d.year}"
    if r < 0.6:
        return f"{weekday} {day_word(d.day)} {month} {d.year}"
    if r < 0.7:
        return f"{weekday} {day_word(d.day)} {month}"
    if r < 0.8:
        return weekday
    if r < 0.9:
        return f"en {month} {d.year}"
    return f"le {day_word(d.day)} {month} dernier"


def month_year(d: dt.date) -> str:
    return f"{MONTHS[d.month - 1]} {d.year}"


def from_month(d: dt.date) -> str:
    """'à partir de septembre 2017', "à partir d'avril 2017"."""
    month = MONTHS[d.month - 1]
    return f"à partir {'d' + chr(39) if elide(month) else 'de '}{month} {d.year}"


# --------------------------------------------------------------------------- agreements


@dataclass(frozen=True)
class Kind:
    name: str  # 'mémorandum de coopération'
    feminine: bool
    ref: str  # 'ce mémorandum'


KINDS = (
    (Kind("mémorandum de coopération", False, "ce mémorandum"), 5),
    (Kind("mémorandum d'entente", False, "ce mémorandum"), 2),
    (Kind("convention de coopération", True, "cette convention"), 3),
    (Kind("convention", True, "cette convention"), 2),
    (Kind("accord de prêt", False, "cet accord"), 2),
    (Kind("accord de coopération", False, "cet accord"), 3),
    (Kind("accord-cadre", False, "cet accord"), 1),
    (Kind("protocole d'accord", False, "ce protocole"), 3),
    (Kind("lettre d'intention", True, "cette lettre"), 2),
)


def indefinite(kind: Kind) -> str:
    return ("une " if kind.feminine else "un ") + kind.name


def definite(kind: Kind) -> str:
    return with_article("la" if kind.feminine else "le", kind.name)


def signed(kind: Kind) -> str:
    return "signée" if kind.feminine else "signé"


LOAN_PROJECTS = (
    "la construction de la ligne de métro n°{n} de Hô Chi Minh-Ville", "la modernisation du réseau électrique de {p}",
    "le développement des infrastructures de transport de la province de {p}", "la rénovation de l'hôpital central de {p}",
    "l'adaptation au changement climatique dans le delta du Mékong", "la construction du périphérique n°{n} de Hanoï",
    "l'approvisionnement en eau potable de la province de {p}", "le parc de haute technologie de Hoa Lac",
    "l'autoroute Nord-Sud, tronçon {p}", "la prévention des inondations dans la province de {p}",
)


def topic_phrase(rng: random.Random, topic: str, feminine: bool = False) -> str:
    r = rng.random()
    if r < 0.4:
        return f"dans le domaine {de(topic)}"
    if r < 0.6:
        return f"sur {topic}"
    if r < 0.75:
        return f"portant sur {topic}"
    if r < 0.87:
        return f"{'relative' if feminine else 'relatif'} {a(topic)}"
    return f"pour le développement {de(topic)}"


# --------------------------------------------------------------------------- filler

OPENERS = ("", "", "", "Par ailleurs, ", "En outre, ", "De plus, ", "Dans ce contexte, ", "À cette occasion, ",
           "Selon le communiqué, ", "Dans les années à venir, ", "Parallèlement, ", "D'après les organisateurs, ",
           "Au cours de la séance de travail, ", "Lors de la rencontre, ")
SUBJECTS = ("les deux parties", "le Vietnam et le Japon", "les représentants japonais", "les responsables vietnamiens",
            "les deux pays", "les entreprises japonaises", "les entreprises vietnamiennes", "les deux ministères",
            "les deux côtés", "les autorités des deux pays", "les organismes concernés", "les chercheurs des deux pays")
VERBS = ("ont pris l'engagement de renforcer", "ont convenu de promouvoir", "souhaitent élargir", "continueront de soutenir",
         "entendent approfondir", "vont intensifier", "s'efforceront de développer", "ont décidé de consolider",
         "comptent accélérer", "prévoient de multiplier", "ont réaffirmé leur volonté de diversifier",
         "ont discuté des moyens de dynamiser", "ont exprimé le souhait d'encourager", "ont examiné les mesures visant à stimuler")
OBJECTS = ("la coopération dans le domaine {de_t}", "les échanges d'experts et de chercheurs",
           "le transfert de technologies {in_t}", "la formation des ressources humaines de haute qualité",
           "les investissements japonais dans {t}", "les projets de recherche commune sur {t}",
           "le partage d'expériences en matière de gestion publique", "les échanges commerciaux bilatéraux",
           "la coopération entre les localités des deux pays", "les programmes de bourses d'études",
           "les liens entre les universités et les instituts de recherche", "la mise en œuvre des projets d'APD",
           "le développement conjoint de solutions pour {t}", "l'élaboration de normes techniques communes",
           "les échanges entre les jeunes entrepreneurs", "les capacités d'innovation des entreprises")
COMPLEMENTS = ("au cours des prochaines années", "dans le cadre du partenariat stratégique intégral",
               "afin de contribuer au développement socio-économique du Vietnam",
               "conformément aux engagements pris par les dirigeants des deux pays", "de manière concrète et efficace",
               "au service de la paix et de la prospérité dans la région", "dans l'intérêt des deux peuples",
               "en vue d'atteindre les objectifs fixés pour 2030", "sur la base de la confiance mutuelle",
               "pour répondre aux besoins croissants du marché", "d'ici à 2030", "à l'horizon 2045")
CLAUSES = (
    "{t} constitue un pilier important de la coopération bilatérale",
    "le Japon reste le premier partenaire du Vietnam en matière d'aide publique au développement",
    "les deux pays disposent d'un grand potentiel de coopération dans le domaine {de_t}",
    "le Vietnam souhaite apprendre de l'expérience japonaise {in_t}",
    "la partie japonaise continuera d'accompagner le Vietnam dans le développement {de_t}",
    "ce document ouvre une nouvelle étape dans les relations entre les deux pays",
    "les entreprises japonaises considèrent le Vietnam comme une destination d'investissement de premier plan",
    "la coopération {in_t} doit aboutir à des résultats concrets",
    "les relations entre le Vietnam et le Japon connaissent un bel essor dans tous les domaines",
    "la formation de ressources humaines qualifiées est la clé du succès",
    "le gouvernement créera les conditions favorables aux investisseurs japonais",
    "les deux parties doivent rapidement concrétiser les engagements pris",
    "le Japon est prêt à partager son savoir-faire dans {t}",
    "la transformation numérique est une priorité pour le pays",
)
STANDALONE = (
    "En {y}, les échanges commerciaux entre les deux pays ont atteint {n} milliards de dollars, en hausse de {p} % sur un an.",
    "Le Japon est actuellement le premier partenaire du Vietnam en matière d'aide publique au développement, le deuxième en matière de coopération dans le travail et le troisième en matière d'investissement et de tourisme.",
    "Plus de {k} entreprises japonaises sont aujourd'hui implantées dans la province de {prov}.",
    "Le Vietnam compte actuellement près de {k} projets d'investissement japonais, pour un capital total de {n} milliards de dollars.",
    "Depuis {y}, plus de {k} étudiants vietnamiens ont bénéficié de bourses du gouvernement japonais.",
    "Les relations entre le Vietnam et le Japon ont été élevées au rang de partenariat stratégique intégral pour la paix et la prospérité en Asie et dans le monde en novembre 2023.",
    "Les deux pays ont établi leurs relations diplomatiques le 21 septembre 1973.",
    "La communauté vietnamienne au Japon compte aujourd'hui plus de {k2}0 000 personnes, dont de nombreux stagiaires techniques et étudiants.",
    "Le programme doit permettre de former {k} ingénieurs d'ici à {y2}.",
    "Selon les statistiques du ministère du Plan et de l'Investissement, le Japon occupe le {rank} rang parmi les {n} pays et territoires investissant au Vietnam.",
    "Le projet, d'un montant total de {n} millions de dollars, sera mis en œuvre dans {k2} provinces du Centre et du Nord.",
    "Ces dernières années, le nombre de touristes japonais au Vietnam a augmenté en moyenne de {p} % par an.",
    "La province de {prov} a accueilli au cours du premier semestre {y} une délégation de {k2} entreprises de la préfecture de {pref}.",
    "Les résultats de ces recherches seront présentés lors d'un colloque international prévu à {place} en {y2}.",
    "Une trentaine de représentants d'agences gouvernementales, d'instituts de recherche et d'entreprises ont assisté à la cérémonie.",
    "La partie japonaise prendra en charge l'équipement et la formation, tandis que la partie vietnamienne fournira les locaux et le personnel.",
    "Le montant des échanges dans le secteur {de_t} devrait doubler d'ici cinq ans, selon les estimations des deux parties.",
    "La feuille de route prévoit trois phases, la première devant s'achever fin {y2}.",
)
RANKS = ("deuxième", "troisième", "quatrième")


# --------------------------------------------------------------------------- one article


class Writer:
    def __init__(self, world: World, i: int):
        self.world, self.gaz, self.i = world, world.gaz, i
        self.rng = world.rng("article", i)
        self.seen_people: set[str] = set()
        self.seen_orgs: set[str] = set()

    # ----- picking
    def pick_person(self, country: str | None = None) -> Person:
        """A recurring person (the stream's few frequent ones often, most rarely) or a new one."""
        rng = self.rng
        for _ in range(50):
            pool = 40 + self.i * 3 // 5
            k = int(pool * rng.random() ** 2.2) if rng.random() < 0.8 else 10**7 + self.i * 10 + rng.randrange(10)
            p = self.world.person(k)
            if (country is None or p.country == country) and p.name not in self.seen_people:
                return p
        return p

    def pick_org(self, country: str, generated: bool = False) -> Org:
        rng = self.rng
        if rng.random() < 0.45 and not generated:
            choices = [o for o in self.gaz.orgs if o.country == country and o.label not in self.seen_orgs]
            if choices:
                return rng.choice(choices)
        for _ in range(50):
            k = int((40 + self.i // 3) * rng.random() ** 1.8)
            o = self.world.org(k)
            if o.country == country and o.label not in self.seen_orgs:
                return o
        return o

    def from_party(self, org: Org | None) -> Person | None:
        """Now and then a signatory who heads the party, under a name of this article's own."""
        rng = self.rng
        if org is None or org.country not in ("vietnam", "japan") or rng.random() < 0.4:
            return None
        p = self.world.person(2 * 10**7 + self.i * 10 + rng.randrange(10))
        rng2 = random.Random(p.name)
        name, short = (vietnamese_name if org.country == "vietnam" else japanese_name)(rng2, p.feminine)
        c = self.gaz.countries[org.country]
        adj = c.adj_f if p.feminine else c.adj_m
        if org.ministry:
            title = rng.choice(("ministre", "vice-ministre"))
            return replace(p, name=name, short=short, country=org.country, role=f"{title} {org.domain()}",
                           org=org, role_adj=adj)
        title = rng.choice(("directrice", "directrice générale", "présidente") if p.feminine
                           else ("directeur", "directeur général", "président"))
        return replace(p, name=name, short=short, country=org.country, role=f"{title} {{org}}", org=org, role_adj="")

    def topic(self) -> str:
        return self.rng.choice(self.gaz.topics)

    def place(self, country: str | None = None) -> str:
        if self.rng.random() < 0.85:
            places = [p for p in self.gaz.places if country is None or self.gaz.place_country[p] == country]
            return self.rng.choice(places)
        return self.rng.choice(EXTRA_PLACES)

    # ----- naming
    def org_np(self, org: Org) -> str:
        if org.label in self.seen_orgs:
            return org.short() if self.rng.random() < 0.8 else org.full().split(" (")[0]
        self.seen_orgs.add(org.label)
        full = org.full()
        if self.rng.random() < 0.15 and not full.startswith("l'"):
            art, _, rest = full.partition(" ")
            return f"{art} {rest[:1].lower()}{rest[1:]}"
        return full

    def role(self, p: Person) -> str:
        return p.role.replace("{org}", de(self.org_np(p.org))) if "{org}" in p.role and p.org else p.role

    def titled(self, p: Person | GazPerson) -> str:
        """A person with their title, the first time: several written forms."""
        self.seen_people.add(p.name)
        if isinstance(p, GazPerson):
            if not p.title:
                return p.name
            return f"{p.title}, {p.name}" if " de" in p.title else f"{p.title} {p.name}"
        art = "la" if p.feminine else "le"
        role = self.role(p)
        title, _, rest = role.partition(" ")
        r = self.rng.random()
        if p.role_adj and title in ("ministre", "vice-ministre") and r < 0.55:
            return f"{art} {title} {p.role_adj} {rest}, {p.name}"
        if r < 0.8:
            return f"{p.name}, {role}"
        honor = "Mme" if p.feminine else "M."
        return f"{honor} {p.name}, {role}"

    def again(self, p: Person | GazPerson) -> str:
        if p.name not in self.seen_people:
            return self.titled(p)
        if isinstance(p, GazPerson):
            return p.name
        r = self.rng.random()
        title = p.role.split(" ")[0]
        if r < 0.35:
            return p.name
        if r < 0.6 and title in ("ministre", "vice-ministre", "ambassadeur", "ambassadrice", "président", "présidente"):
            return f"{'la' if p.feminine else 'le'} {title} {p.name}"
        if r < 0.8:
            return f"{'Mme' if p.feminine else 'M.'} {p.short}"
        return p.name

    # ----- sentences
    def fill(self, template: str, t: str | None = None) -> str:
        rng, t = self.rng, t or self.topic()
        y = rng.randrange(2015, 2025)
        return template.format(
            t=t, de_t=de(t), in_t=in_matter_of(t), y=y, y2=y + rng.randrange(2, 8), n=rng.randrange(12, 80), p=rng.randrange(3, 25),
            k=rng.randrange(2, 20) * 100, k2=rng.randrange(3, 15), prov=rng.choice(PROVINCES),
            pref=rng.choice(PREFECTURES), place=self.place(), rank=rng.choice(RANKS))

    def filler(self, topic: str | None = None) -> str:
        rng = self.rng
        if rng.random() < 0.3:
            return self.fill(rng.choice(STANDALONE), topic)
        obj = rng.choice(OBJECTS)
        text = f"{rng.choice(OPENERS)}{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {obj}"
        if rng.random() < 0.6:
            text += " " + rng.choice(COMPLEMENTS)
        if rng.random() < 0.25:
            text += f", ainsi que {rng.choice([o for o in OBJECTS if o != obj])}"
        return cap(self.fill(text, topic)) + "."

    def statement(self, speaker: Person | GazPerson, topic: str) -> str:
        rng = self.rng
        clause = self.fill(rng.choice(CLAUSES), topic)
        who = self.again(speaker)
        r = rng.random()
        if r < 0.3:
            return f"Prenant la parole à cette occasion, {who} a souligné que {clause}."
        if r < 0.5:
            return f"Selon {who}, {clause}."
        if r < 0.7:
            return f"« {cap(clause)} », a déclaré {who}."
        if r < 0.85:
            return f"{cap(who)} a affirmé que {clause}."
        return f"Pour sa part, {who} a estimé que {clause}."

    def signing(self, kind: Kind, topic: str, a_party: str, b_party: str, a_sig: str, b_sig: str,
                date: str, place: str, witness: str | None) -> str:
        rng = self.rng
        what = f"{indefinite(kind)} {topic_phrase(rng, topic, kind.feminine)}"
        where = f"à {place}"
        r = rng.random()
        if r < 0.3:
            text = (f"{cap(what)} entre {a_party} et {b_party} a été {signed(kind)} {date} {where} "
                    f"par {a_sig}, et {b_sig}")
        elif r < 0.55:
            text = f"{cap(a_party)} et {b_party} ont signé {date} {where} {what}"
        elif r < 0.75:
            text = f"{cap(a_sig)}, et {b_sig}, ont signé, {date} {where}, {what} entre {a_party} et {b_party}"
        elif r < 0.88:
            text = (f"La cérémonie de signature {de(what)} "
                    f"entre {a_party} et {b_party} s'est déroulée {date} {where}")
        else:
            text = f"{cap(a_party)} a conclu avec {b_party}, {date} {where}, {what}"
        if witness and rng.random() < 0.6:
            text += f", en présence {de(witness)}"
        return text + "."

    def loan(self, kind: Kind, lender: str, date: str, place: str) -> str:
        rng = self.rng
        project = rng.choice(LOAN_PROJECTS).format(n=rng.randrange(1, 6), p=rng.choice(PROVINCES))
        amount = rng.randrange(5, 120)
        return (f"{cap(lender)} et le gouvernement vietnamien ont signé {date} à {place} {indefinite(kind)} "
                f"d'un montant de {amount} milliards de yens pour {project}.")

    def validity(self, kind: Kind, d: dt.date) -> str:
        rng = self.rng
        years = rng.choice((1, 2, 3, 5, 10))
        start = d + dt.timedelta(days=rng.randrange(0, 120))
        end_year = start.year + years
        ref = cap(kind.ref)
        unit = "an" if years == 1 else "ans"
        of = "d'un an" if years == 1 else f"de {number(rng, years)} ans"
        return rng.choice((
            f"{ref}, d'une durée {of}, sera effective {from_month(start)}."
            if kind.feminine else
            f"{ref}, d'une durée {of}, sera effectif {from_month(start)}.",
            f"Cette coopération devrait être réalisée dans la période {start.year}-{end_year}.",
            f"Le document restera en vigueur jusqu'au 31 décembre {end_year}.",
            f"{ref} prendra effet le {day_word(start.day)} {MONTHS[start.month - 1]} {start.year} "
            f"pour une durée {of}.",
            f"{ref}, valable {number(rng, years)} {unit}, entre en vigueur dès sa signature.",
            f"Les deux parties mettront en œuvre ce programme de {start.year} à {end_year}.",
        ))

    def caption(self, kind: Kind, a_party: str, b_party: str, date: str, place: str, names: list[str]) -> str:
        rng = self.rng
        credit = rng.choice(("Photo : VNA", "Photo : VNA", "Photo : VNA", "Photo: VNA", "Photo : NDEL", "Photo : VNA/CVN"))
        r = rng.random()
        if r < 0.45:
            text = f"Signature {de(definite(kind))} entre {a_party} et {b_party}, {date} à {place}."
        elif r < 0.75 and len(names) >= 2:
            text = f"{names[0]} (à droite) et {names[1]} lors de la cérémonie de signature."
        else:
            text = rng.choice(("Vue d'ensemble de la cérémonie de signature.", "Lors de la séance de travail.",
                               "Les délégués posent pour une photo de groupe.", "Scène de la rencontre."))
        return f"{text} {credit}"

    def headline(self, kind: Kind, topic: str, a_party: str, b_party: str) -> str:
        rng = self.rng
        bare = topic.split(" ", 1)[1] if topic.startswith(("la ", "le ", "les ")) else topic.replace("l'", "", 1)
        return cap(rng.choice((
            f"Le Vietnam et le Japon signent {indefinite(kind)} sur {topic}",
            f"Vietnam et Japon renforcent leur coopération dans le domaine {de(topic)}",
            f"Vietnam – Japon : {indefinite(kind)} pour {topic}",
            f"{cap(a_party)} et {b_party} coopèrent dans {topic}",
            f"Coopération vietnamo-japonaise : nouvel élan pour {topic}",
            f"{cap(bare)} : le Vietnam et le Japon main dans la main",
            f"Signature {de(definite(kind))} "
            f"vietnamo-japonais{'e' if kind.feminine else ''} sur {topic}",
        )))

    def teasers(self) -> list[str]:
        """'Voir plus' and 2-4 other stories: a caption, a headline, a paragraph each."""
        rng = self.rng
        out = ["Voir plus"]
        for _ in range(rng.randrange(2, 5)):
            topic = self.topic()
            person = self.pick_person()
            d = dt.date(rng.randrange(2016, 2026), rng.randrange(1, 13), rng.randrange(1, 29))
            headline = cap(rng.choice((
                f"Le Vietnam accélère le développement {de(topic)}",
                f"Forum sur {topic} à {self.place()}",
                f"{cap(topic)} : de nouvelles perspectives de coopération",
                f"Le Japon soutient le Vietnam dans {topic}",
                f"Promouvoir l'innovation dans {topic}",
            )))
            out.append(rng.choice((f"Vue de la conférence sur {topic}.", f"Illustration : {topic}.",
                                   f"Des experts discutent {de(topic)}.")) + " Photo : VNA")
            out.append(headline)
            if rng.random() < 0.2:
                out.append(headline)
            body = [f"{cap(subject(self.titled(person)))} a souligné, le {day_word(d.day)} {MONTHS[d.month - 1]} {d.year} "
                    f"à {self.place()}, l'importance {de(topic)} pour le développement du pays."]
            body.append(self.filler(topic))
            out.append(" ".join(body))
        return out

    def article(self, target_words: int) -> tuple[str, dict | None]:
        rng = self.rng
        year = rng.randrange(2015, 2026)
        d = dt.date(year, rng.randrange(1, 13), rng.randrange(1, 29))
        kind = weighted(rng, KINDS)
        topic = self.topic()
        topics = list(dict.fromkeys([topic] + [self.topic() for _ in range(rng.randrange(1, 4))]))
        place_country = "vietnam" if rng.random() < 0.7 else "japan"
        place = self.place(place_country)
        date = date_text(rng, d)

        # Parties: two organizations, or the two countries, or an organization and a country.
        countries = self.gaz.countries
        r = rng.random()
        loan = kind.name == "accord de prêt"
        if loan:
            wanted = rng.choice(("JICA", "JBIC"))
            lender = next(o for o in self.gaz.orgs if o.acronym == wanted)
            a_org, b_org = None, lender
        elif r < 0.25:
            a_org = b_org = None
        else:
            a_org, b_org = self.pick_org("vietnam"), self.pick_org("japan")
        if rng.random() < 0.08 and not loan:  # now and then a third country instead of Japan
            third = rng.choice([c for k, c in countries.items() if k not in ("vietnam", "japan")])
            b_country = third
        else:
            b_country = countries["japan"]
        a_party = self.org_np(a_org) if a_org else countries["vietnam"].np
        b_party = self.org_np(b_org) if b_org else b_country.np
        a_person = self.from_party(a_org) or self.pick_person("vietnam")
        b_person = self.from_party(b_org) or self.pick_person("japan")
        if rng.random() < 0.12:
            gp = rng.choice([p for p in self.gaz.people if p.country == "vietnam" and p.title])
            a_person = gp
        witness_p = rng.choice([p for p in self.gaz.people if p.title]) if rng.random() < 0.3 else None
        witness = self.titled(witness_p) if witness_p else None
        a_sig, b_sig = self.titled(a_person), self.titled(b_person)

        paragraphs: list[str] = []
        dateline = ""
        r = rng.random()
        if r < 0.35:
            dateline = f"{rng.choice(('Hanoï', 'Hanoi', 'Tokyo', 'Hô Chi Minh-Ville', 'Da Nang', 'Osaka'))} (VNA) - "
        elif r < 0.45:
            dateline = f"Hanoï, {day_word(d.day)} {MONTHS[d.month - 1]} (VNA) - "
        elif r < 0.55:
            dateline = "Nhân Dân en ligne - "
        if loan:
            lead = self.loan(kind, b_party, date, place)
        else:
            lead = self.signing(kind, topic, a_party, b_party, a_sig, b_sig, date, place, witness)
        paragraphs.append(dateline + lead)
        for person, sig in ((a_person, a_sig), (b_person, b_sig)):
            if sig not in lead and not loan:  # named later with their title, not just by name
                self.seen_people.discard(person.name)
        caption = self.caption(kind, a_party if a_org is None else (a_org.short()),
                               b_party if b_org is None else b_org.short(), date, place,
                               [a_person.name, b_person.name])
        if rng.random() < 0.85:
            paragraphs += [caption, caption]

        # The rest of the story, until the article is long enough.
        pieces = []
        if loan:
            pieces.append(f"Le document a été signé par {a_sig}, et {b_sig}.")
        if rng.random() < 0.6:
            pieces.append(f"La signature a été réalisée à l'issue de l'entretien entre {self.again(a_person)} "
                          f"et {self.again(b_person)}, en visite de travail {a(countries['vietnam'].np) if place_country == 'vietnam' else a(countries['japan'].np)}.")
        listed = ", ".join(topics[:-1]) + f" et {topics[-1]}" if len(topics) > 1 else topics[0]
        pieces.append(f"En vertu de {kind.ref}, les deux parties coopéreront dans les domaines suivants : {listed}.")
        paragraphs.append(" ".join(pieces))
        paragraphs.append(self.validity(kind, d) + " " + self.filler(topic))

        teaser_block = self.teasers() if rng.random() < 0.4 else []
        words = sum(len(p.split()) for p in paragraphs) + sum(len(p.split()) for p in teaser_block) + 12
        second_done = False
        while words < target_words - 20:
            r = rng.random()
            if r < 0.3:
                para = " ".join([self.statement(rng.choice((a_person, b_person)), rng.choice(topics)),
                                 self.filler(rng.choice(topics))])
            elif r < 0.4 and not second_done:
                second_done = True
                kind2 = weighted(rng, [k for k in KINDS if k[0].name != "accord de prêt"])
                org2 = self.pick_org(rng.choice(("vietnam", "japan")))
                person2 = self.pick_person()
                para = (f"À cette occasion, {self.org_np(org2)} a également signé {indefinite(kind2)} "
                        f"{topic_phrase(rng, self.topic(), kind2.feminine)} avec "
                        f"{b_party if org2.country == 'vietnam' else a_party}. {cap(kind2.ref)} a été "
                        f"{signed(kind2)} par {self.titled(person2)}. " + self.filler())
            elif r < 0.5:
                org3 = self.pick_org(rng.choice(("vietnam", "japan")), generated=True)
                founded = rng.randrange(1960, 2020)
                field_ = rng.choice(FIELDS)
                para = (f"Créé{'e' if org3.feminine else ''} en {founded}, {self.org_np(org3)} "
                        + rng.choice((f"se consacre à la recherche sur {field_}",
                                      f"a pour mission de promouvoir le développement {de(field_)}",
                                      f"réunit aujourd'hui plus de {rng.randrange(3, 60) * 10} chercheurs "
                                      f"spécialisés dans {field_}",
                                      f"œuvre pour la coopération internationale dans le domaine {de(field_)}"))
                        + ". " + self.filler())
            else:
                para = " ".join(self.filler(rng.choice(topics)) for _ in range(rng.randrange(2, 4)))
            paragraphs.append(para)
            words += len(para.split())
        if rng.random() < 0.6:
            paragraphs[-1] += " -VNA"

        text = "\n\n".join([self.headline(kind, topic, a_party, b_party), *paragraphs, *teaser_block]) + "\n"
        meta = None
        if rng.random() < 0.4:
            published = d + dt.timedelta(days=rng.randrange(0, 3))
            r = rng.random()
            value = published.isoformat() if r < 0.8 else published.isoformat()[:7] if r < 0.9 else str(published.year)
            meta = {"publisher": rng.choice(("VNA", "Le Courrier du Vietnam", "Nhân Dân en ligne")),
                    "url": f"https://example.org/vjkg-synthetic/{self.i:06d}", "published": value, "language": "fr"}
        return text, meta


# --------------------------------------------------------------------------- the corpus


def article(world: World, i: int) -> tuple[str, dict | None]:
    writer = Writer(world, i)
    target = max(330, min(680, int(writer.rng.gauss(500, 75))))
    return writer.article(target)


def generate(n_articles: int, out_dir: Path | str, seed: int = 0, quiet: bool = False) -> dict:
    """Write n_articles articles (and some sidecars) into out_dir; return {articles, words, avg_words, sidecars}."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    world = World(Gaz(), seed)
    words = sidecars = 0
    for i in range(n_articles):
        text, meta = article(world, i)
        name = f"{i:06d}_synthetic"
        (out / f"{name}.txt").write_text(text, encoding="utf-8")
        words += len(text.split())
        if meta is not None:
            (out / f"{name}.meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                                   encoding="utf-8")
            sidecars += 1
    stats = {"articles": n_articles, "words": words, "avg_words": words / max(1, n_articles), "sidecars": sidecars}
    if not quiet:
        print(f"{n_articles} articles, {words:,} words, {stats['avg_words']:.0f} words per article on average, "
              f"{sidecars} sidecars -> {out}")
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    generate(args.articles, args.out, seed=args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
