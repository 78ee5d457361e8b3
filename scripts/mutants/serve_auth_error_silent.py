#!/usr/bin/env python3
"""Mutant: serve.py whose auth-error handler drops every failed message silently (no
AUTH_ERROR): clients cannot tell a wrong key from a dead server."""
# zoo-flags: --hmac-secret s
# zoo-suite: --hmac-secret s --group hmac
from mutant import run_peer

from netaio import TCPServer

_init = TCPServer.__init__


def init(self, *args, **kwargs):
    kwargs["auth_error_handler"] = lambda node, plugin, msg: None
    _init(self, *args, **kwargs)


TCPServer.__init__ = init
run_peer("serve")
