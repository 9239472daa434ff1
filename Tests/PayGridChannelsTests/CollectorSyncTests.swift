import Crypto
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

/// A collector's day on the platform's side: the work list, the detail file taken line by line
/// (once each, resumable, refused where it is broken), conflicts with the counter, and day end.
@Suite struct CollectorSyncTests {
    @Test(arguments: [StoreKind.memory, .sqlite])
    func aDayAtTheDoorPostsEachLineOnce(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            let kit = try await CollectorKit(world)
            let terminal = try await kit.terminal(0)
            let list = try await kit.startDay(terminal)
            #expect(list.accounts.map(\.number) == [1, 2, 3].map(Fixtures.account))
            #expect(list.accounts.first?.due == Money(fen: 30_100))
            #expect(list.forms.first == InvoiceNumber(code: "4400", number: 1))
            try terminal.pay(Fixtures.account(1), tender: CollectorKit.cash(301, tendered: 400), invoice: true)
            try terminal.pay(Fixtures.account(2), tender: CollectorKit.card(10_100, reference: "R2"), invoice: true)
            try terminal.pay(Fixtures.account(3), tender: CollectorKit.cash(50), invoice: false)
            try terminal.reverse(3, reason: "收错户")
            try terminal.voidForm(InvoiceNumber(code: "4400", number: 2), reason: .spoiled)
            try terminal.reprint(2)
            let answers = try await kit.sync(terminal, piece: 4)
            #expect(answers.map(\.status) == Array(repeating: .posted, count: 6))
            let again = try await kit.desk.sync(try terminal.detailFile(), from: try await kit.registered(terminal))
            #expect(again.map(\.status) == Array(repeating: .alreadyPosted, count: 6))
            let payment = try #require(answers.first?.record?.paymentID)
            #expect(try await world.payments.payment(payment)?.channel == .collector)
            #expect(try await world.payments.payment(payment)?.allocations.map(\.penalty).sum() == .yuan(1))
            let forms = try await world.store.read { try $0.invoices(of: payment) }
            #expect(forms.map(\.number) == [InvoiceNumber(code: "4400", number: 1)])
            let ended = try await kit.endDay(terminal)
            #expect(ended.detail_cash_total == "301.00")
            #expect(ended.shift.over_short == "0.00")
            #expect(ended.lines == 6)
            #expect(try await world.verify().violations == [])
        }
    }

    @Test func aResentUploadIsAnsweredAsBefore() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            let kit = try await CollectorKit(world)
            let terminal = try await kit.terminal(0)
            try await kit.startDay(terminal)
            for n in 1...3 { try terminal.pay(Fixtures.account(n), tender: CollectorKit.cash(10), invoice: false) }
            let lines = try terminal.unsent()
            let registered = try await kit.registered(terminal)
            // The first upload's answer is lost: the terminal sends the first two, then all three.
            _ = try await kit.desk.sync(Array(lines.prefix(2)), from: registered)
            let answers = try await kit.desk.sync(lines, from: registered)
            #expect(answers.map(\.status) == [.alreadyPosted, .alreadyPosted, .posted])
            let paid = try await world.store.read {
                try $0.payments(outlet: CollectorKit.outlet, businessDate: world.clock.today)
            }
            #expect(paid.count == 3)
        }
    }

    /// The account was paid at the counter while the collector was offline: the collector's
    /// payment still posts, the excess becomes prepayment, the line is flagged, and the penalty
    /// the terminal showed is the one charged.
    @Test func aPaymentTakenElsewhereMeanwhileStillPostsAndIsFlagged() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            let kit = try await CollectorKit(world)
            let terminal = try await kit.terminal(0)
            try await kit.startDay(terminal)
            _ = try await world.payments.post(try world.cash(Fixtures.account(1), "301.00"), by: world.cashier,
                                              claim: world.claim("counter-1"))
            try terminal.pay(Fixtures.account(1), tender: CollectorKit.cash(301), invoice: false)
            let answer = try #require(try await kit.sync(terminal).first)
            #expect(answer.status == .posted)
            #expect(answer.record?.flag == "paid_elsewhere")
            let id = try #require(answer.record?.paymentID)
            let payment = try #require(try await world.payments.payment(id))
            #expect(payment.prepaymentCredit == .yuan(301))
            let review = try await kit.desk.linesToReview(by: CollectorKit.fieldSupervisor)
            #expect(review.map(\.sequence) == [1])
        }
    }

    /// Each a tampered copy of a good file: the platform names the line and posts nothing from it on.
    @Test(arguments: Tampering.allCases)
    func aTamperedFileIsRefusedAtTheExactLine(tampering: Tampering) async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            let kit = try await CollectorKit(world)
            let key = Curve25519.Signing.PrivateKey()
            let terminal = try await kit.terminal(0, key: key)
            let list = try await kit.startDay(terminal)
            for n in 1...5 {
                try terminal.pay(Fixtures.account(n % 3 + 1), tender: CollectorKit.cash(Int64(n * 10)), invoice: false)
            }
            var lines = try terminal.unsent()
            _ = list
            switch tampering {
            case .changedAmount:
                lines[2] = lines[2].replacing("amount=30.00|method=cash|tendered=30.00",
                                              with: "amount=3.00|method=cash|tendered=3.00")
            case .removedLine: lines.remove(at: 2)
            case .reorderedLines: lines.swapAt(2, 3)
            case .otherDevice:
                let stranger = Curve25519.Signing.PrivateKey()
                let line = try #require(SignedDetailLine(lines[2])).line
                lines[2] = line.text(signature: try DetailSignature.sign(line.body, with: stranger))
            case .rewrittenChain:
                // Line 3 re-signed by the device itself but naming another previous hash.
                var line = try #require(SignedDetailLine(lines[2])).line
                line.previousHash = String(repeating: "f", count: 64)
                lines[2] = line.text(signature: try DetailSignature.sign(line.body, with: key))
            case .truncatedLine: lines[2] = String(lines[2].dropLast(3))
            }
            let answers = try await kit.desk.sync(lines, from: try await kit.registered(terminal))
            #expect(answers.count == 3)
            #expect(answers.prefix(2).map(\.status) == [.posted, .posted])
            #expect(answers.last?.status == .refused)
            #expect(answers.last?.code == tampering.code)
            #expect(answers.last?.message?.contains("line \(tampering.line)") == true)
            let paid = try await world.store.read {
                try $0.payments(outlet: CollectorKit.outlet, businessDate: world.clock.today)
            }
            #expect(paid.count == 2)
            #expect(try await world.store.read { try $0.lastDetailLine(terminal: terminal.id) }?.sequence == 2)
        }
    }

    enum Tampering: CaseIterable, Sendable {
        case changedAmount, removedLine, reorderedLines, otherDevice, rewrittenChain, truncatedLine

        var code: String {
            switch self {
            case .changedAmount, .otherDevice: "detail_signature_invalid"
            case .removedLine, .reorderedLines: "detail_sequence_gap"
            case .rewrittenChain: "detail_chain_broken"
            case .truncatedLine: "detail_line_malformed"
            }
        }

        var line: String {
            switch self {
            case .changedAmount, .otherDevice, .rewrittenChain, .truncatedLine: "3"
            case .removedLine, .reorderedLines: "4"
            }
        }
    }

    /// Lines the genuine terminal never writes, signed with its key all the same (a terminal gone
    /// wrong): held, their cash not counted twice, a printed form never offered again.
    @Test func linesTheTerminalNeverWritesAreHeld() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            let kit = try await CollectorKit(world)
            let journal = MemoryFieldJournal()
            let key = Curve25519.Signing.PrivateKey()
            let terminal = try await kit.terminal(0, journal: journal, key: key)
            try await kit.startDay(terminal)
            let form = InvoiceNumber(code: "4400", number: 1)
            try terminal.pay(Fixtures.account(1), tender: CollectorKit.cash(50), invoice: false)
            try terminal.reverse(1, reason: "收错")
            func forge(_ entry: DetailLine.Entry) throws {
                let text = try #require(try journal.lines().last)
                let last = try #require(SignedDetailLine(text)).line
                let line = DetailLine(terminal: terminal.id, sequence: last.sequence + 1, day: last.day,
                                      atMilliseconds: 1, entry: entry, previousHash: DetailSignature.hash(text))
                let signature = try DetailSignature.sign(line.body, with: key)
                try journal.append(line.text(signature: signature), sequence: line.sequence)
            }
            try forge(.reversal(of: 1, reason: "again"))
            try forge(.invoicePrint(of: 1, form))
            try forge(.payment(account: AccountNumber("3199999999")!, tender: CollectorKit.cash(10), shownDue: .zero,
                               invoice: InvoiceNumber(code: "4400", number: 2)))
            let answers = try await kit.sync(terminal)
            #expect(answers.map(\.status) == [.posted, .posted, .held, .held, .held])
            #expect(answers.map(\.code) == [nil, nil, "payment_already_reversed", "payment_already_reversed",
                                            "account_not_found"])
            #expect(answers.map { $0.record?.cash } == [.yuan(50), -.yuan(50), .zero, .zero, .yuan(10)])
            let forms = try await world.store.read { try $0.invoiceSlips(code: "4400", first: 1, last: 2) }
            #expect(forms.map(\.state) == [.void, .void])
            let list = try await kit.desk.workList(for: try await kit.registered(terminal))
            #expect(list.forms.first == InvoiceNumber(code: "4400", number: 3))
        }
    }

    @Test func aCollectorHasOneTerminalAndABadClockIsRefused() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            let kit = try await CollectorKit(world)
            let terminal = try await kit.terminal(0)
            await #expect(throws: CollectorError.collectorHasTerminal) {
                try await kit.desk.enrol(terminal: "FT09", publicKeyHex: String(repeating: "ab", count: 32),
                                         by: CollectorKit.collectors[0])
            }
            // A counter cashier has no route: their drawer is not a collector's bag.
            await #expect(throws: CollectorError.noRoute) {
                try await kit.desk.enrol(terminal: "FT08", publicKeyHex: String(repeating: "cd", count: 32),
                                         by: world.cashier)
            }
            await #expect(throws: CollectorError.requestExpired) {
                try await kit.desk.authenticate(terminal: terminal.id, timestamp: String(Int64.min),
                                                signature: String(repeating: "0", count: 128), method: "GET",
                                                target: "/collector/v1/work-list", body: [])
            }
            _ = try await kit.desk.revoke(terminal: terminal.id, by: CollectorKit.fieldSupervisor)
            await #expect(throws: CollectorError.terminalRevoked) {
                try await kit.desk.workList(for: try await kit.registered(terminal))
            }
        }
    }

    @Test func theDayEndWaitsForTheWholeFile() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            let kit = try await CollectorKit(world)
            let terminal = try await kit.terminal(0)
            try await kit.startDay(terminal)
            try terminal.pay(Fixtures.account(1), tender: CollectorKit.cash(20), invoice: false)
            try terminal.pay(Fixtures.account(2), tender: CollectorKit.cash(30), invoice: false)
            let registered = try await kit.registered(terminal)
            _ = try await kit.desk.sync(Array(try terminal.unsent().prefix(1)), from: registered)
            await #expect(throws: CollectorError.detailFileIncomplete(lastReceived: 1)) {
                try await kit.desk.dayEnd(of: registered, lastSequence: 2, cashTotal: .yuan(50),
                                          count: TestWorld.count(.yuan(50)), cardSlips: .zero, claim: nil)
            }
            try await kit.sync(terminal)
            await #expect(throws: CollectorError.cashTotalMismatch(expected: .yuan(50))) {
                try await kit.desk.dayEnd(of: registered, lastSequence: 2, cashTotal: .yuan(40),
                                          count: TestWorld.count(.yuan(40)), cardSlips: .zero, claim: nil)
            }
            let ended = try await kit.endDay(terminal, short: .yuan(10))
            #expect(ended.shift.over_short == "-10.00")
        }
    }
}
