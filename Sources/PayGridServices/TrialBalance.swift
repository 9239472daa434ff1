import PayGridCore
import PayGridStore

/// The trial balance (试算平衡表): each ledger account's debits and credits over the whole journal,
/// its balance on its normal side, and the totals, which balance when the books do.
public struct TrialBalance: Sendable, Equatable {
    public struct Account: Sendable, Equatable {
        public var account: LedgerAccount
        public var debit: Money
        public var credit: Money
        /// Debit minus credit for an account whose normal balance is a debit, the reverse otherwise.
        public var balance: Money { account.normalBalanceIsDebit ? debit - credit : credit - debit }
    }

    public var accounts: [Account]
    public var totalDebit: Money { accounts.map(\.debit).sum() }
    public var totalCredit: Money { accounts.map(\.credit).sum() }
    public var isBalanced: Bool { totalDebit == totalCredit }

    public init(_ lines: [TrialBalanceLine]) {
        accounts = lines.map { Account(account: $0.account, debit: $0.debit, credit: $0.credit) }
    }
}

extension Backend {
    /// The trial balance as of now, for those who may see the ledger.
    public func trialBalance(by actor: Operator) async throws -> TrialBalance {
        try actor.require(.viewLedger)
        return try await store.read { TrialBalance(try $0.trialBalance()) }
    }
}
