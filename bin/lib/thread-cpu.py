"""The server's CPU time during a measured run, by kind of thread (bin/bench-http).

Usage: thread-cpu.py snapshot PID            prints one line per thread: tid, name, CPU clock ticks (user + system)
       thread-cpu.py diff BEFORE AFTER REQUESTS   prints the CPU per request of each kind of thread between the two
       thread-cpu.py share BEFORE AFTER REGEX     prints the percentage of the CPU used between the two snapshots
                                                  by the threads whose kind matches REGEX (0 when none was used)
Threads are grouped by name with digits dropped (C2 CompilerThread0 and 1 are one kind, so are GC Thread#0 and #1,
ForkJoinPool-1-worker-3, the carriers of the virtual threads that run requests, ...), so that the JIT compiler's
and the collector's share of a chat turn shows beside the request threads'. A thread that ended during the run is
missing from the second snapshot: what it used is not counted (the total from /proc/PID/stat is the reference).
"""
import collections
import os
import re
import sys


def snapshot(pid):
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            stat = open(f"/proc/{pid}/task/{tid}/stat").read()
        except OSError:
            continue  # ended between the listing and the read
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        print(f"{tid}\t{name}\t{int(fields[11]) + int(fields[12])}")


def read(path):
    ticks = {}
    for line in open(path):
        tid, name, used = line.rstrip("\n").split("\t")
        ticks[tid] = (name, int(used))
    return ticks


def kind(name):
    """The name less its numbers: "GC Thread#1" -> "GC Thread", "ForkJoinPool-1-" (names are cut at 15 characters)
    -> "ForkJoinPool"; "C2 CompilerThre" stays (its digit is part of the name)."""
    return re.sub(r"(?<=[#-])\d+|\d+$", "", name).rstrip("#- ") or name


def used_by_kind(before, after):
    old, new, used = read(before), read(after), collections.Counter()
    for tid, (name, ticks) in new.items():
        used[kind(name)] += ticks - old.get(tid, (name, 0))[1]
    return used


def share(before, after, pattern):
    used = used_by_kind(before, after)
    total = sum(used.values())
    matching = sum(t for k, t in used.items() if re.search(pattern, k))
    print(round(100 * matching / total) if total else 0)


def diff(before, after, requests):
    used = used_by_kind(before, after)
    tick_us = 1e6 / os.sysconf("SC_CLK_TCK")
    total = sum(used.values())
    if not total or not requests:
        return
    shown = [f"{k} {tick_us * t / requests:.0f}" for k, t in used.most_common() if t * 50 >= total]
    print(f"== server CPU by thread (us per request; threads of 2% and more): {', '.join(shown)}")


if __name__ == "__main__":
    if sys.argv[1] == "snapshot":
        snapshot(sys.argv[2])
    elif sys.argv[1] == "share":
        share(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        diff(sys.argv[2], sys.argv[3], int(sys.argv[4]))
