"""`grindstone audit verify | checkpoints | checkpoint`: check the event log's hash chains and
signed checkpoints (docs/design.md, "Tamper evidence")."""

import argparse
import contextlib
import json
import sys
import time
from pathlib import Path

import msgspec
from nats.js import JetStreamContext
from tqdm import tqdm

from common import checkpoints, eventlog
from events import integrity, subjects
from events.integrity import Checkpoint
from grindstone_cli import locate, tamper

VERIFY = """\
Read the whole EVENTS stream in order, recompute every subject's hash chain and the running
hash at each signed checkpoint, and name, by stream sequence, each event that was altered,
removed, inserted or reordered. Exit status 1 on any finding, 0 on a clean log. Events stored
before integrity existed (no integrity fields) are listed as "unchained" and fail nothing when
they come before the first chained event. With the server secret (GRINDSTONE_SECRET or the
data folder's), each checkpoint's signature is checked too.
"""
CHECKPOINTS = """\
Print the signed checkpoints (stream sequence, running hash, time, signature). Keep the
`--json` output: `grindstone audit verify --against FILE` later shows whether the log still
matches them, even if the stored checkpoints were removed.
"""


def add_parser(
    subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]",
) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "audit", help="verify the event log", description="Verify the event log."
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    verify = actions.add_parser("verify", help="check every event's integrity", description=VERIFY)
    verify.add_argument("--json", action="store_true", help="print one JSON document")
    verify.add_argument(
        "--against",
        type=Path,
        metavar="FILE",
        help="checkpoints exported before (`audit checkpoints --json`) to hold the log to",
    )
    listing = actions.add_parser(
        "checkpoints", help="export the checkpoints", description=CHECKPOINTS
    )
    listing.add_argument("--json", action="store_true", help="JSON Lines, one per checkpoint")
    now = actions.add_parser(
        "checkpoint",
        help="sign a checkpoint now",
        description="Sign a checkpoint of the log as it is now (the projector makes them "
        "periodically).",
    )
    for action, run in ((verify, run_verify), (listing, run_checkpoints), (now, run_checkpoint)):
        locate.add_nats_url_option(action)
        action.set_defaults(run=run)
    return parser


def _fail(message: str) -> int:
    print(f"grindstone audit: {message}", file=sys.stderr)
    return 2


def _key() -> bytes | None:
    try:
        return integrity.checkpoint_key(locate.secret())
    except locate.NotConfigured:
        return None


async def run_verify(args: argparse.Namespace) -> int:
    try:
        exported = _read_export(args.against) if args.against else []
    except (OSError, ValueError) as exc:
        return _fail(f"cannot read {args.against}: {exc}")
    return await locate.with_jetstream(
        args.nats_url, lambda js: verify(js, exported, _key(), as_json=args.json), _fail
    )


def _read_export(path: Path) -> list[Checkpoint]:
    lines = path.read_text().splitlines()
    return [msgspec.json.decode(line, type=Checkpoint) for line in lines if line.strip()]


def held_to(
    stored: list[Checkpoint], exported: list[Checkpoint], key: bytes | None
) -> list[tamper.Finding]:
    """Findings about the checkpoints themselves: a bad signature, an exported one gone or
    changed in the stream."""
    found = []
    by_seq = {c.stream_seq: c for c in stored}
    for checkpoint in stored:
        if key is not None and not integrity.signed(key, checkpoint):
            detail = "its signature is not this server's: not made by grindstone"
            found.append(tamper.Finding(checkpoint.stream_seq, "checkpoint", "", detail))
    for checkpoint in exported:
        now = by_seq.get(checkpoint.stream_seq)
        if now != checkpoint:
            what = "is gone from" if now is None else "differs in"
            detail = f"the checkpoint exported earlier {what} {subjects.AUDIT_CHECKPOINTS_STREAM}"
            found.append(tamper.Finding(checkpoint.stream_seq, "checkpoint", "", detail))
    return found


async def verify(
    js: JetStreamContext, exported: list[Checkpoint], key: bytes | None, *, as_json: bool
) -> int:
    stored = await checkpoints.stored(js)
    verifier = tamper.Verifier([*stored, *exported])
    info = await js.stream_info(subjects.EVENTS_STREAM)
    started, count = time.perf_counter(), 0
    with tqdm(total=info.state.messages, desc="verify", unit="event", file=sys.stderr) as bar:
        async with contextlib.aclosing(eventlog.read(js)) as messages:
            async for msg in messages:
                verifier.feed(msg.metadata.sequence.stream, msg.subject, msg.headers, msg.data)
                count += 1
                if count % 1024 == 0:
                    bar.update(1024)
        bar.update(count % 1024)
    findings = sorted(
        [*verifier.finish(info.state.last_seq), *held_to(stored, exported, key)],
        key=lambda f: (f.seq, f.kind),
    )
    rate = count / max(time.perf_counter() - started, 1e-9)
    failed = [f for f in findings if f.kind in tamper.FAILING]
    report(findings, count, len(stored) + len(exported), rate, key is not None, as_json=as_json)
    return 1 if failed else 0


def report(
    findings: list[tamper.Finding],
    count: int,
    anchors: int,
    rate: float,
    signatures: bool,
    *,
    as_json: bool,
) -> None:
    failed = sum(f.kind in tamper.FAILING for f in findings)
    if as_json:
        document = {
            "events": count,
            "checkpoints": anchors,
            "signatures_checked": signatures,
            "events_per_s": round(rate),
            "clean": failed == 0,
            "findings": [f.__dict__ for f in findings],
        }
        print(json.dumps(document))
        return
    for f in findings:
        print(f"seq {f.seq}\t{f.kind}\t{f.subject or '-'}\t{f.detail}")
    unsigned = "" if signatures else "; signatures not checked (no server secret)"
    verdict = "clean" if failed == 0 else f"{failed} finding(s)"
    print(
        f"{count} events, {anchors} checkpoints, {rate:,.0f} events/s: {verdict}{unsigned}",
        file=sys.stderr,
    )


async def run_checkpoints(args: argparse.Namespace) -> int:
    async def listing(js: JetStreamContext) -> int:
        key = _key()
        for checkpoint in await checkpoints.stored(js):
            if args.json:
                print(msgspec.json.encode(checkpoint).decode())
                continue
            ok = "?" if key is None else ("signed" if integrity.signed(key, checkpoint) else "BAD")
            print(f"seq {checkpoint.stream_seq}\t{checkpoint.at}\t{checkpoint.head}\t{ok}")
        return 0

    return await locate.with_jetstream(args.nats_url, listing, _fail)


async def run_checkpoint(args: argparse.Namespace) -> int:
    try:
        key = integrity.checkpoint_key(locate.secret())
    except locate.NotConfigured as exc:
        return _fail(str(exc))

    async def sign_now(js: JetStreamContext) -> int:
        print(f"{await checkpoints.make(js, key)} checkpoint(s) signed", file=sys.stderr)
        return 0

    return await locate.with_jetstream(args.nats_url, sign_now, _fail)
