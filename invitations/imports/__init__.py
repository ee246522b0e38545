"""Importing invitations from CSV: noghost's own export read back, or any CSV through a column mapping.

What it may import: models, clock, text, followups, intake, answers, insights. See docs/design.md, "Packages".
"""
