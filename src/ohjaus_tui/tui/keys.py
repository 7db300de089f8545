"""Key hints in the UI language.

Bindings are declared in English on each screen (``id`` = ``screen.action``);
:func:`localise_bindings` swaps each description for its text in
:data:`KEY_TEXTS` (by the id's action part) when the node mounts.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from ohjaus_tui.words import N_, Texts

KEY_TEXTS: dict[str, str] = {
    # a binding's action (its id after the screen's name, or Textual's own action's
    # name): the message id of its description
    "take": N_("key.take"),
    "lead": N_("key.lead"),
    "resume": N_("key.resume"),
    "my_contacts": N_("key.my_contacts"),
    "correct": N_("key.correct"),
    "release": N_("key.release"),
    "transfer": N_("key.transfer"),
    "end": N_("key.end"),
    "reached": N_("key.reached"),
    "no_answer": N_("key.no_answer"),
    "wrong": N_("key.wrong"),
    "identify": N_("key.identify"),
    "card": N_("key.card"),
    "follow_up": N_("key.follow_up"),
    "save": N_("key.save"),
    "override": N_("key.override"),
    "back": N_("key.back"),
    "help": N_("key.help"),
    "quit": N_("key.quit"),
    "command_palette": N_("key.command_palette"),
    "focus_next": N_("key.focus_next"),
    "focus_previous": N_("key.focus_previous"),
    "copy_text": N_("key.copy_text"),
    "consult": N_("consult.key.ask"),
    "consultations": N_("consult.key.list"),
    "consult_join": N_("consult.key.join"),
}


def localise_bindings(node: DOMNode, texts: Texts) -> None:
    for key, bindings in node._bindings.key_to_bindings.items():
        localised = []
        for binding in bindings:
            name = binding.id.split(".", 1)[-1] if binding.id else ""
            if name in KEY_TEXTS:
                binding = replace(binding, description=texts(KEY_TEXTS[name]))
            localised.append(binding)
        node._bindings.key_to_bindings[key] = localised
    node.refresh_bindings()


def describe(binding: Binding, texts: Texts) -> str:
    """A binding's description in the UI language (by its id, else its action), else its own."""
    candidates = []
    if binding.id:
        candidates.append(binding.id.split(".", 1)[-1])
    candidates.append(binding.action.rsplit(".", 1)[-1].split("(", 1)[0])
    for name in candidates:
        if name in KEY_TEXTS:
            return texts(KEY_TEXTS[name])
    return binding.description
