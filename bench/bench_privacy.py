"""What the identity-code guard costs: false positives on everyday text, and time.

    .venv/bin/python bench/bench_privacy.py [--sentences 300000] [--seed 1]

Generates sentences as a desk writes them, dense with numbers: phone numbers
in their Finnish groupings, dates, times, amounts, reference and order
numbers, room numbers. Counts how many the guard takes for identity codes,
beside the guard of before (a code only between word boundaries, read as
typed), which is the level to keep; with ``--near-codes`` the sentences also
hold 10-character near-codes (``250562-678``) followed by other numbers, the
hardest ordinary text there is. Then times the guard per 500-character text,
as a ratio to the floor of one plain regular-expression scan of the same text.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from ohjaus_tui.domain.privacy import _CODE, find_henkilotunnus, is_valid_henkilotunnus

if TYPE_CHECKING:
    from bench.runner import Figures

BEFORE = re.compile(rf"(?<![^\W_]){_CODE}(?![^\W_])")
"""The guard of before: the plain form only, between word boundaries."""
SMOKE = ["--sentences", "2000"]
"""A run small enough for the test suite (see bench/runner.py)."""
PREFIXES = ("040", "041", "044", "045", "046", "050", "09", "02", "03", "013", "017", "020")


def guard_before(text: str) -> bool:
    return any(is_valid_henkilotunnus(match.group()) for match in BEFORE.finditer(text))


def sentence(rng: random.Random, *, near_codes: bool) -> str:
    def digits(size: int) -> str:
        return "".join(rng.choice("0123456789") for _ in range(size))

    forms = [
        f"puh. {rng.choice(PREFIXES)} {digits(3)} {digits(4)}",
        f"{rng.choice(PREFIXES)}-{digits(3)} {digits(4)}",
        f"{rng.choice(PREFIXES)} {digits(3)}-{digits(4)}",
        f"+358 {digits(2)} {digits(3)} {digits(4)}",
        f"{rng.randint(1, 28)}.{rng.randint(1, 12)}.20{digits(2)}",
        f"{digits(2)}.{digits(2)}.{digits(2)}",
        f"klo {rng.randint(7, 20)}.{digits(2)}-{rng.randint(7, 20)}.{digits(2)}",
        f"{digits(1)} {digits(3)},{digits(2)} €",
        f"viite {digits(4)} {digits(4)} {digits(4)}",
        f"nro {digits(7)}-{digits(1)}",
        f"{digits(3)} {digits(3)} {digits(3)}",
        f"asiakasnro {digits(6)}",
        f"huone {rng.choice('ABCDEF')} {digits(3)}",
        f"lähete {digits(4)}/{digits(6)}",
        "Asiakas kysyi rokotuksista",
        "Klienten ringde om hemvården",
        "kiitos",
        "tai",
    ]
    if near_codes:
        forms.append(f"{digits(6)}-{digits(3)}")
    return " ".join(rng.choice(forms) for _ in range(rng.randint(2, 6)))


def false_positives(count: int, seed: int, *, near_codes: bool) -> tuple[int, int]:
    """How many of ``count`` sentences the guard of before, and the guard now, flag."""
    rng = random.Random(seed)
    before = now = 0
    for _ in range(count):
        text = sentence(rng, near_codes=near_codes)
        before += guard_before(text)
        now += bool(find_henkilotunnus(text))
    return before, now


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> Figures:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sentences", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    figures: Figures = {}
    for near in (False, True):
        before, now = false_positives(args.sentences, args.seed, near_codes=near)
        kind = "with near-codes" if near else "everyday"
        print(
            f"{kind}: {args.sentences} sentences, flagged before {before} "
            f"({before / args.sentences:.4%}), now {now} ({now / args.sentences:.4%})"
        )
        name = f"false_positives_{'near' if near else 'everyday'}"
        figures[name] = {"value": now, "unit": "sentences", "against": f"{name}_before"}
        figures[f"{name}_before"] = {"value": before, "unit": "sentences"}
    text = (
        "Asiakas soitti ja kysyi influenssarokotuksesta, aika varattu 12.11.2024 klo 9.30. "
        "Soita 040 123 4567. "
    ) * 5
    loops = max(10, args.sentences // 100)
    guard = best_of(5, lambda: [find_henkilotunnus(text) for _ in range(loops)]) / loops
    floor = best_of(5, lambda: [list(re.finditer(_CODE, text)) for _ in range(loops)]) / loops
    print(
        f"guard: {guard * 1e6:.0f} us per {len(text)}-character text, "
        f"{guard / floor:.1f}x one plain regular-expression scan ({floor * 1e6:.1f} us)"
    )
    figures["guard_us"] = {"value": guard * 1e6, "unit": "us", "against": "plain_scan_us"}
    figures["plain_scan_us"] = {"value": floor * 1e6, "unit": "us"}
    return figures


if __name__ == "__main__":
    main()
