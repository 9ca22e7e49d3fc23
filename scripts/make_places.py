"""Generate ontology/places.jsonl: the world's countries (ISO 3166-1, named in French, English,
Vietnamese and Japanese by CLDR through babel), Vietnam's provinces and centrally-run cities
and Japan's prefectures (ISO 3166-2 as pycountry ships it, with its translations).

    python scripts/make_places.py        # needs pycountry (pip install 'vjkg[data]')

Deterministic: the same pycountry gives the same bytes. Vietnam's subdivisions are the 63
of ISO 3166-2:VN, those the news of the archive uses (before the 2025 merger). A
subdivision that the hand-kept ontology/gazetteer.jsonl already knows, or whose name starts
one of its names (Hanoi, Da Nang, "Hồ Chí Minh" of Ho Chi Minh City ...), is left to it. The build reads this file; it never runs this script.
"""
from __future__ import annotations

import gettext
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CURATED = ROOT / "ontology" / "gazetteer.jsonl"
OUT = ROOT / "ontology" / "places.jsonl"
COUNTRIES = {"VN": "vietnam", "JP": "japan"}  # ISO code -> the curated gazetteer's id
LANGUAGES = ("fr", "vi", "ja")
# Countries and territories whose name is also a common word or a given name ("un jersey", "une réunion", "une grenade",
# "Maurice", "Dominique", "Chad", "Jordan", "Georgia"): matched without case, they would be found in
# every other article. Left out; the hand-kept gazetteer can add them with care.
AMBIGUOUS = {"JE", "GG", "IM", "MU", "RE", "GD", "DM", "TD", "JO", "GE"}


def slug(text: str) -> str:
    sys.path.insert(0, str(ROOT))
    from kg.text import key

    return key(text).replace(" ", "-")


def main() -> int:
    try:
        import pycountry
    except ImportError:
        print("needs pycountry: pip install 'vjkg[data]'", file=sys.stderr)
        return 1
    translations = {lang: gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang])
                    for lang in LANGUAGES}
    curated = [json.loads(line) for line in CURATED.read_text(encoding="utf-8").splitlines() if line.strip()]
    known = {slug(name) for entry in curated for name in [*entry["labels"].values(), *entry.get("aliases", ())]}
    lines = countries(pycountry, known)
    for code, country in COUNTRIES.items():
        for sub in sorted(pycountry.subdivisions.get(country_code=code), key=lambda s: s.code):
            name = slug(sub.name)
            if any(other == name or other.startswith(name + "-") for other in known):
                continue
            labels = {"en": sub.name}
            for lang, table in translations.items():
                labels[lang] = table.gettext(sub.name)
            entry = {"id": f"{code.lower()}-{slug(sub.name)}", "type": "Place", "country": country,
                     "labels": dict(sorted(labels.items())), "iso3166_2": sub.code}
            lines.append(json.dumps(entry, ensure_ascii=False, sort_keys=True))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} places -> {OUT.relative_to(ROOT)}")
    return 0


def countries(pycountry, known: set[str]) -> list[str]:
    """One line per country of ISO 3166-1 that the hand-kept gazetteer does not hold."""
    from babel import Locale

    names = {lang: Locale(lang).territories for lang in ("fr", "en", "vi", "ja")}
    lines = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code = country.alpha_2
        labels, others = {}, set()
        for lang, table in names.items():  # "Myanmar (Birmanie)": the name, and the other in parentheses
            name, _, other = table.get(code, "").partition(" (")
            if name:
                labels[lang] = name.strip()
                others.add(other.rstrip(")").strip())
        if code in AMBIGUOUS or "en" not in labels:
            continue
        if any(slug(name) in known for name in [*labels.values(), country.name]):
            continue
        aliases = sorted(({country.name, getattr(country, "official_name", country.name)} | others)
                         - set(labels.values()) - {""})
        entry = {"id": slug(labels["en"]), "type": "Country", "labels": dict(sorted(labels.items())),
                 "aliases": aliases, "iso3166_1": code}
        lines.append(json.dumps(entry, ensure_ascii=False, sort_keys=True))
    return lines


if __name__ == "__main__":
    sys.exit(main())
