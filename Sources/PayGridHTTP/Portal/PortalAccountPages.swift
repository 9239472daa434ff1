import Foundation
import Hummingbird
import PayGridChannels
import PayGridCore
import PayGridServices

/// A signed-in customer's pages: their accounts (adding and removing one), an account's bills,
/// payments, pay form and direct-debit mandates, an order while it is paid, and a payment's receipt.
struct PortalAccountPages {
    let portal: OnlinePortal
    let templates: PageTemplates

    func register(on pages: RouterGroup<AppRequestContext>) {
        pages.get("accounts", use: accounts)
        pages.post("accounts", use: bind)
        pages.get("accounts/{account_no}", use: account)
        pages.post("accounts/{account_no}/remove", use: unbind)
        pages.post("accounts/{account_no}/pay", use: pay)
        pages.get("accounts/{account_no}/receipts/{payment_id}", use: receipt)
        pages.get("orders/{out_trade_no}", use: order)
        PortalMandatePages(portal: portal, templates: templates).register(on: pages)
    }

    /// The customer's accounts with what each owes today, and the form to add one.
    @Sendable func accounts(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.portalVisit()
        var rows: [[String: Any]] = []
        for binding in try await portal.accounts(of: visit.user) {
            var row: [String: Any] = ["account_no": binding.accountNumber.rawValue, "holder": binding.holder]
            do {
                let statement = try await portal.statement(binding.accountNumber.rawValue, for: visit.user)
                row["summary"] = try PageValues.of(statement.summary)
            } catch let refusal as any BusinessRejection {
                // The holder's name changed since (a transfer of the account): shown, to be removed.
                row["refusal"] = ["code": refusal.code, "message": refusal.message]
            }
            rows.append(row)
        }
        return render("portal-accounts", ["accounts": rows, "none": rows.isEmpty], visit, request)
    }

    @Sendable func bind(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.portalVisit()
        let account = visit.form["account_no"]?.trimmingCharacters(in: .whitespaces) ?? ""
        _ = try await portal.bind(account, holder: visit.form["holder"] ?? "", for: visit.user,
                                  from: context.clientAddress)
        return PageRedirect.to("/portal/accounts/\(account)")
    }

    @Sendable func unbind(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.portalVisit()
        try await portal.unbind(try context.parameters.require("account_no"), for: visit.user)
        return PageRedirect.to("/portal/accounts")
    }

    /// One account: what is owed (the amount due proposed for payment), every bill, the latest
    /// payments with their receipts, and the pay form with a fresh key.
    @Sendable func account(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.portalVisit()
        let statement = try await portal.statement(try context.parameters.require("account_no"), for: visit.user)
        let providers = OnlineOrder.Provider.allCases.filter { portal.checkout.merchants.partnerCode($0) != nil }
        let payments = try statement.payments.map { line -> [String: Any] in
            var values = try PageValues.of(line) as? [String: Any] ?? [:]
            values["channel_word"] = templates.word(line.channel, visit.language)
            values["status_word"] = templates.word(line.status, visit.language)
            values["has_receipt"] = line.status != "reversal"
            // A reversal takes the money back: shown as such.
            if line.status == "reversal" { values["amount"] = "-" + line.amount }
            return values
        }
        let bills = try statement.bills.map { bill -> [String: Any] in
            var values = try PageValues.of(bill) as? [String: Any] ?? [:]
            values["status_word"] = templates.label("bill_" + bill.status, visit.language)
            values["is_open"] = bill.status != "paid"
            return values
        }
        let due = statement.summary.amount_due
        let mandates = try await PortalMandatePages(portal: portal, templates: templates)
            .values(statement.summary.account_no, visit)
        var values: [String: Any] = [

            "summary": try PageValues.of(statement.summary), "bills": bills, "payments": payments,
            "has_payments": !payments.isEmpty, "nothing_due": due == "0.00", "amount": due == "0.00" ? "" : due,
            "providers": providers.enumerated().map { index, provider in
                ["provider": provider.rawValue, "label": templates.word(provider.rawValue, visit.language),
                 "first": index == 0]
            },
            "can_pay": !providers.isEmpty, "key": CSRFToken.random(),
        ]
        if let mandates { values["direct_debit"] = mandates }
        return render("portal-account", values, visit, request)
    }

    /// Places the order (the form's key makes a second send answer the same order) and opens it.
    @Sendable func pay(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.portalVisit()
        guard let provider = OnlineOrder.Provider(rawValue: visit.form["provider"] ?? "") else {
            throw RequestError.invalidField("choose Alipay or WeChat Pay")
        }
        let key = try IdempotencyError.validate(visit.form["key"])
        let placed = try await portal.pay(try context.parameters.require("account_no"),
                                          amount: visit.form["amount"] ?? "", provider: provider, key: key,
                                          for: visit.user)
        return PageRedirect.to("/portal/orders/\(placed.value.order.outTradeNo)")
    }

    /// The order: while unpaid, where to pay it (the provider's page or QR code) and a page that
    /// looks again every few seconds; once posted, the receipt.
    @Sendable func order(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.portalVisit()
        let placed = try await portal.order(try context.parameters.require("out_trade_no"), for: visit.user)
        let order = placed.order
        return render("portal-order", [
            "order": try PageValues.of(OnlineOrderView(order, payCode: placed.payCode)),
            "state_word": templates.label("order_" + order.state.rawValue, visit.language),
            "provider_word": templates.word(order.provider.rawValue, visit.language),
            "waiting": order.state == .created || order.state == .paid,
            "posted": order.state == .posted, "closed": order.state == .closed,
            "refunded": order.state == .refunded,
        ], visit, request)
    }

    /// A payment's receipt (电费缴费凭证), printable, from the ledger's own record of it.
    @Sendable func receipt(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.portalVisit()
        let account = try context.parameters.require("account_no"), id = try context.parameters.require("payment_id")
        let statement = try await portal.statement(account, for: visit.user)
        guard let line = statement.payments.first(where: { $0.payment_id == id && $0.status != "reversal" }) else {
            throw RequestError.notFound
        }
        var values = try PageValues.of(line) as? [String: Any] ?? [:]
        values["channel_word"] = templates.word(line.channel, visit.language)
        values["status_word"] = templates.word(line.status, visit.language)
        values["recorded_at"] = ProviderTime.alipay(line.recorded_at_ms)
        let amount = try? Money.parse(yuan: line.amount, maximum: Money(fen: Int64.max))
        values["capitals"] = amount?.chineseCapitals ?? ""
        return render("portal-receipt", ["payment": values, "summary": try PageValues.of(statement.summary)],
                      visit, request)
    }

    private func render(_ name: String, _ values: [String: Any], _ visit: PortalVisit, _ request: Request)
        -> Response {
        var values = values
        values["customer"] = ["mobile": visit.maskedMobile]
        return templates.render(name, values, frame: visit.frame(request))
    }
}
