#!/usr/bin/env python3
"""Writes exonyms.tsv: the name of every country of iso3166.tsv in the
official languages of the EU, the EEA and the countries taking part in the
calls, from CLDR (the Unicode Common Locale Data Repository), as Python's
`babel` package ships it.

    python3 -m venv /tmp/cldr && /tmp/cldr/bin/pip install babel
    /tmp/cldr/bin/python calls/countries/make_exonyms.py > calls/countries/exonyms.tsv

escp reads the file beside iso3166.tsv (src/countries.rs): a consortium
file or a spreadsheet that writes "Noruega", "Ucrania" or "Norwegen" gets
the country's code. Names are compared as escp compares them (`fold`
below, the same as `fold` in src/countries.rs): without case, accents or
punctuation. A name is dropped, and said on standard error and in the
file's header, when it would be ambiguous: the same folded name for two
countries (in two languages), or a name that is another country's code
(alpha-2, alpha-3, or the EU's EL and UK) or another country's name in
iso3166.tsv. Names iso3166.tsv already gives the same country are left out.
"""

import os
import sys
import unicodedata

import babel
from babel import Locale
from babel.core import get_cldr_version

HERE = os.path.dirname(os.path.abspath(__file__))

# (language, CLDR locales): the base locale of each language, and its
# regional forms in the European countries where it is official (they
# differ from the base in a few names only).
LANGUAGES = [
    # The 24 official languages of the EU.
    ("bg", ["bg"]),
    ("hr", ["hr", "hr_BA"]),
    ("cs", ["cs"]),
    ("da", ["da"]),
    ("nl", ["nl", "nl_BE"]),
    ("en", ["en", "en_GB", "en_IE", "en_MT"]),
    ("et", ["et"]),
    ("fi", ["fi"]),
    ("fr", ["fr", "fr_BE", "fr_CH", "fr_LU"]),
    ("de", ["de", "de_AT", "de_BE", "de_CH", "de_IT", "de_LI", "de_LU"]),
    ("el", ["el", "el_CY"]),
    ("hu", ["hu"]),
    ("ga", ["ga"]),
    ("it", ["it", "it_CH"]),
    ("lv", ["lv"]),
    ("lt", ["lt"]),
    ("mt", ["mt"]),
    ("pl", ["pl"]),
    ("pt", ["pt", "pt_PT"]),
    ("ro", ["ro"]),
    ("sk", ["sk"]),
    ("sl", ["sl"]),
    ("es", ["es"]),
    ("sv", ["sv", "sv_FI", "sv_AX"]),
    # The EEA: Iceland and Norway (Liechtenstein's German is above).
    ("is", ["is"]),
    ("nb", ["nb"]),
    ("nn", ["nn"]),
    # The countries taking part in the calls (and the candidates).
    ("sq", ["sq", "sq_MK", "sq_XK"]),
    # Serbian in both scripts, as written in Serbia, Bosnia and
    # Herzegovina, Kosovo and Montenegro (CLDR has no Montenegrin locale:
    # `cnr` is not in CLDR; sr_*_ME stands for it).
    (
        "sr",
        [
            "sr_Cyrl",
            "sr_Latn",
            "sr_Cyrl_BA",
            "sr_Latn_BA",
            "sr_Cyrl_ME",
            "sr_Latn_ME",
            "sr_Cyrl_XK",
            "sr_Latn_XK",
        ],
    ),
    ("mk", ["mk"]),
    ("tr", ["tr", "tr_CY"]),
    ("uk", ["uk"]),
    ("hy", ["hy"]),
    ("ka", ["ka"]),
    ("bs", ["bs_Latn", "bs_Cyrl"]),
    ("ro_MD", ["ro_MD"]),
]

COMBINING = [
    (0x0300, 0x036F),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
]


def fold(value):
    """As `fold` in src/countries.rs: NFKD, the combining marks dropped,
    letters and digits lower-cased one by one, every run of anything else
    one space, no space at either end."""
    out = []
    for c in unicodedata.normalize("NFKD", value):
        if any(a <= ord(c) <= b for a, b in COMBINING):
            continue
        if c.isalpha() or unicodedata.category(c) in ("Nd", "Nl", "No"):
            out.append(c.lower())
        elif out and out[-1] != " ":
            out.append(" ")
    return "".join(out).rstrip(" ")


