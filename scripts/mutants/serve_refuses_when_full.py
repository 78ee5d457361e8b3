#!/usr/bin/env python3
"""Mutant (issue 16, hole 4): serve.py with a connection limit that REFUSES newcomers when
full (what `netaio serve` did before issue 16): `--max-connections N` (default 64, this
mutant's own flag) connections that never send a byte lock every honest client out.
Killed by R-10 (`netaio conformance ... --max-connections N`)."""
# zoo-flags: --max-connections 32
# zoo-suite: --max-connections 32 --case R-10
import sys

from mutant import run_peer

from netaio import TCPServer

LIMIT = 64
if "--max-connections" in sys.argv:
    i = sys.argv.index("--max-connections")
    LIMIT = int(sys.argv[i + 1])
    del sys.argv[i:i + 2]

_handle_client = TCPServer.handle_client


async def handle_client(self, reader, writer, **kwargs):
    if len(self.clients) >= LIMIT:
        writer.close()
        return
    await _handle_client(self, reader, writer, **kwargs)


TCPServer.handle_client = handle_client
run_peer("serve")
