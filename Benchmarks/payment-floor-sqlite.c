/*
 * The floor of one PayGrid counter payment on SQLite: the rows PayGrid's tables must receive for a
 * cash payment settling one bill, written through the C API with nothing else running. It is what
 * any design that keeps these tables pays per payment, however the work is scheduled, and the
 * evidence docs/write-path.md gives for issue 12's in-process target.
 *
 * The tables, indexes, checks and foreign keys are PayGrid's (SQLite schema v24, the columns a
 * payment touches), WAL mode, synchronous=FULL, foreign keys on (GRDB's default), prepared
 * statements. Per payment:
 *   reads  (mode "full" only): the claim (idempotency), the customer, the account's bills;
 *   writes: the idempotency claim, the payment row (five indexes), its allocation line, the bill's
 *           settlement, the journal entry (two indexes), two postings (one index).
 * It prints one line per mode and commit size: "full" is one thread doing what PayGrid's writer does,
 * "writes" is what an applier that receives already-validated payments would still have to do.
 *
 *   gcc -O2 -o floor Benchmarks/payment-floor-sqlite.c -lsqlite3 && ./floor /tmp/floor.sqlite [payments]
 */
#include "sqlite-bench.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { CUSTOMERS = 1000000 };

/* Steps a statement to its end (reading every row a query answers) and resets it. */
static void run(sqlite3 *db, sqlite3_stmt *statement) {
    int code;
    while ((code = sqlite3_step(statement)) == SQLITE_ROW) {}
    check(code, db, sqlite3_sql(statement));
    sqlite3_reset(statement);
}

static void text(sqlite3_stmt *s, int i, const char *value) { sqlite3_bind_text(s, i, value, -1, SQLITE_STATIC); }

static const char *schema =
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;"
    "CREATE TABLE outlets(id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL);"
    "CREATE TABLE operators(id TEXT PRIMARY KEY NOT NULL, outlet_id TEXT NOT NULL REFERENCES outlets(id));"
    "CREATE TABLE shifts(id TEXT PRIMARY KEY NOT NULL, cashier_id TEXT NOT NULL REFERENCES operators(id));"
    "CREATE TABLE customers(account_no TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, address TEXT NOT NULL,"
    " category TEXT NOT NULL, billing_mode TEXT NOT NULL,"
    " prepayment_fen INTEGER NOT NULL DEFAULT 0 CHECK (prepayment_fen >= 0));"
    "CREATE TABLE bills(id INTEGER PRIMARY KEY, account_no TEXT NOT NULL REFERENCES customers(account_no),"
    " period TEXT NOT NULL, amount_fen INTEGER NOT NULL CHECK (amount_fen > 0), due_date TEXT NOT NULL,"
    " principal_paid_fen INTEGER NOT NULL DEFAULT 0 CHECK (principal_paid_fen BETWEEN 0 AND amount_fen),"
    " penalty_paid_fen INTEGER NOT NULL DEFAULT 0 CHECK (penalty_paid_fen >= 0), UNIQUE (account_no, period));"
    "CREATE TABLE payments(id TEXT PRIMARY KEY NOT NULL, account_no TEXT NOT NULL REFERENCES customers(account_no),"
    " channel TEXT NOT NULL, amount_fen INTEGER NOT NULL CHECK (amount_fen > 0), tenders TEXT NOT NULL,"
    " business_date TEXT NOT NULL, operator_id TEXT NOT NULL REFERENCES operators(id),"
    " outlet_id TEXT NOT NULL REFERENCES outlets(id), status TEXT NOT NULL CHECK (status IN ('posted','reversed')),"
    " reversal_of TEXT UNIQUE REFERENCES payments(id), prepayment_credit_fen INTEGER NOT NULL,"
    " change_fen INTEGER NOT NULL, reason TEXT, recorded_at_ms INTEGER NOT NULL,"
    " shift_id TEXT REFERENCES shifts(id), cash_fen INTEGER NOT NULL DEFAULT 0,"
    " card_fen INTEGER NOT NULL DEFAULT 0, external_reference TEXT) WITHOUT ROWID;"
    "CREATE INDEX payments_by_account ON payments(account_no);"
    "CREATE INDEX payments_by_shift ON payments(shift_id) WHERE shift_id IS NOT NULL;"
    "CREATE UNIQUE INDEX payments_by_external_reference ON payments(outlet_id, external_reference)"
    " WHERE external_reference IS NOT NULL;"
    "CREATE INDEX payments_by_outlet_date ON payments(outlet_id, business_date, id, external_reference,"
    " amount_fen, reversal_of);"
    "CREATE TABLE allocations(payment_id TEXT NOT NULL REFERENCES payments(id),"
    " bill_id INTEGER NOT NULL REFERENCES bills(id), period TEXT NOT NULL, penalty_fen INTEGER NOT NULL,"
    " principal_fen INTEGER NOT NULL, PRIMARY KEY (payment_id, bill_id)) WITHOUT ROWID;"
    "CREATE TABLE journal_entries(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, business_date TEXT NOT NULL,"
    " payment_id TEXT REFERENCES payments(id));"
    "CREATE INDEX entries_by_payment ON journal_entries(payment_id) WHERE payment_id IS NOT NULL;"
    "CREATE INDEX entries_by_date ON journal_entries(business_date);"
    "CREATE TABLE postings(entry_id INTEGER NOT NULL REFERENCES journal_entries(id), line INTEGER NOT NULL,"
    " account TEXT NOT NULL, subledger TEXT, debit_fen INTEGER NOT NULL, credit_fen INTEGER NOT NULL,"
    " CHECK ((debit_fen > 0) <> (credit_fen > 0)), PRIMARY KEY (entry_id, line)) WITHOUT ROWID;"
    "CREATE INDEX postings_by_account ON postings(account);"
    "CREATE TABLE idempotency(scope TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL,"
    " status INTEGER NOT NULL, body TEXT, payment_id TEXT REFERENCES payments(id),"
    " created_at_ms INTEGER NOT NULL, PRIMARY KEY (scope, key)) WITHOUT ROWID;"
    "CREATE INDEX idempotency_bodies_by_age ON idempotency(created_at_ms)"
    " WHERE body IS NOT NULL AND payment_id IS NOT NULL;";

