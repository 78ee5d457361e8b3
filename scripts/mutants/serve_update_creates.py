#!/usr/bin/env python3
"""Mutant: serve.py whose UPDATE_URI on a missing uri creates it (an upsert) instead of NOT_FOUND."""
# zoo-flags: 
# zoo-suite: --group crud
from mutant import run_peer

import peercommon as pc


def update(self, msg):
    self.contents[msg.body.uri] = msg.body.content
    return pc.reply(pc.MessageType.OK, msg.body.uri), True


pc.ResourceStore.update = update
run_peer("serve")
