"""The admin as a working tool: every list scoped to its owner, adds through the domain.

Importing the package registers every model admin (Django's autodiscover imports it).
"""

from invitations.admin import invitations, mailboxes, people, system  # noqa: F401  (each registers its models)
