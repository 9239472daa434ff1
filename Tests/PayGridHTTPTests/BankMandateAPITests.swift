import Foundation
import HTTPTypes
import PayGridCore
import PayGridTesting
import Testing

/// A bank's mandates over real HTTP, signed like its payments: `POST /bank/v1/mandates` and
/// `GET /bank/v1/mandates/{reference}`, through the external zone's routes and the link to the ledger.
@Suite struct BankMandateAPITests {
    typealias Bank = BankAPITests.Bank

    /// Banks ICBC and BOC registered by the administrator, each signing with its own secret.
    static func withBanks(_ body: @Sendable (HTTPHarness, Bank, Bank) async throws -> Void) async throws {
        try await HTTPHarness.run { h in
            let admin = try await h.login("admin1")
            var banks: [Bank] = []
            for (code, name) in [("ICBC", "工商银行"), ("BOC", "中国银行")] {
                let registered = try await h.send(.post, "/api/v1/banks", token: admin,
                                                  json: ["code": code, "name": name])
                let secret = try #require((registered.json["secret"] as? String).flatMap { Data(base64Encoded: $0) })
                banks.append(Bank(h: h, secret: Array(secret), code: code))
            }
            try await body(h, banks[0], banks[1])
        }
    }

    static func add(_ reference: String, account: Int = 1, debtorAccount: String = "622202******1234")
        -> [String: Any]
    {
        ["action": "add", "reference": reference, "account_no": Fixtures.account(account).rawValue,
         "debtor_name": "客户一", "debtor_account": debtorAccount, "signed_on": "2026-10-01", "ceiling": "300.00"]
    }

    static func cancel(_ reference: String) -> [String: Any] { ["action": "cancel", "reference": reference] }

    @Test func anAddIsActiveAtOnceAndAnsweredMasked() async throws {
        try await Self.withBanks { h, icbc, _ in
            let added = try await icbc.send("/bank/v1/mandates", json: Self.add("ICBC-M-1"))
            #expect(added.status == .created)
            #expect(added.json["state"] as? String == "active")
            #expect(added.json["debtor_account"] as? String == "622202******1234")
            #expect(added.json["signed_on"] as? String == "2026-10-01")
            #expect(added.json["ceiling"] as? String == "300.00")
            #expect(added.json["updated_at"] is String)
            let events = try await h.world.store.read { try $0.mandateEvents(bank: "ICBC", reference: "ICBC-M-1") }
            #expect(events.map(\.by.rawValue) == ["bank-ICBC"], "the bank's system operator")
        }
    }

    @Test func aRepeatedAddChangesNothingAndAnswersTheMandate() async throws {
        try await Self.withBanks { h, icbc, _ in
            let added = try await icbc.send("/bank/v1/mandates", json: Self.add("ICBC-M-1"))
            let again = try await icbc.send("/bank/v1/mandates", json: Self.add("ICBC-M-1"))
            #expect(again.status == .ok)
            #expect(again.text == added.text)
            let events = try await h.world.store.read { try $0.mandateEvents(bank: "ICBC", reference: "ICBC-M-1") }
            #expect(events.count == 1)
        }
    }

    @Test func aCancelAndItsRepeat() async throws {
        try await Self.withBanks { h, icbc, _ in
            _ = try await icbc.send("/bank/v1/mandates", json: Self.add("ICBC-M-1"))
            let cancelled = try await icbc.send("/bank/v1/mandates", json: Self.cancel("ICBC-M-1"))
            #expect(cancelled.status == .ok)
            #expect(cancelled.json["state"] as? String == "cancelled")
            let again = try await icbc.send("/bank/v1/mandates", json: Self.cancel("ICBC-M-1"))
            #expect(again.status == .ok)
            #expect(again.json["state"] as? String == "cancelled")
            let events = try await h.world.store.read { try $0.mandateEvents(bank: "ICBC", reference: "ICBC-M-1") }
            #expect(events.map(\.state) == [.active, .cancelled])
        }
    }

