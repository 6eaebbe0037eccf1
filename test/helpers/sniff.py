#!/usr/bin/env python3
"""Counts gratuitous ARPs (sender IP = target) or unsolicited neighbour advertisements (target = target) seen on
an interface, with a raw AF_PACKET socket: proof that announcements really left the node.
Usage: sniff.py arp|na IFACE ADDRESS SECONDS  -> prints "<count> <source-mac>" once SECONDS have passed."""
import ipaddress, socket, sys, time

mode, iface, target, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.bind((iface, 0))
s.settimeout(0.05)
print("ready", flush=True)
want = ipaddress.ip_address(target).packed
count, mac, end = 0, "-", time.time() + seconds
while time.time() < end:
    try:
        f = s.recv(2048)
    except socket.timeout:
        continue
    etype = int.from_bytes(f[12:14], "big")
    if mode == "arp" and etype == 0x0806 and f[28:32] == want and f[38:42] == want:
        count += 1; mac = f[22:28].hex(":")
    elif mode == "na" and etype == 0x86DD and f[20] == 58 and f[54] == 136 and f[62:78] == want:
        count += 1; mac = f[6:12].hex(":")
print(count, mac, flush=True)
