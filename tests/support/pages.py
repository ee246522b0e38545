"""Reading pages in tests: the text a person sees, entities decoded."""

import html


def page(response):
    return html.unescape(response.content.decode())
