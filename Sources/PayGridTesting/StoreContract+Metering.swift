import PayGridCore
import PayGridStore
import Testing

/// The metering port: orders kept and listed by state, account and due time; disconnections
/// recorded, linked to their reconnection order and ended; and the refusals of each.
extension StoreContract {
    public func metering() async throws {
        try await meteringOrdersAreKeptAndListed()
        try await disconnectionsAreRecordedAndEnded()
        try await meteringRefusals()
    }

    static func topUp(_ payment: String = "P1", at milliseconds: Int64 = 1_000) -> MeteringOrder {
        MeteringOrder(kind: .topUp, accountNumber: Fixtures.account(1), meterNumber: prepaidMeter.meterNumber,
                      paymentID: PaymentID(rawValue: payment), token: "23716100501183194197", transferTenths: 40,
                      atMilliseconds: milliseconds)
    }

    func meteringOrdersAreKeptAndListed() async throws {
        let store = try await withPrepaidMeter()
        let remote = PrepaidMeter(
            meterNumber: Fixtures.customer(2).meterNumbers[0], accountNumber: Fixtures.account(2),
            pan: MeterPAN(iin: "600727", meterNumber: "00000000002")!, keyData: Self.prepaidMeter.keyData,
            baseYear: 2014, remote: true)
        try await store.write { try $0.insertPrepaidMeter(remote) }
        #expect(try await store.read { try $0.prepaidMeter(remote.meterNumber) }?.remote == true)
        let topUp = Self.topUp(), reconnect = MeteringOrder(
            kind: .reconnect, accountNumber: Fixtures.account(1), paymentID: PaymentID(rawValue: "P1"),
            atMilliseconds: 2_000)
        try await store.write { w in
            try w.insertMeteringOrder(topUp)
            try w.insertMeteringOrder(reconnect)
        }
        #expect(try await store.read { try $0.meteringOrder(topUp.id) } == topUp)
        #expect(try await store.read { try $0.meteringOrder(reconnect.id) } == reconnect)
        #expect(try await store.read { try $0.meteringOrder("TOPUP-P404") } == nil)
        var accepted = topUp, unanswered = reconnect
        accepted.answered(.accepted, atMilliseconds: 3_000)
        unanswered.claim(atMilliseconds: 3_000)
        unanswered.unanswered("timed out", atMilliseconds: 3_000)
        let (sent, failing) = (accepted, unanswered)
        try await store.write { w in
            try w.updateMeteringOrder(sent)
            try w.updateMeteringOrder(failing)
        }
        #expect(try await store.read { try $0.meteringOrder(sent.id) } == sent)
        #expect(try await store.read { try $0.meteringOrder(failing.id) } == failing)
        let due = { @Sendable (by: Int64) in
            try await store.read { try $0.meteringOrdersDue(by: by, limit: 10) }.map(\.id)
        }
        #expect(try await due(3_000) == [])
        #expect(try await due(8_000) == [reconnect.id])
        #expect(try await due(40_000) == [reconnect.id, topUp.id])
        #expect(try await store.read { try $0.meteringOrdersDue(by: 40_000, limit: 1) }.map(\.id) == [reconnect.id])
        var confirmed = sent
        confirmed.answered(.confirmed, atMilliseconds: 4_000)
        try await store.write { [confirmed] in try $0.updateMeteringOrder(confirmed) }
        #expect(try await due(40_000) == [reconnect.id])
        let listed = { @Sendable (states: [MeteringOrder.State], account: AccountNumber?) in
            try await store.read { try $0.meteringOrders(states: states, account: account, limit: 10) }.map(\.id)
        }
        #expect(try await listed([], nil) == [topUp.id, reconnect.id])
        #expect(try await listed([.confirmed], nil) == [topUp.id])
        #expect(try await listed([.pending, .sent], Fixtures.account(1)) == [reconnect.id])
        #expect(try await listed([], Fixtures.account(2)) == [])
        #expect(try await store.read { try $0.meteringOrders(states: [], account: nil, limit: 1) }.count == 1)
    }

    func disconnectionsAreRecordedAndEnded() async throws {
        let store = try await withPrepaidMeter()
        let cut = Disconnection(accountNumber: Fixtures.account(1), reason: "欠费", by: Self.cashier.id,
                                atMilliseconds: 7)
        try await store.write { w in
            try w.insertDisconnection(cut)
            try w.insertMeteringOrder(Self.topUp())
        }
        #expect(try await store.read { try $0.disconnection(Fixtures.account(1)) } == cut)
        #expect(try await store.read { try $0.disconnection(Fixtures.account(2)) } == nil)
        var linked = cut
        linked.reconnectionOrder = Self.topUp().id
        try await store.write { [linked] in try $0.updateDisconnection(linked) }
        #expect(try await store.read { try $0.disconnections() } == [linked])
        try await store.write { try $0.deleteDisconnection(Fixtures.account(1)) }
        #expect(try await store.read { try $0.disconnections() } == [])
    }

    func meteringRefusals() async throws {
        let store = try await withPrepaidMeter()
        try await store.write { try $0.insertMeteringOrder(Self.topUp()) }
        let orders: @Sendable (any StoreReader) throws -> [MeteringOrder] = {
            try $0.meteringOrders(states: [], account: nil, limit: 10)
        }
        var unknownAccount = Self.topUp("P1")
        unknownAccount.id = "X1"
        unknownAccount.accountNumber = Fixtures.account(99)
        var unknownMeter = Self.topUp("P1")
        unknownMeter.id = "X2"
        unknownMeter.meterNumber = "M404"
        var unknownPayment = Self.topUp("P404")
        unknownPayment.id = "X3"
        try await refusesEach(store, [
            (.duplicate, "the same order twice", Self.topUp()),
            (.missing, "an order of an unknown account", unknownAccount),
            (.missing, "an order for an unknown meter", unknownMeter),
            (.missing, "an order of an unknown payment", unknownPayment),
        ], watching: orders) { w, order in try w.insertMeteringOrder(order) }
        try await refuses(store, .missing, "an update of an order never made", watching: orders) {
            try $0.updateMeteringOrder(Self.topUp("P9"))
        }
        let cut = Disconnection(accountNumber: Fixtures.account(1), reason: "欠费", by: Self.cashier.id,
                                atMilliseconds: 7)
        let disconnections: @Sendable (any StoreReader) throws -> [Disconnection] = { try $0.disconnections() }
        try await store.write { try $0.insertDisconnection(cut) }
        var nobody = cut
        nobody.accountNumber = Fixtures.account(99)
        try await refusesEach(store, [
            (.duplicate, "an account disconnected twice", cut),
            (.missing, "an unknown account", nobody),
        ], watching: disconnections) { w, disconnection in try w.insertDisconnection(disconnection) }
        try await refuses(store, .missing, "a reconnection of an account not disconnected", watching: disconnections) {
            try $0.deleteDisconnection(Fixtures.account(2))
        }
        var other = cut
        other.accountNumber = Fixtures.account(2)
        let unrecorded = other
        try await refuses(store, .missing, "an update of an account not disconnected", watching: disconnections) {
            try $0.updateDisconnection(unrecorded)
        }
        var stray = cut
        stray.reconnectionOrder = "RECONNECT-P404"
        let strayOrder = stray
        try await refuses(store, .missing, "a link to an order never made", watching: disconnections) {
            try $0.updateDisconnection(strayOrder)
        }
    }
}
