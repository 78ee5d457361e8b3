#!/usr/bin/env python3
"""Mutant: node.py (UDP) whose process exits on a datagram it cannot decode."""
# zoo-flags: 
# zoo-suite: --group robustness
from mutant import run_peer

import os

from netaio import UDPNode

_received = UDPNode.datagram_received


def datagram_received(self, data, addr):
    from netaio import Header
    try:
        Header.decode(data[:Header.header_length()])
    except Exception:
        os._exit(70)
    return _received(self, data, addr)


UDPNode.datagram_received = datagram_received
run_peer("node")
