import Crypto
import Hummingbird
import NIOCore
import Logging
import PayGridChannels
import PayGridCore
import PayGridServices
import Prometheus
import ServiceLifecycle

/// Which zones a process serves, and how its partner routes reach the ledger.
public enum ServedZones: Sendable {
    /// Both zones in this process (the default), joined by the in-process link.
    case both(InProcessZones)
    /// The internal zone only: operator work; partners reach it over the network link.
    case internalZone
    /// The external zone only: the partner routes, with the ledger behind the network link and
    /// the partners' registrations copied into this zone's database.
    case externalZone(LinkedZone, partners: PartnerReplica)
}

extension ServedZones {
    /// What the external zone's routes call, when this process serves the external zone.
    public var linked: LinkedZone? {
        switch self {
        case .both(let zones): zones.linked
        case .externalZone(let linked, _): linked
        case .internalZone: nil
        }
    }
}

/// How the external zone takes online payments: the providers it is a merchant of, and the client
/// that places and queries orders with them (none: orders wait for their notices, and no janitor runs).
public struct OnlineSettings: Sendable {
    public var merchants: OnlineMerchants
    public var providers: (any OnlineProviders)?
    /// Where the online business hall's SMS codes go (its pages are served only with one).
    public var messages: (any MessageSender)?

    public init(merchants: OnlineMerchants = OnlineMerchants(), providers: (any OnlineProviders)? = nil,
                messages: (any MessageSender)? = nil) {
        self.merchants = merchants
        self.providers = providers
        self.messages = messages
    }

    /// The online payments of a process serving the external zone over `linked`.
    func checkout(backend: Backend, linked: LinkedZone) -> OnlineCheckout {
        OnlineCheckout(store: backend.store, clock: backend.clock, ledger: linked.online, providers: providers,
                       merchants: merchants, paymentMaximum: backend.paymentMaximum,
                       logger: Logger(label: "paygrid.online"))
    }
}

