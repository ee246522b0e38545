"""HTML mail as plain text and its links, with lxml's HTML parser: offline, and forgiving of broken markup.

Nothing is fetched (lxml's parser loads no DTDs, images or styles) and nothing is run: scripts,
styles and the head are dropped before the text is taken, and only http(s) links are kept, so a
`javascript:` or `data:` link never reaches a page. Block elements end their line, so the text
reads as the mail did, one paragraph, table row or list item a line, cells apart.
"""

import re

from lxml import etree, html

BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "pre", "hr",
          "dd", "dt", "section", "article", "header", "footer"}
DROPPED = ("script", "style", "head", "title", "noscript", "template", "iframe", "object", "svg")
LINK = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)
PARSER = html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, encoding="utf-8")


def html_to_text(markup):
    """(text, links) of an HTML document given as a string; ("", []) when there is nothing in it."""
    try:
        root = html.document_fromstring(markup.encode("utf-8", "replace"), parser=PARSER)
    except (etree.ParserError, ValueError):
        return "", []
    for element in list(root.iter(*DROPPED)):
        element.drop_tree()
    links = web_links(root)
    for element in root.iter(*BLOCKS, "td", "th"):
        element.tail = ("\n" if element.tag in BLOCKS else " ") + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip(), links


def web_links(root):
    """The http(s) targets of the document's links, in order, once each."""
    links = []
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if LINK.fullmatch(href) and href not in links:
            links.append(href)
    return links


def text_links(text):
    """The http(s) links written out in plain text, in order, once each (a trailing full stop is not part of one)."""
    links = []
    for match in LINK.finditer(text):
        link = match.group().rstrip(".,;:!?")
        if link not in links:
            links.append(link)
    return links
