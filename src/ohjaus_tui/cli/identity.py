"""``ohjaus identity``: the county's identity proxy that vouches for residents (admin)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ohjaus_tui.cli.common import ListFormat, cli_context, console, print_json
from ohjaus_tui.errors import BadInput

app = typer.Typer(
    help="The identity proxy that vouches for residents (admin): set, show.",
    no_args_is_help=True,
)


@app.command("set")
def set_identity(
    ctx: typer.Context,
    public_key: Annotated[
        Path,
        typer.Option(
            "--public-key",
            metavar="FILE",
            help="the proxy's public key or certificate, PEM (RSA, EC P-256/384/521, Ed25519)",
        ),
    ],
    login_url: Annotated[
        str,
        typer.Option("--login-url", metavar="URL", help="where a resident is sent to identify"),
    ],
    issuer: Annotated[
        str | None, typer.Option("--issuer", help="the assertions' iss, checked when given")
    ] = None,
    audience: Annotated[
        str | None, typer.Option("--audience", help="the assertions' aud, checked when given")
    ] = None,
    minutes: Annotated[
        int,
        typer.Option("--minutes", help="how long a resident stays identified on the pages"),
    ] = 30,
) -> None:
    """Trust the proxy whose public key FILE holds: its signed assertions identify
    residents on the desk's pages. Replaces the proxy the desk had; audited."""
    from ohjaus_tui.services.identity import set_identity as stored

    context = cli_context(ctx)
    try:
        key_file = public_key.read_bytes()
    except OSError:
        raise BadInput(code="ident.no_key_file", path=str(public_key)) from None
    proxy = stored(
        context.engine,
        key_file=key_file,
        login_url=login_url,
        issuer=issuer,
        audience=audience,
        minutes=minutes,
        actor=context.actor,
    )
    console.print(
        context.texts("ident.cli.set", fingerprint=proxy.fingerprint[:16]), highlight=False
    )


@app.command("show")
def show(
    ctx: typer.Context,
    output: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.TABLE,
) -> None:
    """Show the proxy the desk trusts: its key's fingerprint, the checks and the login."""
    from ohjaus_tui.services.identity import show_identity

    context = cli_context(ctx)
    proxy = show_identity(context.engine, actor=context.actor)
    if output is ListFormat.JSON:
        print_json(
            None
            if proxy is None
            else {
                "fingerprint": proxy.fingerprint,
                "algorithms": list(proxy.algorithms),
                "login_url": proxy.login_url,
                "issuer": proxy.issuer,
                "audience": proxy.audience,
                "minutes": proxy.minutes,
                "public_key": proxy.public_key,
            }
        )
        return
    t = context.texts
    if proxy is None:
        console.print(t("ident.cli.none"))
        return
    table = Table(show_header=False, box=None)
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    not_checked = t("ident.cli.not_checked")
    for label, value in (
        (t("ident.cli.fingerprint"), proxy.fingerprint),
        (t("ident.cli.algorithms"), ", ".join(proxy.algorithms)),
        (t("ident.cli.login_url"), proxy.login_url),
        (t("ident.cli.issuer"), proxy.issuer or not_checked),
        (t("ident.cli.audience"), proxy.audience or not_checked),
        (t("ident.cli.minutes"), str(proxy.minutes)),
    ):
        table.add_row(label, value)
    console.print(table)
