import Foundation
import PayGridCore
import PayGridServices
import PayGridTesting
import Testing

@testable import PayGridChannels

/// The online business hall's mandates in the use case: a customer signs (origin `portal`, today)
/// and cancels only under the account's holder's name, only that account's mandates, through a
/// provider; a retry under the customer's key answers the first mandate.
@Suite struct OnlineMandatesTests {
    struct Desk {
        let world: TestWorld
        let provider: Partner
        let bank: Partner
        var mandates: DirectDebitMandates { DirectDebitMandates(backend: world.backend) }

        func request(_ n: Int, debtorAccount: String = "621700******5678") -> MandateRequest {
            MandateRequest(bankCode: "ICBC", accountNumber: Fixtures.account(n).rawValue, debtorName: "客户\(n)",
                           debtorAccount: debtorAccount, signedOn: Fixtures.day("2026-01-01"), origin: .counter)
        }

        func sign(_ n: Int, holder: String, key: String = UUID().uuidString, by partner: Partner? = nil)
            async throws -> Mandate {
            try await mandates.signOnline(request(n), holder: holder, customer: "U1", key: key,
                                          by: partner ?? provider)
        }
    }

    static func run(_ body: @Sendable (Desk) async throws -> Void) async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            try await world.seed()
            let partners = BankInterface(backend: world.backend)
            let provider = try await partners.register(code: "ALIPAY", name: "支付宝", kind: .provider,
                                                       by: world.admin)
            let bank = try await partners.register(code: "ICBC", name: "工商银行", by: world.admin)
            try await body(Desk(world: world, provider: provider.0, bank: bank.0))
        }
    }

    @Test func aMandateIsSignedOnTheHoldersNameAsThePortalsOfToday() async throws {
        try await Self.run { desk in
            await #expect(throws: OnlineAccountError.holderMismatch) { try await desk.sign(1, holder: "客户2") }
            let signed = try await desk.sign(1, holder: "客户 1", key: "k1")
            #expect(signed.origin == .portal)
            #expect(signed.signedOn == Fixtures.day("2026-11-04"))
            #expect(signed.state == .pending)
            let again = try await desk.sign(1, holder: "客户 1", key: "k1")
            #expect(again == signed, "the customer's key answers the first mandate")
            let record = try await desk.mandates.show(bank: "ICBC", reference: signed.reference, by: desk.world.cashier)
            #expect(record.events.map(\.by) == [desk.provider.systemOperator.id])
        }
    }

    @Test func onlyAProviderSignsAndAFullNumberIsRefused() async throws {
        try await Self.run { desk in
            await #expect(throws: BankError.partnerUnknown) { try await desk.sign(1, holder: "客户1", by: desk.bank) }
            await #expect(throws: DirectDebitError.self) {
                try await desk.mandates.signOnline(desk.request(1, debtorAccount: "6217000000005678"),
                                                   holder: "客户1", customer: "U1", key: "k", by: desk.provider)
            }
            let none = try await desk.mandates.list(account: Fixtures.account(1).rawValue, by: desk.world.cashier)
            #expect(none.isEmpty)
        }
    }

    @Test func aCustomerCancelsOnlyTheirAccountsMandate() async throws {
        try await Self.run { desk in
            let theirs = try await desk.mandates.sign(desk.request(2), by: desk.world.cashier)
            await #expect(throws: DirectDebitError.mandateNotFound) {
                try await desk.mandates.cancelOnline(
                    bank: "ICBC", reference: theirs.reference, account: Fixtures.account(1).rawValue,
                    holder: "客户1", customer: "U1", key: "c1", by: desk.provider)
            }
            await #expect(throws: OnlineAccountError.holderMismatch) {
                try await desk.mandates.cancelOnline(
                    bank: "ICBC", reference: theirs.reference, account: Fixtures.account(2).rawValue,
                    holder: "客户1", customer: "U1", key: "c2", by: desk.provider)
            }
            let mine = try await desk.sign(1, holder: "客户1")
            let cancelled = try await desk.mandates.cancelOnline(
                bank: "ICBC", reference: mine.reference, account: Fixtures.account(1).rawValue, holder: "客户1",
                customer: "U1", key: "c3", by: desk.provider)
            #expect(cancelled.state == .cancelled)
            let list = try await desk.mandates.online(account: Fixtures.account(2).rawValue, holder: "客户2",
                                                      by: desk.provider)
            #expect(list.mandates.map(\.state) == [.pending], "the other account's mandate is as it was")
            #expect(list.banks.map(\.code) == ["ICBC"])
        }
    }
}
