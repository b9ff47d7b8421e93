"""The matching engine: a lexical, offline, bilingual ranking with a visible score breakdown.

Text similarity is TF-IDF cosine over three kinds of tokens: English words (lower case, a
plural "s" dropped, stop words left out), Chinese character bigrams (no segmenter needed), and
the concepts of the bilingual glossary (``glossary.py``) found in either language, weighted
higher, so that a Chinese need finds an English technology description. Everything is computed
as sparse matrices (scipy), so 200 needs against 2,000 technologies take well under a second
(``bench/matching.py``).

A score is at most 100 points: green area 30, text similarity 35, what is sought vs offered 15,
region 10 and development stage vs timeframe 10. ``rank`` returns the parts with each match.
"""

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext_lazy as _
from scipy import sparse

from .glossary import CONCEPTS

WEIGHTS = {"area": 30, "text": 35, "offers": 15, "region": 10, "stage": 10}
PART_LABELS = {
    "area": _("Green area and sector"),
    "text": _("What it does (text similarity)"),
    "offers": _("Sought vs offered"),
    "region": _("Region"),
    "stage": _("Development stage vs timeframe"),
}
TEXT_FULL_AT = 0.35  # a cosine similarity that earns the full text points
CONCEPT_WEIGHT = 3
# The lowest development stage (TRL) a need's timeframe calls for.
TIMEFRAME_TRL = {"now": 8, "short": 7, "medium": 5, "long": 3}
GLOBAL_REGIONS = {"global", "worldwide", "international", "any", "全球", "国际"}
REGION_ALIASES = {
    "cn": "china",
    "中国": "china",
    "北京": "beijing",
    "上海": "shanghai",
    "深圳": "shenzhen",
    "广东": "guangdong",
    "江苏": "jiangsu",
    "浙江": "zhejiang",
}
_STOP = (
    "a an and are as at be by for from has have in into is it its of on or our that the their "
    "this to we with which can more less than up per all also using use used based new"
)
STOP_WORDS = set(_STOP.split())

_WORD = re.compile(r"[a-z0-9][a-z0-9.\-]*[a-z0-9]|[a-z0-9]")
_CJK = re.compile(r"[\u4e00-\u9fff]+")


@functools.lru_cache(maxsize=65536)
def _stem(word):
    if word in STOP_WORDS or word.isdigit():
        return ""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _term_table():
    """{term: concept} of the glossary, English terms also in their plural form."""
    table = {}
    for concept, (english, chinese) in CONCEPTS.items():
        for term in english:
            table.setdefault(term, concept)
            table.setdefault(term + "s", concept)
        for term in chinese:
            table.setdefault(term, concept)
    return table


_CONCEPT_OF = _term_table()
_LONGEST_EN = max(len(t.split()) for en, _zh in CONCEPTS.values() for t in en)
_FIRST_WORDS = {term.split()[0] for term in _CONCEPT_OF}
_ZH_TERMS = re.compile(
    "|".join(
        re.escape(t)
        for t in sorted({t for _en, zh in CONCEPTS.values() for t in zh}, key=len, reverse=True)
    )
)


def _english_concepts(words):
    """Concepts of the glossary's English terms among ``words``, leftmost-longest, no
    overlaps (only words that start a term are tried)."""
    found, i, count = [], 0, len(words)
    while i < count:
        if words[i] in _FIRST_WORDS:
            for size in range(min(_LONGEST_EN, count - i), 0, -1):
                concept = _CONCEPT_OF.get(" ".join(words[i : i + size]))
                if concept is not None:
                    found.append(concept)
                    i += size
                    break
            else:
                i += 1
        else:
            i += 1
    return found


