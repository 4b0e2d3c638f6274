"""`python -m bot …`: serve, worker, org load, schedule import, metrics, report, jobs, demo."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from sqlalchemy.exc import DBAPIError

from bot.config import ConfigError, Settings, load_settings
from bot.logs import configure
from bot.organisation.missing import NoOrganisation
from bot.schedule.timing import SCHEDULE_YEARS as YEARS
from bot.text import capped

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from bot.schedule.timing import Month

log = logging.getLogger("socialbot")


class _Parser(argparse.ArgumentParser):
    """A mistake on the command line is one line saying what is wrong, not the usage text."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"socialbot: {self.prog}: {message} (see `{self.prog} --help`)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m bot",
        description="socialbot: run the organisation's social media programme from Slack.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="listen for Slack (HTTP on $PORT, or Socket Mode when SLACK_APP_TOKEN is set) "
        "and run the scheduler",
        description="Listen for Slack requests and run the scheduler in one process. HTTP mode "
        "serves POST /slack/events on $PORT; with SLACK_APP_TOKEN set it uses Socket Mode.",
    )
    serve.add_argument(
        "--no-scheduler",
        action="store_true",
        help="do not run scheduled jobs here (for extra web replicas; run one `worker`)",
    )
    serve.add_argument("--host", default="0.0.0.0", help="address to bind in HTTP mode")

    commands.add_parser(
        "worker",
        help="run the scheduler alone",
        description="Run scheduled jobs, without listening for Slack. Run exactly one.",
    )

    org = commands.add_parser("org", help="the organisation file").add_subparsers(
        dest="org_command", required=True, metavar="ACTION"
    )
    load = org.add_parser(
        "load",
        help="load the organisation from a TOML file",
        description="Validate the whole file, then update storage in place. Departments, "
        "people and accounts no longer in the file are retired, never deleted.",
    )
    load.add_argument("path", type=Path, help="the organisation TOML file")

    schedule = commands.add_parser("schedule", help="the posting schedule").add_subparsers(
        dest="schedule_command", required=True, metavar="ACTION"
    )
    imp = schedule.add_parser(
        "import",
        help="import schedule slots from CSV",
        description="Columns department,due,platform,topic,contributor and optionally "
        "account. All-or-nothing; importing the same file again adds nothing twice.",
    )
    imp.add_argument("path", type=Path, help="the CSV file")
    imp.add_argument(
        "--strict",
        action="store_true",
        help="refuse the file if a new row is in the past or on a blackout day",
    )
    generate = schedule.add_parser(
        "generate",
        help="create a year's slots from the departments' recurring rules",
        description="Create the slots the organisation file's [[departments.rules]] describe "
        "for one year. Running it again adds nothing twice.",
    )
    generate.add_argument("--year", type=_year, required=True, help="e.g. 2027")

    calendar = commands.add_parser(
        "calendar", help="the communications calendar (iCalendar)"
    ).add_subparsers(dest="calendar_command", required=True, metavar="ACTION")
    cal_import = calendar.add_parser(
        "import",
        help="import blackout days from an .ics file",
        description="Every event in the file blocks the days it covers: reminders move to the "
        "working day before, and slots on those days are flagged. Importing again replaces "
        "the previous calendar.",
    )
    cal_import.add_argument("path", type=Path, help="the .ics file")
    cal_export = calendar.add_parser(
        "export",
        help="write each department's schedule as an .ics feed",
        description="Write one .ics file per department into DIR, for calendar subscriptions.",
    )
    cal_export.add_argument("--out", type=Path, required=True, help="folder to write into")

    metrics = commands.add_parser(
        "metrics", help="analytics exports from the platforms"
    ).add_subparsers(dest="metrics_command", required=True, metavar="ACTION")
    metrics_import = metrics.add_parser(
        "import",
        help="import the platforms' own export files (CSV, .xlsx, .xls)",
        description="Import Meta Business Suite, X, LinkedIn Page, LinkedIn creator and "
        "generic CSV exports as they come. Each file is all-or-nothing; importing again "
        "never counts twice.",
    )
    metrics_import.add_argument("paths", type=Path, nargs="+", metavar="FILE")
    metrics_import.add_argument(
        "--account",
        default=None,
        metavar="platform:handle",
        help="the account the files are for, where the file does not say",
    )
    metrics.add_parser("list", help="what is stored per account")

    report = commands.add_parser("report", help="the monthly report").add_subparsers(
        dest="report_command", required=True, metavar="ACTION"
    )
    build = report.add_parser(
        "build",
        help="write a month's report (report.md, report.json, charts) without Slack",
        description="Write report.md (the text as posted), report.json (every figure the text "
        "states, with its inputs) and every chart as PNG into DIR.",
    )
    build.add_argument("--month", type=_month, required=True, help="YYYY-MM")
    build.add_argument("--department", default=None, help="one department's report")
    build.add_argument("--out", type=Path, required=True, help="folder to write into")

    jobs = commands.add_parser("jobs", help="scheduled jobs").add_subparsers(
        dest="jobs_command", required=True, metavar="ACTION"
    )
    jobs.add_parser("list", help="list the jobs and when they run")
    run = jobs.add_parser(
        "run",
        help="run one job once",
        description="Run one scheduled job once, as if the clock read --at.",
    )
    run.add_argument("name", help="the job's name (see `jobs list`)")
    run.add_argument(
        "--at",
        type=_instant,
        default=None,
        help="ISO-8601 date-time the job should believe it is (default: now; naive = UTC)",
    )

    manifest = commands.add_parser(
        "manifest",
        help="print the Slack app manifest (Socket Mode, or HTTP mode with --http-url)",
        description="Print manifests/manifest.json; with --http-url, the HTTP-mode variant whose "
        "commands, interactivity and events all point at URL/slack/events.",
    )
    manifest.add_argument("--http-url", default=None, help="public base URL, e.g. https://x.io")

    access = commands.add_parser("access", help="credential access: the audit log").add_subparsers(
        dest="access_command", required=True, metavar="ACTION"
    )
    audit = access.add_parser(
        "audit",
        help="print the access audit log (oldest first)",
        description="Every request, decision, break-glass, reveal, refused reveal, revoke, "
        "expiry and secret change. --csv writes RFC 4180 CSV, spreadsheet-safe.",
    )
    audit.add_argument("--account", default=None, help="only this account (platform:handle)")
    audit.add_argument("--since", type=_day, default=None, help="from this day (YYYY-MM-DD)")
    audit.add_argument("--csv", action="store_true", help="CSV on standard output")
    access.add_parser(
        "verify-audit",
        help="check the audit log's hash chain",
        description="Exits 1 and names the first altered, removed or inserted entry.",
    )
    vault = commands.add_parser(
        "vault", help="the key(s) that encrypt stored secrets"
    ).add_subparsers(dest="vault_command", required=True, metavar="ACTION")
    vault.add_parser("new-key", help="print a fresh key for VAULT_KEYS")
    vault.add_parser(
        "rotate-key",
        help="re-encrypt every stored secret under the newest key",
        description="Put a new key first in VAULT_KEYS (keep the old ones after it), run "
        "this, then the old keys may be removed.",
    )

    demo = commands.add_parser(
        "demo",
        help="run a realistic month against a fake Slack and print the conversation",
        description="No Slack needed: seeds a sample organisation into a throwaway database, "
        "runs a month against a local fake Slack Web API and prints what the bot said.",
    )
    demo.add_argument("--out", type=Path, default=None, help="folder for generated files")
    return parser


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year (e.g. 2027)") from None
    if year not in YEARS:
        raise argparse.ArgumentTypeError(
            f"{year} is not a year from {YEARS.start} to {YEARS.stop - 1}: "
            "write all four digits, e.g. 2027"
        )
    return year


