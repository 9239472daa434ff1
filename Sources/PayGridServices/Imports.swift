import PayGridCore
import PayGridStore

/// One bad row of an import file.
public struct ImportProblem: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var reason: String
    public var description: String { "line \(line): \(reason)" }

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }
}

/// An import refused whole: the data is unchanged.
public struct ImportRejected: Error, Sendable, Equatable, BusinessRejection {
    public var problems: [ImportProblem]
    public var code: String { "import_rejected" }
    public var message: String {
        "\(problems.count) bad row(s), nothing imported; "
            + problems.prefix(20).map(\.description).joined(separator: "; ")
    }
    public var category: RejectionCategory { .invalid }

    public init(problems: [ImportProblem]) { self.problems = problems }
}

public struct ImportSummary: Sendable, Equatable, Codable {
    public var rows: Int
    /// Prepayment (预收) applied to the newly imported bills.
    public var prepaymentApplied: Money

    public init(rows: Int, prepaymentApplied: Money) {
        self.rows = rows
        self.prepaymentApplied = prepaymentApplied
    }

    /// The form answers were stored in since imports became idempotent (a retry at any age reads it).
    enum CodingKeys: String, CodingKey {
        case rows = "imported", prepaymentApplied = "prepayment_applied"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rows = try container.decode(Int.self, forKey: .rows)
        let yuan = try container.decode(String.self, forKey: .prepaymentApplied)
        prepaymentApplied = try Money.parse(yuan: yuan, maximum: Money(fen: .max), allowingZero: true)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rows, forKey: .rows)
        try container.encode(prepaymentApplied.yuanString, forKey: .prepaymentApplied)
    }
}

/// Reports progress on long imports: (rows done, rows in all).
public typealias ImportProgress = @Sendable (Int, Int) -> Void

/// Imports from the billing system: customers and bills, each all-or-nothing.
public struct Imports: Sendable {
    public let writer: any LedgerWriting
    public let clock: any WallClock
    public let allocator: Allocator

    public init(writer: any LedgerWriting, clock: any WallClock, allocator: Allocator) {
        self.writer = writer
        self.clock = clock
        self.allocator = allocator
    }

    public static let customerHeader = ["account_no", "name", "address", "category", "billing_mode", "meters"]
    public static let billHeader = ["account_no", "period", "amount", "due_date"]

    /// Customers CSV: `account_no,name,address,category,billing_mode,meters` (meters `;`-separated).
    public func customers(csv: [UInt8], progress: ImportProgress? = nil) async throws -> ImportSummary {
        let rows = try Self.parseCustomers(csv)
        return try await writer.submit { w in try Self.insert(rows, in: w, progress: progress) }
    }

    /// The same import as an idempotent API request: a retry answers the first result.
    public func customers(csv: [UInt8], claim: IdempotencyClaim) async throws -> Answered<ImportSummary> {
        let rows = try Self.parseCustomers(csv), clock = self.clock
        return try await writer.submit { w in
            if let earlier = try w.replay(claim, as: ImportSummary.self) { return earlier }
            return try w.remember(claim, value: try Self.insert(rows, in: w, progress: nil), at: clock.nowMilliseconds)
        }
    }

    /// Checks every row on its own; all problems are reported together.
    static func parseCustomers(_ csv: [UInt8]) throws -> [(Int, Customer)] {
        let (records, malformed) = try Self.records(csv, header: Self.customerHeader)
        var problems = malformed
        var customers: [(Int, Customer)] = []
        var seen: Set<AccountNumber> = []
        for record in records {
            let f = record.fields
            guard let account = AccountNumber(f[0]) else {
                problems.append(.init(line: record.line, reason: "account_no \"\(f[0])\" is malformed")); continue
            }
            guard !f[1].isEmpty else { problems.append(.init(line: record.line, reason: "name is empty")); continue }
            guard let category = CustomerCategory(rawValue: f[3]) else {
                problems.append(.init(line: record.line, reason: "category \"\(f[3])\" is unknown")); continue
            }
            guard let mode = BillingMode(rawValue: f[4]) else {
                problems.append(.init(line: record.line, reason: "billing_mode \"\(f[4])\" is unknown")); continue
            }
            guard seen.insert(account).inserted else {
                problems.append(.init(line: record.line, reason: "account \(account) appears twice")); continue
            }
            let meters = f[5].split(separator: ";").map { String($0) }
            customers.append(
                (
                    record.line,
                    Customer(
                        accountNumber: account, name: f[1], address: f[2], category: category, billingMode: mode,
                        meterNumbers: meters)
                ))
        }
        guard problems.isEmpty else { throw ImportRejected(problems: problems.sorted { $0.line < $1.line }) }
        return customers
    }

