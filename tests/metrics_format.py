"""A strict reader of the Prometheus text exposition format (0.0.4), for the metrics tests:
every sample belongs to a family declared by `# TYPE` before it, names and labels are
well formed, values are numbers, a histogram's buckets rise to +Inf and end at its count."""

import math
import re

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*"'
SAMPLE = re.compile(rf"^({NAME})(?:\{{((?:{LABEL})(?:,{LABEL})*)?\}})? (\S+)$")
KINDS = {"counter", "gauge", "histogram", "summary", "untyped"}
SUFFIXES = {"histogram": ("_bucket", "_sum", "_count"), "summary": ("_sum", "_count", "")}

Series = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def parse(text: str) -> tuple[dict[str, str], Series]:
    """(family -> type, (sample name, labels) -> value); AssertionError on anything invalid."""
    assert text.endswith("\n"), "the exposition ends with a newline"
    kinds: dict[str, str] = {}
    series: Series = {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            assert re.fullmatch(NAME, name) and kind in KINDS, line
            assert name not in kinds, f"{name} declared twice"
            kinds[name] = kind
            continue
        if line.startswith("#") or not line:
            continue
        match = SAMPLE.match(line)
        assert match, f"not a sample line: {line!r}"
        name, labels, value = match.groups()
        assert _family(name, kinds), f"{name} has no # TYPE before it"
        pairs = tuple(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', labels or ""))
        key = (name, pairs)
        assert key not in series, f"{line!r} repeats a series"
        series[key] = float(value)  # "+Inf", "NaN" and numbers; anything else raises
    _check_histograms(kinds, series)
    return kinds, series


def _family(name: str, kinds: dict[str, str]) -> str | None:
    if name in kinds:
        return name
    for family, kind in kinds.items():
        if any(name == family + s for s in SUFFIXES.get(kind, ())):
            return family
    return None


def _check_histograms(kinds: dict[str, str], series: Series) -> None:
    for family in (f for f, k in kinds.items() if k == "histogram"):
        groups: dict[tuple[tuple[str, str], ...], list[tuple[float, float]]] = {}
        for (name, labels), value in series.items():
            if name == f"{family}_bucket":
                rest = tuple(p for p in labels if p[0] != "le")
                le = dict(labels)["le"]
                groups.setdefault(rest, []).append((float(le), value))
        for rest, buckets in groups.items():
            buckets.sort()
            counts = [c for _, c in buckets]
            assert counts == sorted(counts), f"{family} buckets fall"
            assert buckets[-1][0] == math.inf, f"{family} has no +Inf bucket"
            assert series[(f"{family}_count", rest)] == counts[-1], f"{family}_count"
            assert (f"{family}_sum", rest) in series, f"{family}_sum"


def value(series: Series, name: str, **labels: str) -> float:
    """The sum of the samples of `name` whose labels include `labels`."""
    return sum(
        v for (n, pairs), v in series.items() if n == name and labels.items() <= dict(pairs).items()
    )
