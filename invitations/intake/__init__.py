"""Getting invitations in: the one logging function (log.py) behind the form, the admin and the command.

What it may import: models, text, clock, followups. See docs/design.md, "Packages".
"""
