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
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate
from random import Random
from typing import TypeVar

__all__ = [
    "CATEGORY_WEIGHTS",
    "FIRST_NAMES",
    "LAST_NAMES",
    "PRODUCTS",
    "TITLES",
    "compose",
    "pick_category",
]

FIRST_NAMES = (
    "Aisha",
    "Alejandro",
    "Amara",
    "Anders",
    "Ana",
    "Ben",
    "Bianca",
    "Carlos",
    "Chen",
    "Chloe",
    "Daniel",
    "Dmitri",
    "Elena",
    "Emeka",
    "Emma",
    "Fatima",
    "Felix",
    "Grace",
    "Hannah",
    "Hiro",
    "Ines",
    "Isaac",
    "Jamal",
    "Jana",
    "Javier",
    "Jessica",
    "Joao",
    "Julia",
    "Kai",
    "Karin",
    "Kwame",
    "Laura",
    "Leila",
    "Liam",
    "Lucia",
    "Marco",
    "Maria",
    "Mateo",
    "Mei",
    "Michael",
    "Nadia",
    "Naveen",
    "Nina",
    "Noah",
    "Olga",
    "Omar",
    "Priya",
    "Rafael",
    "Rahul",
    "Rosa",
    "Ruth",
    "Sam",
    "Sana",
    "Sara",
    "Sean",
    "Sofia",
    "Sven",
    "Tariq",
    "Tom",
    "Uma",
    "Victor",
    "Wei",
    "Yara",
    "Yusuf",
    "Zoe",
    "Adam",
    "Beatriz",
    "Claire",
    "David",
    "Erin",
    "Farah",
    "George",
    "Helen",
    "Ivan",
    "Jonas",
    "Kate",
    "Lars",
    "Mohammed",
    "Nora",
    "Oscar",
    "Paula",
)
LAST_NAMES = (
    "Abara",
    "Andersson",
    "Baker",
    "Bauer",
    "Becker",
    "Brennan",
    "Campbell",
    "Chen",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Fitzgerald",
    "Garcia",
    "Gonzalez",
    "Gupta",
    "Haddad",
    "Hale",
    "Hansen",
    "Hughes",
    "Ibrahim",
    "Ito",
    "Jansen",
    "Johnson",
    "Kaur",
    "Kim",
    "Kowalski",
    "Larsen",
    "Lee",
    "Lopez",
    "Martin",
    "Mensah",
    "Moreno",
    "Murphy",
    "Nakamura",
    "Nguyen",
    "Novak",
    "Okafor",
    "Olsen",
    "Patel",
    "Petrov",
    "Quinn",
    "Ramos",
    "Raman",
    "Reyes",
    "Rossi",
    "Sato",
    "Schmidt",
    "Silva",
    "Singh",
    "Smith",
    "Sokolov",
    "Tanaka",
    "Thompson",
    "Torres",
    "Varga",
    "Walsh",
    "Weber",
    "Williams",
    "Wong",
    "Yilmaz",
    "Zhang",
    "Zielinski",
    "Adeyemi",
    "Bergstrom",
    "Castillo",
    "Delgado",
    "Eze",
    "Forde",
    "Grant",
    "Horvat",
    "Iyer",
    "Jovanovic",
)
TITLES = (
    "IT Manager",
    "Operations Lead",
    "Finance Director",
    "CTO",
    "Office Manager",
    "Controller",
    "Head of Support",
    "Systems Administrator",
    "Product Manager",
    "Dispatch Supervisor",
    "Practice Manager",
    "Founder",
    "COO",
    "Customer Success Lead",
    "Data Analyst",
    "Engineering Manager",
    "Head of Operations",
    "Accounts Payable Specialist",
    "Team Lead",
)

