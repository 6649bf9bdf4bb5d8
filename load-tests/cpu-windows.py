#!/usr/bin/env python3
"""CPU per order of each stack component, window after window, while one flow runs at a steady rate.

What it answers: how a component's cost per order moves with time since it started (a JIT warming up, a cache
filling, a leak growing), which one comparison cannot show because it measures each lane once. Standard library
only; the load comes from independent-client.py, so nothing is shared with the comparison's harness.

Run it against a stack started with `./txlab up --no-zipkin`, from the repository root, e.g. after restarting the
services on another JIT:

    TXLAB_ORDER_SERVICE_JAVA_OPTIONS=-XX:TieredStopAtLevel=4 ./txlab restart order-service
    python3 load-tests/cpu-windows.py choreography 20 60 8

Each window prints one line: the window's end (seconds since the first window began), every component's CPU
milliseconds per order, their total, and the machine's busy CPU per order (which also counts this script and the
client); the client's own summary (orders, failures, p50/p90/p99) closes the output. A component's CPU is counted
as the comparison counts it (devstack's ProcStat): every process of its tree, utime + stime plus cutime + cstime, so
a PostgreSQL backend that ends during a window moves its ticks to the postmaster instead of losing them. Orders are
counted as scheduled (rate x window), so an overloaded stack shows up as a rising cost, not as fewer orders.
"""
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HZ = os.sysconf('SC_CLK_TCK')


def components():
    """name -> pid of every running component, from `./txlab status`."""
    out = subprocess.run(['./txlab', 'status'], capture_output=True, text=True).stdout
    found = {}
    for line in out.splitlines():
        cols = line.split()
        if len(cols) >= 4 and cols[1].isdigit() and cols[3] == 'yes':
            found[cols[0]] = int(cols[1])
    if not found:
        sys.exit('no running component: start the stack with ./txlab up --no-zipkin (from the repository root)')
    return found


def children():
    kids = {}
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                with open('/proc/%s/stat' % entry) as f:
                    ppid = int(f.read().rsplit(')', 1)[1].split()[1])
                kids.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError):
                pass
    return kids


def ticks(pid, kids):
    """Ticks of pid and its live descendants, each its own (utime + stime) and its reaped children's (cutime + cstime)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open('/proc/%d/stat' % p) as f:
                fields = f.read().rsplit(')', 1)[1].split()
            total += sum(int(v) for v in fields[11:15])
        except (OSError, ValueError):
            continue
        stack.extend(kids.get(p, []))
    return total


def machine_busy():
    with open('/proc/stat') as f:
        cpu = list(map(int, f.readline().split()[1:]))
    return sum(cpu) - cpu[3] - cpu[4]


def snapshot(pids):
    kids = children()
    return {name: ticks(pid, kids) for name, pid in pids.items()}, machine_busy()


def main():
    if len(sys.argv) != 5:
        sys.exit('usage: cpu-windows.py <flow> <orders per second> <window seconds> <windows>')
    flow, rate, window, count = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    pids = components()
    names = sorted(pids)
    # One client run covers every window, started a moment early so the first window is already under load.
    client = subprocess.Popen([sys.executable, os.path.join(HERE, 'independent-client.py'), flow, str(rate),
                               str(int(window * count + 4))], stdout=subprocess.PIPE, text=True)
    time.sleep(2)
    print('window_end_s ' + ' '.join(names) + ' total machine', flush=True)
    start = time.monotonic()
    before, busy_before = snapshot(pids)
    for i in range(count):
        time.sleep(max(0.0, start + (i + 1) * window - time.monotonic()))
        after, busy_after = snapshot(pids)
        orders = rate * window
        per = {n: (after[n] - before[n]) * 1000.0 / HZ / orders for n in names}
        machine = (busy_after - busy_before) * 1000.0 / HZ / orders
        print('%.0f %s %.2f %.2f' % ((i + 1) * window, ' '.join('%.2f' % per[n] for n in names),
                                     sum(per.values()), machine), flush=True)
        before, busy_before = after, busy_after
    summary = client.communicate()[0].strip()
    if client.returncode != 0:
        sys.exit('the client failed: ' + summary)
    print('# ' + re.sub(r'\s+', ' ', summary))


if __name__ == '__main__':
    main()
