"""Shared launcher of the mutant zoo (docs/conformance.md, "Mutant zoo").

A server/node mutant is a small file that patches ONE thing in the real netaio 0.0.9
(or in the reference behaviour of scripts/python-peers) and then runs serve.py or
node.py unchanged, with the same flags and the same `listening on HOST:PORT` line:

    from mutant import run_peer
    ...patch...
    run_peer("serve")   # or "node"

so the conformance suite can be run against it exactly as against serve.py/node.py.
"""
from __future__ import annotations

import os
import runpy
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.path.join(os.path.dirname(HERE), "python-peers")
if PEERS not in sys.path:
    sys.path.insert(0, PEERS)


def run_peer(program: str) -> None:
    """Runs scripts/python-peers/PROGRAM.py as __main__ with this process's arguments."""
    path = os.path.join(PEERS, program + ".py")
    sys.argv = [path] + sys.argv[1:]
    runpy.run_path(path, run_name="__main__")
