#!/usr/bin/env python3
"""Mutant: serve.py with a hard-coded 32 KiB body limit: larger frames, which netaio's
Body.prepare allows up to ~64 KiB, close the connection."""
# zoo-flags: 
# zoo-suite: --group framing --group robustness
from mutant import run_peer

from netaio import TCPServer

_receive = TCPServer.receive


async def receive(self, reader, writer, **kwargs):
    header = await reader.readexactly(9)
    if int.from_bytes(header[3:5], "big") > 32 * 1024:
        raise ConnectionResetError("frame too large for this server")
    reader._buffer[0:0] = header
    return await _receive(self, reader, writer, **kwargs)


TCPServer.receive = receive
run_peer("serve")
