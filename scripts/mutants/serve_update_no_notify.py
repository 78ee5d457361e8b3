#!/usr/bin/env python3
"""Mutant: serve.py whose UPDATE_URI never notifies subscribers."""
# zoo-flags: 
# zoo-suite: --group pubsub
from mutant import run_peer

import peercommon as pc

_update = pc.ResourceStore.update


def update(self, msg):
    answer, _ = _update(self, msg)
    return answer, False


pc.ResourceStore.update = update
run_peer("serve")
