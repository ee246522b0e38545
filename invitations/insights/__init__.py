"""What the user can learn: the dashboard's figures, its charts and the CSV exports.

What it may import: models, clock. See docs/design.md, "Packages".
"""
