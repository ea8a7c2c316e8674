"""Ticket text for the synthetic organisation: templates, slot fillers and realistic noise.

Everything here is data plus one renderer.  A template is an ordinary ``str.format`` string
whose ``{slots}`` are filled lazily by :class:`_Slots`: the first use of a slot in a ticket
draws a value, later uses in the same ticket reuse it (so the product named in the subject
is the one the body complains about).  Filler values may themselves contain slots.

The category of a ticket is never written anywhere but into its wording: fairlane has to
find urgency, legal threats, refunds and outages from the text alone.
"""

from __future__ import annotations

from bisect import bisect
from collections.abc import Callable
from datetime import datetime, timedelta
from itertools import accumulate
from random import Random
from typing import TypeVar

from fairlane.demo.synthetic_kinds import CALM_KINDS, CATEGORY_WEIGHTS, Kind
from fairlane.demo.synthetic_kinds_alarm import ALARM_KINDS
from fairlane.demo.synthetic_words import FILLERS, FIRST_NAMES, LAST_NAMES, TITLES

__all__ = [
    "CATEGORY_WEIGHTS",
    "FIRST_NAMES",
    "LAST_NAMES",
    "PRODUCTS",
    "TITLES",
    "compose",
    "pick_category",
]

KINDS: dict[str, Kind] = {**CALM_KINDS, **ALARM_KINDS}
_CATS = tuple(CATEGORY_WEIGHTS)
_CAT_CUM = tuple(accumulate(CATEGORY_WEIGHTS.values()))

# Typos in the words triage keys on (first match in the body is mangled), then generic ones.
_TYPOS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("lawyer", ("lawer", "laywer")),
    ("legal", ("leagal", "legel")),
    ("breach of contract", ("breech of contract", "breach of contarct")),
    ("data breach", ("databreach", "data breech")),
    ("chargeback", ("chargebak", "charge back")),
    ("refund", ("refnd", "reufnd")),
    ("money back", ("mony back",)),
    ("dispute", ("dipsute", "disput")),
    ("unauthorized", ("unathorized", "unauthorised")),
    ("suspicious", ("suspicous", "suspcious")),
    ("disappeared", ("dissapeared", "disapeared")),
    ("outage", ("outtage", "outag")),
    ("production is down", ("prod is down", "production is dwn")),
    (" down", (" dwon",)),
    ("urgent", ("urgnet", "ugrent")),
    ("exposed", ("exposd",)),
    ("can't log in", ("cant login", "cnat log in")),
    ("unacceptable", ("unacceptible",)),
    ("injured", ("injred",)),
    ("threatening", ("threatning",)),
)
_GENERIC_TYPOS = (
    ("the ", "teh "),
    ("receive", "recieve"),
    ("please", "pls"),
    ("I'm ", "im "),
    ("can't", "cant"),
    ("because", "becuase"),
    ("really", "realy"),
)
_URGENT_KINDS = frozenset({"legal", "refund", "security", "data_loss", "outage", "safety"})
_CALM_KINDS = frozenset({"how_to", "billing", "account_change", "feature_request"})
# Calm tickets that mention scary words: triage must not escalate these.
_TRAPS = (
    "Also, our legal team asked for a copy of your DPA, could you send it over?",
    "Separately, our security team is doing a vendor review and needs your SOC 2 report.",
    "Our legal team will want to review the updated order form.",
    "Unrelated, but how do we record chargebacks from our own customers in {product}?",
    "We also keep getting the outage notification emails from last month's maintenance, "
    "can those be turned off?",
    "For our security review, is there a way to see failed login attempts in the audit log?",
    "Our lawyer asked where your data is hosted, EU or US?",
    "Can we get a refund policy document for our procurement file?",
)
_T = TypeVar("_T")


class _Slots(dict[str, str]):
    """Lazy slot values for one ticket: drawn on first use, stable afterwards."""

    __slots__ = ("created", "rng")

    def __init__(self, rng: Random, created: datetime, fixed: dict[str, str]) -> None:
        super().__init__(fixed)
        self.rng = rng
        self.created = created

    def __missing__(self, key: str) -> str:
        value = _GEN[key](self)
        if "{" in value:
            value = value.format_map(self)
        self[key] = value
        return value


