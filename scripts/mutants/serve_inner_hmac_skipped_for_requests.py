#!/usr/bin/env python3
"""Mutant: serve.py whose inner (per-handler, hmac2) check passes every REQUEST_URI: reads are
unauthenticated while writes are checked."""
# zoo-flags: --inner-hmac-secret s2
# zoo-suite: --inner-hmac-secret s2 --group hmac
from mutant import run_peer

from netaio import HMACAuthPlugin, MessageType, TCPServer

_check = HMACAuthPlugin.check
_current = {"type": None}


def check(self, auth_fields, body, *args, **kwargs):
    if self.hmac_field == "hmac2" and _current["type"] == MessageType.REQUEST_URI:
        return True
    return _check(self, auth_fields, body, *args, **kwargs)


_init = TCPServer.__init__


def init(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    extract = self.extract_keys

    def extract_keys(message, addr):
        _current["type"] = message.header.message_type
        return extract(message, addr)

    self.extract_keys = extract_keys


HMACAuthPlugin.check = check
TCPServer.__init__ = init


run_peer("serve")
