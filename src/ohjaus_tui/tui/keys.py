"""Key hints in the UI language.

Bindings are declared in English on each screen (``id`` = ``screen.action``);
:func:`localise_bindings` swaps each description for the text
``key.<action>`` of the UI language when the node mounts.
"""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from ohjaus_tui.tui.i18n import STRINGS, Texts


def localise_bindings(node: DOMNode, texts: Texts) -> None:
    for key, bindings in node._bindings.key_to_bindings.items():
        localised = []
        for binding in bindings:
            text_key = f"key.{binding.id.split('.', 1)[-1]}" if binding.id else ""
            if text_key in STRINGS:
                binding = replace(binding, description=texts(text_key))
            localised.append(binding)
        node._bindings.key_to_bindings[key] = localised
    node.refresh_bindings()
