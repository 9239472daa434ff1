import Crypto
import Logging
import PayGridCore
import PayGridLink
import PayGridTesting
import Testing

@testable import PayGridChannels

/// A bank's mandates over its real-time interface, asked of the ledger in this process
/// (`BankInterface`, as the internal zone runs them) and from the external zone over the link
/// (`LinkedBank`): the same answers and the same refusals either way.
@Suite struct BankMandateTests {
    enum Zone: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case internalZone, externalZone
        var testDescription: String { rawValue }
    }

    /// Banks ICBC and BOC, and `body` given ICBC's service as `zone` asks it.
    static func withBanks(_ zone: Zone,
                          _ body: @Sendable (TestWorld, any BankService, Partner, Partner) async throws -> Void)
        async throws
    {
        let world = try await TestWorld(kind: .sqlite)
        try await world.withWriter {
            try await world.seed()
            let bank = BankInterface(backend: world.backend)
            let icbc = try await bank.register(code: "ICBC", name: "工商银行", by: world.admin).0
            let boc = try await bank.register(code: "BOC", name: "中国银行", by: world.admin).0
            let desk = VoucherDesk(backend: world.backend, pinKey: [UInt8](repeating: 9, count: 32))
            let service: any BankService = switch zone {
            case .internalZone: bank
            case .externalZone:
                InProcessZones(desk: desk, key: SymmetricKey(size: .bits256), logger: Logger(label: "test")).linked.bank
            }
            try await body(world, service, icbc, boc)
        }
    }

    static func add(_ reference: String, account: Int = 1, debtorAccount: String = "622202******1234",
                    name: String = "客户一", signedOn: String = "2026-10-01") throws -> BankMandateInstruction {
        try BankMandateInstruction(
            bank: "ICBC", action: "add", reference: reference, accountNumber: Fixtures.account(account).rawValue,
            debtorName: name, debtorAccount: debtorAccount, signedOn: signedOn, ceiling: "300.00",
            mobile: "13800138000")
    }

    /// The code a refusal carries, whichever side of the link made it.
    static func code(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch let rejection as any BusinessRejection {
            return rejection.code
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: Zone.allCases) func anAddedMandateIsActiveAtOnceAndAddedOnce(zone: Zone) async throws {
        try await Self.withBanks(zone) { world, service, icbc, _ in
            let added = try await service.applyMandate(try Self.add("ICBC-M-1"), by: icbc)
            #expect(added.change == .added)
            #expect(added.mandate.state == .active)
            #expect(added.mandate.ceiling == .yuan(300))
            let again = try await service.applyMandate(try Self.add("ICBC-M-1"), by: icbc)
            #expect(again.change == .unchanged)
            #expect(again.mandate == added.mandate)
            // The same reference on other terms is no repeat: it is refused, and the mandate stands.
            let otherTerms = await Self.code {
                let other = try Self.add("ICBC-M-1", debtorAccount: "622202******9999")
                _ = try await service.applyMandate(other, by: icbc)
            }
            #expect(otherTerms == "mandate_exists")
            let events = try await world.store.read { try $0.mandateEvents(bank: "ICBC", reference: "ICBC-M-1") }
            #expect(events.count == 1)
            #expect(events.first?.by == icbc.systemOperator.id)
        }
    }

    @Test(arguments: Zone.allCases) func aCancelIsAppliedOnce(zone: Zone) async throws {
        try await Self.withBanks(zone) { world, service, icbc, _ in
            _ = try await service.applyMandate(try Self.add("ICBC-M-1"), by: icbc)
            let cancelled = try await service.applyMandate(.cancel(reference: "ICBC-M-1"), by: icbc)
            #expect(cancelled.change == .cancelled)
            #expect(cancelled.mandate.state == .cancelled)
            let again = try await service.applyMandate(.cancel(reference: "ICBC-M-1"), by: icbc)
            #expect(again.change == .unchanged)
            let events = try await world.store.read { try $0.mandateEvents(bank: "ICBC", reference: "ICBC-M-1") }
            #expect(events.map(\.state) == [.active, .cancelled])
            #expect(events.last?.reason == "cancelled at the bank (its real-time interface)")
            #expect(try await service.mandate("ICBC-M-1", by: icbc).state == .cancelled)
        }
    }

    @Test(arguments: Zone.allCases) func anotherBanksMandateIsNotFound(zone: Zone) async throws {
        try await Self.withBanks(zone) { world, service, icbc, boc in
            _ = try await service.applyMandate(try Self.add("ICBC-M-1"), by: icbc)
            #expect(await Self.code { _ = try await service.mandate("ICBC-M-1", by: boc) } == "mandate_not_found")
            #expect(await Self.code {
                _ = try await service.applyMandate(.cancel(reference: "ICBC-M-1"), by: boc)
            } == "mandate_not_found")
            let mandate = try await world.store.read { try $0.mandate(bank: "ICBC", reference: "ICBC-M-1") }
            #expect(mandate?.state == .active)
        }
    }

    /// Each refused with the file's codes, on either side of the link, and nothing is stored.
    @Test(arguments: Zone.allCases, [
        (try! BankMandateTests.add("ICBC-M-2", debtorAccount: "6222020200001234567"), "mandate_field_invalid"),
        (try! BankMandateTests.add("ICBC-M-2", account: 99), "account_not_found"),
        (try! BankMandateTests.add("ICBC-M-2", signedOn: "2026-12-01"), "mandate_field_invalid"),
        (try! BankMandateTests.add("ICBC M 2"), "mandate_field_invalid"),
        (try! BankMandateTests.add("ICBC-M-2", name: " "), "mandate_field_invalid"),
        (try! BankMandateTests.add("ICBC-M-2"), "mandate_live"),
        (try! BankMandateTests.add("ICBC-M-1", account: 2), "mandate_exists"),
        (BankMandateInstruction.cancel(reference: "ICBC-NONE"), "mandate_not_found"),
    ] as [(BankMandateInstruction, String)])
    func aRefusedInstructionChangesNothing(zone: Zone, refused: (BankMandateInstruction, String)) async throws {
        let (instruction, refusal) = refused
        try await Self.withBanks(zone) { world, service, icbc, _ in
            _ = try await service.applyMandate(try Self.add("ICBC-M-1"), by: icbc)
            #expect(await Self.code { _ = try await service.applyMandate(instruction, by: icbc) } == refusal)
            let stored = try await world.store.read { r in
                try [1, 2].flatMap { try r.mandates(account: Fixtures.account($0)) }
            }
            #expect(stored.map(\.reference) == ["ICBC-M-1"])
        }
    }

    @Test func aWrongActionOrDateIsRefusedAsInTheFile() {
        #expect(throws: DirectDebitError.fieldInvalid("action must be add or cancel")) {
            try BankMandateInstruction(bank: "ICBC", action: "renew", reference: "M-1", accountNumber: "",
                                       debtorName: "", debtorAccount: "", signedOn: "", ceiling: "", mobile: "")
        }
        #expect(throws: DirectDebitError.fieldInvalid("signed_on must be YYYY-MM-DD")) {
            try BankMandateInstruction(bank: "ICBC", action: "add", reference: "M-1", accountNumber: "3100000001",
                                       debtorName: "张三", debtorAccount: "622202******1234", signedOn: "20261001",
                                       ceiling: "", mobile: "")
        }
    }
}
