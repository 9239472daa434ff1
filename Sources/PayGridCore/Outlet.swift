/// A place that takes payments: a business hall (营业厅), a partner's own outlet (`BANK-…`,
/// `AGENT-…`), or the 95598 phone channel's.
public struct Outlet: Hashable, Sendable, Codable {
    public var id: OutletID
    public var name: String

    public init(id: OutletID, name: String) {
        self.id = id
        self.name = name
    }
}
