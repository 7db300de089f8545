"""How fast the directory imports from the national service catalogue (PTV), and searches.

    .venv/bin/python bench/bench_ptv.py [--documents 20000] [--db URL]

Imports the sample export in ``docs/examples/ptv-sample`` into a fresh temporary
SQLite database (or ``--db``, which must be empty), then an export of N
synthetic documents made from it (each service and channel of the sample
copied under new ids, with its name numbered, four channels for every
service), first new and then again (all unchanged). The floor of each import
is the time it takes only to read and parse the same files as JSON. Then
:class:`DirectorySearch` is timed per keystroke on the imported directory, as
an operator types 1-6 letters of typical words (the goal: under 10 ms at p95).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: bench.bench_directory is importable
    sys.path.insert(0, str(ROOT))

from bench.bench_directory import spread, summary  # noqa: E402

from ohjaus_tui.domain.codes import Role  # noqa: E402
from ohjaus_tui.services.actor import Actor  # noqa: E402
from ohjaus_tui.services.database import open_desk  # noqa: E402
from ohjaus_tui.services.directory import DirectorySearch  # noqa: E402
from ohjaus_tui.services.ptv_import import import_ptv  # noqa: E402

if TYPE_CHECKING:
    from bench.runner import Figures

SMOKE = ["--documents", "100"]
"""A run small enough for the test suite (see bench/runner.py)."""

SAMPLE = ROOT / "docs" / "examples" / "ptv-sample"
QUERIES = ("kotihoito", "neuvola", "mielenter", "hammas", "naantali", "päivys", "vammais")
CHANNELS_PER_SERVICE = 4
T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def parse_floor(folder: Path) -> float:
    """Seconds to read and parse every JSON file of an export: what an import cannot beat."""
    start = time.perf_counter()
    for path in sorted(folder.rglob("*.json")):
        json.loads(path.read_bytes())
    return time.perf_counter() - start


def synthetic(folder: Path, documents: int, rng: random.Random) -> None:
    """An export of ``documents`` documents made from the sample's services and channels."""
    services = [json.loads(p.read_bytes()) for p in sorted(SAMPLE.glob("services/*.json"))]
    channels = [json.loads(p.read_bytes()) for p in sorted(SAMPLE.glob("servicechannels/*.json"))]
    for name in ("services", "servicechannels", "organizations"):
        (folder / name).mkdir(parents=True)
    for path in SAMPLE.glob("organizations/*.json"):
        (folder / "organizations" / path.name).write_bytes(path.read_bytes())
    count = max(1, documents // (1 + CHANNELS_PER_SERVICE))
    for n in range(count):
        service: dict[str, Any] = json.loads(json.dumps(services[n % len(services)]))
        service["id"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        for name in service.get("serviceNames") or []:
            name["value"] = f"{name['value']} {n}"
        links = []
        for _ in range(CHANNELS_PER_SERVICE):
            channel: dict[str, Any] = json.loads(json.dumps(rng.choice(channels)))
            channel["id"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            (folder / "servicechannels" / f"{channel['id']}.json").write_text(
                json.dumps(channel, ensure_ascii=False), "utf-8"
            )
            links.append({"serviceChannel": {"id": channel["id"], "name": None}})
        service["serviceChannels"] = links
        (folder / "services" / f"{service['id']}.json").write_text(
            json.dumps(service, ensure_ascii=False), "utf-8"
        )


def main(argv: list[str] | None = None) -> Figures:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--db", help="an empty database URL [default: a temporary SQLite file]")
    args = parser.parse_args(argv)
    rng = random.Random(20261203)
    actor = Actor("bench", role=Role.ADMIN)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        export = folder / "export"
        synthetic(export, args.documents, rng)
        written = sum(1 for _ in export.rglob("*.json"))
        url = args.db or f"sqlite:///{folder / 'bench.db'}"
        engine = open_desk(url)
        try:
            sample_floor = parse_floor(SAMPLE)
            sample, sample_seconds = timed(lambda: import_ptv(engine, SAMPLE, actor=actor))
            print(
                f"import the sample ({sample.documents} documents): {sample_seconds:6.2f} s, "
                f"{sample.created} created (reading the JSON alone: {sample_floor:5.2f} s)"
            )
            floor = parse_floor(export)
            first, new_seconds = timed(lambda: import_ptv(engine, export, actor=actor))
            print(
                f"import {written} documents (new):   {new_seconds:6.2f} s, "
                f"{first.created} created, {sum(first.skipped.values())} skipped "
                f"(reading the JSON alone: {floor:5.2f} s)"
            )
            again, again_seconds = timed(lambda: import_ptv(engine, export, actor=actor))
            print(
                f"import {written} documents (again): {again_seconds:6.2f} s, "
                f"{again.unchanged} unchanged"
            )
            if again.created or again.updated:
                raise SystemExit("a second import of the same export changed services")
            search, load_seconds = timed(lambda: DirectorySearch.load(engine))
            print(f"load DirectorySearch ({len(search)}):   {load_seconds * 1000:6.0f} ms")
        finally:
            engine.dispose()

    prefixes = [word[:n] for word in QUERIES for n in range(1, 7)]
    typing: list[float] = []
    for _ in range(5):
        for prefix in prefixes:
            _, seconds = timed(partial(search.search, prefix))
            typing.append(seconds * 1000)
    print(f"search, per keystroke while typing: {summary(typing)}")
    typing_mean, typing_p95, _ = spread(typing)
    return {
        "sample_parse_seconds": {"value": sample_floor, "unit": "s"},
        "sample_import_seconds": {
            "value": sample_seconds,
            "unit": "s",
            "against": "sample_parse_seconds",
        },
        "parse_seconds": {"value": floor, "unit": "s"},
        "import_new_seconds": {"value": new_seconds, "unit": "s", "against": "parse_seconds"},
        "import_again_seconds": {"value": again_seconds, "unit": "s", "against": "parse_seconds"},
        "services_searched": {"value": float(len(search)), "unit": "services"},
        "keystroke_mean_ms": {"value": typing_mean, "unit": "ms"},
        "keystroke_p95_ms": {"value": typing_p95, "unit": "ms"},
    }


if __name__ == "__main__":
    main()
