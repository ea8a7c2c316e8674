"""A realistic, seeded synthetic support organisation for ``fairlane demo`` and benchmarks.

Accounts, agents and tickets are plain JSON-friendly dicts. Nothing reads the wall clock:
every time is derived from the caller's ``end_at`` (an aware datetime), and the same seed
gives byte-identical output. The tickets carry no hidden labels; what kind of ticket it is
lives only in its wording (see :mod:`fairlane.demo.synthetic_text`).
"""

from __future__ import annotations

import math
from bisect import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from operator import itemgetter
from random import Random
from zoneinfo import ZoneInfo

from fairlane.clock import ensure_aware_utc
from fairlane.demo.synthetic_text import (
    FIRST_NAMES,
    LAST_NAMES,
    PRODUCTS,
    TITLES,
    compose,
    pick_category,
)

__all__ = ["SyntheticOrg", "generate_organisation", "generate_tickets"]


@dataclass(frozen=True)
class SyntheticOrg:
    accounts: list[dict[str, object]]
    agents: list[dict[str, object]]
    tickets: list[dict[str, object]]


_PREFIXES = (
    "Northwind",
    "Bluefin",
    "Cedar",
    "Granite",
    "Harbor",
    "Ironbark",
    "Juniper",
    "Keystone",
    "Lakeshore",
    "Maple",
    "Meridian",
    "Nimbus",
    "Oakridge",
    "Orchard",
    "Pinecrest",
    "Quarry",
    "Redwood",
    "Riverbend",
    "Saltmarsh",
    "Silverline",
    "Summit",
    "Tidewater",
    "Timber",
    "Upland",
    "Vantage",
    "Willow",
    "Zephyr",
    "Amber",
    "Arcadia",
    "Aspen",
    "Beacon",
    "Birch",
    "Brightwater",
    "Canyon",
    "Cobalt",
    "Copper",
    "Crescent",
    "Driftwood",
    "Eastgate",
    "Evergreen",
    "Falcon",
    "Fernhill",
    "Fjord",
    "Foxglove",
    "Glacier",
    "Goldcrest",
    "Greenfield",
    "Halcyon",
    "Hawthorn",
    "Highland",
    "Horizon",
    "Indigo",
    "Kestrel",
    "Lantern",
    "Larkspur",
    "Linden",
    "Lodestar",
    "Marigold",
    "Meadow",
    "Mistral",
    "Monarch",
    "Northstar",
    "Obsidian",
    "Osprey",
    "Pacific",
    "Paragon",
    "Pelican",
    "Prairie",
    "Quill",
    "Raven",
    "Sable",
    "Sequoia",
    "Sierra",
    "Skyline",
    "Solstice",
    "Sparrow",
    "Starling",
    "Stonebridge",
    "Sycamore",
    "Thistle",
    "Trillium",
    "Vireo",
    "Westbrook",
    "Wildflower",
    "Windward",
    "Alder",
    "Bramble",
    "Cinder",
    "Dovetail",
    "Ember",
)
# (suffix, industry tag or "")
_SUFFIXES = (
    ("Logistics", ""),
    ("Health", "healthcare"),
    ("Capital", "fintech"),
    ("Payments", "fintech"),
    ("Analytics", ""),
    ("Labs", ""),
    ("Systems", ""),
    ("Foods", ""),
    ("Retail", ""),
    ("Energy", ""),
    ("Robotics", ""),
    ("Bio", "healthcare"),
    ("Dental", "healthcare"),
    ("Clinics", "healthcare"),
    ("Insurance", "fintech"),
    ("Credit Union", "fintech"),
    ("Media", ""),
    ("Studios", ""),
    ("Freight", ""),
    ("Mobility", ""),
    ("Software", ""),
    ("Networks", ""),
    ("Manufacturing", ""),
    ("Outfitters", ""),
    ("Apparel", ""),
    ("Hospitality", ""),
    ("Learning", ""),
    ("Consulting", ""),
    ("Realty", ""),
    ("Construction", ""),
    ("Engineering", ""),
    ("Pharma", "healthcare"),
    ("Telecom", ""),
    ("Marine", ""),
    ("Aerospace", ""),
    ("Farms", ""),
    ("Brewing", ""),
    ("Coffee", ""),
    ("Games", ""),
    ("Travel", ""),
    ("Recruiting", ""),
    ("Ventures", "fintech"),
    ("Wealth", "fintech"),
    ("Pet Care", ""),
    ("Home Services", ""),
    ("Solar", ""),
    ("Diagnostics", "healthcare"),
    ("Lending", "fintech"),
    ("Supply", ""),
    ("Data", ""),
)
_CORPORATE = ("Group", "Holdings", "International", "Partners", "& Co")
_TLDS = {
    "amer": (".com", ".us", ".ca", ".co"),
    "emea": (".co.uk", ".de", ".eu", ".fr", ".nl", ".ie"),
    "apac": (".com.au", ".sg", ".co.nz", ".jp"),
}
_REGION_ZONES = {
    "amer": ("America/New_York", "America/Chicago", "America/Los_Angeles"),
    "emea": ("Europe/London", "Europe/Berlin"),
    "apac": ("Asia/Singapore", "Australia/Sydney"),
}
# Relative arrival rate by local hour and by weekday (Monday first).
_HOURLY = (
    0.05,
    0.04,
    0.03,
    0.03,
    0.04,
    0.08,
    0.2,
    0.45,
    0.9,
    1.35,
    1.5,
    1.4,
    1.05,
    1.2,
    1.4,
    1.3,
    1.1,
    0.75,
    0.45,
    0.3,
    0.25,
    0.2,
    0.12,
    0.08,
)
_DAILY = (1.15, 1.05, 1.0, 1.0, 0.85, 0.22, 0.15)
_SEAT_PRICE = {"starter": 15, "team": 29, "business": 49, "enterprise": 79}
_PERSONAL = (
    "gmail.com",
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "hotmail.com",
    "icloud.com",
    "proton.me",
    "aol.com",
    "gmx.de",
)
_FOREIGN = (
    "-consulting.com",
    "-it.com",
    "advisors.com",
    "-group.net",
    "-accounting.co.uk",
    "-partners.io",
    "solutions.biz",
    "-law.com",
    "-msp.net",
)
_SOURCES = ("email", "web", "chat", "api")
_SOURCE_CUM = (0.45, 0.75, 0.90, 1.0)
_ALT_CHANNEL = {
    "email": ("web",),
    "web": ("email", "chat"),
    "chat": ("web",),
    "api": ("web", "email", "chat"),
}
_PREFIX_ID = {"email": "em", "web": "web", "chat": "ch", "api": "api"}
_SKILLS = ("billing", "sso", "api", "security", "data", "legal-liaison")


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _slug(text: str, sep: str) -> str:
    words = text.replace("&", "and").lower().split()
    return sep.join("".join(ch for ch in w if ch.isalnum()) for w in words)


