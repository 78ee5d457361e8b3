#!/usr/bin/env python3
"""Mutant: node.py (UDP) whose REQUEST_URI serves the first content ever stored at a uri (a
read cache never invalidated by UPDATE_URI)."""
# zoo-flags: 
# zoo-suite: --group crud
from mutant import run_peer

import peercommon as pc

_request = pc.ResourceStore.request
_first = {}


def request(self, msg):
    answer = _request(self, msg)
    if answer.header.message_type == pc.MessageType.RESPOND_URI:
        content = _first.setdefault(msg.body.uri, answer.body.content)
        return pc.reply(pc.MessageType.RESPOND_URI, msg.body.uri, content)
    return answer


pc.ResourceStore.request = request
run_peer("node")