def tokens(text):
    """The tokens of ``text`` with their counts: words, Chinese bigrams, ``@concept``s."""
    text = (text or "").lower()
    words = _WORD.findall(text)
    counts = Counter(stem for stem in map(_stem, words) if stem)
    concepts = Counter(_english_concepts(words))
    for run in _CJK.findall(text):
        counts.update([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
    concepts.update(_CONCEPT_OF[term] for term in _ZH_TERMS.findall(text))
    for concept, count in concepts.items():
        counts["@" + concept] += count * CONCEPT_WEIGHT
    return counts


def region_tokens(text):
    words = {w for w in re.split(r"[\s,;/、，]+", (text or "").lower()) if w}
    return {REGION_ALIASES.get(w, w) for w in words}


@dataclass
class Item:
    """What the engine knows of a listing: its text, area, stage, offers, regions."""

    text: str
    area: str = ""
    trl: int | None = None
    offers: set = field(default_factory=set)
    regions: set = field(default_factory=set)
    timeframe: str = "medium"


def tfidf(token_lists):
    """Row-normalised TF-IDF matrix (sublinear term frequency) of a list of token counts."""
    vocabulary = {}
    indices, counts, indptr = [], [], [0]
    for document in token_lists:
        indices.extend(vocabulary.setdefault(token, len(vocabulary)) for token in document)
        counts.extend(document.values())
        indptr.append(len(indices))
    width = max(len(vocabulary), 1)
    values = 1.0 + np.log(np.asarray(counts, dtype=float))
    matrix = sparse.csr_matrix((values, indices, indptr), shape=(len(token_lists), width))
    df = np.bincount(np.asarray(indices, dtype=np.int64), minlength=width)
    idf = np.log((1 + len(token_lists)) / (1 + df)) + 1.0
    matrix = matrix @ sparse.diags(idf)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ matrix


def text_similarity(left_texts, right_texts):
    """Cosine similarities (len(left) x len(right)), IDF fitted on both sides together."""
    matrix = tfidf([tokens(t) for t in (*left_texts, *right_texts)]).tocsr()
    left, right = matrix[: len(left_texts)], matrix[len(left_texts) :]
    return (left @ right.T).toarray()


def _codes(values, vocabulary):
    return np.array([vocabulary.setdefault(v, len(vocabulary)) for v in values])


def _sets_overlap(left_sets, right_sets):
    vocabulary = {}

    def matrix(sets):
        rows, cols = [], []
        for row, values in enumerate(sets):
            for value in values:
                rows.append(row)
                cols.append(vocabulary.setdefault(value, len(vocabulary)))
        return rows, cols

    lr, lc = matrix(left_sets)
    rr, rc = matrix(right_sets)
    width = max(len(vocabulary), 1)
    left = sparse.csr_matrix((np.ones(len(lr)), (lr, lc)), shape=(len(left_sets), width))
    right = sparse.csr_matrix((np.ones(len(rr)), (rr, rc)), shape=(len(right_sets), width))
    return (left @ right.T).toarray() > 0


def score_parts(demand, supply):
    """Points per part (name -> matrix len(demand) x len(supply)) for Items on both sides."""
    if not demand or not supply:
        return {name: np.zeros((len(demand), len(supply))) for name in WEIGHTS}
    similarity = text_similarity([d.text for d in demand], [s.text for s in supply])
    areas = {}
    demand_area, supply_area = (
        _codes([d.area for d in demand], areas),
        _codes([s.area for s in supply], areas),
    )
    area = (demand_area[:, None] == supply_area[None, :]) & (
        demand_area[:, None] != areas.get("", -1)
    )
    offers = _sets_overlap([d.offers for d in demand], [s.offers for s in supply])
    regions = _sets_overlap([d.regions for d in demand], [s.regions for s in supply])
    open_d = np.array([bool(d.regions & GLOBAL_REGIONS) for d in demand])
    open_s = np.array([bool(s.regions & GLOBAL_REGIONS) for s in supply])
    empty_d = np.array([not d.regions for d in demand])
    empty_s = np.array([not s.regions for s in supply])
    region = np.where(
        regions | open_d[:, None] | open_s[None, :],
        1.0,
        np.where(empty_d[:, None] | empty_s[None, :], 0.5, 0.0),
    )
    wanted = np.array([TIMEFRAME_TRL.get(d.timeframe, 5) for d in demand])
    trl = np.array([s.trl if s.trl else 0 for s in supply])
    gap = wanted[:, None] - trl[None, :]
    stage = np.where(gap <= 0, 1.0, np.where(gap <= 2, 0.5, 0.0))
    stage[:, trl == 0] = 0.5
    return {
        "area": area * WEIGHTS["area"],
        "text": np.minimum(similarity / TEXT_FULL_AT, 1.0) * WEIGHTS["text"],
        "offers": offers * WEIGHTS["offers"],
        "region": region * WEIGHTS["region"],
        "stage": stage * WEIGHTS["stage"],
    }


@dataclass
class Match:
    index: int  # position in the ranked side's list
    score: int
    parts: dict  # name -> points (rounded)
    similarity: float = 0.0

    def breakdown(self):
        """(label, points, maximum) per part, in a fixed order, for the page."""
        return [(PART_LABELS[name], self.parts[name], WEIGHTS[name]) for name in WEIGHTS]


def _top(parts, total, row, top):
    total = total[row]
    order = np.argsort(-total, kind="stable")[:top]
    return [
        Match(
            index=int(i),
            score=int(round(total[i])),
            parts={name: int(round(parts[name][row, i])) for name in WEIGHTS},
        )
        for i in order
    ]


def rank_supply(demand, supply, top=10):
    """For each demand Item, the ``top`` supply Items best matching it (list of lists)."""
    parts = score_parts(demand, supply)
    total = sum(parts.values())
    return [_top(parts, total, row, top) for row in range(len(demand))]


def rank_demand(supply_item, demand, top=10):
    """The ``top`` demand Items best matching one supply Item."""
    parts = score_parts(demand, [supply_item])
    flipped = {name: matrix.T for name, matrix in parts.items()}
    return _top(flipped, sum(flipped.values()), 0, top)


def similar(query_text, texts, top=10, minimum=0.05):
    """(index, similarity) of the texts most like ``query_text`` (those above ``minimum``)."""
    if not texts:
        return []
    scores = text_similarity([query_text], texts)[0]
    order = np.argsort(-scores, kind="stable")[:top]
    return [(int(i), float(scores[i])) for i in order if scores[i] >= minimum]
