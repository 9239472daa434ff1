import PayGridCore
import PayGridServices
import PayGridStore

extension OnlinePortal {
    /// The partner code the portal reads statements through: the first provider the utility is a
    /// merchant of (the portal is the providers' storefront; without one it cannot take payments).
    var readingCode: String {
        get throws {
            guard let code = OnlineOrder.Provider.allCases.lazy.compactMap(checkout.merchants.partnerCode).first else {
                throw OnlineOrderError.providerUnavailable
            }
            return code
        }
    }

    /// Adds `account` to the customer's accounts once its holder's name is confirmed by the ledger.
    /// Wrong names are throttled per customer and address (`login_rate_limited`).
    public func bind(_ account: String, holder: String, for user: OnlineUserRecord, from address: String)
        async throws -> OnlineStatement {
        let holder = holder.trimmingCharacters(in: .whitespaces)
        let bound = try await accounts(of: user)
        if let number = AccountNumber(account), bound.contains(where: { $0.accountNumber == number }) {
            return try await statements.statement(number, holder: holder, provider: try readingCode)
        }
        guard bound.count < Self.bindingsMax else { throw OnlinePortalError.tooManyAccounts }
        let id = "holder:" + user.id, now = clock.nowMilliseconds
        do { try holderGuesses.begin(address: address, id: id, now: now) } catch .rateLimited(let seconds) {
            throw OnlinePortalError.holderGuessesLimited(retryAfterSeconds: seconds)
        } catch { throw error }
        var outcome = LoginThrottle.Outcome.refused
        defer { holderGuesses.end(address: address, id: id, outcome: outcome, now: clock.nowMilliseconds) }
        let statement: OnlineStatement
        do {
            guard let number = AccountNumber(account) else { throw OnlineAccountError.holderMismatch }
            statement = try await statements.statement(number, holder: holder, provider: try readingCode)
        } catch let refusal as any BusinessRejection where refusal.code == OnlineAccountError.holderMismatch.code {
            outcome = .failed
            throw OnlineAccountError.holderMismatch
        }
        // A right name counts nothing (`.refused`): it must not make the address trusted, as a
        // sign-in does, which would lift the customer's own limit there.
        let binding = OnlineBinding(userID: user.id, accountNumber: AccountNumber(account)!, holder: holder,
                                    boundAtMilliseconds: now)
        try await store.write { w in
            let bound = try w.onlineBindings(of: user.id)
            guard !bound.contains(where: { $0.accountNumber == binding.accountNumber }) else { return }
            guard bound.count < Self.bindingsMax else { throw OnlinePortalError.tooManyAccounts }
            try w.insertOnlineBinding(binding)
        }
        return statement
    }

    public func unbind(_ account: String, for user: OnlineUserRecord) async throws {
        guard let number = AccountNumber(account) else { return }
        try await store.write { try $0.deleteOnlineBinding(userID: user.id, account: number) }
    }

    /// The customer's accounts, in the order added.
    public func accounts(of user: OnlineUserRecord) async throws -> [OnlineBinding] {
        try await store.read { try $0.onlineBindings(of: user.id) }
    }

    /// One of the customer's accounts as the ledger holds it now.
    public func statement(_ account: String, for user: OnlineUserRecord) async throws -> OnlineStatement {
        let binding = try await bound(account, to: user)
        return try await statements.statement(binding.accountNumber, holder: binding.holder,
                                              provider: try readingCode)
    }

    /// An order for `amount` (yuan) on one of the customer's accounts, placed with `provider` under
    /// the customer's own key scope: the same form sent twice answers the same order.
    public func pay(_ account: String, amount: String, provider: OnlineOrder.Provider, key: String,
                    for user: OnlineUserRecord) async throws -> Answered<PlacedOrder> {
        // The holder is checked again: an account that changed hands is no longer theirs to pay.
        let binding = try await statement(account, for: user).summary.account_no
        let placed = try await checkout.placeOrder(provider: provider, account: binding, amount: amount, key: key,
                                                   scope: "customer:\(user.id)")
        if let code = placed.value.payCode { payCodes.keep(code, for: placed.value.order.outTradeNo) }
        return placed
    }

