#!/usr/bin/env python3
"""Monitor waits of a JFR recording, by what they wait for: python3 bench/jfr/monitor-waits.py recording.jfr [more.jfr]

Reads the jdk.JavaMonitorEnter events (a thread blocked on a monitor longer than the recording's threshold, 20 ms in
the profile settings) with `jfr print`, puts each into the first category whose marker occurs in its stack, and prints
events and milliseconds waited per category, one column per recording."""
import collections
import re
import subprocess
import sys

# (category, marker in the stack), first match wins: the caller that takes the lock decides
CATEGORIES = [
    ("random generator, from TokenGate", ("io.tokengate", "SecureRandom")),
    ("random generator, from Payara request tracing", ("RequestTraceSpanContext", "")),
    ("random generator, other callers", ("NativePRNG", "")),
    ("Soteria: BeanManager through JNDI (Weld getManager)", ("WeldBootstrap.getManager", "")),
    ("Soteria: BeanManager through JNDI (InitialContext)", ("org.glassfish.soteria.cdi.CdiUtils", "")),
    ("JACC policy context handler", ("PolicyContextHandlerImpl", "")),
    ("connection pool registry (SynchronizedMap)", ("ConnectorRegistry", "")),
    ("connection pool, other", ("com.sun.enterprise.connectors", "")),
    ("transaction manager resource cache", ("JavaEETransactionManagerSimplified", "")),
    ("servlet wrapper (StandardWrapper)", ("StandardWrapper", "")),
    ("JDBC driver / EclipseLink", ("org.postgresql", "")),
    ("EclipseLink", ("org.eclipse.persistence", "")),
    ("idle worker threads waiting for work", ("SyncThreadPool$SyncThreadWorker.getTask", "")),
    ("selector threads", ("EPollSelectorImpl", "")),
]


def categorise(stack):
    for name, (a, b) in CATEGORIES:
        if a in stack and b in stack:
            return name
    return "other"


def waits(path):
    out = subprocess.run(["jfr", "print", "--events", "jdk.JavaMonitorEnter", "--stack-depth", "40", path],
                         capture_output=True, text=True, check=True).stdout
    counts, millis = collections.Counter(), collections.Counter()
    for event in out.split("jdk.JavaMonitorEnter {")[1:]:
        d = re.search(r"duration = ([\d.]+) (ms|s)", event)
        ms = float(d.group(1)) * (1000 if d.group(2) == "s" else 1) if d else 0.0
        c = categorise(event)
        counts[c] += 1
        millis[c] += ms
    return counts, millis


def main():
    results = [(p, *waits(p)) for p in sys.argv[1:]]
    names = [n for n, _ in CATEGORIES] + ["other"]
    print("| monitor waits (events, ms) | " + " | ".join(p for p, _, _ in results) + " |")
    print("|---|" + "---|" * len(results))
    for n in names:
        if any(c[n] for _, c, _ in results):
            print(f"| {n} | " + " | ".join(f"{c[n]}, {m[n]:.0f}" for _, c, m in results) + " |")


if __name__ == "__main__":
    main()