static void seed(sqlite3 *db) {
    exec(db, "BEGIN; INSERT INTO outlets VALUES ('HALL01', 'Hall');"
             "INSERT INTO operators VALUES ('cashier1', 'HALL01');"
             "INSERT INTO shifts VALUES ('S0001', 'cashier1')");
    sqlite3_stmt *customer = prepare(db, "INSERT INTO customers VALUES (?, 'Customer', 'Street 1', 'residential',"
                                         " 'postpaid', 0)");
    sqlite3_stmt *bill = prepare(db, "INSERT INTO bills(account_no, period, amount_fen, due_date)"
                                     " VALUES (?, '2026-11', 100000000, '2026-12-25')");
    char account[16];
    for (int i = 1; i <= CUSTOMERS; i++) {
        snprintf(account, sizeof account, "31%08d", i);
        text(customer, 1, account); run(db, customer);
        text(bill, 1, account); run(db, bill);
    }
    exec(db, "COMMIT");
    sqlite3_finalize(customer);
    sqlite3_finalize(bill);
}

/* Posts `count` payments, `per_commit` to a commit; with `reads`, also the lookups that decide them. */
static double post(sqlite3 *db, long count, int per_commit, int reads, long *serial) {
    sqlite3_stmt *claim = prepare(db, "SELECT * FROM idempotency WHERE scope = ? AND key = ?");
    sqlite3_stmt *customer = prepare(db, "SELECT c.account_no, c.name, c.address, c.category, c.billing_mode,"
        " c.prepayment_fen FROM customers c WHERE c.account_no = ?");
    sqlite3_stmt *bills = prepare(db, "SELECT id, period, amount_fen, due_date, principal_paid_fen,"
        " penalty_paid_fen FROM bills WHERE account_no = ? ORDER BY period, id");
    sqlite3_stmt *payment = prepare(db, "INSERT INTO payments(id, account_no, channel, amount_fen, tenders,"
        " business_date, operator_id, outlet_id, status, reversal_of, prepayment_credit_fen, change_fen, reason,"
        " recorded_at_ms, shift_id, cash_fen, card_fen, external_reference)"
        " VALUES (?, ?, 'counter', 1000, '[{\"method\":\"cash\",\"amount_fen\":1000,\"tendered_fen\":1000}]',"
        " '2026-12-01', 'cashier1', 'HALL01', 'posted', NULL, 0, 0, NULL, ?, 'S0001', 1000, 0, NULL)");
    sqlite3_stmt *allocation = prepare(db, "INSERT INTO allocations(payment_id, bill_id, period, penalty_fen,"
        " principal_fen) VALUES (?, ?, '2026-11', 0, 1000)");
    sqlite3_stmt *settle = prepare(db, "UPDATE bills SET principal_paid_fen = principal_paid_fen + 1000,"
        " penalty_paid_fen = ? WHERE id = ?");
    sqlite3_stmt *entry = prepare(db, "INSERT INTO journal_entries(kind, business_date, payment_id)"
        " VALUES ('payment', '2026-12-01', ?)");
    sqlite3_stmt *posting = prepare(db, "INSERT INTO postings(entry_id, line, account, subledger, debit_fen,"
        " credit_fen) VALUES (?, ?, ?, ?, ?, ?)");
    sqlite3_stmt *remember = prepare(db, "INSERT INTO idempotency(scope, key, request_hash, status, body,"
        " payment_id, created_at_ms) VALUES ('payments:cashier1', ?, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b"
        "934ca495991b7852b855', 201, '{\"payment_id\":\"P\",\"status\":\"posted\",\"amount\":\"10.00\"}', ?, ?)");
    char id[24], key[24], account[16];
    double start = now();
    for (long n = 0; n < count; n++, (*serial)++) {
        if (n % per_commit == 0) exec(db, "BEGIN");
        long customer_number = (long)(((unsigned long)*serial * 2654435761u) % CUSTOMERS) + 1;
        snprintf(account, sizeof account, "31%08ld", customer_number);
        snprintf(id, sizeof id, "P%016ld", *serial);
        snprintf(key, sizeof key, "key-%ld", *serial);
        if (reads) {
            text(claim, 1, "payments:cashier1"); text(claim, 2, key); run(db, claim);
            text(customer, 1, account); run(db, customer);
            text(bills, 1, account); run(db, bills);
        }
        text(payment, 1, id); text(payment, 2, account); sqlite3_bind_int64(payment, 3, *serial); run(db, payment);
        text(allocation, 1, id); sqlite3_bind_int64(allocation, 2, customer_number); run(db, allocation);
        sqlite3_bind_int(settle, 1, 0); sqlite3_bind_int64(settle, 2, customer_number); run(db, settle);
        text(entry, 1, id); run(db, entry);
        sqlite3_int64 entry_id = sqlite3_last_insert_rowid(db);
        sqlite3_bind_int64(posting, 1, entry_id); sqlite3_bind_int(posting, 2, 0); text(posting, 3, "1001.cash.HALL01");
        sqlite3_bind_null(posting, 4); sqlite3_bind_int(posting, 5, 1000); sqlite3_bind_int(posting, 6, 0);
        run(db, posting);
        sqlite3_bind_int64(posting, 1, entry_id); sqlite3_bind_int(posting, 2, 1); text(posting, 3, "1122.receivable");
        text(posting, 4, account); sqlite3_bind_int(posting, 5, 0); sqlite3_bind_int(posting, 6, 1000);
        run(db, posting);
        text(remember, 1, key); text(remember, 2, id); sqlite3_bind_int64(remember, 3, *serial); run(db, remember);
        if (n % per_commit == per_commit - 1 || n == count - 1) exec(db, "COMMIT");
    }
    double seconds = now() - start;
    sqlite3_stmt *all[] = {claim, customer, bills, payment, allocation, settle, entry, posting, remember};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) sqlite3_finalize(all[i]);
    return count / seconds;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s DATABASE [PAYMENTS]\n", argv[0]); return 2; }
    long payments = argc > 2 ? atol(argv[2]) : 200000;
    unlink(argv[1]);
    sqlite3 *db;
    check(sqlite3_open(argv[1], &db), db, "open");
    exec(db, schema);
    seed(db);
    long serial = 0;
    const int sizes[] = {100, 5000, 50000};
    for (int mode = 1; mode >= 0; mode--) {
        for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
            double rate = post(db, payments, sizes[i], mode, &serial);
            printf("SQLite payment floor (%s, %d per commit, %d customers, synchronous=FULL): %.0f payments/s\n",
                   mode ? "full: reads and writes" : "writes only", sizes[i], CUSTOMERS, rate);
        }
    }
    sqlite3_close(db);
    return 0;
}
