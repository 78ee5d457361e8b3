#!/usr/bin/env python3
"""Server load benchmark: the same load against `netaio serve` (Swift, release build)
and scripts/python-peers/serve.py (the real Python netaio 0.0.9), side by side.

Usage (normally through `scripts/bench server`):
    python3 bench/server_bench.py --bench NETAIO_BENCH --python VENV_PYTHON
        [--netaio NETAIO] [--seconds S] [--idle N] [--out DIR] [--strict] [--quick]

For each implementation and each configuration (no plugins; outer HMAC) a fresh server
is started with `--port 0`, then `netaio-bench server-load` runs closed-loop
REQUEST_URI → RESPOND_URI with 1 and with 64 concurrent clients (req/s, p50/p99
latency); in the no-plugin configuration it then opens N idle connections and
reports the server's VmRSS growth per connection.  The server's peak RSS is VmHWM from
/proc/PID/status just before it is stopped; its CPU time per reply (utime + stime from
/proc/PID/stat over the run, warm-up included, divided by all replies) is the figure
least disturbed by other load on a shared machine.  Raw rows: OUT/server-{swift,python}.jsonl.

Targets: Swift ≥ 10× Python's req/s at 64 clients; an idle Swift connection
< 64 KiB.  `--strict` exits 1 when one is missed.  Standard library only.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIGS = [("none", []), ("hmac", ["--hmac-secret", "bench-secret"])]
CLIENTS = [1, 64]


def start_server(command: list[str]) -> tuple[subprocess.Popen, int]:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + 30
    line = process.stdout.readline()
    if not line.startswith("listening on ") or time.monotonic() > deadline:
        process.kill()
        raise RuntimeError(f"{command[0]}: expected 'listening on HOST:PORT', got {line!r}")
    return process, int(line.strip().rsplit(":", 1)[1])


def peak_rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (/proc/PID/stat fields 14 and 15)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def load(bench: str, port: int, arguments: list[str]) -> dict:
    output = subprocess.run([bench, "server-load", "--port", str(port), *arguments],
                            check=True, capture_output=True, text=True, timeout=600).stdout
    return json.loads(output.strip().splitlines()[-1])


def run_impl(impl: str, server_command: list[str], args) -> list[dict]:
    rows = []
    for config, flags in CONFIGS:
        process, port = start_server(server_command + ["--port", "0", *flags])
        try:
            for clients in CLIENTS:
                cpu_before = cpu_seconds(process.pid)
                row = load(args.bench, port, ["--clients", str(clients), "--seconds", str(args.seconds),
                                              "--warmup", str(args.warmup), "--label", impl, *flags])
                # Server CPU per reply: unlike req/s, barely affected by other load on the machine.
                cpu = cpu_seconds(process.pid) - cpu_before
                row.update(impl=impl, config=config, kind="load",
                           server_cpu_us_per_req=cpu * 1e6 / max(1, row["all_responses"]))
                rows.append(row)
                print(f"  {impl:6} {config:5} {clients:3} clients: {row['req_per_s']:10.0f} req/s "
                      f"p50 {row['p50_us']:8.0f} µs  p99 {row['p99_us']:8.0f} µs  "
                      f"server CPU {row['server_cpu_us_per_req']:6.1f} µs/req", file=sys.stderr)
            if config == "none" and args.idle > 0:
                row = load(args.bench, port, ["--idle", str(args.idle), "--server-pid", str(process.pid),
                                              "--label", impl])
                row.update(impl=impl, config=config, kind="idle")
                rows.append(row)
                print(f"  {impl:6} idle: {row['bytes_per_idle_connection']:.0f} B per connection", file=sys.stderr)
            rows.append(dict(impl=impl, config=config, kind="peak_rss", peak_rss_kib=peak_rss_kib(process.pid)))
        finally:
            stop(process)
    return rows


def find(rows, impl, config, kind, clients=None):
    for row in rows:
        if row["impl"] == impl and row["config"] == config and row["kind"] == kind \
                and (clients is None or row.get("clients") == clients):
            return row
    return None


def report(rows) -> list[str]:
    """Prints the table; returns the missed targets."""
    def num(row, key, fmt):
        return format(row[key], fmt) if row else "-"

    print(f"{'row':28} {'swift req/s':>12} {'python req/s':>12} {'ratio':>7}   "
          f"{'swift p50/p99 µs':>18} {'python p50/p99 µs':>18}   {'CPU µs/req swift/python (ratio)':>32}")
    missed = []
    for config, _ in CONFIGS:
        for clients in CLIENTS:
            s, p = find(rows, "swift", config, "load", clients), find(rows, "python", config, "load", clients)
            ratio = s["req_per_s"] / p["req_per_s"] if s and p and p["req_per_s"] else None
            mark = ""
            if clients == 64:
                ok = ratio is not None and ratio >= 10
                mark = "  ok (>= 10x)" if ok else "  MISSED (target 10x)"
                if not ok:
                    missed.append(f"{config} 64 clients ratio {ratio}")
            lat = lambda r: f"{r['p50_us']:.0f}/{r['p99_us']:.0f}" if r else "-"
            cpu = "-"
            if s and p:
                c_s, c_p = s["server_cpu_us_per_req"], p["server_cpu_us_per_req"]
                cpu = f"{c_s:.1f}/{c_p:.1f} ({c_p / c_s:.1f}x)" if c_s else "-"
            print(f"{f'req/resp {config}, {clients} client(s)':28} {num(s, 'req_per_s', '12.0f'):>12} "
                  f"{num(p, 'req_per_s', '12.0f'):>12} {f'{ratio:.1f}x' if ratio else '-':>7}   "
                  f"{lat(s):>18} {lat(p):>18}   {cpu:>32}{mark}")
    for config, _ in CONFIGS:
        s, p = find(rows, "swift", config, "peak_rss"), find(rows, "python", config, "peak_rss")
        print(f"{f'server peak RSS, {config}':28} {num(s, 'peak_rss_kib', 'd') + ' KiB':>12} "
              f"{num(p, 'peak_rss_kib', 'd') + ' KiB':>12}")
    s, p = find(rows, "swift", "none", "idle"), find(rows, "python", "none", "idle")
    if s or p:
        n = (s or p)["idle_connections"]
        print(f"{f'idle connection ({n})':28} {num(s, 'bytes_per_idle_connection', '.0f') + ' B':>12} "
              f"{num(p, 'bytes_per_idle_connection', '.0f') + ' B':>12}", end="")
        ok = s is not None and s["bytes_per_idle_connection"] < 64 * 1024
        print("          ok (< 64 KiB)" if ok else "          MISSED (target < 64 KiB)")
        if not ok:
            missed.append("idle connection")
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench", required=True, help="netaio-bench (release)")
    parser.add_argument("--python", required=True, help="the venv's python (netaio 0.0.9)")
    parser.add_argument("--netaio", help="netaio (release); omit to run the Python side only")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--idle", type=int, default=1000)
    parser.add_argument("--out", default=os.path.join(REPO, ".build", "bench"))
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--quick", action="store_true", help="1 s runs, 100 idle connections")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.warmup, args.idle = 1.0, 0.2, 100
    os.makedirs(args.out, exist_ok=True)

    implementations = []
    if args.netaio:
        implementations.append(("swift", [args.netaio, "serve"]))
    implementations.append(("python", [args.python, os.path.join(REPO, "scripts", "python-peers", "serve.py")]))
    rows = []
    for impl, command in implementations:
        print(f"bench: {impl} server: {' '.join(command)}", file=sys.stderr)
        impl_rows = run_impl(impl, command, args)
        with open(os.path.join(args.out, f"server-{impl}.jsonl"), "w") as f:
            for row in impl_rows:
                f.write(json.dumps(row) + "\n")
        rows += impl_rows
    print()
    missed = report(rows)
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