    /// One of the customer's orders (on an account of theirs), with its pay code while it is unpaid.
    public func order(_ outTradeNo: String, for user: OnlineUserRecord) async throws -> PlacedOrder {
        // No such order and another's order get the same answer.
        let order: OnlineOrder
        do { order = try await checkout.order(outTradeNo) } catch OnlineOrderError.orderNotFound {
            throw OnlinePortalError.accountNotBound
        }
        _ = try await bound(order.accountNumber.rawValue, to: user)
        guard order.state == .created else { return PlacedOrder(order: order, payCode: nil) }
        if let code = payCodes.code(outTradeNo) { return PlacedOrder(order: order, payCode: code) }
        let code = try await checkout.payCode(order)
        if let code { payCodes.keep(code, for: outTradeNo) }
        return PlacedOrder(order: order, payCode: code)
    }

    private func bound(_ account: String, to user: OnlineUserRecord) async throws -> OnlineBinding {
        let bindings = try await accounts(of: user)
        guard let binding = bindings.first(where: { $0.accountNumber.rawValue == account }) else {
            throw OnlinePortalError.accountNotBound
        }
        return binding
    }
}

/// Why the online business hall refused a customer's request.
public enum OnlinePortalError: Error, Equatable, Sendable, BusinessRejection {
    case mobileInvalid
    case codeInvalid
    case codeTooSoon
    case mobileRegistered
    case passwordWeak
    case credentialsInvalid
    case accountNotBound
    case tooManyAccounts
    /// Too many wrong holders' names from this customer or address lately.
    case holderGuessesLimited(retryAfterSeconds: Int)

    public var code: String {
        switch self {
        case .mobileInvalid: "mobile_invalid"
        case .codeInvalid: "verification_code_invalid"
        case .codeTooSoon: "verification_code_too_soon"
        case .mobileRegistered: "mobile_already_registered"
        case .passwordWeak: "password_too_weak"
        case .credentialsInvalid: "customer_credentials_invalid"
        case .accountNotBound: "account_not_bound"
        case .tooManyAccounts: "too_many_accounts"
        case .holderGuessesLimited: "holder_guesses_limited"
        }
    }

    public var message: String {
        switch self {
        case .mobileInvalid: "a mobile number is 11 digits starting with 1"
        case .codeInvalid: "the verification code is wrong or expired; ask for a new one"
        case .codeTooSoon: "a code was sent less than a minute ago; wait for it"
        case .mobileRegistered: "this mobile number is already registered; sign in instead"
        case .passwordWeak: "a password has 8 to 128 characters"
        case .credentialsInvalid: "mobile number or password is wrong"
        case .accountNotBound: "this account is not one of yours; add it first"
        case .tooManyAccounts: "you have added as many accounts as one customer may (\(OnlinePortal.bindingsMax))"
        case .holderGuessesLimited(let seconds):
            "too many accounts were added under a wrong holder's name; try again in \(seconds) s"
        }
    }

    public var category: RejectionCategory {
        switch self {
        case .mobileInvalid, .codeInvalid, .passwordWeak: .invalid
        case .codeTooSoon, .holderGuessesLimited: .tooManyRequests
        case .mobileRegistered, .tooManyAccounts: .conflict
        case .credentialsInvalid: .unauthorized
        case .accountNotBound: .notFound
        }
    }

    /// `text` as a mainland mobile number (11 digits starting with 1), or `mobileInvalid`.
    static func mobile(_ text: String) throws(OnlinePortalError) -> String {
        let digits = text.filter { !$0.isWhitespace && $0 != "-" }
        guard digits.utf8.count == 11, digits.first == "1", digits.utf8.allSatisfy({ (48...57).contains($0) }) else {
            throw .mobileInvalid
        }
        return digits
    }
}
