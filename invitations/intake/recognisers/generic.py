"""A person writing directly: asking for an interview, a call or a quote. Never sure, so always
for review: the sender is the client, their domain the company (unless it is a mail provider's),
the subject the title, the first lines the notes. Bulk mail (a list, a newsletter) is none."""

import re

from invitations.intake.reading import one_line
from invitations.intake.recognisers.base import INVITATION, OTHER, Recognition, patterns

ASKING = patterns(
    r"\binterview", r"\b(a|quick|short|video|phone) call\b", r"\bquote\b", r"\bproposal\b", r"\bfreelance",
    r"\bcontract(or)?\b", r"\bhire\b", r"\bavailab(le|ility)\b", r"\bproject\b",
    r"面談|面接|お見積|業務委託|ご相談",  # Japanese: interview, quote, contract work, consultation
    r"مقابلة|عرض سعر|مكالمة",  # Arabic: interview, price quote, call
    r"ראיון|הצעת מחיר|שיחה",  # Hebrew: interview, price quote, call
    r"\bentretien\b|\bdevis\b|\bmission\b|Vorstellungsgespräch|\bAngebot\b",
)
PROVIDERS = {"gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com", "icloud.com",
             "me.com", "gmx.de", "gmx.net", "web.de", "posteo.de", "proton.me", "protonmail.com", "aol.com",
             "fastmail.com", "mail.com", "yandex.ru", "t-online.de"}
SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "ne", "or"}
REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|aw|wg|tr)\s*:\s*)+", re.IGNORECASE)


def recognise(reading, *, received_at, zone):
    if "list-unsubscribe" in reading.headers or reading.headers.get("precedence", "").lower() in ("bulk", "list"):
        return Recognition("generic", OTHER, reason="newsletter or mailing list")
    haystack = f"{reading.subject}\n{reading.text[:5000]}"
    if not any(pattern.search(haystack) for pattern in ASKING):
        return Recognition("generic", OTHER, reason="no invitation wording")
    fields = {
        "client": reading.sender_name or reading.sender.partition("@")[0], "company": company_of(reading.sender),
        "email": reading.sender, "title": one_line(REPLY_PREFIX.sub("", reading.subject), 200),
        "notes": reading.text[:2000].strip(),
    }
    return Recognition("generic", INVITATION, "direct", fields={k: v for k, v in fields.items() if v})


def company_of(address):
    """"Atelier Nord" from sophie@atelier-nord.de, "Sakura Soft" from k.sato@sakura-soft.co.jp; "" for a mail provider's."""
    domain = address.rpartition("@")[2].lower()
    if not domain or domain in PROVIDERS:
        return ""
    labels = domain.split(".")
    name = labels[-3] if len(labels) >= 3 and labels[-2] in SECOND_LEVEL else labels[-2] if len(labels) >= 2 else labels[0]
    return " ".join(word.capitalize() for word in re.split(r"[-_]", name) if word)[:200]
