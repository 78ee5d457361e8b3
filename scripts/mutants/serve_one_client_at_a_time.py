#!/usr/bin/env python3
"""Mutant: serve.py that serialises all clients through one lock held while reading a frame:
a client stuck inside a header blocks everyone (slowloris)."""
# zoo-flags: 
# zoo-suite: --group robustness
from mutant import run_peer

import asyncio

from netaio import TCPServer

_receive = TCPServer.receive
_lock = {}


async def receive(self, reader, writer, **kwargs):
    lock = _lock.setdefault("l", asyncio.Lock())
    async with lock:
        return await _receive(self, reader, writer, **kwargs)


TCPServer.receive = receive
run_peer("serve")