def _instant(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO-8601 date-time (e.g. 2027-01-05T09:00:00+00:00)"
        ) from None
    if moment.year not in YEARS:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not in a year from {YEARS.start} to {YEARS.stop - 1}: check the year"
        )
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2027-01-31") from None
    if day.year not in YEARS:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not in a year from {YEARS.start} to {YEARS.stop - 1}: check the year"
        )
    return day


def _month(text: str) -> Month:
    from bot.schedule.timing import Month

    month = Month.parse(text)
    if month is not None and month.year in YEARS:
        return month
    if Month.looks_like(text) and int(text.strip().split("-")[0]) not in YEARS:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not in a year from {YEARS.start} to {YEARS.stop - 1}: check the year"
        )
    raise argparse.ArgumentTypeError(f"{text!r} is not a month like 2027-01")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings: Settings | None = None
    try:
        if args.command == "vault" and args.vault_command == "new-key":
            from bot.access.vault import new_key

            print(new_key())
            return 0
        if args.command == "manifest":
            return _print_manifest(args.http_url)
        if args.command == "demo":
            from bot.demo import run_demo

            return run_demo(args.out)
        settings = load_settings()
        configure(settings.log_format, settings.log_level)
        return _dispatch(args, settings)
    except (ConfigError, NoOrganisation) as exc:
        print(f"socialbot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "socialbot: interrupted: what was not finished was rolled back (each change is one"
            " transaction); run the command again to finish it",
            file=sys.stderr,
        )
        return 130
    except DBAPIError as exc:  # the database refused work it had allowed at start-up
        from sqlalchemy.engine import make_url

        from storage.db import explain

        where = make_url(settings.database_url) if settings else make_url("sqlite://")
        print(f"socialbot: DATABASE_URL: {explain(where, exc)}.", file=sys.stderr)
        return 2
    except OSError as exc:  # a file or folder given on the command line
        print(f"socialbot: {_os_problem(exc)}", file=sys.stderr)
        return 2


def _os_problem(exc: OSError) -> str:
    what = exc.strerror or type(exc).__name__
    if exc.filename:
        return f"{exc.filename}: {what}: check the path, and that this user may write there"
    return f"{what}: {exc}"


def _print_manifest(http_url: str | None) -> int:
    import json

    from bot.manifest import ManifestUrlError, http_manifest, load_manifest

    try:
        manifest = load_manifest() if http_url is None else http_manifest(http_url)
    except ManifestUrlError as exc:
        raise ConfigError(f"--http-url {exc}") from None
    print(json.dumps(manifest, indent=2))
    return 0


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runtime import Runtime

    if args.command == "jobs" and args.jobs_command == "list":
        return _jobs_list()
    runtime = Runtime.start(settings)
    if args.command == "serve":
        return _serve(runtime, scheduler=not args.no_scheduler, host=args.host)
    if args.command == "worker":
        return _worker(runtime)
    if args.command == "org":
        return _org_load(runtime, args.path)
    if args.command == "schedule" and args.schedule_command == "generate":
        return _schedule_generate(runtime, args.year)
    if args.command == "schedule":
        return _schedule_import(runtime, args.path, strict=args.strict)
    if args.command == "calendar" and args.calendar_command == "import":
        return _calendar_import(runtime, args.path)
    if args.command == "calendar":
        return _calendar_export(runtime, args.out)
    if args.command == "jobs":
        return _jobs_run(runtime, args.name, args.at)
    if args.command == "access":
        from bot.access_cli import audit_command, verify_command

        if args.access_command == "verify-audit":
            return verify_command(runtime)
        return audit_command(runtime, account=args.account, since=args.since, as_csv=args.csv)
    if args.command == "vault":
        from bot.access_cli import rotate_keys_command

        return rotate_keys_command(runtime)
    if args.command == "report":
        return _report_build(runtime, args.month, args.department, args.out)
    if args.command == "metrics" and args.metrics_command == "import":
        from bot.metrics_cli import metrics_import

        return metrics_import(runtime, args.paths, args.account)
    if args.command == "metrics":
        from bot.metrics_cli import metrics_list

        return metrics_list(runtime)
    raise AssertionError(args.command)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text; save it as UTF-8 and try again") from None


def _org_load(runtime: Runtime, path: Path) -> int:
    from bot.organisation.service import load_organisation
    from bot.organisation.spec import OrganisationFileError, parse_organisation

    try:
        spec = parse_organisation(_read(path))
    except OrganisationFileError as exc:
        print(f"{path}: {len(exc.problems)} problem(s); nothing was changed:", file=sys.stderr)
        for line in capped([str(p) for p in exc.problems]):
            print(f"  {line}", file=sys.stderr)
        return 1
    with runtime.session() as session:
        summary = load_organisation(session=session, spec=spec, now=runtime.now())
    print(f"Loaded {path}:")
    for line in summary.lines():
        print(f"  {line}")
    return 0


def _schedule_import(runtime: Runtime, path: Path, *, strict: bool = False) -> int:
    from bot.schedule.csv_import import ScheduleImportError
    from bot.schedule.service import import_schedule

    try:
        with runtime.session() as session:
            summary = import_schedule(
                session=session,
                text=_read(path),
                source=path.name,
                now=runtime.now(),
                strict=strict,
            )
    except ScheduleImportError as exc:
        why = " (--strict)" if strict else ""
        print(
            f"{path}: {len(exc.problems)} problem(s){why}; nothing was imported:", file=sys.stderr
        )
        for line in exc.lines(exc.problems):
            print(f"  {line}", file=sys.stderr)
        return 1
    print(f"Imported {path}: {summary}")
    for line in capped([str(w) for w in summary.warnings], noun="warnings"):
        print(f"  warning: {line}")
    if summary.warnings:
        print("  (`schedule import --strict` refuses such rows)")
    _print_too_late(runtime, summary.slot_ids)
    return 0


def _print_too_late(runtime: Runtime, slot_ids: tuple[int, ...]) -> None:
    from bot.too_late_cli import too_late_lines

    for line in too_late_lines(runtime, slot_ids):
        print(f"  {line}")


def _schedule_generate(runtime: Runtime, year: int) -> int:
    from bot.schedule.rules import generate_year

    with runtime.session() as session:
        summary = generate_year(session=session, year=year, now=runtime.now())
    print(f"Generated {year}: {summary}")
    _print_too_late(runtime, summary.slot_ids)
    return 0


def _calendar_import(runtime: Runtime, path: Path) -> int:
    from bot.calendar import CalendarError, import_calendar

    try:
        with runtime.session() as session:
            result = import_calendar(session=session, data=_read_bytes(path), now=runtime.now())
    except CalendarError as exc:
        print(f"{path}: {exc}; nothing was imported", file=sys.stderr)
        return 1
    print(f"Imported {path}: {result.days} blackout days from {result.events} events")
    if result.repeats_through is not None:
        print(
            f"  repeating events are counted through {result.repeats_through}: "
            "import the calendar again before then"
        )
    for line in result.flagged_lines():
        print(f"  flagged: {line}")
    return 0


def _calendar_export(runtime: Runtime, out: Path) -> int:
    from bot.calendar import export_calendars

    with runtime.session() as session:
        written = export_calendars(session=session, folder=out)
    for path, count in written:
        print(f"Wrote {path} ({count} slots)")
    return 0


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None


def _report_build(runtime: Runtime, month: Month, department: str | None, out: Path) -> int:
    from bot.flows.report import write_files
    from bot.report.loader import UnknownDepartment

    try:
        written = write_files(runtime, month, department, out)
    except UnknownDepartment:
        print(f"socialbot: no department is named {department!r}", file=sys.stderr)
        return 1
    for path in written:
        print(f"Wrote {path}")
    return 0


def _jobs_list() -> int:
    from jobs.registry import all_jobs

    for job in all_jobs().values():
        print(f"{job.name:<12} {job.description}")
    return 0


def _jobs_run(runtime: Runtime, name: str, at: datetime | None) -> int:
    from bot.app import connection_reason, make_client, verify_bot_token
    from jobs.registry import UnknownJob, all_jobs, run_job

    if name not in all_jobs():
        raise ConfigError(str(UnknownJob(name)))
    verify_bot_token(runtime.settings)  # Slack unreachable or the token refused: one line
    try:
        with _said_once():
            summary = run_job(
                name, runtime=runtime, client=make_client(runtime.settings), at=at or runtime.now()
            )
    except NoOrganisation as exc:
        raise ConfigError(f"{name} did nothing: {exc}") from None
    except OSError as exc:  # Slack went away mid-run
        raise ConfigError(
            f"{name} stopped: Slack could not be reached mid-run ({connection_reason(exc)}); "
            "run it again once Slack answers: it picks up where this run stopped."
        ) from None
    print(f"{name}: {summary}")
    return 0


class _SaidByMain(logging.Filter):
    """The job's log lines that the one line `main` prints would only repeat."""

    def filter(self, record: logging.LogRecord) -> bool:
        slack_gone = str(getattr(record, "detail", "")).startswith("Slack:")
        return not slack_gone and getattr(record, "outcome", "") != "skipped"


@contextmanager
def _said_once() -> Iterator[None]:
    """At the command line, a job stopped by Slack going away, or with no organisation loaded,
    is said once, by the line `main` prints: the SDK's own error lines and the job's log line
    would only repeat it. Whatever else is logged (what was sent, what is in doubt) still is."""
    sdk, jobs, said = (
        logging.getLogger("slack_sdk"),
        logging.getLogger("socialbot.jobs"),
        _SaidByMain(),
    )
    level = sdk.level
    sdk.setLevel(logging.CRITICAL)
    jobs.addFilter(said)
    try:
        yield
    finally:
        sdk.setLevel(level)
        jobs.removeFilter(said)


def _serve(runtime: Runtime, *, scheduler: bool, host: str) -> int:
    from bot.app import (
        build_app,
        make_http_server,
        run_socket_mode,
        stop_http_server,
        verify_app_token,
    )
    from jobs.scheduler import build_scheduler

    # Everything that can refuse to start (tokens, the port) is checked before the scheduler.
    app = build_app(runtime)
    server = None
    if runtime.settings.socket_mode:
        verify_app_token(runtime.settings)
    else:
        server = make_http_server(app, runtime, host=host, port=runtime.settings.port)
    if runtime.settings.vault_keys is None:
        log.warning(
            "credential access is off: VAULT_KEYS is not set (`python -m bot vault new-key`)"
        )
    background = None
    if scheduler:
        background = build_scheduler(runtime=runtime, client=app.client, blocking=False)
        background.start()
    try:
        if server is None:
            log.info("serving", extra={"detail": "socket mode"})
            run_socket_mode(app, runtime.settings)
        else:
            signal.signal(signal.SIGTERM, lambda *_: stop_http_server(server))
            log.info("serving", extra={"detail": f"http on {host}:{runtime.settings.port}"})
            with suppress(OSError, ValueError):  # the socket closes under it on SIGTERM
                server.run()
    finally:
        if background is not None:
            background.shutdown(wait=False)
    return 0


def _worker(runtime: Runtime) -> int:
    from bot.app import make_client, verify_bot_token
    from jobs.scheduler import build_scheduler

    verify_bot_token(runtime.settings)
    scheduler = build_scheduler(
        runtime=runtime, client=make_client(runtime.settings), blocking=True
    )
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
    log.info("worker started")
    scheduler.start()
    return 0
