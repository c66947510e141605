"""`manage.py rescreen [--apply] [--batch-size N] [--user USERNAME]`: see intake/rescreening.py."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError

from intake.rescreening import DEFAULT_BATCH_SIZE, rescreen


class Command(BaseCommand):
    help = (
        "Screen every submitted intake again under the current rules and report what would "
        "change. Nothing is written without --apply, which stores a new current screening for "
        "each changed intake (keeping the old one) and records the run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply", action="store_true", help="Store the new screenings and record the run."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            metavar="N",
            help=f"Intakes per transaction (default {DEFAULT_BATCH_SIZE}).",
        )
        parser.add_argument(
            "--user", metavar="USERNAME", help="The staff member the new screenings are by."
        )

    def handle(self, *args, apply=False, batch_size=DEFAULT_BATCH_SIZE, user=None, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if user is not None:
            try:
                user = get_user_model().objects.get_by_natural_key(user)
            except get_user_model().DoesNotExist as error:
                raise CommandError(f"No user named {user!r}.") from error
        try:
            run = rescreen(apply=apply, batch_size=batch_size, user=user)
        except (OperationalError, InterfaceError) as error:
            # Each batch is one transaction: those before the outage are stored whole, the
            # rest untouched, and a second run finds only what is left to do.
            raise CommandError(
                "The database stopped answering part-way through. Every intake is either "
                "rescreened or untouched, none half-way. Run the same command again to finish."
            ) from error
        self.report(run)

    def report(self, run):
        summary = run.summary
        would = "changed" if not run.is_dry_run else "would change"
        mode = " (dry run)" if run.is_dry_run else ""
        lines = [
            f"Rescreen under rules {run.rules_version}{mode}: {run.examined} intake(s) examined, "
            f"{run.changed} {would}."
        ]
        lines += transition_table(summary.get("transitions", []))
        if summary.get("same_level_and_alerts"):
            lines.append(
                "  same level and alerts, other reasons or rules version: "
                f"{summary['same_level_and_alerts']}"
            )
        lines += [f"  {change}: {count}" for change, count in summary["level_changes"].items()]
        lines.append(f"  alerts added: {counts(summary['alerts_added'])}")
        lines.append(f"  alerts removed: {counts(summary['alerts_removed'])}")
        lines.append(f"  reasons changed: {summary['reasons_changed']}")
        lines.append(f"  new in the worklist: {summary.get('newly_in_worklist', 0)}")
        lines.append(f"  screened under other rules: {summary['rules_version_changed']}")
        if summary["examples"]:
            lines.append(f"  examples: {', '.join(summary['examples'])}")
        if summary["invalid"]:
            lines.append(f"  not rescreened, answers now invalid: {summary['invalid']}")
            lines += [f"    {example}" for example in summary["invalid_examples"]]
        if run.is_dry_run:
            lines.append("Nothing was written. Run with --apply to store the new screenings.")
        else:
            lines.append(f"Stored {run.changed} new screening(s); recorded as rescreen {run.pk}.")
        self.stdout.write("\n".join(lines))


def transition_table(transitions):
    """Old level and alerts to new, with how many intakes and example references."""
    if not transitions:
        return []
    header = ("from (level + alerts)", "to (level + alerts)", "intakes", "examples")
    rows = [
        (row["from"], row["to"], str(row["count"]), ", ".join(row["examples"]))
        for row in transitions
    ]
    widths = [max(len(cells[i]) for cells in [header, *rows]) for i in range(3)]
    return [
        "  "
        + "  ".join(
            [cells[0].ljust(widths[0]), cells[1].ljust(widths[1]), cells[2].rjust(widths[2])]
        )
        + f"  {cells[3]}".rstrip()
        for cells in [header, *rows]
    ]


def counts(counter):
    return ", ".join(f"{code} {count}" for code, count in counter.items()) or "none"
