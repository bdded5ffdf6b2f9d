"""Medical fields of a text, from a small lexicon of word stems.

Registry titles are often jargon, code names or another language's wording of the paper's
subject ("Growth Hormon to Treat SMA" for "Somatropin treatment of spinal muscular atrophy").
Two texts in the same field (cardiology, oncology, ...) share no word but may still be one
trial, so a shared field makes a mismatch inconclusive: it is weak evidence *for* the pair,
never a reason to call a match.
"""

from __future__ import annotations

import re
from functools import lru_cache

from linker.link.text import fold

# Stems match the start of a word; stems of three letters or fewer match whole words only.
FIELDS: dict[str, tuple[str, ...]] = {
    field: tuple(stems.split())
    for field, stems in {
        "cardiovascular": "cardi coronar heart myocard atrial atrium ventric stent angio pci ami "
        "acs hypertens arter valv aort mitral infarct tavi tavr thromb anticoag heparin "
        "bivalirudin statin vascular endotheli bypass cabg defibrill pacemak arrhythm fibrillat "
        "ablation ischem ischaem af",
        "oncology": "cancer tumor tumour carcinom lymphom leuk melanom myelom sarcom neoplas "
        "chemo metasta oncolog radiother radiat glioma blastom malignan aml mds nhl cll hodgkin "
        "fibromatos palliat",
        "neurology": "brain stroke cerebr neuro epilep parkinson alzheimer dementi sclerosis "
        "migraine spinal nerve cognit msa sma atroph thrombolys",
        "mental health": "depress anxiet schizophren psych alcohol addict smok nicotin mental "
        "autism adhd sleep insomn bipolar mood suicid behavio tic tics",
        "infection": "hiv hepatitis hcv hbv infect vaccin immuniz immunis bacter viral virus "
        "antibiot sepsis malaria plasmodium tubercul influenza antivir ribavirin interferon",
        "metabolism": "diabet insulin glucose glycem obes weight metabol diet nutri carbohydr "
        "lipid cholesterol thyro calor energ",
        "respiratory": "asthma copd lung pulmon respir bronch airway pleura ventilat inhal "
        "emphysem thorac pneumon cough",
        "renal": "kidney renal dialys haemodialys hemodialys nephr urin bladder prostat",
        "digestive": "liver hepat gastr bowel colon crohn colitis pancrea esophag oesophag "
        "intestin gut",
        "musculoskeletal": "bone joint arthr fracture osteo muscle knee hip spin lumbar rheumat "
        "tendon orthos orthes trunk",
        "eye": "retin macula glaucom eye ocular cataract vision visual cornea intraocul hemianop "
        "optic myop presbyop ametrop kerat strabism amblyop uveit",
        "skin": "skin dermat psoria eczema wound acne urticar prurit alopec",
        "reproductive": "pregnan birth preterm infertil ovar uter contracept menopaus progestin "
        "obstet libido androgen oophor salping fallop genital vagin vulv endometri embryo "
        "sperm placent caesar cesarean",
        "blood": "hemophil haemophil factor anemi anaemi transfus coagul bleed platelet "
        "myelodysplas hemosta haemosta hemato haemato hemoglob haemoglob thrombocyt neutropen "
        "sickle thalass",
        "transplant": "transplant graft allogeneic",
        "anaesthesia and surgery": "anesth anaesth analges pain postoperat perioperat intubat "
        "sedat hypotherm nausea ponv",
        "dentistry": "dental dent tooth teeth caries molar oral gingiv periodont abutment crown "
        "orthodont endodont denture floss",
        "physical activity": "exercis physical activit training lifestyle fitness",
        "ageing": "elderly older geriatr frail nursing ageing aging",
        "child health": "child infant neonat pediatr paediatr school adolescen",
    }.items()
}
# Drug-name endings (INN stems) that place a drug in a field: telmisartan, amlodipine.
SUFFIXES: dict[str, tuple[str, ...]] = {
    "cardiovascular": ("sartan", "dipine", "olol", "pril", "statin", "parin", "xaban", "gatran"),
    "oncology": ("tinib", "platin", "taxel", "rubicin", "citabine", "zomib"),
    "infection": ("vir", "cillin", "mycin", "floxacin", "conazole", "cycline"),
    "mental health": ("oxetine", "pramine", "triptyline", "azepam", "peridol", "apine"),
    "metabolism": ("gliptin", "gliflozin", "glutide", "glitazone"),
}
_WORD = re.compile(r"[a-z0-9]+")
# "InductionChemo": two words.
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
# A stem also matches after one of these ("interdental", "precancerous", "hyperthyroidism").
_PREFIX = re.compile(
    r"(pre|inter|intra|epi|endo|peri|hyper|hypo|post|sub|trans|anti|non)(?=[a-z]{4})"
)


def _fields_by_stem(short: bool) -> dict[str, frozenset[str]]:
    """Each stem (of three letters or fewer when ``short``, else longer) and its fields."""
    fields: dict[str, set[str]] = {}
    for field, stems in FIELDS.items():
        for stem in stems:
            if (len(stem) <= 3) == short:
                fields.setdefault(stem, set()).add(field)
    return {stem: frozenset(names) for stem, names in fields.items()}


# A word is looked up whole and by each of its prefixes as long as a stem: the same fields as
# trying every stem against every word, in a few dictionary lookups per word.
_WHOLE_WORD_STEMS = _fields_by_stem(short=True)
_PREFIX_STEMS = _fields_by_stem(short=False)
_PREFIX_LENGTHS = sorted({len(stem) for stem in _PREFIX_STEMS})
_SUFFIX_FIELDS: dict[str, frozenset[str]] = {
    ending: frozenset(field for field, endings in SUFFIXES.items() if ending in endings)
    for ending in {ending for endings in SUFFIXES.values() for ending in endings}
}
_SUFFIX_LENGTHS = sorted({len(ending) for ending in _SUFFIX_FIELDS})


@lru_cache(maxsize=4096)
def fields_of(text: str) -> frozenset[str]:
    """The medical fields ``text`` speaks of."""
    words = _WORD.findall(fold(_CAMEL.sub(" ", text)))
    words += [w[m.end() :] for w in words if (m := _PREFIX.match(w))]
    found: set[str] = set()
    for word in frozenset(words):
        found.update(_word_fields(word))
    return frozenset(found)


@lru_cache(maxsize=65_536)
def _word_fields(word: str) -> frozenset[str]:
    found = set(_WHOLE_WORD_STEMS.get(word, ()))
    for length in _PREFIX_LENGTHS:
        if length > len(word):
            break
        found.update(_PREFIX_STEMS.get(word[:length], ()))
    for length in _SUFFIX_LENGTHS:
        if length + 2 >= len(word):
            break
        found.update(_SUFFIX_FIELDS.get(word[-length:], ()))
    return frozenset(found)


__all__ = ["FIELDS", "fields_of"]
