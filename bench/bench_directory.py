"""How fast the service directory imports and searches at county scale.

    .venv/bin/python bench/bench_directory.py [--services 10000] [--db URL]

Generates a directory of N services (names, keywords and municipalities in
the style of ``data/directory_sample.csv``), imports it into a fresh
temporary SQLite database (or ``--db``, which must be empty), imports it
again (all unchanged), and then times :class:`DirectorySearch` per keystroke
as an operator types 1-6 letters of typical words: "cold" is a query on its
own, "typing" is the sequence k, ko, kot ... that the referral picker sees.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ohjaus_tui.domain.codes import Role
from ohjaus_tui.domain.directory import COLUMNS
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.database import open_desk
from ohjaus_tui.services.directory import DirectorySearch, import_directory

if TYPE_CHECKING:
    from bench.runner import Figures

SMOKE = ["--services", "40"]
"""A run small enough for the test suite (see bench/runner.py)."""

MUNICIPALITIES = (
    ("Kokkola", "Karleby"),
    ("Kannus", "Kannus"),
    ("Kaustinen", "Kaustby"),
    ("Veteli", "Vetil"),
    ("Perho", "Perho"),
    ("Halsua", "Halsua"),
    ("Lestijärvi", "Lestijärvi"),
    ("Toholampi", "Toholampi"),
)
KINDS = (
    ("Kotihoito", "Hemvård", "older_people", "kotihoito;kotipalvelu;hemvård;lääkehoito"),
    ("Terveysasema", "Hälsostation", "health", "terveyskeskus;lääkäri;hoitaja;mottagning"),
    ("Lastenneuvola", "Barnrådgivning", "children_families", "neuvola;rokotus;barnrådgivning"),
    ("Aikuissosiaalityö", "Socialt arbete för vuxna", "working_age", "toimeentulotuki;asunto"),
    ("Vammaispalvelut", "Handikappservice", "disability", "vammainen;kuljetuspalvelu;tulkki"),
    ("Mielenterveyspalvelut", "Mentalvårdstjänster", "mental_substance", "masennus;ahdistus"),
    ("Päivystys", "Jour", "urgent", "päivystys;kiireellinen;akut;jour"),
    ("Omaishoidon tuki", "Stöd för närståendevård", "older_people", "omaishoitaja;vapaapäivä"),
    ("Perheneuvola", "Familjerådgivning", "children_families", "perhe;kasvatus;parisuhde"),
    ("Fysioterapia", "Fysioterapi", "health", "selkäkipu;kuntoutus;rehabilitering"),
)
PROVIDERS = ("county", "municipality", "third_sector", "kela", "private", "parish")
T = TypeVar("T")

QUERIES = ("kotihoito", "neuvola", "aikuis", "hemvard", "terveys", "kokkola", "päivys", "omais")


def generate(path: Path, count: int, rng: random.Random) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
        stream.write(f"# {count} generated services for bench/bench_directory.py\n")
        writer.writeheader()
        for n in range(count):
            name_fi, name_sv, segment, keywords = KINDS[n % len(KINDS)]
            town_fi, town_sv = MUNICIPALITIES[rng.randrange(len(MUNICIPALITIES))]
            writer.writerow(
                {
                    "code": f"bench-{n:05d}",
                    "name_fi": f"{name_fi}, {town_fi}, yksikkö {n}",
                    "name_sv": f"{name_sv}, {town_sv}, enhet {n}",
                    "segment": segment,
                    "provider_type": PROVIDERS[n % len(PROVIDERS)],
                    "municipality": town_fi,
                    "phone": f"06 8{rng.randrange(10**6):06d}",
                    "url": f"https://palvelut.example/{n}",
                    "email": f"palvelu{n}@mail.example",
                    "hours": "ma-pe 8-16",
                    "description": f"{name_fi} palvelee alueen asukkaita ({n}).",
                    "keywords": keywords,
                }
            )


def timed(action: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def spread(samples_ms: list[float]) -> tuple[float, float, float]:
    """Mean, 95th percentile (nearest rank) and maximum."""
    ordered = sorted(samples_ms)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return statistics.fmean(ordered), p95, ordered[-1]


def summary(samples_ms: list[float]) -> str:
    mean, p95, most = spread(samples_ms)
    return f"mean {mean:6.2f} ms, p95 {p95:6.2f} ms, max {most:6.2f} ms"


def main(argv: list[str] | None = None) -> Figures:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--db", help="an empty database URL [default: a temporary SQLite file]")
    args = parser.parse_args(argv)
    rng = random.Random(20240601)
    actor = Actor("bench", role=Role.ADMIN)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "directory.csv"
        generate(path, args.services, rng)
        url = args.db or f"sqlite:///{Path(folder) / 'bench.db'}"
        engine = open_desk(url)
        try:
            first, new_seconds = timed(lambda: import_directory(engine, path, actor=actor))
            print(f"import {first.rows} services (new):     {new_seconds:6.2f} s ", end="")
            print(f"({first.created} created)")
            again, again_seconds = timed(lambda: import_directory(engine, path, actor=actor))
            print(
                f"import {again.rows} services (again):   {again_seconds:6.2f} s "
                f"({again.unchanged} unchanged)"
            )
            search, load_seconds = timed(lambda: DirectorySearch.load(engine))
            print(f"load DirectorySearch ({len(search)}):   {load_seconds * 1000:6.0f} ms")
        finally:
            engine.dispose()

    prefixes = [word[:n] for word in QUERIES for n in range(1, 7)]
    cold: list[float] = []
    for prefix in prefixes:
        search.search("qqqqqq")  # matches nothing, and no query narrows from it
        _, seconds = timed(partial(search.search, prefix))
        cold.append(seconds * 1000)
    typing: list[float] = []
    for _ in range(5):
        for prefix in prefixes:
            _, seconds = timed(partial(search.search, prefix))
            typing.append(seconds * 1000)
    print(f"search, cold query (1-6 letters):   {summary(cold)}")
    print(f"search, per keystroke while typing: {summary(typing)}")
    cold_mean, cold_p95, _ = spread(cold)
    typing_mean, typing_p95, typing_max = spread(typing)
    return {
        "import_new_seconds": {"value": new_seconds, "unit": "s"},
        "import_again_seconds": {"value": again_seconds, "unit": "s"},
        "load_search_ms": {"value": load_seconds * 1000, "unit": "ms"},
        "cold_query_mean_ms": {"value": cold_mean, "unit": "ms"},
        "cold_query_p95_ms": {"value": cold_p95, "unit": "ms"},
        "keystroke_mean_ms": {"value": typing_mean, "unit": "ms"},
        "keystroke_p95_ms": {"value": typing_p95, "unit": "ms"},
        "keystroke_max_ms": {"value": typing_max, "unit": "ms"},
    }


if __name__ == "__main__":
    main()
