/// A collection partner: a bank (银电联网) or an agent point (便民服务点); providers later. Each partner has
/// its own outlet (for the ledger's clearing account and the business day) and a system
/// operator that its payments are recorded under.
public struct Partner: Hashable, Sendable {
    public enum Kind: String, Sendable, Codable { case bank, agent }
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

    public init(code: String, kind: Kind, name: String, secret: [UInt8], status: Status = .active, creditLimit: Money = .zero,
                address: String = "", contact: String = "") {
        self.code = code
        self.kind = kind
        self.name = name
        self.secret = secret
        self.status = status
        self.creditLimit = creditLimit
        self.address = address
        self.contact = contact
    }

    public var outletID: OutletID { OutletID(rawValue: "\(kind.rawValue.uppercased())-\(code)") }
    public var operatorID: OperatorID { OperatorID(rawValue: "\(kind.rawValue)-\(code)") }
    public var channel: Channel { kind == .bank ? .bank : .agent }
    public var systemOperator: Operator { Operator(id: operatorID, name: name, role: .partner, outletID: outletID) }
    /// The scope of the partner's idempotency keys (its serial numbers).
    public var idempotencyScope: String { "\(kind.rawValue):\(code)" }
}
