"""The everyday workspace: finding invitations and clients, editing and merging clients, the calendar feed.

What it may import: models, clock, text, mail, insights. See docs/design.md, "Packages".
"""