    static func insert(_ rows: [(Int, Customer)], in w: any StoreWriter, progress: ImportProgress?) throws
        -> ImportSummary
    {
        var problems: [ImportProblem] = []
        for (done, (line, customer)) in rows.enumerated() {
            do { try w.insertCustomer(customer) } catch StoreError.duplicate {
                problems.append(
                    .init(line: line, reason: "account \(customer.accountNumber) or one of its meters already exists"))
            }
            if done % 10_000 == 9_999 { progress?(done + 1, rows.count) }
        }
        guard problems.isEmpty else { throw ImportRejected(problems: problems) }
        progress?(rows.count, rows.count)
        return ImportSummary(rows: rows.count, prepaymentApplied: .zero)
    }

    /// Bills CSV: `account_no,period,amount,due_date`. Each bill is posted to the receivable;
    /// prepayment held by the account is then applied to it automatically.
    public func bills(csv: [UInt8], progress: ImportProgress? = nil) async throws -> ImportSummary {
        let parsed = try Self.parseBills(csv), clock = self.clock, allocator = self.allocator
        return try await writer.submit { w in
            try Self.insert(parsed, in: w, clock: clock, allocator: allocator, progress: progress)
        }
    }

    /// The same import as an idempotent API request: a retry answers the first result.
    public func bills(csv: [UInt8], claim: IdempotencyClaim) async throws -> Answered<ImportSummary> {
        let parsed = try Self.parseBills(csv), clock = self.clock, allocator = self.allocator
        return try await writer.submit { w in
            if let earlier = try w.replay(claim, as: ImportSummary.self) { return earlier }
            let summary = try Self.insert(parsed, in: w, clock: clock, allocator: allocator, progress: nil)
            return try w.remember(claim, value: summary, at: clock.nowMilliseconds)
        }
    }

    typealias BillRow = (line: Int, account: AccountNumber, period: Period, amount: Money, due: Day)

    /// The rows of a bills file that read well, and the problems of those that do not. Every row is
    /// checked, each for every field: a file is refused with all its bad rows, never only the first.
    struct ParsedBills {
        var rows: [BillRow]
        var problems: [ImportProblem]
    }

    /// Checks every row on its own; all problems are reported together, one per bad row with all
    /// its reasons. Only a file that cannot be read at all (empty, wrong header) throws here: the
    /// rows that read well are still checked against the stored data, so those problems join these.
    static func parseBills(_ csv: [UInt8]) throws -> ParsedBills {
        let (records, malformed) = try records(csv, header: billHeader)
        var problems = malformed
        var bills: [BillRow] = []
        var seen: Set<String> = []
        for record in records {
            if let row = billRow(record, seen: &seen, problems: &problems) { bills.append(row) }
        }
        return ParsedBills(rows: bills, problems: problems.sorted { $0.line < $1.line })
    }

    /// One row of a bills file; nil when it is bad, with every reason why added to `problems`.
    private static func billRow(_ record: CSVReader.Record, seen: inout Set<String>,
                                problems: inout [ImportProblem]) -> BillRow? {
        let f = record.fields
        var reasons: [String] = []
        let account = AccountNumber(f[0])
        if account == nil { reasons.append("account_no \"\(f[0])\" is malformed") }
        let period = Period(f[1])
        if period == nil { reasons.append("period \"\(f[1])\" is not YYYY-MM") }
        var amount: Money?
        do { amount = try Money.parse(yuan: f[2], maximum: Money(fen: 100_000_000_000)) } catch {
            reasons.append("amount \"\(f[2])\": \(error.message)")
        }
        let due = Day(f[3])
        if due == nil { reasons.append("due_date \"\(f[3])\" is not YYYY-MM-DD") }
        // A bill falls due after its period starts; an earlier date would charge penalty at once.
        if let due, let period, due < Day(year: period.year, month: period.month, day: 1)! {
            reasons.append("due_date \(due) is before the period \(period) begins")
        }
        // A bill counts as seen once its row is good: the row after a bad one for the same bill is not its twin.
        if reasons.isEmpty, let account, let period, !seen.insert("\(account) \(period)").inserted {
            reasons.append("bill \(account) \(period) appears twice")
        }
        guard reasons.isEmpty, let account, let period, let amount, let due else {
            problems.append(ImportProblem(line: record.line, reason: reasons.joined(separator: "; ")))
            return nil
        }
        return (record.line, account, period, amount, due)
    }