def _company_names(rng: Random, n: int) -> list[tuple[str, str, str]]:
    """``n`` unique (name, prefix word, industry tag) triples."""
    seen: set[str] = set()
    out: list[tuple[str, str, str]] = []
    misses = 0
    while len(out) < n:
        if rng.random() < 0.08:
            first, second = rng.sample(LAST_NAMES, 2)
            name, prefix, industry = f"{first} & {second}", first, ""
        else:
            prefix = rng.choice(_PREFIXES)
            suffix, industry = rng.choice(_SUFFIXES)
            name = f"{prefix} {suffix}"
        if name in seen:
            misses += 1
            name = f"{name} {rng.choice(_CORPORATE[:-1] if '&' in name else _CORPORATE)}"
            if name in seen:
                name = f"{name} {len(out) + 1}" if misses > 20 * n else ""
        if name and name not in seen:
            seen.add(name)
            out.append((name, prefix, industry))
    return out


def _domains(rng: Random, name: str, prefix: str, region: str, taken: set[str]) -> list[str]:
    hyphen, concat, short = _slug(name, "-"), _slug(name, ""), _slug(prefix, "")
    roll = rng.random()
    if roll < 0.45:
        primary = hyphen + ".com"
    elif roll < 0.75:
        primary = concat + ".com"
    else:
        primary = rng.choice((hyphen, concat)) + rng.choice(_TLDS[region])
    suffix = 2
    while primary in taken:
        primary, suffix = f"{concat}{suffix}.com", suffix + 1
    out = [primary]
    if rng.random() < 0.35:
        initials = "".join(w[0] for w in _slug(name, " ").split())
        tail = name.split()[-1].lower()[:3]
        options = [
            f"{short}{tail}.io",
            f"get{short}.com",
            f"{short}.io",
            f"{concat}.co",
            f"{initials}{tail}.io",
            f"{hyphen}{rng.choice(_TLDS[region])}",
        ]
        rng.shuffle(options)
        second = next((d for d in options if d not in taken and d != primary), None)
        if second is not None:
            out.append(second)
    taken.update(out)
    return out


