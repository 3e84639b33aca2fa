"""What a sandboxed run reports: the judge's records and the RunResult folded from them."""

from collections.abc import Iterable
from typing import Literal

import msgspec

from events import Limits, Outcome

Limit = Literal["wall", "cpu", "memory", "output", "file"]
FILE_SIZE_MB = 16  # the largest file a run may write into its scratch folder


class CaseResult(msgspec.Struct, kw_only=True, tag_field="kind", tag="case"):
    """One test's result as the harness saw it; texts are not capped yet."""

    name: str
    outcome: Outcome
    message: str = ""
    expected: str | None = None
    actual: str | None = None
    line: int | None = None
    source_line: str | None = None
    error: str | None = None
    output: str = ""
    call: str | None = None  # the tests' last call into the student's code
    stdin: str | None = None  # the input of the tests' last run of the program
    text: bool = False  # expected and actual are printed text, not Python literals


class LoadError(msgspec.Struct, kw_only=True, tag_field="kind", tag="load_error"):
    """The student's code could not be loaded (syntax error, exception at import)."""

    type: str
    detail: str
    line: int | None = None
    source_line: str | None = None


class CaseNames(msgspec.Struct, kw_only=True, tag_field="kind", tag="tests"):
    names: list[str]


class Started(msgspec.Struct, kw_only=True, tag_field="kind", tag="start"):
    name: str


class Output(msgspec.Struct, kw_only=True, tag_field="kind", tag="output"):
    text: str


class Witnessed(msgspec.Struct, kw_only=True, tag_field="kind", tag="witnessed"):
    """The call or the input of the test running when the run stopped."""

    call: str | None = None
    stdin: str | None = None


class LimitHit(msgspec.Struct, kw_only=True, tag_field="kind", tag="limit"):
    limit: Limit


class Fault(msgspec.Struct, kw_only=True, tag_field="kind", tag="fault"):
    detail: str
    retry: bool = False  # the sandbox itself failed: grade again, never a verdict


class RanError(msgspec.Struct, kw_only=True):
    type: str
    detail: str
    line: int | None = None
    source_line: str | None = None


class Ran(msgspec.Struct, kw_only=True, tag_field="kind", tag="ran"):
    """An ungraded run's result (inside/ungraded.py); texts are not capped yet."""

    stdout: str = ""
    stderr: str = ""
    value: str | None = None
    error: RanError | None = None
    limit: Limit | None = None
    exit_code: int = 0
    time_ms: int = 0


class Done(msgspec.Struct, kw_only=True, tag_field="kind", tag="done"):
    pass


class Ended(msgspec.Struct, kw_only=True, tag_field="kind", tag="ended"):
    """The student's process ended before the tests finished (os._exit, a crash, ...)."""

    exit_status: str


Record = (
    CaseResult
    | LoadError
    | CaseNames
    | Started
    | Output
    | Witnessed
    | LimitHit
    | Fault
    | Done
    | Ended
    | Ran
)
_record = msgspec.json.Decoder(Record)


class RunResult(msgspec.Struct, kw_only=True):
    limits: Limits
    names: list[str] = msgspec.field(default_factory=list)  # every test, in order
    cases: list[CaseResult] = msgspec.field(default_factory=list)  # the tests that ran
    running: str | None = None  # the test that had started when the run stopped
    witnessed: Witnessed | None = None  # its call or input
    load_error: LoadError | None = None
    output: str = ""  # outside any test: loading the code, stray writes to stdout/stderr
    limit: Limit | None = None
    fault: str | None = None  # the grader's or the assignment's fault, never the student's
    retry: bool = False  # the fault is the sandbox's own: the job is to be graded again
    finished: bool = False  # the judge reported the end of the run
    over: bool = False  # the judge's last word came: done, a limit, the end of the program, a fault
    exit_status: str = ""  # how the student's process ended, for a run that did not finish
    ran: Ran | None = None  # an ungraded run's result
    runtime_ms: int = 0


def parse_records(lines: Iterable[bytes]) -> list[Record]:
    """Decode the harness's JSON lines; a line that is not a record is skipped."""
    records: list[Record] = []
    for line in lines:
        try:
            records.append(_record.decode(line))
        except msgspec.DecodeError:
            continue
    return records


def is_last(record: Record) -> bool:
    """The judge's last word on a job."""
    return isinstance(record, Done | LimitHit | Fault | Ended)


def fold(records: Iterable[Record], limits: Limits) -> RunResult:
    result = RunResult(limits=limits)
    for record in records:
        _apply(result, record)
    return result


def _apply(result: RunResult, record: Record) -> None:
    match record:
        case CaseNames(names=names):
            result.names = names
        case Started(name=name):
            result.running = name
        case CaseResult():
            result.cases.append(record)
            result.running = None
        case LoadError():
            result.load_error = record
        case Output(text=text):
            result.output += text
        case Witnessed():
            result.witnessed = record
        case LimitHit(limit=limit):
            result.limit = result.limit or limit
            result.over = True
        case Fault(detail=detail, retry=retry):
            result.fault, result.retry = detail, retry
            result.over = True
        case Done():
            result.finished = result.over = True
        case Ran():
            result.ran = record
        case Ended(exit_status=status):
            result.exit_status = status
            result.over = True
