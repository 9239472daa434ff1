import ArgumentParser
import Configuration
import Crypto
import Foundation
import Logging
import PayGridChannels
import PayGridHTTP
import PayGridLink
import PayGridServices
import ServiceLifecycle

/// How `paygrid serve` joins the zones: in process, or over TCP (and TLS) between two processes.
struct LinkOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The link between the zones, host:port: where the internal zone listens, or where the external zone "
            + "reaches it (default 127.0.0.1:9500; env PAYGRID_LINK_ADDRESS)."))
    var link: String?
    @Option(help: "The certificate (PEM) this zone shows on the link; with --link-tls-key, the link uses TLS.")
    var linkTlsCert: String?
    @Option(help: "The private key (PEM) of --link-tls-cert.") var linkTlsKey: String?
    @Option(help: "The CA (PEM) the other zone's certificate must be signed by (mutual TLS).") var linkTlsCa: String?

    /// What `serve` runs for a zone: the routes' zones, the extra services, a line for the banner.
    struct Served {
        var zones: ServedZones
        var services: [any Service]
        var banner: String
    }

    /// `voucherKey` is the key vouchers' PINs are hashed under (the internal zone checks PINs).
    func zones(_ zone: String, reader: ConfigReader, storeOptions: StoreOptions, backend: Backend,
               voucherKey: [UInt8], logger: Logger) async throws -> Served
    {
        let key = SymmetricKey(data: try storeOptions.linkKey(reader))
        func audit(_ zone: String) throws -> AuditLog {
            try AuditLog(path: storeOptions.auditLogPath(reader, zone: zone), zone: zone)
        }
        let clock = backend.clock
        switch zone {
        case "internal":
            let (host, port) = try address(reader)
            let server = LinkServer(
                key: key, handler: InternalLinkHandler(desk: VoucherDesk(backend: backend, pinKey: voucherKey),
                                                       vendingKeys: try storeOptions.vendingKeys(reader),
                                                       logger: logger),
                audit: backend.audit, logger: logger, now: { clock.nowMilliseconds })
            let listener = try await LinkListener.bind(
                host: host, port: port, tls: try tls(reader, host: host), server: server)
            return Served(zones: .internalZone, services: [LinkListenerService(listener: listener)],
                          banner: " (internal zone; link on \(host):\(listener.port))")
        case "external":
            let (host, port) = try address(reader)
            let tls = try tls(reader, host: host)
            let client = LinkClient(key: key, audit: try audit("external"), logger: logger,
                                    now: { clock.nowMilliseconds }) {
                try await TCPLinkConnection.connect(host: host, port: port, tls: tls)
            }
            return Served(
                zones: .externalZone(
                    LinkedZone(client: client, paymentMaximum: backend.paymentMaximum),
                    partners: PartnerReplica(client: client, store: backend.store, clock: clock)),
                services: [], banner: " (external zone; internal zone at \(host):\(port))")
        default:
            let zones = InProcessZones(desk: VoucherDesk(backend: backend, pinKey: voucherKey), key: key,
                                       internalAudit: backend.audit, externalAudit: try audit("external"),
                                       vendingKeys: try storeOptions.vendingKeys(reader), logger: logger)
            return Served(zones: .both(zones), services: [], banner: "")
        }
    }

    func address(_ reader: ConfigReader) throws -> (String, Int) {
        let text = link ?? reader.string(forKey: "paygrid.link.address", default: "127.0.0.1:9500")
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65_535).contains(port), colon != text.startIndex
        else { throw ValidationError("the link address must be host:port") }
        return (String(text[..<colon]), port)
    }

    /// TLS as configured; refused when absent (or without a CA) on a link that leaves this machine:
    /// the partners' registrations cross it with their signing keys.
    func tls(_ reader: ConfigReader, host: String) throws -> LinkTLS? {
        let tls = try tls(reader)
        if !["127.0.0.1", "::1", "localhost"].contains(host), tls?.caPath == nil {
            throw ValidationError(
                "a link to or from another machine (\(host)) needs --link-tls-cert, --link-tls-key and --link-tls-ca")
        }
        return tls
    }

    func tls(_ reader: ConfigReader) throws -> LinkTLS? {
        let certificate = linkTlsCert ?? reader.string(forKey: "paygrid.link.tls.cert")
        let key = linkTlsKey ?? reader.string(forKey: "paygrid.link.tls.key")
        let ca = linkTlsCa ?? reader.string(forKey: "paygrid.link.tls.ca")
        guard let certificate, let key else {
            if certificate != nil || key != nil || ca != nil {
                throw ValidationError("link TLS needs both --link-tls-cert and --link-tls-key")
            }
            return nil
        }
        return LinkTLS(certificatePath: certificate, privateKeyPath: key, caPath: ca)
    }
}

/// The internal zone's link listener as a service: it stops accepting at shutdown, before the
/// ledger writer commits what is queued.
struct LinkListenerService: Service {
    let listener: LinkListener

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await listener.run() }
        } catch is CancellationError {}
    }
}
