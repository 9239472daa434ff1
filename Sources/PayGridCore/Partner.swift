/// A collection partner: a bank (银电联网), an agent point (便民服务点), the 95598 telephony gateway
/// or an online payment provider (Alipay, WeChat Pay). Each partner has its own outlet (for the
/// ledger's clearing account and the business day) and a system operator that its payments are
/// recorded under. Partners call the external zone with requests signed under their key (a
/// provider's notices are signed with the provider's own RSA key).
public struct Partner: Hashable, Sendable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case bank, agent
        /// The 95598 telephony gateway: callers redeem recharge vouchers through it (booked to the
        /// phone channel's own outlet, not the gateway's).
        case gateway
        /// An online payment provider (Alipay, WeChat Pay): the money customers pay it online is owed
        /// by it to the utility (the online channel's clearing account) until its settlement.
        case provider
        /// A self-service terminal (自助终端): a 24-hour kiosk or a wall terminal in a residential
        /// compound, registered as a device that signs its requests.
        case terminal
    }
    public enum Status: String, Sendable, Codable { case active, suspended }

    public var code: String
    public var kind: Kind
    public var name: String
    /// The shared HMAC-SHA256 key. Never logged, shown once at registration.
    public var secret: [UInt8]
    public var status: Status
    /// Agents: how far collections may run beyond the deposited float.
    public var creditLimit: Money
    public var address: String
    public var contact: String
    /// The minute of the local day at which the partner's business day rolls to the next (日切):
    /// what comes in from then on belongs to the next date. 0 is midnight (the calendar day).
    public var cutoffMinutes: Int

    /// Banks' and agents' usual cut-off: 23:00.
    public static let defaultCutoffMinutes = 23 * 60

    public init(
        code: String, kind: Kind, name: String, secret: [UInt8], status: Status = .active, creditLimit: Money = .zero,
        address: String = "", contact: String = "", cutoffMinutes: Int = Partner.defaultCutoffMinutes) {
        precondition((0..<1_440).contains(cutoffMinutes), "a cut-off is a minute of the day")
        self.code = code
        self.kind = kind
        self.name = name
        self.secret = secret
        self.status = status
        self.creditLimit = creditLimit
        self.address = address
        self.contact = contact
        self.cutoffMinutes = cutoffMinutes
    }

    /// The partner's business date at a moment given as the local date and minute of the day:
    /// the local date until the cut-off, the next date from then on.
    public func businessDate(localDate: Day, minuteOfDay: Int) -> Day {
        cutoffMinutes > 0 && minuteOfDay >= cutoffMinutes ? localDate + 1 : localDate
    }

    /// A cut-off as operators write it, `"23:00"`; nil unless HH:MM within the day.
    public static func cutoffMinutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
            let hours = Int(parts[0]), let minutes = Int(parts[1]), (0..<24).contains(hours), (0..<60).contains(minutes)
        else { return nil }
        return hours * 60 + minutes
    }

    public var outletID: OutletID { OutletID(rawValue: Self.outletPrefix(kind) + code) }

    /// The partner code behind a partner outlet id (`BANK-ICBC` → `ICBC`); nil for other outlets.
    public static func code(of outlet: OutletID, kind: Kind) -> String? {
        let prefix = outletPrefix(kind)
        return outlet.rawValue.hasPrefix(prefix) ? String(outlet.rawValue.dropFirst(prefix.count)) : nil
    }

    /// The kind and code of the partner whose outlet this is; nil for other outlets.
    public static func partner(of outlet: OutletID) -> (kind: Kind, code: String)? {
        for kind in Kind.allCases { if let code = code(of: outlet, kind: kind) { return (kind, code) } }
        return nil
    }

    static func outletPrefix(_ kind: Kind) -> String { kind.rawValue.uppercased() + "-" }
    public var operatorID: OperatorID { OperatorID(rawValue: "\(kind.rawValue)-\(code)") }
    public var channel: Channel {
        switch kind {
        case .bank: .bank
        case .agent: .agent
        case .gateway: .phone
        case .provider: .online
        case .terminal: .kiosk
        }
    }
    public var systemOperator: Operator { Operator(id: operatorID, name: name, role: .partner, outletID: outletID) }
    /// The scope of the partner's idempotency keys (its serial numbers).
    public var idempotencyScope: String { "\(kind.rawValue):\(code)" }

    /// Where a bank's direct debits (代扣) are booked: an outlet of their own (`DD-ICBC`), so they
    /// have their own clearing account, settlement reference (`SETTLE-DD-ICBC-<YYYYMMDD>`) and day,
    /// apart from the bank's real-time collection. Its day rolls at the bank's cut-off.
    public static func directDebitOutlet(_ bankCode: String) -> OutletID { OutletID(rawValue: "DD-" + bankCode) }

    /// The bank whose direct-debit outlet this is; nil for any other outlet.
    public static func directDebitBank(of outlet: OutletID) -> String? {
        outlet.rawValue.hasPrefix("DD-") ? String(outlet.rawValue.dropFirst(3)) : nil
    }

    /// The bank's system operator as it books direct debits (on its direct-debit outlet).
    public var directDebitOperator: Operator {
        Operator(id: operatorID, name: name, role: .partner, outletID: Self.directDebitOutlet(code))
    }
}

/// An agent's float deposit (代收点预存款): money the agent paid into one of the utility's
/// collection accounts, credited to its float at once and confirmed later by that account's
/// statement, like a remittance slip.
public struct FloatDeposit: Hashable, Sendable {
    public var id: String
    public var outletID: OutletID
    public var amount: Money
    public var bankAccount: String
    public var bankReference: String
    public var depositDate: Day
    public var operatorID: OperatorID
    public var recordedAtMilliseconds: Int64

    public init(
        id: String, outletID: OutletID, amount: Money, bankAccount: String, bankReference: String, depositDate: Day,
        operatorID: OperatorID,
        recordedAtMilliseconds: Int64) {
        self.id = id
        self.outletID = outletID
        self.amount = amount
        self.bankAccount = bankAccount
        self.bankReference = bankReference
        self.depositDate = depositDate
        self.operatorID = operatorID
        self.recordedAtMilliseconds = recordedAtMilliseconds
    }
}

/// A partner's code as PayGrid registers it: 2 to 16 capital letters and digits.
public enum PartnerCode {
    public static func isWellFormed(_ text: String) -> Bool {
        (2...16).contains(text.utf8.count) && text.utf8.allSatisfy { (48...57).contains($0) || (65...90).contains($0) }
    }
}

/// A partner's serial (交易流水号) or reference as PayGrid accepts it: 1 to 64 letters, digits and
/// `. _ : / -`. Banks' serials are letters and digits; nothing a serial may hold is a quote, a
/// space, a semicolon or a separator of the files and claims it is written into.
public enum PartnerReference {
    public static func isWellFormed(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count) && text.utf8.allSatisfy { $0.isASCIIAlphanumeric || allowed.contains($0) }
    }

    private static let allowed = Set(".:_/-".utf8)
}
