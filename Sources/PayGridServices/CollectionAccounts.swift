import PayGridCore
import PayGridStore

/// The utility's collection accounts (收款账户): an administrator registers them; remittance slips,
/// agents' float deposits and deposit statements must name one.
public struct CollectionAccounts: Sendable {
    let store: any Store
    let clock: any WallClock

    public init(store: any Store, clock: any WallClock) {
        self.store = store
        self.clock = clock
    }

    /// Registers an account; idempotent by `claim` when given (a retry answers the registration).
    public func add(number: String, bank: String, name: String, by actor: Operator, claim: IdempotencyClaim? = nil)
        async throws
        -> CollectionAccount {
        try actor.require(.manageOperators)
        let account = try CollectionAccount.entered(number: number, bank: bank, name: name)
        let now = clock.nowMilliseconds
        return try await store.write { w in try w.once(claim, at: now) {
            do { try w.insertCollectionAccount(account) } catch StoreError.duplicate {
                throw CollectionAccountError.alreadyRegistered(account.number)
            }
            return account
        } }
    }

    public func list() async throws -> [CollectionAccount] {
        try await store.read { try $0.collectionAccounts() }
    }

    /// Refuses an account number that is not one of the utility's collection accounts.
    public static func require(_ number: String, in r: any StoreReader) throws {
        guard try r.collectionAccount(number) != nil else { throw CollectionAccountError.unknown(number) }
    }
}