def main_table():
    """iso3166.tsv: [(code, English name, other names, alpha-3)]."""
    rows = []
    with open(os.path.join(HERE, "iso3166.tsv"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            columns = line.split("\t") + ["", "", ""]
            code, name, others, alpha3 = columns[:4]
            rows.append((code, name, [o for o in others.split(";") if o], alpha3))
    return rows


def main():
    rows = main_table()
    codes = [code for code, _, _, _ in rows]
    # Folded names and codes the main table already gives, per country.
    main_names = {}
    for code, name, others, alpha3 in rows:
        for spelling in [name, *others, alpha3]:
            main_names.setdefault(fold(spelling), set()).add(code)
    code_words = {}
    for code, _, _, alpha3 in rows:
        code_words[code.lower()] = code
        code_words[alpha3.lower()] = code
    code_words["el"] = "GR"
    code_words["uk"] = "GB"

    # Every CLDR name of every country: folded -> {code: [(written, locale)]}.
    found = {}
    locales = 0
    for _, names in LANGUAGES:
        for locale_id in names:
            locale = Locale.parse(locale_id)
            locales += 1
            for code in codes:
                # CLDR's territory codes are ISO 3166-1 alpha-2, and XK.
                written = locale.territories.get(code)
                if not written:
                    continue
                key = fold(written)
                if not key:
                    continue
                found.setdefault(key, {}).setdefault(code, []).append((written, locale_id))

    dropped = []
    kept = {code: [] for code in codes}
    for key in sorted(found):
        by_code = found[key]
        spellings = "; ".join(
            f"{code} {w} ({l})" for code, ws in sorted(by_code.items()) for w, l in ws[:1]
        )
        if len(by_code) > 1:
            dropped.append(f"{spellings}: one name for {len(by_code)} countries")
            continue
        ((code, written),) = by_code.items()
        other = main_names.get(key, set()) - {code}
        if other:
            dropped.append(f"{spellings}: the name of {', '.join(sorted(other))} in iso3166.tsv")
            continue
        if key in code_words and code_words[key] != code:
            dropped.append(f"{spellings}: the code of {code_words[key]}")
            continue
        if code in main_names.get(key, set()):
            # iso3166.tsv gives it already.
            continue
        # Each way it is written, with its languages.
        forms = {}
        for w, locale_id in written:
            language = locale_id.split("_")[0]
            languages = forms.setdefault(w, [])
            if language not in languages:
                languages.append(language)
        kept[code].append(
            (key, "; ".join(f"{w} ({' '.join(ls)})" for w, ls in forms.items()))
        )

    for line in dropped:
        print(f"make_exonyms.py: dropped {line}", file=sys.stderr)

    out = sys.stdout
    languages = ", ".join(
        f"{lang} ({' '.join(ids)})" if ids != [lang] else lang for lang, ids in LANGUAGES
    )
    total = sum(len(v) for v in kept.values())
    print(
        "# exonyms.tsv - the names of the countries of iso3166.tsv in the official\n"
        "# languages of the EU, the EEA and the countries taking part in the calls,\n"
        "# read beside iso3166.tsv: a consortium file or a spreadsheet that writes\n"
        '# "Noruega", "Ucrania" or "Niemcy" gets the code.\n'
        "#\n"
        "# GENERATED by make_exonyms.py (beside this file) from CLDR, the Unicode\n"
        f"# Common Locale Data Repository, version {get_cldr_version()}, as shipped by\n"
        f"# Python's babel {babel.__version__}: do not edit by hand; edit the generator\n"
        "# (or iso3166.tsv, whose names this file leaves out) and run it again.\n"
        f"# {locales} CLDR locales of these languages: {languages}.\n"
        f"# {total} names of {sum(1 for v in kept.values() if v)} countries.\n"
        "#\n"
        "# Columns (TAB-separated): the code; the name as escp compares it (lower\n"
        "# case, accents dropped, punctuation a space: what escp looks up, so that\n"
        "# a lookup by name folds no name of this file); the name as CLDR writes\n"
        "# it, with its languages (several ways to write it are separated by \";\").\n"
        "#\n"
        "# Dropped as ambiguous (the same name for two countries, or another\n"
        "# country's code or name):",
        file=out,
    )
    for line in dropped:
        print(f"#   {line}", file=out)
    if not dropped:
        print("#   none", file=out)
    for code in codes:
        for key, forms in kept[code]:
            print(f"{code}\t{key}\t{forms}", file=out)


if __name__ == "__main__":
    main()