    @Test func theBankAsksHowItsMandateStands() async throws {
        try await Self.withBanks { _, icbc, _ in
            let added = try await icbc.send("/bank/v1/mandates", json: Self.add("ICBC-M-1"))
            let asked = try await icbc.send("/bank/v1/mandates/ICBC-M-1", method: .get)
            #expect(asked.status == .ok)
            #expect(asked.text == added.text)
            let unknown = try await icbc.send("/bank/v1/mandates/ICBC-NONE", method: .get)
            #expect(unknown.status == .notFound)
            #expect(unknown.errorCode == "mandate_not_found")
        }
    }

    @Test func anotherBanksMandateIsNotVisible() async throws {
        try await Self.withBanks { h, icbc, boc in
            _ = try await icbc.send("/bank/v1/mandates", json: Self.add("ICBC-M-1"))
            #expect(try await boc.send("/bank/v1/mandates/ICBC-M-1", method: .get).errorCode == "mandate_not_found")
            #expect(try await boc.send("/bank/v1/mandates", json: Self.cancel("ICBC-M-1")).errorCode
                == "mandate_not_found")
            let mandate = try await h.world.store.read { try $0.mandate(bank: "ICBC", reference: "ICBC-M-1") }
            #expect(mandate?.state == .active)
        }
    }

    @Test func aFullAccountNumberIsRefusedAndNothingStored() async throws {
        try await Self.withBanks { h, icbc, _ in
            let refused = try await icbc.send(
                "/bank/v1/mandates", json: Self.add("ICBC-M-1", debtorAccount: "6222020200001234567"))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.errorCode == "mandate_field_invalid")
            #expect(!refused.text.contains("6222020200001234567"))
            let stored = try await h.world.store.read { try $0.mandates(account: Fixtures.account(1)) }
            #expect(stored.isEmpty)
        }
    }

    @Test func aSecondLiveMandateOfTheAccountIsRefused() async throws {
        try await Self.withBanks { h, icbc, _ in
            _ = try await icbc.send("/bank/v1/mandates", json: Self.add("ICBC-M-1"))
            let second = try await icbc.send("/bank/v1/mandates", json: Self.add("ICBC-M-2"))
            #expect(second.status == .conflict)
            #expect(second.errorCode == "mandate_live")
            let stored = try await h.world.store.read { try $0.mandate(bank: "ICBC", reference: "ICBC-M-2") }
            #expect(stored == nil)
        }
    }

    @Test(arguments: [
        (["action": "renew", "reference": "ICBC-M-1"], "mandate_field_invalid"),
        (["action": "add", "reference": "ICBC-M-1", "account_no": "3100000001"], "mandate_field_invalid"),
        (["reference": "ICBC-M-1"], "invalid_field"),
        (["action": "cancel", "reference": "ICBC-M-1", "bank": "BOC"], "invalid_field"),
    ] as [([String: String], String)])
    func aMalformedInstructionIsRefused(body: [String: String], refusal: String) async throws {
        try await Self.withBanks { h, icbc, _ in
            let refused = try await icbc.send("/bank/v1/mandates", json: body.mapValues { $0 as Any })
            #expect(refused.errorCode == refusal)
            let stored = try await h.world.store.read { try $0.mandates(account: Fixtures.account(1)) }
            #expect(stored.isEmpty)
        }
    }

    @Test func unsignedOrForgedRequestsAreRefused() async throws {
        try await Self.withBanks { h, icbc, _ in
            let unsigned = try await h.send(.post, "/bank/v1/mandates", json: Self.add("ICBC-M-1"))
            #expect(unsigned.errorCode == "signature_headers_missing")
            let forged = try await icbc.send("/bank/v1/mandates", json: Self.add("ICBC-M-1"),
                                             signature: String(repeating: "0", count: 64))
            #expect(forged.status == .unauthorized)
            #expect(forged.errorCode == "signature_invalid")
            let stranger = Bank(h: h, secret: Array(repeating: 7, count: 32))
            #expect(try await stranger.send("/bank/v1/mandates/ICBC-M-1", method: .get).errorCode
                == "signature_invalid")
            #expect(try await h.world.store.read { try $0.mandates(account: Fixtures.account(1)) }.isEmpty)
        }
    }
}
