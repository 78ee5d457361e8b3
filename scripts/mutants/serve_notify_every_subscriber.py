#!/usr/bin/env python3
"""Mutant: serve.py notifying every subscriber of any uri (subscriptions keyed by nothing)."""
# zoo-flags: 
# zoo-suite: --group pubsub
from mutant import run_peer

from netaio import TCPServer

_notify = TCPServer.notify


async def notify(self, key, message, **kwargs):
    writers = set().union(*self.subscriptions.values()) if self.subscriptions else set()
    saved = self.subscriptions
    self.subscriptions = {key: writers}
    try:
        await _notify(self, key, message, **kwargs)
    finally:
        self.subscriptions = saved


TCPServer.notify = notify
run_peer("serve")
