"""What the tgget CLI test scripts share: a failure type, check(), the clean environment, and the
one-case-per-invocation main() that CTest calls (--tgget PATH --testdc PATH --case NAME)."""
import argparse
import hashlib
import os
import sys
import time

# The variables a developer may have exported must not leak into the test.
CLEAN_ENV = {k: v for k, v in os.environ.items()
             if not k.startswith("TGGET_") and k not in ("ALL_PROXY", "all_proxy", "NO_COLOR")}


class Fail(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Fail(message)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def wait_for(predicate, what, timeout=60):
    """Polls `predicate` (what another process writes is the synchronisation) until it holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise Fail(f"timed out waiting for {what}")


def cases_of(namespace):
    """The case_NAME functions of a module's globals(), by NAME."""
    return {name[5:]: fn for name, fn in namespace.items() if name.startswith("case_")}


def main(cases):
    parser = argparse.ArgumentParser()
    parser.add_argument("--tgget", required=True)
    parser.add_argument("--testdc", required=True)
    parser.add_argument("--case", required=True, choices=sorted(cases))
    args = parser.parse_args()
    try:
        cases[args.case](args.tgget, args.testdc)
    except Fail as e:
        print(f"FAIL {args.case}: {e}")
        return 1
    print(f"ok {args.case}")
    return 0


def run(namespace):
    sys.exit(main(cases_of(namespace)))