    /// Inserts the bills and their entries, then applies prepayment; any problem — of the file or
    /// a clash with stored data — rejects all, and every one is reported (the writer's savepoint
    /// undoes the rows inserted before the refusal).
    static func insert(_ parsed: ParsedBills, in w: any StoreWriter, clock: any WallClock, allocator: Allocator,
                       progress: ImportProgress?) throws -> ImportSummary {
        let today = clock.today, rows = parsed.rows
        var problems: [ImportProblem] = []
        var touched: [AccountNumber] = []
        var touchedSet: Set<AccountNumber> = []
        for (done, row) in rows.enumerated() {
            do {
                let bill = try w.insertBill(
                    account: row.account, period: row.period, amount: row.amount, dueDate: row.due)
                try w.append(Entries.billIssued(bill, on: today))
                if touchedSet.insert(row.account).inserted { touched.append(row.account) }
            } catch StoreError.duplicate {
                problems.append(.init(line: row.line, reason: "bill \(row.account) \(row.period) already exists"))
            } catch StoreError.missing {
                problems.append(.init(line: row.line, reason: "account \(row.account) is unknown"))
            }
            if done % 10_000 == 9_999 { progress?(done + 1, rows.count) }
        }
        guard problems.isEmpty, parsed.problems.isEmpty else {
            throw ImportRejected(problems: (parsed.problems + problems).sorted { $0.line < $1.line })
        }
        var applied = Money.zero
        for account in touched { applied += try applyPrepayment(account, in: w, today: today, allocator: allocator) }
        progress?(rows.count, rows.count)
        return ImportSummary(rows: rows.count, prepaymentApplied: applied)
    }

    /// Spends an account's prepayment (预收) on its open bills; returns the amount applied.
    static func applyPrepayment(_ account: AccountNumber, in w: any StoreWriter, today: Day, allocator: Allocator)
        throws -> Money
    {
        guard let customer = try w.customer(account), customer.prepayment.isPositive else { return .zero }
        let bills = try w.bills(of: account)
        let plan = allocator.allocate(customer.prepayment, to: bills, category: customer.category, asOf: today)
        guard !plan.lines.isEmpty else { return .zero }
        try Payments.settle(plan.lines, bills: bills, in: w)
        try w.setPrepayment(account, plan.prepaymentCredit)
        try w.append(Entries.prepaymentApplied(plan.lines, account: account, on: today))
        return customer.prepayment - plan.prepaymentCredit
    }

    /// The records after the header that have exactly the header's field count, and a problem for
    /// each that has not (the caller reports them with the rest).
    public static func records(_ csv: [UInt8], header: [String]) throws
        -> (records: [CSVReader.Record], malformed: [ImportProblem]) {
        try records(csv, anyOf: [header])
    }

    /// As `records(_:header:)`, for a file whose header may be any of `headers` (a format that grew
    /// optional columns at its end): each record has the fields of the header its file has.
    public static func records(_ csv: [UInt8], anyOf headers: [[String]]) throws
        -> (records: [CSVReader.Record], malformed: [ImportProblem]) {
        var reader = CSVReader(csv)
        guard let first = reader.next() else {
            throw ImportRejected(problems: [.init(line: 1, reason: "the file is empty")])
        }
        guard let header = headers.first(where: { first.fields.map(\.trimmingSpaces) == $0 }) else {
            let allowed = headers.map { $0.joined(separator: ",") }.joined(separator: " or ")
            throw ImportRejected(problems: [.init(line: first.line, reason: "header must be \(allowed)")])
        }
        var records: [CSVReader.Record] = []
        var problems: [ImportProblem] = []
        while let record = reader.next() {
            if record.fields.count != header.count {
                problems.append(
                    .init(line: record.line, reason: "expected \(header.count) fields, found \(record.fields.count)"))
            } else {
                records.append(record)
            }
        }
        return (records, problems)
    }
}

extension String {
    var trimmingSpaces: String {
        String(self.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
