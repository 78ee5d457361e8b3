#!/usr/bin/env python3
"""Mutant: serve.py whose auth-error handler also answers ERROR/AUTH_ERROR messages that fail
auth (two such peers bounce AUTH_ERROR forever, §6.3)."""
# zoo-flags: --hmac-secret s
# zoo-suite: --hmac-secret s --group hmac
from mutant import run_peer

from netaio import TCPServer

_init = TCPServer.__init__


def init(self, *args, **kwargs):
    kwargs["auth_error_handler"] = lambda node, plugin, msg: plugin.error()
    _init(self, *args, **kwargs)


TCPServer.__init__ = init
run_peer("serve")
