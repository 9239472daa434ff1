import PayGridCore
import PayGridStore

/// An administrator's work on operators: the list, disabling and re-enabling, a new password, a
/// new role or outlet. Each change ends the operator's sessions and this process's cached tokens,
/// so it takes effect at the operator's next request here; another instance over the same
/// PostgreSQL database may serve a cached token up to `tokenCacheMilliseconds` longer, but
/// administrative changes re-read their actor, so a demoted administrator cannot act meanwhile.
/// Each change is written to the audit log.
extension Operators {
    /// Every operator who signs in with a password (partners' system operators are not listed).
    public func list(by actor: Operator) async throws -> [OperatorRecord] {
        try actor.require(.manageOperators)
        return try await store.read { try $0.operatorRecords() }.filter { $0.account.role != .partner }
    }

    public func setDisabled(_ id: OperatorID, _ disabled: Bool, by actor: Operator) async throws -> OperatorRecord {
        try await change(id, by: actor, operation: disabled ? "operator.disable" : "operator.enable") { record in
            guard !disabled || id != actor.id else {
                throw AuthError.operatorInvalid("an administrator cannot disable their own account")
            }
            record.disabled = disabled
        }
    }

    /// Sets a new password (the administrator tells the operator, who should change it) and lifts
    /// a sign-in lockout.
    public func resetPassword(_ id: OperatorID, to password: String, by actor: Operator) async throws {
        let fresh = try Self.record(Operator(id: id, name: "-", role: .cashier, outletID: actor.outletID),
                                    password: password)
        _ = try await change(id, by: actor, operation: "operator.password_reset", clearFailures: true) { record in
            record.passwordHash = fresh.passwordHash
            record.passwordSalt = fresh.passwordSalt
            record.kdfIterations = fresh.kdfIterations
        }
    }

    /// Moves an operator to another role or outlet.
    public func assign(_ id: OperatorID, role: Role, outlet: OutletID, by actor: Operator) async throws
        -> OperatorRecord
    {
        guard role != .partner else { throw AuthError.operatorInvalid("role partner is for partners' systems") }
        return try await change(id, by: actor, operation: "operator.assign", detail: "\(role.rawValue)@\(outlet)") {
            record in
            guard id != actor.id || role == record.account.role else {
                throw AuthError.operatorInvalid("an administrator cannot change their own role")
            }
            record.account.role = role
            record.account.outletID = outlet
        }
    }

    /// Reads, changes and writes one operator in one transaction; refuses a change that would
    /// leave no enabled administrator; then forgets the operator's tokens and audits the change.
    private func change(
        _ id: OperatorID, by actor: Operator, operation: String, detail: String? = nil, clearFailures: Bool = false,
        _ body: @escaping @Sendable (inout OperatorRecord) throws -> Void
    ) async throws -> OperatorRecord {
        try actor.require(.manageOperators)
        let record = try await store.write { w -> OperatorRecord in
            // The actor as the database has them now: an administrator disabled or demoted on
            // another instance (whose token that instance still caches) may not act. The command
            // line (`cli:` actors) has the database itself and no record.
            if !actor.id.rawValue.hasPrefix("cli:") {
                guard let acting = try w.operatorRecord(actor.id), !acting.disabled,
                    acting.account.role.can(.manageOperators)
                else { throw AuthError.forbidden }
            }
            guard var record = try w.operatorRecord(id), record.account.role != .partner else {
                throw AuthError.operatorNotFound
            }
            try body(&record)
            guard try w.outletExists(record.account.outletID) else {
                throw AuthError.operatorInvalid("outlet \(record.account.outletID) does not exist")
            }
            try w.updateOperator(record)
            let administrators = try w.operatorRecords().filter { $0.account.role == .admin && !$0.disabled }
            guard !administrators.isEmpty else {
                throw AuthError.operatorInvalid("the last enabled administrator must stay one")
            }
            if clearFailures { try w.updateLoginFailures(id, failures: 0, lockedUntilMilliseconds: 0) }
            try w.deleteSessions(of: id)
            return record
        }
        verified.forget(id)
        try await audit?.record(AuditEvent(
            actor: actor.id.rawValue, operation: operation, claim: id.rawValue,
            result: detail.map { "ok:\($0)" } ?? "ok", atMilliseconds: clock.nowMilliseconds))
        return record
    }
}
