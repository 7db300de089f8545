"""The report for people and programs: its numbers and codes worded and drawn per format.

The services return numbers and codes; this package words them (code labels
from the code book, its own words from the catalogues) and writes them as
JSON, CSV, Markdown or a Rich table. The CLI uses it; it uses the services
and the domain, never the workstation (``tui``) nor the CLI.
"""
