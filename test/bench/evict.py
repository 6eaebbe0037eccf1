#!/usr/bin/env python3
"""Drops the named files from the page cache (posix_fadvise DONTNEED), so the next call reads them back the way a
node does after a reboot or after the kernel has reclaimed them. Used on hakit's executable before a benchmark: a
freshly built or copied file sits in the cache in large folios (written in one go) and is measurably faster to map
than the same file read back later through readahead (docs/figures.md, fifth session)."""
import os, sys

for path in sys.argv[1:]:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)