def _pick(seq: tuple[_T, ...], rng: Random) -> _T:
    return seq[int(rng.random() * len(seq))]


def _chooser(name: str) -> Callable[[_Slots], str]:
    seq = FILLERS[name]
    return lambda s: seq[int(s.rng.random() * len(seq))]


def _date(s: _Slots, sign: int) -> str:
    r = s.rng
    day = s.created + timedelta(days=sign * r.randint(1, 20))
    style = r.randrange(6)
    if style == 0:
        return f"{day:%B} {day.day}"
    if style == 1:
        return f"{day.day} {day:%B}"
    if style == 2:
        return day.date().isoformat()
    if style == 3:
        return f"{day:%m/%d/%Y}"
    if style == 4:
        return f"{day:%A} {day.day} {day:%b}"
    return f"{day:%b} {day.day}"


def _clock(s: _Slots) -> str:
    r = s.rng
    hour, minute = r.randint(6, 18), r.choice((0, 5, 10, 15, 20, 30, 40, 45, 50))
    if r.random() < 0.5:
        return f"{hour:02d}:{minute:02d}"
    suffix = "am" if hour < 12 else "pm"
    h12 = hour if hour <= 12 else hour - 12
    return f"{h12}{suffix}" if minute == 0 else f"{h12}:{minute:02d}{suffix}"


def _amount(s: _Slots) -> str:
    r = s.rng
    value = round(r.lognormvariate(7.0, 1.1), 2 if r.random() < 0.6 else 0)
    sign = _pick(("$", "$", "$", "EUR ", "£"), r)
    return f"{sign}{value:,.2f}" if value % 1 else f"{sign}{int(value):,}"


def _docs_url(s: _Slots) -> str:
    return "https://docs.example.com/" + _pick(
        (
            "sso",
            "exports",
            "webhooks",
            "api/auth",
            "billing/invoices",
            "permissions",
            "imports",
            "automations/triggers",
        ),
        s.rng,
    )


def _app_url(s: _Slots) -> str:
    r = s.rng
    path = _pick(
        (
            "reports",
            "workspaces",
            "dashboards",
            "settings/billing",
            "admin/users",
            "forms",
            "api/v2/records",
            "integrations",
            "login",
        ),
        r,
    )
    return f"https://app.example.com/{path}/{r.randint(1000, 99999)}"


def _phone(s: _Slots) -> str:
    r = s.rng
    if r.random() < 0.6:
        return f"+1 ({r.randint(201, 989)}) 555-01{r.randint(0, 99):02d}"
    return f"+44 20 7946 0{r.randint(0, 999):03d}"


def _colleague_full(s: _Slots) -> str:
    return f"{s['colleague']} {_pick(LAST_NAMES, s.rng)}"


def _colleague_email(s: _Slots) -> str:
    return f"{s['colleague'].lower()}@{s['domain']}"


def _n2(s: _Slots) -> str:
    return str(int(s.rng.lognormvariate(3.2, 0.8)) + 3)


PRODUCTS = FILLERS["product"]
_NETS = ("203.0.113", "198.51.100", "192.0.2")  # documentation ranges (RFC 5737)

_GEN: dict[str, Callable[[_Slots], str]] = {name: _chooser(name) for name in FILLERS}
_GEN.update(
    {
        "clock": _clock,
        "amount": _amount,
        "app_url": _app_url,
        "docs_url": _docs_url,
        "phone": _phone,
        "date": lambda s: _date(s, -1),
        "fdate": lambda s: _date(s, 1),
        "error": lambda s: f"E{s.rng.randint(1000, 1999)}",
        "order": lambda s: f"ORD-{s.rng.randint(100000, 999999)}",
        "invoice": lambda s: f"INV-{s.created.year}-{s.rng.randint(10000, 99999)}",
        "ticket_ref": lambda s: f"#{s.rng.randint(20000, 480000)}",
        "po": lambda s: str(s.rng.randint(400000, 499999)),
        "reqid": lambda s: f"req_{s.rng.getrandbits(48):012x}",
        "hex4": lambda s: f"{s.rng.getrandbits(16):04x}",
        "ip": lambda s: f"{_pick(_NETS, s.rng)}.{s.rng.randint(2, 254)}",
        "n": lambda s: str(s.rng.randint(2, 9)),
        "n2": _n2,
        "colleague": lambda s: _pick(FIRST_NAMES, s.rng),
        "colleague_full": _colleague_full,
        "colleague_email": _colleague_email,
        "agent_first": lambda s: _pick(FIRST_NAMES, s.rng),
        "title": lambda s: _pick(TITLES, s.rng),
    }
)


