"""Child process of test_locked_database: holds a write lock on a state database until told to stop.

Usage: ``python lock_holder_child.py DB``. Prints ``locked`` once ``BEGIN IMMEDIATE`` holds, then
waits for a line on stdin, rolls back and exits. This is what a second copy of the studio does
while it writes, or what a database browser does when left with an open transaction.
"""

from __future__ import annotations

import sqlite3
import sys

connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
connection.execute("UPDATE entries SET reason = 'uncommitted' WHERE 0")  # a write in flight, touching nothing
sys.stdout.write("locked\n")
sys.stdout.flush()
sys.stdin.readline()
connection.execute("ROLLBACK")
connection.close()
