#!/usr/bin/env python3
"""What an agent collection's float check costs as the agent's history grows, on PayGrid's
postings schema: summing the account's postings (before v9) against reading the balance kept in
account_balances (v9 on). Run: python3 Benchmarks/agent-float-probe.py
"""
import os
import sqlite3
import tempfile
import time

path = os.path.join(tempfile.mkdtemp(), "probe.sqlite")
db = sqlite3.connect(path)
db.executescript("""
CREATE TABLE postings(entry_id INTEGER NOT NULL, line INTEGER NOT NULL, account TEXT NOT NULL, subledger TEXT,
  debit_fen INTEGER NOT NULL, credit_fen INTEGER NOT NULL, PRIMARY KEY (entry_id, line)) WITHOUT ROWID;
CREATE INDEX postings_by_account ON postings(account);
CREATE TABLE account_balances(account TEXT PRIMARY KEY NOT NULL, balance_fen INTEGER NOT NULL) WITHOUT ROWID;
""")
account = "2241.agent-float.AGENT-STORE01"


def per_call(sql, repeat):
    start = time.perf_counter()
    for _ in range(repeat):
        db.execute(sql, (account,)).fetchone()
    return (time.perf_counter() - start) / repeat * 1e6


for n in [1_000, 10_000, 109_500]:  # 109,500 = a year of 300 collections a day
    db.execute("DELETE FROM postings")
    db.executemany("INSERT INTO postings VALUES (?, ?, ?, NULL, ?, ?)",
                   [(i, 0, account, 1000, 0) for i in range(n)] + [(i, 1, "2203.prepayment", 0, 1000) for i in range(n)])
    db.execute("INSERT OR REPLACE INTO account_balances VALUES (?, ?)", (account, n * 1000))
    db.commit()
    summed = per_call("SELECT COALESCE(SUM(debit_fen) - SUM(credit_fen), 0) FROM postings WHERE account = ?", 100)
    kept = per_call("SELECT balance_fen FROM account_balances WHERE account = ?", 10_000)
    print(f"{n:>7} agent postings: summed {summed:9.0f} µs, kept {kept:5.1f} µs per float check")