def pick_category(rng: Random) -> str:
    return _CATS[bisect(_CAT_CUM, rng.random() * _CAT_CUM[-1])]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


_DETAIL_COUNTS = (0, 1, 1, 1, 2, 2, 3)


def _sentences(rng: Random, kind: Kind, core: str, angry: bool, budget: int) -> list[str]:
    out = [core]
    details = kind.details
    for _ in range(_DETAIL_COUNTS[int(rng.random() * 7)] if budget > 1 else 0):
        d = _pick(details, rng)
        if d not in out:
            out.append(d)
    if angry:
        out.append("{angry}")
        if rng.random() < 0.3:
            out.insert(1, _pick(FILLERS["angry"], rng))
    if rng.random() < 0.45:
        out.append(_pick(kind.asks, rng))
    return out[:budget]


def _signature(rng: Random) -> str:
    roll = rng.random()
    if roll < 0.25:
        return "{first}"
    if roll < 0.45:
        return "{first} {last}"
    if roll < 0.65:
        return "{first} {last}\n{title} | {company}"
    if roll < 0.8:
        return "{first} {last}\n{title}\n{company}\n{phone}"
    if roll < 0.88:
        return "{first}\n\nSent from my iPhone"
    if roll < 0.95:
        return "-- {first}"
    return (
        "{first} {last} | {company}\nThis message may contain confidential or legally "
        "privileged information. If you are not the intended recipient, please delete it."
    )


def _typo(rng: Random, subject: str, body: str) -> tuple[str, str]:
    lower = body.lower()
    for word, variants in _TYPOS:
        at = lower.find(word)
        if at >= 0:
            body = body[:at] + _pick(variants, rng) + body[at + len(word) :]
            subj_at = subject.lower().find(word)
            if subj_at >= 0 and rng.random() < 0.5:
                subject = subject[:subj_at] + _pick(variants, rng) + subject[subj_at + len(word) :]
            return subject, body
    for word, wrong in _GENERIC_TYPOS:
        if word in body:
            return subject, body.replace(word, wrong, 1)
    return subject, body


def _fill(template: str, slots: _Slots) -> str:
    return template.format_map(slots)


def _word(name: str, slots: _Slots) -> str:
    """A fresh filler for ``name`` (not remembered in ``slots``)."""
    seq = FILLERS[name]
    value = seq[int(slots.rng.random() * len(seq))]
    return value.format_map(slots) if "{" in value else value


