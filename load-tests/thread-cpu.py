#!/usr/bin/env python3
"""CPU of one running JVM component, thread by thread, over a window.

What it answers: which threads of a component spend its CPU, e.g. what the broker's extra listeners (ADR 32) cost
an idle stack, where the process total cannot tell them apart. Standard library only, plus the JDK's `jcmd`.

Run it against a stack started with `./txlab up --no-zipkin`, from the repository root:

    python3 load-tests/thread-cpu.py kafka 120 '-LINK_'

It reads every thread's utime + stime from /proc/<pid>/task at the start and the end of the window, names each
thread from `jcmd <pid> Thread.print` (its nid is the Linux thread id), and prints the process total, the total of
the threads whose name matches the pattern (a regular expression, optional), and the busiest threads. Threads that
start or end during the window count from their first reading or are left out: their share is in the process total
but not in the per-thread lines.
"""
import os
import re
import subprocess
import sys
import time

HZ = os.sysconf('SC_CLK_TCK')


def component_pid(name):
    """The pid of a running component, from `./txlab status`."""
    out = subprocess.run(['./txlab', 'status'], capture_output=True, text=True).stdout
    for line in out.splitlines():
        cols = line.split()
        if len(cols) >= 4 and cols[0] == name and cols[1].isdigit() and cols[3] == 'yes':
            return int(cols[1])
    sys.exit(f'{name} is not running: start the stack with ./txlab up --no-zipkin (from the repository root)')


def thread_ticks(pid):
    """tid -> utime + stime of every thread of the process."""
    ticks = {}
    for tid in os.listdir(f'/proc/{pid}/task'):
        try:
            with open(f'/proc/{pid}/task/{tid}/stat') as f:
                fields = f.read().rsplit(')', 1)[1].split()
            ticks[int(tid)] = int(fields[11]) + int(fields[12])
        except (FileNotFoundError, ProcessLookupError):
            pass
    return ticks


def process_ticks(pid):
    with open(f'/proc/{pid}/stat') as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return int(fields[11]) + int(fields[12])


def thread_names(pid):
    """tid -> Java thread name, from jcmd's thread dump (nid=0x<tid>)."""
    out = subprocess.run(['jcmd', str(pid), 'Thread.print'], capture_output=True, text=True).stdout
    names = {}
    for m in re.finditer(r'^"(.*?)".*?nid=(0x[0-9a-f]+)', out, re.M):
        names[int(m.group(2), 16)] = m.group(1)
    return names


def main():
    if len(sys.argv) < 3:
        sys.exit('usage: thread-cpu.py <component> <seconds> [<thread-name regex>]')
    component, seconds = sys.argv[1], float(sys.argv[2])
    pattern = re.compile(sys.argv[3]) if len(sys.argv) > 3 else None
    pid = component_pid(component)
    names = thread_names(pid)
    before, total_before, t0 = thread_ticks(pid), process_ticks(pid), time.time()
    time.sleep(seconds)
    after, total_after, t1 = thread_ticks(pid), process_ticks(pid), time.time()
    names.update({tid: name for tid, name in thread_names(pid).items() if tid not in names})
    elapsed = t1 - t0

    def pct(ticks):
        return 100.0 * ticks / HZ / elapsed

    used = {tid: after[tid] - before.get(tid, after[tid]) for tid in after}
    print(f'{component} (pid {pid}) over {elapsed:.1f} s: {pct(total_after - total_before):.2f} % of one core '
          f'({(total_after - total_before) * 1000 / HZ:.0f} ms), {len(after)} threads')
    if pattern:
        matched = [tid for tid in after if pattern.search(names.get(tid, ''))]
        ticks = sum(used[tid] for tid in matched)
        print(f'threads matching {pattern.pattern!r}: {len(matched)}, {pct(ticks):.3f} % of one core '
              f'({ticks * 1000 / HZ:.0f} ms)')
        for tid in sorted(matched, key=lambda t: names.get(t, '')):
            print(f'  {used[tid] * 1000 / HZ:6.0f} ms  {names.get(tid, "?")}')
    print('busiest threads:')
    for tid in sorted(used, key=used.get, reverse=True)[:10]:
        print(f'  {used[tid] * 1000 / HZ:6.0f} ms  {names.get(tid, "? (tid %d)" % tid)}')


if __name__ == '__main__':
    main()
