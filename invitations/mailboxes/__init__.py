"""Reading the user's own mailbox over IMAP (docs/design.md, rule 11): signing in (connection.py),
the scheduled sync with its claim and watermarks (sync.py), handing each message to capture and
each reply from the Sent folder to intake/replies.py.

What it may import: models, vault, clock, text, intake. See docs/design.md, "Packages".
"""
