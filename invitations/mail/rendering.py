"""E-mails as a trio of templates (subject, text, HTML), rendered in one place.

templates/emails/<name>/subject.txt, body.txt and body.html each receive the same context,
plus `site_url`, so every message has both parts and absolute links. Only the HTML body is
autoescaped: the subject and the text body show what the user typed, as typed ("O'Brien", not
"O&#x27;Brien"); no mail client reads them as HTML.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def render_email(name, context):
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_text(f"emails/{name}/subject.txt", context).split())
    return RenderedEmail(
        subject=subject,
        text=render_text(f"emails/{name}/body.txt", context),
        html=render_to_string(f"emails/{name}/body.html", context),
    )


def page_url(name, pk=None):
    """The absolute link to a page (SITE_URL + its path), as an e-mail needs it."""
    return settings.SITE_URL + reverse(name, kwargs=None if pk is None else {"pk": pk})


def render_text(template_name, context):
    """A plain-text template, rendered without HTML escaping."""
    return get_template(template_name).template.render(Context(context, autoescape=False))
