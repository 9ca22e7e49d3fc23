"""A synthetic corpus of French news articles about Vietnam–Japan cooperation, for build benchmarks.

    python benchmarks/corpus.py N OUT_DIR [--seed 0]

Articles of about 500 words (a .meta.json sidecar for 40 %) from benchmarks/corpus_templates.json
and the gazetteer: agreements signed on dates in places by people with titles, captions, teasers.
Article i depends only on (seed, i): the corpus of 100 is the first 100 articles of the one of 1,000.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import unicodedata
from collections import namedtuple
from pathlib import Path

TEMPLATES = Path(__file__).resolve().with_name("corpus_templates.json")
GAZETTEER = TEMPLATES.parent.parent / "ontology" / "gazetteer.jsonl"
D = json.loads(TEMPLATES.read_text(encoding="utf-8"))
COUNTRIES = D["countries"]  # id -> [noun phrase, masculine adjective, feminine adjective]


def strip_accents(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def the(feminine: bool, noun: str) -> str:
    """(True, 'ASEAN') -> "l'ASEAN"; (False, 'Japon') -> 'le Japon'."""
    if strip_accents(noun[:1]).lower() in "aeiouy" or noun.startswith("h") and not noun.startswith("hydro"):
        return "l'" + noun
    return ("la " if feminine else "le ") + noun


def de(np: str) -> str:
    """'le Japon' -> 'du Japon', 'les TIC' -> 'des TIC', "l'IA" -> "de l'IA", 'avril' -> "d'avril"."""
    if np.startswith(("le ", "les ")):
        return ("du " if np.startswith("le ") else "des ") + np.split(" ", 1)[1]
    return ("d'" if strip_accents(np[:1]).lower() in "aeiouyh" else "de ") + np


HELPERS = {"de": de, "cap": lambda text: text[:1].upper() + text[1:],
           "bare": lambda np: re.sub(r"^(?:les |le |la |l')", "", np),  # 'les TIC' -> 'TIC'
           "in": lambda np: "en matière " + de(HELPERS["bare"](np)),  # "en matière d'intelligence artificielle"
           "a": lambda np: "au " + np[3:] if np[:3] == "le " else "aux " + np[4:] if np[:4] == "les " else "à " + np}


def expand(template: str, rng: random.Random, values: dict) -> str:
    """The template with {@list} replaced by a random item of the list of that name in D (a
    template too), {name} by a value (called if callable), {name:de} by a value through a helper."""
    def one(match: re.Match) -> str:
        name, _, helper = match.group(1).partition(":")
        value = expand(rng.choice(D[name[1:]]), rng, values) if name[0] == "@" else values[name]
        value = str(value() if callable(value) else value)
        return HELPERS[helper](value) if helper else value
    return re.sub(r"\{(@?\w+(?::\w+)?)\}", one, template)


Person = namedtuple("Person", "name short country feminine title rest org")  # rest: "des Finances", '{org:de}', ''


class Org(namedtuple("Org", "label acronym country feminine field", defaults=("",))):  # field: a ministry's
    def full(self) -> str:  # the first mention: "l'Agence japonaise de coopération internationale (JICA)"
        return the(self.feminine, self.label) + (f" ({self.acronym})" if self.acronym else "")

    def short(self) -> str:
        return the(self.feminine, self.acronym) if self.acronym else self.full()


def load_gazetteer() -> dict:
    """Places, titled people, organizations that sign and technologies of the gazetteer."""
    g = {"places": [], "people": [], "orgs": [], "topics": list(D["extra_topics"])}
    for line in GAZETTEER.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        e = json.loads(line)
        names = [next(e["labels"][k] for k in ("fr", "en", "vi", "ja") if k in e["labels"]), *(e.get("aliases") or [])]
        kind, country, head = e["type"], e.get("country"), names[0].split()[0]
        if kind == "Place":
            g["places"] += [(name, country) for name in names[:3]]
        elif kind == "Person" and e["id"] in D["gazetteer_titles"]:
            title, rest, *feminine = D["gazetteer_titles"][e["id"]]
            g["people"] += [Person(n, n, country, bool(feminine), title, rest, None) for n in names]
        elif kind == "Organization" and head in D["party_heads"] and (country or head == "Banque"):
            acronym = next(iter(e.get("acronyms") or []), None)
            field = re.sub(r" (?:du Japon|du Vietnam)$", "", names[0].split(" ", 1)[1]) if head == "Ministère" else ""
            acronym = None if acronym == "MIC" else acronym
            g["orgs"].append(Org(names[0], acronym, country, head in D["feminine_heads"], field))
        elif kind == "Technology":
            g["topics"] += [D["topic_names"].get(n) or the(True, n) for n in names
                            if not n.startswith("Advanced Land") and (not n.isupper() or n in D["topic_names"])]
    return g


class World:
    """Who recurs across articles: number k depends on (seed, k) and those before, not on the corpus size."""

    def __init__(self, seed: int):
        self.seed, self.gaz, self.orgs, self.people = seed, load_gazetteer(), [], []
        self.taken = set(D["reserved_acronyms"])
        self.agencies = {o.acronym: o for o in self.gaz["orgs"]}

    def rng(self, *what) -> random.Random:
        return random.Random(":".join(map(str, ("vjkg-corpus", self.seed, *what))))

    def org(self, k: int) -> Org:
        while len(self.orgs) <= k:
            rng = self.rng("org", len(self.orgs))
            country = rng.choice(("vietnam", "japan"))
            label = expand("{@org_names}", rng, {
                "adj_m": COUNTRIES[country][1], "adj_f": COUNTRIES[country][2],
                "city": rng.choice(D["cities"][country]), "company": rng.choice(D[f"{country[:2]}_company"])})
            letters = "".join(strip_accents(w)[0].upper() for w in re.split(r"[\s'’-]+", label)
                              if w and w.lower() not in D["small_words"])
            base = (letters + "XX")[:max(3, min(6, len(letters)))]
            acronym = next(a for a in [base, base + "V", *(f"{base}{n}" for n in range(3, 999))] if a not in self.taken)
            self.taken.add(acronym)
            self.orgs.append(Org(label, acronym if rng.random() < 0.85 else None, country,
                                 label.split()[0] in D["feminine_heads"]))
        return self.orgs[k]

    def person(self, k: int) -> Person:
        while len(self.people) <= k:
            self.people.append(self.new_person(self.rng("person", len(self.people)), len(self.people)))
        return self.people[k]

    def new_person(self, rng: random.Random, k: int, country: str | None = None, heads: Org | None = None) -> Person:
        """Someone with a title (the head of `heads` if given), working at one of 40 + k / 3 organizations."""
        country = country or ("vietnam" if rng.random() < 0.55 else "japan")
        feminine = rng.random() < 0.3
        g = "f" if feminine else "m"
        if country == "vietnam":
            middle = [rng.choice(D["vi_middle"][g]) for _ in range(1 + (rng.random() < 0.15))] * (rng.random() >= 0.1)
            words = [rng.choices(*zip(*D["vi_family"]))[0], *middle, rng.choice(D["vi_given"][g])]
            spelling = rng.random()
            if spelling < 0.27:  # written without diacritics, as many sites do, or some of them lost
                lost = range(len(words)) if spelling < 0.2 else [rng.randrange(len(words))]
                words = [strip_accents(w) if i in lost else w for i, w in enumerate(words)]
            name, short = " ".join(words), words[-1]
        else:
            family, given = rng.choice(D["jp_family"]), rng.choice(D["jp_given"][g])
            name, short = (f"{family} {given}" if rng.random() < 0.5 else f"{given} {family}"), family
        roles = [r for r in D["roles"] if r.get("country", country) == country]
        role = D["head_titles"]["ministry" if heads.field else "org"] if heads else \
            rng.choices(roles, [r["weight"] for r in roles])[0]
        employers = (self.org(rng.randrange(40 + k // 3)) for _ in range(30))
        org = heads or (rng.choice([o for o in self.gaz["orgs"] if o.field and o.country == country])
                        if "ministry" in role else next((o for o in employers if o.country == country), self.org(0))
                        if "org" in role else self.agencies[rng.choice(role["agency"])] if "agency" in role else None)
        rest = org.field if org and org.field else role.get("rest", "{org:de}")
        return Person(name, short, country, feminine, rng.choice(role[g]), rest, org)


class Writer:
    def __init__(self, world: World, i: int):
        self.world, self.gaz, self.i, self.rng = world, world.gaz, i, world.rng("article", i)
        self.seen_people, self.seen_orgs = set(), set()
        self.values = {name: lambda r=r: self.rng.randrange(*r) for name, r in D["numbers"].items()}
        self.values.update(t=self.topic, any_place=self.place, second=self.second_signing, founded=self.founded)

    def fill(self, template: str, **values) -> str:
        return HELPERS["cap"](expand(template, self.rng, {**self.values, **values}))

    def topic(self) -> str:
        return self.rng.choice(self.gaz["topics"])

    def place(self, country: str | None = None) -> str:
        places = [name for name, c in self.gaz["places"] if country in (None, c)]
        return self.rng.choice(places if self.rng.random() < 0.85 else D["extra_places"])

    def recurring(self, country: str | None, orgs: bool = False) -> Person | Org:
        """A recurring person or organization (a few often, most rarely) or a new person, not yet in the article."""
        pool, seen = (40 + self.i // 3, self.seen_orgs) if orgs else (40 + self.i * 3 // 5, self.seen_people)
        known = [o for o in self.gaz["orgs"] if o.country == country and o[0] not in seen] if orgs else []
        if known and self.rng.random() < 0.45:
            return self.rng.choice(known)
        for _ in range(50):
            k = int(pool * self.rng.random() ** (1.8 if orgs else 2.2))
            x = self.world.org(k) if orgs else self.world.person(k) if self.rng.random() < 0.8 else \
                self.world.new_person(self.rng, pool, country)
            if country in (None, x.country) and x[0] not in seen:
                break
        return x

    def org_np(self, org: Org) -> str:
        """The full name (now and then with a lower-case head) the first time, then mostly 'la JICA'."""
        if org.label in self.seen_orgs:
            return org.short() if self.rng.random() < 0.8 else org.full().split(" (")[0]
        self.seen_orgs.add(org.label)
        art, _, rest = org.full().partition(" ")
        return f"{art} {rest[:1].lower()}{rest[1:]}" if self.rng.random() < 0.15 and rest else org.full()

    def named(self, p: Person) -> str:
        """With their title the first time (several written forms), then 'NAME', 'le ministre NAME', 'M. Tanaka'."""
        first = p.name not in self.seen_people
        self.seen_people.add(p.name)
        rest = expand(p.rest, self.rng, {**self.values, "org": lambda: self.org_np(p.org)}) if first else ""
        forms = "again" if not first else "titled_minister" if p.title in ("ministre", "vice-ministre") else "titled"
        return expand("{@" + forms + "}", self.rng, {
            "name": p.name, "short": p.short, "title": p.title, "rest": " " * bool(rest) + rest,
            "honor": "Mme" if p.feminine else "M.", "the": "la" if p.feminine else "le",
            "adj": COUNTRIES[p.country][1 + p.feminine]})

    def kind(self) -> dict:
        name, feminine, ref, _ = self.rng.choices(D["kinds"], [k[3] for k in D["kinds"]])[0]
        return {"kind": name, "a_kind": ("une " if feminine else "un ") + name, "the_kind": the(feminine, name),
                "ref": ref, "e": "e" if feminine else "", "ve": "ve" if feminine else "f"}

    def second_signing(self) -> str:
        org = self.recurring(self.rng.choice(("vietnam", "japan")), orgs=True)
        return self.fill(D["second_signing"], **self.kind(), org=self.org_np(org), topic=self.topic(),
                         party=self.values["b_party" if org.country == "vietnam" else "a_party"],
                         signer=lambda: self.named(self.recurring(None)))

    def founded(self) -> str:
        org = self.world.org(int((40 + self.i // 3) * self.rng.random()))
        return self.fill(D["founded"], e="e" if org.feminine else "", org=self.org_np(org))

    def article(self, target_words: int) -> tuple[str, dict | None]:
        rng, gaz, v = self.rng, self.gaz, self.values
        d = dt.date(rng.randrange(2015, 2026), rng.randrange(1, 13), rng.randrange(1, 29))
        v.update(self.kind(), **when(d))
        loan = v["kind"] == "accord de prêt"
        topics = list(dict.fromkeys(self.topic() for _ in range(rng.randrange(2, 5))))
        visited = "vietnam" if rng.random() < 0.7 else "japan"
        orgs = [None, self.world.agencies[rng.choice(D["loan_lenders"])]] if loan else \
            [None, None] if rng.random() < 0.25 else [self.recurring(c, orgs=True) for c in ("vietnam", "japan")]
        b_country = rng.choice(list(COUNTRIES)[2:]) if rng.random() < 0.08 else "japan"  # now and then not Japan
        people = [self.world.new_person(rng, 0, o.country, heads=o) if o and o.country and rng.random() < 0.6
                  else self.recurring(c) for o, c in zip(orgs, ("vietnam", "japan"))]
        if rng.random() < 0.12:
            people[0] = rng.choice([p for p in gaz["people"] if p.country == "vietnam"])
        for x, org, country, p in zip("ab", orgs, ("vietnam", "japan" if loan else b_country), people):
            v[f"{x}_party"] = self.org_np(org) if org else COUNTRIES[country][0]
            v.update({f"{x}_short": org.short() if org else v[f"{x}_party"], f"{x}_name": p.name,
                      f"{x}_person": lambda p=p: self.named(p)})
        of, span, years = rng.choice(D["durations"])
        start = when(d + dt.timedelta(days=rng.randrange(120)), "start_")
        v.update(topic=topics[0], place=self.place(visited), visited=COUNTRIES[visited][0],
                 witness=lambda: self.named(rng.choice(gaz["people"])), date=expand("{@dates}", rng, v),
                 listed=", ".join(topics[:-1]) + " et " + topics[-1] if len(topics) > 1 else topics[0],
                 speaker=lambda: self.named(rng.choice(people)))
        v.update(caption=self.fill("{@captions} {@credit}"), validity=self.fill(
            "{@validities}", of=of, span=span, **start, end_year=start["start_year"] + years))
        paragraphs = [self.fill(p, t=topics[0]) for p in D["loan_story" if loan else "story"]]
        teasers = self.teasers(d) if rng.random() < 0.4 else []
        words = len(" ".join(paragraphs + teasers).split())
        while words < target_words - 32:  # the rest of the story, until the article is long enough
            paragraphs.append(self.fill("{@body}", t=rng.choice(topics)))
            words += len(paragraphs[-1].split())
        paragraphs[-1] += rng.choice(D["bylines"])
        text = "\n\n".join(p for p in [self.fill("{@headlines}"), *paragraphs, *teasers] if p) + "\n"
        published, r = (d + dt.timedelta(days=rng.randrange(3))).isoformat(), rng.random()
        meta = {"publisher": rng.choice(D["publishers"]), "url": f"https://example.org/vjkg-synthetic/{self.i:06d}",
                "published": published[:10 if r < 0.8 else 7 if r < 0.9 else 4], "language": "fr"}
        return text, meta if rng.random() < 0.4 else None

    def teasers(self, d: dt.date) -> list[str]:
        """'Voir plus' and 2-4 other stories: a caption, a headline (now and then twice), a paragraph."""
        out = ["Voir plus"]
        for _ in range(self.rng.randrange(2, 5)):
            t, speaker = self.topic(), self.named(self.recurring(None))
            out.append(self.fill(D["teaser"], t=t, headline=self.fill("{@teaser_headlines}", t=t), speaker=speaker,
                                 comma="," * ("," in speaker), **when(d - dt.timedelta(self.rng.randrange(30, 2000)))))
        return out


def when(d: dt.date, prefix: str = "") -> dict:
    """The values of a date's templates: {day} {month} {weekday} {year}."""
    return {prefix + "day": "1er" if d.day == 1 else str(d.day), prefix + "month": D["months"][d.month - 1],
            prefix + "weekday": D["weekdays"][d.weekday()], prefix + "year": d.year}


def generate(n: int, out_dir: Path | str, seed: int = 0, quiet: bool = False) -> dict:
    """Write n articles (and some sidecars) into out_dir; return {articles, words, avg_words, sidecars}."""
    out, world, words, sidecars = Path(out_dir), World(seed), 0, 0
    out.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        writer = Writer(world, i)
        text, meta = writer.article(max(330, min(680, int(writer.rng.gauss(500, 75)))))
        (out / f"{i:06d}_synthetic.txt").write_text(text, encoding="utf-8")
        words += len(text.split())
        if meta is not None:
            sidecars += 1
            (out / f"{i:06d}_synthetic.meta.json").write_text(json.dumps(meta, ensure_ascii=False) + "\n", "utf-8")
    if not quiet:
        print(f"{n} articles, {words:,} words ({words / max(1, n):.0f} per article), {sidecars} sidecars -> {out}")
    return {"articles": n, "words": words, "avg_words": words / max(1, n), "sidecars": sidecars}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    generate(args.articles, args.out, seed=args.seed)