# Slot fillers: a tuple means "pick one"; values may contain further slots.
_F: dict[str, tuple[str, ...]] = {
    "product": (
        "Dashboards",
        "Reports",
        "the mobile app",
        "the API",
        "Workflows",
        "the shared inbox",
        "the admin console",
        "Data Export",
        "the Integrations hub",
        "the billing portal",
        "Scheduler",
        "Forms",
        "Analytics",
        "the customer portal",
        "Automations",
        "Search",
    ),
    "feature": (
        "CSV export",
        "bulk edit",
        "custom fields",
        "saved views",
        "webhooks",
        "the audit log",
        "role permissions",
        "scheduled reports",
        "the Slack integration",
        "the Salesforce sync",
        "SLA timers",
        "tags",
        "custom domains",
        "email templates",
        "the approval flow",
        "recurring tasks",
        "PDF invoices",
        "user groups",
        "API tokens",
        "field validation",
        "calendar sync",
        "the activity feed",
        "dashboard filters",
        "the import wizard",
    ),
    "integration": (
        "Salesforce",
        "HubSpot",
        "Slack",
        "Microsoft Teams",
        "Jira",
        "Zendesk",
        "NetSuite",
        "QuickBooks",
        "Google Sheets",
        "Snowflake",
        "Shopify",
        "Xero",
        "Zapier",
        "BigQuery",
    ),
    "idp": ("Okta", "Azure AD", "Entra ID", "Google Workspace", "OneLogin", "Ping", "JumpCloud"),
    "http": ("500", "502", "503", "504", "500", "503", "429", "403"),
    "record": (
        "customer records",
        "contacts",
        "orders",
        "tickets",
        "invoices",
        "shipments",
        "work orders",
        "projects",
        "appointments",
        "assets",
        "leads",
        "patient notes",
    ),
    "dept": (
        "finance",
        "operations",
        "warehouse",
        "support",
        "sales",
        "marketing",
        "dispatch",
        "IT",
        "customer success",
        "accounting",
        "clinical",
        "field service",
        "HR",
    ),
    "exec": (
        "our CEO",
        "our CFO",
        "our VP of Operations",
        "our COO",
        "our board",
        "our CTO",
        "our Head of IT",
        "our managing director",
        "the owner",
    ),
    "browser": (
        "Chrome",
        "Safari",
        "Firefox",
        "Edge",
        "Chrome on Windows",
        "Safari on a Mac",
        "the iOS app",
        "the Android app",
        "an incognito window",
    ),
    "plan": ("Starter", "Team", "Business", "Enterprise"),
    "city": (
        "Singapore",
        "Sao Paulo",
        "Frankfurt",
        "Amsterdam",
        "Toronto",
        "Mumbai",
        "Kyiv",
        "Lagos",
        "Jakarta",
        "Bucharest",
        "Hanoi",
        "Lima",
    ),
    "city2": ("Ohio", "Leeds", "Munich", "Austin", "Dublin", "Melbourne", "Lyon", "Denver"),
    "when": (
        "since this morning",
        "since about {clock}",
        "for the last hour",
        "for about 40 minutes",
        "since yesterday evening",
        "since {clock} today",
        "since the maintenance window",
        "since around lunchtime",
        "all day today",
        "for the past two hours",
        "since {clock}",
        "for 20 minutes now",
        "since we started work today",
        "since last night",
    ),
    "days": ("3 days", "a week", "two weeks", "10 days", "5 business days", "over a month"),
    "n_users": (
        "all {n2} of our users",
        "about {n2} people",
        "{n2} agents",
        "all of our staff",
        "{n2} staff",
        "all of our users",
        "the people on our {dept} team",
        "{n2} of our users",
    ),
    "count_records": (
        "about 3,000",
        "all 14,000",
        "hundreds of",
        "roughly 800",
        "over 20,000",
        "about 1,200",
        "every one of our",
        "around 450",
    ),
    "deadline": (
        "by Friday",
        "by end of day",
        "before our board meeting on {fdate}",
        "before {fdate}",
        "by the end of the month",
        "before our renewal",
        "today",
        "within 48 hours",
        "by {fdate}",
        "before quarter end",
    ),
    "howto_task": (
        "export {record} to CSV",
        "add a custom field to {record}",
        "schedule a weekly report",
        "give a contractor read-only access",
        "connect {integration}",
        "bulk update {record}",
        "change the default time zone",
        "set up SLA timers",
        "filter {record} by date",
        "create a saved view",
        "rename a workspace",
        "restrict access to {product}",
        "import {record} from a spreadsheet",
        "set up webhooks",
        "add our logo to emails",
        "merge duplicate {record}",
        "change notification settings",
        "archive old {record}",
        "set working hours for the team",
        "use the API to create {record}",
        "share a dashboard with someone outside the company",
        "reset a user's 2FA",
        "change the language for one user",
        "undo a bulk edit",
        "copy a workflow",
    ),
    "wish": (
        "dark mode",
        "exporting {record} to PDF",
        "custom roles",
        "a {integration} integration",
        "two-way {integration} sync",
        "SSO on the {plan} plan",
        "bulk delete",
        "nested folders",
        "more granular permissions",
        "an API endpoint for {record}",
        "recurring email reports",
        "conditional fields in Forms",
        "multi-currency invoices",
        "read-only guest seats",
        "keyboard shortcuts",
        "an audit log export",
        "a sandbox workspace",
        "Excel export",
    ),
    "greeting": (
        "Hi,",
        "Hello,",
        "Hi team,",
        "Hi there,",
        "Hello support,",
        "Dear Support Team,",
        "Hey folks,",
        "Good morning,",
        "Hi {agent_first},",
        "To whom it may concern,",
        "Hiya,",
        "Good afternoon,",
        "Hi support team,",
        "Dear {agent_first},",
        "Hey,",
    ),
    "polite": (
        "Hope you're doing well.",
        "Hope you had a good weekend.",
        "Sorry to bother you again.",
        "Quick one for you.",
        "I hope this is the right place to ask.",
        "Apologies if this has been asked before.",
        "I'm reaching out on behalf of {company}.",
        "My name is {first} and I'm the {title} at {company}.",
        "Hope all is well.",
        "I'm {first} from {company}.",
        "Thanks for the help last time.",
    ),
    "closer": (
        "Thanks!",
        "Thanks in advance.",
        "Any help appreciated.",
        "Appreciate your help.",
        "Let me know if you need anything else from me.",
        "Thank you.",
        "Looking forward to your reply.",
        "Many thanks.",
        "Thx",
        "Cheers.",
        "Thanks for looking into it.",
        "Talk soon.",
    ),
    "signoff": (
        "Best,",
        "Kind regards,",
        "Regards,",
        "Best regards,",
        "Thanks,",
        "Cheers,",
        "Many thanks,",
        "BR,",
        "Warm regards,",
    ),
    "angry": (
        "This is the third time I'm writing about this.",
        "This is unacceptable.",
        "Honestly, this is ridiculous.",
        "I've been waiting {days} for a real answer.",
        "Nobody has responded to ticket {ticket_ref}.",
        "We pay {amount} a year for this?",
        "I am extremely frustrated.",
        "Please escalate this to a manager.",
        "Your last reply didn't help at all.",
        "Fix it. Now.",
        "This keeps happening and I'm losing patience.",
        "Very disappointed with your support.",
        "I have asked {n} times already.",
        "Completely unacceptable for a paid product.",
        "Every time we contact you we get a canned response.",
        "We are fed up.",
    ),
    "falsealarm": (
        "URGENT please.",
        "This is urgent!",
        "Need this ASAP.",
        "High priority for us.",
    ),
    "web_category": (
        "General question",
        "Billing",
        "Technical issue",
        "Account",
        "Other",
        "Feature request",
        "Login",
        "General question",
    ),
    "agent_line": (
        "Thanks for reaching out! Could you share a screenshot of the error?",
        "We've passed this to our engineering team and will update you.",
        "Could you confirm which workspace this is about?",
        "This should be resolved now, let us know if you still see the problem.",
        "Thanks for your patience, we're still looking into this.",
        "Could you send us the exact time you saw the issue?",
    ),
}

