"""Wording of the alarming synthetic ticket categories: outages, legal threats, refund
disputes, security, data loss, safety, churn, and the noise (feedback, auto-replies, spam)."""

from __future__ import annotations

from fairlane.demo.synthetic_kinds import Kind, c

__all__ = ["ALARM_KINDS"]

ALARM_KINDS: dict[str, Kind] = {
    "outage": Kind(
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
            c("Our whole team can't log in {when}, production is down.", "Nobody can log in"),
            c(
                "{product} is completely down for us, every page returns {http}.",
                "{http} errors across the app",
                "{product} down for everyone",
            ),
            c(
                "Nobody at {company} can access {product} {when}.",
                "Is {product} down?",
                "Critical: {product} unavailable",
            ),
            c("The app won't load at all, we just get a {http} error.", "App won't load"),
            c(
                "All our {record} pages are timing out and our {dept} team is at a standstill.",
                "Everything timing out",
            ),
            c(
                "The API is returning {http} for every request {when}.",
                "API down",
                "API returning {http}",
            ),
            c("It looks like the whole platform is down on our side.", "Is the platform down?"),
            c(
                "{product} has been unreachable {when} and we can't process any {record}.",
                "{product} unreachable",
            ),
            c("We have a full outage, nobody can get past the login screen.", "Full outage"),
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
    "legal": Kind(
        (
            "Formal complaint",
            "Escalation",
            "Re: invoice {invoice}",
            "Unacceptable service",
            "Legal notice",
        ),
        (
            c("We are talking to our legal team about the repeated downtime.", "Repeated downtime"),
            c(
                "Our lawyer has advised us that this is a breach of contract.",
                "Breach of contract",
                "Our lawyer will be in touch",
            ),
            c(
                "If this isn't resolved {deadline} we will pursue legal action.",
                "Final notice before legal action",
            ),
            c(
                "This is a clear breach of contract under section {n} of our MSA.",
                "Breach of contract",
                "MSA section {n}",
            ),
            c("I've forwarded this thread to our legal counsel.", "Legal review"),
            c(
                "We consider your failure to meet the SLA a material breach of our agreement.",
                "SLA violation",
                "Contract termination",
            ),
            c("Our attorney will be contacting you about damages.", "Damages"),
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
    "refund": Kind(
        ("Refund request", "Dispute", "Billing error {invoice}", "Money back please"),
        (
            c(
                "I want my money back, we cancelled on {date} and were still charged {amount}.",
                "I want a refund",
                "Cancel and refund",
            ),
            c("We were charged twice for invoice {invoice}.", "Charged twice"),
            c(
                "If this isn't refunded we will dispute the charge with our bank.",
                "Disputed charge",
            ),
            c("I've already filed a chargeback with my card provider.", "Chargeback"),
            c(
                "I never authorized the {amount} charge on {date}.",
                "Unauthorized charge",
                "Wrong charge on my card",
            ),
            c("Please refund the {amount} we paid for seats we never used.", "Refund for seats"),
            c(
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
    "security": Kind(
        ("Security issue", "Security concern", "URGENT security", "Security"),
        (
            c(
                "We saw a suspicious login to our admin account from {ip} ({city}).",
                "Suspicious login",
                "Unrecognized login on our account",
            ),
            c(
                "We think there may have been a possible data breach, an unknown user exported "
                "our {record}.",
                "Possible data breach",
            ),
            c(
                "One of our developers pushed an API key to a public GitHub repo, so the key is "
                "exposed and needs revoking.",
                "Exposed API key",
                "API key leaked",
            ),
            c(
                "An admin account we don't recognise was created {when}.",
                "Unknown admin user appeared",
            ),
            c(
                "We received a phishing email pretending to be from your billing team.",
                "Phishing email from you?",
            ),
            c(
                "I'd like to report a vulnerability: stored XSS in {feature}.",
                "Vulnerability report",
            ),
            c(
                "Our audit log shows {count_records} {record} exported by a user who left on "
                "{date}.",
                "Unexpected export",
                "Possible data breach",
            ),
            c("Someone reset MFA for {colleague_full} and it wasn't us.", "MFA reset we didn't do"),
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
    "data_loss": Kind(
        ("Data missing", "Data gone", "Everything deleted?!", "Missing {record}"),
        (
            c("All our records disappeared from {product} {when}.", "All our records disappeared"),
            c("{count_records} {record} are just gone.", "Where did our {record} go?"),
            c(
                "After the {integration} sync, all our {record} from {date} were overwritten.",
                "Lost data after sync",
            ),
            c(
                "A user deleted a project by mistake, can you restore it from backup?",
                "Restore request",
            ),
            c(
                "Our {record} history is empty, everything before {date} has vanished.",
                "History empty",
            ),
            c("The import wiped out our existing {record}.", "Lost data after import"),
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
    "safety": Kind(
        ("Urgent - staff safety", "Emergency", "Safety issue"),
        (
            c(
                "One of our field technicians was injured on site and the incident report won't "
                "submit in {product}.",
                "Injury report not submitting",
                "Safety incident",
            ),
            c(
                "A user sent a threatening message to one of our staff through the customer "
                "portal.",
                "Threat received through your portal",
            ),
            c(
                "Someone is using your messaging feature to harass an employee and we need the "
                "account blocked now.",
                "Harassment via messages",
            ),
            c(
                "Safety alerts from {product} didn't reach our on-call team {when} and someone "
                "could get hurt.",
                "Safety alerts not delivered",
            ),
            c(
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
    "churn": Kind(
        ("Renewal", "Feedback before renewal", "Our subscription"),
        (
            c("We're evaluating alternatives ahead of our renewal.", "Evaluating alternatives"),
            c(
                "Please cancel our subscription at the end of the term.",
                "Cancel subscription",
                "Not renewing",
            ),
            c(
                "Honestly we're not getting the value we expected from {product}.",
                "Considering cancellation",
            ),
            c("{exec} asked me to review whether we renew.", "Renewal review"),
            c("We're moving to another vendor next quarter.", "Not renewing"),
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
    "feedback": Kind(
        ("Thank you!", "Thanks for the help", "Feedback"),
        (
            c(
                "Just wanted to say thanks to {agent_first} for the quick help.",
                "Kudos to {agent_first}",
            ),
            c("The new {feature} is fantastic and saves us a lot of time.", "Great new {feature}"),
            c("All sorted now, you can close this ticket.", "Re: {feature} question"),
            c("That worked, thank you!", "Re: your reply"),
            c("Our {dept} team loves the latest update to {product}.", "Loving the update"),
        ),
        ("Keep up the good work.", "Feel free to use this as a testimonial."),
        ("Thanks again!",),
        ("thanks, that fixed it", "all good now, thanks {agent_first}"),
        0.0,
    ),
    "auto_reply": Kind(
        (
            "Automatic reply: {feature} question",
            "Out of Office: Re: ticket {ticket_ref}",
            "Auto-reply: your request {ticket_ref}",
            "Out of office",
        ),
        (
            c("I'm out of the office until {fdate} with limited access to email."),
            c("Thank you for your email. I am away until {fdate}."),
        ),
        ("For urgent matters please contact {colleague_full} at {colleague_email}.",),
        ("I will respond when I return.",),
        ("Out of office until {fdate}.",),
        0.0,
    ),
    "spam": Kind(
        ("Partnership opportunity", "Quick intro"),
        (
            c(
                "I came across your website and would love to discuss a partnership.",
                "Partnership opportunity",
            ),
            c("We help software companies rank first on Google.", "Boost your SEO rankings"),
            c(
                "I think I emailed the wrong company, I was looking for {integration} support.",
                "Wrong address?",
            ),
            c("Please unsubscribe me from your marketing emails.", "Unsubscribe"),
        ),
        ("Do you have 15 minutes this week?",),
        ("Thanks.",),
        ("unsubscribe",),
        0.0,
    ),
}