/// Builds the router: operations routes, then the zones' routes. The internal zone has sign-in
/// and the authenticated `/api/v1` API; the external zone has the partner routes (`/bank/v1`,
/// `/agent/v1`, `/ivr/v1`).
/// `voucherKey` is the 256-bit key of the voucher PIN hash (a random one when not given).
/// `zones` is both zones over an in-process link with a random key and no audit log when not given.
/// `metricsToken`, when given, is what `/metrics` asks for (else it answers only this machine).
/// `rateLimits` bound each client address, operator and partner (none by default: tests and benchmarks).
/// `pages` sets the staff pages' idle timeout and cookies (internal zone).
/// `vendingKeys` derives prepaid meters' decoder keys (none: no sale can be made).
/// `online` is how the external zone takes online payments (no provider when not given) and whether
/// it serves the online business hall (`/portal`, with a message sender for its SMS codes).
public func buildRouter(backend: Backend, registry: PrometheusCollectorRegistry? = nil, voucherKey: [UInt8]? = nil,
                        zones: ServedZones? = nil, metricsToken: String? = nil,
                        rateLimits: RateLimits = .unlimited, pages: PageSettings = PageSettings(),
                        online: OnlineSettings = OnlineSettings(),
                        vendingKeys: any VendingKeyProvider = FileVendingKeys(keys: [:]))
    -> Router<AppRequestContext> {
    let desk = VoucherDesk(backend: backend, pinKey: voucherKey ?? (0..<32).map { _ in UInt8.random(in: 0...255) })
    let zones = zones ?? .both(InProcessZones(desk: desk, key: SymmetricKey(size: .bits256),
                                              vendingKeys: vendingKeys, logger: Logger(label: "paygrid.link")))
    let router = Router(context: AppRequestContext.self)
    // Metrics and the request log sit outside the error mapping, so they see the status the client gets.
    router.add(middleware: MetricsMiddleware())
    if let limit = rateLimits.address {
        router.add(middleware: RateLimitMiddleware(limiter: RateLimiter(limit), key: .address, clock: backend.clock))
    }
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: ErrorMiddleware())
    OperationsRoutes(backend: backend, registry: registry, metricsToken: metricsToken).register(on: router)
    let bank = BankInterface(backend: backend)
    let templates = PageTemplates.load(), assets = PageAssets.load()
    func partnerRoutes(_ linked: LinkedZone, partners: PartnerReplica?) {
        let limiter = rateLimits.partner.map(RateLimiter.init)
        func signing(_ kind: Partner.Kind) -> PartnerSigning {
            PartnerSigning(bank: bank, partners: partners, limiter: limiter, kind: kind)
        }
        BankRoutes(signing: signing(.bank), service: linked.bank).registerPartnerRoutes(on: router)
        AgentCounterRoutes(signing: signing(.agent), agents: linked.agents).register(on: router)
        TerminalRoutes(signing: signing(.terminal), terminals: linked.terminals).register(on: router)
        TerminalRoutes.registerScreen(on: router, assets: assets)
        IVRRoutes(signing: signing(.gateway), sessions: IVRSessions(phone: linked.phone, clock: backend.clock))
            .register(on: router)
        let checkout = online.checkout(backend: backend, linked: linked)
        OnlineRoutes(checkout: checkout).register(on: router)
        if let messages = online.messages {
            let portal = OnlinePortal(store: backend.store, clock: backend.clock, statements: linked.online,
                                      checkout: checkout, messages: messages, mandates: linked.online,
                                      idleMilliseconds: pages.idleMilliseconds)
            PortalPages(portal: portal, settings: pages, templates: templates, assets: assets).register(on: router)
        }
    }
    switch zones {
    case .both(let link): partnerRoutes(link.linked, partners: nil)
    case .externalZone(let linked, let partners): partnerRoutes(linked, partners: partners)
    case .internalZone: break
    }
    if case .externalZone = zones {
        router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes))
        return router
    }
    SessionRoutes(backend: backend).register(on: router)
    // Collector terminals reach the internal zone over the utility's mobile VPN (docs/zones.md).
    let collectors = CollectorRoutes(desk: CollectorDesk(backend: backend))
    collectors.registerTerminalRoutes(on: router)
    var api = router.group("api/v1").add(middleware: AuthMiddleware(operators: backend.operators))
    if let limit = rateLimits.operatorLimit {
        api = api.add(middleware: RateLimitMiddleware(
            limiter: RateLimiter(limit), key: .signedInOperator, clock: backend.clock))
    }
    CustomerRoutes(backend: backend).register(on: api)
    PaymentRoutes(backend: backend).register(on: api)
    BackOfficeRoutes(backend: backend).register(on: api)
    ShiftRoutes(backend: backend).register(on: api)
    InvoiceRoutes(backend: backend).register(on: api)
    BankRoutes.registerAdministration(on: api, bank: bank)
    OperatorRoutes(operators: backend.operators).register(on: api)
    AgentRoutes(agents: AgentPoints(backend: backend)).register(on: api)
    VoucherRoutes(desk: desk).register(on: api)
    let reconciliations = Reconciliations(backend: backend)
    ReconciliationRoutes(reconciliations: reconciliations).register(on: api)
    let directDebit = DirectDebitRoutes(backend: backend, messages: online.messages)
    directDebit.register(on: api)
    PrepaidRoutes(vending: PrepaidVending(backend: backend, keys: vendingKeys), paymentMaximum: backend.paymentMaximum)
        .register(on: api)
    MeteringRoutes(outbox: MeteringOutbox(backend: backend)).register(on: api)
    collectors.register(on: api)
    let reports = Reports(store: backend.store)
    ReportRoutes(reports: reports).register(on: api)
    // The staff's pages: sign-in and assets open to all, the rest behind the session cookie.
    let signedIn = router.group("ui").add(
        middleware: PageSessionMiddleware(operators: backend.operators, settings: pages, templates: templates))
    SignInPages(operators: backend.operators, settings: pages, templates: templates, assets: assets)
        .register(on: router, signedIn: signedIn)
    CounterPages(backend: backend, templates: templates).register(on: signedIn)
    ShiftPages(backend: backend, templates: templates).register(on: signedIn)
    InvoicePages(backend: backend, templates: templates).register(on: signedIn)
    SupervisorPages(backend: backend, reconciliations: reconciliations, templates: templates).register(on: signedIn)
    AuditorPages(backend: backend, templates: templates).register(on: signedIn)
    FinancePages(reconciliations: reconciliations, reports: reports, clock: backend.clock, templates: templates)
        .register(on: signedIn)
    DirectDebitPages(directDebit: directDebit, backend: backend, templates: templates).register(on: signedIn)
    MandatePages(mandates: directDebit.mandates, templates: templates).register(on: signedIn)
    AdminPages(backend: backend, templates: templates).register(on: signedIn)
    // Last, so it wraps only the not-found answer and sees every route: 405 with Allow.
    router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes))
    return router
}

