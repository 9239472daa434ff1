import Crypto
import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

@Suite struct BankInterfaceTests {
    let admin = Operator(id: OperatorID(rawValue: "admin1"), name: "管理员", role: .admin, outletID: Fixtures.outlet)
    let account = Fixtures.account(1).rawValue
    let bankDate = Fixtures.day("2026-11-04")

    func setUp(_ world: TestWorld) async throws -> (BankInterface, Partner, [UInt8]) {
        try await world.seed()
        let bank = BankInterface(backend: world.backend)
        let (partner, secret) = try await bank.register(code: "ICBC", name: "工商银行", by: admin)
        return (bank, partner, [UInt8](Data(base64Encoded: secret)!))
    }

    func receipt(_ response: Answered<Payment>) -> Payment { response.value }

    @Test func signatureCoversEveryPart() {
        let secret = [UInt8](repeating: 7, count: 32)
        let good = BankSignature.sign(
            secret: secret, method: "POST", target: "/bank/v1/pay", timestamp: "1", nonce: "n", body: Array("{}".utf8))
        #expect(good.count == 64)
        #expect(
            BankSignature.isValid(
                good, secret: secret, method: "POST", target: "/bank/v1/pay", timestamp: "1", nonce: "n",
                body: Array("{}".utf8)))
        #expect(
            !BankSignature.isValid(
                good, secret: secret, method: "POST", target: "/bank/v1/pay", timestamp: "1", nonce: "n",
                body: Array("{ }".utf8)))
        #expect(
            !BankSignature.isValid(
                good, secret: secret, method: "POST", target: "/bank/v1/reverse", timestamp: "1", nonce: "n",
                body: Array("{}".utf8)))
        #expect(
            !BankSignature.isValid(
                good, secret: secret, method: "POST", target: "/bank/v1/pay", timestamp: "2", nonce: "n",
                body: Array("{}".utf8)))
        #expect(
            !BankSignature.isValid(
                good, secret: [UInt8](repeating: 8, count: 32), method: "POST", target: "/bank/v1/pay", timestamp: "1",
                nonce: "n", body: Array("{}".utf8)))
        #expect(
            !BankSignature.isValid(
                "zz", secret: secret, method: "POST", target: "/bank/v1/pay", timestamp: "1", nonce: "n", body: []))
    }

    @Test func authenticationRefusalsInOrder() async throws {
        let world = try await TestWorld(kind: .sqlite)
        try await world.withWriter {
            let (bank, _, secret) = try await setUp(world)
            let now = String(world.clock.nowMilliseconds / 1000)
            func attempt(code: String = "ICBC", timestamp: String? = nil, nonce: String, key: [UInt8]? = nil)
                async throws -> Partner
            {
                let ts = timestamp ?? now
                let signature = BankSignature.sign(
                    secret: key ?? secret, method: "POST", target: "/bank/v1/query", timestamp: ts, nonce: nonce,
                    body: [1])
                return try await bank.authenticate(
                    code: code, timestamp: ts, nonce: nonce, signature: signature, method: "POST",
                    target: "/bank/v1/query", body: [1])
            }
            #expect(try await attempt(nonce: "n1").code == "ICBC")
            await #expect(throws: BankError.nonceReused) { try await attempt(nonce: "n1") }
            await #expect(throws: BankError.partnerUnknown) { try await attempt(code: "BOC", nonce: "n2") }
            await #expect(throws: BankError.timestampExpired) {
                try await attempt(timestamp: String(world.clock.nowMilliseconds / 1000 - 301), nonce: "n3")
            }
            await #expect(throws: BankError.signatureInvalid) {
                try await attempt(nonce: "n4", key: [UInt8](repeating: 1, count: 32))
            }
            await #expect(throws: BankError.headersMissing) {
                try await bank.authenticate(
                    code: "ICBC", timestamp: now, nonce: nil, signature: "x", method: "POST", target: "/", body: [])
            }
            try await bank.setStatus("ICBC", .suspended, by: admin)
            await #expect(throws: BankError.partnerSuspended) { try await attempt(nonce: "n5") }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func queryPayReverseStatus(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            let (bank, partner, _) = try await setUp(world)
            let query = try await bank.query(account, by: partner)
            #expect(query.name == "客**")
            #expect(query.total_due == "301.00")
            #expect(query.bills.map(\.penalty) == ["1.00", "0.00"])
            await #expect(throws: PaymentError.accountNotFound) { try await bank.query("9999999999", by: partner) }
            // A well-formed request that is wrong now, or repeats what exists, is refused by its own code.
            let refusal = { (error: any Error) in (error as? BankError)?.code }
            let farDate = try await #require(throws: BankError.self) {
                try await bank.pay(
                    serial: "FAR1", bankDate: bankDate + 2, account: account, amount: "1.00", by: partner)
            }
            #expect(refusal(farDate) == "bank_date_out_of_range")
            let twice = try await #require(throws: BankError.self) {
                try await bank.register(code: "ICBC", name: "工商银行", by: admin)
            }
            #expect(refusal(twice) == "partner_already_registered")

            let paid = try await bank.pay(
                serial: "ICBC0001", bankDate: bankDate, account: account, amount: "150.00", by: partner)
            let r = try receipt(paid)
            #expect(r.channel == .bank)
            #expect(r.businessDate == Fixtures.day("2026-11-04"))
            #expect(r.allocations.first?.penalty == .yuan(1))
            let again = try await bank.pay(
                serial: "ICBC0001", bankDate: bankDate, account: account, amount: "150.00", by: partner)
            #expect(again.replayed)
            #expect(again.value == paid.value)
            await #expect(throws: IdempotencyError.keyReused) {
                try await bank.pay(
                    serial: "ICBC0001", bankDate: bankDate, account: account, amount: "151.00", by: partner)
            }
            let trial = try await world.store.read { try $0.trialBalance() }
            #expect(trial.first { $0.account == .channelClearing(.bank, partner.outletID) }?.debit == .yuan(150))

            #expect(try await bank.status(of: "ICBC0001", by: partner).status == "posted")
            #expect(try await bank.status(of: "NOPE", by: partner).status == "unknown")
            await #expect(throws: BankError.originalNotFound) {
                try await bank.reverse(serial: "R1", originalSerial: "NOPE", bankDate: bankDate, by: partner)
            }
            await #expect(throws: ReversalError.businessDayClosed) {
                try await bank.reverse(serial: "R1", originalSerial: "ICBC0001", bankDate: bankDate + 1, by: partner)
            }
            let reversed = try receipt(
                try await bank.reverse(serial: "R1", originalSerial: "ICBC0001", bankDate: bankDate, by: partner))
            #expect(reversed.reversalOf == r.id)
            #expect(try await bank.status(of: "ICBC0001", by: partner).status == "reversed")
            #expect(try await bank.status(of: "R1", by: partner).status == "reversal")
            await #expect(throws: ReversalError.alreadyReversed) {
                try await bank.reverse(serial: "R2", originalSerial: "ICBC0001", bankDate: bankDate, by: partner)
            }
            await #expect(throws: BankError.originalNotFound) {
                try await bank.reverse(serial: "R3", originalSerial: "R1", bankDate: bankDate, by: partner)
            }

            // A bank date far from today would post into a day long past: refused, nothing posted.
            await #expect(throws: BankError.self) {
                try await bank.pay(
                    serial: "OLD1", bankDate: bankDate - 30, account: account, amount: "10.00", by: partner)
            }
            #expect(try await bank.status(of: "OLD1", by: partner).status == "unknown")
            // A serial that already names a payment without an idempotency record (e.g. stored by
            // another path) is a clear refusal, never a second posting.
            await #expect(throws: PaymentError.referenceAlreadyUsed) {
                try await world.writer.submit { w in
                    _ = try Payments.record(
                        PaymentRequest.collected(
                            account: account, amount: "1.00", channel: .bank, serial: "ICBC0001",
                            maximum: .yuan(100)),
                        by: partner.systemOperator, in: w, clock: world.clock, allocator: Allocator(),
                        businessDate: bankDate, externalReference: "ICBC0001")
                }
            }

            // Once reconciled, the day takes no reversal and no payment.
            _ = try await bank.pay(
                serial: "ICBC0002", bankDate: bankDate, account: account, amount: "10.00", by: partner)
            try await world.store.write {
                try $0.lock(outlet: partner.outletID, businessDate: Fixtures.day("2026-11-04"))
            }
            await #expect(throws: BankError.dayReconciled) {
                try await bank.reverse(serial: "R4", originalSerial: "ICBC0002", bankDate: bankDate, by: partner)
            }
            await #expect(throws: BankError.dayReconciled) {
                try await bank.pay(
                    serial: "ICBC0003", bankDate: bankDate, account: account, amount: "10.00", by: partner)
            }

            let file = try await bank.dailyFile(bankDate, by: partner)
            #expect(file.lines.map(\.serial) == ["ICBC0001", "R1", "ICBC0002"])
            #expect(file.lines[1].originalSerial == "ICBC0001")
            #expect(file.payTotal == .yuan(160))
            #expect(file.reversalTotal == .yuan(150))
            // The file as written reads back as the same file, its trailer stating the day's totals.
            #expect(try PartnerDailyFile.parse(file.text) == file)
            #expect(file.text.hasSuffix("\nT|3|2|160.00|1|150.00\n"))
            #expect(try await world.verify().isSound)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func oneSerialFromManyConnectionsPostsOnce(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            let (bank, partner, _) = try await setUp(world)
            let (account, bankDate) = (account, bankDate)
            let bodies = try await withThrowingTaskGroup(of: Payment.self) { group in
                for _ in 0..<32 {
                    group.addTask {
                        try await bank.pay(
                            serial: "SAME", bankDate: bankDate, account: account, amount: "12.34", by: partner
                        ).value
                    }
                }
                return try await group.reduce(into: Set<Payment>()) { $0.insert($1) }
            }
            #expect(bodies.count == 1)
            #expect(
                try await world.store.read { try $0.payments(outlet: partner.outletID, businessDate: bankDate) }.count
                    == 1)
        }
    }
}

