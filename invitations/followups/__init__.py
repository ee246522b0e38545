"""What the user owes someone: opening and closing follow-ups, reconnects, snoozes, the agenda, history.

What it may import: models, clock, text. See docs/design.md, "Packages".
"""
