import Crypto
import Logging
import PayGridCore
import PayGridLink
import PayGridServices

/// What the external zone's partner routes call: each partner's service over one link client.
public struct LinkedZone: Sendable {
    public let bank: LinkedBank
    public let agents: LinkedAgent
    public let phone: LinkedPhone
    public let online: LinkedOnline
    public let terminals: LinkedTerminal

    public init(client: LinkClient, paymentMaximum: Money) {
        bank = LinkedBank(client: client, paymentMaximum: paymentMaximum)
        agents = LinkedAgent(client: client, paymentMaximum: paymentMaximum)
        phone = LinkedPhone(client: client)
        online = LinkedOnline(client: client)
        terminals = LinkedTerminal(client: client)
    }
}

/// Both zones in one process (`paygrid serve` without `--zone`): the external zone's partner
/// services reach the ledger through an in-process link whose frames go through exactly the
/// encoding, MAC, sequence and whitelist checks of the network link.
public struct InProcessZones: Sendable {
    /// The internal zone's end of the link.
    public let server: LinkServer
    /// What the external zone's partner routes call.
    public let linked: LinkedZone

    /// `desk` holds the internal zone's backend and the key vouchers' PINs are hashed under.
    public init(desk: VoucherDesk, key: SymmetricKey, internalAudit: AuditLog? = nil, externalAudit: AuditLog? = nil,
                vendingKeys: any VendingKeyProvider = FileVendingKeys(keys: [:]), logger: Logger) {
        let clock = desk.backend.clock
        let handler = InternalLinkHandler(desk: desk, vendingKeys: vendingKeys, logger: logger)
        let server = LinkServer(key: key, handler: handler,
                                audit: internalAudit, logger: logger, now: { clock.nowMilliseconds })
        self.server = server
        let client = LinkClient(key: key, audit: externalAudit, logger: logger, now: { clock.nowMilliseconds }) {
            InProcessLinkConnection(server: server)
        }
        linked = LinkedZone(client: client, paymentMaximum: desk.backend.paymentMaximum)
    }
}
