import Foundation
import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Synchronization
import Testing

@testable import PayGridChannels

/// Direct debit end to end on SQLite: mandates, a run, its pain.008 (checked against the ISO
/// schema with lxml), the bank's pain.002 and camt.054 built by an independent implementation,
/// payments posted once, returns reversed, mandates suspended, customers told.
@Suite(.enabled(if: DirectDebitBank.hasPython, "python3 has no lxml: pip install lxml (.ci/run does)"))
struct DirectDebitTests {
    static let runDay = Fixtures.day("2026-11-10")

    /// A message port that keeps what it was given.
    final class Outbox: MessageSender {
        let sent = Mutex<[(mobile: String, text: String)]>([])
        func send(_ text: String, to mobile: String) async throws { sent.withLock { $0.append((mobile, text)) } }
        var texts: [String] { sent.withLock { $0.map(\.text) } }
    }

    static func withBank(customers: Int = 5, messages: (any MessageSender)? = nil,
                         _ body: @Sendable (DirectDebitBank) async throws -> Void) async throws {
        let world = try await TestWorld(kind: .sqlite)
        try await world.withWriter {
            try await world.seed(customers: customers)
            try await body(try await DirectDebitBank(world, messages: messages))
        }
    }

    /// A ceiling caps the month: a second run in the same month asks only what the first left of
    /// it, and the next month's run may ask the whole ceiling again.
    @Test func aMonthlyCeilingCapsEveryRunOfTheMonth() async throws {
        try await Self.withBank { bank in
            _ = try await bank.sign(1, ceiling: "200.00")
            _ = try await bank.runs.create(bank: "ICBC", collectionDate: Self.runDay, by: bank.finance)
            let later = try await bank.runs.create(bank: "ICBC", collectionDate: Self.runDay + 10, by: bank.finance)
            let nextMonth = try await bank.runs.create(bank: "ICBC", collectionDate: Self.runDay + 30,
                                                       by: bank.finance)
            #expect(try await bank.instructions(Self.runDay).map(\.amount) == [.yuan(200)])
            #expect(later.run.count == 0, "the month's ceiling is taken")
            #expect(try await bank.instructions(Self.runDay + 30).map(\.amount) == [.yuan(101)],
                    "¥301 owed, ¥200 still asked by the first run")
        }
    }

    @Test func aMonthIsInstructedAnsweredBookedAndReturned() async throws {
        let outbox = Outbox()
        try await Self.withBank(messages: outbox) { bank in
            for n in 1...5 { try await bank.sign(n, ceiling: n == 3 ? "150.00" : nil) }
            let made = try await bank.runs.create(bank: "ICBC", collectionDate: Self.runDay, by: bank.finance,
                                                  claim: bank.world.claim("run", by: bank.finance))
            #expect(made.created)
            #expect(made.run.count == 5)
            let again = try await bank.runs.create(bank: "ICBC", collectionDate: Self.runDay, by: bank.finance)
            let retried = try await bank.runs.create(bank: "ICBC", collectionDate: Self.runDay, by: bank.finance,
                                                     claim: bank.world.claim("run", by: bank.finance))
            #expect(retried.created, "a retry under the first request's key answers what it did")
            #expect(!again.created, "the same bank and date again creates nothing")
            #expect(again.run == made.run)
            let sent = try await bank.instructions(Self.runDay)
            #expect(sent.map(\.amount) == [.yuan(301), .yuan(301), .yuan(150), .yuan(301), .yuan(301)],
                    "¥300.00 of bills and ¥1.00 of penalty; the ceiling caps customer 3")
            #expect(made.run.total == .yuan(1_354))
            #expect(outbox.texts.count == 5, "every customer is told before the run")

            let file = try await bank.pain008(Self.runDay)
            let (valid, output) = try DirectDebitBank.validate(file, against: "pain.008.001.02")
            #expect(valid, "\(output)")

            let ids = sent.map(\.endToEndID)
            let status = try bank.bankFile(["kind": "pain002", "group": "PART",
                                            "rejected": [ids[1]: "AM04", ids[3]: "AC04"]], answering: file)
            let answered = try await bank.results.apply(status, by: bank.finance)
            #expect(answered.rejected == 2)
            #expect(answered.accepted == 3, "the instructions the report does not list take its group status")
            #expect(answered.suspendedMandates == 1)
            let mandate2 = try await bank.world.store.read { try $0.mandate(bank: "ICBC", reference: "ICBC-MD-2") }
            #expect(mandate2?.state == .active, "one AM04 is retried next month")
            #expect(mandate2?.insufficientFunds == 1)
            let mandate4 = try await bank.world.store.read { try $0.mandate(bank: "ICBC", reference: "ICBC-MD-4") }
            #expect(mandate4?.state == .suspended, "AC04: the account is closed")

            let booking = try bank.bankFile(["kind": "camt054", "date": "2026-11-10",
                                             "booked": [ids[0], ids[2], ids[4]]], answering: file)
            let booked = try await bank.results.apply(booking, by: bank.finance)
            #expect(booked.posted == 3)
            let replayed = try await bank.results.apply(booking, by: bank.finance)
            #expect(replayed.posted == 0, "a notification applied twice posts nothing twice")
            #expect(replayed.unchanged == 3)
            let payments = try await bank.world.store.read { r in
                try ids.compactMap { try r.payment(outlet: Partner.directDebitOutlet("ICBC"), externalReference: $0) }
            }
            #expect(payments.count == 3)
            #expect(payments.allSatisfy { $0.channel == .directDebit })
            // A channel of its own in the daily report, by channel and by outlet.
            let day = try #require(payments.first?.businessDate)
            let reports = Reports(store: bank.world.store)
            let byChannel = try await reports.daily(day, by: .channel, actor: bank.finance)
            #expect(byChannel.rows.first { $0.key == "direct_debit" }?.collected == .yuan(752))
            let byOutlet = try await reports.daily(day, by: .outlet, actor: bank.finance)
            #expect(byOutlet.rows.first { $0.key == "DD-ICBC" }?.payments == 3)
            let due = try await bank.world.queries.summary(Fixtures.account(1))
            #expect(due.amount_due == "0.00", "customer 1's bills are settled")

            let back = try bank.bankFile(["kind": "camt054", "date": "2026-11-12", "returned": [ids[4]: "MD06"]],
                                         answering: file)
            let returned = try await bank.results.apply(back, by: bank.finance)
            #expect(returned.returned == 1)
            let five = try await bank.world.store.read { try $0.debitInstruction(ids[4]) }
            #expect(five?.state == .returned)
            #expect(five?.reversalID != nil)
            let reopened = try await bank.world.queries.summary(Fixtures.account(5))
            #expect(reopened.amount_due != "0.00", "a returned debit re-opens the bills")
            #expect(try await bank.runs.report(bank: "ICBC", collectionDate: Self.runDay, by: bank.finance)
                .collected == DebitTally(count: 2, total: .yuan(451)))
            #expect(try await bank.world.verify().isSound)
            #expect(outbox.texts.filter { $0.contains("扣款成功") }.count == 3)
            #expect(outbox.texts.filter { $0.contains("未成功") }.count == 3, "two refusals and a return")
            #expect(outbox.texts.contains { $0.contains("（余额不足，AM04）") },
                    "the reason in words the customer reads")
        }
    }

    @Test func resultsCountOnceInAnyOrder() async throws {
        try await Self.withBank(customers: 3) { bank in
            for n in 1...3 { try await bank.sign(n) }
            _ = try await bank.runs.create(bank: "ICBC", collectionDate: Self.runDay, by: bank.finance)
            let file = try await bank.pain008(Self.runDay)
            let ids = try await bank.instructions(Self.runDay).map(\.endToEndID)
            // The return of 3 is read before its booking: 3 never posts.
            let returnFirst = try bank.bankFile(["kind": "camt054", "date": "2026-11-11", "returned": [ids[2]: "MD06"]],
                                                answering: file)
            #expect(try await bank.results.apply(returnFirst, by: bank.finance).returned == 1)
            let booking = try bank.bankFile(["kind": "camt054", "date": "2026-11-10", "booked": ids],
                                            answering: file)
            let booked = try await bank.results.apply(booking, by: bank.finance)
            #expect(booked.posted == 2)
            #expect(booked.unchanged == 1, "a booking after its return posts nothing")
            // The status report comes last: accepted instructions already booked stay booked.
            let status = try bank.bankFile(["kind": "pain002", "group": "ACCP", "accepted": ids], answering: file)
            let late = try await bank.results.apply(status, by: bank.finance)
            #expect(late.unchanged == 3)
            let states = try await bank.instructions(Self.runDay).map(\.state)
            #expect(states == [.confirmed, .confirmed, .returned])
            let refused = try bank.bankFile(["kind": "pain002", "group": "RJCT", "group_reason": "AM04"],
                                            answering: file)
            #expect(try await bank.results.apply(refused, by: bank.finance).rejected == 0,
                    "a whole file refused after its bookings changes nothing")
            #expect(try await bank.world.verify().isSound)
        }
    }

    @Test func aWholeFileRefusedRejectsEveryInstruction() async throws {
        try await Self.withBank(customers: 2) { bank in
            for n in 1...2 { try await bank.sign(n) }
            _ = try await bank.runs.create(bank: "ICBC", collectionDate: Self.runDay, by: bank.finance)
            let file = try await bank.pain008(Self.runDay)
            let refused = try bank.bankFile(["kind": "pain002", "group": "RJCT", "group_reason": "FF01"],
                                            answering: file)
            #expect(try await bank.results.apply(refused, by: bank.finance).rejected == 2)
            #expect(try await bank.instructions(Self.runDay).map(\.reasonCode) == ["FF01", "FF01"])
        }
    }

    @Test func aBanksMandateFileIsAppliedLineByLineAndOnce() async throws {
        try await Self.withBank(customers: 3) { bank in
            let (one, two, three) = (Fixtures.account(1), Fixtures.account(2), Fixtures.account(3))
            let file = Array("""
                reference,account_no,debtor_name,debtor_account,signed_on,ceiling,mobile,action
                ICBC-F-1,\(one),客户1,622202******0001,2026-10-01,,13800130001,add
                ICBC-F-2,\(two),客户2,622202******0002,2026-10-02,200.00,,add
                ICBC-F-3,\(two),客户2,622202******0003,2026-10-03,,,add
                ICBC-F-4,3199999999,客户4,622202******0004,2026-10-01,,,add
                ICBC-F-5,\(three),客户5,6222020200001234567,2026-10-01,,,add
                ICBC-F-6,\(three),客户6
                ICBC-F-7,\(three),客户7,622202******0007,2026-10-01,,,renew

                """.utf8)
            let first = try await bank.mandates.importFile(bank: "ICBC", csv: file, by: bank.finance)
            #expect(first.added == 2)
            #expect(first.refused.count == 5, "\(first.refused)")
            #expect(first.refused.contains { $0.hasPrefix("line 4:") && $0.contains("cancel it first") })
            let again = try await bank.mandates.importFile(bank: "ICBC", csv: file, by: bank.finance)
            #expect(again.added == 0, "the file sent twice adds nothing twice")
            #expect(again.unchanged == 2)
            let added = try await bank.world.store.read { try $0.mandate(bank: "ICBC", reference: "ICBC-F-2") }
            #expect(added?.state == .active, "the bank holds the signature")
            #expect(added?.ceiling == .yuan(200))
            let cancel = Array("""
                reference,account_no,debtor_name,debtor_account,signed_on,ceiling,mobile,action
                ICBC-F-1,,,,,,,cancel
                ICBC-NONE,,,,,,,cancel

                """.utf8)
            let cancelled = try await bank.mandates.importFile(bank: "ICBC", csv: cancel, by: bank.finance)
            #expect(cancelled.cancelled == 1)
            #expect(cancelled.refused.count == 1, "a mandate the bank never sent cannot be cancelled")
            #expect(try await bank.mandates.importFile(bank: "ICBC", csv: cancel, by: bank.finance).unchanged == 1)
            let history = try await bank.mandates.show(bank: "ICBC", reference: "ICBC-F-1", by: bank.world.cashier)
            #expect(history.events.map(\.state) == [.active, .cancelled])
            await #expect(throws: (any Error).self) {
                try await bank.mandates.importFile(bank: "ICBC", csv: cancel, by: bank.world.cashier)
            }
        }
    }

    @Test func badRequestsAreRefusedAndChangeNothing() async throws {
        try await Self.withBank(customers: 2) { bank in
            let world = bank.world
            let full = MandateRequest(bankCode: "ICBC", accountNumber: Fixtures.account(1).rawValue, debtorName: "张三",
                                      debtorAccount: "6222020200001234567", signedOn: Fixtures.day("2026-10-01"),
                                      origin: .counter)
            await #expect(throws: DirectDebitError.self) { try await bank.mandates.sign(full, by: world.cashier) }
            var unknownBank = full
            (unknownBank.bankCode, unknownBank.debtorAccount) = ("NOPE", "622202******1234")
            await #expect(throws: DirectDebitError.bankNotFound) {
                try await bank.mandates.sign(unknownBank, by: world.cashier)
            }
            for (name, reference, signedOn) in [("张三 6222020200001234", "ICBC-1", "2026-10-01"),
                                                ("张三", "622202020000123456", "2026-10-01"),
                                                ("张三", "ICBC-1", "2026-12-01")] {
                var request = full
                (request.debtorName, request.reference, request.debtorAccount) = (name, reference, "622202******1234")
                request.signedOn = Fixtures.day(signedOn)
                await #expect(throws: DirectDebitError.self, "\(name) \(reference) \(signedOn)") {
                    try await bank.mandates.sign(request, by: world.cashier)
                }
            }
            let signed = try await bank.sign(1, origin: .counter)
            #expect(signed.state == .pending, "a counter mandate waits for the bank")
            await #expect(throws: DirectDebitError.mandateLive) { try await bank.sign(1, origin: .counter) }
            await #expect(throws: DirectDebitError.mandateTransition(from: .pending, to: .suspended)) {
                try await bank.mandates.setState(bank: "ICBC", reference: signed.reference, to: .suspended,
                                                 reason: "test", by: bank.finance)
            }
            await #expect(throws: (any Error).self) {
                try await bank.mandates.setState(bank: "ICBC", reference: signed.reference, to: .active,
                                                 reason: "bank confirmed", by: world.cashier)
            }
            let active = try await bank.mandates.setState(bank: "ICBC", reference: signed.reference, to: .active,
                                                          reason: "bank confirmed", by: bank.finance)
            #expect(active.state == .active)
            let history = try await bank.mandates.show(bank: "ICBC", reference: signed.reference, by: world.cashier)
            #expect(history.events.map(\.state) == [.pending, .active])
            await #expect(throws: DirectDebitError.collectionDatePast) {
                try await bank.runs.create(bank: "ICBC", collectionDate: Fixtures.day("2026-11-03"), by: bank.finance)
            }
            await #expect(throws: DirectDebitError.collectionDateFar) {
                try await bank.runs.create(bank: "ICBC", collectionDate: Fixtures.day("2207-11-10"), by: bank.finance)
            }
            await #expect(throws: DirectDebitError.runNotFound) {
                try await bank.runs.file(bank: "ICBC", collectionDate: Self.runDay,
                                         creditorAccount: DirectDebitBank.creditorAccount, by: bank.finance)
            }
            let malformed = Array("""
                <?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
                <GrpHdr><MsgId>X</MsgId></GrpHdr><OrgnlGrpInfAndSts><OrgnlMsgId>DD-ICBC-20261110</OrgnlMsgId>
                </OrgnlGrpInfAndSts><OrgnlPmtInfAndSts><TxInfAndSts><OrgnlEndToEndId>E1</OrgnlEndToEndId>
                <TxSts>RJCT</TxSts></TxInfAndSts></OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>
                """.utf8)
            await #expect(throws: DirectDebitError.self) { try await bank.results.apply(malformed, by: bank.finance) }
            // A booking must name a collection account, carry its amount in CNY and add up to its entry.
            let day = Fixtures.day("2026-11-10")
            func notification(account: String = DirectDebitBank.creditorAccount, currency: String = "CNY",
                              amounts: [Money?]) -> [UInt8] {
                Array(CamtDocument(message: .notification, messageID: "N1", account: account, entries: [
                    CamtDocument.Entry(amount: .yuan(301), currency: currency, direction: .credit, bookingDate: day,
                                       valueDate: day, accountServicerReference: "B1",
                                       transactions: amounts.map {
                                           .init(endToEndID: "ICBC202611100000001", amount: $0)
                                       }
                    )
                ]).xml(created: "2026-11-10T18:00:00+08:00", on: day).utf8)
            }
            await #expect(throws: DirectDebitError.self) {
                try await bank.results.apply(notification(account: "9999", amounts: [.yuan(301)]), by: bank.finance)
            }
            let dollars = try await bank.results.apply(notification(currency: "USD", amounts: [.yuan(301)]),
                                                       by: bank.finance)
            #expect(dollars.refused.count == 1, "a booking in another currency is refused")
            let short = try await bank.results.apply(notification(amounts: [.yuan(300)]), by: bank.finance)
            #expect(short.refused.count == 1, "a lone transaction must carry its entry's amount")
            let unpriced = try await bank.results.apply(notification(amounts: [nil, .yuan(1)]), by: bank.finance)
            #expect(unpriced.refused.count == 2, "an entry whose transactions do not add up books none of them")
            #expect(try await world.store.read { try $0.debitRuns(bank: nil) } == [])
        }
    }
}
