/*
 * SQLite's own write speed on this machine: the reference `Benchmarks/bench.sh` prints beside PayGrid's.
 * A TPC-B-like transaction (one account, one teller and one branch balance updated, one history row
 * inserted), 100 of them per commit, WAL mode, synchronous=FULL, prepared statements bound through
 * the C API. It is a reference figure, not part of PayGrid: what the database can do when nothing
 * but the four statements runs.
 *
 *   gcc -O2 -o tpcb Benchmarks/tpcb-sqlite.c -lsqlite3 && ./tpcb /tmp/tpcb.sqlite [transactions]
 */
#include "sqlite-bench.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

enum { ACCOUNTS = 1000000, TELLERS = 1000, BRANCHES = 100, PER_COMMIT = 100 };

static void step(sqlite3 *db, sqlite3_stmt *statement) {
    check(sqlite3_step(statement), db, "step");
    sqlite3_reset(statement);
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s DATABASE [TRANSACTIONS]\n", argv[0]); return 2; }
    long transactions = argc > 2 ? atol(argv[2]) : 500000;
    unlink(argv[1]);
    sqlite3 *db;
    check(sqlite3_open(argv[1], &db), db, "open");
    exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-131072;"
             "CREATE TABLE accounts(id INTEGER PRIMARY KEY, branch INTEGER, balance INTEGER);"
             "CREATE TABLE tellers(id INTEGER PRIMARY KEY, branch INTEGER, balance INTEGER);"
             "CREATE TABLE branches(id INTEGER PRIMARY KEY, balance INTEGER);"
             "CREATE TABLE history(id INTEGER PRIMARY KEY, account INTEGER, teller INTEGER, branch INTEGER,"
             " delta INTEGER, at INTEGER);");
    exec(db, "BEGIN");
    sqlite3_stmt *seed = prepare(db, "INSERT INTO accounts VALUES (?, ?, 0)");
    for (int i = 1; i <= ACCOUNTS; i++) {
        sqlite3_bind_int(seed, 1, i);
        sqlite3_bind_int(seed, 2, i % BRANCHES + 1);
        step(db, seed);
    }
    exec(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)"
             " INSERT INTO tellers SELECT i, i % 100 + 1, 0 FROM n;"
             "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)"
             " INSERT INTO branches SELECT i, 0 FROM n; COMMIT");
    sqlite3_stmt *account = prepare(db, "UPDATE accounts SET balance = balance + ? WHERE id = ?");
    sqlite3_stmt *teller = prepare(db, "UPDATE tellers SET balance = balance + ? WHERE id = ?");
    sqlite3_stmt *branch = prepare(db, "UPDATE branches SET balance = balance + ? WHERE id = ?");
    sqlite3_stmt *history =
        prepare(db, "INSERT INTO history(account, teller, branch, delta, at) VALUES (?, ?, ?, ?, ?)");
    srand(42);
    double start = now();
    for (long n = 0; n < transactions; n++) {
        if (n % PER_COMMIT == 0) exec(db, "BEGIN");
        int a = rand() % ACCOUNTS + 1, t = rand() % TELLERS + 1, b = rand() % BRANCHES + 1, delta = rand() % 1000;
        sqlite3_bind_int(account, 1, delta); sqlite3_bind_int(account, 2, a); step(db, account);
        sqlite3_bind_int(teller, 1, delta); sqlite3_bind_int(teller, 2, t); step(db, teller);
        sqlite3_bind_int(branch, 1, delta); sqlite3_bind_int(branch, 2, b); step(db, branch);
        sqlite3_bind_int(history, 1, a); sqlite3_bind_int(history, 2, t); sqlite3_bind_int(history, 3, b);
        sqlite3_bind_int(history, 4, delta); sqlite3_bind_int64(history, 5, (sqlite3_int64)n);
        step(db, history);
        if (n % PER_COMMIT == PER_COMMIT - 1 || n == transactions - 1) exec(db, "COMMIT");
    }
    double seconds = now() - start;
    printf("SQLite TPC-B-like reference: %ld transactions, %d per commit, synchronous=FULL: %.0f transactions/s\n",
           transactions, PER_COMMIT, transactions / seconds);
    sqlite3_close(db);
    return 0;
}
