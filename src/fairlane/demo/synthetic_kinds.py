"""Per-category wording of synthetic tickets (subjects, cores, details, asks) and how often
each category occurs. Data only; :mod:`fairlane.demo.synthetic_text` renders it."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CALM_KINDS", "CATEGORY_WEIGHTS", "Core", "Kind", "c"]

# Per-category wording. Generic subjects fit any core; a core may bring its own subjects,
# which are preferred so that subject and body usually agree.
Core = tuple[str, tuple[str, ...]]


def c(core: str, *subjects: str) -> Core:
    return core, subjects


@dataclass(frozen=True, slots=True)
class Kind:
    subjects: tuple[str, ...]
    cores: tuple[Core, ...]
    details: tuple[str, ...]
    asks: tuple[str, ...]
    short: tuple[str, ...]
    angry: float
    hidden_subjects: tuple[str, ...] = ()
    hidden_cores: tuple[str, ...] = ()


CALM_KINDS: dict[str, Kind] = {
    "how_to": Kind(
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
            c("How do I {howto_task}?", "How do I {howto_task}?", "how to {howto_task}"),
            c(
                "I'm trying to {howto_task} but can't find where to do that.",
                "Can't figure out how to {howto_task}",
                "Where do I {howto_task}?",
            ),
            c("Is there a way to {howto_task} in {product}?", "Is it possible to {howto_task}?"),
            c(
                "Could you point me to the docs on how to {howto_task}?",
                "Docs on how to {howto_task}?",
            ),
            c(
                "We're rolling out {product} to the {dept} team and need to {howto_task}.",
                "Rolling out {product} to {dept}",
                "Setup question",
            ),
            c("What's the best way to {howto_task}?", "Best way to {howto_task}?"),
            c(
                "I read {docs_url} but I'm still not sure how to {howto_task}.",
                "Question about the docs",
            ),
            c("Can {feature} be used to {howto_task}?", "Question about {feature}"),
            c(
                "We want to connect {integration}, where do we find the API token?",
                "Setting up {integration}",
                "{integration} setup",
            ),
            c(
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
    "feature_request": Kind(
        ("Suggestion for {product}", "Product feedback", "Roadmap question", "Idea"),
        (
            c(
                "It would be great if {product} supported {wish}.",
                "Feature request: {wish}",
                "Would love {wish}",
            ),
            c("Are there any plans to add {wish}?", "Any plans to support {wish}?"),
            c("We'd really like to see {wish} on the roadmap.", "Idea: {wish}"),
            c("Our {dept} team keeps asking for {wish}.", "Request - {wish}"),
            c("Would you consider adding {wish}?", "Feature request: {wish}"),
            c("Is {wish} something you're working on?", "{wish}?"),
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
    "billing": Kind(
        ("Billing question", "Question about our invoice", "invoice question", "Billing"),
        (
            c(
                "Could you send a copy of invoice {invoice}?",
                "Invoice {invoice}",
                "Copy of invoice {invoice}",
            ),
            c(
                "Our latest invoice was {amount}, which is higher than we expected.",
                "Why did our bill go up?",
                "Invoice higher than expected",
            ),
            c("We need our VAT number added to invoice {invoice}.", "VAT number on invoices"),
            c("Can you add PO number PO-{po} to the invoice?", "PO number for invoice {invoice}"),
            c(
                "I'd like to update the credit card on file.",
                "Update credit card",
                "New card details",
            ),
            c(
                "We got an email that our payment failed, but the card is fine.",
                "Payment failed?",
                "Failed payment email",
            ),
            c("Can we switch from monthly to annual billing?", "Annual vs monthly pricing"),
            c("Please update our billing address, we moved offices.", "Billing address change"),
            c("Our finance team needs a W-9 for our vendor setup.", "W-9 request"),
            c(
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
    "login": Kind(
        ("Login problem", "login issue", "Cannot access my account", "Sign-in trouble"),
        (
            c(
                "I can't log in, it says my password is incorrect but I just reset it.",
                "Can't log in",
                "Password not accepted",
            ),
            c(
                "The password reset email never arrives.",
                "Password reset not working",
                "No reset email",
            ),
            c(
                "Since we switched to {idp}, {colleague} gets error {error} when signing in.",
                "{idp} SAML error {error}",
                "SSO issue",
            ),
            c("My 2FA codes are being rejected.", "2FA code not accepted"),
            c(
                "One of our users ({colleague_full}) is locked out after too many attempts.",
                "Locked out",
                "User can't sign in",
            ),
            c(
                "We're setting up SSO with {idp} and the SAML response fails with {error}.",
                "SSO setup with {idp}",
                "SAML error {error}",
            ),
            c(
                "The reset link says it has expired even when I click it right away.",
                "Reset link expired",
            ),
            c("I get redirected back to the login page in a loop.", "Login loop"),
            c("New hires aren't being provisioned from {idp}.", "{idp} provisioning"),
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
    "account_change": Kind(
        ("Account change", "Account update request", "Admin request"),
        (
            c("We need to add {n} more seats to our account.", "Add {n} seats", "Seat count"),
            c(
                "Please transfer account ownership from {colleague_full} to me.",
                "Transfer ownership",
                "Change account owner",
            ),
            c(
                "{colleague_full} has left the company, please remove their access.",
                "Remove user",
                "Offboarding {colleague_full}",
            ),
            c("We'd like to upgrade to the {plan} plan.", "Upgrade to {plan}", "Plan upgrade"),
            c("Can you rename our workspace to {company} Global?", "Rename workspace"),
            c("Please change the admin email to {email_local}@{domain}.", "Update admin email"),
            c("We'd like to downgrade at the end of our term.", "Downgrade request"),
            c("Please make {colleague} an admin.", "Add a new admin"),
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
    "bug": Kind(
        ("Not working", "issue with {product}", "Bug in {product}", "Problem", "Bug report"),
        (
            c(
                "When I try to use {feature} I get error {error}.",
                "Error {error} in {product}",
                "{feature} not working",
            ),
            c("{product} shows a blank page in {browser}.", "Blank page in {browser}"),
            c(
                "The totals in our weekly report don't match the numbers in {product}.",
                "Wrong totals in report",
            ),
            c("Clicking export does nothing.", "Export broken?"),
            c("Webhooks to our endpoint are arriving hours late.", "Webhooks delayed"),
            c("Saving a record fails with HTTP {http}.", "{http} error when saving"),
            c(
                "{feature} stopped working {when}.",
                "{feature} not working",
                "Something wrong with {feature}",
            ),
            c(
                "{product} has been really slow {when}, pages take 30+ seconds.",
                "{product} is very slow",
                "Performance",
            ),
            c(
                "The {integration} sync is creating duplicate {record}.",
                "Duplicate {record}",
                "{integration} sync bug",
            ),
            c("Dates are showing in the wrong time zone after the last update.", "Wrong time zone"),
            c("Attachments over 5 MB fail to upload.", "Upload fails"),
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