# Per-category wording. Generic subjects fit any core; a core may bring its own subjects,
# which are preferred so that subject and body usually agree.
_Core = tuple[str, tuple[str, ...]]


def _c(core: str, *subjects: str) -> _Core:
    return core, subjects


@dataclass(frozen=True, slots=True)
class _Kind:
    subjects: tuple[str, ...]
    cores: tuple[_Core, ...]
    details: tuple[str, ...]
    asks: tuple[str, ...]
    short: tuple[str, ...]
    angry: float
    hidden_subjects: tuple[str, ...] = ()
    hidden_cores: tuple[str, ...] = ()


_KINDS: dict[str, _Kind] = {
    "how_to": _Kind(
        (
            "Question about {product}",
            "quick question",
            "Question re {product}",
            "Help please",
            "How to?",
            "Need some help with {product}",
            "URGENT: question about {product}",
        ),
        (
            _c("How do I {howto_task}?", "How do I {howto_task}?", "how to {howto_task}"),
            _c(
                "I'm trying to {howto_task} but can't find where to do that.",
                "Can't figure out how to {howto_task}",
                "Where do I {howto_task}?",
            ),
            _c("Is there a way to {howto_task} in {product}?", "Is it possible to {howto_task}?"),
            _c(
                "Could you point me to the docs on how to {howto_task}?",
                "Docs on how to {howto_task}?",
            ),
            _c(
                "We're rolling out {product} to the {dept} team and need to {howto_task}.",
                "Rolling out {product} to {dept}",
                "Setup question",
            ),
            _c("What's the best way to {howto_task}?", "Best way to {howto_task}?"),
            _c(
                "I read {docs_url} but I'm still not sure how to {howto_task}.",
                "Question about the docs",
            ),
            _c("Can {feature} be used to {howto_task}?", "Question about {feature}"),
            _c(
                "We want to connect {integration}, where do we find the API token?",
                "Setting up {integration}",
                "{integration} setup",
            ),
            _c(
                "Where is {feature} in the new layout?",
                "Where is {feature}?",
                "Can't find {feature}",
            ),
        ),
        (
            "We're on the {plan} plan if that matters.",
            "I looked through the help center but couldn't find it.",
            "{colleague} said it used to be under Settings.",
            "It's not urgent, just curious.",
            "{n_users} will need this.",
            "Ideally we'd have this set up before {fdate}.",
            "I'm using {browser}.",
            "Our admin is out this week so I'm asking directly.",
            "Does this work with {integration}?",
            "Screenshots attached.",
            "We're new to {product}, so sorry if this is obvious.",
            "Our old tool had a button for this.",
        ),
        (
            "Thanks for any pointers!",
            "A link to the right article would be great.",
            "Happy to jump on a call if easier.",
            "Let me know!",
        ),
        (
            "how do i {howto_task}?",
            "Where do I find {feature}?",
            "is there a way to {howto_task}",
            "Can I {howto_task}?",
        ),
        0.03,
    ),
    "feature_request": _Kind(
        ("Suggestion for {product}", "Product feedback", "Roadmap question", "Idea"),
        (
            _c(
                "It would be great if {product} supported {wish}.",
                "Feature request: {wish}",
                "Would love {wish}",
            ),
            _c("Are there any plans to add {wish}?", "Any plans to support {wish}?"),
            _c("We'd really like to see {wish} on the roadmap.", "Idea: {wish}"),
            _c("Our {dept} team keeps asking for {wish}.", "Request - {wish}"),
            _c("Would you consider adding {wish}?", "Feature request: {wish}"),
            _c("Is {wish} something you're working on?", "{wish}?"),
        ),
        (
            "Right now we work around it with {integration} and a spreadsheet.",
            "Other tools we've evaluated already have this.",
            "This would save us a few hours a week.",
            "It's a nice-to-have, not a blocker.",
            "Happy to be a beta tester.",
            "This came up again in our QBR with {exec}.",
            "If this lands before our renewal that would help the internal case.",
        ),
        (
            "Thanks for considering it!",
            "Is there a public roadmap I can follow?",
            "Please add my vote.",
        ),
        ("+1 for {wish}", "any news on {wish}?"),
        0.02,
    ),
    "billing": _Kind(
        ("Billing question", "Question about our invoice", "invoice question", "Billing"),
        (
            _c(
                "Could you send a copy of invoice {invoice}?",
                "Invoice {invoice}",
                "Copy of invoice {invoice}",
            ),
            _c(
                "Our latest invoice was {amount}, which is higher than we expected.",
                "Why did our bill go up?",
                "Invoice higher than expected",
            ),
            _c("We need our VAT number added to invoice {invoice}.", "VAT number on invoices"),
            _c("Can you add PO number PO-{po} to the invoice?", "PO number for invoice {invoice}"),
            _c(
                "I'd like to update the credit card on file.",
                "Update credit card",
                "New card details",
            ),
            _c(
                "We got an email that our payment failed, but the card is fine.",
                "Payment failed?",
                "Failed payment email",
            ),
            _c("Can we switch from monthly to annual billing?", "Annual vs monthly pricing"),
            _c("Please update our billing address, we moved offices.", "Billing address change"),
            _c("Our finance team needs a W-9 for our vendor setup.", "W-9 request"),
            _c(
                "I can't find where to download invoices in the billing portal.",
                "Where are invoices?",
                "Receipt needed",
            ),
        ),
        (
            "Our accounts payable system rejects invoices without a PO.",
            "The invoice date is {date}.",
            "We were expecting to be billed for {n} fewer seats.",
            "Our finance contact is {colleague_full}.",
            "Payment terms should be net 30 per our agreement.",
            "The amount on the card statement is {amount}.",
            "We're on the {plan} plan.",
        ),
        (
            "Can you sort this before our month-end close?",
            "Please confirm once updated.",
            "Thanks!",
        ),
        ("need a copy of invoice {invoice}", "Can I get a receipt for {date}?"),
        0.1,
    ),
    "login": _Kind(
        ("Login problem", "login issue", "Cannot access my account", "Sign-in trouble"),
        (
            _c(
                "I can't log in, it says my password is incorrect but I just reset it.",
                "Can't log in",
                "Password not accepted",
            ),
            _c(
                "The password reset email never arrives.",
                "Password reset not working",
                "No reset email",
            ),
            _c(
                "Since we switched to {idp}, {colleague} gets error {error} when signing in.",
                "{idp} SAML error {error}",
                "SSO issue",
            ),
            _c("My 2FA codes are being rejected.", "2FA code not accepted"),
            _c(
                "One of our users ({colleague_full}) is locked out after too many attempts.",
                "Locked out",
                "User can't sign in",
            ),
            _c(
                "We're setting up SSO with {idp} and the SAML response fails with {error}.",
                "SSO setup with {idp}",
                "SAML error {error}",
            ),
            _c(
                "The reset link says it has expired even when I click it right away.",
                "Reset link expired",
            ),
            _c("I get redirected back to the login page in a loop.", "Login loop"),
            _c("New hires aren't being provisioned from {idp}.", "{idp} provisioning"),
        ),
        (
            "I've tried {browser} and an incognito window.",
            "Other people on my team can log in fine.",
            "I got a new phone last week so maybe that's related.",
            "The error shows up at {app_url}.",
            "It started {when}.",
            "Our IT contact is {colleague_full} if you need the {idp} config.",
        ),
        (
            "Can you unlock the account?",
            "Can you check the logs on your side?",
            "Please help, I need this working {deadline}.",
        ),
        ("can't log in", "password reset email not arriving", "locked out again"),
        0.12,
    ),
    "account_change": _Kind(
        ("Account change", "Account update request", "Admin request"),
        (
            _c("We need to add {n} more seats to our account.", "Add {n} seats", "Seat count"),
            _c(
                "Please transfer account ownership from {colleague_full} to me.",
                "Transfer ownership",
                "Change account owner",
            ),
            _c(
                "{colleague_full} has left the company, please remove their access.",
                "Remove user",
                "Offboarding {colleague_full}",
            ),
            _c("We'd like to upgrade to the {plan} plan.", "Upgrade to {plan}", "Plan upgrade"),
            _c("Can you rename our workspace to {company} Global?", "Rename workspace"),
            _c("Please change the admin email to {email_local}@{domain}.", "Update admin email"),
            _c("We'd like to downgrade at the end of our term.", "Downgrade request"),
            _c("Please make {colleague} an admin.", "Add a new admin"),
        ),
        (
            "{exec} approved the change.",
            "Effective {fdate} if possible.",
            "Let me know if you need a signed order form.",
            "Our finance team is cc'd.",
        ),
        ("Thanks!", "Please confirm when done."),
        ("please add {n} seats", "remove {colleague_full} from our account pls"),
        0.04,
    ),
    "bug": _Kind(
        ("Not working", "issue with {product}", "Bug in {product}", "Problem", "Bug report"),
        (
            _c(
                "When I try to use {feature} I get error {error}.",
                "Error {error} in {product}",
                "{feature} not working",
            ),
            _c("{product} shows a blank page in {browser}.", "Blank page in {browser}"),
            _c(
                "The totals in our weekly report don't match the numbers in {product}.",
                "Wrong totals in report",
            ),
            _c("Clicking export does nothing.", "Export broken?"),
            _c("Webhooks to our endpoint are arriving hours late.", "Webhooks delayed"),
            _c("Saving a record fails with HTTP {http}.", "{http} error when saving"),
            _c(
                "{feature} stopped working {when}.",
                "{feature} not working",
                "Something wrong with {feature}",
            ),
            _c(
                "{product} has been really slow {when}, pages take 30+ seconds.",
                "{product} is very slow",
                "Performance",
            ),
            _c(
                "The {integration} sync is creating duplicate {record}.",
                "Duplicate {record}",
                "{integration} sync bug",
            ),
            _c(
                "Dates are showing in the wrong time zone after the last update.", "Wrong time zone"
            ),
            _c("Attachments over 5 MB fail to upload.", "Upload fails"),
        ),
        (
            "Steps: open {app_url}, click Save, and you get {error}.",
            "It happens for {colleague} too.",
            "We cleared the cache and tried {browser}.",
            "The request ID was {reqid}.",
            "It worked fine until {date}.",
            "It's affecting our {dept} team but there's a workaround.",
            "Not blocking us yet, but it's annoying.",
            "Order {order} is one example.",
            "Screenshot attached.",
        ),
        ("Can you look into it?", "Is this a known issue?", "Any ETA on a fix?"),
        ("{feature} broken again", "getting {error} on {product}", "export still not working"),
        0.2,
    ),
    "outage": _Kind(
        (
            "URGENT: {product} is down",
            "Production down",
            "Outage?",
            "SITE DOWN",
            "Complete outage - {company}",
            "Everything is broken",
            "Service unavailable",
            "P1 - cannot access {product}",
        ),
        (
            _c("Our whole team can't log in {when}, production is down.", "Nobody can log in"),
            _c(
                "{product} is completely down for us, every page returns {http}.",
                "{http} errors across the app",
                "{product} down for everyone",
            ),
            _c(
                "Nobody at {company} can access {product} {when}.",
                "Is {product} down?",
                "Critical: {product} unavailable",
            ),
            _c("The app won't load at all, we just get a {http} error.", "App won't load"),
            _c(
                "All our {record} pages are timing out and our {dept} team is at a standstill.",
                "Everything timing out",
            ),
            _c(
                "The API is returning {http} for every request {when}.",
                "API down",
                "API returning {http}",
            ),
            _c("It looks like the whole platform is down on our side.", "Is the platform down?"),
            _c(
                "{product} has been unreachable {when} and we can't process any {record}.",
                "{product} unreachable",
            ),
            _c("We have a full outage, nobody can get past the login screen.", "Full outage"),
        ),
        (
            "The status page says all systems operational.",
            "We have customers waiting.",
            "This is costing us money every minute.",
            "We're losing orders, {order} and others failed.",
            "{n_users} are sitting idle.",
            "Error {error} flashes before the page dies.",
            "Is there an incident? Nothing on the status page.",
            "Our {dept} shift starts at {clock} and we can't operate without it.",
        ),
        (
            "Please call me at {phone}.",
            "Please escalate immediately.",
            "What's the ETA?",
            "Please advise ASAP.",
        ),
        ("is {product} down??", "everything down for us", "site is down"),
        0.45,
        (
            "Quick question",
            "Small thing",
            "Quick question about {product}",
            "Hi",
            "Question",
            "Small issue",
            "hello",
            "Following up",
            "When you get a chance",
            "Not sure if this is expected",
            "Login question",
        ),
        (
            "Sorry to bother you, but our whole team can't log in {when}, production is down.",
            "Not sure if this is on your end, but nobody here can get into {product} {when} "
            "and our operations are stopped.",
            "Just checking if there's a known issue? Everything returns {http} and our {dept} "
            "team can't work at all.",
            "Quick one: {product} hasn't loaded for {n_users} {when}, so production is down.",
            "Small thing, but none of us can log in {when} and the whole {dept} team is blocked.",
        ),
    ),
    "legal": _Kind(
        (
            "Formal complaint",
            "Escalation",
            "Re: invoice {invoice}",
            "Unacceptable service",
            "Legal notice",
        ),
        (
            _c(
                "We are talking to our legal team about the repeated downtime.", "Repeated downtime"
            ),
            _c(
                "Our lawyer has advised us that this is a breach of contract.",
                "Breach of contract",
                "Our lawyer will be in touch",
            ),
            _c(
                "If this isn't resolved {deadline} we will pursue legal action.",
                "Final notice before legal action",
            ),
            _c(
                "This is a clear breach of contract under section {n} of our MSA.",
                "Breach of contract",
                "MSA section {n}",
            ),
            _c("I've forwarded this thread to our legal counsel.", "Legal review"),
            _c(
                "We consider your failure to meet the SLA a material breach of our agreement.",
                "SLA violation",
                "Contract termination",
            ),
            _c("Our attorney will be contacting you about damages.", "Damages"),
        ),
        (
            "We've had {n} outages this quarter alone.",
            "We have documented every incident since {date}.",
            "We are also reviewing whether to terminate the contract.",
            "Invoice {invoice} will not be paid until this is resolved.",
            "{exec} is aware of the situation.",
        ),
        (
            "I expect a written response from someone senior.",
            "Please have your legal department contact us.",
            "We require a formal root cause analysis.",
        ),
        ("our lawyer will contact you", "this is a breach of contract"),
        0.8,
    ),
    "refund": _Kind(
        ("Refund request", "Dispute", "Billing error {invoice}", "Money back please"),
        (
            _c(
                "I want my money back, we cancelled on {date} and were still charged {amount}.",
                "I want a refund",
                "Cancel and refund",
            ),
            _c("We were charged twice for invoice {invoice}.", "Charged twice"),
            _c(
                "If this isn't refunded we will dispute the charge with our bank.",
                "Disputed charge",
            ),
            _c("I've already filed a chargeback with my card provider.", "Chargeback"),
            _c(
                "I never authorized the {amount} charge on {date}.",
                "Unauthorized charge",
                "Wrong charge on my card",
            ),
            _c("Please refund the {amount} we paid for seats we never used.", "Refund for seats"),
            _c(
                "We were billed for the {plan} plan after downgrading and I want a refund.",
                "Billed after downgrade",
            ),
        ),
        (
            "The charge shows as {amount} on our statement.",
            "I've attached the bank statement.",
            "This is the second time this has happened.",
            "Our finance team flagged it in our reconciliation.",
            "Our cancellation confirmation number was {ticket_ref}.",
        ),
        (
            "Please process the refund {deadline}.",
            "Confirm when the refund is issued.",
            "I expect a full refund.",
        ),
        ("I want my money back", "charged twice, need refund", "disputing this charge"),
        0.5,
    ),
    "security": _Kind(
        ("Security issue", "Security concern", "URGENT security", "Security"),
        (
            _c(
                "We saw a suspicious login to our admin account from {ip} ({city}).",
                "Suspicious login",
                "Unrecognized login on our account",
            ),
            _c(
                "We think there may have been a possible data breach, an unknown user exported "
                "our {record}.",
                "Possible data breach",
            ),
            _c(
                "One of our developers pushed an API key to a public GitHub repo, so the key is "
                "exposed and needs revoking.",
                "Exposed API key",
                "API key leaked",
            ),
            _c(
                "An admin account we don't recognise was created {when}.",
                "Unknown admin user appeared",
            ),
            _c(
                "We received a phishing email pretending to be from your billing team.",
                "Phishing email from you?",
            ),
            _c(
                "I'd like to report a vulnerability: stored XSS in {feature}.",
                "Vulnerability report",
            ),
            _c(
                "Our audit log shows {count_records} {record} exported by a user who left on "
                "{date}.",
                "Unexpected export",
                "Possible data breach",
            ),
            _c(
                "Someone reset MFA for {colleague_full} and it wasn't us.", "MFA reset we didn't do"
            ),
        ),
        (
            "The login came from {ip} and the user is based in {city2}.",
            "We've already rotated our passwords.",
            "Our security lead {colleague_full} is on point for this.",
            "We're in a regulated industry so we may have notification obligations.",
            "The key ends in {hex4}.",
        ),
        (
            "Please investigate urgently.",
            "Can you send us the access logs for {date}?",
            "Please confirm whether any data left your systems.",
        ),
        ("suspicious login on our account", "exposed API key, please revoke"),
        0.15,
    ),
    "data_loss": _Kind(
        ("Data missing", "Data gone", "Everything deleted?!", "Missing {record}"),
        (
            _c("All our records disappeared from {product} {when}.", "All our records disappeared"),
            _c("{count_records} {record} are just gone.", "Where did our {record} go?"),
            _c(
                "After the {integration} sync, all our {record} from {date} were overwritten.",
                "Lost data after sync",
            ),
            _c(
                "A user deleted a project by mistake, can you restore it from backup?",
                "Restore request",
            ),
            _c(
                "Our {record} history is empty, everything before {date} has vanished.",
                "History empty",
            ),
            _c("The import wiped out our existing {record}.", "Lost data after import"),
        ),
        (
            "We have no other copy of this data.",
            "Nobody on our side deleted anything.",
            "We need this back before {exec} reviews it.",
            "The audit log shows nothing.",
            "It's affecting {n_users}.",
        ),
        ("Can you restore from a backup?", "Please tell me this is recoverable."),
        ("all our data is gone", "records disappeared??"),
        0.4,
    ),
    "safety": _Kind(
        ("Urgent - staff safety", "Emergency", "Safety issue"),
        (
            _c(
                "One of our field technicians was injured on site and the incident report won't "
                "submit in {product}.",
                "Injury report not submitting",
                "Safety incident",
            ),
            _c(
                "A user sent a threatening message to one of our staff through the customer "
                "portal.",
                "Threat received through your portal",
            ),
            _c(
                "Someone is using your messaging feature to harass an employee and we need the "
                "account blocked now.",
                "Harassment via messages",
            ),
            _c(
                "Safety alerts from {product} didn't reach our on-call team {when} and someone "
                "could get hurt.",
                "Safety alerts not delivered",
            ),
            _c(
                "A message we received through your portal mentions self-harm and we need the "
                "sender's details for emergency services.",
                "Urgent: person at risk",
            ),
        ),
        (
            "Police have been informed.",
            "Our site manager {colleague_full} is handling it.",
            "We need the message logs preserved.",
        ),
        ("Please call {phone} immediately.",),
        ("someone threatened our staff via your portal",),
        0.1,
    ),
    "churn": _Kind(
        ("Renewal", "Feedback before renewal", "Our subscription"),
        (
            _c("We're evaluating alternatives ahead of our renewal.", "Evaluating alternatives"),
            _c(
                "Please cancel our subscription at the end of the term.",
                "Cancel subscription",
                "Not renewing",
            ),
            _c(
                "Honestly we're not getting the value we expected from {product}.",
                "Considering cancellation",
            ),
            _c("{exec} asked me to review whether we renew.", "Renewal review"),
            _c("We're moving to another vendor next quarter.", "Not renewing"),
        ),
        (
            "The main issues have been {feature} and response times.",
            "Price is a concern after the increase.",
            "If there's a better plan for us, I'm open to hearing it.",
        ),
        ("Please confirm.",),
        ("please cancel at renewal",),
        0.3,
    ),
    "feedback": _Kind(
        ("Thank you!", "Thanks for the help", "Feedback"),
        (
            _c(
                "Just wanted to say thanks to {agent_first} for the quick help.",
                "Kudos to {agent_first}",
            ),
            _c("The new {feature} is fantastic and saves us a lot of time.", "Great new {feature}"),
            _c("All sorted now, you can close this ticket.", "Re: {feature} question"),
            _c("That worked, thank you!", "Re: your reply"),
            _c("Our {dept} team loves the latest update to {product}.", "Loving the update"),
        ),
        ("Keep up the good work.", "Feel free to use this as a testimonial."),
        ("Thanks again!",),
        ("thanks, that fixed it", "all good now, thanks {agent_first}"),
        0.0,
    ),
    "auto_reply": _Kind(
        (
            "Automatic reply: {feature} question",
            "Out of Office: Re: ticket {ticket_ref}",
            "Auto-reply: your request {ticket_ref}",
            "Out of office",
        ),
        (
            _c("I'm out of the office until {fdate} with limited access to email."),
            _c("Thank you for your email. I am away until {fdate}."),
        ),
        ("For urgent matters please contact {colleague_full} at {colleague_email}.",),
        ("I will respond when I return.",),
        ("Out of office until {fdate}.",),
        0.0,
    ),
    "spam": _Kind(
        ("Partnership opportunity", "Quick intro"),
        (
            _c(
                "I came across your website and would love to discuss a partnership.",
                "Partnership opportunity",
            ),
            _c("We help software companies rank first on Google.", "Boost your SEO rankings"),
            _c(
                "I think I emailed the wrong company, I was looking for {integration} support.",
                "Wrong address?",
            ),
            _c("Please unsubscribe me from your marketing emails.", "Unsubscribe"),
        ),
        ("Do you have 15 minutes this week?",),
        ("Thanks.",),
        ("unsubscribe",),
        0.0,
    ),
}