@Suite struct PartnerDailyFileTests {
    static let good = """
        H|PGBANK|1|ICBC|20261104
        D|S1|PAY|3100000001|150.00|P1|
        D|S2|REV|3100000001|150.00|P2|S1
        D|S3|PAY|3100000002|10.5|P3|
        T|3|2|160.50|1|150.00

        """

    @Test func parsesAGoodFile() throws {
        let file = try PartnerDailyFile.parse(Self.good)
        #expect(file.partnerCode == "ICBC")
        #expect(file.partnerKind == .bank)
        #expect(file.businessDate == Day("2026-11-04"))
        #expect(file.lines.map(\.lineNumber) == [2, 3, 4])
        #expect(file.lines[1].kind == .reversal)
        #expect(file.lines[1].originalSerial == "S1")
        #expect(file.lines[2].amount == Money(fen: 1_050))
    }

    @Test(arguments: [
        ("H|PGBANK|2|ICBC|20261104\nT|0|0|0.00|0|0.00\n", 1),
        ("H|PGBANK|1|ICBC|2026-11-04\nT|0|0|0.00|0|0.00\n", 1),
        ("H|PGBANK|1|ICBC|20261104\nD|S1|PAY|3100000001|1.005|P1|\nT|1|1|1.00|0|0.00\n", 2),
        ("H|PGBANK|1|ICBC|20261104\nD|S1|PAY|3100000001|1.00|P1|S0\nT|1|1|1.00|0|0.00\n", 2),
        ("H|PGBANK|1|ICBC|20261104\nD||PAY|3100000001|1.00|P1|\nT|1|1|1.00|0|0.00\n", 2),
        ("H|PGSHOP|1|ICBC|20261104\nT|0|0|0.00|0|0.00\n", 1),
        ("H|PGBANK|1|ICBC|20261104\nD|S1|XXX|3100000001|1.00|P1|\nT|1|1|1.00|0|0.00\n", 2),
        ("H|PGBANK|1|ICBC|20261104\nD|S1|PAY|3100000001|1.00|P1|\nT|1|1|2.00|0|0.00\n", 3),
        ("H|PGBANK|1|ICBC|20261104\n", 1),
    ] as [(String, Int)])
    func refusesMalformedFilesWithTheLine(text: String, line: Int) {
        #expect { try PartnerDailyFile.parse(text) } throws: { error in
            if case .fileMalformed(let at, _) = error as? StatementError { return at == line }
            return false
        }
    }
}
