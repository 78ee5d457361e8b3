#!/usr/bin/env python3
"""Compare two benchmark result files (JSON lines) side by side.

Usage:
    python3 bench/compare.py [--target 50] [--strict] A.jsonl B.jsonl

Each input line is one JSON object {"impl", "name", "ops_per_s",
"mb_per_s", "bytes"} as printed by `netaio-bench` (impl "swift") and the
Python benchmarks in bench/python/ (impl "python").  Lines that are not
JSON objects with "name" and "ops_per_s" are ignored, so build noise does
no harm.  Any row names are accepted (codec, plugins, ...); rows are
matched by name and listed in first-seen order.

Printed columns: row, A ops/s, B ops/s, A MB/s, B MB/s, ratio (A ops/s /
B ops/s), and whether ratio >= target.  A row present in only one file shows
"-" and counts as not passed.  Exit status: 0, or 1 with --strict when any
row misses the target; 2 on usage errors.  Standard library only.
"""
from __future__ import annotations

import argparse
import json
import os
import sys


def load(path: str) -> tuple[str | None, dict[str, dict]]:
    impl = None
    rows: dict[str, dict] = {}
    with open(path, encoding='utf-8', errors='replace') as f:
        for line in f:
            line = line.strip()
            if not line.startswith('{'):
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if not isinstance(obj, dict) or 'name' not in obj or 'ops_per_s' not in obj:
                continue
            impl = impl or obj.get('impl')
            rows[str(obj['name'])] = obj  # a later line for the same row wins
    return impl, rows


def fmt_num(x) -> str:
    if x is None:
        return '-'
    x = float(x)
    if x >= 100:
        return f'{x:,.0f}'
    if x >= 1:
        return f'{x:.2f}'
    return f'{x:.4f}'


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description='Compare two benchmark JSON-lines files.')
    ap.add_argument('a', help='first file (normally the Swift results)')
    ap.add_argument('b', help='second file (normally the Python results)')
    ap.add_argument('--target', type=float, default=50.0,
                    help='required ratio A/B of ops/s (default 50)')
    ap.add_argument('--strict', action='store_true',
                    help='exit 1 when any row misses the target')
    args = ap.parse_args(argv)

    try:
        impl_a, a = load(args.a)
        impl_b, b = load(args.b)
    except OSError as e:
        print(f'compare: {e}', file=sys.stderr)
        return 2
    la = impl_a or os.path.splitext(os.path.basename(args.a))[0]
    lb = impl_b or os.path.splitext(os.path.basename(args.b))[0]
    if la == lb:
        la, lb = la + ' (A)', lb + ' (B)'

    names = list(a) + [n for n in b if n not in a]
    header = ['row', f'{la} ops/s', f'{lb} ops/s', f'{la} MB/s', f'{lb} MB/s',
              'ratio', f'>= {args.target:g}']
    table = []
    failed = 0
    for n in names:
        ra, rb = a.get(n), b.get(n)
        oa = float(ra['ops_per_s']) if ra else None
        ob = float(rb['ops_per_s']) if rb else None
        ratio = oa / ob if oa is not None and ob else None
        ok = ratio is not None and ratio >= args.target
        failed += not ok
        table.append([
            n, fmt_num(oa), fmt_num(ob),
            fmt_num(ra.get('mb_per_s') if ra else None),
            fmt_num(rb.get('mb_per_s') if rb else None),
            '-' if ratio is None else f'{ratio:.1f}x',
            'yes' if ok else ('-' if ratio is None else 'NO'),
        ])
    if not table:
        print('compare: no benchmark rows found', file=sys.stderr)
        return 2 if args.strict else 0

    widths = [max(len(r[i]) for r in [header] + table) for i in range(len(header))]

    def line(cells):
        return '  '.join(c.ljust(w) if i == 0 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths)))
    print(line(header))
    print('  '.join('-' * w for w in widths))
    for r in table:
        print(line(r))
    print(f'{len(table) - failed} of {len(table)} rows meet ratio >= {args.target:g}')
    return 1 if args.strict and failed else 0


if __name__ == '__main__':
    sys.exit(main())
