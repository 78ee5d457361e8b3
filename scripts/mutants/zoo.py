"""Runner of the mutant zoo (see `zoo`).

Server/node mutants are the files serve_*.py / node_*.py here: each patches one bug into
the real netaio 0.0.9 (or into the reference behaviour of scripts/python-peers) and runs
serve.py/node.py; its `# zoo-flags:` line gives the flags it is started with and its
`# zoo-suite:` line the `netaio conformance` arguments (same keys, a case selection).
Killed = the suite exits 1 (a strict case failed).

Plugin mutants are the classes of plugin_mutants.py with a ZOO_CONFIG; killed = `netaio
validate-plugin` exits 1 (a property failed).

KNOWN_SURVIVORS lists the mutants expected to survive, each with the reason; a listed
mutant that is killed, or an unlisted one that survives, makes the run fail.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

KNOWN_SURVIVORS = {
    "LowEntropyIVStreamCipher": "8-bit IVs repeat after ~20 messages; the kit compares 2 IVs per case "
                                "(1 in 256), and no pair collides with the default seed",
}

# A quick subset for scripts/test: one mutant per hole of issue 16 plus one per family.
FAST = {
    "serve_hmac_skips_empty_content", "serve_refuses_when_full", "serve_delete_noop", "node_checksum_ignored",
    "FixedIVStreamCipher", "IdlessPeerPlugin", "UriNotCoveredHMAC", "FixedNonceX25519Cipher",
    # the two that showed gaps closed by C-10 and S-05
    "node_stale_read", "serve_fixed_iv_replies",
}


def netaio_binary() -> str:
    out = subprocess.run(["swift", "build", "--show-bin-path"], cwd=REPO, capture_output=True, text=True, check=True)
    return os.path.join(out.stdout.strip(), "netaio")


def server_mutants():
    for name in sorted(os.listdir(HERE)):
        if not re.match(r"^(serve|node)_.*\.py$", name):
            continue
        text = open(os.path.join(HERE, name)).read()
        flags = re.search(r"^# zoo-flags:(.*)$", text, re.M)
        suite = re.search(r"^# zoo-suite:(.*)$", text, re.M)
        doc = re.search(r'"""Mutant[^:]*: (.*?)(?:\n\n|""")', text, re.S)
        if not flags or not suite:
            raise SystemExit(f"zoo: {name} has no # zoo-flags / # zoo-suite line")
        yield name[:-3], flags.group(1).split(), suite.group(1).split(), " ".join((doc.group(1) if doc else "").split())


def plugin_mutants():
    import plugin_mutants as pm
    for name, cls in vars(pm).items():
        if isinstance(cls, type) and cls.__module__ == pm.__name__ and "ZOO_CONFIG" in vars(cls) | {
                k: v for base in cls.__mro__ for k, v in vars(base).items()} and not name.startswith("_"):
            doc = " ".join((cls.__doc__ or "").split())
            yield name, cls.ZOO_CONFIG, doc


def run_server_mutant(netaio, name, flags, suite):
    transport = "tcp" if name.startswith("serve_") else "udp"
    proc = subprocess.Popen([os.path.join(REPO, ".venv/bin/python"), os.path.join(HERE, name + ".py"),
                             "--host", "127.0.0.1", "--port", "0"] + flags,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        m = re.match(r"^listening on .*:(\d+)$", line.strip())
        if not m:
            return "did not start", []
        port = m.group(1)
        out = subprocess.run([netaio, "conformance", f"{transport}://127.0.0.1:{port}", "--silence", "0.3", "--json"] + suite,
                             capture_output=True, text=True, timeout=600)
        try:
            report = json.loads(out.stdout)
        except ValueError:
            return f"suite exit {out.returncode}", []
        failed = [c["id"] for c in report["cases"] if c["verdict"] == "fail"]
        return ("killed" if out.returncode == 1 else "survived"), failed
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            proc.kill()


def run_plugin_mutant(netaio, name, config):
    out = subprocess.run([netaio, "validate-plugin", "--python-path", HERE, "--python", f"plugin_mutants:{name}",
                          "--config", json.dumps(config), "--iterations", "50", "--json"],
                         capture_output=True, text=True, timeout=600, cwd=REPO)
    try:
        report = json.loads(out.stdout)
    except ValueError:
        return f"validate-plugin exit {out.returncode}", []
    failed = [r["name"] for rep in report["reports"] for r in rep["properties"] if r["verdict"] == "fail"]
    return ("killed" if out.returncode == 1 else "survived"), failed


def main() -> int:
    parser = argparse.ArgumentParser(prog="zoo", description="Run the mutant zoo and print the kill table.")
    parser.add_argument("--fast", action="store_true", help="only the quick subset (scripts/test)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown (docs/conformance.md)")
    parser.add_argument("names", nargs="*", help="only these mutants")
    args = parser.parse_args()
    netaio = netaio_binary()
    rows = []

    def wanted(name):
        return (not args.names or name in args.names) and (not args.fast or name in FAST)

    for name, flags, suite, doc in server_mutants():
        if wanted(name):
            start = time.time()
            verdict, by = run_server_mutant(netaio, name, flags, suite)
            rows.append(("server" if name.startswith("serve_") else "node", name, verdict, by, doc, time.time() - start))
            print(f"  {rows[-1][0]:6} {name:42} {verdict:9} {' '.join(by)}", file=sys.stderr, flush=True)
    for name, config, doc in plugin_mutants():
        if wanted(name):
            start = time.time()
            verdict, by = run_plugin_mutant(netaio, name, config)
            rows.append(("plugin", name, verdict, by, doc, time.time() - start))
            print(f"  {'plugin':6} {name:42} {verdict:9} {' '.join(by)}", file=sys.stderr, flush=True)

    killed = sum(1 for r in rows if r[2] == "killed")
    problems = []
    for kind, name, verdict, by, doc, _ in rows:
        if verdict == "killed" and name in KNOWN_SURVIVORS:
            problems.append(f"{name} is listed as a survivor but was killed: update KNOWN_SURVIVORS and the docs")
        if verdict != "killed" and name not in KNOWN_SURVIVORS:
            problems.append(f"{name} {verdict}: {doc}")
    if args.markdown:
        print("| kind | mutant | verdict | killed by |")
        print("|------|--------|---------|-----------|")
        for kind, name, verdict, by, doc, _ in rows:
            note = ", ".join(by) if by else "— " + KNOWN_SURVIVORS.get(name, "")
            print(f"| {kind} | `{name}` | {verdict} | {note} |")
    else:
        print(f"{'kind':6} {'mutant':42} {'verdict':9} killed by")
        for kind, name, verdict, by, doc, seconds in rows:
            print(f"{kind:6} {name:42} {verdict:9} {', '.join(by) if by else KNOWN_SURVIVORS.get(name, '')}")
    by_kind = {}
    for kind, _, verdict, *_ in rows:
        k = by_kind.setdefault(kind, [0, 0])
        k[0] += verdict == "killed"
        k[1] += 1
    parts = ", ".join(f"{kind} {k}/{n}" for kind, (k, n) in sorted(by_kind.items()))
    score = 100.0 * killed / len(rows) if rows else 0.0
    print(f"\nkilled {killed} of {len(rows)} mutants ({score:.1f} %): {parts}")
    for p in problems:
        print(f"zoo: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
