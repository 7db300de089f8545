"""``ohjaus staffing erlang``: the calculator on the command line."""

from __future__ import annotations

import json

from tests.cli.conftest import Invoke

CHECK = ("staffing", "erlang", "--per-hour", "200", "--aht", "180", "--within", "20")


def test_json_gives_the_published_figures(ohjaus: Invoke) -> None:
    result = ohjaus(*CHECK, "--target", "0.8", "--shrinkage", "30%", "-f", "json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["model"] == "erlang_c"
    assert figures["agents"] == 14
    assert figures["service_level"] == 0.8884
    assert figures["occupancy"] == 0.7143
    assert figures["p_wait"] == 0.1741
    assert figures["asa_seconds"] == 7.8
    assert figures["positions"] == 20


def test_patience_asks_erlang_a_for_fewer_agents(ohjaus: Invoke) -> None:
    result = ohjaus(*CHECK, "--target", "80%", "--patience", "120", "-f", "json")
    figures = json.loads(result.stdout)
    assert figures["model"] == "erlang_a"
    assert figures["agents"] == 12
    assert 0 < figures["abandoned"] < 0.1


def test_the_table_speaks_the_desks_language(ohjaus: Invoke) -> None:
    result = ohjaus(*CHECK, "--target", "80 %", "--shrinkage", "0.3", language="fi")
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert "Tarvittavat vastaajat 14" in lines
    assert "Palvelutaso (vastattu 20 sekunnissa) 88,8 %" in lines
    assert "Keskimääräinen vastausaika 7,8 s" in lines
    assert "Vuoroon tarvittavat henkilöt (poissaoloja 30,0 %) 20" in lines


def test_a_bad_share_or_traffic_is_one_line(ohjaus: Invoke) -> None:
    bad = ohjaus(*CHECK, "--target", "lots", language="fi")
    assert bad.exit_code == 2
    assert bad.stderr == "ohjaus: --target lots: anna osuus, esim. 0.8 tai 80 %\n"
    none = ohjaus(
        "staffing", "erlang", "--per-hour", "0", "--aht", "180", "--within", "20", "--target", "0.8"
    )
    assert none.exit_code == 2
    assert "must be above zero" in none.stderr
    huge = ohjaus(
        "staffing",
        "erlang",
        "--per-hour",
        "9000000",
        "--aht",
        "180",
        "--within",
        "20",
        "--target",
        "0.8",
    )
    assert huge.exit_code == 2
    assert "more load than the calculator takes" in huge.stderr
