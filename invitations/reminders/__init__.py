"""Nobody ghosted: the sweep and its nudges, the daily digest, the schedules and their heartbeat.

What it may import: models, clock, mail, followups, answers. See docs/design.md, "Packages".
"""
