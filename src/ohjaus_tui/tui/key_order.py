"""Applying keys at once, in the order they were typed.

Textual queues a key on the focused widget and resolves bindings as the key
bubbles back up, and ``Widget.focus`` moves the focus after a refresh; a fast
next key can overtake one that moves the focus or submits a field. A screen
that must not lose or misplace a key (sign-in, the contact form) defines
``route_key`` (the app calls it before anything else) and applies its keys
with these helpers, moving the focus with ``Screen.set_focus``.
"""

from __future__ import annotations

from textual import events
from textual.app import App
from textual.widgets import Input, OptionList

LIST_MOVES = {
    "up": "cursor_up",
    "down": "cursor_down",
    "home": "first",
    "end": "last",
    "pageup": "first",
    "pagedown": "last",
}
"""Moves in a short option list (page keys go to its ends)."""


def move_in_list(options: OptionList, key: str) -> bool:
    """Move the highlight of ``options`` for ``key``; False if the key is not a move."""
    action = LIST_MOVES.get(key)
    if action is None:
        return False
    if options.option_count:
        getattr(options, f"action_{action}")()
    return True


async def edit_text(app: App[object], field: Input, event: events.Key) -> bool:
    """Apply an editing key (or a typed character) to ``field`` now; False if it is neither."""
    for binding in field._bindings.key_to_bindings.get(event.key, ()):
        if await app.run_action(binding.action, field):
            return True
    if event.is_printable and event.character is not None:
        selection = field.selection
        if selection.is_empty:
            field.insert_text_at_cursor(event.character)
        else:
            field.replace(event.character, *selection)
        return True
    return False
