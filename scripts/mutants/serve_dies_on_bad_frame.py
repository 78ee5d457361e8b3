#!/usr/bin/env python3
"""Mutant: serve.py whose process exits when a connection raises anything but a disconnect
(an unhandled exception takes the server down)."""
# zoo-flags: 
# zoo-suite: --group robustness
from mutant import run_peer

import os

from netaio import TCPServer

_receive = TCPServer.receive


async def receive(self, reader, writer, **kwargs):
    try:
        return await _receive(self, reader, writer, **kwargs)
    except (ConnectionError, EOFError):
        raise
    except Exception as e:
        import asyncio
        if isinstance(e, asyncio.IncompleteReadError):
            raise
        os._exit(70)


TCPServer.receive = receive
run_peer("serve")
