#!/usr/bin/env python3
"""CPU of every JVM component of a running local stack over a window, each and in total.

What it answers: what the stack's JVMs spend with no load, e.g. with and without a JVM option
(adr/0041: -XX:-UsePerfData). Standard library only. Run it from the repository root against a stack started with
`./txlab up --no-zipkin` that has had time to settle (a minute or two after "stack up"):

    python3 load-tests/idle-cpu.py 90
    TXLAB_JAVA_OPTIONS=-XX:+UsePerfData ./txlab up --no-zipkin    # the other side of an A/B, after ./txlab down

It reads utime + stime of each JVM component's process (all its threads) from /proc at the start and the end of
the window. PostgreSQL clusters are left out: their backends are processes of their own, and no JVM option moves them.
"""
import os
import subprocess
import sys
import time

HZ = os.sysconf('SC_CLK_TCK')


def jvm_components():
    """name -> pid of every running component whose process is a JVM, from `./txlab status`."""
    out = subprocess.run(['./txlab', 'status'], capture_output=True, text=True).stdout
    pids = {}
    for line in out.splitlines()[1:]:
        cols = line.split()
        if len(cols) < 2 or not cols[1].isdigit():
            continue
        try:
            with open('/proc/%s/cmdline' % cols[1]) as f:
                program = f.read().split('\0')[0]
        except OSError:
            continue
        if os.path.basename(program) == 'java':
            pids[cols[0]] = int(cols[1])
    return pids


def cpu_ticks(pid):
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return int(fields[11]) + int(fields[12])


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: python3 load-tests/idle-cpu.py <seconds>')
    window = float(sys.argv[1])
    pids = jvm_components()
    if not pids:
        sys.exit('no JVM component is running: start the stack with ./txlab up --no-zipkin first')
    start = {name: cpu_ticks(pid) for name, pid in pids.items()}
    time.sleep(window)
    total = 0.0
    for name in sorted(pids):
        ms = (cpu_ticks(pids[name]) - start[name]) * 1000.0 / HZ
        total += ms
        print('%-20s %7.0f ms  %5.2f %% of one core' % (name, ms, ms / window / 10))
    print('%-20s %7.0f ms  %5.2f %% of one core over %.0f s' % ('JVMs total', total, total / window / 10, window))


if __name__ == '__main__':
    main()
