#!/usr/bin/env python3
"""Mutant: serve.py whose CREATE_URI answers OK without the uri (netaio's make_ok_msg default):
replies cannot be matched to their request."""
# zoo-flags: 
# zoo-suite: --group crud
from mutant import run_peer

import peercommon as pc

_create = pc.ResourceStore.create


def create(self, msg):
    _create(self, msg)
    return pc.reply(pc.MessageType.OK, b"")


pc.ResourceStore.create = create
run_peer("serve")
