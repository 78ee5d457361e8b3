#!/usr/bin/env python3
"""Mutant: serve.py answering ADVERTISE_PEER for any app id (the app-id filter forgotten)."""
# zoo-flags: --manage-peers
# zoo-suite: --manage-peers --group peers
from mutant import run_peer

from netaio import MessageType, TCPServer
from netaio.common import Body

_init = TCPServer.__init__


def init(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    extract = self.extract_keys

    def extract_keys(message, addr):
        if message.header.message_type == MessageType.ADVERTISE_PEER and message.body.uri != b"netaio":
            message.body = Body.prepare(message.body.content, b"netaio")
        return extract(message, addr)

    self.extract_keys = extract_keys


TCPServer.__init__ = init


run_peer("serve")
