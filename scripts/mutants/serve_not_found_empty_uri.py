#!/usr/bin/env python3
"""Mutant: serve.py answering NOT_FOUND with uri b'' (netaio's own not_found_handler, Q5): a
client's request() never matches it and times out."""
# zoo-flags: 
# zoo-suite: --group crud
from mutant import run_peer

import peercommon as pc

_request = pc.ResourceStore.request


def request(self, msg):
    answer = _request(self, msg)
    if answer.header.message_type == pc.MessageType.NOT_FOUND:
        return pc.reply(pc.MessageType.NOT_FOUND, b"", b"not found")
    return answer


pc.ResourceStore.request = request
run_peer("serve")
