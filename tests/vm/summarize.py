#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turns one `make check` run into a verdict.

Reads the host test tally, the VM's result channel (sections written by
tests/vm/init.sh) and the guest console log; prints what failed, then the one
line `N passed, N failed`, and exits non-zero on any failure or kernel report.
"""
import argparse
import re
import sys

# Kernel reports that fail the run wherever they appear in the guest log.
REPORTS = [
    r"WARNING:", r"\bBUG[: ]", r"Oops", r"UBSAN", r"KFENCE",
    r"general protection fault", r"Kernel panic", r"kernel BUG",
    r"unreferenced object", r"Redzone overwritten", r"Poison overwritten",
    r"Object padding overwritten", r"Freepointer corrupt", r"slab.*corrupt",
    r"possible circular locking", r"possible recursive locking",
    r"inconsistent lock state", r"possible irq lock inversion", r"suspicious RCU usage",
    r"DEBUG_LOCKS_WARN_ON", r"lockdep is turned off", r"lock held when returning to user space",
    r"sleeping function called from invalid context",
    r"rust_panic", r"panicked at", r"INFO: task .* blocked",
]
REPORT_RE = re.compile("|".join(REPORTS))
TAP_RE = re.compile(r"^(\s*)(not ok|ok)\s+(\d+)\s*-?\s*(.*?)\s*$")
PLAN_RE = re.compile(r"^\s*1\.\.(\d+)")


def parse_sections(text):
    """Yields (kind, name, lines, rc) for each @@DAOS section."""
    cur = None
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        if line.startswith("@@DAOS begin "):
            parts = line.split(None, 3)[2:]
            cur = (parts[0], parts[1] if len(parts) > 1 else parts[0], [])
        elif line.startswith("@@DAOS end") and cur:
            rc = line.split()[2] if len(line.split()) > 2 else "?"
            yield cur[0], cur[1], cur[2], rc
            cur = None
        elif cur:
            cur[2].append(line)
    if cur:
        yield cur[0], cur[1], cur[2], "unfinished"


def tally_tap(lines, nested):
    """Counts TAP results. For KTAP suites (nested) only indented case lines count."""
    passed, failed, names = 0, 0, []
    plan = None
    for line in lines:
        m = TAP_RE.match(line)
        if m:
            indent, verdict, _, desc = m.groups()
            if nested and not indent:
                continue
            if "# SKIP" in desc:
                continue
            if verdict == "ok":
                passed += 1
            else:
                failed += 1
                names.append(desc)
            continue
        p = PLAN_RE.match(line)
        if p and plan is None and (not nested or line.startswith(" ")):
            plan = int(p.group(1))
    return passed, failed, names, plan


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host-passed", type=int, default=0)
    ap.add_argument("--host-failed", type=int, default=0)
    ap.add_argument("--results")
    ap.add_argument("--console")
    a = ap.parse_args()

    passed, failed = a.host_passed, a.host_failed
    problems = []
    if a.host_failed:
        problems.append(f"host: {a.host_failed} failed")

    if a.results:
        try:
            text = open(a.results, errors="replace").read()
        except OSError:
            text = ""
        seen_done = "@@DAOS done" in text
        for kind, name, lines, rc in parse_sections(text):
            nested = kind == "kunit"
            p, f, names, plan = tally_tap(lines, nested)
            skipped = sum(1 for l in lines if TAP_RE.match(l) and "# SKIP" in l)
            ran = p + f + skipped
            passed += p
            failed += f
            problems += [f"{kind} {name}: {n}" for n in names]
            if plan is not None and ran < plan:
                failed += plan - ran
                problems.append(f"{kind} {name}: {plan - ran} of {plan} tests never reported")
            if ran == 0:
                failed += 1
                problems.append(f"{kind} {name}: reported no test")
            if kind == "selftest" and rc != "0":
                failed += 1
                problems.append(f"{kind} {name}: exited with {rc}" +
                                (" (killed by the per-test timeout)" if rc == "137" else ""))
        if not seen_done:
            failed += 1
            problems.append("vm: the guest did not finish its run (hang, crash or timeout)")

    if a.console:
        try:
            log = open(a.console, errors="replace").read().splitlines()
        except OSError:
            log = []
        hits = [l for l in log if REPORT_RE.search(l)]
        if hits:
            failed += 1
            problems.append(f"guest log: {len(hits)} kernel report line(s), first: {hits[0].strip()}")
            for h in hits[:20]:
                print("  report: " + h.strip())

    for p in problems:
        print("FAILED: " + p)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
