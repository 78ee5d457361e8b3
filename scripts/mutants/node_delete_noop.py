#!/usr/bin/env python3
"""Mutant: node.py whose DELETE_URI answers OK but leaves the resource in place."""
# zoo-flags: 
# zoo-suite: --group crud
from mutant import run_peer

import peercommon as pc


def delete(self, msg):
    if msg.body.uri not in self.contents:
        return pc.reply(pc.MessageType.NOT_FOUND, msg.body.uri, b"not found")
    return pc.reply(pc.MessageType.OK, msg.body.uri)


pc.ResourceStore.delete = delete
run_peer("node")
