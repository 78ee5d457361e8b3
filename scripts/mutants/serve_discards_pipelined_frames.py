#!/usr/bin/env python3
"""Mutant: serve.py that throws away whatever is buffered after the frame it just read
(one frame per socket read): a client pipelining two frames in one write loses the second."""
# zoo-flags: 
# zoo-suite: --group framing
from mutant import run_peer

from netaio import TCPServer

_receive = TCPServer.receive


async def receive(self, reader, writer, **kwargs):
    result = await _receive(self, reader, writer, **kwargs)
    reader._buffer.clear()
    return result


TCPServer.receive = receive
run_peer("serve")
