#!/usr/bin/env python3
"""Mutant: node.py (UDP) that never verifies the CRC-32 (Message.check always true)."""
# zoo-flags: 
# zoo-suite: --group checksum
from mutant import run_peer

from netaio import Message

Message.check = lambda self: True
run_peer("node")