/// The application: the HTTP server plus the ledger writer it feeds. On shutdown the server
/// stops first (finishing requests in flight), then `services` (the link listener), then housekeeping,
/// then the writer commits what is queued. Where the ledger is kept, `metering` (when given) is
/// the metering system the remote top-ups and reconnections are dispatched to.
/// `onListening` receives the bound port (useful with port 0).
public func buildApplication(
    backend: Backend, host: String, port: Int, registry: PrometheusCollectorRegistry? = nil, voucherKey: [UInt8]? = nil,
    zones: ServedZones? = nil, services: [any Service] = [], metricsToken: String? = nil,
    rateLimits: RateLimits = .unlimited, pages: PageSettings = PageSettings(),
    online: OnlineSettings = OnlineSettings(), vendingKeys: any VendingKeyProvider = FileVendingKeys(keys: [:]),
    metering: (any MeteringSystem)? = nil, idleTimeout: TimeAmount = .seconds(30), logger: Logger,
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    // One PIN key for the vouchers' routes and the link's desk (phone redemptions).
    let voucherKey = voucherKey ?? (0..<32).map { _ in UInt8.random(in: 0...255) }
    let zones = zones ?? .both(InProcessZones(desk: VoucherDesk(backend: backend, pinKey: voucherKey),
                                              key: SymmetricKey(size: .bits256), vendingKeys: vendingKeys,
                                              logger: Logger(label: "paygrid.link")))
    // The janitor runs where online orders are kept, for every provider the utility is a merchant of
    // (without a provider client it still posts the orders left paid).
    let janitor = zones.linked.flatMap { linked in
        online.merchants.isEmpty ? nil : OnlineJanitor(checkout: online.checkout(backend: backend, linked: linked))
    }
    var dispatcher: MeteringDispatcher?
    if case .externalZone = zones {} else if let metering {
        dispatcher = MeteringDispatcher(outbox: MeteringOutbox(backend: backend), system: metering)
    }
    return Application(router: buildRouter(backend: backend, registry: registry, voucherKey: voucherKey, zones: zones,
                                    metricsToken: metricsToken, rateLimits: rateLimits, pages: pages,
                                    online: online, vendingKeys: vendingKeys),
                // A connection that sends nothing for this long is closed: half-sent requests cannot pile up.
                server: .http1(configuration: .init(idleTimeout: idleTimeout)),
                configuration: .init(address: .hostname(host, port: port), serverName: "PayGrid"),
                services: [backend.writer, Housekeeping(writer: backend.writer, clock: backend.clock, logger: logger)]
                    + services + (janitor.map { [$0] } ?? []) + (dispatcher.map { [$0] } ?? []),
                onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
                logger: logger)
}
