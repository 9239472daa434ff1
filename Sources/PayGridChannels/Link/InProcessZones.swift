import Crypto
import Logging
import PayGridLink
import PayGridServices

/// Both zones in one process (`paygrid serve` without `--zone`): the external zone's bank service
/// reaches the ledger through an in-process link whose frames go through exactly the encoding,
/// MAC, sequence and whitelist checks of the network link.
public struct InProcessZones: Sendable {
    /// The internal zone's end of the link.
    public let server: LinkServer
    /// What the external zone's bank routes call.
    public let bank: LinkedBank

    public init(backend: Backend, key: SymmetricKey, internalAudit: AuditLog? = nil, externalAudit: AuditLog? = nil,
                logger: Logger) {
        let clock = backend.clock
        let handler = InternalLinkHandler(bank: BankInterface(backend: backend), logger: logger)
        let server = LinkServer(key: key, handler: handler,
                                audit: internalAudit, logger: logger, now: { clock.nowMilliseconds })
        self.server = server
        let client = LinkClient(key: key, audit: externalAudit, logger: logger, now: { clock.nowMilliseconds }) {
            InProcessLinkConnection(server: server)
        }
        bank = LinkedBank(client: client, paymentMaximum: backend.paymentMaximum)
    }
}
