#!/usr/bin/env python3
"""Medians of several comparison runs, from their report's summary.md files (standard library only).

What it answers: issue 14 judges the targets on the medians of three `./txlab compare --full` runs. Each run's
report/summary.md holds a targets table (lane, CPU ms/order, p50, p99, max orders/s), a CPU-per-component table and,
from runs that measured them, the mechanism floors (ADR 55);
this prints, per lane and column, the median over the runs and each run's value, so the figures in a results file
come from a command:

    python3 load-tests/median-of-runs.py results/RUN-1-summary.md results/RUN-2-summary.md report/summary.md

A value is the first number in its cell ("✗ 46.0 (≤ 8.00)" is 46.0); "–" is left out of the median.
"""
import re
import statistics
import sys

NUMBER = re.compile(r'-?\d+(?:\.\d+)?')


def tables(path):
    """Every markdown table of the file whose first header cell is `lane`: a list of (header, rows)."""
    found, header, rows = [], None, []
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if not line.startswith('|'):
                if header:
                    found.append((header, rows))
                header, rows = None, []
                continue
            cells = [c.strip() for c in line.strip('|').split('|')]
            if header is None:
                header = cells if cells[0] == 'lane' else None
                rows = []
            elif not set(''.join(cells)) <= set('-: '):
                rows.append(cells)
    if header:
        found.append((header, rows))
    return found


def value(cell):
    m = NUMBER.search(cell.split('(')[0])
    return float(m.group()) if m else None


def lane(name):
    return name.split(' (')[0]


def fmt(v):
    return '–' if v is None else ('%.0f' % v if abs(v) >= 100 else '%.1f' % v if abs(v) >= 10 else '%.2f' % v)


def median_table(runs, header_has, columns, optional=False):
    """The first table of each run whose header contains `header_has`; medians of the named columns per lane.
    An optional table missing from some run is left out, with a line saying so."""
    per_run = []
    for run in runs:
        table = next(((h, r) for h, r in run if header_has in h), None)
        if table is None:
            if optional:
                print('(not every run has a table with a "%s" column: left out)' % header_has)
                return
            sys.exit('a summary has no table with a "%s" column' % header_has)
        per_run.append(table)
    columns = columns or [c for c in per_run[0][0][1:] if all(c in h for h, _ in per_run)]
    print('| lane | ' + ' | '.join('%s: median (runs)' % c for c in columns) + ' |')
    print('|---|' + '---|' * len(columns))
    lanes = [lane(r[0]) for r in per_run[0][1]]
    for name in lanes:
        cells = []
        for column in columns:
            values = []
            for header, rows in per_run:
                row = next((r for r in rows if lane(r[0]) == name), None)
                values.append(value(row[header.index(column)]) if row else None)
            present = [v for v in values if v is not None]
            med = statistics.median(present) if present else None
            cells.append('%s (%s)' % (fmt(med), ', '.join(fmt(v) for v in values)))
        print('| %s | %s |' % (name, ' | '.join(cells)))


def main():
    if len(sys.argv) < 3:
        sys.exit('usage: python3 load-tests/median-of-runs.py <summary.md> <summary.md> [<summary.md>...]')
    runs = [tables(path) for path in sys.argv[1:]]
    print('Medians of %d runs: %s\n' % (len(runs), ', '.join(sys.argv[1:])))
    median_table(runs, 'CPU ms/order (target)',
                 ['CPU ms/order (target)', 'p50 ms (target)', 'p99 ms (target)', 'max orders/s (target)'])
    print()
    median_table(runs, 'stack', None)
    print()
    # each mechanism alone (ADR 55), in runs that measured it
    median_table(runs, 'floor net of idle', ['floor CPU ms/order', 'floor net of idle', 'floor p50 ms (flow\'s target)',
                                             'floor p99 ms (flow\'s target)'], optional=True)


if __name__ == '__main__':
    main()