def compose(
    rng: Random,
    *,
    category: str,
    channel: str,
    first: str,
    last: str,
    title: str,
    company: str,
    domain: str,
    created: datetime,
    product: str | None = None,
) -> tuple[str, str]:
    """Subject and body of one ticket of ``category`` arriving on ``channel``."""
    kind = KINDS[category]
    fixed = {
        "first": first,
        "last": last,
        "title": title,
        "company": company,
        "domain": domain,
        "email_local": f"{first}.{last}".lower(),
    }
    if product is not None:
        fixed["product"] = product
    slots = _Slots(rng, created, fixed)
    hidden = bool(kind.hidden_cores) and rng.random() < 0.3
    if hidden:
        subject_t, core_t = _pick(kind.hidden_subjects, rng), _pick(kind.hidden_cores, rng)
        angry = False
    else:
        core_t, specific = _pick(kind.cores, rng)
        generic = not specific or rng.random() < 0.3
        subject_t = _pick(kind.subjects if generic else specific, rng)
        angry = rng.random() < kind.angry
    subject = _fill(subject_t, slots)
    style = rng.random()
    if category == "auto_reply":
        lines = [core_t, kind.details[0], kind.asks[0], "{first} {last}"]
        body = "\n\n".join(_fill(t, slots) for t in lines)
        return subject, body
    if style < 0.08 and not hidden:  # one-liner
        body = _fill(_pick(kind.short, rng), slots)
        if angry and rng.random() < 0.5:
            body = body.upper()
        return _noise(rng, subject, body, angry, category)
    budget = 8 if style > 0.92 else rng.choice((2, 3, 3, 4, 4, 5, 6))
    parts = [
        _cap(t.format_map(slots)) if t[0] == "{" else t.format_map(slots)
        for t in _sentences(rng, kind, core_t, angry, budget)
    ]
    if category in _CALM_KINDS and len(parts) < 8:
        roll = rng.random()
        if roll < 0.04:
            parts.append(_pick(_TRAPS, rng).format_map(slots))
        elif roll < 0.07:
            parts.append(_pick(FILLERS["falsealarm"], rng))
    if channel == "chat":
        body = _chat(rng, slots, parts)
    else:
        body = _prose(rng, slots, parts, channel, long=style > 0.92)
        if channel == "email" and rng.random() < 0.1:
            subject = "Re: " + subject
            body += _fill(
                "\n\nOn {date}, Support Team <support@example.com> wrote:\n> Hi {first},\n"
                "> {agent_line}\n> Best,\n> {agent_first}",
                slots,
            )
    return _noise(rng, subject, body, angry, category)


def _prose(rng: Random, slots: _Slots, parts: list[str], channel: str, *, long: bool) -> str:
    formal = channel == "email"
    head: list[str] = []
    if channel == "web" and rng.random() < 0.3:
        head.append(_fill("Category: {web_category}", slots))
    elif channel == "api" and rng.random() < 0.5:
        head.append(
            _fill("Submitted via in-app widget\nPage: {app_url}\nBrowser: {browser}", slots)
        )
    if rng.random() < (0.85 if formal else 0.35):
        head.append(_word("greeting", slots))
    if len(parts) < 8 and rng.random() < (0.4 if formal else 0.15):
        parts.insert(0, _word("polite", slots))
    if (
        len(parts) < 8
        and not parts[-1].startswith("Thank")
        and rng.random() < (0.6 if formal else 0.3)
    ):
        parts.append(_word("closer", slots))
    if long and len(parts) > 3:
        third = len(parts) // 3 or 1
        text = "\n\n".join(
            " ".join(p) for p in (parts[:third], parts[third : 2 * third], parts[2 * third :]) if p
        )
    else:
        text = " ".join(parts)
    tail = ""
    if rng.random() < (0.9 if formal else 0.4):
        sig = _fill(_signature(rng), slots)
        tail = "\n\n" + (_word("signoff", slots) + "\n" + sig if rng.random() < 0.6 else sig)
    return "\n\n".join([*head, text]) + tail


def _chat(rng: Random, slots: _Slots, parts: list[str]) -> str:
    if rng.random() < 0.5:
        return " ".join(parts)
    name = slots["first"]
    lines = [f"Chat started {slots.created:%Y-%m-%d %H:%M} UTC", f"{name}: hi"]
    lines += [
        f"{name}: {p[0].lower()}{p[1:]}" if rng.random() < 0.5 else f"{name}: {p}" for p in parts
    ]
    if rng.random() < 0.4:
        lines.append(_fill("Agent {agent_first}: Thanks, let me check that for you.", slots))
    return "\n".join(lines)


def _noise(rng: Random, subject: str, body: str, angry: bool, category: str) -> tuple[str, str]:
    # Typos land on the words triage keys on when there are any (~5% of all tickets end up
    # with a misspelt trigger, mostly urgent or angry ones), else on an ordinary word.
    if rng.random() < (0.35 if angry or category in _URGENT_KINDS else 0.06):
        subject, body = _typo(rng, subject, body)
    roll = rng.random()
    if roll < (0.3 if angry else 0.02):
        subject = subject.upper()
    elif roll > 0.985:
        subject = subject.lower()
    if rng.random() < 0.015:
        body = body.lower()
    return subject, body
