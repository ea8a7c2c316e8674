"""Runs inside django-helpdesk's own virtualenv (benchmarks/.peers/), never in fairlane's.

``helpdesk_peer`` copies this file next to the Django settings it writes and runs it there:

* ``populate N DUE``: migrate, one queue escalating after 1 day, N open tickets (bulk_create),
  of which DUE (spread evenly) were created 2 days ago and so are due for escalation.
* ``escalate REPEATS``: time ``call_command("escalate_tickets")`` REPEATS times, checking each
  time that exactly DUE tickets were escalated (priority 3 -> 2, one follow-up and one ticket
  change each), undoing any earlier escalation before each repeat.

Prints one JSON object on its last line.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import timedelta
from importlib.metadata import version

import django

BATCH = 5_000
BODY = (
    "Hello, since this morning the export page shows an error when I pick a date range longer "
    "than a month. Could you have a look? It worked last week. Thanks"
)


def main(argv: list[str]) -> dict[str, object]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
    django.setup()
    if argv[0] == "populate":
        return populate(int(argv[1]), int(argv[2]))
    if argv[0] == "escalate":
        return escalate(int(argv[1]))
    raise SystemExit(f"unknown command {argv[0]!r}")


def populate(count: int, due: int) -> dict[str, object]:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from helpdesk.models import Queue, Ticket

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    with transaction.atomic():
        queue = Queue.objects.create(title="Support", slug="support", escalate_days=1)
        for low in range(1, count + 1, BATCH):
            Ticket.objects.bulk_create(
                Ticket(
                    title=f"Export fails for long date ranges ({i})",
                    queue=queue,
                    description=BODY,
                    priority=3,
                    status=Ticket.OPEN_STATUS,
                )
                for i in range(low, min(count, low + BATCH - 1) + 1)
            )
        ids = list(Ticket.objects.order_by("id").values_list("id", flat=True))
        stride = count // due
        due_ids = [ids[k * stride - 1] for k in range(1, due + 1)]
        old = timezone.now() - timedelta(days=2)
        for low in range(0, len(due_ids), 500):
            Ticket.objects.filter(id__in=due_ids[low : low + 500]).update(created=old)
    return {
        "tickets": Ticket.objects.count(),
        "due": due,
        "migrate_s": migrated - started,
        "populate_s": time.perf_counter() - migrated,
    }


def escalate(repeats: int) -> dict[str, object]:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from helpdesk.models import FollowUp, Ticket, TicketChange

    due = Ticket.objects.filter(created__lte=timezone.now() - timedelta(days=1)).count()
    seconds: list[float] = []
    for _ in range(repeats):
        # Undo any earlier escalation (a no-op on a fresh population).
        Ticket.objects.filter(priority=2).update(priority=3, last_escalation=None)
        FollowUp.objects.all().delete()
        started = time.perf_counter()
        call_command("escalate_tickets")
        seconds.append(time.perf_counter() - started)
        escalated = Ticket.objects.filter(priority=2, last_escalation__isnull=False).count()
        counts = (escalated, FollowUp.objects.count(), TicketChange.objects.count())
        if counts != (due, due, due):
            raise SystemExit(f"expected {due} escalations, follow-ups and changes; got {counts}")
    pragmas: dict[str, object] = {}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for name in ("journal_mode", "synchronous"):
                pragmas[name] = cursor.execute(f"PRAGMA {name}").fetchone()[0]
    return {
        "seconds": seconds,
        "escalated": due,
        "django": django.get_version(),
        "django_helpdesk": version("django-helpdesk"),
        "database": connection.vendor,
        "pragmas": pragmas,
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])), flush=True)