CATEGORY_WEIGHTS: dict[str, float] = {
    "how_to": 30.0,
    "feature_request": 8.0,
    "billing": 10.0,
    "login": 10.0,
    "account_change": 7.0,
    "bug": 12.0,
    "outage": 5.0,
    "legal": 2.0,
    "refund": 4.0,
    "security": 3.0,
    "data_loss": 2.0,
    "safety": 0.5,
    "churn": 2.0,
    "feedback": 2.5,
    "auto_reply": 1.0,
    "spam": 1.0,
}
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
    seq = _F[name]
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


PRODUCTS = _F["product"]
_NETS = ("203.0.113", "198.51.100", "192.0.2")  # documentation ranges (RFC 5737)

_GEN: dict[str, Callable[[_Slots], str]] = {name: _chooser(name) for name in _F}
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


def _sentences(rng: Random, kind: _Kind, core: str, angry: bool, budget: int) -> list[str]:
    out = [core]
    details = kind.details
    for _ in range(_DETAIL_COUNTS[int(rng.random() * 7)] if budget > 1 else 0):
        d = _pick(details, rng)
        if d not in out:
            out.append(d)
    if angry:
        out.append("{angry}")
        if rng.random() < 0.3:
            out.insert(1, _pick(_F["angry"], rng))
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
    seq = _F[name]
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
    kind = _KINDS[category]
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
            parts.append(_pick(_F["falsealarm"], rng))
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
