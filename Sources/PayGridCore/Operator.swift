/// What an operator may do. Routes ask for a capability, never for a role by name.
public enum Capability: String, Sendable, CaseIterable {
    case viewCustomers
    case takePayment
    case reverseOwnPayment
    case reverseAnyPayment
    case importData
    case viewLedger
    case manageOperators
    /// Open, hand over and close one's own shift.
    case workShift
    /// Close any shift of the outlet and the outlet's business day.
    case superviseOutlet
    /// Record remittance slips (解款).
    case remitCash
    /// Receive, issue and take back invoice stock.
    case manageInvoiceStock
    /// Print receipts/invoices for payments.
    case printInvoice
    /// Collect, reverse and settle as an agent point.
    case collectAsAgent
}

/// Operator roles and what each may do.
public enum Role: String, Sendable, Codable, CaseIterable {
    case cashier, supervisor, finance, auditor, admin
    /// A collection partner's system (a bank's host): authenticates by signature, never by password.
    case partner
    /// An agent point's (便民服务点) operator: collects for the utility against the agent's float,
    /// and prints, voids and reprints invoices for its own collections on forms issued to it
    /// (the rule for agents, who have no shifts, is on `Invoices`).
    case agent

    public var capabilities: Set<Capability> {
        switch self {
        case .cashier: [.viewCustomers, .takePayment, .reverseOwnPayment, .workShift, .printInvoice]
        case .supervisor:
            [
                .viewCustomers, .takePayment, .reverseOwnPayment, .reverseAnyPayment, .viewLedger, .workShift,
                .superviseOutlet, .remitCash, .printInvoice, .manageInvoiceStock]
        case .finance: [.viewCustomers, .importData, .viewLedger, .remitCash]
        case .auditor: [.viewCustomers, .viewLedger, .manageInvoiceStock]
        case .admin: [.viewCustomers, .importData, .viewLedger, .manageOperators]
        case .partner: [.takePayment, .reverseOwnPayment]
        case .agent: [.viewCustomers, .collectAsAgent, .printInvoice]
        }
    }

    public func can(_ capability: Capability) -> Bool { capabilities.contains(capability) }
}

/// A person who signs in: a cashier at an outlet, a supervisor, finance staff…
public struct Operator: Hashable, Sendable {
    public var id: OperatorID
    public var name: String
    public var role: Role
    public var outletID: OutletID

    public init(id: OperatorID, name: String, role: Role, outletID: OutletID) {
        self.id = id
        self.name = name
        self.role = role
        self.outletID = outletID
    }
}
