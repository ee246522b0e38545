"""Answering an invitation: respond(), the composer's drafts, withdrawals and busy periods.

What it may import: models, text, clock, followups. See docs/design.md, "Packages".
"""
