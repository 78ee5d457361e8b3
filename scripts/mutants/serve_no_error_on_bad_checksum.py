#!/usr/bin/env python3
"""Mutant: serve.py that drops a frame with a bad CRC silently instead of answering ERROR
"invalid message" (the sender never learns)."""
# zoo-flags: 
# zoo-suite: --group checksum
from mutant import run_peer

from netaio import TCPServer

_init = TCPServer.__init__


def init(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    self.make_error = lambda text: None


TCPServer.__init__ = init


run_peer("serve")
