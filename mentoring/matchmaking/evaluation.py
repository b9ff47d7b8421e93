"""How well and how fast the engine matches: precision at 5 on the demo's labelled
need–technology pairs (``demo_data.RELEVANT``) and a synthetic load of many listings. Used by
bench/matching.py and the tests; needs no database."""

import random
import time

from . import engine
from .demo_data import NEEDS, RELEVANT, TECHNOLOGIES


def labelled_items():
    """(need keys, need Items, technology keys, technology Items) of the demo texts."""
    needs = [
        engine.Item(
            text=f"{n[3]}\n{n[5]}\n{n[4]}\n{n[6]}",
            area=n[2],
            offers=set(n[10]),
            regions=engine.region_tokens(n[7]),
            timeframe=n[9],
        )
        for n in NEEDS
    ]
    techs = [
        engine.Item(
            text=f"{t[2]}\n{t[4]}\n{t[3]}\n{t[5]}\n{t[9]}",
            area=t[1],
            trl=t[6],
            offers=set(t[7]),
            regions=engine.region_tokens(t[8]),
        )
        for t in TECHNOLOGIES
    ]
    return [n[0] for n in NEEDS], needs, [t[0] for t in TECHNOLOGIES], techs


def chinese_only(item):
    """The Item with only the Chinese half of its text (the cross-language case)."""
    half = item.text.split("\n")
    return engine.Item(**{**item.__dict__, "text": "\n".join(half[2:4])})


def english_only(item):
    half = item.text.split("\n")
    return engine.Item(**{**item.__dict__, "text": "\n".join(half[:2] + half[4:])})


def precision_at(k=5, cross_language=False):
    """Mean precision at ``k`` over the labelled needs (relevant among the top ``k``, divided
    by min(k, number relevant)). ``cross_language``: Chinese needs against English
    technologies."""
    need_keys, needs, tech_keys, techs = labelled_items()
    if cross_language:
        needs, techs = [chinese_only(n) for n in needs], [english_only(t) for t in techs]
    ranked = engine.rank_supply(needs, techs, top=k)
    scores = []
    for key, matches in zip(need_keys, ranked, strict=True):
        relevant = RELEVANT[key]
        hits = sum(1 for m in matches if tech_keys[m.index] in relevant)
        scores.append(hits / min(k, len(relevant)))
    return sum(scores) / len(scores)


def synthetic(n_needs=200, n_techs=2000, seed=7):
    """Many Items made by mixing the demo texts (for timing)."""
    rng = random.Random(seed)
    _keys, needs, _tkeys, techs = labelled_items()
    words = " ".join(i.text for i in needs + techs).split()

    def vary(item):
        extra = " ".join(rng.choice(words) for _ in range(30))
        return engine.Item(**{**item.__dict__, "text": f"{item.text} {extra}"})

    return (
        [vary(rng.choice(needs)) for _ in range(n_needs)],
        [vary(rng.choice(techs)) for _ in range(n_techs)],
    )


def timed_ranking(n_needs=200, n_techs=2000):
    """(wall, CPU) seconds to rank ``n_techs`` technologies for each of ``n_needs`` needs (top
    10); CPU time is what a busy machine does not inflate."""
    needs, techs = synthetic(n_needs, n_techs)
    wall, cpu = time.perf_counter(), time.process_time()
    engine.rank_supply(needs, techs, top=10)
    return time.perf_counter() - wall, time.process_time() - cpu
