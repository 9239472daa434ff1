import PayGridCore
import PayGridStore

/// The metering system's outbox and the disconnected accounts in memory, with the checks the
/// databases' constraints make.
extension MemoryAccess {
    func meteringOrder(_ id: String) throws -> MeteringOrder? { state.meteringOrders[id] }

    func meteringOrders(states: [MeteringOrder.State], account: AccountNumber?, limit: Int) throws
        -> [MeteringOrder]
    {
        Array(state.meteringOrders.values
            .filter { (states.isEmpty || states.contains($0.state)) && (account == nil || $0.accountNumber == account) }
            .sorted { ($0.createdAtMilliseconds, $0.id) < ($1.createdAtMilliseconds, $1.id) }
            .prefix(limit))
    }

    func meteringOrdersDue(by milliseconds: Int64, limit: Int) throws -> [MeteringOrder] {
        Array(state.meteringOrders.values
            .filter { $0.state.isOpen && $0.nextAttemptAtMilliseconds <= milliseconds }
            .sorted { ($0.nextAttemptAtMilliseconds, $0.id) < ($1.nextAttemptAtMilliseconds, $1.id) }
            .prefix(limit))
    }

    func disconnection(_ account: AccountNumber) throws -> Disconnection? { state.disconnections[account] }

    func disconnections() throws -> [Disconnection] {
        state.disconnections.values.sorted { $0.accountNumber.rawValue < $1.accountNumber.rawValue }
    }

    func insertMeteringOrder(_ order: MeteringOrder) throws {
        guard state.customers[order.accountNumber] != nil, state.payments[order.paymentID] != nil,
            order.meterNumber.map({ state.prepaidMeters[$0] != nil }) ?? true
        else { throw StoreError.missing("account, meter or payment of metering order \(order.id)") }
        guard state.meteringOrders[order.id] == nil else { throw StoreError.duplicate("metering order \(order.id)") }
        state.meteringOrders[order.id] = order
    }

    func updateMeteringOrder(_ order: MeteringOrder) throws {
        guard var held = state.meteringOrders[order.id] else { throw StoreError.missing("metering order \(order.id)") }
        held.state = order.state
        held.attempts = order.attempts
        held.lastError = order.lastError
        held.updatedAtMilliseconds = order.updatedAtMilliseconds
        held.nextAttemptAtMilliseconds = order.nextAttemptAtMilliseconds
        state.meteringOrders[order.id] = held
    }

    func insertDisconnection(_ disconnection: Disconnection) throws {
        let account = disconnection.accountNumber
        guard state.customers[account] != nil else { throw StoreError.missing("account \(account)") }
        guard state.disconnections[account] == nil else { throw StoreError.duplicate("disconnection of \(account)") }
        state.disconnections[account] = disconnection
    }

    func updateDisconnection(_ disconnection: Disconnection) throws {
        let account = disconnection.accountNumber
        guard state.disconnections[account] != nil else { throw StoreError.missing("disconnection of \(account)") }
        guard disconnection.reconnectionOrder.map({ state.meteringOrders[$0] != nil }) ?? true else {
            throw StoreError.missing("metering order \(disconnection.reconnectionOrder ?? "")")
        }
        state.disconnections[account]?.reconnectionOrder = disconnection.reconnectionOrder
    }

    func deleteDisconnection(_ account: AccountNumber) throws {
        guard state.disconnections.removeValue(forKey: account) != nil else {
            throw StoreError.missing("disconnection of \(account)")
        }
    }
}
