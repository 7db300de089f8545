"""The HTTP gateway: the platforms' API over the same services as the CLI and the TUI.

Nothing here touches the database layer; ``ohjaus serve`` imports it on start.
"""
