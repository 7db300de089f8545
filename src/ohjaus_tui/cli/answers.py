"""``ohjaus answers``: the desk's canned answers (text modules) for chat and message replies."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ohjaus_tui.cli.common import ListFormat, cli_context, console, print_json
from ohjaus_tui.errors import BadInput

app = typer.Typer(
    help="Canned answers for chat and message replies (::): add, list, remove.",
    no_args_is_help=True,
)

LANGUAGE_HELP = "fi, sv or en"


def _text_given(text: str | None, file: Path | None) -> str:
    """The text of ``--text``, or of the UTF-8 file ``--file``: exactly one of them."""
    if (text is None) == (file is None):
        raise BadInput(code="answers.text_or_file")
    if text is not None:
        return text
    assert file is not None
    from ohjaus_tui.services.textfile import decode_utf8, read_bytes

    return decode_utf8(file, read_bytes(file, code="answers.file_is_folder"))


@app.command("add")
def add(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="a short name, e.g. aukiolo")],
    language: Annotated[str, typer.Option("--language", "-l", help=LANGUAGE_HELP)],
    text: Annotated[
        str | None,
        typer.Option(
            "--text",
            help="the answer; {next_opening}, {operator} and {today} are filled as it is inserted",
        ),
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", metavar="FILE", help="read the answer from a file")
    ] = None,
) -> None:
    """Add an answer (admin); an answer with the same key and language is replaced.
    Line breaks become spaces: a reply is one line."""
    from ohjaus_tui.services.answers import add_answer

    context = cli_context(ctx)
    stored = add_answer(context.engine, key, language, _text_given(text, file), actor=context.actor)
    answer, t = stored.answer, context.texts
    if stored.replaced:
        console.print(t("cli.answers.replaced", name=answer.key, language=answer.language))
    else:
        console.print(t("cli.answers.added", name=answer.key, language=answer.language))


@app.command("list")
def list_answers(
    ctx: typer.Context,
    language: Annotated[
        str | None, typer.Option("--language", "-l", help=f"{LANGUAGE_HELP} (default: all)")
    ] = None,
    output: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.TABLE,
) -> None:
    """List the answers by key (any person of the desk)."""
    from ohjaus_tui.services.answers import list_answers as listed

    context = cli_context(ctx)
    answers = listed(context.engine, actor=context.actor, language=language)
    if output is ListFormat.JSON:
        print_json(
            [
                {
                    "key": a.key,
                    "language": a.language,
                    "text": a.text,
                    "updated_at": a.updated_at.isoformat() if a.updated_at else None,
                }
                for a in answers
            ]
        )
        return
    t = context.texts
    if not answers:
        console.print(t("cli.answers.none"))
        return
    table = Table(t("cli.answers.key"), t("cli.answers.language"), t("cli.answers.text"), box=None)
    for answer in answers:
        table.add_row(answer.key, answer.language, answer.text)
    console.print(table)


@app.command("remove")
def remove(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="the answer's short name")],
    language: Annotated[str, typer.Option("--language", "-l", help=LANGUAGE_HELP)],
) -> None:
    """Remove an answer (admin)."""
    from ohjaus_tui.services.answers import remove_answer

    context = cli_context(ctx)
    removed = remove_answer(context.engine, key, language, actor=context.actor)
    console.print(context.texts("cli.answers.removed", name=removed.key, language=removed.language))
