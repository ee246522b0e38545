"""Keeping the database well: backups and restores, and fresh query-planner statistics.

What it may import: models. See docs/design.md, "Packages".
"""