def _arr_cents(rng: Random, segment: str, plan: str) -> int:
    if segment == "enterprise":
        target = min(150_000 * rng.paretovariate(1.3), 9_000_000)
        return int(round(target / 500) * 500) * 100
    if segment == "mid-market":
        target = min(max(rng.lognormvariate(math.log(60_000), 0.6), 20_000), 200_000)
    else:
        target = min(max(rng.lognormvariate(math.log(5_000), 0.8), 1_000), 30_000)
    per_seat_year = _SEAT_PRICE[plan] * 12
    cents = math.ceil(target / per_seat_year) * per_seat_year * 100
    if rng.random() < 0.25:  # annual prepay discount
        cents = cents * 9 // 10
    return cents


def _plan(rng: Random, segment: str) -> str:
    roll = rng.random()
    if segment == "enterprise":
        return "enterprise" if roll < 0.85 else "business"
    if segment == "mid-market":
        return "business" if roll < 0.65 else "enterprise" if roll < 0.8 else "team"
    return "team" if roll < 0.45 else "starter" if roll < 0.9 else "business"


def _people(rng: Random, n: int, taken: set[str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    while len(out) < n:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        full = f"{first} {last}"
        if full not in taken or len(taken) >= len(FIRST_NAMES) * len(LAST_NAMES):
            taken.add(full)
            out.append((first, last))
    return out


def _make_accounts(rng: Random, n: int, end: datetime) -> list[dict[str, object]]:
    names = _company_names(rng, n)
    csms = [f"{f} {last}" for f, last in _people(rng, max(4, n // 40), set())]
    taken_domains: set[str] = set()
    taken_clients: set[str] = set()
    width = max(4, len(str(n)))
    accounts: list[dict[str, object]] = []
    for i, (name, prefix, industry) in enumerate(names, start=1):
        roll = rng.random()
        segment = "enterprise" if roll < 0.1 else "mid-market" if roll < 0.4 else "digital-first"
        plan = _plan(rng, segment)
        arr = _arr_cents(rng, segment, plan)
        acv = arr if rng.random() < 0.7 else int(arr * rng.uniform(0.6, 0.97))
        roll = rng.random()
        region = "amer" if roll < 0.5 else "emea" if roll < 0.85 else "apac"
        tags = [region]
        if industry or rng.random() < 0.04:
            tags.append(industry or rng.choice(("healthcare", "fintech")))
        if rng.random() < (0.6 if industry else 0.08):
            tags.append("regulated")
        if rng.random() < 0.08:
            tags.append("beta")
        n_clients = rng.choices(
            (0, 1, 2), (35, 45, 20) if segment != "digital-first" else (55, 40, 5)
        )[0]
        clients: list[str] = []
        while len(clients) < n_clients:
            cid = f"CL-{rng.randint(10000, 99999)}"
            if cid not in taken_clients:
                taken_clients.add(cid)
                clients.append(cid)
        strategic = rng.random() < 0.04
        with_csm = {"enterprise": 1.0, "mid-market": 0.85}.get(segment, 0.05)
        scored = rng.random() < 0.85
        scored_at: str | None = None
        score: int | None = None
        if scored:
            score = min(100, max(0, round(100 * rng.betavariate(4.5, 1.6))))
            day = end.date() - timedelta(days=rng.randint(1, 44))
            hour = 6 if rng.random() < 0.7 else rng.randint(0, 23)
            scored_at = datetime(day.year, day.month, day.day, hour, tzinfo=UTC).isoformat()
        accounts.append(
            {
                "id": f"acct-{i:0{width}d}",
                "name": name,
                "segment": segment,
                "plan": plan,
                "arr": _money(arr),
                "acv": _money(acv),
                "currency": "USD",
                "renewal_on": (end.date() + timedelta(days=rng.randint(1, 365))).isoformat(),
                "is_strategic": strategic,
                "strategic_reason": (
                    rng.choice(("partnership", "new market", "brand")) if strategic else None
                ),
                "csm_owner": rng.choice(csms) if rng.random() < with_csm else None,
                "email_domains": _domains(rng, name, prefix, region, taken_domains),
                "client_ids": clients,
                "tags": tags,
                "health_score": score,
                "health_scored_at": scored_at,
            }
        )
    return accounts


def _make_agents(rng: Random, n: int) -> list[dict[str, object]]:
    specialists = max(1, round(n * 0.2)) if n >= 3 else 0
    emea = round(n * 0.35)
    teams = ["specialists"] * specialists + ["support-emea"] * emea
    teams += ["support-americas"] * (n - len(teams))
    rng.shuffle(teams)
    agents: list[dict[str, object]] = []
    for i, ((first, last), team) in enumerate(zip(_people(rng, n, set()), teams, strict=True)):
        if team == "specialists":
            skills = set(
                rng.sample(("security", "legal-liaison", "data", "api", "sso"), rng.randint(2, 3))
            )
            tier = 2
        else:
            skills = set(rng.sample(("billing", "sso", "api", "data"), rng.choice((0, 1, 1, 2))))
            tier = 2 if rng.random() < 0.3 else 1
        agents.append(
            {
                "id": f"agent-{i + 1:02d}",
                "name": f"{first} {last}",
                "email": f"{first}.{last}@support.example.com".lower(),
                "team": team,
                "skills": skills,
                "tier": tier,
            }
        )
    for k, skill in enumerate(_SKILLS):  # every skill is covered by someone when possible
        if agents and not any(skill in _skill_set(a) for a in agents):
            holders = [a for a in agents if a["team"] == "specialists"] or agents
            _skill_set(holders[k % len(holders)]).add(skill)
    for agent in agents:
        agent["skills"] = [s for s in _SKILLS if s in _skill_set(agent)]
    return agents


def _skill_set(agent: dict[str, object]) -> set[str]:
    skills = agent["skills"]
    assert isinstance(skills, set)
    return skills


def generate_organisation(
    *,
    seed: int,
    end_at: datetime,
    accounts: int = 500,
    weeks: int = 3,
    tickets_per_week: int = 400,
    agents: int = 24,
) -> SyntheticOrg:
    """Accounts, agents and ``weeks * tickets_per_week`` tickets in the weeks before ``end_at``.

    The tickets are exactly ``generate_tickets(seed=seed, accounts=org.accounts, ...)`` over
    ``[end_at - weeks, end_at)``, so callers can regenerate or extend them.
    """
    end = ensure_aware_utc(end_at)
    if min(accounts, weeks, tickets_per_week, agents) < 0:
        raise ValueError("accounts, weeks, tickets_per_week and agents must be >= 0")
    rng = Random(f"fairlane.synthetic.org:{seed}")
    account_rows = _make_accounts(rng, accounts, end)
    agent_rows = _make_agents(rng, agents)
    tickets = generate_tickets(
        seed=seed,
        accounts=account_rows,
        count=weeks * tickets_per_week,
        start_at=end - timedelta(weeks=weeks),
        end_at=end,
    )
    return SyntheticOrg(accounts=account_rows, agents=agent_rows, tickets=tickets)


class _Arrivals:
    """Samples epoch seconds in ``[lo, hi)`` with a business-hours profile per region."""

    def __init__(self, lo: int, hi: int) -> None:
        starts: list[int] = [lo, *range(lo - lo % 3600 + 3600, hi, 3600)]
        ends: list[int] = [*starts[1:], hi]
        self.starts, self.ends = starts, ends
        self.cum: dict[str, list[float]] = {}
        for region, names in _REGION_ZONES.items():
            zones = [ZoneInfo(name) for name in names]
            weights = []
            for start, end in zip(starts, ends, strict=True):
                w = 0.0
                for zone in zones:
                    local = datetime.fromtimestamp(start, zone)
                    w += _HOURLY[local.hour] * _DAILY[local.weekday()]
                weights.append(w * (end - start))
            self.cum[region] = list(accumulate(weights))

    def sample(self, rng: Random, region: str) -> int:
        cum = self.cum[region]
        k = min(bisect(cum, rng.random() * cum[-1]), len(cum) - 1)
        start = self.starts[k]
        return start + int(rng.random() * (self.ends[k] - start))


def _text_list(value: object) -> list[str]:
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str) and v]
    return []


def _arr_value(value: object) -> float:
    try:
        number = float(str(value))
    except ValueError:
        return 0.0
    return number if math.isfinite(number) and number > 0 else 0.0


@dataclass(slots=True)
class _Acct:
    name: str
    domains: list[str]
    clients: list[str]
    region: str
    team: str
    pool_size: int
    contacts: list[tuple[str, str, str, str]]  # first, last, title, local part


def _prepare(account: Mapping[str, object], index: int) -> _Acct:
    tags = _text_list(account.get("tags"))
    region = next((t for t in tags if t in _REGION_ZONES), "amer")
    arr = _arr_value(account.get("arr"))
    return _Acct(
        name=str(account.get("name") or account.get("id") or f"Account {index + 1}"),
        domains=_text_list(account.get("email_domains")),
        clients=_text_list(account.get("client_ids")),
        region=region,
        team="support-emea" if "emea" in tags else "support-americas",
        pool_size=2 + int(max(arr, 1000.0) ** 0.25 / 2),
        contacts=[],
    )


def _contact(rng: Random, acct: _Acct) -> tuple[str, str, str, str]:
    if len(acct.contacts) < acct.pool_size and (not acct.contacts or rng.random() < 0.4):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        f, la = first.lower(), last.lower()
        local = rng.choice(
            (
                f"{f}.{la}",
                f"{f}.{la}",
                f"{f[0]}{la}",
                f,
                f"{f}_{la}",
                f"{f}{la[0]}",
                "it-admin",
                "billing",
                "ops",
                "accounts",
            )
        )
        acct.contacts.append((first, last, rng.choice(TITLES), local))
    return acct.contacts[int(rng.random() * len(acct.contacts))]


def generate_tickets(
    *,
    seed: int,
    accounts: Sequence[Mapping[str, object]],
    count: int,
    start_at: datetime,
    end_at: datetime,
) -> list[dict[str, object]]:
    """``count`` tickets from ``accounts`` created in ``[start_at, end_at)``, oldest first.

    Accounts are read leniently (``name``, ``arr``, ``tags``, ``email_domains``,
    ``client_ids``); external ids are numbered per source in creation order.
    """
    start, end = ensure_aware_utc(start_at), ensure_aware_utc(end_at)
    if count < 0:
        raise ValueError("count must be >= 0")
    if count == 0:
        return []
    if not accounts:
        raise ValueError("tickets need at least one account")
    lo, hi = math.ceil(start.timestamp()), math.floor(end.timestamp())
    if hi <= lo:
        raise ValueError("end_at must be at least one second after start_at")
    rng = Random(f"fairlane.synthetic.tickets:{seed}")
    accts = [_prepare(a, i) for i, a in enumerate(accounts)]
    cum = list(accumulate(max(_arr_value(a.get("arr")), 1000.0) ** 0.3 for a in accounts))
    total = cum[-1]
    with_ids = sum(w for w, a in zip(_weights(cum), accts, strict=True) if a.clients)
    client_p = min(1.0, 0.10 * total / with_ids) if with_ids else 0.0
    known = {d.lower() for a in accts for d in a.domains}
    foreign = [
        d
        for d in (f"{last.lower()}{tail}" for last in LAST_NAMES[::3] for tail in _FOREIGN)
        if d not in known
    ]
    arrivals = _Arrivals(lo, hi)
    incidents = [
        (arrivals.sample(rng, "amer"), rng.choice(PRODUCTS))
        for _ in range(max(1, round((hi - lo) / 86400 / 10)))
    ]
    next_id = {s: rng.randint(1, 60000) for s in _SOURCES}
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    rows: list[tuple[datetime, str, str, str, str, str | None, str, str | None]] = []
    rand = rng.random
    for _ in range(count):
        acct = accts[min(bisect(cum, rand() * total), len(accts) - 1)]
        category = pick_category(rng)
        source = _SOURCES[bisect(_SOURCE_CUM, rand())]
        if category == "auto_reply" or (category == "legal" and source in ("chat", "api")):
            source = "email"
        channel = source if rand() < 0.92 else rng.choice(_ALT_CHANNEL[source])
        product = None
        if category == "outage" and rand() < 0.5:
            at, product = incidents[int(rand() * len(incidents))]
            ts = min(at + int(rng.expovariate(1 / 1800)), hi - 1)
        else:
            ts = arrivals.sample(rng, acct.region)
        first, last, title, local = _contact(rng, acct)
        spam = category == "spam"  # cold pitches come from outsiders, never from accounts
        roll = 0.07 if spam else rand()
        client = (
            acct.clients[int(rand() * len(acct.clients))]
            if (acct.clients and not spam and rand() < client_p)
            else None
        )
        if roll < 0.05:
            domain = rng.choice(_PERSONAL)
            local = rng.choice(
                (
                    f"{first}.{last}{rng.randint(1, 99)}",
                    f"{first[0]}{last}",
                    f"{first}{last}{rng.randint(60, 99)}",
                )
            ).lower()
        elif roll < 0.10 or not acct.domains:
            domain = rng.choice(foreign)
            local = f"{first}.{last}".lower()
        else:
            domain = acct.domains[0 if len(acct.domains) == 1 or rand() < 0.8 else 1]
        resolved = domain.lower() in known or client is not None
        created = epoch + timedelta(seconds=ts)
        subject, body = compose(
            rng,
            category=category,
            channel=channel,
            first=first,
            last=last,
            title=title,
            company=f"{last} Digital" if spam else acct.name,
            domain=acct.domains[0] if acct.domains else domain,
            created=created,
            product=product,
        )
        rows.append(
            (
                created,
                source,
                subject,
                body,
                f"{local}@{domain}",
                client,
                channel,
                acct.team if resolved else None,
            )
        )
    rows.sort(key=itemgetter(0))  # stable: equal instants keep generation order
    tickets: list[dict[str, object]] = []
    for created, source, subject, body, email, client, channel, team in rows:
        number = next_id[source]
        next_id[source] = number + 1
        tickets.append(
            {
                "source": source,
                "external_id": f"{_PREFIX_ID[source]}-{number:06d}",
                "subject": subject,
                "body": body,
                "requester_email": email,
                "requester_client_id": client,
                "created_at": created.isoformat(),
                "channel": channel,
                "team": team,
            }
        )
    return tickets


def _weights(cum: list[float]) -> list[float]:
    return [b - a for a, b in zip([0.0, *cum[:-1]], cum, strict=True)]
