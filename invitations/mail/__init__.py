"""Sending e-mail: the outbox that makes every message a row first, and how messages are rendered.

What it may import: models, vault. See docs/design.md, "Packages".
"""
